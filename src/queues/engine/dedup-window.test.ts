import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DedupWindow, dedupHash } from './dedup-window.js';

/** Takes `keys` (queue scope) with consecutive seqs from `firstSeq` as one send expiring at `expiresAt`. */
function send(window: DedupWindow, firstSeq: number, keys: string[], expiresAt: number): void {
  keys.forEach((key, i) => window.take(dedupHash('', key), firstSeq + i));
  window.expireAt(firstSeq + keys.length - 1, expiresAt);
}

const seqOf = (window: DedupWindow, key: string) => window.candidates(dedupHash('', key));

test('a key answers with its seq until its send expires, then it is free', () => {
  const window = new DedupWindow();
  send(window, 1, ['a', 'b'], 100);
  send(window, 3, ['c'], 200);
  window.sweep(99);
  assert.deepEqual([seqOf(window, 'a'), seqOf(window, 'b'), seqOf(window, 'c'), seqOf(window, 'd')], [[1], [2], [3], []]);
  window.sweep(100);
  assert.deepEqual([seqOf(window, 'a'), seqOf(window, 'b'), seqOf(window, 'c')], [[], [], [3]]);
  window.sweep(1000);
  assert.equal(window.size, 0);
});

test('the hash tells scopes apart: an id alone, and the same id after a group', () => {
  assert.notEqual(dedupHash('', 'order-1'), dedupHash('g1', 'order-1'));
  assert.notEqual(dedupHash('g1', 'order-1'), dedupHash('g2', 'order-1'));
  assert.equal(dedupHash('g1', 'order-1'), dedupHash('g1', 'order-1'));
  // 53 bits at most: the hash is an exact double.
  for (const id of ['', 'x', 'a'.repeat(128)]) assert.ok(Number.isSafeInteger(dedupHash('', id)) && dedupHash('', id) >= 0);
});

test('a hash taken twice (a collision, or a record confirmed missing) gives both candidates', () => {
  const window = new DedupWindow();
  const hash = dedupHash('', 'same');
  window.take(hash, 7);
  window.take(hash, 9);
  assert.deepEqual([...window.candidates(hash)].sort(), [7, 9]);
  window.release(hash, 7);
  assert.deepEqual(window.candidates(hash), [9]);
});

test('release takes back only the entry of that seq', () => {
  const window = new DedupWindow();
  window.take(dedupHash('', 'a'), 1);
  window.release(dedupHash('', 'a'), 2);
  assert.deepEqual(seqOf(window, 'a'), [1]);
  window.release(dedupHash('', 'a'), 1);
  assert.deepEqual(seqOf(window, 'a'), []);
  assert.equal(window.size, 0);
});

test('many sends: lookups survive resizes and the ring growing, and sweeps keep exactly the live ones', () => {
  const window = new DedupWindow();
  for (let i = 0; i < 5000; i++) send(window, i * 2, [`k${i}-0`, `k${i}-1`], 1000 + i);
  for (let i = 0; i < 5000; i += 499) assert.deepEqual(seqOf(window, `k${i}-1`), [i * 2 + 1]);
  for (let now = 1000; now < 6000; now += 997) {
    window.sweep(now);
    const live = Math.max(0, 5000 - (now - 1000 + 1));
    assert.equal(window.size, live * 2, `at ${now}`);
    if (live > 0) {
      assert.deepEqual(seqOf(window, `k${4999}-1`), [9999]);
      assert.deepEqual(seqOf(window, `k${5000 - live - 1}-0`), []);
    }
  }
  // Taken again after all that churn: the table still finds new entries.
  send(window, 20_000, ['again'], 9000);
  assert.deepEqual(seqOf(window, 'again'), [20_000]);
});

test('a clock stepped back leaves entries behind a later send until that send expires', () => {
  const window = new DedupWindow();
  send(window, 1, ['late'], 500);
  send(window, 2, ['early'], 100);
  window.sweep(200);
  assert.equal(window.size, 2);
  window.sweep(500);
  assert.equal(window.size, 0);
});

test('clear empties the window and its bounds', () => {
  const window = new DedupWindow();
  send(window, 1, ['a'], 100);
  window.clear();
  send(window, 5, ['b'], 300);
  window.sweep(200);
  assert.deepEqual(seqOf(window, 'b'), [5]);
  assert.deepEqual(seqOf(window, 'a'), []);
});
