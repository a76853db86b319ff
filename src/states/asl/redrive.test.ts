import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from './test-driver.js';
import { createExecution, step } from './interpreter.js';
import { redriveStatus, REDRIVE_PERIOD_MS } from './redrive.js';
import type { Json } from './json.js';
import type { HistoryEvent } from './history.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, MapRunReport } from './snapshot.js';
import type { StateMachineDefinition } from './model.js';

type Task = Extract<Effect, { kind: 'task' }>;
type Answer = { output: Json } | { error: string; cause: string } | 'pending';

const START = Date.parse('2025-01-01T00:00:00Z');
const types = (events: HistoryEvent[]) => events.map((e) => e.type);

/** Runs an execution step by step (the snapshot through JSON between steps, as the durable engine keeps it). */
class Driver {
  now = START;
  snapshot: ExecutionSnapshot;
  calls: Task[] = [];
  mapRuns: MapRunReport[] = [];
  private ids = 0;
  readonly env: ExecutionEnv = { now: () => this.now, newId: () => `id-${++this.ids}`, random: () => 0 };

  constructor(
    readonly def: StateMachineDefinition,
    input: Json,
    public answer: (task: Task) => Answer,
    public items: (effect: Extract<Effect, { kind: 'readItems' }>) => { content: Json } | { error: string; cause: string } = () => ({ content: [] }),
  ) {
    this.snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input, startTime: this.now });
  }

  /** Feeds an input and everything that follows from it; the events written. */
  async run(first: ExecutionInput): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    const queue: ExecutionInput[] = [first];
    while (queue.length > 0) {
      this.snapshot = JSON.parse(JSON.stringify(this.snapshot)) as ExecutionSnapshot;
      const r = await step(this.def, this.snapshot, queue.shift()!, this.env);
      events.push(...r.events);
      for (const e of r.effects) {
        if (e.kind === 'task') {
          this.calls.push(e);
          const a = this.answer(e);
          if (a !== 'pending') queue.push('output' in a ? { type: 'taskSucceeded', effectId: e.id, output: a.output } : { type: 'taskFailed', effectId: e.id, ...a });
        } else if (e.kind === 'timer' && this.snapshot.waits[e.id]?.purpose !== 'executionTimeout') queue.push({ type: 'timerFired', effectId: e.id });
        else if (e.kind === 'mapRun') this.mapRuns.push(e);
        else if (e.kind === 'readItems') {
          const read = this.items(e);
          queue.push('content' in read ? { type: 'itemsRead', effectId: e.id, content: read.content } : { type: 'itemsReadFailed', effectId: e.id, ...read });
        }
      }
    }
    return events;
  }
}

const task = (name: string, extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { name, 'in.$': '$' }, End: true, ...extra });
const callsTo = (d: Driver) => d.calls.map((c) => (c.input as { name: string; in: Json }).name + ':' + JSON.stringify((c.input as { in: Json }).in));

describe('redrive: Parallel', () => {
  test('only the branches that failed or were aborted run again, each from the state where it stopped', async () => {
    const def = compile({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A', States: { A: task('a') } },
            { StartAt: 'B1', States: { B1: { Type: 'Pass', Result: 'b-in', Next: 'B2' }, B2: task('b') } },
            { StartAt: 'C', States: { C: task('c') } },
          ],
        },
      },
    });
    let broken = true;
    const d = new Driver(def, { x: 1 }, (t) => {
      const name = (t.input as { name: string }).name;
      if (name === 'b' && broken) return { error: 'Boom', cause: 'b broke' };
      if (name === 'c' && broken) return 'pending';
      return { output: `${name}-done` };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'Boom');
    assert.deepEqual(callsTo(d), ['a:{"x":1}', 'b:"b-in"', 'c:{"x":1}']);
    assert.equal(redriveStatus(d.snapshot, d.now).redrivable, true);

    broken = false;
    d.calls = [];
    d.now += 60_000;
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    // Branch A kept its result; branch B went on at B2 (its Pass is not run again), C started over at C.
    assert.deepEqual(callsTo(d), ['b:"b-in"', 'c:{"x":1}']);
    assert.deepEqual(d.snapshot.output, ['a-done', 'b-done', 'c-done']);
    assert.deepEqual(types(events).slice(0, 3), ['ExecutionRedriven', 'ParallelStateEntered', 'ParallelStateStarted']);
    assert.ok(!types(events).includes('PassStateEntered'));
    assert.deepEqual(events[0].executionRedrivenEventDetails, { redriveCount: 1 });
    assert.deepEqual(types(events).slice(-3), ['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(d.snapshot.values, {});
  });
});

describe('redrive: inline Map', () => {
  const def = compile({
    StartAt: 'M',
    States: {
      M: { Type: 'Map', MaxConcurrency: 2, ItemSelector: { 'n.$': '$$.Map.Item.Value' }, ItemProcessor: { StartAt: 'T', States: { T: task('t') } }, ResultSelector: { 'all.$': '$' }, End: true },
    },
  });

  test('the succeeded iterations keep their results; the failed and aborted ones run again, then those never started', async () => {
    let broken = true;
    const d = new Driver(def, [0, 1, 2, 3, 4], (t) => {
      const n = ((t.input as { in: { n: number } }).in).n;
      if (broken && n === 1) return 'pending';
      if (broken && n === 2) return { error: 'Boom', cause: 'two' };
      return { output: n * 10 };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    // Item 0 succeeded, 1 was running (aborted when 2 failed), 3 and 4 never started.
    assert.deepEqual(callsTo(d), ['t:{"n":0}', 't:{"n":1}', 't:{"n":2}']);
    // What the redrive needs is kept: the items, the one result, the stopped iterations (values, not frame content).
    assert.deepEqual(Object.keys(d.snapshot.values).sort(), ['input/0', 'items/0', 'result/0/0', 'stopped/0/1', 'stopped/0/2']);
    assert.equal((d.snapshot.values['stopped/0/2'] as { state: string }).state, 'T');

    broken = false;
    d.calls = [];
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(callsTo(d), ['t:{"n":1}', 't:{"n":2}', 't:{"n":3}', 't:{"n":4}']);
    assert.deepEqual(d.snapshot.output, { all: [0, 10, 20, 30, 40] });
    assert.deepEqual(types(events).slice(0, 4), ['ExecutionRedriven', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted']);
    assert.deepEqual(events[2].mapStateStartedEventDetails, { length: 5 });
    const started = events.filter((e) => e.type === 'MapIterationStarted').map((e) => (e.mapIterationStartedEventDetails as { index: number }).index);
    assert.deepEqual(started, [1, 2, 3, 4]);
    assert.deepEqual(d.snapshot.values, {});
  });

  test('a second failure keeps what succeeded across both attempts; RedriveCount counts the redrives', async () => {
    let failing = new Set([1, 3]);
    const d = new Driver(def, [0, 1, 2, 3], (t) => {
      const n = ((t.input as { in: { n: number } }).in).n;
      return failing.has(n) ? { error: 'Boom', cause: String(n) } : { output: n };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    failing = new Set([3]);
    d.calls = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.ok(!callsTo(d).includes('t:{"n":0}'));
    failing = new Set();
    d.calls = [];
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(callsTo(d), ['t:{"n":3}']);
    assert.deepEqual(d.snapshot.output, { all: [0, 1, 2, 3] });
    assert.deepEqual(events[0].executionRedrivenEventDetails, { redriveCount: 2 });
    assert.equal(d.snapshot.context.Execution.RedriveCount, 2);
  });

  test('an iteration that stopped inside a nested Parallel goes on there; its finished branch is not run again', async () => {
    const nested = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Pre',
            States: {
              Pre: { Type: 'Pass', Next: 'P' },
              P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'X', States: { X: task('x') } }, { StartAt: 'Y', States: { Y: task('y') } }] },
            },
          },
        },
      },
    });
    let broken = true;
    const d = new Driver(nested, ['a', 'b'], (t) => {
      const c = t.input as { name: string; in: string };
      if (broken && c.name === 'y' && c.in === 'b') return { error: 'Boom', cause: 'yb' };
      return { output: `${c.name}${c.in}` };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    broken = false;
    d.calls = [];
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(callsTo(d), ['y:"b"']);
    assert.deepEqual(d.snapshot.output, [['xa', 'ya'], ['xb', 'yb']]);
    assert.ok(!types(events).includes('PassStateEntered'));
  });

  test('an ItemSelector that fails on a later item: the redrive runs that item too', async () => {
    const selecting = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', MaxConcurrency: 1, ItemSelector: { 'n.$': '$$.Map.Item.Value.n' }, ItemProcessor: { StartAt: 'T', States: { T: task('t') } }, End: true } },
    });
    const d = new Driver(selecting, [{ n: 0 }, { n: 1 }, { m: 2 }], (t) => ({ output: ((t.input as { in: { n: number } }).in).n }));
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.Runtime');
    // The kept items, mended (as if the data had been what the selector expects): the redrive
    // runs item 2, whose iteration never started.
    (d.snapshot.values['items/0'] as { n?: number; m?: number }[])[2] = { n: 2 };
    d.calls = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(callsTo(d), ['t:{"n":2}']);
    assert.deepEqual(d.snapshot.output, [0, 1, 2]);
  });

  test('an execution stopped while iterations run is redriven with those iterations', async () => {
    let hold = true;
    const d = new Driver(def, [0, 1], (t) => (hold ? 'pending' : { output: ((t.input as { in: { n: number } }).in).n }));
    await d.run({ type: 'start' });
    await d.run({ type: 'stop', error: 'Stopped' });
    assert.equal(d.snapshot.status, 'ABORTED');
    hold = false;
    d.calls = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.snapshot.output, { all: [0, 1] });
    assert.equal(d.calls.length, 2);
  });
});

describe('redrive: a Map inside a Parallel branch', () => {
  test('its items and results move to the new frame; only its failed iteration runs again', async () => {
    const def = compile({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'T', States: { T: task('t') } }, End: true } } },
            { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } },
          ],
        },
      },
    });
    let broken = true;
    const d = new Driver(def, { items: [1, 2, 3] }, (t) => {
      const n = (t.input as { in: number }).in;
      return broken && n === 3 ? { error: 'Boom', cause: 'three' } : { output: -n };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    // The failed branch is kept for a redrive, with its Map's items, results and failed iteration.
    assert.deepEqual(Object.keys(d.snapshot.values), ['stopped/0/0']);
    broken = false;
    d.calls = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(callsTo(d), ['t:3']);
    assert.deepEqual(d.snapshot.output, [[-1, -2, -3], { items: [1, 2, 3] }]);
    assert.deepEqual(d.snapshot.values, {});
  });
});

describe('redrive: distributed Map', () => {
  test('the map run is redriven (MapRunRedriven, its own redriveCount, the same ARN); only the failed items run again', async () => {
    const def = compile({
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: task('t') } }, End: true },
      },
    });
    let broken = true;
    const d = new Driver(def, [1, 2, 3], (t) => {
      const n = (t.input as { in: number }).in;
      return broken && n === 2 ? { error: 'Boom', cause: 'two' } : { output: n * 2 };
    });
    const first = await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.ExceedToleratedFailureThreshold');
    const arn = (first.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    const before = d.calls.length;
    broken = false;
    d.mapRuns = [];
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.snapshot.output, [2, 4, 6]);
    // The items that had succeeded are not run again.
    assert.ok(d.calls.length - before < 3);
    assert.ok(d.calls.slice(before).every((c) => (c.input as { in: number }).in === 2 || (c.input as { in: number }).in === 3));
    const redriven = events.find((e) => e.type === 'MapRunRedriven');
    assert.deepEqual(redriven?.mapRunRedrivenEventDetails, { mapRunArn: arn, redriveCount: 1 });
    assert.ok(!types(events).includes('MapRunStarted'));
    assert.deepEqual(d.mapRuns.map((r) => [r.status, r.mapRunArn === arn, r.redriveCount]), [['RUNNING', true, 1], ['SUCCEEDED', true, 1]]);
  });
});

describe('redrive: Express child workflows', () => {
  test('a failed Express child runs again from its first state (StartExecution), not from where it stopped', async () => {
    const def = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'First', States: { First: task('first', { End: undefined, Next: 'Second' }), Second: task('second') } },
          End: true,
        },
      },
    });
    let broken = true;
    const d = new Driver(def, [1], (t) => {
      const name = (t.input as { name: string }).name;
      return broken && name === 'second' ? { error: 'Boom', cause: 'x' } : { output: name };
    });
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    broken = false;
    d.calls = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.calls.map((c) => (c.input as { name: string }).name), ['first', 'second']);
  });
});

describe('redrive: a map run whose ItemReader failed', () => {
  test('the same map run is redriven and reads its items again', async () => {
    const def = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: task('t') } },
          End: true,
        },
      },
    });
    let readable = false;
    const d = new Driver(def, {}, (t) => ({ output: (t.input as { in: number }).in }), () => (readable ? { content: '[7,8]' } : { error: 'S3.AccessDenied', cause: 'denied' }));
    const first = await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    const arn = (first.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    readable = true;
    const events = await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.snapshot.output, [7, 8]);
    assert.deepEqual(types(events).slice(0, 4), ['ExecutionRedriven', 'MapStateEntered', 'MapStateStarted', 'MapRunRedriven']);
    assert.deepEqual(events[3].mapRunRedrivenEventDetails, { mapRunArn: arn, redriveCount: 1 });
  });
});

describe('redrive: what failed iterations cost', () => {
  test('1,000 tolerated failures keep the Map frame small: each failed iteration is one value, written once', async () => {
    const def = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', MaxConcurrency: 1, ToleratedFailurePercentage: 100, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: task('t') } }, End: true } },
    });
    const env: ExecutionEnv = { now: () => 0, newId: () => 'x', random: () => 0 };
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: Array.from({ length: 2000 }, (_, i) => i), startTime: 0 });
    let r = await step(def, snapshot, { type: 'start' }, env);
    let maxValues = 0;
    let maxFrame = 0;
    while (snapshot.status === 'RUNNING') {
      const t = r.effects.find((e) => e.kind === 'task') as Task;
      const n = (t.input as { in: number }).in;
      r = await step(def, snapshot, n % 2 === 0 ? { type: 'taskSucceeded', effectId: t.id, output: n } : { type: 'taskFailed', effectId: t.id, error: 'Odd', cause: String(n) }, env);
      maxValues = Math.max(maxValues, r.changedValues.length);
      // While the Map runs (once it ends, the frame holds the state's output, as any state's).
      if (snapshot.status === 'RUNNING') maxFrame = Math.max(maxFrame, JSON.stringify(snapshot.frames['0']).length);
    }
    assert.equal(snapshot.status, 'SUCCEEDED');
    assert.ok(maxValues <= 2, `a step wrote ${maxValues} values`);
    assert.ok(maxFrame < 1500, `the Map frame grew to ${maxFrame} bytes`);
  });
});

describe('redrive: the Map Run limit', () => {
  test('a Map Run redriven 1,000 times fails the redrive with States.Runtime', async () => {
    const def = compile({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: task('t') } }, End: true } },
    });
    const d = new Driver(def, [1], () => ({ error: 'Boom', cause: 'always' }));
    await d.run({ type: 'start' });
    const root = d.snapshot.frames['0'];
    assert.equal(root.work?.kind, 'map');
    (root.work as { runRedrives?: number }).runRedrives = 1000;
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.Runtime');
    assert.match(d.snapshot.cause ?? '', /redriven 1000 times/);
  });
});

describe('redriveStatus', () => {
  const def = compile({ StartAt: 'T', States: { T: task('t') } });
  test('the reasons AWS gives (DescribeExecution redriveStatusReason)', async () => {
    const d = new Driver(def, {}, () => 'pending');
    await d.run({ type: 'start' });
    assert.deepEqual(redriveStatus(d.snapshot, d.now), { redrivable: false, reason: 'Execution is RUNNING and cannot be redriven.' });
    await d.run({ type: 'stop' });
    assert.deepEqual(redriveStatus(d.snapshot, d.now), { redrivable: true });
    assert.deepEqual(redriveStatus(d.snapshot, d.now + REDRIVE_PERIOD_MS + 1), { redrivable: false, reason: 'Execution redrivable period exceeded.' });
    assert.deepEqual(redriveStatus(d.snapshot, d.now, { stateMachineDeleting: true }), { redrivable: false, reason: 'State machine is in DELETING status.' });
    assert.deepEqual(redriveStatus({ ...d.snapshot, lastEventId: 24_999 }, d.now), { redrivable: false, reason: 'Execution history event limit exceeded.' });
    const old = { ...d.snapshot, context: { ...d.snapshot.context, Execution: { ...d.snapshot.context.Execution, StartTime: '2023-11-14T23:59:59.000Z' } } };
    assert.deepEqual(redriveStatus(old, d.now), { redrivable: false, reason: 'Execution was started before the launch of RedriveExecution.' });
    const ok = new Driver(def, {}, () => ({ output: 1 }));
    await ok.run({ type: 'start' });
    assert.deepEqual(redriveStatus(ok.snapshot, ok.now), { redrivable: false, reason: 'Execution is SUCCEEDED and cannot be redriven.' });
    // A step ignores a redrive of an execution that succeeded.
    assert.deepEqual(await ok.run({ type: 'redrive' }), []);
  });
});

describe('the context object of a redriven execution', () => {
  const def = compile({
    StartAt: 'T',
    States: {
      T: task('t', { End: undefined, Next: 'Ctx' }),
      Ctx: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution' }, End: true },
    },
  });

  test('RedriveCount is 0 and RedriveTime absent until a redrive; then the count and the redrive\'s time', async () => {
    let fail = true;
    const d = new Driver(def, {}, () => (fail ? { error: 'Boom', cause: 'once' } : { output: 'ok' }));
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.context.Execution.RedriveCount, 0);
    assert.ok(!('RedriveTime' in d.snapshot.context.Execution));
    fail = false;
    d.now = START + 60_000;
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const execution = (d.snapshot.output as { execution: Record<string, Json> }).execution;
    assert.equal(execution.RedriveCount, 1);
    assert.equal(execution.RedriveTime, new Date(START + 60_000).toISOString());
    assert.equal(execution.StartTime, new Date(START).toISOString());
  });

  test('a state that reads $$.Execution.RedriveTime before any redrive fails with States.Runtime (no such field)', async () => {
    const reads = compile({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'at.$': '$$.Execution.RedriveTime' }, End: true } } });
    const d = new Driver(reads, {}, () => 'pending');
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.Runtime');
  });
});

describe('terminate: Step Functions ends an execution from outside', () => {
  test('ExecutionFailed after the last event with the error and cause given; outstanding effects cancelled; redrivable by the interpreter', async () => {
    const def = compile({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: { Type: 'Pass', End: true } } });
    const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: {}, startTime: START });
    const env: ExecutionEnv = { now: () => START, newId: () => 'id', random: () => 0 };
    const started = await step(def, snapshot, { type: 'start' }, env);
    const timer = started.effects.find((e) => e.kind === 'timer')!;
    const ended = await step(def, snapshot, { type: 'terminate', error: 'States.Runtime', cause: 'State machine m has been deleted.' }, env);
    assert.deepEqual(types(ended.events), ['ExecutionFailed']);
    assert.equal(ended.events[0].previousEventId, 2);
    assert.deepEqual(ended.events[0].executionFailedEventDetails, { error: 'States.Runtime', cause: 'State machine m has been deleted.' });
    assert.deepEqual(ended.effects, [{ kind: 'cancel', id: timer.id }]);
    assert.equal(snapshot.status, 'FAILED');
    assert.equal(snapshot.error, 'States.Runtime');
    assert.equal(snapshot.cause, 'State machine m has been deleted.');
    // Ended: a second terminate, or the timer firing late, changes nothing.
    assert.deepEqual((await step(def, snapshot, { type: 'terminate', error: 'X', cause: 'Y' }, env)).events, []);
    assert.deepEqual((await step(def, snapshot, { type: 'timerFired', effectId: timer.id }, env)).events, []);
  });
});
