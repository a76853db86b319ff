/**
 * No request can touch a file outside its own resource's folder. Function code and layer content
 * are stored under folders named from the request (account, the SigV4 credential scope's region,
 * the function or layer name); with a region of `..` an earlier version stored a layer one level
 * up (the data folder then failed to start), and DeleteFunction of a function named
 * `000000000000`, or `layers`, removed every function's code of the account, or every layer.
 *
 * Raw signed requests (the SDKs refuse such regions client-side) with hostile regions and names
 * drive CreateFunction, UpdateFunctionCode, DeleteFunction, PublishLayerVersion and
 * DeleteLayerVersion against a real server on a temporary data folder. After each, the files
 * under the folder around the data folder are compared with the listing before: what changed must
 * lie inside the resource's own folder (which held nothing else before it was created), and only
 * in the way the request entitles (create and update add, delete removes). A request may also be
 * refused (4xx; the region may be validated before it reaches Lambda), never answered 5xx. The
 * data folder then starts again, with the functions and layers it held intact.
 */
import { GetLayerVersionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { NodeSha256 } from '../../src/server/node-sha256.js';
import { startTestServer, TEST_CREDENTIALS, type TestServer } from '../support/server.js';
import { createFunction, makeZip } from './control-plane-support.js';

const REGIONS = ['..', '.', '...', '%2e%2e', 'x'.repeat(300), '000000000000', 'layers', 'US-EAST-1', 'us-east-1'];
const FUNCTION_NAMES = ['000000000000', 'layers', 'plain-name', '..', '%2e%2e', 'a%2F..%2F..', 'n'.repeat(65)];
const LAYER_NAMES = ['000000000000', 'layers', 'plain-layer', '..', 'a%2F..', 'l'.repeat(140), 'l'.repeat(141)];

/** Every file (and link) under `dir`, relative, with its size; the SQLite files and the data folder's lock aside. */
function listing(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/^stratus\.(db|lock)/.test(entry.name)) out.set(relative(dir, path), lstatSync(path).size);
    }
  };
  walk(dir);
  return out;
}

interface Change {
  added: string[];
  removed: string[];
  modified: string[];
}

function diff(before: Map<string, number>, after: Map<string, number>): Change {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const modified = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
  return { added, removed, modified };
}

const under = (folder: string) => (path: string): boolean => path.startsWith(folder + sep);

test('hostile regions and names touch no file outside their own resource folder', { timeout: 180_000 }, async () => {
  const outer = mkdtempSync(join(tmpdir(), 'stratus-paths-'));
  const dataDir = join(outer, 'data');
  mkdirSync(dataDir);
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ config: { inMemory: false, dataDir } });
    const lambda = server.client(LambdaClient);
    const url = new URL(server.url);

    const call = async (region: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
      const request = new HttpRequest({
        method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path,
        headers: { host: url.host, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const signed = await new SignatureV4({ service: 'lambda', region, credentials: TEST_CREDENTIALS, sha256: NodeSha256 }).sign(request);
      const res = await fetch(`${server!.url}${path}`, { method, headers: signed.headers as Record<string, string>, body: signed.body as string | undefined });
      const text = await res.text();
      assert.ok(res.status < 500, `${method} ${path} in region ${JSON.stringify(region.slice(0, 20))} answered ${res.status}: ${text}`);
      return { status: res.status, json: text ? JSON.parse(text) : {} };
    };

    // What must survive: a function and a layer of the account in its usual region.
    const victimZip = await makeZip({ 'index.js': 'exports.handler = async () => "still here";' });
    await createFunction(lambda, 'victim', { Code: { ZipFile: victimZip } });
    await call('us-east-1', 'POST', '/2018-10-31/layers/victimlayer/versions', { Content: { ZipFile: (await makeZip({ 'nodejs/v.js': 'v' })).toString('base64') } });
    const victimFiles = [...listing(outer).keys()];
    assert.ok(victimFiles.length >= 4, victimFiles.join('\n'));

    const codeA = (await makeZip({ 'index.js': 'exports.handler = async () => "a";' })).toString('base64');
    const codeB = (await makeZip({ 'index.js': 'exports.handler = async () => "b";', 'lib/b.js': 'b' })).toString('base64');
    const layerZip = (await makeZip({ 'nodejs/node_modules/m/index.js': 'module.exports = 1;' })).toString('base64');
    const functionsRoot = join('data', 'functions');

    /**
     * Runs one request and checks what it changed on disk against `entitled`. DeleteFunction
     * removes code once the function's environments are gone, a moment after it answers: until
     * `entitled` holds (or a second passed), every listing taken must still pass it or be a step
     * on the way (nothing changed yet).
     */
    const step = async (label: string, run: () => Promise<{ status: number; json: any }>, entitled: (change: Change) => void): Promise<{ status: number; json: any }> => {
      const before = listing(outer);
      const answer = await run();
      const deadline = Date.now() + 1000;
      for (;;) {
        const change = diff(before, listing(outer));
        try {
          assert.deepEqual(change.modified, [], 'no existing file changes');
          entitled(change);
          return answer;
        } catch (error) {
          const unchanged = change.added.length === 0 && change.removed.length === 0 && change.modified.length === 0;
          if (!unchanged || Date.now() > deadline) throw new Error(`${label}: ${(error as Error).message}\n${JSON.stringify(change, null, 1)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const nothing = (change: Change): void => assert.deepEqual([change.added, change.removed], [[], []]);

    for (const region of REGIONS) {
      for (const name of FUNCTION_NAMES) {
        const label = `function ${name.slice(0, 20)} in region ${region.slice(0, 20)}`;
        const path = `/2015-03-31/functions/${name}`;
        let folder: string | undefined;
        const created = await step(`${label}: CreateFunction`, () =>
          call(region, 'POST', '/2015-03-31/functions', { FunctionName: decodeURIComponent(name), Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', Code: { ZipFile: codeA } }),
          (change) => {
            if (change.added.length === 0) return assert.deepEqual(change.removed, []);
            // All that was added lies in one folder, <data>/functions/<account>/<region>/<name>, new.
            const folders = new Set(change.added.map((p) => p.split(sep).slice(0, 5).join(sep)));
            assert.equal(folders.size, 1, [...folders].join(', '));
            folder = [...folders][0];
            assert.ok(under(functionsRoot)(folder) && folder.split(sep).length === 5, folder);
            assert.deepEqual(change.removed, []);
          },
        );
        if (created.status >= 300) {
          assert.equal(folder, undefined);
          continue;
        }
        assert.ok(folder, `${label}: created without storing code`);
        const got = await call(region, 'GET', path);
        assert.equal(relative(outer, dirname(fileURLToPath(got.json.Code.Location))), folder);
        assert.ok(!victimFiles.some(under(folder)), `${label}: its folder ${folder} holds other resources' files`);
        await step(`${label}: UpdateFunctionCode`, () => call(region, 'PUT', `${path}/code`, { ZipFile: codeB }), (change) => {
          assert.ok(change.added.length > 0 && change.added.every(under(folder!)));
          assert.deepEqual(change.removed, []);
        });
        await step(`${label}: DeleteFunction`, () => call(region, 'DELETE', path), (change) => {
          assert.deepEqual(change.added, []);
          assert.ok(change.removed.length > 0 && change.removed.every(under(folder!)));
        });
        // Deleting what is not there (again) touches nothing.
        await step(`${label}: DeleteFunction again`, () => call(region, 'DELETE', path), nothing);
      }

      for (const name of LAYER_NAMES) {
        const label = `layer ${name.slice(0, 20)} in region ${region.slice(0, 20)}`;
        let folder: string | undefined;
        const published = await step(`${label}: PublishLayerVersion`, () => call(region, 'POST', `/2018-10-31/layers/${name}/versions`, { Content: { ZipFile: layerZip } }), (change) => {
          if (change.added.length === 0) return assert.deepEqual(change.removed, []);
          const folders = new Set(change.added.map((p) => p.split(sep).slice(0, 6).join(sep)));
          assert.equal(folders.size, 1, [...folders].join(', '));
          folder = [...folders][0];
          assert.ok(under(join(functionsRoot, 'layers'))(folder) && folder.split(sep).length === 6, folder);
          assert.deepEqual(change.removed, []);
        });
        if (published.status >= 300) {
          assert.equal(folder, undefined);
          continue;
        }
        assert.ok(folder, `${label}: published without storing content`);
        assert.equal(relative(outer, dirname(fileURLToPath(published.json.Content.Location))), folder);
        assert.ok(!victimFiles.some(under(folder)), `${label}: its folder ${folder} holds other resources' files`);
        await step(`${label}: DeleteLayerVersion`, () => call(region, 'DELETE', `/2018-10-31/layers/${name}/versions/${published.json.Version}`), (change) => {
          assert.deepEqual(change.added, []);
          assert.ok(change.removed.length > 0 && change.removed.every(under(folder!)));
        });
      }
    }

    // The victims are whole, and the data folder starts again.
    const now = listing(outer);
    assert.deepEqual(victimFiles.filter((f) => !now.has(f)), []);
    await server.stop();
    server = await startTestServer({ config: { inMemory: false, dataDir } });
    const again = server.client(LambdaClient);
    const out = await again.send(new InvokeCommand({ FunctionName: 'victim' }));
    assert.equal(Buffer.from(out.Payload!).toString(), '"still here"');
    assert.equal((await again.send(new GetLayerVersionCommand({ LayerName: 'victimlayer', VersionNumber: 1 }))).Version, 1);
    assert.deepEqual(victimFiles.filter((f) => !listing(outer).has(f)), []);
  } finally {
    await server?.stop();
    rmSync(outer, { recursive: true, force: true });
  }
});

test('a data folder where an earlier version misplaced layer content starts, and the sweep leaves what it does not know', async () => {
  const outer = mkdtempSync(join(tmpdir(), 'stratus-paths-'));
  const dataDir = join(outer, 'data');
  let server: TestServer | undefined;
  try {
    // A layer published in region `..` by the earlier version: <root>/layers/<account>/../<layer>/<hex>[.zip],
    // that is one level up, where the sweep expects account folders.
    const hex = 'ab'.repeat(32);
    const misplaced = join(dataDir, 'functions', 'layers', 'mylayer');
    mkdirSync(join(misplaced, hex, 'nodejs'), { recursive: true });
    writeFileSync(join(misplaced, hex, 'nodejs', 'm.js'), 'module.exports = 1;');
    writeFileSync(join(misplaced, `${hex}.zip`), 'zip');
    // And stray files where folders are expected.
    writeFileSync(join(dataDir, 'functions', 'layers', 'stray.txt'), 'x');
    mkdirSync(join(dataDir, 'functions', 'layers', '000000000000', 'us-east-1'), { recursive: true });
    writeFileSync(join(dataDir, 'functions', 'layers', '000000000000', 'us-east-1', 'not-a-folder'), 'x');
    const before = listing(outer);
    server = await startTestServer({ config: { inMemory: false, dataDir } });
    assert.equal((await fetch(`${server.url}/_stratus/health`)).status, 200);
    assert.deepEqual(diff(before, listing(outer)), { added: [], removed: [], modified: [] });
  } finally {
    await server?.stop();
    rmSync(outer, { recursive: true, force: true });
  }
});
