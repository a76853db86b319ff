import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingCall, OutgoingAnswer } from '../../../server/dispatcher.js';
import type { GatewayContext } from '../context.js';
import type { WebSocketPlane } from '../front-door.js';
import type { InvokeTarget } from '../invoke-url.js';

/** WebSocket APIs: connections, routes, and the `@connections` management API. */
export class WebSocketApis implements WebSocketPlane {
  constructor(private readonly ctx: GatewayContext) {}

  upgrade(target: InvokeTarget, request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    void this.ctx;
    void target;
    void request;
    void socket;
    void head;
    return false;
  }

  manage(call: IncomingCall, path: string): OutgoingAnswer {
    void call;
    void path;
    return { status: 404, headers: {}, body: '' };
  }

  async close(): Promise<void> {}
}
