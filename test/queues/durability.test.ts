/**
 * Acknowledged means stored, for SQS: a real `stratus start` child process is killed with
 * SIGKILL while SendMessage calls are in flight and some messages are in flight to consumers.
 * After a restart on the same data folder every acknowledged message is there exactly as sent,
 * in-flight messages stay invisible until their visibility timeout ends and then come back with
 * their receive count, deleted messages stay deleted, and FIFO state (deduplication, order,
 * sequence numbers) carries over.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';
import { counts, md5, md5OfAttributes, plainAttributes, sleep } from './data-helpers.js';

interface Sent {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
}

const SHORT_VISIBILITY = 3;

function makeMessage(worker: number, i: number): Sent {
  return {
    body: `w${worker}-${i} ✓ ${randomBytes(6).toString('hex')}`,
    attributes: {
      worker: { DataType: 'String', StringValue: `worker-${worker}` },
      index: { DataType: 'Number', StringValue: String(i) },
      blob: { DataType: 'Binary', BinaryValue: randomBytes(1 + (i % 17)) },
    },
  };
}

async function drain(client: SQSClient, queueUrl: string, visibility: number): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: visibility, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return out;
    out.push(...Messages);
  }
}

function assertExactly(m: Message, sent: Sent): void {
  assert.equal(m.Body, sent.body);
  assert.equal(m.MD5OfBody, md5(sent.body));
  assert.deepEqual(plainAttributes(m.MessageAttributes), plainAttributes(sent.attributes));
  assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(sent.attributes));
}

test('kill -9: acknowledged messages survive as sent, in-flight ones return after their timeout, deleted ones stay deleted', async () => {
  const data = tempDataDir();
  const servers: { kill(signal?: NodeJS.Signals): Promise<unknown> }[] = [];
  try {
    const server = await spawnServer({ dataDir: data.dir });
    servers.push(server);
    const client = new SQSClient(clientConfigFor(server.url));
    const { QueueUrl: queueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '60' } }));
    const { QueueUrl: fifoUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'durable.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
    );

    // FIFO state before the crash.
    const fifoSent: { id: string; seq: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await client.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: `fifo-${i}`, MessageGroupId: 'g' }));
      fifoSent.push({ id: r.MessageId!, seq: r.SequenceNumber! });
    }

    // Eight producers send until the kill; some sends are in flight when it comes.
    const acknowledged = new Map<string, Sent>(); // MessageId → what was sent
    const attempted = new Map<string, Sent>(); // body → what was sent
    let killed = false;
    const producer = async (worker: number): Promise<void> => {
      for (let i = 0; !killed; i += 3) {
        try {
          if (i % 2 === 0) {
            const m = makeMessage(worker, i);
            attempted.set(m.body, m);
            const r = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: m.body, MessageAttributes: m.attributes }));
            acknowledged.set(r.MessageId!, m);
          } else {
            const batch = [0, 1, 2].map((j) => makeMessage(worker, i + j));
            for (const m of batch) attempted.set(m.body, m);
            const r = await client.send(
              new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((m, j) => ({ Id: `e${j}`, MessageBody: m.body, MessageAttributes: m.attributes })) }),
            );
            assert.equal(r.Successful!.length, 3);
            for (const s of r.Successful!) acknowledged.set(s.MessageId!, batch[Number(s.Id!.slice(1))]);
          }
        } catch (error) {
          if (killed) return; // the server died under this request: never acknowledged
          throw error;
        }
      }
    };
    const producers = Array.from({ length: 8 }, (_, w) => producer(w));
    while (acknowledged.size < 300) await sleep(5);

    // A consumer on its own connection: deletes five, keeps five long and ten briefly in flight.
    const consumer = new SQSClient(clientConfigFor(server.url));
    const receiveBatch = async (visibility: number) =>
      (await consumer.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: visibility, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }))).Messages!;
    const first = await receiveBatch(600);
    assert.equal(first.length, 10);
    const deletedResult = await consumer.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: first.slice(0, 5).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    assert.equal(deletedResult.Successful!.length, 5);
    const deleted = new Set(first.slice(0, 5).map((m) => m.MessageId!));
    const longInFlight = new Set(first.slice(5).map((m) => m.MessageId!));
    const shortRequestedAt = Date.now();
    const short = await receiveBatch(SHORT_VISIBILITY);
    assert.equal(short.length, 10);
    const shortInFlight = new Map(short.map((m) => [m.MessageId!, m]));

    killed = true;
    assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
    await Promise.all(producers);
    client.destroy();
    consumer.destroy();

    // Restart on the same data folder.
    const again = await spawnServer({ dataDir: data.dir });
    servers.push(again);
    const client2 = new SQSClient(clientConfigFor(again.url));
    const { QueueUrl: queueUrl2 } = await client2.send(new GetQueueUrlCommand({ QueueName: 'durable' }));
    const restartedAt = Date.now();
    assert.ok(restartedAt < shortRequestedAt + SHORT_VISIBILITY * 1000 - 500, `restart took too long to check visibility (${restartedAt - shortRequestedAt} ms)`);
    const before = await counts(client2, queueUrl2!);
    assert.equal(before.inFlight, 15, 'in-flight messages after the restart');
    assert.equal(before.delayed, 0);

    const drained = await drain(client2, queueUrl2!, 600);
    assert.ok(Date.now() < shortRequestedAt + SHORT_VISIBILITY * 1000, 'the drain outlasted the short visibility timeout');
    const drainedIds = drained.map((m) => m.MessageId!);
    assert.equal(new Set(drainedIds).size, drainedIds.length, 'a message was received twice');
    assert.equal(drained.length, before.visible);
    for (const id of drainedIds) {
      assert.ok(!deleted.has(id), 'a deleted message came back');
      assert.ok(!longInFlight.has(id) && !shortInFlight.has(id), 'an in-flight message was visible before its timeout');
    }
    const expected = [...acknowledged.keys()].filter((id) => !deleted.has(id) && !longInFlight.has(id) && !shortInFlight.has(id));
    const byId = new Map(drained.map((m) => [m.MessageId!, m]));
    const lost = expected.filter((id) => !byId.has(id));
    assert.deepEqual(lost, [], `${lost.length} acknowledged messages lost of ${acknowledged.size}`);
    for (const m of drained) {
      // Acknowledged: exactly as sent. Not acknowledged (committed as the server died): still
      // exactly one of the messages that was sent.
      const sent = acknowledged.get(m.MessageId!) ?? attempted.get(m.Body!);
      assert.ok(sent, `an unknown message appeared: ${m.Body}`);
      assertExactly(m, sent);
      assert.equal(m.Attributes!.ApproximateReceiveCount, '1');
    }

    // The briefly in-flight messages come back once their timeout ends, received once more.
    const returned: Message[] = [];
    while (returned.length < shortInFlight.size) {
      const { Messages = [] } = await client2.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl2, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, VisibilityTimeout: 600, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
      );
      assert.ok(Messages.length > 0, 'the in-flight messages did not come back');
      assert.ok(Date.now() >= shortRequestedAt + SHORT_VISIBILITY * 1000, 'an in-flight message came back before its visibility timeout');
      returned.push(...Messages);
    }
    assert.deepEqual(returned.map((m) => m.MessageId).sort(), [...shortInFlight.keys()].sort());
    for (const m of returned) {
      const was = shortInFlight.get(m.MessageId!)!;
      assertExactly(m, acknowledged.get(m.MessageId!)!);
      assert.equal(m.Attributes!.ApproximateReceiveCount, String(Number(was.Attributes!.ApproximateReceiveCount) + 1));
      assert.equal(m.Attributes!.ApproximateFirstReceiveTimestamp, was.Attributes!.ApproximateFirstReceiveTimestamp);
      assert.equal(m.Attributes!.SentTimestamp, was.Attributes!.SentTimestamp);
    }
    assert.deepEqual(await counts(client2, queueUrl2!), { visible: 0, inFlight: drained.length + 15, delayed: 0 });

    // FIFO: the deduplication interval, the order and the sequence numbers survive.
    const { QueueUrl: fifoUrl2 } = await client2.send(new GetQueueUrlCommand({ QueueName: 'durable.fifo' }));
    const duplicate = await client2.send(new SendMessageCommand({ QueueUrl: fifoUrl2, MessageBody: 'fifo-2', MessageGroupId: 'g' }));
    assert.deepEqual([duplicate.MessageId, duplicate.SequenceNumber], [fifoSent[2].id, fifoSent[2].seq]);
    const next = await client2.send(new SendMessageCommand({ QueueUrl: fifoUrl2, MessageBody: 'fifo-5', MessageGroupId: 'g' }));
    assert.ok(BigInt(next.SequenceNumber!) > BigInt(fifoSent[4].seq), 'SequenceNumber went backwards after the restart');
    const fifoGot = await drain(client2, fifoUrl2!, 600);
    assert.deepEqual(fifoGot.map((m) => m.Body), ['fifo-0', 'fifo-1', 'fifo-2', 'fifo-3', 'fifo-4', 'fifo-5']);
    assert.deepEqual(fifoGot.map((m) => m.MessageId), [...fifoSent.map((s) => s.id), next.MessageId]);
    // Read back from the store (nothing is kept in memory across a restart): the same sequence numbers.
    assert.deepEqual(fifoGot.map((m) => m.Attributes!.SequenceNumber), [...fifoSent.map((s) => s.seq), next.SequenceNumber]);
    client2.destroy();
    assert.equal(await again.kill('SIGTERM'), 0);
  } finally {
    for (const s of servers) await s.kill('SIGKILL');
    data.cleanup();
  }
});
