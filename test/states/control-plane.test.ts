/**
 * The Step Functions control plane through @aws-sdk/client-sfn (AWS JSON 1.0): state machines,
 * versions, aliases, activities, tags and ValidateStateMachineDefinition, good and bad input.
 *
 * One server on a ManualClock, so dates are exact. Every test uses its own names. The texts
 * pinned here are AWS's as recorded against AWS (LocalStack's Step Functions snapshot files,
 * cited in src/states/model/errors.ts and next to each rule), unless a comment says ours.
 */
import {
  CreateActivityCommand,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeActivityCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListActivitiesCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  SFNClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { shapes } from '../../src/states/api/shapes.js';
import { rejectsWith as rejects } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;
const PASS = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
const PASS_2 = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Pass', Result: 2, End: true } } });
const machineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const activityArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:activity:${name}`;

let server: TestServer;
let clock: ManualClock;
let sfn: SFNClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  sfn = server.client(SFNClient);
});
after(() => server.stop());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function create(name: string, extra: Partial<ConstructorParameters<typeof CreateStateMachineCommand>[0]> = {}) {
  return sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, ...extra }));
}

describe('CreateStateMachine and DescribeStateMachine', () => {
  test('creates a STANDARD machine and describes every field AWS returns', async () => {
    const name = unique('m');
    const created = await create(name);
    assert.equal(created.stateMachineArn, machineArn(name));
    assert.equal(created.creationDate?.getTime(), clock.now());
    assert.equal(created.stateMachineVersionArn, undefined);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual(
      { ...described, $metadata: undefined },
      {
        $metadata: undefined,
        stateMachineArn: machineArn(name),
        name,
        status: 'ACTIVE',
        definition: PASS,
        roleArn: ROLE,
        type: 'STANDARD',
        creationDate: new Date(clock.now()),
        // Recorded defaults: logging OFF without execution data, tracing disabled, no revisionId before an update.
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
        encryptionConfiguration: { type: 'AWS_OWNED_KEY' },
      },
    );
  });

  test('EXPRESS, logging with one destination, tracing and tags are kept', async () => {
    const name = unique('express');
    const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:sfn-logs:*`;
    await create(name, {
      type: 'EXPRESS',
      loggingConfiguration: { level: 'ERROR', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] },
      tracingConfiguration: { enabled: true },
      tags: [{ key: 'team', value: 'a' }],
    });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }));
    assert.equal(described.type, 'EXPRESS');
    assert.deepEqual(described.loggingConfiguration, { level: 'ERROR', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] });
    assert.deepEqual(described.tracingConfiguration, { enabled: true });
    const tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: machineArn(name) }));
    assert.deepEqual(tags.tags, [{ key: 'team', value: 'a' }]);
  });

  test('variableReferences lists, per state, the variables it reads (recorded form)', async () => {
    const name = unique('vars');
    const definition = JSON.stringify({
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { guess: 'g', answer: 'a' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    });
    await create(name, { definition });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }));
    assert.deepEqual(described.variableReferences, { Check: ['answer', 'guess'] });
  });

  test('an empty destinations list is kept as given (recorded)', async () => {
    const name = unique('nodest');
    await create(name, { loggingConfiguration: { destinations: [] } });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }));
    assert.deepEqual(described.loggingConfiguration, { level: 'OFF', includeExecutionData: false, destinations: [] });
  });

  test('the same request again answers the same machine; roleArn and tags are ignored; anything else is StateMachineAlreadyExists', async () => {
    const name = unique('idem');
    const first = await create(name);
    clock.advance(5_000);
    const again = await create(name, { roleArn: `arn:aws:iam::${ACCOUNT}:role/other`, tags: [{ key: 'x', value: 'y' }] });
    assert.equal(again.stateMachineArn, first.stateMachineArn);
    assert.equal(again.creationDate?.getTime(), first.creationDate?.getTime());
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: first.stateMachineArn }));
    assert.equal(described.roleArn, ROLE);
    const exists = `State Machine Already Exists: '${machineArn(name)}'`;
    await rejects(create(name, { definition: PASS_2 }), 'StateMachineAlreadyExists', exists);
    await rejects(create(name, { type: 'EXPRESS' }), 'StateMachineAlreadyExists', exists);
    await rejects(create(name, { tracingConfiguration: { enabled: true } }), 'StateMachineAlreadyExists', exists);
    await rejects(create(name, { publish: true }), 'StateMachineAlreadyExists', exists);
  });

  test('publish creates version 1 and answers its ARN; a description needs publish (recorded)', async () => {
    const name = unique('pub');
    const created = await create(name, { publish: true, versionDescription: 'first' });
    assert.equal(created.stateMachineVersionArn, `${machineArn(name)}:1`);
    const labeled = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn(name)}/items` }));
    assert.deepEqual([labeled.stateMachineArn, labeled.label, labeled.definition], [`${machineArn(name)}/items`, 'items', PASS]);
    const version = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn(name)}:1` }));
    assert.equal(version.stateMachineArn, `${machineArn(name)}:1`);
    assert.equal(version.description, 'first');
    assert.equal(version.definition, PASS);
    await rejects(create(unique('nopub'), { versionDescription: 'd' }), 'ValidationException', 'Version description can only be set when publish is true');
  });

  test('bad names, definitions, roles and logging answer AWS\'s errors', async () => {
    await rejects(create('a b'), 'InvalidName', "Invalid Name: 'a b'");
    await rejects(create('name$'), 'InvalidName', "Invalid Name: 'name$'");
    await rejects(create('x'.repeat(81)), 'ValidationException', `1 validation error detected: Value '${'x'.repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`);
    // The definition is a sensitive member: its value is left out of the message.
    await rejects(
      sfn.send(new CreateStateMachineCommand({ name: unique('d'), definition: '', roleArn: ROLE })),
      'ValidationException',
      "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejects(create(unique('bad'), { definition: '{"StartAt": ' }), 'InvalidDefinition', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    await rejects(create(unique('bad'), { definition: '[]' }), 'InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
    // Recorded (test_sfn_api: test_create_delete_invalid_sm): a definition without States.
    await rejects(
      create(unique('bad'), { definition: JSON.stringify({ Comment: 'BASE_PASS_RESULT', StartAt: 'State_1' }) }),
      'InvalidDefinition',
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    );
    // The machine is looked up first: a missing one is StateMachineDoesNotExist whatever the definition.
    await rejects(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(unique('never')), definition: JSON.stringify({ StartAt: 'X', States: {} }) })),
      'StateMachineDoesNotExist',
    );
    // An EXPRESS machine cannot wait for a task token (the recorded ValidateStateMachineDefinition text).
    const waits = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } } });
    await rejects(create(unique('express'), { type: 'EXPRESS', definition: waits }), 'InvalidDefinition', /Express state machine does not support '\.waitForTaskToken' service integration/);
    await create(unique('standard'), { definition: waits });
    await rejects(create(unique('role'), { roleArn: 'not-an-arn' }), 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    const oneDestination = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
    for (const level of ['ALL', 'ERROR', 'FATAL'] as const) {
      await rejects(create(unique('log'), { loggingConfiguration: { level } }), 'InvalidLoggingConfiguration', oneDestination);
    }
    const group = (n: string) => ({ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${n}:*` } });
    await rejects(create(unique('log'), { loggingConfiguration: { level: 'ALL', destinations: [group('a'), group('b')] } }), 'InvalidLoggingConfiguration', oneDestination);
    await rejects(create(unique('log'), { type: 'LONG' as 'STANDARD' }), 'ValidationException', /Member must satisfy enum value set: \[STANDARD, EXPRESS\]/);
    await rejects(create(unique('tags'), { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }), 'TooManyTags');
  });

  test('describing what does not exist or is not a state machine', async () => {
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn('nope') })), 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn('nope')}'`);
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn('nope')}:3` })), 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn('nope')}:3'`);
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: activityArn('act') })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: activity'");
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })), 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    await rejects(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:m:e` })),
      'InvalidArn',
      "Invalid Arn: 'Resource type not valid in this context: execution'",
    );
    await rejects(sfn.send(new DescribeStateMachineCommand({} as { stateMachineArn: string })), 'ValidationException', "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
    // Another account's or region's machine does not exist here.
    const other = await server.client(SFNClient, { region: 'eu-west-1' });
    const name = unique('regional');
    await create(name);
    await rejects(other.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) })), 'StateMachineDoesNotExist');
  });
});

describe('UpdateStateMachine, versions and revisions', () => {
  test('an update makes a new revision; an update that changes nothing keeps it (recorded)', async () => {
    const name = unique('upd');
    await create(name);
    clock.advance(1000);
    const first = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2 }));
    assert.equal(first.updateDate?.getTime(), clock.now());
    assert.match(first.revisionId ?? '', /^[0-9a-f-]{36}$/);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }));
    assert.equal(described.definition, PASS_2);
    assert.equal(described.revisionId, first.revisionId);
    const same = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2 }));
    assert.equal(same.revisionId, first.revisionId);
    const role = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), roleArn: `arn:aws:iam::${ACCOUNT}:role/next` }));
    assert.notEqual(role.revisionId, first.revisionId);
  });

  test('update with publish publishes the revision; with no change it answers the version already published (recorded)', async () => {
    const name = unique('updpub');
    await create(name, { publish: true });
    const unchanged = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS, publish: true }));
    assert.equal(unchanged.stateMachineVersionArn, `${machineArn(name)}:1`);
    assert.equal(unchanged.revisionId, undefined);
    const changed = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2, publish: true, versionDescription: 'two' }));
    assert.equal(changed.stateMachineVersionArn, `${machineArn(name)}:2`);
    const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn(name) }));
    assert.deepEqual(
      versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn),
      [`${machineArn(name)}:2`, `${machineArn(name)}:1`],
    );
    const v2 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn(name)}:2` }));
    assert.equal(v2.description, 'two');
    assert.equal(v2.revisionId, changed.revisionId);
  });

  test('bad updates', async () => {
    const name = unique('badupd');
    await create(name);
    await rejects(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name) })), 'MissingRequiredParameter');
    await rejects(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn('gone'), definition: PASS })), 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn('gone')}'`);
    await rejects(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: '{' })), 'InvalidDefinition');
    await rejects(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2, versionDescription: 'x' })),
      'ValidationException',
      'Version description can only be set when publish is true',
    );
    await rejects(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), loggingConfiguration: { level: 'ALL' } })),
      'InvalidLoggingConfiguration',
      'Invalid Logging Configuration: Must specify exactly one Log Destination.',
    );
    await rejects(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: `${machineArn(name)}:1`, definition: PASS })), 'StateMachineDoesNotExist');
  });

  test('PublishStateMachineVersion: idempotent, revisionId checked (recorded texts), numbers never reused', async () => {
    const name = unique('publish');
    await create(name);
    const v1 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn(name), description: 'one' }));
    assert.equal(v1.stateMachineVersionArn, `${machineArn(name)}:1`);
    const again = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn(name) }));
    assert.equal(again.stateMachineVersionArn, v1.stateMachineVersionArn);
    const r1 = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2 }));
    const r2 = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS }));
    const conflict = await rejects(
      sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn(name), revisionId: r1.revisionId })),
      'ConflictException',
      `Failed to publish the State Machine version for revision ${r1.revisionId}. The current State Machine revision is ${r2.revisionId}.`,
    );
    assert.equal(conflict.$metadata.httpStatusCode, 409);
    const v2 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn(name), revisionId: r2.revisionId }));
    assert.equal(v2.stateMachineVersionArn, `${machineArn(name)}:2`);
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2.stateMachineVersionArn }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2 }));
    const v3 = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn(name) }));
    assert.equal(v3.stateMachineVersionArn, `${machineArn(name)}:3`);
    await rejects(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn('none') })), 'StateMachineDoesNotExist');
  });

  test('ListStateMachineVersions pages newest first; a machine that does not exist has none', async () => {
    const name = unique('vlist');
    await create(name);
    for (let i = 0; i < 3; i++) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: i, End: true } } }), publish: true }));
    }
    const page1 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn(name), maxResults: 2 }));
    assert.deepEqual(page1.stateMachineVersions?.map((v) => v.stateMachineVersionArn?.split(':').pop()), ['3', '2']);
    assert.ok(page1.nextToken);
    const page2 = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn(name), maxResults: 2, nextToken: page1.nextToken }));
    assert.deepEqual(page2.stateMachineVersions?.map((v) => v.stateMachineVersionArn?.split(':').pop()), ['1']);
    assert.equal(page2.nextToken, undefined);
    const none = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn('never') }));
    assert.deepEqual(none.stateMachineVersions, []);
    await rejects(sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn(name), nextToken: 'bogus' })), 'InvalidToken');
  });

  test('deleting a version that does not exist is no error (recorded)', async () => {
    const name = unique('vdel');
    await create(name, { publish: true });
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${machineArn(name)}:1` }));
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${machineArn(name)}:1` }));
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn(name)}:1` })), 'StateMachineDoesNotExist');
    await rejects(sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: activityArn('a') })), 'InvalidArn');
  });
});

describe('DeleteStateMachine and ListStateMachines', () => {
  test('deleting removes the machine with its versions and aliases; deleting again is no error (recorded)', async () => {
    const name = unique('del');
    await create(name, { publish: true });
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${machineArn(name)}:1`, weight: 100 }] }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machineArn(name) }));
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) })), 'StateMachineDoesNotExist');
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn(name)}:1` })), 'StateMachineDoesNotExist');
    await rejects(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${machineArn(name)}:live` })), 'ResourceNotFound');
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machineArn(name) }));
    // The name is free again.
    await create(name, { definition: PASS_2 });
    await rejects(sfn.send(new DeleteStateMachineCommand({ stateMachineArn: `${machineArn(name)}/label` })), 'ValidationException');
  });

  test('ListStateMachines lists the caller\'s machines by name, in pages', async () => {
    const other = server.client(SFNClient, { region: 'ap-south-1' });
    for (const name of ['p-c', 'p-a', 'p-b']) await other.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    const first = await other.send(new ListStateMachinesCommand({ maxResults: 2 }));
    assert.deepEqual(first.stateMachines?.map((m) => m.name), ['p-a', 'p-b']);
    assert.deepEqual(Object.keys(first.stateMachines![0]).sort(), ['creationDate', 'name', 'stateMachineArn', 'type']);
    const second = await other.send(new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }));
    assert.deepEqual(second.stateMachines?.map((m) => m.name), ['p-c']);
    assert.equal(second.nextToken, undefined);
    await rejects(other.send(new ListStateMachinesCommand({ maxResults: 1001 })), 'ValidationException', /Member must have value less than or equal to 1000/);
    await rejects(other.send(new ListStateMachinesCommand({ nextToken: 'x' })), 'InvalidToken');
  });
});

describe('aliases', () => {
  const setup = async () => {
    const name = unique('alias');
    await create(name, { publish: true });
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: PASS_2, publish: true }));
    return { name, v1: `${machineArn(name)}:1`, v2: `${machineArn(name)}:2` };
  };

  test('create, describe, update, list and delete', async () => {
    const { name, v1, v2 } = await setup();
    const created = await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'd', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    assert.equal(created.stateMachineAliasArn, `${machineArn(name)}:prod`);
    const idempotent = await sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'd', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    assert.equal(idempotent.stateMachineAliasArn, created.stateMachineAliasArn);
    const conflict = 'Failed to create alias because an alias with the same name and a different routing configuration already exists.';
    await rejects(sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'other', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] })), 'ConflictException', conflict);
    await rejects(sfn.send(new CreateStateMachineAliasCommand({ name: 'prod', description: 'd', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] })), 'ConflictException', conflict);
    clock.advance(1000);
    const updated = await sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v2, weight: 50 }] }));
    assert.equal(updated.updateDate?.getTime(), clock.now());
    const described = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn }));
    assert.deepEqual(
      { name: described.name, description: described.description, routing: described.routingConfiguration, created: described.creationDate?.getTime(), updated: described.updateDate?.getTime() },
      { name: 'prod', description: 'd', routing: [{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v2, weight: 50 }], created: clock.now() - 1000, updated: clock.now() },
    );
    // A version an alias routes to cannot be deleted (recorded text).
    await rejects(
      sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 })),
      'ConflictException',
      'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [prod]',
    );
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'beta', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    const listed = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: machineArn(name) }));
    assert.deepEqual(listed.stateMachineAliases?.map((a) => a.stateMachineAliasArn), [`${machineArn(name)}:beta`, `${machineArn(name)}:prod`]);
    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn }));
    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn }));
    await rejects(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn })), 'ResourceNotFound', 'Request references a resource that does not exist.');
    await rejects(
      sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: created.stateMachineAliasArn, description: 'x' })),
      'ResourceNotFound',
      'Request references a resource that does not exist.',
    );
    await rejects(sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: machineArn('no-machine') })), 'StateMachineDoesNotExist');
  });

  test('routing configurations AWS refuses, with its texts (recorded)', async () => {
    const { name, v1, v2 } = await setup();
    const make = (routingConfiguration: { stateMachineVersionArn: string; weight: number }[], alias = 'a') =>
      sfn.send(new CreateStateMachineAliasCommand({ name: alias, routingConfiguration }));
    await rejects(make([{ stateMachineVersionArn: machineArn(name), weight: 100 }]), 'ValidationException', `Routing configuration must contain state machine version ARNs. Received: [${machineArn(name)}]`);
    await rejects(
      make([{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v1, weight: 50 }]),
      'ValidationException',
      `Routing configuration must contain distinct state machine version ARNs. Received: [${v1}, ${v1}]`,
    );
    await rejects(make([{ stateMachineVersionArn: v1, weight: 70 }, { stateMachineVersionArn: v2, weight: 29 }]), 'ValidationException', 'Sum of routing configuration weights must equal 100. Received: [70, 29]');
    await rejects(make([{ stateMachineVersionArn: v1, weight: 101 }]), 'ValidationException', "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
    await rejects(
      make([{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v2, weight: 30 }, { stateMachineVersionArn: `${machineArn(name)}:3`, weight: 20 }]),
      'ValidationException',
      /at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2$/,
    );
    for (const bad of ['123', 'INVALID ALIAS', '!INVALID', 'ALIAS@']) {
      await rejects(
        make([{ stateMachineVersionArn: v1, weight: 100 }], bad),
        'ValidationException',
        `1 validation error detected: Value '${bad}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$`,
      );
    }
    await rejects(make([{ stateMachineVersionArn: `${machineArn(name)}:9`, weight: 100 }]), 'ResourceNotFound');
    await rejects(
      sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${machineArn(name)}:a` })),
      'ValidationException',
    );
  });
});

describe('activities', () => {
  test('create (idempotent), describe, list, delete (twice), and the recorded errors', async () => {
    const name = unique('act');
    const created = await sfn.send(new CreateActivityCommand({ name, tags: [{ key: 'k', value: 'v' }] }));
    assert.equal(created.activityArn, activityArn(name));
    clock.advance(10);
    const again = await sfn.send(new CreateActivityCommand({ name, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    assert.equal(again.creationDate?.getTime(), created.creationDate?.getTime());
    await rejects(
      sfn.send(new CreateActivityCommand({ name, encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'alias/k' } })),
      'ActivityAlreadyExists',
    );
    const described = await sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    assert.equal(described.name, name);
    assert.equal(described.creationDate?.getTime(), created.creationDate?.getTime());
    const listed = await sfn.send(new ListActivitiesCommand({}));
    assert.ok(listed.activities?.some((a) => a.activityArn === created.activityArn && a.name === name));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: created.activityArn }))).tags, [{ key: 'k', value: 'v' }]);
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await rejects(sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn })), 'ActivityDoesNotExist', `Activity Does Not Exist: '${created.activityArn}'`);
    await rejects(sfn.send(new CreateActivityCommand({ name: 'TestActivity InvalidName$' })), 'InvalidName', "Invalid Name: 'TestActivity InvalidName$'");
    await rejects(sfn.send(new DescribeActivityCommand({ activityArn: machineArn('m') })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
  });
});

describe('tags', () => {
  test('tag, replace, untag and list on a state machine; versions and missing resources are ResourceNotFound (recorded)', async () => {
    const name = unique('tagged');
    await create(name, { publish: true });
    const arn = machineArn(name);
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '3' }, { key: 'c', value: '' }] }));
    await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['b', 'missing'] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: 'a', value: '3' }, { key: 'c', value: '' }]);
    await rejects(sfn.send(new TagResourceCommand({ resourceArn: `${arn}:1`, tags: [{ key: 'x', value: 'y' }] })), 'ResourceNotFound', `Resource not found: '${arn}:1'`);
    await rejects(sfn.send(new ListTagsForResourceCommand({ resourceArn: machineArn('ghost') })), 'ResourceNotFound', `Resource not found: '${machineArn('ghost')}'`);
    const many = Array.from({ length: 49 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await rejects(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: many })), 'TooManyTags');
    assert.equal((await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags?.length, 2);
    await rejects(sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: '', value: 'v' }] })), 'ValidationException', /at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  });
});

describe('ValidateStateMachineDefinition', () => {
  test('OK for a valid definition, FAIL with diagnostics for an invalid one', async () => {
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS }));
    assert.deepEqual({ result: ok.result, diagnostics: ok.diagnostics, truncated: ok.truncated }, { result: 'OK', diagnostics: [], truncated: false });
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":', maxResults: 5 }));
    assert.equal(bad.result, 'FAIL');
    assert.equal(bad.diagnostics?.[0].severity, 'ERROR');
    assert.equal(bad.diagnostics?.[0].code, 'INVALID_JSON_DESCRIPTION');
    const schema = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ Comment: 'c', StartAt: 'A' }) }));
    assert.deepEqual(
      { result: schema.result, diagnostics: schema.diagnostics, truncated: schema.truncated },
      { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States]', location: '/' }], truncated: false },
    );
    // maxResults cuts the list and says so.
    const states = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`S${i}`, { Type: 'Pass', Next: `Missing${i}` }]));
    const many = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'S0', States: states }), maxResults: 2 }));
    assert.equal(many.result, 'FAIL');
    assert.equal(many.diagnostics?.length, 2);
    assert.equal(many.truncated, true);
    await rejects(sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS, maxResults: 101 })), 'ValidationException');
    const sync = JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: machineArn('x') }, End: true } } });
    assert.equal((await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: sync }))).result, 'OK');
    const express = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: sync, type: 'EXPRESS' }));
    assert.equal(express.result, 'FAIL');
    assert.match(express.diagnostics?.[0].message ?? '', /Express state machine does not support '\.sync' service integration/);
  });
});

describe('the whole API', () => {
  test('every action of the Step Functions model is served (none answered as an unknown action)', async () => {
    const definitions = await server.stratus.definitions();
    const served = definitions.find((d) => d.signingName === 'states')!.actions.map((a) => a.name);
    assert.deepEqual(Object.keys(shapes).filter((op) => !served.includes(op)), []);
    assert.equal(served.length, Object.keys(shapes).length);
  });
});

describe('the wire', () => {
  test('errors carry AWS\'s qualified __type: the service\'s model namespace, Coral\'s for model validation', async () => {
    const post = async (action: string, body: unknown) => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'x-amz-target': `AWSStepFunctions.${action}`, 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify(body),
      });
      return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
    };
    const missing = await post('DescribeStateMachine', { stateMachineArn: machineArn('wire-missing') });
    assert.deepEqual(missing, {
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: { __type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${machineArn('wire-missing')}'` },
    });
    const invalid = await post('DescribeStateMachine', {});
    assert.deepEqual(invalid.body, {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });
    const description = await post('CreateStateMachine', { name: unique('wire'), definition: PASS, roleArn: ROLE, versionDescription: 'x' });
    assert.equal(description.body.__type, 'com.amazonaws.swf.service.v2.model#ValidationException');
  });
});

describe('concurrent changes', () => {
  test('creates of one name, updates with publish and aliases running together each see one consistent state', async () => {
    const name = unique('race');
    const creates = await Promise.all(Array.from({ length: 8 }, () => create(name)));
    assert.equal(new Set(creates.map((c) => c.creationDate?.getTime())).size, 1);
    const updates = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: i, End: true } } }), publish: true })),
      ),
    );
    const published = updates.map((u) => u.stateMachineVersionArn);
    assert.equal(new Set(published).size, 10, 'each update published its own version');
    const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn(name) }));
    assert.deepEqual(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn).sort(), [...published].sort());
    for (const update of updates) {
      const version = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: update.stateMachineVersionArn }));
      assert.equal(version.revisionId, update.revisionId, 'a version holds the revision its update made');
    }
  });

  test('a sensitive member\'s value stays out of the validation message', async () => {
    await rejects(
      create(unique('sens'), { publish: true, versionDescription: 'd'.repeat(257) }),
      'ValidationException',
      "1 validation error detected: Value at 'versionDescription' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
  });
});
