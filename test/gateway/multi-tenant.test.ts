/**
 * The issue's end-to-end case: a multi-tenant REST API. A Lambda REQUEST authorizer verifies the
 * caller's JWT (HS256, signed here with jose; the function checks it with node:crypto), maps its
 * tenant to that tenant's API key and returns it as `usageIdentifierKey` (the API's apiKeySource is
 * AUTHORIZER). The two tenants' keys are in different usage plans: the one over its limit gets 429
 * while the other is still served — for a throttle and for a quota. Usage is counted durably
 * (GetUsage reads it back).
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SignJWT } from 'jose';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { arnOf, createFunction, makeZip, REGION } from '../functions/control-plane-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method, type Built } from './rest-data-support.js';

const SECRET = 'multi-tenant-test-secret-0123456789';

/** Verifies an HS256 JWT with node:crypto and answers the tenant's API key as the usage identifier. */
const AUTHORIZER_JS = `const crypto = require('crypto');
const keys = JSON.parse(process.env.TENANT_KEYS);
exports.handler = async (event) => {
  const header = event.headers && (event.headers.Authorization || event.headers.authorization);
  const token = (header || '').replace(/^Bearer /, '');
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) throw new Error('Unauthorized');
  const expected = crypto.createHmac('sha256', process.env.SECRET).update(h + '.' + p).digest('base64url');
  if (expected !== s) throw new Error('Unauthorized');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (claims.exp && claims.exp < Date.now() / 1000) throw new Error('Unauthorized');
  const apiKey = keys[claims.tenant];
  if (!apiKey) throw new Error('Unauthorized');
  return {
    principalId: claims.sub,
    usageIdentifierKey: apiKey,
    context: { tenant: claims.tenant },
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] },
  };
};`;

let server: TestServer;
let client: apigw.APIGatewayClient;
let built: Built;
const plans: Record<string, string> = {};
const keyIds: Record<string, string> = {};

/** One token per tenant, so the authorizer's answer is cached (300 s by default) after its first request. */
const tokens = new Map<string, Promise<string>>();
const tokenFor = (tenant: string) => {
  if (!tokens.has(tenant)) tokens.set(tenant, signToken(tenant));
  return tokens.get(tenant)!;
};
const signToken = (tenant: string) =>
  new SignJWT({ tenant })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`user-of-${tenant}`)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  const lambda = server.client(LambdaClient);

  built = await buildApi(client, 'saas', ['/orders', '/reports'], { apiKeySource: 'AUTHORIZER' });
  const values: Record<string, string> = {};
  for (const tenant of ['small', 'large', 'capped']) {
    const key = await client.send(new apigw.CreateApiKeyCommand({ name: `${tenant}-key`, enabled: true }));
    values[tenant] = key.value!;
    keyIds[tenant] = key.id!;
  }
  await createFunction(lambda, 'tenant-authorizer', {
    Code: { ZipFile: await makeZip({ 'index.js': AUTHORIZER_JS }) },
    Environment: { Variables: { SECRET, TENANT_KEYS: JSON.stringify(values) } },
  });
  const authorizer = await client.send(
    new apigw.CreateAuthorizerCommand({
      restApiId: built.apiId,
      name: 'tenants',
      type: 'REQUEST',
      identitySource: 'method.request.header.Authorization',
      authorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf('tenant-authorizer')}/invocations`,
    }),
  );
  const guarded = { authorizationType: 'CUSTOM' as const, authorizerId: authorizer.id, apiKeyRequired: true };
  const answer = { statusCode: '200', responseTemplates: { 'application/json': '{"tenant": "$context.authorizer.tenant", "keyId": "$context.identity.apiKeyId"}' } };
  const mock = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
  await method(client, built, '/orders', 'GET', mock, { method: guarded, responses: [answer] });
  await method(client, built, '/reports', 'GET', mock, { method: guarded, responses: [answer] });
  await deploy(client, built.apiId, 'prod');

  const apiStages = [{ apiId: built.apiId, stage: 'prod' }];
  // "small": 1 request a second, burst 2. "large": 1000/s. "capped": a quota of 3 a day.
  plans.small = (await client.send(new apigw.CreateUsagePlanCommand({ name: 'small', apiStages, throttle: { rateLimit: 1, burstLimit: 2 } }))).id!;
  plans.large = (await client.send(new apigw.CreateUsagePlanCommand({ name: 'large', apiStages, throttle: { rateLimit: 1000, burstLimit: 1000 } }))).id!;
  plans.capped = (await client.send(new apigw.CreateUsagePlanCommand({ name: 'capped', apiStages, quota: { limit: 3, period: 'DAY' } }))).id!;
  for (const tenant of ['small', 'large', 'capped']) {
    await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plans[tenant], keyId: keyIds[tenant], keyType: 'API_KEY' }));
  }
});
after(() => server.stop());

const call = async (tenant: string | undefined, path = '/orders') => {
  const headers: Record<string, string> = tenant === undefined ? {} : { Authorization: `Bearer ${await tokenFor(tenant)}` };
  const r = await invoke(server, built.apiId, 'prod', path, { headers });
  return { status: r.status, body: JSON.parse(r.text) as Record<string, string> };
};

describe('two tenants, two usage plans, one API', () => {
  test('each tenant is served under its own key', async () => {
    const large = await call('large');
    assert.equal(large.status, 200);
    assert.deepEqual(large.body, { tenant: 'large', keyId: keyIds.large });
  });

  test('the throttled tenant gets 429 Too Many Requests while the other is served', async () => {
    // Burst 2 at 1 request a second. The first request (its authorizer answer then cached) takes a
    // token; of 6 more at once, the one left passes (two if a second ticks over meanwhile).
    assert.equal((await call('small', '/reports')).status, 200);
    const small = await Promise.all(Array.from({ length: 6 }, () => call('small', '/reports')));
    const passed = small.filter((r) => r.status === 200).length;
    assert.ok(passed >= 1 && passed <= 2, `small passed ${passed}`);
    const throttled = small.filter((r) => r.status === 429);
    assert.ok(throttled.length >= 3);
    assert.deepEqual(throttled[0].body, { message: 'Too Many Requests' });
    const large = await Promise.all(Array.from({ length: 20 }, () => call('large', '/reports')));
    assert.deepEqual(
      large.map((r) => r.status),
      Array(20).fill(200),
    );
  });

  test('the tenant over its quota gets 429 Limit Exceeded while the other is served; GetUsage counts it', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call('capped')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.deepEqual((await call('capped')).body, { message: 'Limit Exceeded' });
    assert.equal((await call('large')).status, 200);
    const today = new Date().toISOString().slice(0, 10);
    const usage = await client.send(new apigw.GetUsageCommand({ usagePlanId: plans.capped, startDate: today, endDate: today }));
    assert.deepEqual(usage.items, { [keyIds.capped]: [[3, 0]] });
    // More quota for today: served again.
    await client.send(new apigw.UpdateUsageCommand({ usagePlanId: plans.capped, keyId: keyIds.capped, patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] }));
    assert.equal((await call('capped')).status, 200);
    assert.equal((await call('capped')).status, 429);
  });

  test('no token or a forged one: 401; a key outside every plan of the stage: 403 Forbidden', async () => {
    assert.equal((await call(undefined)).status, 401);
    const forged = (await signToken('large')).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await invoke(server, built.apiId, 'prod', '/orders', { headers: { Authorization: `Bearer ${forged}` } })).status, 401);
    await client.send(new apigw.DeleteUsagePlanKeyCommand({ usagePlanId: plans.large, keyId: keyIds.large }));
    assert.deepEqual(await call('large'), { status: 403, body: { message: 'Forbidden' } });
    await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plans.large, keyId: keyIds.large, keyType: 'API_KEY' }));
    await client.send(new apigw.UpdateApiKeyCommand({ apiKey: keyIds.large, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    assert.deepEqual(await call('large'), { status: 403, body: { message: 'Forbidden' } }, 'a disabled key');
  });
});
