import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('an event reaches an SQS target', async () => {
  const eb = server.client(EventBridgeClient);
  const sqs = server.client(SQSClient);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'smoke' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await eb.send(new PutRuleCommand({ Name: 'r1', EventPattern: JSON.stringify({ source: ['app'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'r1', Targets: [{ Id: 't1', Arn: Attributes!.QueueArn! }] }));
  const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{"a":1}' }] }));
  assert.equal(out.FailedEntryCount, 0);
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  const body = JSON.parse(r.Messages![0].Body!);
  assert.equal(body.id, out.Entries![0].EventId);
  assert.deepEqual(body.detail, { a: 1 });
});
