/**
 * The CloudWatch Logs data plane through @aws-sdk/client-cloudwatch-logs: PutLogEvents (batch rules
 * and rejectedLogEventsInfo), GetLogEvents (directions, time range, the f/… b/… tokens and the
 * same-token end of stream), FilterLogEvents (interleaving, stream filters, filter patterns,
 * pagination), retention on reads and the background sweep, and the polling `aws logs tail
 * --follow` does.
 *
 * One server on a ManualClock: timestamps are exact and retention is crossed by advancing it.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  type FilteredLogEvent,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: TestServer;
let clock: ManualClock;
let logs: CloudWatchLogsClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  logs = server.client(CloudWatchLogsClient);
});
after(() => server.stop());

async function fails<E extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => E, message?: string | RegExp): Promise<E> {
  const error = await promise.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof type, `expected ${type.name}, got ${(error as Error).name}: ${(error as Error).message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}

async function stream(group: string, name: string, retentionInDays?: number): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e: Error) => {
    if (e.name !== 'ResourceAlreadyExistsException') throw e;
  });
  if (retentionInDays) await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
}

async function put(group: string, name: string, logEvents: InputLogEvent[]) {
  return logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents }));
}

const messages = (events: { message?: string }[] = []) => events.map((e) => e.message);

describe('PutLogEvents', () => {
  test('stores a batch, ignores the sequence token, and answers without rejections', async () => {
    await stream('dp-put', 's');
    const now = clock.now();
    const out = await logs.send(
      new PutLogEventsCommand({ logGroupName: 'dp-put', logStreamName: 's', sequenceToken: 'stale-or-made-up', logEvents: [{ timestamp: now, message: 'one' }, { timestamp: now, message: 'two' }] }),
    );
    assert.equal(out.rejectedLogEventsInfo, undefined);
    assert.match(out.nextSequenceToken!, /^\d+$/);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-put', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(got.events, [
      { timestamp: now, message: 'one', ingestionTime: now },
      { timestamp: now, message: 'two', ingestionTime: now },
    ]);
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'dp-put' }))).logGroups![0];
    assert.equal(group.storedBytes, 6);
  });

  test('a batch out of chronological order is accepted and read back in time order', async () => {
    await stream('dp-order', 's');
    const now = clock.now();
    await put('dp-order', 's', [
      { timestamp: now - 1000, message: 'b' },
      { timestamp: now - 3000, message: 'a' },
      { timestamp: now, message: 'c' },
    ]);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-order', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(messages(got.events), ['a', 'b', 'c']);
  });

  test('too old, expired and too new events are rejected into rejectedLogEventsInfo; the rest are stored', async () => {
    await stream('dp-reject', 's', 7);
    const now = clock.now();
    const out = await put('dp-reject', 's', [
      { timestamp: now - 15 * DAY, message: 'older than 14 days' },
      { timestamp: now - 8 * DAY, message: 'older than the 7-day retention' },
      { timestamp: now - HOUR, message: 'kept 1' },
      { timestamp: now + HOUR, message: 'kept 2' },
      { timestamp: now + 2 * HOUR + 1, message: 'more than 2 hours ahead' },
    ]);
    assert.deepEqual(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-reject', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(messages(got.events), ['kept 1', 'kept 2']);
  });

  test('a batch whose valid events span more than 24 hours fails whole', async () => {
    await stream('dp-span', 's');
    const now = clock.now();
    await fails(
      put('dp-span', 's', [
        { timestamp: now - DAY - HOUR, message: 'a' },
        { timestamp: now, message: 'b' },
      ]),
      InvalidParameterException,
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-span', logStreamName: 's' }));
    assert.deepEqual(got.events, []);
  });

  test('size and count limits: 1,048,576 bytes with 26 per event, 10,000 events, non-empty messages', async () => {
    await stream('dp-size', 's');
    const now = clock.now();
    const half = 'x'.repeat(524_288);
    await fails(
      put('dp-size', 's', [
        { timestamp: now, message: half },
        { timestamp: now, message: half },
      ]),
      InvalidParameterException,
      'Upload too large: 1048628 bytes exceeds limit of 1048576',
    );
    await fails(put('dp-size', 's', [{ timestamp: now, message: 'x'.repeat(1_048_551) }]), InvalidParameterException, 'Log event too large: 1048577 bytes exceeds limit of 1048576');
    const many = Array.from({ length: 10_001 }, (_, i) => ({ timestamp: now, message: `m${i}` }));
    await fails(put('dp-size', 's', many), InvalidParameterException, /Member must have length less than or equal to 10000/);
    await fails(put('dp-size', 's', []), InvalidParameterException, /Member must have length greater than or equal to 1/);
    await fails(put('dp-size', 's', [{ timestamp: now, message: '' }]), InvalidParameterException, /Member must have length greater than or equal to 1/);
    // The largest batch that fits: 10,000 events.
    const out = await put('dp-size', 's', many.slice(0, 10_000));
    assert.equal(out.rejectedLogEventsInfo, undefined);
  });

  test('a missing group or stream: ResourceNotFoundException', async () => {
    await stream('dp-missing', 's');
    const event = [{ timestamp: clock.now(), message: 'x' }];
    await fails(put('dp-missing-group', 's', event), ResourceNotFoundException, 'The specified log group does not exist.');
    await fails(put('dp-missing', 'nope', event), ResourceNotFoundException, 'The specified log stream does not exist.');
  });
});

describe('GetLogEvents', () => {
  const group = 'dp-get';
  let base: number;
  before(async () => {
    await stream(group, 's');
    base = clock.now() - 100_000;
    // e0..e9, one second apart.
    await put(group, 's', Array.from({ length: 10 }, (_, i) => ({ timestamp: base + i * 1000, message: `e${i}` })));
  });

  test('without a token: the latest events (startFromHead false), or the earliest with startFromHead', async () => {
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 3 }));
    assert.deepEqual(messages(latest.events), ['e7', 'e8', 'e9']);
    const earliest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 3, startFromHead: true }));
    assert.deepEqual(messages(earliest.events), ['e0', 'e1', 'e2']);
    assert.match(earliest.nextForwardToken!, /^f\/\d{56}\/s$/);
    assert.match(earliest.nextBackwardToken!, /^b\/\d{56}\/s$/);
  });

  test('forward pages until the same token comes back; then new events appear behind it', async () => {
    const pages: string[][] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 4, startFromHead: true, nextToken: token }));
      if (page.nextForwardToken === token) {
        assert.deepEqual(page.events, []);
        break;
      }
      pages.push(messages(page.events) as string[]);
      token = page.nextForwardToken;
    }
    assert.deepEqual(pages, [['e0', 'e1', 'e2', 'e3'], ['e4', 'e5', 'e6', 'e7'], ['e8', 'e9']]);
    await put(group, 's', [{ timestamp: base + 20_000, message: 'e10' }]);
    const more = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true, nextToken: token }));
    assert.deepEqual(messages(more.events), ['e10']);
  });

  test('backward pages from the end until the same token comes back', async () => {
    const pages: string[][] = [];
    const first = await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-get', logStreamName: 's', limit: 4, endTime: base + 10_000 }));
    pages.push(messages(first.events) as string[]);
    let token = first.nextBackwardToken!;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 4, nextToken: token }));
      if (page.nextBackwardToken === token) break;
      pages.push(messages(page.events) as string[]);
      token = page.nextBackwardToken!;
    }
    assert.deepEqual(pages, [['e6', 'e7', 'e8', 'e9'], ['e2', 'e3', 'e4', 'e5'], ['e0', 'e1']]);
  });

  test('the SDK paginator, told to stop on a repeated token, stops at the end of the stream', async () => {
    const seen: string[] = [];
    for await (const page of paginateGetLogEvents({ client: logs, pageSize: 3, stopOnSameToken: true }, { logGroupName: group, logStreamName: 's', startFromHead: true, endTime: base + 10_000 })) {
      seen.push(...(messages(page.events) as string[]));
    }
    assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => `e${i}`));
  });

  test('startTime is inclusive, endTime exclusive', async () => {
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startTime: base + 2000, endTime: base + 5000, startFromHead: true }));
    assert.deepEqual(messages(got.events), ['e2', 'e3', 'e4']);
    const byArn = await logs.send(
      new GetLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`, logStreamName: 's', startTime: base + 9000, endTime: base + 10_000 }),
    );
    assert.deepEqual(messages(byArn.events), ['e9']);
  });

  test('an empty stream answers tokens, never null; errors for bad tokens and missing resources', async () => {
    await stream(group, 'empty');
    const empty = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'empty' }));
    assert.deepEqual(empty.events, []);
    assert.ok(empty.nextForwardToken && empty.nextBackwardToken);
    await fails(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', nextToken: 'f/garbage' })), InvalidParameterException);
    await fails(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'missing' })), ResourceNotFoundException, 'The specified log stream does not exist.');
    await fails(logs.send(new GetLogEventsCommand({ logGroupName: 'dp-get-missing', logStreamName: 's' })), ResourceNotFoundException, 'The specified log group does not exist.');
    await fails(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 10_001 })), InvalidParameterException, /less than or equal to 10000/);
  });
});

describe('FilterLogEvents', () => {
  const group = 'dp-filter';
  let base: number;
  before(async () => {
    base = clock.now() - 50_000;
    await stream(group, 'web-1');
    await stream(group, 'web-2');
    await stream(group, 'worker');
    await put(group, 'web-1', [
      { timestamp: base + 1000, message: '[ERROR] 500 GET /a' },
      { timestamp: base + 4000, message: '{"level":"INFO","latency":120,"user":{"id":7}}' },
    ]);
    await put(group, 'web-2', [
      { timestamp: base + 2000, message: '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534' },
      { timestamp: base + 5000, message: '{"level":"ERROR","latency":900,"user":{"id":8}}' },
    ]);
    await put(group, 'worker', [
      { timestamp: base + 3000, message: '[WARN] queue slow' },
      { timestamp: base + 6000, message: '[ERROR] job failed: Exception' },
    ]);
  });

  const filter = (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'> = {}) =>
    logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }));

  test('events of every stream, interleaved by time, with stream name, ingestion time and a unique event id', async () => {
    const out = await filter();
    assert.deepEqual(
      out.events!.map((e) => [e.logStreamName, e.timestamp! - base]),
      [
        ['web-1', 1000],
        ['web-2', 2000],
        ['worker', 3000],
        ['web-1', 4000],
        ['web-2', 5000],
        ['worker', 6000],
      ],
    );
    const ids = out.events!.map((e) => e.eventId!);
    assert.equal(new Set(ids).size, 6);
    assert.ok(ids.every((id) => /^\d{56}$/.test(id)));
    assert.ok(out.events!.every((e) => e.ingestionTime === clock.now()));
    assert.deepEqual(out.searchedLogStreams, []);
    assert.equal(out.nextToken, undefined);
  });

  test('logStreamNames, logStreamNamePrefix (not both), startTime and an inclusive endTime', async () => {
    assert.deepEqual(messages((await filter({ logStreamNames: ['worker'] })).events), ['[WARN] queue slow', '[ERROR] job failed: Exception']);
    assert.equal((await filter({ logStreamNamePrefix: 'web-' })).events!.length, 4);
    assert.equal((await filter({ logStreamNames: ['none'] })).events!.length, 0);
    const window = await filter({ startTime: base + 2000, endTime: base + 4000 });
    assert.deepEqual(window.events!.map((e) => e.timestamp! - base), [2000, 3000, 4000]);
    await fails(filter({ logStreamNames: ['worker'], logStreamNamePrefix: 'w' }), InvalidParameterException);
  });

  test('filter patterns: terms, OR, exclusion, JSON, space-delimited', async () => {
    const hits = async (filterPattern: string) => (await filter({ filterPattern })).events!.map((e: FilteredLogEvent) => e.timestamp! - base);
    assert.deepEqual(await hits('ERROR'), [1000, 5000, 6000]);
    assert.deepEqual(await hits('ERROR Exception'), [6000]);
    assert.deepEqual(await hits('?WARN ?"GET /a"'), [1000, 3000]);
    assert.deepEqual(await hits('ERROR -job'), [1000, 5000]);
    assert.deepEqual(await hits('{ $.level = "ERROR" }'), [5000]);
    assert.deepEqual(await hits('{ $.latency > 100 && $.user.id != 8 }'), [4000]);
    assert.deepEqual(await hits('{ $.level = INF* || $.user.id = 8 }'), [4000, 5000]);
    assert.deepEqual(await hits('[ip, user, ..., status_code = 4*, bytes > 1000]'), [2000]);
    assert.deepEqual(await hits('%^\\[[A-Z]+\\]%'), [1000, 3000, 6000]);
  });

  test('an invalid filter pattern: InvalidParameterException', async () => {
    await fails(filter({ filterPattern: '{ $.level = "ERROR"' }), InvalidParameterException, "If a filter pattern starts with '{' it must end with '}'");
    await fails(filter({ filterPattern: 'user@example.com' }), InvalidParameterException, "Invalid character(s) in term 'user@example.com'");
    await fails(filter({ filterPattern: '{ $.a = 1 && }' }), InvalidParameterException, /^Invalid filter pattern/);
  });

  test('limit and nextToken page through the matches; the paginator reads them all', async () => {
    const first = await filter({ limit: 4 });
    assert.equal(first.events!.length, 4);
    assert.ok(first.nextToken);
    const second = await filter({ limit: 4, nextToken: first.nextToken });
    assert.deepEqual(second.events!.map((e) => e.timestamp! - base), [5000, 6000]);
    const all: number[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 2 }, { logGroupName: group, filterPattern: 'ERROR' })) {
      all.push(...page.events!.map((e) => e.timestamp! - base));
    }
    assert.deepEqual(all, [1000, 5000, 6000]);
    await fails(filter({ nextToken: 'bad-token' }), InvalidParameterException);
    await fails(logs.send(new FilterLogEventsCommand({ logGroupName: 'dp-filter-missing' })), ResourceNotFoundException);
  });

  test('what `aws logs tail --follow` does: FilterLogEvents from a start time, then polls from the last timestamp', async () => {
    await stream('dp-tail', 'a');
    await stream('dp-tail', 'b');
    const t0 = clock.now();
    await put('dp-tail', 'a', [{ timestamp: t0 - 3000, message: 'a1' }]);
    await put('dp-tail', 'b', [{ timestamp: t0 - 2000, message: 'b1' }]);
    const seen = new Set<string>();
    const printed: string[] = [];
    const poll = async (startTime: number): Promise<number> => {
      let last = startTime;
      for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: 'dp-tail', startTime, interleaved: true })) {
        for (const e of page.events!) {
          if (seen.has(e.eventId!)) continue;
          seen.add(e.eventId!);
          printed.push(`${e.logStreamName} ${e.message}`);
          last = Math.max(last, e.timestamp!);
        }
      }
      return last;
    };
    let from = await poll(t0 - 10 * 60_000);
    assert.deepEqual(printed, ['a a1', 'b b1']);
    clock.advance(5000);
    await put('dp-tail', 'a', [{ timestamp: clock.now(), message: 'a2' }]);
    await put('dp-tail', 'b', [{ timestamp: from, message: 'b2 (same millisecond as b1)' }]);
    from = await poll(from);
    assert.deepEqual(printed, ['a a1', 'b b1', 'b b2 (same millisecond as b1)', 'a a2']);
  });
});

describe('retention', () => {
  test('reads hide events past the retention at once; the sweep deletes them and frees storedBytes', async () => {
    await stream('dp-ret', 's');
    await stream('dp-ret', 'keep');
    const t0 = clock.now();
    await put('dp-ret', 's', [{ timestamp: t0, message: 'expires' }]);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'dp-ret', retentionInDays: 1 }));
    const storedBytes = async () => (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'dp-ret' }))).logGroups![0].storedBytes;
    assert.equal(await storedBytes(), 7);

    clock.advance(DAY - 1000);
    await put('dp-ret', 'keep', [{ timestamp: clock.now(), message: 'fresh' }]);
    assert.deepEqual(messages((await logs.send(new FilterLogEventsCommand({ logGroupName: 'dp-ret' }))).events), ['expires', 'fresh']);

    // Past the first event's retention, and past the sweep's timer (never under a minute ahead).
    clock.advance(2 * 60_000);
    assert.deepEqual(messages((await logs.send(new GetLogEventsCommand({ logGroupName: 'dp-ret', logStreamName: 's' }))).events), []);
    assert.deepEqual(messages((await logs.send(new FilterLogEventsCommand({ logGroupName: 'dp-ret' }))).events), ['fresh']);
    // advance(0) fires a timer the sweep armed for a moment the clock had passed while its queries
    // ran (a networked store is slower than these clock moves).
    await waitFor(async () => (clock.advance(0), (await storedBytes()) === 5), 'the sweep to delete the expired event');

    clock.advance(DAY);
    await waitFor(async () => (clock.advance(0), (await storedBytes()) === 0), 'the second sweep');
    assert.deepEqual((await logs.send(new FilterLogEventsCommand({ logGroupName: 'dp-ret' }))).events, []);
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
