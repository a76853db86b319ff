/**
 * SQS event source mappings when functions fail: messages return after the queue's visibility
 * timeout and reach its dead-letter queue after maxReceiveCount; ReportBatchItemFailures retries
 * only what was reported (and all of a batch on an invalid report); FIFO groups keep their order
 * through failures; pollers scale with full batches up to MaximumConcurrency.
 */
import { CreateEventSourceMappingCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { bodies, createQueue, queueDepth, setupMapping, sleep } from './sqs-mapping-support.js';

let server: TestServer;
let lambda: LambdaClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const setup = (name: string, env: Record<string, string>, queueAttributes: Record<string, string> = {}, queueName?: string) =>
  setupMapping({ sqs, lambda }, name, { env, queueAttributes, queueName });

const receiveCounts = (r: { event: { Records: Record<string, any>[] } }) => r.event.Records.map((x) => Number(x.attributes.ApproximateReceiveCount));

test('a function error leaves the batch: it returns after the visibility timeout, then goes to the DLQ', async () => {
  const dlq = await createQueue(sqs, 'failing-dlq');
  const { source, reports } = await setup('failing', { MODE: 'throw' }, {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
  });
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: '{"fail":true}' }));
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'failing', EventSourceArn: source.arn }));
  const seen = await reports.wait(2);
  assert.deepEqual(seen.map((r) => r.failed), [true, true]);
  assert.deepEqual(seen.map(receiveCounts), [[1], [2]]);
  // The visibility timeout runs from the first receive, which the record carries (the first
  // report comes later, after a cold start of unknown length): the second delivery is at least 1 s
  // after it (a little less allowed for the two clocks' rounding).
  const firstReceive = Number(seen[1].event.Records[0].attributes.ApproximateFirstReceiveTimestamp);
  assert.ok(seen[1].at - firstReceive >= 950, `returned ${seen[1].at - firstReceive} ms after the first receive, inside the visibility timeout`);
  // The third receive finds it at maxReceiveCount: the queue moves it to the dead-letter queue.
  const deadline = Date.now() + 6000;
  let moved: string | undefined;
  while (!moved && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
    moved = Messages[0]?.Body;
  }
  assert.equal(moved, '{"fail":true}');
  assert.equal((await reports.quiet(300)).length, 2);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 0, inFlight: 0 });
});

test('ReportBatchItemFailures: only the reported messages are retried', async () => {
  const { source, reports } = await setup('partial', { MODE: 'partial' }, { VisibilityTimeout: '2' });
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: source.url,
      Entries: [
        { Id: 'a', MessageBody: '{"n":"a"}' },
        { Id: 'b', MessageBody: '{"n":"b","fail":true,"failTimes":1}' },
        { Id: 'c', MessageBody: '{"n":"c"}' },
      ],
    }),
  );
  await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'partial',
      EventSourceArn: source.arn,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }),
  );
  const seen = await reports.wait(2);
  assert.equal(seen[0].event.Records.length, 3);
  assert.deepEqual(bodies(seen[1]), ['{"n":"b","fail":true,"failTimes":1}']);
  assert.deepEqual(receiveCounts(seen[1]), [2]);
  assert.equal((await reports.quiet(1500)).length, 2);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 0, inFlight: 0 });
});

test('ReportBatchItemFailures: an itemIdentifier that names no message fails the whole batch', async () => {
  const { source, reports } = await setup('bad-partial', { MODE: 'bad-partial' }, { VisibilityTimeout: '2' });
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
  await lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: 'bad-partial', EventSourceArn: source.arn, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
  );
  const seen = await reports.wait(2);
  assert.deepEqual(bodies(seen[0]).sort(), ['a', 'b']);
  assert.deepEqual(bodies(seen[1]).sort(), ['a', 'b']);
  assert.deepEqual(receiveCounts(seen[1]), [2, 2]);
});

test('FIFO: each group is processed in order through failures, never in two batches at once', async () => {
  const { source, reports } = await setup('ordered', { MODE: 'throw' }, { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '2' }, 'ordered-in.fifo');
  const sent: Record<string, string[]> = { A: [], B: [] };
  const entries = [];
  for (let i = 0; i < 4; i++) {
    for (const g of ['A', 'B']) {
      const body = JSON.stringify({ g, i, ...(g === 'A' && i === 1 ? { fail: true, failTimes: 1 } : {}) });
      sent[g].push(body);
      entries.push({ Id: `${g}${i}`, MessageBody: body, MessageGroupId: g });
    }
  }
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: entries }));
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ordered', EventSourceArn: source.arn, BatchSize: 2 }));
  const deadline = Date.now() + 15_000;
  const done = () => reports.seen.filter((r) => !r.failed).flatMap(bodies).length;
  while (done() < 8 && Date.now() < deadline) await reports.quiet(300);
  assert.equal(done(), 8, JSON.stringify(reports.seen.map((r) => ({ failed: r.failed, bodies: bodies(r) }))));
  for (const g of ['A', 'B']) {
    const processed = reports.seen.filter((r) => !r.failed).flatMap((r) => bodies(r).filter((b) => JSON.parse(b).g === g));
    assert.deepEqual(processed, sent[g], `group ${g}`);
  }
  assert.ok(reports.seen.some((r) => r.failed));
  for (const r of reports.seen) {
    assert.equal(r.event.Records[0].attributes.MessageGroupId !== undefined, true);
    assert.match(r.event.Records[0].attributes.SequenceNumber, /^\d+$/);
  }
});

test('pollers scale up while batches come full, up to MaximumConcurrency', async () => {
  const { source, reports } = await setup('busy', { MODE: 'slow', SLOW_MS: '600' });
  for (let i = 0; i < 8; i++) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: Array.from({ length: 5 }, (_, j) => ({ Id: `e${j}`, MessageBody: `m${i}-${j}` })) }));
  }
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'busy', EventSourceArn: source.arn, BatchSize: 2, ScalingConfig: { MaximumConcurrency: 3 } }));
  const seen = await reports.wait(20, 20_000);
  // Reports are sent as each invocation ends: with three pollers, three end within a moment.
  const ends = seen.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < ends.length; i++) most = Math.max(most, ends.filter((t) => t >= ends[i] && t < ends[i] + 400).length);
  assert.ok(most >= 2, `at most ${most} invocations ended together: no scaling`);
  assert.ok(most <= 3, `${most} invocations ended together: more than MaximumConcurrency`);
  assert.equal(new Set(seen.flatMap(bodies)).size, 40);
});

test('reserved concurrency 0 stops a mapping from taking messages', async () => {
  const { source, reports } = await setup('held', {});
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 0 }));
  await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'held', EventSourceArn: source.arn }));
  await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'wait' }));
  assert.equal((await reports.quiet(800)).length, 0);
  assert.deepEqual(await queueDepth(sqs, source.url), { visible: 1, inFlight: 0 });
  await sleep(10);
});
