/**
 * Lambda end to end through @aws-sdk/client-lambda against a real Stratus: CreateFunction from a
 * .zip, Invoke running real Node and Python code, LogType Tail, function logs in
 * `/aws/lambda/<name>` of the logs service, reserved concurrency 0 throttling, and the SDK inside
 * a function reaching Stratus through AWS_ENDPOINT_URL.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand, TooManyRequestsException, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeZip } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
  logs = server.client(CloudWatchLogsClient);
});
after(() => server.stop());

/** A name starting with `!` is an executable (mode 755), like a custom runtime's `bootstrap`. */
function zip(files: Record<string, string>): Promise<Buffer> {
  return makeZip(Object.fromEntries(Object.entries(files).map(([name, text]) => (name.startsWith('!') ? [name.slice(1), { text, mode: 0o100755 }] : [name, text]))));
}

async function create(name: string, runtime: string, handler: string, files: Record<string, string>): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as never, Handler: handler, Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: await zip(files) } }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload!).toString('utf8'));

test('a Node function runs, answers, and logs START/END/REPORT to /aws/lambda/<name>', async () => {
  await create('hello-node', 'nodejs20.x', 'index.handler', {
    'index.js': "exports.handler = async (event, context) => { console.log('got', event.name); return { hello: event.name, fn: context.functionName }; };",
  });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'hello-node', Payload: Buffer.from('{"name":"stratus"}'), LogType: 'Tail' }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(json(out.Payload), { hello: 'stratus', fn: 'hello-node' });
  assert.equal(out.ExecutedVersion, '$LATEST');
  const tail = Buffer.from(out.LogResult!, 'base64').toString('utf8');
  assert.match(tail, /START RequestId: \S+ Version: \$LATEST/);
  assert.match(tail, /\tINFO\tgot stratus/);
  assert.match(tail, /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/);
  const deadline = Date.now() + 5000;
  for (;;) {
    const { events = [] } = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/hello-node' })).catch(() => ({ events: [] }));
    if (events.some((e) => e.message!.startsWith('REPORT RequestId:'))) break;
    if (Date.now() > deadline) assert.fail('no REPORT line in /aws/lambda/hello-node');
    await new Promise((r) => setTimeout(r, 20));
  }
});

test('code from a .zip path and from a local folder used in place (hot-reload)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-fn-'));
  try {
    const zipPath = join(dir, 'code.zip');
    writeFileSync(zipPath, await zip({ 'index.js': "exports.handler = async () => 'from zip';" }));
    const live = join(dir, 'live');
    mkdirSync(live);
    writeFileSync(join(live, 'index.js'), "exports.handler = async () => 'v1';");
    for (const [name, key] of [['from-zip-path', zipPath], ['from-folder', live]]) {
      await lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { S3Bucket: 'hot-reload', S3Key: key } }),
      );
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
    }
    assert.equal(json((await lambda.send(new InvokeCommand({ FunctionName: 'from-zip-path' }))).Payload), 'from zip');
    assert.equal(json((await lambda.send(new InvokeCommand({ FunctionName: 'from-folder' }))).Payload), 'v1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a handler error is FunctionError Unhandled with the runtime\'s error document', async () => {
  await create('boom', 'nodejs20.x', 'index.handler', { 'index.js': "exports.handler = async () => { throw new TypeError('bad input'); };" });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'boom', Payload: Buffer.from('{}') }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, 'Unhandled');
  const error = json(out.Payload);
  assert.equal(error.errorType, 'TypeError');
  assert.equal(error.errorMessage, 'bad input');
});

test('a provided.al2023 function: the package\'s own bootstrap speaks the Runtime API', async () => {
  // A custom runtime in 12 lines of Node: fetch the next invocation, answer it, forever.
  const bootstrap = [
    '#!/usr/bin/env node',
    'const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;',
    '(async () => {',
    '  for (;;) {',
    '    const next = await fetch(`${api}/invocation/next`);',
    "    const id = next.headers.get('lambda-runtime-aws-request-id');",
    '    const event = await next.json();',
    "    await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body: JSON.stringify({ echoed: event, handler: process.env._HANDLER }) });",
    '  }',
    '})();',
  ].join('\n');
  await create('custom-runtime', 'provided.al2023', 'function.handler', { '!bootstrap': bootstrap });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'custom-runtime', Payload: Buffer.from('{"x":1}') }));
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(json(out.Payload), { echoed: { x: 1 }, handler: 'function.handler' });
});

test('a function that runs past its Timeout fails with Sandbox.Timedout', async () => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'too-slow',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/r',
      Timeout: 1,
      Code: { ZipFile: await zip({ 'index.js': 'exports.handler = () => new Promise((resolve) => setTimeout(resolve, 5000));' }) },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'too-slow' });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'too-slow' }));
  assert.equal(out.FunctionError, 'Unhandled');
  const error = json(out.Payload);
  assert.equal(error.errorType, 'Sandbox.Timedout');
  assert.match(error.errorMessage, /Task timed out after 1\.00 seconds/);
});

test('a Python function that outgrows MemorySize is killed: Runtime.OutOfMemory, and the next call runs fresh', async () => {
  await create('hungry-py', 'python3.12', 'app.handler', {
    'app.py': 'hold = []\ndef handler(event, context):\n    if event.get("eat"):\n        while True:\n            hold.append(bytearray(8 * 1024 * 1024))\n    return {"ok": True}\n',
  });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'hungry-py', Payload: Buffer.from('{"eat":true}'), LogType: 'Tail' }));
  assert.equal(out.FunctionError, 'Unhandled');
  const error = json(out.Payload);
  assert.equal(error.errorType, 'Runtime.OutOfMemory');
  assert.match(error.errorMessage, /Runtime exited with error: signal: killed/);
  assert.match(Buffer.from(out.LogResult!, 'base64').toString('utf8'), /Max Memory Used: \d+ MB/);
  assert.deepEqual(json((await lambda.send(new InvokeCommand({ FunctionName: 'hungry-py', Payload: Buffer.from('{}') }))).Payload), { ok: true });
});

test('a Python function runs', async () => {
  await create('hello-py', 'python3.12', 'app.handler', { 'app.py': 'def handler(event, context):\n    return {"sum": event["a"] + event["b"], "request": context.aws_request_id != ""}\n' });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'hello-py', Payload: Buffer.from('{"a":2,"b":3}') }));
  assert.deepEqual(json(out.Payload), { sum: 5, request: true });
});

test('reserved concurrency 0 throttles with TooManyRequestsException', async () => {
  await create('throttled', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => 1;' });
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
  await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'throttled' })), (error: unknown) => {
    assert.ok(error instanceof TooManyRequestsException);
    assert.equal(error.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    return true;
  });
});

test('the AWS SDK inside a function reaches Stratus through AWS_ENDPOINT_URL', async () => {
  // The function asks Stratus's own Lambda API about itself with a raw signed-less HTTP call,
  // using only what the environment gives it.
  await create('self-aware', 'nodejs20.x', 'index.handler', {
    'index.js':
      "exports.handler = async () => { const r = await fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/' + process.env.AWS_LAMBDA_FUNCTION_NAME); const b = await r.json(); return { status: r.status, name: b.Configuration.FunctionName, region: process.env.AWS_REGION }; };",
  });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'self-aware' }));
  assert.deepEqual(json(out.Payload), { status: 200, name: 'self-aware', region: 'us-east-1' });
});
