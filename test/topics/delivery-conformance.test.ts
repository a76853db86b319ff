/**
 * Every delivery of test/conformance/sns/delivery/ (what SQS queues received from SNS on AWS)
 * reproduced through the real API: @aws-sdk/client-sns, -sqs and -lambda against a real server.
 * Each case gets the topic, subscription and route its recording shows (delivery-scenarios.ts),
 * publishes the same messages, receives them with every attribute and compares each received
 * message whole with the recorded one, volatile values aside (test/support/recorded-match.ts:
 * a placeholder stands for one value throughout a case, and the envelope's member order counts).
 * Signatures are verified with the certificate the server serves at SigningCertURL. Once all
 * cases are done and the delivery machine is idle, no queue holds a message more.
 *
 * A case that cannot be set up faithfully from its recording is listed in SKIPPED with the reason.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import * as sns from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueue, idle, type QueueRef } from '../events/delivery-support.js';
import { createNodeFunction, putEventInvokeConfig } from '../functions/async-support.js';
import { RecordedMatcher, type MatchOptions } from '../support/recorded-match.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { loadDeliveryCases, pythonRepr, type DeliveryCase, type RecordedMessage } from '../support/sns-delivery-conformance.js';
import { loadRecordedCases } from '../support/sns-recorded.js';
import { verifySnsSignature } from '../support/sns-signature.js';
import { NotReproducible, scenarioOf, type PublishPlan, type Scenario } from './delivery-scenarios.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** Cases not reproduced through the API, with the reason. None so far. */
const SKIPPED: Record<string, string> = {};

const cases = loadDeliveryCases();
const recordedById = new Map(loadRecordedCases().map((c) => [c.id, c]));

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
let lambda: LambdaClient;

interface Outcome {
  scenario: Scenario;
  /** Where the messages are read. */
  queue: QueueRef;
  received: Message[];
  /** What the queue still held once everything was idle. */
  leftOver?: Message[];
}
const outcomes = new Map<string, Outcome | Error>();

const options = (): MatchOptions => ({
  account: ACCOUNT,
  // AWS's cert and unsubscribe domains are its SNS endpoint; Stratus's is the server itself.
  known: { '<partition>': 'aws', '<region>': REGION, '<cert-domain>': server.url, '<unsubscribe-domain>': server.url },
});

/** Receives (and deletes, so a FIFO group moves on) until `count` messages came. */
async function collect(queue: QueueRef, count: number, timeoutMs: number): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    out.push(...Messages);
    if (Messages.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
  return out;
}

async function publish(topicArn: string, plans: PublishPlan[]): Promise<void> {
  for (let i = 0; i < plans.length; ) {
    const { batch, ...input } = plans[i];
    if (!batch) {
      await client.send(new sns.PublishCommand({ TopicArn: topicArn, ...input }));
      i++;
      continue;
    }
    const entries: sns.PublishBatchRequestEntry[] = [];
    for (; i < plans.length && plans[i].batch?.key === batch.key; i++) {
      const { batch: entry, ...rest } = plans[i];
      entries.push({ Id: entry!.id, ...rest });
    }
    const answer = await client.send(new sns.PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
    assert.deepEqual(answer.Failed ?? [], [], 'every batch entry is taken');
  }
}

/** Sets a case's scenario up, publishes, and receives what the recording shows. */
async function run(c: DeliveryCase, index: number): Promise<Outcome> {
  const scenario = scenarioOf(c, recordedById.get(c.testNodeId), options());
  const name = `dc-${index}`;
  const fifo = scenario.topic.fifo ? '.fifo' : '';
  const topicAttributes: Record<string, string> = {};
  if (scenario.topic.fifo) topicAttributes.FifoTopic = 'true';
  if (scenario.topic.contentBasedDeduplication) topicAttributes.ContentBasedDeduplication = 'true';
  if (scenario.topic.signatureVersion) topicAttributes.SignatureVersion = scenario.topic.signatureVersion;
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: `${name}${fifo}`, Attributes: topicAttributes }));
  const queueOf = (suffix: string): Promise<QueueRef> =>
    scenario.queue.fifo ? createQueue(sqs, `${name}-${suffix}.fifo`, { FifoQueue: 'true' }) : createQueue(sqs, `${name}-${suffix}`);
  const subscribe = async (topicArn: string, Protocol: string, Endpoint: string, Attributes: Record<string, string> = {}): Promise<void> => {
    if (scenario.raw) Attributes.RawMessageDelivery = 'true';
    await client.send(new sns.SubscribeCommand({ TopicArn: topicArn, Protocol, Endpoint, Attributes, ReturnSubscriptionArn: true }));
  };
  let readFrom: QueueRef;
  switch (scenario.route) {
    case 'direct':
      readFrom = await queueOf('q');
      await subscribe(TopicArn!, 'sqs', readFrom.arn);
      await publish(TopicArn!, scenario.publishes);
      break;
    case 'dead-letter': {
      const subscribed = await queueOf('q');
      readFrom = await queueOf('dlq');
      await subscribe(TopicArn!, 'sqs', subscribed.arn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: readFrom.arn }) });
      await sqs.send(new DeleteQueueCommand({ QueueUrl: subscribed.url }));
      await publish(TopicArn!, scenario.publishes);
      break;
    }
    case 'lambda-dead-letter': {
      // The recorded envelope's topic is the function's dead-letter target; the message went to a function subscribed to another.
      readFrom = await queueOf('q');
      await subscribe(TopicArn!, 'sqs', readFrom.arn);
      const fn = `${name}-fn`;
      const functionArn = await createNodeFunction(lambda, fn, `exports.handler = async () => { throw new Error(${JSON.stringify(scenario.functionError)}); };`, {
        DeadLetterConfig: { TargetArn: TopicArn },
      });
      await putEventInvokeConfig(lambda, { FunctionName: fn, MaximumRetryAttempts: 0 });
      const { TopicArn: functionTopic } = await client.send(new sns.CreateTopicCommand({ Name: `${name}-to-function` }));
      await client.send(new sns.SubscribeCommand({ TopicArn: functionTopic, Protocol: 'lambda', Endpoint: functionArn }));
      await publish(functionTopic!, scenario.publishes);
      break;
    }
  }
  const received = await collect(readFrom, c.recorded.Messages.length, scenario.route === 'lambda-dead-letter' ? 30_000 : 10_000);
  return { scenario, queue: readFrom, received };
}

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  lambda = server.client(LambdaClient);
  const pending = cases.map((c, i) => [c, i] as const).filter(([c]) => SKIPPED[c.id] === undefined);
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const [c, i] = next;
      outcomes.set(c.id, await run(c, i).catch((error: Error) => error));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await idle(server.stratus.runtime, 15_000);
  for (const outcome of outcomes.values()) {
    if (outcome instanceof Error) continue;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: outcome.queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    outcome.leftOver = Messages;
  }
});
after(() => server?.stop());

/** A received message in the recorder's form: attributes as it stored them (bytes as Python's repr). */
function asRecorded(m: Message, recorded: RecordedMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { Body: m.Body, MD5OfBody: m.MD5OfBody, MessageId: m.MessageId };
  if ('ReceiptHandle' in recorded) out.ReceiptHandle = m.ReceiptHandle;
  if (m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0) {
    out.MD5OfMessageAttributes = m.MD5OfMessageAttributes;
    out.MessageAttributes = Object.fromEntries(
      Object.entries(m.MessageAttributes).map(([name, a]) => [
        name,
        a.BinaryValue !== undefined ? { BinaryValue: pythonRepr(a.BinaryValue), DataType: a.DataType } : { DataType: a.DataType, StringValue: a.StringValue },
      ]),
    );
  }
  // The recording test asked for the SQS attributes, or did not.
  if (recorded.Attributes) out.Attributes = m.Attributes;
  return out;
}

/** The signed documents in a received message: the envelope, and the Lambda event's Sns inside it. */
function signedIn(body: unknown): Record<string, unknown>[] {
  if (typeof body !== 'string' || !body.startsWith('{')) return [];
  const envelope = JSON.parse(body) as Record<string, unknown>;
  if (envelope.Type !== 'Notification' || envelope.Signature === undefined) return [];
  const out = [envelope];
  try {
    const event = JSON.parse(String(envelope.Message)) as { Records?: { Sns?: Record<string, unknown> }[] };
    if (event.Records?.[0]?.Sns?.Signature !== undefined) out.push(event.Records[0].Sns);
  } catch {
    // Not a Lambda event.
  }
  return out;
}

/** Pairs the recorded messages with the received ones (in order on a FIFO queue, else any order) and lists the differences. */
function compare(recorded: RecordedMessage[], received: Message[], ordered: boolean): string[] {
  const matcher = new RecordedMatcher(options());
  if (received.length !== recorded.length) return [`received ${received.length} message(s), recorded ${recorded.length}: ${received.map((m) => m.Body).join(' | ')}`];
  if (ordered) return recorded.flatMap((r, i) => matcher.diff(r, asRecorded(received[i], r), `Messages[${i}]`));
  const left = [...received];
  const problems: string[] = [];
  recorded.forEach((r, i) => {
    const tries = left.map((m) => {
      const fork = matcher.fork();
      return { m, fork, diff: fork.diff(r, asRecorded(m, r), `Messages[${i}]`) };
    });
    const best = tries.find((t) => t.diff.length === 0) ?? tries.sort((a, b) => a.diff.length - b.diff.length)[0];
    if (best.diff.length === 0) matcher.adopt(best.fork);
    problems.push(...best.diff);
    left.splice(left.indexOf(best.m), 1);
  });
  return problems;
}

describe('SNS deliveries recorded against AWS, through the API (test/conformance/sns/delivery)', () => {
  for (const c of cases) {
    const title = c.id.split('::').slice(1).join('::');
    if (SKIPPED[c.id] !== undefined) {
      test(title, { skip: SKIPPED[c.id] }, () => {});
      continue;
    }
    test(title, async () => {
      const outcome = outcomes.get(c.id);
      assert.ok(outcome, 'run');
      if (outcome instanceof NotReproducible) assert.fail(`not reproducible: ${outcome.message} (list it in SKIPPED with the reason)`);
      if (outcome instanceof Error) throw outcome;
      assert.deepEqual(compare(c.recorded.Messages, outcome.received, outcome.scenario.ordered), []);
      for (const m of outcome.received) {
        for (const signed of signedIn(m.Body)) {
          const url = String(signed.SigningCertURL ?? signed.SigningCertUrl);
          assert.ok(verifySnsSignature(signed, await certificateAt(url)), 'the signature verifies with the certificate served at SigningCertURL');
        }
      }
      assert.deepEqual((outcome.leftOver ?? []).map((m) => m.Body), [], 'nothing more arrived');
    });
  }

  test('run and skipped', (t) => {
    const skipped = cases.filter((c) => SKIPPED[c.id] !== undefined).length;
    t.diagnostic(`${cases.length - skipped} cases run through the API, ${skipped} skipped`);
    const routes = new Map<string, number>();
    for (const outcome of outcomes.values()) {
      const kind = outcome instanceof Error ? 'not run' : `${outcome.scenario.route}${outcome.scenario.raw ? ', raw' : ''}${outcome.scenario.topic.fifo ? ', FIFO topic' : ''}`;
      routes.set(kind, (routes.get(kind) ?? 0) + 1);
    }
    t.diagnostic([...routes].map(([kind, n]) => `${n} ${kind}`).join('; '));
    assert.ok(cases.length - skipped > 0);
  });
});

const certificates = new Map<string, Promise<string>>();

/** The certificate a SigningCertURL names, fetched from the server once. */
function certificateAt(url: string): Promise<string> {
  if (!certificates.has(url)) certificates.set(url, fetch(url).then((r) => r.text()));
  return certificates.get(url)!;
}
