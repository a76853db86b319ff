import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeQueue } from './time-queue.js';

function drain(queue: TimeQueue): { at: number; seq: number; version: number }[] {
  const out = [];
  while (queue.size > 0) {
    out.push({ at: queue.peekAt(), seq: queue.peekSeq(), version: queue.peekVersion() });
    queue.pop();
  }
  return out;
}

test('pops in (at, seq) order whatever the push order, as a heap would', () => {
  const queue = new TimeQueue();
  let x = 12345;
  const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  // Mostly in order (the common case), with runs of out-of-order entries and ties.
  let clock = 0;
  const entries = Array.from({ length: 5000 }, (_, i) => {
    clock += Math.floor(random() * 3);
    const at = random() < 0.1 ? clock - Math.floor(random() * 40) : clock;
    return { at, seq: random() < 0.05 ? i - 7 : i, version: i % 5 };
  });
  for (const e of entries) queue.push(e.at, e.seq, e.version);
  assert.equal(queue.size, entries.length);
  const popped = drain(queue);
  const key = (e: { at: number; seq: number }) => `${e.at}/${e.seq}`;
  assert.deepEqual(popped.map(key), [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq).map(key));
  assert.equal(queue.peekAt(), Infinity);
});

test('grows its ring across the wrap-around and interleaves pushes and pops', () => {
  const queue = new TimeQueue();
  const expected: number[] = [];
  let next = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 37; i++) {
      queue.push(next, next, 0);
      expected.push(next++);
    }
    for (let i = 0; i < 20; i++) {
      assert.equal(queue.peekSeq(), expected.shift());
      queue.pop();
    }
  }
  assert.deepEqual(drain(queue).map((e) => e.seq), expected);
  queue.push(5, 1, 0);
  queue.clear();
  assert.equal(queue.size, 0);
});
