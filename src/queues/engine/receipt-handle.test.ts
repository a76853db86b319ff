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

test('the hand-written check accepts and refuses exactly what the pattern does', () => {
  const pattern = /^(\d{1,15}):(\d{1,15}):([A-Za-z0-9_-]{12})$/;
  const texts = [
    '1:2:abcdefghijkl', '123456789012345:123456789012345:ABCDEFGHIJ_-', '1234567890123456:2:abcdefghijkl', '1:1234567890123456:abcdefghijkl',
    ':2:abcdefghijkl', '1::abcdefghijkl', '1:2:abcdefghijk', '1:2:abcdefghijklm', '1:2:abcdefghij!l', '1:2:abcdefghijkl\n', ' 1:2:abcdefghijkl',
    '1:2:abcdéfghijkl', '1:2:abcdefghijkl:3', '1;2:abcdefghijkl', '01:002:000000000000', '1:2', '',
  ];
  for (const text of texts) {
    const m = pattern.exec(text);
    const expected = m ? { queueId: Number(m[1]), seq: Number(m[2]), nonce: m[3] } : undefined;
    assert.deepEqual(decodeReceiptHandle(`AQEB${Buffer.from(text, 'utf8').toString('base64url')}`), expected, text);
  }
});
