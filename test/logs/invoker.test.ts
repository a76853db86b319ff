/**
 * The log-group invoker: what EventBridge (and later other services) calls through
 * `runtime.invokers.invoke` to write to a log group by ARN. One stream per event, named after the
 * event id and created on demand; the event JSON is the message and its time the timestamp; a
 * transformed `{timestamp, message}` gives both; a missing group fails without retry.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { InvokeError, type InvokerRegistry } from '../../src/invoke/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const GROUP = '/aws/events/orders';
const ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`;

let server: TestServer;
let clock: ManualClock;
let logs: CloudWatchLogsClient;
let invokers: InvokerRegistry;

before(async () => {
  clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
  server = await startTestServer({ clock });
  logs = server.client(CloudWatchLogsClient);
  invokers = server.stratus.runtime.invokers;
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});
after(() => server.stop());

function event(id: string, time = '2026-03-01T11:59:30Z') {
  return {
    version: '0',
    id,
    'detail-type': 'OrderPlaced',
    source: 'shop.orders',
    account: ACCOUNT,
    time,
    region: 'us-east-1',
    resources: [],
    detail: { orderId: id, total: 42 },
  };
}

async function eventsOf(stream: string, group = GROUP, client = logs) {
  return (await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))).events!.map((e) => ({
    timestamp: e.timestamp,
    message: e.message,
  }));
}

async function invokeError(promise: Promise<unknown>): Promise<InvokeError> {
  const error = await promise.then(
    () => assert.fail('expected an InvokeError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InvokeError, String(error));
  return error;
}

test('the invoker is registered for logs log-group ARNs', () => {
  assert.ok(invokers.kinds().includes('logs:log-group'));
});

test('an EventBridge event: the event JSON at the event time, in a new stream per delivery', async () => {
  const e1 = event('6a7e8feb-b491-4cf7-a9f1-bf3703467718');
  const first = await invokers.invoke({ arn: `${ARN}:*`, payload: e1, traceId: 'trace-1', source: { service: 'events', arn: 'arn:aws:events:us-east-1:000000000000:rule/r' } });
  const stream1 = (first.response as { logStreamName: string }).logStreamName;
  assert.deepEqual(first.response, { logGroupName: GROUP, logStreamName: stream1 });
  assert.deepEqual(await eventsOf(stream1), [{ timestamp: Date.parse(e1.time), message: JSON.stringify(e1) }]);

  // The same event delivered again (a second target on the same group) lands in a stream of its
  // own, as AWS was recorded doing; the ARN without `:*` works the same.
  const second = await invokers.invoke({ arn: ARN, payload: JSON.stringify(e1) });
  const stream2 = (second.response as { logStreamName: string }).logStreamName;
  assert.notEqual(stream2, stream1);
  assert.deepEqual(await eventsOf(stream2), [{ timestamp: Date.parse(e1.time), message: JSON.stringify(e1) }]);

  // The events can be searched with JSON filter patterns.
  const e2 = event('0b4e9f52-2c0d-4a1e-9a55-6f3f0d1f0a21');
  const third = await invokers.invoke({ arn: ARN, payload: e2 });
  const stream3 = (third.response as { logStreamName: string }).logStreamName;
  const found = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.detail-type = "OrderPlaced" && $.detail.total >= 42 }' }));
  assert.deepEqual(found.events!.map((e) => e.logStreamName).sort(), [stream1, stream2, stream3].sort());
});

test('a transformed {timestamp, message} payload; the stream from parameters', async () => {
  await invokers.invoke({
    arn: ARN,
    payload: JSON.stringify({ timestamp: '2026-03-01T11:58:00Z', message: 'order o-1 placed' }),
    parameters: { logStreamName: 'transformed' },
  });
  assert.deepEqual(await eventsOf('transformed'), [{ timestamp: Date.parse('2026-03-01T11:58:00Z'), message: 'order o-1 placed' }]);

  for (const text of ['first', 'second']) await invokers.invoke({ arn: ARN, payload: text, parameters: { logStreamName: 'shared' } });
  assert.deepEqual(await eventsOf('shared'), [
    { timestamp: clock.now(), message: 'first' },
    { timestamp: clock.now(), message: 'second' },
  ]);
});

test('a stream ARN names the stream', async () => {
  await invokers.invoke({ arn: `${ARN}:log-stream:by-arn`, payload: { hello: 'world' } });
  assert.deepEqual(await eventsOf('by-arn'), [{ timestamp: clock.now(), message: '{"hello":"world"}' }]);
});

test('the ARN\'s account and region choose the group', async () => {
  const eu = server.client(CloudWatchLogsClient, { region: 'eu-west-1' });
  await eu.send(new CreateLogGroupCommand({ logGroupName: 'eu-only' }));
  await invokers.invoke({ arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:eu-only`, payload: 'x', parameters: { logStreamName: 's' } });
  assert.deepEqual(await eventsOf('s', 'eu-only', eu), [{ timestamp: clock.now(), message: 'x' }]);
  const wrongRegion = await invokeError(invokers.invoke({ arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:eu-only`, payload: 'x' }));
  assert.equal(wrongRegion.code, 'ResourceNotFound');
});

test('a missing log group fails without retry (EventBridge sends such events straight to the DLQ)', async () => {
  const error = await invokeError(invokers.invoke({ arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/missing:*`, payload: event('e-missing') }));
  assert.equal(error.code, 'ResourceNotFound');
  assert.equal(error.retryable, false);
  assert.match(error.message, /\/aws\/events\/missing/);
});

test('an event the batch rules reject (older than 14 days) fails without retry', async () => {
  const error = await invokeError(invokers.invoke({ arn: ARN, payload: event('e-old', '2026-02-01T00:00:00Z') }));
  assert.equal(error.code, 'TargetFailure');
  assert.equal(error.retryable, false);
});

test('an invalid stream name is refused without retry', async () => {
  const error = await invokeError(invokers.invoke({ arn: ARN, payload: 'x', parameters: { logStreamName: 'a:b' } }));
  assert.equal(error.code, 'InvalidParameter');
  assert.equal(error.retryable, false);
});

test('an ARN that is no log group is refused', async () => {
  const error = await invokeError(invokers.invoke({ arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:`, payload: 'x' }));
  assert.equal(error.retryable, false);
});
