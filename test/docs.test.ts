/**
 * The README and the pages under docs/ say what is true: they point at nothing outside the
 * repository, their links resolve, the "Running today" line names exactly the services the
 * build serves, and the quick starts run as written with the AWS CLI that is installed (v1 or
 * v2: each version's own way of passing a payload), against a real server.
 */
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { awsCliInstalled, awsCliV2 } from './support/aws-cli.js';
import { startTestServer, type TestServer } from './support/server.js';

/** dist/test/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (page: string): string => readFileSync(join(ROOT, page), 'utf8');

/** What the README calls each service the build serves, by signing name. */
const DISPLAY_NAMES: Record<string, string> = { sqs: 'SQS', events: 'EventBridge', lambda: 'Lambda', logs: 'CloudWatch Logs', states: 'Step Functions', sns: 'SNS', apigateway: 'API Gateway' };

/** The fenced blocks of a page in the given language, in order. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** Shell commands of a block, continuation lines joined, comments and blank lines dropped. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The commands the installed CLI takes: v1 refuses --cli-binary-format, v2 reads a bare --payload as base64. */
function forThisCli(list: string[]): string[] {
  return list.filter((c) => (awsCliV2 ? !(c.includes("--payload '") && !c.includes('--cli-binary-format')) : !c.includes('--cli-binary-format')));
}

const run = promisify(execFile);

/** Runs commands with bash in a fresh folder, the endpoint swapped for the test server's, HOME of its own. */
async function runScript(script: string[], url: string, files: Record<string, string> = {}): Promise<{ stdout: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-docs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const text = ['set -euo pipefail', ...script].join('\n').replaceAll('http://127.0.0.1:4566', url);
  const env = { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
  const { stdout } = await run('bash', ['-c', text], { cwd: dir, env, timeout: 120_000 });
  return { stdout, dir };
}

describe('README and docs/', () => {
  test('nothing points outside the repository, and every relative link resolves', () => {
    const outside: string[] = [];
    const broken: string[] = [];
    for (const page of PAGES) {
      const text = read(page);
      for (const m of text.matchAll(/\.\.\/shared|\/work\/|\.\.\/\.library/g)) outside.push(`${page}: ${m[0]}`);
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        const path = resolve(ROOT, dirname(page), target);
        if (relative(ROOT, path).startsWith('..')) outside.push(`${page}: ${target}`);
        else if (!existsSync(path)) broken.push(`${page}: ${target}`);
      }
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(broken, []);
  });

  test('"Running today" names exactly the services the build serves', async () => {
    const server = await startTestServer();
    try {
      // API Gateway's REST and HTTP/WebSocket APIs are two definitions under one signing name.
      const served = [...new Set((await server.stratus.definitions()).map((d) => DISPLAY_NAMES[d.signingName] ?? d.signingName))];
      const line = /^\*\*Running today:\*\* (.+)\.$/m.exec(read('README.md'));
      assert.ok(line, 'README has no "**Running today:** …" line');
      assert.deepEqual(line[1].split(', ').sort(), served.sort());
    } finally {
      await server.stop();
    }
  });
});

describe('the quick starts run as written', { skip: awsCliInstalled ? false : 'no AWS CLI installed' }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('README: a rule sends a big order to a queue', { timeout: 120_000 }, async () => {
    const [block] = blocks(read('README.md'), 'sh').filter((b) => b.includes('events put-rule'));
    assert.ok(block, 'README has the event-driven quick start');
    const { stdout, dir } = await runScript(commands(block), server.url);
    rmSync(dir, { recursive: true, force: true });
    const received = JSON.parse(stdout.slice(stdout.lastIndexOf('{\n    "Messages"'))) as { Messages: { Body: string }[] };
    assert.deepEqual(JSON.parse(received.Messages[0].Body).detail, { total: 250 });
  });

  test('docs/gateway.md: a REST API with a MOCK method created, deployed and called', { timeout: 120_000 }, async () => {
    const [block] = blocks(read('docs/gateway.md'), 'sh').filter((b) => b.includes('apigateway create-rest-api'));
    assert.ok(block, 'docs/gateway.md has the commands');
    const { stdout, dir } = await runScript(commands(block), server.url);
    rmSync(dir, { recursive: true, force: true });
    assert.ok(stdout.trimEnd().endsWith('{"hello": "world"}'), stdout.slice(-200));
  });

  test('docs/states.md: a state machine created, published, listed, described by version, aliased, run', { timeout: 120_000 }, async () => {
    const [block] = blocks(read('docs/states.md'), 'sh').filter((b) => b.includes('stepfunctions create-state-machine'));
    assert.ok(block, 'docs/states.md has the commands');
    const { stdout, dir } = await runScript(commands(block), server.url);
    rmSync(dir, { recursive: true, force: true });
    assert.match(stdout, /"stateMachineVersionArn": "arn:aws:states:us-east-1:000000000000:stateMachine:hello:1"/);
    assert.match(stdout, /"stateMachineAliasArn": "arn:aws:states:us-east-1:000000000000:stateMachine:hello:live"/);
    assert.match(stdout, /"executionArn": "arn:aws:states:us-east-1:000000000000:execution:hello:first"/);
    assert.match(stdout, /"type": "ExecutionSucceeded"/);
  });

  test('docs/topics.md: a queue subscribed with a filter policy gets the big order published', { timeout: 120_000 }, async () => {
    const [block] = blocks(read('docs/topics.md'), 'sh').filter((b) => b.includes('sns create-topic'));
    assert.ok(block, 'docs/topics.md has the commands');
    const { stdout, dir } = await runScript(commands(block), server.url);
    rmSync(dir, { recursive: true, force: true });
    const received = JSON.parse(stdout.slice(stdout.lastIndexOf('{\n    "Messages"'))) as { Messages: { Body: string }[] };
    assert.equal(JSON.parse(received.Messages[0].Body).Message, 'a big order');
  });

  test('docs/functions.md: the function it shows, zipped, created, invoked', { timeout: 120_000 }, async () => {
    const page = read('docs/functions.md');
    const [indexJs] = blocks(page, 'js');
    const [block] = blocks(page, 'sh').filter((b) => b.includes('lambda create-function'));
    assert.ok(indexJs && block, 'docs/functions.md has index.js and the commands');
    const { dir } = await runScript(forThisCli(commands(block)), server.url, { 'index.js': indexJs });
    try {
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')), { greeting: 'hello, stratus' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
