import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateNames, mapDomainPath } from './mapping.js';

const m = (id: string, key: string, apiId: string, stage?: string) => ({ id, key, apiId, ...(stage !== undefined ? { stage } : {}) });

test('v1 base paths: the first segment picks a mapping, else the root one; the base path is taken off', () => {
  const mappings = [m('1', '', 'rootapi', 'prod'), m('2', 'orders', 'ordersapi', 'v1'), m('3', 'open', 'openapi')];
  assert.deepEqual(mapDomainPath('/orders/items/1', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/items/1', basePath: 'orders' });
  assert.deepEqual(mapDomainPath('/orders', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/', basePath: 'orders' });
  assert.deepEqual(mapDomainPath('/ordersx/1', mappings), { apiId: 'rootapi', stage: 'prod', path: '/ordersx/1', basePath: '' });
  assert.deepEqual(mapDomainPath('/', mappings), { apiId: 'rootapi', stage: 'prod', path: '/', basePath: '' });
  // A mapping without a stage takes the stage from the next segment.
  assert.deepEqual(mapDomainPath('/open/test/pets', mappings), { apiId: 'openapi', stage: 'test', path: '/pets', basePath: 'open' });
  assert.deepEqual(mapDomainPath('/open', mappings), { apiId: 'openapi', stage: undefined, path: '/', basePath: 'open' });
  assert.equal(mapDomainPath('/x', mappings.slice(1)), undefined);
  assert.equal(mapDomainPath('/', []), undefined);
  // Percent-encoded segments match their decoded key; the rest of the path stays encoded.
  assert.deepEqual(mapDomainPath('/or%64ers/a%20b', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/a%20b', basePath: 'orders' });
});

test('multi-level keys: the longest key whose segments begin the path wins; the empty key matches every path', () => {
  const mappings = [m('1', '', 'root', '$default'), m('2', 'orders', 'orders', 'prod'), m('3', 'orders/v2', 'ordersv2', 'prod')];
  assert.deepEqual(mapDomainPath('/orders/v2/items', mappings), { apiId: 'ordersv2', stage: 'prod', path: '/items', basePath: 'orders/v2' });
  assert.deepEqual(mapDomainPath('/orders/v3/items', mappings), { apiId: 'orders', stage: 'prod', path: '/v3/items', basePath: 'orders' });
  assert.deepEqual(mapDomainPath('/orders/v2', mappings), { apiId: 'ordersv2', stage: 'prod', path: '/', basePath: 'orders/v2' });
  assert.deepEqual(mapDomainPath('/ordersv2', mappings), { apiId: 'root', stage: '$default', path: '/ordersv2', basePath: '' });
  assert.equal(mapDomainPath('/x', mappings.slice(1)), undefined);
});

test('a host name is served by its own domain, then by the wildcard one level up', () => {
  assert.deepEqual(candidateNames('API.Example.com.'), ['api.example.com', '*.example.com']);
  assert.deepEqual(candidateNames('localhost'), ['localhost']);
});
