/**
 * Usage is counted durably: requests counted against a quota, API keys and usage plans survive a
 * restart on the same store (SQLite file or PostgreSQL schema), and the quota goes on from the
 * count (GetUsage shows it; a key at its limit stays refused).
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method } from './rest-data-support.js';

const data = tempDataDir();
after(() => data.cleanup());
const start = () => startTestServer({ config: { inMemory: false, dataDir: data.dir } });

test('counts, keys and plans survive a restart; the quota goes on from the count', async () => {
  let server: TestServer = await start();
  let client = server.client(apigw.APIGatewayClient);
  const built = await buildApi(client, 'durable', ['/q']);
  await method(client, built, '/q', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, {
    method: { apiKeyRequired: true },
    responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{}' } }],
  });
  await deploy(client, built.apiId, 'dev');
  const key = await client.send(new apigw.CreateApiKeyCommand({ name: 'durable', enabled: true }));
  const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'durable', apiStages: [{ apiId: built.apiId, stage: 'dev' }], quota: { limit: 4, period: 'MONTH' } }));
  await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  const get = () => invoke(server, built.apiId, 'dev', '/q', { headers: { 'x-api-key': key.value! } }).then((r) => r.status);
  assert.deepEqual([await get(), await get(), await get()], [200, 200, 200]);
  await server.stop();

  server = await start();
  client = server.client(apigw.APIGatewayClient);
  try {
    const today = new Date().toISOString().slice(0, 10);
    const usage = await client.send(new apigw.GetUsageCommand({ usagePlanId: plan.id, keyId: key.id, startDate: today, endDate: today }));
    assert.deepEqual(usage.items, { [key.id!]: [[3, 1]] });
    assert.deepEqual([await get(), await get()], [200, 429]);
  } finally {
    await server.stop();
  }
});
