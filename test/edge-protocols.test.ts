/**
 * Every answer the edge writes itself is in the protocol the request's service and path call
 * for, decided from its headers, credential scope and path before its body is read: a body over
 * the size limit, a Lambda path whatever the content type, an answer the front could not write.
 * And a Query request naming a parameter (its Action) twice is refused, not run.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { member, t } from '../src/protocol/shapes.js';
import type { ServiceModule } from '../src/server/runtime.js';
import { startTestServer, type TestServer } from './support/server.js';
import { botocoreInstalled, readXmlWithBotocore } from './support/strict-xml.js';

const FORM = 'application/x-www-form-urlencoded';
const scope = (service: string): string => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

describe('errors the edge writes itself, in the request protocol', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ config: { maxBodyBytes: 1024 } })));
  after(() => server.stop());

  const send = async (path: string, headers: Record<string, string>, body?: string, method = 'POST'): Promise<Answer> => {
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const big = 'x'.repeat(4096);

  test('a Query request over the size limit is answered in Query XML, read by botocore', { skip: !botocoreInstalled && 'botocore is not installed' }, async () => {
    // Every service created (those created on demand too), as a long-running server has them.
    await fetch(`${server.url}/_stratus/info`);
    const answers = [
      // Signed for SQS: SQS's namespace.
      await send('/000000000000/q', { 'content-type': FORM, authorization: scope('sqs') }, `Action=SendMessage&MessageBody=${big}`),
      // Unsigned, its body unread: with two Query services (SQS and SNS) served, nothing names one.
      await send('/', { 'content-type': FORM }, `Action=SendMessage&QueueUrl=q&MessageBody=${big}`),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 413);
      assert.equal(answer.headers.get('content-type'), 'text/xml');
      assert.equal(answer.headers.get('connection'), 'close');
    }
    assert.match(answers[0].text, /^<\?xml version="1\.0"\?><ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/);
    assert.match(answers[1].text, /^<\?xml version="1\.0"\?><ErrorResponse><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/);
    const verdicts = await readXmlWithBotocore(answers.map((a) => ({ status: a.status, body: a.text })));
    assert.deepEqual(
      verdicts.map((v) => [v.ok, v.code, v.message]),
      [
        [true, 'RequestEntityTooLarge', 'Request must be smaller than 1024 bytes.'],
        [true, 'RequestEntityTooLarge', 'Request must be smaller than 1024 bytes.'],
      ],
    );
  });

  test('over the size limit, JSON stays JSON (with its version) and a Lambda path is REST-JSON', async () => {
    const json = await send('/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, big);
    assert.equal(json.status, 413);
    assert.equal(json.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.equal((JSON.parse(json.text) as { __type: string }).__type, 'com.amazonaws.sqs#RequestEntityTooLarge');
    const logs = await send('/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents' }, big);
    assert.equal(logs.headers.get('content-type'), 'application/x-amz-json-1.1');
    const variants: Record<string, string>[] = [{ 'content-type': 'application/json' }, { 'content-type': FORM }, { 'content-type': FORM, authorization: scope('lambda') }];
    for (const headers of variants) {
      const rest = await send('/2015-03-31/functions/f/invocations', headers, big);
      assert.equal(rest.status, 413);
      assert.equal(rest.headers.get('x-amzn-errortype'), 'RequestEntityTooLarge', JSON.stringify(headers));
      assert.equal((JSON.parse(rest.text) as { message: string }).message, 'Request must be smaller than 1024 bytes.');
    }
  });

  test('a Lambda path with a form content type is REST-JSON: routed to Lambda, its errors in x-amzn-ErrorType', async () => {
    const listed = await send('/2015-03-31/functions', { 'content-type': FORM }, undefined, 'GET');
    assert.equal(listed.status, 200);
    assert.deepEqual(JSON.parse(listed.text), { Functions: [] });
    const missing = await send('/2015-03-31/functions/nope/invocations', { 'content-type': FORM }, 'Action=ListQueues');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.doesNotMatch(missing.text, /<\?xml/);
    // A lambda credential scope makes a form REST-JSON on any path.
    const scoped = await send('/', { 'content-type': FORM, authorization: scope('lambda') }, 'Action=ListQueues');
    assert.equal(scoped.status, 404);
    assert.equal(scoped.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });

  test('a Query request with Action given twice is InvalidQueryParameter, and neither action runs', async () => {
    const sqs = server.client(SQSClient);
    for (const form of ['Action=CreateQueue&QueueName=twice&Action=ListQueues', 'Action=ListQueues&QueueName=twice&Action=CreateQueue', 'Action=CreateQueue&QueueName=twice&Action=CreateQueue']) {
      const answer = await send('/', { 'content-type': FORM }, form);
      assert.equal(answer.status, 400);
      assert.match(answer.text, /<Code>InvalidQueryParameter<\/Code><Message>The parameter &apos;Action&apos; may only be specified once\.<\/Message>/);
    }
    const viaGet = await send('/?Action=CreateQueue&QueueName=twice&Action=CreateQueue', {}, undefined, 'GET');
    assert.equal(viaGet.status, 400);
    assert.match(viaGet.text, /<Code>InvalidQueryParameter<\/Code>/);
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'twice' })), { name: 'QueueDoesNotExist' });
  });
});

describe('an answer the front cannot write', () => {
  // A service whose answer carries a header value node:http refuses (a line break).
  const broken: ServiceModule = {
    name: 'broken',
    create: () => ({
      definition: {
        signingName: 'pipes',
        restJson: true,
        actions: [
          {
            name: 'DescribePipe',
            http: { method: 'GET', path: '/v1/pipes/{Name}' },
            input: t.struct({ Name: member(t.string(), { location: 'uri' }) }),
            output: t.struct({ Bad: member(t.string(), { location: 'header', wireName: 'x-bad' }) }),
            handler: () => ({ Bad: 'line\nbreak' }),
          },
        ],
      },
    }),
  };
  let server: TestServer;
  before(async () => (server = await startTestServer({ services: [broken] })));
  after(() => server.stop());

  test('is an InternalFailure in the request protocol, and the server keeps serving', async () => {
    const res = await fetch(`${server.url}/v1/pipes/p`);
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InternalFailure');
    assert.equal(res.headers.get('x-bad'), null);
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal((await res.json() as { message: string }).message, 'The request processing has failed because of an unknown error, exception or failure.');
    assert.equal((await fetch(`${server.url}/_stratus/health`)).status, 200);
  });
});
