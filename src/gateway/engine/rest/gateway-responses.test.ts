import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultGatewayBody, resolveGatewayResponse } from './gateway-responses.js';

test('defaults: status, message, error type', () => {
  const missing = resolveGatewayResponse({ type: 'MISSING_AUTHENTICATION_TOKEN' }, {});
  assert.equal(missing.status, 403);
  assert.equal(missing.message, 'Missing Authentication Token');
  assert.equal(missing.errorType, 'MissingAuthenticationTokenException');
  assert.equal(resolveGatewayResponse({ type: 'INTEGRATION_TIMEOUT' }, {}).status, 504);
  assert.equal(resolveGatewayResponse({ type: 'UNSUPPORTED_MEDIA_TYPE' }, {}).status, 415);
  assert.equal(defaultGatewayBody('a "quoted" text'), '{"message":"a \\"quoted\\" text"}');
});

test('a customised type wins; DEFAULT_4XX / DEFAULT_5XX apply to the types not customised', () => {
  const customised = {
    DEFAULT_4XX: { responseType: 'DEFAULT_4XX' as const, statusCode: '418', responseParameters: { 'gatewayresponse.header.x-all': "'4xx'" }, responseTemplates: { 'application/json': '{"four": true}' } },
    BAD_REQUEST_BODY: { responseType: 'BAD_REQUEST_BODY' as const, responseParameters: { 'gatewayresponse.header.x-own': "'own'" } },
  };
  const missing = resolveGatewayResponse({ type: 'MISSING_AUTHENTICATION_TOKEN' }, customised);
  assert.equal(missing.status, 418);
  assert.deepEqual(missing.responseTemplates, { 'application/json': '{"four": true}' });
  const body = resolveGatewayResponse({ type: 'BAD_REQUEST_BODY' }, customised);
  assert.equal(body.status, 418, 'a type without its own status takes DEFAULT_4XX’s');
  assert.deepEqual(body.responseParameters, { 'gatewayresponse.header.x-all': "'4xx'", 'gatewayresponse.header.x-own': "'own'" });
  assert.equal(resolveGatewayResponse({ type: 'INTEGRATION_FAILURE', status: 502 }, customised).status, 502, 'a 5XX is not a DEFAULT_4XX');
});
