/**
 * Firehose subscriptions: accepted as AWS accepts them (a SubscriptionRoleArn is required), and
 * every delivery fails — Stratus does not serve Amazon Data Firehose — as to a target that does
 * not exist: not retried, recorded (readable at /_stratus/topics/failed-deliveries), and sent to
 * the subscription's dead-letter queue as the subscription would have received it.
 */
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createQueue, receiveOne } from '../events/delivery-support.js';
import { rejectsWith } from '../support/aws-error.js';
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

const STREAM = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/archive';
const ROLE = 'arn:aws:iam::000000000000:role/sns-to-firehose';

/** Firehose subscriptions are refused as InvalidParameter. */
const rejects = (promise: Promise<unknown>, message: string) => rejectsWith(promise, 'InvalidParameter', message);

test('a Firehose subscription needs its role; the endpoint must be a delivery stream', async () => {
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-firehose-checks' }));
  await rejects(client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: STREAM })), 'Invalid parameter: SubscriptionRoleArn Reason: no value for required parameter');
  await rejects(
    client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: STREAM, Attributes: { SubscriptionRoleArn: 'not-a-role' } })),
    'Invalid parameter: Attributes Reason: SubscriptionRoleArn: Invalid role arn',
  );
  await rejects(
    client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', Attributes: { SubscriptionRoleArn: ROLE } })),
    'Invalid parameter: Firehose endpoint ARN',
  );
  const { SubscriptionArn } = await client.send(
    new sns.SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: STREAM, Attributes: { SubscriptionRoleArn: ROLE }, ReturnSubscriptionArn: true }),
  );
  const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.deepEqual([attributes.PendingConfirmation, attributes.SubscriptionRoleArn, attributes.Protocol], ['false', ROLE, 'firehose']);
  // The role cannot be taken away from a Firehose subscription.
  await rejects(
    client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'SubscriptionRoleArn', AttributeValue: '' })),
    'Invalid parameter: SubscriptionRoleArn Reason: no value for required parameter',
  );
});

test('deliveries fail as to an undeliverable target: recorded, not retried, dead-lettered as the subscription would have had them', async () => {
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-firehose' }));
  const dlq = await createQueue(sqs, 'firehose-dlq');
  const { SubscriptionArn } = await client.send(
    new sns.SubscribeCommand({
      TopicArn,
      Protocol: 'firehose',
      Endpoint: STREAM,
      Attributes: { SubscriptionRoleArn: ROLE, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }), RawMessageDelivery: 'true' },
      ReturnSubscriptionArn: true,
    }),
  );
  const { MessageId } = await client.send(new sns.PublishCommand({ TopicArn, Message: '{"record":1}' }));
  // Raw delivery: the DLQ gets the record itself.
  assert.equal((await receiveOne(sqs, dlq, 5000)).Body, '{"record":1}');
  const answer = await fetch(`${server.url}/_stratus/topics/failed-deliveries?subscriptionArn=${encodeURIComponent(SubscriptionArn!)}`);
  const { failures } = (await answer.json()) as { failures: Array<Record<string, unknown>> };
  assert.equal(failures.length, 1);
  assert.equal(failures[0].messageId, MessageId);
  assert.equal(failures[0].endpoint, STREAM);
  assert.equal(failures[0].errorCode, 'UnsupportedTarget');
  assert.equal(failures[0].condition, 'PermanentFailure');
  assert.equal(failures[0].attempts, 1);
  assert.equal(failures[0].deadLetterArn, dlq.arn);
  // Asking without a subscription is a bad request.
  assert.equal((await fetch(`${server.url}/_stratus/topics/failed-deliveries`)).status, 400);
});
