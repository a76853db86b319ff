import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optimizedFailure, sdkFailure } from './errors.js';
import { functionArn } from './lambda-tasks.js';

test('service errors as the optimized and the aws-sdk integrations write them (recorded forms)', () => {
  assert.deepEqual(optimizedFailure('Lambda', 'AWSLambda', 'ResourceNotFoundException', 'ResourceNotFoundException', 'Function not found: x', 404, 'rid'), {
    type: 'failed',
    error: 'Lambda.ResourceNotFoundException',
    cause: 'Function not found: x (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: rid; Proxy: null)',
  });
  assert.deepEqual(sdkFailure('Sfn', 'InvalidToken', "Invalid Token: 'Invalid token'", 400, 'rid'), {
    type: 'failed',
    error: 'Sfn.InvalidTokenException',
    cause: "Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: rid) (SDK Attempt Count: 1)",
  });
  assert.equal((sdkFailure('Lambda', 'ResourceNotFoundException', 'm', 404, 'r') as { error: string }).error, 'Lambda.ResourceNotFoundException');
});

test('function ARNs from Invoke’s FunctionName: a name, a name with Qualifier, a partial and a full ARN', () => {
  assert.equal(functionArn('f', undefined, 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:123456789012:function:f');
  assert.equal(functionArn('f', 'live', 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:123456789012:function:f:live');
  assert.equal(functionArn('111111111111:function:g', undefined, 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:111111111111:function:g');
  assert.equal(functionArn('arn:aws:lambda:us-east-1:1:function:h:2', 'ignored', 'eu-west-1', '123456789012'), 'arn:aws:lambda:us-east-1:1:function:h:2');
});

// ---------------------------------------------------------------- activity tasks

import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../server/log.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { ExecutionControl, TaskCall } from '../engine/task-port.js';
import { executionMigrations } from '../repository/execution-migrations.js';
import { TaskBook } from './task-book.js';
import { taskMigrations } from './migrations.js';
import { taskWaits } from './task-waits.js';
import type { TaskDeps } from './deps.js';

const ACTIVITY = 'arn:aws:states:us-east-1:000000000000:activity:work';

async function book(
  outstanding = true,
): Promise<{ book: TaskBook; fed: Array<{ effectId: string; outcome: unknown }>; awaited: Array<{ executionArn: string; waiter: unknown }>; store: SqliteStore }> {
  const store = new SqliteStore({ filename: ':memory:' });
  await store.migrate([...executionMigrations, ...taskMigrations]);
  // The book's poll timers do not keep a process alive (unref): this test's process is kept alive while the store is open.
  const alive = setInterval(() => undefined, 1000);
  const close = store.close.bind(store);
  store.close = async () => {
    clearInterval(alive);
    await close();
  };
  const fed: Array<{ effectId: string; outcome: unknown }> = [];
  const awaited: Array<{ executionArn: string; waiter: unknown }> = [];
  const control = {
    taskOutcome: async (_arn: string, effectId: string, outcome: unknown) => void fed.push({ effectId, outcome }),
    isTaskOutstanding: async () => outstanding,
    startExecution: async () => assert.fail('not used'),
    awaitEnd: async (executionArn: string, waiter: unknown) => void awaited.push({ executionArn, waiter }),
  } as unknown as ExecutionControl;
  const deps = { runtime: { store, clock: systemClock, log: silentLogger }, control: () => control } as unknown as TaskDeps;
  return { book: new TaskBook(deps), fed, awaited, store };
}

function activityCall(effectId: string): TaskCall {
  return {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:run',
    account: '000000000000',
    region: 'us-east-1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
    roleArn: 'arn:aws:iam::000000000000:role/r',
    express: false,
    effect: { kind: 'task', id: effectId, resource: ACTIVITY, resourceType: 'activity', resourceName: ACTIVITY, input: { job: effectId }, stateName: 'A', taskToken: null, timeoutSeconds: null, heartbeatSeconds: null, credentials: null },
  };
}

test('an activity task is pending at once; the worker taking it feeds `started` with its name, its answer goes to the engine', async () => {
  const { book: b, fed, store } = await book();
  try {
    assert.deepEqual(await b.runActivity(activityCall('e1')), { type: 'pending' });
    // A task job run again finds the same row: still one task for workers.
    assert.deepEqual(await b.runActivity(activityCall('e1')), { type: 'pending' });
    const task = await b.takeActivityTask(ACTIVITY, 'w', 1000);
    assert.deepEqual(JSON.parse(task!.input!), { job: 'e1' });
    assert.deepEqual(fed, [{ effectId: 'e1', outcome: { type: 'started', workerName: 'w' } }]);
    assert.equal(await b.takeActivityTask(ACTIVITY, 'w2', 20), undefined);
    await b.answer(task!.token, { type: 'succeeded', output: 'ok' });
    assert.deepEqual(fed[1], { effectId: 'e1', outcome: { type: 'succeeded', output: 'ok' } });
    await assert.rejects(b.answer(task!.token, { type: 'succeeded', output: 'again' }), (e: Error & { code?: string }) => e.code === 'TaskTimedOut');
  } finally {
    await b.stop();
    await store.close();
  }
});

test('an activity task its execution no longer waits for is closed, not given to a worker', async () => {
  const { book: b, fed, store } = await book(false);
  try {
    await b.runActivity(activityCall('e2'));
    assert.equal(await b.takeActivityTask(ACTIVITY, 'w', 30), undefined);
    assert.deepEqual(fed, []);
  } finally {
    await b.stop();
    await store.close();
  }
});

test('stopping answers waiting pollers', async () => {
  const { book: b, store } = await book();
  try {
    const poll = b.takeActivityTask(ACTIVITY, 'w', 60_000);
    await new Promise((r) => setTimeout(r, 10));
    await b.stop();
    assert.equal(await poll, undefined);
  } finally {
    await store.close();
  }
});

test('a `.sync` wait an older Stratus recorded goes to its child as a waiter once, and is closed', async () => {
  const { book: b, awaited, store } = await book();
  try {
    const child = 'arn:aws:states:us-east-1:000000000000:execution:child:c1';
    const parent = 'arn:aws:states:us-east-1:000000000000:execution:m:run';
    await store.write((tx) =>
      taskWaits.register(tx, {
        token: 'legacy', executionArn: parent, effectId: 'e7', kind: 'sync', accountId: '000000000000', region: 'us-east-1', childArn: child,
        input: JSON.stringify({ mode: 'sync:2', input: '{}', startDate: 1, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:child' }), createdAt: 1,
      }),
    );
    await b.resume();
    assert.deepEqual(awaited, [{ executionArn: child, waiter: { executionArn: parent, effectId: 'e7', mode: 'sync:2', stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:child' } }]);
    assert.notEqual((await taskWaits.byToken(store, 'legacy'))?.closedAt, undefined);
    await b.resume();
    assert.equal(awaited.length, 1);
  } finally {
    await b.stop();
    await store.close();
  }
});
