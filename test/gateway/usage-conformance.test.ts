/**
 * The API key and usage plan cases recorded against AWS (test/conformance/apigateway): the
 * `recorded/` snapshots of LocalStack's TestApigatewayApiKeysCrud and TestUsagePlans tests, replayed
 * step by step through @aws-sdk/client-api-gateway (and the deployed API over HTTP) and compared
 * with what AWS answered — placeholders (`<id:1>`, `<value:2>`, "datetime") by shape, the same
 * placeholder standing for the same value throughout a test; and the `errors/` cases of these
 * actions, replayed after building what their test had built. Each test acts in an account of its
 * own (a 12-digit access key), so lists start empty as they did on AWS.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { AwsError } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invoke } from './rest-data-support.js';

interface RecordedCase {
  id: string;
  recorded: Record<string, Record<string, unknown>>;
}
interface ErrorCase {
  id: string;
  testNodeId: string;
  call?: string;
  params: Record<string, unknown>;
  error: { Code: string; Message: string };
  httpStatus: number;
}

const read = <T>(set: string): T => JSON.parse(readFileSync(new URL(`../../../test/conformance/apigateway/${set}/given.json`, import.meta.url), 'utf8')) as T;
const recordedCases = read<RecordedCase[]>('recorded');
const errorCases = read<ErrorCase[]>('errors');

let server: TestServer;
let accounts = 100000000000;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** A client acting in an account of its own. */
const freshClient = () => server.client(apigw.APIGatewayClient, { credentials: { accessKeyId: String((accounts += 1)), secretAccessKey: 'x' } });

/**
 * Compares an SDK answer with a recorded snapshot: `$metadata` against `ResponseMetadata`'s
 * status; placeholders by shape and consistency (`seen`); everything else exactly.
 */
function matches(actual: unknown, expected: unknown, seen: Map<string, unknown>, path = '$'): void {
  if (typeof expected === 'string' && (/^<[a-z-]+:\d+>$/.test(expected) || expected === 'datetime')) {
    assert.ok(actual !== undefined && actual !== null, `${path}: expected a value for ${expected}`);
    if (expected === 'datetime') return assert.ok(actual instanceof Date, `${path}: a date`);
    const before = seen.get(expected);
    if (before === undefined) seen.set(expected, actual);
    else assert.deepEqual(actual, before, `${path}: ${expected} stands for one value`);
    return;
  }
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const exp = expected as Record<string, unknown>;
    const act = (actual ?? {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(exp), ...Object.keys(act)].filter((k) => k !== 'ResponseMetadata' && k !== '$metadata' && k !== 'Error' && k !== 'message'));
    for (const key of keys) {
      assert.ok(key in exp, `${path}.${key}: not in AWS's answer (${JSON.stringify(act[key])})`);
      matches(act[key], exp[key], seen, `${path}.${key}`);
    }
    const meta = exp.ResponseMetadata as { HTTPStatusCode?: number } | undefined;
    if (meta?.HTTPStatusCode !== undefined && (act.$metadata as { httpStatusCode?: number } | undefined)) {
      assert.equal((act.$metadata as { httpStatusCode?: number }).httpStatusCode, meta.HTTPStatusCode, `${path}: HTTP status`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: a list`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    expected.forEach((e, i) => matches((actual as unknown[])[i], e, seen, `${path}[${i}]`));
    return;
  }
  assert.deepEqual(actual, expected, path);
}

/** An error answer as the recorder kept it: `{Error: {Code, Message}, ResponseMetadata: {HTTPStatusCode}}`. */
async function errorMatches(promise: Promise<unknown>, expected: Record<string, unknown>): Promise<void> {
  const error = (await promise.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  )) as AwsError;
  const recorded = expected.Error as { Code: string; Message: string };
  assert.equal(error.name, recorded.Code);
  assert.equal(error.message, recorded.Message);
  assert.equal(error.$metadata.httpStatusCode, (expected.ResponseMetadata as { HTTPStatusCode: number }).HTTPStatusCode);
}

function recordedOf(testName: string): Record<string, Record<string, unknown>> {
  const found = recordedCases.find((c) => c.id.endsWith(testName));
  assert.ok(found, `recorded case ${testName}`);
  return found.recorded;
}

/** A REST API with GET /test (API key required, MOCK) deployed to `dev`, as the recorded test built it. */
async function apiWithKeyRequired(client: apigw.APIGatewayClient): Promise<string> {
  const api = await client.send(new apigw.CreateRestApiCommand({ name: 'test API key', apiKeySource: 'HEADER' }));
  const resource = await client.send(new apigw.CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'test' }));
  const base = { restApiId: api.id, resourceId: resource.id, httpMethod: 'GET' };
  await client.send(new apigw.PutMethodCommand({ ...base, authorizationType: 'NONE', apiKeyRequired: true }));
  await client.send(new apigw.PutMethodResponseCommand({ ...base, statusCode: '200' }));
  await client.send(new apigw.PutIntegrationCommand({ ...base, integrationHttpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new apigw.PutIntegrationResponseCommand({ ...base, statusCode: '200', selectionPattern: '' }));
  await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return api.id!;
}

describe('recorded: usage plans and API keys', () => {
  test('TestUsagePlans::test_api_key_required_for_methods', async () => {
    const recorded = recordedOf('TestUsagePlans::test_api_key_required_for_methods');
    const client = freshClient();
    const seen = new Map<string, unknown>();
    const apiId = await apiWithKeyRequired(client);
    seen.set('<api-id:1>', apiId);
    const plan = await client.send(
      new apigw.CreateUsagePlanCommand({
        name: 'test-plan-1',
        description: 'Test Usage Plan for API key',
        quota: { limit: 10, period: 'DAY', offset: 0 },
        throttle: { rateLimit: 2, burstLimit: 1 },
        apiStages: [{ apiId, stage: 'dev' }],
        tags: { tag_key: 'tag_value' },
      }),
    );
    matches(plan, recorded['create-usage-plan'], seen);
    const key = await client.send(new apigw.CreateApiKeyCommand({ name: 'test-key-1', enabled: true }));
    matches(key, recorded['create-api-key'], seen);
    const planKey = await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    matches(planKey, recorded['create-usage-plan-key'], seen);

    const get = (headers: Record<string, string> = {}) => invoke(server, apiId, 'dev', '/test', { headers });
    assert.equal((await get()).status, 403);
    assert.equal((await get({ 'x-api-key': key.value! })).status, 200);
    const disabled = await client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    matches(disabled, recorded['update-api-key-disabled'], seen);
    assert.equal((await get({ 'x-api-key': key.value! })).status, 403);
  });

  test('TestApigatewayApiKeysCrud::test_get_api_keys', async () => {
    const recorded = recordedOf('TestApigatewayApiKeysCrud::test_get_api_keys');
    const client = freshClient();
    const seen = new Map<string, unknown>();
    const name = 'test-key-4f1c2a90';
    const name2 = 'test-key-2-77b3e1d0';
    const list = (nameQuery?: string, extra: Partial<apigw.GetApiKeysCommandInput> = {}) => client.send(new apigw.GetApiKeysCommand({ nameQuery, ...extra }));
    matches(await list(), recorded['get-api-keys'], seen);
    matches(await client.send(new apigw.CreateApiKeyCommand({ name })), recorded['create-api-key'], seen);
    matches(await list(), recorded['get-api-keys-after-create-1'], seen);
    matches(await list(name2), recorded['get-api-keys-wrong-name-query'], seen);
    matches(await list(name.slice(0, 8)), recorded['get-api-keys-prefix-name-query'], seen);
    matches(await list(name.slice(0, 8).toUpperCase()), recorded['get-api-keys-prefix-name-query-cased'], seen);
    matches(await list(name.slice(2)), recorded['get-api-keys-postfix-name-query'], seen);
    matches(await list(name.slice(2, 8)), recorded['get-api-keys-infix-name-query'], seen);
    matches(await client.send(new apigw.CreateApiKeyCommand({ name: name2 })), recorded['create-api-key-2'], seen);
    matches(await list(), recorded['get-api-keys-after-create-2'], seen);
    matches(await list(name2), recorded['get-api-keys-name-query'], seen);
    matches(await list(name.slice(0, 8)), recorded['get-api-keys-prefix-name-query-2'], seen);
    const page = await list(undefined, { limit: 1 });
    matches(page, recorded['get-apis-keys-pagination'], seen);
    matches(await list(undefined, { limit: 1, position: page.position }), recorded['get-apis-keys-pagination-2'], seen);
  });

  test('TestApigatewayApiKeysCrud::test_get_usage_plan_api_keys', async () => {
    const recorded = recordedOf('TestApigatewayApiKeysCrud::test_get_usage_plan_api_keys');
    const client = freshClient();
    const seen = new Map<string, unknown>();
    const name = 'test-key-aa11bb22';
    const name2 = 'test-key-cc33dd44';
    matches(await client.send(new apigw.GetApiKeysCommand({})), recorded['get-api-keys'], seen);
    const k1 = await client.send(new apigw.CreateApiKeyCommand({ name }));
    matches(k1, recorded['create-api-key'], seen);
    const k2 = await client.send(new apigw.CreateApiKeyCommand({ name: name2 }));
    matches(k2, recorded['create-api-key-2'], seen);
    matches(await client.send(new apigw.GetApiKeysCommand({})), recorded['get-api-keys-after-create-1'], seen);
    const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'usage-plan-1' }));
    matches(plan, recorded['create-usage-plan'], seen);
    const keys = (nameQuery?: string, usagePlanId = plan.id) => client.send(new apigw.GetUsagePlanKeysCommand({ usagePlanId, nameQuery }));
    matches(await keys(), recorded['get-up-keys-before-create'], seen);
    matches(await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k1.id, keyType: 'API_KEY' })), recorded['create-up-key'], seen);
    matches(await client.send(new apigw.CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: k2.id, keyType: 'API_KEY' })), recorded['create-up-key-2'], seen);
    matches(await keys(), recorded['get-up-keys'], seen);
    matches(await keys('test-key'), recorded['get-up-keys-name-query'], seen);
    matches(await keys('TEST-key'), recorded['get-up-keys-name-query-cased'], seen);
    matches(await keys(name), recorded['get-up-keys-name-query-key-name'], seen);
    matches(await keys('nothing'), recorded['get-up-keys-bad-query'], seen);
    await client.send(new apigw.DeleteApiKeyCommand({ apiKey: k1.id }));
    await client.send(new apigw.DeleteApiKeyCommand({ apiKey: k2.id }));
    matches(await keys(), recorded['get-up-keys-after-delete'], seen);
    matches(await keys(undefined, 'bad-id'), recorded['get-up-keys-bad-usage-plan'], seen);
  });

  test('TestApigatewayApiKeysCrud: negative cases, invalid names, values, descriptions, immutable fields, throttles', async () => {
    const client = freshClient();
    const negative = recordedOf('TestApigatewayApiKeysCrud::test_negative_get_usage_plan_api_keys');
    const seen = new Map<string, unknown>();
    matches(await client.send(new apigw.GetApiKeysCommand({ limit: -1 })), negative['get-api-keys-invalid-limit'], seen);
    const key = await client.send(new apigw.CreateApiKeyCommand({ name: 'key-enabled-false', enabled: false }));
    matches(key, negative['create-api-key'], seen);
    matches(await client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/name', value: 'new-name' }] })), negative['update-api-key-name'], seen);

    const names = recordedOf('TestApigatewayApiKeysCrud::test_create_api_key_with_invalid_name');
    await errorMatches(client.send(new apigw.CreateApiKeyCommand({ name: 'a'.repeat(1025) })), names['create-api-key-name-too-long']);
    matches(await client.send(new apigw.CreateApiKeyCommand({ name: '' })), names['create-api-key-empty-name'], new Map());
    matches(await client.send(new apigw.CreateApiKeyCommand({})), names['create-api-key-no-name'], new Map());

    const values = recordedOf('TestApigatewayApiKeysCrud::test_create_api_key_with_invalid_value');
    await errorMatches(client.send(new apigw.CreateApiKeyCommand({ value: 'short' })), values['create-api-key-short-value']);
    await errorMatches(client.send(new apigw.CreateApiKeyCommand({ value: 'a'.repeat(129) })), values['create-api-key-invalid-value-too-long']);
    matches(await client.send(new apigw.CreateApiKeyCommand({ value: '' })), values['create-api-key-empty-value'], new Map());

    const descriptions = recordedOf('TestApigatewayApiKeysCrud::test_update_api_key_invalid_description_length');
    await errorMatches(client.send(new apigw.CreateApiKeyCommand({ description: 'a'.repeat(125_001) })), descriptions['create-api-key-description-too-long']);
    await errorMatches(
      client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/description', value: 'a'.repeat(125_001) }] })),
      descriptions['update-api-key-description-too-long'],
    );
    const immutable = recordedOf('TestApigatewayApiKeysCrud::test_update_api_key_immutable_field');
    await errorMatches(client.send(new apigw.UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/id', value: 'new-id' }] })), immutable['update-api-key-immutable-field']);

    const throttle = recordedOf('TestApigatewayApiKeysCrud::test_create_usage_plan_with_throttle');
    matches(await client.send(new apigw.CreateUsagePlanCommand({ name: 'invalid-throttle-burst-gt-rate-1', throttle: { rateLimit: 10, burstLimit: 20 } })), throttle['create-usage-plan-burst-gt-rate'], new Map());
  });
});

describe('errors: API keys and usage plans', () => {
  const inScope = errorCases.filter((c) => /^apigateway\.(create_api_key|update_api_key|get_api_key|delete_api_key|.*usage_plan.*|get_usage|update_usage|import_api_keys)$/.test(c.call ?? ''));

  test('the recorded set has cases of these actions', () => {
    assert.ok(inScope.length >= 5, `${inScope.length} cases`);
  });

  for (const c of inScope) {
    test(c.id, async (t) => {
      const client = freshClient();
      // What the recorded tests had built: an API with a `dev` stage, a usage plan on it, an API key.
      const apiId = await apiWithKeyRequired(client);
      const plan = await client.send(new apigw.CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId, stage: 'dev' }] }));
      const key = await client.send(new apigw.CreateApiKeyCommand({ name: 'key' }));
      const vars: Record<string, string> = { usage_plan_id: plan.id!, api_key_id: key.id!, api_id: apiId, stage: 'dev', wrong_api_id: `${apiId}b` };
      const resolve = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(resolve);
        if (value === null || typeof value !== 'object') return value;
        const record = value as Record<string, unknown>;
        if ('$large' in record) return (record.head as string).slice(0, 1).repeat(record.length as number);
        if ('$expr' in record) return evaluate(record.$expr as string, vars);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v)]));
      };
      let params: Record<string, unknown>;
      try {
        params = resolve(c.params) as Record<string, unknown>;
      } catch (error) {
        t.skip(`expression not understood: ${(error as Error).message}`);
        return;
      }
      const name = c.call!.slice('apigateway.'.length).replace(/(^|_)([a-z])/g, (_m, _u, ch: string) => ch.toUpperCase());
      const Command = (apigw as unknown as Record<string, new (input: unknown) => never>)[`${name}Command`];
      const error = (await client.send(new Command(params)).then(
        () => assert.fail(`expected ${c.error.Code}`),
        (e: unknown) => e,
      )) as AwsError;
      const message = c.error.Message.replace(/<api-id:1>/g, apiId).replace(/<id:1>/g, plan.id!).replace(/111111111111/g, String(accounts));
      assert.equal(error.name, c.error.Code);
      assert.equal(error.message, message);
      assert.equal(error.$metadata.httpStatusCode, c.httpStatus);
    });
  }
});

/**
 * The few Python expressions the recorded params use: a variable, a variable plus a literal, and
 * the one-element patch list with an f-string value. Anything else is not understood (skipped).
 */
function evaluate(expr: string, vars: Record<string, string>): unknown {
  const fstring = (text: string) => text.replace(/\{(\w+)\}/g, (_, v: string) => lookup(v));
  const lookup = (name: string): string => {
    if (!(name in vars)) throw new Error(expr);
    return vars[name];
  };
  let m = /^(\w+)$/.exec(expr);
  if (m) return lookup(m[1]);
  m = /^(\w+) \+ "([^"]*)"$/.exec(expr);
  if (m) return lookup(m[1]) + m[2];
  m = /^\[\{'op': '(\w+)', 'path': '([^']+)', 'value': f'([^']*)'\}\]$/.exec(expr);
  if (m) return [{ op: m[1], path: m[2], value: fstring(m[3]) }];
  throw new Error(expr);
}
