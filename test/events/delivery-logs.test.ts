/**
 * EventBridge rules with CloudWatch Logs log groups as targets, end to end through
 * @aws-sdk/client-eventbridge and -cloudwatch-logs: the event JSON lands in the group as a log
 * event at the event's time (User Guide, "CloudWatch Logs log group" targets); two targets on one
 * group give two streams holding the same event (recorded against AWS: localstack's scheduled-rule
 * logs snapshot); an InputTransformer's `{timestamp, message}` shape sets both; a missing group is
 * dead-lettered with NO_RESOURCE.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, createQueue, receive, sleep, type Account } from './delivery-support.js';

let server: TestServer;
let me: Account;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer({ config: { retryDelayScale: 0.001 } });
  me = account(server);
  logs = server.client(CloudWatchLogsClient);
});
after(() => server.stop());

async function groupArn(name: string): Promise<string> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups![0].arn!; // `...:log-group:NAME:*`, the form the console and AWS examples use
}

async function logEvents(group: string, count: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { events = [] } = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    if (events.length >= count) return events;
    if (Date.now() > deadline) assert.fail(`expected ${count} log events in ${group}, got ${events.length}`);
    await sleep(10);
  }
}

test('an event reaches a log group as its JSON, at the event time; two targets, two streams', async () => {
  const arn = await groupArn('/aws/events/orders');
  await me.eb.send(new PutRuleCommand({ Name: 'to-logs', EventPattern: JSON.stringify({ source: ['logs.test'] }) }));
  await me.eb.send(new PutTargetsCommand({ Rule: 'to-logs', Targets: [{ Id: 'a', Arn: arn }, { Id: 'b', Arn: arn.replace(/:\*$/, '') }] }));
  const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const out = await me.eb.send(new PutEventsCommand({ Entries: [{ Source: 'logs.test', DetailType: 'order', Detail: '{"n":1}', Time: time }] }));
  const events = await logEvents('/aws/events/orders', 2);
  assert.equal(events.length, 2);
  assert.notEqual(events[0].logStreamName, events[1].logStreamName);
  for (const e of events) {
    const body = JSON.parse(e.message!);
    assert.equal(body.id, out.Entries![0].EventId);
    assert.deepEqual(body.detail, { n: 1 });
    assert.equal(e.timestamp, time.getTime());
  }
});

test('an input transformer of {timestamp, message} sets the log event', async () => {
  const arn = await groupArn('/aws/events/transformed');
  await me.eb.send(new PutRuleCommand({ Name: 'to-logs-t', EventPattern: JSON.stringify({ source: ['logs.transform'] }) }));
  await me.eb.send(
    new PutTargetsCommand({
      Rule: 'to-logs-t',
      Targets: [
        {
          Id: 't',
          Arn: arn,
          InputTransformer: {
            InputPathsMap: { time: '$.time', id: '$.detail.id' },
            InputTemplate: '{"timestamp": <time>, "message": "order <id> placed"}',
          },
        },
      ],
    }),
  );
  const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
  await me.eb.send(new PutEventsCommand({ Entries: [{ Source: 'logs.transform', DetailType: 'order', Detail: '{"id":"o-7"}', Time: time }] }));
  const [event] = await logEvents('/aws/events/transformed', 1);
  assert.equal(event.message, 'order o-7 placed');
  assert.equal(event.timestamp, time.getTime());
});

test('a log group that does not exist: dead-lettered at once with NO_RESOURCE', async () => {
  const dlq = await createQueue(me.sqs, 'logs-dlq');
  await me.eb.send(new PutRuleCommand({ Name: 'to-missing-logs', EventPattern: JSON.stringify({ source: ['logs.missing'] }) }));
  await me.eb.send(
    new PutTargetsCommand({
      Rule: 'to-missing-logs',
      Targets: [{ Id: 'm', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/nope:*', DeadLetterConfig: { Arn: dlq.arn } }],
    }),
  );
  await me.eb.send(new PutEventsCommand({ Entries: [{ Source: 'logs.missing', DetailType: 'x', Detail: '{}' }] }));
  const [message] = await receive(me.sqs, dlq, 1);
  assert.equal(message.MessageAttributes!.ERROR_CODE.StringValue, 'NO_RESOURCE');
  assert.equal(message.MessageAttributes!.EXHAUSTED_RETRY_CONDITION, undefined);
});
