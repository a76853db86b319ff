/**
 * Acknowledged means stored, for SNS fan-out: a real `stratus start` child is killed with
 * SIGKILL while publishers fan 1,000 messages out to 5 queues (Publish and PublishBatch side by
 * side, three queues taking everything, two filtering on an attribute). After a restart on the
 * same data folder, every message whose publish was acknowledged arrives in every queue whose
 * filter it matches — at least once — and none arrives where its filter does not match.
 */
import * as sns from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';

const TOTAL = 1000;
const QUEUES = ['all-0', 'all-1', 'all-2', 'even', 'odd'];
const FILTERS: Record<string, string | undefined> = {
  even: '{"parity": ["even"]}',
  odd: '{"parity": ["odd"]}',
};
const matches = (queue: string, n: number): boolean => (queue === 'even' ? n % 2 === 0 : queue === 'odd' ? n % 2 === 1 : true);

test('every acknowledged message reaches every matching queue after kill -9', async () => {
  const data = tempDataDir();
  try {
    let server = await spawnServer({ dataDir: data.dir });
    let client = new sns.SNSClient(clientConfigFor(server.url));
    let sqs = new SQSClient(clientConfigFor(server.url));
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'durable' }));
    for (const name of QUEUES) {
      await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const filter = FILTERS[name];
      await client.send(
        new sns.SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`,
          Attributes: { RawMessageDelivery: 'true', ...(filter ? { FilterPolicy: filter } : {}) },
        }),
      );
    }
    const message = (n: number) => ({ Message: String(n), MessageAttributes: { parity: { DataType: 'String', StringValue: n % 2 === 0 ? 'even' : 'odd' } } });
    const acknowledged = new Set<number>();
    let next = 0;
    let stop = false;
    const publisher = async (batch: boolean): Promise<void> => {
      while (!stop && next < TOTAL) {
        const ns = batch ? Array.from({ length: Math.min(10, TOTAL - next) }, () => next++) : [next++];
        try {
          if (batch) {
            await client.send(new sns.PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: ns.map((n) => ({ Id: `m${n}`, ...message(n) })) }));
          } else {
            await client.send(new sns.PublishCommand({ TopicArn, ...message(ns[0]) }));
          }
          for (const n of ns) acknowledged.add(n);
        } catch {
          return; // the server died under this call: it was never acknowledged
        }
      }
    };
    let publishing = 4;
    const publishers = [false, true, false, true].map((batch) => publisher(batch).finally(() => publishing--));
    const deadline = Date.now() + 60_000;
    while (acknowledged.size < TOTAL / 2 && publishing > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    assert.ok(acknowledged.size >= TOTAL / 2, `only ${acknowledged.size} publishes acknowledged before the kill`);
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(publishers);
    client.destroy();
    sqs.destroy();

    server = await spawnServer({ dataDir: data.dir });
    client = new sns.SNSClient(clientConfigFor(server.url));
    sqs = new SQSClient(clientConfigFor(server.url));
    for (const name of QUEUES) {
      const expected = new Set([...acknowledged].filter((n) => matches(name, n)));
      const seen = new Set<number>();
      const QueueUrl = `${server.url}/000000000000/${name}`;
      const until = Date.now() + 30_000;
      while ([...expected].some((n) => !seen.has(n)) && Date.now() < until) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const m of Messages) {
          const n = Number(m.Body);
          assert.ok(matches(name, n), `${name} got ${n}, which its filter does not match`);
          seen.add(n);
        }
        if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      const missing = [...expected].filter((n) => !seen.has(n));
      assert.deepEqual(missing, [], `${name}: ${missing.length} acknowledged message(s) never arrived`);
    }
    client.destroy();
    sqs.destroy();
    await server.kill('SIGTERM');
  } finally {
    data.cleanup();
  }
});
