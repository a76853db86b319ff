/**
 * Acknowledged means stored, for CloudWatch Logs: a real `stratus start` child is killed with
 * SIGKILL while PutLogEvents calls are in flight. After a restart on the same data folder every
 * acknowledged event is there, exactly once, and the group, streams and retention carry over.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';

test('every acknowledged PutLogEvents survives kill -9', async () => {
  const data = tempDataDir();
  try {
    let server = await spawnServer({ dataDir: data.dir });
    let logs = new CloudWatchLogsClient(clientConfigFor(server.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'dur' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'dur', retentionInDays: 30 }));
    for (const s of ['a', 'b', 'c']) await logs.send(new CreateLogStreamCommand({ logGroupName: 'dur', logStreamName: s }));

    const acknowledged = new Set<string>();
    let stop = false;
    const writer = async (stream: string): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const batch = Array.from({ length: 5 }, (_, j) => ({ timestamp: Date.now(), message: `${stream}-${i}-${j} ✓` }));
        try {
          await logs.send(new PutLogEventsCommand({ logGroupName: 'dur', logStreamName: stream, logEvents: batch }));
          for (const e of batch) acknowledged.add(e.message);
        } catch {
          return; // the server died under this call: it was never acknowledged
        }
      }
    };
    const writers = ['a', 'b', 'c'].map(writer);
    while (acknowledged.size < 300) await new Promise((r) => setTimeout(r, 5));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    logs.destroy();

    server = await spawnServer({ dataDir: data.dir });
    logs = new CloudWatchLogsClient(clientConfigFor(server.url));
    try {
      const stored: string[] = [];
      for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: 'dur' })) stored.push(...page.events!.map((e) => e.message!));
      assert.equal(new Set(stored).size, stored.length, 'no event is stored twice');
      const missing = [...acknowledged].filter((m) => !stored.includes(m));
      assert.deepEqual(missing, [], 'every acknowledged event is stored');
      const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'dur' }))).logGroups![0];
      assert.equal(group.retentionInDays, 30);
      assert.equal(group.storedBytes, stored.reduce((n, m) => n + Buffer.byteLength(m), 0));
    } finally {
      logs.destroy();
      await server.kill('SIGTERM');
    }
  } finally {
    data.cleanup();
  }
});
