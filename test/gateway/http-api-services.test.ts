/**
 * AWS service integrations of HTTP APIs end to end: SQS-SendMessage, SQS-ReceiveMessage,
 * StepFunctions-StartSyncExecution and EventBridge-PutEvents, with request parameters mapped from
 * the body, headers, context and stage variables; the services' errors passed on.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { hostOf, route, send } from './http-api-support.js';

const ROLE = 'arn:aws:iam::000000000000:role/apigw';

let server: TestServer;
let client: v2.ApiGatewayV2Client;
let apiId: string;
let queueUrl: string;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(v2.ApiGatewayV2Client);
  sqs = server.client(SQSClient);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'from-api' }))).QueueUrl!;
  const sfn = server.client(SFNClient);
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'sync',
      type: 'EXPRESS',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'Shape', States: { Shape: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.name)" }, End: true } } }),
    }),
  );
  const api = await client.send(new v2.CreateApiCommand({ Name: 'services', ProtocolType: 'HTTP' }));
  apiId = api.ApiId!;
  const service = (IntegrationSubtype: string, RequestParameters: Record<string, string>) => ({
    IntegrationType: 'AWS_PROXY' as const,
    IntegrationSubtype,
    PayloadFormatVersion: '1.0',
    CredentialsArn: ROLE,
    RequestParameters,
  });
  await route(client, apiId, 'POST /send', service('SQS-SendMessage', { QueueUrl: '$stageVariables.queue', MessageBody: '$request.body.message', DelaySeconds: '0' }));
  await route(client, apiId, 'POST /send-raw', service('SQS-SendMessage', { QueueUrl: queueUrl, MessageBody: 'from $request.header.x-who via $context.routeKey' }));
  await route(client, apiId, 'GET /receive', service('SQS-ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: '$request.querystring.max' }));
  await route(client, apiId, 'POST /nowhere', service('SQS-SendMessage', { QueueUrl: 'http://127.0.0.1/000000000000/no-such-queue', MessageBody: 'x' }));
  await route(client, apiId, 'POST /run', service('StepFunctions-StartSyncExecution', { StateMachineArn: machine.stateMachineArn!, Input: '$request.body' }));
  await route(client, apiId, 'POST /event', service('EventBridge-PutEvents', { Source: 'my.api', DetailType: 'Posted', Detail: '$request.body' }));
  await client.send(new v2.CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: { queue: queueUrl.replace(/^https?:\/\//, 'http://') } }));
});
after(() => server.stop());

test('SQS-SendMessage sends the mapped body; the answer is SendMessage’s output', async () => {
  const reply = await send(server, { method: 'POST', host: hostOf(apiId), path: '/send', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hi queue' }) });
  assert.equal(reply.status, 200, reply.text);
  const out = reply.json();
  assert.match(out.MessageId, /^[0-9a-f-]{36}$/);
  assert.equal(typeof out.MD5OfMessageBody, 'string');
  const raw = await send(server, { method: 'POST', host: hostOf(apiId), path: '/send-raw', headers: { 'x-who': 'tester' } });
  assert.equal(raw.status, 200, raw.text);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  assert.deepEqual(got.Messages!.map((m) => m.Body).sort(), ['from tester via POST /send-raw', 'hi queue']);
});

test('SQS-ReceiveMessage with a number from the query string', async () => {
  await send(server, { method: 'POST', host: hostOf(apiId), path: '/send', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'to receive' }) });
  const reply = await send(server, { host: hostOf(apiId), path: '/receive?max=5' });
  assert.equal(reply.status, 200, reply.text);
  assert.ok(reply.json().Messages.some((m: { Body: string }) => m.Body === 'to receive'));
});

test('a service error passes on with its status', async () => {
  const reply = await send(server, { method: 'POST', host: hostOf(apiId), path: '/nowhere' });
  assert.equal(reply.status, 400, reply.text);
  assert.match(reply.json().__type, /NonExistentQueue|QueueDoesNotExist/);
});

test('StepFunctions-StartSyncExecution runs the express workflow and answers its result', async () => {
  const reply = await send(server, { method: 'POST', host: hostOf(apiId), path: '/run', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'api' }) });
  assert.equal(reply.status, 200, reply.text);
  const out = reply.json();
  assert.equal(out.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(out.output), { greeting: 'hello api' });
  assert.match(out.executionArn, /^arn:aws:states:us-east-1:000000000000:express:sync:/);
});

test('EventBridge-PutEvents puts one entry', async () => {
  const reply = await send(server, { method: 'POST', host: hostOf(apiId), path: '/event', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: 1 }) });
  assert.equal(reply.status, 200, reply.text);
  const out = reply.json();
  assert.equal(out.FailedEntryCount, 0);
  assert.equal(out.Entries.length, 1);
  assert.ok(out.Entries[0].EventId);
});
