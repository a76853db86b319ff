import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinHeap } from './min-heap.js';

test('pops in (at, seq) order whatever the push order', () => {
  const heap = new MinHeap();
  let x = 12345;
  const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  const entries = Array.from({ length: 500 }, (_, i) => ({ at: Math.floor(random() * 50), seq: i, version: 0 }));
  for (const e of entries) heap.push(e);
  const popped = [];
  while (heap.size > 0) popped.push(heap.pop()!);
  const expected = [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq);
  assert.deepEqual(popped, expected);
  assert.equal(heap.pop(), undefined);
});
