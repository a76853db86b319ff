/**
 * How a job is retried: plain data, stored as JSON with each job, so a job keeps the
 * policy it was enqueued with even if its target's policy changes later.
 */
export interface RetryPolicy {
  /** Total attempts, including the first. EventBridge default: 1 + 185 retries = 186. */
  maxAttempts: number;
  /** How long after the job was created it may still be retried. EventBridge default: 24 h. */
  maxAgeMs: number;
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Upper bound on any single delay, before jitter. */
  maxDelayMs: number;
  /** Growth factor of the delay per attempt (2 = doubling). */
  multiplier: number;
  /**
   * 'full': uniform in [0, d]; 'equal': uniform in [d/2, d]; 'none': exactly d.
   * Names from https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
   */
  jitter: 'full' | 'equal' | 'none';
  /**
   * A schedule instead of the exponential curve: the delay before retry n is `delaysMs[n - 1]`
   * (the last entry for any later retry), jittered as `jitter` says. For targets whose delays
   * AWS defines phase by phase (an SNS HTTP/S delivery policy); base, cap and multiplier are
   * then unused.
   */
  delaysMs?: readonly number[];
}

/**
 * EventBridge-like defaults. AWS documents the attempt count and the age window:
 * "By default, EventBridge retries sending the event for 24 hours and up to 185 times with
 * an exponential back off and jitter" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html;
 * RetryPolicy API: MaximumRetryAttempts 0..185, MaximumEventAgeInSeconds 60..86400).
 * AWS does not publish the base delay or the cap; we chose them so both limits matter:
 * 1 s doubling reaches the 15 min cap after ~10 retries, and with full jitter the mean
 * delay at the cap is 7.5 min, so 185 retries take about 23 h, close to the 24 h window.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 1 + 185,
  maxAgeMs: 24 * 60 * 60 * 1000,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  multiplier: 2,
  jitter: 'full',
});

/**
 * The delay before the next attempt, after `attemptsSoFar` (>= 1) attempts have failed:
 * min(maxDelayMs, baseDelayMs * multiplier^(attemptsSoFar - 1)) — or the schedule's entry for
 * that retry, when the policy has one — then jittered with
 * `random()` in [0, 1). Pure: the caller passes the randomness so tests are deterministic.
 */
export function retryDelayMs(policy: RetryPolicy, attemptsSoFar: number, random: () => number): number {
  const exponent = Math.max(0, attemptsSoFar - 1);
  const schedule = policy.delaysMs;
  // Math.min also tames Infinity when the power overflows after many attempts.
  const capped =
    schedule !== undefined && schedule.length > 0
      ? Math.max(0, schedule[Math.min(exponent, schedule.length - 1)])
      : Math.max(0, Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.pow(policy.multiplier, exponent)));
  switch (policy.jitter) {
    case 'none':
      return Math.round(capped);
    case 'equal':
      return Math.round(capped / 2 + random() * (capped / 2));
    case 'full':
      return Math.round(random() * capped);
  }
}
