/**
 * FilterLogEvents cannot stall the server (issue 13): through @aws-sdk/client-cloudwatch-logs
 * against a real `stratus start` child process, so that a stalled server cannot stall the test
 * with it.
 *
 * - `%a*a*…a*b%` over a 30-character message blocked the event loop for over a minute on a
 *   backtracking RegExp; in each filter-pattern syntax that holds a regex (a term, a JSON value, a
 *   space-delimited field) it now answers at once, and so does a request sent meanwhile.
 * - A filter that is costly only because it scans much (10,000 events of 2 KB or more) shares the thread:
 *   requests sent while it runs are answered long before it ends.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';

// The old behaviour was over a minute; a loaded CI machine answers these in well under a second.
const BOUND_MS = 5000;
const EVIL = 'a*a*a*a*a*a*a*a*a*a*a*a*b';

let server: ChildServer;
let data: ReturnType<typeof tempDataDir>;
let logs: CloudWatchLogsClient;

before(async () => {
  data = tempDataDir();
  server = await spawnServer({ dataDir: data.dir });
  logs = new CloudWatchLogsClient(clientConfigFor(server.url));
});
after(async () => {
  logs.destroy();
  await server.kill();
  data.cleanup();
});

async function group(name: string, messages: string[]): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 's' }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: name, logStreamName: 's', logEvents: messages.map((message, i) => ({ timestamp: now + i, message })) }));
}

/** Resolves with the answer and how long it took; rejects if the server has not answered within `bound`. */
async function timed<T>(send: (signal: AbortSignal) => Promise<T>, bound = BOUND_MS): Promise<{ out: T; ms: number }> {
  const started = performance.now();
  const out = await send(AbortSignal.timeout(bound));
  return { out, ms: performance.now() - started };
}

describe('a catastrophic regex answers at once, and so does every other request', () => {
  const as = 'a'.repeat(30);
  before(() => group('/evil', [as, `${as}b`, JSON.stringify({ msg: as }), JSON.stringify({ msg: `${as}b` }), `ERROR ${as}`, `ERROR ${as}b`]));

  for (const [syntax, pattern, expected] of [
    ['a %regex% term', `%${EVIL}%`, [`${as}b`, JSON.stringify({ msg: `${as}b` }), `ERROR ${as}b`]],
    ['a JSON value', `{ $.msg = %${EVIL}% }`, [JSON.stringify({ msg: `${as}b` })]],
    ['a space-delimited field', `[level, msg = %${EVIL}%]`, [`ERROR ${as}b`]],
  ] as const) {
    test(syntax, async () => {
      const filtering = timed((abortSignal) => logs.send(new FilterLogEventsCommand({ logGroupName: '/evil', filterPattern: pattern }), { abortSignal }));
      const other = timed((abortSignal) => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/evil' }), { abortSignal }));
      const [filtered, described] = await Promise.all([filtering, other]);
      assert.deepEqual(filtered.out.events?.map((e) => e.message), expected);
      assert.equal(described.out.logGroups?.length, 1);
    });
  }
});

describe('a long scan shares the thread with other requests', () => {
  // Events of 2,000 bytes that the pattern must read to the end. A round adds 10,000 (20 MB of
  // matching work); a faster machine gets more rounds, up to the 50,000 rows one call reads
  // (SCAN_BUDGET), until the scan is long enough to tell.
  const PER_ROUND = 10_000;
  const PER_BATCH = 400;
  const line = 'GET /orders/1234 200 from 10.0.0.1 user=someone took 23ms; '.repeat(34).slice(0, 2000);
  let timestamp = Date.now();
  async function addRound(): Promise<void> {
    for (let i = 0; i < PER_ROUND; i += PER_BATCH) {
      const logEvents = Array.from({ length: PER_BATCH }, () => ({ timestamp: timestamp++, message: line }));
      await logs.send(new PutLogEventsCommand({ logGroupName: '/big', logStreamName: 's', logEvents }), { abortSignal: AbortSignal.timeout(BOUND_MS) });
    }
  }
  before(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/big' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/big', logStreamName: 's' }));
    await addRound();
  });

  /** One filter over the whole group, with DescribeLogGroups sent one after another while it runs. */
  async function scanWithRequests(): Promise<{ scanMs: number; latencies: number[] }> {
    const started = performance.now();
    let done = false;
    const filtering = logs
      .send(new FilterLogEventsCommand({ logGroupName: '/big', filterPattern: '%[Ee]rror|[Ff]ail%' }), { abortSignal: AbortSignal.timeout(60_000) })
      .finally(() => (done = true));
    const latencies: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 20));
    while (!done) {
      const { ms } = await timed((abortSignal) => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/big' }), { abortSignal }), 60_000);
      if (!done) latencies.push(ms);
    }
    const filtered = await filtering;
    assert.deepEqual(filtered.events, []);
    return { scanMs: performance.now() - started, latencies };
  }

  test('requests sent while a filter scans are answered long before it ends', async () => {
    // The scan must be long enough to tell sharing from waiting; a slower machine only lengthens it.
    const ENOUGH_MS = 400;
    let { scanMs, latencies } = await scanWithRequests();
    for (let round = 1; scanMs < ENOUGH_MS && round < 5; round++) {
      await addRound();
      ({ scanMs, latencies } = await scanWithRequests());
    }
    assert.ok(scanMs >= ENOUGH_MS, `the filter took only ${scanMs.toFixed(0)} ms over the most events: not enough work to tell`);
    assert.ok(latencies.length >= 2, `only ${latencies.length} requests answered during a ${scanMs.toFixed(0)} ms filter`);
    const worst = Math.max(...latencies);
    assert.ok(worst < scanMs / 3, `a request took ${worst.toFixed(0)} ms during a ${scanMs.toFixed(0)} ms filter (all: ${latencies.map((l) => l.toFixed(0)).join(', ')})`);
  });
});
