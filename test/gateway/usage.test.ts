/**
 * API keys, usage plans, usage plan keys and usage through @aws-sdk/client-api-gateway: AWS's
 * shapes, defaults and messages (as recorded against AWS in test/conformance/apigateway where a
 * comment says so), good input and bad.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: apigw.APIGatewayClient;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status: number): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

const createKey = (input: apigw.CreateApiKeyCommandInput = {}) => client.send(new apigw.CreateApiKeyCommand(input));

describe('API keys', () => {
  test('CreateApiKey: a 40-character value made, disabled by default, no stage keys (recorded)', async () => {
    const key = await createKey({ name: 'plain-key' });
    assert.equal(key.$metadata.httpStatusCode, 201);
    assert.match(key.id!, /^[a-z0-9]{10}$/);
    assert.match(key.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(key.enabled, false);
    assert.deepEqual(key.stageKeys, []);
    assert.equal(key.tags, undefined);
    assert.ok(key.createdDate instanceof Date && key.lastUpdatedDate instanceof Date);
    const got = await client.send(new apigw.GetApiKeyCommand({ apiKey: key.id }));
    assert.equal(got.value, undefined, 'the value only with includeValue');
    assert.deepEqual(got.tags, {});
    const withValue = await client.send(new apigw.GetApiKeyCommand({ apiKey: key.id, includeValue: true }));
    assert.equal(withValue.value, key.value);
  });

  test('CreateApiKey: given values, names and descriptions are checked with AWS messages (recorded)', async () => {
    await rejects(createKey({ value: 'short' }), 'BadRequestException', 'API Key value should be at least 20 characters', 400);
    await rejects(createKey({ value: 'a'.repeat(129) }), 'BadRequestException', 'API Key value exceeds maximum size of 128 characters', 400);
    await rejects(createKey({ name: 'a'.repeat(1025) }), 'BadRequestException', 'Invalid API Key name, can be at most 1024 characters.', 400);
    await rejects(createKey({ description: 'a'.repeat(125_001) }), 'BadRequestException', 'Invalid API Key description specified.', 400);
    const empty = await createKey({ value: '', name: '' });
    assert.equal(empty.value!.length, 40, 'an empty value is made');
    assert.equal(empty.name, undefined);
    const given = await createKey({ value: 'x'.repeat(20), enabled: true, customerId: 'cust-1', tags: { team: 'a' }, description: 'd' });
    assert.equal(given.value, 'x'.repeat(20));
    assert.equal(given.enabled, true);
    assert.deepEqual(given.tags, { team: 'a' });
    assert.equal(given.customerId, 'cust-1');
  });

  test('GetApiKeys: newest first, nameQuery a case-sensitive prefix, customerId, values on request, pages', async () => {
    const a = await createKey({ name: 'listing-alpha', customerId: 'c-list' });
    const b = await createKey({ name: 'listing-beta' });
    const all = await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'listing-' }));
    assert.deepEqual(all.items!.map((k) => k.id), [b.id, a.id]);
    assert.equal(all.items![0].value, undefined);
    assert.deepEqual((await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'LISTING-' }))).items, []);
    assert.deepEqual((await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'sting' }))).items, [], 'not an infix');
    assert.deepEqual((await client.send(new apigw.GetApiKeysCommand({ customerId: 'c-list' }))).items!.map((k) => k.id), [a.id]);
    const values = await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'listing-alpha', includeValues: true }));
    assert.equal(values.items![0].value, a.value);
    const first = await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'listing-', limit: 1 }));
    assert.deepEqual(first.items!.map((k) => k.id), [b.id]);
    assert.ok(first.position);
    const second = await client.send(new apigw.GetApiKeysCommand({ nameQuery: 'listing-', limit: 1, position: first.position }));
    assert.deepEqual(second.items!.map((k) => k.id), [a.id]);
    assert.equal(second.position, undefined);
  });

  test('UpdateApiKey: the paths AWS takes; others refused in its words (recorded)', async () => {
    const key = await createKey({ name: 'to-update' });
    const updated = await client.send(
      new apigw.UpdateApiKeyCommand({
        apiKey: key.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'new-name' },
          { op: 'replace', path: '/enabled', value: 'true' },
          { op: 'replace', path: '/description', value: 'described' },
          { op: 'replace', path: '/customerId', value: 'cust' },
        ],
      }),
    );
    assert.equal(updated.name, 'new-name');
    assert.equal(updated.enabled, true);
    assert.equal(updated.description, 'described');
    assert.equal(updated.customerId, 'cust');
    assert.deepEqual(updated.tags, {});
    assert.equal(updated.value, undefined);
    await rejects(
      client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/id', value: 'new-id' }] })),
      'BadRequestException',
      "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]",
      400,
    );
    await rejects(
      client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/description', value: 'a'.repeat(125_001) }] })),
      'BadRequestException',
      'Invalid API Key description specified.',
      400,
    );
    await rejects(client.send(new apigw.UpdateApiKeyCommand({ apiKey: 'nosuchkey0', patchOperations: [] })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
  });

  test('DeleteApiKey removes the key and takes it out of its plans', async () => {
    const key = await createKey({ name: 'doomed' });
    const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'with-doomed' }));
    await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    await client.send(new apigw.DeleteApiKeyCommand({ apiKey: key.id }));
    await rejects(client.send(new apigw.GetApiKeyCommand({ apiKey: key.id })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
    assert.deepEqual((await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items, []);
    await rejects(client.send(new apigw.DeleteApiKeyCommand({ apiKey: key.id })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
  });

  test('ImportApiKeys: CSV with any column order, plan ids, warnings, a value imported again overwrites', async () => {
    const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'import-plan' }));
    const value = 'imported0123456789abcdef';
    const csv = `Enabled,Name,key,UsageplanIds\ntrue,imported-one,${value},"${plan.id}"\nfalse,too-short,abc,\n`;
    const result = await client.send(new apigw.ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv' }));
    assert.equal(result.ids!.length, 1);
    assert.equal(result.warnings!.length, 1);
    const key = await client.send(new apigw.GetApiKeyCommand({ apiKey: result.ids![0], includeValue: true }));
    assert.equal(key.value, value);
    assert.equal(key.enabled, true);
    assert.equal(key.name, 'imported-one');
    assert.deepEqual((await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items!.map((k) => k.id), [key.id]);
    const again = await client.send(new apigw.ImportApiKeysCommand({ body: Buffer.from(`name,key\nrenamed,${value}\n`), format: 'csv' }));
    assert.deepEqual(again.ids, [key.id]);
    assert.equal((await client.send(new apigw.GetApiKeyCommand({ apiKey: key.id }))).name, 'renamed');
    await rejects(
      client.send(new apigw.ImportApiKeysCommand({ body: Buffer.from('name,key\nx,short\n'), format: 'csv', failOnWarnings: true })),
      'BadRequestException',
      /Invalid API Key value at line 2/,
      400,
    );
    await rejects(client.send(new apigw.ImportApiKeysCommand({ body: Buffer.from('name,description\nx,y\n'), format: 'csv' })), 'BadRequestException', /Name and Key/, 400);
  });
});

describe('usage plans', () => {
  test('CreateUsagePlan answers AWS shape: apiStages [] by default, throttle and quota as given (recorded)', async () => {
    const plan = await client.send(
      new apigw.CreateUsagePlanCommand({ name: 'plan-a', description: 'd', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10, period: 'DAY' }, tags: { k: 'v' } }),
    );
    assert.equal(plan.$metadata.httpStatusCode, 201);
    assert.deepEqual(plan.apiStages, []);
    assert.deepEqual(plan.throttle, { rateLimit: 10, burstLimit: 20 });
    assert.deepEqual(plan.quota, { limit: 10, offset: 0, period: 'DAY' });
    assert.deepEqual(plan.tags, { k: 'v' });
    const got = await client.send(new apigw.GetUsagePlanCommand({ usagePlanId: plan.id }));
    assert.deepEqual({ ...got, $metadata: undefined }, { ...plan, $metadata: undefined });
    await rejects(client.send(new apigw.GetUsagePlanCommand({ usagePlanId: 'nosuchplan' })), 'NotFoundException', 'Invalid Usage Plan ID specified', 404);
    await rejects(client.send(new apigw.CreateUsagePlanCommand({ name: 'bad', quota: { limit: 10, period: 'YEAR' as 'DAY' } })), 'ValidationException', /YEAR/, 400);
    await rejects(
      client.send(new apigw.CreateUsagePlanCommand({ name: 'bad', apiStages: [{ apiId: 'nosuchapi0', stage: 'dev' }] })),
      'NotFoundException',
      /Invalid API Stage \{api: nosuchapi0, stage: dev\}/,
      404,
    );
  });

  test('UpdateUsagePlan patches throttle, quota, name; apiStages errors as AWS words them (recorded)', async () => {
    const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'plan-u' }));
    const updated = await client.send(
      new apigw.UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: 'replace', path: '/throttle/burstLimit', value: '100' },
          { op: 'replace', path: '/throttle/rateLimit', value: '200.5' },
          { op: 'replace', path: '/quota/limit', value: '1000' },
          { op: 'replace', path: '/quota/period', value: 'WEEK' },
          { op: 'replace', path: '/name', value: 'renamed' },
        ],
      }),
    );
    assert.deepEqual(updated.throttle, { burstLimit: 100, rateLimit: 200.5 });
    assert.deepEqual(updated.quota, { limit: 1000, offset: 0, period: 'WEEK' });
    assert.equal(updated.name, 'renamed');
    const removed = await client.send(new apigw.UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/throttle' }] }));
    assert.equal(removed.throttle, undefined);
    await rejects(
      client.send(new apigw.UpdateUsagePlanCommand({ usagePlanId: `${plan.id}1`, patchOperations: [{ op: 'replace', path: '/throttle/burstLimit', value: '100' }] })),
      'NotFoundException',
      'Invalid Usage Plan ID specified',
      404,
    );
    await rejects(client.send(new apigw.UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages' }] })), 'BadRequestException', 'Invalid API Stage specified', 400);
    await rejects(
      client.send(new apigw.UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: 'fakevalue' }] })),
      'BadRequestException',
      'Invalid API Stage specified',
      400,
    );
    await rejects(
      client.send(new apigw.UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: 'someapi:fakestagename' }] })),
      'NotFoundException',
      `Invalid API Stage {api: someapi, stage: fakestagename} specified for usageplan ${plan.id}`,
      404,
    );
  });

  test('GetUsagePlans lists newest first and filters by key; DeleteUsagePlan', async () => {
    const key = await createKey({ name: 'plans-filter' });
    const a = await client.send(new apigw.CreateUsagePlanCommand({ name: 'list-a' }));
    const b = await client.send(new apigw.CreateUsagePlanCommand({ name: 'list-b' }));
    await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: a.id, keyId: key.id, keyType: 'API_KEY' }));
    const all = (await client.send(new apigw.GetUsagePlansCommand({ limit: 500 }))).items!.map((p) => p.id);
    assert.ok(all.indexOf(b.id) < all.indexOf(a.id));
    assert.deepEqual((await client.send(new apigw.GetUsagePlansCommand({ keyId: key.id }))).items!.map((p) => p.id), [a.id]);
    await client.send(new apigw.DeleteUsagePlanCommand({ usagePlanId: b.id }));
    await rejects(client.send(new apigw.DeleteUsagePlanCommand({ usagePlanId: b.id })), 'NotFoundException', 'Invalid Usage Plan ID specified', 404);
  });
});

describe('usage plan keys and usage', () => {
  test('CreateUsagePlanKey answers the key; GetUsagePlanKeys lists newest first, prefix nameQuery; unknown plan lists none (recorded)', async () => {
    const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'keys-plan', quota: { limit: 5, period: 'MONTH' } }));
    const k1 = await createKey({ name: 'test-key-1' });
    const k2 = await createKey({ name: 'test-key-2' });
    const added = await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k1.id, keyType: 'API_KEY' }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual({ id: added.id, type: added.type, value: added.value, name: added.name }, { id: k1.id, type: 'API_KEY', value: k1.value, name: 'test-key-1' });
    await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k2.id, keyType: 'API_KEY' }));
    await rejects(client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k2.id, keyType: 'API_KEY' })), 'ConflictException', /already/, 409);
    await rejects(client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: 'nosuchkey0', keyType: 'API_KEY' })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
    const keys = await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    assert.deepEqual(keys.items!.map((k) => k.id), [k2.id, k1.id]);
    assert.equal((await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: plan.id, nameQuery: 'TEST-key' }))).items!.length, 0);
    assert.equal((await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: plan.id, nameQuery: 'test-key' }))).items!.length, 2);
    assert.deepEqual((await client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId: 'nosuchplan' }))).items, []);
    const one = await client.send(new apigw.GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k1.id }));
    assert.equal(one.value, k1.value);

    // Usage: one row per day with [used, remaining]; UpdateUsage sets what remains.
    const today = new Date().toISOString().slice(0, 10);
    const usage = await client.send(new apigw.GetUsageCommand({ usagePlanId: plan.id, startDate: today, endDate: today }));
    assert.deepEqual(usage.items, { [k1.id!]: [[0, 5]], [k2.id!]: [[0, 5]] });
    assert.equal(usage.usagePlanId, plan.id);
    const set = await client.send(new apigw.UpdateUsageCommand({ usagePlanId: plan.id, keyId: k1.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
    assert.deepEqual(set.items, { [k1.id!]: [[0, 2]] });
    await rejects(
      client.send(new apigw.GetUsageCommand({ usagePlanId: plan.id, startDate: 'yesterday', endDate: today })),
      'BadRequestException',
      /date/i,
      400,
    );

    await client.send(new apigw.DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k1.id }));
    await rejects(client.send(new apigw.GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k1.id })), 'NotFoundException', 'Invalid Usage Plan Key identifier specified', 404);
  });
});
