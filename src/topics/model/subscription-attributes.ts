import { parseJsonObject } from '../../core/json-object.js';
import { parseArn } from '../../invoke/index.js';
import { parseReplayPolicy } from './archive-replay.js';
import { snsJsonSyntaxFault } from '../../patterns/index.js';
import { normalizeSubscriptionDeliveryPolicy } from './delivery-policy.js';
import { supportsRawDelivery, type Protocol } from './endpoints.js';
import { snsErrors } from './errors.js';

/**
 * Subscription attributes: the names Subscribe and SetSubscriptionAttributes take (API Reference,
 * SetSubscriptionAttributes), their values, and what GetSubscriptionAttributes answers.
 */
export const SUBSCRIPTION_ATTRIBUTES: ReadonlySet<string> = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

/** What a subscription's attributes are checked against. */
export interface SubscriptionContext {
  protocol: Protocol;
  endpoint: string;
  topicArn: string;
  fifoTopic: boolean;
  /** The topic keeps an archive (ArchivePolicy): what a ReplayPolicy replays from. */
  archives?: boolean;
}

/**
 * How a refusal is worded: at Subscribe "Invalid parameter: Attributes Reason: <what>", at
 * SetSubscriptionAttributes "Invalid parameter: <what>" (recorded for RawMessageDelivery both ways).
 */
export type Wording = (what: string) => Error;
export const atSubscribe: Wording = (what) => snsErrors.invalidReason('Attributes', what);
export const atSetAttributes: Wording = (what) => snsErrors.invalid(what);

/**
 * Checks one attribute (all but FilterPolicy, whose language lives in src/patterns) and returns
 * its value as stored: RawMessageDelivery lower-cased, DeliveryPolicy normalized, '' where an
 * empty value removes the attribute.
 */
export function checkSubscriptionAttribute(name: string, value: string, sub: SubscriptionContext, fail: Wording): string {
  switch (name) {
    case 'RawMessageDelivery': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw fail(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      // AWS refuses it on protocols without raw delivery ("Invalid parameter: Delivery protocol
      // [lambda] does not support raw message delivery.", aws-controllers-k8s/community#2192).
      if (lower === 'true' && !supportsRawDelivery(sub.protocol)) throw snsErrors.invalid(`Delivery protocol [${sub.protocol}] does not support raw message delivery.`);
      return lower;
    }
    case 'RedrivePolicy':
      return checkRedrivePolicy(value, sub, fail);
    case 'DeliveryPolicy': {
      if (sub.protocol !== 'http' && sub.protocol !== 'https' && value !== '') {
        // "With the exception of HTTP/S, you can't change Amazon SNS-defined delivery policies"
        // (Developer Guide, "Amazon SNS message delivery retries").
        throw fail(`DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions`);
      }
      // A subscription's policy is one protocol's section itself: healthyRetryPolicy,
      // throttlePolicy, requestPolicy (Developer Guide, "Creating an HTTP/S delivery policy").
      const normalized = normalizeSubscriptionDeliveryPolicy(value, (reason) => fail(`DeliveryPolicy: ${reason}`));
      return normalized === undefined ? '' : JSON.stringify(normalized);
    }
    case 'SubscriptionRoleArn': {
      const arn = parseArn(value);
      if (value !== '' && (!arn || arn.service !== 'iam')) throw fail('SubscriptionRoleArn: Invalid role arn');
      return value;
    }
    case 'ReplayPolicy':
      // Replay needs a FIFO topic with an ArchivePolicy (Developer Guide, "Amazon SNS message archiving and replay").
      if (!sub.fifoTopic) throw fail('ReplayPolicy: Replay is only supported for FIFO topics');
      if (value === '') return value;
      parseReplayPolicy(value, fail);
      if (sub.archives !== true) throw fail('ReplayPolicy: Replay is only supported for topics with an ArchivePolicy');
      return value;
    default:
      return value;
  }
}

/**
 * A RedrivePolicy: `{"deadLetterTargetArn": "<an SQS queue ARN>"}` (Developer Guide, "Amazon SNS
 * dead-letter queues"). Recorded refusals: "RedrivePolicy: deadLetterTargetArn is an invalid arn";
 * "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.". An empty
 * value removes the policy.
 */
function checkRedrivePolicy(value: string, sub: SubscriptionContext, fail: Wording): string {
  if (value === '') return '';
  // Text that is not JSON: Jackson's message, as for a FilterPolicy (recorded: test_validate_set_sub_attributes).
  const syntax = snsJsonSyntaxFault(value);
  if (syntax !== undefined) throw fail(`RedrivePolicy: failed to parse JSON. ${syntax}`);
  const policy = parseJsonObject(value);
  if (!policy) throw fail('RedrivePolicy: failed to parse JSON.');
  const target = typeof policy.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : '';
  const arn = parseArn(target);
  if (!arn || target.split(':').length < 6) throw fail('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  if (sub.fifoTopic && sub.endpoint.endsWith('.fifo') && (arn.service !== 'sqs' || !arn.resource.endsWith('.fifo'))) {
    throw fail('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
  }
  return value;
}

/** The dead-letter queue a RedrivePolicy names, if any. */
export function deadLetterTargetOf(attributes: Readonly<Record<string, string>>): string | undefined {
  const policy = attributes.RedrivePolicy === undefined ? undefined : parseJsonObject(attributes.RedrivePolicy);
  return typeof policy?.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : undefined;
}

/**
 * Subscribe again with the same endpoint answers the existing subscription, unless an attribute
 * it gives has another value there: "Invalid parameter: Attributes Reason: Subscription already
 * exists with different attributes" (recorded). Attributes not given are not compared.
 */
export function sameSubscriptionAttributes(existing: Readonly<Record<string, string>>, given: Readonly<Record<string, string>>): boolean {
  for (const [name, value] of Object.entries(given)) {
    const current = existing[name] ?? (name === 'RawMessageDelivery' ? 'false' : name === 'FilterPolicyScope' ? 'MessageAttributes' : '');
    if (current !== value) return false;
  }
  return true;
}

/** GetSubscriptionAttributes' map, by name (recorded answers for sqs, lambda, sms and http subscriptions). */
export function subscriptionAttributesView(sub: {
  arn: string;
  topicArn: string;
  owner: string;
  principal: string;
  protocol: string;
  endpoint: string;
  pending: boolean;
  attributes: Readonly<Record<string, string>>;
  effectiveDeliveryPolicy?: string;
  /** ReplayStatus, for a subscription that asked for a replay. */
  replayStatus?: string;
}): Record<string, string> {
  const a = sub.attributes;
  const view: Record<string, string> = {
    ConfirmationWasAuthenticated: sub.pending ? 'false' : 'true',
    Endpoint: sub.endpoint,
    Owner: sub.owner,
    PendingConfirmation: sub.pending ? 'true' : 'false',
    Protocol: sub.protocol,
    RawMessageDelivery: a.RawMessageDelivery ?? 'false',
    SubscriptionArn: sub.arn,
    // The IAM principal that subscribed (recorded: an IAM user's ARN on AWS; Stratus's callers are accounts).
    SubscriptionPrincipal: sub.principal,
    TopicArn: sub.topicArn,
  };
  // The scope is shown only alongside a filter policy (recorded: a scope set alone does not appear).
  if (a.FilterPolicy !== undefined) {
    view.FilterPolicy = a.FilterPolicy;
    view.FilterPolicyScope = a.FilterPolicyScope ?? 'MessageAttributes';
  }
  for (const name of ['DeliveryPolicy', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']) if (a[name] !== undefined) view[name] = a[name];
  if (sub.effectiveDeliveryPolicy !== undefined) view.EffectiveDeliveryPolicy = sub.effectiveDeliveryPolicy;
  if (sub.replayStatus !== undefined) view.ReplayStatus = sub.replayStatus;
  return Object.fromEntries(Object.entries(view).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
