/**
 * Everything the Lambda control plane acknowledges survives a restart on the same data folder:
 * functions and their code on disk, versions, aliases, policies, concurrency, event invoke
 * configs, event source mappings and tags.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  TagResourceCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { arnOf, createFunction, HANDLER_JS, unique } from './control-plane-support.js';

test('a restart keeps functions, code, versions, aliases, policies, settings and mappings', async () => {
  const data = tempDataDir();
  const name = unique();
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    let lambda = server.client(LambdaClient);
    await createFunction(lambda, name, { Tags: { team: 'core' }, Environment: { Variables: { KEY: 'v' } } });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 30 }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }));
    await lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: { more: 'yes' } }));
    await server.client(SQSClient).send(new CreateQueueCommand({ QueueName: 'q' }));
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' }));
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    await server.stop();
    server = undefined;

    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    lambda = server.client(LambdaClient);
    await new Promise((r) => setTimeout(r, 300)); // past the Pending moment of the first start
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(after.Configuration?.Timeout, 30);
    assert.equal(after.Configuration?.RevisionId, before.Configuration?.RevisionId);
    assert.equal(after.Configuration?.CodeSha256, before.Configuration?.CodeSha256);
    assert.equal(after.Configuration?.State, 'Active');
    assert.deepEqual(after.Configuration?.Environment, { Variables: { KEY: 'v' } });
    assert.deepEqual(after.Tags, { team: 'core', more: 'yes' });
    assert.deepEqual(after.Concurrency, { ReservedConcurrentExecutions: 5 });
    const zipPath = fileURLToPath(after.Code!.Location!);
    assert.ok(zipPath.startsWith(join(data.dir, 'functions', '000000000000', 'us-east-1', name)));
    assert.equal(readFileSync(join(zipPath.replace(/\.zip$/, ''), 'index.js'), 'utf8'), HANDLER_JS);
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions?.map((v) => [v.Version, v.Timeout]), [['$LATEST', 30], ['1', 3]]);
    assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))).FunctionVersion, '1');
    assert.equal(JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!).Statement[0].Sid, 'sns');
    assert.equal((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }))).MaximumRetryAttempts, 0);
    const mappings = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }));
    assert.deepEqual(mappings.EventSourceMappings?.map((m) => [m.UUID, m.State]), [[mapping.UUID, 'Enabled']]);
    // A version published after the restart continues the numbering.
    assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, '2');
    await server.stop();
    server = undefined;
    assert.ok(existsSync(zipPath), 'stored code stays on disk across stops');
  } finally {
    await server?.stop();
    data.cleanup();
  }
});
