/**
 * The REST API data plane end to end: APIs built through @aws-sdk/client-api-gateway, served
 * through both invoke-URL forms — routing (literal, `{param}`, `{proxy+}`, ANY, trailing and
 * doubled slashes, percent-decoding), unknown stages and routes, MOCK integrations with request
 * and response templates and overrides, passthrough behaviours, HTTP and HTTP_PROXY integrations
 * against a local server (parameter mapping, stage variables, status selection, timeouts), bad
 * templates, and the headers API Gateway puts on every answer.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, invokeByHost, method, startBackend, type Built } from './rest-data-support.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
let backend: Awaited<ReturnType<typeof startBackend>>;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  backend = await startBackend((req) => {
    if (req.url.startsWith('/slow')) return { delayMs: 1500 };
    if (req.url.startsWith('/status/')) return { status: Number(req.url.split('/')[2]), body: JSON.stringify({ failed: true }) };
    return { headers: { 'x-backend': 'yes' } };
  });
});
after(async () => {
  await backend.close();
  await server.stop();
});

const MOCK_200 = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };

describe('routing', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'routing', ['/pets', '/pets/{petId}', '/pets/{petId}/toys', '/files/{proxy+}', '/any']);
    const echo = (name: string) => ({ statusCode: '200', responseTemplates: { 'application/json': `{"route": "${name}", "path": "$input.params().path", "id": "$input.params('petId')", "proxy": "$input.params('proxy')"}` } });
    await method(client, built, '/', 'GET', MOCK_200, { responses: [echo('root')] });
    await method(client, built, '/pets', 'GET', MOCK_200, { responses: [echo('list')] });
    await method(client, built, '/pets/{petId}', 'GET', MOCK_200, { responses: [echo('one')] });
    await method(client, built, '/pets/{petId}/toys', 'POST', MOCK_200, { responses: [echo('toys')] });
    await method(client, built, '/files/{proxy+}', 'ANY', MOCK_200, { responses: [echo('files')] });
    await method(client, built, '/any', 'ANY', MOCK_200, { responses: [echo('any')] });
    await method(client, built, '/any', 'DELETE', MOCK_200, { responses: [echo('any-delete')] });
    await deploy(client, built.apiId, 'dev');
  });

  test('literal, parameter and greedy resources; the request method before ANY', async () => {
    const cases: [string, string, Record<string, string>][] = [
      ['GET', '/', { route: 'root' }],
      ['GET', '/pets', { route: 'list' }],
      ['GET', '/pets/', { route: 'list' }],
      ['GET', '/pets/42', { route: 'one', id: '42' }],
      ['GET', '/pets/a%20b', { route: 'one', id: 'a%20b' }],
      ['GET', '/pets/test%2Balias@gmail.com', { route: 'one', id: 'test%2Balias@gmail.com' }],
      ['POST', '/pets/7/toys', { route: 'toys', id: '7' }],
      ['PUT', '/files/a/b/c.txt', { route: 'files', proxy: 'a/b/c.txt' }],
      ['GET', '/files/x', { route: 'files', proxy: 'x' }],
      ['PATCH', '/any', { route: 'any' }],
      ['DELETE', '/any', { route: 'any-delete' }],
    ];
    for (const [m, path, expected] of cases) {
      const res = await invoke(server, built.apiId, 'dev', path, { method: m });
      assert.equal(res.status, 200, `${m} ${path}: ${res.text}`);
      const body = res.json() as Record<string, string>;
      for (const [k, v] of Object.entries(expected)) assert.equal(body[k], v, `${m} ${path} ${k}`);
    }
  });

  test('an unknown path or method is 403 Missing Authentication Token; an unknown stage is 403 Forbidden', async () => {
    for (const [m, path] of [
      ['GET', '/nothing'],
      ['POST', '/pets'],
      ['GET', '/pets/1/toys'],
      ['GET', '/files'],
    ]) {
      const res = await invoke(server, built.apiId, 'dev', path, { method: m });
      assert.equal(res.status, 403, `${m} ${path}`);
      assert.deepEqual(res.json(), { message: 'Missing Authentication Token' });
      assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      assert.ok(res.headers.get('x-amzn-requestid'));
    }
    const stage = await invoke(server, built.apiId, 'nostage', '/pets');
    assert.equal(stage.status, 403);
    assert.deepEqual(stage.json(), { message: 'Forbidden' });
  });

  test('the invoke-URL host form serves the same stage', async () => {
    const res = await invokeByHost(server, built.apiId, '/dev/pets/9');
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.text) as { id: string }).id, '9');
    assert.ok(res.headers['x-amzn-requestid']);
    assert.match(String(res.headers['x-amz-apigw-id']), /^[A-Za-z0-9+/]{15}=$/);
    // MOCK integrations call no backend: AWS answers no X-Amzn-Trace-Id (recorded, test_invocation_trace_id).
    assert.equal(res.headers['x-amzn-trace-id'], undefined);
    const missing = await invokeByHost(server, built.apiId, '/dev/zzz');
    assert.equal(missing.status, 403);
  });

  test('a REST API that does not exist is left to the other planes', async () => {
    const res = await invoke(server, 'nosuchapi1', 'dev', '/pets');
    assert.equal(res.status, 403);
  });

  test('a new deployment of the stage serves the new tree', async () => {
    const b = await buildApi(client, 'redeploy', ['/a']);
    await method(client, b, '/a', 'GET', MOCK_200, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"v": 1}' } }] });
    await deploy(client, b.apiId, 'prod');
    assert.deepEqual((await invoke(server, b.apiId, 'prod', '/a')).json(), { v: 1 });
    await client.send(new apigw.PutIntegrationResponseCommand({ restApiId: b.apiId, resourceId: b.ids.get('/a')!, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": 2}' } }));
    // Not deployed yet: the stage still serves its deployment.
    assert.deepEqual((await invoke(server, b.apiId, 'prod', '/a')).json(), { v: 1 });
    await deploy(client, b.apiId, 'prod');
    assert.deepEqual((await invoke(server, b.apiId, 'prod', '/a')).json(), { v: 2 });
  });
});

describe('MOCK integrations and templates', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'mock', ['/status', '/never', '/notemplates', '/override', '/bad', '/nomatch', '/vars', '/ctx']);
    await method(client, built, '/status', 'POST', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": $input.json(\'$.code\')}' } }, {
      responses: [
        { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } },
        { statusCode: '404', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"ok": false}' }, responseParameters: { 'method.response.header.X-Reason': "'not found'" } },
      ],
    });
    await method(client, built, '/never', 'POST', { ...MOCK_200, passthroughBehavior: 'NEVER' }, { responses: [{ statusCode: '200' }] });
    await method(client, built, '/notemplates', 'POST', { ...MOCK_200, passthroughBehavior: 'WHEN_NO_TEMPLATES' }, { responses: [{ statusCode: '200' }] });
    await method(client, built, '/override', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '#set($context.responseOverride.status = 444)\n#set($context.responseOverride.header.foo = "bar")\n{"statusCode": 200}' } }, { responses: [{ statusCode: '200', selectionPattern: '2\\d{2}' }] });
    await method(client, built, '/bad', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '#if($x' } }, { responses: [{ statusCode: '200' }] });
    await method(client, built, '/nomatch', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 500}' } }, { responses: [{ statusCode: '200', selectionPattern: '2\\d{2}' }] });
    await method(client, built, '/vars', 'GET', MOCK_200, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"color": "$stageVariables.color", "stage": "$context.stage", "method": "$context.httpMethod", "resource": "$context.resourcePath"}' } }] });
    await method(client, built, '/ctx', 'GET', MOCK_200, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"requestId": "$context.requestId", "apiId": "$context.apiId", "ip": "$context.identity.sourceIp"}' } }] });
    await deploy(client, built.apiId, 'test', { color: 'blue' });
  });

  test('the request template chooses the status; integration responses select on it', async () => {
    const ok = await invoke(server, built.apiId, 'test', '/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": 200}' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { ok: true });
    assert.equal(ok.headers.get('content-type'), 'application/json');
    const notFound = await invoke(server, built.apiId, 'test', '/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": 404}' });
    assert.equal(notFound.status, 404);
    assert.deepEqual(notFound.json(), { ok: false });
    assert.equal(notFound.headers.get('x-reason'), 'not found');
  });

  test('passthrough behaviours: NEVER and WHEN_NO_TEMPLATES refuse an unmatched Content-Type with 415', async () => {
    for (const path of ['/never', '/notemplates']) {
      const refused = await invoke(server, built.apiId, 'test', path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
      assert.equal(refused.status, 415, path);
      assert.deepEqual(refused.json(), { message: 'Unsupported Media Type' });
      const json = await invoke(server, built.apiId, 'test', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(json.status, 200, path);
    }
  });

  test('$context.responseOverride from the request template sets the status and headers', async () => {
    const res = await invoke(server, built.apiId, 'test', '/override');
    assert.equal(res.status, 444);
    assert.equal(res.headers.get('foo'), 'bar');
    assert.equal(res.text, '');
  });

  test('a template that does not parse, and no matching integration response, are 500 Internal server error', async () => {
    for (const path of ['/bad', '/nomatch']) {
      const res = await invoke(server, built.apiId, 'test', path);
      assert.equal(res.status, 500, path);
      assert.deepEqual(res.json(), { message: 'Internal server error' });
    }
  });

  test('stage variables and $context in templates', async () => {
    const res = await invoke(server, built.apiId, 'test', '/vars');
    assert.deepEqual(res.json(), { color: 'blue', stage: 'test', method: 'GET', resource: '/vars' });
    const ctx = await invoke(server, built.apiId, 'test', '/ctx');
    const body = ctx.json() as Record<string, string>;
    assert.equal(body.requestId, ctx.headers.get('x-amzn-requestid'));
    assert.equal(body.apiId, built.apiId);
    assert.equal(body.ip, '127.0.0.1');
  });
});

describe('HTTP and HTTP_PROXY integrations', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'http', ['/proxy/{proxy+}', '/items/{id}', '/slow', '/fail', '/down']);
    await method(client, built, '/proxy/{proxy+}', 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${backend.url}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.X-Stage': 'stageVariables.color' },
    });
    await method(
      client,
      built,
      '/items/{id}',
      'POST',
      {
        type: 'HTTP',
        integrationHttpMethod: 'PUT',
        uri: `${backend.url}/things/{thing}`,
        requestParameters: {
          'integration.request.path.thing': 'method.request.path.id',
          'integration.request.querystring.q': 'method.request.querystring.search',
          'integration.request.header.X-Custom': "'literal-value'",
          'integration.request.header.X-From-Header': 'method.request.header.x-in',
          'integration.request.querystring.stage': 'context.stage',
        },
        requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' },
      },
      { method: { requestParameters: { 'method.request.path.id': true, 'method.request.querystring.search': false, 'method.request.header.x-in': false } }, responses: [{ statusCode: '200', responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.x-backend' } }] },
    );
    await method(client, built, '/slow', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backend.url}/slow`, timeoutInMillis: 300 });
    await method(client, built, '/fail', 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${backend.url}/status/503` }, {
      responses: [
        { statusCode: '200' },
        { statusCode: '502', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': '{"upstream": $input.json(\'$.failed\')}' } },
      ],
    });
    await method(client, built, '/down', 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' });
    await deploy(client, built.apiId, 'v1', { color: 'green' });
  });

  test('HTTP_PROXY forwards method, path, query, headers and body, and answers what the backend answered', async () => {
    const before = backend.seen.length;
    const res = await invoke(server, built.apiId, 'v1', '/proxy/a/b%20c?x=1&x=2', { method: 'PATCH', headers: { 'content-type': 'text/plain', 'x-mine': 'v' }, body: 'payload' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-backend'), 'yes');
    assert.ok(res.headers.get('x-amzn-trace-id'));
    const seen = backend.seen[before];
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.url, '/a/b%20c?x=1&x=2');
    assert.equal(seen.body, 'payload');
    assert.equal(seen.headers['x-mine'], 'v');
    assert.equal(seen.headers['x-stage'], 'green');
    assert.ok(String(seen.headers['x-amzn-trace-id']).startsWith('Root=1-'));
  });

  test('HTTP maps path, query string and headers, and renders the request template', async () => {
    const before = backend.seen.length;
    const res = await invoke(server, built.apiId, 'v1', '/items/42?search=blue', { method: 'POST', headers: { 'content-type': 'application/json', 'x-in': 'from-client', 'x-not-mapped': 'no' }, body: '{"a":1}' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-backend'), 'yes');
    const seen = backend.seen[before];
    assert.equal(seen.method, 'PUT');
    const url = new URL(seen.url, 'http://x');
    assert.equal(url.pathname, '/things/42');
    assert.equal(url.searchParams.get('q'), 'blue');
    assert.equal(url.searchParams.get('stage'), 'v1');
    assert.equal(seen.headers['x-custom'], 'literal-value');
    assert.equal(seen.headers['x-from-header'], 'from-client');
    assert.equal(seen.headers['x-not-mapped'], undefined);
    assert.deepEqual(JSON.parse(seen.body), { wrapped: { a: 1 } });
    // The non-proxy answer is the backend's body through the default integration response.
    assert.deepEqual(res.json(), { method: 'PUT', url: seen.url, body: seen.body });
  });

  test('an HTTP status selects the integration response', async () => {
    const res = await invoke(server, built.apiId, 'v1', '/fail');
    assert.equal(res.status, 502);
    assert.deepEqual(res.json(), { upstream: true });
  });

  test('a backend slower than timeoutInMillis is 504 Endpoint request timed out', async () => {
    const started = Date.now();
    const res = await invoke(server, built.apiId, 'v1', '/slow');
    assert.equal(res.status, 504);
    assert.deepEqual(res.json(), { message: 'Endpoint request timed out' });
    assert.ok(Date.now() - started < 1400, 'answered at the timeout, not when the backend answered');
  });

  test('a backend that cannot be reached is a 5XX, not a crash', async () => {
    const res = await invoke(server, built.apiId, 'v1', '/down');
    assert.ok(res.status >= 500, String(res.status));
    assert.deepEqual(res.json(), { message: 'Internal server error' });
  });
});
