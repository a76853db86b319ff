import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsBinary, convertPayload, convertResponse, isBinaryType } from './binary.js';

test('binary media types, with wildcards; only the first Accept type counts', () => {
  assert.equal(isBinaryType('image/png', ['image/*']), true);
  assert.equal(isBinaryType('image/png', ['*/*']), true);
  assert.equal(isBinaryType('text/plain', ['image/png']), false);
  assert.equal(isBinaryType('image/png', ['image~1png']), true);
  assert.equal(acceptsBinary('image/png, text/html', ['image/png']), true);
  assert.equal(acceptsBinary('text/html, image/png', ['image/png']), false);
});

const bytes = Buffer.from([0, 1, 254, 255]);
const base64 = Buffer.from(bytes.toString('base64'));

test('request payloads by contentHandling', () => {
  assert.deepEqual(convertPayload(bytes, true, 'CONVERT_TO_TEXT').body, base64);
  assert.deepEqual(convertPayload(base64, false, 'CONVERT_TO_BINARY').body, bytes);
  assert.deepEqual(convertPayload(bytes, true, undefined).body, bytes);
  assert.deepEqual(convertPayload(bytes, true, 'CONVERT_TO_BINARY').body, bytes);
  assert.equal(convertPayload(Buffer.from('not base64 {}'), false, 'CONVERT_TO_BINARY').failed, true);
});

test('response payloads: the conversion table', () => {
  assert.deepEqual(convertResponse(bytes, true, false, undefined).body, base64, 'binary for a text Accept: base64');
  assert.deepEqual(convertResponse(bytes, true, true, undefined).body, bytes, 'binary for a binary Accept: as is');
  assert.deepEqual(convertResponse(base64, false, true, undefined).body, bytes, 'text for a binary Accept: decoded');
  assert.deepEqual(convertResponse(Buffer.from('text'), false, false, undefined).body, Buffer.from('text'));
  assert.deepEqual(convertResponse(bytes, true, true, 'CONVERT_TO_TEXT').body, base64);
  assert.deepEqual(convertResponse(base64, false, false, 'CONVERT_TO_BINARY').body, bytes);
});
