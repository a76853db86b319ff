/**
 * The server around the protocols: internal endpoints, identity, throttling, body limits,
 * signature verification, and routing of requests that name no service.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probeModules } from './support/probe-services.js';
import { startTestServer, TEST_POSTGRES, type TestServer } from './support/server.js';

describe('internal endpoints', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ services: probeModules() })));
  after(() => server.stop());

  test('health answers 200 once the store is open', async () => {
    const res = await fetch(`${server.url}/_stratus/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'running');
  });

  test('info lists the version, the services and their actions', async () => {
    const info = (await (await fetch(`${server.url}/_stratus/info`)).json()) as {
      version: string;
      services: { name: string; protocols: string[]; actions: string[] }[];
      store: { backend: string };
    };
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.equal(info.store.backend, TEST_POSTGRES ? 'postgres' : 'sqlite');
    const sqs = info.services.find((s) => s.name === 'sqs');
    assert.deepEqual(sqs?.protocols, ['json-1.0', 'query']);
    assert.ok(sqs?.actions.includes('GetQueueUrl'));
    assert.deepEqual(info.services.find((s) => s.name === 'lambda')?.protocols, ['rest-json']);
  });

  test('unknown internal paths are 404 and other methods 405', async () => {
    assert.equal((await fetch(`${server.url}/_stratus/nope`)).status, 404);
    assert.equal((await fetch(`${server.url}/_stratus/health`, { method: 'POST' })).status, 405);
  });
});

describe('requests by raw HTTP', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ services: probeModules() })));
  after(() => server.stop());

  const post = (headers: Record<string, string>, body: string, path = '/') =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, body });

  test('every answer carries x-amzn-RequestId, errors included', async () => {
    const ok = await post({ 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, '{}');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.match(ok.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const bad = await post({ 'x-amz-target': 'AmazonSQS.Nope', 'content-type': 'application/x-amz-json-1.0' }, '{}');
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(((await bad.json()) as { __type: string }).__type, 'com.amazonaws.sqs#UnknownOperationException');
  });

  test('malformed JSON is a SerializationException', async () => {
    const res = await post({ 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'content-type': 'application/x-amz-json-1.0' }, '{"QueueName": "a"');
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { __type: string }).__type, /SerializationException$/);
  });

  test('a value of the wrong JSON type is a SerializationException', async () => {
    const res = await post({ 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'content-type': 'application/x-amz-json-1.0' }, '{"QueueName": 5}');
    const body = (await res.json()) as { __type: string; message: string };
    assert.match(body.__type, /SerializationException$/);
    assert.equal(body.message, 'NUMBER_VALUE can not be converted to a String');
  });

  test('Query requests get XML, with the service found from the credential scope', async () => {
    const res = await post(
      {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-central-1/sqs/aws4_request, SignedHeaders=host, Signature=00',
      },
      'Action=GetQueueUrl&Version=2012-11-05&QueueName=jobs',
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    const xml = await res.text();
    assert.match(xml, /^<\?xml version="1.0"\?><GetQueueUrlResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><GetQueueUrlResult><QueueUrl>http:\/\/127.0.0.1:\d+\/123456789012\/jobs<\/QueueUrl><\/GetQueueUrlResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetQueueUrlResponse>$/);
  });

  test('Query errors: legacy codes, missing and unknown actions, malformed strings', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const missing = await post(form, 'Action=GetQueueUrl&QueueName=missing');
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /<Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message>/);
    const noAction = await post(form, 'QueueName=x');
    assert.match(await noAction.text(), /<Code>MissingAction<\/Code>/);
    const unknown = await post(form, 'Action=FlyToTheMoon');
    assert.match(await unknown.text(), /<Code>InvalidAction<\/Code><Message>The action FlyToTheMoon is not valid for this endpoint.<\/Message>/);
    const malformed = await post(form, 'Action=GetQueueUrl&QueueName=%zz');
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /<Code>MalformedQueryString<\/Code>/);
  });

  test('a REST path no service has is a 404 UnknownOperationException', async () => {
    const res = await fetch(`${server.url}/2015-03-31/nothing-here`);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });

  test('bodies over the limit are refused with 413 without reading them whole', async () => {
    const small = await startTestServer({ services: probeModules(), config: { maxBodyBytes: 1024 } });
    try {
      const res = await fetch(`${small.url}/`, {
        method: 'POST',
        headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
        body: 'x'.repeat(4096),
      });
      assert.equal(res.status, 413);
      assert.equal((await fetch(`${small.url}/_stratus/health`)).status, 200);
    } finally {
      await small.stop();
    }
  });
});

describe('throttling', () => {
  test('past the configured rate each protocol answers its throttling error', async () => {
    const server = await startTestServer({ services: probeModules(), config: { throttleRps: 3 } });
    try {
      const sqs = server.client(SQSClient);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => sqs.send(new GetQueueUrlCommand({ QueueName: 'q' }))));
      const names = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
      assert.equal(names.filter((n) => n === 'ok').length, 3);
      assert.deepEqual([...new Set(names.filter((n) => n !== 'ok'))], ['ThrottlingException']);
      // Buckets are per account and service: another service is unaffected.
      const sns = server.client(SNSClient);
      await sns.send(new ListTopicsCommand({}));
      const snsResults = await Promise.allSettled(Array.from({ length: 4 }, () => sns.send(new ListTopicsCommand({}))));
      assert.ok(snsResults.some((r) => r.status === 'rejected' && (r.reason as Error).name === 'Throttling'));
      const lambda = server.client(LambdaClient);
      const lambdaResults = await Promise.allSettled(Array.from({ length: 5 }, () => lambda.send(new GetFunctionCommand({ FunctionName: 'f' }))));
      const throttled = lambdaResults.find((r) => r.status === 'rejected')?.status === 'rejected' ? (lambdaResults.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason : undefined;
      assert.equal((throttled as Error).name, 'TooManyRequestsException');
      assert.equal((throttled as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 429);
    } finally {
      await server.stop();
    }
  });
});
