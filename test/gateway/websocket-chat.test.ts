/**
 * WebSocket APIs with Lambda functions, end to end through the SDKs and real `ws` clients: the
 * chat of AWS's "simple-websockets-chat-app" tutorial ([D] API Gateway Developer Guide, "Tutorial:
 * Create a WebSocket chat app with a WebSocket API, Lambda and DynamoDB"), its connection ids kept
 * in a folder (Stratus has no DynamoDB) by `$connect` and `$disconnect` functions, a `sendmessage`
 * function that calls PostToConnection for every other connection; the proxy events functions
 * receive; refused handshakes; a Lambda REQUEST authorizer on `$connect`; failing integrations.
 */
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  DeleteApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { createServer, type Server } from 'node:http';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { arnOf, makeZip, ROLE, unique } from '../functions/control-plane-support.js';
import { startInRepoServer, type InRepoServer } from '../functions/node-runtime-support.js';
import { connect, open, webSocketApi, type Client } from './websocket-support.js';

let env: InRepoServer;
let v2: ApiGatewayV2Client;
let lambda: LambdaClient;
let port: string;
const dir = mkdtempSync(join(tmpdir(), 'stratus-ws-'));
mkdirSync(join(dir, 'live'));
mkdirSync(join(dir, 'gone'));
mkdirSync(join(dir, 'events'));

const CONNECT = `
const fs = require('fs'), path = require('path');
exports.handler = async (event) => {
  const q = event.queryStringParameters || {};
  if (q.refuse) return { statusCode: Number(q.refuse), body: 'not you' };
  if (q.crash) throw new Error('connect crashed');
  const id = event.requestContext.connectionId;
  fs.writeFileSync(path.join(process.env.CONN_DIR, 'events', 'connect-' + id), JSON.stringify(event));
  fs.writeFileSync(path.join(process.env.CONN_DIR, 'live', id), q.name || '');
  return { statusCode: 200, headers: q.protocol ? { 'Sec-WebSocket-Protocol': q.protocol } : {} };
};`;

const DISCONNECT = `
const fs = require('fs'), path = require('path');
exports.handler = async (event) => {
  const id = event.requestContext.connectionId;
  try { fs.unlinkSync(path.join(process.env.CONN_DIR, 'live', id)); } catch {}
  fs.writeFileSync(path.join(process.env.CONN_DIR, 'gone', id), JSON.stringify(event));
  return { statusCode: 200 };
};`;

// As the tutorial's function does, with the endpoint Stratus gives functions.
const SEND = `
const fs = require('fs'), path = require('path');
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
exports.handler = async (event) => {
  const { stage, connectionId } = event.requestContext;
  const client = new ApiGatewayManagementApiClient({ endpoint: process.env.AWS_ENDPOINT_URL + '/' + stage });
  const data = JSON.parse(event.body).data;
  const others = fs.readdirSync(path.join(process.env.CONN_DIR, 'live')).filter((id) => id !== connectionId);
  await Promise.all(others.map(async (id) => {
    try {
      await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: data }));
    } catch (e) {
      if (e.name !== 'GoneException') throw e;
      fs.unlinkSync(path.join(process.env.CONN_DIR, 'live', id));
    }
  }));
  return { statusCode: 200, body: 'Data sent.' };
};`;

/** Echoes what it was given (two-way routes send its body back); `crash` throws. */
const ECHO = `
exports.handler = async (event) => {
  if (event.body === 'crash') throw new Error('boom');
  if (event.body === 'status') return { statusCode: 500, body: 'a 500 is still a body' };
  return { statusCode: 200, body: JSON.stringify({ event }) };
};`;

const AUTHORIZER = `
exports.handler = async (event) => {
  const token = (event.queryStringParameters || {}).token;
  if (token === 'crash') throw new Error('authorizer crashed');
  if (token === 'garbage') return { hello: 'world' };
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn }] },
    context: { team: 'blue', level: 3 },
  };
};`;

async function fn(code: string): Promise<string> {
  const name = unique('ws');
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: 30,
      Code: { ZipFile: await makeZip({ 'index.js': code }) },
      Environment: { Variables: { CONN_DIR: dir } },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: name });
  return arnOf(name);
}

let chat: string;
let echo: string;
let guarded: string;
let functions: { connect: string; disconnect: string; send: string; echo: string; authorizer: string };

before(async () => {
  env = await startInRepoServer();
  port = new URL(env.server.url).port;
  v2 = env.server.client(ApiGatewayV2Client);
  lambda = env.lambda;
  const [c, d, s, e, a] = await Promise.all([fn(CONNECT), fn(DISCONNECT), fn(SEND), fn(ECHO), fn(AUTHORIZER)]);
  functions = { connect: c, disconnect: d, send: s, echo: e, authorizer: a };
  chat = (
    await webSocketApi(v2, {
      name: 'chat',
      routes: [
        { key: '$connect', lambda: c },
        { key: '$disconnect', lambda: d },
        { key: 'sendmessage', lambda: s },
      ],
    })
  ).apiId;
  echo = (
    await webSocketApi(v2, {
      name: 'echo',
      routes: [
        { key: '$default', lambda: e, twoWay: true },
        { key: 'quiet', lambda: e },
      ],
    })
  ).apiId;
  guarded = (
    await webSocketApi(v2, {
      name: 'guarded',
      authorizer: { lambda: a, identitySource: ['route.request.querystring.token'] },
      routes: [
        { key: '$connect', lambda: e, authorizerId: 'auth' },
        { key: '$default', lambda: e, twoWay: true },
      ],
    })
  ).apiId;
});
after(async () => {
  await env.stop();
  rmSync(dir, { recursive: true, force: true });
});

const urlOf = (apiId: string, query = ''): string => `ws://127.0.0.1:${port}/restapis/${apiId}/prod/_user_request_/${query}`;

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const liveIdOf = (name: string): string | undefined => readdirSync(join(dir, 'live')).find((id) => readFileSync(join(dir, 'live', id), 'utf8') === name);

describe('the chat', () => {
  test('three clients: what one sends reaches the two others, not itself', async () => {
    const alice = await open(urlOf(chat, '?name=alice'));
    const bob = await open(urlOf(chat, '?name=bob'));
    const carol = await open(urlOf(chat, '?name=carol'));
    // $connect ran before each handshake completed: its connection id is stored already.
    for (const name of ['alice', 'bob', 'carol']) assert.ok(liveIdOf(name), `${name} stored by $connect`);
    alice.send({ action: 'sendmessage', data: 'hello from alice' });
    assert.equal(await bob.message(0), 'hello from alice');
    assert.equal(await carol.message(0), 'hello from alice');
    carol.send({ action: 'sendmessage', data: 'carol here' });
    assert.equal(await alice.message(0), 'carol here');
    assert.equal(await bob.message(1), 'carol here');
    // Alice's own message never came back to her (sendmessage is one-way: no route response).
    assert.deepEqual(alice.messages, ['carol here']);
    assert.deepEqual(carol.messages, ['hello from alice']);

    // Bob leaves: $disconnect removes him, with the close code he sent.
    const bobId = liveIdOf('bob')!;
    bob.ws.close(4001, 'bye');
    const gone = await until('$disconnect of bob', () => (existsSync(join(dir, 'gone', bobId)) ? JSON.parse(readFileSync(join(dir, 'gone', bobId), 'utf8')) : undefined));
    assert.equal(gone.requestContext.eventType, 'DISCONNECT');
    assert.equal(gone.requestContext.routeKey, '$disconnect');
    assert.equal(gone.requestContext.connectionId, bobId);
    assert.equal(gone.requestContext.disconnectStatusCode, 4001);
    assert.equal(gone.requestContext.disconnectReason, 'bye');
    assert.equal(liveIdOf('bob'), undefined);
    alice.send({ action: 'sendmessage', data: 'bob left' });
    assert.equal(await carol.message(1), 'bob left');
    await Promise.all([alice.close(), carol.close()]);
  });

  test('the CONNECT event as the function received it', async () => {
    const c = await open(urlOf(chat, '?name=dave&x=1&x=2'), { headers: { 'User-Agent': 'chat-test/1.0', 'X-Custom': 'yes' } });
    const id = liveIdOf('dave')!;
    const event = JSON.parse(readFileSync(join(dir, 'events', `connect-${id}`), 'utf8'));
    const ctx = event.requestContext;
    assert.equal(ctx.routeKey, '$connect');
    assert.equal(ctx.eventType, 'CONNECT');
    assert.equal(ctx.messageDirection, 'IN');
    assert.equal(ctx.connectionId, id);
    assert.equal(ctx.apiId, chat);
    assert.equal(ctx.stage, 'prod');
    assert.equal(ctx.domainName, `127.0.0.1:${port}`);
    assert.equal(ctx.identity.sourceIp, '127.0.0.1');
    assert.equal(ctx.identity.userAgent, 'chat-test/1.0');
    assert.equal(typeof ctx.connectedAt, 'number');
    assert.equal(typeof ctx.requestTimeEpoch, 'number');
    assert.match(ctx.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(event.headers['X-Custom'], 'yes');
    assert.equal(event.headers['Sec-WebSocket-Version'], '13');
    assert.deepEqual(event.queryStringParameters, { name: 'dave', x: '2' });
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['dave'], x: ['1', '2'] });
    assert.equal(event.isBase64Encoded, false);
    await c.close();
  });

  test('a subprotocol is agreed when $connect answers one', async () => {
    const c = await open(urlOf(chat, '?name=erin&protocol=chat.v2'), { protocols: ['chat.v1', 'chat.v2'] });
    assert.equal(c.ws.protocol, 'chat.v2');
    await c.close();
  });
});

describe('refused handshakes', () => {
  test('$connect answering a status outside 2xx refuses the handshake with that status', async () => {
    assert.deepEqual(await connect(urlOf(chat, '?refuse=401')), { ok: false, status: 401, body: 'not you' });
    const r = await connect(urlOf(chat, '?refuse=403'));
    assert.equal(!r.ok && r.status, 403);
    assert.equal(liveIdOf(''), undefined, 'no connection was stored');
  });

  test('a $connect function that fails: 502', async () => {
    const r = await connect(urlOf(chat, '?crash=1'));
    assert.equal(!r.ok && r.status, 502);
  });
});

describe('routes with Lambda', () => {
  let client: Client;
  before(async () => {
    client = await open(urlOf(echo), { headers: { host: `${echo}.execute-api.localhost:${port}` } });
  });
  after(() => client.close());

  test('a two-way $default route sends the function’s body back; the MESSAGE event', async () => {
    const { event } = JSON.parse(await client.ask('hello'));
    assert.equal(event.body, 'hello');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.eventType, 'MESSAGE');
    assert.equal(event.requestContext.routeKey, '$default');
    assert.match(event.requestContext.messageId, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(event.requestContext.domainName, `${echo}.execute-api.localhost:${port}`);
    assert.equal(event.requestContext.apiId, echo);
    // A route response sends the body whatever the status (AWS: status codes do not reach the client).
    assert.equal(await client.ask('status'), 'a 500 is still a body');
  });

  test('a function that fails: the client gets AWS’s Internal server error message and stays connected', async () => {
    const answer = await client.ask('crash');
    assert.match(answer, /^\{"message": "Internal server error", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\}$/);
    assert.equal(JSON.parse(await client.ask('again')).event.body, 'again');
  });

  test('a one-way route sends nothing back', async () => {
    const n = client.messages.length;
    client.send({ action: 'quiet' });
    const { event } = JSON.parse(await client.ask('after'));
    assert.equal(event.body, 'after');
    assert.equal(client.messages.length, n + 1);
  });
});

describe('a Lambda REQUEST authorizer on $connect', () => {
  test('no identity source: 401', async () => {
    assert.deepEqual(await connect(urlOf(guarded)), { ok: false, status: 401, body: '{"message":"Unauthorized"}' });
  });

  test('a Deny: 403; a failing authorizer or an answer that is no policy: 500', async () => {
    assert.deepEqual(await connect(urlOf(guarded, '?token=deny')), { ok: false, status: 403, body: '{"message":"Forbidden"}' });
    const crashed = await connect(urlOf(guarded, '?token=crash'));
    assert.equal(!crashed.ok && crashed.status, 500);
    const garbage = await connect(urlOf(guarded, '?token=garbage'));
    assert.equal(!garbage.ok && garbage.status, 500);
  });

  test('an Allow: the connection opens and every event carries the authorizer’s principalId and context', async () => {
    const c = await open(urlOf(guarded, '?token=alice'));
    const { event } = JSON.parse(await c.ask('who am i'));
    assert.equal(event.requestContext.authorizer.principalId, 'user-alice');
    assert.equal(event.requestContext.authorizer.team, 'blue');
    assert.equal(event.requestContext.authorizer.level, 3);
    await c.close();
  });
});

describe('other integration types', () => {
  let backend: Server;
  let backendUrl: string;
  const received: { method: string; body: string; url: string; connectionId?: string }[] = [];
  let queueUrl: string;
  let apiId: string;
  let client: Client;

  /** A route with an integration, two-way. */
  async function route(key: string, integration: Record<string, unknown>, responses: Record<string, unknown>[] = []): Promise<void> {
    const created = await v2.send(new CreateIntegrationCommand({ ApiId: apiId, ...integration } as never));
    for (const r of responses) await v2.send(new CreateIntegrationResponseCommand({ ApiId: apiId, IntegrationId: created.IntegrationId!, ...r } as never));
    const made = await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${created.IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
    await v2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: made.RouteId!, RouteResponseKey: '$default' }));
  }

  before(async () => {
    backend = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        received.push({ method: req.method ?? '', body, url: req.url ?? '', connectionId: req.headers.connectionid as string | undefined });
        res.writeHead(body.includes('fail') ? 500 : 200, { 'content-type': 'text/plain' });
        res.end(`backend got ${body}`);
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}/hook`;
    apiId = (await v2.send(new CreateApiCommand({ Name: 'kinds', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
    await route('proxy', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: backendUrl,
      IntegrationMethod: 'PUT',
      // How an HTTP backend learns whom to answer ([D] "Set up WebSocket API integration requests").
      RequestParameters: { 'integration.request.header.connectionId': 'context.connectionId', 'integration.request.querystring.n': 'route.request.body.n' },
    });
    queueUrl = (await env.server.client(SQSClient).send(new CreateQueueCommand({ QueueName: 'ws-inbox' }))).QueueUrl!;
    await route(
      'enqueue',
      {
        IntegrationType: 'AWS',
        IntegrationMethod: 'POST',
        IntegrationUri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/ws-inbox',
        CredentialsArn: ROLE,
        RequestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'", 'integration.request.header.Accept': "'application/json'" },
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: { $default: 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      },
      [{ IntegrationResponseKey: '$default', TemplateSelectionExpression: '\\$default', ResponseTemplates: { $default: '{"queued":$input.json(\'$.SendMessageResponse.SendMessageResult.MessageId\')}' } }],
    );
    await route(
      'http',
      { IntegrationType: 'HTTP', IntegrationUri: backendUrl, IntegrationMethod: 'POST', TemplateSelectionExpression: '\\$default', RequestTemplates: { $default: '{"wrapped":$input.json(\'$.text\'),"from":"$context.connectionId"}' } },
      [
        { IntegrationResponseKey: '/5\\d\\d/', TemplateSelectionExpression: '\\$default', ResponseTemplates: { $default: '{"backendFailed":true}' } },
        { IntegrationResponseKey: '$default' },
      ],
    );
    await route(
      'lambda',
      {
        IntegrationType: 'AWS',
        IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functions.echo}/invocations`,
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: { $default: '{"body":$input.json(\'$.text\')}' },
      },
      [
        { IntegrationResponseKey: '/.*boom.*/', TemplateSelectionExpression: '\\$default', ResponseTemplates: { $default: '{"lambdaFailed":"$input.path(\'$.errorMessage\')"}' } },
        { IntegrationResponseKey: '$default', TemplateSelectionExpression: '\\$default', ResponseTemplates: { $default: '{"status":$input.path(\'$.statusCode\'),"echoed":$input.path(\'$.body\')}' } },
      ],
    );
    await v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    await v2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod' }));
    client = await open(urlOf(apiId));
  });
  after(async () => {
    await client.close();
    backend.close();
  });

  test('HTTP_PROXY: the message goes to the URL as it is, the backend’s body comes back', async () => {
    const message = JSON.stringify({ action: 'proxy', n: 1 });
    assert.equal(await client.ask(message), `backend got ${message}`);
    const last = received.at(-1)!;
    assert.deepEqual({ method: last.method, body: last.body, url: last.url }, { method: 'PUT', body: message, url: '/hook?n=1' });
    assert.match(last.connectionId ?? '', /^[A-Za-z0-9_-]{15}=$/);
  });

  test('HTTP: the request template shapes what is sent; the integration response is chosen by status', async () => {
    const answer = await client.ask({ action: 'http', text: 'hi' });
    const sent = JSON.parse(received.at(-1)!.body);
    assert.equal(sent.wrapped, 'hi');
    assert.match(sent.from, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(answer, `backend got ${received.at(-1)!.body}`);
    assert.equal(await client.ask({ action: 'http', text: 'please fail' }), '{"backendFailed":true}');
  });

  test('AWS (Lambda, not proxy): the template is the event; errors select the response whose pattern their message matches', async () => {
    const answer = JSON.parse(await client.ask({ action: 'lambda', text: 'through a template' }));
    assert.equal(answer.status, 200);
    // $input.path gives the body's text, written unquoted into the template: the function's JSON.
    assert.deepEqual(answer.echoed, { event: { body: 'through a template' } });
    assert.deepEqual(JSON.parse(await client.ask({ action: 'lambda', text: 'crash' })), { lambdaFailed: 'boom' });
  });

  test('AWS (SQS): the message goes to a queue through a request template; the answer through the response template', async () => {
    const message = JSON.stringify({ action: 'enqueue', order: 42 });
    const answer = JSON.parse(await client.ask(message));
    assert.match(answer.queued, /^[0-9a-f-]{36}$/);
    const got = await env.server.client(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), [message]);
  });

  test('once the API is deleted, messages of its open connections are Forbidden', async () => {
    const other = (await webSocketApi(v2, { name: 'short-lived', routes: [{ key: '$default', lambda: functions.echo, twoWay: true }] })).apiId;
    const c = await open(urlOf(other));
    assert.equal(JSON.parse(await c.ask('first')).event.body, 'first');
    await v2.send(new DeleteApiCommand({ ApiId: other }));
    assert.match(await c.ask('second'), /^\{"message": "Forbidden"/);
    await c.close();
  });
});
