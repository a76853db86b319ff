import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from './test-driver.js';
import { createExecution, step } from './interpreter.js';
import type { Json, JsonObject } from './json.js';
import type { HistoryEvent } from './history.js';
import type { ChildExecutionReport, Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, MapRunReport } from './snapshot.js';
import type { StateMachineDefinition } from './model.js';

type Task = Extract<Effect, { kind: 'task' }>;
type Answer = { output: Json } | { error: string; cause: string } | 'pending';

const ACCOUNT = '123456789012';
const MACHINE = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:m`;
const START = Date.parse('2025-01-01T00:00:00Z');
const types = (events: HistoryEvent[]) => events.map((e) => e.type);

/**
 * Runs an execution as the durable engine does: one transition a step, the snapshot through JSON
 * between steps; collects the parent's history, each child's history and the reports.
 */
class Driver {
  now = START;
  snapshot: ExecutionSnapshot;
  events: HistoryEvent[] = [];
  children = new Map<string, HistoryEvent[]>();
  reports: ChildExecutionReport[] = [];
  mapRuns: MapRunReport[] = [];
  tasks: Task[] = [];
  private ids = 0;
  readonly env: ExecutionEnv = { now: () => this.now, newId: () => `id-${++this.ids}`, random: () => 0 };

  constructor(
    readonly def: StateMachineDefinition,
    input: Json,
    public answer: (task: Task) => Answer = (t) => ({ output: t.input }),
  ) {
    this.snapshot = createExecution(def, { executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:m:e`, name: 'e', stateMachineArn: MACHINE, stateMachineName: 'm', roleArn: 'role', input, startTime: START });
  }

  async run(first: ExecutionInput): Promise<void> {
    const queue: ExecutionInput[] = [first];
    while (queue.length > 0) {
      this.snapshot = JSON.parse(JSON.stringify(this.snapshot)) as ExecutionSnapshot;
      const r = await step(this.def, this.snapshot, queue.shift()!, this.env, { maxTransitions: 1 });
      this.events.push(...r.events);
      for (const { executionArn, events } of r.childEvents) {
        const list = this.children.get(executionArn) ?? [];
        list.push(...events);
        this.children.set(executionArn, list);
      }
      for (const e of r.effects) {
        if (e.kind === 'childExecution') this.reports.push(e);
        else if (e.kind === 'mapRun') this.mapRuns.push(e);
        else if (e.kind === 'timer' && this.snapshot.waits[e.id]?.purpose !== 'executionTimeout') queue.push({ type: 'timerFired', effectId: e.id });
        else if (e.kind === 'task') {
          this.tasks.push(e);
          const a = this.answer(e);
          if (a !== 'pending') queue.push('output' in a ? { type: 'taskSucceeded', effectId: e.id, output: a.output } : { type: 'taskFailed', effectId: e.id, ...a });
        }
      }
      if (this.snapshot.status === 'RUNNING' && this.snapshot.ready.length > 0) queue.push({ type: 'continue' });
    }
  }

  /** The last report of each child, by ARN. */
  lastReports(): Map<string, ChildExecutionReport> {
    return new Map(this.reports.map((r) => [r.executionArn, r]));
  }
}

const distributed = (type: 'STANDARD' | 'EXPRESS', states: JsonObject, extra: JsonObject = {}) => ({
  StartAt: 'M',
  States: {
    M: { Type: 'Map', Label: 'Fan', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: type }, StartAt: Object.keys(states)[0], States: states }, End: true, ...extra },
  },
});
const task = (extra: JsonObject = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'v.$': '$' }, End: true, ...extra });
const failOnTwo = (t: Task): Answer => ((t.input as { v: number }).v === 2 ? { error: 'Boom', cause: 'two' } : { output: (t.input as { v: number }).v * 10 });

describe('distributed Map: each iteration is a child workflow execution', () => {
  test('a Standard child has an ARN of the labeled machine, its own history from id 1, and start and end reports', async () => {
    const d = new Driver(compile(distributed('STANDARD', { P: { Type: 'Pass', Result: 'done', End: true } })), [{ n: 1 }, { n: 2 }]);
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const ended = [...d.lastReports().values()];
    assert.equal(ended.length, 2);
    for (const r of ended) {
      assert.match(r.executionArn, new RegExp(`^arn:aws:states:us-east-1:${ACCOUNT}:execution:m/Fan:${r.name}$`));
      assert.equal(r.status, 'SUCCEEDED');
      assert.equal(r.output, '"done"');
      assert.equal(r.mapStateName, 'M');
      assert.equal(r.itemCount, 1);
      assert.ok(r.mapRunArn.startsWith(`arn:aws:states:us-east-1:${ACCOUNT}:mapRun:m/Fan:`));
      const history = d.children.get(r.executionArn)!;
      assert.deepEqual(types(history), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      assert.deepEqual(history.map((e) => [e.id, e.previousEventId]), [[1, 0], [2, 1], [3, 2], [4, 3]]);
      assert.deepEqual(history[0].executionStartedEventDetails, { input: r.input, inputDetails: { truncated: false }, roleArn: 'role' });
      assert.deepEqual(history[3].executionSucceededEventDetails, { output: '"done"', outputDetails: { truncated: false } });
    }
    assert.deepEqual(ended.map((r) => JSON.parse(r.input) as Json), [{ n: 1 }, { n: 2 }]);
    // Each child reported once running, once ended.
    assert.deepEqual(d.reports.map((r) => r.status), ['RUNNING', 'RUNNING', 'SUCCEEDED', 'SUCCEEDED']);
    // The parent's history has none of the children's events.
    assert.deepEqual(types(d.events), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });

  test('a child that fails under ToleratedFailureCount ends with ExecutionFailed and its error; the run goes on', async () => {
    const d = new Driver(compile(distributed('STANDARD', { T: task() }, { ToleratedFailureCount: 1 })), [1, 2, 3], failOnTwo);
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.snapshot.output, [10, null, 30]);
    const failed = [...d.lastReports().values()].filter((r) => r.status === 'FAILED');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].error, 'Boom');
    assert.equal(failed[0].cause, 'two');
    assert.equal(failed[0].output, undefined);
    assert.deepEqual(types(d.children.get(failed[0].executionArn)!), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'ExecutionFailed']);
    assert.deepEqual(d.children.get(failed[0].executionArn)!.at(-1)!.executionFailedEventDetails, { error: 'Boom', cause: 'two' });
    assert.deepEqual(d.mapRuns.at(-1)!.itemCounts, { total: 3, succeeded: 2, failed: 1, running: 0, pending: 0 });
  });

  test('Express children have ARNs of the express form and no history; their ends are reported', async () => {
    const d = new Driver(compile(distributed('EXPRESS', { P: { Type: 'Pass', End: true } })), [1, 2]);
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const ended = [...d.lastReports().values()];
    assert.equal(ended.length, 2);
    for (const r of ended) {
      assert.match(r.executionArn, new RegExp(`^arn:aws:states:us-east-1:${ACCOUNT}:express:m/Fan:${r.name}:id-\\d+$`));
      assert.equal(r.express, true);
      assert.equal(r.status, 'SUCCEEDED');
    }
    assert.equal(d.children.size, 0);
  });

  test('inside a child, $$.Execution and $$.StateMachine are the child\'s own; an inline Map\'s events go to the child\'s history', async () => {
    const d = new Driver(
      compile(
        distributed('STANDARD', {
          Ctx: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution', 'machine.$': '$$.StateMachine' }, Next: 'Inner' },
          Inner: { Type: 'Map', ItemsPath: '$.execution.Input.list', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, ResultPath: null, End: true },
        }),
      ),
      [{ list: [7] }],
    );
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const [child] = [...d.lastReports().values()];
    const out = JSON.parse(child.output!) as { execution: JsonObject; machine: JsonObject };
    assert.deepEqual(out.execution, { Id: child.executionArn, Input: { list: [7] }, StartTime: '2025-01-01T00:00:00.000Z', Name: child.name, RoleArn: 'role', RedriveCount: 0 });
    assert.deepEqual(out.machine, { Id: `${MACHINE}/Fan`, Name: 'm/Fan' });
    assert.deepEqual(types(d.children.get(child.executionArn)!), [
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'PassStateEntered', 'PassStateExited',
      'MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
  });

  test('an ItemBatcher child counts the items of its batch', async () => {
    const d = new Driver(compile(distributed('STANDARD', { P: { Type: 'Pass', End: true } }, { ItemBatcher: { MaxItemsPerBatch: 2 } })), [1, 2, 3]);
    await d.run({ type: 'start' });
    assert.deepEqual([...d.lastReports().values()].map((r) => r.itemCount), [2, 1]);
  });

  test('States.Runtime inside a child fails that child, not its parent', async () => {
    const d = new Driver(compile(distributed('STANDARD', { P: { Type: 'Pass', InputPath: '$.missing', End: true } }, { ToleratedFailureCount: 1 })), [{ missing: 1 }, {}]);
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const failed = [...d.lastReports().values()].find((r) => r.status === 'FAILED')!;
    assert.equal(failed.error, 'States.Runtime');
    assert.deepEqual(types(d.children.get(failed.executionArn)!), ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
  });

  test('a map run over its tolerated failures aborts its running children: ExecutionAborted in their histories', async () => {
    const d = new Driver(compile(distributed('STANDARD', { T: task() })), [1, 2, 3], (t) => ((t.input as { v: number }).v === 1 ? { error: 'Boom', cause: 'one' } : 'pending'));
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.ExceedToleratedFailureThreshold');
    const last = [...d.lastReports().values()];
    assert.deepEqual(last.map((r) => r.status).sort(), ['ABORTED', 'ABORTED', 'FAILED']);
    for (const r of last.filter((x) => x.status === 'ABORTED')) {
      const history = d.children.get(r.executionArn)!;
      assert.deepEqual(types(history).slice(-2), ['TaskStarted', 'ExecutionAborted']);
      assert.equal(history.at(-1)!.previousEventId, 0);
    }
    assert.deepEqual(d.mapRuns.at(-1)!.itemCounts, { total: 3, succeeded: 0, failed: 1, running: 0, pending: 0, aborted: 2 });
  });
});

describe('child workflow executions in nested states', () => {
  test('a distributed Map in a Parallel branch that is aborted aborts its running children and its map run', async () => {
    const def = compile({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            distributed('STANDARD', { T: task() }),
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'sibling' } } },
          ],
          End: true,
        },
      },
    });
    const d = new Driver(def, [1, 2], () => 'pending');
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'Boom');
    assert.deepEqual([...d.lastReports().values()].map((r) => r.status), ['ABORTED', 'ABORTED']);
    assert.deepEqual([d.mapRuns.at(-1)!.status, d.mapRuns.at(-1)!.itemCounts.aborted], ['ABORTED', 2]);
    for (const history of d.children.values()) assert.equal(history.at(-1)!.type, 'ExecutionAborted');
  });

  test('a distributed Map inside a child: its run is the child\'s, its children have histories of their own; a stop of the parent aborts them all', async () => {
    const inner = { Type: 'Map', Label: 'In', ItemsPath: '$.list', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: task() } }, End: true };
    const d = new Driver(compile({ StartAt: 'M', States: { M: { Type: 'Map', Label: 'Out', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: inner } }, End: true } } }), [{ list: [1, 2] }], () => 'pending');
    await d.run({ type: 'start' });
    const outer = [...d.lastReports().values()].find((r) => r.executionArn.includes(':execution:m/Out:'))!;
    const innerRun = d.mapRuns.find((r) => r.mapRunArn.includes(':mapRun:m/In:'))!;
    assert.equal(innerRun.executionArn, outer.executionArn);
    assert.deepEqual(types(d.children.get(outer.executionArn)!), ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted']);
    const grandchildren = [...d.lastReports().values()].filter((r) => r.executionArn.includes(':execution:m/In:'));
    assert.equal(grandchildren.length, 2);
    for (const g of grandchildren) assert.deepEqual(types(d.children.get(g.executionArn)!), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted']);
    await d.run({ type: 'stop' });
    assert.ok([...d.lastReports().values()].every((r) => r.status === 'ABORTED'));
    assert.equal(d.lastReports().size, 3);
    assert.deepEqual(d.mapRuns.filter((r) => r.status === 'ABORTED').map((r) => r.mapRunArn.split(':')[6]).sort(), ['m/In', 'm/Out']);
  });
});

describe('StopExecution of a child workflow execution', () => {
  test('the child is aborted with the error and cause given; under its tolerance the run goes on; an ended child changes nothing', async () => {
    const d = new Driver(compile(distributed('STANDARD', { T: task() }, { ToleratedFailureCount: 1 })), [1, 2], (t) => ((t.input as { v: number }).v === 1 ? 'pending' : { output: 20 }));
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'RUNNING');
    const running = [...d.lastReports().values()].find((r) => r.status === 'RUNNING')!;
    const done = [...d.lastReports().values()].find((r) => r.status === 'SUCCEEDED')!;
    const reports = d.reports.length;
    await d.run({ type: 'stopChild', executionArn: done.executionArn });
    await d.run({ type: 'stopChild', executionArn: `${running.executionArn}-unknown` });
    assert.equal(d.reports.length, reports);
    await d.run({ type: 'stopChild', executionArn: running.executionArn, error: 'Halt', cause: 'by hand' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    assert.deepEqual(d.snapshot.output, [null, 20]);
    const stopped = d.lastReports().get(running.executionArn)!;
    assert.equal(stopped.status, 'ABORTED');
    assert.deepEqual([stopped.error, stopped.cause], ['Halt', 'by hand']);
    assert.deepEqual(d.children.get(running.executionArn)!.at(-1)!.executionAbortedEventDetails, { error: 'Halt', cause: 'by hand' });
    // Reported as aborted, not failed.
    assert.deepEqual(d.mapRuns.at(-1)!.itemCounts, { total: 2, succeeded: 1, failed: 0, running: 0, pending: 0, aborted: 1 });
    // No task is left waiting for the stopped child.
    assert.deepEqual(d.snapshot.waits, {});
  });

  test('a parent that stops aborts its running children and its map run', async () => {
    const d = new Driver(compile(distributed('STANDARD', { T: task() })), [1, 2], () => 'pending');
    await d.run({ type: 'start' });
    await d.run({ type: 'stop' });
    assert.equal(d.snapshot.status, 'ABORTED');
    assert.deepEqual([...d.lastReports().values()].map((r) => r.status), ['ABORTED', 'ABORTED']);
    assert.equal(d.mapRuns.at(-1)!.status, 'ABORTED');
  });
});

describe('redrive: a map run\'s child workflow executions', () => {
  test('a Standard child that failed is redriven with its ARN: ExecutionRedriven in its history; the succeeded one is not run again', async () => {
    let broken = true;
    const d = new Driver(compile(distributed('STANDARD', { T: task() })), [1, 2], (t) => (broken ? failOnTwo(t) : { output: t.input }));
    await d.run({ type: 'start' });
    assert.equal(d.snapshot.status, 'FAILED');
    const before = d.lastReports();
    const failed = [...before.values()].find((r) => r.status === 'FAILED')!;
    const succeeded = [...before.values()].find((r) => r.status === 'SUCCEEDED')!;
    const historyBefore = d.children.get(failed.executionArn)!.length;
    broken = false;
    d.reports = [];
    d.now += 60_000;
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    // Only the failed child ran again, under its ARN; the one that succeeded was not reported again.
    assert.deepEqual([...new Set(d.reports.map((r) => r.executionArn))], [failed.executionArn]);
    const again = d.lastReports().get(failed.executionArn)!;
    assert.deepEqual([again.status, again.redriveCount, again.redriveTime], ['SUCCEEDED', 1, START + 60_000]);
    assert.equal(d.reports[0].status, 'RUNNING');
    assert.ok(!d.reports.some((r) => r.executionArn === succeeded.executionArn));
    const history = d.children.get(failed.executionArn)!;
    const redriven = history[historyBefore];
    assert.equal(redriven.type, 'ExecutionRedriven');
    assert.deepEqual(redriven.executionRedrivenEventDetails, { redriveCount: 1 });
    assert.equal(redriven.id, historyBefore + 1);
    assert.equal(redriven.previousEventId, historyBefore);
    assert.deepEqual(types(history.slice(historyBefore)), ['ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.equal(history[historyBefore + 1].previousEventId, redriven.id);
  });

  test('inside a redriven child, $$.Execution.RedriveCount is 1 and RedriveTime is when it was redriven', async () => {
    const def = compile(distributed('STANDARD', { T: task({ Parameters: { 'v.$': '$', 'count.$': '$$.Execution.RedriveCount', 'time.$': '$$.Execution.RedriveTime' } }) }));
    const d = new Driver(def, [2]);
    await d.run({ type: 'start' });
    // Before a redrive there is no RedriveTime: the path fails the child (States.Runtime), and with it the map run.
    assert.equal(d.snapshot.status, 'FAILED');
    assert.equal(d.snapshot.error, 'States.ExceedToleratedFailureThreshold');
    assert.equal([...d.lastReports().values()][0].error, 'States.Runtime');
    d.now += 1000;
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const redriven = new Date(START + 1000).toISOString();
    assert.deepEqual(d.snapshot.output, [{ v: 2, count: 1, time: redriven }]);
    // The parent's own context has RedriveTime too once redriven.
    assert.equal(d.snapshot.context.Execution.RedriveTime, redriven);
  });

  test('an Express child that failed is run again as a new execution (a new ARN); the failed one stays FAILED', async () => {
    let broken = true;
    const d = new Driver(compile(distributed('EXPRESS', { T: task() })), [2], (t) => (broken ? failOnTwo(t) : { output: 1 }));
    await d.run({ type: 'start' });
    const [first] = [...d.lastReports().values()];
    assert.equal(first.status, 'FAILED');
    broken = false;
    d.reports = [];
    await d.run({ type: 'redrive' });
    assert.equal(d.snapshot.status, 'SUCCEEDED');
    const [second] = [...d.lastReports().values()];
    assert.notEqual(second.executionArn, first.executionArn);
    assert.deepEqual([second.status, second.redriveCount], ['SUCCEEDED', 0]);
    assert.ok(!d.reports.some((r) => r.executionArn === first.executionArn));
  });
});
