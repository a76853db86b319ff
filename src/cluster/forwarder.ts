import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../server/log.js';

/**
 * A follower's front: every request (but its own /_stratus/health and /info) goes to the leader
 * as it came — method, path, headers (Host too, so a SigV4 signature still verifies) and body —
 * and the leader's answer comes back as it went. A long poll is a request like any other: it
 * waits at the leader, and wakes there.
 *
 * A request that could not reach the leader (no leader yet, or a connection refused: the leader
 * died and another is taking over) is sent again once a leader answers, within `failoverMs`; it
 * never reached a leader, so nothing was done twice. A request whose connection broke after it
 * was sent is not sent again — the leader may have acted on it — and is answered 502, which the
 * AWS SDKs retry.
 */
export class Forwarder {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private leader: string | null = null;

  constructor(
    /** Reads the leader's URL from the store (null while no node leads). */
    private readonly lookupLeader: () => Promise<string | null>,
    private readonly log: Logger,
    /** Bodies are held whole (to be sent again after a failover); past this the leader refuses them anyway. */
    private readonly maxBodyBytes: number,
    private readonly failoverMs = 30_000,
  ) {}

  forward(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Over the limit: the leader answers from the headers alone (its own refusal, in the
      // request's protocol), so the rest of the body is not kept.
      if (size <= this.maxBodyBytes) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => void this.send(req, res, size > this.maxBodyBytes ? null : Buffer.concat(chunks), Date.now() + this.failoverMs));
  }

  close(): void {
    this.agent.destroy();
  }

  private async send(req: IncomingMessage, res: ServerResponse, body: Buffer | null, deadline: number): Promise<void> {
    let delay = 20;
    for (;;) {
      if (res.destroyed) return;
      const leader = (this.leader ??= await this.lookupLeader().catch(() => null));
      if (leader !== null) {
        const outcome = await this.attempt(new URL(leader), req, res, body);
        if (outcome === 'done') return;
        // Not reached: the leader is gone; look it up again.
        this.leader = null;
      }
      if (Date.now() >= deadline) {
        this.unavailable(res);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  /** 'done' once an answer (or a failure after sending) was written; 'unreached' if the leader could not be reached. */
  private attempt(leader: URL, req: IncomingMessage, res: ServerResponse, body: Buffer | null): Promise<'done' | 'unreached'> {
    return new Promise((resolve) => {
      // A body over the limit was not kept (null): the leader refuses it from its Content-Length.
      const headers = body === null ? { ...req.headers, 'content-length': String(this.maxBodyBytes + 1) } : { ...req.headers, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const out = request(
        { agent: this.agent, host: leader.hostname, port: leader.port, method: req.method, path: req.url, headers, setHost: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          answer.on('end', () => resolve('done'));
        },
      );
      let sent = false;
      out.on('socket', (socket) => {
        if (!socket.connecting) sent = true;
        else socket.once('connect', () => (sent = true));
      });
      out.on('error', (error: NodeJS.ErrnoException) => {
        // Refused or unreachable before a byte was sent: safe to send again elsewhere.
        if (!sent || error.code === 'ECONNREFUSED') return resolve('unreached');
        this.log.warn('forwarded request failed after it was sent', { error: error.message });
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'The leader node failed while answering.' }));
        else res.destroy();
        resolve('done');
      });
      // The client gave up (an abandoned long poll): the leader's request ends with it.
      res.on('close', () => {
        if (!res.writableFinished) out.destroy();
      });
      out.end(body ?? undefined);
    });
  }

  private unavailable(res: ServerResponse): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ message: 'No Stratus node leads this store right now.' }));
  }
}
