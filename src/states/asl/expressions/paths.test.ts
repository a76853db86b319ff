import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../json.js';
import { StatesError } from '../states-error.js';
import { applyResultPath, checkPath, readFieldPath, readPath, resolveReference, type PathScope } from './paths.js';

const store: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};
const bookList = ((store as { store: { book: Json } }).store.book);
const bicycle = ((store as { store: { bicycle: Json } }).store.bicycle);
const scope = (input: Json, variables: Record<string, Json> = {}, context: Json = { Execution: { Id: 'arn:x', Input: input } }): PathScope => ({ input, context, variables });
const value = (path: string, s: PathScope): Json => {
  const r = resolveReference(path, s);
  assert.ok(r.found, `${path}: ${JSON.stringify(r)}`);
  return r.value;
};

test('definite paths return the value', () => {
  const s = scope(store);
  assert.deepEqual(value('$', s), store);
  assert.equal(value('$.expensive', s), 10);
  assert.equal(value('$.store.book[0].author', s), 'Nigel Rees');
  assert.equal(value("$['store']['bicycle']['color']", s), 'red');
  assert.equal(value('$["store"].bicycle.price', s), 19.95);
  assert.equal(value('$.store.book[-1].title', s), 'The Lord of the Rings');
});

test('indefinite paths return arrays (Jayway semantics)', () => {
  const s = scope(store);
  assert.deepEqual(value('$.store.book[*].author', s), ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
  assert.deepEqual(value('$..author', s), ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
  assert.deepEqual(value('$.store.*', s), [bookList, bicycle]);
  assert.deepEqual(value('$.store..price', s), [8.95, 12.99, 8.99, 22.99, 19.95]);
  assert.deepEqual(value('$..book[2].title', s), ['Moby Dick']);
  assert.deepEqual(value('$..book[-1:].title', s), ['The Lord of the Rings']);
  assert.deepEqual(value('$..book[0,1].title', s), ['Sayings of the Century', 'Sword of Honour']);
  assert.deepEqual(value('$..book[:2].title', s), ['Sayings of the Century', 'Sword of Honour']);
  assert.deepEqual(value('$..book[1:2].title', s), ['Sword of Honour']);
  assert.deepEqual(value('$.store.book[::2].title', s), ['Sayings of the Century', 'Moby Dick']);
  assert.deepEqual(value('$..book[?(@.isbn)].title', s), ['Moby Dick', 'The Lord of the Rings']);
  assert.deepEqual(value('$.store.book[?(@.price < 10)].title', s), ['Sayings of the Century', 'Moby Dick']);
  assert.deepEqual(value('$..book[?(@.price <= $.expensive)].price', s), [8.95, 8.99]);
  assert.deepEqual(value("$..book[?(@.author =~ /.*REES/i)].price", s), [8.95]);
  assert.deepEqual(value("$..book[?(@.category == 'fiction' && @.price > 20)].title", s), ['The Lord of the Rings']);
  assert.deepEqual(value("$..book[?(@.category in ['reference'])].title", s), ['Sayings of the Century']);
  assert.deepEqual(value("$..book[?(!(@.price < 10) || @.category == 'reference')].price", s), [8.95, 12.99, 22.99]);
  assert.deepEqual(value("$.store['book','bicycle']", s), [bookList, bicycle]);
  assert.equal(value('$.store.book.length()', s), 4);
  assert.equal(value('$..book.length()', s), 1);
});

test('recorded: $.[?(…)] and a filter on the root', () => {
  const input = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] };
  assert.deepEqual(value('$.users[?(@.status == 0)]', scope(input)), [{ year: 1997, status: 0 }]);
  const arr = [{ year: 1997, name: 'a' }, { year: 2001, name: 'b' }];
  assert.deepEqual(value('$.[?(@.year < 1999)].name', scope(arr)), ['a']);
  assert.deepEqual(value('$[?(@.year <= 1999)]', scope(arr)), [arr[0]]);
});

test('recorded: wildcards and slices over missing input give []', () => {
  for (const p of ['$[*]', '$.items[*]', '$.items[1:]', '$.items[:1]', '$.item.items[*]', '$.item.items[1:5]', '$.items[1:].itemValue', '$.item.items[1:5].itemValue']) {
    assert.deepEqual(value(p, scope({})), [], p);
  }
});

test('recorded: a quoted name keeps its backslash (escape_sequences_jsonpath)', () => {
  assert.equal(value(`$['Test\\""Name"']`, scope({ 'Test\\""Name"': 'Value"\\' })), 'Value"\\');
});

test('context object and variables', () => {
  const s = scope({ a: 1 }, { v: { x: [10, 20] }, n: 5 });
  assert.equal(value('$$.Execution.Id', s), 'arn:x');
  assert.deepEqual(value('$$', s), s.context);
  assert.deepEqual(value('$v', s), { x: [10, 20] });
  assert.equal(value('$v.x[1]', s), 20);
  assert.equal(value('$n', s), 5);
  assert.deepEqual(resolveReference('$missing', s).found, false);
  const vs = scope({}, { arr: [1, 2] });
  assert.equal(value('$arr[0]', vs), 1);
});

test('not found: Jayway texts', () => {
  const s = scope({ 'int-literal': 0, a: 'str', list: [1] });
  assert.deepEqual(resolveReference('$.NoSuchInputPath', s), { found: false, reason: "No results for path: $['NoSuchInputPath']" });
  assert.deepEqual(resolveReference('$.no.such.result.path', s), { found: false, reason: "Missing property in path $['no']" });
  assert.deepEqual(resolveReference('$.list[3]', s), { found: false, reason: "No results for path: $['list'][3]" });
  const r = resolveReference('$.a.b', s);
  assert.ok(!r.found && r.reason?.startsWith("Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'"));
});

test('readPath throws States.Runtime with AWS cause', () => {
  assert.throws(
    () => readPath('$.NoSuchInputPath', scope({ 'int-literal': 0 })),
    (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime' && e.cause === "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
  );
  assert.throws(
    () => readPath('$.no.such.result.path', scope({})),
    (e: unknown) => e instanceof StatesError && e.cause === "Invalid path '$.no.such.result.path' : Missing property in path $['no']",
  );
});

test('applyResultPath', () => {
  const input = { a: 1, b: { c: 2 } };
  assert.deepEqual(applyResultPath(null, input, 'r'), input);
  assert.equal(applyResultPath('$', input, 'r'), 'r');
  assert.deepEqual(applyResultPath('$.x', input, 'r'), { a: 1, b: { c: 2 }, x: 'r' });
  assert.deepEqual(applyResultPath('$.b.d', input, 'r'), { a: 1, b: { c: 2, d: 'r' } });
  assert.deepEqual(applyResultPath('$.n.m.o', input, 'r'), { a: 1, b: { c: 2 }, n: { m: { o: 'r' } } });
  assert.deepEqual(applyResultPath('$.a', input, { z: 1 }), { a: { z: 1 }, b: { c: 2 } });
  assert.deepEqual(input, { a: 1, b: { c: 2 } }, 'input untouched');
  assert.throws(
    () => applyResultPath('$.x', 'hello', 1),
    (e: unknown) => e instanceof StatesError && e.error === 'States.ResultPathMatchFailure' && e.cause === 'Unable to apply ReferencePath $.x to input "\\"hello\\""',
  );
  assert.throws(() => applyResultPath('$.a.b', input, 1), (e: unknown) => e instanceof StatesError && e.error === 'States.ResultPathMatchFailure');
});

test('checkPath', () => {
  for (const p of ['$', '$.a', '$$.Execution.Input', '$var', '$var.x[0]', "$['a b']", '$.a[0].b']) {
    assert.equal(checkPath(p, 'ReferencePath'), null, p);
    assert.equal(checkPath(p, 'Path'), null, p);
  }
  for (const p of ['$.a[*]', '$..a', '$.a[?(@.b)]', '$.a[1:2]', '$.a.length()']) {
    assert.equal(checkPath(p, 'Path'), null, p);
    assert.equal(checkPath(p, 'ReferencePath'), 'must be a valid ReferencePath', p);
  }
  for (const p of ['', 'a', '$.', '$[', '$.a[', "$['a", '$.a]', '$[?(@.a ==)]', '.a', '$ .a']) {
    assert.equal(checkPath(p, 'Path'), 'must be a valid JSONPath', p);
  }
});

test('readFieldPath: recorded invalid_jsonpath_in_causepath', () => {
  assert.throws(
    () => readFieldPath('$.NoSuchCausePath', scope({ 'int-literal': 0 }), 'CausePath'),
    (e: unknown) =>
      e instanceof StatesError && e.error === 'States.Runtime' && e.cause === `The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '{"int-literal":0}'`,
  );
  assert.equal(readFieldPath('$.a', scope({ a: 'x' }), 'CausePath'), 'x');
});

test('more Jayway forms: bracket names in filters, functions in filters, deep wildcard, negative slices', () => {
  const s = scope({ a: [{ 'k y': 1, tags: ['x', 'y'] }, { 'k y': 2, tags: [] }], b: { c: { d: 1 } } });
  assert.deepEqual(value("$.a[?(@['k y'] > 1)]['k y']", s), [2]);
  assert.deepEqual(value('$.a[?(@.tags.length() > 0)].tags', s), [['x', 'y']]);
  assert.deepEqual(value("$.a[?(@.tags size 0)]['k y']", s), [2]);
  assert.deepEqual(value("$.a[?('x' in @.tags)]['k y']", s), [1]);
  assert.deepEqual(value("$.a[?(@.tags contains 'y')]['k y']", s), [1]);
  assert.deepEqual(value('$.b..*', s), [{ d: 1 }, 1]);
  assert.deepEqual(value('$.a[-1:][ "k y" ]', s), [2]);
  assert.deepEqual(value('$.a[-2]', s), { 'k y': 1, tags: ['x', 'y'] });
  assert.deepEqual(value('$.b.c.keys()', s), ['d']);
  assert.deepEqual(resolveReference('$.a[5]', s), { found: false, reason: "No results for path: $['a'][5]" });
});
