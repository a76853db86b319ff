import { createServer as createHttpServer, validateHeaderValue, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/**
 * The Lambda Runtime API (version 2018-06-01) that runtimes inside execution environments talk to.
 *
 * Endpoints (Lambda Developer Guide, "Using the Lambda runtime API for custom runtimes"):
 * - `GET  /2018-06-01/runtime/invocation/next` — held open until an invocation is available; the
 *   body is the event, the headers `Lambda-Runtime-Aws-Request-Id`, `Lambda-Runtime-Deadline-Ms`
 *   (Unix ms), `Lambda-Runtime-Invoked-Function-Arn`, `Lambda-Runtime-Trace-Id`, and when given
 *   `Lambda-Runtime-Client-Context` / `Lambda-Runtime-Cognito-Identity`.
 * - `POST /2018-06-01/runtime/invocation/{AwsRequestId}/response` — 202 on success; a body over
 *   the synchronous limit gets 413 (the caller then sees `Function.ResponseSizeTooLarge`).
 * - `POST /2018-06-01/runtime/invocation/{AwsRequestId}/error` — error document in the body,
 *   optional `Lambda-Runtime-Function-Error-Type` header; 202.
 * - `POST /2018-06-01/runtime/init/error` — same shape, for a failed initialization; 202.
 * Unknown request ids get 400 `InvalidRequestID`; anything else 404.
 *
 * Which environment is calling: runtimes build URLs as `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/…`,
 * so the variable must be a bare `host:port` (a path prefix breaks runtimes that parse it as host
 * and port, like the Go and Rust clients). Each environment therefore gets its own loopback port:
 * a tiny `net` listener that hands its connections to ONE shared HTTP server, which tells the
 * environment by the socket the request arrived on. One parser, one set of routes, and a listener
 * costs a file descriptor. (Identifying the caller by its process, from the socket's peer port
 * through /proc, would be Linux-only and racy.)
 */

export const RUNTIME_API_PREFIX = '/2018-06-01/runtime';

/**
 * A synchronous invoke answers at most 6 MB; AWS enforces 6291556 bytes (recorded error: "Response
 * payload size (9706999 bytes) exceeded maximum allowed payload size (6291556 bytes)", errorType
 * Function.ResponseSizeTooLarge; umihico/pythonista-chromeless#11, DataBiosphere/azul#8258).
 */
export const MAX_RESPONSE_BYTES = 6291556;
/** Error documents are small; cap what is buffered from a misbehaving runtime. */
const MAX_ERROR_BYTES = MAX_RESPONSE_BYTES;

export interface NextInvocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
  payload: Buffer;
}

export type RuntimeApiReply = { status: 202 } | { status: 400 | 403 | 413 | 500; errorType: string; errorMessage: string };

/** What an execution environment answers to its runtime. */
export interface RuntimeApiClient {
  /** A runtime asks for work; call `deliver` now or later (the request is held). */
  next(deliver: (invocation: NextInvocation) => void, aborted: () => boolean): void;
  response(requestId: string, body: Buffer): RuntimeApiReply;
  /** The body exceeded MAX_RESPONSE_BYTES; `size` is what the runtime sent. */
  responseTooLarge(requestId: string, size: number): RuntimeApiReply;
  error(requestId: string, body: Buffer, errorType: string | undefined): RuntimeApiReply;
  initError(body: Buffer, errorType: string | undefined): RuntimeApiReply;
}

export interface RuntimeApiListener {
  port: number;
  /** The value of AWS_LAMBDA_RUNTIME_API. */
  address: string;
  close(): void;
}

export class RuntimeApiServer {
  private readonly http: HttpServer;
  private readonly clients = new WeakMap<Socket, RuntimeApiClient>();
  private readonly listeners = new Set<NetServer>();

  constructor() {
    this.http = createHttpServer({ keepAlive: true }, (req, res) => this.route(req, res));
    // A /next request is held as long as the environment is idle: no timeouts on it.
    this.http.requestTimeout = 0;
    this.http.headersTimeout = 0;
    this.http.timeout = 0;
    this.http.keepAliveTimeout = 0;
  }

  /** Opens a loopback port whose requests all belong to `client`. */
  async listen(client: RuntimeApiClient): Promise<RuntimeApiListener> {
    const sockets = new Set<Socket>();
    const server = createNetServer((socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      this.clients.set(socket, client);
      this.http.emit('connection', socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    this.listeners.add(server);
    const port = (server.address() as { port: number }).port;
    return {
      port,
      address: `127.0.0.1:${port}`,
      close: () => {
        this.listeners.delete(server);
        server.close();
        for (const socket of sockets) socket.destroy();
      },
    };
  }

  close(): void {
    for (const server of this.listeners) server.close();
    this.listeners.clear();
    this.http.close();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const client = this.clients.get(req.socket);
    const url = req.url ?? '';
    if (!client || !url.startsWith(RUNTIME_API_PREFIX)) return notFound(req, res);
    const path = url.slice(RUNTIME_API_PREFIX.length).split('?')[0]!;
    if (req.method === 'GET' && path === '/invocation/next') return this.next(client, req, res);
    if (req.method === 'POST' && path === '/init/error') {
      return readBody(req, MAX_ERROR_BYTES, (body) => reply(res, body ? client.initError(body, errorTypeHeader(req)) : tooLarge()));
    }
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && match) {
      const requestId = decodeId(match[1]!);
      if (requestId === undefined) {
        req.resume();
        return reply(res, { status: 400, errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${match[1]}` });
      }
      if (match[2] === 'response') {
        return readBody(req, MAX_RESPONSE_BYTES, (body, size) =>
          reply(res, body ? client.response(requestId, body) : client.responseTooLarge(requestId, size)),
        );
      }
      return readBody(req, MAX_ERROR_BYTES, (body) => reply(res, body ? client.error(requestId, body, errorTypeHeader(req)) : tooLarge()));
    }
    notFound(req, res);
  }

  private next(client: RuntimeApiClient, req: IncomingMessage, res: ServerResponse): void {
    let done = false;
    const aborted = (): boolean => done || res.destroyed || req.socket.destroyed;
    res.once('close', () => void (done = true));
    req.resume();
    client.next((invocation) => {
      if (aborted()) return;
      done = true;
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/json',
        'Content-Length': invocation.payload.length,
        'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
        'Lambda-Runtime-Deadline-Ms': String(invocation.deadlineMs),
        'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
      };
      // What an invocation carries comes from callers: a value no HTTP header can hold is left
      // out rather than allowed to throw here, inside the HTTP server, where nothing would catch it.
      if (headerSafe(invocation.traceId)) headers['Lambda-Runtime-Trace-Id'] = invocation.traceId;
      if (headerSafe(invocation.clientContext)) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
      if (headerSafe(invocation.cognitoIdentity)) headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
      try {
        res.writeHead(200, headers);
        res.end(invocation.payload);
      } catch {
        // Only the fixed headers are left (request id and ARN come from Stratus): the runtime
        // loses its /next connection and the invocation ends as a runtime failure.
        res.destroy();
      }
    }, aborted);
  }
}

function headerSafe(value: string | undefined): value is string {
  if (!value) return false;
  try {
    validateHeaderValue('x', value);
    return true;
  } catch {
    return false;
  }
}

/** The request id of a /response or /error path, or undefined when it is not valid percent-encoding. */
function decodeId(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function errorTypeHeader(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-runtime-function-error-type'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Reads a body up to `limit` bytes; past it, drains the rest and calls back with `undefined`. */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined, size: number) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.once('end', () => done(size <= limit ? Buffer.concat(chunks, size) : undefined, size));
  req.once('error', () => {
    /* the runtime went away; nothing to answer */
  });
}

function tooLarge(): RuntimeApiReply {
  return { status: 413, errorType: 'RequestEntityTooLarge', errorMessage: 'The error document is too large.' };
}

function reply(res: ServerResponse, r: RuntimeApiReply): void {
  if (res.destroyed) return;
  const body = r.status === 202 ? '{"status":"OK"}' : JSON.stringify({ errorMessage: r.errorMessage, errorType: r.errorType });
  res.writeHead(r.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const body = JSON.stringify({ errorMessage: `No route for ${req.method} ${req.url}`, errorType: 'NotFound' });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
