/**
 * The SNS control plane through @aws-sdk/client-sns (Query): topics, their attributes and
 * idempotency, subscriptions, paging, permissions, tags, data protection policies, platform
 * applications and endpoints, the SMS actions — good input and bad.
 *
 * Texts pinned here are AWS's, as recorded against AWS (test/conformance/sns/recorded), unless a
 * comment says they are Stratus's own.
 */
import * as sns from '@aws-sdk/client-sns';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const OTHER = '111122223333';
const REGION = 'us-east-1';
const topicArn = (name: string, account = ACCOUNT) => `arn:aws:sns:${REGION}:${account}:${name}`;
const queueArn = (name: string, account = ACCOUNT) => `arn:aws:sqs:${REGION}:${account}:${name}`;

let server: TestServer;
let client: sns.SNSClient;
/** Signed with a 12-digit access key: acts in account OTHER. */
let other: sns.SNSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  other = server.client(sns.SNSClient, { credentials: { accessKeyId: OTHER, secretAccessKey: 'x' } });
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

const create = async (Name: string, Attributes?: Record<string, string>, Tags?: sns.Tag[]) =>
  (await client.send(new sns.CreateTopicCommand({ Name, Attributes, Tags }))).TopicArn!;
const attributes = async (TopicArn: string) => (await client.send(new sns.GetTopicAttributesCommand({ TopicArn }))).Attributes!;

describe('topics', () => {
  test('CreateTopic answers the ARN; GetTopicAttributes what AWS shows of a new topic', async () => {
    const arn = await create('plain');
    assert.equal(arn, topicArn('plain'));
    const attrs = await attributes(arn);
    assert.deepEqual(Object.keys(attrs).sort(), [
      'DisplayName',
      'EffectiveDeliveryPolicy',
      'Owner',
      'Policy',
      'SubscriptionsConfirmed',
      'SubscriptionsDeleted',
      'SubscriptionsPending',
      'TopicArn',
    ]);
    assert.equal(attrs.DisplayName, '');
    assert.equal(attrs.Owner, ACCOUNT);
    assert.deepEqual(JSON.parse(attrs.Policy), {
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [
        {
          Sid: '__default_statement_ID',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'SNS:GetTopicAttributes',
            'SNS:SetTopicAttributes',
            'SNS:AddPermission',
            'SNS:RemovePermission',
            'SNS:DeleteTopic',
            'SNS:Subscribe',
            'SNS:ListSubscriptionsByTopic',
            'SNS:Publish',
          ],
          Resource: arn,
          Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
        },
      ],
    });
    assert.deepEqual(JSON.parse(attrs.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy, {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    });
    assert.equal(attrs.SubscriptionsConfirmed, '0');
  });

  test('a FIFO topic shows FifoTopic and ContentBasedDeduplication', async () => {
    const arn = await create('orders.fifo', { FifoTopic: 'true', SignatureVersion: '2' });
    const attrs = await attributes(arn);
    assert.equal(attrs.FifoTopic, 'true');
    assert.equal(attrs.ContentBasedDeduplication, 'false');
    assert.equal(attrs.SignatureVersion, '2');
  });

  test('topic names: 1-256 of letters, digits, - and _, and .fifo exactly for FIFO topics', async () => {
    assert.equal(await create('a'.repeat(256)), topicArn('a'.repeat(256)));
    for (const [Name, Attributes] of [
      ['', undefined],
      ['a'.repeat(257), undefined],
      ['test.fifo', undefined],
      ['test', { FifoTopic: 'true' }],
      ['bad@name', undefined],
    ] as const) {
      await rejects(client.send(new sns.CreateTopicCommand({ Name, Attributes })), 'InvalidParameter', 'Invalid parameter: Topic Name');
    }
  });

  test('CreateTopic again: the same ARN for the same attributes and tags, refused for others', async () => {
    const arn = await create('again', { DisplayName: 'Value1' }, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    assert.equal(await create('again'), arn);
    assert.equal(await create('again', { DisplayName: 'Value1', FifoTopic: 'false' }, [{ Key: 'a', Value: '1' }]), arn);
    await rejects(create('again', { DisplayName: 'Value2' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    await rejects(create('again', { SignatureVersion: '2' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    await rejects(create('again', undefined, [{ Key: 'c', Value: '3' }]), 'InvalidParameter', 'Invalid parameter: Tags Reason: Topic already exists with different tags');
  });

  test('SetTopicAttributes: names and values checked; DeliveryPolicy normalized and its effective policy recomputed', async () => {
    const arn = await create('settable');
    await client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Shop' }));
    await client.send(
      new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1}}}' }),
    );
    let attrs = await attributes(arn);
    assert.equal(attrs.DisplayName, 'Shop');
    assert.deepEqual(JSON.parse(attrs.DeliveryPolicy), { http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 }, disableSubscriptionOverrides: false } });
    assert.deepEqual(JSON.parse(attrs.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy, {
      minDelayTarget: 5,
      maxDelayTarget: 6,
      numRetries: 1,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    });
    await client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '' }));
    attrs = await attributes(arn);
    assert.equal(attrs.DeliveryPolicy, undefined);
    await rejects(client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'FifoTopic', AttributeValue: 'false' })), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await rejects(client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Bogus', AttributeValue: 'x' })), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await rejects(client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'SignatureVersion', AttributeValue: '3' })), 'InvalidParameter', /SignatureVersion/);
    await rejects(client.send(new sns.SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: 'not json' })), 'InvalidParameter', /Policy/);
  });

  test('ARNs: malformed, unknown, another Region', async () => {
    await rejects(client.send(new sns.GetTopicAttributesCommand({ TopicArn: 'test-topic' })), 'InvalidParameter', 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
    await rejects(client.send(new sns.GetTopicAttributesCommand({ TopicArn: topicArn('nope') })), 'NotFound', 'Topic does not exist', 404);
    await rejects(client.send(new sns.GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:plain' })), 'InvalidParameter', 'Invalid parameter: TopicArn');
  });

  test('DeleteTopic removes the topic and its subscriptions; deleting again succeeds', async () => {
    const arn = await create('doomed');
    const sub = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('doomed-q') }));
    await client.send(new sns.DeleteTopicCommand({ TopicArn: arn }));
    await client.send(new sns.DeleteTopicCommand({ TopicArn: arn }));
    await rejects(attributes(arn), 'NotFound', 'Topic does not exist', 404);
    await rejects(client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })), 'NotFound', 'Subscription does not exist', 404);
  });

  test('ListTopics pages by 100 with NextToken, in one account and Region only', async () => {
    const mine = server.client(sns.SNSClient, { region: 'eu-central-1' });
    for (let i = 0; i < 105; i++) await mine.send(new sns.CreateTopicCommand({ Name: `page-${String(i).padStart(3, '0')}` }));
    const first = await mine.send(new sns.ListTopicsCommand({}));
    assert.equal(first.Topics!.length, 100);
    assert.ok(first.NextToken);
    const second = await mine.send(new sns.ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics!.length, 5);
    assert.equal(second.NextToken, undefined);
    assert.equal(new Set([...first.Topics!, ...second.Topics!].map((t) => t.TopicArn)).size, 105);
    await rejects(mine.send(new sns.ListTopicsCommand({ NextToken: '!!' })), 'InvalidParameter', 'Invalid parameter: NextToken');
  });
});

describe('subscriptions', () => {
  test('an SQS subscription is confirmed at once, with AWS attributes', async () => {
    const arn = await create('subs');
    const sub = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('subs-q'), Attributes: { RawMessageDelivery: 'TrUe' } }));
    assert.match(sub.SubscriptionArn!, new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    const attrs = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
    assert.deepEqual(attrs, {
      ConfirmationWasAuthenticated: 'true',
      Endpoint: queueArn('subs-q'),
      Owner: ACCOUNT,
      PendingConfirmation: 'false',
      Protocol: 'sqs',
      RawMessageDelivery: 'true',
      SubscriptionArn: sub.SubscriptionArn,
      SubscriptionPrincipal: `arn:aws:iam::${ACCOUNT}:root`,
      TopicArn: arn,
    });
    assert.equal((await attributes(arn)).SubscriptionsConfirmed, '1');
  });

  test('HTTP and email subscriptions wait for confirmation; ReturnSubscriptionArn shows the ARN', async () => {
    const arn = await create('pending');
    const http = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: 'http://example.com/' }));
    assert.equal(http.SubscriptionArn, 'pending confirmation');
    const email = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'a@example.com', ReturnSubscriptionArn: true }));
    assert.match(email.SubscriptionArn!, new RegExp(`^${arn}:`));
    const attrs = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: email.SubscriptionArn }))).Attributes!;
    assert.equal(attrs.PendingConfirmation, 'true');
    assert.equal((await attributes(arn)).SubscriptionsPending, '2');
    const listed = (await client.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!;
    assert.deepEqual(listed.map((s) => s.SubscriptionArn), ['PendingConfirmation', 'PendingConfirmation']);
  });

  test('Subscribe again: the same subscription, or refused for other attributes', async () => {
    const arn = await create('idem');
    const first = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('idem-q'), Attributes: { RawMessageDelivery: 'true' } }));
    const again = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('idem-q') }));
    assert.equal(again.SubscriptionArn, first.SubscriptionArn);
    await rejects(
      client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('idem-q'), Attributes: { RawMessageDelivery: 'false' } })),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    );
  });

  test('protocols and endpoints are checked per protocol', async () => {
    const arn = await create('endpoints');
    const subscribe = (Protocol: string, Endpoint: string) => client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol, Endpoint }));
    await rejects(subscribe('test-protocol', 'x'), 'InvalidParameter', 'Invalid parameter: Amazon SNS does not support this protocol string: test-protocol');
    await rejects(subscribe('sqs', 'unknown'), 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    await rejects(subscribe('sqs', 'http://127.0.0.1:4566/000000000000/q'), 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    await rejects(subscribe('sqs', queueArn('q.fifo')), 'InvalidParameter', 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
    await rejects(subscribe('http', 'https://example.com'), 'InvalidParameter', 'Invalid parameter: Endpoint must match the specified protocol');
    await rejects(subscribe('sms', 'NAA+15551234567'), 'InvalidParameter', 'Invalid SMS endpoint: NAA+15551234567');
    await rejects(subscribe('lambda', queueArn('q')), 'InvalidParameter', 'Invalid parameter: Lambda endpoint ARN');
    const fifo = await create('endpoints.fifo', { FifoTopic: 'true' });
    await rejects(client.send(new sns.SubscribeCommand({ TopicArn: fifo, Protocol: 'lambda', Endpoint: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` })), 'InvalidParameter', 'Invalid parameter: Invalid protocol type: lambda');
    const sms = await subscribe('sms', '+123123123');
    assert.equal((await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: sms.SubscriptionArn }))).Attributes!.Endpoint, '+123123123');
  });

  test('SetSubscriptionAttributes: names, values, RedrivePolicy, FilterPolicyScope', async () => {
    const arn = await create('set-sub');
    const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('set-sub-q') }));
    const set = (AttributeName: string, AttributeValue: string) => client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await rejects(set('FakeAttribute', 'x'), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await rejects(set('RawMessageDelivery', 'test-ValUe'), 'InvalidParameter', 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.');
    await rejects(set('RedrivePolicy', '{"deadLetterTargetArn": "fake-arn"}'), 'InvalidParameter', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    await rejects(set('FilterPolicyScope', 'RandomValue'), 'InvalidParameter', 'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes');
    await set('RedrivePolicy', `{"deadLetterTargetArn": "${queueArn('dlq')}"}`);
    await set('FilterPolicyScope', 'MessageBody');
    let attrs = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(JSON.parse(attrs.RedrivePolicy).deadLetterTargetArn, queueArn('dlq'));
    // The scope is shown only alongside a filter policy (recorded).
    assert.equal(attrs.FilterPolicyScope, undefined);
    await set('FilterPolicy', '{"attr": ["match-this"]}');
    attrs = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(attrs.FilterPolicyScope, 'MessageBody');
    assert.deepEqual(JSON.parse(attrs.FilterPolicy), { attr: ['match-this'] });
    const lambda = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` }));
    await rejects(
      client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: lambda.SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })),
      'InvalidParameter',
      'Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.',
    );
  });

  test('Unsubscribe: ARN checks, idempotent, counted as deleted', async () => {
    const arn = await create('unsub');
    const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('unsub-q') }));
    await client.send(new sns.UnsubscribeCommand({ SubscriptionArn }));
    await client.send(new sns.UnsubscribeCommand({ SubscriptionArn }));
    assert.equal((await attributes(arn)).SubscriptionsDeleted, '1');
    await rejects(client.send(new sns.UnsubscribeCommand({ SubscriptionArn: 'randomstring' })), 'InvalidParameter', 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
    await rejects(client.send(new sns.UnsubscribeCommand({ SubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:random` })), 'InvalidParameter', 'Invalid parameter: SubscriptionId');
    await rejects(
      client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })),
      'NotFound',
      'Subscription does not exist',
      404,
    );
  });

  test('ConfirmSubscription with a token: malformed, unknown, then the right one', async () => {
    const arn = await create('confirm');
    await rejects(client.send(new sns.ConfirmSubscriptionCommand({ TopicArn: arn, Token: 'randomtoken' })), 'InvalidParameter', 'Invalid token');
    await rejects(client.send(new sns.ConfirmSubscriptionCommand({ TopicArn: arn, Token: 'ab'.repeat(144) })), 'InvalidParameter', 'Invalid parameter: Token');
    await rejects(client.send(new sns.ConfirmSubscriptionCommand({ TopicArn: 'nope', Token: 'ab'.repeat(144) })), 'InvalidParameter', 'Invalid parameter: Topic');
  });

  test('ListSubscriptions lists the caller\'s subscriptions in creation order, by pages of 100', async () => {
    const mine = server.client(sns.SNSClient, { region: 'ap-south-1' });
    const arn = (await mine.send(new sns.CreateTopicCommand({ Name: 'many' }))).TopicArn!;
    for (let i = 0; i < 102; i++) {
      await mine.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:ap-south-1:${ACCOUNT}:q${i}` }));
    }
    const first = await mine.send(new sns.ListSubscriptionsCommand({}));
    assert.equal(first.Subscriptions!.length, 100);
    assert.equal(first.Subscriptions![0].Endpoint, `arn:aws:sqs:ap-south-1:${ACCOUNT}:q0`);
    const second = await mine.send(new sns.ListSubscriptionsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(second.Subscriptions!.map((s) => s.Endpoint), [`arn:aws:sqs:ap-south-1:${ACCOUNT}:q100`, `arn:aws:sqs:ap-south-1:${ACCOUNT}:q101`]);
    assert.equal(second.NextToken, undefined);
    const byTopic = await mine.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: first.NextToken }));
    assert.equal(byTopic.Subscriptions!.length, 2);
    assert.equal(byTopic.NextToken, undefined);
    const lone = (await mine.send(new sns.CreateTopicCommand({ Name: 'lone' }))).TopicArn!;
    const empty = await mine.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: lone }));
    assert.deepEqual([empty.Subscriptions, empty.NextToken], [[], undefined]);
    await rejects(mine.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: lone, NextToken: 'not a token!' })), 'InvalidParameter', 'Invalid parameter: NextToken');
  });

  test('a FIFO topic takes at most 100 subscriptions', async () => {
    const arn = await create('crowded.fifo', { FifoTopic: 'true' });
    for (let i = 0; i < 100; i++) await client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn(`crowd-${i}`) }));
    await rejects(client.send(new sns.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('crowd-100') })), 'SubscriptionLimitExceeded', 'Subscription limit exceeded', 403);
  });
});

describe('routing', () => {
  test('an unsigned Query request (a SubscribeURL, say) reaches SNS by its action, SNS not yet created', async () => {
    const fresh = await startTestServer();
    try {
      const res = await fetch(`${fresh.url}/?Action=ListTopics&Version=2010-03-31`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^<\?xml version="1\.0"\?><ListTopicsResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><ListTopicsResult><Topics><\/Topics><\/ListTopicsResult>/);
      const unknown = await fetch(`${fresh.url}/?Action=NoSuchAction`);
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /<Code>InvalidAction<\/Code>/);
    } finally {
      await fresh.stop();
    }
  });

  test('an unsigned action SNS and SQS share (AddPermission) goes by its Version, else by a queue URL path', async () => {
    const fresh = await startTestServer();
    try {
      const created = await fetch(`${fresh.url}/?Action=CreateTopic&Name=shared-action&Version=2010-03-31`);
      const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(await created.text())![1];
      const queue = await fetch(`${fresh.url}/?Action=CreateQueue&QueueName=shared-action&Version=2012-11-05`);
      assert.equal(queue.status, 200);
      const sns = await fetch(`${fresh.url}/?Action=AddPermission&Version=2010-03-31&TopicArn=${encodeURIComponent(topicArn)}&Label=l1&AWSAccountId.member.1=111122223333&ActionName.member.1=Publish`);
      assert.match(await sns.text(), /<AddPermissionResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/">/);
      const sqs = await fetch(`${fresh.url}/000000000000/shared-action?Action=AddPermission&Label=l2&AWSAccountId.1=111122223333&ActionName.1=SendMessage`);
      assert.match(await sqs.text(), /<AddPermissionResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/">/);
    } finally {
      await fresh.stop();
    }
  });
});

describe('access from another account', () => {
  test('refused until AddPermission allows it; RemovePermission takes it back', async () => {
    const arn = await create('shared');
    const publishAttributes = () => other.send(new sns.GetTopicAttributesCommand({ TopicArn: arn }));
    await rejects(publishAttributes(), 'AuthorizationError', /is not authorized to perform: SNS:GetTopicAttributes on resource/, 403);
    await client.send(new sns.AddPermissionCommand({ TopicArn: arn, Label: 'share', AWSAccountId: [OTHER], ActionName: ['GetTopicAttributes', 'Subscribe'] }));
    const policy = JSON.parse((await attributes(arn)).Policy);
    assert.deepEqual(policy.Statement[1], {
      Sid: 'share',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: ['SNS:GetTopicAttributes', 'SNS:Subscribe'],
      Resource: arn,
    });
    assert.equal((await publishAttributes()).Attributes!.TopicArn, arn);
    await rejects(
      client.send(new sns.AddPermissionCommand({ TopicArn: arn, Label: 'share', AWSAccountId: [OTHER], ActionName: ['Publish'] })),
      'InvalidParameter',
      'Invalid parameter: Statement already exists',
    );
    await rejects(
      client.send(new sns.AddPermissionCommand({ TopicArn: arn, Label: 'x', AWSAccountId: [OTHER], ActionName: ['InvalidAction'] })),
      'InvalidParameter',
      'Invalid parameter: Policy statement action out of service scope!',
    );
    await client.send(new sns.RemovePermissionCommand({ TopicArn: arn, Label: 'share' }));
    assert.equal(JSON.parse((await attributes(arn)).Policy).Statement.length, 1);
    await rejects(publishAttributes(), 'AuthorizationError', /SNS:GetTopicAttributes/, 403);
  });
});

describe('tags and data protection', () => {
  test('tags: merged in order, duplicates refused, at most 50', async () => {
    const arn = await create('tagged');
    await rejects(
      client.send(new sns.TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }, { Key: 'k2', Value: 'v2' }] })),
      'InvalidParameter',
      'Invalid parameter: Duplicated keys are not allowed.',
    );
    await client.send(new sns.TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }));
    await client.send(new sns.UntagResourceCommand({ ResourceArn: arn, TagKeys: ['k1'] }));
    await client.send(new sns.TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k2', Value: 'v2b' }] }));
    assert.deepEqual((await client.send(new sns.ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'k2', Value: 'v2b' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `t${i}`, Value: 'v' }));
    await rejects(client.send(new sns.TagResourceCommand({ ResourceArn: arn, Tags: many })), 'TagLimitExceeded', /tag quota/);
    await rejects(client.send(new sns.ListTagsForResourceCommand({ ResourceArn: topicArn('untagged-missing') })), 'ResourceNotFound', 'Resource does not exist', 404);
  });

  test('data protection policies are stored and read back', async () => {
    const arn = await create('protected');
    const policy = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] });
    await client.send(new sns.PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: policy }));
    assert.equal((await client.send(new sns.GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy, policy);
    await rejects(client.send(new sns.PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: 'nope' })), 'InvalidParameter', /DataProtectionPolicy/);
  });
});

describe('platform applications and endpoints', () => {
  test('an application and its endpoints, idempotent by token', async () => {
    const { PlatformApplicationArn } = await client.send(
      new sns.CreatePlatformApplicationCommand({ Name: 'app', Platform: 'ADM', Attributes: { PlatformPrincipal: 'p', PlatformCredential: 'c' } }),
    );
    assert.equal(PlatformApplicationArn, `arn:aws:sns:${REGION}:${ACCOUNT}:app/ADM/app`);
    assert.deepEqual((await client.send(new sns.GetPlatformApplicationAttributesCommand({ PlatformApplicationArn }))).Attributes, { Enabled: 'true' });
    const endpoint = await client.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'token_1', CustomUserData: 'bar' }));
    assert.match(endpoint.EndpointArn!, /:endpoint\/ADM\/app\/[0-9a-f-]{36}$/);
    const again = await client.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'token_1', CustomUserData: 'bar' }));
    assert.equal(again.EndpointArn, endpoint.EndpointArn);
    await rejects(
      client.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'token_1', CustomUserData: 'other' })),
      'InvalidParameter',
      `Invalid parameter: Token Reason: Endpoint ${endpoint.EndpointArn} already exists with the same Token, but different attributes.`,
    );
    await client.send(new sns.SetEndpointAttributesCommand({ EndpointArn: endpoint.EndpointArn, Attributes: { Enabled: 'false' } }));
    assert.deepEqual((await client.send(new sns.GetEndpointAttributesCommand({ EndpointArn: endpoint.EndpointArn }))).Attributes, {
      Enabled: 'false',
      Token: 'token_1',
      CustomUserData: 'bar',
    });
    const listed = await client.send(new sns.ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn }));
    assert.deepEqual(listed.Endpoints!.map((e) => e.EndpointArn), [endpoint.EndpointArn]);
    await client.send(new sns.DeletePlatformApplicationCommand({ PlatformApplicationArn }));
    await rejects(client.send(new sns.ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn })), 'NotFound', 'PlatformApplication does not exist', 404);
    await rejects(client.send(new sns.GetEndpointAttributesCommand({ EndpointArn: endpoint.EndpointArn })), 'NotFound', 'Endpoint does not exist', 404);
  });

  test('bad applications are refused as AWS refuses them', async () => {
    const createApp = (Name: string, Platform: string, Attributes: Record<string, string>) => client.send(new sns.CreatePlatformApplicationCommand({ Name, Platform, Attributes }));
    await rejects(createApp('x', 'AAA', { PlatformCredential: 'c' }), 'InvalidParameter', 'Invalid parameter: Platform Reason: AAA is not supported');
    await rejects(createApp('@name', 'ADM', { PlatformCredential: 'c', PlatformPrincipal: 'p' }), 'InvalidParameter', "Invalid parameter: @name Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'");
    await rejects(createApp('x', 'ADM', { PlatformPrincipal: 'p' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential');
    await rejects(createApp('x', 'ADM', {}), 'ValidationError', "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null");
    await rejects(
      client.send(new sns.GetEndpointAttributesCommand({ EndpointArn: `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/ADM` })),
      'InvalidParameter',
      'Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.',
    );
  });
});

describe('SMS', () => {
  test('an account that set nothing up: in the sandbox, US$1 a month, nobody opted out', async () => {
    assert.equal((await client.send(new sns.GetSMSSandboxAccountStatusCommand({}))).IsInSandbox, true);
    assert.deepEqual((await client.send(new sns.GetSMSAttributesCommand({}))).attributes, { MonthlySpendLimit: '1' });
    assert.deepEqual((await client.send(new sns.ListPhoneNumbersOptedOutCommand({}))).phoneNumbers, []);
    assert.equal((await client.send(new sns.CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' }))).isOptedOut, false);
    assert.deepEqual((await client.send(new sns.ListOriginationNumbersCommand({}))).PhoneNumbers, []);
    await client.send(new sns.OptInPhoneNumberCommand({ phoneNumber: '+4411111111' }));
    await rejects(client.send(new sns.OptInPhoneNumberCommand({ phoneNumber: 'invalid' })), 'InvalidParameter', 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
  });

  test('SMS attributes are set and read back; bad ones refused', async () => {
    await client.send(new sns.SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional' } }));
    assert.deepEqual((await client.send(new sns.GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes, { DefaultSMSType: 'Transactional' });
    await rejects(client.send(new sns.SetSMSAttributesCommand({ attributes: { InvalidAttribute: 'x' } })), 'InvalidParameter', 'InvalidAttribute is not a valid attribute');
    await rejects(client.send(new sns.SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })), 'InvalidParameter', 'DefaultSMSType is invalid');
  });

  test('sandbox destination numbers: created pending, listed, deleted', async () => {
    await client.send(new sns.CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123' }));
    assert.deepEqual((await client.send(new sns.ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers, [{ PhoneNumber: '+15555550123', Status: 'Pending' }]);
    await rejects(client.send(new sns.VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123', OneTimePassword: '00000' })), 'VerificationException', /one-time password/);
    await client.send(new sns.DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123' }));
    assert.deepEqual((await client.send(new sns.ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers, []);
    await rejects(client.send(new sns.DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123' })), 'ResourceNotFound', 'Resource does not exist', 404);
  });
});
