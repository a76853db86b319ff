import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflictingVariable, parseRouteKey, type ParsedRouteKey } from './route-keys.js';
import { RouteTable } from './route-select.js';

const table = (...keys: string[]) => new RouteTable(keys.map((RouteKey) => ({ RouteKey })));
const pick = (t: RouteTable<{ RouteKey: string }>, method: string, path: string) => {
  const choice = t.select(method, path);
  return choice === undefined ? undefined : [choice.route.RouteKey, choice.pathParameters];
};

test('the most specific route wins: literal over variable over greedy, then method over ANY', () => {
  const t = table('GET /pets', 'GET /pets/{id}', 'ANY /pets/{id}', 'GET /pets/dog', 'ANY /{proxy+}', 'GET /pets/{id}/{rest+}', '$default');
  assert.deepEqual(pick(t, 'GET', '/pets'), ['GET /pets', {}]);
  assert.deepEqual(pick(t, 'GET', '/pets/dog'), ['GET /pets/dog', {}]);
  assert.deepEqual(pick(t, 'GET', '/pets/7'), ['GET /pets/{id}', { id: '7' }]);
  assert.deepEqual(pick(t, 'DELETE', '/pets/7'), ['ANY /pets/{id}', { id: '7' }]);
  assert.deepEqual(pick(t, 'GET', '/pets/7/a/b'), ['GET /pets/{id}/{rest+}', { id: '7', rest: 'a/b' }]);
  assert.deepEqual(pick(t, 'POST', '/pets/7/a/b'), ['ANY /{proxy+}', { proxy: 'pets/7/a/b' }]);
  assert.deepEqual(pick(t, 'POST', '/'), ['$default', {}]);
  assert.deepEqual(pick(t, 'GET', '/Pets'), ['ANY /{proxy+}', { proxy: 'Pets' }], 'paths are case-sensitive');
});

test('no match and no $default: undefined; variables are decoded; a greedy variable needs a segment', () => {
  const t = table('GET /a/{x}', 'GET /b/{p+}');
  assert.equal(pick(t, 'GET', '/c'), undefined);
  assert.equal(pick(t, 'POST', '/a/1'), undefined);
  assert.deepEqual(pick(t, 'GET', '/a/h%20i'), ['GET /a/{x}', { x: 'h i' }]);
  assert.equal(pick(t, 'GET', '/b'), undefined);
  assert.deepEqual(pick(t, 'GET', '/b/'), undefined);
  assert.deepEqual(pick(t, 'GET', '/a/1/'), ['GET /a/{x}', { x: '1' }]);
  assert.deepEqual(pick(table('GET /'), 'GET', '/'), ['GET /', {}]);
});

test('route keys: parse errors and conflicting variables', () => {
  for (const bad of ['GET', 'FETCH /a', 'GET a', 'GET /a//b', 'GET /{a+}/b', 'GET /{a}/{a}', 'GET /a{b}']) assert.equal(typeof parseRouteKey(bad), 'string', bad);
  const p = (k: string) => parseRouteKey(k) as ParsedRouteKey;
  assert.equal(conflictingVariable(p('GET /a/{x}'), p('POST /a/{y}/b')), true);
  assert.equal(conflictingVariable(p('GET /a/{x}'), p('POST /a/{x}/b')), false);
  assert.equal(conflictingVariable(p('GET /a/{x}'), p('GET /b/{y}')), false);
  assert.equal(conflictingVariable(p('GET /a/{x}'), p('GET /a/{y+}')), false);
});
