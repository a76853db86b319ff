/**
 * Lambda layers through @aws-sdk/client-lambda against a real Stratus: PublishLayerVersion,
 * GetLayerVersion(ByArn), ListLayers, ListLayerVersions, DeleteLayerVersion, the layer version
 * policy, functions referring to layers (validation, Layers[].CodeSize), and real Node and Python
 * functions loading modules from a layer; layers survive a restart.
 *
 * Facts: [D] Lambda API Reference / Developer Guide ("Packaging your layer content": nodejs/node_modules
 * on NODE_PATH, python on the Python path; "Adding layers to functions": merge order, deleted
 * versions keep working for functions that use them); [R] messages recorded against AWS.
 */
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';
import { ACCOUNT, createFunction, makeZip, rejects, REGION, ROLE, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
});
after(() => server.stop());

const layerArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}`;
const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload!).toString('utf8'));

async function publish(name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) {
  return lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await makeZip(files) }, ...extra }));
}

async function createAndWait(name: string, runtime: string, handler: string, files: Record<string, string>, layers: string[]) {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as never, Handler: handler, Role: ROLE, Code: { ZipFile: await makeZip(files) }, Layers: layers }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
}

describe('layer versions', () => {
  test('PublishLayerVersion answers 201 with the version, its ARNs, content hash and settings; the next publish is version 2', async () => {
    const name = unique('layer');
    const zip = await makeZip({ 'nodejs/node_modules/a/index.js': 'module.exports = 1;' });
    const out = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        Description: 'shared code',
        Content: { ZipFile: zip },
        CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
        CompatibleArchitectures: ['x86_64'],
        LicenseInfo: 'MIT',
      }),
    );
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.LayerArn, layerArn(name));
    assert.equal(out.LayerVersionArn, `${layerArn(name)}:1`);
    assert.equal(out.Version, 1);
    assert.equal(out.Description, 'shared code');
    assert.equal(out.LicenseInfo, 'MIT');
    assert.deepEqual(out.CompatibleRuntimes, ['nodejs20.x', 'nodejs22.x']);
    assert.deepEqual(out.CompatibleArchitectures, ['x86_64']);
    assert.equal(out.Content?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(out.Content?.CodeSize, zip.length);
    assert.match(out.CreatedDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.deepEqual(readFileSync(fileURLToPath(out.Content!.Location!)), zip);
    const second = await publish(name, { 'nodejs/node_modules/a/index.js': 'module.exports = 2;' });
    assert.equal(second.Version, 2);
    assert.equal(second.LayerVersionArn, `${layerArn(name)}:2`);
    assert.equal(second.Description, '');
  });

  test('GetLayerVersion by name or layer ARN, GetLayerVersionByArn; missing versions are 404 [R]', async () => {
    const name = unique('layer');
    const published = await publish(name, { 'python/m.py': 'X = 1\n' }, { CompatibleRuntimes: ['python3.12'] });
    for (const LayerName of [name, layerArn(name)]) {
      const got = await lambda.send(new GetLayerVersionCommand({ LayerName, VersionNumber: 1 }));
      assert.equal(got.LayerVersionArn, published.LayerVersionArn);
      assert.deepEqual(got.Content, published.Content);
      assert.deepEqual(got.CompatibleRuntimes, ['python3.12']);
    }
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: published.LayerVersionArn! }));
    assert.equal(byArn.Version, 1);
    assert.equal(byArn.LayerArn, layerArn(name));
    await rejects(lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 2 })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejects(lambda.send(new GetLayerVersionCommand({ LayerName: 'no-such-layer', VersionNumber: 1 })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejects(lambda.send(new GetLayerVersionByArnCommand({ Arn: `${layerArn(name)}:9` })), 'ResourceNotFoundException', 404);
    await rejects(lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 0 })), 'InvalidParameterValueException', 400, 'Layer Version Cannot be less than 1');
    await rejects(lambda.send(new GetLayerVersionByArnCommand({ Arn: layerArn(name) })), 'ValidationException', 400);
  });

  test('ListLayers shows each layer with its latest matching version; ListLayerVersions lists newest first, filtered and paged', async () => {
    const prefix = unique('list');
    const a = `${prefix}-a`;
    const b = `${prefix}-b`;
    await publish(a, { 'x.txt': '1' }, { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'] });
    await publish(a, { 'x.txt': '2' }, { CompatibleRuntimes: ['nodejs20.x'] });
    await publish(b, { 'x.txt': '3' }, { CompatibleRuntimes: ['python3.12'] });
    const all = await lambda.send(new ListLayersCommand({}));
    const mine = (all.Layers ?? []).filter((l) => l.LayerName!.startsWith(prefix));
    assert.deepEqual(mine.map((l) => [l.LayerName, l.LayerArn, l.LatestMatchingVersion?.Version]), [
      [a, layerArn(a), 2],
      [b, layerArn(b), 1],
    ]);
    const python = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    assert.deepEqual(
      (python.Layers ?? []).filter((l) => l.LayerName!.startsWith(prefix)).map((l) => [l.LayerName, l.LatestMatchingVersion?.Version]),
      [
        [a, 1],
        [b, 1],
      ],
    );
    const arm = await lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    assert.deepEqual((arm.Layers ?? []).filter((l) => l.LayerName!.startsWith(prefix)).map((l) => l.LayerName), [a]);

    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: a }));
    assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [2, 1]);
    assert.deepEqual(versions.LayerVersions?.[1].CompatibleArchitectures, ['arm64']);
    const node = await lambda.send(new ListLayerVersionsCommand({ LayerName: a, CompatibleRuntime: 'nodejs20.x' }));
    assert.deepEqual(node.LayerVersions?.map((v) => v.Version), [2]);
    const first = await lambda.send(new ListLayerVersionsCommand({ LayerName: a, MaxItems: 1 }));
    assert.deepEqual(first.LayerVersions?.map((v) => v.Version), [2]);
    const rest = await lambda.send(new ListLayerVersionsCommand({ LayerName: a, Marker: first.NextMarker }));
    assert.deepEqual(rest.LayerVersions?.map((v) => v.Version), [1]);
    assert.equal(rest.NextMarker, undefined);
    assert.deepEqual((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'no-such-layer' }))).LayerVersions, []);
    await rejects(lambda.send(new ListLayersCommand({ CompatibleRuntime: 'cobol1.x' as never })), 'ValidationException', 400);
  });

  test('DeleteLayerVersion is idempotent; numbering continues after every version is gone', async () => {
    const name = unique('layer');
    await publish(name, { 'a.txt': 'a' });
    const out = await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'never-published', VersionNumber: 3 }));
    await rejects(lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 })), 'ResourceNotFoundException', 404);
    assert.equal((await lambda.send(new ListLayersCommand({}))).Layers?.some((l) => l.LayerName === name), false);
    assert.equal((await publish(name, { 'a.txt': 'b' })).Version, 2);
    await rejects(lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 0 })), 'InvalidParameterValueException', 400, 'Layer Version Cannot be less than 1');
  });

  test('the layer version policy: add, get, remove, with AWS\'s errors [R]', async () => {
    const name = unique('layer');
    await publish(name, { 'a.txt': 'a' });
    const arn = `${layerArn(name)}:1`;
    await rejects(lambda.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 })), 'ResourceNotFoundException', 404, 'No policy is associated with the given resource.');
    const added = await lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'everyone', Action: 'lambda:GetLayerVersion', Principal: '*' }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement!), { Sid: 'everyone', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: arn });
    await rejects(
      lambda.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'everyone', Action: 'lambda:GetLayerVersion', Principal: '*' })),
      'ResourceConflictException',
      409,
      'The statement id (everyone) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    await rejects(
      lambda.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'x', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: 'stale' })),
      'PreconditionFailedException',
      412,
    );
    const second = await lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'acct', Action: 'lambda:GetLayerVersion', Principal: '111111111111', RevisionId: added.RevisionId }),
    );
    const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(policy.RevisionId, second.RevisionId);
    const doc = JSON.parse(policy.Policy!);
    assert.equal(doc.Version, '2012-10-17');
    assert.deepEqual(doc.Statement.map((s: { Sid: string; Principal: unknown }) => [s.Sid, s.Principal]), [
      ['everyone', '*'],
      ['acct', { AWS: 'arn:aws:iam::111111111111:root' }],
    ]);
    await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'everyone' }));
    await rejects(
      lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'everyone' })),
      'ResourceNotFoundException',
      404,
      'Statement everyone is not found in resource policy.',
    );
    await rejects(
      lambda.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 7, StatementId: 'x', Action: 'lambda:GetLayerVersion', Principal: '*' })),
      'ResourceNotFoundException',
      404,
      `Layer version ${layerArn(name)}:7 does not exist.`,
    );
  });

  test('another account uses a layer version only once its policy grants it', async () => {
    const name = unique('layer');
    const published = await publish(name, { 'nodejs/node_modules/shared-thing/index.js': 'module.exports = "shared";' });
    const other = server.client(LambdaClient, { credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } });
    const fn = unique('xacct');
    const create = async () =>
      other.send(
        new CreateFunctionCommand({
          FunctionName: fn,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::111111111111:role/r',
          Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => require("shared-thing");' }) },
          Layers: [published.LayerVersionArn!],
        }),
      );
    await rejects(create(), 'AccessDeniedException', 403, /is not authorized to perform: lambda:GetLayerVersion/);
    await rejects(other.send(new GetLayerVersionByArnCommand({ Arn: published.LayerVersionArn! })), 'AccessDeniedException', 403);
    await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'other', Action: 'lambda:GetLayerVersion', Principal: '111111111111' }));
    assert.equal((await other.send(new GetLayerVersionByArnCommand({ Arn: published.LayerVersionArn! }))).Version, 1);
    await create();
    await waitUntilFunctionActiveV2({ client: other, maxWaitTime: 10 }, { FunctionName: fn });
    assert.equal(json((await other.send(new InvokeCommand({ FunctionName: fn }))).Payload), 'shared');
  });
});

describe('functions with layers', () => {
  test('Layers must name existing versions, in the function\'s region, one version per layer [R]', async () => {
    const name = unique('layer');
    await publish(name, { 'a.txt': 'a' });
    await publish(name, { 'a.txt': 'b' });
    const missing = `${layerArn(name)}:9`;
    await rejects(createFunction(lambda, unique(), { Layers: [missing] }), 'InvalidParameterValueException', 400, `Layer version ${missing} does not exist.`);
    await rejects(
      createFunction(lambda, unique(), { Layers: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:${name}:1`] }),
      'InvalidParameterValueException',
      400,
      `Layers are not in the same region as the function. Layers are expected to be in region ${REGION}.`,
    );
    await rejects(
      createFunction(lambda, unique(), { Layers: [`${layerArn(name)}:1`, `${layerArn(name)}:2`] }),
      'InvalidParameterValueException',
      400,
      `Two different versions of the same layer are not allowed to be referenced in the same function. ${layerArn(name)}:1 and ${layerArn(name)}:2 are versions of the same layer.`,
    );
    const fn = unique();
    await createFunction(lambda, fn);
    await rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [missing] })), 'InvalidParameterValueException', 400, `Layer version ${missing} does not exist.`);
  });

  test('a Node function requires a module from a layer (nodejs/node_modules); a later layer wins over an earlier one', async () => {
    const first = await publish(unique('node-lib'), {
      'nodejs/node_modules/greeter/index.js': 'module.exports = (n) => `hello ${n} from layer 1`;',
      'nodejs/node_modules/only-first/index.js': 'module.exports = "first";',
    });
    const second = await publish(unique('node-lib'), { 'nodejs/node_modules/greeter/index.js': 'module.exports = (n) => `hello ${n} from layer 2`;' });
    const fn = unique('layered-node');
    await createAndWait(
      fn,
      'nodejs20.x',
      'index.handler',
      { 'index.js': 'const greet = require("greeter"); const first = require("only-first"); exports.handler = async (e) => ({ text: greet(e.name), first });' },
      [first.LayerVersionArn!],
    );
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"name":"ada"}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(json(out.Payload), { text: 'hello ada from layer 1', first: 'first' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: fn }));
    assert.deepEqual(got.Configuration?.Layers, [{ Arn: first.LayerVersionArn, CodeSize: first.Content!.CodeSize }]);

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [first.LayerVersionArn!, second.LayerVersionArn!] }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: fn });
    const merged = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"name":"ada"}') }));
    assert.deepEqual(json(merged.Payload), { text: 'hello ada from layer 2', first: 'first' });
  });

  test('a Python function imports a module from a layer (python/)', async () => {
    const layer = await publish(unique('py-lib'), { 'python/shout.py': 'def shout(s):\n    return s.upper() + "!"\n' }, { CompatibleRuntimes: ['python3.12'] });
    const fn = unique('layered-py');
    await createAndWait(fn, 'python3.12', 'app.handler', { 'app.py': 'from shout import shout\ndef handler(event, context):\n    return {"said": shout(event["text"])}\n' }, [
      layer.LayerVersionArn!,
    ]);
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"text":"layers work"}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(json(out.Payload), { said: 'LAYERS WORK!' });
  });

  test('a function keeps using a layer version deleted after it was added; a new function cannot [D]', async () => {
    const name = unique('doomed');
    const layer = await publish(name, { 'nodejs/node_modules/doomed/index.js': 'module.exports = "still here";' });
    const fn = unique('keeper');
    await createAndWait(fn, 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => require("doomed");' }, [layer.LayerVersionArn!]);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    // A configuration change starts a fresh environment, which still finds the layer's content.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Environment: { Variables: { AFTER: 'delete' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: fn });
    assert.equal(json((await lambda.send(new InvokeCommand({ FunctionName: fn }))).Payload), 'still here');
    // Naming it again in Layers is allowed for the function that already has it.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [layer.LayerVersionArn!] }));
    await rejects(createFunction(lambda, unique(), { Layers: [layer.LayerVersionArn!] }), 'InvalidParameterValueException', 400, `Layer version ${layer.LayerVersionArn} does not exist.`);
  });
});

test('layers, their content and the functions using them survive a restart', async () => {
  const data = tempDataDir();
  let restarted: TestServer | undefined;
  try {
    restarted = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    let client = restarted.client(LambdaClient);
    const name = unique('durable');
    const zip = await makeZip({ 'nodejs/node_modules/durable-lib/index.js': 'module.exports = "durable";' });
    const v1 = await client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip }, LicenseInfo: 'MIT' }));
    await client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 's', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    const gone = await client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await makeZip({ 'other.txt': 'x' }) } }));
    await client.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 2 }));
    const fn = unique('durable-fn');
    await client.send(
      new CreateFunctionCommand({
        FunctionName: fn,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => require("durable-lib");' }) },
        Layers: [v1.LayerVersionArn!],
      }),
    );
    await restarted.stop();
    restarted = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    client = restarted.client(LambdaClient);
    const got = await client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(got.LicenseInfo, 'MIT');
    assert.equal(got.Content?.CodeSha256, v1.Content?.CodeSha256);
    assert.ok(existsSync(fileURLToPath(got.Content!.Location!)));
    assert.equal(JSON.parse((await client.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 }))).Policy!).Statement[0].Sid, 's');
    // The deleted version's content was removed; numbering continues past it.
    assert.equal(existsSync(fileURLToPath(gone.Content!.Location!)), false);
    assert.equal((await client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip } }))).Version, 3);
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 10 }, { FunctionName: fn });
    assert.equal(json((await client.send(new InvokeCommand({ FunctionName: fn }))).Payload), 'durable');
    assert.ok(existsSync(join(data.dir, 'functions', 'layers', ACCOUNT, REGION, name)));
  } finally {
    await restarted?.stop();
    data.cleanup();
  }
});
