/**
 * Step Functions through the AWS CLI (botocore: a second, independent client of AWS JSON 1.0):
 * a machine created, published, listed, described by version, aliased, tagged and deleted, and a
 * named error. Skipped, saying so, where no `aws` executable is installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('aws stepfunctions', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
  let server: TestServer;
  let cli: AwsCli;
  before(async () => {
    server = await startTestServer();
    cli = awsCli(server.url);
  });
  after(async () => {
    await server.stop();
    cli.cleanup();
  });

  const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:hello';
  const definition = '{"StartAt":"Hi","States":{"Hi":{"Type":"Pass","Result":"hello","End":true}}}';

  test('create-state-machine, list-state-machines, describe, alias, tags, delete', async () => {
    const created = await cli.run('stepfunctions', 'create-state-machine', '--name', 'hello', '--role-arn', 'arn:aws:iam::123456789012:role/sfn', '--definition', definition, '--publish');
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as { stateMachineArn: string; stateMachineVersionArn: string; creationDate: string | number };
    assert.equal(out.stateMachineArn, arn);
    assert.equal(out.stateMachineVersionArn, `${arn}:1`);
    // CLI v1 prints epoch seconds, v2 an ISO date: either way, about now.
    const created_ms = typeof out.creationDate === 'number' ? out.creationDate * 1000 : Date.parse(out.creationDate);
    assert.ok(Math.abs(created_ms - Date.now()) < 60_000, String(out.creationDate));

    const listed = await cli.run('stepfunctions', 'list-state-machines');
    assert.equal(listed.code, 0, listed.stderr);
    const machines = (JSON.parse(listed.stdout) as { stateMachines: { name: string; type: string; stateMachineArn: string }[] }).stateMachines;
    assert.deepEqual(machines.map((m) => [m.name, m.type, m.stateMachineArn]), [['hello', 'STANDARD', arn]]);

    const version = await cli.run('stepfunctions', 'describe-state-machine', '--state-machine-arn', `${arn}:1`);
    assert.equal(version.code, 0, version.stderr);
    const described = JSON.parse(version.stdout) as Record<string, unknown>;
    assert.equal(described.stateMachineArn, `${arn}:1`);
    assert.equal(described.definition, definition);
    assert.deepEqual(described.loggingConfiguration, { level: 'OFF', includeExecutionData: false });

    const alias = await cli.run('stepfunctions', 'create-state-machine-alias', '--name', 'live', '--routing-configuration', `stateMachineVersionArn=${arn}:1,weight=100`);
    assert.equal(alias.code, 0, alias.stderr);
    assert.equal((JSON.parse(alias.stdout) as { stateMachineAliasArn: string }).stateMachineAliasArn, `${arn}:live`);

    const tagged = await cli.run('stepfunctions', 'tag-resource', '--resource-arn', arn, '--tags', 'key=team,value=core');
    assert.equal(tagged.code, 0, tagged.stderr);
    const tags = await cli.run('stepfunctions', 'list-tags-for-resource', '--resource-arn', arn);
    assert.deepEqual(JSON.parse(tags.stdout), { tags: [{ key: 'team', value: 'core' }] });

    const deleted = await cli.run('stepfunctions', 'delete-state-machine', '--state-machine-arn', arn);
    assert.equal(deleted.code, 0, deleted.stderr);
    const missing = await cli.run('stepfunctions', 'describe-state-machine', '--state-machine-arn', arn);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, new RegExp(`An error occurred \\(StateMachineDoesNotExist\\) when calling the DescribeStateMachine operation: State Machine Does Not Exist: '${arn}'`));
  });

  test('a bad definition is InvalidDefinition, a bad name InvalidName', async () => {
    const bad = await cli.run('stepfunctions', 'create-state-machine', '--name', 'bad', '--role-arn', 'arn:aws:iam::123456789012:role/sfn', '--definition', '{"StartAt":');
    assert.match(bad.stderr, /\(InvalidDefinition\) when calling the CreateStateMachine operation: Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    const name = await cli.run('stepfunctions', 'create-state-machine', '--name', 'a;b', '--role-arn', 'arn:aws:iam::123456789012:role/sfn', '--definition', definition);
    assert.match(name.stderr, /\(InvalidName\) when calling the CreateStateMachine operation: Invalid Name: 'a;b'/);
  });
});
