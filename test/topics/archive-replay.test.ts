/**
 * Message archiving and replay for FIFO topics, through the SDK: a topic's ArchivePolicy keeps
 * what is published (BeginningArchiveTime shows from when); a subscription's ReplayPolicy
 * redelivers the archived messages of its window, in order, with their MessageId and Timestamp,
 * marked Replayed, through its filter policy, and then what was published meanwhile; an
 * EndingPoint ends the subscription's intake; the policies' bad values are refused; and retention
 * is enforced by a sweep, on a clock the test moves.
 */
import * as sns from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { createQueue, idle, type QueueRef } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const ARCHIVE = JSON.stringify({ MessageRetentionPeriod: '7' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fifoTopic(Name: string, Attributes: Record<string, string> = { ArchivePolicy: ARCHIVE }): Promise<string> {
  return (await client.send(new sns.CreateTopicCommand({ Name, Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true', ...Attributes } }))).TopicArn!;
}

async function fifoQueue(name: string): Promise<QueueRef> {
  return createQueue(sqs, name, { FifoQueue: 'true' });
}

async function subscribe(TopicArn: string, queue: QueueRef, Attributes?: Record<string, string>): Promise<string> {
  return (await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
}

async function publish(TopicArn: string, Message: string, attributes?: Record<string, string>): Promise<void> {
  const MessageAttributes = attributes && Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
  await client.send(new sns.PublishCommand({ TopicArn, Message, MessageGroupId: 'g', MessageAttributes }));
}

/** Receives and deletes until `count` messages came (a FIFO queue holds a group while one of it is in flight). */
async function drain(queue: QueueRef, count: number, timeoutMs = 10_000): Promise<Record<string, any>[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    out.push(...Messages);
    if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    else {
      assert.ok(Date.now() < deadline, `expected ${count} message(s) on ${queue.arn}, got ${out.length}`);
      await sleep(10);
    }
  }
  return out.map((m) => JSON.parse(m.Body!) as Record<string, any>);
}

async function nothingMore(queue: QueueRef): Promise<void> {
  await idle(server.stratus.runtime);
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  assert.deepEqual(Messages.map((m) => JSON.parse(m.Body!).Message), []);
}

async function replayStatus(SubscriptionArn: string, wanted: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    if (attributes.ReplayStatus === wanted) return attributes;
    assert.ok(Date.now() < deadline, `ReplayStatus ${attributes.ReplayStatus}, expected ${wanted}`);
    await sleep(10);
  }
}

describe('archiving and replay', () => {
  test('a new subscription replays the archive in order, as first delivered but Replayed, then takes what comes next', async () => {
    const before = Date.now();
    const TopicArn = await fifoTopic('archived.fifo');
    const attributes = (await client.send(new sns.GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.deepEqual(JSON.parse(attributes.ArchivePolicy), { MessageRetentionPeriod: '7' });
    const beginning = Date.parse(attributes.BeginningArchiveTime);
    assert.ok(beginning >= before - 5 && beginning <= Date.now(), attributes.BeginningArchiveTime);

    const first = await fifoQueue('first.fifo');
    await subscribe(TopicArn, first);
    for (const text of ['m1', 'm2', 'm3']) await publish(TopicArn, text);
    const original = await drain(first, 3);
    assert.deepEqual(original.map((m) => m.Message), ['m1', 'm2', 'm3']);

    // A subscriber joining later replays everything since before m1.
    const late = await fifoQueue('late.fifo');
    const lateArn = await subscribe(TopicArn, late, { ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: new Date(before - 1000).toISOString() }) });
    const replayed = await drain(late, 3);
    assert.deepEqual(replayed.map((m) => m.Message), ['m1', 'm2', 'm3']);
    replayed.forEach((m, i) => {
      assert.equal(m.Replayed, true);
      assert.equal(m.MessageId, original[i].MessageId);
      assert.equal(m.Timestamp, original[i].Timestamp);
      assert.equal(m.SequenceNumber, original[i].SequenceNumber);
      assert.equal(original[i].Replayed, undefined);
    });
    const done = await replayStatus(lateArn, 'Completed');
    assert.deepEqual(JSON.parse(done.ReplayPolicy), { PointType: 'Timestamp', StartingPoint: new Date(before - 1000).toISOString() });
    // Then it takes what is published, as any subscription does.
    await publish(TopicArn, 'm4');
    const [fresh] = await drain(late, 1);
    assert.deepEqual([fresh.Message, fresh.Replayed], ['m4', undefined]);
    await drain(first, 1);
  });

  test('a window and a filter policy choose what is replayed; an ending point ends the intake', async () => {
    const TopicArn = await fifoTopic('windowed.fifo');
    const times: number[] = [];
    for (const [i, colour] of ['red', 'blue', 'red', 'red', 'blue'].entries()) {
      times.push(Date.now());
      await publish(TopicArn, `w${i + 1}`, { colour });
      await sleep(15);
    }
    // From w2 to w4 (times[i] is taken just before w(i+1) is published), red ones only: w3 and w4.
    const q = await fifoQueue('windowed.fifo');
    const arn = await subscribe(TopicArn, q, {
      FilterPolicy: '{"colour":["red"]}',
      ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: new Date(times[1]).toISOString(), EndingPoint: new Date(times[4] - 1).toISOString() }),
    });
    assert.deepEqual((await drain(q, 2)).map((m) => m.Message), ['w3', 'w4']);
    await replayStatus(arn, 'Completed');
    // "If an ending point was specified … the subscription will no longer receive newly published messages."
    await publish(TopicArn, 'w6', { colour: 'red' });
    await nothingMore(q);
    // Removing the policy lets messages in again.
    await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'ReplayPolicy', AttributeValue: '' }));
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!;
    assert.deepEqual([attributes.ReplayPolicy, attributes.ReplayStatus], [undefined, undefined]);
    await publish(TopicArn, 'w7', { colour: 'red' });
    assert.deepEqual((await drain(q, 1)).map((m) => m.Message), ['w7']);
  });

  test('what is published during a replay follows the replayed messages, in order', async () => {
    const TopicArn = await fifoTopic('busy.fifo');
    const start = new Date(Date.now() - 1000).toISOString();
    // More than a replay job redelivers in one attempt (100): the replay hands over while the topic publishes.
    const OLD = 120;
    for (let i = 1; i <= OLD; i++) await publish(TopicArn, `old${i}`);
    const q = await fifoQueue('busy.fifo');
    const arn = await subscribe(TopicArn, q);
    // An existing subscription asks for a replay, while the topic keeps publishing.
    await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'ReplayPolicy', AttributeValue: JSON.stringify({ PointType: 'Timestamp', StartingPoint: start }) }));
    for (let i = 1; i <= 5; i++) await publish(TopicArn, `new${i}`);
    const got = (await drain(q, OLD + 5)).map((m) => m.Message);
    assert.deepEqual(got, [...Array.from({ length: OLD }, (_, i) => `old${i + 1}`), ...Array.from({ length: 5 }, (_, i) => `new${i + 1}`)]);
    await replayStatus(arn, 'Completed');
  });

  test('a queue of another account asks for a replay at Subscribe: it runs once the queue\'s owner confirms', async () => {
    const OTHER = '444455556666';
    const TopicArn = await fifoTopic('shared.fifo');
    const start = new Date(Date.now() - 1000).toISOString();
    for (const text of ['s1', 's2']) await publish(TopicArn, text);
    const theirs = server.client(SQSClient, { credentials: { accessKeyId: OTHER, secretAccessKey: 'x' } });
    const name = 'theirs.fifo';
    const Policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${OTHER}:${name}`, Condition: { ArnEquals: { 'aws:SourceArn': TopicArn } } },
      ],
    });
    const q = await createQueue(theirs, name, { FifoQueue: 'true', Policy });
    const pending = await client.send(
      new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: start }) } }),
    );
    assert.equal(pending.SubscriptionArn, 'pending confirmation');
    // The confirmation reaches their FIFO queue; nothing is replayed before they confirm.
    const { Messages = [] } = await theirs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 2, AttributeNames: ['All'] }));
    assert.equal(Messages.length, 1);
    const confirmation = JSON.parse(Messages[0].Body!) as Record<string, string>;
    assert.equal(confirmation.Type, 'SubscriptionConfirmation');
    await theirs.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: '0', ReceiptHandle: Messages[0].ReceiptHandle! }] }));
    assert.equal((await fetch(confirmation.SubscribeURL)).status, 200);
    const replayed: string[] = [];
    const deadline = Date.now() + 10_000;
    while (replayed.length < 2) {
      const got = await theirs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      for (const m of got.Messages ?? []) {
        replayed.push(JSON.parse(m.Body!).Message as string);
        await theirs.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: '0', ReceiptHandle: m.ReceiptHandle! }] }));
      }
      assert.ok(Date.now() < deadline, `replayed ${replayed.join(',')}`);
      await sleep(10);
    }
    assert.deepEqual(replayed, ['s1', 's2']);
  });

  test('bad policies are refused', async () => {
    const plain = (await client.send(new sns.CreateTopicCommand({ Name: 'not-fifo' }))).TopicArn!;
    const unarchived = await fifoTopic('unarchived.fifo', {});
    const archived = await fifoTopic('checked.fifo');
    const q = await fifoQueue('checked.fifo');
    const policy = (p: object) => ({ ReplayPolicy: JSON.stringify(p) });
    const ok = { PointType: 'Timestamp', StartingPoint: new Date().toISOString() };
    const refused = async (promise: Promise<unknown>, message: string) =>
      assert.rejects(promise, (error: Error & { Code?: string }) => {
        assert.equal(error.Code, 'InvalidParameter');
        assert.equal(error.message, message);
        return true;
      });
    await refused(client.send(new sns.SetTopicAttributesCommand({ TopicArn: plain, AttributeName: 'ArchivePolicy', AttributeValue: ARCHIVE })), 'Invalid parameter: ArchivePolicy: ArchivePolicy can only be set for FIFO topics');
    await refused(
      client.send(new sns.SetTopicAttributesCommand({ TopicArn: archived, AttributeName: 'ArchivePolicy', AttributeValue: '{"MessageRetentionPeriod":"366"}' })),
      'Invalid parameter: ArchivePolicy: MessageRetentionPeriod must be an integer between 1 and 365',
    );
    await refused(subscribe(unarchived, q, policy(ok)), 'Invalid parameter: Attributes Reason: ReplayPolicy: Replay is only supported for topics with an ArchivePolicy');
    await refused(subscribe(archived, q, policy({ ...ok, PointType: 'SequenceNumber' })), 'Invalid parameter: Attributes Reason: ReplayPolicy: PointType must be Timestamp');
    await refused(subscribe(archived, q, policy({ PointType: 'Timestamp' })), 'Invalid parameter: Attributes Reason: ReplayPolicy: StartingPoint is required');
    await refused(subscribe(archived, q, policy({ ...ok, StartingPoint: 'yesterday' })), 'Invalid parameter: Attributes Reason: ReplayPolicy: StartingPoint must be a timestamp in ISO 8601 format');
    await refused(
      subscribe(archived, q, policy({ ...ok, EndingPoint: new Date(Date.now() - 60_000).toISOString() })),
      'Invalid parameter: Attributes Reason: ReplayPolicy: EndingPoint must not be before StartingPoint',
    );
    const arn = await subscribe(archived, q);
    await refused(
      client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'ReplayPolicy', AttributeValue: '{nope' })),
      'Invalid parameter: ReplayPolicy: failed to parse JSON.',
    );
    // Archiving stopped: no BeginningArchiveTime, and nothing to replay from.
    await client.send(new sns.SetTopicAttributesCommand({ TopicArn: archived, AttributeName: 'ArchivePolicy', AttributeValue: '' }));
    const attributes = (await client.send(new sns.GetTopicAttributesCommand({ TopicArn: archived }))).Attributes!;
    assert.deepEqual([attributes.ArchivePolicy, attributes.BeginningArchiveTime], [undefined, undefined]);
    await refused(
      client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'ReplayPolicy', AttributeValue: JSON.stringify(ok) })),
      'Invalid parameter: ReplayPolicy: Replay is only supported for topics with an ArchivePolicy',
    );
  });
});

test('retention: a sweep deletes what is older than the period, and BeginningArchiveTime moves with it', async () => {
  const DAY = 24 * 60 * 60 * 1000;
  const clock = new ManualClock(Date.now());
  const timed = await startTestServer({ clock });
  try {
    const c = timed.client(sns.SNSClient);
    const q = timed.client(SQSClient);
    const { TopicArn } = await c.send(new sns.CreateTopicCommand({ Name: 'short.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true', ArchivePolicy: '{"MessageRetentionPeriod":"1"}' } }));
    const created = clock.now();
    await c.send(new sns.PublishCommand({ TopicArn, Message: 'day one', MessageGroupId: 'g' }));
    clock.advance(DAY / 2);
    await c.send(new sns.PublishCommand({ TopicArn, Message: 'half a day later', MessageGroupId: 'g' }));
    clock.advance(DAY / 2 + 60_000);
    await idle(timed.stratus.runtime);
    const beginning = (await c.send(new sns.GetTopicAttributesCommand({ TopicArn }))).Attributes!.BeginningArchiveTime;
    assert.equal(Date.parse(beginning), clock.now() - DAY);
    assert.ok(Date.parse(beginning) > created);

    // Replaying from before the first message finds only what the retention kept.
    const queue = await createQueue(q, 'short.fifo', { FifoQueue: 'true' });
    await c.send(
      new sns.SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { ReplayPolicy: JSON.stringify({ PointType: 'Timestamp', StartingPoint: new Date(created - 1000).toISOString() }) },
      }),
    );
    await idle(timed.stratus.runtime);
    const { Messages = [] } = await q.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.deepEqual(Messages.map((m) => JSON.parse(m.Body!).Message), ['half a day later']);
  } finally {
    await timed.stop();
  }
});
