/**
 * What happens to a REST API request before and around its integration: request validation
 * (required parameters, bodies against JSON Schema draft 4 models with references), customised
 * gateway responses (status, headers, templates, DEFAULT_4XX), canary releases,
 * disableExecuteApiEndpoint, and CORS, which REST APIs leave to the OPTIONS method the user
 * configures.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method, type Built } from './rest-data-support.js';

let server: TestServer;
let client: apigw.APIGatewayClient;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
});
after(() => server.stop());

const MOCK_OK = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const OK_RESPONSE = { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } };

describe('request validation', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'validation', ['/orders/{id}', '/list', '/params-only']);
    const validator = await client.send(new apigw.CreateRequestValidatorCommand({ restApiId: built.apiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    const paramsOnly = await client.send(new apigw.CreateRequestValidatorCommand({ restApiId: built.apiId, name: 'params', validateRequestParameters: true }));
    await client.send(
      new apigw.CreateModelCommand({
        restApiId: built.apiId,
        name: 'Order',
        contentType: 'application/json',
        schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { qty: { type: 'integer', minimum: 1 }, sku: { type: 'string' } }, required: ['qty', 'sku'] }),
      }),
    );
    await client.send(
      new apigw.CreateModelCommand({
        restApiId: built.apiId,
        name: 'OrderList',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${built.apiId}/models/Order` } }),
      }),
    );
    await method(client, built, '/orders/{id}', 'POST', MOCK_OK, {
      method: { requestValidatorId: validator.id, requestParameters: { 'method.request.path.id': true, 'method.request.querystring.mode': true, 'method.request.header.x-token': true }, requestModels: { 'application/json': 'Order' } },
      responses: [OK_RESPONSE],
    });
    await method(client, built, '/list', 'POST', MOCK_OK, { method: { requestValidatorId: validator.id, requestModels: { 'application/json': 'OrderList' } }, responses: [OK_RESPONSE] });
    await method(client, built, '/params-only', 'POST', MOCK_OK, { method: { requestValidatorId: paramsOnly.id, requestParameters: { 'method.request.querystring.q': true }, requestModels: { 'application/json': 'Order' } }, responses: [OK_RESPONSE] });
    await deploy(client, built.apiId, 'v');
  });

  const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
    invoke(server, built.apiId, 'v', path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('missing required parameters: 400 naming them, before the body is looked at', async () => {
    const res = await post('/orders/1', 'not json');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), { message: 'Missing required request parameters: [x-token, mode]' });
    assert.equal(res.headers.get('x-amzn-errortype'), 'BadRequestException');
    const one = await post('/orders/1?mode=a', '{}');
    assert.deepEqual(one.json(), { message: 'Missing required request parameters: [x-token]' });
  });

  test('a body that does not match its model is 400 Invalid request body', async () => {
    const headers = { 'x-token': 't' };
    for (const body of ['{"qty": 0, "sku": "a"}', '{"qty": 1}', 'not json', '', '[]']) {
      const res = await post('/orders/1?mode=a', body, headers);
      assert.equal(res.status, 400, body);
      assert.deepEqual(res.json(), { message: 'Invalid request body' });
    }
    const ok = await post('/orders/1?mode=a', '{"qty": 2, "sku": "a"}', headers);
    assert.equal(ok.status, 200, ok.text);
  });

  test('a model referring to another model by its URL', async () => {
    assert.equal((await post('/list', '[{"qty": 1, "sku": "a"}, {"qty": 3, "sku": "b"}]')).status, 200);
    assert.equal((await post('/list', '[{"qty": 1}]')).status, 400);
  });

  test('a validator of parameters only lets any body through', async () => {
    assert.equal((await post('/params-only?q=1', 'not json')).status, 200);
    assert.deepEqual((await post('/params-only', '{}')).json(), { message: 'Missing required request parameters: [q]' });
  });
});

describe('gateway responses', () => {
  test('customised types and DEFAULT_4XX shape what the plane answers', async () => {
    const b = await buildApi(client, 'gateway-responses', ['/x']);
    await method(client, b, '/x', 'GET', MOCK_OK, { responses: [OK_RESPONSE] });
    await client.send(
      new apigw.PutGatewayResponseCommand({
        restApiId: b.apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.x-stage': 'stageVariables.name' },
        responseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType", "path": "$context.path"}' },
      }),
    );
    await client.send(new apigw.PutGatewayResponseCommand({ restApiId: b.apiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.x-default': "'4xx'" } }));
    await deploy(client, b.apiId, 'gw', { name: 'gw-stage' });
    const res = await invoke(server, b.apiId, 'gw', '/nothing');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('x-stage'), 'gw-stage');
    assert.equal(res.headers.get('x-default'), '4xx');
    assert.deepEqual(res.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', path: '/gw/nothing' });
    const fine = await invoke(server, b.apiId, 'gw', '/x');
    assert.equal(fine.status, 200);
    assert.equal(fine.headers.get('x-default'), null);
  });
});

describe('stages', () => {
  test('a canary at 100% serves its deployment with its variable overrides', async () => {
    const b = await buildApi(client, 'canary', []);
    const template = (message: string) => ({ statusCode: '200', responseTemplates: { 'application/json': `{"message": "${message}", "v": "$stageVariables.v", "only": "$stageVariables.only", "canary": "$context.isCanaryRequest"}` } });
    await method(client, b, '/', 'GET', MOCK_OK, { responses: [template('base')] });
    await deploy(client, b.apiId, 'dev', { v: 'default' });
    await client.send(new apigw.PutIntegrationResponseCommand({ restApiId: b.apiId, resourceId: b.rootId, httpMethod: 'GET', ...template('canary') }));
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: b.apiId, stageName: 'dev', canarySettings: { percentTraffic: 0, stageVariableOverrides: { v: 'canary', only: 'canary' } } }));
    assert.deepEqual((await invoke(server, b.apiId, 'dev', '/')).json(), { message: 'base', v: 'default', only: '', canary: 'false' });
    await client.send(new apigw.UpdateStageCommand({ restApiId: b.apiId, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '100.0' }] }));
    assert.deepEqual((await invoke(server, b.apiId, 'dev', '/')).json(), { message: 'canary', v: 'canary', only: 'canary', canary: 'true' });
  });

  test('disableExecuteApiEndpoint: the default endpoint answers 403 Forbidden', async () => {
    const b = await buildApi(client, 'disabled', ['/x']);
    await method(client, b, '/x', 'GET', MOCK_OK, { responses: [OK_RESPONSE] });
    await deploy(client, b.apiId, 'p');
    assert.equal((await invoke(server, b.apiId, 'p', '/x')).status, 200);
    await client.send(new apigw.UpdateRestApiCommand({ restApiId: b.apiId, patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }] }));
    await deploy(client, b.apiId, 'p');
    const res = await invoke(server, b.apiId, 'p', '/x');
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { message: 'Forbidden' });
  });

  test('a payload over 10 MB is 413 REQUEST_TOO_LARGE', async () => {
    const b = await buildApi(client, 'large', ['/x']);
    await method(client, b, '/x', 'POST', MOCK_OK, { responses: [OK_RESPONSE] });
    await deploy(client, b.apiId, 'p');
    const res = await invoke(server, b.apiId, 'p', '/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) });
    assert.equal(res.status, 413);
    assert.deepEqual(res.json(), { message: 'Request Too Long' });
    assert.equal((await invoke(server, b.apiId, 'p', '/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(1024 * 1024, 0x20) })).status, 200);
  });

  test('CORS: nothing is added; a preflight is the OPTIONS method the API defines', async () => {
    const b = await buildApi(client, 'cors', ['/x']);
    await method(client, b, '/x', 'GET', MOCK_OK, { responses: [OK_RESPONSE] });
    await deploy(client, b.apiId, 'p');
    const preflight = await invoke(server, b.apiId, 'p', '/x', { method: 'OPTIONS', headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 403);
    const get = await invoke(server, b.apiId, 'p', '/x', { headers: { origin: 'https://example.com' } });
    assert.equal(get.headers.get('access-control-allow-origin'), null);
    await method(client, b, '/x', 'OPTIONS', MOCK_OK, {
      responses: [{ statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'", 'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'" } }],
    });
    await deploy(client, b.apiId, 'p');
    const configured = await invoke(server, b.apiId, 'p', '/x', { method: 'OPTIONS', headers: { origin: 'https://example.com' } });
    assert.equal(configured.status, 200);
    assert.equal(configured.headers.get('access-control-allow-origin'), '*');
    assert.equal(configured.headers.get('access-control-allow-methods'), 'GET,OPTIONS');
  });
});
