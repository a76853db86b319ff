/**
 * The quota of open Standard executions (Developer Guide, "Step Functions service quotas": 1,000,000
 * per account and Region, ExecutionLimitExceeded past it, not for Express workflows), set low
 * through the server setting (`openExecutionsQuota`, `--open-executions-quota`), through
 * @aws-sdk/client-sfn.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const OTHER = '222222222222';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;
const QUOTA = 3;
const LIMIT_MESSAGE = `Execution Limit Exceeded: '${QUOTA} executions are open in this account and Region; an execution must end or be stopped first'`;

let server: TestServer;
let sfn: SFNClient;
let other: SFNClient;
let hold: string;
let fails: string;
let express: string;

before(async () => {
  server = await startTestServer({ config: { openExecutionsQuota: QUOTA } });
  sfn = server.client(SFNClient);
  (sfn.config as { disableHostPrefix?: boolean }).disableHostPrefix = true;
  other = server.client(SFNClient, { credentials: { accessKeyId: OTHER, secretAccessKey: 'test' } });
  const create = async (client: SFNClient, name: string, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
    (await client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }))).stateMachineArn!;
  hold = await create(sfn, 'hold', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1_000_000, End: true } } });
  fails = await create(sfn, 'fails', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'always' } } });
  express = await create(sfn, 'quick', { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'ok', End: true } } }, 'EXPRESS');
  await create(other, 'hold', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1_000_000, End: true } } });
});
after(() => server.stop());

async function refused(promise: Promise<unknown>): Promise<void> {
  const error = (await promise.then(
    () => assert.fail('expected ExecutionLimitExceeded'),
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  assert.equal(error.name, 'ExecutionLimitExceeded', error.message);
  assert.equal(error.message, LIMIT_MESSAGE);
  assert.equal(error.$metadata.httpStatusCode, 400);
}

async function running(): Promise<string[]> {
  const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: hold, statusFilter: 'RUNNING' }));
  return page.executions!.map((e) => e.executionArn!);
}

async function stopAll(): Promise<void> {
  for (const executionArn of await running()) await sfn.send(new StopExecutionCommand({ executionArn }));
}

async function ended(executionArn: string) {
  for (let i = 0; i < 400; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 5));
  }
  return assert.fail(`${executionArn} still running`);
}

test('past the quota StartExecution answers ExecutionLimitExceeded and stores nothing; a stop frees a place', async () => {
  const started = [];
  for (let i = 0; i < QUOTA; i++) started.push(await sfn.send(new StartExecutionCommand({ stateMachineArn: hold, name: `h${i}`, input: '{"i":1}' })));
  await refused(sfn.send(new StartExecutionCommand({ stateMachineArn: hold, name: 'one-too-many' })));
  const tooMany = started[0].executionArn!.replace(/h0$/, 'one-too-many');
  await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: tooMany })), { name: 'ExecutionDoesNotExist' });
  assert.equal((await running()).length, QUOTA);
  // The same start again answers the running execution: nothing new is opened.
  const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: hold, name: 'h0', input: '{"i":1}' }));
  assert.equal(again.executionArn, started[0].executionArn);
  // Express executions do not count, and are not counted.
  await sfn.send(new StartExecutionCommand({ stateMachineArn: express }));
  assert.equal((await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express }))).status, 'SUCCEEDED');
  // The quota is per account (and Region).
  const theirs = await other.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:${REGION}:${OTHER}:stateMachine:hold` }));
  await other.send(new StopExecutionCommand({ executionArn: theirs.executionArn }));
  await sfn.send(new StopExecutionCommand({ executionArn: started[1].executionArn }));
  await sfn.send(new StartExecutionCommand({ stateMachineArn: hold, name: 'in-its-place' }));
  await refused(sfn.send(new StartExecutionCommand({ stateMachineArn: hold })));
  await stopAll();
});

test('an execution that ends frees its place; RedriveExecution past the quota is ExecutionLimitExceeded', async () => {
  const failed = await sfn.send(new StartExecutionCommand({ stateMachineArn: fails }));
  assert.equal((await ended(failed.executionArn!)).status, 'FAILED');
  for (let i = 0; i < QUOTA; i++) await sfn.send(new StartExecutionCommand({ stateMachineArn: hold }));
  await refused(sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn })));
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: failed.executionArn }));
  assert.ok(!history.events!.some((e) => e.type === 'ExecutionRedriven'), 'a refused redrive writes nothing');
  assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: failed.executionArn }))).redriveCount, 0);
  await sfn.send(new StopExecutionCommand({ executionArn: (await running())[0] }));
  await sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn }));
  const redriven = await ended(failed.executionArn!);
  assert.equal(redriven.status, 'FAILED');
  assert.equal(redriven.redriveCount, 1);
  // Failed again: its place is free again.
  await sfn.send(new StartExecutionCommand({ stateMachineArn: hold }));
  await refused(sfn.send(new StartExecutionCommand({ stateMachineArn: hold })));
  await stopAll();
});

test('a nested execution started past the quota fails its Task with StepFunctions.ExecutionLimitExceededException', async () => {
  for (let i = 0; i < QUOTA - 1; i++) await sfn.send(new StartExecutionCommand({ stateMachineArn: hold }));
  const parent = (
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'parent',
        roleArn: ROLE,
        definition: JSON.stringify({ StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: hold }, End: true } } }),
      }),
    )
  ).stateMachineArn!;
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
  const d = await ended(executionArn!);
  assert.equal(d.status, 'FAILED');
  assert.equal(d.error, 'StepFunctions.ExecutionLimitExceededException');
  assert.match(d.cause!, /Execution Limit Exceeded/);
  await stopAll();
});
