import { parseJsonObject } from '../../core/json-object.js';
import type { RetryPolicy } from '../../delivery/index.js';
import { BACKOFF_FUNCTIONS, DEFAULT_HEALTHY_RETRY_POLICY, totalRetrySeconds, type BackoffFunction, type HealthyRetryPolicy } from './http-retry-schedule.js';

/**
 * Delivery policies: the HTTP/S retry, throttle and request policies a topic (`DeliveryPolicy`,
 * one section per protocol) or an HTTP/S subscription (`DeliveryPolicy`, that one protocol's
 * section itself) may set, checked as AWS checks them; what GetTopicAttributes and
 * GetSubscriptionAttributes show of them (`EffectiveDeliveryPolicy`); and the retry policies of the
 * delivery machine that SNS's deliveries of other protocols run under.
 *
 * AWS's defaults for HTTP/S ("Amazon SNS message delivery retries", Developer Guide): 3 retries,
 * 20 s apart, linear backoff; the request's content type `text/plain; charset=UTF-8` unless
 * `headerContentType` says otherwise.
 */

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

type Json = Record<string, unknown>;

/** Words a refusal: the reason, to go after "DeliveryPolicy: ". */
export type PolicyFailure = (reason: string) => Error;

/**
 * A topic's DeliveryPolicy as SNS stores it: members set to null are dropped, and the `http`
 * section always carries `disableSubscriptionOverrides` (false unless set); each retry, throttle
 * and request policy is checked (recorded: test_topic_delivery_policy_crud; refusals worded
 * "DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget type mismatch, expecting
 * integer, received a string", as AWS answered ansible-collections/community.aws#716). Returns
 * undefined for an empty value (the attribute is removed).
 */
export function normalizeDeliveryPolicy(text: string, fail: PolicyFailure): Json | undefined {
  if (text === '') return undefined;
  const policy = parseJsonObject(text);
  if (!policy) throw fail('failed to parse JSON.');
  const out: Json = {};
  for (const [protocol, section] of Object.entries(policy)) {
    if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
    const s = section as Json;
    const ordered: Json = {};
    for (const key of ['defaultHealthyRetryPolicy', 'sicklyRetryPolicy', 'defaultSicklyRetryPolicy', 'throttlePolicy', 'defaultThrottlePolicy', 'healthyRetryPolicy']) {
      if (s[key] === undefined || s[key] === null) continue;
      const path = `${protocol}.${key}`;
      if (key.endsWith('RetryPolicy')) checkRetryPolicy(s[key], path, fail);
      if (key.endsWith('hrottlePolicy')) checkThrottlePolicy(s[key], path, fail);
      ordered[key] = s[key];
    }
    if (s.disableSubscriptionOverrides !== undefined && s.disableSubscriptionOverrides !== null && typeof s.disableSubscriptionOverrides !== 'boolean') {
      throw fail(mismatch(`${protocol}.disableSubscriptionOverrides`, 'boolean', s.disableSubscriptionOverrides));
    }
    if (protocol === 'http') ordered.disableSubscriptionOverrides = s.disableSubscriptionOverrides ?? false;
    else if (s.disableSubscriptionOverrides !== undefined && s.disableSubscriptionOverrides !== null) ordered.disableSubscriptionOverrides = s.disableSubscriptionOverrides;
    for (const key of ['defaultRequestPolicy', 'requestPolicy']) {
      if (s[key] === undefined || s[key] === null) continue;
      checkRequestPolicy(s[key], `${protocol}.${key}`, fail);
      ordered[key] = s[key];
    }
    out[protocol] = ordered;
  }
  return out;
}

/**
 * An HTTP/S subscription's DeliveryPolicy as SNS stores and shows it: its five members in AWS's
 * order, those not given null and `guaranteed` false (recorded: test_subscribe_external_http_endpoint_content_type,
 * a policy of a requestPolicy alone reads back `{"healthyRetryPolicy":null,"sicklyRetryPolicy":null,
 * "throttlePolicy":null,"requestPolicy":{…},"guaranteed":false}`). Each member is checked
 * ("DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1", as AWS
 * answered awsdocs/amazon-sns-developer-guide#5). Undefined for an empty value.
 */
export function normalizeSubscriptionDeliveryPolicy(text: string, fail: PolicyFailure): Json | undefined {
  if (text === '') return undefined;
  const policy = parseJsonObject(text);
  if (!policy) throw fail('failed to parse JSON.');
  const given = (key: string): unknown => (policy[key] === undefined ? null : policy[key]);
  if (given('healthyRetryPolicy') !== null) checkRetryPolicy(policy.healthyRetryPolicy, 'healthyRetryPolicy', fail);
  if (given('sicklyRetryPolicy') !== null) checkRetryPolicy(policy.sicklyRetryPolicy, 'sicklyRetryPolicy', fail);
  if (given('throttlePolicy') !== null) checkThrottlePolicy(policy.throttlePolicy, 'throttlePolicy', fail);
  if (given('requestPolicy') !== null) checkRequestPolicy(policy.requestPolicy, 'requestPolicy', fail);
  if (given('guaranteed') !== null && typeof policy.guaranteed !== 'boolean') throw fail(mismatch('guaranteed', 'boolean', policy.guaranteed));
  return {
    healthyRetryPolicy: orderedRetryPolicy(given('healthyRetryPolicy')),
    sicklyRetryPolicy: given('sicklyRetryPolicy'),
    throttlePolicy: given('throttlePolicy'),
    requestPolicy: given('requestPolicy'),
    guaranteed: policy.guaranteed ?? false,
  };
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

/** The http section of a topic's EffectiveDeliveryPolicy: AWS's defaults overlaid with what the topic's DeliveryPolicy sets. */
export function effectiveDeliveryPolicy(policy: Json | undefined): Json {
  const http = (policy?.http ?? {}) as Json;
  const effective: Json = { defaultHealthyRetryPolicy: filledRetryPolicy(http.defaultHealthyRetryPolicy) };
  if (http.throttlePolicy !== undefined) effective.throttlePolicy = http.throttlePolicy;
  if (http.defaultThrottlePolicy !== undefined) effective.defaultThrottlePolicy = http.defaultThrottlePolicy;
  effective.disableSubscriptionOverrides = http.disableSubscriptionOverrides ?? false;
  effective.defaultRequestPolicy = http.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE };
  return { http: effective };
}

/**
 * What an HTTP/S subscription's deliveries follow, as GetSubscriptionAttributes shows it
 * (`EffectiveDeliveryPolicy`, recorded in test_subscribe_external_http_endpoint_content_type):
 * its own policy's members, else the topic's http defaults, else AWS's — unless the topic sets
 * `disableSubscriptionOverrides`, when the topic's apply ("Applying Delivery Policies to Topics and
 * Subscriptions", Developer Guide). The healthy retry policy is shown with every member.
 */
export function effectiveSubscriptionPolicy(subscription: string | undefined, topic: string | undefined): Json {
  const own = subscription === undefined ? undefined : parseJsonObject(subscription);
  const http = ((topic === undefined ? undefined : parseJsonObject(topic))?.http ?? {}) as Json;
  const mine = http.disableSubscriptionOverrides === true ? undefined : own;
  const pick = (key: string, topicKey: string): unknown => {
    const value = mine?.[key];
    return value !== undefined && value !== null ? value : (http[topicKey] ?? null);
  };
  return {
    healthyRetryPolicy: filledRetryPolicy(pick('healthyRetryPolicy', 'defaultHealthyRetryPolicy')),
    sicklyRetryPolicy: pick('sicklyRetryPolicy', 'defaultSicklyRetryPolicy'),
    throttlePolicy: pick('throttlePolicy', 'defaultThrottlePolicy'),
    requestPolicy: pick('requestPolicy', 'defaultRequestPolicy') ?? { headerContentType: DEFAULT_CONTENT_TYPE },
    guaranteed: mine?.guaranteed ?? false,
  };
}

/** The healthy retry policy an HTTP/S subscription's deliveries run under, every member known. */
export function healthyRetryPolicyOf(effective: Json): HealthyRetryPolicy {
  return effective.healthyRetryPolicy as HealthyRetryPolicy;
}

/** The Content-Type an HTTP/S subscription's requests carry. */
export function contentTypeOf(effective: Json): string {
  const type = (effective.requestPolicy as { headerContentType?: unknown } | null)?.headerContentType;
  return typeof type === 'string' ? type : DEFAULT_CONTENT_TYPE;
}

/** A retry policy with AWS's defaults for what it leaves out, in AWS's member order; the backoff function lower-cased. */
function filledRetryPolicy(given: unknown): HealthyRetryPolicy {
  const g = (given !== null && typeof given === 'object' ? given : {}) as Partial<Record<keyof HealthyRetryPolicy, unknown>>;
  const int = (key: Exclude<keyof HealthyRetryPolicy, 'backoffFunction'>): number =>
    typeof g[key] === 'number' ? (g[key] as number) : DEFAULT_HEALTHY_RETRY_POLICY[key];
  const min = int('minDelayTarget');
  return {
    minDelayTarget: min,
    // A policy naming only a larger minimum keeps its delays at it rather than below.
    maxDelayTarget: typeof g.maxDelayTarget === 'number' ? g.maxDelayTarget : Math.max(min, DEFAULT_HEALTHY_RETRY_POLICY.maxDelayTarget),
    numRetries: int('numRetries'),
    numMaxDelayRetries: int('numMaxDelayRetries'),
    numNoDelayRetries: int('numNoDelayRetries'),
    numMinDelayRetries: int('numMinDelayRetries'),
    backoffFunction: typeof g.backoffFunction === 'string' ? (g.backoffFunction.toLowerCase() as BackoffFunction) : DEFAULT_HEALTHY_RETRY_POLICY.backoffFunction,
  };
}

/**
 * The bounds of a retry policy (Developer Guide, "Amazon SNS message delivery retries": up to
 * 100 retries, delays of 1 to 3,600 s, the minimum not above the maximum, the phases' retries
 * within the total, and all of them together within 3,600 s; AWS CDK's HealthyRetryPolicy states
 * the same bounds). AWS's wording is recorded for two refusals, the type mismatch and "must be
 * greater than or equal to 1"; the others follow the same form.
 */
function checkRetryPolicy(value: unknown, path: string, fail: PolicyFailure): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(mismatch(path, 'object', value));
  const p = value as Json;
  const bounds: [keyof HealthyRetryPolicy, number, number][] = [
    ['minDelayTarget', 1, 3600],
    ['maxDelayTarget', 1, 3600],
    ['numRetries', 0, 100],
    ['numNoDelayRetries', 0, 100],
    ['numMinDelayRetries', 0, 100],
    ['numMaxDelayRetries', 0, 100],
  ];
  for (const [key, low, high] of bounds) {
    const v = p[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw fail(mismatch(`${path}.${key}`, 'integer', v));
    if (v < low) throw fail(`${path}.${key} must be greater than or equal to ${low}`);
    if (v > high) throw fail(`${path}.${key} must be less than or equal to ${high}`);
  }
  if (p.backoffFunction !== undefined && p.backoffFunction !== null) {
    if (typeof p.backoffFunction !== 'string') throw fail(mismatch(`${path}.backoffFunction`, 'string', p.backoffFunction));
    if (!(BACKOFF_FUNCTIONS as readonly string[]).includes(p.backoffFunction.toLowerCase())) {
      throw fail(`${path}.backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`);
    }
  }
  const filled = filledRetryPolicy(p);
  if (filled.maxDelayTarget < filled.minDelayTarget) throw fail(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
  if (filled.numNoDelayRetries + filled.numMinDelayRetries + filled.numMaxDelayRetries > filled.numRetries) {
    throw fail(`${path}.numRetries must be greater than or equal to the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries`);
  }
  if (totalRetrySeconds(filled) > 3600) throw fail(`${path}: the total retry time must be less than or equal to 3600 seconds`);
}

/** `maxReceivesPerSecond`: a whole number of deliveries a second, at least 1. */
function checkThrottlePolicy(value: unknown, path: string, fail: PolicyFailure): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(mismatch(path, 'object', value));
  const rate = (value as Json).maxReceivesPerSecond;
  if (rate === undefined || rate === null) return;
  if (typeof rate !== 'number' || !Number.isInteger(rate)) throw fail(mismatch(`${path}.maxReceivesPerSecond`, 'integer', rate));
  if (rate < 1) throw fail(`${path}.maxReceivesPerSecond must be greater than or equal to 1`);
}

/** `headerContentType`: the Content-Type of the requests, a string. */
function checkRequestPolicy(value: unknown, path: string, fail: PolicyFailure): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(mismatch(path, 'object', value));
  const type = (value as Json).headerContentType;
  if (type !== undefined && type !== null && typeof type !== 'string') throw fail(mismatch(`${path}.headerContentType`, 'string', type));
}

function mismatch(path: string, expected: string, value: unknown): string {
  const received = Array.isArray(value) ? 'an array' : typeof value === 'number' ? 'a number' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `${path} type mismatch, expecting ${expected}, received ${received}`;
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
