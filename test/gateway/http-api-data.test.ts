/**
 * HTTP APIs served end to end: APIs made through @aws-sdk/client-apigatewayv2, called over HTTP
 * at their invoke URLs, with real Lambda functions (payload 2.0 and 1.0), an HTTP proxy to a local
 * server, parameter mapping, route selection, stages, CORS, throttling, the execute-api endpoint
 * switch and access logs.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { apiWithStage, hostOf, nodeFunction, route, send } from './http-api-support.js';

const ECHO = `
exports.handler = async (event) => {
  const path = event.rawPath || event.path || '';
  const shape = (event.queryStringParameters || {}).shape;
  if (path.endsWith('/fail')) throw new Error('boom');
  if (shape === 'bare') return { hello: 'world' };
  if (shape === 'string') return 'just text';
  if (shape === 'notjson') return undefined;
  if (shape === 'full') return { statusCode: 201, headers: { 'x-custom': 'yes' }, cookies: ['a=1', 'b=2'], body: 'created' };
  if (shape === 'binary') return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
  if (shape === 'slow') { await new Promise((r) => setTimeout(r, 1500)); }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
};`;

let server: TestServer;
let client: v2.ApiGatewayV2Client;
let lambda: LambdaClient;
let echoArn: string;
let backend: Server;
let backendUrl: string;
const backendSeen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

before(async () => {
  server = await startTestServer();
  client = server.client(v2.ApiGatewayV2Client);
  lambda = server.client(LambdaClient);
  echoArn = await nodeFunction(lambda, ECHO);
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      backendSeen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url!.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 1000);
        return;
      }
      res.writeHead(req.url!.startsWith('/missing') ? 404 : 200, { 'content-type': 'text/plain', 'x-backend': 'yes', 'access-control-allow-origin': 'https://backend.example' });
      res.end(`backend saw ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  await server.stop();
});

const lambdaV2 = { IntegrationType: 'AWS_PROXY' as const, PayloadFormatVersion: '2.0' };

describe('Lambda proxy, payload 2.0', () => {
  let apiId: string;
  before(async () => {
    apiId = await apiWithStage(client, '$default');
    await route(client, apiId, 'ANY /items/{id}', { ...lambdaV2, IntegrationUri: echoArn });
    await route(client, apiId, 'GET /fail', { ...lambdaV2, IntegrationUri: echoArn });
  });

  test('the event AWS documents: rawPath, cookies, joined headers and query, requestContext, pathParameters', async () => {
    const reply = await send(server, {
      method: 'POST',
      host: hostOf(apiId),
      path: '/items/42?a=1&a=2&b=x%20y',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'x-multi': ['one', 'two'], 'user-agent': 'tester/1' },
      body: '{"k":"v"}',
    });
    assert.equal(reply.status, 200);
    assert.ok(reply.headers['apigw-requestid']);
    assert.ok(reply.headers.date);
    const event = reply.json();
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'ANY /items/{id}');
    assert.equal(event.rawPath, '/items/42');
    assert.equal(event.rawQueryString, 'a=1&a=2&b=x%20y');
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(event.headers['x-multi'], 'one,two');
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(event.headers['x-forwarded-proto'], 'http');
    assert.match(event.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: 'x y' });
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.equal(event.body, '{"k":"v"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.stageVariables, undefined);
    const rc = event.requestContext;
    assert.equal(rc.accountId, '000000000000');
    assert.equal(rc.apiId, apiId);
    assert.equal(rc.domainName, hostOf(apiId));
    assert.equal(rc.domainPrefix, apiId);
    assert.deepEqual(rc.http, { method: 'POST', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tester/1' });
    assert.equal(rc.routeKey, 'ANY /items/{id}');
    assert.equal(rc.stage, '$default');
    assert.equal(rc.requestId, reply.headers['apigw-requestid']);
    assert.match(rc.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof rc.timeEpoch, 'number');
  });

  test('binary bodies are base64-encoded', async () => {
    const reply = await send(server, { method: 'PUT', host: hostOf(apiId), path: '/items/1', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 255, 1]) });
    const event = reply.json();
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(event.body, 'base64')], [0, 255, 1]);
  });

  test('answers: a bare object or string is 200 JSON; statusCode, headers, cookies, base64 bodies; failures are 500', async () => {
    const bare = await send(server, { host: hostOf(apiId), path: '/items/1?shape=bare' });
    assert.equal(bare.status, 200);
    assert.equal(bare.headers['content-type'], 'application/json');
    assert.deepEqual(bare.json(), { hello: 'world' });
    const text = await send(server, { host: hostOf(apiId), path: '/items/1?shape=string' });
    assert.equal(text.status, 200);
    assert.equal(text.text, 'just text');
    const full = await send(server, { host: hostOf(apiId), path: '/items/1?shape=full' });
    assert.equal(full.status, 201);
    assert.equal(full.headers['x-custom'], 'yes');
    assert.deepEqual(full.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(full.text, 'created');
    assert.equal(full.headers['content-type'], 'application/json');
    const binary = await send(server, { host: hostOf(apiId), path: '/items/1?shape=binary' });
    assert.equal(binary.headers['content-type'], 'application/octet-stream');
    const failed = await send(server, { host: hostOf(apiId), path: '/fail' });
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json(), { message: 'Internal Server Error' });
  });

  test('a body over 10 MB: 413', async () => {
    const reply = await send(server, { method: 'POST', host: hostOf(apiId), path: '/items/1', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    assert.equal(reply.status, 413);
    assert.deepEqual(reply.json(), { message: 'Request Entity Too Large' });
  });

  test('no route: 404 Not Found', async () => {
    const reply = await send(server, { host: hostOf(apiId), path: '/nothing/here' });
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.json(), { message: 'Not Found' });
  });

  test('an integration that outlasts its timeout is 503', async () => {
    const slowApi = await apiWithStage(client);
    await route(client, slowApi, 'GET /slow', { ...lambdaV2, IntegrationUri: echoArn, TimeoutInMillis: 300 });
    const reply = await send(server, { host: hostOf(slowApi), path: '/slow?shape=slow' });
    assert.equal(reply.status, 503);
    assert.deepEqual(reply.json(), { message: 'Service Unavailable' });
  });
});

describe('Lambda proxy, payload 1.0, a named stage with variables', () => {
  test('the REST-like event, at /<stage>/… and at /restapis/<id>/<stage>/_user_request_/…', async () => {
    const api = await client.send(new v2.CreateApiCommand({ Name: 'v1', ProtocolType: 'HTTP' }));
    const ApiId = api.ApiId!;
    // The function is named by a stage variable.
    const byVariable = echoArn.replace(/function:[^:]+$/, 'function:${stageVariables.fn}');
    await route(client, ApiId, 'GET /pets/{id}', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0', IntegrationUri: byVariable });
    await client.send(new v2.CreateStageCommand({ ApiId, StageName: 'prod', StageVariables: { color: 'blue', fn: echoArn.split(':').at(-1)! } }));
    const notDeployed = await send(server, { host: hostOf(ApiId), path: '/prod/pets/7' });
    assert.equal(notDeployed.status, 404);
    await client.send(new v2.CreateDeploymentCommand({ ApiId, StageName: 'prod' }));
    for (const via of [{ host: hostOf(ApiId), path: '/prod/pets/7?x=1&x=2' }, { path: `/restapis/${ApiId}/prod/_user_request_/pets/7?x=1&x=2` }]) {
      const reply = await send(server, { ...via, headers: { 'x-h': 'v' } });
      assert.equal(reply.status, 200, reply.text);
      const event = reply.json();
      assert.equal(event.version, '1.0');
      assert.equal(event.resource, '/pets/{id}');
      assert.equal(event.path, '/prod/pets/7');
      assert.equal(event.httpMethod, 'GET');
      assert.equal(event.headers['x-h'], 'v');
      assert.deepEqual(event.multiValueHeaders['x-h'], ['v']);
      assert.deepEqual(event.queryStringParameters, { x: '2' });
      assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
      assert.deepEqual(event.pathParameters, { id: '7' });
      assert.deepEqual(event.stageVariables, { color: 'blue', fn: echoArn.split(':').at(-1) });
      assert.equal(event.body, null);
      assert.equal(event.requestContext.stage, 'prod');
      assert.equal(event.requestContext.resourceKey ?? event.requestContext.resourceId, 'GET /pets/{id}');
      assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    }
    // A payload 1.0 answer without statusCode is not a response.
    const bare = await send(server, { host: hostOf(ApiId), path: '/prod/pets/7?shape=bare' });
    assert.equal(bare.status, 500);
  });
});

describe('HTTP proxy and parameter mapping', () => {
  test('forwards to the URL with {proxy}, maps headers, query, path and the answer', async () => {
    const apiId = await apiWithStage(client, 'live');
    await route(client, apiId, 'ANY /fwd/{proxy+}', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: `${backendUrl}/base/{proxy}`,
      RequestParameters: {
        'append:header.x-from-query': '$request.querystring.q',
        'overwrite:header.x-ctx': 'req-$context.requestId',
        'remove:header.x-drop': "''",
        'append:querystring.added': '$request.header.x-source',
        'overwrite:header.x-stage': '$stageVariables.missing',
      },
      ResponseParameters: { '200': { 'append:header.x-mapped': '$response.header.x-backend', 'overwrite:statuscode': '202' } },
    });
    await route(client, apiId, 'POST /rewrite/{id}', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'PUT',
      IntegrationUri: backendUrl,
      RequestParameters: { 'overwrite:path': '/items/$request.path.id', 'overwrite:header.x-body': '$request.body.name' },
    });
    await route(client, apiId, 'GET /missing', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/missing` });
    await route(client, apiId, 'GET /slow', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/slow`, TimeoutInMillis: 200 });
    await route(client, apiId, 'GET /down', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:1/nothing' });

    const reply = await send(server, { method: 'PATCH', host: hostOf(apiId), path: '/live/fwd/a/b%20c?q=hello', headers: { 'x-drop': 'gone', 'x-source': 'src' }, body: 'payload' });
    assert.equal(reply.status, 202);
    assert.equal(reply.headers['x-backend'], 'yes');
    assert.equal(reply.headers['x-mapped'], 'yes');
    const seen = backendSeen.at(-1)!;
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.url, '/base/a/b%20c?q=hello&added=src');
    assert.equal(seen.body, 'payload');
    assert.equal(seen.headers['x-from-query'], 'hello');
    assert.match(String(seen.headers['x-ctx']), /^req-.+/);
    assert.equal(seen.headers['x-drop'], undefined);
    assert.equal(seen.headers['x-stage'], undefined);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.match(String(seen.headers.forwarded), /for=127\.0\.0\.1/);

    const rewritten = await send(server, { method: 'POST', host: hostOf(apiId), path: '/live/rewrite/9', headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}' });
    assert.equal(rewritten.status, 200);
    assert.equal(rewritten.text, 'backend saw PUT /items/9');
    assert.equal(backendSeen.at(-1)!.headers['x-body'], 'rex');

    const missing = await send(server, { host: hostOf(apiId), path: '/live/missing' });
    assert.equal(missing.status, 404);
    assert.equal(missing.text, 'backend saw GET /missing');
    const slow = await send(server, { host: hostOf(apiId), path: '/live/slow' });
    assert.equal(slow.status, 503);
    const down = await send(server, { host: hostOf(apiId), path: '/live/down' });
    assert.equal(down.status, 500);
    assert.deepEqual(down.json(), { message: 'Internal Server Error' });
  });
});

describe('routing, stages and the execute-api endpoint', () => {
  test('most specific route wins; ANY and $default; a named stage beside $default', async () => {
    const apiId = await apiWithStage(client, '$default');
    await client.send(new v2.CreateStageCommand({ ApiId: apiId, StageName: 'beta', AutoDeploy: true }));
    const target = { IntegrationType: 'HTTP_PROXY' as const, IntegrationMethod: 'GET' };
    await route(client, apiId, 'GET /r/{x}', { ...target, IntegrationUri: `${backendUrl}/variable` });
    await route(client, apiId, 'GET /r/fixed', { ...target, IntegrationUri: `${backendUrl}/literal` });
    await route(client, apiId, 'ANY /r/{x}/{rest+}', { ...target, IntegrationUri: `${backendUrl}/greedy` });
    await route(client, apiId, '$default', { ...target, IntegrationUri: `${backendUrl}/default` });
    const at = async (path: string, method = 'GET') => (await send(server, { method, host: hostOf(apiId), path })).text.replace(/^backend saw \w+ /, '');
    assert.equal(await at('/r/fixed'), '/literal');
    assert.equal(await at('/r/other'), '/variable');
    assert.equal(await at('/r/other/a/b'), '/greedy');
    assert.equal(await at('/r/other', 'DELETE'), '/default');
    assert.equal(await at('/elsewhere'), '/default');
    // `beta` is a stage: its name is not part of the routed path.
    assert.equal(await at('/beta/r/fixed'), '/literal');
  });

  test('DisableExecuteApiEndpoint answers 403 on the default endpoint; unknown ids are not this plane’s', async () => {
    const apiId = await apiWithStage(client, '$default');
    await route(client, apiId, 'GET /', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl });
    assert.equal((await send(server, { host: hostOf(apiId), path: '/' })).status, 200);
    await client.send(new v2.UpdateApiCommand({ ApiId: apiId, DisableExecuteApiEndpoint: true }));
    const refused = await send(server, { host: hostOf(apiId), path: '/' });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json(), { message: 'Forbidden' });
    const unknown = await send(server, { host: hostOf('zzzzzzzzzz'), path: '/' });
    assert.equal(unknown.status, 403);
  });

  test('a WebSocket API is not served by the HTTP plane', async () => {
    const ws = await client.send(new v2.CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const reply = await send(server, { host: hostOf(ws.ApiId!), path: '/' });
    assert.notEqual(reply.status, 200);
  });
});

describe('CORS', () => {
  test('preflight answered by API Gateway; CORS headers on answers replace the backend’s', async () => {
    const apiId = await apiWithStage(client, '$default', {
      CorsConfiguration: { AllowOrigins: ['https://app.example.com', 'https://*.trusted.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-token'], ExposeHeaders: ['x-backend'], MaxAge: 600, AllowCredentials: true },
    });
    await route(client, apiId, 'GET /data', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl });
    const preflight = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/data', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-token');
    assert.equal(preflight.headers['access-control-max-age'], '600');
    assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
    const wildcard = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/anything', headers: { origin: 'https://a.trusted.example', 'access-control-request-method': 'POST' } });
    assert.equal(wildcard.headers['access-control-allow-origin'], 'https://a.trusted.example');
    const stranger = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/data', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(stranger.status, 204);
    assert.equal(stranger.headers['access-control-allow-origin'], undefined);
    const actual = await send(server, { host: hostOf(apiId), path: '/data', headers: { origin: 'https://app.example.com' } });
    assert.equal(actual.status, 200);
    assert.equal(actual.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(actual.headers['access-control-expose-headers'], 'x-backend');
    const noOrigin = await send(server, { host: hostOf(apiId), path: '/data' });
    assert.equal(noOrigin.headers['access-control-allow-origin'], undefined, 'the backend’s own CORS header is dropped');
  });

  test('a preflight goes to an explicit OPTIONS route or to $default, not to an ANY route', async () => {
    const apiId = await apiWithStage(client, '$default', { CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['*'] } });
    await route(client, apiId, 'ANY /any/{proxy+}', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/any` });
    await route(client, apiId, 'OPTIONS /explicit', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/explicit` });
    const preflight = { origin: 'https://x.example', 'access-control-request-method': 'PUT' };
    const any = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/any/thing', headers: preflight });
    assert.equal(any.status, 204);
    assert.equal(any.headers['access-control-allow-origin'], '*');
    const explicit = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/explicit', headers: preflight });
    assert.equal(explicit.status, 200);
    assert.equal(explicit.text, 'backend saw OPTIONS /explicit');
    assert.equal(explicit.headers['access-control-allow-origin'], '*');
    await route(client, apiId, '$default', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `${backendUrl}/default` });
    const fallback = await send(server, { method: 'OPTIONS', host: hostOf(apiId), path: '/elsewhere', headers: preflight });
    assert.equal(fallback.text, 'backend saw OPTIONS /default');
  });
});

describe('throttling', () => {
  test('a route over its burst gets 429; route settings beat the stage default', async () => {
    const api = await client.send(new v2.CreateApiCommand({ Name: 'throttle', ProtocolType: 'HTTP' }));
    const ApiId = api.ApiId!;
    await route(client, ApiId, 'GET /tight', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl });
    await route(client, ApiId, 'GET /loose', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl });
    await client.send(
      new v2.CreateStageCommand({
        ApiId,
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.001 },
        RouteSettings: { 'GET /loose': { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 100 } },
      }),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await send(server, { host: hostOf(ApiId), path: '/tight' })).status);
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    const throttled = await send(server, { host: hostOf(ApiId), path: '/tight' });
    assert.deepEqual(throttled.json(), { message: 'Too Many Requests' });
    for (let i = 0; i < 5; i += 1) assert.equal((await send(server, { host: hostOf(ApiId), path: '/loose' })).status, 200);
  });
});

describe('access logs', () => {
  test('each request writes a line in the stage’s format to its log group', async () => {
    const logs = server.client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'http-api-access' }));
    const api = await client.send(new v2.CreateApiCommand({ Name: 'logged', ProtocolType: 'HTTP' }));
    const ApiId = api.ApiId!;
    await route(client, ApiId, 'GET /logged', { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: backendUrl });
    await client.send(
      new v2.CreateStageCommand({
        ApiId,
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:http-api-access',
          Format: '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","ip":"$context.identity.sourceIp","missing":"$context.authorizer.error"}',
        },
      }),
    );
    const reply = await send(server, { host: hostOf(ApiId), path: '/logged' });
    const requestId = String(reply.headers['apigw-requestid']);
    let lines: string[] = [];
    for (let i = 0; i < 50 && lines.length === 0; i += 1) {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: 'http-api-access' }));
      lines = (found.events ?? []).map((e) => e.message!);
      if (lines.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(JSON.parse(lines[0]), { requestId, routeKey: 'GET /logged', status: '200', ip: '127.0.0.1', missing: '-' });
  });
});
