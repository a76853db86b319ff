import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a baseline server on a free loopback port; gives its port and a stop that drops connections. */
export async function listenOnLoopback(server: Server): Promise<{ port: number; stop: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { port: (server.address() as AddressInfo).port, stop };
}
