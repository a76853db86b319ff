/**
 * Generated input against the apigatewayv2 control plane: for every action this branch serves
 * (APIs, routes, integrations, authorizers, models, stages, deployments, tags), seeded requests
 * written from the action's input shape — valid ones naming resources that exist, and near-valid
 * ones (limits ±1, wrong types, missing members, odd strings) — sent over REST-JSON with v2's
 * camelCase JSON names. No answer may be a 5xx, a dropped connection or a hang; every error must
 * carry `x-amzn-ErrorType` and a JSON `message`. Then an invoke of every API made is answered.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { shapes } from '../../src/gateway/api/apigatewayv2-shapes.js';
import type { ActionDefinition, ServiceDefinition } from '../../src/protocol/service.js';
import type { Shape } from '../../src/protocol/shapes.js';
import { Rng } from '../support/rng.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { generate, toJson, type Pools } from '../support/shape-inputs.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x2a7e);
const PER_ACTION = 8;

/** The actions of this branch (domain names, API mappings, import/export belong to others). */
const ACTIONS = Object.keys(shapes).filter(
  (name) => !/DomainName|ApiMapping|RoutingRule|Portal|ProductPage|ProductRestEndpointPage|VpcLink|ImportApi|ReimportApi|ExportApi/.test(name),
) as (keyof typeof shapes)[];

let server: TestServer;
const pools: Pools = { known: [], blobs: [] };

before(async () => {
  server = await startTestServer();
  const client = server.client(v2.ApiGatewayV2Client);
  const api = await client.send(new v2.CreateApiCommand({ Name: 'fuzz', ProtocolType: 'HTTP', Target: 'http://127.0.0.1:1/' }));
  const ws = await client.send(new v2.CreateApiCommand({ Name: 'fuzz-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
  const integration = await client.send(new v2.CreateIntegrationCommand({ ApiId: ws.ApiId, IntegrationType: 'MOCK' }));
  const route = await client.send(new v2.CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
  await client.send(new v2.CreateStageCommand({ ApiId: ws.ApiId, StageName: 'prod' }));
  const known: [string, string][] = [
    [api.ApiId!, 'api id'],
    [ws.ApiId!, 'api id'],
    [integration.IntegrationId!, 'integration id'],
    [route.RouteId!, 'route id'],
    ['prod', 'stage name'],
    ['$default', 'stage name route key'],
    ['GET /pets/{id}', 'route key'],
    [`arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`, 'resource arn'],
    ['HTTP', 'protocol type'],
    ['arn:aws:lambda:us-east-1:000000000000:function:fuzz', 'target uri'],
    ['$request.header.Authorization', 'identity source'],
  ];
  pools.known.push(...known.map(([value, tags]) => ({ value, tags: tags.split(' ') })));
});
after(() => server.stop());

/** A JSON value with v2's wire names (`jsonName`) where the shape has them, at every depth. */
function wire(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (shape.type === 'structure' && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const member = shape.members[k];
      out[member?.jsonName ?? k] = member === undefined ? v : wire(member.shape, v);
    }
    return out;
  }
  if (shape.type === 'list' && Array.isArray(value)) return value.map((v) => wire(shape.member, v));
  if (shape.type === 'map' && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, wire(shape.value, v)]));
  }
  return value;
}

function send(port: number, request: { method: string; url: string; headers: Record<string, string>; body: Buffer }): Promise<{ status?: number; headers?: http.IncomingHttpHeaders; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers: request.headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ error: 'no answer in 10 s' });
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(request.body);
  });
}

test(`every v2 action of this branch, ${PER_ACTION} generated requests each: no 5xx, no drop, errors in REST-JSON's shape`, async (t) => {
  const service = { signingName: 'apigateway', restJson: true, actions: [] } as unknown as ServiceDefinition;
  const rng = new Rng(SEED);
  const port = Number(new URL(server.url).port);
  const failures: string[] = [];
  let ok = 0;
  const requests = [];
  for (let round = 0; round < PER_ACTION; round += 1) {
    for (const name of ACTIONS) {
      const s = shapes[name];
      const action = { name, input: s.input, output: s.output, http: s.http, handler: () => undefined } as unknown as ActionDefinition;
      const generated = generate(rng, pools, service, action, 'rest-json');
      // The generator writes body members by their model names; v2 carries them by their JSON names.
      let body = generated.body;
      if (body.length > 0 && generated.kind === 'valid') {
        const bodyMembers = Object.fromEntries(Object.entries(generated.input).filter(([k]) => s.input.members[k] !== undefined && s.input.members[k].location === undefined));
        body = Buffer.from(JSON.stringify(wire(s.input, toJson(bodyMembers))));
      }
      requests.push({ ...generated, body });
    }
  }
  const destructive = (r: { action: string }) => /^(Delete|Untag|Reset)/.test(r.action);
  requests.sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
  for (const request of requests) {
    const headers = {
      ...request.headers,
      'content-type': 'application/json',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0',
    };
    const answer = await send(port, { method: request.method, url: request.url, headers, body: request.body });
    const describe = `${request.action} (${request.kind}) ${request.method} ${request.url.slice(0, 200)} ${request.body.toString('utf8').slice(0, 300)}`;
    if (answer.status === undefined) failures.push(`${describe}: ${answer.error}`);
    else if (answer.status >= 500) failures.push(`${describe}: ${answer.status} ${answer.body?.slice(0, 300)}`);
    else if (answer.status >= 400) {
      let message: unknown;
      try {
        message = (JSON.parse(answer.body ?? '') as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      if (answer.headers?.['x-amzn-errortype'] === undefined || typeof message !== 'string') failures.push(`${describe}: error without x-amzn-ErrorType or message: ${answer.body?.slice(0, 200)}`);
    } else ok += 1;
  }
  t.diagnostic(`seed ${SEED}: ${requests.length} requests, ${ok} succeeded`);
  assert.deepEqual(failures.slice(0, 10), []);
  assert.ok(ok > requests.length / 10, `only ${ok} of ${requests.length} generated requests succeeded: the generator should reach real state`);
});
