import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../protocol/errors.js';
import { DAY_MS, MAX_AGE_MS, MAX_FUTURE_MS, planBatch } from './put-batch.js';
import { compareKeys, decodePageToken, encodePageToken, eventId, parseStreamToken, streamToken } from './tokens.js';

const NOW = Date.UTC(2026, 0, 15);
const ev = (timestamp: number, message = 'm') => ({ timestamp, message });

function rejects(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ServiceError && e.code === 'InvalidParameterException' && message.test(e.message));
}

test('accepted events come back sorted by timestamp, then by their place in the batch', () => {
  const plan = planBatch([ev(NOW, 'c'), ev(NOW - 5, 'a'), ev(NOW, 'd'), ev(NOW - 1, 'b')], NOW);
  assert.deepEqual(plan.accepted.map((e) => e.message), ['a', 'b', 'c', 'd']);
  assert.equal(plan.rejected, undefined);
  assert.equal(plan.accepted[0].bytes, 1);
});

test('too old, expired and too new events are rejected and named; the rest are kept', () => {
  const batch = [ev(NOW - MAX_AGE_MS - 1), ev(NOW - MAX_AGE_MS - 1), ev(NOW - 3 * DAY_MS), ev(NOW), ev(NOW + MAX_FUTURE_MS + 1)];
  const plan = planBatch(batch, NOW, 1);
  assert.deepEqual(plan.rejected, { tooOldLogEventEndIndex: 2, expiredLogEventEndIndex: 3, tooNewLogEventStartIndex: 4 });
  assert.deepEqual(plan.accepted.map((e) => e.index), [3]);
  // Exactly 14 days old and exactly 2 hours ahead are still accepted.
  assert.equal(planBatch([ev(NOW - MAX_AGE_MS), ev(NOW - MAX_AGE_MS + 60_000)], NOW).accepted.length, 2);
  assert.equal(planBatch([ev(NOW + MAX_FUTURE_MS)], NOW).accepted.length, 1);
  // Everything rejected is still an answer, not an error.
  assert.deepEqual(planBatch([ev(NOW + 3 * 3600_000)], NOW), { accepted: [], rejected: { tooNewLogEventStartIndex: 0 } });
});

test('sizes: 26 bytes per event, UTF-8 bytes per message, 1,048,576 per event and per batch', () => {
  const big = 'x'.repeat(1_048_576 - 26);
  assert.equal(planBatch([ev(NOW, big)], NOW).accepted.length, 1);
  rejects(() => planBatch([ev(NOW, big + 'x')], NOW), /^Log event too large: 1048577 bytes exceeds limit of 1048576$/);
  const half = 'é'.repeat(262_144); // 524,288 bytes
  rejects(() => planBatch([ev(NOW, half), ev(NOW, half)], NOW), /^Upload too large: 1048628 bytes exceeds limit of 1048576$/);
});

test('the valid events of a batch may not span more than 24 hours', () => {
  assert.equal(planBatch([ev(NOW - DAY_MS), ev(NOW)], NOW).accepted.length, 2);
  rejects(() => planBatch([ev(NOW - DAY_MS - 1), ev(NOW)], NOW), /cannot span more than 24 hours/);
  // A rejected (too old) event does not count towards the span.
  assert.equal(planBatch([ev(NOW - 20 * DAY_MS), ev(NOW)], NOW).accepted.length, 1);
});

test('stream tokens, event ids and page tokens', () => {
  const key = { ts: NOW, seq: 42 };
  const f = streamToken('f', key);
  assert.match(f, /^f\/\d{56}\/s$/);
  assert.deepEqual(parseStreamToken(f), { direction: 'f', key });
  assert.deepEqual(parseStreamToken(streamToken('b', { ts: -1, seq: 0 })), { direction: 'b', key: { ts: -1, seq: 0 } });
  for (const bad of ['', 'f/123/s', 'x/' + '0'.repeat(56) + '/s', f.slice(0, -2)]) assert.equal(parseStreamToken(bad), undefined, bad);
  assert.match(eventId(key), /^\d{56}$/);
  assert.ok(eventId({ ts: NOW, seq: 9 }) < eventId({ ts: NOW + 1, seq: 1 }), 'ids sort like keys');
  assert.ok(compareKeys({ ts: 1, seq: 5 }, { ts: 2, seq: 0 }) < 0);
  assert.deepEqual(decodePageToken(encodePageToken([3, 'x']), ['number', 'string']), [3, 'x']);
  assert.equal(decodePageToken(undefined, ['string']), undefined);
  assert.equal(decodePageToken('garbage!', ['string']), null);
  assert.equal(decodePageToken(encodePageToken(['x']), ['number']), null);
});
