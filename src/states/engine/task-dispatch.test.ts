import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeInput, runTask, terminalError } from './task-dispatch.js';
import type { TaskCall } from './task-port.js';

const call: TaskCall = {
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
  account: '000000000000',
  region: 'us-east-1',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
  roleArn: 'arn:aws:iam::000000000000:role/r',
  express: false,
  effect: {
    kind: 'task',
    id: '7',
    resource: 'arn:aws:states:::sqs:sendMessage',
    resourceType: 'sqs',
    resourceName: 'sendMessage',
    input: { QueueUrl: 'q' },
    stateName: 'Send',
    taskToken: null,
    timeoutSeconds: null,
    heartbeatSeconds: null,
    credentials: null,
  },
};

test('with no task runner registered, a task fails with States.TaskFailed naming what is missing', async () => {
  const outcome = await runTask(undefined, call);
  assert.equal(outcome.type, 'failed');
  assert.equal(outcome.type === 'failed' && outcome.error, 'States.TaskFailed');
  assert.match(outcome.type === 'failed' ? outcome.cause! : '', /arn:aws:states:::sqs:sendMessage of state Send: no task integrations/);
});

test('a registered runner is asked', async () => {
  const outcome = await runTask({ run: async (c) => ({ type: 'succeeded', output: c.effect.input }) }, call);
  assert.deepEqual(outcome, { type: 'succeeded', output: { QueueUrl: 'q' } });
});

test('outcomes become interpreter inputs; a failure without error or cause leaves them out', () => {
  assert.deepEqual(outcomeInput('3', { type: 'succeeded', output: 1 }), { type: 'taskSucceeded', effectId: '3', output: 1 });
  assert.deepEqual(outcomeInput('3', { type: 'submitted', output: {} }), { type: 'taskSubmitted', effectId: '3', output: {} });
  assert.deepEqual(outcomeInput('3', { type: 'heartbeat' }), { type: 'taskHeartbeat', effectId: '3' });
  assert.deepEqual(outcomeInput('3', { type: 'failed' }), { type: 'taskFailed', effectId: '3' });
  assert.deepEqual(outcomeInput('3', { type: 'failed', error: 'E', cause: 'C' }), { type: 'taskFailed', effectId: '3', error: 'E', cause: 'C' });
});

test('the error and cause of an ended execution come from its terminal event', () => {
  assert.deepEqual(terminalError([{ type: 'PassStateEntered' }, { type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'E', cause: 'C' } }]), { error: 'E', cause: 'C' });
  assert.deepEqual(terminalError([{ type: 'ExecutionAborted', executionAbortedEventDetails: {} }]), {});
  assert.deepEqual(terminalError([{ type: 'ExecutionSucceeded' }]), {});
});
