import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateNames, mapApiMapping, mapBasePath } from './mapping.js';

test('base path mappings: the first segment picks a mapping, else (none) at the root; the base path is taken off', () => {
  const mappings = [
    { basePath: '(none)', restApiId: 'rootapi', stage: 'prod' },
    { basePath: 'orders', restApiId: 'ordersapi', stage: 'v1' },
    { basePath: 'open', restApiId: 'openapi' },
  ];
  assert.deepEqual(mapBasePath('/orders/items/1', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/items/1', basePath: 'orders' });
  assert.deepEqual(mapBasePath('/orders', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/', basePath: 'orders' });
  assert.deepEqual(mapBasePath('/ordersx/1', mappings), { apiId: 'rootapi', stage: 'prod', path: '/ordersx/1', basePath: '(none)' });
  assert.deepEqual(mapBasePath('/', mappings), { apiId: 'rootapi', stage: 'prod', path: '/', basePath: '(none)' });
  // A mapping without a stage takes the stage from the next segment.
  assert.deepEqual(mapBasePath('/open/test/pets', mappings), { apiId: 'openapi', stage: 'test', path: '/pets', basePath: 'open' });
  assert.deepEqual(mapBasePath('/open', mappings), { apiId: 'openapi', stage: undefined, path: '/', basePath: 'open' });
  assert.equal(mapBasePath('/x', mappings.slice(1)), undefined);
  assert.equal(mapBasePath('/', []), undefined);
  // Percent-encoded segments match their decoded base path; the rest of the path stays encoded.
  assert.deepEqual(mapBasePath('/or%64ers/a%20b', mappings), { apiId: 'ordersapi', stage: 'v1', path: '/a%20b', basePath: 'orders' });
});

test('API mappings: the longest key whose segments begin the path wins; the empty key matches every path', () => {
  const mappings = [
    { ApiId: 'root', ApiMappingKey: '', Stage: '$default' },
    { ApiId: 'orders', ApiMappingKey: 'orders', Stage: 'prod' },
    { ApiId: 'ordersv2', ApiMappingKey: 'orders/v2', Stage: 'prod' },
  ];
  assert.deepEqual(mapApiMapping('/orders/v2/items', mappings), { apiId: 'ordersv2', stage: 'prod', path: '/items', basePath: 'orders/v2' });
  assert.deepEqual(mapApiMapping('/orders/v3/items', mappings), { apiId: 'orders', stage: 'prod', path: '/v3/items', basePath: 'orders' });
  assert.deepEqual(mapApiMapping('/orders/v2', mappings), { apiId: 'ordersv2', stage: 'prod', path: '/', basePath: 'orders/v2' });
  assert.deepEqual(mapApiMapping('/ordersv2', mappings), { apiId: 'root', stage: '$default', path: '/ordersv2', basePath: '' });
  assert.equal(mapApiMapping('/x', mappings.slice(1)), undefined);
});

test('a host name is served by its own domain, then by the wildcard one level up', () => {
  assert.deepEqual(candidateNames('API.Example.com.'), ['api.example.com', '*.example.com']);
  assert.deepEqual(candidateNames('localhost'), ['localhost']);
});
