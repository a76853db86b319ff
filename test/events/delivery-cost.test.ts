/**
 * What an event costs the store at light load (issue 13): PutEvents of one event to a rule with an
 * SQS target takes two transactions — the event's delivery job stored and leased at once, then the
 * message sent with the job's completion in the same commit — and once it is delivered nothing is
 * left behind: no job, no timer armed. Forwarded to another bus first, an event costs four.
 */
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, createQueue, idle, sleep, type Account, type QueueRef } from './delivery-support.js';

let server: TestServer;
let a: Account;
before(async () => {
  server = await startTestServer();
  a = account(server);
});
after(() => server.stop());

/** Whether units submitted while a batch runs join it (SQLite's immediate statements; see group-commit.ts). */
function joins(runtime: { store: { backend: string } }): boolean {
  return runtime.store.backend === 'sqlite';
}

async function visible(queue: QueueRef): Promise<number> {
  const { Attributes } = await a.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

async function untilVisible(queue: QueueRef, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await visible(queue)) < count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} message(s) on ${queue.arn}`);
    await sleep(2);
  }
}

test('one event to an SQS target: two transactions, then no job and no timer left', async () => {
  const runtime = server.stratus.runtime;
  const queue = await createQueue(a.sqs, 'cost-target');
  await a.eb.send(new PutRuleCommand({ Name: 'cost', EventPattern: JSON.stringify({ source: ['test.cost'] }) }));
  // Rules on the bus that do not match, and other job kinds registered: none of them is looked at.
  await a.eb.send(new PutRuleCommand({ Name: 'cost-other', EventPattern: JSON.stringify({ source: ['test.other'] }) }));
  await a.eb.send(new PutTargetsCommand({ Rule: 'cost', Targets: [{ Id: 'q', Arn: queue.arn }] }));
  const put = (n: number) => a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'test.cost', DetailType: 'tick', Detail: JSON.stringify({ n }) }] }));

  await put(0);
  await untilVisible(queue, 1);
  await idle(runtime);
  const stats = runtime.store.stats;
  const before = stats.transactions;
  for (let n = 1; n <= 5; n++) {
    const { FailedEntryCount } = await put(n);
    assert.equal(FailedEntryCount, 0);
    await untilVisible(queue, n + 1);
    await idle(runtime);
  }
  // (On PostgreSQL the completion, submitted while the message's batch runs, cannot join it as
  // it does SQLite's, whose statements run at once: it commits in the next one.)
  assert.equal(stats.transactions - before, joins(runtime) ? 10 : 15, 'per event: the job stored and leased, then the message with the completion');
  assert.equal((await runtime.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_jobs'))?.n, 0);
  assert.equal(runtime.delivery.nextWakeAt, null, 'no timer outlives a delivered event');
});

test('an event forwarded to another bus on its way to an SQS target: four transactions, then nothing left', async () => {
  const runtime = server.stratus.runtime;
  const queue = await createQueue(a.sqs, 'cost-forwarded');
  await a.eb.send(new CreateEventBusCommand({ Name: 'cost-bus' }));
  await a.eb.send(new PutRuleCommand({ Name: 'cost-recv', EventBusName: 'cost-bus', EventPattern: JSON.stringify({ source: ['test.forward'] }) }));
  await a.eb.send(new PutTargetsCommand({ Rule: 'cost-recv', EventBusName: 'cost-bus', Targets: [{ Id: 'q', Arn: queue.arn }] }));
  await a.eb.send(new PutRuleCommand({ Name: 'cost-fwd', EventPattern: JSON.stringify({ source: ['test.forward'] }) }));
  const busArn = `arn:aws:events:${a.region}:${a.accountId}:event-bus/cost-bus`;
  await a.eb.send(new PutTargetsCommand({ Rule: 'cost-fwd', Targets: [{ Id: 'bus', Arn: busArn }] }));
  const put = (n: number) => a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'test.forward', DetailType: 'tick', Detail: JSON.stringify({ n }) }] }));

  await put(0);
  await untilVisible(queue, 1);
  await idle(runtime);
  const stats = runtime.store.stats;
  const before = stats.transactions;
  for (let n = 1; n <= 3; n++) {
    await put(n);
    await untilVisible(queue, n + 1);
    await idle(runtime);
  }
  // Per event: PutEvents with its job leased; the forwarded delivery stored; that job's completion
  // with the new job's lease (a job of the kind was running, so the lease did not join the
  // storing transaction); the message with the second job's completion.
  assert.equal(stats.transactions - before, joins(runtime) ? 12 : 15);
  assert.equal((await runtime.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_jobs'))?.n, 0);
  assert.equal(runtime.delivery.nextWakeAt, null);
});
