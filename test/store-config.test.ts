/**
 * Choosing the store: `--store postgres://…`, what a bad one answers (one line, no stack, a
 * non-zero exit), a store a newer Stratus migrated, and what /_stratus/health and /info say.
 */
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { postgresStoreFor, startTestServer, tempDataDir, TEST_POSTGRES } from './support/server.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const needsPostgres = TEST_POSTGRES === undefined && 'runs in the PostgreSQL pass (scripts/run-tests.mjs)';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Runs `stratus start` expecting it to fail at start: its exit code and first stderr line. */
function failedStart(args: string[]): { status: number | null; line: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'start', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, STRATUS_STORE: '' } });
  return { status: run.status, line: run.stderr.split('\n')[0], stderr: run.stderr };
}

test('--store must be a PostgreSQL URL, and names one store with --in-memory left out', () => {
  for (const [args, message] of [
    [['--store', 'mysql://localhost/db'], /--store must be a PostgreSQL URL .*got the scheme mysql/],
    [['--store', 'not a url'], /--store must be a PostgreSQL URL/],
    [['--store', 'postgres://localhost/db', '--in-memory'], /--in-memory and --store each name a store/],
  ] as [string[], RegExp][]) {
    const run = failedStart(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.line, message, args.join(' '));
  }
});

test('an unreachable PostgreSQL: one line that names it, no stack, exit 1', async () => {
  const port = await freePort();
  const run = failedStart(['--store', `postgres://stratus:secret@127.0.0.1:${port}/stratus`]);
  assert.equal(run.status, 1);
  assert.equal(run.line, `stratus: cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused (is the server running, on that port?) — --store postgres://stratus:***@127.0.0.1:${port}/stratus`);
  assert.doesNotMatch(run.stderr, /secret|\n\s+at /);
});

test('credentials PostgreSQL refuses, and a database it does not have, are told as such', { skip: needsPostgres }, () => {
  const server = new URL(TEST_POSTGRES!);
  const stranger = new URL(server.href);
  stranger.username = 'no_such_stratus_role';
  const refused = failedStart(['--store', stranger.href]);
  assert.equal(refused.status, 1);
  assert.match(refused.line, new RegExp(`^stratus: PostgreSQL at ${server.hostname}:${server.port || 5432} does not let user "no_such_stratus_role" in \\(.*role "no_such_stratus_role" does not exist.*\\)`));
  const missing = new URL(server.href);
  missing.pathname = '/no_such_stratus_database';
  const absent = failedStart(['--store', missing.href]);
  assert.equal(absent.status, 1);
  assert.match(absent.line, /has no database "no_such_stratus_database": create it \(createdb no_such_stratus_database\)/);
});

test('a second node on the same PostgreSQL schema follows the first; another schema is another store', { skip: needsPostgres }, async () => {
  const schema = `node_lock_${process.pid}`;
  const first = await startTestServer({ config: { store: postgresStoreFor(schema) } });
  const health = async (url: string) => (await (await fetch(`${url}/_stratus/health`)).json()) as { role: string; leader: string; node: string };
  try {
    const second = await startTestServer({ config: { store: postgresStoreFor(schema) } });
    try {
      assert.equal(second.stratus.leading(), false);
      assert.deepEqual([(await health(first.url)).role, (await health(second.url)).role], ['leader', 'follower']);
      assert.equal((await health(second.url)).leader, first.url);
      // What is made through the follower is made at the leader.
      const { QueueUrl } = await second.client(SQSClient).send(new CreateQueueCommand({ QueueName: 'through-the-follower' }));
      assert.ok(QueueUrl);
      assert.deepEqual((await first.client(SQSClient).send(new ListQueuesCommand({}))).QueueUrls?.map((u) => u.split('/').pop()), ['through-the-follower']);
    } finally {
      await second.stop();
    }
    const beside = await startTestServer({ config: { store: postgresStoreFor(`${schema}_beside`) } });
    assert.equal(beside.stratus.leading(), true);
    await beside.stop();
  } finally {
    await first.stop();
  }
});

test('a store migrated by a newer Stratus is refused at start, with the migration it does not know', async () => {
  const data = tempDataDir();
  try {
    const server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    await server.client(SQSClient).send(new ListQueuesCommand({}));
    await server.stratus.runtime.store.write((tx) => tx.run('INSERT INTO stratus_migrations (id, applied_at) VALUES (?, ?)', ['delivery/9999-from-the-future', Date.now()]));
    await server.stop();
    await assert.rejects(startTestServer({ config: { inMemory: false, dataDir: data.dir } }), (error: Error) => {
      assert.equal(error.name, 'StartError');
      assert.equal(
        error.message,
        'the store was migrated by a newer Stratus: it holds migration delivery/9999-from-the-future, which this version does not know; run that newer version (or this one on another store)',
      );
      return true;
    });
  } finally {
    data.cleanup();
  }
});

test('/_stratus/health and /_stratus/info name the store and this node', async () => {
  const server = await startTestServer();
  try {
    const health = (await (await fetch(`${server.url}/_stratus/health`)).json()) as { status: string; store: string; node: string; nodes: string[] };
    assert.equal(health.status, 'running');
    assert.equal(health.store, TEST_POSTGRES ? 'postgres' : 'sqlite');
    assert.match(health.node, /^.+-\d+-[0-9a-f]{8}$/);
    assert.deepEqual(health.nodes, [health.node]);
    const info = (await (await fetch(`${server.url}/_stratus/info`)).json()) as { store: Record<string, unknown> };
    assert.equal(info.store.backend, health.store);
    assert.equal(info.store.node, health.node);
    if (TEST_POSTGRES) {
      assert.match(String(info.store.url), /^postgres:\/\//);
      assert.match(String(info.store.schema), /^t_[0-9a-f]{16}$/);
    } else assert.equal(info.store.path, ':memory:');
  } finally {
    await server.stop();
  }
});
