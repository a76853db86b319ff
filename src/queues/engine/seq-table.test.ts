import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeqTable } from './seq-table.js';

/** Checks the table against a Map holding the same entries. */
function assertSame(table: SeqTable<string>, model: Map<number, string>, probes: number[]): void {
  assert.equal(table.size, model.size);
  for (const seq of probes) {
    assert.equal(table.get(seq), model.get(seq), `get(${seq})`);
    assert.equal(table.has(seq), model.has(seq), `has(${seq})`);
  }
  assert.deepEqual(
    table.toArray().sort(),
    [...model.values()].sort(),
  );
}

test('a seq table agrees with a Map under random sets and deletes, across growing and shrinking', () => {
  const table = new SeqTable<string>();
  const model = new Map<number, string>();
  let state = 12345;
  const random = (n: number): number => {
    // A fixed linear congruential sequence: the test is the same on every run.
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const probes: number[] = [];
  for (let step = 0; step < 20_000; step++) {
    // Keys from a sliding window of consecutive seqs, plus some far apart that share low bits
    // (multiples of 1024 apart), so that probing wraps and deletes shift entries back.
    const seq = random(4) === 0 ? 1 + random(8) * 1024 : Math.floor(step / 4) + random(200);
    if (random(3) === 0) {
      assert.equal(table.delete(seq), model.delete(seq));
    } else {
      table.set(seq, `v${seq}-${step}`);
      model.set(seq, `v${seq}-${step}`);
    }
    if (step % 997 === 0) {
      probes.length = 0;
      for (let k = 0; k < 300; k++) probes.push(Math.floor(step / 4) + k - 50, 1 + (k % 8) * 1024);
      assertSame(table, model, probes);
    }
  }
  // Emptying it shrinks it back; it still works afterwards.
  for (const seq of [...model.keys()]) {
    assert.equal(table.delete(seq), true);
    model.delete(seq);
  }
  assertSame(table, model, [1, 2, 3, 1025]);
  table.set(7, 'again');
  assert.equal(table.get(7), 'again');
});

test('deleting from a run of colliding seqs keeps every other one reachable', () => {
  const table = new SeqTable<string>(16);
  // 5, 21, 37, 53 share slot 5 of 16; 6 then lands behind them.
  for (const seq of [5, 21, 37, 53, 6]) table.set(seq, String(seq));
  assert.equal(table.delete(21), true);
  assert.equal(table.delete(21), false);
  for (const seq of [5, 37, 53, 6]) assert.equal(table.get(seq), String(seq));
  assert.equal(table.get(21), undefined);
  assert.equal(table.delete(5), true);
  for (const seq of [37, 53, 6]) assert.equal(table.get(seq), String(seq));
  assert.equal(table.size, 3);
});

test('set replaces the value of a seq already there, and clear empties the table', () => {
  const table = new SeqTable<string>();
  table.set(1, 'a');
  table.set(1, 'b');
  assert.equal(table.size, 1);
  assert.equal(table.get(1), 'b');
  table.clear();
  assert.equal(table.size, 0);
  assert.equal(table.get(1), undefined);
  assert.deepEqual(table.toArray(), []);
});

test('seqs beyond 2^32 find their slots from their low bits', () => {
  const table = new SeqTable<string>();
  const big = 2 ** 40 + 3;
  table.set(big, 'big');
  table.set(3, 'small');
  assert.equal(table.get(big), 'big');
  assert.equal(table.get(3), 'small');
  assert.equal(table.delete(3), true);
  assert.equal(table.get(big), 'big');
});
