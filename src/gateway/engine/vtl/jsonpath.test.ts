import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isJsonArray, parseJsonValue } from './json-values.js';
import { evaluateJsonPath, JsonPathError } from './jsonpath.js';

const store = parseJsonValue(
  JSON.stringify({
    store: {
      book: [
        { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
        { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99 },
        { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553', price: 8.99 },
      ],
      bicycle: { color: 'red', price: 19.95 },
      'odd.key': 'dotted',
    },
    empty: [],
  }),
);

describe('JSONPath (Jayway semantics)', () => {
  test('definite paths give one value, null when absent', () => {
    assert.equal(evaluateJsonPath(store, '$.store.bicycle.color'), 'red');
    assert.equal(evaluateJsonPath(store, "$['store']['bicycle'][\"price\"]"), 19.95);
    assert.equal(evaluateJsonPath(store, "$.store['odd.key']"), 'dotted');
    assert.equal(evaluateJsonPath(store, '$.store.book[0].title'), 'Sayings');
    assert.equal(evaluateJsonPath(store, '$.store.book[-1].title'), 'Moby Dick');
    assert.equal(evaluateJsonPath(store, '$.store.book[7]'), null);
    assert.equal(evaluateJsonPath(store, '$.nope.deeper'), null);
    assert.equal(evaluateJsonPath(store, '$'), store);
    assert.equal(evaluateJsonPath(store, 'store.bicycle.color'), 'red');
  });

  test('wildcards, deep scan, unions and slices give a JSON list', () => {
    const authors = evaluateJsonPath(store, '$.store.book[*].author');
    assert.ok(isJsonArray(authors));
    assert.deepEqual(authors, ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville']);
    assert.deepEqual(evaluateJsonPath(store, '$..price'), [8.95, 12.99, 8.99, 19.95]);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[0,2].title'), ['Sayings', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[1:].title'), ['Sword', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[:2].title'), ['Sayings', 'Sword']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[-2:].title'), ['Sword', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[::2].title'), ['Sayings', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.bicycle.*'), ['red', 19.95]);
    assert.deepEqual(evaluateJsonPath(store, "$.store.bicycle['color','price']"), ['red', 19.95]);
    assert.deepEqual(evaluateJsonPath(store, '$.empty[*]'), []);
    assert.deepEqual(evaluateJsonPath(store, '$..isbn'), ['0-553']);
  });

  test('filters', () => {
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[?(@.isbn)].title'), ['Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, "$.store.book[?(@.category == 'fiction')].title"), ['Sword', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[?(@.price < 10)].title'), ['Sayings', 'Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, "$.store.book[?(@.price < 10 && @.category != 'reference')].title"), ['Moby Dick']);
    assert.deepEqual(evaluateJsonPath(store, "$.store.book[?(@.price > 12 || @.author == 'Nigel Rees')].title"), ['Sayings', 'Sword']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[?(!@.isbn)].title'), ['Sayings', 'Sword']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[?(@.author =~ /.*Waugh/)].title'), ['Sword']);
    assert.deepEqual(evaluateJsonPath(store, '$.store.book[?(@.price > $.store.bicycle.price)]'), []);
  });

  test('a scalar root: only $ reads it', () => {
    assert.equal(evaluateJsonPath('text', '$'), 'text');
    assert.equal(evaluateJsonPath('text', '$.a'), null);
    assert.deepEqual(evaluateJsonPath('text', '$[*]'), []);
  });

  test('malformed paths are errors', () => {
    for (const bad of ['$.', '$[', "$['a", '$[1:2:0]', '$[?(@.a ==)]', '$[a]']) {
      assert.throws(() => evaluateJsonPath(store, bad), JsonPathError, bad);
    }
  });
});
