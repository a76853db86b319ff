/**
 * Step Functions executions through @aws-sdk/client-sfn: Standard (durable, advanced by the
 * delivery machine) and Express (in memory), the execution API's answers and errors.
 *
 * One in-process server on the real clock, with a TaskRunner answering from a table and a time
 * scale of 0.01 so Waits of seconds take tens of milliseconds. Every test uses its own names.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  PublishStateMachineVersionCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateMapRunCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { builtinServices } from '../../src/server/builtin-services.js';
import type { ExecutionControl, TaskCall, TaskOutcome, TaskRunner } from '../../src/states/engine/task-port.js';
import { statesServiceWith } from '../../src/states/index.js';
import { rejectsWith as rejects } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;

/** Tasks answered from a table by resource; every call recorded. */
const calls: TaskCall[] = [];
const answers = new Map<string, (call: TaskCall) => TaskOutcome | Promise<TaskOutcome>>();
let control: ExecutionControl;
const runner = (c: ExecutionControl): TaskRunner => {
  control = c;
  return {
    async run(call) {
      calls.push(call);
      const answer = answers.get(call.effect.resource);
      if (!answer) throw new Error(`no answer for ${call.effect.resource}`);
      return answer(call);
    },
  };
};

let server: TestServer;
let sfn: SFNClient;

before(async () => {
  const services = builtinServices.map((s) => (s.name === 'states' ? statesServiceWith({ timeScale: 0.01, taskRunner: runner }) : s));
  server = await startTestServer({ services, config: { retryDelayScale: 0.01 } });
  // StartSyncExecution's endpoint has the host prefix `sync-` on AWS; not at a custom endpoint.
  sfn = server.client(SFNClient);
  (sfn.config as { disableHostPrefix?: boolean }).disableHostPrefix = true;
});
after(() => server.stop());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function machine(definition: object, extra: Partial<ConstructorParameters<typeof CreateStateMachineCommand>[0]> = {}): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: unique('m'), definition: JSON.stringify(definition), roleArn: ROLE, ...extra }));
  return out.stateMachineArn!;
}

async function finished(executionArn: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > until) assert.fail(`execution ${executionArn} still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function history(executionArn: string) {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

const PASS_CHAIN = { StartAt: 'A', States: { A: { Type: 'Pass', Result: { x: 1 }, Next: 'B' }, B: { Type: 'Pass', End: true } } };

describe('Standard executions', () => {
  test('run to the end: DescribeExecution and GetExecutionHistory answer what happened', async () => {
    const arn = await machine(PASS_CHAIN);
    const start = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'first', input: '{"a": 1}' }));
    assert.equal(start.executionArn, `arn:aws:states:${REGION}:${ACCOUNT}:execution:${arn.split(':').pop()}:first`);
    assert.ok(start.startDate instanceof Date);
    const d = await finished(start.executionArn!);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(d.output, '{"x":1}');
    assert.equal(d.input, '{"a": 1}');
    assert.deepEqual(d.inputDetails, { included: true });
    assert.deepEqual(d.outputDetails, { included: true });
    assert.equal(d.stateMachineArn, arn);
    assert.equal(d.redriveCount, 0);
    assert.equal(d.redriveStatus, 'NOT_REDRIVABLE');
    assert.equal(d.redriveStatusReason, 'Execution is SUCCEEDED and cannot be redriven.');
    const events = await history(start.executionArn!);
    assert.deepEqual(
      events.map((e) => e.type),
      ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
    );
    assert.deepEqual(events.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
    assert.equal(events[0].executionStartedEventDetails?.input, '{"a": 1}');
    assert.ok(events[0].timestamp instanceof Date);
  });

  test('GetExecutionHistory pages, reverses and leaves data out when asked', async () => {
    const arn = await machine(PASS_CHAIN);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await finished(executionArn!);
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    assert.deepEqual(first.events!.map((e) => e.id), [1, 2, 3, 4]);
    assert.ok(first.nextToken);
    const second = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken: first.nextToken }));
    assert.deepEqual(second.events!.map((e) => e.id), [5, 6]);
    assert.equal(second.nextToken, undefined);
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5 }));
    assert.deepEqual(reversed.events!.map((e) => e.id), [6, 5, 4, 3, 2]);
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5, nextToken: reversed.nextToken }));
    assert.deepEqual(rest.events!.map((e) => e.id), [1]);
    const bare = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    assert.equal(bare.events![0].executionStartedEventDetails?.input, undefined);
    assert.equal(bare.events![0].executionStartedEventDetails?.roleArn, ROLE);
    assert.equal(bare.events![5].executionSucceededEventDetails?.output, undefined);
  });

  test('StartExecution is idempotent for a running execution of the same name and input; otherwise ExecutionAlreadyExists', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100_000, End: true } } });
    const a = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"k":1}' }));
    const b = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"k":1}' }));
    assert.equal(b.executionArn, a.executionArn);
    assert.equal(b.startDate!.getTime(), a.startDate!.getTime());
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"k":2}' })), 'ExecutionAlreadyExists', `Execution Already Exists: '${a.executionArn}'`);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: a.executionArn, error: 'E', cause: 'C' }));
    assert.ok(stopped.stopDate instanceof Date);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"k":1}' })), 'ExecutionAlreadyExists');
  });

  test('StopExecution aborts a waiting execution with ExecutionAborted', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 31_536_000, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    // The Wait is entered once the start job ran.
    for (let i = 0; i < 200 && (await history(executionArn!)).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Why', cause: 'Because' }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(d.status, 'ABORTED');
    assert.equal(d.error, 'Why');
    assert.equal(d.cause, 'Because');
    assert.equal(d.redriveStatus, 'REDRIVABLE');
    const events = await history(executionArn!);
    const last = events[events.length - 1];
    assert.equal(last.type, 'ExecutionAborted');
    assert.deepEqual(last.executionAbortedEventDetails, { error: 'Why', cause: 'Because' });
    // Stopping again answers the same stop date.
    const again = await sfn.send(new StopExecutionCommand({ executionArn }));
    assert.equal(again.stopDate!.getTime(), d.stopDate!.getTime());
  });

  test('Wait states and retries are timers of the delivery machine (scaled for this test)', async () => {
    answers.set('arn:aws:states:::lambda:invoke', (call) => {
      const n = calls.filter((c) => c.executionArn === call.executionArn).length;
      return n < 3 ? { type: 'failed', error: 'Boom', cause: `attempt ${n}` } : { type: 'succeeded', output: { attempt: n } };
    });
    const arn = await machine({
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 2, Next: 'T' },
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 3 }],
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    assert.equal(d.output, '{"attempt":3}');
    const mine = calls.filter((c) => c.executionArn === executionArn);
    assert.equal(mine.length, 3);
    assert.equal(mine[0].express, false);
    assert.equal(mine[0].roleArn, ROLE);
    assert.equal(mine[0].stateMachineArn, arn);
    assert.deepEqual(mine[0].effect.input, { FunctionName: 'f' });
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'TaskScheduled').length, 3);
    assert.equal(types.filter((t) => t === 'TaskFailed').length, 2);
  });

  test('a runner that throws is retried by the delivery machine', async () => {
    let thrown = 0;
    answers.set('arn:aws:states:::sqs:sendMessage', () => {
      if (thrown++ < 1) throw new Error('integration hiccup');
      return { type: 'succeeded', output: { MessageId: 'm' } };
    });
    const arn = await machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'b' }, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const d = await finished(executionArn!, 15_000);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(d.output, '{"MessageId":"m"}');
  });

  test('a failing machine: FAILED with its error and cause, REDRIVABLE', async () => {
    const arn = await machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'MyError', Cause: 'my cause' } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const d = await finished(executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'MyError');
    assert.equal(d.cause, 'my cause');
    assert.equal(d.output, undefined);
    assert.equal(d.redriveStatus, 'REDRIVABLE');
  });

  test('ListExecutions: newest first, statusFilter, paging', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100_000, End: true } } });
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      started.push((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `e${i}` }))).executionArn!);
      await new Promise((r) => setTimeout(r, 2));
    }
    await sfn.send(new StopExecutionCommand({ executionArn: started[1] }));
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    assert.deepEqual(all.executions!.map((e) => e.name), ['e4', 'e3', 'e2', 'e1', 'e0']);
    const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    const page2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: page1.nextToken }));
    const page3 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: page2.nextToken }));
    assert.deepEqual([...page1.executions!, ...page2.executions!, ...page3.executions!].map((e) => e.name), ['e4', 'e3', 'e2', 'e1', 'e0']);
    assert.equal(page3.nextToken, undefined);
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'ABORTED' }));
    assert.deepEqual(aborted.executions!.map((e) => e.name), ['e1']);
    assert.ok(aborted.executions![0].stopDate instanceof Date);
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken: 'bm90LWEtdG9rZW4' })), 'InvalidToken');
    for (const e of started) await sfn.send(new StopExecutionCommand({ executionArn: e }));
  });

  test('versions and aliases: the execution runs that revision and says so', async () => {
    const arn = await machine({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'v1', End: true } } }, { publish: true });
    const v1 = `${arn}:1`;
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'v2', End: true } } }) }));
    const alias = (await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }))).stateMachineAliasArn!;
    const latest = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).executionArn!);
    assert.equal(latest.output, '"v2"');
    assert.equal(latest.stateMachineVersionArn, undefined);
    const byVersion = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: v1 }))).executionArn!);
    assert.equal(byVersion.output, '"v1"');
    assert.equal(byVersion.stateMachineVersionArn, v1);
    assert.equal(byVersion.stateMachineArn, arn);
    const byAlias = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: alias }))).executionArn!);
    assert.equal(byAlias.output, '"v1"');
    assert.equal(byAlias.stateMachineAliasArn, alias);
    assert.equal(byAlias.stateMachineVersionArn, v1);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: alias }));
    assert.deepEqual(listed.executions!.map((e) => e.executionArn), [byAlias.executionArn]);
    const listedVersion = await sfn.send(new ListExecutionsCommand({ stateMachineArn: v1 }));
    assert.equal(listedVersion.executions!.length, 2);
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: byVersion.executionArn }));
    assert.match(forExecution.definition!, /v1/);
    assert.equal(forExecution.roleArn, ROLE);
    await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
  });

  test('a runner that keeps throwing: after the delivery machine\'s retries the task fails with States.TaskFailed', async () => {
    answers.delete('arn:aws:states:::sns:publish');
    const arn = await machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { Message: 'm' }, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    // The runner throws for a resource it has no answer for: retried, then the task fails.
    const d = await finished(executionArn!, 20_000);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.TaskFailed');
    assert.equal(d.cause, 'no answer for arn:aws:states:::sns:publish');
    assert.equal(calls.filter((c) => c.executionArn === executionArn).length, 5);
  });
});

describe('DeleteStateMachine with running executions', () => {
  const deletedCause = (arn: string) => `State machine ${arn.split(':').pop()} has been deleted.`;
  const until = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 400 && !(await what()); i++) await new Promise((r) => setTimeout(r, 5));
  };

  test('a waiting execution fails with States.Runtime at its next transition; the machine goes with it', async () => {
    // Wait 100 s at the test's time scale: 1 s.
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, Next: 'P' }, P: { Type: 'Pass', Result: 'done', End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await until(async () => (await history(executionArn!)).length >= 2);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    assert.equal((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).status, 'DELETING');
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn })), 'StateMachineDeleting');
    // The Wait makes no transition: the execution waits on, with the revision it started with.
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    assert.equal((await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).stateMachineArn, arn);
    const d = await finished(executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.Runtime');
    assert.equal(d.cause, deletedCause(arn));
    assert.equal(d.output, undefined);
    const events = await history(executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
    assert.equal(events[2].previousEventId, 2);
    assert.deepEqual(events[2].executionFailedEventDetails, { error: 'States.Runtime', cause: deletedCause(arn) });
    // Its last execution ended: the machine is gone, and the execution cannot be redriven.
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(described.redriveStatus, 'NOT_REDRIVABLE');
    assert.equal(described.redriveStatusReason, 'State machine is in DELETING status.');
    await rejects(sfn.send(new RedriveExecutionCommand({ executionArn })), 'ExecutionNotRedrivable', 'State machine is in DELETING status.');
  });

  test('an execution that keeps moving fails at its very next transition', async () => {
    const arn = await machine({
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 1, Next: 'Again' },
        Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'W' },
        Done: { Type: 'Succeed' },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await until(async () => (await history(executionArn!)).length >= 6);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    const d = await finished(executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.cause, deletedCause(arn));
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'ExecutionFailed').length, 1);
    assert.equal(types.at(-1), 'ExecutionFailed');
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
  });

  test('a Task waiting for its token: the answer that would move it on fails it instead', async () => {
    let token: { arn: string; effectId: string } | undefined;
    answers.set('arn:aws:states:::sqs:sendMessage.waitForTaskToken', (call) => {
      token = { arn: call.executionArn, effectId: call.effect.id };
      return { type: 'submitted', output: { MessageId: 'm-2' } };
    });
    const arn = await machine({
      StartAt: 'Ask',
      States: {
        Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' }, Next: 'After' },
        After: { Type: 'Pass', End: true },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await until(async () => (await history(executionArn!)).some((e) => e.type === 'TaskSubmitted'));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    assert.equal((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).status, 'DELETING');
    await control.taskOutcome(token!.arn, token!.effectId, { type: 'succeeded', output: { answer: 42 } });
    const d = await finished(executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.Runtime');
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.deepEqual(types.slice(-2), ['TaskSubmitted', 'ExecutionFailed']);
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
  });

  test('StopExecution of the last running execution of a DELETING machine aborts it, and the machine goes', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1_000_000, End: true } } });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).status, 'ABORTED');
    assert.equal((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).status, 'DELETING');
    await sfn.send(new StopExecutionCommand({ executionArn: second.executionArn }));
    const events = await history(second.executionArn!);
    assert.equal(events.at(-1)!.type, 'ExecutionAborted');
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
  });

  test('an Express machine goes at once; its running execution runs to its end (API Reference: Express deletion is eventual)', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 50, Next: 'P' }, P: { Type: 'Pass', Result: 'express done', End: true } } }, { type: 'EXPRESS' });
    const running = sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    await new Promise((r) => setTimeout(r, 50));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
    const result = await running;
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.output, '"express done"');
  });

  test('DeleteStateMachine of a machine that does not exist, or of a version ARN, as before', async () => {
    const arn = await machine(PASS_CHAIN, { publish: true });
    await rejects(sfn.send(new DeleteStateMachineCommand({ stateMachineArn: `${arn}:1` })), 'ValidationException');
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    // Gone at once without executions; deleting again answers as AWS does for a missing machine (nothing).
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })), 'StateMachineDoesNotExist');
  });
});

describe('ExecutionControl (what task integrations use)', () => {
  const waiterFor = (call: TaskCall, mode: 'sync' | 'sync:2', stateMachineArn: string) => ({ executionArn: call.executionArn, effectId: call.effect.id, mode, stateMachineArn });

  test('a nested execution started with a waiter: the waiting Task is answered, through the store, when the child ends', async () => {
    const child = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', Result: 'child done', End: true } } });
    answers.set('arn:aws:states:::states:startExecution.sync:2', async (call) => {
      const params = call.effect.input as { StateMachineArn: string; Input: unknown };
      const started = await control.startExecution({
        stateMachineArn: params.StateMachineArn,
        input: JSON.stringify(params.Input),
        account: call.account,
        region: call.region,
        waiter: waiterFor(call, 'sync:2', params.StateMachineArn),
      });
      return { type: 'submitted', output: { ExecutionArn: started.executionArn } };
    });
    const parent = await machine({
      StartAt: 'Run',
      States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: { n: 1 } }, End: true } },
    });
    const d = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }))).executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    const out = JSON.parse(d.output!);
    assert.equal(out.Status, 'SUCCEEDED');
    assert.equal(out.Output, 'child done');
    assert.deepEqual(out.Input, { n: 1 });
    assert.equal(out.StateMachineArn, child);
    const childRun = await sfn.send(new DescribeExecutionCommand({ executionArn: out.ExecutionArn }));
    assert.equal(childRun.input, '{"n":1}');
    assert.equal(out.StopDate, childRun.stopDate!.getTime());
  });

  test('awaitEnd: a child still running is waited for; one that has ended answers at once; one unknown is lost', async () => {
    const slow = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 20, Next: 'P' }, P: { Type: 'Pass', Result: 'slow', End: true } } });
    const quick = await machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Quick', Cause: 'at once' } } });
    answers.set('arn:aws:states:::states:startExecution.sync', async (call): Promise<TaskOutcome> => {
      const params = call.effect.input as { StateMachineArn: string; Mode: string };
      const waiter = waiterFor(call, 'sync', params.StateMachineArn);
      if (params.Mode === 'lost') {
        await control.awaitEnd(`arn:aws:states:${REGION}:${ACCOUNT}:express:gone:x:00000000-0000-0000-0000-000000000000`, waiter);
        return { type: 'submitted', output: {} };
      }
      const started = await control.startExecution({ stateMachineArn: params.StateMachineArn, input: '{}', account: call.account, region: call.region });
      if (params.Mode === 'ended') await finished(started.executionArn);
      await control.awaitEnd(started.executionArn, waiter);
      return { type: 'submitted', output: { ExecutionArn: started.executionArn } };
    });
    const parentOf = (mode: string, stateMachineArn: string) =>
      machine({ StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: stateMachineArn, Mode: mode }, End: true } } });
    const [running, ended, lost] = await Promise.all([parentOf('running', slow), parentOf('ended', quick), parentOf('lost', quick)]);
    const start = async (arn: string) => (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).executionArn!;
    const [a, b, c] = await Promise.all([start(running), start(ended), start(lost)]);
    const waited = await finished(a);
    assert.equal(waited.status, 'SUCCEEDED', `${waited.error}: ${waited.cause}`);
    assert.equal(JSON.parse(waited.output!).Output, '"slow"');
    const failed = await finished(b);
    assert.equal(failed.error, 'States.TaskFailed');
    assert.equal(JSON.parse(failed.cause!).Error, 'Quick');
    const gone = await finished(c);
    assert.equal(gone.error, 'States.TaskFailed');
    assert.equal(JSON.parse(gone.cause!).Status, 'ABORTED');
  });

  test('taskOutcome feeds a .waitForTaskToken task its answer, stored before it resolves', async () => {
    let token: { arn: string; effectId: string } | undefined;
    answers.set('arn:aws:states:::sqs:sendMessage.waitForTaskToken', (call) => {
      token = { arn: call.executionArn, effectId: call.effect.id };
      assert.ok(call.effect.taskToken);
      return { type: 'submitted', output: { MessageId: 'm-1' } };
    });
    const arn = await machine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' },
          HeartbeatSeconds: 600,
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    for (let i = 0; i < 500 && token === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 500 && !(await history(executionArn!)).some((e) => e.type === 'TaskSubmitted'); i++) await new Promise((r) => setTimeout(r, 5));
    await control.taskOutcome(token!.arn, token!.effectId, { type: 'heartbeat' });
    await control.taskOutcome(token!.arn, token!.effectId, { type: 'succeeded', output: { answer: 42 } });
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    assert.equal(d.output, '{"answer":42}');
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.deepEqual(types.slice(-4), ['TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });
});

describe('status change events', () => {
  test('a Standard execution sends Step Functions Execution Status Change events to the default bus', async () => {
    const sqs = server.client(SQSClient);
    const events = server.client(EventBridgeClient);
    const queue = unique('status');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    const arn = await machine(PASS_CHAIN);
    await events.send(new PutRuleCommand({ Name: queue, EventPattern: JSON.stringify({ source: ['aws.states'], detail: { stateMachineArn: [arn] } }) }));
    await events.send(new PutTargetsCommand({ Rule: queue, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}` }] }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'watched', input: '{"w":1}' }));
    await finished(executionArn!);
    const received: Record<string, any>[] = [];
    for (let i = 0; received.length < 2 && i < 20; i++) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of out.Messages ?? []) received.push(JSON.parse(m.Body!));
    }
    const byStatus = Object.fromEntries(received.map((e) => [e.detail.status, e]));
    assert.deepEqual(Object.keys(byStatus).sort(), ['RUNNING', 'SUCCEEDED']);
    const done = byStatus.SUCCEEDED;
    assert.equal(done['detail-type'], 'Step Functions Execution Status Change');
    assert.equal(done.source, 'aws.states');
    assert.equal(done.account, ACCOUNT);
    assert.deepEqual(done.resources, [executionArn]);
    assert.equal(done.detail.executionArn, executionArn);
    assert.equal(done.detail.name, 'watched');
    assert.equal(done.detail.input, '{"w":1}');
    assert.equal(done.detail.output, '{"x":1}');
    assert.equal(typeof done.detail.startDate, 'number');
    assert.equal(typeof done.detail.stopDate, 'number');
    assert.equal(byStatus.RUNNING.detail.stopDate, null);
    assert.equal(byStatus.RUNNING.detail.output, null);
    assert.equal(done.detail.redriveCount, 0);
    assert.equal(done.detail.redriveStatus, 'NOT_REDRIVABLE');
    assert.equal(byStatus.RUNNING.detail.redriveStatusReason, 'Execution is RUNNING and cannot be redriven.');
  });
});

describe('execution logs to CloudWatch Logs', () => {
  async function logged(group: string, count: number) {
    const logs = server.client(CloudWatchLogsClient);
    for (let i = 0; ; i++) {
      const found = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? [];
      if (found.length >= count || i > 200) return found.map((e) => ({ stream: e.logStreamName!, entry: JSON.parse(e.message!) as Record<string, any> }));
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('level ALL without execution data: every event, AWS log event shape, no inputs or outputs', async () => {
    const group = unique('/aws/vendedlogs/states/all');
    await server.client(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: group }));
    const arn = await machine(PASS_CHAIN, {
      type: 'EXPRESS',
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:*` } }] },
    });
    const { executionArn } = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"secret":1}' }));
    const entries = await logged(group, 6);
    assert.deepEqual(entries.map((e) => e.entry.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const started = entries[0].entry;
    assert.equal(started.id, '1');
    assert.equal(started.previous_event_id, '0');
    assert.equal(started.execution_arn, executionArn);
    assert.equal(started.redrive_count, '0');
    assert.match(started.event_timestamp, /^\d{13}$/);
    assert.equal(started.details.input, undefined);
    assert.equal(started.details.roleArn, ROLE);
    assert.equal(entries[5].entry.details.output, undefined);
    assert.equal(new Set(entries.map((e) => e.stream)).size, 1);
  });

  test('level ERROR with execution data: only the events of errors; Standard executions log too', async () => {
    const group = unique('/aws/vendedlogs/states/error');
    await server.client(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: group }));
    const arn = await machine(
      { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'E', Cause: 'C' } } },
      { loggingConfiguration: { level: 'ERROR', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:*` } }] } },
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await finished(executionArn!);
    const entries = await logged(group, 2);
    assert.deepEqual(entries.map((e) => e.entry.type), ['FailStateEntered', 'ExecutionFailed']);
    assert.deepEqual(entries[1].entry.details, { error: 'E', cause: 'C' });
    assert.equal(entries[0].entry.details.input, '{}');
  });
});

describe('RedriveExecution', () => {
  test('a failed execution goes on from the failed state; redriveCount, redriveDate and the history say so', async () => {
    let attempts = 0;
    answers.set('arn:aws:states:::lambda:invoke.redrive', () => (++attempts === 1 ? { type: 'failed', error: 'Boom', cause: 'first time' } : { type: 'succeeded', output: { ok: attempts } }));
    const arn = await machine({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Result: { a: 1 }, Next: 'T' },
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.redrive', Parameters: { 'redrives.$': '$$.Execution.RedriveCount', 'execution.$': '$$.Execution' }, End: true },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const failed = await finished(executionArn!);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.redriveStatus, 'REDRIVABLE');
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    assert.ok(redriveDate instanceof Date);
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    assert.equal(d.output, '{"ok":2}');
    assert.equal(d.redriveCount, 1);
    assert.equal(d.redriveDate!.getTime(), redriveDate!.getTime());
    assert.equal(d.error, undefined);
    const events = await history(executionArn!);
    const types = events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'ExecutionFailed').length, 1);
    assert.equal(types.filter((t) => t === 'ExecutionSucceeded').length, 1);
    const redriven = events.find((e) => e.type === 'ExecutionRedriven')!;
    assert.deepEqual(redriven.executionRedrivenEventDetails, { redriveCount: 1 });
    assert.equal(types[types.indexOf('ExecutionRedriven') + 1], 'TaskStateEntered');
    assert.equal(types.filter((t) => t === 'PassStateEntered').length, 1, 'the successful Pass is not run again');
    const inputs = calls.filter((c) => c.executionArn === executionArn).map((c) => c.effect.input as { redrives: number; execution: Record<string, unknown> });
    assert.deepEqual(inputs.map((i) => i.redrives), [0, 1]);
    // $$.Execution.RedriveTime only once redriven: the redrive's time (Developer Guide, the Context object).
    assert.ok(!('RedriveTime' in inputs[0].execution));
    assert.equal(inputs[1].execution.RedriveTime, redriveDate!.toISOString());
    assert.equal(inputs[1].execution.RedriveCount, 1);
    assert.equal(inputs[1].execution.StartTime, inputs[0].execution.StartTime);
    const redrivenList = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'REDRIVEN' }));
    assert.deepEqual(redrivenList.executions!.map((e) => e.executionArn), [executionArn]);
    assert.equal(redrivenList.executions![0].redriveCount, 1);
    const notRedriven = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'NOT_REDRIVEN' }));
    assert.deepEqual(notRedriven.executions, []);
    // Succeeded now: not redrivable.
    await rejects(sfn.send(new RedriveExecutionCommand({ executionArn })), 'ExecutionNotRedrivable', 'Execution is SUCCEEDED and cannot be redriven.');
  });

  test('a redriven execution that fails again at once: redriven all the same, failed again', async () => {
    const arn = await machine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.missing' }, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const first = await finished(executionArn!);
    assert.equal(first.status, 'FAILED');
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(d.status, 'FAILED');
    assert.equal(d.redriveCount, 1);
    assert.equal(d.redriveDate!.getTime(), redriveDate!.getTime());
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'ExecutionFailed').length, 2);
    assert.equal(types.filter((t) => t === 'ExecutionRedriven').length, 1);
  });

  test('a distributed Map\'s failed map run is redriven with its execution: the succeeded item does not run again', async () => {
    const seen = new Map<number, number>();
    answers.set('arn:aws:states:::lambda:invoke.maprun', (call) => {
      const v = (call.effect.input as { v: number }).v;
      seen.set(v, (seen.get(v) ?? 0) + 1);
      return v === 2 && seen.get(v) === 1 ? { type: 'failed', error: 'Boom', cause: 'item 2, first time' } : { type: 'succeeded', output: v * 10 };
    });
    const arn = await machine({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          // One at a time: item 1 succeeds, item 2 fails the run, item 3 never starts.
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'T',
            States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.maprun', Parameters: { 'v.$': '$' }, End: true } },
          },
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: [1, 2, 3] }) }));
    assert.equal((await finished(executionArn!)).status, 'FAILED');
    const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    assert.equal((await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }))).status, 'FAILED');
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    assert.deepEqual(JSON.parse(d.output!), [10, 20, 30]);
    assert.deepEqual([...seen].sort(), [[1, 1], [2, 2], [3, 1]]);
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.redriveCount, 1);
    assert.ok(described.redriveDate instanceof Date);
    assert.equal((await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!.length, 1, 'the same map run, redriven');
  });

  test('a running execution is not redrivable; an aborted one is', async () => {
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100_000, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await rejects(sfn.send(new RedriveExecutionCommand({ executionArn })), 'ExecutionNotRedrivable', 'Execution is RUNNING and cannot be redriven.');
    for (let i = 0; i < 200 && (await history(executionArn!)).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(d.status, 'RUNNING');
    assert.equal(d.stopDate, undefined);
    const types = (await history(executionArn!)).map((e) => e.type);
    assert.deepEqual(types.slice(-3), ['ExecutionAborted', 'ExecutionRedriven', 'WaitStateEntered']);
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });
});

describe('distributed Map runs', () => {
  test('ListMapRuns and DescribeMapRun answer the runs an execution started', async () => {
    const arn = await machine({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Label: 'Fan',
          ItemsPath: '$.items',
          MaxConcurrency: 7,
          ToleratedFailureCount: 2,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: [1, 2, 3] }) }));
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
    assert.equal(runs.mapRuns!.length, 1);
    const run = runs.mapRuns![0];
    assert.equal(run.executionArn, executionArn);
    assert.match(run.mapRunArn!, new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${arn.split(':').pop()}/Fan:[0-9a-f-]{36}$`));
    assert.equal(run.stateMachineArn, `${arn}/Fan`);
    assert.ok(run.stopDate instanceof Date);
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.maxConcurrency, 7);
    assert.equal(described.toleratedFailureCount, 2);
    assert.equal(described.itemCounts?.total, 3);
    assert.equal(described.itemCounts?.succeeded, 3);
    assert.equal(described.executionCounts?.succeeded, 3);
    const missing = run.mapRunArn!.replace(/:[0-9a-f-]{36}$/, ':00000000-0000-0000-0000-000000000000');
    await rejects(sfn.send(new DescribeMapRunCommand({ mapRunArn: missing })), 'ResourceNotFound');
  });
});

describe('UpdateMapRun', () => {
  test('a running map run takes a new maximum concurrency from now on; an ended one refuses', async () => {
    const arn = await machine({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 1,
          // 100 s at this server's time scale: 1 s an item.
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
          End: true,
        },
      },
    });
    const started = Date.now();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: [1, 2, 3, 4, 5] }) }));
    let runs;
    for (let i = 0; i < 500 && !(runs = await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!.length; i++) await new Promise((r) => setTimeout(r, 5));
    const mapRunArn = runs!.mapRuns![0].mapRunArn!;
    await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 5, toleratedFailureCount: 1 }));
    const running = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.equal(running.maxConcurrency, 5);
    assert.equal(running.toleratedFailureCount, 1);
    const d = await finished(executionArn!);
    assert.equal(d.status, 'SUCCEEDED');
    // One at a time the five would take 5 s; after the first, the other four run at once.
    assert.ok(Date.now() - started < 3500, `took ${Date.now() - started} ms`);
    await rejects(sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 2 })), 'ValidationException', `Map Run is not running: '${mapRunArn}'`);
  });
});

describe('the execution API refuses bad requests as AWS does', () => {
  test('input that is not JSON, or too large, is InvalidExecutionInput', async () => {
    const arn = await machine(PASS_CHAIN);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' })), 'InvalidExecutionInput', /^Invalid State Machine Execution Input: '/);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ s: 'é'.repeat(140_000) }) })), 'InvalidExecutionInput');
    // Past 262,144 characters the model's length constraint answers first.
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ s: 'x'.repeat(262_144) }) })), 'ValidationException');
  });

  test('names, ARNs and missing things', async () => {
    const arn = await machine(PASS_CHAIN);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'bad name' })), 'InvalidName', "Invalid Name: 'bad name'");
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn' })), 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}-missing` })), 'StateMachineDoesNotExist');
    const missing = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${arn.split(':').pop()}:nope`;
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: missing })), 'ExecutionDoesNotExist', `Execution Does Not Exist: '${missing}'`);
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: missing })), 'ExecutionDoesNotExist');
    await rejects(sfn.send(new StopExecutionCommand({ executionArn: missing })), 'ExecutionDoesNotExist');
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: arn })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: `${arn}-missing` })), 'StateMachineDoesNotExist');
  });
});

describe('Express executions', () => {
  test('StartSyncExecution answers the result with AWS shape', async () => {
    const arn = await machine(PASS_CHAIN, { type: 'EXPRESS' });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, name: 'sync', input: '{"q":true}' }));
    assert.equal(out.status, 'SUCCEEDED');
    assert.equal(out.output, '{"x":1}');
    assert.equal(out.input, '{"q":true}');
    assert.deepEqual(out.inputDetails, { included: true });
    assert.match(out.executionArn!, new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:express:${arn.split(':').pop()}:sync:[0-9a-f-]{36}$`));
    assert.equal(out.stateMachineArn, arn);
    assert.equal(out.billingDetails?.billedMemoryUsedInMB, 64);
    assert.equal(out.billingDetails?.billedDurationInMilliseconds, 100);
    const failed = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: await machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } }, { type: 'EXPRESS' }) }));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'E');
    assert.equal(failed.cause, 'C');
    assert.equal(failed.output, undefined);
  });

  test('Express runs tasks and waits in memory; StartExecution answers at once', async () => {
    answers.set('arn:aws:states:::events:putEvents', () => ({ type: 'succeeded', output: { Entries: [] } }));
    const arn = await machine(
      { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'T' }, T: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] }, End: true } } },
      { type: 'EXPRESS' },
    );
    const sync = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    assert.equal(sync.status, 'SUCCEEDED');
    assert.equal(sync.output, '{"Entries":[]}');
    assert.equal(calls.find((c) => c.executionArn === sync.executionArn)?.express, true);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    assert.match(started.executionArn!, /:express:/);
  });

  test('an Express execution lasts at most five minutes: then it times out', async () => {
    // 300 s at this server's time scale of 0.01: 3 s.
    const arn = await machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 400, End: true } } }, { type: 'EXPRESS' });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    assert.equal(out.status, 'TIMED_OUT');
    assert.equal(out.error, 'States.Timeout');
    assert.ok(out.stopDate!.getTime() - out.startDate!.getTime() >= 2900);
  });

  test('Express ARNs have no history API; StartSyncExecution of a Standard machine is refused', async () => {
    const arn = await machine(PASS_CHAIN, { type: 'EXPRESS' });
    const { executionArn } = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn })), 'InvalidArn');
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn })), 'StateMachineTypeNotSupported');
    const standard = await machine(PASS_CHAIN);
    await rejects(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard })), 'StateMachineTypeNotSupported');
  });
});

