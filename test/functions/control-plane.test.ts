/**
 * The Lambda function control plane through @aws-sdk/client-lambda (REST-JSON): CreateFunction,
 * GetFunction, GetFunctionConfiguration, UpdateFunctionCode, UpdateFunctionConfiguration,
 * DeleteFunction, ListFunctions, PublishVersion, ListVersionsByFunction and aliases, with the
 * name / partial ARN / full ARN / qualifier forms and AWS's errors.
 *
 * Facts: [R] recorded against AWS (LocalStack's lambda snapshot tests and the provider written
 * against them), [D] the Lambda API Reference / Developer Guide. Noted next to the test.
 */
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { arnOf, createFunction, HANDLER_JS, makeZip, rejects, ROLE, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
});
after(() => server.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CreateFunction', () => {
  test('answers 201 with AWS defaults, State Pending and the .zip hash; the waiter sees it Active', async () => {
    const name = unique();
    const zip = await makeZip({ 'index.js': HANDLER_JS });
    const out = await createFunction(lambda, name, { Code: { ZipFile: zip } });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.FunctionName, name);
    assert.equal(out.FunctionArn, arnOf(name));
    assert.equal(out.Version, '$LATEST');
    assert.equal(out.Timeout, 3); // [D] default 3 s
    assert.equal(out.MemorySize, 128); // [D] default 128 MB
    assert.equal(out.Description, '');
    assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(out.CodeSize, zip.length);
    assert.equal(out.PackageType, 'Zip');
    assert.deepEqual(out.Architectures, ['x86_64']);
    assert.deepEqual(out.TracingConfig, { Mode: 'PassThrough' });
    assert.deepEqual(out.EphemeralStorage, { Size: 512 });
    assert.deepEqual(out.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    assert.equal(out.State, 'Pending'); // [R] State Pending, reason Creating
    assert.equal(out.StateReasonCode, 'Creating');
    assert.equal(out.LastUpdateStatus, undefined); // [R] CreateFunction answers no update status
    assert.match(out.RevisionId!, /^[0-9a-f-]{36}$/);
    const waited = await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    assert.equal(waited.state, 'SUCCESS');
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(config.State, 'Active');
    assert.equal(config.LastUpdateStatus, 'Successful');
  });

  test('stores settings as given: environment, layers, description, timeout, memory, architecture, logging', async () => {
    const name = unique();
    const layerZip = await makeZip({ 'python/shared.py': 'X = 1\n' });
    const published = await lambda.send(new PublishLayerVersionCommand({ LayerName: unique('shared'), Content: { ZipFile: layerZip } }));
    const layer = published.LayerVersionArn!;
    const out = await createFunction(lambda, name, {
      Description: 'd',
      Timeout: 900,
      MemorySize: 10240,
      Environment: { Variables: { AA: '1', B_2: 'two' } },
      Layers: [layer],
      Architectures: ['arm64'],
      LoggingConfig: { LogFormat: 'JSON' },
      Runtime: 'python3.12',
      Handler: 'app.handler',
    });
    assert.equal(out.Timeout, 900);
    assert.equal(out.MemorySize, 10240);
    assert.deepEqual(out.Environment, { Variables: { AA: '1', B_2: 'two' } });
    assert.deepEqual(out.Layers, [{ Arn: layer, CodeSize: layerZip.length }]);
    assert.deepEqual(out.Architectures, ['arm64']);
    assert.deepEqual(out.LoggingConfig, { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: `/aws/lambda/${name}` });
  });

  test('extracts the .zip where GetFunction says, keeping execute bits', async () => {
    const name = unique();
    const zip = await makeZip({ 'index.js': HANDLER_JS, bootstrap: { text: '#!/bin/sh\n', mode: 0o100755 }, 'lib/util.js': 'x' });
    await createFunction(lambda, name, { Code: { ZipFile: zip }, Runtime: 'provided.al2023', Handler: 'main' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Code?.RepositoryType, 'S3');
    const zipPath = fileURLToPath(got.Code!.Location!);
    assert.deepEqual(readFileSync(zipPath), zip);
    const dir = zipPath.replace(/\.zip$/, '');
    assert.equal(readFileSync(join(dir, 'index.js'), 'utf8'), HANDLER_JS);
    assert.equal(readFileSync(join(dir, 'lib/util.js'), 'utf8'), 'x');
    assert.equal(statSync(join(dir, 'bootstrap')).mode & 0o111, 0o111);
  });

  test('a function that exists already is ResourceConflictException 409 [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(createFunction(lambda, name), 'ResourceConflictException', 409, `Function already exist: ${name}`);
  });

  test('Publish: true publishes version 1 with the function', async () => {
    const name = unique();
    const out = await createFunction(lambda, name, { Publish: true });
    assert.equal(out.Version, '1');
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1']);
  });

  test('runtimes: unknown ones get the enum message, retired ones the upgrade message, ones Stratus cannot run are stored [R]', async () => {
    await rejects(createFunction(lambda, unique(), { Runtime: 'cobol1.x' as never }), 'InvalidParameterValueException', 400, /^Value cobol1\.x at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[.*nodejs20\.x.*\] or be a valid ARN$/);
    await rejects(
      createFunction(lambda, unique(), { Runtime: 'python3.7' }),
      'InvalidParameterValueException',
      400,
      /^The runtime parameter of python3\.7 is no longer supported for creating or updating AWS Lambda functions\. We recommend you use the new runtime \(python3\.\d+\) while creating or updating functions\.$/,
    );
    const java = await createFunction(lambda, unique(), { Runtime: 'java21', Handler: 'example.Handler::handleRequest' });
    assert.equal(java.Runtime, 'java21');
  });

  test('Timeout, MemorySize and Role outside the model are ValidationException', async () => {
    await rejects(createFunction(lambda, unique(), { Timeout: 0 }), 'ValidationException', 400, /Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1/);
    await rejects(createFunction(lambda, unique(), { Timeout: 901 }), 'ValidationException', 400, /at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900/);
    await rejects(createFunction(lambda, unique(), { MemorySize: 127 }), 'ValidationException', 400, /at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    await rejects(createFunction(lambda, unique(), { MemorySize: 10241 }), 'ValidationException', 400, /Member must have value less than or equal to 10240/);
    await rejects(createFunction(lambda, unique(), { Role: 'not-a-role' }), 'ValidationException', 400, /^1 validation error detected: Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:\(aws\[a-zA-Z-\]\*\)\?:iam::/);
  });

  test('reserved environment keys and environments over 4 KB are refused with AWS messages [R]', async () => {
    await rejects(
      createFunction(lambda, unique(), { Environment: { Variables: { AWS_REGION: 'x', OK: '1', AWS_SECRET_ACCESS_KEY: 'y' } } }),
      'InvalidParameterValueException',
      400,
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, AWS_SECRET_ACCESS_KEY',
    );
    const big = { BIG: 'x'.repeat(4100) };
    await rejects(
      createFunction(lambda, unique(), { Environment: { Variables: big } }),
      'InvalidParameterValueException',
      400,
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(big)}`,
    );
  });

  test('environment keys follow the model pattern (a letter, then at least one more character)', async () => {
    await rejects(createFunction(lambda, unique(), { Environment: { Variables: { A: '1' } } }), 'ValidationException', 400, /at 'environment\.variables' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z\]\(\[a-zA-Z0-9_\]\)\+/);
  });

  test('function names: over 64 characters InvalidParameterValueException, bad characters ValidationException [R]', async () => {
    const long = 'a'.repeat(65);
    await rejects(
      createFunction(lambda, long),
      'InvalidParameterValueException',
      400,
      `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    await rejects(createFunction(lambda, 'bad name!'), 'ValidationException', 400, /Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(arn:/);
  });

  test('code sources: an S3 bucket does not exist, an image is not a .zip, a broken .zip cannot be unzipped', async () => {
    await rejects(
      createFunction(lambda, unique(), { Code: { S3Bucket: 'my-bucket', S3Key: 'code.zip' } }),
      'InvalidParameterValueException',
      400,
      'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist',
    );
    await rejects(createFunction(lambda, unique(), { PackageType: 'Image', Code: { ImageUri: 'x/y:latest' } }), 'InvalidParameterValueException', 400);
    await rejects(
      createFunction(lambda, unique(), { Code: { ZipFile: Buffer.from('not a zip at all') } }),
      'InvalidParameterValueException',
      400,
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  });

  test('hot reload: S3Bucket "hot-reload" with an absolute S3Key runs a local folder in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-hot-'));
    try {
      writeFileSync(join(dir, 'index.js'), HANDLER_JS);
      const name = unique();
      const out = await createFunction(lambda, name, { Code: { S3Bucket: 'hot-reload', S3Key: dir } });
      assert.equal(out.CodeSize, 0);
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      assert.equal(fileURLToPath(got.Code!.Location!), dir);
      await rejects(createFunction(lambda, unique(), { Code: { S3Bucket: 'hot-reload', S3Key: 'relative/path' } }), 'InvalidParameterValueException', 400, /absolute path/);
      await rejects(createFunction(lambda, unique(), { Code: { S3Bucket: 'hot-reload', S3Key: join(dir, 'missing') } }), 'InvalidParameterValueException', 400, /not a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('more than 5 layers is refused [R]', async () => {
    const layers = [1, 2, 3, 4, 5, 6].map((i) => `arn:aws:lambda:us-east-1:000000000000:layer:l${i}:1`);
    await rejects(createFunction(lambda, unique(), { Layers: layers }), 'InvalidParameterValueException', 400, 'Cannot reference more than 5 layers.');
  });
});

describe('GetFunction and name forms', () => {
  test('a name, a partial ARN, a full ARN and a qualified ARN all find the function', async () => {
    const name = unique();
    await createFunction(lambda, name, { Tags: { team: 'a' } });
    for (const form of [name, `000000000000:function:${name}`, arnOf(name)]) {
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: form }));
      assert.equal(got.Configuration?.FunctionArn, arnOf(name));
      assert.deepEqual(got.Tags, { team: 'a' });
    }
    const qualified = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arnOf(name, '$LATEST') }));
    assert.equal(qualified.FunctionArn, arnOf(name, '$LATEST'));
    const byParam = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '$LATEST' }));
    assert.equal(byParam.FunctionArn, arnOf(name, '$LATEST'));
  });

  test('missing functions and versions are 404 with the (qualified) ARN [R]', async () => {
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'no-such-fn' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('no-such-fn')}`);
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '7' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name, '7')}`);
    await rejects(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name, 'nope')}`);
  });

  test('an ARN of another region is not reachable; a qualifier that contradicts the ARN is refused [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:eu-west-1:000000000000:function:${name}` })),
      'ResourceNotFoundException',
      404,
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    );
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: arnOf(name, '$LATEST'), Qualifier: '1' })),
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });

  test('a FunctionName over 170 characters is a ValidationException', async () => {
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'a'.repeat(171) })), 'ValidationException', 400, /Member must have length less than or equal to 170/);
  });
});

describe('updates', () => {
  test('UpdateFunctionConfiguration changes $LATEST, gives a new RevisionId and is InProgress then Successful', async () => {
    const name = unique();
    const created = await createFunction(lambda, name, { Environment: { Variables: { AA: '1' } } });
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 30, MemorySize: 512, Description: 'new', Environment: { Variables: { BB: '2' } }, Handler: 'other.handler' }),
    );
    assert.equal(updated.Timeout, 30);
    assert.equal(updated.MemorySize, 512);
    assert.equal(updated.Description, 'new');
    assert.equal(updated.Handler, 'other.handler');
    assert.deepEqual(updated.Environment, { Variables: { BB: '2' } });
    assert.notEqual(updated.RevisionId, created.RevisionId);
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    const got = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(got.LastUpdateStatus, 'Successful');
    assert.equal(got.RevisionId, updated.RevisionId);
  });

  test('a stale RevisionId is PreconditionFailedException 412 [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    const message = 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';
    await rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5, RevisionId: 'stale' })), 'PreconditionFailedException', 412, message);
    await rejects(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await makeZip({ 'a.js': '1' }), RevisionId: 'stale' })), 'PreconditionFailedException', 412, message);
  });

  test('UpdateFunctionConfiguration checks runtimes and environments as CreateFunction does', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Runtime: 'nodejs12.x' })), 'InvalidParameterValueException', 400, /no longer supported/);
    await rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { AWS_LAMBDA_RUNTIME_API: 'x' } } })), 'InvalidParameterValueException', 400, /Reserved keys used in this request: AWS_LAMBDA_RUNTIME_API$/);
    await rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'missing-fn', Timeout: 4 })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('missing-fn')}`);
  });

  test('UpdateFunctionCode replaces the code; DryRun changes nothing; Publish answers the new version', async () => {
    const name = unique();
    const created = await createFunction(lambda, name);
    const zip = await makeZip({ 'index.js': 'exports.handler = async () => 2;' });
    const dry = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, DryRun: true }));
    assert.equal(dry.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).CodeSha256, created.CodeSha256);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip }));
    assert.equal(updated.CodeSha256, dry.CodeSha256);
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    const published = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await makeZip({ 'index.js': '3' }), Publish: true }));
    assert.equal(published.Version, '1');
    assert.equal(published.FunctionArn, arnOf(name, '1'));
  });
});

describe('ListFunctions and DeleteFunction', () => {
  test('pages with Marker and MaxItems, and lists every version with FunctionVersion ALL', async () => {
    const other = await startTestServer();
    try {
      const client = other.client(LambdaClient);
      for (const n of ['a1', 'a2', 'a3']) await createFunction(client, n);
      await client.send(new PublishVersionCommand({ FunctionName: 'a2' }));
      const first = await client.send(new ListFunctionsCommand({ MaxItems: 2 }));
      assert.deepEqual(first.Functions?.map((f) => f.FunctionName), ['a1', 'a2']);
      assert.equal(first.Functions?.[0].State, undefined); // [R] listings carry no state
      assert.ok(first.NextMarker);
      const second = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
      assert.deepEqual(second.Functions?.map((f) => f.FunctionName), ['a3']);
      assert.equal(second.NextMarker, undefined);
      const all = await client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
      assert.deepEqual(all.Functions?.map((f) => f.FunctionArn), [arnOf('a1', '$LATEST'), arnOf('a2', '$LATEST'), arnOf('a2', '1'), arnOf('a3', '$LATEST')]);
      await rejects(client.send(new ListFunctionsCommand({ MaxItems: 0 })), 'ValidationException', 400, /Member must have value greater than or equal to 1/);
    } finally {
      await other.stop();
    }
  });

  test('deletes a function with everything on it; $LATEST cannot be deleted alone [R]', async () => {
    const name = unique();
    await createFunction(lambda, name);
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' })),
      'InvalidParameterValueException',
      400,
      '$LATEST version cannot be deleted without deleting the function.',
    );
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: arnOf(name) }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException', 404);
    await rejects(lambda.send(new DeleteFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name)}`);
    await createFunction(lambda, name); // the name is free again
  });

  test('deletes one version; a version an alias points at stays', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2' }));
    await rejects(lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '2' })), 'ResourceConflictException', 409, /live/);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '2']);
    // Numbers are never reused.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 10 }));
    assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, '3');
  });
});

describe('versions', () => {
  test('PublishVersion numbers 1, 2, …; unchanged code and configuration answer the last version [R]', async () => {
    const name = unique();
    await createFunction(lambda, name, { Description: 'base' });
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'first' }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, arnOf(name, '1'));
    assert.equal(v1.Description, 'first');
    assert.equal(v1.LastUpdateStatus, undefined); // [R] versions carry no update status
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(again.Version, '1');
    assert.equal(again.RevisionId, v1.RevisionId);
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await makeZip({ 'index.js': 'changed' }) }));
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(v2.Version, '2');
    assert.equal(v2.Description, 'base');
  });

  test('a version keeps its configuration when $LATEST changes', async () => {
    const name = unique();
    await createFunction(lambda, name, { Timeout: 5 });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 60 }));
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }))).Timeout, 5);
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).Timeout, 60);
  });

  test('PublishVersion checks CodeSha256 and RevisionId [R]', async () => {
    const name = unique();
    const created = await createFunction(lambda, name);
    await rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'abc' })),
      'InvalidParameterValueException',
      400,
      `CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST (${created.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    await rejects(lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: 'old' })), 'PreconditionFailedException', 412);
    const ok = await lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: created.CodeSha256 }));
    assert.equal(ok.Version, '1');
  });

  test('ListVersionsByFunction pages $LATEST then versions in order', async () => {
    const name = unique();
    await createFunction(lambda, name);
    for (let i = 0; i < 3; i++) {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 10 + i }));
      await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    }
    const first = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 2 }));
    assert.deepEqual(first.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    assert.equal(first.Versions?.[0].FunctionArn, arnOf(name, '$LATEST'));
    const rest = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: first.NextMarker }));
    assert.deepEqual(rest.Versions?.map((v) => v.Version), ['2', '3']);
    await rejects(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'nope-fn' })), 'ResourceNotFoundException', 404);
  });
});

describe('aliases', () => {
  test('create, get, update, list and delete', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 8 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const created = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, arnOf(name, 'live'));
    assert.equal(created.FunctionVersion, '1');
    assert.equal(created.Description, 'prod');
    const got = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    assert.equal(got.RevisionId, created.RevisionId);
    const updated = await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } } }));
    assert.equal(updated.FunctionVersion, '2');
    assert.deepEqual(updated.RoutingConfig, { AdditionalVersionWeights: { '1': 0.25 } });
    assert.notEqual(updated.RevisionId, created.RevisionId);
    await rejects(lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', Description: 'x', RevisionId: created.RevisionId })), 'PreconditionFailedException', 412);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '$LATEST' }));
    const list = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
    assert.deepEqual(list.Aliases?.map((a) => a.Name), ['dev', 'live']);
    const byVersion = await lambda.send(new ListAliasesCommand({ FunctionName: name, FunctionVersion: '2' }));
    assert.deepEqual(byVersion.Aliases?.map((a) => a.Name), ['live']);
    // GetFunction through the alias answers the alias ARN and the version it points at.
    const through = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: 'live' }));
    assert.equal(through.FunctionArn, arnOf(name, 'live'));
    assert.equal(through.Version, '2');
    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'dev' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'dev' })); // deleting again changes nothing
    await rejects(lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'dev' })), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${arnOf(name, 'dev')}`);
  });

  test('duplicate aliases, missing versions and bad names are refused [R]', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await rejects(lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' })), 'ResourceConflictException', 409, `Alias already exists: ${arnOf(name, 'live')}`);
    await rejects(lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'beta', FunctionVersion: '9' })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf(name, '9')}`);
    await rejects(lambda.send(new CreateAliasCommand({ FunctionName: name, Name: '123', FunctionVersion: '1' })), 'ValidationException', 400, /at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: \(\?!\^\[0-9\]\+\$\)/);
    await rejects(lambda.send(new CreateAliasCommand({ FunctionName: 'missing-fn', Name: 'x', FunctionVersion: '1' })), 'ResourceNotFoundException', 404);
  });

  test('routing configurations are checked as AWS does [R]', async () => {
    const name = unique();
    await createFunction(lambda, name, { Publish: true });
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
      'InvalidParameterValueException',
      400,
      'Invalid function version 1. Function version 1 is already included in routing configuration.',
    );
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'b', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
      'InvalidParameterValueException',
      400,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'c', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } })),
      'ValidationException',
      400,
    );
  });
});

test('state: a new function is Pending for a moment, then Active', async () => {
  const name = unique();
  await createFunction(lambda, name);
  assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).State, 'Pending');
  await sleep(400);
  assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).State, 'Active');
});

test('a function creation needs no Publish to be listed and answers ROLE as given', async () => {
  const name = unique();
  await createFunction(lambda, name);
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  assert.equal(got.Configuration?.Role, ROLE);
  assert.equal(got.Tags, undefined);
  assert.equal(got.Concurrency, undefined);
});
