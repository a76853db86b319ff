/**
 * The child processes of the SQS benchmarks and what they say to the runner: servers under test
 * (sqs-server.ts) and the load driver (sqs-driver.ts), each in its own process and, where
 * taskset exists, pinned to a core of its own (server core 0, driver core 1), as in children.ts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDriverProcess, startServerProcess, type CpuSample } from './children.js';

const SERVER_ENTRY = fileURLToPath(new URL('./sqs-server.js', import.meta.url));
const DRIVER_ENTRY = fileURLToPath(new URL('./sqs-driver.js', import.meta.url));

export interface CannedAnswer {
  status: number;
  /** Header name/value pairs in wire order, without the ones node:http adds itself. */
  headers: [string, string][];
  /** base64 */
  body: string;
}

export type SqsServerSpec =
  | {
      kind: 'stratus';
      dataDir: string;
      durability: 'process' | 'power';
      /**
       * A PostgreSQL URL (`postgres://…?schema=`) to keep everything in instead of SQLite under
       * `dataDir`; a second server on the same store and schema follows the first (a cluster).
       */
      store?: string;
      /** API Gateway's account throttle, when not AWS's quota (`--apigateway-throttle`). */
      gatewayAccountThrottle?: { rateLimit: number; burstLimit: number };
    }
  | { kind: 'bare'; answers: Record<string, CannedAnswer>; keepAliveTimeoutMs: number };

export type SqsToServer = { type: 'start'; spec: SqsServerSpec } | { type: 'cpu' } | { type: 'stop' };
export type SqsFromServer =
  | { type: 'ready'; url: string; port: number }
  | { type: 'cpu'; user: number; system: number; at: number; store?: StoreStats }
  | { type: 'failed'; error: string };

/** Group commit: `units` write units went to the store in `transactions` transactions. */
export interface StoreStats {
  transactions: number;
  units: number;
}

/** The throughput loop: SendMessageBatch (10) → ReceiveMessage (10) → DeleteMessageBatch, `loops` at once. */
export interface LoopSpec {
  mode: 'loop';
  client: 'raw' | 'sdk';
  host: string;
  port: number;
  queueUrl: string;
  fifo: boolean;
  loops: number;
  warmupMs: number;
  durationMs: number;
  /** Bytes per message body. */
  bodyBytes: number;
  /** Makes FIFO deduplication ids unique across runs. */
  tag: string;
  /** After the window: receive and delete until the queue answers empty (not for canned servers). */
  drain: boolean;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoopResult {
  durationMs: number;
  /** Counted during the measured window only. */
  iterations: number;
  sent: number;
  received: number;
  deleted: number;
  /** Receives that returned fewer than 10 messages, and none at all (window only). */
  shortReceives: number;
  emptyReceives: number;
  iterationMs: LatencySummary;
  driverCpu: number;
  /** Non-200 answers, failed batch entries, socket errors (whole run), with a few samples. */
  errors: number;
  errorSamples: string[];
  /** Whole run, warm-up and drain included: what the queue must account for. */
  totals: { sent: number; received: number; deleted: number; drainedReceived: number };
}

/** Long-poll wake-up: one waiting ReceiveMessage, one SendMessage every `intervalMs`. */
export interface LongPollSpec {
  mode: 'long-poll';
  host: string;
  port: number;
  queueUrl: string;
  queueName: string;
  samples: number;
  warmupSamples: number;
  intervalMs: number;
  /**
   * Where the SendMessage goes, if not to host:port (where the receive waits): another node of
   * the same cluster, so that the wake-up crosses nodes.
   */
  sendHost?: string;
  sendPort?: number;
}

export interface LongPollResult {
  /** SendMessage written → the waiting ReceiveMessage's answer complete, ms. */
  wakeMs: number[];
  /** SendMessage written → its own answer complete, ms. */
  sendMs: number[];
  /** GetQueueUrl round trip on an idle keep-alive connection, ms. */
  baselineMs: number[];
  durationMs: number;
  errors: number;
  errorSamples: string[];
}

export type DriverSpec = LoopSpec | LongPollSpec;
export type FromSqsDriver =
  | { type: 'measuring' }
  | { type: 'measured' }
  | { type: 'result'; result: LoopResult | LongPollResult }
  | { type: 'failed'; error: string };

export interface SqsServerChild {
  kind: SqsServerSpec['kind'];
  pid: number;
  url: string;
  host: string;
  port: number;
  cpu(): Promise<CpuSample & { store?: StoreStats }>;
  stop(): Promise<void>;
}

/**
 * Starts a server under test. `root`: the project root of another build (its `npm run build`
 * done) whose server to run instead of this one — for A/B runs of a change (`--against`).
 */
export function startSqsServer(spec: SqsServerSpec, options: { execArgv?: string[]; core?: number; root?: string } = {}): Promise<SqsServerChild> {
  const entry = options.root === undefined ? SERVER_ENTRY : join(options.root, 'dist', 'bench', 'lib', 'sqs-server.js');
  return startServerProcess<SqsServerSpec['kind'], { store?: StoreStats }, SqsFromServer>(entry, spec, options, (message) => ({
    store: message.store,
  }));
}

/** Runs the SQS driver in its own process (pinned to `core`) and returns what it measured. */
export function runSqsDriver(spec: LoopSpec, options?: DriverHooks): Promise<LoopResult>;
export function runSqsDriver(spec: LongPollSpec, options?: DriverHooks): Promise<LongPollResult>;
export function runSqsDriver(spec: DriverSpec, options: DriverHooks = {}): Promise<LoopResult | LongPollResult> {
  return runDriverProcess<DriverSpec, LoopResult | LongPollResult>(DRIVER_ENTRY, 'SQS driver', spec, options);
}

export interface DriverHooks {
  core?: number;
  onMeasuring?(): void;
  onMeasured?(): void;
}

/** Percentiles of a list of latencies (ms), nearest rank. */
export function latencySummary(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const at = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(n * q) - 1))];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return { mean: sum / n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1] };
}
