import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { javaHashMapOrder } from './java-hash-order.js';

describe('javaHashMapOrder', () => {
  // Each expectation is what `new HashMap<String, …>()` filled in the given order iterates, printed by a JVM (OpenJDK).
  const cases: [string[], string[]][] = [
    [['attr1', 'attr2'], ['attr2', 'attr1']],
    [['store', 'def'], ['def', 'store']],
    [['an-attribute-key', 'binary-attribute'], ['an-attribute-key', 'binary-attribute']],
    [['ErrorCode', 'ErrorMessage', 'RequestID'], ['RequestID', 'ErrorCode', 'ErrorMessage']],
    [['store', 'count', 'tags'], ['count', 'store', 'tags']],
    // One bucket shared ("Aa" and "BB" hash alike): insertion order within it.
    [['Aa', 'BB', 'color', 'size', 'n'], ['Aa', 'BB', 'color', 'size', 'n']],
    // 16 keys: the table has grown to 32.
    ['abcdefghijklmnop'.split(''), 'abcdefghijklmnop'.split('')],
    // 14 keys, non-ASCII among them: grown to 32.
    [
      ['zeta', 'alpha', 'Mu', 'é-accent', 'key.with.dots', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9'],
      ['zeta', 'x8', 'x9', 'Mu', 'key.with.dots', 'alpha', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'é-accent', 'x7'],
    ],
  ];
  for (const [given, iterated] of cases) {
    test(`${given.join(',')} → ${iterated.join(',')}`, () => assert.deepEqual(javaHashMapOrder(given), iterated));
  }

  test('no keys, no order', () => assert.deepEqual(javaHashMapOrder([]), []));
});
