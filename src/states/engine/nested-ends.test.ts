import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lostExpressChild, nestedOutcome, waiterInput } from './nested-ends.js';

const CHILD = 'arn:aws:states:us-east-1:000000000000:execution:child:run-1';
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:child';
const ended = { arn: CHILD, input: '{"n":1}', startDate: 1000, stopDate: 2000 };

test('.sync writes the nested execution’s input and output as JSON text, .sync:2 as JSON', () => {
  const sync = nestedOutcome({ ...ended, status: 'SUCCEEDED', output: '{"r":2}' }, { mode: 'sync', stateMachineArn: MACHINE });
  assert.equal(sync.type, 'succeeded');
  const out = (sync as { output: Record<string, unknown> }).output;
  assert.equal(out.Input, '{"n":1}');
  assert.equal(out.Output, '{"r":2}');
  assert.equal(out.Name, 'run-1');
  assert.equal(out.Status, 'SUCCEEDED');
  assert.equal(out.StartDate, 1000);
  assert.equal(out.StopDate, 2000);
  assert.equal(out.StateMachineArn, MACHINE);
  assert.equal(out.RedriveCount, 0);
  const sync2 = nestedOutcome({ ...ended, status: 'SUCCEEDED', output: '{"r":2}', redriveCount: 1 }, { mode: 'sync:2', stateMachineArn: MACHINE });
  assert.deepEqual((sync2 as { output: Record<string, unknown> }).output.Output, { r: 2 });
  assert.deepEqual((sync2 as { output: Record<string, unknown> }).output.Input, { n: 1 });
  assert.equal((sync2 as { output: Record<string, unknown> }).output.RedriveCount, 1);
});

test('a nested execution that did not succeed fails the task with States.TaskFailed and its description', () => {
  const failed = nestedOutcome({ ...ended, status: 'FAILED', error: 'E', cause: 'C' }, { mode: 'sync', stateMachineArn: MACHINE });
  assert.equal(failed.type, 'failed');
  const { error, cause } = failed as { error: string; cause: string };
  assert.equal(error, 'States.TaskFailed');
  const described = JSON.parse(cause) as Record<string, unknown>;
  assert.equal(described.Status, 'FAILED');
  assert.equal(described.Error, 'E');
  assert.equal(described.Cause, 'C');
  assert.equal(described.Output, undefined);
});

test('the waiter’s input names its Task’s effect; a lost Express child fails it as aborted', () => {
  const waiter = { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:parent:p', effectId: 'e4', mode: 'sync:2' as const, stateMachineArn: MACHINE };
  const succeeded = waiterInput({ ...ended, status: 'SUCCEEDED', output: '1' }, waiter);
  assert.equal(succeeded.type, 'taskSucceeded');
  assert.equal((succeeded as { effectId: string }).effectId, 'e4');
  assert.equal((succeeded as unknown as { output: { Output: number } }).output.Output, 1);
  const lost = waiterInput(lostExpressChild(CHILD, '{}', 1000, 3000), waiter);
  assert.equal(lost.type, 'taskFailed');
  const described = JSON.parse((lost as { cause: string }).cause) as Record<string, unknown>;
  assert.equal(described.Status, 'ABORTED');
  assert.equal(described.Error, 'States.Runtime');
  assert.equal(described.StopDate, 3000);
});
