import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from './json.js';
import { registerText, text, textExceeds } from './json-text.js';

const exact = (value: Json, limit: number) => Buffer.byteLength(text(value)) > limit;

test('textExceeds answers as the written text’s size would, around the limit', () => {
  const values: Json[] = [
    null,
    true,
    -1.5e-300,
    'plain',
    'é'.repeat(100),
    '\u0001"\\'.repeat(50),
    '😀'.repeat(40),
    { a: [1, 'two', { three: null }], 'kéy': false },
    Array.from({ length: 30 }, (_, i) => ({ i, s: 'x'.repeat(i) })),
  ];
  for (const value of values) {
    const size = Buffer.byteLength(text(value));
    for (const limit of [0, size - 1, size, size + 1, size * 10]) {
      if (limit < 0) continue;
      assert.equal(textExceeds(value, limit), exact(value, limit), `${text(value).slice(0, 40)} at ${limit}`);
    }
  }
});

test('a raw text registered for a value is what is measured', () => {
  const value = { a: 1 };
  registerText(value, `{   "a"   :   1   ${' '.repeat(100)}}`);
  assert.equal(textExceeds(value, 50), true);
  assert.equal(textExceeds({ a: 1 }, 50), false);
});
