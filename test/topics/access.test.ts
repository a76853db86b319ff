/**
 * Resource policies across accounts, through the SDK with one access key per account: a topic
 * policy granting Publish and Subscribe to an organization (aws:PrincipalOrgID, from the
 * organizations Stratus was started with), an explicit Deny that wins, and SNS delivering to a
 * queue of another account only as far as that queue's policy allows it.
 */
import * as sns from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEmpty, createQueue, idle, receiveOne } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';

const OWNER = '111111111111';
const MEMBER = '222222222222';
const STRANGER = '333333333333';
const ORG = 'o-a1b2c3d4e5';

let server: TestServer;
const as = (accountId: string) => ({ credentials: { accessKeyId: accountId, secretAccessKey: 'x' } });

before(async () => {
  server = await startTestServer({ config: { organizations: { [ORG]: [OWNER, MEMBER] } } });
});
after(() => server.stop());

async function refused(promise: Promise<unknown>, accountId: string, action: string, topicArn: string): Promise<void> {
  await assert.rejects(promise, (error: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.Code, 'AuthorizationError');
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(
      error.message,
      `User: arn:aws:iam::${accountId}:root is not authorized to perform: SNS:${action} on resource: ${topicArn} because no resource-based policy allows the SNS:${action} action`,
    );
    return true;
  });
}

describe('topic policies', () => {
  test('an organization grant lets its accounts publish and subscribe; others are refused; a Deny wins', async () => {
    const owner = server.client(sns.SNSClient, as(OWNER));
    const member = server.client(sns.SNSClient, as(MEMBER));
    const stranger = server.client(sns.SNSClient, as(STRANGER));
    const { TopicArn } = await owner.send(new sns.CreateTopicCommand({ Name: 'org-wide' }));
    const arn = TopicArn!;
    // By default no other account may publish.
    await refused(member.send(new sns.PublishCommand({ TopicArn: arn, Message: 'x' })), MEMBER, 'Publish', arn);

    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'org', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: arn, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
      ],
    };
    await owner.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) }));
    assert.match((await member.send(new sns.PublishCommand({ TopicArn: arn, Message: 'from a member' }))).MessageId!, /^[0-9a-f-]{36}$/);
    const theirQueue = await createQueue(server.client(SQSClient, as(MEMBER)), 'member-q');
    const sub = await member.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: theirQueue.arn, ReturnSubscriptionArn: true }));
    const attributes = (await member.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
    assert.deepEqual([attributes.Owner, attributes.SubscriptionPrincipal], [MEMBER, `arn:aws:iam::${MEMBER}:root`]);
    await refused(stranger.send(new sns.PublishCommand({ TopicArn: arn, Message: 'x' })), STRANGER, 'Publish', arn);
    await refused(stranger.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${STRANGER}:q` })), STRANGER, 'Subscribe', arn);
    // Actions the policy does not name stay the owner's.
    await refused(member.send(new sns.DeleteTopicCommand({ TopicArn: arn })), MEMBER, 'DeleteTopic', arn);

    policy.Statement.push({ Sid: 'not-them', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: ['SNS:Publish'], Resource: arn } as never);
    await owner.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) }));
    await refused(member.send(new sns.PublishCommand({ TopicArn: arn, Message: 'x' })), MEMBER, 'Publish', arn);
  });
});

describe('a queue of another account', () => {
  test('gets the topic\'s messages only once its queue policy lets SNS send them for that topic', async () => {
    const owner = server.client(sns.SNSClient, as(OWNER));
    const theirSqs = server.client(SQSClient, as(MEMBER));
    const { TopicArn } = await owner.send(
      new sns.CreateTopicCommand({
        Name: 'to-their-queue',
        Attributes: {
          Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: 'SNS:Subscribe', Resource: '*' }] }),
        },
      }),
    );
    const arn = TopicArn!;
    const q = await createQueue(theirSqs, 'their-q');
    // The queue's owner subscribes it: confirmed at once.
    const member = server.client(sns.SNSClient, as(MEMBER));
    const { SubscriptionArn } = await member.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn, ReturnSubscriptionArn: true }));

    // No queue policy: SNS may not send there, and the delivery fails for good (it is not retried).
    const first = await owner.send(new sns.PublishCommand({ TopicArn: arn, Message: 'not allowed yet' }));
    await idle(server.stratus.runtime);
    await assertEmpty(theirSqs, q);
    const failures = (await (await fetch(`${server.url}/_stratus/topics/failed-deliveries?subscriptionArn=${encodeURIComponent(SubscriptionArn!)}`)).json()) as {
      failures: Array<{ messageId: string; errorCode: string; condition: string }>;
    };
    assert.deepEqual(failures.failures.map((f) => [f.messageId, f.errorCode, f.condition]), [[first.MessageId, 'AccessDenied', 'PermanentFailure']]);

    // A policy for another topic does not do either.
    const forAnother = (sourceArn: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: q.arn, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } }],
      });
    await theirSqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: forAnother(`${arn}-other`) } }));
    await owner.send(new sns.PublishCommand({ TopicArn: arn, Message: 'still not allowed' }));
    await idle(server.stratus.runtime);
    await assertEmpty(theirSqs, q);

    await theirSqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: forAnother(arn) } }));
    await owner.send(new sns.PublishCommand({ TopicArn: arn, Message: 'welcome' }));
    assert.equal(JSON.parse((await receiveOne(theirSqs, q)).Body!).Message, 'welcome');
  });
});
