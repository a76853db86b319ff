import { invokeAsJob, PermanentFailure, type Attempt, type DeadLetter, type Job } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { eventTime } from '../model/event-entry.js';
import type { TargetDefinition } from '../model/types.js';
import { sql } from '../repository/statements.js';
import { FORWARDED_EVENT } from './bus-invoker.js';
import { TARGET_JOB, type TargetJobPayload } from './event-router.js';
import { compileTargetInput, TargetInputRenderError, type CompiledTargetInput } from './target-input.js';

/** The job kind that sends a failed event to its target's dead-letter queue. */
export const DEAD_LETTER_JOB = 'events.dead-letter';

interface DeadLetterPayload {
  queueArn: string;
  event: string;
  attributes: Record<string, { DataType: string; StringValue: string }>;
  ruleArn: string;
  targetArn: string;
}

/**
 * A DLQ send is retried briefly: AWS does not document retries of the DLQ itself, and an event
 * whose DLQ is gone is lost there too (counted as InvocationsFailedToBeSentToDlq). Stratus also
 * records it in events_failed_deliveries, so it can still be found.
 */
const DEAD_LETTER_POLICY = {
  maxAttempts: 10,
  maxAgeMs: 60 * 60 * 1000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 'full' as const,
};

/**
 * Delivers matched events to their targets through `invoke/` (DESIGN.md rule 1), retried by the
 * delivery machine under the target's RetryPolicy (rule 2). When retries or the event's age run
 * out, or the failure cannot be retried, the event goes to the target's DeadLetterConfig queue
 * with AWS's attributes, and is always recorded as a failed delivery: never dropped silently.
 */
export class TargetDelivery {
  private readonly inputs = new Map<string, CompiledTargetInput>();

  constructor(private readonly runtime: Runtime) {}

  register(): void {
    this.runtime.delivery.register<TargetJobPayload>(TARGET_JOB, {
      concurrency: 64,
      leaseMs: 60_000,
      handle: (job, attempt) => this.deliver(job, attempt),
      onDeadLetter: (job, failure, tx) => this.deadLetter(job, failure, tx),
    });
    this.runtime.delivery.register<DeadLetterPayload>(DEAD_LETTER_JOB, {
      concurrency: 16,
      handle: async (job, attempt) => {
        const p = job.payload;
        await invokeAsJob(this.runtime.invokers, {
          arn: p.queueArn,
          payload: p.event,
          traceId: job.traceId ?? undefined,
          source: { arn: p.ruleArn, service: 'events' },
          parameters: { MessageAttributes: p.attributes },
          alongside: (tx) => attempt.complete(tx),
        });
      },
      onDeadLetter: (job, failure) => {
        this.runtime.log.warn('events: could not send a failed event to its dead-letter queue', {
          traceId: job.traceId,
          queue: job.payload.queueArn,
          rule: job.payload.ruleArn,
          target: job.payload.targetArn,
          error: failure.error,
        });
      },
    });
  }

  private async deliver(job: Job<TargetJobPayload>, attempt: Attempt): Promise<void> {
    const p = job.payload;
    const target = p.target;
    const compiled = this.inputFor(target);
    // Only paths and templates look inside the event; the whole event and a constant do not.
    const parsed = compiled.kind === 'input-path' || compiled.kind === 'input-transformer' ? (JSON.parse(p.event) as unknown) : null;
    let input: string;
    try {
      input = compiled.render(parsed, p.event, { ruleArn: p.ruleArn, ruleName: p.ruleName, ingestionTime: eventTime(p.ingestedAt) });
    } catch (error) {
      // A template that renders to text that is not JSON: the same event renders the same way on every try.
      if (error instanceof TargetInputRenderError) throw new PermanentFailure(error.message, 'InvalidInputTemplate');
      throw error;
    }
    // Failures retrying cannot fix (no such resource, a target type Stratus lacks, a refused
    // policy) go to the DLQ at once, as EventBridge does for them
    // (User Guide, "Event retry policy and using dead-letter queues").
    // A target that stores the event in this store (an SQS queue) completes the job in the same
    // transaction: one commit for both, and no second delivery should Stratus stop in between.
    await invokeAsJob(this.runtime.invokers, {
      arn: target.Arn,
      payload: input,
      traceId: job.traceId ?? undefined,
      source: { arn: p.ruleArn, service: 'events', accountId: p.accountId, region: p.region },
      parameters: invokeParameters(target, p),
      alongside: (tx) => attempt.complete(tx),
    });
  }

  private async deadLetter(job: Job<TargetJobPayload>, failure: DeadLetter, tx: WriteTx): Promise<void> {
    const p = job.payload;
    const queueArn = p.target.DeadLetterConfig?.Arn;
    const retries = Math.max(0, job.attempts - 1);
    await tx.run(sql.insertFailedDelivery, [
      this.runtime.clock.now(), job.traceId, p.ruleArn, p.target.Arn, failure.error.code, failure.error.message, failure.reason, job.attempts,
      queueArn ?? null, p.event,
    ]);
    this.runtime.log.warn('events: delivery failed for good', {
      traceId: job.traceId,
      rule: p.ruleArn,
      target: p.target.Arn,
      reason: failure.reason,
      attempts: job.attempts,
      error: failure.error,
      deadLetterQueue: queueArn,
    });
    if (!queueArn) return;
    // The attributes EventBridge sets on a DLQ message (User Guide, "Using dead-letter queues to
    // process undelivered events"). EXHAUSTED_RETRY_CONDITION names the limit that ran out; a
    // failure that is never retried has none.
    const attributes: DeadLetterPayload['attributes'] = {
      ERROR_CODE: { DataType: 'String', StringValue: deadLetterErrorCode(failure.error.code) },
      ERROR_MESSAGE: { DataType: 'String', StringValue: failure.error.message.slice(0, 1024) || failure.error.code },
      RULE_ARN: { DataType: 'String', StringValue: p.ruleArn },
      TARGET_ARN: { DataType: 'String', StringValue: p.target.Arn },
      RETRY_ATTEMPTS: { DataType: 'String', StringValue: String(retries) },
    };
    if (failure.reason !== 'PermanentFailure') attributes.EXHAUSTED_RETRY_CONDITION = { DataType: 'String', StringValue: failure.reason };
    const payload: DeadLetterPayload = { queueArn, event: p.event, attributes, ruleArn: p.ruleArn, targetArn: p.target.Arn };
    await this.runtime.delivery.enqueue(tx, { kind: DEAD_LETTER_JOB, payload, traceId: job.traceId ?? undefined, policy: DEAD_LETTER_POLICY });
  }

  /** Compiled input renderers, shared by every delivery with the same input settings. */
  private inputFor(target: TargetDefinition): CompiledTargetInput {
    const key = JSON.stringify([target.Input, target.InputPath, target.InputTransformer]);
    let compiled = this.inputs.get(key);
    if (!compiled) {
      if (this.inputs.size >= 10_000) this.inputs.clear();
      compiled = compileTargetInput(target, target.Id);
      this.inputs.set(key, compiled);
    }
    return compiled;
  }
}

/** The target-type parameters an invoker understands. */
function invokeParameters(target: TargetDefinition, job: TargetJobPayload): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  if (job.forwarded) parameters[FORWARDED_EVENT] = true;
  if (job.traceHeader !== undefined) parameters.AWSTraceHeader = job.traceHeader;
  if (target.SqsParameters?.MessageGroupId !== undefined) parameters.MessageGroupId = target.SqsParameters.MessageGroupId;
  if (target.HttpParameters) parameters.HttpParameters = target.HttpParameters;
  if (target.RoleArn) parameters.RoleArn = target.RoleArn;
  return parameters;
}

/**
 * The ERROR_CODE of a DLQ message: one of the codes EventBridge documents for it (User Guide,
 * "Using dead-letter queues to process undelivered events": CONNECTION_FAILURE, ERROR_FROM_TARGET,
 * INTERNAL_ERROR, INVALID_JSON, INVALID_PARAMETER, NO_PERMISSIONS, NO_RESOURCE,
 * THIRD_ACCOUNT_HOP_DETECTED, THROTTLING, ...), not Stratus's own invoker codes, which stay in
 * events_failed_deliveries for diagnosis. A code already in that form passes through.
 */
export function deadLetterErrorCode(code: string): string {
  if (/^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  switch (code) {
    case 'ResourceNotFound':
    // A target of a service this Stratus does not run: to it, the resource does not exist.
    case 'UnsupportedTarget':
      return 'NO_RESOURCE';
    case 'AccessDenied':
      return 'NO_PERMISSIONS';
    case 'InvalidArn':
    case 'InvalidEvent':
      return 'INVALID_PARAMETER';
    case 'InvalidInputTemplate':
      return 'INVALID_JSON';
    case 'Throttling':
    case 'ThrottlingException':
      return 'THROTTLING';
    case 'TargetFailure':
      return 'ERROR_FROM_TARGET';
  }
  // The target refused the message itself (SQS's SendMessage checks: a FIFO queue without
  // content-based deduplication, a body too large).
  if (code.startsWith('SQS.')) return 'INVALID_PARAMETER';
  // A plain JavaScript error (`Error`, `TypeError`) is Stratus's own failure, not the target's.
  if (/^[A-Za-z]*Error$/.test(code)) return 'INTERNAL_ERROR';
  return 'ERROR_FROM_TARGET';
}
