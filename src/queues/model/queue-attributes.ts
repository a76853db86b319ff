import { sqsErrors } from './errors.js';

/**
 * Queue attributes, held in the form GetQueueAttributes returns them: a map of strings.
 * Everything here is pure; the engine adds the computed attributes (READ_ONLY) when it
 * answers GetQueueAttributes.
 *
 * Sources: the CreateQueue / SetQueueAttributes / GetQueueAttributes API reference (the
 * Attributes documentation shipped in @aws-sdk/client-sqs 3.1169, which carries the 2025
 * 1 MiB limits), and for error wording the recordings cited at each rule.
 */

/** The largest message SQS takes, and the MaximumMessageSize default, since 2025 (CreateQueue
 * API reference: "An integer from 1,024 bytes (1 KiB) to 1,048,576 bytes (1 MiB). Default:
 * 1,048,576 bytes (1 MiB)."; floci-io/floci#3626 dates the change to August 2025). */
export const MAX_MESSAGE_SIZE = 1_048_576;

/** Every name in the QueueAttributeName enum except `All` (client-sqs models/enums). */
export const QUEUE_ATTRIBUTE_NAMES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'ContentBasedDeduplication',
  'CreatedTimestamp',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;
export type QueueAttributeName = (typeof QUEUE_ATTRIBUTE_NAMES)[number];

/** Computed by SQS, never settable: CreateQueue/SetQueueAttributes answer "Unknown Attribute X."
 * for them (localstack INTERNAL_QUEUE_ATTRIBUTES, snapshot-tested against AWS). */
export const READ_ONLY_QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

/** Settable on every queue (CreateQueue / SetQueueAttributes "Attributes"). */
export const STANDARD_QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
] as const;

/** Only FIFO queues have these ("The following attributes apply only to FIFO queues" and
 * "... only to high throughput for FIFO queues"). FifoQueue itself is create-only. */
export const FIFO_ONLY_QUEUE_ATTRIBUTES = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'] as const;

export const FIFO_QUEUE_ATTRIBUTES = [...STANDARD_QUEUE_ATTRIBUTES, ...FIFO_ONLY_QUEUE_ATTRIBUTES] as const;

/** Integer attributes and their inclusive ranges (CreateQueue API reference). */
export const QUEUE_ATTRIBUTE_RANGES: Readonly<Record<string, { min: number; max: number }>> = {
  DelaySeconds: { min: 0, max: 900 },
  MaximumMessageSize: { min: 1024, max: MAX_MESSAGE_SIZE },
  MessageRetentionPeriod: { min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20 },
  VisibilityTimeout: { min: 0, max: 43_200 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86_400 },
};

/** RedrivePolicy maxReceiveCount bounds (the InvalidParameterValue wording below says "from 1
 * to 1000 both inclusive"). */
export const MAX_RECEIVE_COUNT_RANGE = { min: 1, max: 1000 } as const;
/** "You can specify up to 10 source queue ARNs." (RedriveAllowPolicy, CreateQueue reference) */
export const MAX_SOURCE_QUEUE_ARNS = 10;
/** KmsDataKeyReusePeriodSeconds "Default: 300 (5 minutes)". */
export const DEFAULT_KMS_DATA_KEY_REUSE_PERIOD = '300';

/**
 * What GetQueueAttributes(All) shows for a new queue besides the computed attributes. A
 * standard queue recorded against AWS (localstack test_create_and_update_queue_attributes,
 * 2023): DelaySeconds, MaximumMessageSize, MessageRetentionPeriod 345600,
 * ReceiveMessageWaitTimeSeconds 0, SqsManagedSseEnabled "true" (SSE-SQS is on by default),
 * VisibilityTimeout 30; a FIFO queue (test_fifo_set_content_based_deduplication_strategy)
 * adds ContentBasedDeduplication "false", DeduplicationScope "queue", FifoQueue "true",
 * FifoThroughputLimit "perQueue". Policy, RedrivePolicy, RedriveAllowPolicy and the KMS
 * attributes appear only once set. MaximumMessageSize is the 2025 default.
 */
export function defaultQueueAttributes(fifo: boolean): Record<string, string> {
  const base: Record<string, string> = {
    DelaySeconds: '0',
    MaximumMessageSize: String(MAX_MESSAGE_SIZE),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
    VisibilityTimeout: '30',
  };
  if (!fifo) return base;
  return { ...base, ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoQueue: 'true', FifoThroughputLimit: 'perQueue' };
}

// ── Queue names ───────────────────────────────────────────────────────────────────────────

/** Live SQS, standard queue name (boto/botocore#3058): no final period. */
export const STANDARD_QUEUE_NAME_MESSAGE = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
/** Live SQS, FIFO queue name (pulumi/pulumi-aws-native#794, mapbox/cloudfriend#94). */
export const FIFO_QUEUE_NAME_MESSAGE =
  'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.';

/** True when CreateQueue's attributes ask for a FIFO queue (`FifoQueue` is "true", any case). */
export function requestsFifo(attributes: Record<string, string> | null | undefined): boolean {
  const value = attributes?.FifoQueue;
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/**
 * CreateQueue's name rules: "A queue name can have up to 80 characters. Valid values:
 * alphanumeric characters, hyphens (-), and underscores (_). A FIFO queue name must end with
 * the .fifo suffix." The suffix counts toward the 80 (Developer Guide, FIFO queues). A
 * `.fifo` name without FifoQueue=true is a standard queue name and so invalid (botocore#3058).
 * Throws InvalidParameterValue.
 */
export function validateQueueName(name: string, fifo = false): void {
  if (fifo) {
    if (name.length > 80 || !/^[A-Za-z0-9_-]+\.fifo$/.test(name)) throw sqsErrors.invalidParameterValue(FIFO_QUEUE_NAME_MESSAGE);
    return;
  }
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw sqsErrors.invalidParameterValue(STANDARD_QUEUE_NAME_MESSAGE);
}

// ── Parsing CreateQueue / SetQueueAttributes attributes ──────────────────────────────────

export interface ParseQueueAttributesOptions {
  /** Whether the queue is (or, for create, will be — see `requestsFifo`) a FIFO queue. */
  fifo: boolean;
  mode: 'create' | 'set';
  /** The stored attributes, for `set`: cross-attribute rules look at the resulting queue. */
  existing?: Record<string, string>;
}

/**
 * Validates the attributes of CreateQueue or SetQueueAttributes and returns them normalized
 * (integers re-rendered, booleans lower-case, RedrivePolicy/RedriveAllowPolicy re-serialized
 * as SQS shows them). In `set` mode an empty value ('') for Policy, RedrivePolicy,
 * RedriveAllowPolicy or KmsMasterKeyId means "remove it" and is kept as ''; in `create` mode
 * those empties are dropped. Apply the result with `applyQueueAttributes`.
 *
 * Errors follow SQS's two families: "Invalid value for the parameter X[. Reason: …]" is
 * InvalidAttributeValue, "Value v for parameter X is invalid. Reason: …" is
 * InvalidParameterValue (both families recorded, see the rules below).
 */
export function parseQueueAttributes(raw: Record<string, string> | null | undefined, options: ParseQueueAttributesOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  const { fifo, mode } = options;
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    checkAttributeName(name, fifo);
    const normalized = normalizeAttribute(name, value, mode);
    if (normalized === undefined) continue;
    if (normalized === '' && mode === 'create') continue;
    out[name] = normalized;
  }
  checkCombination(out, options);
  return out;
}

function checkAttributeName(name: string, fifo: boolean): void {
  if ((STANDARD_QUEUE_ATTRIBUTES as readonly string[]).includes(name)) return;
  if (!(FIFO_ONLY_QUEUE_ATTRIBUTES as readonly string[]).includes(name)) throw sqsErrors.unknownAttribute(name);
  if (fifo) return;
  // A standard queue: recorded — SetQueueAttributes FifoQueue=true on a standard queue is
  // InvalidAttributeName "Unknown Attribute FifoQueue." (localstack test_set_unsupported_attribute_fifo);
  // localstack (snapshot-tested) treats ContentBasedDeduplication the same and words the
  // high-throughput pair "You can specify the X only when FifoQueue is set to true.".
  if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
    throw sqsErrors.invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
  }
  throw sqsErrors.unknownAttribute(name);
}

const BOOLEAN_ATTRIBUTES = new Set(['ContentBasedDeduplication', 'SqsManagedSseEnabled']);

function normalizeAttribute(name: string, value: string, mode: 'create' | 'set'): string | undefined {
  const range = QUEUE_ATTRIBUTE_RANGES[name];
  if (range) return normalizeInteger(name, value, range.min, range.max);
  if (BOOLEAN_ATTRIBUTES.has(name)) return normalizeBoolean(name, value);
  switch (name) {
    case 'FifoQueue': {
      // Only reached on a FIFO queue. Recorded: SetQueueAttributes FifoQueue=true on a FIFO
      // queue succeeds, FifoQueue=false is InvalidAttributeValue "Invalid value for the
      // parameter FifoQueue. Reason: Modifying queue type is not supported." (localstack
      // test_set_unsupported_attribute_fifo).
      if (typeof value === 'string' && value.toLowerCase() === 'true') return mode === 'set' ? undefined : 'true';
      throw sqsErrors.invalidAttributeValueFor('FifoQueue', 'Modifying queue type is not supported.');
    }
    case 'DeduplicationScope':
      if (value === 'messageGroup' || value === 'queue') return value;
      throw sqsErrors.invalidAttributeValueFor(name);
    case 'FifoThroughputLimit':
      if (value === 'perQueue' || value === 'perMessageGroupId') return value;
      throw sqsErrors.invalidAttributeValueFor(name);
    case 'Policy':
      return normalizePolicy(value);
    case 'RedrivePolicy':
      return normalizeRedrivePolicy(value);
    case 'RedriveAllowPolicy':
      return normalizeRedriveAllowPolicy(value);
    case 'KmsMasterKeyId':
      if (typeof value !== 'string') throw sqsErrors.invalidAttributeValueFor(name);
      return value;
  }
  throw sqsErrors.unknownAttribute(name);
}

/**
 * Integers: decimal digits with an optional minus sign, nothing else — " 6", "544.43", ""
 * and "true" are all "Invalid value for the parameter X." (InvalidAttributeValue; live SQS
 * for DelaySeconds 901 in ballerinax/aws.sqs tests; the non-numeric cases as
 * Inqnuam/local-aws-sqs records them). Stored re-rendered ("007" → "7").
 */
function normalizeInteger(name: string, value: string, min: number, max: number): string {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw sqsErrors.invalidAttributeValueFor(name);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw sqsErrors.invalidAttributeValueFor(name);
  return String(n);
}

/** "true"/"false" in any case, stored lower-case (SQS returns "true"/"false": localstack#10324
 * aligned "True" → "true" with AWS). */
function normalizeBoolean(name: string, value: string): string {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower;
  }
  throw sqsErrors.invalidAttributeValueFor(name);
}

/** "A valid AWS policy": here, a JSON object; kept verbatim (GetQueueAttributes returns the
 * document as it was set — ballerinax/aws.sqs testCreateQueueWithPolicy against live SQS).
 * '' removes the policy. The error wording is Inqnuam/local-aws-sqs's. */
function normalizePolicy(value: string): string {
  if (value === '') return '';
  if (typeof value !== 'string' || !isJsonObject(value)) throw sqsErrors.invalidAttributeValueFor('Policy');
  return value;
}

// RedrivePolicy — "The string that includes the parameters for the dead-letter queue
// functionality of the source queue as a JSON object": deadLetterTargetArn, maxReceiveCount.

/** Recorded InvalidAttributeValue for a value that is not a JSON object (live, via terraform:
 * "InvalidAttributeValue: Invalid value for the parameter RedrivePolicy. Reason: Redrive policy
 * is not a valid JSON map."). */
export const REDRIVE_POLICY_NOT_A_MAP = 'Redrive policy is not a valid JSON map.';
/** Reasons the engine gives once it looks the target up (live: "Dead letter target does not
 * exist" as elasticmq/goaws/… record it; "Dead-letter queue must be same type of queue as the
 * source." seen live via terraform, 2024). Use with `sqsErrors.parameterValueInvalid(raw,
 * 'RedrivePolicy', reason)`. */
export const DEAD_LETTER_TARGET_DOES_NOT_EXIST = 'Dead letter target does not exist.';
export const DEAD_LETTER_TARGET_WRONG_TYPE = 'Dead-letter queue must be same type of queue as the source.';

function normalizeRedrivePolicy(value: string): string {
  if (value === '') return '';
  const policy = typeof value === 'string' ? parseJsonObject(value) : undefined;
  if (!policy) throw sqsErrors.invalidAttributeValueFor('RedrivePolicy', REDRIVE_POLICY_NOT_A_MAP);
  const invalid = (reason: string) => sqsErrors.parameterValueInvalid(value, 'RedrivePolicy', reason);
  // Recorded order: `{}` and `{"MaxReceiveCount":…,"DeadLetterTargetArn":…}` both report
  // maxReceiveCount first (ansible-collections/community.aws#2321, 2025; rubyonjets/jets#101).
  if (!('maxReceiveCount' in policy)) throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (!('deadLetterTargetArn' in policy)) throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  // maxReceiveCount may be a number or a numeric string (the API reference's own examples use
  // "maxReceiveCount": "5"). Wording: localstack and Inqnuam/local-aws-sqs agree.
  const count = parseMaxReceiveCount(policy.maxReceiveCount);
  if (count === undefined) {
    throw invalid(
      `Invalid value for maxReceiveCount: ${renderJsonScalar(policy.maxReceiveCount)}, valid values are from ${MAX_RECEIVE_COUNT_RANGE.min} to ${MAX_RECEIVE_COUNT_RANGE.max} both inclusive.`,
    );
  }
  // Recorded: {"deadLetterTargetArn": "dummy", ...} → "Reason: Invalid value for
  // deadLetterTargetArn." (localstack test_invalid_dead_letter_arn_rejected_before_lookup).
  const target = policy.deadLetterTargetArn;
  if (typeof target !== 'string' || !isSqsQueueArn(target)) throw invalid('Invalid value for deadLetterTargetArn.');
  // Inqnuam/local-aws-sqs's wording; no live capture found.
  const extra = Object.keys(policy).filter((k) => k !== 'maxReceiveCount' && k !== 'deadLetterTargetArn');
  if (extra.length > 0) throw invalid('Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].');
  // Shown as SQS shows it: target first, count as a number.
  return JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: count });
}

function parseMaxReceiveCount(raw: unknown): number | undefined {
  let n: number | undefined;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) n = Number(raw.trim());
  if (n === undefined || !Number.isInteger(n) || n < MAX_RECEIVE_COUNT_RANGE.min || n > MAX_RECEIVE_COUNT_RANGE.max) return undefined;
  return n;
}

/** arn:<partition>:sqs:<region>:<12-digit account>:<queue name>. */
export function isSqsQueueArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(arn);
}

// RedriveAllowPolicy — redrivePermission allowAll | denyAll | byQueue; sourceQueueArns (1–10)
// only with byQueue (CreateQueue API reference). The wordings are Inqnuam/local-aws-sqs's,
// whose tests mirror AWS's answers; no independent live capture was found.
const REDRIVE_ALLOW_UNSUPPORTED_FORMAT = "Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.";

function normalizeRedriveAllowPolicy(value: string): string {
  if (value === '') return '';
  const policy = typeof value === 'string' ? parseJsonObject(value) : undefined;
  const unsupported = () => sqsErrors.invalidAttributeValueFor('RedriveAllowPolicy', REDRIVE_ALLOW_UNSUPPORTED_FORMAT);
  if (!policy) throw unsupported();
  const permission = policy.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') throw unsupported();
  if (Object.keys(policy).some((k) => k !== 'redrivePermission' && k !== 'sourceQueueArns')) throw unsupported();
  const sources = policy.sourceQueueArns;
  if (sources !== undefined && (!Array.isArray(sources) || sources.some((s) => typeof s !== 'string'))) throw unsupported();
  const invalid = (reason: string) => sqsErrors.parameterValueInvalid(value, 'RedriveAllowPolicy', `Amazon SQS can't create the redrive allow policy. ${reason}`);
  const arns = sources as string[] | undefined;
  if (permission !== 'byQueue') {
    if (arns && arns.length > 0) throw invalid('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
    return JSON.stringify({ redrivePermission: permission });
  }
  if (!arns || arns.length === 0) throw invalid('When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  if (arns.length > MAX_SOURCE_QUEUE_ARNS) throw invalid(`The maximum number of source queue ARNs you can specify is ${MAX_SOURCE_QUEUE_ARNS}.`);
  return JSON.stringify({ redrivePermission: permission, sourceQueueArns: arns });
}

/** Rules that look at more than one attribute. */
function checkCombination(changes: Record<string, string>, options: ParseQueueAttributesOptions): void {
  // Recorded: KMS and SQS-managed SSE together is InvalidAttributeName "You can use one type of
  // server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE."
  // (localstack test_sse_kms_and_sqs_are_mutually_exclusive).
  if (changes.KmsMasterKeyId && changes.SqsManagedSseEnabled === 'true') {
    throw sqsErrors.invalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  // "The perMessageGroupId value is allowed only when the value for DeduplicationScope is
  // messageGroup." (CreateQueue API reference). No live wording found: the attribute-value
  // family's plain form is used.
  if (options.fifo && ('FifoThroughputLimit' in changes || 'DeduplicationScope' in changes)) {
    const base = options.mode === 'set' ? (options.existing ?? defaultQueueAttributes(true)) : defaultQueueAttributes(true);
    const limit = changes.FifoThroughputLimit ?? base.FifoThroughputLimit ?? 'perQueue';
    const scope = changes.DeduplicationScope ?? base.DeduplicationScope ?? 'queue';
    if (limit === 'perMessageGroupId' && scope !== 'messageGroup') throw sqsErrors.invalidAttributeValueFor('FifoThroughputLimit');
  }
}

/**
 * The queue's attributes after a change set from `parseQueueAttributes`: '' removes an
 * attribute; KMS and SQS-managed SSE exclude each other ("Only one server-side encryption
 * option is supported per queue"), so setting a KMS key turns SqsManagedSseEnabled "false"
 * and shows KmsDataKeyReusePeriodSeconds (default 300) — as recorded for a KMS queue
 * (localstack test_sse_queue_attributes: KmsMasterKeyId, KmsDataKeyReusePeriodSeconds,
 * SqsManagedSseEnabled "false") — and turning SqsManagedSseEnabled on drops the KMS key.
 */
export function applyQueueAttributes(stored: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const next: Record<string, string> = { ...stored };
  for (const name of Object.keys(changes)) {
    if (changes[name] === '') delete next[name];
    else next[name] = changes[name];
  }
  if (changes.KmsMasterKeyId) {
    next.SqsManagedSseEnabled = 'false';
    if (next.KmsDataKeyReusePeriodSeconds === undefined) next.KmsDataKeyReusePeriodSeconds = DEFAULT_KMS_DATA_KEY_REUSE_PERIOD;
  } else if (changes.KmsMasterKeyId === '') {
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  if (changes.SqsManagedSseEnabled === 'true') {
    delete next.KmsMasterKeyId;
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  return next;
}

/** A new queue's stored attributes: the defaults with CreateQueue's (parsed) attributes applied. */
export function initialQueueAttributes(parsed: Record<string, string>, fifo: boolean): Record<string, string> {
  return applyQueueAttributes(defaultQueueAttributes(fifo), parsed);
}

/**
 * CreateQueue on an existing name: "If you specify the name of an existing queue and provide
 * the exact same names and values for all its attributes, CreateQueue returns the URL of the
 * existing queue"; different values are QueueNameExists (CreateQueue API reference). As SQS
 * (and localstack, snapshot-tested) does it, the attributes the request names are compared
 * with the queue's current ones; the first that differs is returned, for the error message.
 * `requested` is `parseQueueAttributes(..., { mode: 'create' })` output.
 */
export function conflictingAttribute(existing: Record<string, string>, requested: Record<string, string>): string | undefined {
  for (const name of Object.keys(requested)) {
    if (existing[name] !== requested[name]) return name;
  }
  return undefined;
}

/**
 * GetQueueAttributes: the attributes to answer with. "All" returns everything;
 * no names returns nothing ("if you don't specify values for this parameter, the request
 * returns empty results"); a name SQS does not know is InvalidAttributeName "Unknown Attribute
 * X." — and so are the FIFO-only names on a standard queue (ballerinax/aws.sqs saw "Unknown
 * Attribute FifoQueue." from live SQS). Names the queue has no value for are left out.
 * `attributes` must already include the computed ones.
 */
export function selectQueueAttributes(attributes: Record<string, string>, requested: readonly string[] | undefined, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (!requested || requested.length === 0) return out;
  for (const name of requested) {
    if (name === 'All') continue;
    if (!(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name)) throw sqsErrors.unknownAttribute(name);
    if (!fifo && (FIFO_ONLY_QUEUE_ATTRIBUTES as readonly string[]).includes(name)) throw sqsErrors.unknownAttribute(name);
  }
  const names = requested.includes('All') ? Object.keys(attributes) : requested;
  for (const name of names) {
    if (attributes[name] !== undefined) out[name] = attributes[name];
  }
  return out;
}

// ── Typed view for the engine ────────────────────────────────────────────────────────────

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

export interface QueueConfig {
  delaySeconds: number;
  maximumMessageSize: number;
  retentionSeconds: number;
  receiveWaitSeconds: number;
  visibilityTimeout: number;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  deduplicationScope: 'queue' | 'messageGroup';
  fifoThroughputLimit: 'perQueue' | 'perMessageGroupId';
  sqsManagedSseEnabled: boolean;
  kmsMasterKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
  redrive?: RedrivePolicy;
  redriveAllow?: RedriveAllowPolicy;
}

/** The numbers and flags the engine runs on, from the stored map (defaults fill gaps). */
export function queueConfig(attrs: Record<string, string>): QueueConfig {
  const fifo = attrs.FifoQueue === 'true';
  const defaults = defaultQueueAttributes(fifo);
  const int = (name: string): number => {
    const n = Number(attrs[name] ?? defaults[name]);
    return Number.isFinite(n) ? n : Number(defaults[name]);
  };
  const config: QueueConfig = {
    delaySeconds: int('DelaySeconds'),
    maximumMessageSize: int('MaximumMessageSize'),
    retentionSeconds: int('MessageRetentionPeriod'),
    receiveWaitSeconds: int('ReceiveMessageWaitTimeSeconds'),
    visibilityTimeout: int('VisibilityTimeout'),
    fifo,
    contentBasedDeduplication: attrs.ContentBasedDeduplication === 'true',
    deduplicationScope: attrs.DeduplicationScope === 'messageGroup' ? 'messageGroup' : 'queue',
    fifoThroughputLimit: attrs.FifoThroughputLimit === 'perMessageGroupId' ? 'perMessageGroupId' : 'perQueue',
    sqsManagedSseEnabled: (attrs.SqsManagedSseEnabled ?? defaults.SqsManagedSseEnabled) === 'true',
  };
  if (attrs.KmsMasterKeyId) config.kmsMasterKeyId = attrs.KmsMasterKeyId;
  if (attrs.KmsDataKeyReusePeriodSeconds !== undefined) config.kmsDataKeyReusePeriodSeconds = Number(attrs.KmsDataKeyReusePeriodSeconds);
  const redrive = attrs.RedrivePolicy ? parseJsonObject(attrs.RedrivePolicy) : undefined;
  if (redrive && typeof redrive.deadLetterTargetArn === 'string') {
    const count = parseMaxReceiveCount(redrive.maxReceiveCount);
    if (count !== undefined) config.redrive = { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: count };
  }
  const allow = attrs.RedriveAllowPolicy ? parseJsonObject(attrs.RedriveAllowPolicy) : undefined;
  if (allow && (allow.redrivePermission === 'allowAll' || allow.redrivePermission === 'denyAll' || allow.redrivePermission === 'byQueue')) {
    config.redriveAllow = { redrivePermission: allow.redrivePermission };
    if (Array.isArray(allow.sourceQueueArns)) config.redriveAllow.sourceQueueArns = allow.sourceQueueArns.filter((s): s is string => typeof s === 'string');
  }
  return config;
}

/**
 * Whether `sourceArn` may name the queue with this RedriveAllowPolicy as its dead-letter
 * queue: allowAll (the default, "Any source queues in this AWS account in the same Region"),
 * denyAll, or byQueue listing it.
 */
export function redriveAllowed(allow: RedriveAllowPolicy | undefined, sourceArn: string): boolean {
  if (!allow || allow.redrivePermission === 'allowAll') return true;
  if (allow.redrivePermission === 'denyAll') return false;
  return (allow.sourceQueueArns ?? []).includes(sourceArn);
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return undefined;
}

function isJsonObject(text: string): boolean {
  return parseJsonObject(text) !== undefined;
}

function renderJsonScalar(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}
