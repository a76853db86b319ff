/**
 * Retries and dead-letter queues: failures that retrying cannot fix go to the target's DLQ at once
 * (User Guide, "Using dead-letter queues to process undelivered events": missing resources and
 * permissions are not retried); retryable ones are retried under the target's RetryPolicy and
 * dead-lettered with EXHAUSTED_RETRY_CONDITION when a limit runs out (facts §7 "Dead-letter queue
 * messages" [D]); nothing is ever dropped silently (events_failed_deliveries). Also FIFO targets.
 * Retry delays are shrunk with retryDelayScale; a probe target service fails on demand.
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinServices } from '../../src/server/builtin-services.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, assertEmpty, attributesOf, createQueue, failedDeliveries, idle, ProbeTargets, receive, receiveOne, type Account, type QueueRef } from './delivery-support.js';

const probe = new ProbeTargets();
let server: TestServer;
let a: Account;
let dlq: QueueRef;
before(async () => {
  server = await startTestServer({ config: { retryDelayScale: 0.001 }, services: [...builtinServices, probe.module] });
  a = account(server);
});
after(() => server.stop());

let n = 0;
/** A rule with one target (given) and a fresh DLQ; sends one event; returns the event id. */
async function failing(target: Omit<Target, 'Id'>, detail = '{"k":"v"}') {
  const id = ++n;
  dlq = await createQueue(a.sqs, `retries-dlq-${id}`);
  const source = `test.retries.${id}`;
  const ruleName = `retries-${id}`;
  const { RuleArn } = await a.eb.send(new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify({ source: [source] }) }));
  await a.eb.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'target', DeadLetterConfig: { Arn: dlq.arn }, ...target }] }));
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'retry-test', Detail: detail }] }));
  assert.equal(out.FailedEntryCount, 0);
  return { eventId: out.Entries![0].EventId!, ruleArn: RuleArn!, source, id };
}

test('a target queue that does not exist is dead-lettered at once, without retries', async () => {
  const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
  const { eventId, ruleArn, source } = await failing({ Arn: missing, RetryPolicy: { MaximumRetryAttempts: 5 } });
  const m = await receiveOne(a.sqs, dlq);
  const attributes = attributesOf(m);
  assert.deepEqual(Object.keys(attributes).sort(), ['ERROR_CODE', 'ERROR_MESSAGE', 'RETRY_ATTEMPTS', 'RULE_ARN', 'TARGET_ARN']);
  assert.equal(attributes.RULE_ARN, ruleArn);
  assert.equal(attributes.TARGET_ARN, missing);
  assert.equal(attributes.RETRY_ATTEMPTS, '0');
  // ERROR_CODE values are the ones the User Guide lists ("Using dead-letter queues").
  assert.equal(attributes.ERROR_CODE, 'NO_RESOURCE');
  assert.match(attributes.ERROR_MESSAGE, /no-such-queue/);
  assert.equal(m.MessageAttributes!.RETRY_ATTEMPTS.DataType, 'String');
  // The body is the original event (facts §7 [D]).
  const body = JSON.parse(m.Body!);
  assert.equal(body.id, eventId);
  assert.equal(body.source, source);
  assert.deepEqual(body.detail, { k: 'v' });
  const failures = await failedDeliveries(server.stratus.runtime, ruleArn);
  assert.equal(failures.length, 1);
  assert.equal(failures[0].attempts, 1);
  assert.equal(failures[0].dead_letter_arn, dlq.arn);
});

for (const [kind, arn] of [
  ['Lambda function', 'arn:aws:lambda:us-east-1:000000000000:function:not-run-here'],
  ['Kinesis stream', 'arn:aws:kinesis:us-east-1:000000000000:stream/not-run-here'],
] as const) {
  test(`a ${kind} target (a service Stratus does not run) is counted as failed and dead-lettered`, async () => {
    // A Kinesis stream target names the role EventBridge writes to it as (PutTargets refuses it without).
    const { eventId, ruleArn } = await failing({ Arn: arn, ...(arn.includes(':kinesis:') && { RoleArn: 'arn:aws:iam::000000000000:role/events' }) });
    const m = await receiveOne(a.sqs, dlq);
    assert.equal(JSON.parse(m.Body!).id, eventId);
    const attributes = attributesOf(m);
    assert.equal(attributes.TARGET_ARN, arn);
    assert.equal(attributes.ERROR_CODE, 'NO_RESOURCE');
    assert.equal(attributes.RETRY_ATTEMPTS, '0');
    assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, undefined);
    const failures = await failedDeliveries(server.stratus.runtime, ruleArn);
    assert.equal(failures.length, 1);
    assert.equal(failures[0].target_arn, arn);
    assert.equal(JSON.parse(failures[0].event).id, eventId);
  });
}

test('without a DeadLetterConfig a failed delivery is still recorded, never silently dropped', async () => {
  const source = 'test.retries.nodlq';
  const { RuleArn } = await a.eb.send(new PutRuleCommand({ Name: 'retries-nodlq', EventPattern: JSON.stringify({ source: [source] }) }));
  await a.eb.send(new PutTargetsCommand({ Rule: 'retries-nodlq', Targets: [{ Id: 't', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:nope' }] }));
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  await idle(server.stratus.runtime);
  const failures = await failedDeliveries(server.stratus.runtime, RuleArn!);
  assert.equal(failures.length, 1);
  assert.equal(failures[0].dead_letter_arn, null);
  assert.equal(JSON.parse(failures[0].event).id, out.Entries![0].EventId);
});

test('a retryable failure exhausting MaximumRetryAttempts: EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS', async () => {
  const target = `always-fails-${n + 1}`;
  const sink = await createQueue(a.sqs, `${target}-sink`);
  probe.set(target, sink.arn, Number.MAX_SAFE_INTEGER);
  const { eventId, ruleArn } = await failing({ Arn: probe.arn(target), RetryPolicy: { MaximumRetryAttempts: 3 } });
  const m = await receiveOne(a.sqs, dlq);
  const attributes = attributesOf(m);
  assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, 'MaximumRetryAttempts');
  assert.equal(attributes.RETRY_ATTEMPTS, '3');
  assert.equal(attributes.ERROR_CODE, 'ERROR_FROM_TARGET');
  assert.equal(attributes.ERROR_MESSAGE, `probe target ${target} failed on purpose`);
  assert.equal(attributes.TARGET_ARN, probe.arn(target));
  assert.equal(attributes.RULE_ARN, ruleArn);
  assert.equal(JSON.parse(m.Body!).id, eventId);
  assert.equal(probe.attempts.get(target), 4, 'one attempt and three retries');
  const failures = await failedDeliveries(server.stratus.runtime, ruleArn);
  assert.equal(failures[0].condition, 'MaximumRetryAttempts');
  // Stratus's own record keeps the target's own error code for diagnosis.
  assert.equal(failures[0].error_code, 'ProbeUnavailable');
  assert.equal(failures[0].attempts, 4);
  await assertEmpty(a.sqs, sink);
});

test('MaximumRetryAttempts 0: one attempt, then the DLQ with RETRY_ATTEMPTS 0', async () => {
  const target = `fails-once-${n + 1}`;
  const sink = await createQueue(a.sqs, `${target}-sink`);
  probe.set(target, sink.arn, 1);
  await failing({ Arn: probe.arn(target), RetryPolicy: { MaximumRetryAttempts: 0 } });
  const attributes = attributesOf(await receiveOne(a.sqs, dlq));
  assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, 'MaximumRetryAttempts');
  assert.equal(attributes.RETRY_ATTEMPTS, '0');
  assert.equal(probe.attempts.get(target), 1);
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, sink);
});

test('MaximumEventAgeInSeconds running out: EXHAUSTED_RETRY_CONDITION MaximumEventAgeInSeconds', async () => {
  const target = `too-old-${n + 1}`;
  const sink = await createQueue(a.sqs, `${target}-sink`);
  probe.set(target, sink.arn, Number.MAX_SAFE_INTEGER);
  // 60 s scaled by 0.001 is a 60 ms window; 185 retries would take far longer.
  const { ruleArn } = await failing({ Arn: probe.arn(target), RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 } });
  const attributes = attributesOf(await receiveOne(a.sqs, dlq));
  assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, 'MaximumEventAgeInSeconds');
  const attempts = probe.attempts.get(target)!;
  assert.ok(attempts >= 2 && attempts < 186, `attempts ${attempts}`);
  assert.equal(attributes.RETRY_ATTEMPTS, String(attempts - 1));
  assert.equal((await failedDeliveries(server.stratus.runtime, ruleArn))[0].condition, 'MaximumEventAgeInSeconds');
});

test('a transient failure is retried, then delivered exactly once; nothing is dead-lettered', async () => {
  const target = `flaky-${n + 1}`;
  const sink = await createQueue(a.sqs, `${target}-sink`);
  probe.set(target, sink.arn, 2);
  const { eventId, ruleArn } = await failing({ Arn: probe.arn(target), RetryPolicy: { MaximumRetryAttempts: 5 } });
  const m = await receiveOne(a.sqs, sink);
  assert.equal(JSON.parse(m.Body!).id, eventId);
  await idle(server.stratus.runtime);
  assert.equal(probe.attempts.get(target), 3);
  await assertEmpty(a.sqs, sink);
  await assertEmpty(a.sqs, dlq);
  assert.deepEqual(await failedDeliveries(server.stratus.runtime, ruleArn), []);
});

test('a non-retryable failure of a target is dead-lettered after one attempt', async () => {
  const target = `refuses-${n + 1}`;
  const sink = await createQueue(a.sqs, `${target}-sink`);
  probe.set(target, sink.arn, 1, true);
  await failing({ Arn: probe.arn(target), RetryPolicy: { MaximumRetryAttempts: 5 } });
  const attributes = attributesOf(await receiveOne(a.sqs, dlq));
  assert.equal(attributes.ERROR_CODE, 'ERROR_FROM_TARGET');
  assert.equal(attributes.RETRY_ATTEMPTS, '0');
  assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, undefined);
  assert.equal(probe.attempts.get(target), 1);
});

test('the DLQ receives the original event, not the transformed target input', async () => {
  const { eventId } = await failing({
    Arn: 'arn:aws:sqs:us-east-1:000000000000:missing-transformed',
    InputTransformer: { InputPathsMap: { k: '$.detail.k' }, InputTemplate: '"k is <k>"' },
  });
  const body = JSON.parse((await receiveOne(a.sqs, dlq)).Body!);
  assert.equal(body.id, eventId);
  assert.deepEqual(body.detail, { k: 'v' });
});

test('each failing target of one event is dead-lettered on its own', async () => {
  const queue = await createQueue(a.sqs, 'retries-mixed-ok');
  dlq = await createQueue(a.sqs, 'retries-mixed-dlq');
  await a.eb.send(new PutRuleCommand({ Name: 'retries-mixed', EventPattern: '{"source":["test.retries.mixed"]}' }));
  await a.eb.send(
    new PutTargetsCommand({
      Rule: 'retries-mixed',
      Targets: [
        { Id: 'ok', Arn: queue.arn, DeadLetterConfig: { Arn: dlq.arn } },
        { Id: 'gone', Arn: 'arn:aws:sqs:us-east-1:000000000000:mixed-gone', DeadLetterConfig: { Arn: dlq.arn } },
        { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:mixed', DeadLetterConfig: { Arn: dlq.arn } },
      ],
    }),
  );
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'test.retries.mixed', DetailType: 't', Detail: '{}' }] }));
  const id = out.Entries![0].EventId;
  assert.equal(JSON.parse((await receiveOne(a.sqs, queue)).Body!).id, id);
  const dead = await receive(a.sqs, dlq, 2);
  assert.deepEqual(dead.map((m) => attributesOf(m).TARGET_ARN).sort(), ['arn:aws:lambda:us-east-1:000000000000:function:mixed', 'arn:aws:sqs:us-east-1:000000000000:mixed-gone']);
  for (const m of dead) assert.equal(JSON.parse(m.Body!).id, id);
});

test('a FIFO queue target receives the event in the SqsParameters message group', async () => {
  const fifo = await createQueue(a.sqs, 'retries-target.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  await a.eb.send(new PutRuleCommand({ Name: 'retries-fifo', EventPattern: '{"source":["test.retries.fifo"]}' }));
  await a.eb.send(new PutTargetsCommand({ Rule: 'retries-fifo', Targets: [{ Id: 'f', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'group-7' } }] }));
  const out = await a.eb.send(
    new PutEventsCommand({ Entries: [0, 1, 2].map((i) => ({ Source: 'test.retries.fifo', DetailType: 't', Detail: JSON.stringify({ i }) })) }),
  );
  const got = await receive(a.sqs, fifo, 3);
  for (const m of got) assert.equal(m.Attributes!.MessageGroupId, 'group-7');
  // Distinct events have distinct ids, so content-based deduplication keeps all three.
  assert.deepEqual(new Set(got.map((m) => JSON.parse(m.Body!).id)), new Set(out.Entries!.map((e) => e.EventId)));
  // One group, in the order PutEvents took them.
  assert.deepEqual(got.map((m) => JSON.parse(m.Body!).detail.i), [0, 1, 2]);
});

test('a FIFO queue without content-based deduplication cannot take the event: dead-lettered', async () => {
  // "If you specify an SQS FIFO queue as a target, the queue must have content-based
  // deduplication enabled" (API Reference, SqsParameters).
  const fifo = await createQueue(a.sqs, 'retries-nodedup.fifo', { FifoQueue: 'true' });
  const { eventId } = await failing({ Arn: fifo.arn, SqsParameters: { MessageGroupId: 'g' } });
  const m = await receiveOne(a.sqs, dlq);
  assert.equal(JSON.parse(m.Body!).id, eventId);
  assert.equal(attributesOf(m).ERROR_CODE, 'INVALID_PARAMETER');
  assert.equal(attributesOf(m).RETRY_ATTEMPTS, '0');
});
