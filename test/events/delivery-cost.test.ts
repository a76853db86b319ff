/**
 * What an event costs the store at light load (issue 13): PutEvents of one event to a rule with an
 * SQS target takes two transactions — the event's delivery job stored and leased at once, then the
 * message sent with the job's completion in the same commit — and once it is delivered nothing is
 * left behind: no job, no timer armed.
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
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
  assert.equal(stats.transactions - before, 10, 'per event: the job stored and leased, then the message with the completion');
  assert.equal((await runtime.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_jobs'))?.n, 0);
  assert.equal(runtime.delivery.nextWakeAt, null, 'no timer outlives a delivered event');
});
