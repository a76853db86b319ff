import type { WebSocket } from 'ws';
import type { ConnectionFacts } from './events.js';
import { CONNECTION_DURATION_MS, FRAME_MAX_BYTES, IDLE_TIMEOUT_MS } from './limits.js';
import type { ManagedConnection } from './management.js';

/**
 * One open connection: its socket, what its events say about it, and the two clocks AWS runs on
 * every connection (idle 10 minutes, at most 2 hours: limits.ts). Ends once; `onEnd` then runs
 * with the close code and reason its `$disconnect` event reports.
 */
export class LiveConnection implements ManagedConnection {
  lastActiveAt: number;
  private ended = false;
  private readonly idle: NodeJS.Timeout;
  private readonly lifetime: NodeJS.Timeout;
  /** Set when the server closes the socket, so the `$disconnect` event says why. */
  private serverClose: { code: number; reason: string } | undefined;

  constructor(
    readonly facts: ConnectionFacts,
    readonly ws: WebSocket,
    private readonly onEnd: (connection: LiveConnection, code: number, reason: string) => void,
  ) {
    this.lastActiveAt = facts.connectedAt;
    // "Going away" (RFC 6455 1001) is what an endpoint sends when it ends a connection for reasons of its own.
    this.idle = setTimeout(() => this.close(1001, 'Going away'), IDLE_TIMEOUT_MS).unref();
    this.lifetime = setTimeout(() => this.close(1001, 'Going away'), CONNECTION_DURATION_MS).unref();
    ws.on('close', (code, reason) => this.end(code, reason.toString('utf8')));
    ws.on('error', () => {
      // A protocol error (a frame over the limit: 1009) closes the socket; 'close' follows.
    });
  }

  get apiId(): string {
    return this.facts.apiId;
  }
  get stage(): string {
    return this.facts.stage;
  }
  get connectedAt(): number {
    return this.facts.connectedAt;
  }
  get sourceIp(): string {
    return this.facts.sourceIp;
  }
  get userAgent(): string | null {
    return this.facts.userAgent;
  }

  open(): boolean {
    return !this.ended && this.ws.readyState === this.ws.OPEN;
  }

  /** A message from the client: the connection is active (AWS's idle clock counts client messages). */
  touched(at: number): void {
    this.lastActiveAt = at;
    this.idle.refresh();
  }

  /**
   * Sends a message in frames of at most 32 KB: text when it is valid UTF-8 (what `@connections`
   * and route responses carry as a rule), binary otherwise.
   */
  send(data: Buffer | string): void {
    if (!this.open()) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const binary = typeof data !== 'string' && !isUtf8(bytes);
    if (bytes.length <= FRAME_MAX_BYTES) {
      this.ws.send(bytes, { binary });
      return;
    }
    for (let at = 0; at < bytes.length; at += FRAME_MAX_BYTES) {
      this.ws.send(bytes.subarray(at, at + FRAME_MAX_BYTES), { binary, fin: at + FRAME_MAX_BYTES >= bytes.length });
    }
  }

  disconnect(): void {
    this.close(1000, '');
  }

  /** Closes from the server side; the socket is dropped if the client does not answer the close within a second. */
  close(code: number, reason: string): void {
    if (this.ended || this.serverClose) return;
    this.serverClose = { code, reason };
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    setTimeout(() => {
      if (!this.ended) this.ws.terminate();
    }, 1000).unref();
  }

  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idle);
    clearTimeout(this.lifetime);
    const told = this.serverClose ?? { code, reason: reason || closeReason(code) };
    this.onEnd(this, told.code, told.reason);
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The reason `$disconnect` reports when the client gave none. */
export function closeReason(code: number): string {
  switch (code) {
    case 1000:
      return 'Normal closure';
    case 1001:
      return 'Going away';
    case 1005:
      return 'Client-side close frame status not set';
    case 1006:
      return 'Connection closed abnormally';
    case 1009:
      return 'Message too big';
    default:
      return '';
  }
}
