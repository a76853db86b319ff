/**
 * REST API integrations with real Lambda functions and AWS services: AWS_PROXY (the payload 1.0
 * event, the proxy answer with headers, multi-value headers, base64 bodies; malformed answers,
 * failing and slow functions), AWS Lambda non-proxy integrations selecting integration responses
 * on the function's errorMessage, an SQS SendMessage AWS integration (action and path forms),
 * Step Functions StartSyncExecution, and stage access logs written to a CloudWatch Logs group.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { ACCOUNT, REGION, ROLE, arnOf, createFunction, makeZip } from '../functions/control-plane-support.js';
import { buildApi, deploy, invoke, method, type Built } from './rest-data-support.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
let lambda: LambdaClient;

/** Answers with the proxy answer the request body describes (test_aws_proxy_response_payload_format_validation's function). */
const ANSWER_JS = `exports.handler = async (event) => {
  if (event.path === '/event') return { statusCode: 200, body: JSON.stringify(event) };
  if (event.path === '/throw') throw new Error('boom');
  if (event.path === '/slow') { await new Promise((r) => setTimeout(r, 2000)); return { statusCode: 200 }; }
  return JSON.parse(event.body);
};`;

/** A non-proxy function: echoes its input, or fails with the message it is given. */
const PLAIN_JS = `exports.handler = async (event) => {
  if (event && event.fail) throw new Error(event.fail);
  return { received: event };
};`;

const lambdaUri = (name: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf(name)}/invocations`;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  lambda = server.client(LambdaClient);
  await createFunction(lambda, 'gw-proxy', { Code: { ZipFile: await makeZip({ 'index.js': ANSWER_JS }) }, Timeout: 10 });
  await createFunction(lambda, 'gw-plain', { Code: { ZipFile: await makeZip({ 'index.js': PLAIN_JS }) } });
});
after(() => server.stop());

describe('AWS_PROXY', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'proxy', ['/{proxy+}', '/slow']);
    await method(client, built, '/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('gw-proxy'), credentials: ROLE });
    await method(client, built, '/slow', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('gw-proxy'), timeoutInMillis: 500 });
    await deploy(client, built.apiId, 'stage', { v: '1' });
  });

  const answer = (body: unknown) => invoke(server, built.apiId, 'stage', '/answer', { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'python/test' }, body: JSON.stringify(body) });

  test('the payload 1.0 event', async () => {
    const res = await invoke(server, built.apiId, 'stage', '/event?a=1&b=x%20y&a=2', { headers: { 'tEsT-HEADeR': 'aValUE', 'user-agent': 'ua/1' } });
    assert.equal(res.status, 200, res.text);
    const event = res.json() as Record<string, any>;
    assert.equal(event.resource, '/{proxy+}');
    assert.equal(event.path, '/event');
    assert.equal(event.httpMethod, 'GET');
    assert.equal(event.headers['tEsT-HEADeR'], 'aValUE');
    assert.deepEqual(event.multiValueHeaders['tEsT-HEADeR'], ['aValUE']);
    assert.deepEqual(event.queryStringParameters, { a: '2', b: 'x y' });
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x y'] });
    assert.deepEqual(event.pathParameters, { proxy: 'event' });
    assert.deepEqual(event.stageVariables, { v: '1' });
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const rc = event.requestContext;
    assert.equal(rc.resourcePath, '/{proxy+}');
    assert.equal(rc.path, '/stage/event');
    assert.equal(rc.stage, 'stage');
    assert.equal(rc.accountId, ACCOUNT);
    assert.equal(rc.apiId, built.apiId);
    assert.equal(rc.protocol, 'HTTP/1.1');
    assert.equal(rc.httpMethod, 'GET');
    assert.equal(rc.identity.sourceIp, '127.0.0.1');
    assert.equal(rc.identity.userAgent, 'ua/1');
    assert.equal(rc.identity.user, null);
    assert.equal(rc.requestId, res.headers.get('x-amzn-requestid'));
    assert.equal(rc.extendedRequestId, res.headers.get('x-amz-apigw-id'));
    assert.equal(typeof rc.requestTimeEpoch, 'number');
    assert.match(rc.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(rc.deploymentId);
    assert.ok(res.headers.get('x-amzn-trace-id')?.startsWith('Root=1-'));
  });

  test('the proxy answer: status, headers, multi-value headers, body', async () => {
    const res = await answer({ statusCode: 201, headers: { 'test-header': 'value', 'header-bool': true }, multiValueHeaders: { 'tesT-Multi': ['a', 'b'] }, body: 'hello' });
    assert.equal(res.status, 201);
    assert.equal(res.text, 'hello');
    assert.equal(res.headers.get('test-header'), 'value');
    assert.equal(res.headers.get('header-bool'), 'true');
    assert.equal(res.headers.get('test-multi'), 'a, b');
    assert.equal(res.headers.get('content-type'), 'application/json');
    const onlyHeaders = await answer({ headers: { x: 'y' } });
    assert.equal(onlyHeaders.status, 200);
    assert.equal(onlyHeaders.text, '');
    // Base64 without a binary media type matching Accept stays text (recorded: invoke-api-b64-encoded-true).
    const b64 = await answer({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
    assert.equal(b64.text, 'dGVzdC1kYXRh');
  });

  test('a malformed proxy answer or a failing function is 502 Internal server error', async () => {
    for (const bad of [{}, { statusCode: 200, wrongValue: 'value' }, 'justAString', { statusCode: 200, multiValueHeaders: { x: 'not-a-list' } }, { statusCode: 200, body: { an: 'object' } }]) {
      const res = await answer(bad);
      assert.equal(res.status, 502, JSON.stringify(bad));
      assert.deepEqual(res.json(), { message: 'Internal server error' });
    }
    const thrown = await invoke(server, built.apiId, 'stage', '/throw');
    assert.equal(thrown.status, 502);
    assert.deepEqual(thrown.json(), { message: 'Internal server error' });
  });

  test('a function slower than the integration timeout is 504', async () => {
    const res = await invoke(server, built.apiId, 'stage', '/slow');
    assert.equal(res.status, 504);
    assert.deepEqual(res.json(), { message: 'Endpoint request timed out' });
  });

  test('binary media types: the request body travels base64, a base64 answer is decoded for a binary Accept', async () => {
    const b = await buildApi(client, 'binary', ['/{proxy+}'], { binaryMediaTypes: ['image/png'] });
    await method(client, b, '/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('gw-proxy') });
    await deploy(client, b.apiId, 'bin');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const res = await invoke(server, b.apiId, 'bin', '/event', { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes });
    const event = res.json() as { body: string; isBase64Encoded: boolean };
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(event.body, 'base64'), bytes);
    const image = await invoke(server, b.apiId, 'bin', '/answer', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'image/png' },
      body: JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true }),
    });
    assert.equal(image.status, 200);
    assert.deepEqual(Buffer.from(image.text, 'latin1').length > 0, true);
    const raw = await fetch(`${server.url}/restapis/${b.apiId}/bin/_user_request_/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'image/png' },
      body: JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true }),
    });
    assert.deepEqual(Buffer.from(await raw.arrayBuffer()), bytes);
  });
});

describe('AWS Lambda (non-proxy)', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'plain', ['/run']);
    await method(client, built, '/run', 'POST', { type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri('gw-plain'), requestTemplates: { 'application/json': '{"fail": $input.json(\'$.fail\'), "id": "$input.params(\'id\')"}' } }, {
      responses: [
        { statusCode: '200', responseTemplates: { 'application/json': '{"got": $input.json(\'$.received.id\')}' } },
        { statusCode: '400', selectionPattern: 'Bad.*', responseTemplates: { 'application/json': '{"error": $input.json(\'$.errorMessage\')}' } },
        { statusCode: '500', selectionPattern: '.*crash.*' },
      ],
    });
    await deploy(client, built.apiId, 'dev');
  });

  const run = (fail: string | null) => invoke(server, built.apiId, 'dev', '/run?id=7', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fail }) });

  test('a successful function takes the default integration response', async () => {
    const res = await run(null);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json(), { got: '7' });
  });

  test('a stage variable names the function', async () => {
    const b = await buildApi(client, 'stage-function', ['/run']);
    const uri = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:\${stageVariables.fn}/invocations`;
    await method(client, b, '/run', 'POST', { type: 'AWS', integrationHttpMethod: 'POST', uri }, { responses: [{ statusCode: '200' }] });
    await deploy(client, b.apiId, 'dev', { fn: 'gw-plain' });
    const res = await invoke(server, b.apiId, 'dev', '/run', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x": 1}' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json(), { received: { x: 1 } });
  });

  test('a function error selects on its errorMessage, whole-string', async () => {
    const bad = await run('Bad input');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: 'Bad input' });
    const crash = await run('it did crash here');
    assert.equal(crash.status, 500);
    // "Not Bad" does not match `Bad.*` as a whole: the default response, with the error document as its body.
    const other = await run('Not Bad');
    assert.equal(other.status, 200);
  });
});

describe('AWS service integrations', () => {
  let sqs: SQSClient;
  let queueUrl: string;
  before(async () => {
    sqs = server.client(SQSClient);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'gw-target' }))).QueueUrl!;
  });

  test('SQS SendMessage by action and by queue path: JSON answers unless the integration asks for XML', async () => {
    const b = await buildApi(client, 'sqs', ['/action', '/path']);
    await method(
      client,
      b,
      '/action',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:sqs:action/SendMessage`,
        credentials: ROLE,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'", 'integration.request.header.Accept': "'application/xml'" },
        requestTemplates: { 'application/json': `QueueUrl=$util.urlEncode('${queueUrl}')&MessageBody=$util.urlEncode($input.body)` },
      },
      { responses: [{ statusCode: '200' }] },
    );
    await method(
      client,
      b,
      '/path',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/gw-target`,
        credentials: ROLE,
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": $input.json(\'$.SendMessageResponse.SendMessageResult.MessageId\')}' } }] },
    );
    await deploy(client, b.apiId, 'dev');
    const xml = await invoke(server, b.apiId, 'dev', '/action', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    assert.equal(xml.status, 200, xml.text);
    assert.match(xml.text, /<SendMessageResponse[^>]*><SendMessageResult>.*<MessageId>[0-9a-f-]+<\/MessageId>/);
    const json = await invoke(server, b.apiId, 'dev', '/path', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":2}' });
    assert.equal(json.status, 200, json.text);
    assert.match((json.json() as { id: string }).id, /^[0-9a-f-]{36}$/);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['{"n":1}', '{"n":2}']);
  });

  test('Step Functions StartSyncExecution answers the execution', async () => {
    const sfn = server.client(SFNClient);
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: 'gw-express',
        type: 'EXPRESS',
        roleArn: ROLE,
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } }),
      }),
    );
    const b = await buildApi(client, 'sfn', ['/run']);
    await method(
      client,
      b,
      '/run',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:states:action/StartSyncExecution`,
        credentials: ROLE,
        requestTemplates: { 'application/json': `{"stateMachineArn": "${machine.stateMachineArn}", "input": "$util.escapeJavaScript($input.body)"}` },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status": $input.json(\'$.status\'), "output": $input.path(\'$.output\')}' } }] },
    );
    await deploy(client, b.apiId, 'dev');
    const res = await invoke(server, b.apiId, 'dev', '/run', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n": 21}' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json(), { status: 'SUCCEEDED', output: { doubled: 42 } });
  });
});

describe('EventBridge and SNS integrations', () => {
  test('PutEvents (JSON) and Publish (form) answer as their services do', async () => {
    const sqs = server.client(SQSClient);
    const topicQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'gw-topic-target' }))).QueueUrl!;
    const sns = server.client(SNSClient);
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'gw-topic' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:gw-topic-target`, Attributes: { RawMessageDelivery: 'true' } }));
    const b = await buildApi(client, 'events-sns', ['/event', '/publish']);
    await method(
      client,
      b,
      '/event',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:events:action/PutEvents`,
        credentials: ROLE,
        requestParameters: { 'integration.request.header.X-Amz-Target': "'AWSEvents.PutEvents'", 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
        requestTemplates: { 'application/json': '#set($items = $input.path(\'$.items\')){"Entries": [#foreach($i in $items){"Detail": "$util.escapeJavaScript($i.Detail)", "DetailType": "$i.DetailType", "Source": "$i.Source"}#if($foreach.hasNext),#end#end]}' },
      },
      { responses: [{ statusCode: '200' }] },
    );
    await method(
      client,
      b,
      '/publish',
      'POST',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:sns:action/Publish`,
        credentials: ROLE,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: { 'application/json': `TopicArn=$util.urlEncode('${topic}')&Message=$util.urlEncode($input.body)` },
      },
      { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": $input.json(\'$.PublishResponse.PublishResult.MessageId\')}' } }] },
    );
    await deploy(client, b.apiId, 'dev');
    const put = await invoke(server, b.apiId, 'dev', '/event', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ Detail: '{"data":"Order is created"}', DetailType: 'Test', Source: 'order' }] }),
    });
    assert.equal(put.status, 200, put.text);
    const answer = put.json() as { Entries: { EventId: string }[]; FailedEntryCount: number };
    assert.equal(answer.FailedEntryCount, 0);
    assert.match(answer.Entries[0].EventId, /^[0-9a-f-]{36}$/);
    const published = await invoke(server, b.apiId, 'dev', '/publish', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello": "topic"}' });
    assert.equal(published.status, 200, published.text);
    assert.match((published.json() as { id: string }).id, /^[0-9a-f-]{36}$/);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: topicQueue, WaitTimeSeconds: 2 }));
    assert.equal(got.Messages?.[0]?.Body, '{"hello": "topic"}');
  });

  test('a service error selects on its status; an unknown action is 500', async () => {
    const b = await buildApi(client, 'service-errors', ['/missing', '/unknown']);
    await method(
      client,
      b,
      '/missing',
      'POST',
      { type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/no-such-queue`, requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=x' } },
      { responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"failed": true}' } }] },
    );
    await method(client, b, '/unknown', 'POST', { type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:${REGION}:sqs:action/NoSuchAction` }, { responses: [{ statusCode: '200' }] });
    await deploy(client, b.apiId, 'dev');
    const missing = await invoke(server, b.apiId, 'dev', '/missing', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(missing.status, 400, missing.text);
    assert.deepEqual(missing.json(), { failed: true });
    const unknown = await invoke(server, b.apiId, 'dev', '/unknown', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unknown.status, 500);
    assert.deepEqual(unknown.json(), { message: 'Internal server error' });
  });
});

describe('access logs', () => {
  test('a stage with accessLogSettings writes one formatted line per request to its log group', async () => {
    const logs = server.client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'gw-access' }));
    const b = await buildApi(client, 'logged', ['/x']);
    await method(client, b, '/x', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await deploy(client, b.apiId, 'dev');
    await client.send(
      new apigw.UpdateStageCommand({
        restApiId: b.apiId,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:gw-access` },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.httpMethod $context.resourcePath $context.status $context.identity.sourceIp' },
        ],
      }),
    );
    const ok = await invoke(server, b.apiId, 'dev', '/x');
    const missing = await invoke(server, b.apiId, 'dev', '/nothing');
    let messages: string[] = [];
    for (let i = 0; i < 50 && messages.length < 2; i += 1) {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: 'gw-access' }));
      messages = (found.events ?? []).map((e) => e.message!);
      if (messages.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(messages.includes(`${ok.headers.get('x-amzn-requestid')} GET /x 200 127.0.0.1`), messages.join('\n'));
    assert.ok(messages.includes(`${missing.headers.get('x-amzn-requestid')} GET - 403 127.0.0.1`), messages.join('\n'));
  });
});
