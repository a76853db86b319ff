/**
 * Asynchronous invocation end to end through @aws-sdk/client-lambda against a real Stratus with
 * real execution environments: Invoke Event answers 202 once the event is stored, the function
 * runs, and its invocation record reaches the OnSuccess / OnFailure destination (SQS, another
 * function, an event bus) or its event the DeadLetterConfig queue; retries one then two minutes
 * apart, MaximumRetryAttempts, MaximumEventAgeInSeconds, throttles. Retry delays are scaled by
 * 0.001 (retryDelayScale), so AWS's minutes take milliseconds.
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateAliasCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { account, attributesOf, createQueue, receiveOne, type Account } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createNodeFunction, ECHO_JS, FAIL_JS, ISO_MS, putEventInvokeConfig, record, records } from './async-support.js';
import { unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;
let main: Account;

before(async () => {
  server = await startTestServer({ config: { retryDelayScale: 0.001 } });
  lambda = server.client(LambdaClient);
  main = account(server);
});
after(() => server.stop());

const arn = (name: string, qualifier?: string, accountId = '000000000000') =>
  `arn:aws:lambda:us-east-1:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

describe('Invoke with InvocationType Event', () => {
  test('answers 202 with the request id; the function runs and OnSuccess gets the record', async () => {
    const name = unique('async-ok');
    await createNodeFunction(lambda, name, ECHO_JS);
    const queue = await createQueue(main.sqs, unique('ok-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"n":12345678901234567890,"s":"x"}') }));
    assert.equal(out.StatusCode, 202);
    assert.equal(out.Payload?.length ?? 0, 0);
    const requestId = out.$metadata.requestId!;
    assert.ok(requestId);
    const r = await record(main.sqs, queue);
    assert.deepEqual(Object.keys(r), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    assert.equal(r.version, '1.0');
    assert.match(r.timestamp, ISO_MS);
    assert.deepEqual(r.requestContext, { requestId, functionArn: arn(name, '$LATEST'), condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual(r.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.equal((r.requestPayload as { s: string }).s, 'x');
    assert.deepEqual(r.responsePayload, { echo: r.requestPayload });
  });

  test('a large number in the event reaches the record digit for digit', async () => {
    const name = unique('async-digits');
    await createNodeFunction(lambda, name, 'exports.handler = async () => 1;');
    const queue = await createQueue(main.sqs, unique('digits-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"n":12345678901234567890}') }));
    const [m] = await receiveOneRaw(queue);
    assert.match(m, /"requestPayload":\{"n":12345678901234567890\}/);
  });

  test('a function error is retried twice, then OnFailure gets RetriesExhausted with approximateInvokeCount 3', async () => {
    const name = unique('async-fail');
    await createNodeFunction(lambda, name, FAIL_JS);
    const queue = await createQueue(main.sqs, unique('fail-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnFailure: { Destination: queue.arn } } });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"k":1}') }));
    const r = await record(main.sqs, queue);
    assert.deepEqual(r.requestContext, { requestId: out.$metadata.requestId, functionArn: arn(name, '$LATEST'), condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    assert.deepEqual(r.requestPayload, { k: 1 });
    assert.deepEqual(r.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(r.responsePayload.errorType, 'Error');
    assert.equal(r.responsePayload.errorMessage, 'intentional failure: {"k":1}');
  });

  test('MaximumRetryAttempts 0: one attempt, then OnFailure', async () => {
    const name = unique('async-noretry');
    await createNodeFunction(lambda, name, FAIL_JS);
    const queue = await createQueue(main.sqs, unique('noretry-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: queue.arn } } });
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.condition, 'RetriesExhausted');
    assert.equal(r.requestContext.approximateInvokeCount, 1);
  });

  test('MaximumEventAgeInSeconds runs out before the retry: OnFailure gets EventAgeExceeded', async () => {
    const name = unique('async-old');
    await createNodeFunction(lambda, name, FAIL_JS);
    const queue = await createQueue(main.sqs, unique('old-dest'));
    // 60 s scaled to 60 ms: the one-minute wait before the second attempt would pass it.
    await putEventInvokeConfig(lambda, { FunctionName: name, MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: queue.arn } } });
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.condition, 'EventAgeExceeded');
    assert.equal(r.requestContext.approximateInvokeCount, 1);
    assert.equal(r.responseContext.functionError, 'Unhandled');
  });

  test('DeadLetterConfig: the SQS queue gets the event unchanged with RequestID, ErrorCode and ErrorMessage', async () => {
    const name = unique('async-dlq');
    const dlq = await createQueue(main.sqs, unique('fn-dlq'));
    await createNodeFunction(lambda, name, FAIL_JS, { DeadLetterConfig: { TargetArn: dlq.arn } });
    await putEventInvokeConfig(lambda, { FunctionName: name, MaximumRetryAttempts: 1 });
    const event = '{"order": 7, "big": 98765432109876543210}';
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(event) }));
    const m = await receiveOne(main.sqs, dlq, 15_000);
    assert.equal(m.Body, event);
    assert.deepEqual(attributesOf(m), { RequestID: out.$metadata.requestId, ErrorCode: '200', ErrorMessage: 'intentional failure: {"order":7,"big":98765432109876540000}' });
    assert.equal(m.MessageAttributes!.ErrorCode.DataType, 'Number');
    assert.equal(m.MessageAttributes!.RequestID.DataType, 'String');
  });

  test('reserved concurrency 0: the event is accepted and fails at once, without retries', async () => {
    const name = unique('async-off');
    await createNodeFunction(lambda, name, ECHO_JS);
    const queue = await createQueue(main.sqs, unique('off-dest'));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnFailure: { Destination: queue.arn } } });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    assert.equal(out.StatusCode, 202);
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.condition, 'RetriesExhausted');
    assert.equal(r.requestContext.approximateInvokeCount, 0);
    assert.equal(r.responseContext.statusCode, 429);
  });

  test('throttled events wait their turn: with reserved concurrency 1 every event runs once', async () => {
    const name = unique('async-throttle');
    await createNodeFunction(lambda, name, 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 150)); return e; };');
    const queue = await createQueue(main.sqs, unique('throttle-dest'));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await Promise.all([1, 2, 3, 4].map((i) => lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ i })) }))));
    const got = await records(main.sqs, queue, 4, 20_000);
    assert.deepEqual(got.map((r) => (r.requestPayload as { i: number }).i).sort(), [1, 2, 3, 4]);
    // A throttle uses up no retry attempt: each event ran once.
    for (const r of got) assert.equal(r.requestContext.approximateInvokeCount, 1);
  });

  test('an alias: its event invoke config applies and the version it points at runs', async () => {
    const name = unique('async-alias');
    await createNodeFunction(lambda, name, 'exports.handler = async (e, ctx) => ({ version: ctx.functionVersion });');
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: Version! }));
    const queue = await createQueue(main.sqs, unique('alias-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, Qualifier: 'live', DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: 'live', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.functionArn, arn(name, 'live'));
    assert.equal(r.responseContext.executedVersion, Version);
    assert.deepEqual(r.responsePayload, { version: Version });
  });
});

describe('destinations', () => {
  test('another function: it is invoked asynchronously with the record as its event', async () => {
    const first = unique('async-first');
    const second = unique('async-second');
    await createNodeFunction(lambda, first, ECHO_JS);
    await createNodeFunction(lambda, second, 'exports.handler = async (record) => ({ sawCondition: record.requestContext.condition, from: record.requestContext.functionArn });');
    const queue = await createQueue(main.sqs, unique('chain-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: first, DestinationConfig: { OnSuccess: { Destination: arn(second) } } });
    await putEventInvokeConfig(lambda, { FunctionName: second, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await lambda.send(new InvokeCommand({ FunctionName: first, InvocationType: 'Event', Payload: Buffer.from('{"hop":1}') }));
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.functionArn, arn(second, '$LATEST'));
    assert.deepEqual(r.responsePayload, { sawCondition: 'Success', from: arn(first, '$LATEST') });
    assert.deepEqual((r.requestPayload as { requestPayload: unknown }).requestPayload, { hop: 1 });
  });

  test('an event bus: EventBridge gets source "lambda", detail-type "Lambda Function Invocation Result - Failure", the record as detail', async () => {
    const name = unique('async-bus');
    await createNodeFunction(lambda, name, FAIL_JS);
    const queue = await createQueue(main.sqs, unique('bus-dest'));
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    await main.eb.send(
      new PutRuleCommand({ Name: `${name}-results`, EventPattern: JSON.stringify({ source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Failure'], detail: { requestContext: { functionArn: [{ prefix: arn(name) }] } } }) }),
    );
    await main.eb.send(new PutTargetsCommand({ Rule: `${name}-results`, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    await putEventInvokeConfig(lambda, { FunctionName: name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: bus } } });
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"via":"bus"}') }));
    const m = await receiveOne(main.sqs, queue, 15_000);
    const event = JSON.parse(m.Body!);
    assert.equal(event.source, 'lambda');
    assert.equal(event['detail-type'], 'Lambda Function Invocation Result - Failure');
    assert.equal(event.account, '000000000000');
    assert.equal(event.region, 'us-east-1');
    assert.deepEqual(event.resources, [bus, arn(name, '$LATEST')]);
    assert.equal(event.detail.requestContext.condition, 'RetriesExhausted');
    assert.deepEqual(event.detail.requestPayload, { via: 'bus' });
  });
});

describe('EventBridge → Lambda (the lambda invoker)', () => {
  test('a rule targeting a function: PutEvents → the function runs → its OnSuccess destination gets the event', async () => {
    const name = unique('eb-target');
    const fnArn = await createNodeFunction(lambda, name, "exports.handler = async (event) => ({ source: event.source, detail: event.detail });");
    const queue = await createQueue(main.sqs, unique('eb-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await main.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [`test.${name}`] }) }));
    await main.eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'fn', Arn: fnArn }] }));
    const put = await main.eb.send(new PutEventsCommand({ Entries: [{ Source: `test.${name}`, DetailType: 'd', Detail: '{"x":42}' }] }));
    const r = await record(main.sqs, queue);
    const event = r.requestPayload as { id: string; source: string; detail: unknown };
    assert.equal(event.id, put.Entries![0].EventId);
    assert.equal(event.source, `test.${name}`);
    assert.deepEqual(r.responsePayload, { source: `test.${name}`, detail: { x: 42 } });
  });

  test('a rule targeting an alias ARN runs the alias', async () => {
    const name = unique('eb-alias');
    await createNodeFunction(lambda, name, 'exports.handler = async (e, ctx) => ({ arn: ctx.invokedFunctionArn, version: ctx.functionVersion });');
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: Version! }));
    const queue = await createQueue(main.sqs, unique('eb-alias-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, Qualifier: 'prod', DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    await main.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [`test.${name}`] }) }));
    await main.eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'fn', Arn: arn(name, 'prod') }] }));
    await main.eb.send(new PutEventsCommand({ Entries: [{ Source: `test.${name}`, DetailType: 'd', Detail: '{}' }] }));
    const r = await record(main.sqs, queue);
    assert.equal(r.requestContext.functionArn, arn(name, 'prod'));
    assert.equal(r.responseContext.executedVersion, Version);
    assert.equal(r.responsePayload.version, Version);
  });

  test('another account\'s rule is refused without a permission and allowed after AddPermission', async () => {
    const { AddPermissionCommand } = await import('@aws-sdk/client-lambda');
    const name = unique('xacct');
    const fnArn = await createNodeFunction(lambda, name, ECHO_JS);
    const queue = await createQueue(main.sqs, unique('xacct-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    const other = account(server, '111111111111');
    const ruleDlq = await createQueue(other.sqs, unique('xacct-rule-dlq'));
    const { RuleArn } = await other.eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [`test.${name}`] }) }));
    await other.eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'fn', Arn: fnArn, DeadLetterConfig: { Arn: ruleDlq.arn } }] }));

    await other.eb.send(new PutEventsCommand({ Entries: [{ Source: `test.${name}`, DetailType: 'd', Detail: '{"try":1}' }] }));
    const refused = await receiveOne(other.sqs, ruleDlq, 10_000);
    assert.equal(attributesOf(refused).ERROR_CODE, 'NO_PERMISSIONS');
    assert.match(attributesOf(refused).ERROR_MESSAGE, /not authorized to perform: lambda:InvokeFunction/);

    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'rule', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await other.eb.send(new PutEventsCommand({ Entries: [{ Source: `test.${name}`, DetailType: 'd', Detail: '{"try":2}' }] }));
    const r = await record(main.sqs, queue);
    assert.deepEqual((r.requestPayload as { detail: unknown }).detail, { try: 2 });
    assert.equal((r.requestPayload as { account: string }).account, '111111111111');
  });

  test('the invoker: RequestResponse answers the payload; a missing function is ResourceNotFound, not retryable', async () => {
    const name = unique('invoker-sync');
    const fnArn = await createNodeFunction(lambda, name, "exports.handler = async (e) => ({ doubled: e.n * 2 });");
    const invokers = server.stratus.runtime.invokers;
    const out = await invokers.invoke({ arn: fnArn, payload: { n: 21 }, parameters: { InvocationType: 'RequestResponse' } });
    const response = out.response as { StatusCode: number; ExecutedVersion: string; Payload: string; FunctionError?: string };
    assert.equal(response.StatusCode, 200);
    assert.equal(response.ExecutedVersion, '$LATEST');
    assert.deepEqual(JSON.parse(response.Payload), { doubled: 42 });
    assert.equal(response.FunctionError, undefined);
    const queued = await invokers.invoke({ arn: fnArn, payload: { n: 1 } });
    assert.equal((queued.response as { StatusCode: number }).StatusCode, 202);
    await assert.rejects(invokers.invoke({ arn: arn('no-such-function'), payload: {} }), (error: unknown) => {
      const e = error as { code: string; retryable: boolean };
      assert.equal(e.code, 'ResourceNotFound');
      assert.equal(e.retryable, false);
      return true;
    });
    await assert.rejects(invokers.invoke({ arn: arn(name, 'nope'), payload: {} }), { code: 'ResourceNotFound' });
  });
});

async function receiveOneRaw(queue: { url: string; arn: string }): Promise<string[]> {
  const m = await receiveOne(main.sqs, queue, 15_000);
  return [m.Body!];
}
