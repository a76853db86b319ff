/**
 * The recorded tests of test/conformance/sns/recorded/ whose snapshots are what an endpoint
 * received (an HTTP server, a Lambda function), made again through the real API, every snapshot
 * compared with what AWS sent or answered:
 *  - test_subscribe_external_http_endpoint[raw]: the SubscriptionConfirmation body and headers;
 *    the SubscribeURL visited with a broken topic ARN, a broken token, the topic of another Region
 *    and a topic that does not exist (AWS confirms all the same); the SubscribeURL itself; the
 *    notification (body and headers, or the raw delivery's headers); the UnsubscribeURL visited and
 *    the UnsubscribeConfirmation it causes;
 *  - test_subscribe_external_http_endpoint_content_type[raw]: the content type of a subscription's
 *    (raw) or topic's delivery policy, in the attributes and on the requests;
 *  - test_publish_lambda_verify_signature[version]: the `Sns` record a function is invoked with,
 *    from a topic of that SignatureVersion.
 * The recorded tests' `steps` cannot be replayed (HTTP requests, the endpoint's log, function
 * logs); what they did is written here once, from the steps and assertions recorded with them.
 * Parametrized runs are all made, whichever the set holds.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { pythonJsonDumps } from '../support/python-json.js';
import { RecordedMatcher } from '../support/recorded-match.js';
import { createQueue } from '../events/delivery-support.js';
import { createNodeFunction, ECHO_JS, putEventInvokeConfig, record } from '../functions/async-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { asStratusAnswers, loadRecordedCases, type RecordedCase } from '../support/sns-recorded.js';
import { verifySnsSignature } from '../support/sns-signature.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
let lambda: LambdaClient;
/** One HTTP endpoint per recorded test, as each had its own (its path was /sns-endpoint). */
const endpoints: Server[] = [];

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  lambda = server.client(LambdaClient);
});
after(async () => {
  await server?.stop();
  await Promise.all(endpoints.map((e) => new Promise<void>((resolve) => e.close(() => resolve()))));
});

/** A local HTTP endpoint answering 200 to everything; what it got, in order. */
async function httpEndpoint(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.end();
    });
  });
  endpoints.push(endpoint);
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/sns-endpoint`, received };
}

/** The `n`th request (1-based) an endpoint got. */
async function request(received: Received[], n: number, timeoutMs = 10_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (received.length >= n) return received[n - 1];
    assert.ok(Date.now() < deadline, `expected ${n} request(s), got ${received.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The notification an HTTP endpoint got (its second request), as the recordings keep it: raw, only its headers. */
async function takeNotification(taken: Map<string, unknown>, received: Received[], raw: boolean): Promise<void> {
  const notification = await request(received, 2);
  if (raw) taken.set('http-message-headers-raw', recordedHeaders(notification.headers));
  else {
    taken.set('http-message', JSON.parse(notification.body));
    taken.set('http-message-headers', recordedHeaders(notification.headers));
  }
}

/**
 * Headers as the recorder kept them: names in their canonical casing; `Connection` and
 * `Content-Length` were replaced by their names (the recorder only keeps that they were sent).
 */
function recordedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
    out[canonical] = canonical === 'Connection' ? 'connection' : canonical === 'Content-Length' ? 'content--length' : String(value);
  }
  return out;
}

/** An XML answer of a SubscribeURL or UnsubscribeURL visit, as the recording test read it (xmltodict, metadata as boto3 has it). */
async function visit(url: string): Promise<unknown> {
  const response = await fetch(url);
  const xml = await response.text();
  const element = (name: string, text: string): string | undefined => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1];
  const root = /<(\w+)[\s>]/.exec(xml.replace(/^<\?xml[^>]*\?>\s*/, ''))?.[1];
  assert.ok(root, `not XML: ${xml}`);
  if (root === 'ErrorResponse') {
    return { ErrorResponse: { Error: { Code: element('Code', xml), Message: element('Message', xml), Type: element('Type', xml) }, RequestId: element('RequestId', xml) } };
  }
  const inner: Record<string, unknown> = {};
  const result = element(`${root.replace(/Response$/, '')}Result`, xml);
  if (result !== undefined) inner[`${root.replace(/Response$/, '')}Result`] = { SubscriptionArn: element('SubscriptionArn', result) };
  inner.ResponseMetadata = { HTTPHeaders: {}, HTTPStatusCode: response.status };
  return { [root]: inner };
}

const output = (answer: { $metadata: { httpStatusCode?: number } }): Record<string, unknown> => {
  const { $metadata, ...members } = answer as { $metadata: { httpStatusCode?: number } } & Record<string, unknown>;
  return { ...members, ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: $metadata.httpStatusCode } };
};

/** The delivery policy LocalStack's sns_create_http_endpoint fixture gives the subscription (its source, tests/aws/conftest.py). */
const FIXTURE_DELIVERY_POLICY = {
  healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, backoffFunction: 'linear' },
  sicklyRetryPolicy: null,
  throttlePolicy: { maxReceivesPerSecond: 1000 },
  guaranteed: false,
};

/** What that fixture makes: a topic, an HTTP subscription to a path of the endpoint with that policy, raw delivery when asked. */
async function httpSubscription(raw: boolean, name: string): Promise<{ topicArn: string; subscriptionArn: string; received: Received[] }> {
  const endpoint = await httpEndpoint();
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: name }));
  const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, ReturnSubscriptionArn: true }));
  const set = (AttributeName: string, AttributeValue: string) => client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
  await set('DeliveryPolicy', pythonJsonDumps(FIXTURE_DELIVERY_POLICY));
  if (raw) await set('RawMessageDelivery', 'true');
  return { topicArn: TopicArn!, subscriptionArn: SubscriptionArn!, received: endpoint.received };
}

/** What each recorded test did, by its name: the snapshots it took, in order. */
const FLOWS: Record<string, (param: string | undefined, name: string) => Promise<Map<string, unknown>>> = {
  async test_subscribe_external_http_endpoint(param, name) {
    const raw = param === 'True';
    const taken = new Map<string, unknown>();
    const { topicArn, subscriptionArn, received } = await httpSubscription(raw, name);
    const confirmation = await request(received, 1);
    const payload = JSON.parse(confirmation.body) as Record<string, string>;
    taken.set('subscription-confirmation', payload);
    taken.set('http-confirm-sub-headers', recordedHeaders(confirmation.headers));
    const serviceUrl = payload.SubscribeURL.slice(0, payload.SubscribeURL.lastIndexOf('/'));
    const confirmUrl = (topic: string, token: string): string => `${serviceUrl}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`;
    taken.set('broken-topic-arn-confirm', await visit(confirmUrl('not-an-arn', payload.Token)));
    taken.set('broken-token-confirm', await visit(confirmUrl(topicArn, 'abc123')));
    taken.set('different-region-arn-confirm', await visit(confirmUrl(topicArn.replace(`:${REGION}:`, ':eu-central-1:'), payload.Token)));
    // A topic of the right Region that does not exist: AWS confirms the token's subscription all the same.
    const nonexistent = topicArn.slice(0, -1) + (topicArn.endsWith('a') ? 'b' : 'a');
    taken.set('nonexistent-token-confirm', await visit(confirmUrl(nonexistent, payload.Token)));
    taken.set('confirm-subscribe', await visit(payload.SubscribeURL));
    await client.send(new sns.PublishCommand({ TopicArn: topicArn, Message: 'test_external_http_endpoint' }));
    await takeNotification(taken, received, raw);
    taken.set('unsubscribe-response', await visit(`${serviceUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`));
    taken.set('unsubscribe-request', JSON.parse((await request(received, 3)).body));
    return taken;
  },

  async test_subscribe_external_http_endpoint_content_type(param, name) {
    const raw = param === 'True';
    const taken = new Map<string, unknown>();
    const { topicArn, subscriptionArn, received } = await httpSubscription(raw, name);
    if (raw) {
      await client.send(new sns.SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"requestPolicy": {"headerContentType": "text/csv"}}' }));
    } else {
      await client.send(
        new sns.SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http": {"defaultRequestPolicy": {"headerContentType": "application/json"}}}' }),
      );
    }
    taken.set('topic-attrs', output(await client.send(new sns.GetTopicAttributesCommand({ TopicArn: topicArn }))));
    taken.set('sub-attrs', output(await client.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))));
    const confirmation = await request(received, 1);
    const payload = JSON.parse(confirmation.body) as Record<string, string>;
    taken.set('subscription-confirmation', payload);
    taken.set('http-confirm-sub-headers', recordedHeaders(confirmation.headers));
    await client.send(new sns.ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: payload.Token }));
    await client.send(new sns.PublishCommand({ TopicArn: topicArn, Message: 'test_external_http_endpoint' }));
    await takeNotification(taken, received, raw);
    return taken;
  },

  async test_publish_lambda_verify_signature(param, name) {
    // The function echoes its event; its OnSuccess destination hands the invocation back here.
    const functionArn = await createNodeFunction(lambda, name, ECHO_JS);
    const destination = await createQueue(sqs, `${name}-invocations`);
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: destination.arn } } });
    const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: name, Attributes: { DisplayName: 'TestTopicSignatureLambda', SignatureVersion: String(param) } }));
    await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn }));
    await client.send(new sns.PublishCommand({ TopicArn, Subject: `[Subject] Test subject Signature v${String(param)}`, Message: 'Hello world.' }));
    const event = (await record(sqs, destination, 20_000)).requestPayload as { Records: { Sns: unknown }[] };
    return new Map([['notification', event.Records[0].Sns]]);
  },
};

/**
 * AWS updates a topic's subscription counts some time after a subscription changes: the recorded
 * GetTopicAttributes, taken right after subscribing, counts no subscription at all. Stratus counts
 * at once, so there the counts are compared by presence only.
 */
function withLaggingCounts(recorded: RecordedCase['recorded']): RecordedCase['recorded'] {
  const attributes = (recorded['topic-attrs'] as { Attributes?: Record<string, string> } | undefined)?.Attributes;
  if (!attributes) return recorded;
  const counted = { ...attributes };
  for (const name of ['SubscriptionsConfirmed', 'SubscriptionsPending', 'SubscriptionsDeleted']) if (name in counted) counted[name] = '<count>';
  return { ...recorded, 'topic-attrs': { ...recorded['topic-attrs'], Attributes: counted } };
}

const flowOf = (c: RecordedCase): string => c.id.split('::').pop()!.replace(/\[.*$/, '');
const cases = loadRecordedCases().filter((c) => FLOWS[flowOf(c)] !== undefined);

describe('SNS deliveries to HTTP endpoints and functions recorded against AWS, made again through the API (test/conformance/sns/recorded)', () => {
  test('the set holds the recorded endpoint tests', () => assert.ok(cases.length >= 5, `${cases.length} cases`));

  cases.forEach((c, index) => {
    test(c.id.split('::').slice(1).join('::'), async () => {
      const taken = await FLOWS[flowOf(c)](c.param === undefined ? undefined : String(c.param), `endpoint-${index}`);
      // The SubscribeURL, UnsubscribeURL and SigningCertURL name this server, where AWS's name its endpoint.
      const matcher = new RecordedMatcher({
        account: ACCOUNT,
        known: { '<partition>': 'aws', '<region>': REGION, '<cert-domain>': server.url, '<subscribe-domain>': server.url, '<unsubscribe-domain>': server.url },
      });
      const differences: string[] = [];
      for (const [key, recorded] of Object.entries(withLaggingCounts(asStratusAnswers(c.recorded)))) {
        if (!taken.has(key)) differences.push(`${key}: not taken by this run`);
        else differences.push(...matcher.diff(recorded, taken.get(key), key));
      }
      assert.deepEqual(differences, []);
      for (const [key, value] of taken) {
        const document = value as Record<string, unknown>;
        if (typeof document.Signature === 'string') {
          const certificate = await (await fetch(String(document.SigningCertURL ?? document.SigningCertUrl))).text();
          assert.ok(verifySnsSignature(document, certificate), `${key}: the signature verifies`);
        }
      }
    });
  });
});
