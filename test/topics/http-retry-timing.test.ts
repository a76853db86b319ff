/**
 * When an HTTP/S delivery is retried: the delivery policy's phases and backoff, in real (scaled)
 * time — the delivery machine's `retryDelayScale` shortens every delay by the same factor, so the
 * gaps between attempts keep the policy's proportions without the test waiting AWS's seconds.
 * And confirmation tokens that expire after three days, on a clock the test moves.
 */
import * as sns from '@aws-sdk/client-sns';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { HttpSubscriber } from '../support/http-subscriber.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** One second of the policy lasts 20 ms here. */
const SCALE = 0.02;

const endpoint = new HttpSubscriber();
before(() => endpoint.start());
after(() => endpoint.stop());

async function confirmed(client: sns.SNSClient, TopicArn: string, path: string, DeliveryPolicy: object): Promise<void> {
  await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}${path}`, Attributes: { DeliveryPolicy: JSON.stringify(DeliveryPolicy) } }));
  const { Token } = JSON.parse((await endpoint.requestsTo(path, 1))[0].body) as { Token: string };
  await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token }));
}

/** The gaps between the attempts of one delivery, in the policy's seconds. */
async function gapsInPolicySeconds(path: string, attempts: number): Promise<number[]> {
  const requests = (await endpoint.requestsTo(path, attempts + 1, 20_000)).slice(1);
  return requests.slice(1).map((r, i) => (r.at - requests[i].at) / 1000 / SCALE);
}

test('retries follow the delivery policy\'s phases: immediate, minimum, backoff, maximum', async () => {
  const server = await startTestServer({ config: { retryDelayScale: SCALE } });
  try {
    const client = server.client(sns.SNSClient);
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'timed' }));
    // 1 immediate, 1 at the minimum (5 s), 3 of linear backoff (5, 10, 15 s), 1 at the maximum (15 s).
    await confirmed(client, TopicArn!, '/timed', {
      healthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 15, numRetries: 6, numNoDelayRetries: 1, numMinDelayRetries: 1, numMaxDelayRetries: 1, backoffFunction: 'linear' },
    });
    // Failing from now on (the confirmation went through).
    endpoint.statuses.set('/timed', 502);
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'keep trying' }));
    const gaps = await gapsInPolicySeconds('/timed', 7);
    const expected = [0, 5, 5, 10, 15, 15];
    assert.equal(gaps.length, expected.length);
    gaps.forEach((gap, i) => {
      // Never early; late by at most what a busy machine adds (a few of the scaled seconds).
      assert.ok(gap >= expected[i] * 0.9, `retry ${i + 1} came after ${gap.toFixed(1)} s, expected ${expected[i]} s`);
      assert.ok(gap <= expected[i] + 4, `retry ${i + 1} came after ${gap.toFixed(1)} s, expected ${expected[i]} s`);
    });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(endpoint.to('/timed').length, 8, 'the confirmation, the attempt and 6 retries, no more');
  } finally {
    await server.stop();
  }
});

test('without a policy: AWS\'s default, 3 retries 20 s apart', async () => {
  const server = await startTestServer({ config: { retryDelayScale: SCALE } });
  try {
    const client = server.client(sns.SNSClient);
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'default-timed' }));
    await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/default` }));
    const { Token } = JSON.parse((await endpoint.requestsTo('/default', 1))[0].body) as { Token: string };
    await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token }));
    endpoint.statuses.set('/default', 500);
    await client.send(new sns.PublishCommand({ TopicArn, Message: 'default policy' }));
    const gaps = await gapsInPolicySeconds('/default', 4);
    assert.equal(gaps.length, 3);
    for (const gap of gaps) assert.ok(gap >= 18 && gap <= 24, `a retry came after ${gap.toFixed(1)} s, expected 20 s`);
  } finally {
    await server.stop();
  }
});

test('a confirmation token is good for three days, then refused; the subscription stays pending', async () => {
  const clock = new ManualClock(Date.now());
  const server: TestServer = await startTestServer({ clock });
  try {
    const client = server.client(sns.SNSClient);
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'expiring' }));
    const { SubscriptionArn } = await client.send(
      new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/expiring`, ReturnSubscriptionArn: true }),
    );
    const { Token } = JSON.parse((await endpoint.requestsTo('/expiring', 1))[0].body) as { Token: string };
    clock.advance(3 * 24 * 60 * 60 * 1000 + 60_000);
    await assert.rejects(client.send(new sns.ConfirmSubscriptionCommand({ TopicArn, Token })), (error: Error & { Code?: string }) => {
      assert.equal(error.Code, 'InvalidParameter');
      assert.equal(error.message, 'Invalid parameter: Token');
      return true;
    });
    const attributes = (await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(attributes.PendingConfirmation, 'true');
  } finally {
    await server.stop();
  }
});
