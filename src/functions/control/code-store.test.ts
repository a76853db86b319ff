import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import yazl from 'yazl';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Reader } from '../../store/store.js';
import { functionsMigrations } from '../repository/migrations.js';
import { codeSql } from '../repository/statements.js';
import { CodeStore, functionOwner, layerOwner, storedDigest } from './code-store.js';

const FN = functionOwner({ accountId: '000000000000', region: 'us-east-1', name: 'fn' });
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function makeZip(files: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name, { mtime: new Date(0) });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A store holding `zip`, a data folder, and a code store over them that counts the reads of the store. */
async function setUp(zip: Buffer | undefined): Promise<{ code: CodeStore; dataDir: string; sha256: string; reads: () => number; close(): Promise<void> }> {
  const store = new SqliteStore({ filename: ':memory:' });
  await store.migrate(functionsMigrations);
  const sha256 = createHash('sha256').update(zip ?? '').digest('base64');
  if (zip) await store.write((tx) => tx.run(codeSql.insertZip, [sha256, zip]));
  let reads = 0;
  const counting: Reader = {
    get: (sql, params) => {
      reads++;
      return store.get(sql, params);
    },
    all: (sql, params) => store.all(sql, params),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-code-store-'));
  roots.push(dataDir);
  return { code: new CodeStore({ dataDir, inMemory: false, store: counting }), dataDir, sha256, reads: () => reads, close: () => store.close() };
}

test('a missing folder is rebuilt from the stored .zip once, however many invocations ask for it together', async () => {
  const zip = await makeZip({ 'index.js': 'exports.handler = 1;' });
  const { code, dataDir, sha256, reads, close } = await setUp(zip);
  const places = await Promise.all(Array.from({ length: 5 }, () => code.ready(FN, { sha256 })));
  const hex = Buffer.from(sha256, 'base64').toString('hex');
  const expected = join(dataDir, 'functions', '000000000000', 'us-east-1', 'fn', hex);
  assert.deepEqual(new Set(places.map((p) => p.dir)), new Set([expected]));
  assert.equal(reads(), 1, 'one read of the store for five invocations');
  assert.equal(readFileSync(join(expected, 'index.js'), 'utf8'), 'exports.handler = 1;');
  assert.deepEqual(readFileSync(`${expected}.zip`), zip);
  assert.deepEqual(readdirSync(join(expected, '..')).sort(), [hex, `${hex}.zip`], 'no staging folder left');
  await code.ready(FN, { sha256 });
  assert.equal(reads(), 1, 'a folder that is there is used as it is');
  await close();
});

test('rows from before code lived in the store: their folder while it is there, else rebuilt by digest, else as they were', async () => {
  const zip = await makeZip({ 'index.js': 'old' });
  const { code, dataDir, sha256, close } = await setUp(zip);
  const hex = Buffer.from(sha256, 'base64').toString('hex');
  // Where another data folder (moved or on another machine) extracted it.
  const elsewhere = mkdtempSync(join(tmpdir(), 'stratus-old-data-'));
  roots.push(elsewhere);
  const oldDir = join(elsewhere, 'functions', '000000000000', 'us-east-1', 'fn', hex);
  mkdirSync(oldDir, { recursive: true });
  writeFileSync(join(oldDir, 'index.js'), 'there');
  const old = { sha256, size: zip.length, dir: oldDir, zipPath: `${oldDir}.zip` };
  assert.equal((await code.ready(FN, old)).dir, oldDir);
  assert.equal(await code.location(FN, old), `file://${oldDir}.zip`);

  rmSync(elsewhere, { recursive: true, force: true });
  const rebuilt = await code.ready(FN, old);
  assert.equal(rebuilt.dir, join(dataDir, 'functions', '000000000000', 'us-east-1', 'fn', hex));
  assert.equal(readFileSync(join(rebuilt.dir, 'index.js'), 'utf8'), 'old');

  // A layer reference of then named only the folder: the digest is its name.
  const layer = layerOwner({ accountId: '000000000000', region: 'us-east-1', name: 'lib' });
  const ref = { dir: join(elsewhere, 'functions', 'layers', '000000000000', 'us-east-1', 'lib', hex) };
  assert.equal(storedDigest(ref), sha256);
  assert.equal((await code.ready(layer, ref)).dir, join(dataDir, 'functions', 'layers', '000000000000', 'us-east-1', 'lib', hex));
  await close();
});

test('an old row whose .zip is not in the store and whose folder is gone keeps its folder, and nothing is written', async () => {
  const { code, dataDir, close } = await setUp(undefined);
  const sha256 = createHash('sha256').update('never stored').digest('base64');
  const hex = Buffer.from(sha256, 'base64').toString('hex');
  const gone = join(tmpdir(), 'stratus-gone', hex);
  assert.equal((await code.ready(FN, { sha256, dir: gone })).dir, gone);
  assert.equal(existsSync(join(dataDir, 'functions', '000000000000', 'us-east-1', 'fn', hex)), false);
  // A hot-reload folder is used where it is, whatever it holds.
  assert.equal((await code.ready(FN, { sha256, dir: gone, hotReload: true })).dir, gone);
  await close();
});
