/**
 * Each wire protocol end to end through the real AWS SDK v3 clients, against protocol probes
 * (test/support/probe-services.ts) served by a real Stratus server.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeEventBusCommand, EventBridgeClient, PutEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ResourceNotFoundException as LambdaNotFound } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, DeleteTopicCommand, ListTopicsCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probeModules } from './support/probe-services.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ services: probeModules() });
});
after(() => server.stop());

describe('AWS JSON 1.0 (SQS client)', () => {
  test('answers an action and reports the caller account from a 12-digit access key', async () => {
    const sqs = server.client(SQSClient, { credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' }, region: 'eu-west-1' });
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    assert.equal(out.QueueUrl, `${server.url}/123456789012/orders`);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  test('a non-numeric access key acts in the default account', async () => {
    const out = await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    assert.equal(out.QueueUrl, `${server.url}/000000000000/orders`);
  });

  test('flattened lists and maps round-trip', async () => {
    const sqs = server.client(SQSClient, { region: 'ap-south-1' });
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'b' }));
    assert.deepEqual(listed.QueueUrls, [`${server.url}/000000000000/beta`]);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: 'x', AttributeNames: ['DelaySeconds', 'Policy'] }));
    assert.deepEqual(attrs.Attributes, { DelaySeconds: 'DelaySeconds@ap-south-1', Policy: 'Policy@ap-south-1' });
  });

  test('a service error arrives as its named exception, with the legacy query code header', async () => {
    const error = await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'missing' })).catch((e: unknown) => e);
    assert.ok(error instanceof QueueDoesNotExist, `got ${String(error)}`);
    assert.equal(error.message, 'The specified queue does not exist.');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.$fault, 'client');
  });

  test('invalid parameters get a ValidationException naming the member', async () => {
    const error = (await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'bad name!' })).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, /^1 validation error detected: Value 'bad name!' at 'queueName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  test('an unexpected handler failure is an InternalFailure with a request id and no stack', async () => {
    const error = (await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'crash' })).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number; requestId?: string };
      $fault: string;
    };
    assert.equal(error.name, 'InternalFailure');
    assert.equal(error.$metadata.httpStatusCode, 500);
    assert.equal(error.$fault, 'server');
    assert.match(error.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(error.message, /on purpose|at /);
  });
});

describe('AWS JSON 1.1 (EventBridge client)', () => {
  test('timestamps travel as epoch seconds both ways', async () => {
    const events = server.client(EventBridgeClient);
    const bus = await events.send(new DescribeEventBusCommand({}));
    assert.equal(bus.CreationTime?.toISOString(), '2026-01-02T03:04:05.678Z');
    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'app', Time: new Date('2026-03-04T05:06:07Z'), Detail: '{}', DetailType: 't' }] }));
    assert.equal(put.Entries?.[0].EventId, 'app@2026-03-04T05:06:07.000Z');
  });

  test('ResourceNotFoundException is raised as its class', async () => {
    const error = await server.client(EventBridgeClient).send(new DescribeEventBusCommand({ Name: 'nope' })).catch((e: unknown) => e);
    assert.ok(error instanceof ResourceNotFoundException);
  });

  test('list length limits are validation errors', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', Detail: '{}', DetailType: 't' }));
    const error = (await server.client(EventBridgeClient).send(new PutEventsCommand({ Entries: entries })).catch((e: unknown) => e)) as Error;
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, /at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10/);
  });
});

describe('AWS Query (SNS client)', () => {
  test('maps and structure lists decode, XML answers parse', async () => {
    const sns = server.client(SNSClient, { region: 'us-west-2' });
    const created = await sns.send(
      new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders & co' }, Tags: [{ Key: 'team', Value: 'a<b' }] }),
    );
    assert.equal(created.TopicArn, 'arn:aws:sns:us-west-2:000000000000:orders-DisplayName=Orders & co,team~a<b');
    const listed = await sns.send(new ListTopicsCommand({}));
    assert.deepEqual(
      listed.Topics?.map((t) => t.TopicArn),
      ['arn:aws:sns:us-west-2:000000000000:one', 'arn:aws:sns:us-west-2:000000000000:two & <three>'],
    );
    assert.match(listed.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  test('an empty result and XML errors with their codes', async () => {
    const sns = server.client(SNSClient);
    await sns.send(new DeleteTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:x' }));
    const notFound = await sns.send(new DeleteTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing' })).catch((e: unknown) => e);
    assert.ok(notFound instanceof NotFoundException);
    assert.equal(notFound.$metadata.httpStatusCode, 404);
    const invalid = (await sns.send(new DeleteTopicCommand({ TopicArn: 'nope' })).catch((e: unknown) => e)) as Error;
    assert.equal(invalid.name, 'InvalidParameterException');
  });

  test('missing required parameters are rejected before the handler', async () => {
    const error = (await server.client(SNSClient).send(new DeleteTopicCommand({} as never)).catch((e: unknown) => e)) as Error;
    assert.equal(error.name, 'ValidationError');
    assert.match(error.message, /Value null at 'topicArn' failed to satisfy constraint: Member must not be null/);
  });
});

describe('REST-JSON (Lambda client)', () => {
  test('URI labels, query strings and JSON bodies', async () => {
    const lambda = server.client(LambdaClient);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'my-fn', Qualifier: '7' }));
    assert.equal(fn.Configuration?.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:my-fn');
    assert.equal(fn.Configuration?.Version, '7');
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.deepEqual(listed.Functions?.map((f) => f.FunctionName), ['f1', 'f2']);
  });

  test('a raw payload in, status code and headers out', async () => {
    const lambda = server.client(LambdaClient);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { echo: { a: 1 }, fn: 'echo' });
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event' }));
    assert.equal(queued.StatusCode, 202);
  });

  test('errors come from x-amzn-ErrorType', async () => {
    const error = await server.client(LambdaClient).send(new GetFunctionCommand({ FunctionName: 'missing' })).catch((e: unknown) => e);
    assert.ok(error instanceof LambdaNotFound, String(error));
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.match(error.message, /Function not found/);
  });

  test('header values are validated against their enums', async () => {
    const error = (await server
      .client(LambdaClient)
      .send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Sometimes' as never }))
      .catch((e: unknown) => e)) as Error;
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, /at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: \[Event, RequestResponse, DryRun\]/);
  });
});

describe('a service Stratus does not run', () => {
  test('is an UnknownOperationException, not a crash', async () => {
    const error = (await server.client(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    assert.equal(error.name, 'UnknownOperationException');
    assert.equal(error.$metadata.httpStatusCode, 400);
  });
});
