/**
 * One Stratus per data directory: a second `stratus start` on a directory a running Stratus holds
 * refuses at once and names the holder; a lock left by `kill -9` does not block the next start; a
 * second server in the same process is refused too; `--in-memory` takes no lock.
 */
import { SendMessageCommand, CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataDirInUseError } from '../src/store/sqlite/data-dir-lock.js';
import { silentLogger } from '../src/server/log.js';
import { startStratus } from '../src/server/stratus.js';
import { clientConfigFor, spawnServer, tempDataDir } from './support/server.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** `stratus start` on `dir` as a user runs it, expected to give up by itself. */
function startRefused(dir: string): { status: number | null; stderr: string; stdout: string; ms: number } {
  const began = Date.now();
  const run = spawnSync(process.execPath, [CLI, 'start', '--port', '0', '--data-dir', dir], { encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, ms: Date.now() - began };
}

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

test('a second stratus start on a held data directory exits at once, naming the holder; after kill -9 of the holder a new one starts', async () => {
  const data = tempDataDir();
  let first = await spawnServer({ dataDir: data.dir });
  try {
    const refused = startRefused(data.dir);
    assert.equal(refused.status, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    const holder = new RegExp(`^stratus: data directory ${data.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by Stratus process ${first.process.pid}, started ${ISO}; stop it first, or give this one another --data-dir\\n$`);
    assert.match(refused.stderr, holder);
    // At once: no waiting for the lock (a start on a free directory takes about as long).
    assert.ok(refused.ms < 10_000, `refused after ${refused.ms} ms`);

    // The holder is unharmed: what it acknowledged is there, and it still answers.
    const sqs = new SQSClient(clientConfigFor(first.url));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'before the kill' }));
    sqs.destroy();

    await first.kill('SIGKILL');
    first = await spawnServer({ dataDir: data.dir });
    const after = new SQSClient(clientConfigFor(first.url));
    const { Messages = [] } = await after.send(new ReceiveMessageCommand({ QueueUrl: `${first.url}/000000000000/kept`, WaitTimeSeconds: 1 }));
    assert.deepEqual(Messages.map((m) => m.Body), ['before the kill']);
    after.destroy();
    // The new holder is named now.
    assert.match(startRefused(data.dir).stderr, new RegExp(`in use by Stratus process ${first.process.pid}, started`));
    assert.equal(await first.kill('SIGINT'), 0);
    // A clean stop lets go too.
    first = await spawnServer({ dataDir: data.dir });
  } finally {
    await first.kill('SIGKILL');
    data.cleanup();
  }
});

test('in one process: a second server on the same data directory is refused, and the first keeps its lock', async () => {
  const data = tempDataDir();
  const config = { host: '127.0.0.1', port: 0, dataDir: data.dir };
  const first = await startStratus(config, { log: silentLogger });
  try {
    await assert.rejects(startStratus(config, { log: silentLogger }), (error: unknown) => {
      assert.ok(error instanceof DataDirInUseError);
      assert.equal(error.holder?.pid, process.pid);
      assert.match(error.message, /is in use by Stratus process \d+ \(this process\), started /);
      return true;
    });
    // Refusing the second did not let go of the first one's lock (POSIX locks are per process).
    const refused = startRefused(data.dir);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`in use by Stratus process ${process.pid}, started`));
  } finally {
    await first.stop();
  }
  // Stopped, it lets go.
  const again = await startStratus(config, { log: silentLogger });
  await again.stop();
  data.cleanup();
});

test('--in-memory takes no lock: it starts beside a server that holds the data directory', async () => {
  const data = tempDataDir();
  const held = await spawnServer({ dataDir: data.dir });
  try {
    const beside = await spawnServer({ dataDir: data.dir, args: ['--in-memory'] });
    assert.equal((await fetch(`${beside.url}/_stratus/health`)).status, 200);
    await beside.kill('SIGKILL');
  } finally {
    await held.kill('SIGKILL');
    data.cleanup();
  }
});
