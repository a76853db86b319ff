import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { nextRequestId } from '../../core/request-ids.js';
import type { IncomingCall, OutgoingAnswer } from '../../server/dispatcher.js';
import type { FrontDoor } from '../../server/runtime.js';
import type { ApiRequest, ApiResponse } from '../model/http.js';
import type { GatewayContext } from './context.js';
import { invokeTarget, type InvokeTarget } from './invoke-url.js';

/** A data plane: serves the requests of one API kind once the front door knows which API they name. */
export interface DataPlane {
  /** The answer for a request to an API of its kind, or undefined when the id names none of its APIs. */
  serve(target: InvokeTarget, request: ApiRequest): Promise<ApiResponse> | ApiResponse | undefined;
}

export interface WebSocketPlane {
  /** A handshake for a WebSocket API; false when the id names none. */
  upgrade(target: InvokeTarget, request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The `@connections` management API (PostToConnection, GetConnection, DeleteConnection). */
  manage(call: IncomingCall, path: string): Promise<OutgoingAnswer> | OutgoingAnswer;
  /** Ends every connection (the server is stopping). */
  close(): Promise<void>;
}

const CONNECTIONS = /^(?:\/[^/]+)?\/@connections\//;

/**
 * API Gateway's door on the plain HTTP port: builds an ApiRequest from the call and hands it to
 * the data plane of the API it names (REST, HTTP), or to the WebSocket plane.
 */
export class GatewayFrontDoor implements FrontDoor {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly planes: DataPlane[],
    private readonly webSockets: WebSocketPlane | undefined,
  ) {}

  async serve(call: IncomingCall): Promise<OutgoingAnswer> {
    const q = call.url.indexOf('?');
    const path = q < 0 ? call.url : call.url.slice(0, q);
    if (CONNECTIONS.test(path) && this.webSockets) return this.webSockets.manage(call, path);
    const host = String(call.headers.host ?? '');
    const target = invokeTarget(host, path);
    const request: ApiRequest = {
      method: call.method,
      host,
      path: target?.path ?? path,
      originalPath: path,
      rawQuery: q < 0 ? '' : call.url.slice(q + 1),
      rawHeaders: call.rawHeaders ?? flatHeaders(call.headers),
      headers: call.headers,
      body: call.body,
      sourceIp: normaliseIp(call.remoteAddress),
      receivedAt: Date.now(),
      requestId: nextRequestId(),
      protocol: 'http',
    };
    return toAnswer(await this.answer(target, request));
  }

  /** The answer for a request that named an API (through any door: the custom-domain port calls this too). */
  async answer(target: InvokeTarget | undefined, request: ApiRequest): Promise<ApiResponse> {
    if (target !== undefined) {
      for (const plane of this.planes) {
        const answer = await plane.serve(target, request);
        if (answer !== undefined) return answer;
      }
    }
    // AWS: an invoke URL of an API that does not exist does not resolve; the closest HTTP answer
    // is the one API Gateway gives for a path it does not serve.
    return { status: 403, headers: ['content-type', 'application/json', 'x-amzn-ErrorType', 'ForbiddenException'], body: '{"message":"Forbidden"}' };
  }

  endUpgrades(): Promise<void> {
    return this.webSockets?.close() ?? Promise.resolve();
  }

  /** A WebSocket handshake for an API a custom domain's mapping named; false when it names no WebSocket API. */
  upgradeTo(target: InvokeTarget, request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.webSockets !== undefined && this.webSockets.upgrade(target, request, socket, head);
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const target = invokeTarget(request.headers.host ?? '', q < 0 ? url : url.slice(0, q));
    if (target === undefined || this.webSockets === undefined || !this.webSockets.upgrade(target, request, socket, head)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  }
}

function toAnswer(response: ApiResponse): OutgoingAnswer {
  return { status: response.status, headers: [...response.headers], body: response.body };
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push(name, v);
  }
  return out;
}

/** `::ffff:127.0.0.1` is how node:http names an IPv4 client on a dual-stack socket; API Gateway shows `127.0.0.1`. */
export function normaliseIp(address: string | undefined): string {
  if (address === undefined) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
