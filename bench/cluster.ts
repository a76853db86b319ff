/**
 * cluster: Stratus on PostgreSQL, one node and two, against Stratus on SQLite, in one run.
 *
 * 1. SQS throughput: the loop of sqs-throughput (16 closed loops of SendMessageBatch (10) →
 *    ReceiveMessage (10) → DeleteMessageBatch, raw-HTTP driver, a standard queue) against
 *      - Stratus on SQLite in a temporary data dir, `--durability process` (as sqs-throughput);
 *      - Stratus on PostgreSQL, one node;
 *      - Stratus on PostgreSQL, two nodes on one schema: the leader (started first) and a
 *        follower that forwards every request to it; two drivers at once, 8 loops against each
 *        node, their messages/s added.
 *    `rounds` times in alternating order; medians; ratios PG/SQLite (issue target: one node ≥ 0.3×).
 *    Where the time goes: the Stratus processes' CPU per message, the CPU of the PostgreSQL
 *    backends connected to this run's database and of PostgreSQL's shared processes (WAL
 *    writer, checkpointer, …; /proc), and the leader's group commit (write units per transaction,
 *    transactions/s). After every run each queue is drained and must account for every message.
 * 2. Long-poll wake-up across nodes: as sqs-long-poll, a ReceiveMessage (WaitTimeSeconds 20)
 *    waits on the follower while the SendMessage goes to the leader; against the same measurement
 *    with both on one SQLite node, and both on one PostgreSQL node. Target: p99 < 10 ms.
 * 3. Failover: two `stratus start` processes on a schema of their own; an EventBridge rule routes
 *    events to an SQS queue; PutEvents go to the follower at a steady rate; the leader is killed
 *    with SIGKILL. Measured: kill → the follower's /_stratus/health says it leads; kill → the first
 *    message stored in the queue after the kill (SentTimestamp), and → the last of the events that
 *    were acknowledged before the kill but not yet delivered. A new follower is then started and
 *    the next repetition kills the node that took over; 5 repetitions, median and max.
 *
 * The Stratus processes run on core 0, the drivers on core 1 (`--no-pin` turns that off);
 * PostgreSQL is the machine's own server and runs where the kernel puts it. A database is created
 * for the run (`STRATUS_BENCH_POSTGRES`, default postgres://postgres@127.0.0.1:5432/postgres) and
 * dropped at its end.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuShare } from './lib/children.js';
import { cliOf, health, startHelp, startNode, until, type ClusterNode } from './lib/cluster-nodes.js';
import { fixed, median, round, table, thousands } from './lib/format.js';
import { exchange, type RawResponse } from './lib/http-raw.js';
import { machineBusyMs } from './lib/machine.js';
import { createBenchDatabase, postgresCpuShare, type BenchDatabase, type PostgresCpuSample } from './lib/postgres.js';
import { latencySummary, runSqsDriver, startSqsServer, type LatencySummary, type LoopResult, type SqsServerChild, type StoreStats } from './lib/sqs-children.js';
import { SqsRequests, type SqsAction } from './lib/sqs-wire.js';
import { leastDisturbed } from './lib/disturbed.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const LOOPS = 16;
const BATCH = 10;
const BODY_BYTES = 100;
/** Issue target: PostgreSQL, one node, at least this share of SQLite's messages/s. */
const TARGET_PG_SHARE = 0.3;
const SERVER_CORE = 0;
const DRIVER_CORE = 1;
/** A run during which something else on the machine used this much of a core is repeated. */
const DISTURBED_CORES = 0.15;
const RETRIES = 2;

const LONG_POLL_SAMPLES = 500;
const LONG_POLL_WARMUP = 25;
const LONG_POLL_INTERVAL_MS = 20;
const TARGET_P99_MS = 10;
/** Round trips timed on an idle connection before the runs: what a statement and a commit cost at least. */
const ROUND_TRIP_SAMPLES = 200;

const FAILOVERS = 5;
/** PutEvents through the follower: one call of PUT_ENTRIES events every PUT_INTERVAL_MS. */
const PUT_INTERVAL_MS = 5;
const PUT_ENTRIES = 4;
/** Steady load before the kill, and after the follower leads. */
const BEFORE_KILL_MS = 1_000;
const AFTER_LEAD_MS = 1_000;
const EVENT_SOURCE = 'bench.failover';
/** When `stratus start` has `--node-lease-seconds` but its help names no default. */
const LEASE_FALLBACK_S = 5;

type Kind = 'sqlite' | 'pg1' | 'pg2';
const LABELS: Record<Kind, string> = {
  sqlite: 'SQLite, 1 node',
  pg1: 'PostgreSQL, 1 node',
  pg2: 'PostgreSQL, 2 nodes',
};

interface Setup {
  kind: Kind;
  /** The leader first; a driver runs against each node, the loops shared out. */
  nodes: SqsServerChild[];
  queueUrl: string;
}

interface RunFigures {
  round: number;
  kind: Kind;
  messagesPerS: number;
  /** Per node, in the order of Setup.nodes. */
  nodeMessagesPerS: number[];
  iterationP50: number;
  iterationP99: number;
  /** Cores: the Stratus processes together, and each. */
  serverCpu: number;
  nodeCpu: number[];
  /** Cores: the backends of this run's database; PostgreSQL's shared processes; every postgres process. */
  pgOursCpu: number;
  pgBackgroundCpu: number;
  pgAllCpu: number;
  driverCpu: number;
  otherCpu: number;
  serverUsPerMessage: number;
  pgUsPerMessage: number;
  pgBackgroundUsPerMessage: number;
  /** Stratus + its backends + PostgreSQL's shared processes. */
  totalUsPerMessage: number;
  /** The leader's group commit during the window. */
  unitsPerTransaction: number;
  transactionsPerS: number;
  /** Messages sent in the whole run, warm-up and drain included (what the table statistics cover). */
  sentTotal: number;
  errors: number;
  problems: string[];
}

const mean = (values: number[]): number => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
const rounded = (s: LatencySummary): LatencySummary => ({ mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) });

async function callOk(server: { host: string; port: number }, action: SqsAction, body: unknown): Promise<Record<string, unknown>> {
  const requests = new SqsRequests(`${server.host}:${server.port}`);
  const raw: RawResponse = await exchange(server.host, server.port, requests.build(action, JSON.stringify(body)));
  if (raw.status !== 200) throw new Error(`${action} answered ${raw.status}: ${raw.body.toString('utf8')}`);
  return JSON.parse(raw.body.toString('utf8') || '{}') as Record<string, unknown>;
}

async function createQueue(server: SqsServerChild, name: string): Promise<string> {
  return (await callOk(server, 'CreateQueue', { QueueName: name })).QueueUrl as string;
}

async function queueCounts(server: SqsServerChild, queueUrl: string): Promise<Record<string, number>> {
  const json = await callOk(server, 'GetQueueAttributes', {
    QueueUrl: queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  });
  return Object.fromEntries(Object.entries((json.Attributes ?? {}) as Record<string, string>).map(([k, v]) => [k, Number(v)]));
}

/**
 * Every message sent was received and deleted, across the drivers of one run (one driver's drain
 * may take what another sent), no call failed, the queue ended empty.
 */
function checkRun(results: LoopResult[], counts: Record<string, number>): string[] {
  const problems: string[] = [];
  const sum = (f: (r: LoopResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  const errors = sum((r) => r.errors);
  if (errors > 0) problems.push(`${errors} failed calls (${results.flatMap((r) => r.errorSamples).join(' | ')})`);
  const sent = sum((r) => r.totals.sent);
  const received = sum((r) => r.totals.received);
  const drained = sum((r) => r.totals.drainedReceived);
  const deleted = sum((r) => r.totals.deleted);
  if (received + drained !== sent) problems.push(`sent ${sent} but received ${received} + ${drained} drained`);
  if (deleted !== sent) problems.push(`sent ${sent} but deleted ${deleted}`);
  const left = Object.entries(counts).filter(([, n]) => n !== 0);
  if (left.length > 0) problems.push(`queue not empty after the run: ${left.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  return problems;
}

function summary(runs: RunFigures[]) {
  const med = (f: (r: RunFigures) => number, digits: number): number => round(median(runs.map(f).filter(Number.isFinite)), digits);
  return {
    messagesPerS: med((r) => r.messagesPerS, 0),
    nodeMessagesPerS: runs[0]?.nodeMessagesPerS.map((_, i) => med((r) => r.nodeMessagesPerS[i], 0)) ?? [],
    serverUsPerMessage: med((r) => r.serverUsPerMessage, 1),
    pgUsPerMessage: med((r) => r.pgUsPerMessage, 1),
    pgBackgroundUsPerMessage: med((r) => r.pgBackgroundUsPerMessage, 1),
    totalUsPerMessage: med((r) => r.totalUsPerMessage, 1),
    iterationP50Ms: med((r) => r.iterationP50, 2),
    iterationP99Ms: med((r) => r.iterationP99, 2),
    serverCpu: round(mean(runs.map((r) => r.serverCpu)), 2),
    nodeCpu: runs[0]?.nodeCpu.map((_, i) => round(mean(runs.map((r) => r.nodeCpu[i])), 2)) ?? [],
    pgOursCpu: round(mean(runs.map((r) => r.pgOursCpu)), 2),
    pgBackgroundCpu: round(mean(runs.map((r) => r.pgBackgroundCpu)), 2),
    pgAllCpu: round(mean(runs.map((r) => r.pgAllCpu)), 2),
    driverCpu: round(mean(runs.map((r) => r.driverCpu)), 2),
    otherCpu: round(Math.max(...runs.map((r) => r.otherCpu)), 2),
    unitsPerTransaction: med((r) => r.unitsPerTransaction, 2),
    transactionsPerS: med((r) => r.transactionsPerS, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    problems: runs.flatMap((r) => r.problems.map((p) => `round ${r.round}: ${p}`)),
    runsMessagesPerS: runs.map((r) => round(r.messagesPerS, 0)),
  };
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const cli = cliOf(options.root);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  if (options.profile) log('note: this benchmark has no profile mode; it runs as usual (and is not recorded)');
  const core = options.pin ? SERVER_CORE : undefined;
  const driverCore = options.pin ? DRIVER_CORE : undefined;
  const dataDirs: string[] = [];
  const tempDir = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `stratus-bench-cluster-${name}-`));
    dataDirs.push(dir);
    return dir;
  };
  const servers: SqsServerChild[] = [];
  let db: BenchDatabase | undefined;
  try {
    db = await createBenchDatabase();
    const database = db;
    log(`PostgreSQL ${db.settings.server_version}: database ${db.name}; synchronous_commit ${db.settings.synchronous_commit}, fsync ${db.settings.fsync} (${db.settings.wal_sync_method})`);
    const probe = await db.roundTrips(ROUND_TRIP_SAMPLES);
    const roundTrips = { selectMs: rounded(latencySummary(probe.selectMs)), commitMs: rounded(latencySummary(probe.commitMs)) };
    log(`PostgreSQL round trips (idle, one connection): SELECT 1 p50 ${fixed(roundTrips.selectMs.p50, 3)} ms; BEGIN, INSERT, COMMIT p50 ${fixed(roundTrips.commitMs.p50, 3)} ms`);
    const start = async (name: string, store?: string): Promise<SqsServerChild> => {
      const server = await startSqsServer({ kind: 'stratus', dataDir: tempDir(name), durability: 'process', ...(store ? { store } : {}) }, { core });
      servers.push(server);
      return server;
    };

    const sqlite = await start('sqlite');
    const pg1 = await start('pg1', db.storeUrl('pg1'));
    // The first node on a schema leads; the second, started once the first serves, follows it.
    const pg2Leader = await start('pg2-leader', db.storeUrl('pg2'));
    const pg2Follower = await start('pg2-follower', db.storeUrl('pg2'));
    const roles = await until('the second node to follow the first', async () => {
      const [l, f] = await Promise.all([health(pg2Leader), health(pg2Follower)]);
      return l?.role === 'leader' && f?.role === 'follower' ? [l, f] : undefined;
    });
    log(`two nodes on schema pg2: leader ${roles[0].node}, follower ${roles[1].node} (forwards to ${roles[1].leader})`);
    const setups: Record<Kind, Setup> = {
      sqlite: { kind: 'sqlite', nodes: [sqlite], queueUrl: await createQueue(sqlite, 'bench-standard') },
      pg1: { kind: 'pg1', nodes: [pg1], queueUrl: await createQueue(pg1, 'bench-standard') },
      pg2: { kind: 'pg2', nodes: [pg2Leader, pg2Follower], queueUrl: await createQueue(pg2Leader, 'bench-standard') },
    };

    // ---- 1. throughput ----
    let runNo = 0;
    const measure = async (setup: Setup, roundNo: number): Promise<RunFigures> => {
      const loops = LOOPS / setup.nodes.length;
      const tag = `r${++runNo}`;
      type Sample = { nodes: Promise<Awaited<ReturnType<SqsServerChild['cpu']>>[]>; pg: Promise<PostgresCpuSample>; busy: number | undefined; at: number };
      const sample = (): Sample => ({
        nodes: Promise.all(setup.nodes.map((n) => n.cpu())),
        pg: database.cpu(),
        busy: machineBusyMs(),
        at: performance.now(),
      });
      let from: Sample | undefined;
      let to: Sample | undefined;
      // The drivers start together and count over the same window; the first one's window is the one sampled.
      const results = await Promise.all(
        setup.nodes.map((node, i) =>
          runSqsDriver(
            {
              mode: 'loop',
              client: 'raw',
              host: node.host,
              port: node.port,
              queueUrl: setup.queueUrl,
              fifo: false,
              loops,
              warmupMs: options.warmupS * 1000,
              durationMs: options.durationS * 1000,
              bodyBytes: BODY_BYTES,
              tag: `${tag}n${i}`,
              drain: true,
            },
            {
              core: driverCore,
              onMeasuring: i === 0 ? () => (from = sample()) : undefined,
              onMeasured: i === 0 ? () => (to = sample()) : undefined,
            },
          ),
        ),
      );
      if (!from || !to) throw new Error('the driver never reported its measuring window');
      const [nodesFrom, nodesTo, pgFrom, pgTo] = await Promise.all([from.nodes, to.nodes, from.pg, to.pg]);
      const nodeCpu = nodesFrom.map((a, i) => cpuShare(a, nodesTo[i]));
      const serverCpu = nodeCpu.reduce((a, b) => a + b, 0);
      const pgCpu = postgresCpuShare(pgFrom, pgTo);
      const machineCpu = from.busy !== undefined && to.busy !== undefined ? (to.busy - from.busy) / (to.at - from.at) : NaN;
      const driverCpu = results.reduce((n, r) => n + r.driverCpu, 0);
      const nodeMessagesPerS = results.map((r) => (r.sent + r.received + r.deleted) / 3 / (r.durationMs / 1000));
      const messagesPerS = nodeMessagesPerS.reduce((a, b) => a + b, 0);
      const leaderFrom: StoreStats | undefined = nodesFrom[0].store;
      const leaderTo: StoreStats | undefined = nodesTo[0].store;
      const transactions = leaderFrom && leaderTo ? leaderTo.transactions - leaderFrom.transactions : NaN;
      const windowS = (nodesTo[0].at - nodesFrom[0].at) / 1000;
      const perMessage = (cores: number): number => (messagesPerS > 0 ? (cores * 1e6) / messagesPerS : NaN);
      const pgUsed = setup.kind === 'sqlite' ? 0 : pgCpu.ours;
      const counts = await queueCounts(setup.nodes[0], setup.queueUrl);
      return {
        round: roundNo,
        kind: setup.kind,
        messagesPerS,
        nodeMessagesPerS,
        iterationP50: mean(results.map((r) => r.iterationMs.p50)),
        iterationP99: Math.max(...results.map((r) => r.iterationMs.p99)),
        serverCpu,
        nodeCpu,
        pgOursCpu: pgCpu.ours,
        pgBackgroundCpu: pgCpu.background,
        pgAllCpu: pgCpu.all,
        driverCpu,
        // PostgreSQL's shared processes work for every database; here they count as this run's.
        otherCpu: Math.max(0, machineCpu - serverCpu - driverCpu - pgCpu.ours - pgCpu.background),
        serverUsPerMessage: perMessage(serverCpu),
        pgUsPerMessage: perMessage(pgUsed),
        pgBackgroundUsPerMessage: perMessage(pgCpu.background),
        totalUsPerMessage: perMessage(serverCpu + pgUsed + (setup.kind === 'sqlite' ? 0 : pgCpu.background)),
        unitsPerTransaction: leaderFrom && leaderTo && transactions > 0 ? (leaderTo.units - leaderFrom.units) / transactions : NaN,
        transactionsPerS: windowS > 0 ? transactions / windowS : NaN,
        sentTotal: results.reduce((n, r) => n + r.totals.sent, 0),
        errors: results.reduce((n, r) => n + r.errors, 0),
        problems: checkRun(results, counts),
      };
    };

    const measureWithRetries = (setup: Setup, roundNo: number): Promise<RunFigures> =>
      leastDisturbed(
        () => measure(setup, roundNo),
        (f, note) =>
          log(
            `round ${roundNo} ${LABELS[setup.kind].padEnd(19)} ${thousands(f.messagesPerS).padStart(7)} msg/s` +
              (f.nodeMessagesPerS.length > 1 ? ` (${f.nodeMessagesPerS.map((x) => thousands(x)).join(' + ')})` : '') +
              `  stratus ${fixed(f.serverUsPerMessage, 1)} µs/msg` +
              (setup.kind === 'sqlite' ? '' : `, postgres ${fixed(f.pgUsPerMessage, 1)} + ${fixed(f.pgBackgroundUsPerMessage, 1)} shared`) +
              `  cpu: stratus ${f.nodeCpu.map((c) => `${fixed(c * 100, 0)}%`).join('+')}` +
              (setup.kind === 'sqlite' ? '' : ` postgres ${fixed(f.pgOursCpu * 100, 0)}%+${fixed(f.pgBackgroundCpu * 100, 0)}%`) +
              ` driver ${fixed(f.driverCpu * 100, 0)}% other ${fixed(f.otherCpu * 100, 0)}%` +
              `  ${fixed(f.unitsPerTransaction, 1)} writes/tx, ${thousands(f.transactionsPerS)} tx/s` +
              note +
              (f.problems.length > 0 ? `\n      PROBLEMS: ${f.problems.join('; ')}` : ''),
          ),
        { retries: RETRIES, limitCores: DISTURBED_CORES },
      );

    const runs: RunFigures[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const order: Kind[] = r % 2 === 0 ? ['sqlite', 'pg1', 'pg2'] : ['pg2', 'pg1', 'sqlite'];
      for (const kind of order) runs.push(await measureWithRetries(setups[kind], r + 1));
    }
    const byKind = (kind: Kind) => summary(runs.filter((r) => r.kind === kind));
    const s = byKind('sqlite');
    const p1 = byKind('pg1');
    const p2 = byKind('pg2');
    const ratioOf = (x: { messagesPerS: number }): number => round(x.messagesPerS / s.messagesPerS, 3);
    const roundRatios = (kind: Kind): number[] =>
      Array.from({ length: options.rounds }, (_, i) => {
        const x = runs.find((r) => r.kind === kind && r.round === i + 1)?.messagesPerS ?? NaN;
        const base = runs.find((r) => r.kind === 'sqlite' && r.round === i + 1)?.messagesPerS ?? NaN;
        return round(x / base, 3);
      });
    const pg1Ratio = ratioOf(p1);
    const pg2Ratio = ratioOf(p2);
    const problems = [...s.problems.map((p) => `SQLite ${p}`), ...p1.problems.map((p) => `PG 1 node ${p}`), ...p2.problems.map((p) => `PG 2 nodes ${p}`)];
    const disturbed = runs.filter((r) => r.otherCpu > DISTURBED_CORES).length;
    // Each backend sends its table counters to the statistics system once idle for a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const tableWork = async (kind: 'pg1' | 'pg2') => {
      const stats = await database.tableStats(kind);
      const sent = runs.filter((r) => r.kind === kind).reduce((n, r) => n + r.sentTotal, 0);
      const per = (x: number): number => round(x / sent, 2);
      return {
        messages: sent,
        indexScans: per(stats.indexScans),
        indexRowsFetched: per(stats.indexRowsFetched),
        seqScans: per(stats.seqScans),
        seqRowsRead: per(stats.seqRowsRead),
        inserted: per(stats.inserted),
        updated: per(stats.updated),
        hotUpdated: per(stats.hotUpdated),
        deleted: per(stats.deleted),
        deadRowsLeft: stats.deadRows,
      };
    };
    const tables = { pg1: await tableWork('pg1'), pg2: await tableWork('pg2') };

    // ---- 2. long-poll wake-up ----
    type LongPollKind = 'sqlite' | 'pg1' | 'cross';
    const longPollLabels: Record<LongPollKind, string> = {
      sqlite: 'SQLite, 1 node (wait and send on it)',
      pg1: 'PostgreSQL, 1 node (wait and send on it)',
      cross: 'PostgreSQL, wait on the follower, send to the leader',
    };
    const longPoll = async (kind: LongPollKind, receiveOn: SqsServerChild, sendTo: SqsServerChild) => {
      const queueName = 'bench-long-poll';
      const queueUrl = await createQueue(sendTo, queueName);
      const busyFrom = machineBusyMs();
      const startedAt = performance.now();
      const result = await runSqsDriver(
        {
          mode: 'long-poll',
          host: receiveOn.host,
          port: receiveOn.port,
          ...(sendTo === receiveOn ? {} : { sendHost: sendTo.host, sendPort: sendTo.port }),
          queueUrl,
          queueName,
          samples: LONG_POLL_SAMPLES,
          warmupSamples: LONG_POLL_WARMUP,
          intervalMs: LONG_POLL_INTERVAL_MS,
        },
        { core: driverCore },
      );
      const busyTo = machineBusyMs();
      const machineCpu = busyFrom !== undefined && busyTo !== undefined ? (busyTo - busyFrom) / (performance.now() - startedAt) : NaN;
      const left = Object.entries(await queueCounts(sendTo, queueUrl)).filter(([, n]) => n !== 0);
      const figures = {
        wakeMs: rounded(latencySummary(result.wakeMs)),
        sendMs: rounded(latencySummary(result.sendMs)),
        baselineMs: rounded(latencySummary(result.baselineMs)),
        samples: result.wakeMs.length,
        errors: result.errors,
        machineCpu: round(machineCpu, 2),
        problems: [
          ...(result.errors > 0 ? [`${result.errors} errors (${result.errorSamples.join(' | ')})`] : []),
          ...(left.length > 0 ? [`queue not empty: ${left.map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
        ],
      };
      log(
        `long poll, ${longPollLabels[kind]}: wake-up p50 ${fixed(figures.wakeMs.p50, 3)} p99 ${fixed(figures.wakeMs.p99, 3)} ms over ${figures.samples} samples; ` +
          `machine ${fixed(machineCpu * 100, 0)}% of a core${figures.problems.length > 0 ? `; PROBLEMS: ${figures.problems.join('; ')}` : ''}`,
      );
      return figures;
    };
    const lp = {
      cross: await longPoll('cross', pg2Follower, pg2Leader),
      sqlite: await longPoll('sqlite', sqlite, sqlite),
      pg1: await longPoll('pg1', pg1, pg1),
    };
    const longPollMet = lp.cross.wakeMs.p99 < TARGET_P99_MS && lp.cross.samples === LONG_POLL_SAMPLES;

    for (const server of servers.splice(0)) await server.stop();

    // ---- 3. failover ----
    const failover = await measureFailover(options, db, tempDir, core, log);

    // ---- report ----
    const rows: [string, ReturnType<typeof summary>][] = [
      [LABELS.sqlite, s],
      [LABELS.pg1, p1],
      [LABELS.pg2, p2],
    ];
    const dash = (n: number, digits: number): string => (Number.isFinite(n) ? fixed(n, digits) : '-');
    const lpRow = (label: string, x: LatencySummary): string[] => [label, fixed(x.p50, 3), fixed(x.p90, 3), fixed(x.p99, 3), fixed(x.max, 3), fixed(x.mean, 3)];
    const report = [
      'SQS throughput, 16 loops of SendMessageBatch(10) → ReceiveMessage(10) → DeleteMessageBatch (medians of rounds)',
      table(
        ['store', 'msg/s', 'of SQLite', 'stratus µs/msg', 'pg µs/msg', 'pg shared µs/msg', 'total µs/msg', 'writes/tx', 'tx/s', 'iter p50 ms', 'iter p99 ms', 'stratus cpu', 'pg cpu', 'driver cpu', 'errors'],
        rows.map(([label, x]) => [
          label,
          thousands(x.messagesPerS),
          `${fixed(x.messagesPerS / s.messagesPerS, 2)}×`,
          x.nodeCpu.length > 1 ? `${fixed(x.serverUsPerMessage, 1)} (${x.nodeCpu.map((c) => `${fixed(c * 100, 0)}%`).join('+')})` : fixed(x.serverUsPerMessage, 1),
          x === s ? '-' : dash(x.pgUsPerMessage, 1),
          x === s ? '-' : dash(x.pgBackgroundUsPerMessage, 1),
          dash(x.totalUsPerMessage, 1),
          dash(x.unitsPerTransaction, 1),
          thousands(x.transactionsPerS),
          fixed(x.iterationP50Ms),
          fixed(x.iterationP99Ms),
          `${fixed(x.serverCpu * 100, 0)}%`,
          x === s ? '-' : `${fixed(x.pgOursCpu * 100, 0)}%+${fixed(x.pgBackgroundCpu * 100, 0)}%`,
          `${fixed(x.driverCpu * 100, 0)}%`,
          String(x.errors),
        ]),
      ),
      '',
      `PostgreSQL 1 node / SQLite: ${fixed(pg1Ratio, 3)} (per round: ${roundRatios('pg1').map((x) => fixed(x, 3)).join(', ')}); ` +
        `issue target ≥ ${TARGET_PG_SHARE}: ${pg1Ratio >= TARGET_PG_SHARE ? 'MET' : 'NOT MET'}`,
      `PostgreSQL 2 nodes / SQLite: ${fixed(pg2Ratio, 3)} (per round: ${roundRatios('pg2').map((x) => fixed(x, 3)).join(', ')}); ` +
        `2 nodes / 1 node: ${fixed(p2.messagesPerS / p1.messagesPerS, 3)}; through the leader ${thousands(p2.nodeMessagesPerS[0] ?? NaN)}, through the follower ${thousands(p2.nodeMessagesPerS[1] ?? NaN)} msg/s`,
      `where the CPU goes, µs a message: SQLite ${fixed(s.serverUsPerMessage, 1)} (all in Stratus); ` +
        `PostgreSQL 1 node ${fixed(p1.serverUsPerMessage, 1)} Stratus + ${fixed(p1.pgUsPerMessage, 1)} its backends + ${fixed(p1.pgBackgroundUsPerMessage, 1)} PostgreSQL's shared processes = ${fixed(p1.totalUsPerMessage, 1)}; ` +
        `2 nodes ${fixed(p2.serverUsPerMessage, 1)} + ${fixed(p2.pgUsPerMessage, 1)} + ${fixed(p2.pgBackgroundUsPerMessage, 1)} = ${fixed(p2.totalUsPerMessage, 1)}`,
      `the leader's store commits one transaction at a time on its one write connection: ${fixed(p1.unitsPerTransaction, 1)} writes a transaction, ` +
        `${thousands(p1.transactionsPerS)} a second (up to ${fixed(1000 / p1.transactionsPerS, 1)} ms each) on 1 node, ${thousands(p2.transactionsPerS)} (${fixed(1000 / p2.transactionsPerS, 1)} ms) on 2; ` +
        `SQLite ${fixed(s.unitsPerTransaction, 1)} writes × ${thousands(s.transactionsPerS)}/s. Idle PostgreSQL round trips: SELECT 1 ${fixed(roundTrips.selectMs.p50, 3)} ms, ` +
        `a one-row transaction ${fixed(roundTrips.commitMs.p50, 3)} ms (p50)`,
      `PostgreSQL's table work a message (pg_stat_user_tables over every run, warm-ups and drains included), 1 node: ` +
        `${fixed(tables.pg1.indexScans, 2)} index scans fetching ${fixed(tables.pg1.indexRowsFetched, 1)} rows, ${fixed(tables.pg1.seqScans, 3)} sequential scans reading ${fixed(tables.pg1.seqRowsRead, 1)}; ` +
        `rows inserted ${fixed(tables.pg1.inserted, 2)}, updated ${fixed(tables.pg1.updated, 2)} (${fixed(tables.pg1.hotUpdated, 2)} HOT), deleted ${fixed(tables.pg1.deleted, 2)}; ` +
        `dead rows left ${thousands(tables.pg1.deadRowsLeft)} (2 nodes: ${fixed(tables.pg2.indexRowsFetched, 1)} rows fetched through ${fixed(tables.pg2.indexScans, 2)} index scans)`,
      `every postgres process on the machine (other databases too): ${fixed(p1.pgAllCpu * 100, 0)}% of a core during PG 1 node, ${fixed(p2.pgAllCpu * 100, 0)}% during 2 nodes, ${fixed(s.pgAllCpu * 100, 0)}% during SQLite`,
      problems.length === 0 ? 'checks: every message sent was received and deleted, no call failed, every queue ended empty' : `CHECKS FAILED: ${problems.join('; ')}`,
    ];
    if (disturbed > 0) report.push(`warning: ${disturbed} of ${runs.length} runs shared the machine with other work (> ${DISTURBED_CORES * 100}% of a core) even after ${RETRIES} retries`);
    report.push(
      '',
      `Long-poll wake-up: SendMessage → the waiting ReceiveMessage (WaitTimeSeconds 20) answers, ${LONG_POLL_SAMPLES} samples each`,
      table(
        ['latency, ms', 'p50', 'p90', 'p99', 'max', 'mean'],
        (['sqlite', 'pg1', 'cross'] as const).flatMap((k) => [
          lpRow(longPollLabels[k], lp[k].wakeMs),
          lpRow(`  its SendMessage → its own answer`, lp[k].sendMs),
          lpRow(`  baseline: GetQueueUrl where the receive waits`, lp[k].baselineMs),
        ]),
      ),
      `across nodes / SQLite: p50 ${fixed(lp.cross.wakeMs.p50 / lp.sqlite.wakeMs.p50, 2)}×, p99 ${fixed(lp.cross.wakeMs.p99 / lp.sqlite.wakeMs.p99, 2)}× ` +
        `(+${fixed(lp.cross.wakeMs.p50 - lp.sqlite.wakeMs.p50, 3)} / +${fixed(lp.cross.wakeMs.p99 - lp.sqlite.wakeMs.p99, 3)} ms); ` +
        `issue target p99 < ${TARGET_P99_MS} ms: ${longPollMet ? 'MET' : 'NOT MET'}`,
    );
    const lpProblems = Object.entries(lp).flatMap(([k, x]) => x.problems.map((p) => `${k}: ${p}`));
    report.push(lpProblems.length === 0 ? 'checks: every send woke the waiting receive with its message, no call failed, the queues ended empty' : `CHECKS FAILED: ${lpProblems.join('; ')}`);
    report.push('', failover.report);

    return {
      settings: {
        loops: LOOPS,
        loopsPerNodeTwoNodes: LOOPS / 2,
        batch: BATCH,
        bodyBytes: BODY_BYTES,
        warmupS: options.warmupS,
        durationS: options.durationS,
        rounds: options.rounds,
        retriesWhenDisturbed: RETRIES,
        pinned: options.pin,
        sqlite: 'a temporary data dir, --durability process (WAL, synchronous=NORMAL)',
        postgres: { ...db.settings, url: 'a database per run on the local server, a schema per setup' },
        client: 'raw HTTP/1.1 keep-alive (bench/lib/sqs-wire.ts), AWS JSON 1.0',
        roundTripSamples: ROUND_TRIP_SAMPLES,
        longPoll: { samples: LONG_POLL_SAMPLES, warmupSamples: LONG_POLL_WARMUP, intervalMs: LONG_POLL_INTERVAL_MS, waitTimeSeconds: 20 },
        failover: failover.settings,
      },
      figures: {
        throughput: { sqlite: s, pg1: p1, pg2: p2, pg1Ratio, pg2Ratio, pg1RoundRatios: roundRatios('pg1'), pg2RoundRatios: roundRatios('pg2'), targetPg1: TARGET_PG_SHARE, pg1Met: pg1Ratio >= TARGET_PG_SHARE },
        postgresTableWork: tables,
        throughputChecksPassed: problems.length === 0,
        disturbedRuns: disturbed,
        postgresRoundTrips: roundTrips,
        longPoll: { ...lp, targetP99Ms: TARGET_P99_MS, crossMet: longPollMet, checksPassed: lpProblems.length === 0 },
        failover: failover.figures,
      },
      report: report.join('\n'),
    };
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await db?.drop().catch((error: unknown) => log(`could not drop database ${db?.name}: ${(error as Error).message}`));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

// ---- failover ----------------------------------------------------------------------------------

interface FailoverFigures {
  repetition: number;
  /** Kill → the follower's /_stratus/health says it leads. */
  leadMs: number;
  /** Kill → the follower got the leader lock, and the lock → serving (from its log line). */
  lockMs: number;
  prepareMs: number;
  /** Kill → the first message stored in the queue after it (its SentTimestamp). */
  resumeMs: number;
  /** Events acknowledged before the kill whose message was stored after it: work the dead leader held. */
  pending: number;
  pendingFirstMs: number;
  pendingLastMs: number;
  /** The last message stored before the kill, ms before it: deliveries were flowing. */
  lastBeforeKillMs: number;
  acked: number;
  ackedBeforeKill: number;
  /** Acknowledged events whose message never arrived. */
  lost: number;
  duplicates: number;
  /** PutEvents calls that failed (a call cut off by the kill is answered 502), and the slowest answered. */
  putErrors: number;
  putErrorSamples: string[];
  slowestPutMs: number;
}

async function measureFailover(
  options: BenchOptions,
  db: BenchDatabase,
  tempDir: (name: string) => string,
  core: number | undefined,
  log: (line: string) => void,
): Promise<{ figures: Record<string, unknown>; settings: Record<string, unknown>; report: string }> {
  const help = startHelp(options.root);
  const leaseOption = /--node-lease-seconds\b[^\n]*(?:\n {20,}[^\n]*)*/.exec(help)?.[0];
  const leaseDefault = leaseOption === undefined ? undefined : /default\s+(\d+(?:\.\d+)?)/.exec(leaseOption)?.[1];
  const leaseS = leaseOption === undefined ? undefined : Number(leaseDefault ?? LEASE_FALLBACK_S);
  const leaseArgs = leaseOption !== undefined && leaseDefault === undefined ? ['--node-lease-seconds', String(leaseS)] : [];
  log(leaseS === undefined ? 'failover: stratus start has no --node-lease-seconds; failover is reported in ms' : `failover: --node-lease-seconds ${leaseS}${leaseDefault ? ' (its default)' : ''}`);

  const store = db.storeUrl('failover');
  const nodes: ClusterNode[] = [];
  const startOne = async (): Promise<ClusterNode> => {
    const node = await startNode(options.root, { store, dataDir: tempDir('node'), args: leaseArgs, core });
    nodes.push(node);
    return node;
  };
  const clientConfig = (url: string) => ({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
  const reps: FailoverFigures[] = [];
  try {
    let leader = await startOne();
    await until('the first node to lead', async () => ((await health(leader))?.role === 'leader' ? true : undefined));
    const startFollower = async (): Promise<ClusterNode> => {
      const node = await startOne();
      await until('the new node to follow', async () => {
        const h = await health(node);
        return h?.role === 'follower' && h.leader === leader.url ? true : undefined;
      });
      return node;
    };
    let follower = await startFollower();

    // Everything is set up through the follower, as an application behind it would.
    const setupSqs = new SQSClient(clientConfig(follower.url));
    const setupEvents = new EventBridgeClient(clientConfig(follower.url));
    const { QueueUrl: queueUrl } = await setupSqs.send(new CreateQueueCommand({ QueueName: 'bench-failover' }));
    const { Attributes } = await setupSqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await setupEvents.send(new PutRuleCommand({ Name: 'bench-failover', EventPattern: JSON.stringify({ source: [EVENT_SOURCE] }) }));
    await setupEvents.send(new PutTargetsCommand({ Rule: 'bench-failover', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
    setupSqs.destroy();
    setupEvents.destroy();

    for (let rep = 1; rep <= FAILOVERS; rep++) {
      const events = new EventBridgeClient(clientConfig(follower.url));
      const acked = new Map<string, boolean>(); // id → acknowledged before the kill
      let killed = false;
      let putErrors = 0;
      const putErrorSamples: string[] = [];
      let slowestPutMs = 0;
      const puts: Promise<void>[] = [];
      let call = 0;
      const put = (): void => {
        const n = call++;
        const ids = Array.from({ length: PUT_ENTRIES }, (_, k) => `f${rep}-${n}-${k}`);
        const began = performance.now();
        puts.push(
          events.send(new PutEventsCommand({ Entries: ids.map((id) => ({ Source: EVENT_SOURCE, DetailType: 'failover', Detail: `{"id":"${id}"}` })) })).then(
            (answer) => {
              slowestPutMs = Math.max(slowestPutMs, performance.now() - began);
              answer.Entries?.forEach((entry, k) => {
                if (entry.ErrorCode === undefined && entry.EventId !== undefined) acked.set(ids[k], !killed);
                else putErrors++;
              });
            },
            (error: unknown) => {
              putErrors++;
              if (putErrorSamples.length < 3) putErrorSamples.push(error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : String(error));
            },
          ),
        );
      };
      const producer = setInterval(put, PUT_INTERVAL_MS);
      let figures: FailoverFigures;
      try {
        await new Promise((resolve) => setTimeout(resolve, BEFORE_KILL_MS));
        const killedAt = Date.now();
        const killedAtMono = performance.now();
        killed = true;
        const killing = leader.kill();
        await until('the follower to lead', async () => ((await health(follower))?.role === 'leader' ? true : undefined), 2, 60_000);
        const leadMs = performance.now() - killedAtMono;
        await killing;
        await new Promise((resolve) => setTimeout(resolve, AFTER_LEAD_MS));
        clearInterval(producer);
        await Promise.all(puts);
        events.destroy();

        const taken = [...follower.log().matchAll(/^(\S+) INFO this node leads the store now (\{.*\})$/gm)].at(-1);
        const loggedAt = taken ? Date.parse(taken[1]) : NaN;
        const preparedMs = taken ? Number((JSON.parse(taken[2]) as { ms?: number }).ms) : NaN;

        const stored = await drainQueue(new SQSClient(clientConfig(follower.url)), queueUrl!, acked);
        let resumeAt = Infinity;
        let lastBefore = -Infinity;
        for (const at of stored.sentAt.values()) {
          if (at > killedAt) resumeAt = Math.min(resumeAt, at);
          else lastBefore = Math.max(lastBefore, at);
        }
        const pendingAt: number[] = [];
        let lost = 0;
        for (const [id, before] of acked) {
          const at = stored.sentAt.get(id);
          if (at === undefined) lost++;
          else if (before && at > killedAt) pendingAt.push(at);
        }
        figures = {
          repetition: rep,
          leadMs: round(leadMs, 1),
          lockMs: loggedAt - preparedMs - killedAt,
          prepareMs: preparedMs,
          resumeMs: resumeAt - killedAt,
          pending: pendingAt.length,
          pendingFirstMs: pendingAt.length > 0 ? Math.min(...pendingAt) - killedAt : NaN,
          pendingLastMs: pendingAt.length > 0 ? Math.max(...pendingAt) - killedAt : NaN,
          lastBeforeKillMs: killedAt - lastBefore,
          acked: acked.size,
          ackedBeforeKill: [...acked.values()].filter(Boolean).length,
          lost,
          duplicates: stored.duplicates,
          putErrors,
          putErrorSamples,
          slowestPutMs: round(slowestPutMs, 1),
        };
      } finally {
        clearInterval(producer);
      }
      reps.push(figures);
      log(
        `failover ${rep}: leads after ${fixed(figures.leadMs, 0)} ms (lock ${fixed(figures.lockMs, 0)} ms, then ${fixed(figures.prepareMs, 0)} ms to serve); ` +
          `first delivery after the kill at +${fixed(figures.resumeMs, 0)} ms; ${figures.pending} held by the dead leader` +
          (figures.pending > 0 ? `, delivered +${fixed(figures.pendingFirstMs, 0)}…+${fixed(figures.pendingLastMs, 0)} ms` : '') +
          `; ${figures.acked} acknowledged (${figures.ackedBeforeKill} before the kill), ${figures.lost} lost, ${figures.duplicates} duplicates; ` +
          `${figures.putErrors} PutEvents failed${figures.putErrorSamples.length > 0 ? ` (${figures.putErrorSamples[0]})` : ''}, slowest answered ${fixed(figures.slowestPutMs, 0)} ms`,
      );
      // The node that took over leads the next repetition; a new one follows it.
      leader = follower;
      follower = await startFollower();
    }
  } finally {
    for (const node of nodes) await node.stop(5_000).catch(() => undefined);
  }

  const stat = (f: (r: FailoverFigures) => number) => {
    const values = reps.map(f).filter(Number.isFinite);
    return { median: round(median(values), 1), max: round(values.length > 0 ? Math.max(...values) : NaN, 1) };
  };
  const lead = stat((r) => r.leadMs);
  const lock = stat((r) => r.lockMs);
  const prepare = stat((r) => r.prepareMs);
  const resume = stat((r) => r.resumeMs);
  const pendingFirst = stat((r) => r.pendingFirstMs);
  const pendingLast = stat((r) => r.pendingLastMs);
  const slowestPut = stat((r) => r.slowestPutMs);
  const lost = reps.reduce((n, r) => n + r.lost, 0);
  const pending = reps.reduce((n, r) => n + r.pending, 0);
  const leaseMs = leaseS === undefined ? undefined : leaseS * 1000;
  const ofLease = (x: number): string => (leaseMs === undefined ? '' : ` (${fixed(x / leaseMs, 2)}× the lease)`);
  const row = (label: string, x: { median: number; max: number }): string[] => [label, fixed(x.median, 0), fixed(x.max, 0)];
  const report = [
    `Failover: SIGKILL of the leader, PutEvents (${PUT_ENTRIES} entries every ${PUT_INTERVAL_MS} ms) through the follower, a rule routing them to an SQS queue; ${reps.length} repetitions`,
    table(
      ['from the kill, ms', 'median', 'max'],
      [
        row('follower got the leader lock (its log)', lock),
        row('follower health says leader', lead),
        row('first message stored after the kill', resume),
        row('first event held by the dead leader stored', pendingFirst),
        row('last event held by the dead leader stored', pendingLast),
        row('slowest PutEvents answer (a client waits)', slowestPut),
      ],
    ),
    `the new leader prepared to serve in ${fixed(prepare.median, 0)} ms (median; max ${fixed(prepare.max, 0)}) after it got the lock; ` +
      `events acknowledged before a kill and delivered after it: ${pending} in all (${reps.map((r) => r.pending).join(', ')})`,
    leaseMs === undefined
      ? 'no --node-lease-seconds in this build: the leader lock is a PostgreSQL session lock, freed when the dead leader\'s connection closes'
      : `lease ${leaseS} s: leads after ${fixed(lead.median, 0)} ms${ofLease(lead.median)}, events resume ${fixed(resume.median, 0)} ms${ofLease(resume.median)}`,
    lost === 0
      ? `checks: every acknowledged event arrived in the queue (PutEvents calls cut off by a kill: ${reps.reduce((n, r) => n + r.putErrors, 0)}, not counted as acknowledged)`
      : `CHECKS FAILED: ${lost} acknowledged events never arrived`,
  ];
  return {
    report: report.join('\n'),
    settings: {
      repetitions: FAILOVERS,
      putIntervalMs: PUT_INTERVAL_MS,
      putEntries: PUT_ENTRIES,
      beforeKillMs: BEFORE_KILL_MS,
      afterLeadMs: AFTER_LEAD_MS,
      nodeLeaseSeconds: leaseS ?? null,
      nodes: 'stratus start (dist/cli/main.js), two at a time; a new follower after each kill',
    },
    figures: {
      leadMs: lead,
      lockMs: lock,
      prepareMs: prepare,
      resumeMs: resume,
      pendingFirstMs: pendingFirst,
      pendingLastMs: pendingLast,
      slowestPutMs: slowestPut,
      ...(leaseMs === undefined ? {} : { leaseS, leadOfLease: round(lead.median / leaseMs, 3), resumeOfLease: round(resume.median / leaseMs, 3) }),
      pending,
      lost,
      checksPassed: lost === 0,
      repetitions: reps,
    },
  };
}

/**
 * Receives and deletes until every acknowledged event's message came and the queue answers empty:
 * when each was stored (SentTimestamp) and how many came twice.
 */
async function drainQueue(sqs: SQSClient, queueUrl: string, acked: Map<string, boolean>): Promise<{ sentAt: Map<string, number>; duplicates: number }> {
  const sentAt = new Map<string, number>();
  let duplicates = 0;
  const deadline = performance.now() + 60_000;
  try {
    for (;;) {
      const missing = [...acked.keys()].some((id) => !sentAt.has(id));
      if (performance.now() > deadline) break;
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: missing ? 1 : 0, MessageSystemAttributeNames: ['SentTimestamp'] }),
      );
      if (Messages.length === 0) {
        if (!missing) break;
        continue;
      }
      for (const m of Messages) {
        const id = (JSON.parse(m.Body!) as { detail: { id: string } }).detail.id;
        const at = Number(m.Attributes?.SentTimestamp);
        const seen = sentAt.get(id);
        if (seen !== undefined) duplicates++;
        sentAt.set(id, seen === undefined ? at : Math.min(seen, at));
      }
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  } finally {
    sqs.destroy();
  }
  return { sentAt, duplicates };
}

export const cluster: Benchmark = {
  name: 'cluster',
  description: 'Stratus on PostgreSQL (1 and 2 nodes) vs SQLite: SQS throughput, long-poll wake-up across nodes, failover after kill -9 of the leader',
  run,
};
