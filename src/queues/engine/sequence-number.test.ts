import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sequenceNumberFor } from './sequence-number.js';

test('20 digits: 10^19 + seq × 1024', () => {
  assert.equal(sequenceNumberFor(0), '10000000000000000000');
  assert.equal(sequenceNumberFor(1), '10000000000000001024');
  assert.equal(sequenceNumberFor(123456789), '10000000126419751936');
  for (const seq of [0, 1, 9, 10, 977, 1e6, 2 ** 40, Math.floor(Number.MAX_SAFE_INTEGER / 1024)]) {
    assert.equal(sequenceNumberFor(seq), (10n ** 19n + BigInt(seq) * 1024n).toString());
  }
});

test('past 2^53 / 1024 it is still exact (BigInt)', () => {
  const seq = 2 ** 50;
  assert.equal(sequenceNumberFor(seq), (10n ** 19n + BigInt(seq) * 1024n).toString());
});

test('increasing as seqs increase, as strings too', () => {
  let previous = sequenceNumberFor(0);
  for (let seq = 1; seq < 5000; seq += 7) {
    const next = sequenceNumberFor(seq);
    assert.equal(next.length, 20);
    assert.ok(next > previous);
    previous = next;
  }
});
