import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredResource } from '../../model/rest-api.js';
import { ResourceRouter, eventPath, routingSegments } from './router.js';

const resource = (id: string, path: string, methods: string[]): StoredResource => ({ id, path, resourceMethods: Object.fromEntries(methods.map((m) => [m, { httpMethod: m }])) });

const router = new ResourceRouter([
  resource('root', '/', ['GET']),
  resource('pets', '/pets', ['GET', 'POST']),
  resource('pet', '/pets/{id}', ['GET']),
  resource('mine', '/pets/mine', ['GET']),
  resource('toys', '/pets/{id}/toys', ['ANY']),
  resource('files', '/files/{proxy+}', ['ANY']),
  resource('empty', '/empty', []),
  resource('greedyRoot', '/{proxy+}', ['DELETE']),
]);

const route = (method: string, path: string) => {
  const m = router.match(method, path);
  return m ? { id: m.resource.id, params: m.pathParameters, method: m.method.httpMethod } : undefined;
};

test('a literal part beats a parameter, a parameter beats a greedy variable', () => {
  assert.deepEqual(route('GET', '/pets/mine'), { id: 'mine', params: {}, method: 'GET' });
  assert.deepEqual(route('GET', '/pets/7'), { id: 'pet', params: { id: '7' }, method: 'GET' });
  assert.deepEqual(route('PATCH', '/pets/7/toys'), { id: 'toys', params: { id: '7' }, method: 'ANY' });
  assert.deepEqual(route('GET', '/files/a/b/c'), { id: 'files', params: { proxy: 'a/b/c' }, method: 'ANY' });
});

test('a method the matched resource lacks falls back to a less specific resource that has it', () => {
  assert.deepEqual(route('DELETE', '/pets/7'), { id: 'greedyRoot', params: { proxy: 'pets/7' }, method: 'DELETE' });
  assert.equal(route('PUT', '/pets/7'), undefined);
  assert.equal(route('GET', '/empty'), undefined);
});

test('trailing and leading slashes; a greedy variable takes at least one segment', () => {
  assert.equal(route('GET', '/pets/')?.id, 'pets');
  assert.equal(route('GET', '//pets')?.id, 'pets');
  assert.equal(route('GET', '/')?.id, 'root');
  assert.equal(route('GET', '/files'), undefined);
  assert.equal(route('GET', '/files/x/')?.params.proxy, 'x');
  assert.deepEqual(routingSegments('/a//b/'), ['a', '', 'b']);
  assert.equal(route('GET', '/pets//toys'), undefined, 'an empty segment is no {id}');
});

test('path parameters stay percent-encoded; literal parts match their encoded form', () => {
  assert.deepEqual(route('GET', '/pets/a%20b')?.params, { id: 'a%20b' });
  assert.deepEqual(route('GET', '/p%65ts')?.id, 'pets');
  assert.equal(eventPath('//a/b%2Bc/'), '/a/b%2Bc/');
});
