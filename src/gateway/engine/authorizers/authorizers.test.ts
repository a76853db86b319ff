import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiRequest } from '../../model/http.js';
import { requestEvent, tokenEvent } from './authorizer-event.js';
import { parseAuthorizerOutput } from './authorizer-output.js';
import { identitySources, identityValues } from './identity-source.js';
import { cacheTtl, ResultCache } from './result-cache.js';

const request = (over: Partial<ApiRequest> = {}): ApiRequest => ({
  method: 'GET',
  host: 'abc123.execute-api.localhost:4566',
  path: '/pets/7',
  rawQuery: 'a=1&a=2&b=x%20y',
  rawHeaders: ['Host', 'abc123.execute-api.localhost:4566', 'Authorization', 'tok', 'X-Multi', 'one', 'X-Multi', 'two'],
  headers: { host: 'abc123.execute-api.localhost:4566', authorization: 'tok', 'x-multi': 'one, two' },
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  receivedAt: Date.parse('2026-12-06T10:11:12Z'),
  requestId: 'r-1',
  protocol: 'http',
  ...over,
});

test('the TOKEN event', () => {
  assert.deepEqual(tokenEvent('tok', 'arn:x'), { type: 'TOKEN', authorizationToken: 'tok', methodArn: 'arn:x' });
});

test('the REQUEST event carries the request as a proxy integration sees it', () => {
  const event = requestEvent({
    methodArn: 'arn:aws:execute-api:us-east-1:1:abc123/dev/GET/pets/7',
    request: request(),
    resourcePath: '/pets/{id}',
    resourceId: 'res1',
    httpMethod: 'GET',
    apiId: 'abc123',
    accountId: '1',
    stage: 'dev',
    pathParameters: { id: '7' },
    stageVariables: {},
  });
  assert.equal(event.type, 'REQUEST');
  assert.equal(event.resource, '/pets/{id}');
  assert.equal(event.path, '/pets/7');
  assert.deepEqual(event.headers, { Host: 'abc123.execute-api.localhost:4566', Authorization: 'tok', 'X-Multi': 'two' });
  assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)['X-Multi'], ['one', 'two']);
  assert.deepEqual(event.queryStringParameters, { a: '2', b: 'x y' });
  assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x y'] });
  assert.deepEqual(event.pathParameters, { id: '7' });
  assert.equal(event.stageVariables, null);
  const context = event.requestContext as Record<string, unknown>;
  assert.equal(context.path, '/dev/pets/7');
  assert.equal(context.requestTime, '06/Dec/2026:10:11:12 +0000');
  assert.equal((context.identity as Record<string, unknown>).sourceIp, '127.0.0.1');
});

test('identity sources: every one present, or none', () => {
  const inputs = { request: request(), stageVariables: { v: 'sv' }, context: { 'identity.sourceIp': '127.0.0.1' } };
  const sources = identitySources('method.request.header.authorization, method.request.querystring.a,stageVariables.v,context.identity.sourceIp');
  assert.deepEqual(identityValues(sources, inputs), ['tok', '1,2', 'sv', '127.0.0.1']);
  assert.equal(identityValues(identitySources('method.request.header.X-Missing'), inputs), undefined);
  assert.equal(identityValues(identitySources('method.request.header.Authorization'), { ...inputs, request: request({ headers: { authorization: '' } }) }), undefined);
  assert.deepEqual(identitySources(undefined), []);
});

test('an authorizer answer: what is well formed and what is not', () => {
  const policyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] };
  assert.deepEqual(parseAuthorizerOutput(JSON.stringify({ principalId: 'u', policyDocument, context: { n: 1, b: true, s: 'x' }, usageIdentifierKey: 'k'.repeat(20) })), {
    principalId: 'u',
    policyDocument,
    context: { n: '1', b: 'true', s: 'x' },
    usageIdentifierKey: 'k'.repeat(20),
  });
  assert.equal(parseAuthorizerOutput('not json'), undefined);
  assert.equal(parseAuthorizerOutput(JSON.stringify({ policyDocument })), undefined, 'no principal');
  assert.equal(parseAuthorizerOutput(JSON.stringify({ principalId: 'u' })), undefined, 'no policy');
  assert.equal(parseAuthorizerOutput(JSON.stringify({ principalId: 'u', policyDocument, context: { nested: { a: 1 } } })), undefined, 'nested context');
  assert.equal(parseAuthorizerOutput(JSON.stringify({ principalId: 'u', policyDocument, context: { list: [1] } })), undefined);
});

test('the result cache keeps answers for the TTL, never with 0', () => {
  const cache = new ResultCache<string>(2);
  cache.set('a', 'A', 10, 0);
  cache.set('off', 'X', 0, 0);
  assert.equal(cache.get('a', 9_999), 'A');
  assert.equal(cache.get('a', 10_000), undefined);
  assert.equal(cache.get('off', 0), undefined);
  cache.set('b', 'B', 10, 0);
  cache.set('c', 'C', 10, 0);
  cache.set('d', 'D', 10, 0);
  assert.equal(cache.get('b', 1), undefined, 'the oldest made room');
  cache.dropPrefix('d');
  assert.equal(cache.get('d', 1), undefined);
  assert.equal(cacheTtl(undefined), 300);
  assert.equal(cacheTtl(0), 0);
});
