/**
 * Scheduled rules on a ManualClock: rate and cron firings with the recorded Scheduled Event
 * shape (facts §7 "Scheduled events" [R]), rule state changes, Input, and a restart on the same
 * data folder.
 */
import { DeleteRuleCommand, DisableRuleCommand, EnableRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { account, createQueue, idle, type Account, type QueueRef } from './delivery-support.js';

// 2026-01-01T00:00:07Z: not on a minute, so "creation + 60 s" differs from "the next minute".
const START = Date.UTC(2026, 0, 1, 0, 0, 7);
const MINUTE = 60_000;

let servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

async function start(clock: ManualClock, config = {}): Promise<{ server: TestServer; a: Account }> {
  const server = await startTestServer({ clock, config });
  servers.push(server);
  return { server, a: account(server, '123456789012', 'us-east-1') };
}

/** Moves the clock by `ms` and waits for every firing and delivery that fell due. */
async function advance(server: TestServer, clock: ManualClock, ms: number, step = MINUTE): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    clock.advance(Math.min(step, left));
    await idle(server.stratus.runtime);
  }
}

/** Takes (receives and deletes) everything on the queue now. */
async function take(sqs: SQSClient, queue: QueueRef): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return out;
    for (const m of Messages) {
      out.push(JSON.parse(m.Body!) as Record<string, unknown>);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

async function scheduled(a: Account, name: string, expression: string, targets = 1) {
  const queues: QueueRef[] = [];
  for (let i = 0; i < targets; i++) queues.push(await createQueue(a.sqs, `${name}-q${i}`));
  const { RuleArn } = await a.eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: expression }));
  await a.eb.send(new PutTargetsCommand({ Rule: name, Targets: queues.map((q, i) => ({ Id: `t${i}`, Arn: q.arn })) }));
  return { queues, ruleArn: RuleArn! };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

test('rate(1 minute) fires at creation + 60 s and every 60 s, with the Scheduled Event shape', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const { queues, ruleArn } = await scheduled(a, 'every-minute', 'rate(1 minute)', 2);
  await advance(server, clock, 59_000, 59_000);
  assert.deepEqual(await take(a.sqs, queues[0]), []);
  await advance(server, clock, 1000);
  const [first] = await take(a.sqs, queues[0]);
  assert.ok(first, 'fired at creation + 60 s');
  const [other] = await take(a.sqs, queues[1]);
  // Two targets of one firing receive the same event id (facts §7 [R]).
  assert.equal(other.id, first.id);
  assert.deepEqual(Object.keys(first), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.deepEqual({ ...first, id: '' }, {
    version: '0',
    id: '',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: iso(START + MINUTE),
    region: 'us-east-1',
    resources: [ruleArn],
    detail: {},
  });
  await advance(server, clock, 3 * MINUTE);
  const later = await take(a.sqs, queues[0]);
  assert.deepEqual(later.map((e) => e.time), [iso(START + 2 * MINUTE), iso(START + 3 * MINUTE), iso(START + 4 * MINUTE)]);
  assert.equal(new Set([first.id, ...later.map((e) => e.id)]).size, 4, 'each firing is a new event');
});

test('a PutRule that leaves the schedule as it was keeps the rate cadence; a new expression restarts it', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const { queues } = await scheduled(a, 'steady', 'rate(1 minute)');
  await advance(server, clock, 30_000, 30_000);
  await a.eb.send(new PutRuleCommand({ Name: 'steady', ScheduleExpression: 'rate(1 minute)', Description: 'only the description changed' }));
  await advance(server, clock, 30_000, 30_000);
  assert.deepEqual((await take(a.sqs, queues[0])).map((e) => e.time), [iso(START + MINUTE)]);
  await a.eb.send(new PutRuleCommand({ Name: 'steady', ScheduleExpression: 'rate(2 minutes)' }));
  await advance(server, clock, 2 * MINUTE, 30_000);
  assert.deepEqual((await take(a.sqs, queues[0])).map((e) => e.time), [iso(START + 3 * MINUTE)]);
});

test('cron(0/15 * * * ? *) fires on the quarter hours', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const { queues } = await scheduled(a, 'quarter-hours', 'cron(0/15 * * * ? *)');
  await advance(server, clock, 46 * MINUTE, 5 * MINUTE);
  const times = (await take(a.sqs, queues[0])).map((e) => e.time);
  assert.deepEqual(times, ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:45:00Z']);
});

test('DisableRule stops the firings; EnableRule starts them again', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const { queues } = await scheduled(a, 'toggled', 'rate(1 minute)');
  await advance(server, clock, MINUTE);
  assert.equal((await take(a.sqs, queues[0])).length, 1);
  await a.eb.send(new DisableRuleCommand({ Name: 'toggled' }));
  await advance(server, clock, 5 * MINUTE);
  assert.deepEqual(await take(a.sqs, queues[0]), []);
  const enabledAt = clock.now();
  await a.eb.send(new EnableRuleCommand({ Name: 'toggled' }));
  await advance(server, clock, 2 * MINUTE);
  const times = (await take(a.sqs, queues[0])).map((e) => e.time);
  assert.deepEqual(times, [iso(enabledAt + MINUTE), iso(enabledAt + 2 * MINUTE)]);
});

test('DeleteRule (after RemoveTargets) stops the firings', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const { queues } = await scheduled(a, 'deleted', 'rate(1 minute)');
  await advance(server, clock, MINUTE);
  assert.equal((await take(a.sqs, queues[0])).length, 1);
  await a.eb.send(new RemoveTargetsCommand({ Rule: 'deleted', Ids: ['t0'] }));
  await a.eb.send(new DeleteRuleCommand({ Name: 'deleted' }));
  await advance(server, clock, 5 * MINUTE);
  assert.deepEqual(await take(a.sqs, queues[0]), []);
  const stats = await server.stratus.runtime.delivery.stats();
  assert.equal(stats.kinds['events.schedule']?.waiting ?? 0, 0, 'no firing left pending');
});

test('a rule with no targets fires into nothing; targets added later receive the next firing', async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const queue = await createQueue(a.sqs, 'late-target');
  await a.eb.send(new PutRuleCommand({ Name: 'late', ScheduleExpression: 'rate(1 minute)' }));
  await advance(server, clock, 90_000, 30_000);
  await a.eb.send(new PutTargetsCommand({ Rule: 'late', Targets: [{ Id: 't', Arn: queue.arn }] }));
  await advance(server, clock, 30_000);
  assert.deepEqual((await take(a.sqs, queue)).map((e) => e.time), [iso(START + 2 * MINUTE)]);
});

test("a target's Input replaces the scheduled event; a second target gets the envelope", async () => {
  const clock = new ManualClock(START);
  const { server, a } = await start(clock);
  const withInput = await createQueue(a.sqs, 'scheduled-input');
  const plain = await createQueue(a.sqs, 'scheduled-plain');
  await a.eb.send(new PutRuleCommand({ Name: 'with-input', ScheduleExpression: 'rate(1 minute)' }));
  await a.eb.send(
    new PutTargetsCommand({ Rule: 'with-input', Targets: [{ Id: 'i', Arn: withInput.arn, Input: '{"custom-value": "somecustominput"}' }, { Id: 'p', Arn: plain.arn }] }),
  );
  await advance(server, clock, MINUTE);
  const { Messages = [] } = await a.sqs.send(new ReceiveMessageCommand({ QueueUrl: withInput.url, WaitTimeSeconds: 0 }));
  assert.deepEqual(Messages.map((m) => m.Body), ['{"custom-value": "somecustominput"}']);
  assert.equal((await take(a.sqs, plain))[0]['detail-type'], 'Scheduled Event');
});

test('a schedule survives a restart on the same data folder', async () => {
  const data = tempDataDir();
  try {
    const clock = new ManualClock(START);
    const config = { inMemory: false, dataDir: data.dir };
    let { server, a } = await start(clock, config);
    const { queues } = await scheduled(a, 'durable-schedule', 'rate(1 minute)');
    await advance(server, clock, MINUTE);
    assert.equal((await take(a.sqs, queues[0])).length, 1);
    await server.stop();
    servers = [];
    ({ server, a } = await start(clock, config));
    await advance(server, clock, 2 * MINUTE);
    assert.deepEqual((await take(a.sqs, queues[0])).map((e) => e.time), [iso(START + 2 * MINUTE), iso(START + 3 * MINUTE)]);
    // Down across a firing: that one fires once at restart, then the schedule continues.
    await server.stop();
    servers = [];
    clock.advance(150_000); // 00:05:37
    ({ server, a } = await start(clock, config));
    await idle(server.stratus.runtime);
    const missed = await take(a.sqs, queues[0]);
    assert.equal(missed.length, 1, 'missed firings are not made up, one is not lost');
    await advance(server, clock, MINUTE);
    assert.equal((await take(a.sqs, queues[0])).length, 1);
  } finally {
    for (const s of servers) await s.stop();
    servers = [];
    data.cleanup();
  }
});
