/**
 * HTTP/S subscriptions against a local HTTP server: the SubscriptionConfirmation handshake (the
 * endpoint visits the SubscribeURL), notifications with AWS's headers and signature, raw delivery
 * with the topic's content type, a failing endpoint retried under its delivery policy and then
 * dead-lettered, a 4xx answer ending the delivery, and the UnsubscribeConfirmation.
 */
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { createQueue, receiveOne } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
let endpoint: Server;
let endpointUrl: string;
const received: Received[] = [];
/** Status each path answers (200 unless set). */
const statuses = new Map<string, number>();

before(async () => {
  // Retry delays scaled down as `--fast-retries` does, so a retried delivery ends in the test's time.
  server = await startTestServer({ config: { retryDelayScale: 0.001 } });
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = statuses.get(req.url ?? '') ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const address = endpoint.address() as { port: number };
  endpointUrl = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await server.stop();
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
});

/** The requests made to `path` once there are `count` of them. */
async function requestsTo(path: string, count: number, timeoutMs = 10_000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received.filter((r) => r.path === path);
    if (found.length >= count) return found;
    assert.ok(Date.now() < deadline, `expected ${count} request(s) to ${path}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function certificate(url: string): Promise<string> {
  return (await fetch(url)).text();
}

test('the endpoint confirms through the SubscribeURL, then gets notifications with AWS headers', async () => {
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-http' }));
  const subscribed = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpointUrl}/hook` }));
  assert.equal(subscribed.SubscriptionArn, 'pending confirmation');
  const [confirmation] = await requestsTo('/hook', 1);
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
  const [, notification] = await requestsTo('/hook', 2);
  assert.equal(notification.headers['x-amz-sns-message-type'], 'Notification');
  assert.equal(notification.headers['x-amz-sns-message-id'], published.MessageId);
  assert.equal(notification.headers['x-amz-sns-subscription-arn'], subscriptionArn);
  const body = JSON.parse(notification.body) as Record<string, string>;
  assert.deepEqual([body.Type, body.Message, body.Subject], ['Notification', 'hello endpoint', 'greeting']);
  assert.ok(verifySnsSignature(body, await certificate(body.SigningCertURL)));
  assert.equal(received.filter((r) => r.path === '/hook').length, 2, 'the early message was never sent');

  await client.send(new sns.UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  const [, , goodbye] = await requestsTo('/hook', 3);
  assert.equal(goodbye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
  assert.equal(JSON.parse(goodbye.body).Message, `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
});

/** Subscribes `path` and confirms it with the token the confirmation carried. */
async function confirmedSubscription(TopicArn: string, path: string, Attributes?: Record<string, string>): Promise<string> {
  await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpointUrl}${path}`, Attributes }));
  const [confirmation] = await requestsTo(path, 1);
  const { Token } = JSON.parse(confirmation.body) as { Token: string };
  return (await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token }))).SubscriptionArn!;
}

test('raw delivery posts the message itself, with the topic\'s content type', async () => {
  const { TopicArn } = await client.send(
    new sns.CreateTopicCommand({ Name: 'to-http-raw', Attributes: { DeliveryPolicy: '{"http":{"defaultRequestPolicy":{"headerContentType":"application/json"}}}' } }),
  );
  await confirmedSubscription(TopicArn!, '/raw', { RawMessageDelivery: 'true' });
  await client.send(new sns.PublishCommand({ TopicArn, Message: '{"order":1}' }));
  const [, delivered] = await requestsTo('/raw', 2);
  assert.equal(delivered.body, '{"order":1}');
  assert.equal(delivered.headers['x-amz-sns-rawdelivery'], 'true');
  assert.equal(delivered.headers['content-type'], 'application/json');
});

test('a 5xx is retried under the delivery policy, then dead-lettered; a 4xx ends the delivery', async () => {
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-http-failing' }));
  const dlq = await createQueue(sqs, 'http-dlq');
  await confirmedSubscription(TopicArn!, '/failing', {
    DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 1 } }),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
  });
  await confirmedSubscription(TopicArn!, '/gone');
  statuses.set('/failing', 503);
  statuses.set('/gone', 404);
  await client.send(new sns.PublishCommand({ TopicArn, Message: 'unlucky' }));
  const dead = JSON.parse((await receiveOne(sqs, dlq, 10_000)).Body!) as Record<string, string>;
  assert.equal(dead.Message, 'unlucky');
  // The confirmation, then the first attempt and numRetries (2) retries.
  assert.equal((await requestsTo('/failing', 4)).length, 4);
  const gone = await requestsTo('/gone', 2);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(received.filter((r) => r.path === '/gone').length, gone.length, 'a 404 is not retried');
});
