import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.js';

const plain: RetryPolicy = { maxAttempts: 10, maxAgeMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 'none' };

test('defaults follow EventBridge: 185 retries within 24 hours, exponential with jitter', () => {
  assert.equal(DEFAULT_RETRY_POLICY.maxAttempts, 186);
  assert.equal(DEFAULT_RETRY_POLICY.maxAgeMs, 86_400_000);
  assert.equal(DEFAULT_RETRY_POLICY.jitter, 'full');
  assert.ok(DEFAULT_RETRY_POLICY.multiplier > 1);
});

test('delays grow exponentially from the base and stop at the cap', () => {
  const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(plain, n, () => 0.5));
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
});

test('full jitter is uniform in [0, d], equal jitter in [d/2, d]', () => {
  const full = { ...plain, jitter: 'full' } as const;
  const equal = { ...plain, jitter: 'equal' } as const;
  assert.equal(retryDelayMs(full, 3, () => 0), 0);
  assert.equal(retryDelayMs(full, 3, () => 0.25), 100);
  assert.equal(retryDelayMs(full, 3, () => 0.999999), 400);
  assert.equal(retryDelayMs(equal, 3, () => 0), 200);
  assert.equal(retryDelayMs(equal, 3, () => 0.5), 300);
});

test('many attempts do not overflow past the cap', () => {
  assert.equal(retryDelayMs(plain, 5000, () => 0.5), 1000);
  assert.equal(retryDelayMs(DEFAULT_RETRY_POLICY, 185, () => 1), 15 * 60 * 1000);
});

test('attemptsSoFar below 1 is treated as the first retry', () => {
  assert.equal(retryDelayMs(plain, 0, () => 0.5), 100);
});

test('a schedule gives each retry its own delay, the last one repeating', () => {
  const scheduled: RetryPolicy = { ...plain, delaysMs: [0, 0, 5000, 7500, 10_000] };
  const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(scheduled, n, () => 0.5));
  assert.deepEqual(delays, [0, 0, 5000, 7500, 10_000, 10_000, 10_000]);
  // Jitter applies to a scheduled delay as to a computed one.
  assert.equal(retryDelayMs({ ...scheduled, jitter: 'equal' }, 3, () => 0), 2500);
  // An empty schedule falls back to the curve.
  assert.equal(retryDelayMs({ ...plain, delaysMs: [] }, 2, () => 0.5), 200);
});
