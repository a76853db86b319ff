/**
 * `arn:aws:states:::aws-sdk:lambda:*` tasks against a real Stratus with a real Node.js function
 * (developer guide, "Invoke Lambda with Step Functions": unlike the optimized `lambda:invoke`, the
 * AWS SDK integration leaves the Payload the function's response text, not parsed JSON, and a
 * FunctionError does not fail the task). Lambda's errors are `Lambda.<Exception>` with the SDK's
 * message. The server keeps its data under the repository (node-runtime-support.ts) so the
 * function runs as a real child process.
 */
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeZip, ROLE as LAMBDA_ROLE, unique } from '../functions/control-plane-support.js';
import { startInRepoServer, type InRepoServer } from '../functions/node-runtime-support.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
let env: InRepoServer;
let sfn: SFNClient;
let fn: string;

before(async () => {
  env = await startInRepoServer();
  sfn = env.server.client(SFNClient);
  fn = unique('sdk-echo');
  const code = 'exports.handler = async (event) => { if (event && event.fail) throw new TypeError("asked to fail"); return { got: event }; };';
  await env.lambda.send(new CreateFunctionCommand({ FunctionName: fn, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: LAMBDA_ROLE, Timeout: 30, Code: { ZipFile: await makeZip({ 'index.js': code }) } }));
  await waitUntilFunctionActiveV2({ client: env.lambda, maxWaitTime: 20 }, { FunctionName: fn });
});
after(() => env.stop());

async function run(state: object, input: unknown = {}, others: object = {}): Promise<DescribeExecutionCommandOutput> {
  const definition = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', End: true, ...state }, ...others } });
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: unique('sdk-lambda'), definition, roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  for (let i = 0; i < 1200; i++) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail('execution still running');
}

test('aws-sdk:lambda:invoke runs the function; its Payload comes back as the response text, the Payload sent may be JSON or text', async () => {
  const out = await run({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: fn, 'Payload.$': '$' } }, { order: 7 });
  assert.equal(out.status, 'SUCCEEDED', out.cause);
  const result = JSON.parse(out.output!);
  assert.equal(result.StatusCode, 200);
  assert.equal(result.ExecutedVersion, '$LATEST');
  assert.equal(result.Payload, '{"got":{"order":7}}');
  assert.equal(result.FunctionError, undefined);
  const asText = await run({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: fn, Payload: '{"as":"text"}' }, ResultSelector: { 'got.$': 'States.StringToJson($.Payload)' } });
  assert.equal(asText.status, 'SUCCEEDED', asText.cause);
  assert.deepEqual(JSON.parse(asText.output!), { got: { got: { as: 'text' } } });
});

test('a function error is part of the answer (FunctionError and the error document), not a task failure', async () => {
  const out = await run({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: fn, Payload: { fail: true } } });
  assert.equal(out.status, 'SUCCEEDED', out.cause);
  const result = JSON.parse(out.output!);
  assert.equal(result.FunctionError, 'Unhandled');
  const document = JSON.parse(result.Payload);
  assert.deepEqual([document.errorType, document.errorMessage], ['TypeError', 'asked to fail']);
});

test('Lambda’s errors are Lambda.<Exception>, caught like any; the other Lambda actions answer with PascalCase names', async () => {
  const missing = await run({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: 'no-such-function-here' } });
  assert.equal(missing.status, 'FAILED');
  assert.equal(missing.error, 'Lambda.ResourceNotFoundException');
  assert.match(missing.cause!, /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function-here \(Service: Lambda, Status Code: 404, Request ID: [^)]+\)/);
  const caught = await run(
    { Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: fn, Payload: 'not json' }, Catch: [{ ErrorEquals: ['Lambda.InvalidRequestContentException'], Next: 'Caught' }] },
    {},
    { Caught: { Type: 'Pass', End: true } },
  );
  assert.equal(caught.status, 'SUCCEEDED', caught.cause);
  const error = JSON.parse(caught.output!);
  assert.equal(error.Error, 'Lambda.InvalidRequestContentException');
  assert.match(error.Cause, /^Could not parse request body into json/);
  const config = await run({ Resource: 'arn:aws:states:::aws-sdk:lambda:getFunctionConfiguration', Parameters: { FunctionName: fn } });
  assert.equal(config.status, 'SUCCEEDED', config.cause);
  const described = JSON.parse(config.output!);
  assert.deepEqual([described.FunctionName, described.Runtime, described.Handler], [fn, 'nodejs20.x', 'index.handler']);
});
