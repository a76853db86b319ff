import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMatches, retryDelayMs } from './retry.js';

test('ErrorEquals matching: States.ALL, States.TaskFailed, States.Runtime', () => {
  assert.equal(errorMatches(['States.ALL'], 'Lambda.Unknown'), true);
  assert.equal(errorMatches(['States.ALL'], 'States.DataLimitExceeded'), true);
  assert.equal(errorMatches(['States.ALL'], 'States.Runtime'), false);
  assert.equal(errorMatches(['States.Runtime'], 'States.Runtime'), false);
  assert.equal(errorMatches(['States.TaskFailed'], 'Boom'), true);
  assert.equal(errorMatches(['States.TaskFailed'], 'States.Timeout'), false);
  assert.equal(errorMatches(['A', 'B'], 'B'), true);
  assert.equal(errorMatches(['A'], 'a'), false);
});

test('retry delays: backoff, MaxDelaySeconds, full jitter', () => {
  const r = { errorEquals: ['X'], intervalSeconds: 3, maxAttempts: 5, backoffRate: 2, jitter: 'NONE' as const };
  assert.deepEqual([0, 1, 2, 3].map((n) => retryDelayMs(r, n, 0.5)), [3000, 6000, 12000, 24000]);
  assert.deepEqual([0, 1, 2, 3].map((n) => retryDelayMs({ ...r, maxDelaySeconds: 10 }, n, 0.5)), [3000, 6000, 10000, 10000]);
  assert.equal(retryDelayMs({ ...r, jitter: 'FULL' }, 1, 0.25), 1500);
});
