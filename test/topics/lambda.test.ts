/**
 * A Lambda function subscribed to a topic: SNS invokes it asynchronously with the event AWS
 * sends (Records[].Sns, signed), which the function's OnSuccess destination hands back here; a
 * function that does not exist sends the message to the subscription's dead-letter queue as the
 * JSON envelope (recorded: test_redrive_policy_lambda_subscription). And the other way round: a
 * topic as a function's OnFailure destination, reached through `invoke/`.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as sns from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createQueue, receiveOne } from '../events/delivery-support.js';
import { createNodeFunction, ECHO_JS, FAIL_JS, putEventInvokeConfig, record, type InvocationRecord } from '../functions/async-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;
let lambda: LambdaClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
  lambda = server.client(LambdaClient);
});
after(() => server.stop());

test('a function subscriber is invoked asynchronously with Records[].Sns', async () => {
  const functionArn = await createNodeFunction(lambda, 'sns-echo', ECHO_JS);
  const destination = await createQueue(sqs, 'sns-echo-results');
  await putEventInvokeConfig(lambda, { FunctionName: 'sns-echo', DestinationConfig: { OnSuccess: { Destination: destination.arn } } });
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-lambda', Attributes: { SignatureVersion: '2' } }));
  const { SubscriptionArn } = await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn, ReturnSubscriptionArn: true }));
  const published = await client.send(
    new sns.PublishCommand({ TopicArn, Message: 'to a function', Subject: 'hi', MessageAttributes: { list: { DataType: 'String.Array', StringValue: '["a","b"]' } } }),
  );
  const invocation = await record(sqs, destination, 20_000);
  assert.equal(invocation.requestContext.condition, 'Success');
  const event = invocation.requestPayload as { Records: { EventSource: string; EventVersion: string; EventSubscriptionArn: string; Sns: Record<string, any> }[] };
  assert.equal(event.Records.length, 1);
  const [r] = event.Records;
  assert.deepEqual([r.EventSource, r.EventVersion, r.EventSubscriptionArn], ['aws:sns', '1.0', SubscriptionArn]);
  assert.equal(r.Sns.Type, 'Notification');
  assert.equal(r.Sns.MessageId, published.MessageId);
  assert.equal(r.Sns.TopicArn, TopicArn);
  assert.equal(r.Sns.Subject, 'hi');
  assert.equal(r.Sns.Message, 'to a function');
  // Version 1 whatever the topic's (recorded: test_publish_lambda_verify_signature[2]).
  assert.equal(r.Sns.SignatureVersion, '1');
  // String.Array reaches Lambda as a String (Developer Guide, "Message attribute data types").
  assert.deepEqual(r.Sns.MessageAttributes, { list: { Type: 'String', Value: '["a","b"]' } });
  assert.equal(r.Sns.UnsubscribeUrl, `${server.url}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`);
  const certificate = await (await fetch(r.Sns.SigningCertUrl)).text();
  assert.ok(verifySnsSignature(r.Sns, certificate), 'the Lambda event carries the notification signature');
});

test('a function that does not exist: the envelope goes to the dead-letter queue', async () => {
  const dlq = await createQueue(sqs, 'lambda-dlq');
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'to-missing-lambda' }));
  await client.send(
    new sns.SubscribeCommand({
      TopicArn,
      Protocol: 'lambda',
      Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:never-created',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
    }),
  );
  await client.send(new sns.PublishCommand({ TopicArn, Message: 'test_redrive_policy', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }));
  const body = JSON.parse((await receiveOne(sqs, dlq, 10_000)).Body!);
  assert.equal(body.Type, 'Notification');
  assert.equal(body.Message, 'test_redrive_policy');
  assert.deepEqual(body.MessageAttributes, { attr1: { Type: 'Number', Value: '1' } });
});

test('a topic as a function\'s OnFailure destination: the invocation record is published to it', async () => {
  const { TopicArn } = await client.send(new sns.CreateTopicCommand({ Name: 'lambda-failures' }));
  const q = await createQueue(sqs, 'lambda-failures-q');
  await client.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  await createNodeFunction(lambda, 'sns-failing', FAIL_JS);
  await putEventInvokeConfig(lambda, { FunctionName: 'sns-failing', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: TopicArn } } });
  await lambda.send(new InvokeCommand({ FunctionName: 'sns-failing', InvocationType: 'Event', Payload: Buffer.from('{"order":7}') }));
  const notification = JSON.parse((await receiveOne(sqs, q, 20_000)).Body!) as Record<string, string>;
  assert.equal(notification.Type, 'Notification');
  assert.equal(notification.TopicArn, TopicArn);
  const invocation = JSON.parse(notification.Message) as InvocationRecord;
  assert.equal(invocation.requestContext.condition, 'RetriesExhausted');
  assert.deepEqual(invocation.requestPayload, { order: 7 });
  assert.match(JSON.stringify(invocation.responsePayload), /intentional failure/);
});
