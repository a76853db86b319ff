/**
 * Acknowledged means stored, for EventBridge deliveries (DESIGN.md rule 3): a real `stratus start`
 * child is killed with SIGKILL right after PutEvents acknowledged events, or while deliveries
 * are being retried; after a restart on the same data folder every acknowledged event reaches
 * its target (duplicates allowed, loss never).
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';
import { createQueue, receive, sleep, type QueueRef } from './delivery-support.js';

const FAILING_TARGETS = fileURLToPath(new URL('../support/failing-target-module.js', import.meta.url));

/** Receives until every id in `expected` was seen (duplicates allowed) or the deadline passed. */
async function receiveIds(sqs: SQSClient, queue: QueueRef, expected: Set<string>, timeoutMs: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while ([...expected].some((id) => !seen.has(id)) && Date.now() < deadline) {
    const got = await receive(sqs, queue, 1, Math.max(1, deadline - Date.now())).catch(() => []);
    for (const m of got) seen.add(JSON.parse(m.Body!).id as string);
  }
  return seen;
}

async function withChild(run: (start: (env?: NodeJS.ProcessEnv) => Promise<ChildServer>) => Promise<void>): Promise<void> {
  const data = tempDataDir();
  const children: ChildServer[] = [];
  try {
    await run(async (env) => {
      const child = await spawnServer({ dataDir: data.dir, args: ['--retry-delay-scale', '0.001', '--service-module', FAILING_TARGETS], env });
      children.push(child);
      return child;
    });
  } finally {
    for (const child of children) await child.kill('SIGKILL');
    data.cleanup();
  }
}

test('kill -9 right after PutEvents acknowledged: every acknowledged event is delivered after the restart', async () => {
  await withChild(async (start) => {
    const server = await start();
    const eb = new EventBridgeClient(clientConfigFor(server.url));
    const sqs = new SQSClient(clientConfigFor(server.url));
    const queue = await createQueue(sqs, 'durable-target');
    await eb.send(new PutRuleCommand({ Name: 'durable', EventPattern: '{"source":["test.durable"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'durable', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    const acknowledged = new Set<string>();
    let killed = false;
    const producer = async (worker: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        try {
          const out = await eb.send(
            new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, j) => ({ Source: 'test.durable', DetailType: 'd', Detail: JSON.stringify({ worker, i, j }) })) }),
          );
          assert.equal(out.FailedEntryCount, 0);
          for (const e of out.Entries!) acknowledged.add(e.EventId!);
        } catch (error) {
          if (killed) return; // died under this request: never acknowledged
          throw error;
        }
      }
    };
    const producers = Array.from({ length: 4 }, (_, w) => producer(w));
    while (acknowledged.size < 300) await sleep(2);
    killed = true;
    assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
    await Promise.all(producers);
    eb.destroy();
    sqs.destroy();

    const again = await start();
    const sqs2 = new SQSClient(clientConfigFor(again.url));
    const seen = await receiveIds(sqs2, queue, acknowledged, 15_000);
    const lost = [...acknowledged].filter((id) => !seen.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged events lost`);
    sqs2.destroy();
  });
});

test('kill -9 while deliveries are being retried: they are delivered after the restart', async () => {
  const flagDir = tempDataDir();
  const flag = join(flagDir.dir, 'failing');
  writeFileSync(flag, '');
  try {
    await withChild(async (start) => {
      const env = { STRATUS_TEST_FAIL_FLAG: flag };
      const server = await start(env);
      const eb = new EventBridgeClient(clientConfigFor(server.url));
      const sqs = new SQSClient(clientConfigFor(server.url));
      const queue = await createQueue(sqs, 'retried-target');
      await eb.send(new PutRuleCommand({ Name: 'retried', EventPattern: '{"source":["test.retried"]}' }));
      await eb.send(new PutTargetsCommand({ Rule: 'retried', Targets: [{ Id: 'p', Arn: `arn:aws:probe:us-east-1:000000000000:target/${'retried-target'}` }] }));
      const out = await eb.send(
        new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, i) => ({ Source: 'test.retried', DetailType: 'r', Detail: JSON.stringify({ i }) })) }),
      );
      const ids = new Set(out.Entries!.map((e) => e.EventId!));
      await sleep(300); // a few retries each, all failing
      assert.deepEqual(await receive(sqs, queue, 1, 1).catch(() => []), [], 'nothing delivered while the target fails');
      assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
      eb.destroy();
      sqs.destroy();

      rmSync(flag);
      const again = await start(env);
      const sqs2 = new SQSClient(clientConfigFor(again.url));
      const seen = await receiveIds(sqs2, queue, ids, 15_000);
      assert.deepEqual([...ids].filter((id) => !seen.has(id)), []);
      sqs2.destroy();
    });
  } finally {
    flagDir.cleanup();
  }
});
