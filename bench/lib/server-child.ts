/**
 * The child-process side of every bench server (lib/server.ts, lib/sqs-server.ts): waits for
 * `{ type: 'start', spec }`, starts the server, answers `ready` with its URL, reports its CPU
 * time (plus whatever `cpuExtra` adds) on `cpu`, and on `stop` — or when the runner goes away —
 * shuts down and exits. Exiting normally is what makes `--cpu-prof` write its profile.
 */
export interface StartedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type FromChild = { type: 'ready'; url: string; port: number } | { type: 'failed'; error: string } | ({ type: 'cpu'; user: number; system: number; at: number } & Record<string, unknown>);

const send = (message: FromChild): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

export function serveChild<Spec>(start: (spec: Spec) => Promise<StartedServer>, cpuExtra: () => Record<string, unknown> = () => ({})): void {
  let stopper: (() => Promise<void>) | null = null;
  const stop = async (code: number): Promise<never> => {
    try {
      await stopper?.();
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (message: { type: 'start'; spec: Spec } | { type: 'cpu' } | { type: 'stop' }) => {
    switch (message.type) {
      case 'start':
        start(message.spec)
          .then((server) => {
            stopper = () => server.stop();
            return send({ type: 'ready', url: server.url, port: server.port });
          })
          .catch(async (error: unknown) => {
            await send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
            process.exit(1);
          });
        break;
      case 'cpu': {
        const usage = process.cpuUsage();
        void send({ type: 'cpu', user: usage.user, system: usage.system, at: performance.now(), ...cpuExtra() });
        break;
      }
      case 'stop':
        void stop(0);
        break;
    }
  });
  process.on('disconnect', () => void stop(0));
}
