import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../delivery/index.js';
import { parseJsonObject } from '../../core/json-object.js';

/**
 * Delivery policies: the HTTP/S retry policy a topic or subscription may set (`DeliveryPolicy`),
 * what GetTopicAttributes shows of it (`EffectiveDeliveryPolicy`), and the retry policies of the
 * delivery machine that SNS's deliveries run under.
 *
 * AWS's defaults for HTTP/S ("Amazon SNS message delivery retries", Developer Guide): 3 retries,
 * 20 s apart (minDelayTarget = maxDelayTarget = 20), linear backoff; the request's content type
 * `text/plain; charset=UTF-8` unless `defaultRequestPolicy.headerContentType` says otherwise.
 * The key order is AWS's, as GetTopicAttributes returns them (recorded: test_topic_delivery_policy_crud).
 */
const DEFAULT_HEALTHY_RETRY_POLICY = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

type Json = Record<string, unknown>;

/**
 * A DeliveryPolicy as SNS stores it: members set to null are dropped, and the `http` section
 * always carries `disableSubscriptionOverrides` (false unless set). Returns undefined for an
 * empty value (the attribute is removed). Throws the given error for text that is not a JSON object.
 */
export function normalizeDeliveryPolicy(text: string, invalid: () => Error): Json | undefined {
  if (text === '') return undefined;
  const policy = parseJsonObject(text);
  if (!policy) throw invalid();
  const out: Json = {};
  for (const [protocol, section] of Object.entries(policy)) {
    if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
    const s = section as Json;
    const ordered: Json = {};
    for (const key of ['defaultHealthyRetryPolicy', 'sicklyRetryPolicy', 'throttlePolicy', 'healthyRetryPolicy']) {
      if (s[key] !== undefined && s[key] !== null) ordered[key] = s[key];
    }
    if (protocol === 'http') ordered.disableSubscriptionOverrides = s.disableSubscriptionOverrides ?? false;
    else if (s.disableSubscriptionOverrides !== undefined && s.disableSubscriptionOverrides !== null) ordered.disableSubscriptionOverrides = s.disableSubscriptionOverrides;
    if (s.defaultRequestPolicy !== undefined && s.defaultRequestPolicy !== null) ordered.defaultRequestPolicy = s.defaultRequestPolicy;
    if (s.requestPolicy !== undefined && s.requestPolicy !== null) ordered.requestPolicy = s.requestPolicy;
    out[protocol] = ordered;
  }
  return out;
}

/** The http section of EffectiveDeliveryPolicy: AWS's defaults overlaid with what the topic's DeliveryPolicy sets. */
export function effectiveDeliveryPolicy(policy: Json | undefined): Json {
  const http = (policy?.http ?? {}) as Json;
  const healthy = { ...DEFAULT_HEALTHY_RETRY_POLICY, ...((http.defaultHealthyRetryPolicy as Json | undefined) ?? {}) };
  const effective: Json = { defaultHealthyRetryPolicy: healthy };
  if (http.throttlePolicy !== undefined) effective.throttlePolicy = http.throttlePolicy;
  effective.disableSubscriptionOverrides = http.disableSubscriptionOverrides ?? false;
  effective.defaultRequestPolicy = http.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE };
  return { http: effective };
}

/** A healthyRetryPolicy's members in the order SNS writes them, as given (recorded: a subscription's policy comes back reordered). */
function orderedRetryPolicy(policy: unknown): unknown {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return policy ?? null;
  const given = policy as Json;
  const out: Json = {};
  for (const key of Object.keys(DEFAULT_HEALTHY_RETRY_POLICY)) if (given[key] !== undefined) out[key] = given[key];
  for (const [key, value] of Object.entries(given)) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * A subscription's DeliveryPolicy as SNS stores and answers it: every section in AWS's order, the
 * ones not given null, `guaranteed` false unless given (recorded:
 * test_subscribe_external_http_endpoint_content_type; a policy set again replaces the whole of it).
 */
export function normalizeSubscriptionDeliveryPolicy(policy: Json): Json {
  return {
    healthyRetryPolicy: orderedRetryPolicy(policy.healthyRetryPolicy),
    sicklyRetryPolicy: policy.sicklyRetryPolicy ?? null,
    throttlePolicy: policy.throttlePolicy ?? null,
    requestPolicy: policy.requestPolicy ?? null,
    guaranteed: policy.guaranteed ?? false,
  };
}

/**
 * An HTTP/S subscription's EffectiveDeliveryPolicy: each section of its own policy, else the
 * topic's effective http policy (its default retry and request policies, AWS's defaults under
 * them); a retry policy given in part is completed with AWS's defaults (recorded:
 * test_subscribe_external_http_endpoint_content_type, with a policy of the subscription's own and
 * with the topic's content type).
 */
export function subscriptionEffectiveDeliveryPolicy(own: Json | undefined, topicPolicy: Json | undefined): Json {
  const topic = effectiveDeliveryPolicy(topicPolicy).http as Json;
  const policy = normalizeSubscriptionDeliveryPolicy(own ?? {});
  const healthy = policy.healthyRetryPolicy as Json | null;
  return {
    healthyRetryPolicy: healthy ? { ...DEFAULT_HEALTHY_RETRY_POLICY, ...healthy } : topic.defaultHealthyRetryPolicy,
    sicklyRetryPolicy: policy.sicklyRetryPolicy ?? topic.sicklyRetryPolicy ?? null,
    throttlePolicy: policy.throttlePolicy ?? topic.throttlePolicy ?? null,
    requestPolicy: policy.requestPolicy ?? topic.defaultRequestPolicy,
    guaranteed: policy.guaranteed,
  };
}

/**
 * SQS and Lambda subscriptions (AWS-managed endpoints): "Amazon SNS message delivery retries"
 * (Developer Guide, delivery protocols and policies) documents 100,015 attempts over 23 days —
 * 3 immediate retries, 2 retries 1 s apart, 10 with backoff from 1 s to 20 s, and 100,000
 * retries 20 s apart. Stratus keeps the attempt count and the age window; its delay grows from
 * 1 s to a 20 s cap, which reaches AWS's 20-second spacing after the first few retries.
 */
export const MANAGED_ENDPOINT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 100_015,
  maxAgeMs: 23 * 24 * 60 * 60 * 1000,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  multiplier: 2,
  jitter: 'equal',
});

/**
 * Customer-managed endpoints other than HTTP/S — email (SMTP), SMS, mobile push — the same page:
 * 50 attempts over more than 6 hours (2 retries 10 s apart, 10 backing off from 10 s to 600 s,
 * 38 more 600 s apart). Stratus never sends to them; the policy is what their jobs would run under.
 */
export const CUSTOMER_ENDPOINT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 50,
  maxAgeMs: 7 * 60 * 60 * 1000,
  baseDelayMs: 10_000,
  maxDelayMs: 600_000,
  multiplier: 2,
  jitter: 'equal',
});

/**
 * HTTP/S: AWS's default is 3 retries 20 s apart, linear (the same page); a subscription's or
 * topic's DeliveryPolicy changes the numbers (the HTTP engine reads them from the effective policy).
 */
export function httpRetryPolicy(healthy: Partial<typeof DEFAULT_HEALTHY_RETRY_POLICY> = {}): RetryPolicy {
  const numRetries = typeof healthy.numRetries === 'number' ? healthy.numRetries : DEFAULT_HEALTHY_RETRY_POLICY.numRetries;
  const minDelay = typeof healthy.minDelayTarget === 'number' ? healthy.minDelayTarget : DEFAULT_HEALTHY_RETRY_POLICY.minDelayTarget;
  const maxDelay = typeof healthy.maxDelayTarget === 'number' ? healthy.maxDelayTarget : DEFAULT_HEALTHY_RETRY_POLICY.maxDelayTarget;
  return {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: numRetries + 1,
    maxAgeMs: 60 * 60 * 1000,
    baseDelayMs: minDelay * 1000,
    maxDelayMs: Math.max(minDelay, maxDelay) * 1000,
    multiplier: healthy.backoffFunction === 'exponential' ? 2 : 1,
    jitter: 'none',
  };
}
