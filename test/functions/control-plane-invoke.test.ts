/**
 * Invoke's thin handler through @aws-sdk/client-lambda with a fake FunctionRunner injected:
 * bindings (X-Amz-Invocation-Type, X-Amz-Log-Type, X-Amz-Client-Context, Qualifier; StatusCode,
 * X-Amz-Function-Error, X-Amz-Log-Result, X-Amz-Executed-Version, Payload), DryRun, qualifier
 * resolution, payload limits and the checks made before anything runs. The built-in service,
 * without execution environments, answers a ServiceException.
 */
import {
  CreateAliasCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createFunctionsService, type FunctionRunner, type FunctionSpec, type InvokeOutcome } from '../../src/functions/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { arnOf, createFunction, HANDLER_JS, rejects, unique } from './control-plane-support.js';

interface Call {
  spec: FunctionSpec;
  payload: Buffer;
  context: { requestId: string; clientContext?: string };
  limits: { maxResponseBytes: number; invocationType: string };
}

const calls: Call[] = [];
let answer: (spec: FunctionSpec, payload: Buffer) => InvokeOutcome = (spec, payload) => ({
  payload: Buffer.from(JSON.stringify({ version: spec.version, got: payload.length ? JSON.parse(payload.toString()) : null })),
  logTail: 'START\nhello\nEND\n',
  durationMs: 1,
  billedDurationMs: 1,
  maxMemoryUsedMb: 10,
});
const fake: FunctionRunner = {
  async invoke(spec, payload, context, limits) {
    calls.push({ spec, payload, context, limits });
    return answer(spec, payload);
  },
};

let server: TestServer;
let lambda: LambdaClient;

before(async () => {
  server = await startTestServer({ services: [createFunctionsService({ runner: fake })] });
  lambda = server.client(LambdaClient);
});
after(() => server.stop());
beforeEach(() => (calls.length = 0));

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('Invoke', () => {
  test('RequestResponse runs $LATEST through the runner with the function spec', async () => {
    const name = unique();
    await createFunction(lambda, name, { Environment: { Variables: { STAGE: 'test' } }, Timeout: 7, MemorySize: 256 });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"x":1}'), ClientContext: Buffer.from('{}').toString('base64') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.LogResult, undefined);
    assert.deepEqual(json(out.Payload), { version: '$LATEST', got: { x: 1 } });
    assert.equal(calls.length, 1);
    const { spec, context, limits } = calls[0];
    assert.equal(spec.functionArn, arnOf(name, '$LATEST'));
    assert.equal(spec.functionName, name);
    assert.equal(spec.runtime, 'nodejs20.x');
    assert.equal(spec.handler, 'index.handler');
    assert.deepEqual(spec.environment, { STAGE: 'test' });
    assert.equal(spec.timeout, 7);
    assert.equal(spec.memorySize, 256);
    assert.equal(spec.accountId, '000000000000');
    assert.equal(spec.region, 'us-east-1');
    assert.deepEqual(spec.layerDirs, []);
    assert.equal(readFileSync(join(spec.codeDir, 'index.js'), 'utf8'), HANDLER_JS);
    assert.equal(context.requestId, out.$metadata.requestId);
    assert.equal(context.clientContext, Buffer.from('{}').toString('base64'));
    assert.equal(limits.invocationType, 'RequestResponse');
    assert.equal(limits.maxResponseBytes, 6291456);
  });

  test('a function error and LogType Tail come back in headers', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const saved = answer;
    answer = () => ({ payload: Buffer.from('{"errorMessage":"boom"}'), functionError: 'Unhandled', logTail: 'x'.repeat(5000) + 'END', durationMs: 1, billedDurationMs: 1, maxMemoryUsedMb: 1 });
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, 'Unhandled');
      const tail = Buffer.from(out.LogResult!, 'base64').toString('utf8');
      assert.equal(tail.length, 4096);
      assert.ok(tail.endsWith('END'));
      assert.deepEqual(json(out.Payload), { errorMessage: 'boom' });
    } finally {
      answer = saved;
    }
  });

  test('qualifiers: a version, an alias (through to its version) and a qualified ARN', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 20 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const v2 = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '2' }));
    assert.equal(v2.ExecutedVersion, '2');
    assert.equal(calls[0].spec.timeout, 20);
    const live = await lambda.send(new InvokeCommand({ FunctionName: arnOf(name, 'live') }));
    assert.equal(live.ExecutedVersion, '1');
    assert.equal(calls[1].spec.version, '1');
    assert.equal(calls[1].spec.functionArn, arnOf(name, '1'));
    assert.equal(calls[1].spec.timeout, 3);
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '9' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name, '9')}`);
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name, 'nope')}`);
  });

  test('DryRun answers 204 after the checks and runs nothing; Event answers 202', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    assert.equal(calls.length, 0);
    await rejects(lambda.send(new InvokeCommand({ FunctionName: 'ghost', InvocationType: 'DryRun' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('ghost')}`);
    const event = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    assert.equal(event.StatusCode, 202);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(calls.length, 1);
    assert.equal(calls[0].limits.invocationType, 'Event');
  });

  test('payloads over 6 MB (256 KB for Event) are RequestTooLargeException 413 [R message]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const big = Buffer.from(JSON.stringify({ s: 'x'.repeat(6_291_456) }));
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, Payload: big })), 'RequestTooLargeException', 413, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    const mid = Buffer.from(JSON.stringify({ s: 'x'.repeat(262_144) }));
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: mid })), 'RequestTooLargeException', 413, 'Request must be smaller than 262144 bytes for the InvokeAsync operation');
    const ok = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: mid }));
    assert.equal(ok.StatusCode, 200);
  });

  test('a payload that is not JSON is InvalidRequestContentException', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{not json') })), 'InvalidRequestContentException', 400, /^Could not parse request body into json: Could not parse payload into json: /);
    assert.equal(calls.length, 0);
  });

  test('a runtime Stratus cannot run is InvalidRuntimeException 502; reserved concurrency 0 throttles', async () => {
    const java = unique();
    await createFunction(lambda, java, { Runtime: 'java21', Handler: 'a.B::handle' });
    await rejects(lambda.send(new InvokeCommand({ FunctionName: java })), 'InvalidRuntimeException', 502, /java21/);
    const off = unique();
    await createFunction(lambda, off);
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: off, ReservedConcurrentExecutions: 0 }));
    const e = await rejects(lambda.send(new InvokeCommand({ FunctionName: off })), 'TooManyRequestsException', 429, 'Rate Exceeded.');
    assert.equal((e as unknown as { Reason?: string }).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(calls.length, 0);
  });

  test('an invalid invocation type is a ValidationException', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Later' as never })), 'ValidationException', 400, /invocationType/);
  });
});
