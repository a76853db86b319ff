/**
 * A local HTTP server standing in for an SNS HTTP/S subscriber: it records every request (path,
 * headers, body, arrival time) and answers each path with the status a test sets (200 unless
 * told otherwise). What a subscriber does with what it got — confirming through the SubscribeURL,
 * verifying signatures — is up to the test.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request had arrived whole. */
  at: number;
}

export class HttpSubscriber {
  readonly received: ReceivedRequest[] = [];
  /** The status each path answers (200 unless set). */
  readonly statuses = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
        res.statusCode = this.statuses.get(req.url ?? '') ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The requests made to `path` so far. */
  to(path: string): ReceivedRequest[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The requests made to `path` once there are `count` of them. */
  async requestsTo(path: string, count: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(path);
      if (found.length >= count) return found;
      assert.ok(Date.now() < deadline, `expected ${count} request(s) to ${path}, got ${found.length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
