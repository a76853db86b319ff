/**
 * The SQS data plane of standard queues through @aws-sdk/client-sqs: sending (digests, limits,
 * validation, batches, delays), receiving (bounds, visibility, system and message attributes,
 * long polling), receipt handles, visibility changes, batch results and retention.
 *
 * Most tests run on a server with a ManualClock so that delays, visibility timeouts and
 * retention are exact; long-poll timing runs on a server with the real clock.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type MessageAttributeValue,
  type MessageSystemAttributeName,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { counts, createQueue, expectError, md5, md5OfAttributes, plainAttributes, receive, sleep, until } from './data-helpers.js';

const ACCOUNT = '000000000000';

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

const ALL_TYPES: Record<string, MessageAttributeValue> = {
  text: { DataType: 'String', StringValue: 'héllo ✓ 𝄞' },
  count: { DataType: 'Number', StringValue: '-12.5e3' },
  blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 254, 255]) },
  ratio: { DataType: 'Number.float', StringValue: '3.14' },
  custom: { DataType: 'String.x', StringValue: 'labelled' },
  image: { DataType: 'Binary.gif', BinaryValue: Buffer.from('GIF89a') },
};
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('SendMessage and SendMessageBatch', () => {
  test('digests of body, attributes of every data type, and the AWSTraceHeader system attribute', async () => {
    const queueUrl = await createQueue(sqs, 'md5');
    const body = 'body with ünïcödé and 😀';
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: ALL_TYPES,
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } },
      }),
    );
    assert.equal(sent.MD5OfMessageBody, md5(body));
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(ALL_TYPES));
    assert.equal(sent.MD5OfMessageSystemAttributes, md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: TRACE } }));
    assert.match(sent.MessageId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(sent.SequenceNumber, undefined);

    // Each data type alone, so a wrong encoding of one type cannot hide behind another.
    for (const [name, value] of Object.entries(ALL_TYPES)) {
      const one = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: name, MessageAttributes: { [name]: value } }));
      assert.equal(one.MD5OfMessageAttributes, md5OfAttributes({ [name]: value }), name);
    }

    const [m] = await receive(sqs, queueUrl, { max: 1, all: true });
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, body);
    assert.equal(m.MD5OfBody, md5(body));
    assert.deepEqual(plainAttributes(m.MessageAttributes), plainAttributes(ALL_TYPES));
    assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(ALL_TYPES));
    assert.equal(m.Attributes?.AWSTraceHeader, TRACE);
  });

  test('a message without attributes has no attribute digests', async () => {
    const queueUrl = await createQueue(sqs, 'md5-none');
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'plain' }));
    assert.equal(sent.MD5OfMessageAttributes, undefined);
    assert.equal(sent.MD5OfMessageSystemAttributes, undefined);
    const [m] = await receive(sqs, queueUrl, { all: true });
    assert.equal(m.MessageAttributes, undefined);
    assert.equal(m.MD5OfMessageAttributes, undefined);
  });

  test('SendMessageBatch returns per-entry ids and digests', async () => {
    const queueUrl = await createQueue(sqs, 'batch-md5');
    const entries = Object.entries(ALL_TYPES).map(([name, value], i) => ({
      Id: `entry_${i}-${name}`,
      MessageBody: `body ${i}`,
      MessageAttributes: { [name]: value, always: { DataType: 'String', StringValue: String(i) } },
      ...(i === 0 ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } } } : {}),
    }));
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    assert.deepEqual(result.Failed ?? [], []);
    assert.deepEqual(
      result.Successful!.map((s) => ({ Id: s.Id, body: s.MD5OfMessageBody, attributes: s.MD5OfMessageAttributes, system: s.MD5OfMessageSystemAttributes })),
      entries.map((e, i) => ({
        Id: e.Id,
        body: md5(e.MessageBody),
        attributes: md5OfAttributes(e.MessageAttributes),
        system: i === 0 ? md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: TRACE } }) : undefined,
      })),
    );
    assert.equal(new Set(result.Successful!.map((s) => s.MessageId)).size, entries.length);
    const got = await receive(sqs, queueUrl, { all: true });
    assert.deepEqual(got.map((m) => m.MessageId), result.Successful!.map((s) => s.MessageId));
    assert.deepEqual(got.map((m) => m.MD5OfMessageAttributes), entries.map((e) => md5OfAttributes(e.MessageAttributes)));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: entries.length, delayed: 0 });
  });

  test('message size: 1 MiB by default and MaximumMessageSize, attributes included, in UTF-8 bytes', async () => {
    const queueUrl = await createQueue(sqs, 'size');
    const MiB = 1_048_576;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a'.repeat(MiB) }));
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a'.repeat(MiB + 1) })), {
      name: 'InvalidParameterValue',
      message: `One or more parameters are invalid. Reason: Message must be shorter than ${MiB} bytes.`,
    });
    // "All components of a message attribute are included in the 1 MiB message size
    // restriction" (Developer Guide, message metadata): name + type + value.
    const attribute = { a: { DataType: 'String', StringValue: 'xyz' } }; // 1 + 6 + 3 bytes
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a'.repeat(MiB - 10), MessageAttributes: attribute }));
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a'.repeat(MiB - 9), MessageAttributes: attribute })), {
      name: 'InvalidParameterValue',
    });
    // Bytes, not characters: é is two bytes in UTF-8.
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'é'.repeat(MiB / 2) }));
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'é'.repeat(MiB / 2) + 'a' })), { name: 'InvalidParameterValue' });
    assert.equal((await counts(sqs, queueUrl)).visible, 3);

    const small = await createQueue(sqs, 'size-1k', { MaximumMessageSize: '1024' });
    await sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'b'.repeat(1024) }));
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'b'.repeat(1025) })), {
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    const [m] = await receive(sqs, small);
    assert.equal(m.Body, 'b'.repeat(1024));
  });

  test('characters outside the allowed set are InvalidMessageContents; the allowed edges pass', async () => {
    const queueUrl = await createQueue(sqs, 'chars');
    const allowed = '#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]';
    for (const [body, bad] of [
      ['a\u0007b', '#x7'],
      ['\u0000', '#x0'],
      ['ok\u001f', '#x1F'],
      ['\uFFFE', '#xFFFE'],
      ['lone \uD800 surrogate', '#xD800'],
    ] as const) {
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })), {
        name: 'InvalidMessageContents',
        message: `Invalid binary character '${bad}' was found in the message body, the set of allowed characters is ${allowed}.`,
      });
    }
    const edges = '\t\n\r \uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}';
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: edges }));
    const [m] = await receive(sqs, queueUrl);
    assert.equal(m.Body, edges);
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })), {
      name: 'InvalidParameterValue',
      message: 'Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
    });
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '' })), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
  });

  test('message attribute rules', async () => {
    const queueUrl = await createQueue(sqs, 'attrs');
    const send = (MessageAttributes: Record<string, MessageAttributeValue>) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes }));
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    await expectError(send(eleven), { name: 'InvalidParameterValue', message: 'Number of message attributes [11] exceeds the allowed maximum [10].' });
    const ten = Object.fromEntries(Object.entries(eleven).slice(0, 10));
    await send(ten);
    for (const name of ['AWS.thing', 'amazon.thing', '.leading', 'trailing.']) {
      await expectError(send({ [name]: { DataType: 'String', StringValue: 'v' } }), {
        name: 'InvalidParameterValue',
        message: "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
      });
    }
    await expectError(send({ 'a b': { DataType: 'String', StringValue: 'v' } }), { name: 'InvalidParameterValue', message: /can only contain/ });
    await expectError(send({ 'a..b': { DataType: 'String', StringValue: 'v' } }), { name: 'InvalidParameterValue' });
    await expectError(send({ n: { DataType: 'Number', StringValue: 'abc' } }), {
      name: 'InvalidParameterValue',
      message: "Can't cast the value of message (user) attribute 'n' to a number.",
    });
    await expectError(send({ t: { DataType: 'Text', StringValue: 'v' } }), {
      name: 'InvalidParameterValue',
      message: "The type of message (user) attribute 't' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
    });
    await expectError(send({ s: { DataType: 'String', StringValue: '' } }), {
      name: 'InvalidParameterValue',
      message: "Message (user) attribute 's' must contain a non-empty value of type 'String'.",
    });
    await expectError(send({ b: { DataType: 'Binary', BinaryValue: new Uint8Array(0) } }), {
      name: 'InvalidParameterValue',
      message: "Message (user) attribute 'b' must contain a non-empty value of type 'Binary'.",
    });
    await expectError(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'v' } } as never })),
      { name: 'InvalidParameterValue', message: "Message system attribute name 'Other' is invalid." },
    );
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
  });

  test('batch limits fail the whole request', async () => {
    const queueUrl = await createQueue(sqs, 'batch-limits');
    const entry = (Id: string) => ({ Id, MessageBody: `m-${Id}` });
    await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 11 }, (_, i) => entry(`e${i}`)) })), {
      name: 'TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [] })), {
      name: 'EmptyBatchRequest',
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    });
    await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [entry('a'), entry('b'), entry('a')] })), {
      name: 'BatchEntryIdsNotDistinct',
      message: 'Id a repeated.',
    });
    for (const id of ['bad!', 'x'.repeat(81), 'sp ace']) {
      await expectError(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [entry(id)] })), {
        name: 'InvalidBatchEntryId',
        message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      });
    }
    // "the maximum total payload size (the sum of the individual lengths of all of the batched
    // messages) [is] 1 MiB" (SendMessageBatch API reference).
    await expectError(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'a'.repeat(600_000) }, { Id: 'b', MessageBody: 'b'.repeat(600_000) }] })),
      { name: 'BatchRequestTooLong', message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.' },
    );
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
    // 2 × 512 KiB plus eight 1-byte bodies is 8 bytes over: rejected as a whole.
    await expectError(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [{ Id: 'a', MessageBody: 'a'.repeat(524_288) }, { Id: 'b', MessageBody: 'b'.repeat(524_288) }, ...Array.from({ length: 8 }, (_, i) => ({ Id: `e${i}`, MessageBody: String(i) }))],
        }),
      ),
      { name: 'BatchRequestTooLong', message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048584 bytes.' },
    );
    // The edges that pass: 10 entries, an 80-character id, exactly 1 MiB in total.
    const edge = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'x'.repeat(80), MessageBody: 'a'.repeat(524_284) }, { Id: 'B-_9', MessageBody: 'b'.repeat(524_284) }, ...Array.from({ length: 8 }, (_, i) => ({ Id: `e${i}`, MessageBody: String(i) }))],
      }),
    );
    assert.equal(edge.Successful!.length, 10);
    assert.deepEqual(edge.Failed ?? [], []);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 10, inFlight: 0, delayed: 0 });
  });

  test('invalid entries fail alone, with AWS-shaped per-entry results', async () => {
    const queueUrl = await createQueue(sqs, 'batch-failed');
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'ok1', MessageBody: 'first' },
          { Id: 'chars', MessageBody: 'bell\u0007' },
          { Id: 'delay', MessageBody: 'late', DelaySeconds: 901 },
          { Id: 'attr', MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN!' } } },
          { Id: 'ok2', MessageBody: 'second' },
        ],
      }),
    );
    assert.deepEqual(result.Successful!.map((s) => s.Id), ['ok1', 'ok2']);
    assert.deepEqual(result.Failed, [
      {
        Id: 'chars',
        SenderFault: true,
        Code: 'InvalidMessageContents',
        Message: "Invalid binary character '#x7' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
      },
      { Id: 'delay', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
      { Id: 'attr', SenderFault: true, Code: 'InvalidParameterValue', Message: "Can't cast the value of message (user) attribute 'n' to a number." },
    ]);
    const got = await receive(sqs, queueUrl);
    assert.deepEqual(got.map((m) => m.Body), ['first', 'second']);
  });

  test('DelaySeconds per message and per queue; ApproximateNumberOfMessagesDelayed', async () => {
    const queueUrl = await createQueue(sqs, 'delay');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late', DelaySeconds: 5 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'max', DelaySeconds: 900 }));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 2 });
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(4_999);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(1);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 1 });
    const [late] = await receive(sqs, queueUrl);
    assert.equal(late.Body, 'late');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: late.ReceiptHandle! }));
    clock.advance(894_999);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(1);
    assert.deepEqual((await receive(sqs, queueUrl)).map((m) => m.Body), ['max']);

    for (const bad of [-1, 901]) {
      await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
      });
    }

    // The queue's DelaySeconds applies when the message names none; a message's own value
    // (0 included) overrides it (API Reference, SendMessage, DelaySeconds).
    const delayed = await createQueue(sqs, 'delay-queue', { DelaySeconds: '10' });
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'queue default' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'now', DelaySeconds: 0 }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: delayed, Entries: [{ Id: 'a', MessageBody: 'batch default' }, { Id: 'b', MessageBody: 'batch 2', DelaySeconds: 2 }] }));
    assert.deepEqual(await counts(sqs, delayed), { visible: 1, inFlight: 0, delayed: 3 });
    assert.deepEqual((await receive(sqs, delayed)).map((m) => m.Body), ['now']);
    clock.advance(2_000);
    assert.deepEqual((await receive(sqs, delayed)).map((m) => m.Body), ['batch 2']);
    clock.advance(8_000);
    assert.deepEqual((await receive(sqs, delayed)).map((m) => m.Body), ['queue default', 'batch default']);
  });
});

describe('ReceiveMessage', () => {
  test('MaxNumberOfMessages: 1 by default, 1 to 10', async () => {
    const queueUrl = await createQueue(sqs, 'max');
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `a${i}`, MessageBody: `m${i}` })) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 2 }, (_, i) => ({ Id: `b${i}`, MessageBody: `m${10 + i}` })) }));
    for (const bad of [0, 11, -1]) {
      await expectError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      });
    }
    const one = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    assert.deepEqual(one.Messages!.map((m) => m.Body), ['m0']);
    assert.deepEqual((await receive(sqs, queueUrl, { max: 10 })).map((m) => m.Body), Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    assert.deepEqual((await receive(sqs, queueUrl, { max: 10 })).map((m) => m.Body), ['m11']);
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(none.Messages, undefined);
  });

  test('VisibilityTimeout: the queue default, a per-receive value, 0 to 43200', async () => {
    const queueUrl = await createQueue(sqs, 'visibility', { VisibilityTimeout: '20' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    for (const bad of [-1, 43_201]) {
      await expectError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
      });
    }
    assert.equal((await receive(sqs, queueUrl)).length, 1); // queue default: 20 s
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 1, delayed: 0 });
    clock.advance(19_999);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(1);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
    assert.equal((await receive(sqs, queueUrl, { visibility: 5 })).length, 1);
    clock.advance(5_000);
    assert.equal((await receive(sqs, queueUrl, { visibility: 43_200 })).length, 1);
    clock.advance(43_199_999);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(1);
    const [m] = await receive(sqs, queueUrl, { visibility: 0, all: true });
    assert.equal(m.Attributes!.ApproximateReceiveCount, '4');
    // VisibilityTimeout 0: visible again at once.
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
  });

  test('WaitTimeSeconds: 0 to 20', async () => {
    const queueUrl = await createQueue(sqs, 'wait-bounds');
    for (const bad of [-1, 21]) {
      await expectError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      });
    }
  });

  test('system attributes: All and each by name, with exact values', async () => {
    const queueUrl = await createQueue(sqs, 'system');
    const sentAt = clock.now();
    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'traced', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: TRACE } } }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'untraced' }));
    clock.advance(1_500);
    const firstReceive = clock.now();
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 10, MessageSystemAttributeNames: ['All'] }));
    assert.deepEqual(
      first.Messages!.map((m) => m.Attributes),
      [
        {
          SenderId: ACCOUNT,
          SentTimestamp: String(sentAt),
          ApproximateReceiveCount: '1',
          ApproximateFirstReceiveTimestamp: String(firstReceive),
          AWSTraceHeader: TRACE,
        },
        { SenderId: ACCOUNT, SentTimestamp: String(sentAt), ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: String(firstReceive) },
      ],
    );
    assert.equal(first.Messages![0].MessageId, MessageId);
    // Only the traced message from here on (a VisibilityTimeout 0 receive puts it at the back).
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages![1].ReceiptHandle! }));
    clock.advance(10_000);
    // The legacy AttributeNames member means the same (API Reference, ReceiveMessage).
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0, AttributeNames: ['All'] }));
    assert.deepEqual(second.Messages![0].Attributes, {
      SenderId: ACCOUNT,
      SentTimestamp: String(sentAt),
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: String(firstReceive),
      AWSTraceHeader: TRACE,
    });
    const expected: Record<string, string> = {
      SenderId: ACCOUNT,
      SentTimestamp: String(sentAt),
      ApproximateFirstReceiveTimestamp: String(firstReceive),
      AWSTraceHeader: TRACE,
    };
    let count = 2;
    for (const name of ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'AWSTraceHeader'] as MessageSystemAttributeName[]) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0, MessageSystemAttributeNames: [name] }));
      count++;
      assert.equal(Messages![0].MessageId, MessageId);
      assert.deepEqual(Messages![0].Attributes, { [name]: name === 'ApproximateReceiveCount' ? String(count) : expected[name] }, name);
    }
    const pair = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0, AttributeNames: ['SentTimestamp' as never], MessageSystemAttributeNames: ['SenderId'] }),
    );
    assert.deepEqual(pair.Messages![0].Attributes, { SenderId: ACCOUNT, SentTimestamp: String(sentAt) });
    // FIFO-only names on a standard queue, and no names at all: nothing.
    const fifoNames = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0, MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber', 'MessageDeduplicationId'] }),
    );
    assert.equal(fifoNames.Messages![0].Attributes, undefined);
    const bare = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }));
    assert.equal(bare.Messages![0].Attributes, undefined);
  });

  test('MessageAttributeNames: All, .*, exact names and prefix.*; the digest covers what is returned', async () => {
    const queueUrl = await createQueue(sqs, 'attr-names');
    const attributes: Record<string, MessageAttributeValue> = {
      'order.id': { DataType: 'String', StringValue: 'o-1' },
      'order.total': { DataType: 'Number', StringValue: '12.50' },
      orderly: { DataType: 'String', StringValue: 'not under order.' },
      customer: { DataType: 'Binary', BinaryValue: Buffer.from('c-9') },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm', MessageAttributes: attributes }));
    const pick = (...names: string[]) => Object.fromEntries(names.map((n) => [n, attributes[n]]));
    const cases: [string[], Record<string, MessageAttributeValue> | undefined][] = [
      [['All'], attributes],
      [['.*'], attributes],
      [['customer'], pick('customer')],
      [['order.*'], pick('order.id', 'order.total')],
      [['order.id', 'customer'], pick('order.id', 'customer')],
      [['missing'], undefined],
      [[], undefined],
    ];
    for (const [names, want] of cases) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MessageAttributeNames: names }));
      const m = Messages![0];
      assert.deepEqual(plainAttributes(m.MessageAttributes), plainAttributes(want), names.join(','));
      assert.equal(m.MD5OfMessageAttributes, want ? md5OfAttributes(want) : undefined, names.join(','));
    }
  });

  test('a waiting 20 s long poll returns as soon as a message is sent', async () => {
    const queueUrl = await createQueue(realSqs, 'long-poll');
    const polling = realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    let returnedAt = 0;
    void polling.then(() => (returnedAt = performance.now()));
    await sleep(300);
    assert.equal(returnedAt, 0, 'the long poll returned before anything was sent');
    const store = real.stratus.runtime.store;
    const transactions = store.stats.transactions;
    const sentAt = performance.now();
    await realSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'wake up' }));
    const { Messages } = await polling;
    await sleep(0);
    assert.deepEqual(Messages!.map((m) => m.Body), ['wake up']);
    const latency = returnedAt - sentAt;
    assert.ok(latency < 100, `long poll returned ${latency.toFixed(1)} ms after the send`);
    // The woken receive joined the send's transaction: one commit between the send and the answer.
    // (SQLite's statements run at once, so a unit may join the batch that is running; on
    // PostgreSQL the receive commits in the next one.)
    assert.equal(store.stats.transactions - transactions, store.backend === 'sqlite' ? 1 : 2);
    // It was recorded: the message is in flight, not visible.
    assert.deepEqual(await counts(realSqs, queueUrl), { visible: 0, inFlight: 1, delayed: 0 });
  });

  test('an empty long poll returns after its wait time and does not busy-poll', async () => {
    const queueUrl = await createQueue(realSqs, 'long-poll-empty');
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const { Messages } = await realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    assert.equal(Messages, undefined);
    assert.ok(elapsed >= 1_000 && elapsed < 1_300, `returned after ${elapsed.toFixed(0)} ms`);
    // Client and server share this process: a polling loop would burn most of the second.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    assert.ok(cpuMs < 100, `${cpuMs.toFixed(0)} ms of CPU during a 1 s idle long poll`);

    // ReceiveMessageWaitTimeSeconds is the default wait; WaitTimeSeconds 0 overrides it.
    const waiting = await createQueue(realSqs, 'long-poll-default', { ReceiveMessageWaitTimeSeconds: '1' });
    let t = performance.now();
    await realSqs.send(new ReceiveMessageCommand({ QueueUrl: waiting }));
    assert.ok(performance.now() - t >= 1_000, 'the queue default wait was not applied');
    t = performance.now();
    await realSqs.send(new ReceiveMessageCommand({ QueueUrl: waiting, WaitTimeSeconds: 0 }));
    assert.ok(performance.now() - t < 200, 'WaitTimeSeconds 0 did not override the queue default');
  });

  test('long polls wake when a delay or a visibility timeout ends, and end at their deadline (ManualClock)', async () => {
    const queueUrl = await createQueue(sqs, 'long-poll-clock');
    const timers = clock.pendingTimers();
    const idle = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await until(() => clock.pendingTimers() > timers, 5_000, 'the long poll to wait');
    clock.advance(19_999);
    await sleep(20);
    let settled = false;
    void idle.then(() => (settled = true));
    await sleep(20);
    assert.equal(settled, false);
    clock.advance(1);
    assert.equal((await idle).Messages, undefined);

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'delayed', DelaySeconds: 7 }));
    const before = clock.pendingTimers();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20, VisibilityTimeout: 3 }));
    await until(() => clock.pendingTimers() > before, 5_000, 'the long poll to wait');
    clock.advance(7_000);
    assert.deepEqual((await waiting).Messages!.map((m) => m.Body), ['delayed']);

    const before2 = clock.pendingTimers();
    const again = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    await until(() => clock.pendingTimers() > before2, 5_000, 'the long poll to wait');
    clock.advance(3_000);
    const { Messages } = await again;
    assert.deepEqual(Messages!.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]), [['delayed', '2']]);
  });

  test('a long poll the client abandons takes no message', async () => {
    const queueUrl = await createQueue(realSqs, 'long-poll-abort');
    const controller = new AbortController();
    const abandoned = realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }), { abortSignal: controller.signal }).catch((e: Error) => e);
    await sleep(100);
    controller.abort();
    assert.equal(((await abandoned) as Error).name, 'AbortError');
    await sleep(100);
    await realSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'for the next caller' }));
    const { Messages } = await realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.deepEqual(Messages?.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]), [['for the next caller', '1']]);
  });

  test('one message wakes one of two long polls; the other keeps waiting for the next', async () => {
    const queueUrl = await createQueue(realSqs, 'long-poll-two');
    const a = realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    const b = realSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await sleep(100);
    const started = performance.now();
    await realSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));
    const first = await Promise.race([a, b]);
    assert.deepEqual(first.Messages!.map((m) => m.Body), ['one']);
    await sleep(50);
    await realSqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'two' }));
    const [ra, rb] = await Promise.all([a, b]);
    assert.deepEqual([...ra.Messages!, ...rb.Messages!].map((m) => m.Body).sort(), ['one', 'two']);
    assert.ok(performance.now() - started < 1_000, 'the second poll was not woken by the second message');
  });
});

describe('receipt handles and visibility', () => {
  test('a new receipt handle per receive; an old one deletes nothing, the latest deletes', async () => {
    const queueUrl = await createQueue(sqs, 'handles');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [first] = await receive(sqs, queueUrl, { visibility: 0 });
    const [second] = await receive(sqs, queueUrl, { visibility: 30 });
    assert.equal(first.MessageId, second.MessageId);
    assert.notEqual(first.ReceiptHandle, second.ReceiptHandle);
    // "When you use the DeleteMessage action, you must provide the most recently received
    // ReceiptHandle for the message (otherwise, the request succeeds, but the message will not
    // be deleted)." (API Reference, DeleteMessage)
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle! }));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 1, delayed: 0 });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second.ReceiptHandle! }));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
    // Deleting an already deleted message succeeds too.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second.ReceiptHandle! }));
    clock.advance(30_000);
    assert.deepEqual(await receive(sqs, queueUrl), []);
  });

  test('malformed receipt handles, and handles of another queue, are ReceiptHandleIsInvalid', async () => {
    const queueUrl = await createQueue(sqs, 'bad-handle');
    const other = await createQueue(sqs, 'bad-handle-other');
    await sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'elsewhere' }));
    const [foreign] = await receive(sqs, other);
    for (const handle of ['garbage', 'AQEBnotbase64!!', foreign.ReceiptHandle!]) {
      await expectError(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle })), {
        name: 'ReceiptHandleIsInvalid',
        message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
        status: 404,
      });
      await expectError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 5 })), {
        name: 'ReceiptHandleIsInvalid',
        message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
        status: 404,
      });
    }
    assert.deepEqual(await counts(sqs, other), { visible: 0, inFlight: 1, delayed: 0 });
  });

  test('ChangeMessageVisibility: 0 shows the message at once; a new timeout counts from the call', async () => {
    const queueUrl = await createQueue(sqs, 'cmv');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [m] = await receive(sqs, queueUrl, { visibility: 30 });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
    const [again] = await receive(sqs, queueUrl, { visibility: 10, all: true });
    assert.equal(again.Attributes!.ApproximateReceiveCount, '2');

    clock.advance(5_000);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle!, VisibilityTimeout: 60 }));
    clock.advance(59_999);
    assert.deepEqual(await receive(sqs, queueUrl), []);
    clock.advance(1);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });

    for (const bad of [-1, 43_201]) {
      await expectError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle!, VisibilityTimeout: bad })), {
        name: 'InvalidParameterValue',
        message: `Value ${bad} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
      });
    }
  });

  test('ChangeMessageVisibility on a message no longer in flight is MessageNotInflight', async () => {
    const queueUrl = await createQueue(sqs, 'not-inflight');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [m] = await receive(sqs, queueUrl, { visibility: 5 });
    clock.advance(5_000);
    await expectError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 30 })), {
      name: 'MessageNotInflight',
      message: "The specified message isn't in flight.",
    });
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
  });

  test('a visibility timeout may not reach past 12 hours from the receive', async () => {
    // "If you try to extend the visibility timeout beyond the maximum [12 hours from when the
    // message is received], your request is rejected." (API Reference, ChangeMessageVisibility)
    const queueUrl = await createQueue(sqs, 'twelve-hours');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [m] = await receive(sqs, queueUrl, { visibility: 43_200 });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 43_200 }));
    clock.advance(1_000);
    await expectError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 43_200 })), {
      name: 'InvalidParameterValue',
      message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 43_199 }));
    clock.advance(43_198_999);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 1, delayed: 0 });
    clock.advance(1);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 0 });
    // The limit counts from the latest receive.
    const [again] = await receive(sqs, queueUrl, { visibility: 10 });
    clock.advance(5_000);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle!, VisibilityTimeout: 43_195 }));
    await expectError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle!, VisibilityTimeout: 43_196 })), {
      name: 'InvalidParameterValue',
    });
  });

  test('ChangeMessageVisibilityBatch and DeleteMessageBatch answer per entry', async () => {
    const queueUrl = await createQueue(sqs, 'batches');
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: ['a', 'b', 'c', 'd'].map((Id) => ({ Id, MessageBody: Id })) }));
    const got = await receive(sqs, queueUrl, { visibility: 30 });
    const handle = Object.fromEntries(got.map((m) => [m.Body!, m.ReceiptHandle!]));
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'show', ReceiptHandle: handle.a, VisibilityTimeout: 0 },
          { Id: 'bogus', ReceiptHandle: 'bogus', VisibilityTimeout: 0 },
          { Id: 'range', ReceiptHandle: handle.b, VisibilityTimeout: 43_201 },
          { Id: 'extend', ReceiptHandle: handle.c, VisibilityTimeout: 100 },
        ],
      }),
    );
    assert.deepEqual(changed.Successful, [{ Id: 'show' }, { Id: 'extend' }]);
    assert.deepEqual(changed.Failed, [
      { Id: 'bogus', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "bogus" is not a valid receipt handle.' },
      { Id: 'range', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.' },
    ]);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 3, delayed: 0 });
    clock.advance(30_000); // b and d come back; c was extended to 100 s
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 3, inFlight: 1, delayed: 0 });

    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'c', ReceiptHandle: handle.c },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
          { Id: 'a-old', ReceiptHandle: handle.a }, // still a's latest handle: deletes it though visible
        ],
      }),
    );
    assert.deepEqual(deleted.Successful, [{ Id: 'c' }, { Id: 'a-old' }]);
    assert.deepEqual(deleted.Failed, [{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.' }]);
    assert.deepEqual((await receive(sqs, queueUrl)).map((m) => m.Body).sort(), ['b', 'd']);

    for (const Command of [DeleteMessageBatchCommand, ChangeMessageVisibilityBatchCommand] as const) {
      const action = Command === DeleteMessageBatchCommand ? 'DeleteMessageBatch' : 'ChangeMessageVisibilityBatch';
      await expectError(sqs.send(new Command({ QueueUrl: queueUrl, Entries: [] })), {
        name: 'EmptyBatchRequest',
        message: `There should be at least one ${action}RequestEntry in the request.`,
      });
      await expectError(sqs.send(new Command({ QueueUrl: queueUrl, Entries: [{ Id: 'x', ReceiptHandle: 'h' }, { Id: 'x', ReceiptHandle: 'h' }] })), {
        name: 'BatchEntryIdsNotDistinct',
        message: 'Id x repeated.',
      });
      await expectError(sqs.send(new Command({ QueueUrl: queueUrl, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, ReceiptHandle: 'h' })) })), {
        name: 'TooManyEntriesInBatchRequest',
        message: 'Maximum number of entries per request are 10. You have sent 11.',
      });
      await expectError(sqs.send(new Command({ QueueUrl: queueUrl, Entries: [{ Id: 'no.dots', ReceiptHandle: 'h' }] })), { name: 'InvalidBatchEntryId' });
    }
  });
});

describe('retention', () => {
  test('messages older than MessageRetentionPeriod are gone from counts and receives', async () => {
    const queueUrl = await createQueue(sqs, 'retention', { MessageRetentionPeriod: '60' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'old' }));
    clock.advance(30_000);
    assert.deepEqual((await receive(sqs, queueUrl, { visibility: 600 })).map((m) => m.Body), ['old']);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'younger' }, { Id: 'b', MessageBody: 'delayed', DelaySeconds: 40 }] }));
    clock.advance(29_999);
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 1, delayed: 1 });
    clock.advance(1); // 'old', in flight, is now 60 s old: gone
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 1, inFlight: 0, delayed: 1 });
    clock.advance(29_999); // the delayed one became visible at 70 s
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 2, inFlight: 0, delayed: 0 });
    clock.advance(1); // the two sent 30 s later, the delayed one included
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
    assert.deepEqual(await receive(sqs, queueUrl), []);
  });

  test('expired messages are never handed out; a changed MessageRetentionPeriod applies to messages already there', async () => {
    const queueUrl = await createQueue(sqs, 'retention-receive', { MessageRetentionPeriod: '60' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'expiring' }));
    clock.advance(59_999);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'fresh' }));
    assert.deepEqual((await receive(sqs, queueUrl, { visibility: 0 })).map((m) => m.Body), ['expiring', 'fresh']);
    clock.advance(1);
    assert.deepEqual((await receive(sqs, queueUrl, { visibility: 0 })).map((m) => m.Body), ['fresh']);
    // A longer period keeps a message past the old one; shortening it again expires it.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MessageRetentionPeriod: '1209600' } }));
    clock.advance(120_000);
    assert.deepEqual((await receive(sqs, queueUrl, { visibility: 0 })).map((m) => m.Body), ['fresh']);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MessageRetentionPeriod: '60' } }));
    clock.advance(0); // a ManualClock runs timers due now only inside advance()
    assert.deepEqual(await counts(sqs, queueUrl), { visible: 0, inFlight: 0, delayed: 0 });
  });
});
