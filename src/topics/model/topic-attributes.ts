import { parseJsonObject } from '../../core/json-object.js';
import { effectiveDeliveryPolicy, normalizeDeliveryPolicy } from './delivery-policy.js';
import { snsErrors } from './errors.js';

/**
 * Topic attributes: which names CreateTopic and SetTopicAttributes take, what values each
 * accepts, and what GetTopicAttributes answers (API Reference, SetTopicAttributes and
 * GetTopicAttributes; the answers recorded against AWS in test/conformance/sns/recorded).
 *
 * A topic stores only what was set; GetTopicAttributes adds what AWS always shows (Owner,
 * Policy, DisplayName "", EffectiveDeliveryPolicy, the subscription counts, TopicArn, and for a
 * FIFO topic FifoTopic and ContentBasedDeduplication).
 */

const FEEDBACK_PROTOCOLS = ['HTTP', 'Firehose', 'Lambda', 'Application', 'SQS'];

/** Names SetTopicAttributes takes (FifoTopic only at CreateTopic: "Invalid parameter: AttributeName", recorded). */
export const SETTABLE_TOPIC_ATTRIBUTES: ReadonlySet<string> = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ArchivePolicy',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  // MaximumMessageSize: 1024 to 1,048,576 bytes, default 262,144 (API Reference, SetTopicAttributes).
  'MaximumMessageSize',
  ...FEEDBACK_PROTOCOLS.flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);

/** CreateTopic takes FifoTopic besides the settable names. */
export const CREATE_TOPIC_ATTRIBUTES: ReadonlySet<string> = new Set([...SETTABLE_TOPIC_ATTRIBUTES, 'FifoTopic']);

/** AWS's limit on a message, when the topic does not set MaximumMessageSize: 256 KiB (API Reference, Publish). */
export const DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;

/** Topic names: 1–256 letters, digits, `-` and `_`, plus `.fifo` for FIFO topics (API Reference, CreateTopic). */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Checks a CreateTopic name against its FifoTopic attribute: a FIFO topic's name ends in `.fifo`
 * and a standard topic's does not; every refusal is "Invalid parameter: Topic Name" (recorded:
 * empty, 257 characters, `test.fifo` without FifoTopic, `test` with it, `:;!@|^% `).
 */
export function checkTopicName(name: string, fifo: boolean): void {
  const base = fifo ? (name.endsWith('.fifo') ? name.slice(0, -5) : null) : name;
  if (base === null || !TOPIC_NAME.test(base) || name.length > 256) throw snsErrors.invalid('Topic Name');
}

/** Whether CreateTopic's attributes ask for a FIFO topic. */
export function asksForFifo(attributes: Record<string, string> | undefined): boolean {
  return attributes?.FifoTopic?.toLowerCase() === 'true';
}

/**
 * Checks one attribute value and returns it as stored ('' for an attribute removed where AWS
 * removes it). `where` words the message: CreateTopic reasons are prefixed "Attributes Reason:".
 */
export function checkTopicAttribute(name: string, value: string, topic: { fifo: boolean }, where: 'create' | 'set'): string {
  const fail = (reason: string): Error =>
    where === 'create' ? snsErrors.invalidReason('Attributes', reason) : snsErrors.invalid(reason);
  switch (name) {
    case 'FifoTopic':
      if (value !== 'true' && value !== 'false') throw fail(`FifoTopic: Invalid value [${value}]. Must be true or false.`);
      return value;
    case 'ContentBasedDeduplication':
      if (value !== 'true' && value !== 'false') throw fail(`ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
      if (!topic.fifo) throw fail('ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics');
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw fail(`SignatureVersion: Invalid value [${value}]. Must be 1 or 2.`);
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw fail(`TracingConfig: Invalid value [${value}]. Must be PassThrough or Active.`);
      // "This is only supported on standard topics" (API Reference, SetTopicAttributes).
      if (value === 'Active' && topic.fifo) throw fail('TracingConfig: Active tracing is not supported for FIFO topics');
      return value;
    case 'FifoThroughputScope':
      if (!topic.fifo) throw fail('FifoThroughputScope: FifoThroughputScope can only be set for FIFO topics');
      if (value !== 'Topic' && value !== 'MessageGroup') throw fail(`FifoThroughputScope: Invalid value [${value}]. Must be Topic or MessageGroup.`);
      return value;
    case 'ArchivePolicy': {
      if (!topic.fifo) throw fail('ArchivePolicy: ArchivePolicy can only be set for FIFO topics');
      if (value === '' || value === '{}') return '';
      const policy = parseJsonObject(value);
      const days = Number(policy?.MessageRetentionPeriod);
      // MessageRetentionPeriod: 1 to 365 days (Developer Guide, "Amazon SNS message archiving and replay").
      if (!policy || !Number.isInteger(days) || days < 1 || days > 365) throw fail('ArchivePolicy: MessageRetentionPeriod must be an integer between 1 and 365');
      return JSON.stringify({ MessageRetentionPeriod: String(days) });
    }
    case 'MaximumMessageSize': {
      const size = Number(value);
      if (!/^\d+$/.test(value) || size < 1024 || size > 1_048_576) throw fail(`MaximumMessageSize: Invalid value [${value}]. Must be between 1024 and 1048576.`);
      return value;
    }
    case 'Policy':
      if (!parseJsonObject(value)) throw fail('Policy: failed to parse JSON.');
      return value;
    case 'DeliveryPolicy': {
      const normalized = normalizeDeliveryPolicy(value, (reason) => fail(`DeliveryPolicy: ${reason}`));
      return normalized === undefined ? '' : JSON.stringify(normalized);
    }
    default:
      if (name.endsWith('SampleRate')) {
        const rate = Number(value);
        if (!/^\d+$/.test(value) || rate > 100) throw fail(`${name}: Invalid value [${value}]. Must be an integer between 0 and 100.`);
      }
      return value;
  }
}

/** The counts GetTopicAttributes reports, as of now. */
export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
  deleted: number;
}

/** GetTopicAttributes' map: the stored attributes and what AWS always adds, by name. */
export function topicAttributesView(
  topic: { arn: string; owner: string; fifo: boolean; attributes: Readonly<Record<string, string>> },
  counts: SubscriptionCounts,
  defaultPolicy: () => string,
  /** What the engines add (BeginningArchiveTime). */
  extra?: Record<string, string>,
): Record<string, string> {
  const a = topic.attributes;
  const view: Record<string, string> = { ...a, ...extra };
  delete view.FifoTopic;
  if (topic.fifo) {
    view.FifoTopic = 'true';
    view.ContentBasedDeduplication = a.ContentBasedDeduplication ?? 'false';
  } else delete view.ContentBasedDeduplication;
  view.DisplayName = a.DisplayName ?? '';
  const policy = a.DeliveryPolicy === undefined ? undefined : parseJsonObject(a.DeliveryPolicy);
  view.EffectiveDeliveryPolicy = JSON.stringify(effectiveDeliveryPolicy(policy));
  view.Owner = topic.owner;
  view.Policy = a.Policy ?? defaultPolicy();
  view.SubscriptionsConfirmed = String(counts.confirmed);
  view.SubscriptionsDeleted = String(counts.deleted);
  view.SubscriptionsPending = String(counts.pending);
  view.TopicArn = topic.arn;
  return Object.fromEntries(Object.entries(view).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/**
 * CreateTopic on an existing name succeeds only if every attribute it gives already has that
 * value (recorded: the same DisplayName, or FifoTopic=false on a standard topic, passes; another
 * DisplayName, or a SignatureVersion the topic never set, is "Invalid parameter: Attributes
 * Reason: Topic already exists with different attributes").
 */
export function sameTopicAttributes(existing: { fifo: boolean; attributes: Readonly<Record<string, string>> }, given: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(given)) {
    if (name === 'FifoTopic') {
      if ((value === 'true') !== existing.fifo) return false;
      continue;
    }
    const current = existing.attributes[name] ?? (name === 'ContentBasedDeduplication' && existing.fifo ? 'false' : undefined);
    if (current !== value) return false;
  }
  return true;
}
