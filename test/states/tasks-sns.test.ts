/**
 * Step Functions tasks that reach SNS, through the SDK against a real Stratus: the optimized
 * `arn:aws:states:::sns:publish` (a JSON Message serialized, message attributes, a FIFO topic's
 * SequenceNumber, SNS's errors as the integration names them), `.waitForTaskToken` (the token
 * travels in the published message; SendTaskSuccess ends the task), and `aws-sdk:sns:*` actions.
 */
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, CreateStateMachineCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueue, receiveOne, type QueueRef } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';

let server: TestServer;
let sfn: SFNClient;
let sqs: SQSClient;
let topics: sns.SNSClient;
let names = 0;

before(async () => {
  server = await startTestServer();
  sfn = server.client(SFNClient);
  sqs = server.client(SQSClient);
  topics = server.client(sns.SNSClient);
});
after(() => server.stop());

async function start(definition: object, input: unknown): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `sns-${++names}`, definition: JSON.stringify(definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return executionArn!;
}

async function finished(executionArn: string, timeoutMs = 15_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    assert.ok(Date.now() < deadline, `execution ${executionArn} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const task = (Resource: string, Parameters: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource, Parameters, End: true } } });

/** A topic with a queue subscribed to it (raw, so the queue holds what was published). */
async function topicWithQueue(name: string, attributes?: Record<string, string>): Promise<{ topicArn: string; queue: QueueRef }> {
  const fifo = name.endsWith('.fifo');
  const { TopicArn } = await topics.send(new sns.CreateTopicCommand({ Name: name, Attributes: attributes }));
  const queue = await createQueue(sqs, name, fifo ? { FifoQueue: 'true' } : undefined);
  await topics.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn: TopicArn!, queue };
}

describe('sns:publish', () => {
  test('publishes a JSON message with its attributes; the result is Publish\'s answer with the SDK metadata', async () => {
    const { topicArn, queue } = await topicWithQueue('sfn-publish');
    const out = await finished(
      await start(
        task('arn:aws:states:::sns:publish', {
          'TopicArn.$': '$.topic',
          'Message.$': '$.order',
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
        }),
        { topic: topicArn, order: { id: 7, total: 42 } },
      ),
    );
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    const output = JSON.parse(out.output!);
    const delivered = await receiveOne(sqs, queue);
    assert.deepEqual(JSON.parse(delivered.Body!), { id: 7, total: 42 });
    assert.equal(delivered.MessageAttributes?.kind?.StringValue, 'order');
    assert.match(output.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(output.SdkHttpMetadata.HttpStatusCode, 200);
    assert.equal(output.SdkHttpMetadata.HttpHeaders['Content-Type'], 'text/xml');
    // The answer's length as SNS lays it out (recorded: 294 bytes for a standard topic).
    assert.equal(output.SdkHttpMetadata.HttpHeaders['Content-Length'], '294');
    assert.equal(output.SdkResponseMetadata.RequestId, output.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']);
  });

  test('a FIFO topic answers its SequenceNumber', async () => {
    const { topicArn, queue } = await topicWithQueue('sfn-publish.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const out = await finished(await start(task('arn:aws:states:::sns:publish', { TopicArn: topicArn, Message: 'first', MessageGroupId: 'g' }), {}));
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.match(JSON.parse(out.output!).SequenceNumber, /^\d{20}$/);
    assert.equal((await receiveOne(sqs, queue)).Body, 'first');
  });

  test('SNS\'s errors fail the task as SNS.<Code>Exception, with the SDK\'s cause', async () => {
    const missing = await finished(
      await start(task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:000000000000:never-made', Message: 'x' }), {}),
    );
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'SNS.NotFoundException');
    assert.match(missing.cause!, /^Topic does not exist \(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
    const { topicArn } = await topicWithQueue('sfn-publish-bad');
    const bad = await finished(await start(task('arn:aws:states:::sns:publish', { TopicArn: topicArn }), {}));
    assert.equal(bad.status, 'FAILED');
    assert.equal(bad.error, 'SNS.InvalidParameterException');
    assert.match(bad.cause!, /^Invalid parameter: Message Reason: no value for required parameter \(Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter;/);
  });

  test('.waitForTaskToken: the token goes out in the message and SendTaskSuccess ends the task', async () => {
    const { topicArn, queue } = await topicWithQueue('sfn-callback');
    const executionArn = await start(
      task('arn:aws:states:::sns:publish.waitForTaskToken', { TopicArn: topicArn, Message: { 'TaskToken.$': '$$.Task.Token', 'arg.$': '$.arg' } }),
      { arg: 'Hello' },
    );
    const published = JSON.parse((await receiveOne(sqs, queue)).Body!) as { TaskToken: string; arg: string };
    assert.equal(published.arg, 'Hello');
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: published.TaskToken, output: '{"done":true}' }));
    const out = await finished(executionArn);
    assert.equal(out.status, 'SUCCEEDED', out.cause);
    assert.deepEqual(JSON.parse(out.output!), { done: true });
  });
});

describe('aws-sdk:sns', () => {
  test('any SNS action by its SDK name; its errors as Sns.<Name>Exception', async () => {
    const created = await finished(await start(task('arn:aws:states:::aws-sdk:sns:createTopic', { Name: 'made-by-a-workflow' }), {}));
    assert.equal(created.status, 'SUCCEEDED', created.cause);
    const topicArn = JSON.parse(created.output!).TopicArn as string;
    assert.equal(topicArn, 'arn:aws:sns:us-east-1:000000000000:made-by-a-workflow');
    const attributes = await finished(await start(task('arn:aws:states:::aws-sdk:sns:getTopicAttributes', { TopicArn: topicArn }), {}));
    assert.equal(attributes.status, 'SUCCEEDED', attributes.cause);
    assert.equal(JSON.parse(attributes.output!).Attributes.TopicArn, topicArn);
    const missing = await finished(await start(task('arn:aws:states:::aws-sdk:sns:getTopicAttributes', { TopicArn: `${topicArn}-gone` }), {}));
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'Sns.NotFoundException');
    assert.match(missing.cause!, /^Topic does not exist \(Service: Sns, Status Code: 404, Request ID: /);
  });
});
