import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBase64, randomBase64Url, randomHex } from './random-pool.js';

test('pooled random ids have their lengths and do not repeat, across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = randomHex(12);
    assert.match(id, /^[0-9a-f]{24}$/);
    assert.ok(!seen.has(id));
    seen.add(id);
  }
  assert.equal(randomBase64(11).length, 16);
  assert.match(randomBase64Url(11), /^[A-Za-z0-9_-]{15}$/);
  assert.equal(randomHex(20_000).length, 40_000, 'more than a pool holds');
});
