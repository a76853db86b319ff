/**
 * events-delivery: PutEvents → rule → SQS target, through the AWS SDK v3 (issue 4), measured
 * side by side with the same load sent straight to SQS with SendMessage / SendMessageBatch, and
 * what the server spends on each event at light load (issue 13).
 *
 * Stratus runs in its own process (core 0 when pinned) with a durable store in a temporary data
 * dir; this process (core 1) drives it with @aws-sdk/client-eventbridge and -sqs. Each round
 * starts a fresh server and runs, in this order:
 *
 * 1. Latency at a fixed offered load: RATE events/s, one per call, each carrying its sequence
 *    number; four long-polling consumers receive and delete. Ingest-to-visible latency = the
 *    consumer's receive − just before the PutEvents (or SendMessage) call was made. The
 *    SendMessage path is the baseline: EventBridge adds the rule match, the stored delivery job,
 *    and the delivery machine's lease → invoke → complete on top of it.
 * 2. Light load: LIGHT_RATE events/s, one per call, one consumer that long-polls (WaitTimeSeconds
 *    20) and deletes what it receives; after a warm-up, server CPU time (all its threads, from its
 *    own accounting) and wake-ups (voluntary context switches of its threads) over a fixed number
 *    of events, until every one was received and deleted, per event. Baseline: the same with
 *    SendMessage. The floor under both, once a round: a bare node:http server answering
 *    SendMessage with Stratus's recorded bytes, at the request rate of the light load (an event
 *    costs three requests: the send, the receive that wakes, the delete).
 * 3. Idle: no traffic for a few seconds: CPU and wake-ups per second.
 * 4. Throughput: 16 loops of PutEvents with 10 entries (vs SendMessageBatch with 10) into a fresh
 *    queue with no consumer, for the measured seconds; counted: events acknowledged, and events
 *    visible in the queue when the window ends (delivered); server CPU from the window's start
 *    until every acknowledged event is in the queue, per event (the batched figure).
 *
 * Every event sent must arrive exactly once by the end of each phase: the run checks it.
 * `--against=DIR` runs another build's server too, in alternating order each round, and then the
 * light load on both servers at once in alternating one-second slices (lib/events-interleaved.ts),
 * which a busy machine disturbs alike: an A/B of a change.
 */
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pin } from './lib/children.js';
import { interleavedLightLoad, type InterleavedResult } from './lib/events-interleaved.js';
import {
  connect,
  consume,
  drain,
  longPollConsumer,
  nextSequence,
  offer,
  retarget,
  send,
  seqOf,
  setUp,
  sleep,
  visible,
  type Clients,
  type Path,
  type Queues,
} from './lib/events-sdk.js';
import { fixed, median, round, spread, table, thousands } from './lib/format.js';
import { exchange } from './lib/http-raw.js';
import { sampleUsage, usageBetween } from './lib/server-usage.js';
import { latencySummary, startSqsServer, type CannedAnswer, type LatencySummary, type SqsServerChild } from './lib/sqs-children.js';
import { SqsRequests } from './lib/sqs-wire.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const RATE = 200;
const LIGHT_RATE = 100;
/** Requests per light-load event: the send, the long poll it wakes, the delete. */
const REQUESTS_PER_EVENT = 3;
const IDLE_SETTLE_S = 1;
/** With --against: light-load seconds per build and path in the interleaved A/B, per --duration second. */
const INTERLEAVED_PER_DURATION = 4;
const INTERLEAVED_WARMUP_S = 10;
const IDLE_S = 5;
const THROUGHPUT_LOOPS = 16;
const SERVER_CORE = 0;
const BENCH_CORE = 1;
/** The body the floor's canned SendMessage answer was recorded for (the SDK checks its MD5). */
const FLOOR_BODY = '{"seq":0}';
const NODE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Build {
  label: string;
  /** Another checkout's root; undefined for this build. */
  root?: string;
}

/** What a server spent per event (or per request, for the floor) over a light-load window. */
interface LightFigures {
  events: number;
  cpuUsPerEvent: number;
  wakeupsPerEvent: number;
  /** Cores' worth of CPU other work on the machine used meanwhile. */
  otherCores: number;
}

interface RoundFigures {
  latencySamples: Record<Path, number[]>;
  light: Record<Path, LightFigures>;
  idle: { cpuMsPerS: number; wakeupsPerS: number };
  throughput: Record<Path, { acknowledged: number; delivered: number; cpuUsPerEvent: number }>;
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  if (options.pin) pin(process.pid, BENCH_CORE);
  const builds: Build[] = [{ label: 'this build' }];
  if (options.against !== undefined) builds.push({ label: `against ${options.against}`, root: options.against });
  const perBuild: RoundFigures[][] = builds.map(() => []);
  const floors: LightFigures[] = [];
  let canned: CannedAnswer | undefined;
  const loadBefore = loadavg()[0];
  for (let r = 0; r < options.rounds; r++) {
    const order = builds.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      log(`round ${r + 1}/${options.rounds}, ${builds[i].label}`);
      const measured = await measureBuild(builds[i], options, (line) => log(`  ${line}`), canned === undefined);
      canned ??= measured.canned;
      perBuild[i].push(measured.figures);
    }
    floors.push(await measureFloor(canned!, options));
    log(`  floor: bare node:http ${fixed(floors[r].cpuUsPerEvent, 0)} µs CPU a request at ${LIGHT_RATE * REQUESTS_PER_EVENT} requests/s`);
  }
  let interleaved: InterleavedResult | undefined;
  if (options.against !== undefined) {
    log('light load, both builds at once, in alternating slices');
    interleaved = await interleavedLightLoad(
      [undefined, options.against],
      { rate: LIGHT_RATE, seconds: options.durationS * INTERLEAVED_PER_DURATION, warmupS: INTERLEAVED_WARMUP_S, core: options.pin ? SERVER_CORE : undefined },
      (line) => log(`  ${line}`),
    );
  }
  const loadAfter = loadavg()[0];

  const summaries = perBuild.map(summarize);
  const floor = median(floors.map((f) => f.cpuUsPerEvent));
  const report: string[] = [];
  const columns = builds.map((b) => b.label);
  const pairs = (pick: (s: Summary) => string): string[] => summaries.map(pick);
  const ab = builds.length === 2;
  const ratioColumn = (values: (f: RoundFigures) => number): string[] => {
    if (!ab) return [];
    const ratios = perBuild[0].map((f, r) => values(f) / values(perBuild[1][r]));
    return [`${fixed(median(ratios), 3)} (${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)})`];
  };
  const head = (first: string): string[] => [first, ...columns, ...(ab ? ['this/against, median (range)'] : [])];
  report.push(
    table(head(`light load: ${LIGHT_RATE} events/s, one per call, one long-polling consumer`), [
      ['PutEvents → rule → SQS → consumer: CPU µs/event', ...pairs((s) => spread(s.light.events.cpu, 0)), ...ratioColumn((f) => f.light.events.cpuUsPerEvent)],
      ['  wake-ups/event', ...pairs((s) => spread(s.light.events.wakeups, 2)), ...ratioColumn((f) => f.light.events.wakeupsPerEvent)],
      ['SendMessage → consumer (baseline): CPU µs/event', ...pairs((s) => spread(s.light.sqs.cpu, 0)), ...ratioColumn((f) => f.light.sqs.cpuUsPerEvent)],
      ['  wake-ups/event', ...pairs((s) => spread(s.light.sqs.wakeups, 2)), ...ratioColumn((f) => f.light.sqs.wakeupsPerEvent)],
      ['PutEvents / SendMessage CPU', ...pairs((s) => `${fixed(s.light.eventsToSqs, 2)}×`)],
      [`batched (${THROUGHPUT_LOOPS} loops × 10): PutEvents CPU µs/event`, ...pairs((s) => spread(s.batched.events, 1)), ...ratioColumn((f) => f.throughput.events.cpuUsPerEvent)],
      ['  SendMessageBatch CPU µs/message', ...pairs((s) => spread(s.batched.sqs, 1)), ...ratioColumn((f) => f.throughput.sqs.cpuUsPerEvent)],
      ['light / batched CPU per PutEvents event', ...pairs((s) => `${fixed(s.light.events.cpuMedian / s.batched.eventsMedian, 1)}×`)],
      [`idle (${IDLE_S} s, no traffic): CPU ms/s`, ...pairs((s) => spread(s.idle.cpu, 2)), ...ratioColumn((f) => f.idle.cpuMsPerS)],
      ['  wake-ups/s', ...pairs((s) => spread(s.idle.wakeups, 1)), ...ratioColumn((f) => f.idle.wakeupsPerS)],
    ]),
    ...(interleaved === undefined
      ? []
      : [
          '',
          table(
            [`light load, both servers up, ${interleaved.slices} slices of 1 s each, alternating`, ...columns, 'this/against: all, pairs median (range)'],
            (['events', 'sqs'] as const).flatMap((path) => {
              const ratios = interleaved!.pairRatios[path];
              const latency = interleaved!.latencyMs[path].map((samples) => latencySummary(samples));
              return [
                [
                  path === 'events' ? 'PutEvents → rule → SQS → consumer: CPU µs/event' : 'SendMessage → consumer (baseline): CPU µs/event',
                  ...interleaved!.cpuUsPerEvent[path].map((c) => thousands(c)),
                  `${fixed(interleaved!.cpuUsPerEvent[path][0] / interleaved!.cpuUsPerEvent[path][1], 3)}: ${fixed(median(ratios), 3)} (${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)})`,
                ],
                ['  send → received, p50 / p99 ms', ...latency.map((l) => `${fixed(l.p50)} / ${fixed(l.p99)}`), ''],
              ];
            }),
          ),
        ]),
    '',
    `floor, same run: a bare node:http server answering SendMessage with Stratus's bytes, ${LIGHT_RATE * REQUESTS_PER_EVENT} requests/s through the SDK: ` +
      `${fixed(floor, 0)} µs CPU a request (rounds ${floors.map((f) => fixed(f.cpuUsPerEvent, 0)).join(', ')}), ${fixed(floor * REQUESTS_PER_EVENT, 0)} µs for the ${REQUESTS_PER_EVENT} requests of an event; ` +
      `PutEvents path = ${fixed(summaries[0].light.events.cpuMedian / (floor * REQUESTS_PER_EVENT), 2)}× that`,
    '',
    table(
      [`latency at ${RATE} events/s, ms (all rounds pooled)`, 'p50', 'p90', 'p99', 'max'],
      summaries.flatMap((s, i) => [
        [`${ab ? `${builds[i].label}: ` : ''}SendMessage → visible (baseline)`, fixed(s.latency.sqs.p50), fixed(s.latency.sqs.p90), fixed(s.latency.sqs.p99), fixed(s.latency.sqs.max)],
        [`${ab ? `${builds[i].label}: ` : ''}PutEvents → rule → SQS visible`, fixed(s.latency.events.p50), fixed(s.latency.events.p90), fixed(s.latency.events.p99), fixed(s.latency.events.max)],
      ]),
    ),
    '',
    table(
      [`${THROUGHPUT_LOOPS} loops × 10 per call, median of rounds`, 'acknowledged/s', 'delivered/s'],
      summaries.flatMap((s, i) => [
        [`${ab ? `${builds[i].label}: ` : ''}SendMessageBatch (baseline)`, thousands(s.throughput.sqs.acknowledged), thousands(s.throughput.sqs.delivered)],
        [`${ab ? `${builds[i].label}: ` : ''}PutEvents → rule → SQS`, thousands(s.throughput.events.acknowledged), thousands(s.throughput.events.delivered)],
      ]),
    ),
    '',
    ...summaries.map(
      (s, i) =>
        `${ab ? `${builds[i].label}: ` : ''}EventBridge delivery = ${fixed(s.throughputRatio, 2)}× the direct-to-SQS throughput; latency p50 +${fixed(s.latency.events.p50 - s.latency.sqs.p50)} ms, p99 +${fixed(s.latency.events.p99 - s.latency.sqs.p99)} ms over SendMessage`,
    ),
    `machine: other work used ${spread(perBuild.flat().flatMap((f) => [f.light.events.otherCores, f.light.sqs.otherCores]), 2)} cores during the light-load windows; load average ${fixed(loadBefore, 2)} before, ${fixed(loadAfter, 2)} after`,
    'checks: every event sent arrived exactly once in every phase',
  );

  const mine = summaries[0];
  return {
    settings: {
      offeredRate: RATE,
      lightRate: LIGHT_RATE,
      throughputLoops: THROUGHPUT_LOOPS,
      durationS: options.durationS,
      warmupS: options.warmupS,
      idleS: IDLE_S,
      rounds: options.rounds,
      pinned: options.pin,
      store: 'SQLite in a temporary data dir, --durability process',
      client: 'AWS SDK v3 (client-eventbridge, client-sqs), keep-alive agent',
    },
    figures: {
      latencyMs: mine.latency,
      throughputPerS: mine.throughput,
      eventsToSqsThroughputRatio: round(mine.throughputRatio, 3),
      lightLoad: {
        cpuUsPerEvent: { events: round(mine.light.events.cpuMedian, 0), sqs: round(mine.light.sqs.cpuMedian, 0) },
        eventsToSqsCpuRatio: round(mine.light.eventsToSqs, 3),
        wakeupsPerEvent: { events: round(median(mine.light.events.wakeups), 2), sqs: round(median(mine.light.sqs.wakeups), 2) },
        floorCpuUsPerRequest: round(floor, 0),
        rounds: perBuild[0].map((f, r) => ({
          eventsCpuUsPerEvent: round(f.light.events.cpuUsPerEvent, 0),
          sqsCpuUsPerEvent: round(f.light.sqs.cpuUsPerEvent, 0),
          floorCpuUsPerRequest: round(floors[r].cpuUsPerEvent, 0),
          otherCores: round(Math.max(f.light.events.otherCores, f.light.sqs.otherCores), 2),
        })),
      },
      batchedCpuUsPerEvent: { events: round(mine.batched.eventsMedian, 1), sqs: round(median(mine.batched.sqs), 1) },
      lightToBatchedCpuRatio: round(mine.light.events.cpuMedian / mine.batched.eventsMedian, 1),
      idle: { cpuMsPerS: round(median(mine.idle.cpu), 2), wakeupsPerS: round(median(mine.idle.wakeups), 1) },
      loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
    },
    report: report.join('\n'),
  };
}

/** One fresh server of one build through every phase. */
async function measureBuild(build: Build, options: BenchOptions, log: (line: string) => void, record: boolean): Promise<{ figures: RoundFigures; canned?: CannedAnswer }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-events-'));
  let server: SqsServerChild | undefined;
  let clients: ReturnType<typeof connect> | undefined;
  try {
    server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { core: options.pin ? SERVER_CORE : undefined, root: build.root });
    clients = connect(server.url);
    const queues = await setUp(clients);
    const canned = record ? await recordSendMessage(server, clients) : undefined;

    const latencySamples = {} as Record<Path, number[]>;
    for (const path of ['events', 'sqs'] as const) {
      await fixedRate(clients, queues, path, Math.max(1, options.warmupS));
      latencySamples[path] = await fixedRate(clients, queues, path, options.durationS);
      const s = latencySummary(latencySamples[path]);
      log(`${path}: ${latencySamples[path].length} events at ${RATE}/s, ingest-to-visible p50 ${fixed(s.p50)} ms, p99 ${fixed(s.p99)} ms`);
    }

    const light = {} as Record<Path, LightFigures>;
    for (const path of ['events', 'sqs'] as const) {
      light[path] = await lightLoad(clients, queues, server, path, options);
      log(`${path}: light load, ${light[path].events} events at ${LIGHT_RATE}/s: ${fixed(light[path].cpuUsPerEvent, 0)} µs server CPU and ${fixed(light[path].wakeupsPerEvent, 2)} wake-ups an event (others on the machine: ${fixed(light[path].otherCores, 2)} cores)`);
    }

    await sleep(IDLE_SETTLE_S * 1000);
    const idleFrom = await sampleUsage(server);
    await sleep(IDLE_S * 1000);
    const idleUsage = usageBetween(idleFrom, await sampleUsage(server));
    const idle = { cpuMsPerS: idleUsage.cpuUs / idleUsage.wallMs, wakeupsPerS: (idleUsage.wakeups * 1000) / idleUsage.wallMs };
    log(`idle: ${fixed(idle.cpuMsPerS, 2)} ms CPU and ${fixed(idle.wakeupsPerS, 1)} wake-ups a second`);

    const throughput = {} as RoundFigures['throughput'];
    for (const path of ['sqs', 'events'] as const) {
      await closedLoop(clients, queues, server, path, Math.max(1, options.warmupS));
      const result = await closedLoop(clients, queues, server, path, options.durationS);
      throughput[path] = {
        acknowledged: round(result.acknowledged / options.durationS, 0),
        delivered: round(result.delivered / options.durationS, 0),
        cpuUsPerEvent: result.cpuUs / result.acknowledged,
      };
      log(`${path}: ${thousands(throughput[path].acknowledged)} acknowledged/s, ${thousands(throughput[path].delivered)} delivered/s, ${fixed(throughput[path].cpuUsPerEvent, 1)} µs server CPU an event`);
    }
    return { figures: { latencySamples, light, idle, throughput }, canned };
  } finally {
    clients?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stratus's answer to a SendMessage of FLOOR_BODY, as the floor replays it (in a queue of its own). */
async function recordSendMessage(server: SqsServerChild, clients: Clients): Promise<CannedAnswer> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'bench-events-floor' }));
  const requests = new SqsRequests(`${server.host}:${server.port}`);
  const answer = await exchange(server.host, server.port, requests.build('SendMessage', JSON.stringify({ QueueUrl, MessageBody: FLOOR_BODY })));
  if (answer.status !== 200) throw new Error(`recording SendMessage: ${answer.status} ${answer.body.toString('utf8')}`);
  await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  return { status: answer.status, headers: answer.headers.filter(([name]) => !NODE_HEADERS.has(name.toLowerCase())), body: answer.body.toString('base64') };
}

/** Offers RATE events/s, one per call, for `seconds`; returns each event's ingest-to-visible ms. */
async function fixedRate(clients: Clients, queues: Queues, path: Path, seconds: number): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const consumer = consume(clients, queues[path], 4, (body) => {
    const seq = seqOf(body, path);
    const at = sentAt.get(seq);
    if (at === undefined) throw new Error(`message ${seq} arrived twice or was never sent`);
    sentAt.delete(seq);
    latencies.push(performance.now() - at);
  });
  const total = await offer(RATE, seconds, (seq) => {
    sentAt.set(seq, performance.now());
    return send(clients, queues, path, [seq]);
  });
  await drain(() => sentAt.size === 0, () => `${sentAt.size} of ${total} ${path} events`);
  await consumer.stop();
  return latencies;
}

/**
 * LIGHT_RATE events/s, one per call, with one long-polling consumer: a warm-up, then the server's
 * CPU time and wake-ups from just before the first measured event until the last one is deleted.
 */
async function lightLoad(clients: Clients, queues: Queues, server: SqsServerChild, path: Path, options: BenchOptions): Promise<LightFigures> {
  const pending = new Set<number>();
  const consumer = longPollConsumer(clients, queues[path], (body) => {
    const seq = seqOf(body, path);
    if (!pending.delete(seq)) throw new Error(`message ${seq} arrived twice or was never sent`);
  });
  const sendOne = (seq: number): Promise<void> => {
    pending.add(seq);
    return send(clients, queues, path, [seq]);
  };
  const delivered = (): boolean => {
    if (consumer.failure() !== undefined) throw consumer.failure();
    return pending.size === 0;
  };
  await offer(LIGHT_RATE, Math.max(1, options.warmupS), sendOne);
  await drain(delivered, () => `${pending.size} ${path} warm-up events`);
  const from = await sampleUsage(server);
  const events = await offer(LIGHT_RATE, options.durationS, sendOne);
  await drain(delivered, () => `${pending.size} of ${events} ${path} events`);
  const usage = usageBetween(from, await sampleUsage(server));
  await consumer.stop();
  return { events, cpuUsPerEvent: usage.cpuUs / events, wakeupsPerEvent: usage.wakeups / events, otherCores: usage.otherCores };
}

/**
 * The floor at light load: a bare node:http server (its own process, the server's core) that
 * answers every SendMessage with Stratus's recorded bytes, sent LIGHT_RATE × REQUESTS_PER_EVENT
 * times a second through the same SDK; CPU and wake-ups per request.
 */
async function measureFloor(canned: CannedAnswer, options: BenchOptions): Promise<LightFigures> {
  const server = await startSqsServer(
    { kind: 'bare', answers: { 'AmazonSQS.SendMessage': canned }, keepAliveTimeoutMs: 65_000 },
    { core: options.pin ? SERVER_CORE : undefined },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1, requestHandler: { httpAgent: agent } });
  try {
    const queueUrl = `${server.url}/000000000000/bench-floor`;
    const sendOne = (): Promise<unknown> => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: FLOOR_BODY }));
    const rate = LIGHT_RATE * REQUESTS_PER_EVENT;
    await offer(rate, Math.max(1, options.warmupS), sendOne);
    const from = await sampleUsage(server);
    const requests = await offer(rate, options.durationS, sendOne);
    const usage = usageBetween(from, await sampleUsage(server));
    return { events: requests, cpuUsPerEvent: usage.cpuUs / requests, wakeupsPerEvent: usage.wakeups / requests, otherCores: usage.otherCores };
  } finally {
    sqs.destroy();
    agent.destroy();
    await server.stop();
  }
}

/**
 * Sixteen closed loops of 10-event calls for `seconds`, into a fresh queue with no consumer, so
 * the figure is the server's ingest and delivery work, not this process's SDK receive cost.
 * Delivered = messages visible in the queue when the window ends; afterwards the queue must hold
 * exactly what was acknowledged (nothing lost, nothing twice). Server CPU counts from the window's
 * start until then.
 */
async function closedLoop(
  clients: Clients,
  queues: Queues,
  server: SqsServerChild,
  path: Path,
  seconds: number,
): Promise<{ acknowledged: number; delivered: number; cpuUs: number }> {
  const queueUrl = await retarget(clients, queues, path);
  let acknowledged = 0;
  const from = await sampleUsage(server);
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: THROUGHPUT_LOOPS }, async () => {
      while (performance.now() < deadline) {
        await send(clients, { ...queues, [path]: queueUrl }, path, Array.from({ length: 10 }, nextSequence));
        acknowledged += 10;
      }
    }),
  );
  const delivered = await visible(clients, queueUrl);
  await drain(async () => (await visible(clients, queueUrl)) >= acknowledged, () => `${path}: ${acknowledged} acknowledged`);
  const usage = usageBetween(from, await sampleUsage(server));
  const finally_ = await visible(clients, queueUrl);
  if (finally_ !== acknowledged) throw new Error(`${path}: ${acknowledged} acknowledged but ${finally_} in the queue`);
  return { acknowledged, delivered, cpuUs: usage.cpuUs };
}

interface Summary {
  latency: Record<Path, LatencySummary>;
  light: Record<Path, { cpu: number[]; cpuMedian: number; wakeups: number[] }> & { eventsToSqs: number };
  batched: { events: number[]; eventsMedian: number; sqs: number[] };
  idle: { cpu: number[]; wakeups: number[] };
  throughput: Record<Path, { acknowledged: number; delivered: number }>;
  throughputRatio: number;
}

/** One build's rounds: latencies pooled, everything else as medians (with the rounds kept for the spread). */
function summarize(rounds: RoundFigures[]): Summary {
  const lightOf = (path: Path) => {
    const cpu = rounds.map((f) => f.light[path].cpuUsPerEvent);
    return { cpu, cpuMedian: median(cpu), wakeups: rounds.map((f) => f.light[path].wakeupsPerEvent) };
  };
  const events = lightOf('events');
  const sqs = lightOf('sqs');
  const throughputOf = (path: Path) => ({
    acknowledged: median(rounds.map((f) => f.throughput[path].acknowledged)),
    delivered: median(rounds.map((f) => f.throughput[path].delivered)),
  });
  const throughput = { events: throughputOf('events'), sqs: throughputOf('sqs') };
  const batchedEvents = rounds.map((f) => f.throughput.events.cpuUsPerEvent);
  return {
    latency: {
      events: rounded(latencySummary(rounds.flatMap((f) => f.latencySamples.events))),
      sqs: rounded(latencySummary(rounds.flatMap((f) => f.latencySamples.sqs))),
    },
    light: { events, sqs, eventsToSqs: events.cpuMedian / sqs.cpuMedian },
    batched: { events: batchedEvents, eventsMedian: median(batchedEvents), sqs: rounds.map((f) => f.throughput.sqs.cpuUsPerEvent) },
    idle: { cpu: rounds.map((f) => f.idle.cpuMsPerS), wakeups: rounds.map((f) => f.idle.wakeupsPerS) },
    throughput,
    throughputRatio: throughput.events.delivered / throughput.sqs.delivered,
  };
}

const rounded = (s: LatencySummary): LatencySummary => ({ mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) });

export const eventsDelivery: Benchmark = {
  name: 'events-delivery',
  description:
    'EventBridge PutEvents → rule → SQS target through the SDK: ingest-to-visible latency at 200 events/s, server CPU per event at 100 events/s and idle, and throughput, vs SendMessage straight to SQS',
  run,
};
