/**
 * Child-process entry for a server under test: `fork('dist/bench/lib/server.js')`, then send
 * `{ type: 'start', spec }`. Answers `ready` with its URL, reports its own CPU time on `cpu`,
 * and on `stop` (or when the runner goes away) shuts down and exits — exiting normally is what
 * makes `--cpu-prof` write its profile.
 */
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './listen.js';
import { startStratus, type RunningStratus } from '../../src/server/stratus.js';
import { benchModule } from './bench-service.js';
import type { FromServer, ServerSpec, ToServer } from './protocol.js';

const send = (message: FromServer): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

let stopper: (() => Promise<void>) | null = null;

async function start(spec: ServerSpec): Promise<void> {
  if (spec.kind === 'stratus') {
    const stratus: RunningStratus = await startStratus({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error' }, { services: [benchModule] });
    stopper = () => stratus.stop();
    await send({ type: 'ready', url: stratus.url, port: stratus.port });
    return;
  }
  // The baseline: answer every request with the given bytes after reading the request to its end.
  const body = Buffer.from(spec.body, 'base64');
  const headers: Record<string, string> = {};
  for (const [name, value] of spec.headers) headers[name] = value;
  const { status } = spec;
  const server: Server = createServer({ keepAliveTimeout: spec.keepAliveTimeoutMs }, (req, res) => {
    req.on('data', noop);
    req.on('end', () => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  const { port, stop: stopServer } = await listenOnLoopback(server);
  stopper = stopServer;
  await send({ type: 'ready', url: `http://127.0.0.1:${port}`, port });
}

function noop(): void {}

async function stop(code: number): Promise<never> {
  try {
    await stopper?.();
  } finally {
    process.exit(code);
  }
}

process.on('message', (message: ToServer) => {
  switch (message.type) {
    case 'start':
      start(message.spec).catch(async (error: unknown) => {
        await send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        process.exit(1);
      });
      break;
    case 'cpu': {
      const usage = process.cpuUsage();
      void send({ type: 'cpu', user: usage.user, system: usage.system, at: performance.now() });
      break;
    }
    case 'stop':
      void stop(0);
      break;
  }
});
process.on('disconnect', () => void stop(0));
