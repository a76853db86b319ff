import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeReceiptHandle, encodeReceiptHandle, newNonce } from './receipt-handle.js';

test('receipt handles round-trip and differ per receive', () => {
  const a = { queueId: 7, seq: 123456, nonce: newNonce() };
  const b = { ...a, nonce: newNonce() };
  assert.deepEqual(decodeReceiptHandle(encodeReceiptHandle(a)), a);
  assert.notEqual(encodeReceiptHandle(a), encodeReceiptHandle(b));
});

test('anything else is not a receipt handle', () => {
  for (const bad of ['', 'garbage', 'AQEB', 'AQEB!!!!', `AQEB${Buffer.from('1:2').toString('base64url')}`, `AQEB${Buffer.from('x:2:abcdefghijkl').toString('base64url')}`, 'A'.repeat(1000)]) {
    assert.equal(decodeReceiptHandle(bad), undefined, bad);
  }
});
