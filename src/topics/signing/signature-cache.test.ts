import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignatureCache } from './signature-cache.js';

/** A signer that counts its calls and signs as `<algorithm>(<text>)#<call>`, so a reused signature shows. */
function counting(): { sign: (algorithm: string, text: string) => () => string; calls: () => number } {
  let calls = 0;
  return { sign: (algorithm, text) => () => `${algorithm}(${text})#${++calls}`, calls: () => calls };
}

test('the same text under the same algorithm is signed once', () => {
  const cache = new SignatureCache(64);
  const signer = counting();
  const first = cache.signature('sha1', 'Message\nhello\n', signer.sign('sha1', 'Message\nhello\n'));
  const second = cache.signature('sha1', 'Message\nhello\n', signer.sign('sha1', 'Message\nhello\n'));
  assert.equal(first, 'sha1(Message\nhello\n)#1');
  assert.equal(second, first);
  assert.equal(signer.calls(), 1);
});

test('another algorithm or another text is signed anew', () => {
  const cache = new SignatureCache(64);
  const signer = counting();
  cache.signature('sha1', 'a', signer.sign('sha1', 'a'));
  assert.equal(cache.signature('sha256', 'a', signer.sign('sha256', 'a')), 'sha256(a)#2');
  assert.equal(cache.signature('sha1', 'b', signer.sign('sha1', 'b')), 'sha1(b)#3');
  // Texts that differ only far into a long message are told apart too.
  const long = 'x'.repeat(200_000);
  assert.equal(cache.signature('sha1', `${long}1`, signer.sign('sha1', 'long1')), 'sha1(long1)#4');
  assert.equal(cache.signature('sha1', `${long}2`, signer.sign('sha1', 'long2')), 'sha1(long2)#5');
  assert.equal(cache.signature('sha1', `${long}1`, signer.sign('sha1', 'long1')), 'sha1(long1)#4');
});

test('a slot keeps the last text that landed on it: an evicted text is signed again, never given another text’s signature', () => {
  const cache = new SignatureCache(1);
  const signer = counting();
  cache.signature('sha1', 'a', signer.sign('sha1', 'a'));
  cache.signature('sha1', 'b', signer.sign('sha1', 'b'));
  assert.equal(cache.signature('sha1', 'a', signer.sign('sha1', 'a')), 'sha1(a)#3');
  assert.equal(cache.signature('sha1', 'a', signer.sign('sha1', 'a')), 'sha1(a)#3');
});

test('a slot count that is not a power of two is refused', () => {
  for (const slots of [0, 3, 100, -4, 1.5]) assert.throws(() => new SignatureCache(slots), /power of two/);
});
