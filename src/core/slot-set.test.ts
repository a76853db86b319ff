import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlotSet } from './slot-set.js';

test('a slot set holds what was added and not deleted, and reuses emptied slots', () => {
  const set = new SlotSet<{ name: string }>();
  const a = { name: 'a' };
  const b = { name: 'b' };
  const c = { name: 'c' };
  const slotA = set.add(a);
  const slotB = set.add(b);
  assert.notEqual(slotA, slotB);
  assert.equal(set.size, 2);
  set.delete(slotA, a);
  assert.deepEqual(set.values(), [b]);
  assert.equal(set.size, 1);
  // The emptied slot is the next one given out: the array does not grow under churn.
  assert.equal(set.add(c), slotA);
  assert.deepEqual(new Set(set.values()), new Set([b, c]));
});

test('deleting an item twice, or with a slot it no longer holds, changes nothing', () => {
  const set = new SlotSet<{ name: string }>();
  const a = { name: 'a' };
  const b = { name: 'b' };
  const slotA = set.add(a);
  set.delete(slotA, a);
  const slotB = set.add(b);
  assert.equal(slotB, slotA);
  // a's stale slot now holds b: a late delete for a must not take b out.
  set.delete(slotA, a);
  set.delete(-1, a);
  assert.equal(set.size, 1);
  assert.deepEqual(set.values(), [b]);
});

test('values is a copy: deleting while walking it visits every item once', () => {
  const set = new SlotSet<number[]>();
  const items = [[1], [2], [3]];
  const slots = items.map((item) => set.add(item));
  const seen: number[][] = [];
  for (const item of set.values()) {
    seen.push(item);
    set.delete(slots[items.indexOf(item)], item);
  }
  assert.deepEqual(seen, items);
  assert.equal(set.size, 0);
  assert.deepEqual(set.values(), []);
});
