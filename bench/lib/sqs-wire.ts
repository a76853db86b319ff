/**
 * A deliberately small SQS client for the benchmarks: hand-built AWS JSON 1.0 requests
 * (`X-Amz-Target: AmazonSQS.*`, a SigV4-shaped Authorization header with a fixed signature —
 * Stratus does not check signatures by default, the bare server never does) over keep-alive
 * node:net sockets, one request in flight per connection, responses framed by Content-Length.
 * It parses no more of a response than the benchmark needs, so that its own CPU cost per call
 * stays far below the server's (the SDK's would hide Stratus's: see the `sdk` run).
 */
import { connect, type Socket } from 'node:net';

const AMZ_DATE = '20260101T120000Z';
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, ' +
  'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

export type SqsAction =
  | 'SendMessage'
  | 'SendMessageBatch'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'DeleteMessageBatch'
  | 'GetQueueUrl'
  | 'GetQueueAttributes'
  | 'CreateQueue';

/** Builds complete request bytes for one server: the head up to Content-Length is made once per action. */
export class SqsRequests {
  private readonly heads = new Map<string, string>();

  constructor(private readonly host: string) {}

  build(action: SqsAction, body: string): Buffer {
    let head = this.heads.get(action);
    if (head === undefined) {
      head =
        `POST / HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/x-amz-json-1.0\r\n` +
        `X-Amz-Target: AmazonSQS.${action}\r\nx-amzn-query-mode: true\r\nX-Amz-Date: ${AMZ_DATE}\r\n` +
        `Authorization: ${AUTHORIZATION}\r\nConnection: keep-alive\r\nContent-Length: `;
      this.heads.set(action, head);
    }
    const length = Buffer.byteLength(body, 'utf8');
    const buf = Buffer.allocUnsafe(Buffer.byteLength(head, 'latin1') + String(length).length + 4 + length);
    let at = buf.write(head, 0, 'latin1');
    at += buf.write(`${length}\r\n\r\n`, at, 'latin1');
    buf.write(body, at, 'utf8');
    return buf;
  }
}

export interface RawAnswer {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const EMPTY = Buffer.alloc(0);

/** One keep-alive connection; `request` may be called again once the previous answer is in. */
export class RawConnection {
  private readonly socket: Socket;
  private pending: Buffer = EMPTY;
  private expected = -1;
  private status = 0;
  private bodyStart = 0;
  private waiter: { resolve: (a: RawAnswer) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly ready: Promise<void>;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static async open(host: string, port: number): Promise<RawConnection> {
    const c = new RawConnection(host, port);
    await c.ready;
    return c;
  }

  request(bytes: Buffer): Promise<RawAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(new Error('one request at a time per connection'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.failure ??= new Error('closed');
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(error);
  }

  private onData(chunk: Buffer): void {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.expected < 0) {
        const end = buf.indexOf(HEADER_END);
        if (end < 0) break;
        const length = CONTENT_LENGTH.exec(buf.toString('latin1', 0, end));
        if (!length) {
          this.fail(new Error('response without Content-Length'));
          this.socket.destroy();
          return;
        }
        this.status = buf[9] * 100 + buf[10] * 10 + buf[11] - 5328; // three ASCII digits ('0' = 48; 48*111 = 5328)
        this.bodyStart = end + 4;
        this.expected = end + 4 + Number(length[1]);
      }
      if (buf.length < this.expected) break;
      const answer: RawAnswer = { status: this.status, body: buf.subarray(this.bodyStart, this.expected) };
      buf = buf.length === this.expected ? EMPTY : buf.subarray(this.expected);
      this.expected = -1;
      const w = this.waiter;
      this.waiter = null;
      if (w) w.resolve(answer);
      else this.fail(new Error('unsolicited response'));
    }
    this.pending = buf;
  }
}

/** The receipt handles of a ReceiveMessage answer (the only body the throughput loop parses). */
export function receiptHandles(body: Buffer): string[] {
  const parsed = JSON.parse(body.toString('utf8')) as { Messages?: { ReceiptHandle: string }[] };
  const messages = parsed.Messages;
  if (!messages) return [];
  const out = new Array<string>(messages.length);
  for (let i = 0; i < messages.length; i++) out[i] = messages[i].ReceiptHandle;
  return out;
}

const FAILURE_MARK = Buffer.from('"Code"');

/** Entries a batch answer reports as failed (they carry a Code; successful ones never do). */
export function batchFailures(body: Buffer): number {
  if (body.indexOf(FAILURE_MARK) < 0) return 0;
  const parsed = JSON.parse(body.toString('utf8')) as { Failed?: unknown[] };
  return parsed.Failed?.length ?? 0;
}

/** JSON string literal for text known to need no escaping (ids, receipt handles, URLs we made). */
export const quoted = (text: string): string => `"${text}"`;
