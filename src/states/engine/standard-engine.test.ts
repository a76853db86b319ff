/**
 * The durable engine on its own (no server): a store, delivery machines and Executions.
 *
 * Two engines over one store stand for two nodes sharing a database: both lease the timer jobs of
 * one execution and advance it; the execution row's seq lets only one step commit over a given
 * state (the other reloads and applies its input again), so the history stays one chain with
 * every event once.
 */
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { systemClock } from '../../core/clock.js';
import { DeliveryMachine } from '../../delivery/index.js';
import { InvokerRegistry } from '../../invoke/index.js';
import { silentLogger } from '../../server/log.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { executionMigrations } from '../repository/execution-migrations.js';
import { machineDeletionMigrations } from './machine-deletion-migrations.js';
import { executions } from '../repository/execution-records.js';
import { statesMigrations } from '../repository/migrations.js';
import { machines } from '../repository/records.js';
import { Executions } from './executions.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const store = new SqliteStore({ filename: ':memory:' });
const nodes: { delivery: DeliveryMachine; engine: Executions }[] = [];
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:engine-test:*`;
// A test's nodes stop with it: one left running leases the jobs of the next test's executions
// (the `.sync` test found its child ended by a node of the test before).
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.delivery.stop();
});
after(() => store.close());

/**
 * A node: its own delivery machine and engine; the history events it logged (each committed step
 * is logged by the node that committed it) and the executions whose end it committed.
 */
async function node(owner: string) {
  const delivery = new DeliveryMachine({ store, owner });
  const invokers = new InvokerRegistry();
  const logged: number[] = [];
  invokers.register({
    service: 'logs',
    resourceType: 'log-group',
    async invoke(_target, request) {
      for (const e of request.parameters!.logEvents as { message: string }[]) logged.push(Number(JSON.parse(e.message).id));
      return {};
    },
  });
  const ended: string[] = [];
  const engine = new Executions({ store, delivery, clock: systemClock, log: silentLogger, invokers, timeScale: 0.01, onEnded: (arn) => ended.push(arn) });
  engine.register();
  await delivery.start();
  nodes.push({ delivery, engine });
  return { delivery, engine, logged, ended };
}

async function createMachine(name: string, definition: object): Promise<string> {
  const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
  const now = Date.now();
  await store.write((tx) =>
    machines.insert(tx, {
      arn, accountId: ACCOUNT, region: REGION, name, type: 'STANDARD', definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } }] }, tracingConfiguration: { enabled: false }, revision: 1,
      createdPublished: false, tags: [], creationDate: now, updateDate: now, nextVersion: 1,
    }),
  );
  return arn;
}

test('two engines over one store advance one execution without losing or doubling a step', async () => {
  await store.migrate(new DeliveryMachine({ store }).migrations);
  await store.migrate([...statesMigrations, ...executionMigrations, ...machineDeletionMigrations]);
  const a = await node('node-a');
  const b = await node('node-b');
  const arn = await createMachine('shared', {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  });
  const items = Array.from({ length: 120 }, (_, i) => i);
  const { executionArn } = await a.engine.startExecution({ stateMachineArn: arn, input: JSON.stringify({ items }), account: ACCOUNT, region: REGION });
  // Node B learns of jobs another node added when it looks; make it look often, as a busy node would.
  const poke = setInterval(() => {
    b.delivery.wake();
    a.delivery.wake();
  }, 2);
  // Either node may commit the last step: watch the store (a node's listeners hear only of its own commits).
  let record;
  try {
    for (let i = 0; ; i++) {
      record = await executions.get(store, executionArn);
      if (record?.status !== 'RUNNING') break;
      assert.ok(i < 4000, 'not finished in 20 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    clearInterval(poke);
  }
  assert.equal(record?.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(record.output!), items);
  const last = await executions.lastEventId(store, executionArn);
  const events = await executions.events(store, executionArn, 1, last);
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  const count = (type: string) => events.filter((e) => e.type === type).length;
  assert.equal(count('ExecutionSucceeded'), 1);
  assert.equal(count('MapIterationStarted'), 120);
  assert.equal(count('MapIterationSucceeded'), 120);
  assert.equal(count('WaitStateExited'), 120);
  // Both nodes committed steps, and every event was committed by one of them exactly once.
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(a.logged.length > 0 && b.logged.length > 0, `node a logged ${a.logged.length} events, node b ${b.logged.length}`);
  assert.deepEqual([...a.logged, ...b.logged].sort((x, y) => x - y), events.map((e) => e.id));
});

test('every transition is committed before the next one starts: a chain of five Pass states is five commits', async () => {
  const { engine } = await node('node-transitions');
  const arn = await createMachine('chain', {
    StartAt: 'P1',
    States: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`P${n}`, n < 5 ? { Type: 'Pass', Next: `P${n + 1}` } : { Type: 'Pass', End: true }])),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{"n":1}', account: ACCOUNT, region: REGION });
  let record;
  for (let i = 0; ; i++) {
    record = await executions.get(store, executionArn);
    if (record?.status !== 'RUNNING') break;
    assert.ok(i < 2000, 'not finished in 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(record?.status, 'SUCCEEDED');
  // seq counts the execution's commits after the one that stored it: one a transition (the
  // first also holds ExecutionStarted, the last ExecutionSucceeded).
  assert.equal(record.seq, 5);
  const events = await executions.events(store, executionArn, 1, await executions.lastEventId(store, executionArn));
  assert.equal(events.filter((e) => e.type === 'PassStateExited').length, 5);
});

test('a closed execution keeps its name 90 days; after that the name starts a new execution', async () => {
  let now = Date.now();
  const clock = { now: () => now, setTimer: systemClock.setTimer };
  const delivery = new DeliveryMachine({ store, clock, owner: 'node-retention' });
  const engine = new Executions({ store, delivery, clock, log: silentLogger, invokers: new InvokerRegistry() });
  engine.register();
  await delivery.start();
  nodes.push({ delivery, engine });
  const arn = await createMachine('retention', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
  const request = { stateMachineArn: arn, name: 'again', input: '{}', account: ACCOUNT, region: REGION };
  const first = await engine.startExecution(request);
  await engine.stop(first.executionArn, 'E', 'C');
  await assert.rejects(engine.startExecution(request), { name: 'ExecutionAlreadyExists' });
  now += 89 * 24 * 3600 * 1000;
  await assert.rejects(engine.startExecution(request), { name: 'ExecutionAlreadyExists' });
  now += 2 * 24 * 3600 * 1000;
  const second = await engine.startExecution(request);
  assert.equal(second.executionArn, first.executionArn);
  assert.equal(second.startDate.getTime(), now);
  const record = await executions.get(store, second.executionArn);
  assert.equal(record?.status, 'RUNNING');
  assert.equal(record?.startDate, now);
  await engine.stop(second.executionArn);
});

test('isTaskOutstanding answers from the snapshot head, on any node, without reading frames', async () => {
  const a = await node('node-outstanding-a');
  const b = await node('node-outstanding-b');
  a.engine.setTaskRunner({ run: async () => ({ type: 'pending' }) });
  b.engine.setTaskRunner({ run: async () => ({ type: 'pending' }) });
  const arn = await createMachine('outstanding', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true } } });
  const { executionArn } = await a.engine.startExecution({ stateMachineArn: arn, input: '{}', account: ACCOUNT, region: REGION });
  let effectId: string | undefined;
  // A deadline, not a count of tries: on a loaded machine the step may take a while.
  for (const deadline = Date.now() + 15_000; effectId === undefined && Date.now() < deadline; ) {
    const head = await executions.head(store, executionArn);
    effectId = Object.entries(head?.waits ?? {}).find(([, w]) => w.purpose === 'task')?.[0];
    if (effectId === undefined) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(effectId, 'the task was never scheduled');
  // The frames are not needed to answer (node b has nothing cached; its answer comes from the row's head).
  const frames = await store.all<{ frame: string }>('SELECT frame FROM states_execution_frames WHERE execution_arn = ?', [executionArn]);
  assert.ok(frames.length > 0);
  await store.write((tx) => tx.run('UPDATE states_execution_frames SET frame = ? WHERE execution_arn = ?', ['not json', executionArn]));
  assert.equal(await b.engine.isTaskOutstanding(executionArn, effectId), true);
  assert.equal(await b.engine.isTaskOutstanding(executionArn, 'no-such-effect'), false);
  assert.equal(await b.engine.isTaskOutstanding(`${executionArn}-none`, effectId), false);
  // Frames back; the task answered: no longer outstanding.
  await store.write(async (tx) => {
    await tx.run('DELETE FROM states_execution_frames WHERE execution_arn = ?', [executionArn]);
    for (const f of frames) {
      const frame = JSON.parse(f.frame) as { id: string };
      await tx.run('INSERT INTO states_execution_frames (execution_arn, frame_id, frame) VALUES (?, ?, ?)', [executionArn, frame.id, f.frame]);
    }
  });
  await a.engine.taskOutcome(executionArn, effectId, { type: 'succeeded', output: { ok: true } });
  for (let i = 0; ; i++) {
    if ((await executions.get(store, executionArn))?.status !== 'RUNNING') break;
    assert.ok(i < 2000, 'not finished');
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await a.engine.isTaskOutstanding(executionArn, effectId), false);
  assert.equal(await b.engine.isTaskOutstanding(executionArn, effectId), false);
});

test('a `.sync` parent hears of its child’s end through the store when another node ran the child', async () => {
  const a = await node('node-sync-a');
  const childArn = await createMachine('sync-child', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, Next: 'P' }, P: { Type: 'Pass', Result: 'from b', End: true } } });
  const parentArn = await createMachine('sync-parent', {
    StartAt: 'Run',
    States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: childArn }, End: true } },
  });
  let started: string | undefined;
  a.engine.setTaskRunner({
    run: async (call) => {
      const child = await a.engine.startExecution({
        stateMachineArn: childArn,
        input: '{"n":1}',
        account: ACCOUNT,
        region: REGION,
        waiter: { executionArn: call.executionArn, effectId: call.effect.id, mode: 'sync:2', stateMachineArn: childArn },
      });
      started = child.executionArn;
      return { type: 'submitted', output: { ExecutionArn: child.executionArn } };
    },
  });
  const { executionArn } = await a.engine.startExecution({ stateMachineArn: parentArn, input: '{}', account: ACCOUNT, region: REGION });
  for (let i = 0; i < 400 && !(await executions.events(store, executionArn, 1, 100)).some((e) => e.type === 'TaskSubmitted'); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(started, 'the child was never started');
  // Node a goes quiet while the child waits (its Wait: 1 s at this time scale); node b runs the child's end, and the parent's.
  await a.delivery.stop();
  const b = await node('node-sync-b');
  let record;
  for (let i = 0; ; i++) {
    record = await executions.get(store, executionArn);
    if (record?.status !== 'RUNNING') break;
    assert.ok(i < 2000, 'the parent never heard of its child’s end');
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(record?.status, 'SUCCEEDED', `${record?.error}: ${record?.cause}`);
  const output = JSON.parse(record.output!) as { ExecutionArn: string; Status: string; Output: unknown; Input: unknown };
  assert.equal(output.ExecutionArn, started);
  assert.equal(output.Status, 'SUCCEEDED');
  assert.equal(output.Output, 'from b');
  assert.deepEqual(output.Input, { n: 1 });
  assert.deepEqual(b.ended, [started, executionArn], 'node b ended the child, then the parent');
  assert.deepEqual(a.ended, []);
  // The waiter went with the child's end.
  assert.deepEqual(await store.all('SELECT * FROM states_execution_waiters WHERE execution_arn = ?', [started!]), []);
});
