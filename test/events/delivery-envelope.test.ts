/**
 * The default envelope as an SQS target receives it, through the unmodified SDK: exact body text
 * (facts §7 "Default envelope" [R], §4 "Event time" [T]), event ids (§4 [R]), routing of several
 * entries, rule state and pattern changes, and a 500-event hot-path sanity check.
 */
import {
  DisableRuleCommand,
  EnableRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  CreateEventBusCommand,
  RemoveTargetsCommand,
  DeleteRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, assertEmpty, createQueue, idle, receive, receiveOne, TIME_FORMAT, type Account } from './delivery-support.js';

let server: TestServer;
let a: Account;
before(async () => {
  server = await startTestServer();
  a = account(server, '123456789012', 'eu-west-1');
});
after(() => server.stop());

let n = 0;
/** A queue and a rule (on `bus`) whose only target it is; `source` is unique per call. */
async function ruleToQueue(options: { bus?: string; pattern?: object } = {}) {
  const id = ++n;
  const source = `test.envelope.${id}`;
  const queue = await createQueue(a.sqs, `env-${id}`);
  const rule = await a.eb.send(
    new PutRuleCommand({ Name: `env-rule-${id}`, EventBusName: options.bus, EventPattern: JSON.stringify(options.pattern ?? { source: [source] }) }),
  );
  await a.eb.send(new PutTargetsCommand({ Rule: `env-rule-${id}`, EventBusName: options.bus, Targets: [{ Id: 'q', Arn: queue.arn }] }));
  return { queue, source, ruleName: `env-rule-${id}`, ruleArn: rule.RuleArn! };
}

test('the delivered body is the compact envelope, byte for byte, with AWS key order', async () => {
  const { queue, source } = await ruleToQueue();
  const detail = '{"command":null,"payload":"baz","n":[1,2.5,{"deep":true}]}';
  const out = await a.eb.send(
    new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'core.update-account-command', Detail: detail, Time: new Date(Date.UTC(2022, 0, 1, 0, 0, 0, 987)) }] }),
  );
  assert.equal(out.FailedEntryCount, 0);
  const id = out.Entries![0].EventId!;
  const m = await receiveOne(a.sqs, queue);
  assert.equal(
    m.Body,
    `{"version":"0","id":"${id}","detail-type":"core.update-account-command","source":"${source}","account":"123456789012",` +
      `"time":"2022-01-01T00:00:00Z","region":"eu-west-1","resources":[],"detail":${detail}}`,
  );
});

test('an entry\'s TraceHeader reaches an SQS target as the AWSTraceHeader system attribute', async () => {
  const { queue, source } = await ruleToQueue();
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'traced', Detail: '{}', TraceHeader: header }] }));
  const m = await receiveOne(a.sqs, queue);
  assert.equal(m.Attributes?.AWSTraceHeader, header);
});

test('a Detail with white space arrives compact, strings and numbers exactly as written', async () => {
  const { queue, source } = await ruleToQueue({ pattern: { source: [`test.envelope.${n + 1}`], detail: { a: [2] } } });
  const detail = '{ "a" : [ 1 , 2 ],\n\t"s": "keep  \\" spaces", "big": 12345678901234567890, "f": 1.50 }';
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: detail }] }));
  const body = (await receiveOne(a.sqs, queue)).Body!;
  assert.ok(body.endsWith(',"detail":{"a":[1,2],"s":"keep  \\" spaces","big":12345678901234567890,"f":1.50}}'), body);
});

test('resources are copied in order and null values in detail survive', async () => {
  const { queue, source } = await ruleToQueue();
  const resources = ['arn:aws:s3:::bucket-b', 'arn:aws:s3:::bucket-a'];
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{"command":null,"payload":"baz"}', Resources: resources }] }));
  const body = JSON.parse((await receiveOne(a.sqs, queue)).Body!);
  assert.deepEqual(body.resources, resources);
  assert.deepEqual(body.detail, { command: null, payload: 'baz' });
  assert.equal(Object.keys(body).join(','), 'version,id,detail-type,source,account,time,region,resources,detail');
});

test('the EventId PutEvents returns is the delivered id, and two targets receive the same id', async () => {
  const { queue, source, ruleName } = await ruleToQueue();
  const second = await createQueue(a.sqs, `env-second-${n}`);
  await a.eb.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'q2', Arn: second.arn }] }));
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  assert.equal(out.Entries!.length, 1);
  const [m1, m2] = [await receiveOne(a.sqs, queue), await receiveOne(a.sqs, second)];
  assert.equal(JSON.parse(m1.Body!).id, out.Entries![0].EventId);
  assert.equal(JSON.parse(m2.Body!).id, out.Entries![0].EventId);
  assert.equal(m1.Body, m2.Body);
});

test('without Time the event time is the ingestion time, to the second', async () => {
  const { queue, source } = await ruleToQueue();
  const before = Math.floor(Date.now() / 1000) * 1000;
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  const body = JSON.parse((await receiveOne(a.sqs, queue)).Body!);
  assert.match(body.time, TIME_FORMAT);
  const t = Date.parse(body.time);
  assert.ok(t >= before && t <= Date.now(), `${body.time} not within the call`);
});

test('several entries in one PutEvents are each routed by their own source and bus', async () => {
  await a.eb.send(new CreateEventBusCommand({ Name: 'env-custom' }));
  const r1 = await ruleToQueue();
  const r2 = await ruleToQueue();
  const r3 = await ruleToQueue({ bus: 'env-custom' });
  const out = await a.eb.send(
    new PutEventsCommand({
      Entries: [
        { Source: r1.source, DetailType: 't', Detail: '{"i":1}' },
        { Source: r2.source, DetailType: 't', Detail: '{"i":2}' },
        { Source: 'nobody.listens', DetailType: 't', Detail: '{"i":3}' },
        { Source: r3.source, DetailType: 't', Detail: '{"i":4}', EventBusName: 'env-custom' },
        { Source: r1.source, DetailType: 't', Detail: '{"i":5}' },
        { Source: r3.source, DetailType: 't', Detail: '{"i":6}' }, // default bus: r3's rule is on env-custom
      ],
    }),
  );
  assert.equal(out.FailedEntryCount, 0);
  const ids = out.Entries!.map((e) => e.EventId);
  const got1 = (await receive(a.sqs, r1.queue, 2)).map((m) => JSON.parse(m.Body!));
  assert.deepEqual(got1.map((b) => b.detail.i).sort(), [1, 5]);
  assert.deepEqual(got1.map((b) => b.id).sort(), [ids[0], ids[4]].sort());
  assert.deepEqual(JSON.parse((await receiveOne(a.sqs, r2.queue)).Body!).detail, { i: 2 });
  assert.equal(JSON.parse((await receiveOne(a.sqs, r3.queue)).Body!).id, ids[3]);
  await idle(server.stratus.runtime);
  for (const q of [r1.queue, r2.queue, r3.queue]) await assertEmpty(a.sqs, q);
});

test('a disabled rule delivers nothing; enabled again, it delivers', async () => {
  const { queue, source, ruleName } = await ruleToQueue();
  await a.eb.send(new DisableRuleCommand({ Name: ruleName }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{"phase":"disabled"}' }] }));
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
  await a.eb.send(new EnableRuleCommand({ Name: ruleName }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{"phase":"enabled"}' }] }));
  assert.deepEqual(JSON.parse((await receiveOne(a.sqs, queue)).Body!).detail, { phase: 'enabled' });
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
});

test('a rule created DISABLED delivers nothing until enabled', async () => {
  const queue = await createQueue(a.sqs, 'env-created-disabled');
  await a.eb.send(new PutRuleCommand({ Name: 'env-created-disabled', EventPattern: '{"source":["created.disabled"]}', State: 'DISABLED' }));
  await a.eb.send(new PutTargetsCommand({ Rule: 'env-created-disabled', Targets: [{ Id: 'q', Arn: queue.arn }] }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'created.disabled', DetailType: 't', Detail: '{}' }] }));
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
  await a.eb.send(new EnableRuleCommand({ Name: 'env-created-disabled' }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'created.disabled', DetailType: 't', Detail: '{}' }] }));
  await receiveOne(a.sqs, queue);
});

test('changing a rule pattern takes effect at once and keeps its targets', async () => {
  const { queue, source, ruleName } = await ruleToQueue();
  await a.eb.send(new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify({ source: [source], detail: { kind: ['b'] } }) }));
  await a.eb.send(
    new PutEventsCommand({
      Entries: [
        { Source: source, DetailType: 't', Detail: '{"kind":"a"}' },
        { Source: source, DetailType: 't', Detail: '{"kind":"b"}' },
      ],
    }),
  );
  assert.deepEqual(JSON.parse((await receiveOne(a.sqs, queue)).Body!).detail, { kind: 'b' });
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
});

test('events that match no rule are not delivered anywhere', async () => {
  const { queue, source } = await ruleToQueue({ pattern: { source: ['exact.match'], 'detail-type': ['wanted'] } });
  void source;
  await a.eb.send(
    new PutEventsCommand({
      Entries: [
        { Source: 'exact.match', DetailType: 'unwanted', Detail: '{}' },
        { Source: 'exact.matchx', DetailType: 'wanted', Detail: '{}' },
        { Source: 'exact.match', DetailType: 'wanted', Detail: '{}', EventBusName: 'no-such-bus' },
      ],
    }),
  );
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
});

test('a removed target and a deleted rule stop deliveries', async () => {
  const { queue, source, ruleName } = await ruleToQueue();
  await a.eb.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: ['q'] }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  await a.eb.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: 'q', Arn: queue.arn }] }));
  await a.eb.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: ['q'] }));
  await a.eb.send(new DeleteRuleCommand({ Name: ruleName }));
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
});

test('a deleted target queue does not fail PutEvents', async () => {
  // Facts §4 [R]: delivery failures never show in the PutEvents response.
  const { queue, source } = await ruleToQueue();
  await a.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
  const out = await a.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  assert.equal(out.FailedEntryCount, 0);
  assert.ok(out.Entries![0].EventId);
});

test('500 events in batches of 10 all arrive exactly once', async () => {
  const { queue, source } = await ruleToQueue();
  const sent = new Set<string>();
  const batches = Array.from({ length: 50 }, (_, b) =>
    a.eb.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, i) => ({ Source: source, DetailType: 'bulk', Detail: JSON.stringify({ n: b * 10 + i }) })) })),
  );
  for (const out of await Promise.all(batches)) {
    assert.equal(out.FailedEntryCount, 0);
    for (const e of out.Entries!) sent.add(e.EventId!);
  }
  assert.equal(sent.size, 500);
  const got = await receive(a.sqs, queue, 500, 15_000);
  const ids = got.map((m) => JSON.parse(m.Body!).id as string);
  assert.equal(new Set(ids).size, 500, 'duplicates delivered');
  assert.deepEqual(new Set(ids), sent);
  assert.deepEqual(new Set(got.map((m) => JSON.parse(m.Body!).detail.n)), new Set(Array.from({ length: 500 }, (_, i) => i)));
  await idle(server.stratus.runtime);
  await assertEmpty(a.sqs, queue);
});
