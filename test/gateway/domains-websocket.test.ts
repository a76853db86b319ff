/**
 * A WebSocket API behind a custom domain: the handshake on the HTTPS port goes to the API its API
 * mapping names (wss://, SNI), the mapping key taken off; names and paths no mapping serves are
 * refused with 403.
 */
import * as apigwv2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, webSocketApi } from './websocket-support.js';

let server: TestServer;

const WHOAMI = '{"domainName":"$context.domainName","stage":"$context.stage","routeKey":"$context.routeKey"}';

before(async () => {
  server = await startTestServer({ httpsPort: 0 });
  const v2 = server.client(apigwv2.ApiGatewayV2Client);
  const api = await webSocketApi(v2, { name: 'ws-domain', routes: [{ key: '$connect' }, { key: 'whoami', mock: { responseTemplate: WHOAMI }, twoWay: true }] });
  await v2.send(new apigwv2.CreateDomainNameCommand({ DomainName: 'ws.example.com' }));
  await v2.send(new apigwv2.CreateApiMappingCommand({ DomainName: 'ws.example.com', ApiId: api.apiId, Stage: 'prod', ApiMappingKey: 'chat' }));
});
after(() => server.stop());

/** Opens wss://<servername>/<path> on the HTTPS port; a refused handshake resolves with its status and body. */
function connect(servername: string, path: string): Promise<{ ok: true; client: Client } | { ok: false; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.httpsPort}${path}`, [], { servername, rejectUnauthorized: false, headers: { host: servername } } as WebSocket.ClientOptions);
    const client = new Client(ws);
    ws.once('open', () => resolve({ ok: true, client }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (error) => {
      if (ws.readyState !== WebSocket.OPEN) reject(error);
    });
  });
}

test('wss:// through a custom domain reaches the mapped WebSocket API and stage', async () => {
  const opened = await connect('ws.example.com', '/chat');
  assert.ok(opened.ok, JSON.stringify(opened));
  const client = (opened as { client: Client }).client;
  const me = JSON.parse(await client.ask({ action: 'whoami' }));
  assert.equal(me.stage, 'prod');
  assert.equal(me.routeKey, 'whoami');
  assert.equal(me.domainName, 'ws.example.com');
  await client.close();
});

test('a name or a path no mapping serves is refused with 403 Forbidden', async () => {
  assert.deepEqual(await connect('ws.example.com', '/other'), { ok: false, status: 403, body: '{"message":"Forbidden"}' });
  assert.deepEqual(await connect('nobody.example.com', '/chat'), { ok: false, status: 403, body: '{"message":"Forbidden"}' });
});
