/**
 * HTTP/S subscriptions against a local HTTP server: the SubscriptionConfirmation handshake (the
 * endpoint visits the SubscribeURL), notifications with AWS's headers and signature, raw delivery
 * with the topic's content type, a failing endpoint retried under its delivery policy and then
 * dead-lettered with the envelope AWS writes, a 4xx dead-lettered at once, an endpoint that never
 * confirms, delivery policies checked and shown as AWS shows them, and the UnsubscribeConfirmation
 * whose SubscribeURL restores the subscription.
 */
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueue, receiveOne } from '../events/delivery-support.js';
import { HttpSubscriber } from '../support/http-subscriber.js';
import { rejectsWith as rejects } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
const endpoint = new HttpSubscriber();

before(async () => {
  // Retry delays scaled down as `--fast-retries` does, so a retried delivery ends in the test's time.
  server = await startTestServer({ config: { retryDelayScale: 0.001 } });
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  await endpoint.start();
});
after(async () => {
  await server.stop();
  await endpoint.stop();
});

async function certificate(url: string): Promise<string> {
  return (await fetch(url)).text();
}

const topic = async (Name: string, Attributes?: Record<string, string>) => (await client.send(new sns.CreateTopicCommand({ Name, Attributes }))).TopicArn!;

test('the endpoint confirms through the SubscribeURL, then gets notifications with AWS headers', async () => {
  const TopicArn = await topic('to-http');
  const subscribed = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/hook` }));
  assert.equal(subscribed.SubscriptionArn, 'pending confirmation');
  const [confirmation] = await endpoint.requestsTo('/hook', 1);
  assert.equal(confirmation.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
  assert.equal(confirmation.headers['x-amz-sns-topic-arn'], TopicArn);
  assert.equal(confirmation.headers['x-amz-sns-subscription-arn'], undefined);
  assert.equal(confirmation.headers['user-agent'], 'Amazon Simple Notification Service Agent');
  assert.equal(confirmation.headers['content-type'], 'text/plain; charset=UTF-8');
  const doc = JSON.parse(confirmation.body) as Record<string, string>;
  assert.equal(doc.Type, 'SubscriptionConfirmation');
  assert.equal(doc.Message, `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
  assert.equal(confirmation.headers['x-amz-sns-message-id'], doc.MessageId);
  assert.ok(verifySnsSignature(doc, await certificate(doc.SigningCertURL)));
  // Not delivered while pending.
  await client.send(new sns.PublishCommand({ TopicArn, Message: 'too early' }));

  const confirmed = await fetch(doc.SubscribeURL);
  assert.equal(confirmed.status, 200);
  const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await confirmed.text())![1];
  const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
  assert.equal(attributes.PendingConfirmation, 'false');

  const published = await client.send(new sns.PublishCommand({ TopicArn, Message: 'hello endpoint', Subject: 'greeting' }));
  const [, notification] = await endpoint.requestsTo('/hook', 2);
  assert.equal(notification.headers['x-amz-sns-message-type'], 'Notification');
  assert.equal(notification.headers['x-amz-sns-message-id'], published.MessageId);
  assert.equal(notification.headers['x-amz-sns-subscription-arn'], subscriptionArn);
  const body = JSON.parse(notification.body) as Record<string, string>;
  assert.deepEqual([body.Type, body.Message, body.Subject], ['Notification', 'hello endpoint', 'greeting']);
  assert.ok(verifySnsSignature(body, await certificate(body.SigningCertURL)));
  // A signature of a changed message does not verify.
  assert.equal(verifySnsSignature({ ...body, Message: 'hello endpoinT' }, await certificate(body.SigningCertURL)), false);
  assert.equal(endpoint.to('/hook').length, 2, 'the early message was never sent');

  await client.send(new sns.UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  const [, , goodbye] = await endpoint.requestsTo('/hook', 3);
  assert.equal(goodbye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
  assert.equal(JSON.parse(goodbye.body).Message, `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
});

/** Subscribes `path` and confirms it with the token the confirmation carried. */
async function confirmedSubscription(TopicArn: string, path: string, Attributes?: Record<string, string>): Promise<string> {
  await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}${path}`, Attributes }));
  const [confirmation] = await endpoint.requestsTo(path, 1);
  const { Token } = JSON.parse(confirmation.body) as { Token: string };
  return (await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token }))).SubscriptionArn!;
}

test('raw delivery posts the message itself, with the topic\'s content type', async () => {
  const TopicArn = await topic('to-http-raw', { DeliveryPolicy: '{"http":{"defaultRequestPolicy":{"headerContentType":"application/json"}}}' });
  await confirmedSubscription(TopicArn, '/raw', { RawMessageDelivery: 'true' });
  await client.send(new sns.PublishCommand({ TopicArn, Message: '{"order":1}' }));
  const [, delivered] = await endpoint.requestsTo('/raw', 2);
  assert.equal(delivered.body, '{"order":1}');
  assert.equal(delivered.headers['x-amz-sns-rawdelivery'], 'true');
  assert.equal(delivered.headers['content-type'], 'application/json');
});

describe('failing endpoints', () => {
  test('a 5xx is retried under the delivery policy, then dead-lettered with the envelope the endpoint would have had', async () => {
    const TopicArn = await topic('to-http-failing');
    const dlq = await createQueue(sqs, 'http-dlq');
    const SubscriptionArn = await confirmedSubscription(TopicArn, '/failing', {
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 1 } }),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    endpoint.statuses.set('/failing', 503);
    const published = await client.send(
      new sns.PublishCommand({ TopicArn, Message: 'unlucky', Subject: 'odds', MessageAttributes: { tries: { DataType: 'Number', StringValue: '3' } } }),
    );
    const dead = JSON.parse((await receiveOne(sqs, dlq, 10_000)).Body!) as Record<string, any>;
    assert.equal(dead.Type, 'Notification');
    assert.equal(dead.MessageId, published.MessageId);
    assert.equal(dead.TopicArn, TopicArn);
    assert.equal(dead.Subject, 'odds');
    assert.equal(dead.Message, 'unlucky');
    assert.equal(dead.UnsubscribeURL, `${server.url}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`);
    assert.deepEqual(dead.MessageAttributes, { tries: { Type: 'Number', Value: '3' } });
    assert.ok(verifySnsSignature(dead, await certificate(dead.SigningCertURL)));
    // The confirmation, then the first attempt and numRetries (2) retries.
    assert.equal((await endpoint.requestsTo('/failing', 4)).length, 4);
  });

  test('a 4xx is a client error: not retried, dead-lettered at once', async () => {
    const TopicArn = await topic('to-http-gone');
    const dlq = await createQueue(sqs, 'http-gone-dlq');
    await confirmedSubscription(TopicArn, '/gone', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }), RawMessageDelivery: 'true' });
    endpoint.statuses.set('/gone', 404);
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'nobody home' }));
    // A raw subscription's dead letter is the raw message.
    assert.equal((await receiveOne(sqs, dlq, 10_000)).Body, 'nobody home');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(endpoint.to('/gone').length, 2, 'the confirmation and one attempt');
  });
});

describe('confirmation', () => {
  test('an endpoint that never confirms stays pending and gets nothing but its confirmation', async () => {
    const TopicArn = await topic('to-http-silent');
    const out = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/silent`, ReturnSubscriptionArn: true }));
    await endpoint.requestsTo('/silent', 1);
    for (let i = 0; i < 3; i++) await client.send(new sns.PublishCommand({ TopicArn, Message: `m${i}` }));
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: out.SubscriptionArn }))).Attributes!;
    assert.equal(attributes.PendingConfirmation, 'true');
    assert.equal(attributes.ConfirmationWasAuthenticated, 'false');
    const listed = await client.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(listed.Subscriptions!.map((s) => s.SubscriptionArn), ['PendingConfirmation']);
    const counts = (await client.send(new sns.GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.deepEqual([counts.SubscriptionsPending, counts.SubscriptionsConfirmed], ['1', '0']);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(endpoint.to('/silent').length, 1);
  });

  test('the token alone confirms: a SubscribeURL naming another topic of the Region still does (recorded)', async () => {
    const TopicArn = await topic('to-http-token');
    await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/token` }));
    const doc = JSON.parse((await endpoint.requestsTo('/token', 1))[0].body) as Record<string, string>;
    const elsewhere = doc.SubscribeURL.replace(`TopicArn=${TopicArn}`, `TopicArn=${TopicArn}-nonexistent`);
    const answer = await fetch(elsewhere);
    assert.equal(answer.status, 200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await answer.text())![1];
    assert.ok(arn.startsWith(`${TopicArn}:`));
    // Visiting the real URL again answers the same subscription.
    assert.match(await (await fetch(doc.SubscribeURL)).text(), new RegExp(`<SubscriptionArn>${arn}</SubscriptionArn>`));
    // Another Region's topic, or a broken one, is "Invalid parameter: Topic" (recorded).
    const otherRegion = await fetch(doc.SubscribeURL.replace(`TopicArn=${TopicArn}`, `TopicArn=${TopicArn.replace('us-east-1', 'eu-west-1')}`));
    assert.equal(otherRegion.status, 400);
    assert.match(await otherRegion.text(), /<Message>Invalid parameter: Topic<\/Message>/);
  });

  test('the UnsubscribeConfirmation\'s SubscribeURL restores the subscription as it was', async () => {
    const TopicArn = await topic('to-http-comeback');
    const SubscriptionArn = await confirmedSubscription(TopicArn, '/comeback', { RawMessageDelivery: 'true' });
    await client.send(new sns.UnsubscribeCommand({ SubscriptionArn }));
    const goodbye = JSON.parse((await endpoint.requestsTo('/comeback', 2))[1].body) as Record<string, string>;
    assert.equal(goodbye.Type, 'UnsubscribeConfirmation');
    assert.ok(verifySnsSignature(goodbye, await certificate(goodbye.SigningCertURL)));
    await rejects(client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFound', 'Subscription does not exist');

    const restored = await fetch(goodbye.SubscribeURL);
    assert.equal(restored.status, 200);
    assert.match(await restored.text(), new RegExp(`<SubscriptionArn>${SubscriptionArn}</SubscriptionArn>`));
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.deepEqual([attributes.PendingConfirmation, attributes.RawMessageDelivery], ['false', 'true']);
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'welcome back' }));
    assert.equal((await endpoint.requestsTo('/comeback', 3))[2].body, 'welcome back');
    // The token is spent.
    const again = await fetch(goodbye.SubscribeURL);
    assert.equal(again.status, 400);
  });
});

describe('delivery policies', () => {
  test('a subscription\'s policy reads back as AWS stores it, with the effective policy beside it', async () => {
    const TopicArn = await topic('to-http-policy', { DeliveryPolicy: '{"http":{"defaultRequestPolicy":{"headerContentType":"application/json"}}}' });
    const SubscriptionArn = await confirmedSubscription(TopicArn, '/policy', { DeliveryPolicy: '{"requestPolicy":{"headerContentType":"text/csv"}}' });
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.deepEqual(JSON.parse(attributes.DeliveryPolicy), { healthyRetryPolicy: null, sicklyRetryPolicy: null, throttlePolicy: null, requestPolicy: { headerContentType: 'text/csv' }, guaranteed: false });
    assert.deepEqual(JSON.parse(attributes.EffectiveDeliveryPolicy), {
      healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: 'text/csv' },
      guaranteed: false,
    });
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'a,b' }));
    assert.equal((await endpoint.requestsTo('/policy', 2))[1].headers['content-type'], 'text/csv');
    // Removed, the topic's content type applies.
    await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: '' }));
    const after = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(after.DeliveryPolicy, undefined);
    assert.deepEqual(JSON.parse(after.EffectiveDeliveryPolicy).requestPolicy, { headerContentType: 'application/json' });
  });

  test('bad policies are refused with AWS\'s words, at Subscribe and at SetSubscriptionAttributes', async () => {
    const TopicArn = await topic('to-http-bad-policy');
    await rejects(
      client.send(
        new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/bad`, Attributes: { DeliveryPolicy: '{"healthyRetryPolicy":{"minDelayTarget":0,"maxDelayTarget":0,"numRetries":0}}' } }),
      ),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
    );
    const SubscriptionArn = await confirmedSubscription(TopicArn, '/bad');
    await rejects(
      client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"healthyRetryPolicy":{"numRetries":"3"}}' })),
      'InvalidParameter',
      'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries type mismatch, expecting integer, received a string',
    );
    await rejects(
      client.send(new sns.SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":"5"}}}' })),
      'InvalidParameter',
      'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget type mismatch, expecting integer, received a string',
    );
    await rejects(
      client.send(new sns.SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":100,"minDelayTarget":60,"maxDelayTarget":60}}}' })),
      'InvalidParameter',
      'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: the total retry time must be less than or equal to 3600 seconds',
    );
  });

  test('a topic that disables subscription overrides retries under its own policy', async () => {
    const TopicArn = await topic('to-http-locked', {
      DeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1 }, disableSubscriptionOverrides: true } }),
    });
    const dlq = await createQueue(sqs, 'http-locked-dlq');
    const SubscriptionArn = await confirmedSubscription(TopicArn, '/locked', {
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 5, minDelayTarget: 1, maxDelayTarget: 1 } }),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    const effective = JSON.parse((await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!.EffectiveDeliveryPolicy);
    assert.equal(effective.healthyRetryPolicy.numRetries, 1);
    endpoint.statuses.set('/locked', 500);
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'twice only' }));
    await receiveOne(sqs, dlq, 10_000);
    assert.equal(endpoint.to('/locked').length, 3, 'the confirmation, the attempt and one retry');
  });
});
