/**
 * WebSocket APIs without Lambda (MOCK integrations, mapping templates): connection URLs, route
 * selection, `$default`, the Forbidden message, two-way routes, limits, the `@connections` API
 * and its errors through @aws-sdk/client-apigatewaymanagementapi, and a stopping server closing
 * its connections. Facts: [D] API Gateway Developer Guide, "WebSocket APIs in API Gateway" and
 * the pages src/gateway/engine/websocket cites.
 */
import {
  ApiGatewayV2Client,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteRouteCommand,
  GetRoutesCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { createServer } from 'node:http';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith, type AwsError } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, open, webSocketApi, type Client } from './websocket-support.js';

let server: TestServer;
let v2: ApiGatewayV2Client;
let port: string;
let api: { apiId: string; endpoint: string };
const FORBIDDEN = /^\{"message": "Forbidden", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\}$/;

const WHOAMI = '{"connectionId":"$context.connectionId","route":"$context.routeKey","stage":"$context.stage","body":$input.json(\'$\')}';

before(async () => {
  server = await startTestServer();
  port = new URL(server.url).port;
  v2 = server.client(ApiGatewayV2Client);
  api = await webSocketApi(v2, {
    name: 'mock-ws',
    routes: [
      { key: '$connect' },
      { key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true },
      // A MOCK integration answers nothing: its response template reads the request only through $context.
      { key: '$default', mock: { responseTemplate: '{"route":"$context.routeKey","eventType":"$context.eventType","hasMessageId":#if($context.messageId != "")true#{else}false#end}' }, twoWay: true },
      { key: 'oneway', mock: { responseTemplate: '{"never":"sent"}' } },
    ],
  });
});
after(() => server.stop());

const byPath = (apiId = api.apiId, stage = 'prod'): string => `ws://127.0.0.1:${port}/restapis/${apiId}/${stage}/_user_request_/`;
const byHost = (apiId = api.apiId): { url: string; headers: Record<string, string> } => ({ url: `ws://127.0.0.1:${port}/prod`, headers: { host: `${apiId}.execute-api.localhost:${port}` } });

/** The SDK's error: its exception name, HTTP status and (when given) message. */
async function fails(promise: Promise<unknown>, name: string, status: number, message?: string): Promise<void> {
  const error: AwsError = await rejectsWith(promise, name, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

async function whoami(client: Client): Promise<{ connectionId: string; route: string; stage: string }> {
  return JSON.parse(await client.ask({ action: 'whoami' }));
}

describe('connection URLs', () => {
  test('CreateApi answers a ws:// endpoint on the host the client used', () => {
    assert.equal(api.endpoint, `ws://${api.apiId}.execute-api.localhost:${port}`);
  });

  test('<api-id>.execute-api.<host>/<stage> and /restapis/<id>/<stage>/_user_request_/ both connect', async () => {
    const a = await open(byHost().url, { headers: byHost().headers });
    const b = await open(byPath());
    const [ia, ib] = [await whoami(a), await whoami(b)];
    assert.equal(ia.stage, 'prod');
    assert.notEqual(ia.connectionId, ib.connectionId);
    assert.match(ia.connectionId, /^[A-Za-z0-9_-]{15}=$/);
    await Promise.all([a.close(), b.close()]);
  });

  test('a stage that does not exist, a path under the stage, an unknown API: 403', async () => {
    assert.deepEqual(await connect(byPath(api.apiId, 'nostage')), { ok: false, status: 403, body: '{"message":"Forbidden"}' });
    const under = await connect(`ws://127.0.0.1:${port}/prod/extra`, { headers: byHost().headers });
    assert.equal(under.ok, false);
    assert.equal(!under.ok && under.status, 403);
    const unknown = await connect(byPath('zzzzzzzzzz'));
    assert.equal(!unknown.ok && unknown.status, 403);
  });

  test('a stage never deployed: 403; deployed, it connects', async () => {
    await v2.send(new CreateStageCommand({ ApiId: api.apiId, StageName: 'later' }));
    const before = await connect(byPath(api.apiId, 'later'));
    assert.equal(!before.ok && before.status, 403);
    await v2.send(new CreateDeploymentCommand({ ApiId: api.apiId, StageName: 'later' }));
    const c = await open(byPath(api.apiId, 'later'));
    assert.equal((await whoami(c)).stage, 'later');
    await c.close();
  });

  test('DisableExecuteApiEndpoint, once deployed, closes the execute-api URL', async () => {
    const closed = await webSocketApi(v2, { name: 'disabled', routes: [{ key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true }] });
    await v2.send(new UpdateApiCommand({ ApiId: closed.apiId, DisableExecuteApiEndpoint: true }));
    const stillOpen = await open(byPath(closed.apiId));
    await stillOpen.close();
    await v2.send(new CreateDeploymentCommand({ ApiId: closed.apiId, StageName: 'prod' }));
    assert.deepEqual(await connect(byPath(closed.apiId)), { ok: false, status: 403, body: '{"message":"Forbidden"}' });
  });

  test('an upgrade that is no WebSocket handshake is refused with 400 before any route runs', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/restapis/${api.apiId}/prod/_user_request_/`, headers: { connection: 'Upgrade', upgrade: 'websocket' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 400);
  });
});

describe('routes', () => {
  let client: Client;
  before(async () => {
    client = await open(byPath());
  });
  after(() => client.close());

  test('the RouteSelectionExpression picks the route; the two-way route answers through its template', async () => {
    const me = await whoami(client);
    assert.equal(me.route, 'whoami');
    assert.match(me.connectionId, /=$/);
  });

  test('a key no route has, and a message that is not JSON, go to $default', async () => {
    assert.deepEqual(JSON.parse(await client.ask({ action: 'nothing', n: 1 })), { route: '$default', eventType: 'MESSAGE', hasMessageId: true });
    const text = JSON.parse(await client.ask('hello, not json'));
    assert.equal(text.route, '$default');
  });

  test('a one-way route sends nothing back', async () => {
    const n = client.messages.length;
    client.send({ action: 'oneway' });
    // The next answer is the whoami's: nothing came in between.
    const me = await whoami(client);
    assert.equal(client.messages.length, n + 1);
    assert.equal(me.route, 'whoami');
  });

  test('no route and no $default: the client gets AWS’s Forbidden message and stays connected', async () => {
    const plain = await webSocketApi(v2, { name: 'no-default', routes: [{ key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true }] });
    const c = await open(byPath(plain.apiId));
    const me = await whoami(c);
    const answer = await c.ask({ action: 'missing' });
    assert.match(answer, FORBIDDEN);
    assert.equal(JSON.parse(answer).connectionId, me.connectionId);
    assert.match(await c.ask('not json either'), FORBIDDEN);
    assert.equal((await whoami(c)).connectionId, me.connectionId);
    await c.close();
  });

  test('routes follow the stage’s deployment: a deleted route still answers until the stage is deployed again', async () => {
    const other = await webSocketApi(v2, {
      name: 'redeploy',
      routes: [
        { key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true },
        { key: 'stays', mock: { responseTemplate: '{"stays":true}' }, twoWay: true },
      ],
    });
    const c = await open(byPath(other.apiId));
    const routes = await v2.send(new GetRoutesCommand({ ApiId: other.apiId }));
    await v2.send(new DeleteRouteCommand({ ApiId: other.apiId, RouteId: routes.Items!.find((r) => r.RouteKey === 'whoami')!.RouteId! }));
    assert.equal((await whoami(c)).route, 'whoami');
    await v2.send(new CreateDeploymentCommand({ ApiId: other.apiId, StageName: 'prod' }));
    assert.match(await c.ask({ action: 'whoami' }), FORBIDDEN);
    assert.equal(await c.ask({ action: 'stays' }), '{"stays":true}');
    await c.close();
  });
});

describe('throttling', () => {
  test('route settings throttle messages (Too Many Requests) and handshakes (429)', async () => {
    const throttled = await webSocketApi(v2, {
      name: 'throttled',
      stage: 'unused',
      routes: [
        { key: '$connect' },
        { key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true },
      ],
    });
    await v2.send(
      new CreateStageCommand({
        ApiId: throttled.apiId,
        StageName: 'slow',
        RouteSettings: { whoami: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01 } },
      }),
    );
    await v2.send(new CreateDeploymentCommand({ ApiId: throttled.apiId, StageName: 'slow' }));
    const c = await open(byPath(throttled.apiId, 'slow'));
    const answers = [await c.ask({ action: 'whoami' }), await c.ask({ action: 'whoami' }), await c.ask({ action: 'whoami' })];
    assert.equal(JSON.parse(answers[0]).route, 'whoami');
    assert.match(answers[1], /^\{"message": "Too Many Requests", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/);
    assert.match(answers[2], /Too Many Requests/);
    await c.close();
    await v2.send(new CreateStageCommand({ ApiId: throttled.apiId, StageName: 'closed', DefaultRouteSettings: { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } }));
    await v2.send(new CreateDeploymentCommand({ ApiId: throttled.apiId, StageName: 'closed' }));
    assert.deepEqual(await connect(byPath(throttled.apiId, 'closed')), { ok: false, status: 429, body: '{"message":"Too Many Requests"}' });
  });
});

describe('limits', () => {
  test('a message over 128 KB closes the connection with 1009', async () => {
    const c = await open(byPath());
    c.send('x'.repeat(128 * 1024 + 1));
    assert.equal((await c.closed).code, 1009);
  });

  test('a binary frame closes the connection with 1003', async () => {
    const c = await open(byPath());
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await c.closed).code, 1003);
  });

  test('a message of 128 KB is taken', async () => {
    const c = await open(byPath());
    const body = JSON.stringify({ action: 'nothing', pad: 'y'.repeat(128 * 1024 - 40) });
    assert.equal(Buffer.byteLength(body) <= 128 * 1024, true);
    const answer = JSON.parse(await c.ask(body));
    assert.equal(answer.route, '$default');
    await c.close();
  });
});

describe('the @connections API', () => {
  let client: Client;
  let id: string;
  let management: ApiGatewayManagementApiClient;
  before(async () => {
    client = await open(byPath());
    id = (await whoami(client)).connectionId;
    management = server.client(ApiGatewayManagementApiClient, { endpoint: `${server.url}/prod` });
  });
  after(() => client.close());

  test('PostToConnection reaches the client, whichever endpoint the SDK is given', async () => {
    const n = client.messages.length;
    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'hello from the backend' }));
    assert.equal(await client.message(n), 'hello from the backend');
    const plain = server.client(ApiGatewayManagementApiClient);
    await plain.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('no stage') }));
    assert.equal(await client.message(n + 1), 'no stage');
  });

  test('a message over 32 KB arrives whole (sent as frames of 32 KB)', async () => {
    const n = client.messages.length;
    const big = 'z'.repeat(100 * 1024);
    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: big }));
    assert.equal(await client.message(n), big);
  });

  test('GetConnection: connectedAt, identity, lastActiveAt', async () => {
    const before = Date.now();
    await whoami(client);
    const info = await management.send(new GetConnectionCommand({ ConnectionId: id }));
    assert.ok(info.ConnectedAt instanceof Date);
    assert.ok(info.LastActiveAt instanceof Date);
    assert.ok(info.LastActiveAt!.getTime() >= before - 1000, 'a message makes the connection active');
    assert.ok(info.ConnectedAt!.getTime() <= info.LastActiveAt!.getTime());
    assert.equal(info.Identity?.SourceIp, '127.0.0.1');
    assert.equal(typeof info.Identity?.UserAgent, 'string');
  });

  test('errors: GoneException for an unknown id, BadRequestException for what is no connection id, PayloadTooLargeException over 128 KB', async () => {
    await fails(management.send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: 'x' })), 'GoneException', 410);
    await fails(management.send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), 'GoneException', 410);
    await fails(management.send(new DeleteConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), 'GoneException', 410);
    await fails(management.send(new PostToConnectionCommand({ ConnectionId: 'not-an-id', Data: 'x' })), 'BadRequestException', 400, 'Invalid connectionId: not-an-id');
    await fails(management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(128 * 1024 + 1, 97) })), 'PayloadTooLargeException', 413);
    await fails(management.send(new PostToConnectionCommand({ ConnectionId: id, Data: '' })), 'BadRequestException', 400);
    // An endpoint naming another API reaches none of this API's connections.
    const elsewhere = server.client(ApiGatewayManagementApiClient, { endpoint: `http://127.0.0.1:${port}/prod` });
    elsewhere.middlewareStack.add((next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers.host = `zzzzzzzzzz.execute-api.localhost:${port}`;
      return next(args);
    }, { step: 'finalizeRequest' });
    await fails(elsewhere.send(new GetConnectionCommand({ ConnectionId: id })), 'GoneException', 410);
    // The client is still there.
    assert.equal((await whoami(client)).connectionId, id);
  });

  test('DeleteConnection closes the connection; it is Gone after', async () => {
    const c = await open(byPath());
    const cid = (await whoami(c)).connectionId;
    await management.send(new DeleteConnectionCommand({ ConnectionId: cid }));
    const closed = await c.closed;
    assert.equal(closed.code, 1000);
    await fails(management.send(new PostToConnectionCommand({ ConnectionId: cid, Data: 'late' })), 'GoneException', 410);
  });

  test('a connection the client closed is Gone', async () => {
    const c = await open(byPath());
    const cid = (await whoami(c)).connectionId;
    await c.close();
    await fails(management.send(new GetConnectionCommand({ ConnectionId: cid })), 'GoneException', 410);
  });
});

test('$disconnect runs after DeleteConnection, and for every connection a stopping server closes (1001 Going away)', async () => {
  // The $disconnect route's backend records which connection left.
  const left: string[] = [];
  const backend = createServer((req, res) => {
    left.push(String(req.headers.connectionid));
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  const own = await startTestServer();
  const ownV2 = own.client(ApiGatewayV2Client);
  const created = await webSocketApi(ownV2, { name: 'stopping', routes: [{ key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true }] });
  const integration = await ownV2.send(
    new CreateIntegrationCommand({
      ApiId: created.apiId,
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'POST',
      IntegrationUri: `http://127.0.0.1:${(backend.address() as { port: number }).port}/left`,
      RequestParameters: { 'integration.request.header.connectionId': 'context.connectionId' },
    }),
  );
  await ownV2.send(new CreateRouteCommand({ ApiId: created.apiId, RouteKey: '$disconnect', Target: `integrations/${integration.IntegrationId}` }));
  await ownV2.send(new CreateDeploymentCommand({ ApiId: created.apiId, StageName: 'prod' }));
  const url = `${own.url.replace('http', 'ws')}/restapis/${created.apiId}/prod/_user_request_/`;
  const [deleted, a, b] = [await open(url), await open(url), await open(url)];
  const ids = await Promise.all([deleted, a, b].map(async (c) => (await whoami(c)).connectionId));
  await own.client(ApiGatewayManagementApiClient).send(new DeleteConnectionCommand({ ConnectionId: ids[0] }));
  assert.equal((await deleted.closed).code, 1000);
  for (let i = 0; i < 200 && left.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(left, [ids[0]]);
  const started = Date.now();
  await own.stop();
  for (const c of [a, b]) assert.equal((await c.closed).code, 1001);
  assert.ok(Date.now() - started < 5000, 'the server stops at once');
  // Stopping waited for the $disconnect integrations (best effort, bounded).
  assert.deepEqual(left.slice(1).sort(), [ids[1], ids[2]].sort());
  backend.close();
});
