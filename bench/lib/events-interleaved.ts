/**
 * The light-load A/B of events-delivery (`--against`), measured so that a busy machine disturbs
 * both builds alike: both servers run at once (each on the server core, each on a fresh data dir),
 * and the light load goes to one at a time in short slices, alternating A B B A …, each slice
 * ending once its events are all received and deleted. A slice's server CPU time (the other
 * server idles meanwhile) is charged to its build; slices next to each other form the pairs
 * whose ratios give the spread. Each event's send → receive latency is kept too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, drain, longPollConsumer, offer, send, seqOf, setUp, type Clients, type Path, type Queues } from './events-sdk.js';
import { sampleUsage, usageBetween } from './server-usage.js';
import { startSqsServer, type SqsServerChild } from './sqs-children.js';

const SLICE_S = 1;
const WARMUP_RATE = 200;

export interface InterleavedOptions {
  /** Events a second in the slices. */
  rate: number;
  /** Light-load seconds per build and path (in SLICE_S slices). */
  seconds: number;
  /** Warm-up seconds per build and path, at WARMUP_RATE. */
  warmupS: number;
  core: number | undefined;
}

export interface InterleavedResult {
  slices: number;
  /** Per path, per build (in the order given): server CPU µs per event over all its slices. */
  cpuUsPerEvent: Record<Path, number[]>;
  /** Per path, per build: send → received by the long poll, ms, every event of the slices. */
  latencyMs: Record<Path, number[][]>;
  /** Per path: CPU per event of build 0 / build 1, for each pair of neighbouring slices. */
  pairRatios: Record<Path, number[]>;
}

interface Side {
  server: SqsServerChild;
  clients: Clients & { close(): void };
  queues: Queues;
  dataDir: string;
}

/** `roots`: two builds' project roots (undefined: this build). */
export async function interleavedLightLoad(roots: (string | undefined)[], options: InterleavedOptions, log: (line: string) => void): Promise<InterleavedResult> {
  const sides: Side[] = [];
  try {
    for (const root of roots) {
      const dataDir = mkdtempSync(join(tmpdir(), 'stratus-bench-events-ab-'));
      const server = await startSqsServer({ kind: 'stratus', dataDir, durability: 'process' }, { core: options.core, root });
      const clients = connect(server.url);
      sides.push({ server, clients, queues: await setUp(clients), dataDir });
    }
    const slices = Math.max(2, Math.round(options.seconds / SLICE_S));
    const result: InterleavedResult = { slices, cpuUsPerEvent: { events: [], sqs: [] }, latencyMs: { events: [], sqs: [] }, pairRatios: { events: [], sqs: [] } };
    for (const path of ['events', 'sqs'] as const) {
      const loads = sides.map((side) => new Load(side, path));
      try {
        for (const load of loads) await load.slice(WARMUP_RATE, options.warmupS);
        for (const load of loads) load.latencies.length = 0;
        const cpu = sides.map(() => 0);
        const events = sides.map(() => 0);
        const perSlice: number[][] = sides.map(() => []);
        for (let s = 0; s < slices; s++) {
          // A B, B A, A B, …: neither build always goes first.
          const order = s % 2 === 0 ? [0, 1] : [1, 0];
          for (const i of order) {
            const measured = await loads[i].slice(options.rate, SLICE_S);
            cpu[i] += measured.cpuUs;
            events[i] += measured.events;
            perSlice[i].push(measured.cpuUs / measured.events);
          }
        }
        result.cpuUsPerEvent[path] = cpu.map((c, i) => c / events[i]);
        result.latencyMs[path] = loads.map((load) => load.latencies);
        result.pairRatios[path] = perSlice[0].map((a, s) => a / perSlice[1][s]);
      } finally {
        for (const load of loads) await load.stop();
      }
      log(`interleaved ${path}: ${result.cpuUsPerEvent[path].map((c) => `${Math.round(c)} µs`).join(' against ')} CPU an event over ${slices} slices each`);
    }
    return result;
  } finally {
    for (const side of sides) {
      side.clients.close();
      await side.server.stop();
      rmSync(side.dataDir, { recursive: true, force: true });
    }
  }
}

/** One server's light load on one path: its long-polling consumer stays up from slice to slice. */
class Load {
  /** Sent, not yet deleted: sequence number → when it was sent. */
  private readonly pending = new Map<number, number>();
  private readonly consumer: ReturnType<typeof longPollConsumer>;
  readonly latencies: number[] = [];

  constructor(
    private readonly side: Side,
    private readonly path: Path,
  ) {
    this.consumer = longPollConsumer(
      side.clients,
      side.queues[path],
      (body) => {
        if (!this.pending.delete(seqOf(body, path))) throw new Error(`message ${seqOf(body, path)} arrived twice or was never sent`);
      },
      (body) => {
        const sentAt = this.pending.get(seqOf(body, path));
        if (sentAt !== undefined) this.latencies.push(performance.now() - sentAt);
      },
    );
  }

  /** `seconds` of `rate` events/s, until all are deleted: the server's CPU time meanwhile. */
  async slice(rate: number, seconds: number): Promise<{ cpuUs: number; events: number }> {
    const from = await sampleUsage(this.side.server);
    const events = await offer(rate, seconds, (seq) => {
      this.pending.set(seq, performance.now());
      return send(this.side.clients, this.side.queues, this.path, [seq]);
    });
    await drain(
      () => {
        if (this.consumer.failure() !== undefined) throw this.consumer.failure();
        return this.pending.size === 0;
      },
      () => `${this.pending.size} of ${events} ${this.path} events`,
    );
    const usage = usageBetween(from, await sampleUsage(this.side.server));
    return { cpuUs: usage.cpuUs, events };
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
