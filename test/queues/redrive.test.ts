/**
 * Dead-letter queues and message move tasks through @aws-sdk/client-sqs: RedrivePolicy moving a
 * message on the receive that exceeds maxReceiveCount, what the dead-letter copy keeps, and
 * StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask. A move task runs as
 * delivery jobs, one step per second; the server runs on a ManualClock so each step is exact.
 */
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { counts, createQueue, expectError, md5OfAttributes, plainAttributes, receive, until } from './data-helpers.js';

let server: TestServer;
let clock: ManualClock;
let sqs: SQSClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  sqs = server.client(SQSClient);
});

after(() => server.stop());

async function arnOf(queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

/** A dead-letter queue and a source queue sending to it after `maxReceiveCount` receives. */
async function pair(prefix: string, maxReceiveCount: number): Promise<{ source: string; sourceArn: string; dlq: string; dlqArn: string }> {
  const dlq = await createQueue(sqs, `${prefix}-dlq`);
  const dlqArn = await arnOf(dlq);
  const source = await createQueue(sqs, prefix, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) });
  return { source, sourceArn: await arnOf(source), dlq, dlqArn };
}

/** Sends `n` messages and receives each `maxReceiveCount + 1` times, which moves them all to the DLQ. */
async function deadLetter(source: string, dlq: string, bodies: string[], maxReceiveCount: number): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) ids.push((await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: body }))).MessageId!);
  for (let i = 0; i < maxReceiveCount; i++) assert.equal((await receive(sqs, source, { visibility: 0 })).length, bodies.length);
  assert.deepEqual(await receive(sqs, source, { visibility: 0 }), []);
  assert.equal((await counts(sqs, dlq)).visible, bodies.length);
  return ids;
}

async function tasks(sourceArn: string, max = 10): Promise<ListMessageMoveTasksResultEntry[]> {
  return (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: max }))).Results ?? [];
}

async function waitForMoved(sourceArn: string, moved: number): Promise<ListMessageMoveTasksResultEntry> {
  let latest: ListMessageMoveTasksResultEntry | undefined;
  await until(async () => {
    [latest] = await tasks(sourceArn, 1);
    return latest?.ApproximateNumberOfMessagesMoved === moved;
  }, 5_000, `${moved} messages moved`);
  return latest!;
}

describe('RedrivePolicy', () => {
  test('a message moves to the dead-letter queue on the receive that exceeds maxReceiveCount', async () => {
    const { source, sourceArn, dlq } = await pair('redrive', 3);
    const attributes: Record<string, MessageAttributeValue> = {
      kind: { DataType: 'String', StringValue: 'order' },
      weight: { DataType: 'Number.kg', StringValue: '2.5' },
      raw: { DataType: 'Binary', BinaryValue: Buffer.from([9, 8, 7]) },
    };
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const sentAt = clock.now();
    const poison = await sqs.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: 'poison',
        MessageAttributes: attributes,
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
      }),
    );
    clock.advance(1_000);
    for (let i = 1; i <= 3; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 1, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      assert.deepEqual(got.Messages!.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]), [['poison', String(i)]]);
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'healthy' }));
    // The fourth receive exceeds maxReceiveCount 3: poison moves, healthy is delivered.
    assert.deepEqual((await receive(sqs, source, { visibility: 30 })).map((m) => m.Body), ['healthy']);
    assert.deepEqual(await counts(sqs, source), { visible: 0, inFlight: 1, delayed: 0 });
    assert.deepEqual(await counts(sqs, dlq), { visible: 1, inFlight: 0, delayed: 0 });

    const [dead] = await receive(sqs, dlq, { all: true });
    assert.equal(dead.MessageId, poison.MessageId);
    assert.equal(dead.Body, 'poison');
    assert.deepEqual(plainAttributes(dead.MessageAttributes), plainAttributes(attributes));
    assert.equal(dead.MD5OfMessageAttributes, md5OfAttributes(attributes));
    // For standard queues "the enqueue timestamp is unchanged" (Developer Guide, dead-letter
    // queue retention).
    assert.equal(dead.Attributes!.SentTimestamp, String(sentAt));
    assert.equal(dead.Attributes!.DeadLetterQueueSourceArn, sourceArn);
    assert.equal(dead.Attributes!.AWSTraceHeader, trace);
    const named = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }));
    assert.equal(named.Messages, undefined); // still in flight from the receive above
    clock.advance(30_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }));
    assert.deepEqual(again.Messages![0].Attributes, { DeadLetterQueueSourceArn: sourceArn });
  });

  test('maxReceiveCount 1: the second receive moves the message', async () => {
    const { source, dlq } = await pair('redrive-one', 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'once' }));
    assert.equal((await receive(sqs, source, { visibility: 5 })).length, 1);
    clock.advance(5_000);
    assert.deepEqual(await receive(sqs, source), []);
    assert.deepEqual(await counts(sqs, source), { visible: 0, inFlight: 0, delayed: 0 });
    assert.deepEqual((await receive(sqs, dlq)).map((m) => m.Body), ['once']);
  });
  test('FIFO: the dead-letter copy keeps its group, takes its MessageId as deduplication id, and a new enqueue time', async () => {
    const dlq = await createQueue(sqs, 'fifo-dlq', { FifoQueue: 'true' });
    const dlqArn = await arnOf(dlq);
    const source = await createQueue(sqs, 'fifo-source', { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    const sourceArn = await arnOf(source);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'fifo poison', MessageGroupId: 'g', MessageDeduplicationId: 'dedup-1' }));
    assert.equal((await receive(sqs, source, { visibility: 0 })).length, 1);
    clock.advance(2_000);
    const movedAt = clock.now();
    assert.deepEqual(await receive(sqs, source), []);
    const [dead] = await receive(sqs, dlq, { all: true });
    assert.equal(dead.MessageId, sent.MessageId);
    assert.equal(dead.Body, 'fifo poison');
    assert.equal(dead.Attributes!.MessageGroupId, 'g');
    // "When a message is moved from a FIFO queue to a FIFO DLQ, the original message's
    // deduplication ID will be replaced with the original message's ID." (Developer Guide,
    // dead-letter queue redrive)
    assert.equal(dead.Attributes!.MessageDeduplicationId, sent.MessageId);
    // "For FIFO queues, the enqueue timestamp resets when the message is moved to a
    // dead-letter queue." (Developer Guide, dead-letter queue retention)
    assert.equal(dead.Attributes!.SentTimestamp, String(movedAt));
    assert.equal(dead.Attributes!.DeadLetterQueueSourceArn, sourceArn);
    assert.match(dead.Attributes!.SequenceNumber!, /^\d{20}$/);
  });

  test("the dead-letter queue's retention counts from the original enqueue time (standard)", async () => {
    // "For standard queues, the expiration of a message is always based on its original
    // enqueue timestamp." (Developer Guide, dead-letter queue retention)
    const dlq = await createQueue(sqs, 'retention-dlq', { MessageRetentionPeriod: '60' });
    const dlqArn = await arnOf(dlq);
    const source = await createQueue(sqs, 'retention-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'sent at 0 s' }));
    assert.equal((await receive(sqs, source, { visibility: 0 })).length, 1);
    clock.advance(40_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'sent at 40 s' }));
    clock.advance(10_000);
    assert.deepEqual(await receive(sqs, source), []); // moved at 50 s
    assert.deepEqual(await counts(sqs, dlq), { visible: 2, inFlight: 0, delayed: 0 });
    clock.advance(10_000); // 60 s after the first message was sent
    assert.deepEqual(await counts(sqs, dlq), { visible: 1, inFlight: 0, delayed: 0 });
    assert.deepEqual((await receive(sqs, dlq, { visibility: 0 })).map((m) => m.Body), ['sent at 40 s']);
  });
});

describe('message move tasks', () => {
  test('back to the source queue at a rate: RUNNING, counts, COMPLETED; the moved messages are new messages', async () => {
    const { source, dlq, dlqArn } = await pair('move-back', 1);
    const originalIds = await deadLetter(source, dlq, ['m1', 'm2', 'm3', 'm4', 'm5'], 1);
    const startedAt = clock.now();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 2 }));
    assert.equal(typeof TaskHandle, 'string');

    const step1 = await waitForMoved(dlqArn, 2);
    assert.deepEqual(step1, {
      TaskHandle,
      Status: 'RUNNING',
      SourceArn: dlqArn,
      MaxNumberOfMessagesPerSecond: 2,
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 5,
      StartedTimestamp: startedAt,
    });
    assert.deepEqual(await counts(sqs, dlq), { visible: 3, inFlight: 0, delayed: 0 });
    assert.deepEqual(await counts(sqs, source), { visible: 2, inFlight: 0, delayed: 0 });
    clock.advance(1_000);
    assert.equal((await waitForMoved(dlqArn, 4)).Status, 'RUNNING');
    clock.advance(1_000);
    const done = await waitForMoved(dlqArn, 5);
    assert.deepEqual(done, {
      Status: 'COMPLETED',
      SourceArn: dlqArn,
      MaxNumberOfMessagesPerSecond: 2,
      ApproximateNumberOfMessagesMoved: 5,
      ApproximateNumberOfMessagesToMove: 5,
      StartedTimestamp: startedAt,
    });
    assert.deepEqual(await counts(sqs, dlq), { visible: 0, inFlight: 0, delayed: 0 });

    // "The redrive task resets the retention period. All redriven messages are considered new
    // messages and are assigned a new messageID and enqueueTime." (Developer Guide, "Learn how
    // to configure a dead-letter queue redrive in Amazon SQS")
    const redrivenAt = clock.now();
    const back: Message[] = await receive(sqs, source, { all: true, visibility: 30 });
    assert.deepEqual(back.map((m) => m.Body), ['m1', 'm2', 'm3', 'm4', 'm5']);
    for (const m of back) {
      assert.ok(!originalIds.includes(m.MessageId!), 'a redriven message kept its MessageId');
      assert.equal(m.Attributes!.ApproximateReceiveCount, '1');
      assert.ok(Number(m.Attributes!.SentTimestamp) >= startedAt && Number(m.Attributes!.SentTimestamp) <= redrivenAt, 'enqueue time not reset');
      assert.equal(m.Attributes!.DeadLetterQueueSourceArn, undefined);
    }
  });

  test('to another queue, at the default rate', async () => {
    const { source, dlq, dlqArn } = await pair('move-elsewhere', 1);
    await deadLetter(source, dlq, ['a', 'b', 'c'], 1);
    const target = await createQueue(sqs, 'move-target');
    const targetArn = await arnOf(target);
    const startedAt = clock.now();
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: targetArn }));
    const done = await waitForMoved(dlqArn, 3);
    assert.deepEqual(done, {
      Status: 'COMPLETED',
      SourceArn: dlqArn,
      DestinationArn: targetArn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
      StartedTimestamp: startedAt,
    });
    assert.deepEqual((await receive(sqs, target)).map((m) => m.Body), ['a', 'b', 'c']);
    assert.deepEqual(await counts(sqs, source), { visible: 0, inFlight: 0, delayed: 0 });
    assert.deepEqual(await counts(sqs, dlq), { visible: 0, inFlight: 0, delayed: 0 });
  });

  test('CancelMessageMoveTask stops a running task; what moved stays moved', async () => {
    const { source, dlq, dlqArn } = await pair('move-cancel', 1);
    await deadLetter(source, dlq, ['x', 'y', 'z'], 1);
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    await waitForMoved(dlqArn, 1);
    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 1);
    const [task] = await tasks(dlqArn);
    assert.deepEqual([task.Status, task.TaskHandle, task.ApproximateNumberOfMessagesMoved], ['CANCELLED', undefined, 1]);
    clock.advance(5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await counts(sqs, dlq), { visible: 2, inFlight: 0, delayed: 0 });
    assert.deepEqual(await counts(sqs, source), { visible: 1, inFlight: 0, delayed: 0 });
    // "A message movement can only be cancelled when the current status is RUNNING."
    await expectError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), { name: 'ResourceNotFoundException', status: 404 });
    await expectError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'no-such-task' })), { name: 'ResourceNotFoundException', status: 404 });

    // A new task may start once none is active; ListMessageMoveTasks gives the newest first.
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    await waitForMoved(dlqArn, 2);
    assert.deepEqual((await tasks(dlqArn)).map((t) => [t.Status, t.ApproximateNumberOfMessagesMoved]), [
      ['COMPLETED', 2],
      ['CANCELLED', 1],
    ]);
    assert.equal((await tasks(dlqArn, 1)).length, 1);
  });

  test('errors: not a dead-letter queue, unknown queues, rate bounds, one active task per source', async () => {
    const { source, sourceArn, dlq, dlqArn } = await pair('move-errors', 1);
    await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn })), {
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    const missing = dlqArn.replace(/[^:]+$/, 'no-such-queue');
    await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missing })), {
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
      status: 404,
    });
    await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: missing })), {
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
      status: 404,
    });
    for (const rate of [0, 501]) {
      await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: rate })), {
        name: 'InvalidParameterValue',
        message: `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Value must be between 1 and 500.`,
      });
    }
    await expectError(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 11 })), { name: 'InvalidParameterValue' });
    assert.deepEqual(await tasks(dlqArn), []);

    await deadLetter(source, dlq, ['p', 'q', 'r'], 1);
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    // "Only one active message movement task is supported per queue at any given time."
    await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })), {
      name: 'UnsupportedOperation',
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
    await waitForMoved(dlqArn, 1);
    clock.advance(1_000);
    await waitForMoved(dlqArn, 2);
    clock.advance(1_000);
    assert.equal((await waitForMoved(dlqArn, 3)).Status, 'COMPLETED');
  });
});
