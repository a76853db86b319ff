/**
 * SQS event source mappings end to end through the SDKs: a queue, a real Node function that
 * reports each event to a second queue, and a mapping between them. Delivery and the record
 * shape, batch size and batching window, filter criteria, states, disable/enable/update/delete,
 * and a server stop that ends long polls at once.
 */
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { bodies, createQueue, createReporter, queueDepth, setupMapping, sleep } from './sqs-mapping-support.js';

let server: TestServer;
let lambda: LambdaClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const setup = (name: string, options?: Parameters<typeof setupMapping>[2]) => setupMapping({ sqs, lambda }, name, options);

async function waitForState(uuid: string, state: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    if (got.State === state) return;
    if (Date.now() > deadline) assert.fail(`mapping ${uuid} is ${got.State}, not ${state}`);
    await sleep(50);
  }
}

test('a queue whose visibility timeout is below the function timeout is refused, as AWS does', async () => {
  const source = await createQueue(sqs, 'short-visibility-in', { VisibilityTimeout: '5' });
  const out = await createQueue(sqs, 'short-visibility-out');
  await createReporter(lambda, 'short-visibility', out.url);
  await assert.rejects(
    lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'short-visibility', EventSourceArn: source.arn })),
    (error: Error) => {
      assert.equal(error.name, 'InvalidParameterValueException');
      assert.equal(error.message, 'Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds');
      return true;
    },
  );
});

test('a mapping delivers a batch in the SQS event shape and deletes it on success', async () => {
  const { source, functionArn, reports } = await setup('shape');
  const sent = await sqs.send(
    new SendMessageCommand({
      QueueUrl: source.url,
      MessageBody: '{"order":1}',
      MessageAttributes: {
        Author: { DataType: 'String', StringValue: 'Ann' },
        Blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } },
    }),
  );
  const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'shape', EventSourceArn: source.arn }));
  assert.equal(created.State, 'Creating');
  assert.equal(created.FunctionArn, functionArn);
  const [report] = await reports.wait(1);
  assert.equal(report.failed, false);
  assert.equal(report.event.Records.length, 1);
  const record = report.event.Records[0];
  assert.deepEqual(Object.keys(record), [
    'messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion',
  ]);
  assert.equal(record.messageId, sent.MessageId);
  assert.equal(typeof record.receiptHandle, 'string');
  assert.equal(record.body, '{"order":1}');
  assert.equal(record.md5OfBody, createHash('md5').update('{"order":1}').digest('hex'));
  assert.equal(record.md5OfBody, sent.MD5OfMessageBody);
  assert.equal(record.md5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.equal(record.eventSource, 'aws:sqs');
  assert.equal(record.eventSourceARN, source.arn);
  assert.equal(record.awsRegion, 'us-east-1');
  assert.deepEqual(Object.keys(record.attributes), ['ApproximateReceiveCount', 'AWSTraceHeader', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
  assert.equal(record.attributes.ApproximateReceiveCount, '1');
  assert.equal(record.attributes.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  assert.match(record.attributes.SentTimestamp, /^\d{13}$/);
  assert.match(record.attributes.ApproximateFirstReceiveTimestamp, /^\d{13}$/);
  assert.ok(record.attributes.SenderId);
  assert.deepEqual(record.messageAttributes, {
    Author: { stringValue: 'Ann', stringListValues: [], binaryListValues: [], dataType: 'String' },
    Blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
  });
  await sleep(200);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 0, inFlight: 0 });
  assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Enabled');
  await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
});

test('without attributes a record carries md5OfMessageAttributes null and empty messageAttributes', async () => {
  const { source, reports } = await setup('plain');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'hello' }));
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'plain', EventSourceArn: source.arn }));
  const [report] = await reports.wait(1);
  assert.equal(report.event.Records[0].md5OfMessageAttributes, null);
  assert.deepEqual(report.event.Records[0].messageAttributes, {});
});

test('batches hold at most BatchSize messages', async () => {
  const { source, reports } = await setup('sized');
  for (let i = 0; i < 2; i++) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: Array.from({ length: 6 }, (_, j) => ({ Id: `e${j}`, MessageBody: `m${i * 6 + j}` })) }));
  }
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'sized', EventSourceArn: source.arn, BatchSize: 3 }));
  const seen = new Set<string>();
  const deadline = Date.now() + 10_000;
  while (seen.size < 12 && Date.now() < deadline) {
    await reports.quiet(200);
    for (const r of reports.seen) for (const b of bodies(r)) seen.add(b);
  }
  assert.equal(seen.size, 12);
  for (const r of reports.seen) assert.ok(r.event.Records.length <= 3, `a batch of ${r.event.Records.length}`);
});

test('a batching window gathers messages that arrive within it into one batch', async () => {
  const { source, reports } = await setup('windowed');
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'windowed', EventSourceArn: source.arn, BatchSize: 50, MaximumBatchingWindowInSeconds: 2 }));
  await sleep(300);
  const start = Date.now();
  for (let i = 0; i < 3; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `w${i}` }));
    await sleep(300);
  }
  const [report] = await reports.wait(1);
  assert.deepEqual(bodies(report), ['w0', 'w1', 'w2']);
  assert.ok(report.at - start >= 1800, `invoked after ${report.at - start} ms, before the window passed`);
  assert.equal((await reports.quiet(300)).length, 1);
});

test('window 0 invokes as soon as a message is there', async () => {
  const { source, reports } = await setup('eager');
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'eager', EventSourceArn: source.arn, BatchSize: 10 }));
  await sleep(300);
  const start = Date.now();
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'now' }));
  const [report] = await reports.wait(1);
  assert.ok(report.at - start < 1500, `invoked after ${report.at - start} ms`);
});

test('filter criteria: matching messages are delivered, the others deleted from the queue', async () => {
  const { source, reports } = await setup('filtered');
  const created = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'filtered',
      EventSourceArn: source.arn,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['keep'] } }) }, { Pattern: JSON.stringify({ body: ['plain keep'] }) }] },
    }),
  );
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: source.url,
      Entries: [
        { Id: 'a', MessageBody: '{"kind":"keep","n":1}' },
        { Id: 'b', MessageBody: '{"kind":"drop"}' },
        { Id: 'c', MessageBody: 'plain keep' },
        { Id: 'd', MessageBody: 'plain drop' },
      ],
    }),
  );
  const seen = await reports.wait(1);
  await reports.quiet(500);
  assert.deepEqual(seen.flatMap(bodies).sort(), ['plain keep', '{"kind":"keep","n":1}']);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 0, inFlight: 0 });
  assert.deepEqual(
    (await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).FilterCriteria?.Filters?.map((f) => JSON.parse(f.Pattern!)),
    [{ body: { kind: ['keep'] } }, { body: ['plain keep'] }],
  );

  // Pollers follow an update of the filters.
  await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['other'] } }) }] } }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: [{ Id: 'a', MessageBody: '{"kind":"keep"}' }, { Id: 'b', MessageBody: '{"kind":"other"}' }] }));
  await reports.wait(seen.length + 1);
  assert.deepEqual(bodies(reports.seen.at(-1)!), ['{"kind":"other"}']);
});

test('disable, enable and delete stop and start polling; states follow', async () => {
  const { source, reports } = await setup('toggled');
  const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'toggled', EventSourceArn: source.arn }));
  await waitForState(created.UUID!, 'Enabled');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'one' }));
  await reports.wait(1);

  const disabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }));
  assert.equal(disabling.State, 'Disabling');
  await waitForState(created.UUID!, 'Disabled');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'two' }));
  assert.equal((await reports.quiet(1000)).length, 1);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 1, inFlight: 0 });

  const enabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }));
  assert.equal(enabling.State, 'Enabling');
  await reports.wait(2);
  assert.deepEqual(bodies(reports.seen[1]), ['two']);
  await waitForState(created.UUID!, 'Enabled');

  const deleting = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  assert.equal(deleting.State, 'Deleting');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'three' }));
  assert.equal((await reports.quiet(1000)).length, 2);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 1, inFlight: 0 });
});

test('a mapping created disabled does not poll', async () => {
  const { source, reports } = await setup('dormant');
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'x' }));
  const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'dormant', EventSourceArn: source.arn, Enabled: false }));
  await waitForState(created.UUID!, 'Disabled');
  assert.equal((await reports.quiet(700)).length, 0);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 1, inFlight: 0 });
});

test('stopping the server ends long-polling pollers at once', async () => {
  const other = await startTestServer();
  try {
    const l = other.client(LambdaClient);
    const q = other.client(SQSClient);
    const source = await createQueue(q, 'idle-in');
    const out = await createQueue(q, 'idle-out');
    await createReporter(l, 'idle', out.url);
    for (let i = 0; i < 3; i++) {
      const src = i === 0 ? source : await createQueue(q, `idle-in-${i}`);
      await l.send(new CreateEventSourceMappingCommand({ FunctionName: 'idle', EventSourceArn: src.arn }));
    }
    await sleep(500); // every poller is in its 20 s long poll now
  } finally {
    const start = Date.now();
    await other.stop();
    assert.ok(Date.now() - start < 1500, `stop took ${Date.now() - start} ms`);
  }
});
