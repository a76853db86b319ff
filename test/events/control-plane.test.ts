/**
 * The EventBridge bus control plane through @aws-sdk/client-eventbridge (AWS JSON 1.1):
 * CreateEventBus, DescribeEventBus, UpdateEventBus, ListEventBuses, DeleteEventBus,
 * PutPermission / RemovePermission, TagResource / UntagResource / ListTagsForResource, and the
 * isolation of accounts and regions.
 *
 * One server on a ManualClock, so CreationTime and LastModifiedTime are exact. Every test uses
 * its own names.
 *
 * Sources: /work/notes/eventbridge-facts.md (strings recorded against AWS in LocalStack's
 * snapshot files, tagged [R]/[T]; [D] the API Reference; [S] moto/LocalStack where AWS is not
 * recorded) and /work/notes/eventbridge-model.md (botocore's events 2015-10-07 model: lengths,
 * patterns, enums). The tag of the fact a test pins is named next to it.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { ACCOUNT, busArnOf, oneValidationError, queueArnOf, rejects, ruleArnOf, unique } from '../support/eventbridge.js';
import { startTestServer, type TestServer } from '../support/server.js';

const OTHER_ACCOUNT = '111111111111';
const PATTERN = JSON.stringify({ source: ['app'] });

let server: TestServer;
let clock: ManualClock;
let eb: EventBridgeClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  eb = server.client(EventBridgeClient);
});
after(() => server.stop());

async function createBus(name: string, client = eb): Promise<string> {
  const out = await client.send(new CreateEventBusCommand({ Name: name }));
  return out.EventBusArn!;
}

const policyOf = async (name?: string): Promise<{ Version: string; Statement: Record<string, unknown>[] } | undefined> => {
  const out = await eb.send(new DescribeEventBusCommand({ Name: name }));
  return out.Policy === undefined ? undefined : JSON.parse(out.Policy);
};

const tagsOf = async (arn: string, client = eb) => (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;

// ── CreateEventBus ───────────────────────────────────────────────────────────────────────

describe('CreateEventBus', () => {
  test('answers the bus ARN and nothing else [R]', async () => {
    const name = unique('create');
    const out = await eb.send(new CreateEventBusCommand({ Name: name }));
    const { $metadata, ...body } = out;
    assert.equal($metadata.httpStatusCode, 200);
    assert.deepEqual(body, { EventBusArn: busArnOf(name) });
  });

  test('Tags given at creation are listed on the bus ARN in the order given [R]', async () => {
    const name = unique('create-tags');
    const arn = (await eb.send(new CreateEventBusCommand({ Name: name, Tags: [{ Key: 'zeta', Value: '1' }, { Key: 'alpha', Value: '' }] }))).EventBusArn!;
    assert.deepEqual(await tagsOf(arn), [{ Key: 'zeta', Value: '1' }, { Key: 'alpha', Value: '' }]);
  });

  test('a second bus of the same name is ResourceAlreadyExistsException [R]', async () => {
    const name = unique('dup');
    await createBus(name);
    await rejects(eb.send(new CreateEventBusCommand({ Name: name })), 'ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  });

  test('"default" already exists [S]', async () => {
    await rejects(eb.send(new CreateEventBusCommand({ Name: 'default' })), 'ResourceAlreadyExistsException', 'Event bus default already exists.');
  });

  test('a custom bus name with "/" is refused [D]/[S]', async () => {
    await rejects(eb.send(new CreateEventBusCommand({ Name: 'a/b' })), 'ValidationException', "Event bus name must not contain '/'.");
  });

  test('a partner bus needs an event source that exists [S]', async () => {
    await rejects(
      eb.send(new CreateEventBusCommand({ Name: 'aws.partner/acme.com/x', EventSourceName: 'aws.partner/acme.com/x' })),
      'ResourceNotFoundException',
      'Event source aws.partner/acme.com/x does not exist.',
    );
  });

  test('names outside the model are ValidationException in the Coral format (model: 1..256, [/\\.\\-_A-Za-z0-9]+)', async () => {
    await rejects(
      eb.send(new CreateEventBusCommand({ Name: 'bad name!' })),
      'ValidationException',
      oneValidationError('bad name!', 'name', 'Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+'),
    );
    const long = 'a'.repeat(257);
    await rejects(eb.send(new CreateEventBusCommand({ Name: long })), 'ValidationException', oneValidationError(long, 'name', 'Member must have length less than or equal to 256'));
    await rejects(
      eb.send(new CreateEventBusCommand({ Name: '' })),
      'ValidationException',
      "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
    );
    const description = 'd'.repeat(513);
    await rejects(
      eb.send(new CreateEventBusCommand({ Name: unique('desc'), Description: description })),
      'ValidationException',
      oneValidationError(description, 'description', 'Member must have length less than or equal to 512'),
    );
  });

  test('a 256-character name of every allowed character class is accepted', async () => {
    const name = `A-z_0.9${'x'.repeat(249)}`;
    assert.equal(name.length, 256);
    assert.equal(await createBus(name), busArnOf(name));
    await eb.send(new DeleteEventBusCommand({ Name: name }));
  });

  test('Description and DeadLetterConfig are echoed and described', async () => {
    const name = unique('settings');
    const dlq = { Arn: queueArnOf('bus-dlq') };
    const out = await eb.send(new CreateEventBusCommand({ Name: name, Description: 'orders', DeadLetterConfig: dlq }));
    assert.equal(out.Description, 'orders');
    assert.deepEqual(out.DeadLetterConfig, dlq);
    const described = await eb.send(new DescribeEventBusCommand({ Name: name }));
    assert.equal(described.Description, 'orders');
    assert.deepEqual(described.DeadLetterConfig, dlq);
  });
});

// ── DescribeEventBus ─────────────────────────────────────────────────────────────────────

describe('DescribeEventBus', () => {
  test('a custom bus: Name, Arn, CreationTime, LastModifiedTime and no Policy [R]', async () => {
    const name = unique('describe');
    await createBus(name);
    const { $metadata, ...out } = await eb.send(new DescribeEventBusCommand({ Name: name }));
    assert.deepEqual(out, { Name: name, Arn: busArnOf(name), CreationTime: new Date(clock.now()), LastModifiedTime: new Date(clock.now()) });
  });

  test('the default bus exists without being created, described with no Name, by name and by ARN [D]', async () => {
    const implicit = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(implicit.Name, 'default');
    assert.equal(implicit.Arn, busArnOf('default'));
    assert.ok(implicit.CreationTime instanceof Date);
    const byName = await eb.send(new DescribeEventBusCommand({ Name: 'default' }));
    const byArn = await eb.send(new DescribeEventBusCommand({ Name: busArnOf('default') }));
    assert.equal(byName.Arn, implicit.Arn);
    assert.equal(byArn.Arn, implicit.Arn);
  });

  test('a custom bus by ARN [D]', async () => {
    const name = unique('by-arn');
    const arn = await createBus(name);
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: arn }))).Name, name);
  });

  test('a missing bus is ResourceNotFoundException, by name and by ARN [R]', async () => {
    await rejects(eb.send(new DescribeEventBusCommand({ Name: 'nope' })), 'ResourceNotFoundException', 'Event bus nope does not exist.');
    await rejects(eb.send(new DescribeEventBusCommand({ Name: busArnOf('nope-arn') })), 'ResourceNotFoundException', 'Event bus nope-arn does not exist.');
  });

  test('a Name that is neither a name nor a bus ARN is ValidationException (model pattern)', async () => {
    await rejects(eb.send(new DescribeEventBusCommand({ Name: 'no spaces' })), 'ValidationException', /^1 validation error detected: Value 'no spaces' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });
});

// ── UpdateEventBus ───────────────────────────────────────────────────────────────────────

describe('UpdateEventBus', () => {
  test('sets a description, keeps CreationTime, moves LastModifiedTime', async () => {
    const name = unique('update');
    await createBus(name);
    const created = clock.now();
    clock.advance(5_000);
    const out = await eb.send(new UpdateEventBusCommand({ Name: name, Description: 'now described', DeadLetterConfig: { Arn: queueArnOf('d') } }));
    assert.equal(out.Arn, busArnOf(name));
    assert.equal(out.Name, name);
    assert.equal(out.Description, 'now described');
    assert.deepEqual(out.DeadLetterConfig, { Arn: queueArnOf('d') });
    const described = await eb.send(new DescribeEventBusCommand({ Name: name }));
    assert.equal(described.Description, 'now described');
    assert.equal(described.CreationTime!.getTime(), created);
    assert.equal(described.LastModifiedTime!.getTime(), clock.now());
  });

  test('without Name it updates the default bus', async () => {
    await eb.send(new UpdateEventBusCommand({ Description: 'the default one' }));
    assert.equal((await eb.send(new DescribeEventBusCommand({}))).Description, 'the default one');
    await eb.send(new UpdateEventBusCommand({ Description: '' }));
    assert.equal((await eb.send(new DescribeEventBusCommand({}))).Description, undefined);
  });

  test('a missing bus is ResourceNotFoundException', async () => {
    await rejects(eb.send(new UpdateEventBusCommand({ Name: 'never-made', Description: 'x' })), 'ResourceNotFoundException', 'Event bus never-made does not exist.');
  });
});

// ── ListEventBuses ───────────────────────────────────────────────────────────────────────

describe('ListEventBuses', () => {
  test('NamePrefix and paging: Limit=3 gives 3 and a token, then Limit=5 gives the other 3 and no token [R]', async () => {
    const prefix = unique('page');
    for (let i = 0; i < 6; i++) await createBus(`${prefix}-${i}`);
    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 3 }));
    assert.deepEqual(first.EventBuses!.map((b) => b.Name), [0, 1, 2].map((i) => `${prefix}-${i}`));
    assert.ok(first.NextToken);
    const second = await eb.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 5, NextToken: first.NextToken }));
    assert.deepEqual(second.EventBuses!.map((b) => b.Name), [3, 4, 5].map((i) => `${prefix}-${i}`));
    assert.equal(second.NextToken, undefined);
    // Entries carry Arn, CreationTime, LastModifiedTime and Name, and no Policy when none is set [R].
    const { Name, Arn, CreationTime, LastModifiedTime, ...rest } = first.EventBuses![0];
    assert.equal(Arn, busArnOf(Name!));
    assert.ok(CreationTime instanceof Date && LastModifiedTime instanceof Date);
    assert.deepEqual(rest, {});
  });

  test('without a prefix the default bus is listed; with one, only matching buses [R]', async () => {
    const all = await eb.send(new ListEventBusesCommand({}));
    assert.ok(all.EventBuses!.some((b) => b.Name === 'default'));
    assert.equal(all.NextToken, undefined);
    const none = await eb.send(new ListEventBusesCommand({ NamePrefix: 'no-bus-has-this-prefix' }));
    assert.deepEqual(none.EventBuses, []);
  });

  test('a deleted bus is gone from its prefixed listing [R]', async () => {
    const name = unique('listed-then-deleted');
    await createBus(name);
    assert.equal((await eb.send(new ListEventBusesCommand({ NamePrefix: name }))).EventBuses!.length, 1);
    await eb.send(new DeleteEventBusCommand({ Name: name }));
    assert.deepEqual((await eb.send(new ListEventBusesCommand({ NamePrefix: name }))).EventBuses, []);
  });

  test('the Policy shows in the listing once set', async () => {
    const name = unique('listed-policy');
    await createBus(name);
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: OTHER_ACCOUNT, StatementId: 's1' }));
    const [bus] = (await eb.send(new ListEventBusesCommand({ NamePrefix: name }))).EventBuses!;
    assert.equal(JSON.parse(bus.Policy!).Statement[0].Sid, 's1');
  });

  test('Limit outside 1..100 and a bad NextToken are ValidationException', async () => {
    await rejects(eb.send(new ListEventBusesCommand({ Limit: 0 })), 'ValidationException', oneValidationError('0', 'limit', 'Member must have value greater than or equal to 1'));
    await rejects(eb.send(new ListEventBusesCommand({ Limit: 101 })), 'ValidationException', oneValidationError('101', 'limit', 'Member must have value less than or equal to 100'));
    await rejects(eb.send(new ListEventBusesCommand({ NextToken: 'not-a-token' })), 'ValidationException');
  });
});

// ── DeleteEventBus ───────────────────────────────────────────────────────────────────────

describe('DeleteEventBus', () => {
  test('the default bus cannot be deleted [R]', async () => {
    await rejects(eb.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException', 'Cannot delete event bus default.');
  });

  test('deleting a bus that does not exist succeeds [T]', async () => {
    const out = await eb.send(new DeleteEventBusCommand({ Name: 'was-never-there' }));
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  test('the bus, its rules and its tags go; a re-created bus has none of them [R]', async () => {
    const name = unique('delete');
    const arn = (await eb.send(new CreateEventBusCommand({ Name: name, Tags: [{ Key: 'k', Value: 'v' }] }))).EventBusArn!;
    await eb.send(new PutRuleCommand({ Name: 'r', EventBusName: name, EventPattern: PATTERN, Tags: [{ Key: 'rk', Value: 'rv' }] }));
    await eb.send(new DeleteEventBusCommand({ Name: name }));
    await rejects(eb.send(new DescribeEventBusCommand({ Name: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    await rejects(tagsOf(arn), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    await rejects(tagsOf(ruleArnOf('r', name)), 'ResourceNotFoundException', `Rule r does not exist on EventBus ${name}.`);
    await rejects(eb.send(new ListRulesCommand({ EventBusName: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    await createBus(name);
    assert.deepEqual(await tagsOf(arn), []);
    assert.deepEqual((await eb.send(new ListRulesCommand({ EventBusName: name }))).Rules, []);
  });

  test('a bus name with characters outside the model is ValidationException', async () => {
    await rejects(eb.send(new DeleteEventBusCommand({ Name: 'bad name' })), 'ValidationException', /^1 validation error detected: Value 'bad name' at 'name'/);
  });
});

// ── PutPermission / RemovePermission ─────────────────────────────────────────────────────

describe('PutPermission and RemovePermission', () => {
  for (const kind of ['custom', 'default'] as const) {
    test(`the recorded statement sequence on the ${kind} bus [R]`, async () => {
      const name = kind === 'default' ? 'default' : unique('perm');
      if (kind === 'custom') await createBus(name);
      const bus = kind === 'default' ? undefined : name;
      const sid = unique('statement');
      const put = (Principal: string, n: number) => eb.send(new PutPermissionCommand({ EventBusName: bus, Action: 'events:PutEvents', Principal, StatementId: `${sid}-${n}` }));
      const out = await put(ACCOUNT, 1);
      assert.equal(out.$metadata.httpStatusCode, 200);
      await put(ACCOUNT, 2);
      await put(OTHER_ACCOUNT, 3);
      await put('*', 4);
      await put('*', 4); // the same statement again: no duplicate
      const resource = busArnOf(name);
      const statement = (n: number, principal: unknown) => ({ Sid: `${sid}-${n}`, Effect: 'Allow', Principal: principal, Action: 'events:PutEvents', Resource: resource });
      const policy = await policyOf(bus);
      assert.equal(policy!.Version, '2012-10-17');
      assert.deepEqual(
        [...policy!.Statement].sort((a, b) => String(a.Sid).localeCompare(String(b.Sid))),
        [
          statement(1, { AWS: `arn:aws:iam::${ACCOUNT}:root` }),
          statement(2, { AWS: `arn:aws:iam::${ACCOUNT}:root` }),
          statement(3, { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }),
          statement(4, '*'),
        ],
      );
      // Statement keys in the recorded order: Sid, Effect, Principal, Action, Resource.
      assert.deepEqual(Object.keys(policy!.Statement[0]), ['Sid', 'Effect', 'Principal', 'Action', 'Resource']);

      // RemovePermission by Sid takes that statement only [R].
      await eb.send(new RemovePermissionCommand({ EventBusName: bus, StatementId: `${sid}-2`, RemoveAllPermissions: false }));
      assert.deepEqual(
        (await policyOf(bus))!.Statement.map((s) => s.Sid).sort(),
        [1, 3, 4].map((n) => `${sid}-${n}`),
      );

      // Policy= replaces every statement, with any action [R].
      const document = {
        Version: '2012-10-17',
        Statement: [{ Sid: `${sid}-5`, Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'events:ListRules', Resource: '*' }],
      };
      await eb.send(new PutPermissionCommand({ EventBusName: bus, Policy: JSON.stringify(document) }));
      assert.deepEqual(await policyOf(bus), document);

      // RemoveAllPermissions: the Policy key is gone [R].
      await eb.send(new RemovePermissionCommand({ EventBusName: bus, RemoveAllPermissions: true }));
      const described = await eb.send(new DescribeEventBusCommand({ Name: bus }));
      assert.equal('Policy' in described, false);
    });
  }

  test('a Condition on aws:PrincipalOrgID becomes a StringEquals condition [D]', async () => {
    const name = unique('perm-org');
    await createBus(name);
    await eb.send(
      new PutPermissionCommand({
        EventBusName: name,
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      }),
    );
    assert.deepEqual((await policyOf(name))!.Statement, [
      {
        Sid: 'org',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: busArnOf(name),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
      },
    ]);
  });

  test('an unknown statement id is ResourceNotFoundException, with or without a policy, on default and custom buses [R]', async () => {
    const name = unique('perm-unknown');
    await createBus(name);
    const message = 'Statement with the provided id does not exist.';
    await rejects(eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'nope' })), 'ResourceNotFoundException', message);
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 'there' }));
    await rejects(eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'nope' })), 'ResourceNotFoundException', message);
    await rejects(eb.send(new RemovePermissionCommand({ StatementId: 'nope-on-default' })), 'ResourceNotFoundException', message);
  });

  test('a missing bus is ResourceNotFoundException [R]', async () => {
    await rejects(
      eb.send(new PutPermissionCommand({ EventBusName: 'no-such-bus', Action: 'events:PutEvents', Principal: '*', StatementId: 's' })),
      'ResourceNotFoundException',
      'Event bus no-such-bus does not exist.',
    );
    await rejects(eb.send(new RemovePermissionCommand({ EventBusName: 'no-such-bus', StatementId: 's' })), 'ResourceNotFoundException', 'Event bus no-such-bus does not exist.');
  });

  test('members outside the model are ValidationException (Principal, StatementId, Action patterns)', async () => {
    const base = { Action: 'events:PutEvents', Principal: '*', StatementId: 's' };
    await rejects(
      eb.send(new PutPermissionCommand({ ...base, Principal: '12345' })),
      'ValidationException',
      oneValidationError('12345', 'principal', 'Member must satisfy regular expression pattern: (\\d{12}|\\*)'),
    );
    await rejects(
      eb.send(new PutPermissionCommand({ ...base, StatementId: 'has space' })),
      'ValidationException',
      oneValidationError('has space', 'statementId', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+'),
    );
    await rejects(
      eb.send(new PutPermissionCommand({ ...base, Action: 'sqs:SendMessage' })),
      'ValidationException',
      oneValidationError('sqs:SendMessage', 'action', 'Member must satisfy regular expression pattern: events:[a-zA-Z]+'),
    );
  });

  test('a Condition with an account principal, and a policy that is not JSON, are refused', async () => {
    await rejects(
      eb.send(
        new PutPermissionCommand({
          Action: 'events:PutEvents',
          Principal: OTHER_ACCOUNT,
          StatementId: 'c',
          Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1' },
        }),
      ),
      'ValidationException',
    );
    await rejects(eb.send(new PutPermissionCommand({ Policy: 'not json' })), 'ValidationException');
  });

  test('PutPermission without Policy needs Action, Principal and StatementId; RemovePermission needs a StatementId or RemoveAllPermissions', async () => {
    await rejects(eb.send(new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '*' })), 'ValidationException');
    await rejects(eb.send(new PutPermissionCommand({ StatementId: 's', Principal: '*' })), 'ValidationException');
    await rejects(eb.send(new PutPermissionCommand({})), 'ValidationException');
    await rejects(eb.send(new RemovePermissionCommand({})), 'ValidationException');
    // RemoveAllPermissions on a bus without a policy is not an error.
    const name = unique('perm-none');
    await createBus(name);
    await eb.send(new RemovePermissionCommand({ EventBusName: name, RemoveAllPermissions: true }));
  });

  test('removing the last statement by Sid leaves no Policy', async () => {
    const name = unique('perm-last');
    await createBus(name);
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 'only' }));
    await eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'only' }));
    assert.equal(await policyOf(name), undefined);
  });

  test('PutPermission moves LastModifiedTime and keeps CreationTime', async () => {
    const name = unique('perm-time');
    await createBus(name);
    const created = clock.now();
    clock.advance(1_000);
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: 's' }));
    const described = await eb.send(new DescribeEventBusCommand({ Name: name }));
    assert.equal(described.CreationTime!.getTime(), created);
    assert.equal(described.LastModifiedTime!.getTime(), clock.now());
  });
});

// ── Tags ─────────────────────────────────────────────────────────────────────────────────

describe('TagResource, UntagResource, ListTagsForResource', () => {
  const resources = async (): Promise<[string, string][]> => {
    const bus = unique('tag-bus');
    const ruleOnDefault = unique('tag-rule');
    await createBus(bus);
    await eb.send(new PutRuleCommand({ Name: ruleOnDefault, EventPattern: PATTERN }));
    await eb.send(new PutRuleCommand({ Name: 'r', EventBusName: bus, EventPattern: PATTERN }));
    return [
      ['the default bus', busArnOf('default')],
      ['a custom bus', busArnOf(bus)],
      ['a rule on the default bus', ruleArnOf(ruleOnDefault)],
      ['a rule on a custom bus', ruleArnOf('r', bus)],
    ];
  };

  test('tag, list in insertion order, untag (an unknown key too) on buses and rules [R]', async () => {
    for (const [what, arn] of await resources()) {
      const before = (await tagsOf(arn))!.length;
      const out = await eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'tag1', Value: 'value1' }, { Key: 'tag2', Value: 'value2' }] }));
      assert.equal(out.$metadata.httpStatusCode, 200, what);
      const tags = (await tagsOf(arn))!;
      assert.deepEqual(tags.slice(before), [{ Key: 'tag1', Value: 'value1' }, { Key: 'tag2', Value: 'value2' }], what);
      // A second TagResource on a key changes its value.
      await eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'tag1', Value: 'changed' }] }));
      assert.equal((await tagsOf(arn))!.find((t) => t.Key === 'tag1')!.Value, 'changed', what);
      await eb.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['tag1', 'tag2', 'never-set'] }));
      assert.equal((await tagsOf(arn))!.length, before, what);
    }
  });

  test('tags on a rule come from PutRule and are kept when the rule is put again [R]', async () => {
    const name = unique('rule-tags');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Tags: [{ Key: 'a', Value: '1' }] }));
    assert.deepEqual(await tagsOf(ruleArnOf(name)), [{ Key: 'a', Value: '1' }]);
    // The model: "Tags … ignored when updating an existing rule".
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Tags: [{ Key: 'b', Value: '2' }] }));
    assert.deepEqual(await tagsOf(ruleArnOf(name)), [{ Key: 'a', Value: '1' }]);
  });

  test('a deleted and re-created rule has no tags [R]', async () => {
    const name = unique('rule-retag');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Tags: [{ Key: 'a', Value: '1' }] }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
    await rejects(tagsOf(ruleArnOf(name)), 'ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    assert.deepEqual(await tagsOf(ruleArnOf(name)), []);
  });

  test('a missing rule or bus fails all three operations with the recorded messages [R]', async () => {
    const bus = unique('tag-missing');
    await createBus(bus);
    const cases: [string, string][] = [
      [ruleArnOf('ghost'), 'Rule ghost does not exist on EventBus default.'],
      [ruleArnOf('ghost', bus), `Rule ghost does not exist on EventBus ${bus}.`],
      [busArnOf('ghost-bus'), 'Event bus ghost-bus does not exist.'],
    ];
    for (const [arn, message] of cases) {
      await rejects(eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException', message);
      await rejects(eb.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['k'] })), 'ResourceNotFoundException', message);
      await rejects(tagsOf(arn), 'ResourceNotFoundException', message);
    }
  });

  test('an ARN that names no EventBridge resource is ValidationException', async () => {
    await rejects(tagsOf('not-an-arn'), 'ValidationException');
    await rejects(tagsOf(queueArnOf('q')), 'ValidationException');
  });

  test('50 tags per resource; the 51st is refused and nothing is changed', async () => {
    const name = unique('fifty');
    const arn = await createBus(name);
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));
    await eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: fifty }));
    assert.equal((await tagsOf(arn))!.length, 50);
    // Re-tagging an existing key is not a new tag.
    await eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k0', Value: 'again' }] }));
    await rejects(eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k50', Value: 'x' }] })), 'LimitExceededException');
    assert.equal((await tagsOf(arn))!.length, 50);
  });

  test('more than 50 tags at CreateEventBus or on a new rule in PutRule is refused like TagResource', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const bus = unique('too-many-tags');
    await rejects(eb.send(new CreateEventBusCommand({ Name: bus, Tags: many })), 'LimitExceededException');
    await rejects(eb.send(new DescribeEventBusCommand({ Name: bus })), 'ResourceNotFoundException');
    const rule = unique('too-many-tags');
    await rejects(eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN, Tags: many })), 'LimitExceededException');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN, Tags: many.slice(0, 50) }));
    assert.equal((await tagsOf(ruleArnOf(rule)))!.length, 50);
    // On an update the Tags are ignored, so they cannot pass the limit.
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: PATTERN, Tags: many }));
  });

  test('a policy over 10 KiB is PolicyLengthExceededException (quotas: resource-based policy size)', async () => {
    const name = unique('big-policy');
    await createBus(name);
    const statement = (i: number) => ({ Sid: `s${i}`, Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: busArnOf(name) });
    const big = { Version: '2012-10-17', Statement: Array.from({ length: 100 }, (_, i) => statement(i)) };
    await rejects(eb.send(new PutPermissionCommand({ EventBusName: name, Policy: JSON.stringify(big) })), 'PolicyLengthExceededException');
    assert.equal(await policyOf(name), undefined);
  });

  test('tag keys and values outside the model are ValidationException', async () => {
    const arn = busArnOf('default');
    await rejects(
      eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: '', Value: 'v' }] })),
      'ValidationException',
      oneValidationError('', 'tags.1.member.key', 'Member must have length greater than or equal to 1'),
    );
    const long = 'v'.repeat(257);
    await rejects(
      eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k', Value: long }] })),
      'ValidationException',
      oneValidationError(long, 'tags.1.member.value', 'Member must have length less than or equal to 256'),
    );
  });

  test('tags on the default bus stay after the rules on it come and go [R]', async () => {
    await eb.send(new TagResourceCommand({ ResourceARN: busArnOf('default'), Tags: [{ Key: 'persist', Value: 'yes' }] }));
    const name = unique('transient');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
    assert.ok((await tagsOf(busArnOf('default')))!.some((t) => t.Key === 'persist'));
    await eb.send(new UntagResourceCommand({ ResourceARN: busArnOf('default'), TagKeys: ['persist'] }));
  });
});

// ── Accounts and regions ─────────────────────────────────────────────────────────────────

describe('accounts and regions are isolated', () => {
  test('a 12-digit access key is another account: its own buses, default bus and ARNs', async () => {
    const other = server.client(EventBridgeClient, { credentials: { accessKeyId: OTHER_ACCOUNT, secretAccessKey: 'x' } });
    const name = unique('iso');
    await createBus(name);
    await rejects(other.send(new DescribeEventBusCommand({ Name: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    assert.equal(await createBus(name, other), busArnOf(name, OTHER_ACCOUNT));
    assert.equal((await other.send(new DescribeEventBusCommand({}))).Arn, busArnOf('default', OTHER_ACCOUNT));
    const listed = (await other.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Arn);
    assert.deepEqual(listed.sort(), [busArnOf('default', OTHER_ACCOUNT), busArnOf(name, OTHER_ACCOUNT)].sort());
    // Rules and tags of one account are not the other's.
    await other.send(new PutRuleCommand({ Name: 'other-rule', EventPattern: PATTERN }));
    await rejects(tagsOf(ruleArnOf('other-rule')), 'ResourceNotFoundException', 'Rule other-rule does not exist on EventBus default.');
    assert.deepEqual(await tagsOf(ruleArnOf('other-rule', 'default', OTHER_ACCOUNT), other), []);
    await other.send(new DeleteEventBusCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: name }))).Arn, busArnOf(name));
  });

  test('another account\'s bus or rule named by ARN is AccessDeniedException for every control-plane action', async () => {
    const other = server.client(EventBridgeClient, { credentials: { accessKeyId: OTHER_ACCOUNT, secretAccessKey: 'x' } });
    const name = unique('not-yours');
    const arn = await createBus(name);
    await eb.send(new PutRuleCommand({ Name: 'mine', EventBusName: name, EventPattern: PATTERN }));
    const denied = (action: string, resource: string) =>
      `User: arn:aws:iam::${OTHER_ACCOUNT}:root is not authorized to perform: events:${action} on resource: ${resource}`;
    await rejects(other.send(new DescribeEventBusCommand({ Name: arn })), 'AccessDeniedException', denied('DescribeEventBus', arn));
    await rejects(other.send(new PutRuleCommand({ Name: 'intruder', EventBusName: arn, EventPattern: PATTERN })), 'AccessDeniedException', denied('PutRule', arn));
    await rejects(other.send(new ListRulesCommand({ EventBusName: arn })), 'AccessDeniedException', denied('ListRules', arn));
    await rejects(
      other.send(new PutPermissionCommand({ EventBusName: arn, Action: 'events:PutEvents', Principal: '*', StatementId: 's' })),
      'ValidationException', // PutPermission takes a name only (model: NonPartnerEventBusName)
    );
    await rejects(other.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k', Value: 'v' }] })), 'AccessDeniedException', denied('TagResource', arn));
    const rule = ruleArnOf('mine', name);
    await rejects(tagsOf(rule, other), 'AccessDeniedException', denied('ListTagsForResource', rule));
    await rejects(other.send(new UntagResourceCommand({ ResourceARN: rule, TagKeys: ['k'] })), 'AccessDeniedException', denied('UntagResource', rule));
    // Nothing changed on the owner's side.
    assert.deepEqual(await tagsOf(arn), []);
    assert.deepEqual((await eb.send(new ListRulesCommand({ EventBusName: name }))).Rules!.map((r) => r.Name), ['mine']);
  });

  test('another region\'s bus named by ARN does not exist here', async () => {
    const name = unique('elsewhere');
    const west = server.client(EventBridgeClient, { region: 'eu-west-1' });
    const arn = await createBus(name, west);
    await rejects(eb.send(new DescribeEventBusCommand({ Name: arn })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    await rejects(tagsOf(arn), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
  });

  test('another region is another set of buses; the same name lives in both independently [R]', async () => {
    const west = server.client(EventBridgeClient, { region: 'eu-west-1' });
    const name = unique('region');
    await createBus(name);
    await rejects(west.send(new DescribeEventBusCommand({ Name: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    assert.equal(await createBus(name, west), busArnOf(name, ACCOUNT, 'eu-west-1'));
    assert.equal((await west.send(new DescribeEventBusCommand({}))).Arn, busArnOf('default', ACCOUNT, 'eu-west-1'));
    await west.send(new DeleteEventBusCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: name }))).Name, name);
    assert.ok(!(await west.send(new ListEventBusesCommand({}))).EventBuses!.some((b) => b.Name === name));
  });
});

// ── Concurrent calls ─────────────────────────────────────────────────────────────────────

describe('concurrent control-plane calls on one bus', () => {
  test('no lost update and no InternalFailure: CreateEventBus, TagResource, PutPermission, PutTargets', async () => {
    const name = unique('race');
    const created = await Promise.allSettled(Array.from({ length: 5 }, () => eb.send(new CreateEventBusCommand({ Name: name }))));
    assert.equal(created.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of created) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'ResourceAlreadyExistsException');
    const arn = busArnOf(name);
    await Promise.all(Array.from({ length: 20 }, (_, i) => eb.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: `t${i}`, Value: 'v' }] }))));
    assert.equal((await tagsOf(arn))!.length, 20);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '*', StatementId: `s${i}` }))),
    );
    assert.equal((await policyOf(name))!.Statement.length, 20);
    await eb.send(new PutRuleCommand({ Name: 'r', EventBusName: name, EventPattern: PATTERN }));
    const put = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => eb.send(new PutTargetsCommand({ Rule: 'r', EventBusName: name, Targets: [{ Id: `t${i}`, Arn: queueArnOf('q') }] }))),
    );
    assert.equal(put.filter((r) => r.status === 'fulfilled').length, 5);
    for (const r of put) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'LimitExceededException');
  });
});
