/**
 * Input, InputPath and InputTransformer end to end: every example recorded against AWS in the
 * facts (§7 "Input (constant)", "InputPath", "InputTransformer" [R]) through PutTargets, PutEvents
 * and an SQS queue, byte for byte.
 */
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { account, createQueue, receiveOne, TIME_FORMAT, type Account } from './delivery-support.js';

let server: TestServer;
let a: Account;
const BUS = 'inputs-bus';
before(async () => {
  server = await startTestServer();
  a = account(server, '111111111111', 'us-east-1');
  await a.eb.send(new CreateEventBusCommand({ Name: BUS }));
});
after(() => server.stop());

const DETAIL_TYPE = 'core.update-account-command';
const DETAIL = { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } };
const TIME = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
const TIME_TEXT = '2024-05-06T07:08:09Z';

let n = 0;
/**
 * Puts a rule on the custom bus with one queue target shaped by `target`, sends one event with
 * `detail`, and returns the delivered body with the rule's ARN and name and the event id.
 */
async function deliver(target: Partial<Target>, detail: object = DETAIL) {
  const id = ++n;
  const source = `test.inputs.${id}`;
  const queue = await createQueue(a.sqs, `inputs-${id}`);
  const ruleName = `inputs-rule-${id}`;
  const { RuleArn } = await a.eb.send(new PutRuleCommand({ Name: ruleName, EventBusName: BUS, EventPattern: JSON.stringify({ source: [source] }) }));
  await a.eb.send(new PutTargetsCommand({ Rule: ruleName, EventBusName: BUS, Targets: [{ Id: `t${id}`, Arn: queue.arn, ...target }] }));
  const out = await a.eb.send(
    new PutEventsCommand({ Entries: [{ Source: source, DetailType: DETAIL_TYPE, Detail: JSON.stringify(detail), EventBusName: BUS, Time: TIME }] }),
  );
  const body = (await receiveOne(a.sqs, queue)).Body!;
  return { body, ruleArn: RuleArn!, ruleName, eventId: out.Entries![0].EventId!, source };
}

test('a constant Input is delivered exactly as given', async () => {
  const { body } = await deliver({ Input: '{"custom-value": "somecustominput"}' });
  assert.equal(body, '{"custom-value": "somecustominput"}');
});

test('InputPath $.detail', async () => {
  assert.equal((await deliver({ InputPath: '$.detail' })).body, '{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}');
});

test('InputPath $.detail.payload', async () => {
  assert.equal((await deliver({ InputPath: '$.detail.payload' })).body, '{"acc_id":"0a787ecb-4015","sf_id":"baz"}');
});

test('InputPath $.detail.payload with a nested payload', async () => {
  const detail = { command: 'update-account', payload: { acc_id: '0a787ecb-4015', payload: { message: 'baz', id: '123' } } };
  assert.equal((await deliver({ InputPath: '$.detail.payload' }, detail)).body, '{"acc_id":"0a787ecb-4015","payload":{"message":"baz","id":"123"}}');
});

test('InputPath to a scalar delivers a JSON string with its quotes', async () => {
  assert.equal((await deliver({ InputPath: '$.detail.payload.sf_id' })).body, '"baz"');
});

test('InputPath $ delivers the whole envelope', async () => {
  const { body, eventId, source } = await deliver({ InputPath: '$' });
  assert.equal(
    body,
    `{"version":"0","id":"${eventId}","detail-type":"${DETAIL_TYPE}","source":"${source}","account":"111111111111","time":"${TIME_TEXT}",` +
      `"region":"us-east-1","resources":[],"detail":${JSON.stringify(DETAIL)}}`,
  );
});

test('two targets on one rule each receive their own shape', async () => {
  const queue1 = await createQueue(a.sqs, 'inputs-two-1');
  const queue2 = await createQueue(a.sqs, 'inputs-two-2');
  await a.eb.send(new PutRuleCommand({ Name: 'inputs-two', EventBusName: BUS, EventPattern: '{"source":["test.inputs.two"]}' }));
  await a.eb.send(
    new PutTargetsCommand({ Rule: 'inputs-two', EventBusName: BUS, Targets: [{ Id: 'a', Arn: queue1.arn, InputPath: '$.detail' }, { Id: 'b', Arn: queue2.arn }] }),
  );
  await a.eb.send(new PutEventsCommand({ Entries: [{ Source: 'test.inputs.two', DetailType: DETAIL_TYPE, Detail: JSON.stringify(DETAIL), EventBusName: BUS }] }));
  assert.equal((await receiveOne(a.sqs, queue1)).Body, JSON.stringify(DETAIL));
  assert.deepEqual(JSON.parse((await receiveOne(a.sqs, queue2)).Body!).detail, DETAIL);
});

const PATHS = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const PATHS_MISSING = { ...PATHS, command: '$.detail.notinmessage' };

const TRANSFORMER_CASES: { template: string; resolved: string; missing: string }[] = [
  {
    template: '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"',
    resolved: `"Event of ${DETAIL_TYPE} type, at time ${TIME_TEXT}, info extracted from detail update-account"`,
    missing: `"Event of ${DETAIL_TYPE} type, at time ${TIME_TEXT}, info extracted from detail "`,
  },
  {
    template: '"{[/Check with special starting characters for event of <detail-type> type"',
    resolved: `"{[/Check with special starting characters for event of ${DETAIL_TYPE} type"`,
    missing: `"{[/Check with special starting characters for event of ${DETAIL_TYPE} type"`,
  },
  {
    template: '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}',
    // The recorded outputs were parsed by the snapshot tool, so they say nothing of white space;
    // the JSON passed to the target is minified (User Guide, "Common issues with transforming input").
    resolved: `{"detailType":"${DETAIL_TYPE}","time":"${TIME_TEXT}","command":"update-account"}`,
    missing: `{"detailType":"${DETAIL_TYPE}","time":"${TIME_TEXT}","command":""}`,
  },
];

for (const [i, c] of TRANSFORMER_CASES.entries()) {
  test(`InputTransformer recorded case ${i + 1}, every path resolves`, async () => {
    const { body } = await deliver({ InputTransformer: { InputPathsMap: PATHS, InputTemplate: c.template } });
    assert.equal(body, c.resolved);
  });
  test(`InputTransformer recorded case ${i + 1}, a path the event lacks becomes empty`, async () => {
    const { body } = await deliver({ InputTransformer: { InputPathsMap: PATHS_MISSING, InputTemplate: c.template } });
    assert.equal(body, c.missing);
  });
}

test('predefined variables rule-arn, rule-name and ingestion-time (rule on a custom bus)', async () => {
  const started = Math.floor(Date.now() / 1000) * 1000;
  const { body, ruleArn, ruleName } = await deliver({
    InputTransformer: {
      InputTemplate: '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"',
    },
  });
  assert.equal(ruleArn, `arn:aws:events:us-east-1:111111111111:rule/${BUS}/${ruleName}`);
  const m = /^"Message containing all pre defined variables (\S+) (\S+) (\S+)"$/.exec(body);
  assert.ok(m, body);
  assert.equal(m[1], ruleArn);
  assert.equal(m[2], ruleName);
  assert.match(m[3], TIME_FORMAT);
  // Ingestion time is when EventBridge took the event in, not the event's given Time.
  assert.ok(Date.parse(m[3]) >= started && Date.parse(m[3]) <= Date.now(), m[3]);
});

test('<aws.events.event> (no detail, camelCase detailType, its own key order) and <aws.events.event.json>', async () => {
  const { body, eventId, source } = await deliver({
    InputTransformer: { InputTemplate: '{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}' },
  });
  const parsed = JSON.parse(body) as { originalEvent: Record<string, unknown>; originalEventJson: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed.originalEvent), ['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version']);
  assert.equal(parsed.originalEvent.id, eventId);
  assert.equal(parsed.originalEvent.account, '111111111111');
  assert.equal(parsed.originalEvent.detailType, DETAIL_TYPE);
  assert.equal(parsed.originalEvent.source, source);
  assert.equal(parsed.originalEvent.region, 'us-east-1');
  assert.deepEqual(parsed.originalEvent.resources, []);
  assert.equal(parsed.originalEvent.version, '0');
  assert.match(String(parsed.originalEvent.time), TIME_FORMAT);
  assert.ok(!('detail' in parsed.originalEvent));
  const envelope =
    `{"version":"0","id":"${eventId}","detail-type":"${DETAIL_TYPE}","source":"${source}","account":"111111111111","time":"${TIME_TEXT}",` +
    `"region":"us-east-1","resources":[],"detail":${JSON.stringify(DETAIL)}}`;
  assert.ok(body.endsWith(`"originalEventJson":${envelope}}`), body);
});

test('a JSON template substitutes numbers, objects and booleans as JSON, minified', async () => {
  const detail = { count: 3, flag: false, obj: { a: [1, null] }, text: 'x' };
  const { body } = await deliver(
    {
      InputTransformer: {
        InputPathsMap: { count: '$.detail.count', flag: '$.detail.flag', obj: '$.detail.obj', text: '$.detail.text' },
        InputTemplate: '{"c": <count>, "f": <flag>, "o": <obj>, "t": <text>, "s": "in <text> string"}',
      },
    },
    detail,
  );
  assert.equal(body, '{"c":3,"f":false,"o":{"a":[1,null]},"t":"x","s":"in x string"}');
});
