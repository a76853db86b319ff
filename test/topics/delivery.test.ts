/**
 * SNS fan-out through a real server: Publish and PublishBatch through @aws-sdk/client-sns, the
 * messages read back from real SQS queues. Filter policies per subscription, the JSON envelope
 * (signed, verifiable with the certificate Stratus serves) and raw delivery, MessageStructure,
 * FIFO topics (order per group under concurrent publishers, deduplication), dead-letter queues,
 * a cross-account subscription confirmed from its queue, and a topic as an EventBridge target.
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import * as sns from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEmpty, createQueue, idle, receive, receiveOne, type QueueRef } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';

const OTHER = '444455556666';

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const topic = async (Name: string, Attributes?: Record<string, string>) => (await client.send(new sns.CreateTopicCommand({ Name, Attributes }))).TopicArn!;
const subscribe = async (TopicArn: string, queue: QueueRef, Attributes?: Record<string, string>) =>
  (await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
const envelope = (m: Message) => JSON.parse(m.Body!) as Record<string, any>;

/**
 * Receives and deletes until `count` messages came: a FIFO queue holds a group back while a
 * message of it is in flight, so reading a whole FIFO queue means deleting as one goes.
 */
async function drain(from: SQSClient, queue: QueueRef, count: number, timeoutMs = 15_000): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const { Messages = [] } = await from.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    out.push(...Messages);
    if (Messages.length > 0) {
      await from.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    } else assert.ok(Date.now() < deadline, `expected ${count} message(s) on ${queue.arn}, got ${out.length} in ${timeoutMs} ms`);
  }
  return out;
}
const settle = () => idle(server.stratus.runtime);

describe('fan-out to SQS', () => {
  test('three queues, each with its own filter policy, get exactly the messages that match it', async () => {
    const arn = await topic('fanout');
    const orders = await createQueue(sqs, 'fanout-orders');
    const big = await createQueue(sqs, 'fanout-big');
    const refunds = await createQueue(sqs, 'fanout-refunds');
    await subscribe(arn, orders, { FilterPolicy: '{"type": ["order"]}' });
    await subscribe(arn, big, { FilterPolicy: '{"amount": [{"numeric": [">", 100]}]}' });
    await subscribe(arn, refunds, { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"kind": ["refund"]}' });
    const attrs = (type: string, amount: number) => ({ type: { DataType: 'String', StringValue: type }, amount: { DataType: 'Number', StringValue: String(amount) } });
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: '{"kind":"sale","n":1}', MessageAttributes: attrs('order', 50) }));
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: '{"kind":"sale","n":2}', MessageAttributes: attrs('order', 500) }));
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: '{"kind":"refund","n":3}', MessageAttributes: attrs('return', 20) }));
    await client.send(
      new sns.PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: '{"kind":"refund","n":4}', MessageAttributes: attrs('order', 1000) },
          { Id: 'b', Message: 'not json', MessageAttributes: attrs('other', 1) },
        ],
      }),
    );
    await settle();
    const numbers = async (q: QueueRef, count: number) => (await receive(sqs, q, count)).map((m) => JSON.parse(envelope(m).Message).n as number).sort();
    assert.deepEqual(await numbers(orders, 3), [1, 2, 4]);
    assert.deepEqual(await numbers(big, 2), [2, 4]);
    assert.deepEqual(await numbers(refunds, 2), [3, 4]);
    for (const q of [orders, big, refunds]) await assertEmpty(sqs, q);
  });

  test('the JSON envelope as AWS writes it, signed with the certificate Stratus serves', async () => {
    const arn = await topic('envelope');
    const q = await createQueue(sqs, 'envelope-q');
    const subArn = await subscribe(arn, q);
    const published = await client.send(
      new sns.PublishCommand({ TopicArn: arn, Message: 'hello', Subject: 'greeting', MessageAttributes: { n: { DataType: 'Number', StringValue: '7' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) } } }),
    );
    const body = envelope(await receiveOne(sqs, q));
    assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(body.MessageId, published.MessageId);
    assert.equal(body.TopicArn, arn);
    assert.equal(body.Message, 'hello');
    assert.equal(body.UnsubscribeURL, `${server.url}/?Action=Unsubscribe&SubscriptionArn=${subArn}`);
    assert.deepEqual(body.MessageAttributes, { n: { Type: 'Number', Value: '7' }, b: { Type: 'Binary', Value: 'AgME' } });
    const certificate = await (await fetch(body.SigningCertURL)).text();
    assert.ok(verifySnsSignature(body, certificate), 'the signature verifies');
  });

  test('a batch fanned out to several queues: each copy names its own subscription and message, one signature per message, every one verifies', async () => {
    const arn = await topic('fan-envelopes');
    const queues = [await createQueue(sqs, 'fan-envelopes-0'), await createQueue(sqs, 'fan-envelopes-1'), await createQueue(sqs, 'fan-envelopes-2')];
    const subscriptions = [await subscribe(arn, queues[0]), await subscribe(arn, queues[1], { RawMessageDelivery: 'true' }), await subscribe(arn, queues[2])];
    const out = await client.send(
      new sns.PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, Message: `message ${i}`, ...(i % 2 === 0 ? { Subject: `subject ${i}` } : {}) })),
      }),
    );
    const messageIds = new Map(out.Successful!.map((s) => [s.Id!, s.MessageId!]));
    await settle();
    let certificate: string | undefined;
    const signatures = new Map<string, string>();
    for (const q of [0, 2]) {
      const bodies = (await receive(sqs, queues[q], 10)).map(envelope);
      assert.deepEqual(bodies.map((b) => b.Message as string).sort(), Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
      for (const body of bodies) {
        const i = Number(String(body.Message).split(' ')[1]);
        assert.equal(body.MessageId, messageIds.get(`m${i}`));
        assert.equal(body.Subject, i % 2 === 0 ? `subject ${i}` : undefined);
        assert.equal(body.UnsubscribeURL, `${server.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptions[q]}`);
        const pem = (certificate ??= await (await fetch(body.SigningCertURL)).text());
        assert.ok(verifySnsSignature(body, pem), `the signature of message ${i} in queue ${q} verifies`);
        const id = String(body.MessageId);
        const seen = signatures.get(id);
        if (seen === undefined) signatures.set(id, String(body.Signature));
        else assert.equal(body.Signature, seen, 'the copies of one message carry the same signature');
      }
    }
    assert.equal(new Set(signatures.values()).size, 10, 'each message its own signature');
    assert.deepEqual((await receive(sqs, queues[1], 10)).map((m) => m.Body).sort(), Array.from({ length: 10 }, (_, i) => `message ${i}`).sort());
    for (const q of queues) await assertEmpty(sqs, q);
  });

  test('raw delivery: the message as the body, its attributes as SQS message attributes', async () => {
    const arn = await topic('raw');
    const q = await createQueue(sqs, 'raw-q');
    await subscribe(arn, q, { RawMessageDelivery: 'true' });
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'plain text', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, list: { DataType: 'String.Array', StringValue: '["a",1]' } } }));
    const m = await receiveOne(sqs, q);
    assert.equal(m.Body, 'plain text');
    assert.deepEqual(m.MessageAttributes, {
      color: { DataType: 'String', StringValue: 'red' },
      list: { DataType: 'String.Array', StringValue: '["a",1]' },
    });
  });

  test('MessageStructure json: the sqs entry for SQS subscribers, without attributes', async () => {
    const arn = await topic('structured');
    const q = await createQueue(sqs, 'structured-q');
    await subscribe(arn, q);
    await client.send(
      new sns.PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues', email: 'for people' }),
        MessageAttributes: { a: { DataType: 'String', StringValue: 'x' } },
      }),
    );
    const body = envelope(await receiveOne(sqs, q));
    assert.equal(body.Message, 'for queues');
    assert.equal(body.MessageAttributes, undefined);
  });

  test('a message published before a subscription exists reaches none; one after, every one', async () => {
    const arn = await topic('late');
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'early' }));
    const q = await createQueue(sqs, 'late-q');
    await subscribe(arn, q);
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'late' }));
    await settle();
    assert.deepEqual((await receive(sqs, q, 1)).map((m) => envelope(m).Message), ['late']);
    await assertEmpty(sqs, q);
  });
});

describe('FIFO topics', () => {
  test('each group reaches every FIFO queue in sequence order under concurrent publishers', async () => {
    const arn = await topic('ordered.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const a = await createQueue(sqs, 'ordered-a.fifo', { FifoQueue: 'true' });
    const b = await createQueue(sqs, 'ordered-b.fifo', { FifoQueue: 'true' });
    await subscribe(arn, a);
    await subscribe(arn, b, { RawMessageDelivery: 'true' });
    const publishers = 4;
    const perPublisher = 30;
    const groups = ['g0', 'g1', 'g2'];
    // Each publisher publishes its messages one after the other; the publishers run side by side.
    const sent = await Promise.all(
      Array.from({ length: publishers }, async (_, p) => {
        const mine: { group: string; text: string; sequence: string }[] = [];
        for (let i = 0; i < perPublisher; i++) {
          const group = groups[i % groups.length];
          const text = `p${p}-${i}`;
          const out = await client.send(new sns.PublishCommand({ TopicArn: arn, Message: text, MessageGroupId: group }));
          mine.push({ group, text, sequence: out.SequenceNumber! });
        }
        return mine;
      }),
    );
    const all = sent.flat();
    const total = publishers * perPublisher;
    const received = { a: await drain(sqs, a, total), b: await drain(sqs, b, total) };
    const bySequence = new Map(all.map((s) => [s.text, BigInt(s.sequence)]));
    for (const [name, messages] of Object.entries(received)) {
      const texts = messages.map((m) => (name === 'a' ? envelope(m).Message : m.Body) as string);
      assert.equal(new Set(texts).size, total, `${name}: every message once`);
      for (const group of groups) {
        const inGroup = messages.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => (name === 'a' ? envelope(m).Message : m.Body) as string);
        const sequences = inGroup.map((t) => bySequence.get(t)!);
        assert.deepEqual(sequences, [...sequences].sort((x, y) => (x < y ? -1 : 1)), `${name}/${group}: in SequenceNumber order`);
        for (let p = 0; p < publishers; p++) {
          const fromP = inGroup.filter((t) => t.startsWith(`p${p}-`));
          assert.deepEqual(fromP, all.filter((s) => s.group === group && s.text.startsWith(`p${p}-`)).map((s) => s.text), `${name}/${group}: publisher ${p}'s order`);
        }
      }
    }
    const first = envelope(received.a[0]);
    assert.ok(first.SequenceNumber, 'the envelope carries the SequenceNumber');
    assert.equal(first.Signature, undefined, 'FIFO envelopes are unsigned (recorded)');
  });

  test('the same deduplication id within 5 minutes: the first answer again, delivered once', async () => {
    const arn = await topic('dedup.fifo', { FifoTopic: 'true' });
    const q = await createQueue(sqs, 'dedup-q.fifo', { FifoQueue: 'true' });
    await subscribe(arn, q, { RawMessageDelivery: 'true' });
    const publish = (Message: string) => client.send(new sns.PublishCommand({ TopicArn: arn, Message, MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    const first = await publish('one');
    const second = await publish('two');
    assert.deepEqual([second.MessageId, second.SequenceNumber], [first.MessageId, first.SequenceNumber]);
    const batch = await client.send(
      new sns.PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'x', Message: 'three', MessageGroupId: 'g', MessageDeduplicationId: 'other' },
          { Id: 'y', Message: 'four', MessageGroupId: 'g', MessageDeduplicationId: 'other' },
        ],
      }),
    );
    assert.equal(batch.Successful![0].MessageId, batch.Successful![1].MessageId);
    await settle();
    const bodies = (await drain(sqs, q, 2)).map((m) => m.Body);
    assert.deepEqual(bodies, ['one', 'three']);
    await assertEmpty(sqs, q);
  });

  test('a standard queue may subscribe to a FIFO topic; the group id is not passed to it', async () => {
    const arn = await topic('to-standard.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const q = await createQueue(sqs, 'to-standard-q');
    await subscribe(arn, q);
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'm', MessageGroupId: 'grp' }));
    const m = await receiveOne(sqs, q);
    assert.equal(envelope(m).Message, 'm');
    // Developer Guide, "Amazon SNS message grouping for FIFO topics" (recorded: test_fifo_topic_to_regular_sqs).
    assert.equal(m.Attributes?.MessageGroupId, undefined);
  });

  test("a standard topic's MessageGroupId reaches a standard queue (fair queues)", async () => {
    const arn = await topic('fair-groups');
    const q = await createQueue(sqs, 'fair-groups-q');
    await subscribe(arn, q);
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'tenant message', MessageGroupId: 'tenant-1' }));
    const m = await receiveOne(sqs, q);
    // API Reference, Publish: MessageGroupId (recorded: test_publish_message_group_id).
    assert.equal(m.Attributes?.MessageGroupId, 'tenant-1');
  });
});

describe('dead-letter queues', () => {
  test('a queue deleted under its subscription: the message goes to the RedrivePolicy queue as it would have been delivered', async () => {
    const arn = await topic('dlq');
    const gone = await createQueue(sqs, 'dlq-gone');
    const rawGone = await createQueue(sqs, 'dlq-raw-gone');
    const dlq = await createQueue(sqs, 'dlq-target');
    const rawDlq = await createQueue(sqs, 'dlq-raw-target');
    await subscribe(arn, gone, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await subscribe(arn, rawGone, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: rawDlq.arn }), RawMessageDelivery: 'true' });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: rawGone.url }));
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'undeliverable', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '111' } } }));
    const dead = envelope(await receiveOne(sqs, dlq));
    assert.equal(dead.Type, 'Notification');
    assert.equal(dead.Message, 'undeliverable');
    assert.deepEqual(dead.MessageAttributes, { attr1: { Type: 'Number', Value: '111' } });
    const rawDead = await receiveOne(sqs, rawDlq);
    assert.equal(rawDead.Body, 'undeliverable');
    assert.equal(rawDead.MessageAttributes!.attr1.StringValue, '111');
    const failed = await server.stratus.runtime.store.all<{ error_code: string; condition: string }>('SELECT error_code, condition FROM sns_failed_deliveries ORDER BY id');
    assert.ok(failed.some((f) => f.condition === 'PermanentFailure'));
  });

  test('FIFO: the dead message keeps its group and deduplication id, and the group goes on', async () => {
    const arn = await topic('dlq.fifo', { FifoTopic: 'true' });
    const q = await createQueue(sqs, 'dlq-src.fifo', { FifoQueue: 'true' });
    const dlq = await createQueue(sqs, 'dlq-dst.fifo', { FifoQueue: 'true' });
    const subArn = await subscribe(arn, q, { RawMessageDelivery: 'true' });
    await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: subArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }) }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    for (const [i, text] of ['first', 'second'].entries()) {
      await client.send(new sns.PublishCommand({ TopicArn: arn, Message: text, MessageGroupId: 'grp', MessageDeduplicationId: `d${i}` }));
    }
    const dead = await drain(sqs, dlq, 2);
    assert.deepEqual(dead.map((m) => [m.Body, m.Attributes!.MessageGroupId, m.Attributes!.MessageDeduplicationId]), [
      ['first', 'grp', 'd0'],
      ['second', 'grp', 'd1'],
    ]);
  });
});

describe('beyond one account and one service', () => {
  test('a queue of another account subscribed by the topic owner confirms from its queue', async () => {
    const arn = await topic('cross');
    const theirs = server.client(SQSClient, { credentials: { accessKeyId: OTHER, secretAccessKey: 'x' } });
    // The queue's owner lets the topic send to it (SNS Developer Guide, "Sending Amazon SNS messages to an Amazon SQS queue in a different account").
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${OTHER}:cross-q`, Condition: { ArnEquals: { 'aws:SourceArn': arn } } },
      ],
    });
    const q = await createQueue(theirs, 'cross-q', { Policy });
    assert.equal(q.arn, `arn:aws:sqs:us-east-1:${OTHER}:cross-q`);
    const pending = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }));
    assert.equal(pending.SubscriptionArn, 'pending confirmation');
    const confirmation = envelope(await receiveOne(theirs, q));
    assert.equal(confirmation.Type, 'SubscriptionConfirmation');
    assert.equal(confirmation.SubscribeURL, `${server.url}/?Action=ConfirmSubscription&TopicArn=${arn}&Token=${confirmation.Token}`);
    // The queue's owner confirms by visiting the SubscribeURL (a GET of the Query API).
    const visited = await fetch(confirmation.SubscribeURL as string);
    assert.equal(visited.status, 200);
    assert.match(await visited.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:000000000000:cross:/);
    await client.send(new sns.PublishCommand({ TopicArn: arn, Message: 'across accounts' }));
    const delivered = (await receive(theirs, q, 1)).map((m) => envelope(m).Message);
    assert.deepEqual(delivered, ['across accounts']);
  });

  test('a topic as an EventBridge rule target', async () => {
    const arn = await topic('from-events');
    const q = await createQueue(sqs, 'from-events-q');
    await subscribe(arn, q, { RawMessageDelivery: 'true' });
    const eb = server.client(EventBridgeClient);
    await eb.send(new PutRuleCommand({ Name: 'to-sns', EventPattern: '{"source":["shop"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-sns', Targets: [{ Id: 't', Arn: arn }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'order', Detail: '{"total":3}' }] }));
    const m = await receiveOne(sqs, q);
    assert.deepEqual(JSON.parse(m.Body!).detail, { total: 3 });
  });
});

