/**
 * The pure part of an SQS event source mapping: the event Lambda gives a function, filter
 * criteria, the 6 MB payload bound, and what a function's answer means for each message.
 * Sources, quoted where each rule is applied:
 *  [SQS]  Lambda Developer Guide, "Using Lambda with Amazon SQS" (event shape, batching).
 *  [ERR]  Lambda Developer Guide, "Handling errors for an SQS event source in Lambda"
 *         (partial batch responses, success and failure conditions).
 *  [FLT]  Lambda Developer Guide, "Control which events Lambda sends to your function" and
 *         "Using event filtering with an Amazon SQS event source".
 *  [REC]  Events recorded against AWS in localstack's tests/aws/services/lambda_/
 *         event_source_mapping/test_lambda_integration_sqs.snapshot.json (member order,
 *         `md5OfMessageAttributes: null`, attribute list members).
 */
import { compilePattern, matchesPattern, type CompiledPattern } from '../../patterns/index.js';
import type { SourceMessage, SourceMessageAttribute } from '../../invoke/index.js';

/** One element of the event's `Records`, members in AWS's order [REC]. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SourceMessageAttribute>;
  md5OfMessageAttributes: string | null;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export function sqsRecord(message: SourceMessage, eventSourceArn: string, region: string): SqsRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: message.attributes,
    messageAttributes: message.messageAttributes,
    // [REC]: null, not absent, when the message has no attributes.
    md5OfMessageAttributes: message.md5OfMessageAttributes ?? null,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: eventSourceArn,
    awsRegion: region,
  };
}

export type RecordFilter = (record: SqsRecord) => boolean;

/**
 * FilterCriteria as one predicate, or undefined when there is nothing to filter on. Filters are
 * event patterns (src/patterns, the engine EventBridge rules use), OR-ed: a record is kept when
 * any filter matches it [FLT]. They apply to the record with `body` parsed when it holds a JSON
 * object, else to the body as a plain string: a JSON pattern on a plain-string body, or a
 * plain-string pattern on a JSON body, matches nothing [FLT, "Filtering Amazon SQS messages"].
 */
export function compileFilters(criteria: { Filters: { Pattern?: string }[] } | undefined): RecordFilter | undefined {
  const patterns: CompiledPattern[] = [];
  for (const filter of criteria?.Filters ?? []) {
    if (filter.Pattern !== undefined) patterns.push(compilePattern(filter.Pattern, { maxLength: 4096 }));
  }
  if (patterns.length === 0) return undefined;
  return (record) => {
    const subject = { ...record, body: parsedBody(record.body) };
    return patterns.some((p) => matchesPattern(p, subject));
  };
}

function parsedBody(body: string): unknown {
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return body;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : body;
  } catch {
    return body;
  }
}

/**
 * How many leading records fit in an invocation payload of `maxBytes` (`{"Records":[…]}` as
 * UTF-8): Lambda stops gathering a batch when "the invocation payload size reaches 6 MB" [SQS].
 * At least one, so a batch always moves.
 */
export function recordsThatFit(records: readonly SqsRecord[], maxBytes: number): number {
  let size = '{"Records":[]}'.length;
  for (let i = 0; i < records.length; i++) {
    size += Buffer.byteLength(JSON.stringify(records[i]), 'utf8') + (i > 0 ? 1 : 0);
    if (size > maxBytes) return Math.max(1, i);
  }
  return records.length;
}

/**
 * The message ids of the batch that failed, from the function's answer:
 *  - a function error (thrown, timed out, crashed) fails the whole batch [ERR];
 *  - without ReportBatchItemFailures any answer is success;
 *  - with it, the answer is read as `{"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}`.
 *    An empty or null list, an empty or null answer (and any answer that is not a JSON object)
 *    is complete success; an itemIdentifier that is empty, null, missing (a wrong key name) or
 *    not a message id of the batch makes the whole batch a failure [ERR, "Success and failure
 *    conditions"]. A `batchItemFailures` that is not a list is taken as invalid too.
 */
export function failedMessageIds(
  outcome: { payload: Buffer; functionError?: string },
  records: readonly SqsRecord[],
  reportBatchItemFailures: boolean,
): Set<string> {
  const all = new Set(records.map((r) => r.messageId));
  if (outcome.functionError) return all;
  if (!reportBatchItemFailures) return new Set();
  let answer: unknown;
  try {
    answer = outcome.payload.length === 0 ? null : JSON.parse(outcome.payload.toString('utf8'));
  } catch {
    return new Set();
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return new Set();
  const failures = (answer as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const item of failures) {
    const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}
