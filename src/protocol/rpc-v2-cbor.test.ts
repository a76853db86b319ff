import { cbor } from '@smithy/core/cbor';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from './errors.js';
import { encodeTextMap, renderCborError } from './rpc-v2-cbor.js';

describe('CBOR text maps', () => {
  test('are what the SDK’s own CBOR decoder reads back, at every length boundary', () => {
    for (const n of [0, 1, 23, 24, 255, 256, 65535, 65536, 70000]) {
      const value = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
      const map = { __type: 'Code', message: value, [`k${n}`]: '😀' };
      assert.deepEqual(cbor.deserialize(encodeTextMap(map)), map, `length ${n}`);
    }
  });

  test('use the shortest head (RFC 8949, preferred serialization)', () => {
    assert.deepEqual([...encodeTextMap({ a: 'b' })], [0xa1, 0x61, 0x61, 0x61, 0x62]);
    assert.deepEqual([...encodeTextMap({ a: 'x'.repeat(24) }).subarray(3, 5)], [0x78, 24]);
  });
});

test('a CBOR error: __type and message, the smithy-protocol header', () => {
  const out = renderCborError(new ServiceError('UnknownOperationException', 'not here'));
  assert.equal(out.status, 400);
  assert.deepEqual(out.headers, { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' });
  assert.deepEqual(cbor.deserialize(out.body), { __type: 'UnknownOperationException', message: 'not here' });
});
