import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile, drive } from './test-driver.js';
import { createExecution, step } from './interpreter.js';
import type { ExecutionEnv } from './snapshot.js';

const types = (events: { type: string }[]) => events.map((e) => e.type);
const details = (events: Record<string, unknown>[], type: string) => events.filter((e) => e.type === type).map((e) => Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1]);

const task = (extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra });

describe('Task state', () => {
  test('scheduled, started, succeeded; ResultSelector, ResultPath and OutputPath apply to the result', async () => {
    const def = compile({
      StartAt: 'T',
      States: {
        T: task({ Parameters: { 'n.$': '$.n' }, ResultSelector: { 'doubled.$': '$.v' }, ResultPath: '$.r', OutputPath: '$.r' }),
      },
    });
    const r = await drive(def, { input: { n: 21 }, task: (e) => ({ output: { v: (e.input as { n: number }).n * 2 } }) });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, { doubled: 42 });
    assert.deepEqual(types(r.events), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const scheduled = details(r.events, 'TaskScheduled')[0] as Record<string, unknown>;
    assert.deepEqual(scheduled, { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"n":21}' });
    assert.deepEqual(r.events.map((e) => e.previousEventId), [0, 0, 2, 3, 4, 5, 6]);
  });

  test('a bare Lambda function ARN writes LambdaFunction* events', async () => {
    const def = compile({ StartAt: 'T', States: { T: task({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f' }) } });
    const r = await drive(def, { input: { a: 1 } });
    assert.deepEqual(types(r.events), ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  test('Retry: IntervalSeconds × BackoffRate^n capped by MaxDelaySeconds, then Catch with ResultPath', async () => {
    const def = compile({
      StartAt: 'T',
      States: {
        T: task({
          End: undefined,
          Next: 'Done',
          Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, MaxDelaySeconds: 10 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handler' }],
        }),
        Done: { Type: 'Succeed' },
        Handler: { Type: 'Pass', End: true },
      },
    });
    const r = await drive(def, { input: { k: 'v' }, task: () => ({ error: 'Boom', cause: 'it broke' }) });
    const start = Date.parse('2025-01-01T00:00:00.000Z');
    const timers = r.effects.filter((e) => e.kind === 'timer').map((e) => (e as { dueAt: number }).dueAt);
    assert.deepEqual(timers, [start + 2000, start + 2000 + 6000, start + 2000 + 6000 + 10000]);
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, { k: 'v', error: { Error: 'Boom', Cause: 'it broke' } });
    assert.equal(types(r.events).filter((t) => t === 'TaskScheduled').length, 4);
    assert.deepEqual(types(r.events).slice(-5), ['TaskFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  test('States.Runtime is neither retried nor caught, even by States.ALL', async () => {
    const def = compile({
      StartAt: 'T',
      States: {
        T: task({ OutputPath: '$.missing', Retry: [{ ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }] }),
        H: { Type: 'Pass', End: true },
      },
    });
    const r = await drive(def, { input: {} });
    assert.equal(r.snapshot.status, 'FAILED');
    assert.equal(r.snapshot.error, 'States.Runtime');
    assert.match(r.snapshot.cause ?? '', /^An error occurred while executing the state 'T' \(entered at the event id #2\)\. Invalid path '\$\.missing'/);
  });

  test('TimeoutSeconds: the task times out with States.Timeout (TaskTimedOut), States.TaskFailed does not catch it', async () => {
    const def = compile({
      StartAt: 'T',
      States: {
        T: task({ TimeoutSeconds: 5, End: undefined, Next: 'Ok', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Ok' }, { ErrorEquals: ['States.Timeout'], Next: 'Late' }] }),
        Ok: { Type: 'Succeed' },
        Late: { Type: 'Fail', Error: 'Late' },
      },
    });
    const r = await drive(def, { task: () => 'pending' });
    assert.equal(r.snapshot.status, 'FAILED');
    assert.equal(r.snapshot.error, 'Late');
    assert.ok(types(r.events).includes('TaskTimedOut'));
    assert.equal(r.now, Date.parse('2025-01-01T00:00:05.000Z'));
  });

  test('a heartbeat starts the heartbeat timer over', async () => {
    const def = compile({ StartAt: 'T', States: { T: task({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 10, TimeoutSeconds: 100 }) } });
    let now = 0;
    const env: ExecutionEnv = { now: () => now, newId: () => 'token-1', random: () => 0 };
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: {}, startTime: 0 });
    const r1 = await step(def, snapshot, { type: 'start' }, env);
    const taskEffect = r1.effects.find((e) => e.kind === 'task')!;
    assert.equal((taskEffect as { taskToken: string }).taskToken, 'token-1');
    now = 8000;
    const r2 = await step(def, snapshot, { type: 'taskHeartbeat', effectId: taskEffect.id }, env);
    const renewed = r2.effects.find((e) => e.kind === 'timer') as { id: string; dueAt: number };
    assert.equal(renewed.dueAt, 18000);
    now = 18000;
    await step(def, snapshot, { type: 'timerFired', effectId: renewed.id }, env);
    assert.equal(snapshot.status, 'FAILED');
    assert.equal(snapshot.error, 'States.Timeout');
  });
});

describe('execution', () => {
  test('stop: ExecutionAborted, outstanding effects cancelled', async () => {
    const def = compile({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const r = await drive(def, { stopAfterSteps: 1 });
    assert.equal(r.snapshot.status, 'ABORTED');
    assert.deepEqual(types(r.events), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    assert.ok(r.effects.some((e) => e.kind === 'cancel'));
  });

  test('the machine TimeoutSeconds ends the execution with ExecutionTimedOut', async () => {
    const def = compile({ StartAt: 'W', TimeoutSeconds: 3, States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const r = await drive(def);
    assert.equal(r.snapshot.status, 'TIMED_OUT');
    assert.equal(types(r.events).at(-1), 'ExecutionTimedOut');
  });

  test('a snapshot that goes through JSON between steps gives the same history', async () => {
    const def = compile({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Assign: { x: 1 }, Next: 'M' },
        M: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'T' }, T: task({ Parameters: { 'i.$': '$', 'x.$': '$x' } }) } },
          Next: 'Par',
        },
        Par: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: task() } }, { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 2, End: true } } }], End: true },
      },
    });
    const input = { items: [1, 2, 3] };
    const plain = await drive(def, { input });
    const stored = await drive(def, { input, roundTrip: true });
    assert.equal(plain.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(stored.events, plain.events);
    assert.deepEqual(stored.snapshot.output, plain.snapshot.output);
    const mapped = [
      { i: 1, x: 1 },
      { i: 2, x: 1 },
      { i: 3, x: 1 },
    ];
    // Branch A echoes its input (the Map's output); branch B's Wait passes it through.
    assert.deepEqual(plain.snapshot.output, [mapped, mapped]);
  });

  test('a state output over 256 KiB fails with States.DataLimitExceeded', async () => {
    const def = compile({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'big.$': "States.ArrayRange(1, 1000, 1)" }, Next: 'Q' }, Q: { Type: 'Pass', Parameters: { 'a.$': '$.big', 'b.$': '$.big', 'c.$': '$.big' }, End: true } } });
    const ok = await drive(def);
    assert.equal(ok.snapshot.status, 'SUCCEEDED');
    const big = 'x'.repeat(270_000);
    const def2 = compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const r = await drive(def2, { input: { big } });
    assert.equal(r.snapshot.status, 'FAILED');
    assert.equal(r.snapshot.error, 'States.DataLimitExceeded');
  });
});

describe('variables', () => {
  test('Map iterations read outer variables; their own Assign stays inside', async () => {
    const def = compile({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Assign: { outer: 'o' }, Next: 'M' },
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Assign: { inner: 1 }, Parameters: { 'seen.$': '$outer' }, End: true } } },
          Next: 'After',
        },
        After: { Type: 'Pass', Parameters: { 'outer.$': '$outer' }, End: true },
      },
    });
    const r = await drive(def, { input: [1, 2] });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, { outer: 'o' });
    const inner = details(r.events, 'PassStateExited')[1] as Record<string, unknown>;
    assert.deepEqual(inner.output, '{"seen":"o"}');
    // `inner` is not visible after the Map.
    const def2 = compile({
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Assign: { inner: 1 }, End: true } } }, Next: 'After' },
        After: { Type: 'Pass', Parameters: { 'v.$': '$inner' }, End: true },
      },
    });
    const r2 = await drive(def2, { input: [1] });
    assert.equal(r2.snapshot.status, 'FAILED');
    assert.equal(r2.snapshot.error, 'States.Runtime');
  });
});

describe('Map', () => {
  test('1,000 items, one at a time: each step touches a bounded number of frames, not the items', async () => {
    const def = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'T', States: { T: task() } }, End: true } },
    });
    const items = Array.from({ length: 1000 }, (_, i) => i);
    let now = 0;
    const env: ExecutionEnv = { now: () => now, newId: () => 'x', random: () => 0 };
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: items, startTime: 0 });
    let r = await step(def, snapshot, { type: 'start' }, env);
    let maxChanged = 0;
    let maxValues = 0;
    let mapFrameSize = 0;
    while (snapshot.status === 'RUNNING') {
      const t = r.effects.find((e) => e.kind === 'task');
      assert.ok(t);
      r = await step(def, snapshot, { type: 'taskSucceeded', effectId: t.id, output: (t as { input: number }).input * 2 }, env);
      maxChanged = Math.max(maxChanged, r.changedFrames.length + r.removedFrames.length);
      maxValues = Math.max(maxValues, r.changedValues.length);
      if (now === 500) mapFrameSize = JSON.stringify(snapshot.frames['0']).length;
      now++;
    }
    assert.equal(snapshot.status, 'SUCCEEDED');
    assert.deepEqual(snapshot.output, items.map((i) => i * 2));
    assert.ok(maxChanged <= 3, `a step changed ${maxChanged} frames`);
    // One iteration's result per step; the items were written once, at the start.
    assert.equal(maxValues, 1);
    assert.deepEqual(snapshot.values, {});
    // The Map frame itself stayed small: no items, no results.
    assert.ok(mapFrameSize > 0 && mapFrameSize < 1000, `map frame ${mapFrameSize} bytes`);
  });
});

describe('Map item selection', () => {
  test('an ItemSelector that fails on a later item fails the Map state (and can be caught)', async () => {
    const def = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemSelector: { 'v.$': '$$.Map.Item.Value.v' },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    const r = await drive(def, { input: [{ v: 1 }, { w: 2 }] });
    assert.equal(r.snapshot.status, 'FAILED');
    assert.equal(r.snapshot.error, 'States.Runtime');
    assert.deepEqual(Object.keys(r.snapshot.frames), ['0']);
  });
});

describe('distributed Map: ItemReader and ItemBatcher', () => {
  const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

  test('a CSV object with its header row; MaxItems; events as AWS writes them', async () => {
    const def = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 2 }, Parameters: { 'Bucket.$': '$.b', Key: 'k.csv' } },
          ItemProcessor: processor,
          End: true,
        },
      },
    });
    let asked: unknown;
    const r = await drive(def, {
      input: { b: 'bucket' },
      readItems: (e) => {
        asked = e.parameters;
        return 'Col1,Col2\nValue1,"Va,lue2"\n,\nx,y\n';
      },
    });
    assert.deepEqual(asked, { Bucket: 'bucket', Key: 'k.csv' });
    assert.equal(r.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(r.snapshot.output, [
      { Col1: 'Value1', Col2: 'Va,lue2' },
      { Col1: '', Col2: '' },
    ]);
    assert.deepEqual(types(r.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(details(r.events, 'MapStateStarted'), [{ length: 0 }]);
  });

  test('a JSON object that is not a list fails the run with States.ItemReaderFailed', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } }, ItemProcessor: processor, End: true } } });
    const r = await drive(def, { readItems: () => '{"not": "a list"}' });
    assert.equal(r.snapshot.status, 'FAILED');
    assert.equal(r.snapshot.error, 'States.ItemReaderFailed');
    assert.equal(r.snapshot.cause, 'Attempting to map over non-iterable node.');
    assert.deepEqual(types(r.events).slice(-3), ['MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
  });

  test('duplicate CSV headers', async () => {
    const def = compile({ StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['H', 'H'] }, Parameters: { Bucket: 'b', Key: 'k' } }, ItemProcessor: processor, End: true } } });
    const r = await drive(def, { readItems: () => 'a,b\n' });
    assert.equal(r.snapshot.cause, 'CSV headers cannot contain duplicates.');
  });

  test('ItemBatcher: MaxItemsPerBatch and BatchInput', async () => {
    const def = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'tag.$': '$.tag' } }, ItemsPath: '$.items', ItemProcessor: processor, End: true } },
    });
    const r = await drive(def, { input: { tag: 't', items: [1, 2, 3] } });
    assert.deepEqual(r.snapshot.output, [
      { BatchInput: { tag: 't' }, Items: [1, 2] },
      { BatchInput: { tag: 't' }, Items: [3] },
    ]);
  });
});

describe('redrive', () => {
  test('a failed execution goes on from the failed state: ExecutionRedriven, RedriveCount, the state again', async () => {
    const def = compile({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Result: { a: 1 }, Next: 'T' },
        T: task({ Parameters: { 'redrives.$': '$$.Execution.RedriveCount' } }),
      },
    });
    let now = 0;
    const env: ExecutionEnv = { now: () => now, newId: () => 'x', random: () => 0 };
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: {}, startTime: 0 });
    const r1 = await step(def, snapshot, { type: 'start' }, env);
    const t1 = r1.effects.find((e) => e.kind === 'task')!;
    assert.deepEqual((t1 as { input: unknown }).input, { redrives: 0 });
    const r2 = await step(def, snapshot, { type: 'taskFailed', effectId: t1.id, error: 'Boom', cause: 'once' }, env);
    assert.equal(snapshot.status, 'FAILED');
    now = 1000;
    const r3 = await step(def, snapshot, { type: 'redrive' }, env);
    assert.equal(snapshot.status, 'RUNNING');
    assert.deepEqual(types(r3.events), ['ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted']);
    assert.deepEqual(details(r3.events, 'ExecutionRedriven'), [{ redriveCount: 1 }]);
    assert.equal(r3.events[0].id, r2.events.at(-1)!.id + 1);
    assert.equal(details(r3.events, 'TaskStateEntered')[0] && (details(r3.events, 'TaskStateEntered')[0] as { input: string }).input, '{"a":1}');
    const t2 = r3.effects.find((e) => e.kind === 'task')!;
    assert.deepEqual((t2 as { input: unknown }).input, { redrives: 1 });
    await step(def, snapshot, { type: 'taskSucceeded', effectId: t2.id, output: 'ok' }, env);
    assert.equal(snapshot.status, 'SUCCEEDED');
    // A running or succeeded execution is not redriven.
    const again = await step(def, snapshot, { type: 'redrive' }, env);
    assert.deepEqual(again.events, []);
  });
});

describe('history quota', () => {
  test('a loop that never ends fails at the 25,000th event with States.Runtime', async () => {
    const def = compile({ StartAt: 'Loop', States: { Loop: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: false, Next: 'Done' }], Default: 'Loop' }, Done: { Type: 'Succeed' } } });
    const r = await drive(def, { input: { spin: true } });
    assert.equal(r.snapshot.status, 'FAILED');
    const last = r.events.at(-1)!;
    assert.equal(last.id, 25000);
    assert.equal(last.previousEventId, 24999);
    assert.deepEqual(last.executionFailedEventDetails, { error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
    assert.equal(r.events.at(-2)!.type, 'ChoiceStateExited');
  });
});

describe('terminal errors', () => {
  test('States.Runtime in a Parallel branch fails the execution at once (no ParallelStateFailed)', async () => {
    const def = compile({
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'Fast', States: { Fast: { Type: 'Pass', Parameters: { 'm.$': '$.nope' }, End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true }, C: { Type: 'Pass', End: true } },
    });
    const r = await drive(def, { input: { x: 'a' } });
    assert.deepEqual(types(r.events), ['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'PassStateEntered', 'ExecutionFailed']);
    assert.equal(r.events[4].previousEventId, 4);
    assert.match(r.snapshot.cause ?? '', /^An error occurred while executing the state 'Fast' \(entered at the event id #4\)\. The JSONPath '\$\.nope' specified for the field 'm\.\$' could not be found in the input/);
  });

  test('a Choice without a matching rule or Default fails with States.Runtime', async () => {
    const def = compile({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } } });
    const r = await drive(def, { input: { a: 2 } });
    assert.equal(r.snapshot.error, 'States.Runtime');
    assert.equal(r.snapshot.cause, "An error occurred while executing the state 'C' (entered at the event id #2). Failed to transition out of the state. The state does not point to a next state.");
  });
});

describe('feeding the same outcome twice', () => {
  test('a redelivered task outcome, timer or start changes nothing', async () => {
    const def = compile({ StartAt: 'T', States: { T: task({ End: undefined, Next: 'W' }), W: { Type: 'Wait', Seconds: 5, End: true } } });
    const env: ExecutionEnv = { now: () => 0, newId: () => 'x', random: () => 0 };
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: {}, startTime: 0 });
    const r1 = await step(def, snapshot, { type: 'start' }, env);
    assert.deepEqual((await step(def, snapshot, { type: 'start' }, env)).events, []);
    const t = r1.effects.find((e) => e.kind === 'task')!;
    const r2 = await step(def, snapshot, { type: 'taskSucceeded', effectId: t.id, output: 1 }, env);
    assert.deepEqual((await step(def, snapshot, { type: 'taskSucceeded', effectId: t.id, output: 2 }, env)).events, []);
    const timer = r2.effects.find((e) => e.kind === 'timer')!;
    await step(def, snapshot, { type: 'timerFired', effectId: timer.id }, env);
    assert.equal(snapshot.status, 'SUCCEEDED');
    assert.deepEqual((await step(def, snapshot, { type: 'timerFired', effectId: timer.id }, env)).events, []);
    assert.deepEqual((await step(def, snapshot, { type: 'timerFired', effectId: 'e999' }, env)).events, []);
    assert.equal(snapshot.output, 1);
  });
});
