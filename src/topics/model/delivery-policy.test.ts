import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveSubscriptionPolicy, normalizeDeliveryPolicy, normalizeSubscriptionDeliveryPolicy } from './delivery-policy.js';
import { DEFAULT_HEALTHY_RETRY_POLICY, httpRetryPolicy, retryScheduleSeconds, type HealthyRetryPolicy } from './http-retry-schedule.js';

const fail = (reason: string) => new Error(reason);
const policy = (p: Partial<HealthyRetryPolicy>): HealthyRetryPolicy => ({ ...DEFAULT_HEALTHY_RETRY_POLICY, ...p });

test('the default schedule: 3 retries 20 s apart', () => {
  assert.deepEqual(retryScheduleSeconds(DEFAULT_HEALTHY_RETRY_POLICY), [20, 20, 20]);
  const retry = httpRetryPolicy(DEFAULT_HEALTHY_RETRY_POLICY);
  assert.equal(retry.maxAttempts, 4);
  assert.equal(retry.maxAgeMs, 3_600_000);
  assert.deepEqual(retry.delaysMs, [20_000, 20_000, 20_000]);
});

test('linear backoff from 20 s to 40 s over 3 retries is 20, 30, 40 (the guide\'s example)', () => {
  assert.deepEqual(retryScheduleSeconds(policy({ maxDelayTarget: 40 })), [20, 30, 40]);
});

test('the four phases: immediate, pre-backoff at the minimum, backoff, post-backoff at the maximum', () => {
  const schedule = retryScheduleSeconds(policy({ minDelayTarget: 5, maxDelayTarget: 45, numRetries: 9, numNoDelayRetries: 2, numMinDelayRetries: 2, numMaxDelayRetries: 2 }));
  assert.deepEqual(schedule, [0, 0, 5, 5, 5, 25, 45, 45, 45]);
});

test('the backoff functions all run from the minimum to the maximum, each with its own curve', () => {
  const base = { minDelayTarget: 5, maxDelayTarget: 260, numRetries: 10 };
  const curves = Object.fromEntries(
    (['linear', 'arithmetic', 'geometric', 'exponential'] as const).map((backoffFunction) => [backoffFunction, retryScheduleSeconds(policy({ ...base, backoffFunction }))]),
  );
  for (const [name, delays] of Object.entries(curves)) {
    assert.equal(delays.length, 10, name);
    assert.equal(delays[0], 5, name);
    assert.ok(Math.abs(delays[9] - 260) < 1e-9, name);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i] >= delays[i - 1], `${name} grows`);
  }
  // Halfway, the linear curve is highest and the exponential lowest.
  assert.ok(curves.linear[5] > curves.arithmetic[5]);
  assert.ok(curves.arithmetic[5] > curves.exponential[5]);
  assert.ok(curves.geometric[5] > curves.exponential[5]);
});

test('a topic policy is checked member by member, with AWS\'s words', () => {
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":"5"}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.minDelayTarget type mismatch, expecting integer, received a string',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":0,"maxDelayTarget":0,"numRetries":0}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":10}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"backoffFunction":"cubic"}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"numRetries":2,"numNoDelayRetries":2,"numMaxDelayRetries":1}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy.numRetries must be greater than or equal to the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"numRetries":100,"minDelayTarget":60,"maxDelayTarget":60}}}', fail), {
    message: 'http.defaultHealthyRetryPolicy: the total retry time must be less than or equal to 3600 seconds',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":0}}}', fail), {
    message: 'http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1',
  });
  assert.throws(() => normalizeDeliveryPolicy('{"http":{"defaultRequestPolicy":{"headerContentType":3}}}', fail), {
    message: 'http.defaultRequestPolicy.headerContentType type mismatch, expecting string, received a number',
  });
  // Recorded: a partial healthy policy is kept as given.
  assert.deepEqual(normalizeDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1}}}', fail), {
    http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 }, disableSubscriptionOverrides: false },
  });
});

test('a subscription policy is stored with its five members, as AWS shows it', () => {
  assert.deepEqual(normalizeSubscriptionDeliveryPolicy('{"requestPolicy":{"headerContentType":"text/csv"}}', fail), {
    healthyRetryPolicy: null,
    sicklyRetryPolicy: null,
    throttlePolicy: null,
    requestPolicy: { headerContentType: 'text/csv' },
    guaranteed: false,
  });
  assert.equal(normalizeSubscriptionDeliveryPolicy('', fail), undefined);
  assert.throws(() => normalizeSubscriptionDeliveryPolicy('{nope', fail), { message: 'failed to parse JSON.' });
  assert.throws(() => normalizeSubscriptionDeliveryPolicy('{"healthyRetryPolicy":{"minDelayTarget":0}}', fail), {
    message: 'healthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
  });
  assert.throws(() => normalizeSubscriptionDeliveryPolicy('{"guaranteed":"yes"}', fail), { message: 'guaranteed type mismatch, expecting boolean, received a string' });
});

test('the effective subscription policy: its own, else the topic\'s, else AWS\'s; the topic can forbid overrides', () => {
  const own = JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 0 }, requestPolicy: null });
  const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 }, defaultRequestPolicy: { headerContentType: 'application/json' } } });
  assert.deepEqual(effectiveSubscriptionPolicy(own, topic), {
    healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 0, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    sicklyRetryPolicy: null,
    throttlePolicy: null,
    requestPolicy: { headerContentType: 'application/json' },
    guaranteed: false,
  });
  assert.equal((effectiveSubscriptionPolicy(undefined, topic).healthyRetryPolicy as HealthyRetryPolicy).numRetries, 5);
  assert.deepEqual(effectiveSubscriptionPolicy(undefined, undefined).requestPolicy, { headerContentType: 'text/plain; charset=UTF-8' });
  const locked = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 7 }, disableSubscriptionOverrides: true } });
  assert.equal((effectiveSubscriptionPolicy(own, locked).healthyRetryPolicy as HealthyRetryPolicy).numRetries, 7);
});
