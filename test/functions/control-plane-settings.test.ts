/**
 * Lambda settings around a function through @aws-sdk/client-lambda: resource policies
 * (AddPermission / RemovePermission / GetPolicy), reserved concurrency and account settings,
 * event invoke configs, event source mappings and tags.
 * Facts: [R] recorded against AWS (LocalStack's snapshots and provider), [D] API Reference.
 */
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetAccountSettingsCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { arnOf, createFunction, rejects, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:orders';
/** Creates the queue an ARN of this account and region names (a mapping needs its queue to exist). */
const createQueueFor = async (arn: string): Promise<string> =>
  (await sqs.send(new CreateQueueCommand({ QueueName: arn.split(':')[5] }))).QueueUrl!;

describe('permissions', () => {
  test('AddPermission answers the statement; GetPolicy the whole document as AWS builds it [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 's3-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::my-bucket',
        SourceAccount: '111122223333',
      }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    const statement = {
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: arnOf(name),
      Condition: { StringEquals: { 'AWS:SourceAccount': '111122223333' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
    };
    assert.equal(added.Statement, JSON.stringify(statement));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'acct', Action: 'lambda:GetFunction', Principal: '123456789012' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'org', Action: 'lambda:InvokeFunction', Principal: '*', PrincipalOrgID: 'o-abcdefghij' }));
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
    assert.deepEqual(JSON.parse(policy.Policy!), {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        statement,
        { Sid: 'acct', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'lambda:GetFunction', Resource: arnOf(name) },
        { Sid: 'org', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: arnOf(name), Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } },
      ],
    });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(policy.RevisionId, config.RevisionId);
  });

  test('a duplicate statement id is ResourceConflictException 409 [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const input = { FunctionName: name, StatementId: 'dup', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' };
    await lambda.send(new AddPermissionCommand(input));
    await rejects(
      lambda.send(new AddPermissionCommand(input)),
      'ResourceConflictException',
      409,
      'The statement id (dup) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
  });

  test('permissions per qualifier; $LATEST by name is refused; stale revisions and bad principals too [R]', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const onAlias = await lambda.send(new AddPermissionCommand({ FunctionName: name, Qualifier: 'live', StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }));
    assert.equal(JSON.parse(onAlias.Statement!).Resource, arnOf(name, 'live'));
    await rejects(lambda.send(new GetPolicyCommand({ FunctionName: name })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    const aliasPolicy = await lambda.send(new GetPolicyCommand({ FunctionName: arnOf(name, 'live') }));
    assert.equal(JSON.parse(aliasPolicy.Policy!).Statement.length, 1);
    await rejects(
      lambda.send(new AddPermissionCommand({ FunctionName: name, Qualifier: '$LATEST', StatementId: 'b', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' })),
      'InvalidParameterValueException',
      400,
      'We currently do not support adding policies for $LATEST.',
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'c', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', RevisionId: 'stale' })),
      'PreconditionFailedException',
      412,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'd', Action: 'lambda:InvokeFunction', Principal: 'somebody' })),
      'InvalidParameterValueException',
      400,
      'The provided principal was invalid. Please check the principal and try again.',
    );
    await rejects(lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'e', Action: 'invoke', Principal: '*' })), 'ValidationException', 400, /at 'action'/);
  });

  test('RemovePermission removes one statement; the last one takes the policy with it [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'x' })), 'ResourceNotFoundException', 404, 'No policy is associated with the given resource.');
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'one', Action: 'lambda:InvokeFunction', Principal: 'sqs.amazonaws.com' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'two', Action: 'lambda:InvokeFunction', Principal: 'sqs.amazonaws.com' }));
    await rejects(lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'three' })), 'ResourceNotFoundException', 404, 'Statement three is not found in resource policy.');
    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'one' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    assert.deepEqual(JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!).Statement.map((s: { Sid: string }) => s.Sid), ['two']);
    await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'two' }));
    await rejects(lambda.send(new GetPolicyCommand({ FunctionName: name })), 'ResourceNotFoundException', 404);
  });
});

describe('concurrency and account settings', () => {
  test('reserved concurrency round trip, shown by GetFunction and GetAccountSettings', async () => {
    const other = await startTestServer();
    try {
      const client = other.client(LambdaClient);
      await createFunction(client, 'c1');
      const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c1', ReservedConcurrentExecutions: 100 }));
      assert.equal(put.ReservedConcurrentExecutions, 100);
      assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'c1' }))).ReservedConcurrentExecutions, 100);
      assert.deepEqual((await client.send(new GetFunctionCommand({ FunctionName: 'c1' }))).Concurrency, { ReservedConcurrentExecutions: 100 });
      const settings = await client.send(new GetAccountSettingsCommand({}));
      assert.equal(settings.AccountLimit?.ConcurrentExecutions, 1000);
      assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 900);
      assert.equal(settings.AccountLimit?.CodeSizeZipped, 52428800);
      assert.equal(settings.AccountLimit?.CodeSizeUnzipped, 262144000);
      assert.equal(settings.AccountLimit?.TotalCodeSize, 80530636800);
      assert.equal(settings.AccountUsage?.FunctionCount, 1);
      assert.ok((settings.AccountUsage?.TotalCodeSize ?? 0) > 0);
      const deleted = await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'c1' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'c1' }))).ReservedConcurrentExecutions, undefined);
    } finally {
      await other.stop();
    }
  });

  test('at least 100 stay unreserved; versions and aliases take none [R]', async () => {
    const other = await startTestServer();
    try {
      const client = other.client(LambdaClient);
      await createFunction(client, 'big');
      await createFunction(client, 'small');
      await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'big', ReservedConcurrentExecutions: 850 }));
      const message = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";
      await rejects(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'small', ReservedConcurrentExecutions: 51 })), 'InvalidParameterValueException', 400, message);
      await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'small', ReservedConcurrentExecutions: 50 }));
      // Replacing a function's own reservation does not count it twice.
      await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'big', ReservedConcurrentExecutions: 850 }));
      await rejects(
        client.send(new PutFunctionConcurrencyCommand({ FunctionName: arnOf('big', '1'), ReservedConcurrentExecutions: 1 })),
        'InvalidParameterValueException',
        400,
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
      );
      await rejects(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'none', ReservedConcurrentExecutions: 1 })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('none', '$LATEST')}`);
      await rejects(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'small', ReservedConcurrentExecutions: -1 })), 'ValidationException', 400);
    } finally {
      await other.stop();
    }
  });
});

describe('event invoke configs', () => {
  test('put, get, update, list and delete', async () => {
    const name = unique();
    const target = unique();
    await createFunction(lambda, name, { Publish: true });
    await createFunction(lambda, target);
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: QUEUE } } }),
    );
    assert.equal(put.FunctionArn, arnOf(name, '$LATEST'));
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.equal(put.MaximumEventAgeInSeconds, undefined);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: { Destination: QUEUE } });
    assert.ok(put.LastModified instanceof Date);
    const updated = await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 3600, DestinationConfig: { OnSuccess: { Destination: arnOf(target) } } }),
    );
    assert.equal(updated.MaximumRetryAttempts, 1);
    assert.equal(updated.MaximumEventAgeInSeconds, 3600);
    assert.deepEqual(updated.DestinationConfig, { OnSuccess: { Destination: arnOf(target) }, OnFailure: {} });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: '1', MaximumRetryAttempts: 0 }));
    const list = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.deepEqual(list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [arnOf(name, '$LATEST'), arnOf(name, '1')]);
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: '1' }));
    assert.equal(got.MaximumRetryAttempts, 0);
    const deleted = await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })),
      'ResourceNotFoundException',
      404,
      `The function ${arnOf(name, '$LATEST')} doesn't have an EventInvokeConfig`,
    );
  });

  test('limits, empty requests, missing functions and destinations are checked [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name })), 'InvalidParameterValueException', 400, 'You must specify at least one of error handling or destination setting.');
    await rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 3 })), 'ValidationException', 400, /at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2/);
    await rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 59 })), 'ValidationException', 400, /Member must have value greater than or equal to 60/);
    await rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 21601 })), 'ValidationException', 400);
    await rejects(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'no-fn', MaximumRetryAttempts: 1 })), 'ResourceNotFoundException', 404, "The function doesn't exist.");
    await rejects(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1 })), 'ResourceNotFoundException', 404, `The function ${arnOf(name, '$LATEST')} doesn't have an EventInvokeConfig`);
    await rejects(
      lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnSuccess: { Destination: arnOf(name) } } })),
      'InvalidParameterValueException',
      400,
      "You can't specify the function as a destination for itself.",
    );
    await rejects(
      lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: arnOf('ghost') } } })),
      'InvalidParameterValueException',
      400,
      `The destination ARN ${arnOf('ghost')} is invalid.`,
    );
    await rejects(
      lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::bucket' } } })),
      'InvalidParameterValueException',
      400,
      'The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=arn:aws:s3:::bucket)) is invalid.',
    );
  });
});

describe('event source mappings', () => {
  test('an SQS mapping is Creating, then Enabled, with AWS defaults', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await createQueueFor(QUEUE);
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: QUEUE }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.UUID!, /^[0-9a-f-]{36}$/);
    assert.equal(created.State, 'Creating');
    assert.equal(created.BatchSize, 10);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.equal(created.FunctionArn, arnOf(name));
    assert.equal(created.EventSourceArn, QUEUE);
    assert.deepEqual(created.FunctionResponseTypes, []);
    assert.equal(created.StateTransitionReason, 'USER_INITIATED');
    await sleep(300);
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(got.State, 'Enabled');
    assert.ok(got.LastModified instanceof Date);
    await rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: QUEUE })),
      'ResourceConflictException',
      409,
      `An event source mapping with SQS arn (" ${QUEUE} ") and function (" ${name} ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`,
    );
  });

  test('settings are stored and validated: batching, filters, response types, scaling', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    const filters = { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['order'] } }) }] };
    await createQueueFor('arn:aws:sqs:us-east-1:000000000000:q2');
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: arnOf(name, '1'),
        EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q2',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        FilterCriteria: filters,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
        Enabled: false,
      }),
    );
    assert.equal(created.FunctionArn, arnOf(name, '1'));
    assert.equal(created.BatchSize, 100);
    assert.deepEqual(created.FilterCriteria, filters);
    assert.deepEqual(created.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.deepEqual(created.ScalingConfig, { MaximumConcurrency: 5 });
    await sleep(300);
    assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Disabled');

    const q = 'arn:aws:sqs:us-east-1:000000000000:q3';
    await rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q, BatchSize: 11 })),
      'InvalidParameterValueException',
      400,
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
    await rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q, BatchSize: 10001 })), 'ValidationException', 400);
    await rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q, ScalingConfig: { MaximumConcurrency: 1 } })), 'ValidationException', 400, /scalingConfig\.maximumConcurrency/);
    await rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q, FilterCriteria: { Filters: [{ Pattern: '{"body": "not-a-list"}' }] } })),
      'InvalidParameterValueException',
      400,
      /^Invalid filter pattern definition\./,
    );
    await rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ghost', EventSourceArn: q })), 'InvalidParameterValueException', 400, 'Function does not exist');
    await rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', StartingPosition: 'LATEST' })),
      'InvalidParameterValueException',
      400,
    );
  });

  test('update, list by function or source, delete', async () => {
    const name = unique();
    const other = unique();
    await createFunction(lambda, name);
    await createFunction(lambda, other);
    const source = `arn:aws:sqs:us-east-1:000000000000:${unique('q')}`;
    await createQueueFor(source);
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: source }));
    const disabled = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false, BatchSize: 5 }));
    assert.equal(disabled.State, 'Disabling');
    assert.equal(disabled.BatchSize, 5);
    await sleep(300);
    assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State, 'Disabled');
    const moved = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, FunctionName: other, Enabled: true }));
    assert.equal(moved.FunctionArn, arnOf(other));
    assert.equal(moved.State, 'Enabling');
    const byFunction = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: other }));
    assert.deepEqual(byFunction.EventSourceMappings?.map((x) => x.UUID), [m.UUID]);
    const bySource = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: source }));
    assert.deepEqual(bySource.EventSourceMappings?.map((x) => x.UUID), [m.UUID]);
    assert.equal((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }))).EventSourceMappings?.length, 0);
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
    assert.equal(deleted.State, 'Deleting');
    await rejects(lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejects(lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, BatchSize: 1 })), 'ResourceNotFoundException', 404);
  });

  test('a queue that does not exist is refused as AWS refuses it; one deleted later shows on the mapping', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const queue = `arn:aws:sqs:us-east-1:000000000000:${unique('gone')}`;
    const nonExistent =
      'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.';
    for (const arn of [queue, `arn:aws:sqs:us-east-1:111111111111:${unique('elsewhere')}`, `arn:aws:sqs:eu-west-1:000000000000:${unique('elsewhere')}`]) {
      await rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arn })), 'InvalidParameterValueException', 400, nonExistent);
    }
    assert.deepEqual((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }))).EventSourceMappings, []);

    const url = await createQueueFor(queue);
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: queue }));
    await sleep(300);
    const healthy = await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    assert.equal(healthy.State, 'Enabled');
    assert.equal(healthy.LastProcessingResult, undefined);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const deadline = Date.now() + 5000;
    let seen = await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    while (seen.LastProcessingResult === undefined && Date.now() < deadline) {
      await sleep(50);
      seen = await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    }
    assert.equal(seen.LastProcessingResult, `PROBLEM: ${nonExistent}`);
    assert.equal(seen.State, 'Enabled');
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queue }));
    assert.equal(listed.EventSourceMappings?.[0]?.LastProcessingResult, `PROBLEM: ${nonExistent}`);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });
});

describe('tags', () => {
  test('tag, list and untag round trip; CreateFunction tags show in GetFunction; each change is a new revision', async () => {
    const name = unique();
    const created = await createFunction(lambda, name, { Tags: { a: '1' } });
    const tagged = await lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: { b: '2', c: '3' } }));
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, { a: '1', b: '2', c: '3' });
    await lambda.send(new UntagResourceCommand({ Resource: arnOf(name), TagKeys: ['a', 'c'] }));
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, { b: '2' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(got.Tags, { b: '2' });
    assert.notEqual(got.Configuration?.RevisionId, created.RevisionId);
  });

  test('only unqualified function ARNs can be tagged [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(
      lambda.send(new TagResourceCommand({ Resource: arnOf(name, '$LATEST'), Tags: { a: '1' } })),
      'InvalidParameterValueException',
      400,
      'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
    await rejects(lambda.send(new ListTagsCommand({ Resource: name })), 'ValidationException', 400, /^1 validation error detected: Value '.*' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:/);
    await rejects(lambda.send(new ListTagsCommand({ Resource: arnOf('ghost') })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('ghost')}`);
    const tags: Record<string, string> = {};
    for (let i = 0; i < 51; i++) tags[`k${i}`] = 'v';
    await rejects(lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: tags })), 'InvalidParameterValueException', 400, 'Number of tags exceeds resource tag limit.');
  });
});

test('PublishVersion after a permission change on $LATEST still publishes unchanged code only once', async () => {
  const name = unique();
  await createFunction(lambda, name);
  const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }));
  const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  assert.equal(again.Version, v1.Version);
});
