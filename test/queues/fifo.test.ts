/**
 * FIFO queues through @aws-sdk/client-sqs: message groups, deduplication (explicit ids,
 * content-based, the 5-minute interval on a ManualClock, DeduplicationScope), strict order,
 * groups held back while in flight, SequenceNumber, DelaySeconds, ReceiveRequestAttemptId,
 * and ordering under concurrent consumers (real clock).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { counts, createQueue, expectError, receive, sleep } from './data-helpers.js';

const FIVE_MINUTES = 5 * 60 * 1000;

let manual: TestServer;
let clock: ManualClock;
let sqs: SQSClient;
let real: TestServer;
let realSqs: SQSClient;

before(async () => {
  clock = new ManualClock();
  manual = await startTestServer({ clock });
  sqs = manual.client(SQSClient);
  real = await startTestServer();
  realSqs = real.client(SQSClient);
});

after(async () => {
  await manual.stop();
  await real.stop();
});

const fifoQueue = (prefix: string, attributes: Record<string, string> = {}) => createQueue(sqs, prefix, { FifoQueue: 'true', ...attributes });
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const bodies = (messages: Message[]) => messages.map((m) => m.Body);

describe('sending to a FIFO queue', () => {
  test('MessageGroupId is required', async () => {
    const queueUrl = await fifoQueue('group-required', { ContentBasedDeduplication: 'true' });
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' })), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    const batch = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'ok', MessageBody: 'a', MessageGroupId: 'g' }, { Id: 'nogroup', MessageBody: 'b' }] }),
    );
    assert.deepEqual(batch.Successful!.map((s) => s.Id), ['ok']);
    assert.deepEqual(batch.Failed, [{ Id: 'nogroup', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageGroupId.' }]);
    for (const bad of ['', 'has space', 'x'.repeat(129), 'é']) {
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      });
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: `${'x'.repeat(120)}!#$%&()` }));
  });

  test('a deduplication id or ContentBasedDeduplication is required', async () => {
    const queueUrl = await fifoQueue('dedup-required');
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g' })), {
      name: 'InvalidParameterValue',
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'white space' })), {
      name: 'InvalidParameterValue',
      message: 'Value white space for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd-1' }));
    assert.match(sent.SequenceNumber!, /^\d{20}$/);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
  });

  test('ContentBasedDeduplication: the SHA-256 of the body is the id; an explicit id wins', async () => {
    const queueUrl = await fifoQueue('content-dedup', { ContentBasedDeduplication: 'true' });
    const first = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'same', MessageGroupId: 'g' }));
    // Attributes are not part of the content (Developer Guide: "the body of the message is used").
    const again = await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'same', MessageGroupId: 'g', MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } }),
    );
    assert.equal(again.MessageId, first.MessageId);
    assert.equal(again.SequenceNumber, first.SequenceNumber);
    const other = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'different', MessageGroupId: 'g' }));
    const explicit = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'mine' }));
    assert.equal(new Set([first.MessageId, other.MessageId, explicit.MessageId]).size, 3);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageDeduplicationId'] }));
    assert.deepEqual(
      got.Messages!.map((m) => [m.Body, m.Attributes!.MessageDeduplicationId]),
      [
        ['same', sha256('same')],
        ['different', sha256('different')],
        ['same', 'mine'],
      ],
    );
  });

  test('a duplicate within 5 minutes is accepted with the original MessageId and not delivered again', async () => {
    const queueUrl = await fifoQueue('dedup-window');
    const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: 'order-1' }));
    const original = await send('first');
    clock.advance(60_000);
    const duplicate = await send('second');
    assert.deepEqual([duplicate.MessageId, duplicate.SequenceNumber], [original.MessageId, original.SequenceNumber]);
    const [m] = await receive(sqs, queueUrl);
    assert.deepEqual([m.MessageId, m.Body], [original.MessageId, 'first']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    // Even after the delete: "any messages sent with the same message deduplication ID are
    // accepted successfully but aren't delivered during the 5-minute deduplication interval"
    // (Developer Guide, exactly-once processing). The interval counts from the first send.
    clock.advance(FIVE_MINUTES - 60_000 - 1);
    assert.equal((await send('third')).MessageId, original.MessageId);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
    clock.advance(2);
    const fresh = await send('fourth');
    assert.notEqual(fresh.MessageId, original.MessageId);
    assert.ok(BigInt(fresh.SequenceNumber!) > BigInt(original.SequenceNumber!));
    const [n] = await receive(sqs, queueUrl);
    assert.deepEqual([n.MessageId, n.Body], [fresh.MessageId, 'fourth']);
    // The new send opened a new interval.
    assert.equal((await send('fifth')).MessageId, fresh.MessageId);
  });

  test('deduplication holds across the turns of its two log tables, and expired records are emptied out', async () => {
    const queueUrl = await fifoQueue('dedup-turns');
    const send = async (id: string) =>
      (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: id, MessageGroupId: 'g', MessageDeduplicationId: id }))).MessageId!;
    const first: string[] = [];
    // A minute apart for 23 minutes (crossing several 5-minute turns): a new id, the id of 4
    // minutes ago (a duplicate still) and the id of 6 minutes ago (a new message again).
    for (let minute = 0; minute < 23; minute++) {
      first.push(await send(`id-${minute}`));
      if (minute >= 4) assert.equal(await send(`id-${minute - 4}`), first[minute - 4], `minute ${minute}`);
      if (minute >= 6) assert.notEqual(await send(`id-${minute - 6}`), first[minute - 6], `minute ${minute}`);
      clock.advance(60_000);
    }
    await send('last');
    // Records written more than 10 minutes ago are in a table whose turn has come round again.
    const store = manual.stratus.runtime.store;
    const old = await store.get<{ n: number }>(
      'SELECT (SELECT count(*) FROM sqs_dedup_log_0 WHERE expires_at <= ?) + (SELECT count(*) FROM sqs_dedup_log_1 WHERE expires_at <= ?) AS n',
      [clock.now() - FIVE_MINUTES, clock.now() - FIVE_MINUTES],
    );
    assert.equal(Number(old!.n), 0);
  });

  test('duplicates inside one batch get the first entry\'s MessageId', async () => {
    const queueUrl = await fifoQueue('dedup-batch');
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
          { Id: 'b', MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
          { Id: 'c', MessageBody: 'three', MessageGroupId: 'g', MessageDeduplicationId: 'other' },
        ],
      }),
    );
    const [a, b, c] = result.Successful!;
    assert.equal(b.MessageId, a.MessageId);
    assert.notEqual(c.MessageId, a.MessageId);
    assert.deepEqual(bodies(await receive(sqs, queueUrl)), ['one', 'three']);
  });

  test('a send that failed to store does not take its deduplication id: sent again, the message is delivered', async () => {
    const queueUrl = await fifoQueue('dedup-failed-send');
    const store = manual.stratus.runtime.store;
    // The dedup log refuses this send's records, after its messages were written in the same unit.
    const sqlite = store.backend === 'sqlite';
    if (!sqlite) {
      await store.write((tx) =>
        tx.run(`CREATE FUNCTION refuse_dedup() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.records LIKE '%refused%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`),
      );
    }
    for (const turn of [0, 1]) {
      await store.write((tx) =>
        tx.run(
          sqlite
            ? `CREATE TRIGGER refuse_${turn} BEFORE INSERT ON sqs_dedup_log_${turn} WHEN NEW.records LIKE '%refused%'
          BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
            : `CREATE TRIGGER refuse_${turn} BEFORE INSERT ON sqs_dedup_log_${turn} FOR EACH ROW EXECUTE FUNCTION refuse_dedup()`,
        ),
      );
    }
    const send = (body: string, dedupId: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: dedupId }));
    try {
      await assert.rejects(send('lost?', 'refused'), (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.deepEqual([error.name, error.$metadata?.httpStatusCode], ['InternalFailure', 500]);
        return true;
      });
      assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
    } finally {
      for (const turn of [0, 1]) await store.write((tx) => tx.run(`DROP TRIGGER refuse_${turn}${sqlite ? '' : ` ON sqs_dedup_log_${turn}`}`));
    }
    const again = await send('sent again', 'refused');
    const [m] = await receive(sqs, queueUrl);
    assert.deepEqual([m.MessageId, m.Body], [again.MessageId, 'sent again']);
  });

  test('DeduplicationScope messageGroup: the same id in two groups is two messages', async () => {
    const queueUrl = await fifoQueue('dedup-scope', { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const send = (group: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: 'shared' }));
    const g1 = await send('g1', 'one');
    const g2 = await send('g2', 'two');
    const g1again = await send('g1', 'three');
    assert.notEqual(g2.MessageId, g1.MessageId);
    assert.equal(g1again.MessageId, g1.MessageId);
    assert.deepEqual(bodies(await receive(sqs, queueUrl)).sort(), ['one', 'two']);

    // With the default scope (queue) the same ids collide across groups.
    const queueScoped = await fifoQueue('dedup-scope-queue');
    const q1 = await sqs.send(new SendMessageCommand({ QueueUrl: queueScoped, MessageBody: 'one', MessageGroupId: 'g1', MessageDeduplicationId: 'shared' }));
    const q2 = await sqs.send(new SendMessageCommand({ QueueUrl: queueScoped, MessageBody: 'two', MessageGroupId: 'g2', MessageDeduplicationId: 'shared' }));
    assert.equal(q2.MessageId, q1.MessageId);
    assert.deepEqual(bodies(await receive(sqs, queueScoped)), ['one']);
  });

  test('per-message DelaySeconds is rejected; 0 and the queue delay are accepted', async () => {
    const queueUrl = await fifoQueue('delay', { ContentBasedDeduplication: 'true' });
    // "When you set FifoQueue, you can't set DelaySeconds per message. You can set this
    // parameter only on a queue level." (API Reference, SendMessage, DelaySeconds)
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 })), {
      name: 'InvalidParameterValue',
      message: 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    });
    const batch = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'late', MessageBody: 'late', MessageGroupId: 'g', DelaySeconds: 1 }, { Id: 'zero', MessageBody: 'zero', MessageGroupId: 'g', DelaySeconds: 0 }] }),
    );
    assert.deepEqual(batch.Successful!.map((s) => s.Id), ['zero']);
    assert.deepEqual(batch.Failed!.map((f) => [f.Id, f.Code]), [['late', 'InvalidParameterValue']]);

    const delayed = await fifoQueue('delay-queue', { ContentBasedDeduplication: 'true', DelaySeconds: '30' });
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'a', MessageGroupId: 'g' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'b', MessageGroupId: 'g' }));
    assert.deepEqual(await counts(sqs, delayed), { visible: 0, inFlight: 0, delayed: 2 });
    clock.advance(29_999);
    assert.deepEqual(await receive(sqs, delayed), []);
    clock.advance(1);
    assert.deepEqual(bodies(await receive(sqs, delayed)), ['a', 'b']);
  });
});

describe('receiving from a FIFO queue', () => {
  test('strict order within a group, SequenceNumber increasing, FIFO system attributes', async () => {
    const queueUrl = await fifoQueue('order');
    const sent: { body: string; id: string; seq: string; dedup: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${i}`, MessageGroupId: 'g', MessageDeduplicationId: `d${i}` }));
      sent.push({ body: `m${i}`, id: r.MessageId!, seq: r.SequenceNumber!, dedup: `d${i}` });
    }
    const batch = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${5 + i}`, MessageGroupId: 'g', MessageDeduplicationId: `d${5 + i}` })) }),
    );
    batch.Successful!.forEach((r, i) => sent.push({ body: `m${5 + i}`, id: r.MessageId!, seq: r.SequenceNumber!, dedup: `d${5 + i}` }));
    for (let i = 1; i < sent.length; i++) assert.ok(BigInt(sent[i].seq) > BigInt(sent[i - 1].seq), `SequenceNumber ${i} not increasing`);
    for (const s of sent) assert.match(s.seq, /^\d{20}$/);

    const sentAt = clock.now();
    const got: Message[] = [];
    for (let round = 0; round < 2; round++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
      got.push(...Messages);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    }
    assert.deepEqual(
      got.map((m) => ({ body: m.Body, id: m.MessageId, attributes: m.Attributes })),
      sent.map((s) => ({
        body: s.body,
        id: s.id,
        attributes: {
          SenderId: '000000000000',
          SentTimestamp: String(sentAt),
          ApproximateReceiveCount: '1',
          ApproximateFirstReceiveTimestamp: String(sentAt),
          MessageGroupId: 'g',
          MessageDeduplicationId: s.dedup,
          SequenceNumber: s.seq,
        },
      })),
    );
  });

  test('FIFO system attributes by name', async () => {
    const queueUrl = await fifoQueue('fifo-names');
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm', MessageGroupId: 'group-7', MessageDeduplicationId: 'dedup-7' }));
    const expected = { MessageGroupId: 'group-7', MessageDeduplicationId: 'dedup-7', SequenceNumber: sent.SequenceNumber! };
    for (const name of ['MessageGroupId', 'MessageDeduplicationId', 'SequenceNumber'] as const) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: [name] }));
      assert.deepEqual(Messages![0].Attributes, { [name]: expected[name] });
    }
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['SequenceNumber', 'MessageGroupId', 'ApproximateReceiveCount'] }));
    assert.deepEqual(Messages![0].Attributes, { SequenceNumber: sent.SequenceNumber, MessageGroupId: 'group-7', ApproximateReceiveCount: '4' });
  });

  test('a group is held back while any of its messages is in flight', async () => {
    const queueUrl = await fifoQueue('held', { ContentBasedDeduplication: 'true' });
    for (const [group, body] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1'], ['a', 'a3']]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group }));
    }
    const [a1] = await receive(sqs, queueUrl, { max: 1, visibility: 30 });
    assert.equal(a1.Body, 'a1');
    assert.deepEqual(bodies(await receive(sqs, queueUrl, { visibility: 30 })), ['b1']);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 2, inFlight: 2, delayed: 0 });

    // The visibility timeout ends: a1 again, first, then the rest of its group.
    clock.advance(30_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const byBody = Object.fromEntries(again.Messages!.map((m) => [m.Body, m]));
    assert.deepEqual(bodies(again.Messages!).filter((b) => b!.startsWith('a')), ['a1', 'a2', 'a3']);
    assert.equal(byBody.a1.Attributes!.ApproximateReceiveCount, '2');
    assert.equal(byBody.a2.Attributes!.ApproximateReceiveCount, '1');

    // Making one message visible again (ChangeMessageVisibility 0) is not enough while its
    // group-mates are in flight.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: byBody.a1.ReceiptHandle!, VisibilityTimeout: 0 }));
    assert.deepEqual(await receive(sqs, queueUrl), []);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: byBody.a2.ReceiptHandle! }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: byBody.a3.ReceiptHandle! }));
    assert.deepEqual(bodies(await receive(sqs, queueUrl)), ['a1']);
  });

  test('a FIFO receipt handle whose visibility timeout has ended can no longer delete', async () => {
    // Live SQS: "Value … for parameter ReceiptHandle is invalid. Reason: The receipt handle has
    // expired." (aws/aws-sdk-js#1750, boto/boto3#2898); standard queues still delete then.
    const queueUrl = await fifoQueue('expired-handle', { ContentBasedDeduplication: 'true' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm', MessageGroupId: 'g' }));
    const [m] = await receive(sqs, queueUrl, { visibility: 5 });
    clock.advance(5_000);
    await expectError(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! })), {
      name: 'InvalidParameterValue',
      message: `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    });
    const [zero] = await receive(sqs, queueUrl, { visibility: 0 });
    assert.equal(zero.MessageId, m.MessageId);
    const batch = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'z', ReceiptHandle: zero.ReceiptHandle! }] }));
    assert.deepEqual(batch.Failed!.map((f) => [f.Id, f.Code, f.SenderFault]), [['z', 'InvalidParameterValue', true]]);
    const [live] = await receive(sqs, queueUrl, { visibility: 30 });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: live.ReceiptHandle! }));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
  });

  test('ReceiveRequestAttemptId: a retried receive gets the same messages and receipt handles', async () => {
    const queueUrl = await fifoQueue('attempt', { ContentBasedDeduplication: 'true' });
    for (const body of ['m1', 'm2', 'm3']) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g' }));
    const attempt = (id: string) => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 10, ReceiveRequestAttemptId: id }));
    const first = await attempt('attempt-1');
    assert.deepEqual(bodies(first.Messages!), ['m1', 'm2']);
    clock.advance(8_000);
    const retry = await attempt('attempt-1');
    assert.deepEqual(
      retry.Messages!.map((m) => [m.MessageId, m.ReceiptHandle]),
      first.Messages!.map((m) => [m.MessageId, m.ReceiptHandle]),
    );
    // Another attempt finds the group held back.
    assert.equal((await attempt('attempt-2')).Messages, undefined);
    // "If a retry occurs within the deduplication interval, it resets the visibility timeout."
    // (API Reference, ReceiveMessage, ReceiveRequestAttemptId)
    clock.advance(9_999);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 2, delayed: 0 });
    for (const m of retry.Messages!) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    assert.deepEqual(bodies(await receive(sqs, queueUrl)), ['m3']);

    for (const bad of ['has space', 'x'.repeat(129)]) {
      await expectError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, ReceiveRequestAttemptId: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter ReceiveRequestAttemptId is invalid. Reason: Must be 1 to 128 alphanumeric or punctuation characters.`,
      });
    }
  });

  test('a long poll waiting on a held-back group wakes when the in-flight message is deleted', async () => {
    const queueUrl = await createQueue(realSqs, 'held-long-poll', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    for (const body of ['first', 'second']) await realSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g' }));
    const { Messages: [first] = [] } = await realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 30 }));
    assert.equal(first.Body, 'first');
    const polling = realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await sleep(200);
    const deletedAt = performance.now();
    await realSqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle! }));
    const { Messages } = await polling;
    const latency = performance.now() - deletedAt;
    assert.deepEqual(bodies(Messages ?? []), ['second']);
    assert.ok(latency < 500, `the long poll returned ${latency.toFixed(0)} ms after the delete`);
  });

  test('ordering under concurrent consumers: per group the processed order is the sent order, nothing twice', async () => {
    const queueUrl = await createQueue(realSqs, 'concurrent', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
    const GROUPS = 5;
    const PER_GROUP = 40;
    const sent = new Map<string, string[]>();
    // Interleave the groups, 10 entries per batch, so batches cross group boundaries.
    const all: { group: string; body: string }[] = [];
    for (let i = 0; i < PER_GROUP; i++) for (let g = 0; g < GROUPS; g++) all.push({ group: `group-${g}`, body: `group-${g}/${i}` });
    for (let i = 0; i < all.length; i += 10) {
      const entries = all.slice(i, i + 10).map((e, j) => ({ Id: `e${j}`, MessageBody: e.body, MessageGroupId: e.group }));
      const result = await realSqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      assert.equal(result.Successful!.length, entries.length);
    }
    for (const e of all) sent.set(e.group, [...(sent.get(e.group) ?? []), e.body]);

    const processed = new Map<string, string[]>();
    let total = 0;
    const consumer = async (): Promise<void> => {
      while (total < all.length) {
        const { Messages = [] } = await realSqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 + Math.floor(Math.random() * 10), WaitTimeSeconds: 1, MessageSystemAttributeNames: ['MessageGroupId'] }),
        );
        for (const m of Messages) {
          const group = m.Attributes!.MessageGroupId!;
          processed.set(group, [...(processed.get(group) ?? []), m.Body!]);
          total++;
        }
        if (Messages.length === 0) continue;
        await sleep(Math.random() * 3); // "processing"
        const deleted = await realSqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
        assert.equal(deleted.Successful!.length, Messages.length);
      }
    };
    await Promise.all(Array.from({ length: 4 }, consumer));
    assert.equal(total, GROUPS * PER_GROUP);
    for (const [group, expected] of sent) assert.deepEqual(processed.get(group), expected, group);
    assert.deepEqual(await counts(realSqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
  });
});
