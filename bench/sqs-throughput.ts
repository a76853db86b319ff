/**
 * sqs-throughput: messages per second through the loop every SQS consumer runs —
 * SendMessageBatch (10 entries) → ReceiveMessage (MaxNumberOfMessages 10) → DeleteMessageBatch
 * (the receipt handles just received) — with 16 such loops at once (issue 3, "Benchmarks").
 *
 * Servers, each in its own process pinned to core 0:
 *   - Stratus, standard queue, durable store in a temporary data dir (`--durability process`:
 *     SQLite WAL, synchronous=NORMAL) — the headline;
 *   - Stratus, FIFO queue (loop i sends to message group i, unique deduplication ids), durable;
 *   - a bare node:http server answering the three calls with the very bytes Stratus answered
 *     them with once (its ReceiveMessage: 10 messages with their receipt handles) — the floor.
 * The driver runs in its own process on core 1 with a raw-HTTP client (lib/sqs-wire.ts:
 * hand-built AWS JSON 1.0 requests on keep-alive sockets; it parses only the ReceiveMessage
 * body, for the receipt handles), so that it costs far less than the server it drives. The three
 * are measured `rounds` times in alternating order (S F B, B F S, ...); figures are medians. Then
 * one more run against Stratus standard with `@aws-sdk/client-sqs` as the client, for reference
 * (the SDK's own CPU cost, not Stratus, is expected to be its limit).
 *
 * Messages/s counts each message once for its send, receive and delete: (sent + received +
 * deleted) / 3 per second in the measured window, which is completed iterations × 10 / s when
 * every receive returns 10. After each Stratus run the driver drains the queue and the run checks
 * that every message sent was received and deleted, that no call failed, and that the queue's
 * Approximate* counts are all 0.
 *
 * Headline: Stratus standard ÷ floor. Target (issue 3): ≥ 1/3.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuShare } from './lib/children.js';
import { fixed, round, table, thousands } from './lib/format.js';
import { exchange, type RawResponse } from './lib/http-raw.js';
import { machineBusyMs } from './lib/machine.js';
import { profileReport, summarizeProfile, type ProfileSummary } from './lib/profile.js';
import { runSqsDriver, startSqsServer, type CannedAnswer, type LoopResult, type SqsServerChild, type StoreStats } from './lib/sqs-children.js';
import { receiptHandles, SqsRequests, type SqsAction } from './lib/sqs-wire.js';
import { leastDisturbed } from './lib/disturbed.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const LOOPS = 16;
const BATCH = 10;
const BODY_BYTES = 100;
const TARGET_SHARE = 1 / 3;
const SERVER_CORE = 0;
const DRIVER_CORE = 1;
/** A run during which something else on the machine used this much of a core is repeated. */
const DISTURBED_CORES = 0.15;
const RETRIES = 2;
/** Headers node:http writes itself; the bare server's own node:http adds the same ones. */
const NODE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const REQUEST_ID_HEADER = 'x-amzn-requestid';

type Kind = 'standard' | 'fifo' | 'floor' | 'sdk';

interface Target {
  kind: Kind;
  label: string;
  server: SqsServerChild;
  queueUrl: string;
  fifo: boolean;
  client: 'raw' | 'sdk';
  /** Stratus queues are drained and checked after each run; the canned server has nothing to drain. */
  check: boolean;
}

interface RunFigures {
  round: number;
  kind: Kind;
  messagesPerS: number;
  /** Completed iterations × 10 per second. */
  iterationMessagesPerS: number;
  iterations: number;
  sent: number;
  received: number;
  deleted: number;
  shortReceives: number;
  emptyReceives: number;
  iterationP50: number;
  iterationP99: number;
  serverCpu: number;
  driverCpu: number;
  cpuUsPerMessage: number;
  otherCpu: number;
  /** Write units per store transaction during the window (group commit), Stratus only. */
  unitsPerTransaction: number;
  errors: number;
  errorSamples: string[];
  /** Problems the after-run check found (empty when the queue accounted for every message). */
  problems: string[];
}

function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return NaN;
  const sorted = [...v].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mean = (values: number[]): number => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

async function call(server: SqsServerChild, action: SqsAction, body: unknown): Promise<RawResponse> {
  const requests = new SqsRequests(`${server.host}:${server.port}`);
  return exchange(server.host, server.port, requests.build(action, JSON.stringify(body)));
}

async function callOk(server: SqsServerChild, action: SqsAction, body: unknown): Promise<{ raw: RawResponse; json: Record<string, unknown> }> {
  const raw = await call(server, action, body);
  if (raw.status !== 200) throw new Error(`${action} answered ${raw.status}: ${raw.body.toString('utf8')}`);
  return { raw, json: JSON.parse(raw.body.toString('utf8') || '{}') as Record<string, unknown> };
}

async function createQueue(server: SqsServerChild, name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { json } = await callOk(server, 'CreateQueue', { QueueName: name, Attributes: attributes });
  return json.QueueUrl as string;
}

function canned(response: RawResponse): CannedAnswer {
  return {
    status: response.status,
    headers: response.headers.filter(([name]) => !NODE_HEADERS.has(name.toLowerCase())),
    body: response.body.toString('base64'),
  };
}

/** The response with the values that legitimately differ (Date, the request id) masked. */
function normalized(response: RawResponse): string {
  let head = `${response.status}\n`;
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    head += `${name}: ${lower === 'date' ? '<date>' : lower === REQUEST_ID_HEADER ? `<${value.length} chars>` : value}\n`;
  }
  return `${head}\n${response.body.toString('latin1')}`;
}

/** One SendMessageBatch → ReceiveMessage → DeleteMessageBatch against Stratus, answers kept. */
async function recordLoop(server: SqsServerChild, queueUrl: string): Promise<Record<string, RawResponse>> {
  const entries = Array.from({ length: BATCH }, (_, k) => {
    const id = `canned-0-0-${k}`;
    return { Id: String(k), MessageBody: id + 'x'.repeat(BODY_BYTES - id.length) };
  });
  const sent = await callOk(server, 'SendMessageBatch', { QueueUrl: queueUrl, Entries: entries });
  const received = await callOk(server, 'ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: BATCH });
  const handles = receiptHandles(received.raw.body);
  if (handles.length !== BATCH) throw new Error(`recording the canned answers: ReceiveMessage returned ${handles.length} messages, not ${BATCH}`);
  const deleted = await callOk(server, 'DeleteMessageBatch', { QueueUrl: queueUrl, Entries: handles.map((h, k) => ({ Id: String(k), ReceiptHandle: h })) });
  return { SendMessageBatch: sent.raw, ReceiveMessage: received.raw, DeleteMessageBatch: deleted.raw };
}

/** What the queue says about itself: all Approximate* counts must be 0 after a drained run. */
async function queueCounts(server: SqsServerChild, queueUrl: string): Promise<Record<string, number>> {
  const { json } = await callOk(server, 'GetQueueAttributes', {
    QueueUrl: queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  });
  const attributes = (json.Attributes ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, Number(v)]));
}

function checkRun(result: LoopResult, counts: Record<string, number> | undefined): string[] {
  const problems: string[] = [];
  const t = result.totals;
  if (result.errors > 0) problems.push(`${result.errors} failed calls (${result.errorSamples.join(' | ')})`);
  if (t.received + t.drainedReceived !== t.sent) problems.push(`sent ${t.sent} but received ${t.received} + ${t.drainedReceived} drained`);
  if (t.deleted !== t.sent) problems.push(`sent ${t.sent} but deleted ${t.deleted}`);
  if (counts) {
    const left = Object.entries(counts).filter(([, n]) => n !== 0);
    if (left.length > 0) problems.push(`queue not empty after the run: ${left.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  }
  return problems;
}

function summary(runs: RunFigures[]) {
  return {
    messagesPerS: round(median(runs.map((r) => r.messagesPerS)), 0),
    iterationMessagesPerS: round(median(runs.map((r) => r.iterationMessagesPerS)), 0),
    cpuUsPerMessage: round(median(runs.map((r) => r.cpuUsPerMessage)), 1),
    iterationP50Ms: round(median(runs.map((r) => r.iterationP50)), 2),
    iterationP99Ms: round(median(runs.map((r) => r.iterationP99)), 2),
    serverCpu: round(mean(runs.map((r) => r.serverCpu)), 2),
    driverCpu: round(mean(runs.map((r) => r.driverCpu)), 2),
    otherCpu: round(Math.max(...runs.map((r) => r.otherCpu)), 2),
    unitsPerTransaction: round(median(runs.map((r) => r.unitsPerTransaction)), 2),
    shortReceives: runs.reduce((n, r) => n + r.shortReceives, 0),
    emptyReceives: runs.reduce((n, r) => n + r.emptyReceives, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    problems: runs.flatMap((r) => r.problems.map((p) => `round ${r.round}: ${p}`)),
    runsMessagesPerS: runs.map((r) => round(r.messagesPerS, 0)),
  };
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const profileArgs = (name: string): string[] =>
    options.profile ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', `sqs-throughput-${name}.cpuprofile`, '--cpu-prof-interval', '250'] : [];
  if (options.profile) {
    mkdirSync(options.profileDir, { recursive: true });
    for (const name of readdirSync(options.profileDir)) if (name.startsWith('sqs-throughput-')) rmSync(join(options.profileDir, name));
  }
  const core = options.pin ? SERVER_CORE : undefined;
  const dataDirs: string[] = [];
  const servers: SqsServerChild[] = [];
  const startStratus = async (name: string): Promise<SqsServerChild> => {
    const dataDir = mkdtempSync(join(tmpdir(), `stratus-bench-${name}-`));
    dataDirs.push(dataDir);
    const server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { execArgv: profileArgs(name), core });
    servers.push(server);
    return server;
  };

  try {
    // Standard and FIFO each get a Stratus process (and a store) of their own, so that each
    // profile and each store holds one kind of traffic.
    const standard = await startStratus('standard');
    const fifoServer = await startStratus('fifo');
    const standardUrl = await createQueue(standard, 'bench-standard');
    const fifoUrl = await createQueue(fifoServer, 'bench-fifo.fifo', { FifoQueue: 'true' });

    const recorded = await recordLoop(standard, standardUrl);
    const keepAlive = recorded.ReceiveMessage.headers.find(([name]) => name.toLowerCase() === 'keep-alive')?.[1] ?? '';
    const keepAliveSeconds = /timeout=(\d+)/.exec(keepAlive)?.[1];
    const floor = await startSqsServer(
      {
        kind: 'bare',
        answers: Object.fromEntries(Object.entries(recorded).map(([action, response]) => [`AmazonSQS.${action}`, canned(response)])),
        keepAliveTimeoutMs: keepAliveSeconds === undefined ? 5_000 : Number(keepAliveSeconds) * 1000,
      },
      { execArgv: profileArgs('floor'), core },
    );
    servers.push(floor);
    // The floor answers with Stratus's bytes (only Date and the request id value differ).
    let identical = true;
    for (const [action, response] of Object.entries(recorded)) {
      const again = await call(floor, action as SqsAction, {});
      if (normalized(again) !== normalized(response)) {
        identical = false;
        log(`floor's ${action} answer differs from Stratus's:\n${normalized(again)}\n---\n${normalized(response)}`);
      }
    }
    log(
      `answers (bytes) — SendMessageBatch ${recorded.SendMessageBatch.raw.length}, ReceiveMessage ${recorded.ReceiveMessage.raw.length}, ` +
        `DeleteMessageBatch ${recorded.DeleteMessageBatch.raw.length}; floor's answers identical to Stratus's (but Date, request id): ${identical ? 'yes' : 'NO'}`,
    );

    const targets: Record<Kind, Target> = {
      standard: { kind: 'standard', label: 'Stratus standard', server: standard, queueUrl: standardUrl, fifo: false, client: 'raw', check: true },
      fifo: { kind: 'fifo', label: 'Stratus FIFO', server: fifoServer, queueUrl: fifoUrl, fifo: true, client: 'raw', check: true },
      floor: { kind: 'floor', label: 'bare node:http (floor)', server: floor, queueUrl: standardUrl, fifo: false, client: 'raw', check: false },
      sdk: { kind: 'sdk', label: 'Stratus standard, SDK client', server: standard, queueUrl: standardUrl, fifo: false, client: 'sdk', check: true },
    };

    let runNo = 0;
    const measure = async (target: Target, roundNo: number): Promise<RunFigures> => {
      let from: ReturnType<SqsServerChild['cpu']> | undefined;
      let to: ReturnType<SqsServerChild['cpu']> | undefined;
      let machineFrom: { busy: number | undefined; at: number } | undefined;
      let machineTo: { busy: number | undefined; at: number } | undefined;
      const result = await runSqsDriver(
        {
          mode: 'loop',
          client: target.client,
          host: target.server.host,
          port: target.server.port,
          queueUrl: target.queueUrl,
          fifo: target.fifo,
          loops: LOOPS,
          warmupMs: options.warmupS * 1000,
          durationMs: options.durationS * 1000,
          bodyBytes: BODY_BYTES,
          tag: `r${++runNo}`,
          drain: target.check,
        },
        {
          core: options.pin ? DRIVER_CORE : undefined,
          onMeasuring: () => {
            from = target.server.cpu();
            machineFrom = { busy: machineBusyMs(), at: performance.now() };
          },
          onMeasured: () => {
            to = target.server.cpu();
            machineTo = { busy: machineBusyMs(), at: performance.now() };
          },
        },
      );
      const [a, b] = from && to ? [await from, await to] : [undefined, undefined];
      const serverCpu = a && b ? cpuShare(a, b) : NaN;
      const machineCpu =
        machineFrom?.busy !== undefined && machineTo?.busy !== undefined ? (machineTo.busy - machineFrom.busy) / (machineTo.at - machineFrom.at) : NaN;
      const store = (s: StoreStats | undefined, t: StoreStats | undefined): number =>
        s && t && t.transactions > s.transactions ? (t.units - s.units) / (t.transactions - s.transactions) : NaN;
      const seconds = result.durationMs / 1000;
      const messagesPerS = (result.sent + result.received + result.deleted) / 3 / seconds;
      const counts = target.check ? await queueCounts(target.server, target.queueUrl) : undefined;
      return {
        round: roundNo,
        kind: target.kind,
        messagesPerS,
        iterationMessagesPerS: (result.iterations * BATCH) / seconds,
        iterations: result.iterations,
        sent: result.sent,
        received: result.received,
        deleted: result.deleted,
        shortReceives: result.shortReceives,
        emptyReceives: result.emptyReceives,
        iterationP50: result.iterationMs.p50,
        iterationP99: result.iterationMs.p99,
        serverCpu,
        driverCpu: result.driverCpu,
        cpuUsPerMessage: messagesPerS > 0 ? (serverCpu * 1e6) / messagesPerS : NaN,
        otherCpu: Math.max(0, machineCpu - serverCpu - result.driverCpu),
        unitsPerTransaction: store(a?.store, b?.store),
        errors: result.errors,
        errorSamples: result.errorSamples,
        problems: checkRun(result, counts),
      };
    };

    const measureWithRetries = (target: Target, roundNo: number): Promise<RunFigures> =>
      leastDisturbed(
        () => measure(target, roundNo),
        (f, note) =>
          log(
            `round ${roundNo} ${target.kind.padEnd(8)} ${thousands(f.messagesPerS).padStart(7)} msg/s  ` +
              `iteration p50 ${fixed(f.iterationP50)} ms p99 ${fixed(f.iterationP99)} ms  ${fixed(f.cpuUsPerMessage, 1)} µs/msg  ` +
              `server cpu ${fixed(f.serverCpu * 100, 0)}%  driver cpu ${fixed(f.driverCpu * 100, 0)}%  other cpu ${fixed(f.otherCpu * 100, 0)}%` +
              (Number.isFinite(f.unitsPerTransaction) ? `  ${fixed(f.unitsPerTransaction, 1)} writes/tx` : '') +
              (f.shortReceives > 0 ? `  short receives ${f.shortReceives} (empty ${f.emptyReceives})` : '') +
              note +
              (f.problems.length > 0 ? `\n      PROBLEMS: ${f.problems.join('; ')}` : ''),
          ),
        { retries: RETRIES, limitCores: DISTURBED_CORES, once: Boolean(options.profile) },
      );

    const runs: RunFigures[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const order: Kind[] = r % 2 === 0 ? ['standard', 'fifo', 'floor'] : ['floor', 'fifo', 'standard'];
      for (const kind of order) runs.push(await measureWithRetries(targets[kind], r + 1));
    }
    // The SDK run is left out of profiles: it would mix its traffic into the standard profile.
    if (!options.profile) runs.push(await measureWithRetries(targets.sdk, options.rounds + 1));

    for (const server of servers.splice(0)) await server.stop();

    const s = summary(runs.filter((r) => r.kind === 'standard'));
    const f = summary(runs.filter((r) => r.kind === 'fifo'));
    const b = summary(runs.filter((r) => r.kind === 'floor'));
    const sdkRuns = runs.filter((r) => r.kind === 'sdk');
    const k = sdkRuns.length > 0 ? summary(sdkRuns) : undefined;
    const ratio = round(s.messagesPerS / b.messagesPerS, 3);
    const fifoRatio = round(f.messagesPerS / b.messagesPerS, 3);
    const ratiosByRound = (kind: Kind): number[] =>
      Array.from({ length: options.rounds }, (_, i) => {
        const sr = runs.find((r) => r.kind === kind && r.round === i + 1)?.messagesPerS ?? NaN;
        const br = runs.find((r) => r.kind === 'floor' && r.round === i + 1)?.messagesPerS ?? NaN;
        return round(sr / br, 3);
      });
    const roundRatios = ratiosByRound('standard');
    const fifoRoundRatios = ratiosByRound('fifo');
    const met = ratio >= TARGET_SHARE;
    const fifoMet = fifoRatio >= TARGET_SHARE;
    const disturbed = runs.filter((r) => r.otherCpu > DISTURBED_CORES).length;
    const problems = [...s.problems.map((p) => `standard ${p}`), ...f.problems.map((p) => `fifo ${p}`), ...(k?.problems ?? []).map((p) => `sdk ${p}`)];
    const floorErrors = b.errors;

    const rows: [string, ReturnType<typeof summary>][] = [
      ['bare node:http (floor)', b],
      ['Stratus standard (durable)', s],
      ['Stratus FIFO (durable)', f],
    ];
    if (k) rows.push(['Stratus standard, SDK client', k]);
    const report = [
      table(
        ['server (median of runs)', 'msg/s', 'of floor', 'cpu µs/msg', 'iter p50 ms', 'iter p99 ms', 'server cpu', 'driver cpu', 'writes/tx', 'errors'],
        rows.map(([label, x]) => [
          label,
          thousands(x.messagesPerS),
          `${fixed((x.messagesPerS / b.messagesPerS) * 100, 0)}%`,
          fixed(x.cpuUsPerMessage, 1),
          fixed(x.iterationP50Ms),
          fixed(x.iterationP99Ms),
          `${fixed(x.serverCpu * 100, 0)}%`,
          `${fixed(x.driverCpu * 100, 0)}%`,
          Number.isFinite(x.unitsPerTransaction) ? fixed(x.unitsPerTransaction, 1) : '-',
          String(x.errors),
        ]),
      ),
      '',
      `Stratus standard / floor: ${fixed(ratio, 3)} (per round: ${roundRatios.map((x) => fixed(x, 3)).join(', ')}); ` +
        `target ≥ ${fixed(TARGET_SHARE, 3)}: ${met ? 'MET' : 'NOT MET'}`,
      `Stratus FIFO / floor: ${fixed(fifoRatio, 3)} (per round: ${fifoRoundRatios.map((x) => fixed(x, 3)).join(', ')}); ` +
        `target ≥ ${fixed(TARGET_SHARE, 3)}: ${fifoMet ? 'MET' : 'NOT MET'}`,
      `server CPU per message (send + receive + delete): standard ${fixed(s.cpuUsPerMessage, 1)} µs, FIFO ${fixed(f.cpuUsPerMessage, 1)} µs, floor ${fixed(b.cpuUsPerMessage, 1)} µs`,
    ];
    if (k) report.push(`SDK client against Stratus standard: ${thousands(k.messagesPerS)} msg/s (${fixed(k.messagesPerS / s.messagesPerS, 2)}× the raw client), driver cpu ${fixed(k.driverCpu * 100, 0)}%`);
    report.push(
      problems.length === 0 && floorErrors === 0
        ? 'checks: every message sent was received and deleted, no call failed, every queue ended empty'
        : `CHECKS FAILED: ${[...problems, ...(floorErrors > 0 ? [`floor: ${floorErrors} errors`] : [])].join('; ')}`,
    );
    if (f.shortReceives > 0) report.push(`note: ${f.shortReceives} FIFO receives returned fewer than ${BATCH} messages (${f.emptyReceives} none) — message groups held back while in flight`);
    if (disturbed > 0) report.push(`warning: ${disturbed} of ${runs.length} runs shared the machine with other work (> ${DISTURBED_CORES * 100}% of a core) even after ${RETRIES} retries`);
    if (b.driverCpu > 0.9) report.push(`warning: the driver used ${fixed(b.driverCpu * 100, 0)}% of its core against the floor — it may be the floor's bottleneck, so the ratio is overstated`);

    let profiles: Record<string, ProfileSummary> | undefined;
    if (options.profile) {
      profiles = {};
      for (const name of ['standard', 'fifo', 'floor']) {
        profiles[name] = summarizeProfile(join(options.profileDir, `sqs-throughput-${name}.cpuprofile`), options.root, 25);
      }
      report.push('', profileReport('Stratus, standard queue', profiles.standard), '', profileReport('Stratus, FIFO queue', profiles.fifo));
      report.push('', profileReport('the floor', { ...profiles.floor, bySelf: profiles.floor.bySelf.slice(0, 8), ownByTotal: [] }));
      report.push('', `profiles: ${options.profileDir}/sqs-throughput-*.cpuprofile (open in Chrome DevTools → Performance)`);
      report.push('note: profiled runs are slowed by the profiler; their figures are not recorded.');
    }

    return {
      settings: {
        loops: LOOPS,
        batch: BATCH,
        bodyBytes: BODY_BYTES,
        warmupS: options.warmupS,
        durationS: options.durationS,
        rounds: options.rounds,
        retriesWhenDisturbed: RETRIES,
        pinned: options.pin,
        store: 'SQLite in a temporary data dir, --durability process (WAL, synchronous=NORMAL)',
        client: 'raw HTTP/1.1 keep-alive (bench/lib/sqs-wire.ts), AWS JSON 1.0; sdk run: @aws-sdk/client-sqs',
        floorAnswersIdentical: identical,
      },
      figures: {
        floor: b,
        standard: s,
        fifo: f,
        ...(k ? { sdk: k } : {}),
        ratio,
        roundRatios,
        fifoRatio,
        fifoRoundRatios,
        target: round(TARGET_SHARE, 3),
        met,
        fifoMet,
        checksPassed: problems.length === 0 && floorErrors === 0,
        disturbedRuns: disturbed,
      },
      report: report.join('\n'),
    };
  } finally {
    for (const server of servers) await server.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

export const sqsThroughput: Benchmark = {
  name: 'sqs-throughput',
  description: 'SQS SendMessageBatch → ReceiveMessage → DeleteMessageBatch, 16 loops: Stratus (standard, FIFO; durable) vs a canned node:http floor',
  run,
};
