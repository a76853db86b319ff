/**
 * events-delivery: PutEvents → rule → SQS target, through the AWS SDK v3 (issue 4), measured
 * side by side with the same load sent straight to SQS with SendMessage / SendMessageBatch.
 *
 * Stratus runs in its own process (core 0 when pinned) with a durable store in a temporary
 * data dir; this process (core 1) drives it with @aws-sdk/client-eventbridge and -sqs.
 *
 * 1. Latency at a fixed offered load: RATE events/s, one per call, each carrying its sequence
 *    number; four long-polling consumers receive and delete. Ingest-to-visible latency = the
 *    consumer's receive − just before the PutEvents (or SendMessage) call was made. The
 *    SendMessage path is the baseline: EventBridge adds the rule match, the stored delivery job,
 *    and the delivery machine's lease → invoke → complete on top of it.
 * 2. Throughput: 16 loops of PutEvents with 10 entries (vs SendMessageBatch with 10) into a fresh
 *    queue with no consumer, for the measured seconds; counted: events acknowledged, and events
 *    visible in the queue when the window ends (delivered).
 * Every event sent must arrive exactly once by the end of each phase: the run checks it.
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pin } from './lib/children.js';
import { fixed, round, table, thousands } from './lib/format.js';
import { latencySummary, startSqsServer, type LatencySummary, type SqsServerChild } from './lib/sqs-children.js';
import type { Benchmark, BenchOptions, BenchOutcome } from './lib/types.js';

const RATE = 200;
const THROUGHPUT_LOOPS = 16;
const SERVER_CORE = 0;
const BENCH_CORE = 1;

type Path = 'events' | 'sqs';

interface Clients {
  eb: EventBridgeClient;
  sqs: SQSClient;
}

interface Queues {
  events: string;
  sqs: string;
}

async function run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-events-'));
  let server: SqsServerChild | undefined;
  if (options.pin) pin(process.pid, BENCH_CORE);
  try {
    server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { core: options.pin ? SERVER_CORE : undefined });
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const config = {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    };
    const clients: Clients = { eb: new EventBridgeClient(config), sqs: new SQSClient(config) };
    const queues = await setUp(clients);

    const latency: Record<Path, LatencySummary> = {} as Record<Path, LatencySummary>;
    for (const path of ['events', 'sqs'] as const) {
      await fixedRate(clients, queues, path, Math.max(1, options.warmupS));
      const samples = await fixedRate(clients, queues, path, options.durationS);
      latency[path] = rounded(latencySummary(samples));
      log(`${path}: ${samples.length} events at ${RATE}/s, ingest-to-visible p50 ${fixed(latency[path].p50)} ms, p99 ${fixed(latency[path].p99)} ms`);
    }

    const throughput: Record<Path, { acknowledged: number; delivered: number }> = {} as Record<Path, { acknowledged: number; delivered: number }>;
    for (const path of ['sqs', 'events'] as const) {
      await closedLoop(clients, queues, path, Math.max(1, options.warmupS));
      const result = await closedLoop(clients, queues, path, options.durationS);
      throughput[path] = { acknowledged: round(result.acknowledged / options.durationS, 0), delivered: round(result.delivered / options.durationS, 0) };
      log(`${path}: ${thousands(throughput[path].acknowledged)} acknowledged/s, ${thousands(throughput[path].delivered)} delivered/s`);
    }
    clients.eb.destroy();
    clients.sqs.destroy();
    agent.destroy();

    const ratio = throughput.events.delivered / throughput.sqs.delivered;
    const report = [
      table(
        ['at ' + RATE + ' events/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        [
          ['SendMessage → visible (baseline)', fixed(latency.sqs.p50), fixed(latency.sqs.p90), fixed(latency.sqs.p99), fixed(latency.sqs.max)],
          ['PutEvents → rule → SQS visible', fixed(latency.events.p50), fixed(latency.events.p90), fixed(latency.events.p99), fixed(latency.events.max)],
        ],
      ),
      '',
      table(
        ['16 loops × 10 per call', 'acknowledged/s', 'delivered/s'],
        [
          ['SendMessageBatch (baseline)', thousands(throughput.sqs.acknowledged), thousands(throughput.sqs.delivered)],
          ['PutEvents → rule → SQS', thousands(throughput.events.acknowledged), thousands(throughput.events.delivered)],
        ],
      ),
      '',
      `EventBridge delivery = ${fixed(ratio, 2)}× the direct-to-SQS throughput; latency p50 +${fixed(latency.events.p50 - latency.sqs.p50)} ms, p99 +${fixed(latency.events.p99 - latency.sqs.p99)} ms over SendMessage`,
      'checks: every event sent arrived exactly once in every phase',
    ];
    return {
      settings: {
        offeredRate: RATE,
        throughputLoops: THROUGHPUT_LOOPS,
        durationS: options.durationS,
        pinned: options.pin,
        store: 'SQLite in a temporary data dir, --durability process',
        client: 'AWS SDK v3 (client-eventbridge, client-sqs), keep-alive agent',
      },
      figures: { latencyMs: latency, throughputPerS: throughput, eventsToSqsThroughputRatio: round(ratio, 3) },
      report: report.join('\n'),
    };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function setUp(clients: Clients): Promise<Queues> {
  const queue = async (name: string) => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const events = await queue('bench-events-target');
  const direct = await queue('bench-events-direct');
  await clients.eb.send(new PutRuleCommand({ Name: 'bench', EventPattern: JSON.stringify({ source: ['bench'], 'detail-type': ['tick'] }) }));
  // Rules that do not match, so the index does real work.
  for (let i = 0; i < 50; i++) {
    await clients.eb.send(new PutRuleCommand({ Name: `other-${i}`, EventPattern: JSON.stringify({ source: [`other-${i}`], detail: { n: [{ numeric: ['>', i] }] } }) }));
  }
  await clients.eb.send(new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'queue', Arn: events.arn }] }));
  return { events: events.url, sqs: direct.url };
}

/** The sequence number an arrived message carries, from either path's body. */
function seqOf(body: string, path: Path): number {
  const parsed = JSON.parse(body) as { seq?: number; detail?: { seq?: number } };
  return path === 'events' ? parsed.detail!.seq! : parsed.seq!;
}

/** Consumers that receive and delete from one queue until told to stop, calling `arrived` per message. */
function consume(clients: Clients, queueUrl: string, count: number, arrived: (body: string) => void): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: count }, async () => {
    while (running) {
      const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (!Messages || Messages.length === 0) continue;
      for (const m of Messages) arrived(m.Body!);
      await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

let nextSeq = 0;

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
  const total = Math.round(RATE * seconds);
  const start = performance.now();
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const seq = nextSeq++;
    sentAt.set(seq, performance.now());
    calls.push(send(clients, queues, path, [seq]));
  }
  await Promise.all(calls);
  await drain(() => sentAt.size === 0, () => `${sentAt.size} of ${total} ${path} events`);
  await consumer.stop();
  return latencies;
}

/**
 * Sixteen closed loops of 10-event calls for `seconds`, into a fresh queue with no consumer, so
 * the figure is the server's ingest and delivery work, not this process's SDK receive cost.
 * Delivered = messages visible in the queue when the window ends; afterwards the queue must hold
 * exactly what was acknowledged (nothing lost, nothing twice).
 */
async function closedLoop(clients: Clients, queues: Queues, path: Path, seconds: number): Promise<{ acknowledged: number; delivered: number }> {
  const queueUrl = await retarget(clients, queues, path);
  let acknowledged = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: THROUGHPUT_LOOPS }, async () => {
      while (performance.now() < deadline) {
        await send(clients, { ...queues, [path]: queueUrl }, path, Array.from({ length: 10 }, () => nextSeq++));
        acknowledged += 10;
      }
    }),
  );
  const delivered = await visible(clients, queueUrl);
  await drain(async () => (await visible(clients, queueUrl)) >= acknowledged, () => `${path}: ${acknowledged} acknowledged`);
  const finally_ = await visible(clients, queueUrl);
  if (finally_ !== acknowledged) throw new Error(`${path}: ${acknowledged} acknowledged but ${finally_} in the queue`);
  return { acknowledged, delivered };
}

let phase = 0;

/** A fresh, empty queue for one throughput phase; the events path's rule is pointed at it. */
async function retarget(clients: Clients, queues: Queues, path: Path): Promise<string> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-events-${path}-${phase++}` }));
  if (path === 'events') {
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await clients.eb.send(new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
  }
  return QueueUrl!;
}

async function visible(clients: Clients, queueUrl: string): Promise<number> {
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

async function send(clients: Clients, queues: Queues, path: Path, seqs: number[]): Promise<void> {
  if (path === 'events') {
    const out = await clients.eb.send(
      new PutEventsCommand({ Entries: seqs.map((seq) => ({ Source: 'bench', DetailType: 'tick', Detail: JSON.stringify({ seq, n: seq % 100 }) })) }),
    );
    if (out.FailedEntryCount) throw new Error(`PutEvents failed ${out.FailedEntryCount} entries`);
  } else if (seqs.length === 1) {
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.sqs, MessageBody: JSON.stringify({ seq: seqs[0] }) }));
  } else {
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queues.sqs, Entries: seqs.map((seq, i) => ({ Id: String(i), MessageBody: JSON.stringify({ seq }) })) }),
    );
    if (out.Failed?.length) throw new Error(`SendMessageBatch failed ${out.Failed.length} entries`);
  }
}

async function drain(done: () => boolean | Promise<boolean>, what: () => string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`not delivered within 60 s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const rounded = (s: LatencySummary): LatencySummary => ({ mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) });

export const eventsDelivery: Benchmark = {
  name: 'events-delivery',
  description: 'EventBridge PutEvents → rule → SQS target through the SDK: ingest-to-visible latency at 200 events/s and throughput, vs SendMessage straight to SQS',
  run,
};
