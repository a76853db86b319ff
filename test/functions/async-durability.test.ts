/**
 * Acknowledged means stored, for asynchronous invocations (DESIGN rule 3): a real `stratus start`
 * child is killed with SIGKILL right after Invoke (InvocationType Event) acknowledged events with
 * 202; after a restart on the same data folder every acknowledged invocation runs and its record
 * reaches the OnSuccess destination (duplicates allowed, loss never).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueue, receive, sleep, type QueueRef } from '../events/delivery-support.js';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';
import { createNodeFunction, putEventInvokeConfig, type InvocationRecord } from './async-support.js';

/** Receives records until every request id in `expected` was seen or the deadline passed. */
async function receiveRequestIds(sqs: SQSClient, queue: QueueRef, expected: Set<string>, timeoutMs: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while ([...expected].some((id) => !seen.has(id)) && Date.now() < deadline) {
    const got = await receive(sqs, queue, 1, Math.max(1, deadline - Date.now())).catch(() => []);
    for (const m of got) seen.add((JSON.parse(m.Body!) as InvocationRecord).requestContext.requestId);
  }
  return seen;
}

test('kill -9 right after Event invocations were acknowledged: every one runs after the restart', { timeout: 90_000 }, async () => {
  const data = tempDataDir();
  const children: ChildServer[] = [];
  const start = async (): Promise<ChildServer> => {
    const child = await spawnServer({ dataDir: data.dir, args: ['--retry-delay-scale', '0.001'] });
    children.push(child);
    return child;
  };
  try {
    const server = await start();
    const lambda = new LambdaClient(clientConfigFor(server.url));
    const sqs = new SQSClient(clientConfigFor(server.url));
    const queue = await createQueue(sqs, 'async-durable-dest');
    // A slow function: most events are still queued (or running) when the server dies.
    await createNodeFunction(lambda, 'durable-async', 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 50)); return e; };');
    await putEventInvokeConfig(lambda, { FunctionName: 'durable-async', DestinationConfig: { OnSuccess: { Destination: queue.arn } } });

    const acknowledged = new Set<string>();
    let killed = false;
    const producer = async (worker: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        try {
          const out = await lambda.send(new InvokeCommand({ FunctionName: 'durable-async', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ worker, i })) }));
          assert.equal(out.StatusCode, 202);
          acknowledged.add(out.$metadata.requestId!);
        } catch (error) {
          if (killed) return; // died under this request: never acknowledged
          throw error;
        }
      }
    };
    const producers = Array.from({ length: 4 }, (_, w) => producer(w));
    while (acknowledged.size < 60) await sleep(2);
    killed = true;
    assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
    await Promise.all(producers);
    lambda.destroy();
    sqs.destroy();

    const again = await start();
    const sqs2 = new SQSClient(clientConfigFor(again.url));
    const seen = await receiveRequestIds(sqs2, queue, acknowledged, 45_000);
    const lost = [...acknowledged].filter((id) => !seen.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged invocations never ran`);
    sqs2.destroy();
  } finally {
    for (const child of children) await child.kill('SIGKILL');
    data.cleanup();
  }
});
