/**
 * The Runtime API at the HTTP level, driven by hand as a custom runtime would: a provided runtime
 * whose bootstrap hands its AWS_LAMBDA_RUNTIME_API to the test, which then plays the runtime.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { codeDir, harness, json, removeCodeDirs, spec, until } from './support.js';

const h = harness();
after(async () => {
  await h.stop();
  removeCodeDirs();
});

/** A bootstrap that writes its Runtime API address to a file and sleeps: the test is the runtime. */
function handDriven(): { dir: string; address: () => string } {
  const dir = codeDir({ '!bootstrap': '#!/bin/sh\necho "$AWS_LAMBDA_RUNTIME_API" > "$LAMBDA_TASK_ROOT/api.txt"\nexec sleep 30\n' });
  return { dir, address: () => readFileSync(join(dir, 'api.txt'), 'utf8').trim() };
}

async function call(address: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`http://${address}/2018-06-01/runtime${path}`, { method, body: typeof body === "string" || body === undefined ? body : new Uint8Array(body), headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('Runtime API', () => {
  test('next carries the invocation headers; response answers the caller; unknown ids are refused', async () => {
    const { dir, address } = handDriven();
    const s = spec(dir, { runtime: 'provided.al2023' });
    const pending = h.environments.invoke(s, Buffer.from('{"hello":"world"}'), {
      requestId: 'api-1',
      traceId: 'Root=1-abc;Sampled=1',
      clientContext: '{"custom":{"k":"v"}}',
      cognitoIdentity: '{"cognitoIdentityId":"id-1"}',
    }, { concurrency: 1 });
    await until(() => existsSync(join(dir, 'api.txt')) && address().length > 0);
    const api = address();
    assert.match(api, /^127\.0\.0\.1:\d+$/);
    const before = Date.now();
    const next = await call(api, 'GET', '/invocation/next');
    assert.equal(next.status, 200);
    assert.equal(next.text, '{"hello":"world"}');
    assert.equal(next.headers.get('lambda-runtime-aws-request-id'), 'api-1');
    assert.equal(next.headers.get('lambda-runtime-invoked-function-arn'), s.functionArn);
    assert.equal(next.headers.get('lambda-runtime-trace-id'), 'Root=1-abc;Sampled=1');
    assert.equal(next.headers.get('lambda-runtime-client-context'), '{"custom":{"k":"v"}}');
    assert.equal(next.headers.get('lambda-runtime-cognito-identity'), '{"cognitoIdentityId":"id-1"}');
    const deadline = Number(next.headers.get('lambda-runtime-deadline-ms'));
    assert.ok(deadline > before + 2500 && deadline <= Date.now() + 3000, `deadline ${deadline}`);

    const wrong = await call(api, 'POST', '/invocation/not-the-id/response', '{}');
    assert.equal(wrong.status, 400);
    assert.equal(JSON.parse(wrong.text).errorType, 'InvalidRequestID');
    assert.equal((await call(api, 'GET', '/nothing/here')).status, 404);

    const accepted = await call(api, 'POST', '/invocation/api-1/response', '"done"');
    assert.equal(accepted.status, 202);
    const outcome = await pending;
    assert.equal(outcome.payload.toString(), '"done"');
    assert.equal(outcome.functionError, undefined);
  });

  test('error with Lambda-Runtime-Function-Error-Type; a non-JSON error body is wrapped', async () => {
    const { dir, address } = handDriven();
    const s = spec(dir, { runtime: 'provided.al2023' });
    const first = h.environments.invoke(s, Buffer.from('{}'), { requestId: 'api-err-1' }, { concurrency: 1 });
    await until(() => existsSync(join(dir, 'api.txt')) && address().length > 0);
    const api = address();
    await call(api, 'GET', '/invocation/next');
    const posted = await call(api, 'POST', '/invocation/api-err-1/error', JSON.stringify({ errorMessage: 'bad', errorType: 'MyError', stackTrace: [] }), {
      'Lambda-Runtime-Function-Error-Type': 'MyError',
    });
    assert.equal(posted.status, 202);
    const outcome = await first;
    assert.equal(outcome.functionError, 'Unhandled');
    assert.deepEqual(json(outcome), { errorMessage: 'bad', errorType: 'MyError', stackTrace: [] });

    const second = h.environments.invoke(s, Buffer.from('{}'), { requestId: 'api-err-2' }, { concurrency: 1 });
    await call(api, 'GET', '/invocation/next');
    await call(api, 'POST', '/invocation/api-err-2/error', 'plain text failure', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Custom' });
    assert.deepEqual(json(await second), { errorType: 'Runtime.Custom', errorMessage: 'plain text failure' });
  });

  test('a response over 6 MB → 413 to the runtime, Function.ResponseSizeTooLarge to the caller', async () => {
    const { dir, address } = handDriven();
    const s = spec(dir, { runtime: 'provided.al2023' });
    const pending = h.environments.invoke(s, Buffer.from('{}'), { requestId: 'api-big' }, { concurrency: 1 });
    await until(() => existsSync(join(dir, 'api.txt')) && address().length > 0);
    const api = address();
    await call(api, 'GET', '/invocation/next');
    const big = Buffer.alloc(6291557, 0x61);
    const refused = await call(api, 'POST', '/invocation/api-big/response', big);
    assert.equal(refused.status, 413);
    const outcome = await pending;
    assert.equal(outcome.functionError, 'Unhandled');
    assert.deepEqual(json(outcome), {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  test('what a runtime or an invocation sends cannot throw out of the Runtime API', async () => {
    const { dir, address } = handDriven();
    const s = spec(dir, { runtime: 'provided.al2023' });
    // Values no HTTP header can carry (they come from callers): the invocation is delivered without them.
    const pending = h.environments.invoke(s, Buffer.from('{}'), { requestId: 'api-hostile', traceId: 'Root=1\r\nX-Injected: 1', clientContext: '{"a":\n"\u65e5"}' }, { concurrency: 1 });
    await until(() => existsSync(join(dir, 'api.txt')) && address().length > 0);
    const api = address();
    const next = await call(api, 'GET', '/invocation/next');
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('lambda-runtime-aws-request-id'), 'api-hostile');
    assert.equal(next.headers.get('lambda-runtime-trace-id'), null);
    assert.equal(next.headers.get('x-injected'), null);
    assert.equal(next.headers.get('lambda-runtime-client-context'), null);
    // A request id that is not valid percent-encoding is an invalid id, for /response and /error alike.
    for (const path of ['/invocation/%E0%A4%A/response', '/invocation/%/error']) {
      const refused = await call(api, 'POST', path, '{}');
      assert.equal(refused.status, 400);
      assert.equal(JSON.parse(refused.text).errorType, 'InvalidRequestID');
    }
    assert.equal((await call(api, 'POST', '/invocation/api-hostile/response', '"fine"')).status, 202);
    assert.equal((await pending).payload.toString(), '"fine"');
  });

  test('init/error answers the cold-start invocation with the posted error', async () => {
    const { dir, address } = handDriven();
    const s = spec(dir, { runtime: 'provided.al2023' });
    const pending = h.environments.invoke(s, Buffer.from('{}'), { requestId: 'api-init' }, { concurrency: 1 });
    await until(() => existsSync(join(dir, 'api.txt')) && address().length > 0);
    const posted = await call(address(), 'POST', '/init/error', JSON.stringify({ errorMessage: 'no config', errorType: 'Runtime.ConfigError' }), {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.ConfigError',
    });
    assert.equal(posted.status, 202);
    const outcome = await pending;
    assert.deepEqual(json(outcome), { errorMessage: 'no config', errorType: 'Runtime.ConfigError' });
    assert.match(outcome.logTail, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ConfigError\nSTART RequestId: api-init/);
  });
});
