/**
 * Step Functions task integrations through the SDK against a real Stratus (issue 14): Lambda
 * (lambda:invoke, a bare function ARN, a function error, no such function), task tokens sent back
 * by a Lambda function with the SDK it has, an activity worker loop, SQS sendMessage, EventBridge
 * putEvents, nested executions (.sync, .sync:2), an aws-sdk integration and its named error, a
 * service Stratus does not serve, and an EventBridge rule whose target is a state machine.
 *
 * The server keeps its data under the repository (node-runtime-support.ts) so functions find the
 * bundled SDK; Lambda functions run as real child processes.
 */
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeZip, ROLE as LAMBDA_ROLE, unique } from '../functions/control-plane-support.js';
import { startInRepoServer, type InRepoServer } from '../functions/node-runtime-support.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;

let env: InRepoServer;
let sfn: SFNClient;
let sqs: SQSClient;
let events: EventBridgeClient;

before(async () => {
  env = await startInRepoServer();
  sfn = env.server.client(SFNClient);
  sqs = env.server.client(SQSClient);
  events = env.server.client(EventBridgeClient);
});
after(() => env.stop());

async function fn(code: string): Promise<{ name: string; arn: string }> {
  const name = unique('sfn-fn');
  const out = await env.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: LAMBDA_ROLE, Timeout: 30, Code: { ZipFile: await makeZip({ 'index.js': code }) } }),
  );
  await waitUntilFunctionActiveV2({ client: env.lambda, maxWaitTime: 20 }, { FunctionName: name });
  return { name, arn: out.FunctionArn! };
}

async function machine(definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: unique('m'), definition: JSON.stringify(definition), roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function finished(executionArn: string, timeoutMs = 30_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) assert.fail(`execution ${executionArn} still running`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function run(definition: object, input: unknown = {}): Promise<DescribeExecutionCommandOutput & { arn: string }> {
  const stateMachineArn = await machine(definition);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return { ...(await finished(executionArn!)), arn: executionArn! };
}

async function historyTypes(executionArn: string): Promise<string[]> {
  const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return (out.events ?? []).map((e) => e.type!);
}

const task = (Resource: string, extra: object = {}) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, End: true, ...extra } } });

describe('Lambda', () => {
  test('lambda:invoke answers Invoke’s result with the payload parsed and the SDK metadata', async () => {
    const f = await fn('exports.handler = async (event) => ({ got: event });');
    const out = await run(task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: f.name, 'Payload.$': '$' } }), { a: 1 });
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    const output = JSON.parse(out.output!);
    assert.deepEqual(output.Payload, { got: { a: 1 } });
    assert.equal(output.StatusCode, 200);
    assert.equal(output.ExecutedVersion, '$LATEST');
    assert.equal(output.SdkHttpMetadata.HttpStatusCode, 200);
    assert.equal(typeof output.SdkResponseMetadata.RequestId, 'string');
    assert.deepEqual(await historyTypes(out.arn), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  test('a bare function ARN: the payload is the result; a function error is its errorType, caught', async () => {
    const ok = await fn('exports.handler = async (event) => ({ twice: event.n * 2 });');
    const out = await run(task(ok.arn), { n: 21 });
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.deepEqual(JSON.parse(out.output!), { twice: 42 });
    assert.deepEqual(await historyTypes(out.arn), ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);

    const bad = await fn('class CustomError extends Error { constructor(m) { super(m); this.name = "CustomError"; } }\nexports.handler = async () => { throw new CustomError("boom"); };');
    const failed = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: bad.arn, Catch: [{ ErrorEquals: ['CustomError'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } },
    });
    assert.equal(failed.status, 'SUCCEEDED', failed.cause);
    const caught = JSON.parse(failed.output!);
    assert.equal(caught.Error, 'CustomError');
    assert.equal(JSON.parse(caught.Cause).errorMessage, 'boom');
  });

  test('no such function: Lambda.ResourceNotFoundException with the SDK’s message', async () => {
    const out = await run(task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'no-such-fn', Payload: {} } }));
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'Lambda.ResourceNotFoundException');
    assert.match(out.cause!, /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-fn:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\)$/);
  });

  test('Credentials: the task calls as the role’s account (a function named without an ARN is found there)', async () => {
    const other = env.server.client(LambdaClient, { credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } });
    const name = unique('sfn-fn');
    await other.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: LAMBDA_ROLE, Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => "from 222";' }) } }));
    await waitUntilFunctionActiveV2({ client: other, maxWaitTime: 20 }, { FunctionName: name });
    const withRole = await run(task('arn:aws:states:::lambda:invoke', { Credentials: { RoleArn: 'arn:aws:iam::222222222222:role/cross' }, Parameters: { FunctionName: name } }));
    assert.equal(withRole.status, 'SUCCEEDED', withRole.cause);
    assert.equal(JSON.parse(withRole.output!).Payload, 'from 222');
    const without = await run(task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: name } }));
    assert.equal(without.error, 'Lambda.ResourceNotFoundException');
  });

  test('.waitForTaskToken: the function sends the token back with the SDK it has', async () => {
    const f = await fn(`
const { SFNClient, SendTaskSuccessCommand } = require('@aws-sdk/client-sfn');
exports.handler = async (event) => {
  await new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken: event.token, output: JSON.stringify({ approved: event.who }) }));
  return 'sent';
};`);
    const out = await run(
      task('arn:aws:states:::lambda:invoke.waitForTaskToken', { Parameters: { FunctionName: f.name, Payload: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } } }),
      { who: 'alice' },
    );
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.deepEqual(JSON.parse(out.output!), { approved: 'alice' });
  });
});

describe('task tokens and activities', () => {
  test('an activity worker loop: GetActivityTask, heartbeat, SendTaskSuccess; the token is then closed', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: unique('act') }));
    const stateMachineArn = await machine(task(activityArn!, { HeartbeatSeconds: 60 }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ job: 7 }) }));
    const got = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-1' }));
    assert.ok(got.taskToken);
    assert.deepEqual(JSON.parse(got.input!), { job: 7 });
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: got.taskToken }));
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: 'not json' })), (e: Error) => e.name === 'InvalidOutput');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: JSON.stringify({ done: 7 }) }));
    const out = await finished(executionArn!);
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.deepEqual(JSON.parse(out.output!), { done: 7 });
    const types = await historyTypes(executionArn!);
    assert.ok(types.includes('ActivityScheduled') && types.includes('ActivitySucceeded'), types.join());
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: '{}' })), (e: Error) => e.name === 'TaskTimedOut' && e.message === "Task Timed Out: 'Provided task does not exist anymore'");
  });

  test('an activity task’s history is ActivityScheduled → ActivityStarted {workerName} → ActivitySucceeded, with no TaskSubmitted', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: unique('act') }));
    const stateMachineArn = await machine(task(activityArn!, { TimeoutSeconds: 300 }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"job":1}' }));
    const got = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-a' }));
    // ActivityStarted is written once the worker has the task, before it answers.
    const during = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    assert.deepEqual(during.map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted']);
    assert.deepEqual(during[3].activityStartedEventDetails, { workerName: 'worker-a' });
    assert.equal(during[3].previousEventId, 3);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: '{"ok":true}' }));
    assert.equal((await finished(executionArn!)).status, 'SUCCEEDED');
    assert.deepEqual(await historyTypes(executionArn!), ['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  test('waiting activity tasks hold no task job: more of them than the task jobs’ concurrency all reach workers at once', { timeout: 40_000 }, async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: unique('act') }));
    const stateMachineArn = await machine(task(activityArn!));
    const count = 80; // the task jobs run 64 at a time
    const started = await Promise.all(Array.from({ length: count }, (_, i) => sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ i }) }))));
    const deadline = Date.now() + 15_000;
    const tokens: string[] = [];
    while (tokens.length < count) {
      assert.ok(Date.now() < deadline, `only ${tokens.length} of ${count} activity tasks reached a worker`);
      const got = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'w' }));
      if (got.taskToken) tokens.push(got.taskToken);
    }
    await Promise.all(tokens.map((taskToken) => sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"ok"' }))));
    for (const s of started) assert.equal((await finished(s.executionArn!)).status, 'SUCCEEDED');
  });

  test('GetActivityTask waits for a task scheduled after the poll began', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: unique('act') }));
    const stateMachineArn = await machine(task(activityArn!));
    const poll = sfn.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((r) => setTimeout(r, 100));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"x":1}' }));
    const got = await poll;
    assert.ok(got.taskToken);
    await sfn.send(new SendTaskFailureCommand({ taskToken: got.taskToken, error: 'Worker.Failed', cause: 'could not' }));
    const out = await finished(executionArn!);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'Worker.Failed');
    assert.equal(out.cause, 'could not');
  });

  test('HeartbeatSeconds: heartbeats keep an activity task alive; without them it times out and its token is closed', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: unique('act') }));
    const stateMachineArn = await machine(task(activityArn!, { HeartbeatSeconds: 1 }));
    const alive = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const got = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 400));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: got.taskToken }));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: got.taskToken, output: '"done"' }));
    assert.equal((await finished(alive.executionArn!)).status, 'SUCCEEDED');

    const silent = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const lost = await sfn.send(new GetActivityTaskCommand({ activityArn }));
    const out = await finished(silent.executionArn!);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'States.Timeout');
    assert.ok((await historyTypes(silent.executionArn!)).includes('ActivityTimedOut'));
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: lost.taskToken, output: '{}' })), (e: Error) => e.name === 'TaskTimedOut');
  });

  test('tokens: InvalidToken for one never issued, InvalidOutput for output that is not JSON', async () => {
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: 'NoSuchTaskToken', output: '{}' })), (e: Error) => e.name === 'InvalidToken' && e.message === "Invalid Token: 'Invalid token'");
    await assert.rejects(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'NoSuchTaskToken' })), (e: Error) => e.name === 'InvalidToken');
    // The token is checked first (recorded through aws-sdk:sfn:sendTaskSuccess).
    await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: 'NoSuchTaskToken', output: 'not json' })), (e: Error) => e.name === 'InvalidToken');
  });

  test('GetActivityTask of an activity that does not exist: ActivityDoesNotExist', async () => {
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:activity:${unique('none')}`;
    await assert.rejects(sfn.send(new GetActivityTaskCommand({ activityArn: arn })), (e: Error) => e.name === 'ActivityDoesNotExist');
  });
});

describe('SQS and EventBridge', () => {
  test('sqs:sendMessage sends the body (an object as JSON) and answers SendMessage’s result', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('q') }));
    const out = await run(task('arn:aws:states:::sqs:sendMessage', { Parameters: { QueueUrl, 'MessageBody.$': '$' } }), { hello: 'world' });
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    const output = JSON.parse(out.output!);
    assert.equal(typeof output.MessageId, 'string');
    assert.equal(typeof output.MD5OfMessageBody, 'string');
    assert.equal(output.SdkHttpMetadata.HttpStatusCode, 200);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.deepEqual(JSON.parse(received.Messages![0].Body!), { hello: 'world' });
  });

  test('sqs:sendMessage.waitForTaskToken: a consumer fails the task with SendTaskFailure', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('q') }));
    const stateMachineArn = await machine(task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { QueueUrl, MessageBody: { 'TaskToken.$': '$$.Task.Token' } } }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    const token = JSON.parse(received.Messages![0].Body!).TaskToken as string;
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Failure error', cause: 'Failure cause' }));
    const out = await finished(executionArn!);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'Failure error');
    assert.equal(out.cause, 'Failure cause');
    const types = await historyTypes(executionArn!);
    assert.deepEqual(types, ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed', 'ExecutionFailed']);
  });

  test('sqs:sendMessage without MessageBody: SQS.AmazonSQSException as recorded', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('q') }));
    const out = await run(task('arn:aws:states:::sqs:sendMessage', { Parameters: { QueueUrl } }));
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'SQS.AmazonSQSException');
    assert.match(out.cause!, /\(Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: [^;]+; Proxy: null\)$/);
  });

  test('events:putEvents puts the entries (a Detail object as JSON); a failed entry is EventBridge.FailedEntry', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('q') }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const rule = unique('rule');
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['from.sfn'] }) }));
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: Attributes!.QueueArn! }] }));
    const out = await run(task('arn:aws:states:::events:putEvents', { Parameters: { Entries: [{ Source: 'from.sfn', DetailType: 't', 'Detail.$': '$' }] } }), { m: 1 });
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    const output = JSON.parse(out.output!);
    assert.equal(output.FailedEntryCount, 0);
    assert.equal(output.Entries.length, 1);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    assert.deepEqual(JSON.parse(received.Messages![0].Body!).detail, { m: 1 });

    const bad = await run(task('arn:aws:states:::events:putEvents', { Parameters: { Entries: [{ Source: 'from.sfn', DetailType: 't', Detail: '"jsonstring"' }] } }));
    assert.equal(bad.status, 'FAILED');
    assert.equal(bad.error, 'EventBridge.FailedEntry');
    assert.deepEqual(JSON.parse(bad.cause!), { Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }], FailedEntryCount: 1 });
  });

  test('an EventBridge rule whose target is a state machine starts an execution with the target’s input', async () => {
    const stateMachineArn = await machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const rule = unique('rule');
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['to.sfn'] }) }));
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'sm', Arn: stateMachineArn, RoleArn: `arn:aws:iam::${ACCOUNT}:role/events`, InputPath: '$.detail' }] }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'to.sfn', DetailType: 't', Detail: JSON.stringify({ order: 9 }) }] }));
    const deadline = Date.now() + 10_000;
    let executions;
    do {
      executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
      if (executions.length === 0) await new Promise((r) => setTimeout(r, 50));
    } while (executions.length === 0 && Date.now() < deadline);
    assert.equal(executions.length, 1);
    const out = await finished(executions[0].executionArn!);
    assert.equal(out.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(out.output!), { order: 9 });
  });
});

describe('nested executions and aws-sdk', () => {
  test('.sync answers DescribeExecution with the output as JSON text; .sync:2 as JSON; a failed child fails the task', async () => {
    const child = await machine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
    const sync = await run(task('arn:aws:states:::states:startExecution.sync', { Parameters: { StateMachineArn: child, Input: { n: 4 } } }));
    assert.equal(sync.status, 'SUCCEEDED', sync.cause);
    const syncOut = JSON.parse(sync.output!);
    assert.equal(syncOut.Status, 'SUCCEEDED');
    assert.equal(syncOut.Output, '{"doubled":8}');
    assert.deepEqual(await historyTypes(sync.arn), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);

    const sync2 = await run(task('arn:aws:states:::states:startExecution.sync:2', { Parameters: { StateMachineArn: child, Input: { n: 5 } } }));
    assert.equal(sync2.status, 'SUCCEEDED', sync2.cause);
    assert.deepEqual(JSON.parse(sync2.output!).Output, { doubled: 10 });

    const failing = await machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Child.Failed', Cause: 'no' } } });
    const failed = await run(task('arn:aws:states:::states:startExecution.sync', { Parameters: { StateMachineArn: failing } }));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'States.TaskFailed');
    assert.equal(JSON.parse(failed.cause!).Error, 'Child.Failed');
  });

  test(
    '.sync:2 on an Express child',
    // The child may end before StartExecution answers (a Pass machine): its end is still heard
    // (the Task goes with the start as the child's waiter, before it runs).
    async () => {
      const express = (await sfn.send(new CreateStateMachineCommand({ name: unique('x'), type: 'EXPRESS', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'fast', End: true } } }) }))).stateMachineArn!;
      const stateMachineArn = await machine(task('arn:aws:states:::states:startExecution.sync:2', { Parameters: { StateMachineArn: express } }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      const out = await finished(executionArn!, 3_000);
      assert.equal(out.status, 'SUCCEEDED', out.cause);
      assert.equal(JSON.parse(out.output!).Output, 'fast');
    },
  );

  test('aws-sdk:sqs:getQueueUrl answers with PascalCase names; no such queue is Sqs.QueueDoesNotExistException', async () => {
    const name = unique('q');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const out = await run(task('arn:aws:states:::aws-sdk:sqs:getQueueUrl', { Parameters: { QueueName: name } }));
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.deepEqual(JSON.parse(out.output!), { QueueUrl });
    const missing = await run(task('arn:aws:states:::aws-sdk:sqs:getQueueUrl', { Parameters: { QueueName: unique('none') } }));
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'Sqs.QueueDoesNotExistException');
    assert.match(missing.cause!, /\(Service: Sqs, Status Code: 400, Request ID: [^)]+\) \(SDK Attempt Count: 1\)$/);
  });

  test('aws-sdk:cloudwatchlogs: PascalCase parameters reach a camelCase API and its answer comes back PascalCase', async () => {
    const name = unique('/sfn/group');
    const out = await run({
      StartAt: 'Create',
      States: {
        Create: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudwatchlogs:createLogGroup', Parameters: { LogGroupName: name }, ResultPath: null, Next: 'Describe' },
        Describe: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudwatchlogs:describeLogGroups', Parameters: { LogGroupNamePrefix: name }, End: true },
      },
    });
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    const groups = JSON.parse(out.output!).LogGroups as Array<Record<string, unknown>>;
    assert.equal(groups.length, 1);
    assert.equal(groups[0].LogGroupName, name);
    const again = await run(task('arn:aws:states:::aws-sdk:cloudwatchlogs:createLogGroup', { Parameters: { LogGroupName: name } }));
    assert.equal(again.error, 'CloudWatchLogs.ResourceAlreadyExistsException');
  });

  test('aws-sdk:sfn:sendTaskSuccess with no such token: Sfn.InvalidTokenException as recorded', async () => {
    const out = await run(task('arn:aws:states:::aws-sdk:sfn:sendTaskSuccess', { Parameters: { Output: 'ParameterOutput', 'TaskToken.$': '$.TaskToken' } }), { TaskToken: 'NoSuchTaskToken' });
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'Sfn.InvalidTokenException');
    assert.match(out.cause!, /^Invalid Token: 'Invalid token' \(Service: Sfn, Status Code: 400, Request ID: [^)]+\) \(SDK Attempt Count: 1\)$/);
  });

  test('a service Stratus does not serve fails the task, saying so', async () => {
    const out = await run(task('arn:aws:states:::dynamodb:putItem', { Parameters: { TableName: 't', Item: {} } }));
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'DynamoDB.SdkClientException');
    assert.match(out.cause!, /Stratus does not serve dynamodb/);
    const sdk = await run(task('arn:aws:states:::aws-sdk:s3:listBuckets', { Parameters: {} }));
    assert.equal(sdk.error, 'S3.SdkClientException');
  });
});
