/**
 * Child-process entry for the load driver: `fork('dist/bench/lib/driver.js')`, then send the
 * LoadSpec. Opens `connections` keep-alive TCP connections and, on each, sends the same request
 * bytes again as soon as the previous response is complete (closed loop, one request in flight
 * per connection, no pipelining — what autocannon does by default). Responses are framed by
 * Content-Length and parsed no further than the status code, so the driver stays far cheaper per
 * request than any HTTP server it drives. After `warmupMs` it resets its counters, tells the
 * parent `measuring`, counts for `durationMs`, tells it `measured`, and reports.
 */
import { connect, type Socket } from 'node:net';
import type { FromDriver, LoadResult, LoadSpec } from './protocol.js';

const send = (message: FromDriver): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

/** Latency histogram: 10 µs buckets up to 5 s, plus an overflow bucket. */
const BUCKET_US = 10;
const BUCKETS = 500_000;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

function run(spec: LoadSpec): Promise<LoadResult> {
  const request = Buffer.from(spec.request, 'base64');
  const histogram = new Uint32Array(BUCKETS + 1);
  const statuses = new Map<number, number>();
  let measuring = false;
  let stopped = false;
  let count = 0;
  let sumMs = 0;
  let maxMs = 0;
  let errors = 0;
  let reconnects = 0;

  const record = (status: number, ms: number): void => {
    if (!measuring) return;
    count++;
    sumMs += ms;
    if (ms > maxMs) maxMs = ms;
    const bucket = Math.floor((ms * 1000) / BUCKET_US);
    histogram[bucket < BUCKETS ? bucket : BUCKETS]++;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };

  const open = (): void => {
    let socket: Socket;
    let pending: Buffer | null = null;
    let sentAt = 0;
    /** Total bytes of the response being read, once its head is in; -1 before. */
    let expected = -1;
    let status = 0;

    const fire = (): void => {
      if (stopped) return;
      sentAt = performance.now();
      socket.write(request);
    };
    socket = connect({ host: spec.host, port: spec.port, noDelay: true }, fire);
    socket.on('data', (chunk: Buffer) => {
      let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (expected < 0) {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) break;
          const head = buf.toString('latin1', 0, end);
          const length = CONTENT_LENGTH.exec(head);
          status = buf[9] * 100 + buf[10] * 10 + buf[11] - 5328; // three ASCII digits ('0' = 48; 48*111 = 5328)
          if (!length) {
            // Every answer in these benchmarks has a Content-Length; anything else is a failure.
            errors++;
            socket.destroy();
            return;
          }
          expected = end + 4 + Number(length[1]);
        }
        if (buf.length < expected) break;
        record(status, performance.now() - sentAt);
        buf = buf.length === expected ? EMPTY : buf.subarray(expected);
        expected = -1;
        fire();
      }
      pending = buf.length === 0 ? null : buf;
    });
    socket.on('error', () => {
      if (!stopped) errors++;
    });
    socket.on('close', () => {
      if (stopped) return;
      // The server closed a keep-alive connection (or failed): open another, as a client would.
      reconnects++;
      setImmediate(open);
    });
  };

  for (let i = 0; i < spec.connections; i++) open();

  return new Promise((resolve) => {
    setTimeout(() => {
      measuring = true;
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      void send({ type: 'measuring' });
      setTimeout(() => {
        measuring = false;
        stopped = true;
        const durationMs = performance.now() - started;
        const cpu = process.cpuUsage(cpuStart);
        void send({ type: 'measured' });
        resolve({
          requests: count,
          durationMs,
          rps: (count * 1000) / durationMs,
          errors,
          reconnects,
          statuses: Object.fromEntries([...statuses].map(([k, v]) => [String(k), v])),
          latencyMs: {
            mean: count > 0 ? sumMs / count : 0,
            p50: percentile(histogram, count, 0.5),
            p90: percentile(histogram, count, 0.9),
            p99: percentile(histogram, count, 0.99),
            max: maxMs,
          },
          driverCpu: (cpu.user + cpu.system) / 1000 / durationMs,
        });
      }, spec.durationMs);
    }, spec.warmupMs);
  });
}

const EMPTY = Buffer.alloc(0);

/** Upper edge (ms) of the bucket holding the q-th latency. */
function percentile(histogram: Uint32Array, count: number, q: number): number {
  if (count === 0) return 0;
  const rank = Math.ceil(count * q);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return ((i + 1) * BUCKET_US) / 1000;
  }
  return Infinity;
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    async (result) => {
      await send({ type: 'result', result });
      process.exit(0);
    },
    async (error: unknown) => {
      await send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
});
