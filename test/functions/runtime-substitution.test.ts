/**
 * Runtimes the host lacks: a real `stratus start` whose PATH leads to a Python without boto3 (a
 * fresh virtual environment) runs a `nodejs*.x` or `python3.x` function of another version on what
 * it has, and says so — once in each execution environment's log stream, before its first START,
 * and once per runtime in the server's log. A Python function whose `import boto3` fails is told
 * why and what to do (AWS's Python runtimes include boto3; a host's Python may not).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';
import { runFunction } from './node-runtime-support.js';

let server: ChildServer;
let lambda: LambdaClient;
let venv: string;
let path: string;
const data = tempDataDir();

before(async () => {
  venv = mkdtempSync(join(tmpdir(), 'stratus-venv-'));
  const made = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  path = [join(venv, 'bin'), process.env.PATH ?? ''].join(delimiter);
  server = await spawnServer({ dataDir: data.dir, env: { PATH: path } });
  lambda = new LambdaClient(clientConfigFor(server.url));
});
after(async () => {
  lambda?.destroy();
  await server?.kill('SIGTERM');
  data.cleanup();
  rmSync(venv, { recursive: true, force: true });
});

const hostNode = process.versions.node;
const hostMajor = hostNode.split('.')[0];
const NODE_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

/** The lines of a log tail up to the first START line. */
const beforeStart = (log: string) => log.slice(0, log.indexOf('START RequestId:')).split('\n').filter(Boolean);

describe('Node.js', () => {
  const other = NODE_RUNTIMES.find((r) => r !== `nodejs${hostMajor}.x`)!;
  const otherMajor = /\d+/.exec(other)![0];
  const notice = `Stratus: this host has no Node.js ${otherMajor}, so ${other} runs on Node.js ${hostNode}`;

  test(`${other} on this host's Node.js ${hostMajor}: said in each environment's log stream, and once in the server log`, async () => {
    const files = { 'index.js': 'exports.handler = async () => process.version;' };
    const first = await runFunction(lambda, files, { runtime: other });
    const second = await runFunction(lambda, files, { runtime: other });
    assert.equal(first.payload, `v${hostNode}`);
    for (const out of [first, second]) assert.deepEqual(beforeStart(out.log), [notice]);
    assert.equal(server.output().split(notice).length - 1, 1, server.output());
    assert.match(server.output(), new RegExp(`WARN ${notice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\{"runtime":"${other}"\\}`));
  });

  test(`nodejs${hostMajor}.x, which this host has: no such line`, { skip: !NODE_RUNTIMES.includes(`nodejs${hostMajor}.x`) }, async () => {
    const out = await runFunction(lambda, { 'index.js': 'exports.handler = async () => 1;' }, { runtime: `nodejs${hostMajor}.x` });
    assert.deepEqual(beforeStart(out.log), []);
    assert.doesNotMatch(server.output(), new RegExp(`no Node.js ${hostMajor},`));
  });
});

describe('Python', () => {
  const venvVersion = () => spawnSync(join(venv, 'bin', 'python3'), ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).stdout.trim();
  /** A python3.x this PATH cannot run (the venv's own version it can). */
  const missingRuntime = () =>
    ['3.9', '3.10', '3.11', '3.12', '3.13'].map((v) => `python${v}`).find((r) => spawnSync(r, ['-c', 'pass'], { env: { ...process.env, PATH: path } }).status !== 0);

  test('a python3.x this host lacks runs on its python3, and says so', async () => {
    const runtime = missingRuntime();
    assert.ok(runtime, 'a Python version missing here');
    const out = await runFunction(lambda, { 'index.py': 'import sys\ndef handler(event, context):\n    return "%d.%d.%d" % sys.version_info[:3]\n' }, { runtime });
    const version = venvVersion();
    assert.equal(out.payload, version);
    const notice = `Stratus: this host has no Python ${runtime.slice('python'.length)}, so ${runtime} runs on Python ${version} (${join(venv, 'bin', 'python3')})`;
    assert.deepEqual(beforeStart(out.log), [notice]);
    assert.equal(server.output().split(notice).length - 1, 1);
  });

  test('`import boto3` on a Python without it: Runtime.ImportModuleError saying what to do', async () => {
    const runtime = missingRuntime()!;
    const out = await runFunction(lambda, { 'index.py': 'import boto3\ndef handler(event, context):\n    return 1\n' }, { runtime });
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.payload.errorType, 'Runtime.ImportModuleError');
    const python = join(venv, 'bin', 'python3');
    assert.equal(
      out.payload.errorMessage,
      `Unable to import module 'index': No module named 'boto3'. AWS's Python runtimes include boto3, but Stratus runs this function on the host's Python (${python}), ` +
        `which does not have it: install it there (${python} -m pip install boto3), or add it to the function's package or to a layer (python/)`,
    );
  });

  test('the same advice when the handler imports it while handling an event', async () => {
    const out = await runFunction(lambda, { 'index.py': 'def handler(event, context):\n    import botocore.session\n    return 1\n' }, { runtime: missingRuntime()! });
    assert.equal(out.payload.errorType, 'ModuleNotFoundError');
    assert.match(out.payload.errorMessage, /^No module named 'botocore'\. AWS's Python runtimes include botocore, but Stratus runs this function on the host's Python/);
  });
});
