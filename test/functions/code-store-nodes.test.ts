/**
 * Function code and layer content live in the store; a node's data folder only caches them. A
 * node with another data folder on the same store (PostgreSQL: the next leader after one died)
 * runs the functions another stored, and a node whose `<dataDir>/functions` was wiped runs them
 * again; both rebuild the folders from the .zip in the store. The .zip rows go once nothing refers
 * to them.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionCommand,
  InvokeCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { postgresStoreFor, readStoreOf, startTestServer, tempDataDir, TEST_POSTGRES, type TestServer } from '../support/server.js';
import { createFunction, makeZip, ROLE, unique } from './control-plane-support.js';

const json = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const handler = (label: string) => `exports.handler = async () => ({ code: '${label}', lib: require('shared-lib') });`;
const LAYER_FILES = { 'nodejs/node_modules/shared-lib/index.js': 'module.exports = "from the layer";' };

async function invoke(lambda: LambdaClient, name: string, qualifier?: string): Promise<unknown> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return json(out.Payload);
}

/** The digests of the .zips the store holds, once the server on it is stopped. */
const storedZips = async (dataDir: string, schema?: string): Promise<number> =>
  (await readStoreOf<{ sha256: string }>(dataDir, 'SELECT sha256 FROM lambda_code', schema)).length;

test(
  'a node with another, empty data folder on the same store runs the functions and layers another node stored',
  { skip: TEST_POSTGRES === undefined ? 'two data folders share a store only on PostgreSQL (a SQLite store is a file in its data folder): run with STRATUS_TEST_STORES=postgres' : false, timeout: 120_000 },
  async () => {
    const schema = `code_nodes_${randomBytes(6).toString('hex')}`;
    const store = postgresStoreFor(schema);
    const one = tempDataDir();
    const two = tempDataDir();
    let server: TestServer | undefined;
    try {
      server = await startTestServer({ config: { inMemory: false, dataDir: one.dir, store } });
      let lambda = server.client(LambdaClient);
      const layerName = unique('shared-layer');
      const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: layerName, Content: { ZipFile: await makeZip(LAYER_FILES) } }));
      const name = unique('roaming');
      await createFunction(lambda, name, { Code: { ZipFile: await makeZip({ 'index.js': handler('v1') }) }, Layers: [layer.LayerVersionArn!], Publish: true });
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await makeZip({ 'index.js': handler('v2') }) }));
      assert.deepEqual(await invoke(lambda, name), { code: 'v2', lib: 'from the layer' });
      await server.stop();
      server = undefined;
      one.cleanup(); // as good as on another machine

      server = await startTestServer({ config: { inMemory: false, dataDir: two.dir, store } });
      lambda = server.client(LambdaClient);
      const [latest, first] = await Promise.all([invoke(lambda, name), invoke(lambda, name, '1')]);
      assert.deepEqual(latest, { code: 'v2', lib: 'from the layer' });
      assert.deepEqual(first, { code: 'v1', lib: 'from the layer' });
      // What GetFunction and GetLayerVersion point at is on this node.
      const code = fileURLToPath((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Code!.Location!);
      assert.ok(code.startsWith(join(two.dir, 'functions')) && existsSync(code), code);
      const content = fileURLToPath((await lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 }))).Content!.Location!);
      assert.ok(content.startsWith(join(two.dir, 'functions', 'layers')) && existsSync(content), content);
      await server.stop();
      server = undefined;
      assert.equal(await storedZips(two.dir, schema), 3, 'v1, v2 and the layer');

      // Deletes on this node take the rows nothing refers to any more.
      server = await startTestServer({ config: { inMemory: false, dataDir: two.dir, store } });
      lambda = server.client(LambdaClient);
      await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
      await lambda.send(new DeleteLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 }));
      await server.stop();
      server = undefined;
      assert.equal(await storedZips(two.dir, schema), 0);
    } finally {
      await server?.stop();
      one.cleanup();
      two.cleanup();
    }
  },
);

test('functions run again after <dataDir>/functions was wiped between two starts; shared .zip rows go with their last user', { timeout: 120_000 }, async () => {
  const data = tempDataDir();
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    let lambda = server.client(LambdaClient);
    const layerName = unique('wiped-layer');
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: layerName, Content: { ZipFile: await makeZip(LAYER_FILES) } }));
    const zip = await makeZip({ 'index.js': handler('same') });
    const [a, b] = [unique('wiped'), unique('wiped')];
    for (const name of [a, b]) await createFunction(lambda, name, { Code: { ZipFile: zip }, Layers: [layer.LayerVersionArn!] });
    // The layer version is deleted while functions use it: they keep its content.
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 }));
    await server.stop();
    server = undefined;
    assert.equal(await storedZips(data.dir), 2, 'one row for the code both functions share, one for the layer');

    rmSync(join(data.dir, 'functions'), { recursive: true, force: true });
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    lambda = server.client(LambdaClient);
    // Asked together, the same folders are rebuilt once and every invocation runs.
    const answers = await Promise.all([invoke(lambda, a), invoke(lambda, a), invoke(lambda, b)]);
    assert.deepEqual(answers, Array(3).fill({ code: 'same', lib: 'from the layer' }));

    await lambda.send(new DeleteFunctionCommand({ FunctionName: a }));
    assert.deepEqual(await invoke(lambda, b), { code: 'same', lib: 'from the layer' });
    await server.stop();
    server = undefined;
    assert.equal(await storedZips(data.dir), 2, 'the other function still uses both');

    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    await server.client(LambdaClient).send(new DeleteFunctionCommand({ FunctionName: b }));
    await server.stop();
    server = undefined;
    assert.equal(await storedZips(data.dir), 0);
  } finally {
    await server?.stop();
    data.cleanup();
  }
});

test('a layer version deleted while a function taking it up is being created leaves its content in the store for that function', { timeout: 120_000 }, async () => {
  const data = tempDataDir();
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    let lambda = server.client(LambdaClient);
    const created: [name: string, label: string][] = [];
    // One request goes out a little after the other, each way round: a create sent first resolves
    // the layer and then stores its own code while the delete is written; a create sent just
    // after the delete arrives while the delete is being written, before its commit. Either the
    // function is created with the layer's content kept, or it is refused as for any deleted version.
    const rounds = [0, 1, 2, 5, 10].flatMap((delayMs) => [{ deleteFirst: false, delayMs }, { deleteFirst: true, delayMs }]);
    for (let i = 0; i < rounds.length; i++) {
      const { deleteFirst, delayMs } = rounds[i];
      const later = <T>(send: () => Promise<T>): Promise<T> => new Promise((resolve) => setTimeout(resolve, delayMs)).then(send);
      const layerName = unique('racing-layer');
      // Bytes of its own, which no other layer version or function holds.
      const content = await makeZip({ ...LAYER_FILES, 'nodejs/round.txt': String(i) });
      const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: layerName, Content: { ZipFile: content } }));
      const name = unique('racing');
      const code = await makeZip({ 'index.js': handler(`racing ${i}`) });
      const createFunction = () =>
        lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: code }, Layers: [layer.LayerVersionArn!] }));
      const deleteLayerVersion = () => lambda.send(new DeleteLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 }));
      const [create, deleted] = await Promise.allSettled(deleteFirst ? [later(createFunction), deleteLayerVersion()] : [createFunction(), later(deleteLayerVersion)]);
      assert.equal(deleted.status, 'fulfilled');
      if (create.status === 'fulfilled') created.push([name, `racing ${i}`]);
      else assert.equal((create.reason as Error).message, `Layer version ${layer.LayerVersionArn} does not exist.`);
    }
    assert.ok(created.length > 0, 'some function was created');
    await server.stop();
    server = undefined;

    rmSync(join(data.dir, 'functions'), { recursive: true, force: true });
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    lambda = server.client(LambdaClient);
    for (const [name, label] of created) assert.deepEqual(await invoke(lambda, name), { code: label, lib: 'from the layer' });
  } finally {
    await server?.stop();
    data.cleanup();
  }
});
