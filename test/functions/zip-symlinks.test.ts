/**
 * Symbolic links in deployment packages and layers (zips built with yazl, links as unix mode
 * 0o120777 in the external attributes, as `zip -y` stores them): kept as links in the extracted
 * folder, so a Node function can `require` through them, as on AWS. No entry is ever written
 * through a link: a zip with a file under a link answers AWS's "Could not unzip uploaded file"
 * InvalidParameterValueException (it answered 500 before), and the folder a link points at is
 * left untouched.
 */
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, PublishLayerVersionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import yazl from 'yazl';
import { startTestServer, type TestServer } from '../support/server.js';
import { rejects, ROLE, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;
let outside: string;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
  outside = mkdtempSync(join(tmpdir(), 'stratus-outside-'));
  writeFileSync(join(outside, 'target.txt'), 'untouched');
});
after(async () => {
  await server.stop();
  rmSync(outside, { recursive: true, force: true });
});

type Entry = { name: string; text: string } | { name: string; link: string } | { name: string; folder: true };

/** A .zip of `entries` in order; links carry their target as content and mode 0o120777, as `zip -y` writes them. */
function zipOf(entries: Entry[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const e of entries) {
      if ('folder' in e) zip.addEmptyDirectory(e.name, { mtime: new Date(0) });
      else if ('link' in e) zip.addBuffer(Buffer.from(e.link), e.name, { mtime: new Date(0), mode: 0o120777, compress: false });
      else zip.addBuffer(Buffer.from(e.text), e.name, { mtime: new Date(0) });
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

async function create(name: string, entries: Entry[], layers?: string[]) {
  const out = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: await zipOf(entries) }, Layers: layers }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  return out;
}

/** The folder the function's code was extracted to. */
async function codeDir(name: string): Promise<string> {
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  return fileURLToPath(got.Code!.Location!).replace(/\.zip$/, '');
}

async function invoke(name: string): Promise<unknown> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
  const text = Buffer.from(out.Payload!).toString();
  assert.equal(out.FunctionError, undefined, text);
  return JSON.parse(text);
}

const UNZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

describe('symbolic links in .zip packages', () => {
  test('are kept as links, and a Node function requires through them', async () => {
    const name = unique('links');
    await create(name, [
      { name: 'vendor/greeter/index.js', text: "module.exports = (n) => 'hello ' + n;" },
      { name: 'node_modules/greeter', link: '../vendor/greeter' },
      { name: 'lib/real.js', text: 'module.exports = 42;' },
      { name: 'lib/alias.js', link: 'real.js' },
      { name: 'index.js', text: "exports.handler = async () => ({ greeting: require('greeter')('you'), answer: require('./lib/alias.js') });" },
    ]);
    assert.deepEqual(await invoke(name), { greeting: 'hello you', answer: 42 });
    const dir = await codeDir(name);
    assert.ok(lstatSync(join(dir, 'node_modules', 'greeter')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'node_modules', 'greeter')), '../vendor/greeter');
    assert.equal(readlinkSync(join(dir, 'lib', 'alias.js')), 'real.js');
  });

  test('a link that points outside is kept as it is and nothing is written there', async () => {
    const name = unique('abs-link');
    await create(name, [
      { name: 'outside', link: outside },
      { name: 'etc', link: '/etc' },
      { name: 'index.js', text: "exports.handler = async () => require('fs').readFileSync(__dirname + '/outside/target.txt', 'utf8');" },
    ]);
    assert.equal(await invoke(name), 'untouched');
    assert.equal(readlinkSync(join(await codeDir(name), 'outside')), outside);
    assert.deepEqual(readdirSync(outside), ['target.txt']);
  });

  test('an entry "through" a link is refused with AWS\'s unzip error; nothing is written where the link points', async () => {
    const cases: Entry[][] = [
      [{ name: 'evil', link: outside }, { name: 'evil/pwned.txt', text: 'x' }],
      [{ name: 'evil', link: outside }, { name: 'evil/sub/', folder: true }],
      [{ name: 'up', link: '../../../../../../../../..' + outside }, { name: 'up/pwned.txt', text: 'x' }],
      [{ name: 'a/b', link: outside }, { name: 'a/b/c/d.txt', text: 'x' }],
      [{ name: 'inside', link: 'real' }, { name: 'real/', folder: true }, { name: 'inside/file.txt', text: 'x' }],
      [{ name: 'dir/', folder: true }, { name: 'dir', link: outside }],
    ];
    for (const entries of cases) {
      await rejects(create(unique('through'), [...entries, { name: 'index.js', text: 'exports.handler = async () => 1;' }]), 'InvalidParameterValueException', 400, UNZIP);
      assert.deepEqual(readdirSync(outside), ['target.txt'], JSON.stringify(entries));
    }
    const layer = lambda.send(new PublishLayerVersionCommand({ LayerName: unique('through-layer'), Content: { ZipFile: await zipOf(cases[0]) } }));
    await rejects(layer, 'InvalidParameterValueException', 400, UNZIP);
    assert.deepEqual(readdirSync(outside), ['target.txt']);
  });

  test('a file after a link of the same name replaces the link, never writes into what it points at', async () => {
    const name = unique('replace');
    await create(name, [
      { name: 'data.txt', link: join(outside, 'target.txt') },
      { name: 'data.txt', text: 'the file' },
      { name: 'index.js', text: "exports.handler = async () => require('fs').readFileSync(__dirname + '/data.txt', 'utf8');" },
    ]);
    assert.equal(await invoke(name), 'the file');
    assert.equal(readFileSync(join(outside, 'target.txt'), 'utf8'), 'untouched');
    assert.ok(!lstatSync(join(await codeDir(name), 'data.txt')).isSymbolicLink());
  });

  test('layers keep their links too: a function requires a layer package through one', async () => {
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: unique('linked-layer'),
        Content: {
          ZipFile: await zipOf([
            { name: 'lib/shout/index.js', text: 'module.exports = (s) => s.toUpperCase();' },
            { name: 'nodejs/node_modules/shout', link: '../../lib/shout' },
          ]),
        },
      }),
    );
    const name = unique('uses-layer');
    await create(name, [{ name: 'index.js', text: "exports.handler = async () => require('shout')('quiet');" }], [layer.LayerVersionArn!]);
    assert.equal(await invoke(name), 'QUIET');
    assert.ok(existsSync(outside));
  });
});
