/**
 * topics: SNS fan-out to SQS through the AWS SDK v3 (issue 15, "How fast"), measured side by side
 * with the same load sent straight to SQS.
 *
 * Stratus runs in its own process (core 0 when pinned) on a durable store in a temporary data dir
 * (`--durability process`); this process (core 1) drives it with @aws-sdk/client-sns and -sqs.
 * Every phase below gets a fresh server, so that no phase runs on a store the one before it filled
 * (and `--profile` gives one profile per phase). Each of `--rounds` rounds runs:
 *
 * 1. Latency: Publish → visible in one SQS subscription, for a raw subscription and for one that
 *    gets the signed JSON envelope, interleaved call by call with SendMessage straight to a queue
 *    (the baseline), LATENCY_RATE calls/s on each path, one message per call; four consumers per
 *    queue receive (WaitTimeSeconds 1) and delete. Latency = the consumer's receive − just before
 *    the call. Target: Publish p50 within +1 ms of SendMessage's.
 * 2. Fan-out throughput: LOOPS closed loops of PublishBatch (10 entries) to a topic with
 *    SUBSCRIPTIONS SQS subscriptions — 100 deliveries per call — with no consumer, against LOOPS
 *    loops of SendMessageBatch (10 entries) into one queue. Delivered = messages visible in the
 *    queues when the window ends (GetQueueAttributes), not jobs enqueued; afterwards every queue must
 *    hold exactly what was acknowledged (nothing lost, nothing twice). Sustained = every delivery
 *    the window's calls caused ÷ the time until the last of them was visible. Server CPU counts
 *    from the window's start until then. Target: delivered/s ≥ 0.5 × SendMessageBatch's messages/s.
 *    Paths: envelope (the default subscription), raw, and — to show what filter policies cost — the
 *    envelope with three message attributes, without and with a filter policy on every
 *    subscription (each policy matches every message, so the fan-out stays 100 deliveries a call).
 */
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pin } from './lib/children.js';
import { consume, drain, nextSequence, offer, visible } from './lib/events-sdk.js';
import { fixed, median, round, spread, table, thousands } from './lib/format.js';
import { profileReport, summarizeProfile } from './lib/profile.js';
import { sampleUsage, usageBetween } from './lib/server-usage.js';
import { latencySummary, startSqsServer, type LatencySummary, type SqsServerChild } from './lib/sqs-children.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

/** Calls a second on each latency path. */
const LATENCY_RATE = 100;
const CONSUMERS_PER_QUEUE = 4;
const LOOPS = 16;
const BATCH = 10;
const SUBSCRIPTIONS = 10;
const SERVER_CORE = 0;
const BENCH_CORE = 1;
const TARGET_P50_MS = 1;
const TARGET_RATIO = 0.5;
const DRAIN_TIMEOUT_S = 600;

type LatencyPath = 'sqs' | 'raw' | 'envelope';
const LATENCY_PATHS: LatencyPath[] = ['sqs', 'raw', 'envelope'];

type FanOutPath = 'sqs' | 'envelope' | 'raw' | 'attributes' | 'filtered';
const FAN_OUT_PATHS: FanOutPath[] = ['sqs', 'envelope', 'raw', 'attributes', 'filtered'];
const FAN_OUT_LABELS: Record<FanOutPath, string> = {
  sqs: `SendMessageBatch of ${BATCH} (baseline)`,
  envelope: `PublishBatch of ${BATCH} → ${SUBSCRIPTIONS} subscriptions, envelope`,
  raw: `PublishBatch of ${BATCH} → ${SUBSCRIPTIONS} subscriptions, raw`,
  attributes: '  envelope, 3 message attributes, no filter',
  filtered: '  envelope, 3 message attributes, a filter policy on each',
};

/** What the attributes path and the filtered path publish, and what every filter policy asks of it (it matches every message). */
const ATTRIBUTES = (seq: number): Record<string, MessageAttributeValue> => ({
  kind: { DataType: 'String', StringValue: 'order' },
  amount: { DataType: 'Number', StringValue: String(seq % 1000) },
  region: { DataType: 'String', StringValue: seq % 2 === 0 ? 'eu-west-1' : 'eu-central-1' },
});
const FILTER_POLICY = JSON.stringify({ kind: ['order'], amount: [{ numeric: ['>=', 0] }], region: [{ prefix: 'eu-' }] });

interface Clients {
  sns: SNSClient;
  sqs: SQSClient;
}

interface FanOutFigures {
  /** Messages acknowledged a second (a PublishBatch entry, or a SendMessageBatch entry). */
  acknowledgedPerS: number;
  /** Messages visible in the queues when the window ended, a second. */
  deliveredPerS: number;
  /** Every delivery the window's calls caused ÷ the time until the last was visible. */
  sustainedPerS: number;
  cpuUsPerDelivery: number;
  /** Write units a store transaction (group commit). */
  unitsPerTransaction: number;
  /** Transactions a delivery. */
  transactionsPerDelivery: number;
  otherCores: number;
}

interface RoundFigures {
  latencySamples: Record<LatencyPath, number[]>;
  fanOut: Record<FanOutPath, FanOutFigures>;
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  if (options.pin) pin(process.pid, BENCH_CORE);
  if (options.profile) {
    mkdirSync(options.profileDir, { recursive: true });
    for (const name of readdirSync(options.profileDir)) if (name.startsWith('topics-')) rmSync(join(options.profileDir, name));
  }
  // A profile per phase of one round: more rounds would only overwrite them.
  const rounds = options.profile ? 1 : options.rounds;
  const loadBefore = loadavg()[0];
  const perRound: RoundFigures[] = [];
  for (let r = 0; r < rounds; r++) {
    log(`round ${r + 1}/${rounds}`);
    const latencySamples = await withServer(options, 'latency', (server, clients) => measureLatency(server, clients, options, (line) => log(`  ${line}`)));
    const fanOut = {} as Record<FanOutPath, FanOutFigures>;
    const order = r % 2 === 1 ? [...FAN_OUT_PATHS].reverse() : FAN_OUT_PATHS;
    for (const path of order) {
      fanOut[path] = await withServer(options, `fan-out-${path}`, async (server, clients) => {
        await fanOutLoop(server, clients, path, Math.max(1, options.warmupS));
        return fanOutLoop(server, clients, path, options.durationS);
      });
      const f = fanOut[path];
      log(
        `  ${path}: ${thousands(f.acknowledgedPerS)} messages acknowledged/s, ${thousands(f.deliveredPerS)} delivered/s in the window, ${thousands(f.sustainedPerS)}/s until the last was in, ` +
          `${fixed(f.cpuUsPerDelivery, 1)} µs server CPU a delivery, ${fixed(f.unitsPerTransaction, 1)} write units a transaction (others on the machine: ${fixed(f.otherCores, 2)} cores)`,
      );
    }
    perRound.push({ latencySamples, fanOut });
  }
  const loadAfter = loadavg()[0];

  const latency = {} as Record<LatencyPath, LatencySummary>;
  for (const path of LATENCY_PATHS) latency[path] = rounded(latencySummary(perRound.flatMap((f) => f.latencySamples[path])));
  const fanOut = {} as Record<FanOutPath, { deliveredPerS: number; sustainedPerS: number; acknowledgedPerS: number; cpuUsPerDelivery: number; unitsPerTransaction: number }>;
  for (const path of FAN_OUT_PATHS) {
    const of = (pick: (f: FanOutFigures) => number): number => median(perRound.map((r) => pick(r.fanOut[path])));
    fanOut[path] = {
      acknowledgedPerS: round(of((f) => f.acknowledgedPerS), 0),
      deliveredPerS: round(of((f) => f.deliveredPerS), 0),
      sustainedPerS: round(of((f) => f.sustainedPerS), 0),
      cpuUsPerDelivery: round(of((f) => f.cpuUsPerDelivery), 1),
      unitsPerTransaction: round(of((f) => f.unitsPerTransaction), 1),
    };
  }
  // Ratios round by round (each path's figure against the baseline of the same round), then the median.
  const ratioOf = (path: FanOutPath, pick: (f: FanOutFigures) => number): number[] => perRound.map((r) => pick(r.fanOut[path]) / pick(r.fanOut.sqs));
  const ratios = {} as Record<FanOutPath, { delivered: number[]; sustained: number[] }>;
  for (const path of FAN_OUT_PATHS) ratios[path] = { delivered: ratioOf(path, (f) => f.deliveredPerS), sustained: ratioOf(path, (f) => f.sustainedPerS) };
  const p50Over = (path: LatencyPath): number => latency[path].p50 - latency.sqs.p50;
  const otherCores = perRound.flatMap((r) => FAN_OUT_PATHS.map((p) => r.fanOut[p].otherCores));

  const report: string[] = [
    table(
      [`latency, ${LATENCY_RATE} calls/s a path, interleaved, ms (all rounds pooled)`, 'p50', 'p90', 'p99', 'max', 'p50 over SendMessage'],
      LATENCY_PATHS.map((path) => [
        path === 'sqs' ? 'SendMessage → visible (baseline)' : `Publish → visible, ${path} subscription`,
        fixed(latency[path].p50),
        fixed(latency[path].p90),
        fixed(latency[path].p99),
        fixed(latency[path].max),
        path === 'sqs' ? '' : signed(p50Over(path)),
      ]),
    ),
    '',
    table(
      [`fan-out, ${LOOPS} loops, medians of rounds`, 'acked msg/s', 'delivered/s', 'sustained/s', 'µs CPU/delivery', 'units/tx', 'delivered ÷ baseline (rounds)'],
      FAN_OUT_PATHS.map((path) => [
        FAN_OUT_LABELS[path],
        thousands(fanOut[path].acknowledgedPerS),
        thousands(fanOut[path].deliveredPerS),
        thousands(fanOut[path].sustainedPerS),
        fixed(fanOut[path].cpuUsPerDelivery, 1),
        fixed(fanOut[path].unitsPerTransaction, 1),
        path === 'sqs' ? '' : spread(ratios[path].delivered, 2),
      ]),
    ),
    '',
    `Publish → visible p50: raw ${signed(p50Over('raw'))} ms, envelope ${signed(p50Over('envelope'))} ms over SendMessage (target within +${TARGET_P50_MS} ms: ` +
      `${Math.max(p50Over('raw'), p50Over('envelope')) <= TARGET_P50_MS ? 'met' : 'not met'})`,
    `fan-out: envelope ${fixed(median(ratios.envelope.delivered), 2)}×, raw ${fixed(median(ratios.raw.delivered), 2)}× SendMessageBatch's messages/s in deliveries/s ` +
      `(sustained ${fixed(median(ratios.envelope.sustained), 2)}× / ${fixed(median(ratios.raw.sustained), 2)}×; target ≥ ${TARGET_RATIO}×: ` +
      `${Math.min(median(ratios.envelope.delivered), median(ratios.raw.delivered)) >= TARGET_RATIO ? 'met' : 'not met'}); ` +
      `filter policies cost ${fixed(fanOut.filtered.cpuUsPerDelivery - fanOut.attributes.cpuUsPerDelivery, 1)} µs CPU a delivery`,
    `machine: other work used ${spread(otherCores, 2)} cores during the fan-out windows; load average ${fixed(loadBefore, 2)} before, ${fixed(loadAfter, 2)} after`,
    'checks: every message sent arrived exactly once, in every queue it was sent or published to',
  ];
  if (options.profile) {
    for (const phase of ['latency', ...FAN_OUT_PATHS.map((p) => `fan-out-${p}`)]) {
      report.push('', profileReport(`Stratus, ${phase}`, summarizeProfile(join(options.profileDir, `topics-${phase}.cpuprofile`), options.root, 25)));
    }
    report.push('', `profiles: ${options.profileDir}/topics-*.cpuprofile (open in Chrome DevTools → Performance)`);
  }

  return {
    settings: {
      latencyRatePerPath: LATENCY_RATE,
      consumersPerQueue: CONSUMERS_PER_QUEUE,
      loops: LOOPS,
      batch: BATCH,
      subscriptions: SUBSCRIPTIONS,
      filterPolicy: FILTER_POLICY,
      durationS: options.durationS,
      warmupS: options.warmupS,
      rounds,
      pinned: options.pin,
      store: 'SQLite in a temporary data dir, --durability process; a fresh server per phase',
      client: 'AWS SDK v3 (client-sns, client-sqs), keep-alive agent',
    },
    figures: {
      latencyMs: latency,
      publishP50OverSendMessageMs: { raw: round(p50Over('raw'), 3), envelope: round(p50Over('envelope'), 3) },
      fanOut,
      fanOutRatio: Object.fromEntries(
        FAN_OUT_PATHS.filter((p) => p !== 'sqs').map((p) => [p, { delivered: round(median(ratios[p].delivered), 3), sustained: round(median(ratios[p].sustained), 3), rounds: ratios[p].delivered.map((x) => round(x, 3)) }]),
      ),
      filterCostUsPerDelivery: round(fanOut.filtered.cpuUsPerDelivery - fanOut.attributes.cpuUsPerDelivery, 1),
      otherCores: round(median(otherCores), 2),
      loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
    },
    report: report.join('\n'),
  };
}

/** Runs `phase` against a fresh server on a fresh data dir (profiled as topics-<label> with --profile). */
async function withServer<T>(options: BenchOptions, label: string, phase: (server: SqsServerChild, clients: Clients) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-topics-'));
  const execArgv = options.profile ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', `topics-${label}.cpuprofile`, '--cpu-prof-interval', '250'] : [];
  let server: SqsServerChild | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let clients: Clients | undefined;
  try {
    server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { core: options.pin ? SERVER_CORE : undefined, execArgv });
    const config = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1, requestHandler: { httpAgent: agent } };
    clients = { sns: new SNSClient(config), sqs: new SQSClient(config) };
    return await phase(server, clients);
  } finally {
    clients?.sns.destroy();
    clients?.sqs.destroy();
    agent.destroy();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function createQueue(clients: Clients, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** A topic subscribed by `queues` (confirmed at once: SQS of the same account). */
async function createTopic(clients: Clients, name: string, queues: { arn: string }[], attributes: Record<string, string>): Promise<string> {
  const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: name }));
  for (const queue of queues) await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: attributes }));
  return TopicArn!;
}

/** The sequence number in what a queue of `path` received: the raw message, or the envelope's Message. */
function seqOf(body: string, path: LatencyPath): number {
  const message = path === 'envelope' ? (JSON.parse(body) as { Message: string }).Message : body;
  return (JSON.parse(message) as { seq: number }).seq;
}

/** The three latency paths, interleaved call by call: a warm-up, then the measured window. */
async function measureLatency(_server: SqsServerChild, clients: Clients, options: BenchOptions, log: (line: string) => void): Promise<Record<LatencyPath, number[]>> {
  const queues = {} as Record<LatencyPath, string>;
  const topics = {} as Record<Exclude<LatencyPath, 'sqs'>, string>;
  for (const path of LATENCY_PATHS) {
    const queue = await createQueue(clients, `bench-latency-${path}`);
    queues[path] = queue.url;
    if (path !== 'sqs') topics[path] = await createTopic(clients, `bench-latency-${path}`, [queue], path === 'raw' ? { RawMessageDelivery: 'true' } : {});
  }
  const sentAt = new Map<number, number>();
  let samples = {} as Record<LatencyPath, number[]>;
  const reset = (): void => {
    samples = { sqs: [], raw: [], envelope: [] };
  };
  reset();
  const consumers = LATENCY_PATHS.map((path) =>
    consume(clients, queues[path], CONSUMERS_PER_QUEUE, (body) => {
      const seq = seqOf(body, path);
      const at = sentAt.get(seq);
      if (at === undefined) throw new Error(`${path}: message ${seq} arrived twice or was never sent`);
      sentAt.delete(seq);
      samples[path].push(performance.now() - at);
    }),
  );
  const sendOne = (seq: number): Promise<unknown> => {
    const path = LATENCY_PATHS[seq % LATENCY_PATHS.length];
    const message = JSON.stringify({ seq });
    sentAt.set(seq, performance.now());
    return path === 'sqs'
      ? clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.sqs, MessageBody: message }))
      : clients.sns.send(new PublishCommand({ TopicArn: topics[path], Message: message }));
  };
  try {
    for (const seconds of [Math.max(1, options.warmupS), options.durationS]) {
      reset();
      const total = await offer(LATENCY_RATE * LATENCY_PATHS.length, seconds, sendOne);
      await drain(() => sentAt.size === 0, () => `${sentAt.size} of ${total} messages`);
    }
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
  }
  for (const path of LATENCY_PATHS) {
    const s = latencySummary(samples[path]);
    log(`latency ${path}: ${samples[path].length} messages, p50 ${fixed(s.p50)} ms, p99 ${fixed(s.p99)} ms`);
  }
  return samples;
}

let phase = 0;

/**
 * LOOPS closed loops of BATCH-message calls on `path` for `seconds`, into fresh queues with no
 * consumer, so the figure is the server's ingest and delivery work, not this process's receives.
 */
async function fanOutLoop(server: SqsServerChild, clients: Clients, path: FanOutPath, seconds: number): Promise<FanOutFigures> {
  const tag = phase++;
  const queueCount = path === 'sqs' ? 1 : SUBSCRIPTIONS;
  const queues = await Promise.all(Array.from({ length: queueCount }, (_, i) => createQueue(clients, `bench-fan-out-${tag}-${i}`)));
  let send: (seqs: number[]) => Promise<void>;
  if (path === 'sqs') {
    send = async (seqs) => {
      const out = await clients.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queues[0].url, Entries: seqs.map((seq, i) => ({ Id: String(i), MessageBody: JSON.stringify({ seq }) })) }),
      );
      if (out.Failed?.length) throw new Error(`SendMessageBatch failed ${out.Failed.length} entries`);
    };
  } else {
    const subscription: Record<string, string> = path === 'raw' ? { RawMessageDelivery: 'true' } : path === 'filtered' ? { FilterPolicy: FILTER_POLICY } : {};
    const topicArn = await createTopic(clients, `bench-fan-out-${tag}`, queues, subscription);
    const withAttributes = path === 'attributes' || path === 'filtered';
    send = async (seqs) => {
      const out = await clients.sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: seqs.map((seq, i) => ({ Id: String(i), Message: JSON.stringify({ seq }), MessageAttributes: withAttributes ? ATTRIBUTES(seq) : undefined })),
        }),
      );
      if (out.Failed?.length) throw new Error(`PublishBatch failed ${out.Failed.length} entries`);
    };
  }
  const inQueues = async (): Promise<number> => (await Promise.all(queues.map((q) => visible(clients, q.url)))).reduce((a, b) => a + b, 0);

  let acknowledged = 0;
  const from = await sampleUsage(server);
  const storeFrom = (await server.cpu()).store;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while (performance.now() < deadline) {
        await send(Array.from({ length: BATCH }, nextSequence));
        acknowledged += BATCH;
      }
    }),
  );
  const windowMs = performance.now() - started;
  const delivered = await inQueues();
  const expected = acknowledged * queueCount;
  // A build that delivers far slower than it acknowledges (the one before issue 15's work: ~2,000 a
  // second) needs minutes to catch up after a window.
  await drain(async () => (await inQueues()) >= expected, () => `${path}: ${expected} deliveries expected`, DRAIN_TIMEOUT_S);
  const doneMs = performance.now() - started;
  const usage = usageBetween(from, await sampleUsage(server));
  const storeTo = (await server.cpu()).store;
  for (const q of queues) {
    const n = await visible(clients, q.url);
    if (n !== acknowledged) throw new Error(`${path}: ${acknowledged} messages acknowledged but ${n} in ${q.url}`);
  }
  const transactions = storeTo && storeFrom ? storeTo.transactions - storeFrom.transactions : NaN;
  const units = storeTo && storeFrom ? storeTo.units - storeFrom.units : NaN;
  return {
    acknowledgedPerS: (acknowledged * 1000) / windowMs,
    deliveredPerS: (delivered * 1000) / windowMs,
    sustainedPerS: (expected * 1000) / doneMs,
    cpuUsPerDelivery: usage.cpuUs / expected,
    unitsPerTransaction: units / transactions,
    transactionsPerDelivery: transactions / expected,
    otherCores: usage.otherCores,
  };
}

/** A difference with its sign: +0.42, -0.10. */
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${fixed(n)}`;

const rounded = (s: LatencySummary): LatencySummary => ({ mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) });

export const topics: Benchmark = {
  name: 'topics',
  description:
    'SNS Publish → SQS subscription through the SDK: latency to visible (raw and envelope) vs SendMessage, and fan-out of PublishBatch to 10 subscriptions (deliveries/s, with and without filter policies) vs SendMessageBatch',
  run,
};
