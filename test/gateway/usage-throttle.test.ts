/**
 * Throttling through the whole stack: a usage plan's rate and burst hold under overload (requests
 * let through = burst + rate·t, within 5%), a plan's per-method throttle, and a stage's method
 * settings (`*\/*` and one method) throttling requests with no API key.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method, type Built } from './rest-data-support.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
let built: Built;
const MOCK = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const OK = { statusCode: '200', responseTemplates: { 'application/json': '{}' } };

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  built = await buildApi(client, 'throttled', ['/keyed', '/slow-method', '/open', '/open-limited']);
  await method(client, built, '/keyed', 'GET', MOCK, { method: { apiKeyRequired: true }, responses: [OK] });
  await method(client, built, '/slow-method', 'GET', MOCK, { method: { apiKeyRequired: true }, responses: [OK] });
  await method(client, built, '/open', 'GET', MOCK, { responses: [OK] });
  await method(client, built, '/open-limited', 'GET', MOCK, { responses: [OK] });
  await deploy(client, built.apiId, 'dev');
});
after(() => server.stop());

/**
 * Sends requests back to back (`parallel` at a time) for `ms`, answers how many got 200 and how
 * many 429, and the seconds from the first request sent to the last (the window the bucket saw).
 */
async function overload(path: string, headers: Record<string, string>, ms: number, parallel = 8): Promise<{ ok: number; throttled: number; other: number[]; seconds: number; slowestSeconds: number }> {
  const started = Date.now();
  let ok = 0;
  let throttled = 0;
  const other: number[] = [];
  let last = started;
  let slowest = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (Date.now() - started < ms) {
        const sent = Date.now();
        last = sent;
        const r = await invoke(server, built.apiId, 'dev', path, { headers });
        slowest = Math.max(slowest, Date.now() - sent);
        if (r.status === 200) ok += 1;
        else if (r.status === 429) throttled += 1;
        else other.push(r.status);
      }
    }),
  );
  return { ok, throttled, other, seconds: (last - started) / 1000, slowestSeconds: slowest / 1000 };
}

async function keyInPlan(plan: Partial<apigw.CreateUsagePlanCommandInput>): Promise<string> {
  const key = await client.send(new apigw.CreateApiKeyCommand({ enabled: true }));
  const created = await client.send(new apigw.CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: built.apiId, stage: 'dev' }], ...plan }));
  await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
  return key.value!;
}

test('a usage plan under overload lets through burst + rate·t (±5%), the rest 429', async () => {
  // Low figures: the test must overload the plan even on a busy machine (this one served ~35 requests a second at load 15).
  const value = await keyInPlan({ throttle: { rateLimit: 5, burstLimit: 20 } });
  const result = await overload('/keyed', { 'x-api-key': value }, 3000);
  assert.deepEqual(result.other, []);
  const expected = 20 + 5 * result.seconds;
  assert.ok(result.throttled > 0, `the overload was real: ${JSON.stringify(result)}`);
  // The client sees the window only up to a request's time in flight: on a loaded machine the
  // bucket's window differs from the measured one by up to the slowest request, so that much
  // rate is allowed beside the 5%.
  const tolerance = Math.max(expected * 0.05, 5 * result.slowestSeconds);
  assert.ok(Math.abs(result.ok - expected) <= tolerance, `${result.ok} let through in ${result.seconds} s, expected ${expected.toFixed(1)} ± ${tolerance.toFixed(1)}`);
});

test("a plan's per-method throttle applies to that method only", async () => {
  const value = await keyInPlan({ throttle: { rateLimit: 1000, burstLimit: 1000 }, apiStages: [{ apiId: built.apiId, stage: 'dev', throttle: { '/slow-method/GET': { rateLimit: 0.001, burstLimit: 2 } } }] });
  const slow = [];
  for (let i = 0; i < 4; i += 1) slow.push((await invoke(server, built.apiId, 'dev', '/slow-method', { headers: { 'x-api-key': value } })).status);
  assert.deepEqual(slow, [200, 200, 429, 429]);
  const other = [];
  for (let i = 0; i < 4; i += 1) other.push((await invoke(server, built.apiId, 'dev', '/keyed', { headers: { 'x-api-key': value } })).status);
  assert.deepEqual(other, [200, 200, 200, 200]);
});

test("the stage's method settings throttle every caller: one method's own, then */* for the rest", async () => {
  await client.send(
    new apigw.UpdateStageCommand({
      restApiId: built.apiId,
      stageName: 'dev',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '0.001' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '3' },
        { op: 'replace', path: '/~1open-limited/GET/throttling/rateLimit', value: '0.001' },
        { op: 'replace', path: '/~1open-limited/GET/throttling/burstLimit', value: '1' },
      ],
    }),
  );
  const statuses = async (path: string, n: number) => {
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const r = await invoke(server, built.apiId, 'dev', path);
      out.push(r.status === 429 ? `429 ${r.text}` : String(r.status));
    }
    return out;
  };
  assert.deepEqual(await statuses('/open-limited', 2), ['200', '429 {"message":"Too Many Requests"}']);
  assert.deepEqual(await statuses('/open', 4), ['200', '200', '200', '429 {"message":"Too Many Requests"}']);
});
