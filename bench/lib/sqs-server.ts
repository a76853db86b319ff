/**
 * Child-process entry for a server under test in the SQS benchmarks:
 * `fork('dist/bench/lib/sqs-server.js')`, then send `{ type: 'start', spec }`.
 *
 * - `stratus`: the real thing with its built-in services, on a durable store in `dataDir`
 *   (SQLite WAL; `durability` as `stratus start --durability` takes it), or in PostgreSQL
 *   (`store`); a second server on the same store follows the first and forwards to it.
 * - `bare`: a node:http server that reads each request to its end and answers it with the canned
 *   status, headers and body recorded for its `X-Amz-Target` — the floor for any SQS server.
 *
 * Answers `ready` with its URL, reports its CPU time (and, for Stratus, its store's group-commit
 * counters) on `cpu`, and exits on `stop` or when the parent goes away; exiting normally is what
 * makes `--cpu-prof` write its profile.
 */
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './listen.js';
import { startStratus } from '../../src/server/stratus.js';
import type { SqsServerSpec } from './sqs-children.js';
import { serveChild, type StartedServer } from './server-child.js';

let storeStats: (() => { transactions: number; units: number } | undefined) | null = null;

async function start(spec: SqsServerSpec): Promise<StartedServer> {
  if (spec.kind === 'stratus') {
    const stratus = await startStratus({
      host: '127.0.0.1',
      port: 0,
      inMemory: false,
      dataDir: spec.dataDir,
      durability: spec.durability,
      store: spec.store ?? null,
      ...(spec.gatewayAccountThrottle ? { gatewayAccountThrottle: spec.gatewayAccountThrottle } : {}),
      logLevel: 'error',
    });
    const store = stratus.runtime.store as unknown as { stats?: { transactions: number; units: number } };
    storeStats = () => (store.stats ? { ...store.stats } : undefined);
    return { url: stratus.url, port: stratus.port, stop: () => stratus.stop() };
  }
  const answers = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  for (const [target, answer] of Object.entries(spec.answers)) {
    const headers: Record<string, string> = {};
    for (const [name, value] of answer.headers) headers[name] = value;
    answers.set(target, { status: answer.status, headers, body: Buffer.from(answer.body, 'base64') });
  }
  const server: Server = createServer({ keepAliveTimeout: spec.keepAliveTimeoutMs }, (req, res) => {
    req.on('data', noop);
    req.on('end', () => {
      const answer = answers.get(String(req.headers['x-amz-target']));
      if (!answer) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"not canned"}');
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  const { port, stop } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, port, stop };
}

function noop(): void {}

serveChild(start, () => ({ store: storeStats?.() }));
