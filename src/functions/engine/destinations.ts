import { randomUUID } from 'node:crypto';
import { invokeAsJob, type Job, type RetryPolicy } from '../../delivery/index.js';
import { parseArn } from '../../invoke/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';

/**
 * Records of asynchronous invocations and where they go: the OnSuccess / OnFailure destinations
 * of an event invoke config and the function's DeadLetterConfig. Every send is a delivery job of
 * its own (DESIGN rule 2), stored in the same write unit that settles the invocation where the
 * delivery machine allows it, and reaches its target through `invoke/` (rule 1).
 */

/** The job kind of one destination or dead-letter send. */
export const DESTINATION_JOB = 'lambda.destination';

/** [R] requestContext.condition values (LocalStack's test_lambda_destinations snapshots, recorded against AWS). */
export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface InvocationResult {
  /** 200 when the function ran; 429 throttled; 500 a system error (the DLQ's ErrorCode, a 3-digit HTTP code). */
  statusCode: number;
  executedVersion?: string;
  functionError?: string;
  /** What the function answered (its error document for a function error), as text. */
  responsePayload?: string;
  /** The failure in words, for the DLQ's ErrorMessage. */
  errorMessage?: string;
}

export interface RecordInput {
  requestId: string;
  /** The ARN the event was queued for: qualified with $LATEST, a version or an alias. */
  functionArn: string;
  condition: Condition;
  approximateInvokeCount: number;
  /** The event as sent (JSON text, or empty). */
  requestPayload: string;
  result?: InvocationResult;
  timestamp: number;
}

/**
 * The invocation record, member for member as Lambda sends it to a destination ([R] LocalStack
 * test_lambda_destinations.snapshot.json, recorded against AWS; [D] Developer Guide, "Capturing
 * records of Lambda asynchronous invocations"):
 *   {"version":"1.0","timestamp":ISO-ms,"requestContext":{"requestId","functionArn","condition",
 *    "approximateInvokeCount"},"requestPayload":event,"responseContext":{"statusCode",
 *    "executedVersion","functionError"?},"responsePayload":answer}
 * The request and response payloads are spliced in as the JSON text they were, so large numbers
 * keep every digit; a response that is not JSON is carried as a JSON string.
 */
export function invocationRecord(input: RecordInput): string {
  const requestContext = {
    requestId: input.requestId,
    functionArn: input.functionArn,
    condition: input.condition,
    approximateInvokeCount: input.approximateInvokeCount,
  };
  let text = `{"version":"1.0","timestamp":${JSON.stringify(new Date(input.timestamp).toISOString())},"requestContext":${JSON.stringify(requestContext)}`;
  text += `,"requestPayload":${jsonText(input.requestPayload) ?? '{}'}`;
  const result = input.result;
  if (result) {
    const responseContext: Record<string, unknown> = { statusCode: result.statusCode };
    if (result.executedVersion !== undefined) responseContext.executedVersion = result.executedVersion;
    if (result.functionError !== undefined) responseContext.functionError = result.functionError;
    text += `,"responseContext":${JSON.stringify(responseContext)}`;
    if (result.responsePayload !== undefined) text += `,"responsePayload":${jsonText(result.responsePayload) ?? JSON.stringify(result.responsePayload)}`;
  }
  return `${text}}`;
}

/** The text itself when it is one JSON value; undefined when empty or not JSON. */
function jsonText(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    JSON.parse(trimmed);
    return trimmed;
  } catch {
    return undefined;
  }
}

export interface DestinationJobPayload {
  arn: string;
  /** What is sent: the record (or its EventBridge event), or the original event for a DLQ. */
  body: string;
  parameters?: Record<string, unknown>;
  /** For logs and `invoke/`'s source. */
  purpose: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
  functionArn: string;
  requestId: string;
  accountId: string;
  region: string;
}

/**
 * A destination send is retried briefly, like EventBridge's DLQ sends: AWS documents no retries
 * for it, only that a record it cannot deliver is counted in DestinationDeliveryFailures (and a
 * DLQ message in DeadLetterErrors) and dropped ([D] "Capturing records ..."). Stratus logs it.
 */
const DESTINATION_POLICY: RetryPolicy = {
  maxAttempts: 10,
  maxAgeMs: 60 * 60 * 1000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 'full',
};

export interface FunctionRef {
  accountId: string;
  region: string;
  /** The qualified ARN the record names. */
  functionArn: string;
}

export class Destinations {
  constructor(private readonly runtime: Runtime) {}

  register(): void {
    this.runtime.delivery.register<DestinationJobPayload>(DESTINATION_JOB, {
      concurrency: 16,
      handle: (job) => this.send(job),
      onDeadLetter: (job, failure) => {
        this.runtime.log.warn(
          job.payload.purpose === 'DeadLetter'
            ? 'lambda: could not send a failed event to the function\'s dead-letter queue (DeadLetterErrors)'
            : 'lambda: could not deliver an invocation record to its destination (DestinationDeliveryFailures)',
          { requestId: job.payload.requestId, function: job.payload.functionArn, destination: job.payload.arn, purpose: job.payload.purpose, error: failure.error },
        );
      },
    });
  }

  /**
   * Stores the send of an invocation record to `destination`. An event bus receives it as an event
   * with source "lambda", detail-type "Lambda Function Invocation Result - Success" (or "- Failure")
   * and the record as detail ([D] "Capturing records ...": destination types; the detail-type
   * strings as EventBridge rules match them in public templates). Resources name the bus and the
   * function, as in Lambda's events seen in the field (not recorded by Stratus).
   */
  async enqueueRecord(tx: WriteTx, destination: string, purpose: 'OnSuccess' | 'OnFailure', fn: FunctionRef, requestId: string, record: string, traceId?: string): Promise<void> {
    let body = record;
    const target = parseArn(destination);
    if (target?.service === 'events') {
      const now = this.runtime.clock.now();
      const detailType = `Lambda Function Invocation Result - ${purpose === 'OnSuccess' ? 'Success' : 'Failure'}`;
      body =
        `{"version":"0","id":${JSON.stringify(randomUUID())},"detail-type":${JSON.stringify(detailType)},"source":"lambda",` +
        `"account":${JSON.stringify(fn.accountId)},"time":${JSON.stringify(new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'))},` +
        `"region":${JSON.stringify(fn.region)},"resources":${JSON.stringify([destination, fn.functionArn])},"detail":${record}}`;
    }
    await this.enqueue(tx, { arn: destination, body, purpose, functionArn: fn.functionArn, requestId, accountId: fn.accountId, region: fn.region }, traceId);
  }

  /**
   * Stores the send of a failed event to the function's dead-letter queue or topic: the event
   * unchanged, with attributes RequestID (String), ErrorCode (Number, a 3-digit HTTP code) and
   * ErrorMessage (String, at most 1 KB) ([D] Developer Guide, "Dead-letter queues"; [R] LocalStack
   * test_dead_letter_queue: ErrorCode "200" for a function error, ErrorMessage its errorMessage).
   */
  async enqueueDeadLetter(tx: WriteTx, target: string, fn: FunctionRef, requestId: string, event: string, result: InvocationResult | undefined, traceId?: string): Promise<void> {
    const message = truncateUtf8(result?.errorMessage || result?.functionError || 'The event could not be processed.', 1024);
    const parameters = {
      MessageAttributes: {
        RequestID: { DataType: 'String', StringValue: requestId },
        ErrorCode: { DataType: 'Number', StringValue: String(result?.statusCode ?? 500) },
        ErrorMessage: { DataType: 'String', StringValue: message },
      },
    };
    await this.enqueue(tx, { arn: target, body: event, parameters, purpose: 'DeadLetter', functionArn: fn.functionArn, requestId, accountId: fn.accountId, region: fn.region }, traceId);
  }

  private async enqueue(tx: WriteTx, payload: DestinationJobPayload, traceId?: string): Promise<void> {
    await this.runtime.delivery.enqueue(tx, { kind: DESTINATION_JOB, payload, traceId, policy: DESTINATION_POLICY });
  }

  private async send(job: Job<DestinationJobPayload>): Promise<void> {
    const p = job.payload;
    await invokeAsJob(this.runtime.invokers, {
      arn: p.arn,
      payload: p.body,
      traceId: job.traceId ?? undefined,
      source: { service: 'lambda', arn: p.functionArn, accountId: p.accountId, region: p.region },
      parameters: p.parameters,
    });
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Cut at a character boundary: drop continuation bytes left dangling at the end.
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
