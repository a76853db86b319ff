import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SlotSet } from '../core/slot-set.js';
import { commonErrors } from '../protocol/errors.js';
import { statusHasNoBody } from '../protocol/http-status.js';
import type { Dispatcher, OutgoingAnswer } from './dispatcher.js';
import type { Logger } from './log.js';
import type { ServiceTable } from './services.js';

export interface InternalRoutes {
  /** Answers `/_stratus/...` requests, and those of the paths `serves` claims; `query` is the text after `?`. */
  handle(method: string, path: string, query?: string): OutgoingAnswer | Promise<OutgoingAnswer>;
  /** Paths outside `/_stratus/` answered here rather than by a service (the SNS signing certificate). */
  serves?(path: string): boolean;
}

/**
 * The one HTTP port: reads each request body (bounded), hands it to the dispatcher, writes
 * the answer. Shutting down stops accepting, aborts long polls so they answer at once,
 * and waits for the requests in flight.
 */
export class HttpFront {
  private readonly server: Server;
  /** Requests being answered (a SlotSet, not a Set: see slot-set.ts for what a churning Set costs). */
  private readonly inFlight = new SlotSet<RequestLifetime>();
  private idle: (() => void) | null = null;
  private closing = false;
  /**
   * Set while this node follows (cluster/forwarder.ts): every request but its own health and info
   * is sent to the leader instead of being dispatched here.
   */
  forward: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly internal: InternalRoutes,
    private readonly maxBodyBytes: number,
    private readonly log: Logger,
    /** The modules that claim requests (API Gateway): WebSocket handshakes go to them. */
    private readonly table?: ServiceTable,
  ) {
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (error, socket) => {
      // Unparseable HTTP: answer 400 if the socket can still take it, never crash.
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
      this.log.debug('client error', { error: (error as Error).message });
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, ends long polls, and resolves once every in-flight request has answered. */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    for (const lifetime of this.inFlight.values()) lifetime.abort();
    if (this.inFlight.size > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    this.server.closeAllConnections();
    // Upgraded sockets (WebSocket connections) are no longer node:http's: their doors end them.
    await Promise.all((this.table?.claims ?? []).map((claim) => claim.door?.endUpgrades?.()));
    await closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    if (this.forward !== null && !/^\/_stratus\/(?:health|info)(?:\?|$)/.test(url)) return this.forward(req, res);
    if (url.startsWith('/_stratus/') || this.internal.serves?.(url.split('?')[0])) {
      req.resume();
      const q = url.indexOf('?');
      const answer = this.internal.handle(req.method ?? 'GET', q < 0 ? url : url.slice(0, q), q < 0 ? '' : url.slice(q + 1));
      if (!(answer instanceof Promise)) return this.write(res, answer);
      answer.then(
        (a) => this.write(res, a),
        (error: unknown) => {
          this.log.error('internal route failed', { error });
          res.destroy();
        },
      );
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBodyBytes) {
      this.reject(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        this.reject(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      const host = req.headers.host ?? `${this.server.address() && (this.server.address() as AddressInfo).address}`;
      const lifetime = new RequestLifetime(res);
      if (this.closing) lifetime.abort();
      lifetime.slot = this.inFlight.add(lifetime);
      const answer = this.dispatcher.dispatch({
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        lifetime,
        endpoint: `http://${host}`,
        rawHeaders: req.rawHeaders,
        remoteAddress: req.socket.remoteAddress,
      });
      if (answer instanceof Promise) {
        answer.then(
          (a) => this.answered(req, res, lifetime, a),
          (error: unknown) => {
            this.log.error('dispatch failed', { error });
            res.destroy();
            this.settled(lifetime);
          },
        );
      } else this.answered(req, res, lifetime, answer);
    });
  }

  /** A WebSocket handshake: the module that claims its host and path takes the socket; nothing else upgrades. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const claim = this.closing || this.forward !== null ? undefined : this.table?.claimFor(req.headers.host ?? '', q < 0 ? url : url.slice(0, q));
    if (claim === undefined) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upgrade = (): void => {
      if (claim.door?.upgrade) claim.door.upgrade(req, socket, head);
      else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    };
    if (claim.door) return upgrade();
    const pending = this.table?.pending.get(claim.module);
    if (pending === undefined) return upgrade();
    pending.load().then(upgrade, (error: unknown) => {
      this.log.error('could not create the service for an upgrade', { error });
      socket.destroy();
    });
  }

  private answered(req: IncomingMessage, res: ServerResponse, lifetime: RequestLifetime, answer: OutgoingAnswer): void {
    this.write(res, answer, req);
    this.settled(lifetime);
  }

  private settled(lifetime: RequestLifetime): void {
    this.inFlight.delete(lifetime.slot, lifetime);
    if (this.inFlight.size === 0 && this.idle) this.idle();
  }

  /** A body over the limit, refused unread in the protocol the request's headers, scope and path call for. */
  private reject(req: IncomingMessage, res: ServerResponse): void {
    const refused = this.dispatcher.refuse(req.method ?? 'GET', req.url ?? '/', req.headers, commonErrors.requestTooLarge(this.maxBodyBytes));
    // The rest of the body is not read: the connection cannot carry another request.
    res.shouldKeepAlive = false;
    req.resume();
    const send = (answer: OutgoingAnswer): void =>
      this.write(res, { ...answer, headers: Array.isArray(answer.headers) ? [...answer.headers, 'connection', 'close'] : { ...answer.headers, connection: 'close' } });
    if (refused instanceof Promise) refused.then(send, () => res.destroy());
    else send(refused);
  }

  /** Writes an answer; `req`, when given, lets a failure to write it be answered in the request's protocol. */
  private write(res: ServerResponse, answer: OutgoingAnswer, req?: IncomingMessage): void {
    if (res.writableEnded || res.destroyed) return;
    // A string body goes to res.end as it is: node:http then writes head and body as one string.
    // An answer whose status carries no body (a 204) sends none, and declares no length.
    const bodyless = statusHasNoBody(answer.status);
    const body = bodyless ? '' : answer.body;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    let headers: Record<string, string | number> | string[];
    if (Array.isArray(answer.headers)) {
      // A flat list goes to node:http as it is (no object to build, no keys to walk).
      headers = answer.headers;
      if (!bodyless) headers.push('content-length', String(length));
      if (this.closing) headers.push('connection', 'close');
    } else {
      headers = bodyless ? { ...answer.headers } : { ...answer.headers, 'content-length': length };
      if (this.closing) headers.connection = 'close';
    }
    try {
      res.writeHead(answer.status, headers);
      res.end(body);
    } catch (error) {
      // A header value a handler built from user input can be invalid; never take the process down.
      this.log.error('could not write response', { error });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (req !== undefined) {
        // The request's service has answered once, so it is created: the refusal is synchronous.
        const failure = this.dispatcher.refuse(req.method ?? 'GET', req.url ?? '/', req.headers, commonErrors.internalFailure(), true);
        // (write never throws: a failure to write this one ends in the bare 500 below, one level down.)
        if (!(failure instanceof Promise)) {
          this.write(res, failure);
          return;
        }
      }
      res.writeHead(500, { 'content-length': 0 });
      res.end();
    }
  }
}

/**
 * Whether a request is still wanted. Its AbortSignal is made only when a handler asks for one
 * (a long poll): building an AbortController for every request costs more than a whole
 * trivial action (bench/request-overhead).
 */
export class RequestLifetime {
  private controller: AbortController | null = null;
  private aborted = false;
  /** Its slot in the front's set of requests in flight. */
  slot = -1;

  constructor(private readonly res: ServerResponse) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // Only a request whose handler waits needs to hear that its client left.
      if (!this.aborted && this.res.destroyed && !this.res.writableFinished) this.aborted = true;
      if (this.aborted) this.controller.abort();
      else this.res.once('close', () => {
        if (!this.res.writableFinished) this.abort();
      });
    }
    return this.controller.signal;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
  }
}
