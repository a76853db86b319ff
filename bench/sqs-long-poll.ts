/**
 * sqs-long-poll: how fast a waiting ReceiveMessage (WaitTimeSeconds 20) returns once a message
 * is sent, at light load (issue 3: p99 under 5 ms).
 *
 * Stratus runs in its own process on core 0 with a durable store in a temporary data dir
 * (`--durability process`); the driver (lib/sqs-driver.ts, raw-HTTP client) on core 1 keeps one
 * long poll open on one keep-alive connection and, ~20 ms after parking it, writes a SendMessage
 * on another. Wake-up latency = the receive's answer complete − just before the send was written,
 * both on the driver's performance.now(); the message is then deleted. Halfway between parking
 * the poll and sending, each cycle times one GetQueueUrl round trip on an idle connection to the
 * same server, after the same ~10 ms of quiet as the send: the floor under any wake-up (a wake-up
 * is at least a request in and an answer out). The SendMessage's own round trip is shown too: the
 * wake-up also waits for the send's commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixed, round, table } from './lib/format.js';
import { exchange } from './lib/http-raw.js';
import { machineBusyMs } from './lib/machine.js';
import { latencySummary, runSqsDriver, startSqsServer, type LatencySummary, type SqsServerChild } from './lib/sqs-children.js';
import { SqsRequests } from './lib/sqs-wire.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const SAMPLES = 500;
const WARMUP_SAMPLES = 25;
const INTERVAL_MS = 20;
const TARGET_P99_MS = 5;
const SERVER_CORE = 0;
const DRIVER_CORE = 1;
const QUEUE = 'bench-long-poll';

const rounded = (s: LatencySummary): LatencySummary => ({ mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) });

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-long-poll-'));
  let server: SqsServerChild | undefined;
  try {
    server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { core: options.pin ? SERVER_CORE : undefined });
    const requests = new SqsRequests(`${server.host}:${server.port}`);
    const created = await exchange(server.host, server.port, requests.build('CreateQueue', JSON.stringify({ QueueName: QUEUE })));
    if (created.status !== 200) throw new Error(`CreateQueue answered ${created.status}: ${created.body.toString('utf8')}`);
    const queueUrl = (JSON.parse(created.body.toString('utf8')) as { QueueUrl: string }).QueueUrl;

    const busyFrom = machineBusyMs();
    const cpuFrom = await server.cpu();
    const startedAt = performance.now();
    const result = await runSqsDriver(
      { mode: 'long-poll', host: server.host, port: server.port, queueUrl, queueName: QUEUE, samples: SAMPLES, warmupSamples: WARMUP_SAMPLES, intervalMs: INTERVAL_MS },
      { core: options.pin ? DRIVER_CORE : undefined },
    );
    const cpuTo = await server.cpu();
    const busyTo = machineBusyMs();
    const wallMs = performance.now() - startedAt;
    const machineCores = busyFrom !== undefined && busyTo !== undefined ? (busyTo - busyFrom) / wallMs : NaN;
    const serverCores = (cpuTo.cpu - cpuFrom.cpu) / 1000 / (cpuTo.at - cpuFrom.at);

    const attributes = await exchange(
      server.host,
      server.port,
      requests.build('GetQueueAttributes', JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })),
    );
    const left = Object.entries((JSON.parse(attributes.body.toString('utf8')) as { Attributes?: Record<string, string> }).Attributes ?? {}).filter(([, v]) => v !== '0');

    const wake = rounded(latencySummary(result.wakeMs));
    const send = rounded(latencySummary(result.sendMs));
    const baseline = rounded(latencySummary(result.baselineMs));
    const met = wake.p99 < TARGET_P99_MS && result.wakeMs.length === SAMPLES;
    log(`${result.wakeMs.length} samples in ${fixed(result.durationMs / 1000, 1)} s; server cpu ${fixed(serverCores * 100, 0)}%, machine ${fixed(machineCores * 100, 0)}% of a core`);

    const row = (label: string, s: LatencySummary): string[] => [label, fixed(s.p50, 3), fixed(s.p90, 3), fixed(s.p99, 3), fixed(s.max, 3), fixed(s.mean, 3)];
    const report = [
      table(
        ['latency, ms', 'p50', 'p90', 'p99', 'max', 'mean'],
        [
          row('SendMessage → waiting ReceiveMessage answers', wake),
          row('SendMessage → its own answer', send),
          row('baseline: GetQueueUrl round trip', baseline),
        ],
      ),
      '',
      `wake-up above the baseline: p50 +${fixed(wake.p50 - baseline.p50, 3)} ms, p99 +${fixed(wake.p99 - baseline.p99, 3)} ms ` +
        `(wake-up p50 ${fixed(wake.p50 / baseline.p50, 2)}× the baseline)`,
      `target p99 < ${TARGET_P99_MS} ms: ${met ? 'MET' : 'NOT MET'}`,
      result.errors === 0 && left.length === 0
        ? 'checks: every send woke the waiting receive with its message, no call failed, the queue ended empty'
        : `CHECKS FAILED: ${result.errors} errors (${result.errorSamples.join(' | ')})${left.length > 0 ? `; queue not empty: ${left.map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
    ];
    if (machineCores - serverCores > 0.5) report.push(`warning: the machine was busy (${fixed(machineCores * 100, 0)}% of a core in all, light load expected) — tail latencies may be inflated`);

    return {
      settings: {
        samples: SAMPLES,
        warmupSamples: WARMUP_SAMPLES,
        intervalMs: INTERVAL_MS,
        waitTimeSeconds: 20,
        pinned: options.pin,
        store: 'SQLite in a temporary data dir, --durability process (WAL, synchronous=NORMAL)',
        client: 'raw HTTP/1.1 keep-alive (bench/lib/sqs-wire.ts), AWS JSON 1.0',
      },
      figures: {
        wakeMs: wake,
        sendMs: send,
        baselineMs: baseline,
        samples: result.wakeMs.length,
        targetP99Ms: TARGET_P99_MS,
        met,
        errors: result.errors,
        serverCpu: round(serverCores, 3),
        machineCpu: round(machineCores, 3),
      },
      report: report.join('\n'),
    };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const sqsLongPoll: Benchmark = {
  name: 'sqs-long-poll',
  description: 'SQS long-poll wake-up latency: SendMessage → a waiting ReceiveMessage (WaitTimeSeconds 20) returns, vs a trivial round trip',
  run,
};
