/**
 * EventBridge rules and targets through @aws-sdk/client-eventbridge (AWS JSON 1.1): PutRule,
 * DescribeRule, ListRules, DeleteRule, EnableRule / DisableRule, ListRuleNamesByTarget,
 * PutTargets, RemoveTargets and ListTargetsByRule — the good paths and every bad input the API
 * names.
 *
 * One server on a ManualClock (never advanced far, so schedule rules stay quiet). Every test
 * uses its own rule and bus names. Targets are ARNs only: delivery is tested elsewhere.
 *
 * Sources: /work/notes/eventbridge-facts.md (strings recorded against AWS in LocalStack's
 * snapshot files, tagged [R]/[T]; [D] the API Reference / User Guide; [S] moto/LocalStack where
 * AWS is not recorded) and /work/notes/eventbridge-model.md (botocore's events 2015-10-07 model).
 * The tag of the fact a test pins is named next to it.
 */
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { ACCOUNT, busArnOf, oneValidationError, queueArnOf, rejects, ruleArnOf, unique } from '../support/eventbridge.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PATTERN = JSON.stringify({ source: ['app'] });

let server: TestServer;
let eb: EventBridgeClient;

before(async () => {
  server = await startTestServer({ clock: new ManualClock() });
  eb = server.client(EventBridgeClient);
});
after(() => server.stop());

async function createBus(name: string): Promise<void> {
  await eb.send(new CreateEventBusCommand({ Name: name }));
}

async function rule(name: string, bus?: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await eb.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: PATTERN, ...extra }))).RuleArn!;
}

const targets = (...ids: string[]): Target[] => ids.map((Id) => ({ Id, Arn: queueArnOf(`q-${Id}`) }));

async function putTargets(ruleName: string, list: Target[], bus?: string) {
  return eb.send(new PutTargetsCommand({ Rule: ruleName, EventBusName: bus, Targets: list }));
}

async function listTargets(ruleName: string, bus?: string): Promise<Target[]> {
  return (await eb.send(new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: bus }))).Targets!;
}

const body = <T extends { $metadata: unknown }>(out: T): Omit<T, '$metadata'> => {
  const { $metadata, ...rest } = out;
  return rest;
};

// ── PutRule ──────────────────────────────────────────────────────────────────────────────

describe('PutRule', () => {
  test('answers the rule ARN: rule/NAME on default, rule/BUS/NAME on a custom bus [R]', async () => {
    const name = unique('arn');
    const out = await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    assert.deepEqual(body(out), { RuleArn: ruleArnOf(name) });
    const bus = unique('arn-bus');
    await createBus(bus);
    assert.equal(await rule(name, bus), ruleArnOf(name, bus));
    // A bus ARN names the bus too (EventBusNameOrArn).
    assert.equal(await rule('by-bus-arn', busArnOf(bus)), ruleArnOf('by-bus-arn', bus));
  });

  test('putting a rule again keeps its ARN and its targets [R]', async () => {
    const name = unique('upsert');
    const arn = await rule(name);
    await putTargets(name, targets('t1', 't2'));
    assert.equal(await rule(name, undefined, { EventPattern: JSON.stringify({ source: ['other'] }) }), arn);
    assert.deepEqual((await listTargets(name)).map((t) => t.Id), ['t1', 't2']);
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).EventPattern, JSON.stringify({ source: ['other'] }));
  });

  test('an update replaces every field: what is left out is gone and State falls back to ENABLED [D]', async () => {
    const name = unique('replace');
    await rule(name, undefined, { Description: 'first', State: 'DISABLED', RoleArn: 'arn:aws:iam::000000000000:role/r' });
    const first = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(first.Description, 'first');
    assert.equal(first.State, 'DISABLED');
    assert.equal(first.RoleArn, 'arn:aws:iam::000000000000:role/r');
    await rule(name);
    const second = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(second.State, 'ENABLED');
    assert.equal('Description' in second, false);
    assert.equal('RoleArn' in second, false);
  });

  test('a schedule expression is only for the default bus [R]', async () => {
    const bus = unique('sched-bus');
    await createBus(bus);
    await rejects(
      eb.send(new PutRuleCommand({ Name: 'sched', EventBusName: bus, ScheduleExpression: 'rate(1 minute)' })),
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
  });

  test('each recorded invalid schedule expression is "Parameter ScheduleExpression is not valid." [T]', async () => {
    const invalid = [
      'rate(10 seconds)', 'rate(10 years)',
      'rate(1 minutes)', 'rate(1 hours)', 'rate(1 days)',
      'rate(10 minute)', 'rate(10 hour)', 'rate(10 day)',
      'rate()', 'rate(10)', 'rate(10 minutess)', 'rate(foo minutes)', 'rate(0 minutes)', 'rate(-10 minutes)',
      'rate(10 MINUTES)', 'rate( 10 minutes )', ' rate(10 minutes)',
    ];
    for (const expression of invalid) {
      await rejects(eb.send(new PutRuleCommand({ Name: unique('bad-sched'), ScheduleExpression: expression })), 'ValidationException', 'Parameter ScheduleExpression is not valid.');
    }
  });

  test('each recorded valid schedule expression is accepted and ListRules echoes it instead of EventPattern [T]/[R]', async () => {
    const valid = [
      'rate(1 minute)', 'rate(1 hour)', 'rate(1 day)', 'rate(5 minutes)',
      'cron(0 10 * * ? *)', 'cron(15 12 * * ? *)', 'cron(0 18 ? * MON-FRI *)', 'cron(0 8 1 * ? *)',
      'cron(0/15 * * * ? *)', 'cron(0/10 * ? * MON-FRI *)', 'cron(0/5 8-17 ? * MON-FRI *)',
      'cron(0/30 20-23 ? * MON-FRI *)', 'cron(0/30 0-2 ? * MON-FRI *)',
    ];
    const prefix = unique('good-sched');
    for (const [i, expression] of valid.entries()) {
      await eb.send(new PutRuleCommand({ Name: `${prefix}-${String(i).padStart(2, '0')}`, ScheduleExpression: expression, State: 'DISABLED' }));
    }
    const listed = (await eb.send(new ListRulesCommand({ NamePrefix: prefix }))).Rules!;
    assert.deepEqual(listed.map((r) => r.ScheduleExpression), valid);
    assert.ok(listed.every((r) => !('EventPattern' in r)));
    for (const r of listed) await eb.send(new DeleteRuleCommand({ Name: r.Name }));
  });

  test('an invalid EventPattern is InvalidEventPatternException with the TestEventPattern messages (inferred from §5)', async () => {
    const cases: [string, RegExp | string][] = [
      ['{"int": 42}', 'Event pattern is not valid. Reason: "int" must be an object or an array'],
      ['{"resources": []}', 'Event pattern is not valid. Reason: Empty arrays are not allowed'],
      // AWS words JSON syntax errors as Jackson does; Stratus's wording differs (see put-events-test-pattern.test.ts).
      ['this is valid json but not a dict', /^Event pattern is not valid\. Reason: /],
      ['{"my_key":[{"EXISTS":true}]}', 'Event pattern is not valid. Reason: Unrecognized match type EXISTS'],
    ];
    for (const [pattern, message] of cases) {
      await rejects(eb.send(new PutRuleCommand({ Name: unique('bad-pattern'), EventPattern: pattern })), 'InvalidEventPatternException', message);
    }
  });

  test('neither EventPattern nor ScheduleExpression is ValidationException [S]', async () => {
    const message = 'Parameter(s) EventPattern or ScheduleExpression must be specified.';
    await rejects(eb.send(new PutRuleCommand({ Name: unique('empty') })), 'ValidationException', message);
    await rejects(eb.send(new PutRuleCommand({ Name: unique('empty'), EventPattern: '', ScheduleExpression: '' })), 'ValidationException', message);
  });

  test('State ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is kept as given (model enum)', async () => {
    const name = unique('cloudtrail');
    await rule(name, undefined, { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' });
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  test('a missing bus is ResourceNotFoundException [S]', async () => {
    await rejects(eb.send(new PutRuleCommand({ Name: 'r', EventBusName: 'no-bus', EventPattern: PATTERN })), 'ResourceNotFoundException', 'Event bus no-bus does not exist.');
  });

  test('members outside the model are ValidationException in the Coral format', async () => {
    const long = 'r'.repeat(65);
    await rejects(eb.send(new PutRuleCommand({ Name: long, EventPattern: PATTERN })), 'ValidationException', oneValidationError(long, 'name', 'Member must have length less than or equal to 64'));
    await rejects(
      eb.send(new PutRuleCommand({ Name: 'has/slash', EventPattern: PATTERN })),
      'ValidationException',
      oneValidationError('has/slash', 'name', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+'),
    );
    await rejects(
      eb.send(new PutRuleCommand({ Name: unique('state'), EventPattern: PATTERN, State: 'ON' as never })),
      'ValidationException',
      oneValidationError('ON', 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]'),
    );
    const description = 'd'.repeat(513);
    await rejects(
      eb.send(new PutRuleCommand({ Name: unique('desc'), EventPattern: PATTERN, Description: description })),
      'ValidationException',
      oneValidationError(description, 'description', 'Member must have length less than or equal to 512'),
    );
    const bigPattern = JSON.stringify({ source: ['x'.repeat(4090)] });
    await rejects(eb.send(new PutRuleCommand({ Name: unique('big'), EventPattern: bigPattern })), 'ValidationException', oneValidationError(bigPattern, 'eventPattern', 'Member must have length less than or equal to 4096'));
  });

  test('300 rules per bus; the 301st is LimitExceededException, an update of an existing one is not', async () => {
    const bus = unique('limit-bus');
    await createBus(bus);
    for (let i = 0; i < 300; i++) await eb.send(new PutRuleCommand({ Name: `r${i}`, EventBusName: bus, EventPattern: PATTERN }));
    await rejects(eb.send(new PutRuleCommand({ Name: 'r300', EventBusName: bus, EventPattern: PATTERN })), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    await eb.send(new PutRuleCommand({ Name: 'r0', EventBusName: bus, EventPattern: JSON.stringify({ source: ['changed'] }) }));
    await eb.send(new DeleteRuleCommand({ Name: 'r1', EventBusName: bus }));
    await eb.send(new PutRuleCommand({ Name: 'r300', EventBusName: bus, EventPattern: PATTERN }));
  });
});

// ── DescribeRule ─────────────────────────────────────────────────────────────────────────

describe('DescribeRule', () => {
  test('a pattern rule on default: exactly Arn, CreatedBy, EventBusName, EventPattern, Name, State [R]', async () => {
    const name = unique('describe');
    // The pattern is echoed as sent: key order and spacing kept.
    const pattern = '{"source": ["b", "a"], "detail-type": ["x"]}';
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: pattern }));
    assert.deepEqual(body(await eb.send(new DescribeRuleCommand({ Name: name }))), {
      Arn: ruleArnOf(name),
      CreatedBy: ACCOUNT,
      EventBusName: 'default',
      EventPattern: pattern,
      Name: name,
      State: 'ENABLED',
    });
  });

  test('a schedule rule and a rule on a custom bus (named by name and by ARN)', async () => {
    const name = unique('describe-sched');
    await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 day)', State: 'DISABLED', Description: 'nightly' }));
    const sched = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(sched.ScheduleExpression, 'rate(1 day)');
    assert.equal(sched.Description, 'nightly');
    assert.equal('EventPattern' in sched, false);
    const bus = unique('describe-bus');
    await createBus(bus);
    await rule('r', bus);
    for (const ref of [bus, busArnOf(bus)]) {
      const out = await eb.send(new DescribeRuleCommand({ Name: 'r', EventBusName: ref }));
      assert.equal(out.EventBusName, bus);
      assert.equal(out.Arn, ruleArnOf('r', bus));
    }
  });

  test('DisableRule and EnableRule flip State and answer an empty body [R]', async () => {
    const name = unique('flip');
    await rule(name);
    const disabled = await eb.send(new DisableRuleCommand({ Name: name }));
    assert.deepEqual(body(disabled), {});
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, 'ENABLED');
  });

  test('a missing rule is ResourceNotFoundException naming the bus; a missing bus names the bus [R]/[S]', async () => {
    await rejects(eb.send(new DescribeRuleCommand({ Name: 'ghost' })), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
    const bus = unique('describe-missing');
    await createBus(bus);
    await rejects(eb.send(new DescribeRuleCommand({ Name: 'ghost', EventBusName: bus })), 'ResourceNotFoundException', `Rule ghost does not exist on EventBus ${bus}.`);
    await rejects(eb.send(new DescribeRuleCommand({ Name: 'ghost', EventBusName: 'no-bus' })), 'ResourceNotFoundException', 'Event bus no-bus does not exist.');
  });

  test('EnableRule and DisableRule on a missing rule are ResourceNotFoundException [S]', async () => {
    const bus = unique('enable-missing');
    await createBus(bus);
    for (const Command of [EnableRuleCommand, DisableRuleCommand]) {
      await rejects(eb.send(new Command({ Name: 'ghost' })), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
      await rejects(eb.send(new Command({ Name: 'ghost', EventBusName: bus })), 'ResourceNotFoundException', `Rule ghost does not exist on EventBus ${bus}.`);
    }
  });
});

// ── ListRules ────────────────────────────────────────────────────────────────────────────

describe('ListRules', () => {
  test('NamePrefix and paging: 6 rules, Limit=3 gives 3 and a token, Limit=5 gives 3 and none [R]', async () => {
    const prefix = unique('list');
    for (let i = 0; i < 6; i++) await rule(`${prefix}-${i}`);
    const first = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 3 }));
    assert.deepEqual(first.Rules!.map((r) => r.Name), [0, 1, 2].map((i) => `${prefix}-${i}`));
    assert.ok(first.NextToken);
    const second = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 5, NextToken: first.NextToken }));
    assert.deepEqual(second.Rules!.map((r) => r.Name), [3, 4, 5].map((i) => `${prefix}-${i}`));
    assert.equal(second.NextToken, undefined);
    // Entries: Arn, EventBusName, EventPattern, Name, State, and no CreatedBy [R].
    assert.deepEqual(first.Rules![0], { Arn: ruleArnOf(`${prefix}-0`), EventBusName: 'default', EventPattern: PATTERN, Name: `${prefix}-0`, State: 'ENABLED' });
  });

  test('a bus with no rules lists {"Rules": []}; a missing bus is ResourceNotFoundException [R]', async () => {
    const bus = unique('list-empty');
    await createBus(bus);
    const out = await eb.send(new ListRulesCommand({ EventBusName: bus }));
    assert.deepEqual(body(out), { Rules: [] });
    await rejects(eb.send(new ListRulesCommand({ EventBusName: 'no-bus' })), 'ResourceNotFoundException', 'Event bus no-bus does not exist.');
  });

  test('rules of one bus are not listed on another', async () => {
    const bus = unique('list-bus');
    await createBus(bus);
    const name = unique('only-on-custom');
    await rule(name, bus);
    assert.deepEqual((await eb.send(new ListRulesCommand({ NamePrefix: name }))).Rules, []);
    assert.equal((await eb.send(new ListRulesCommand({ NamePrefix: name, EventBusName: bus }))).Rules!.length, 1);
  });

  test('Limit outside 1..100 is ValidationException', async () => {
    await rejects(eb.send(new ListRulesCommand({ Limit: 0 })), 'ValidationException', oneValidationError('0', 'limit', 'Member must have value greater than or equal to 1'));
  });
});

// ── DeleteRule ───────────────────────────────────────────────────────────────────────────

describe('DeleteRule', () => {
  test('a rule with targets cannot be deleted; without them it goes [R]', async () => {
    const name = unique('delete');
    await rule(name);
    await putTargets(name, targets('t'));
    await rejects(eb.send(new DeleteRuleCommand({ Name: name })), 'ValidationException', "Rule can't be deleted since it has targets.");
    await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t'] }));
    const out = await eb.send(new DeleteRuleCommand({ Name: name }));
    assert.deepEqual(body(out), {});
    assert.deepEqual((await eb.send(new ListRulesCommand({ NamePrefix: name }))).Rules, []);
  });

  test('deleting a missing rule succeeds [S]', async () => {
    await eb.send(new DeleteRuleCommand({ Name: 'never-there' }));
  });

  test('a rule deleted on a custom bus is gone only there', async () => {
    const bus = unique('delete-bus');
    await createBus(bus);
    const name = unique('twin');
    await rule(name);
    await rule(name, bus);
    await eb.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
    await rejects(eb.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })), 'ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).Name, name);
  });
});

// ── ListRuleNamesByTarget ────────────────────────────────────────────────────────────────

describe('ListRuleNamesByTarget', () => {
  test('names the rules of the bus whose targets include the ARN, in name order, paged', async () => {
    const arn = queueArnOf(unique('shared-target'));
    const prefix = unique('by-target');
    for (const n of ['c', 'a', 'b']) {
      await rule(`${prefix}-${n}`);
      await putTargets(`${prefix}-${n}`, [{ Id: 't', Arn: arn }]);
    }
    await rule(`${prefix}-other`);
    await putTargets(`${prefix}-other`, targets('t'));
    const all = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn }));
    assert.deepEqual(all.RuleNames, ['a', 'b', 'c'].map((n) => `${prefix}-${n}`));
    const first = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, Limit: 2 }));
    assert.deepEqual(first.RuleNames, [`${prefix}-a`, `${prefix}-b`]);
    const second = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, Limit: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.RuleNames, [`${prefix}-c`]);
    assert.equal(second.NextToken, undefined);
  });

  test('per bus; an unknown target lists nothing; a missing bus is ResourceNotFoundException', async () => {
    const bus = unique('by-target-bus');
    await createBus(bus);
    const arn = queueArnOf(unique('custom-target'));
    await rule('r', bus);
    await putTargets('r', [{ Id: 't', Arn: arn }], bus);
    assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn }))).RuleNames, []);
    assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus }))).RuleNames, ['r']);
    await rejects(eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: 'no-bus' })), 'ResourceNotFoundException', 'Event bus no-bus does not exist.');
  });
});

// ── PutTargets ───────────────────────────────────────────────────────────────────────────

describe('PutTargets', () => {
  test('success is {"FailedEntries": [], "FailedEntryCount": 0} [R]', async () => {
    const name = unique('put');
    await rule(name);
    assert.deepEqual(body(await putTargets(name, targets('a'))), { FailedEntries: [], FailedEntryCount: 0 });
  });

  test('five targets per rule: a sixth, or seven in one call, is LimitExceededException [R]', async () => {
    const name = unique('five');
    await rule(name);
    await rejects(putTargets(name, targets('1', '2', '3', '4', '5', '6', '7')), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    assert.deepEqual(await listTargets(name), []);
    await putTargets(name, targets('1', '2', '3'));
    await putTargets(name, targets('4', '5'));
    // Putting an existing id again replaces it and is not a sixth target.
    await putTargets(name, [{ Id: '1', Arn: queueArnOf('replaced') }]);
    await rejects(putTargets(name, targets('6')), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    assert.equal((await listTargets(name)).length, 5);
  });

  test('an Id outside the model rejects the whole request with the targets.N.member.id path [R]', async () => {
    const name = unique('bad-id');
    await rule(name);
    await rejects(
      putTargets(name, [{ Id: '!@#$@!#$', Arn: queueArnOf('q') }]),
      'ValidationException',
      oneValidationError('!@#$@!#$', 'targets.1.member.id', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+'),
    );
    const long = 'x'.repeat(65);
    await rejects(putTargets(name, [{ Id: long, Arn: queueArnOf('q') }]), 'ValidationException', oneValidationError(long, 'targets.1.member.id', 'Member must have length less than or equal to 64'));
    // The index is 1-based and names the offending entry.
    await rejects(
      putTargets(name, [...targets('ok'), { Id: 'not ok', Arn: queueArnOf('q') }]),
      'ValidationException',
      oneValidationError('not ok', 'targets.2.member.id', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+'),
    );
    assert.deepEqual(await listTargets(name), []);
    assert.equal((await putTargets(name, targets('test-With_valid.Characters-xxxx'))).FailedEntryCount, 0);
  });

  test('more than one of Input, InputPath and InputTransformer is refused [R]', async () => {
    const name = unique('exclusive');
    await rule(name);
    const arn = queueArnOf('q');
    const message = 'Only one of Input, InputPath, or InputTransformer must be provided for target t.';
    await rejects(putTargets(name, [{ Id: 't', Arn: arn, Input: '{}', InputPath: '$.detail' }]), 'ValidationException', message);
    await rejects(putTargets(name, [{ Id: 't', Arn: arn, Input: '{}', InputTransformer: { InputTemplate: '"x"' } }]), 'ValidationException', message);
    await rejects(putTargets(name, [{ Id: 't', Arn: arn, InputPath: '$.detail', InputTransformer: { InputTemplate: '"x"' } }]), 'ValidationException', message);
  });

  test('an InputTemplate placeholder missing from InputPathsMap is refused; predefined ones need no map [R]', async () => {
    const name = unique('placeholder');
    await rule(name);
    await rejects(
      putTargets(name, [
        {
          Id: 't',
          Arn: queueArnOf('q'),
          InputTransformer: { InputPathsMap: { 'detail-type': '$.detail-type' }, InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"' },
        },
      ]),
      'ValidationException',
      'InputTemplate for target t contains invalid placeholder notdefinedkey.',
    );
    await putTargets(name, [
      { Id: 'p', Arn: queueArnOf('q'), InputTransformer: { InputTemplate: '"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"' } },
    ]);
  });

  test('a FIFO queue target needs SqsParameters.MessageGroupId [S]', async () => {
    const name = unique('fifo');
    await rule(name);
    const arn = queueArnOf('orders.fifo');
    await rejects(putTargets(name, [{ Id: 'f', Arn: arn }]), 'ValidationException', 'Parameter(s) SqsParameters must be specified for target: f.');
    await putTargets(name, [{ Id: 'f', Arn: arn, SqsParameters: { MessageGroupId: 'g' } }]);
  });

  test('a target ARN that is not an ARN is refused [S]', async () => {
    const name = unique('bad-arn');
    await rule(name);
    await rejects(putTargets(name, [{ Id: 't', Arn: 'not-an-arn' }]), 'ValidationException', 'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.');
  });

  test('a dead-letter queue must be a standard SQS queue [D]', async () => {
    const name = unique('dlq');
    await rule(name);
    await rejects(
      putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), DeadLetterConfig: { Arn: queueArnOf('dlq.fifo') } }]),
      'ValidationException',
      'SQS FIFO is not supported by Dead Letter Queues.',
    );
    await rejects(putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic' } }]), 'ValidationException');
    await putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), DeadLetterConfig: { Arn: queueArnOf('dlq') } }]);
  });

  test('RetryPolicy bounds: MaximumRetryAttempts 0..185, MaximumEventAgeInSeconds 60..86400 [D]', async () => {
    const name = unique('retry');
    await rule(name);
    const path = 'targets.1.member.retryPolicy';
    const cases: [Record<string, number>, string][] = [
      [{ MaximumRetryAttempts: 186 }, oneValidationError('186', `${path}.maximumRetryAttempts`, 'Member must have value less than or equal to 185')],
      [{ MaximumRetryAttempts: -1 }, oneValidationError('-1', `${path}.maximumRetryAttempts`, 'Member must have value greater than or equal to 0')],
      [{ MaximumEventAgeInSeconds: 59 }, oneValidationError('59', `${path}.maximumEventAgeInSeconds`, 'Member must have value greater than or equal to 60')],
      [{ MaximumEventAgeInSeconds: 86401 }, oneValidationError('86401', `${path}.maximumEventAgeInSeconds`, 'Member must have value less than or equal to 86400')],
    ];
    for (const [RetryPolicy, message] of cases) await rejects(putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), RetryPolicy }]), 'ValidationException', message);
    await putTargets(name, [{ Id: 'lo', Arn: queueArnOf('q'), RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } }]);
    await putTargets(name, [{ Id: 'hi', Arn: queueArnOf('q'), RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } }]);
  });

  test('a constant Input must be JSON; InputPath must be a JSONPath', async () => {
    const name = unique('input-json');
    await rule(name);
    await rejects(putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), Input: '{not json' }]), 'ValidationException', /^JSON syntax error in input for target t: /);
    await rejects(putTargets(name, [{ Id: 't', Arn: queueArnOf('q'), InputPath: 'detail' }]), 'ValidationException', 'InputPath for target t is invalid.');
  });

  test('a missing rule or bus is ResourceNotFoundException [S]', async () => {
    await rejects(putTargets('ghost', targets('t')), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
    await rejects(putTargets('ghost', targets('t'), 'no-bus'), 'ResourceNotFoundException', 'Event bus no-bus does not exist.');
  });

  test('the same Id twice in one call keeps the last definition', async () => {
    const name = unique('dup-ids');
    await rule(name);
    await putTargets(name, [{ Id: 't', Arn: queueArnOf('first') }, { Id: 't', Arn: queueArnOf('second') }]);
    assert.deepEqual(await listTargets(name), [{ Id: 't', Arn: queueArnOf('second') }]);
  });

  test('an empty Targets list is ValidationException (model: 1..100)', async () => {
    const name = unique('empty-targets');
    await rule(name);
    await rejects(putTargets(name, []), 'ValidationException', oneValidationError('[]', 'targets', 'Member must have length greater than or equal to 1'));
  });
});

// ── RemoveTargets ────────────────────────────────────────────────────────────────────────

describe('RemoveTargets', () => {
  test('removes the named targets and answers {"FailedEntries": [], "FailedEntryCount": 0} [R]', async () => {
    const name = unique('remove');
    await rule(name);
    await putTargets(name, targets('a', 'b'));
    const out = await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['a', 'b'] }));
    assert.deepEqual(body(out), { FailedEntries: [], FailedEntryCount: 0 });
    assert.deepEqual(body(await eb.send(new ListTargetsByRuleCommand({ Rule: name }))), { Targets: [] });
  });

  test('an unknown id is a FailedEntry; the known ones still go [S]', async () => {
    const name = unique('remove-unknown');
    await rule(name);
    await putTargets(name, targets('a', 'b'));
    const out = await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['a', 'zz'] }));
    assert.equal(out.FailedEntryCount, 1);
    assert.deepEqual(out.FailedEntries, [{ TargetId: 'zz', ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Rule '${name}' does not have a target with the Id 'zz'.` }]);
    assert.deepEqual((await listTargets(name)).map((t) => t.Id), ['b']);
  });

  test('a missing rule is ResourceNotFoundException; bad ids are ValidationException', async () => {
    await rejects(eb.send(new RemoveTargetsCommand({ Rule: 'ghost', Ids: ['a'] })), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
    const name = unique('remove-bad');
    await rule(name);
    await rejects(
      eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['bad id'] })),
      'ValidationException',
      oneValidationError('bad id', 'ids.1.member', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+'),
    );
    await rejects(eb.send(new RemoveTargetsCommand({ Rule: name, Ids: [] })), 'ValidationException', oneValidationError('[]', 'ids', 'Member must have length greater than or equal to 1'));
  });
});

// ── ListTargetsByRule ────────────────────────────────────────────────────────────────────

describe('ListTargetsByRule', () => {
  test('in the order first put, paged: 5 targets, Limit=3 gives 3 and a token, then 2 and none [R]', async () => {
    const name = unique('list-targets');
    await rule(name);
    await putTargets(name, targets('t0', 't1'));
    await putTargets(name, targets('t2', 't3', 't4'));
    // Replacing t1 keeps its place.
    await putTargets(name, [{ Id: 't1', Arn: queueArnOf('moved') }]);
    const first = await eb.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 3 }));
    assert.deepEqual(first.Targets!.map((t) => t.Id), ['t0', 't1', 't2']);
    assert.equal(first.Targets![1].Arn, queueArnOf('moved'));
    assert.ok(first.NextToken);
    const second = await eb.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 3, NextToken: first.NextToken }));
    assert.deepEqual(second.Targets!.map((t) => t.Id), ['t3', 't4']);
    assert.equal(second.NextToken, undefined);
  });

  test('each target is listed back as given: only the members that were set [R]', async () => {
    const name = unique('as-given');
    await rule(name);
    const given: Target[] = [
      { Id: 'plain', Arn: queueArnOf('q') },
      { Id: 'input', Arn: queueArnOf('q'), Input: '{"custom-value": "somecustominput"}' },
      { Id: 'path', Arn: queueArnOf('q'), InputPath: '$.detail', RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: queueArnOf('dlq') } },
      {
        Id: 'transform',
        Arn: queueArnOf('q.fifo'),
        InputTransformer: { InputPathsMap: { command: '$.detail.command' }, InputTemplate: '{"command": <command>}' },
        SqsParameters: { MessageGroupId: 'g1' },
      },
      { Id: 'bus', Arn: busArnOf('default', '111111111111'), RoleArn: 'arn:aws:iam::000000000000:role/events' },
    ];
    await putTargets(name, given);
    assert.deepEqual(await listTargets(name), given);
    // Service parameters Stratus does not act on are stored and listed back too.
    const more = unique('as-given-more');
    await rule(more);
    const others: Target[] = [
      { Id: 'kinesis', Arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', RoleArn: 'arn:aws:iam::000000000000:role/r', KinesisParameters: { PartitionKeyPath: '$.detail-type' } },
      {
        Id: 'http',
        Arn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/test/POST/*',
        HttpParameters: { PathParameterValues: ['p'], HeaderParameters: { 'x-h': 'v' }, QueryStringParameters: { q: '1' } },
      },
      { Id: 'ecs', Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c', RoleArn: 'arn:aws:iam::000000000000:role/r', EcsParameters: { TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/t:1', TaskCount: 2 } },
    ];
    await putTargets(more, others);
    assert.deepEqual(await listTargets(more), others);
  });

  test('a NextToken that is not one of ours is ValidationException (ListTargetsByRule, ListRules, ListRuleNamesByTarget)', async () => {
    const name = unique('token');
    await rule(name);
    await rejects(eb.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: 'garbage' })), 'ValidationException');
    await rejects(eb.send(new ListRulesCommand({ NextToken: 'garbage' })), 'ValidationException');
    await rejects(eb.send(new ListRuleNamesByTargetCommand({ TargetArn: queueArnOf('q'), NextToken: 'garbage' })), 'ValidationException');
  });

  test('a missing rule is ResourceNotFoundException, on default and on a custom bus [S]', async () => {
    await rejects(eb.send(new ListTargetsByRuleCommand({ Rule: 'ghost' })), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
    const bus = unique('list-targets-bus');
    await createBus(bus);
    await rejects(eb.send(new ListTargetsByRuleCommand({ Rule: 'ghost', EventBusName: bus })), 'ResourceNotFoundException', `Rule ghost does not exist on EventBus ${bus}.`);
  });

  test('targets of a rule on a custom bus are that rule\'s only', async () => {
    const bus = unique('targets-bus');
    await createBus(bus);
    const name = unique('same-name');
    await rule(name);
    await rule(name, bus);
    await putTargets(name, targets('on-custom'), bus);
    assert.deepEqual(await listTargets(name), []);
    assert.deepEqual((await listTargets(name, bus)).map((t) => t.Id), ['on-custom']);
  });
});

describe('PutTargets: targets reached through a role', () => {
  test('a state machine (and a Kinesis stream, an ECS cluster, a CodeBuild project, a pipeline) without RoleArn is ValidationException', async () => {
    const name = unique('needs-role');
    await rule(name);
    for (const arn of [
      'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow',
      'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      'arn:aws:ecs:us-east-1:000000000000:cluster/c',
      'arn:aws:codebuild:us-east-1:000000000000:project/p',
      'arn:aws:codepipeline:us-east-1:000000000000:MyPipeline',
    ]) {
      const error = await putTargets(name, [{ Id: 't', Arn: arn }]).then(
        () => assert.fail(`PutTargets of ${arn} without RoleArn succeeded`),
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      );
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, `RoleArn is required for target ${arn}.`);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    assert.deepEqual(await listTargets(name), []);
    const withRole: Target[] = [{ Id: 'sm', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow', RoleArn: 'arn:aws:iam::000000000000:role/events' }];
    await putTargets(name, withRole);
    assert.deepEqual(await listTargets(name), withRole);
  });
});
