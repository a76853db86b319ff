/**
 * Every case of test/conformance/sns/filter-policy/ (recorded against AWS: was a message delivered
 * to a subscription with a filter policy or not) through the real API: @aws-sdk/client-sns and
 * @aws-sdk/client-sqs against a real server.
 *
 * Each case gets its topic and three SQS subscriptions, each to its own queue:
 *  - the policy and scope given to Subscribe as Attributes,
 *  - the same set afterwards with SetSubscriptionAttributes (scope first, then the policy), as
 *    most recorded tests did,
 *  - no policy at all: the control, which must receive every message.
 * The case's message is published (Publish, or PublishBatch as recorded) and, once the delivery
 * machine holds no job due or running (a delivery's message is stored in the queue in the same
 * transaction that ends its job), each queue is read without waiting: the control proves the
 * message went out, so an empty filtered queue means "filtered", not "not there yet".
 * Every case is set up and published first, then checked: the file takes seconds.
 */
import * as sns from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueue, idle, type QueueRef } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GIVEN_FILTER_POLICY_CASES, loadFilterPolicyCases, policyText, type FilterPolicyCase } from '../support/sns-conformance.js';

const cases = loadFilterPolicyCases();

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;

/** The three queues of a case, or why its setup or publish failed. */
interface Prepared {
  viaSubscribe: QueueRef;
  viaSetAttributes: QueueRef;
  control: QueueRef;
}
const prepared = new Map<string, Prepared | Error>();

function messageAttributesOf(c: FilterPolicyCase): Record<string, sns.MessageAttributeValue> | undefined {
  if (!c.messageAttributes) return undefined;
  return Object.fromEntries(
    Object.entries(c.messageAttributes).map(([name, a]) => [
      name,
      a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') } : { DataType: a.DataType, StringValue: a.StringValue },
    ]),
  );
}

async function prepare(c: FilterPolicyCase, index: number): Promise<Prepared> {
  const name = `fp-${index}`;
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: name }));
  const [viaSubscribe, viaSetAttributes, control] = await Promise.all([createQueue(sqs, `${name}-subscribe`), createQueue(sqs, `${name}-set`), createQueue(sqs, `${name}-control`)]);
  const subscribe = async (queue: QueueRef, Attributes?: Record<string, string>): Promise<string> =>
    (await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
  const policy = policyText(c);
  // The default scope is MessageAttributes (API Reference, SetSubscriptionAttributes): named only when it is not.
  const scope: Record<string, string> = c.scope === 'MessageBody' ? { FilterPolicyScope: c.scope } : {};
  await subscribe(viaSubscribe, { ...scope, FilterPolicy: policy });
  const SubscriptionArn = await subscribe(viaSetAttributes);
  if (c.scope === 'MessageBody') await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: c.scope }));
  await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: policy }));
  await subscribe(control);
  const MessageAttributes = messageAttributesOf(c);
  if (c.api === 'PublishBatch') {
    const answer = await client.send(new sns.PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'entry-1', Message: c.message, MessageAttributes }] }));
    assert.deepEqual(answer.Failed ?? [], [], 'the batch entry is taken');
  } else {
    await client.send(new sns.PublishCommand({ TopicArn, Message: c.message, MessageAttributes }));
  }
  return { viaSubscribe, viaSetAttributes, control };
}

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  // A few cases at a time: enough to be quick, few enough not to crowd a shared machine.
  const queue = cases.map((c, i) => [c, i] as const);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [c, i] = next;
      prepared.set(c.id, await prepare(c, i).catch((error: Error) => error));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await idle(server.stratus.runtime, 15_000);
});
after(() => server?.stop());

/** What an SQS subscription (not raw) received: the envelope's Message of each message. */
function notifications(messages: Message[]): string[] {
  return messages.map((m) => (JSON.parse(m.Body!) as { Message: string }).Message);
}

/** Everything the queue holds now (left in flight): called once the delivery machine is idle. */
async function everything(queue: QueueRef): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
    if (Messages.length === 0) return out;
    out.push(...Messages);
  }
}

describe('SNS filter policies recorded against AWS, through the API (test/conformance/sns/filter-policy)', () => {
  test('the set holds the recorded cases, of both outcomes', () => {
    assert.ok(cases.length >= GIVEN_FILTER_POLICY_CASES, `${cases.length} cases`);
    assert.ok(cases.some((c) => c.expected === 'match') && cases.some((c) => c.expected === 'no-match'));
  });

  for (const c of cases) {
    test(`${c.id.split('::').slice(1).join('::')} (${c.expected})`, async () => {
      const queues = prepared.get(c.id);
      assert.ok(queues, 'prepared');
      if (queues instanceof Error) throw queues;
      assert.deepEqual(notifications(await everything(queues.control)), [c.message], 'the control subscription (no policy) received the message');
      const expected = c.expected === 'match' ? [c.message] : [];
      assert.deepEqual(notifications(await everything(queues.viaSubscribe)), expected, 'the policy given to Subscribe');
      assert.deepEqual(notifications(await everything(queues.viaSetAttributes)), expected, 'the policy set with SetSubscriptionAttributes');
    });
  }
});
