/**
 * E-mail, e-mail-json, SMS and mobile push: accepted where AWS accepts them, never sent, kept in
 * the outbox that `GET /_stratus/topics/outbox` lists — so a test can read the e-mail a user would
 * receive (its sender, subject, text and unsubscribe footer), follow its links, and check the
 * JSON an e-mail-json address gets with the certificate Stratus serves.
 */
import * as sns from '@aws-sdk/client-sns';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';
import type { OutboxEntry } from '../../src/topics/engine/outbox.js';

let server: TestServer;
let client: sns.SNSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
});
after(() => server.stop());

async function outbox(query: Record<string, string>): Promise<OutboxEntry[]> {
  const answer = await fetch(`${server.url}/_stratus/topics/outbox?${new URLSearchParams(query).toString()}`);
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { messages: OutboxEntry[] }).messages;
}

/** The outbox entries for `query` once there are `count` of them (deliveries are jobs: they land a moment after the call). */
async function waitOutbox(query: Record<string, string>, count: number): Promise<OutboxEntry[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = await outbox(query);
    if (found.length >= count) return found;
    assert.ok(Date.now() < deadline, `expected ${count} outbox message(s) for ${JSON.stringify(query)}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const linkAfter = (body: string, line: string): string => {
  const lines = body.split('\n');
  return lines[lines.indexOf(line) + 1];
};

describe('email', () => {
  test('the confirmation e-mail goes out with its link; following it confirms; notifications carry the footer that unsubscribes', async () => {
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'newsletter', Attributes: { DisplayName: 'Shop News' } }));
    const subscribed = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ada@example.com' }));
    assert.equal(subscribed.SubscriptionArn, 'pending confirmation');

    const [confirmation] = await waitOutbox({ protocol: 'email', endpoint: 'ada@example.com' }, 1);
    assert.equal(confirmation.type, 'SubscriptionConfirmation');
    assert.equal(confirmation.from, 'Shop News <no-reply@sns.amazonaws.com>');
    assert.equal(confirmation.subject, 'AWS Notification - Subscription Confirmation');
    assert.equal(confirmation.topicArn, TopicArn);
    const confirmLink = linkAfter(confirmation.body, 'To confirm this subscription, click or visit the link below (If this was in error no action is necessary):');
    assert.equal(
      confirmation.body,
      `You have chosen to subscribe to the topic:\n${TopicArn}\n\n` +
        'To confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n' +
        `${confirmLink}\n\n` +
        'Please do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out@amazon.com',
    );
    assert.ok(confirmLink.startsWith(`${server.url}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=`));

    // Pending: a publish now reaches nobody.
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'before confirming' }));
    const clicked = await fetch(confirmLink);
    assert.equal(clicked.status, 200);
    const SubscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await clicked.text())![1];

    const published = await client.send(new sns.PublishCommand({ TopicArn, Message: 'Big sale on Friday.\nEverything must go.', Subject: 'Sale!' }));
    const [, notification] = await waitOutbox({ protocol: 'email', endpoint: 'ada@example.com' }, 2);
    assert.equal(notification.type, 'Notification');
    assert.equal(notification.messageId, published.MessageId);
    assert.equal(notification.subscriptionArn, SubscriptionArn);
    assert.equal(notification.from, 'Shop News <no-reply@sns.amazonaws.com>');
    assert.equal(notification.subject, 'Sale!');
    const unsubscribeLink = `${server.url}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`;
    assert.equal(
      notification.body,
      'Big sale on Friday.\nEverything must go.\n\n--\n' +
        'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
        `${unsubscribeLink}\n\n` +
        'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support',
    );
    assert.equal((await outbox({ protocol: 'email', endpoint: 'ada@example.com' })).length, 2, 'nothing was kept for the publish before confirming');

    // Without a Subject, AWS's default one.
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'no subject' }));
    // (By subscription: its confirmation, the sale, and this one.)
    assert.equal((await waitOutbox({ subscriptionArn: SubscriptionArn }, 3))[2].subject, 'AWS Notification Message');

    // The footer's link unsubscribes.
    assert.equal((await fetch(unsubscribeLink)).status, 200);
    await assert.rejects(client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn })), { name: 'NotFoundException' });
  });

  test('email-json: the JSON documents an HTTP endpoint would get, signed', async () => {
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'json-mail' }));
    await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'bob@example.com' }));
    const [confirmation] = await waitOutbox({ protocol: 'email-json', endpoint: 'bob@example.com' }, 1);
    assert.equal(confirmation.from, 'AWS Notifications <no-reply@sns.amazonaws.com>');
    const doc = JSON.parse(confirmation.body) as Record<string, string>;
    assert.equal(doc.Type, 'SubscriptionConfirmation');
    assert.ok(verifySnsSignature(doc, await (await fetch(doc.SigningCertURL)).text()));
    await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token: doc.Token }));

    await client.send(new sns.PublishCommand({ TopicArn, Message: 'as json', MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } }));
    const [, notification] = await waitOutbox({ protocol: 'email-json', endpoint: 'bob@example.com' }, 2);
    const body = JSON.parse(notification.body) as Record<string, any>;
    assert.deepEqual([body.Type, body.Message, body.TopicArn], ['Notification', 'as json', TopicArn]);
    assert.deepEqual(body.MessageAttributes, { kind: { Type: 'String', Value: 'test' } });
    assert.ok(verifySnsSignature(body, await (await fetch(body.SigningCertURL)).text()));
  });
});

describe('sms and mobile push', () => {
  test('an SMS subscription is confirmed at once and gets its own text of a structured message', async () => {
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'texts' }));
    const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+1-555-010-0001', ReturnSubscriptionArn: true }));
    assert.equal((await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!.PendingConfirmation, 'false');
    await client.send(new sns.PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'the long story', sms: 'short' }) }));
    const [text] = await waitOutbox({ protocol: 'sms', endpoint: '+15550100001' }, 1);
    assert.deepEqual([text.type, text.body, text.topicArn, text.subscriptionArn], ['Notification', 'short', TopicArn, SubscriptionArn]);
    assert.equal(text.subject, undefined);
  });

  test('Publish to a phone number is taken and kept; a number that is not E.164 is refused', async () => {
    const { MessageId } = await client.send(new sns.PublishCommand({ PhoneNumber: '+447700900123', Message: 'Your code is 1234' }));
    const [text] = await outbox({ protocol: 'sms', endpoint: '+447700900123' });
    assert.deepEqual([text.messageId, text.body, text.accountId, text.region, text.topicArn], [MessageId, 'Your code is 1234', '000000000000', 'us-east-1', undefined]);
    await assert.rejects(client.send(new sns.PublishCommand({ PhoneNumber: '+1a234', Message: 'x' })), {
      message: 'Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to',
    });
    assert.deepEqual(await outbox({ protocol: 'sms', endpoint: '+1a234' }), []);
  });

  test('a platform endpoint gets what is published to it, directly or through a topic; a disabled one refuses', async () => {
    const { PlatformApplicationArn } = await client.send(
      new sns.CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'server-key' } }),
    );
    const { EndpointArn } = await client.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn, Token: 'device-token-1' }));
    const direct = await client.send(new sns.PublishCommand({ TargetArn: EndpointArn, Message: 'hello device' }));
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'pushes' }));
    await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'application', Endpoint: EndpointArn }));
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'hello from the topic' }));
    const pushes = await waitOutbox({ protocol: 'application', endpoint: EndpointArn! }, 2);
    assert.deepEqual(
      pushes.map((p) => [p.body, p.topicArn]),
      [
        ['hello device', undefined],
        ['hello from the topic', TopicArn],
      ],
    );
    assert.equal(pushes[0].messageId, direct.MessageId);
    await client.send(new sns.SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
    await assert.rejects(client.send(new sns.PublishCommand({ TargetArn: EndpointArn, Message: 'off' })), { name: 'EndpointDisabledException' });
  });
});

test('the outbox answers 404 for a view it does not have', async () => {
  const answer = await fetch(`${server.url}/_stratus/topics/nothing-here`);
  assert.equal(answer.status, 404);
});
