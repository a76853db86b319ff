/**
 * The `recorded/` set (test/conformance/apigateway/recorded/given.json): the REST API control-plane
 * tests LocalStack recorded against AWS (test_apigateway_api.py), replayed step by step through
 * @aws-sdk/client-api-gateway, every snapshot compared with what AWS answered (shapes, defaults,
 * status codes, error codes and messages; placeholders bind as test/support/recorded-match.ts says).
 *
 * A recorded test whose steps need what this replay cannot do (other services, helpers defined in
 * the test, expressions beyond the small Python it reads) is listed as skipped with the reason.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { RecordedMatcher } from '../support/recorded-match.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evaluate, pascal, resolve, UnknownExpression, type Vars } from './rest-control-python.js';

interface Step {
  call?: string;
  fixture?: string;
  params?: Record<string, unknown>;
  as?: string;
  raises?: boolean;
  let?: string;
  expr?: string;
  snapshot?: string;
  of?: { $expr: string };
  expectError?: string;
  steps?: Step[];
  for?: string;
  iterations?: Step[][];
  if?: string;
  then?: Step[];
  else?: Step[];
  assert?: string;
  util?: string;
}

interface RecordedTest {
  id: string;
  lastValidated?: string;
  steps: Step[];
  recorded: Record<string, unknown>;
}

const all: RecordedTest[] = JSON.parse(readFileSync(new URL('../../../test/conformance/apigateway/recorded/given.json', import.meta.url), 'utf8'));
const REGION = 'us-east-1';

/** Tests of this branch's actions: the REST API control plane's own test file. */
const inScope = all.filter((t) => t.id.startsWith('tests/aws/services/apigateway/test_apigateway_api.py::'));

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** Each replay acts in an account of its own (a 12-digit access key names it), as each recorded test ran on a clean one. */
let nextAccount = 100000000000;

/**
 * The SDK for JavaScript leaves a null map value out of the request where boto3 sends it; AWS
 * answers a null and an empty template alike (recorded: both read back as null), so a recorded
 * null is sent as "".
 */
function nullsAsEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullsAsEmpty);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : nullsAsEmpty(v)]));
  return value;
}

class Unsupported extends Error {}

/** A response as boto3 shows it: members, dates as ISO text, and ResponseMetadata. */
function asBoto(output: Record<string, unknown>): Record<string, unknown> {
  const { $metadata, ...members } = output as { $metadata: { httpStatusCode?: number } };
  const plain = JSON.parse(JSON.stringify(members)) as Record<string, unknown>;
  return { ...plain, ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: $metadata.httpStatusCode } };
}

function errorAsBoto(error: { name: string; message: string; $metadata?: { httpStatusCode?: number } }): Record<string, unknown> {
  return { Error: { Code: error.name, Message: error.message }, ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: error.$metadata?.httpStatusCode } };
}

/** The recorder kept botocore's top-level `message` copy of some errors' text; the SDK for JavaScript has no such member. */
function withoutMessageCopy(recorded: unknown): unknown {
  if (recorded && typeof recorded === 'object' && 'Error' in recorded) {
    const { message: _drop, ...rest } = recorded as Record<string, unknown>;
    return rest;
  }
  return recorded;
}

const FIXTURES: Record<string, string> = {
  apigw_create_rest_api: 'create_rest_api',
  create_rest_resource: 'create_resource',
  create_rest_resource_method: 'put_method',
  create_rest_api_integration: 'put_integration',
  create_rest_api_method_response: 'put_method_response',
  create_rest_api_integration_response: 'put_integration_response',
};

class Replay {
  readonly vars: Vars = {
    region_name: REGION,
    partition: 'aws',
    'is_aws_cloud()': true,
    api_name1: `api-one-${nextAccount}`,
    api_name2: `api-two-${nextAccount}`,
    fake_id: 'fake-api-id',
  };
  readonly account = String(nextAccount++);
  readonly client = server.client(apigw.APIGatewayClient, { credentials: { accessKeyId: this.account, secretAccessKey: 'x' } });
  readonly matcher = new RecordedMatcher({ account: this.account, known: { '<region>': REGION } });
  readonly problems: string[] = [];
  checked = 0;

  constructor(private readonly t: RecordedTest) {
    const param = /\[(True|False)\]$/.exec(t.id);
    if (param) this.vars.create_stage_manually = param[1] === 'True';
  }

  private async send(name: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const Command = (apigw as unknown as Record<string, new (input: unknown) => unknown>)[`${pascal(name)}Command`];
    if (!Command) throw new Unsupported(`no SDK command for ${name}`);
    return (await this.client.send(new Command(nullsAsEmpty(params)) as never)) as unknown as Record<string, unknown>;
  }

  async run(steps: Step[]): Promise<void> {
    for (const step of steps) await this.step(step);
  }

  private async step(step: Step): Promise<void> {
    if (step.call !== undefined) {
      if (!step.call.startsWith('apigateway.')) throw new Unsupported(`calls ${step.call}`);
      const out = await this.send(step.call.slice('apigateway.'.length), resolve(step.params ?? {}, this.vars) as Record<string, unknown>);
      if (step.as) this.vars[step.as] = asBoto(out);
    } else if (step.fixture !== undefined) {
      await this.fixture(step);
    } else if (step.let !== undefined) {
      this.vars[step.let] = evaluate(step.expr!, this.vars);
    } else if (step.snapshot !== undefined) {
      const value = evaluate(step.of!.$expr, this.vars);
      const recorded = withoutMessageCopy(this.t.recorded[step.snapshot]);
      if (recorded === undefined) return;
      this.checked += 1;
      this.problems.push(...this.matcher.diff(recorded, value, step.snapshot));
    } else if (step.expectError !== undefined) {
      try {
        await this.run(step.steps ?? []);
      } catch (error) {
        if (error instanceof Unsupported || error instanceof UnknownExpression) throw error;
        const boto = errorAsBoto(error as never);
        this.vars.e = { value: { response: boto } };
        this.vars.ex = this.vars.e;
        return;
      }
      this.problems.push(`expected an error from ${JSON.stringify(step.steps?.[0]?.call ?? step.steps?.[0]?.fixture)}, got none`);
    } else if (step.iterations !== undefined) {
      for (const iteration of step.iterations) await this.run(iteration);
    } else if (step.if !== undefined) {
      const cond = evaluate(step.if, this.vars);
      await this.run((cond ? step.then : step.else) ?? []);
    } else if (step.assert !== undefined) {
      // Assertions are the recorded test's own checks of its values; snapshots carry what AWS answered.
    } else {
      throw new Unsupported(`step ${JSON.stringify(step).slice(0, 80)}`);
    }
  }

  private async fixture(step: Step): Promise<void> {
    const name = step.fixture!;
    const params = resolve(step.params ?? {}, this.vars) as Record<string, unknown>;
    if (name === 'create_rest_apigw') {
      // Answers (api id, name, root resource id) and binds nothing under `as`.
      const out = await this.send('create_rest_api', params);
      Object.assign(this.vars, { api_id: out.id, rest_api_id: out.id, root_id: out.rootResourceId, root_resource_id: out.rootResourceId });
      return;
    }
    if (name === 'create_api_for_deployment') {
      // The recorded tests' API to deploy: GET /test, MOCK, with a 200 method and integration response; answers (api id, resource id).
      const api = await this.send('create_rest_api', { name: `deployable-${this.account}` });
      const resource = await this.send('create_resource', { restApiId: api.id, parentId: api.rootResourceId, pathPart: 'test' });
      const key = { restApiId: api.id, resourceId: resource.id, httpMethod: 'GET' };
      await this.send('put_method', { ...key, authorizationType: 'NONE' });
      await this.send('put_method_response', { ...key, statusCode: '200' });
      await this.send('put_integration', { ...key, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
      await this.send('put_integration_response', { ...key, statusCode: '200', responseTemplates: { 'application/json': '{"statusCode": 200, "message": "default deployment"}' } });
      Object.assign(this.vars, { api_id: api.id, resource_id: resource.id });
      return;
    }
    const call = FIXTURES[name];
    if (!call) throw new Unsupported(`fixture ${name}`);
    const out = await this.send(call, params);
    if (step.as) this.vars[step.as] = asBoto(out);
  }
}

describe('control-plane answers recorded against AWS (test/conformance/apigateway/recorded)', () => {
  for (const t of inScope) {
    const title = t.id.split('::').slice(1).join('::');
    test(title, async (ctx) => {
      const replay = new Replay(t);
      try {
        await replay.run(t.steps);
      } catch (error) {
        if (error instanceof Unsupported || error instanceof UnknownExpression) {
          ctx.skip(`not replayable here: ${(error as Error).message}`);
          return;
        }
        throw error;
      }
      // endpointConfiguration.ipAddressType came to API Gateway in 2025: recordings made before show none.
      const problems = (t.lastValidated ?? '') < '2025-01-01' ? replay.problems.filter((p) => !p.endsWith('unexpected ["ipAddressType"]')) : replay.problems;
      assert.deepEqual(problems, [], `${problems.length} differences from AWS`);
    });
  }
});
