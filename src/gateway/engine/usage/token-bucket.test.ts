import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BucketMap, newBucket, takeFromAll, takeToken } from './token-bucket.js';

/** Sends `perSecond` requests a second evenly from 0 to `seconds` (both ends), answers how many were let through. */
function overload(rateLimit: number, burstLimit: number, perSecond: number, seconds: number): number {
  const bucket = newBucket({ rateLimit, burstLimit }, 0);
  let passed = 0;
  const total = perSecond * seconds;
  for (let i = 0; i <= total; i += 1) if (takeToken(bucket, (i * 1000) / perSecond)) passed += 1;
  return passed;
}

test('over 10 s of overload a bucket lets through burst + rate·t, within 5%', () => {
  for (const [rate, burst] of [
    [10, 20],
    [100, 50],
    [2, 1],
    [0.5, 5],
    [1000, 5000],
  ] as const) {
    const passed = overload(rate, burst, Math.max(rate * 5, 50), 10);
    const expected = burst + rate * 10;
    assert.ok(Math.abs(passed - expected) <= expected * 0.05, `rate ${rate} burst ${burst}: ${passed} vs ${expected}`);
  }
});

test('a full bucket answers the burst at once, then one request per 1/rate seconds', () => {
  const bucket = newBucket({ rateLimit: 2, burstLimit: 3 }, 1000);
  assert.deepEqual([1, 2, 3, 4].map(() => takeToken(bucket, 1000)), [true, true, true, false]);
  assert.equal(takeToken(bucket, 1499), false);
  assert.equal(takeToken(bucket, 1500), true);
  assert.equal(takeToken(bucket, 1500), false);
  // Idle for long: refills to the burst, not beyond.
  assert.equal([1, 2, 3, 4, 5].filter(() => takeToken(bucket, 100_000)).length, 3);
});

test('a rate of 0 lets only the burst through, ever; burst 0 with a rate still passes at the rate', () => {
  const none = newBucket({ rateLimit: 0, burstLimit: 2 }, 0);
  assert.equal([0, 1, 2, 3].filter((i) => takeToken(none, i * 10_000)).length, 2);
  const zeroBurst = newBucket({ rateLimit: 1, burstLimit: 0 }, 0);
  assert.equal([0, 500, 1000, 1500, 2000].filter((t) => takeToken(zeroBurst, t)).length, 3);
});

test('takeFromAll charges every bucket or none', () => {
  const a = newBucket({ rateLimit: 0, burstLimit: 5 }, 0);
  const b = newBucket({ rateLimit: 0, burstLimit: 1 }, 0);
  assert.equal(takeFromAll([a, b], 0), -1);
  assert.equal(takeFromAll([a, b], 0), 1);
  assert.equal(a.tokens, 4, 'the refused request took nothing from the first bucket');
});

test('BucketMap keeps a bucket per key, adapts to a changed limit, drops idle full buckets', () => {
  const map = new BucketMap();
  const first = map.get('k', { rateLimit: 1, burstLimit: 10 }, 0);
  for (let i = 0; i < 8; i += 1) takeToken(first, 0);
  const changed = map.get('k', { rateLimit: 1, burstLimit: 1 }, 0);
  assert.equal(changed, first);
  assert.equal(changed.tokens, 1, 'capped at the new burst');
  map.get('other', { rateLimit: 1, burstLimit: 1 }, 0);
  map.get('fresh', { rateLimit: 1, burstLimit: 1 }, 120_000);
  assert.equal(map.size, 1, 'the two idle, refilled buckets went');
});
