/**
 * Acknowledged means stored: a real `stratus start` child process is killed with SIGKILL while
 * requests are in flight; every write it answered 200 for must be in the database afterwards.
 */
import { EventBridgeClient, ListEventBusesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { clientConfigFor, readStoreOf, spawnServer, tempDataDir, TEST_POSTGRES } from './support/server.js';

const PROBE = fileURLToPath(new URL('./support/durable-probe.js', import.meta.url));

async function readStored(dataDir: string): Promise<Set<string>> {
  return new Set((await readStoreOf<{ source: string }>(dataDir, 'SELECT source FROM probe_events')).map((r) => r.source));
}

test('kill -9 with writes in flight loses nothing that was acknowledged', async () => {
  const data = tempDataDir();
  try {
    const server = await spawnServer({ dataDir: data.dir, args: ['--service-module', PROBE] });
    const client = new EventBridgeClient(clientConfigFor(server.url));
    const acknowledged: string[] = [];
    let killed = false;
    const loop = async (worker: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const source = `w${worker}-${i}`;
        try {
          await client.send(new PutEventsCommand({ Entries: [{ Source: source }, { Source: `${source}-b` }] }));
          acknowledged.push(source, `${source}-b`);
        } catch {
          return; // the server died under this request: it was never acknowledged
        }
      }
    };
    const loops = Array.from({ length: 8 }, (_, w) => loop(w));
    while (acknowledged.length < 400) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
    await Promise.all(loops);
    client.destroy();

    const stored = await readStored(data.dir);
    const lost = acknowledged.filter((s) => !stored.has(s));
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost of ${acknowledged.length}`);

    // The store reopens after the crash and the server serves again.
    const again = await spawnServer({ dataDir: data.dir, args: ['--service-module', PROBE] });
    const health = await fetch(`${again.url}/_stratus/health`);
    assert.equal(health.status, 200);
    const client2 = new EventBridgeClient(clientConfigFor(again.url));
    await client2.send(new PutEventsCommand({ Entries: [{ Source: 'after-restart' }] }));
    client2.destroy();
    assert.equal(await again.kill('SIGTERM'), 0);
    assert.ok((await readStored(data.dir)).has('after-restart'));
  } finally {
    data.cleanup();
  }
});

test('SIGTERM finishes the request in flight, then closes the store cleanly', async () => {
  const data = tempDataDir();
  try {
    const server = await spawnServer({ dataDir: data.dir, args: ['--service-module', PROBE] });
    const client = new EventBridgeClient(clientConfigFor(server.url));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'before-stop' }] }));
    const slow = client.send(new ListEventBusesCommand({ NamePrefix: 'in-flight' }));
    await new Promise((r) => setTimeout(r, 100));
    const exit = server.kill('SIGTERM');
    const answered = await slow;
    assert.deepEqual(answered.EventBuses?.map((b) => b.Name), ['in-flight']);
    assert.equal(await exit, 0);
    client.destroy();
    assert.match(server.output(), /SIGTERM, finishing requests in flight/);
    // A clean close checkpoints SQLite's WAL into the database file and removes it.
    const wal = join(data.dir, 'stratus.db-wal');
    if (!TEST_POSTGRES) assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'WAL left behind after a clean shutdown');
    assert.ok((await readStored(data.dir)).has('before-stop'));
  } finally {
    data.cleanup();
  }
});
