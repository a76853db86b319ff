import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../delivery/index.js';

/**
 * An HTTP/S healthy retry policy (Developer Guide, "Amazon SNS message delivery retries",
 * "Creating an HTTP/S delivery policy"), all of its members known: delays in seconds.
 */
export interface HealthyRetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: BackoffFunction;
}

export type BackoffFunction = 'linear' | 'arithmetic' | 'geometric' | 'exponential';
export const BACKOFF_FUNCTIONS: readonly BackoffFunction[] = ['linear', 'arithmetic', 'geometric', 'exponential'];

/**
 * AWS's default, in the member order GetTopicAttributes shows it (recorded: test_topic_delivery_policy_crud):
 * 3 retries 20 s apart in the backoff phase, linear.
 */
export const DEFAULT_HEALTHY_RETRY_POLICY: Readonly<HealthyRetryPolicy> = Object.freeze({
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
});

/** "The maximum lifetime of a message in the system is one hour" for HTTP/S (Developer Guide, delivery policies). */
export const HTTP_MESSAGE_LIFETIME_MS = 60 * 60 * 1000;

/**
 * The delay before each retry, in seconds, phase by phase (Developer Guide, "Setting Amazon SNS
 * Delivery Retry Policies for HTTP/HTTPS Endpoints"):
 * 1. immediate: `numNoDelayRetries` retries without delay;
 * 2. pre-backoff: `numMinDelayRetries` retries `minDelayTarget` apart;
 * 3. backoff: the retries left, the first `minDelayTarget` after the one before it and the last
 *    `maxDelayTarget`, the ones between placed by the backoff function;
 * 4. post-backoff: `numMaxDelayRetries` retries `maxDelayTarget` apart.
 *
 * The guide's own example fixes the linear function: 3 backoff retries from 20 s to 40 s are 20,
 * 30 and 40 s apart. It draws the other three without formulas; Stratus places the backoff
 * retries on these curves between the two delays (t running from 0 at the first to 1 at the
 * last): arithmetic — the steps grow evenly (t²); geometric — each delay a constant multiple of
 * the one before (min·(max/min)^t); exponential — each step twice the one before it.
 */
export function retryScheduleSeconds(policy: HealthyRetryPolicy): number[] {
  const { minDelayTarget: min, maxDelayTarget: max } = policy;
  const backoff = Math.max(0, policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries);
  const delays: number[] = [];
  for (let i = 0; i < policy.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < policy.numMinDelayRetries; i++) delays.push(min);
  for (let i = 0; i < backoff; i++) delays.push(backoffDelay(policy.backoffFunction, min, max, i, backoff));
  for (let i = 0; i < policy.numMaxDelayRetries; i++) delays.push(max);
  return delays.slice(0, policy.numRetries);
}

function backoffDelay(fn: BackoffFunction, min: number, max: number, i: number, count: number): number {
  if (count <= 1 || max === min) return min;
  const t = i / (count - 1);
  switch (fn) {
    case 'linear':
      return min + (max - min) * t;
    case 'arithmetic':
      return min + (max - min) * t * t;
    case 'geometric':
      return min * Math.pow(max / min, t);
    case 'exponential':
      return min + ((max - min) * (Math.pow(2, i) - 1)) / (Math.pow(2, count - 1) - 1);
  }
}

/** The seconds all the retries of a policy wait for, together: AWS caps them at 3,600 (the same guide). */
export function totalRetrySeconds(policy: HealthyRetryPolicy): number {
  return retryScheduleSeconds(policy).reduce((sum, d) => sum + d, 0);
}

/**
 * The delivery machine's retry policy for an HTTP/S subscription: the first attempt and
 * `numRetries` retries on the schedule above, within the hour a message may live. No jitter:
 * the delays are the ones the policy names, so a subscriber (and a test) sees them as set.
 */
export function httpRetryPolicy(policy: HealthyRetryPolicy): RetryPolicy {
  const schedule = retryScheduleSeconds(policy).map((s) => Math.round(s * 1000));
  return {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: policy.numRetries + 1,
    maxAgeMs: HTTP_MESSAGE_LIFETIME_MS,
    baseDelayMs: policy.minDelayTarget * 1000,
    maxDelayMs: Math.max(policy.minDelayTarget, policy.maxDelayTarget) * 1000,
    multiplier: 1,
    jitter: 'none',
    delaysMs: schedule.length > 0 ? schedule : [policy.minDelayTarget * 1000],
  };
}
