import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkedLine } from './linked-line.js';

interface Item {
  id: number;
  prev: Item | null;
  next: Item | null;
}

const item = (id: number): Item => ({ id, prev: null, next: null });

function ids(line: LinkedLine<Item>): number[] {
  const out: number[] = [];
  for (let i = line.head; i !== null; i = i.next) out.push(i.id);
  const back: number[] = [];
  for (let i = line.tail; i !== null; i = i.prev) back.push(i.id);
  assert.deepEqual(back.reverse(), out, 'the links agree both ways');
  return out;
}

test('append, then unlink from the head, the middle and the tail', () => {
  const line = new LinkedLine<Item>();
  const [a, b, c, d] = [1, 2, 3, 4].map(item);
  for (const x of [a, b, c, d]) line.append(x);
  assert.deepEqual(ids(line), [1, 2, 3, 4]);
  line.unlink(b);
  assert.deepEqual(ids(line), [1, 3, 4]);
  assert.deepEqual([b.prev, b.next], [null, null]);
  line.unlink(a);
  line.unlink(d);
  assert.deepEqual(ids(line), [3]);
  line.unlink(c);
  assert.deepEqual(ids(line), []);
  assert.deepEqual([line.head, line.tail], [null, null]);
});

test('unlinking an item not in the line changes nothing; moving one to the back', () => {
  const line = new LinkedLine<Item>();
  const [a, b, c] = [1, 2, 3].map(item);
  line.append(a);
  line.append(b);
  line.unlink(c);
  assert.deepEqual(ids(line), [1, 2]);
  line.unlink(a);
  line.append(a);
  assert.deepEqual(ids(line), [2, 1]);
});

test('clear unlinks every item', () => {
  const line = new LinkedLine<Item>();
  const items = [1, 2, 3].map(item);
  for (const x of items) line.append(x);
  line.clear();
  assert.deepEqual(ids(line), []);
  for (const x of items) assert.deepEqual([x.prev, x.next], [null, null]);
});
