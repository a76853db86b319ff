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
import type { ServerSpec } from './protocol.js';
import { serveChild, type StartedServer } from './server-child.js';

async function start(spec: ServerSpec): Promise<StartedServer> {
  if (spec.kind === 'stratus') {
    const stratus: RunningStratus = await startStratus({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error' }, { services: [benchModule] });
    return { url: stratus.url, port: stratus.port, stop: () => stratus.stop() };
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
  const { port, stop } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, port, stop };
}

function noop(): void {}

serveChild(start);
