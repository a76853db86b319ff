import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonArray, JavaNumber, parseJsonValue, readBody, toJsonText } from './json-values.js';

test('the exact-number reader gives the same structure as JSON.parse, with Java numbers where they differ', () => {
  const text = '{"s":"a\\"b\\\\c\\u00e9","e":"","o":{},"a":[],"n":[1,1.5,10.0,-0.0,2e2,1.5e-3,-3.00,12345678901234567890],"t":true,"f":false,"z":null, "__proto__": {"x": 1} }';
  const value = parseJsonValue(text) as Record<string, unknown>;
  assert.equal(value.s, 'a"b\\cé');
  assert.equal(value.e, '');
  assert.deepEqual(value.o, {});
  assert.ok(isJsonArray(value.a) && isJsonArray(value.n));
  const numbers = value.n as unknown[];
  assert.equal(numbers[0], 1);
  assert.equal(numbers[1], 1.5);
  assert.ok(numbers[2] instanceof JavaNumber && numbers[2].text === '10.0' && numbers[2].value === 10);
  assert.equal((numbers[3] as JavaNumber).text, '-0.0');
  assert.equal((numbers[4] as JavaNumber).text, '200.0');
  assert.equal(numbers[5], 0.0015);
  assert.equal((numbers[6] as JavaNumber).text, '-3.0');
  assert.equal((numbers[7] as JavaNumber).text, '12345678901234567890');
  assert.equal(value.t, true);
  assert.equal(value.z, null);
  // A "__proto__" member is an ordinary key, never the object's prototype.
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value).at(-1), '__proto__');
  assert.equal(toJsonText(value.n), '[1,1.5,10.0,-0.0,200.0,0.0015,-3.0,12345678901234567890]');
});

test('bad JSON is a SyntaxError; readBody takes empty as {} and non-JSON as the text', () => {
  assert.throws(() => parseJsonValue('{"a": 1.0,'), SyntaxError);
  assert.deepEqual(readBody('  '), {});
  assert.equal(readBody('not json 1.0'), 'not json 1.0');
  assert.deepEqual(readBody('[1]'), [1]);
});
