import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExecution, step, type HistoryKept } from './interpreter.js';
import type { HistoryEvent } from './history.js';
import type { ExecutionEnv, ExecutionSnapshot } from './snapshot.js';
import { compile } from './test-driver.js';

const env: ExecutionEnv = { now: () => Date.parse('2025-01-01T00:00:00Z'), newId: () => 'id', random: () => 0 };

async function run(definition: object, input: unknown, history: HistoryKept): Promise<{ snapshot: ExecutionSnapshot; events: HistoryEvent[] }> {
  const def = compile(definition);
  const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:1:express:m:e:id', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: input as never, startTime: 0 });
  const r = await step(def, snapshot, { type: 'start' }, env, { history });
  return { snapshot, events: r.events };
}

const machine = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)', 'list.$': '$.list' }, Assign: { seen: 1 }, Next: 'M' },
    M: { Type: 'Map', ItemsPath: '$.list', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, ResultPath: '$.list', Next: 'C' },
    C: { Type: 'Choice', Choices: [{ Variable: '$.doubled', NumericEquals: 4, Next: 'F' }], Default: 'Done' },
    F: { Type: 'Fail', Error: 'Four', CausePath: "States.Format('entered at {}', $.doubled)" },
    Done: { Type: 'Succeed' },
  },
};

test('a step that keeps only the end writes the same outcome, counts the same event ids, and builds no other event', async () => {
  // One execution that fails in a Fail state (cause from the input), one that succeeds.
  for (const [input, status] of [[{ n: 2, list: [1, 2] }, 'FAILED'], [{ n: 3, list: [1] }, 'SUCCEEDED']] as const) {
    const full = await run(machine, input, 'full');
    const end = await run(machine, input, 'end');
    assert.deepEqual(
      [end.snapshot.status, end.snapshot.output, end.snapshot.error, end.snapshot.cause, end.snapshot.lastEventId],
      [full.snapshot.status, full.snapshot.output, full.snapshot.error, full.snapshot.cause, full.snapshot.lastEventId],
    );
    assert.equal(full.snapshot.status, status);
    assert.ok(full.events.length > 10);
    assert.deepEqual(end.events, full.events.slice(-1));
  }
});

test('a cause citing the event id a state was entered at reads the same without the history', async () => {
  const failing = { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'T' }, T: { Type: 'Pass', OutputPath: '$.missing', End: true } } };
  const full = await run(failing, {}, 'full');
  const end = await run(failing, {}, 'end');
  assert.equal(full.snapshot.error, 'States.Runtime');
  assert.match(full.snapshot.cause ?? '', /entered at the event id #4/);
  assert.equal(end.snapshot.cause, full.snapshot.cause);
});

test('without data: every event, the states’ entered / exited ones with the name (and assigned variables) but no input or output', async () => {
  const input = { n: 1, list: [5] };
  const full = await run(machine, input, 'full');
  const bare = await run(machine, input, 'withoutData');
  assert.deepEqual(bare.events.map((e) => [e.type, e.id, e.previousEventId]), full.events.map((e) => [e.type, e.id, e.previousEventId]));
  const entered = bare.events.find((e) => e.type === 'PassStateEntered')!;
  assert.deepEqual(entered.stateEnteredEventDetails, { name: 'A' });
  const exited = bare.events.find((e) => e.type === 'PassStateExited')!;
  assert.deepEqual(exited.stateExitedEventDetails, { name: 'A', assignedVariables: { seen: '1' }, assignedVariablesDetails: { truncated: false } });
  assert.deepEqual(bare.events.at(-1), full.events.at(-1));
});

test('the 256 KiB limit on a state’s output holds whether or not the history is kept', async () => {
  const big = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } } };
  for (const [s, status] of [['é'.repeat(70_000), 'FAILED'], ['x'.repeat(120_000), 'SUCCEEDED']] as const) {
    const full = await run(big, { s }, 'full');
    const end = await run(big, { s }, 'end');
    assert.equal(full.snapshot.status, status);
    assert.deepEqual([end.snapshot.status, end.snapshot.error, end.snapshot.cause], [full.snapshot.status, full.snapshot.error, full.snapshot.cause]);
  }
});
