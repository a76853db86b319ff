import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingCall, OutgoingAnswer } from '../../../server/dispatcher.js';
import type { Integration, Route } from '../../api/apigatewayv2-shapes.js';
import type { HttpApiDocument, HttpApiSnapshot, HttpDeploymentDocument } from '../../model/http-api.js';
import type { StoredDocument } from '../documents.js';
import type { GatewayContext } from '../context.js';
import { normaliseIp, type WebSocketPlane } from '../front-door.js';
import { routeLimits, TokenBucket } from '../http/token-bucket.js';
import type { InvokeTarget } from '../invoke-url.js';
import { authorize } from './authorizer.js';
import { LiveConnection } from './connection.js';
import {
  authorizerEvent,
  connectEvent,
  disconnectEvent,
  messageEvent,
  routeArn,
  templateContext,
  type ConnectionFacts,
  type EventStamp,
  type HandshakeRequest,
} from './events.js';
import { webSocketId } from './ids.js';
import { runIntegration, type IntegrationOutcome } from './integration.js';
import { MESSAGE_PAYLOAD_MAX_BYTES } from './limits.js';
import { manageConnections } from './management.js';
import { evaluateSelectionExpression, selectRouteKey } from './selection.js';

/** What a stage serves: its deployment's snapshot of the API. */
interface Deployed {
  doc: StoredDocument<HttpApiDocument>;
  stage: HttpApiDocument['stages'][string];
  stageVariables: Record<string, string>;
  snapshot: HttpApiSnapshot;
}

/** How long stopping waits for `$disconnect` integrations (best effort, as on AWS). */
const DISCONNECT_GRACE_MS = 5000;

/**
 * WebSocket APIs ([D] API Gateway Developer Guide, "WebSocket APIs in API Gateway"): connections at
 * `ws://<api-id>.execute-api.<host>/<stage>` (or `/restapis/<id>/<stage>/_user_request_/`), served
 * from the stage's current deployment; `$connect` (with its Lambda REQUEST authorizer) runs before
 * the handshake completes, messages take the route their RouteSelectionExpression selects,
 * `$disconnect` runs once the socket has closed; and the `@connections` management API.
 *
 * `requestContext.domainName` is the Host header the client connected with, port included
 * (`abc123.execute-api.localhost:4566`, or `127.0.0.1:4566` on the `/restapis/…` path): a
 * function that builds its management endpoint as `http://${domainName}/${stage}` reaches this
 * Stratus (AWS's `https://…` does not: Stratus's port speaks plain HTTP; functions also have
 * AWS_ENDPOINT_URL, and `${AWS_ENDPOINT_URL}/${stage}` works on any host).
 *
 * Connections live in this process: in a cluster only the leader takes upgrades (followers refuse
 * them, server/http-front.ts) and followers forward `@connections` calls to it.
 */
export class WebSocketApis implements WebSocketPlane {
  private readonly server: WebSocketServer;
  private readonly connections = new Map<string, LiveConnection>();
  /** Handshakes waiting for `$connect`: their sockets are dropped if the server stops meanwhile. */
  private readonly pending = new Set<Duplex>();
  /** What a `$connect` Lambda answered for the handshake's response (Sec-WebSocket-Protocol …). */
  private readonly handshakeHeaders = new WeakMap<IncomingMessage, Record<string, string>>();
  /** `$disconnect` integrations under way. */
  private readonly disconnecting = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;
  /** Token buckets by api, stage and route key (stage route settings' throttling). */
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly ctx: GatewayContext) {
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      // A message over 128 KB closes the connection with 1009, as AWS does (limits.ts).
      maxPayload: MESSAGE_PAYLOAD_MAX_BYTES,
      perMessageDeflate: false,
      // A subprotocol is agreed only if the `$connect` integration answered one
      // ([D] "Set up a $connect route that requires a WebSocket subprotocol").
      handleProtocols: (protocols, request) => {
        const chosen = headerValue(this.handshakeHeaders.get(request), 'sec-websocket-protocol');
        return chosen !== undefined && protocols.has(chosen) ? chosen : false;
      },
    });
    // Buckets follow their API's settings: a changed or deleted API starts afresh.
    ctx.documents.onChange((change) => {
      if (change.kind !== 'v2api') return;
      for (const key of [...this.buckets.keys()]) if (key.startsWith(`${change.id}\u0000`)) this.buckets.delete(key);
    });
    this.server.on('headers', (headers, request) => {
      for (const [name, value] of Object.entries(this.handshakeHeaders.get(request) ?? {})) {
        if (/^(sec-websocket-|upgrade$|connection$|content-length$)/i.test(name) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(value)) continue;
        headers.push(`${name}: ${value}`);
      }
    });
  }

  upgrade(target: InvokeTarget, request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const doc = this.ctx.documents.find<HttpApiDocument>('v2api', target.apiId);
    if (doc === undefined || doc.body.api.ProtocolType !== 'WEBSOCKET') return false;
    this.pending.add(socket);
    this.handshake(doc, target, request, socket, head)
      .catch((error: unknown) => {
        this.ctx.runtime.log.error('WebSocket handshake failed', { error });
        refuse(socket, 500, { message: 'Internal server error' });
      })
      .finally(() => this.pending.delete(socket));
    return true;
  }

  manage(call: IncomingCall, path: string): OutgoingAnswer {
    return manageConnections(this.connections, call, path);
  }

  /** Ends every connection (1001 Going away) and waits, a bounded time, for their `$disconnect` integrations. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      for (const socket of this.pending) socket.destroy();
      const ended = [...this.connections.values()].map((c) => new Promise<void>((resolve) => (c.ws.readyState === c.ws.CLOSED ? resolve() : c.ws.once('close', () => resolve()))));
      for (const connection of this.connections.values()) connection.close(1001, 'Going away');
      await Promise.all(ended);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.disconnecting]), new Promise<void>((r) => (timer = setTimeout(r, DISCONNECT_GRACE_MS)))]);
      clearTimeout(timer);
      this.server.close();
    })());
  }

  /** The stage's deployment, or undefined when the stage does not exist or was never deployed. */
  private deployed(doc: StoredDocument<HttpApiDocument>, stageName: string | undefined): Deployed | undefined {
    // A document in memory is never mutated (documents.ts): read the current one.
    const current = this.ctx.documents.find<HttpApiDocument>('v2api', doc.body.api.ApiId) ?? doc;
    const stage = stageName === undefined ? undefined : current.body.stages[stageName];
    if (stage?.DeploymentId === undefined) return undefined;
    const deployment = this.ctx.documents.get<HttpDeploymentDocument>('v2deployment', current, `${current.body.api.ApiId}/${stage.DeploymentId}`);
    if (deployment === undefined) return undefined;
    return { doc: current, stage, stageVariables: stage.StageVariables ?? {}, snapshot: deployment.snapshot };
  }

  private async handshake(doc: StoredDocument<HttpApiDocument>, target: InvokeTarget, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.closing) return refuse(socket, 503, { message: 'Service Unavailable' });
    // The connection URL is the stage's root; nothing after it.
    const deployed = target.path === '/' || target.path === '' ? this.deployed(doc, target.stage) : undefined;
    if (deployed === undefined) return refuse(socket, 403, { message: 'Forbidden' });
    // DisableExecuteApiEndpoint: "clients can invoke your API only by using a custom domain name";
    // like every API setting it takes effect with a deployment. (This door is the execute-api one.)
    if (deployed.snapshot.api.DisableExecuteApiEndpoint === true) return refuse(socket, 403, { message: 'Forbidden' });
    if (!isWebSocketHandshake(request)) return refuse(socket, 400, undefined);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handshake: HandshakeRequest = { rawHeaders: request.rawHeaders, query: [...url.searchParams.entries()] };
    const now = Date.now();
    const facts: ConnectionFacts = {
      connectionId: webSocketId(),
      apiId: doc.body.api.ApiId,
      accountId: doc.accountId,
      region: doc.region,
      stage: target.stage!,
      domainName: request.headers.host ?? '',
      connectedAt: now,
      sourceIp: normaliseIp(request.socket.remoteAddress),
      userAgent: request.headers['user-agent'] ?? null,
    };
    let left = false;
    socket.once('close', () => (left = true));
    const connectRoute = routeByKey(deployed.snapshot, '$connect');
    if (!this.admitted(deployed, '$connect')) return refuse(socket, 429, { message: 'Too Many Requests' });
    const headers = lowerCaseHeaders(request.rawHeaders);
    const query = Object.fromEntries(handshake.query);

    if (connectRoute?.AuthorizationType === 'CUSTOM' && connectRoute.AuthorizerId !== undefined) {
      const authorizer = deployed.snapshot.authorizers[connectRoute.AuthorizerId];
      const stamp = this.stamp();
      const context = templateContext(facts, '$connect', 'CONNECT', stamp, null);
      const outcome =
        authorizer === undefined
          ? ({ ok: false, status: 500, message: 'Internal Server Error' } as const)
          : await authorize(this.ctx, {
              accountId: facts.accountId,
              region: facts.region,
              apiId: facts.apiId,
              authorizer,
              headers,
              query,
              stageVariables: deployed.stageVariables,
              context,
              event: authorizerEvent(facts, handshake, stamp, deployed.stageVariables),
              routeArn: routeArn(facts, '$connect'),
            });
      if (!outcome.ok) return refuse(socket, outcome.status, { message: outcome.message });
      facts.authorizer = outcome.authorizer;
    }

    let answerHeaders: Record<string, string> = {};
    const integration = connectRoute === undefined ? undefined : integrationOf(deployed.snapshot, connectRoute);
    if (connectRoute !== undefined && integration !== undefined) {
      const stamp = this.stamp();
      const outcome = await this.integrate(deployed, integration, facts, '$connect', 'CONNECT', stamp, null, undefined, connectEvent(facts, handshake, stamp, deployed.stageVariables), headers, query);
      // [D] "Manage connected users and client apps": the handshake waits for the `$connect`
      // integration and fails if it fails. A function error answers 502; a Lambda proxy answer's
      // statusCode outside 2xx is the handshake's status ([D] "Set up a $connect route that
      // requires a WebSocket subprotocol": a 400 from the function, "Unexpected server response: 400").
      if (outcome.kind === 'failure') {
        this.ctx.runtime.log.debug('WebSocket $connect integration failed', { apiId: facts.apiId, reason: outcome.reason });
        return refuse(socket, 502, { message: 'Internal server error' });
      }
      if ((integration.IntegrationType === 'AWS_PROXY' || integration.IntegrationType === 'HTTP_PROXY') && (outcome.status < 200 || outcome.status > 299)) {
        return refuse(socket, outcome.status, typeof outcome.body === 'string' ? outcome.body : undefined);
      }
      answerHeaders = outcome.headers;
    }
    if (left || !socket.writable) return;
    if (this.closing) return refuse(socket, 503, { message: 'Service Unavailable' });
    this.handshakeHeaders.set(request, answerHeaders);
    this.server.handleUpgrade(request, socket, head, (ws) => this.opened(ws, facts));
  }

  private opened(ws: WebSocket, facts: ConnectionFacts): void {
    const connection = new LiveConnection(facts, ws, (c, code, reason) => this.ended(c, code, reason));
    this.connections.set(facts.connectionId, connection);
    if (this.closing) connection.close(1001, 'Going away');
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const at = Date.now();
      connection.touched(at);
      if (isBinary) {
        // [D] "Work with binary media types for WebSocket APIs": "API Gateway WebSocket APIs don't
        // currently support binary frames in incoming message payloads. If a client app sends a
        // binary frame, API Gateway rejects it and disconnects the client with code 1003."
        connection.close(1003, 'Binary frames are not supported');
        return;
      }
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.message(connection, text).catch((error: unknown) => {
        this.ctx.runtime.log.error('WebSocket message failed', { error });
      });
    });
  }

  private async message(connection: LiveConnection, body: string): Promise<void> {
    const facts = connection.facts;
    const stamp = this.stamp();
    // The API or its stage may have been deleted since the handshake: nothing then routes the message.
    const doc = this.ctx.documents.find<HttpApiDocument>('v2api', facts.apiId);
    const deployed = doc === undefined ? undefined : this.deployed(doc, facts.stage);
    const snapshot = deployed?.snapshot;
    const keys = new Set(Object.values(snapshot?.routes ?? {}).map((r) => r.RouteKey));
    const routeKey = deployed === undefined ? undefined : selectRouteKey(keys, snapshot!.api.RouteSelectionExpression, body);
    if (deployed === undefined || routeKey === undefined) {
      connection.send(errorFrame('Forbidden', facts.connectionId, stamp.requestId));
      return;
    }
    const route = routeByKey(deployed.snapshot, routeKey)!;
    // A throttled message is answered as API Gateway answers a message it cannot route or run.
    if (!this.admitted(deployed, routeKey)) {
      connection.send(errorFrame('Too Many Requests', facts.connectionId, stamp.requestId));
      return;
    }
    const integration = integrationOf(deployed.snapshot, route);
    if (integration === undefined) {
      connection.send(errorFrame('Internal server error', facts.connectionId, stamp.requestId));
      return;
    }
    const messageId = webSocketId();
    const outcome = await this.integrate(deployed, integration, facts, routeKey, 'MESSAGE', stamp, messageId, body, messageEvent(facts, routeKey, body, messageId, stamp, deployed.stageVariables), {}, {});
    if (outcome.kind === 'failure') {
      this.ctx.runtime.log.debug('WebSocket integration failed', { apiId: facts.apiId, routeKey, reason: outcome.reason });
      connection.send(errorFrame('Internal server error', facts.connectionId, stamp.requestId));
      return;
    }
    if (twoWay(deployed.snapshot, route) && outcome.body !== undefined) connection.send(outcome.body);
  }

  /** After the socket closed: the `$disconnect` route, best effort ([D] "$disconnect is a best-effort event"). */
  private ended(connection: LiveConnection, code: number, reason: string): void {
    const facts = connection.facts;
    this.connections.delete(facts.connectionId);
    const doc = this.ctx.documents.find<HttpApiDocument>('v2api', facts.apiId);
    const deployed = doc === undefined ? undefined : this.deployed(doc, facts.stage);
    const route = deployed === undefined ? undefined : routeByKey(deployed.snapshot, '$disconnect');
    const integration = route === undefined ? undefined : integrationOf(deployed!.snapshot, route);
    if (deployed === undefined || integration === undefined) return;
    const stamp = this.stamp();
    const run = this.integrate(deployed, integration, facts, '$disconnect', 'DISCONNECT', stamp, null, undefined, disconnectEvent(facts, code, reason, stamp, deployed.stageVariables), {}, {})
      .then((outcome) => {
        if (outcome.kind === 'failure') this.ctx.runtime.log.debug('WebSocket $disconnect integration failed', { apiId: facts.apiId, reason: outcome.reason });
      })
      .catch(() => undefined)
      .finally(() => this.disconnecting.delete(run));
    this.disconnecting.add(run);
  }

  private integrate(
    deployed: Deployed,
    integration: Integration & { IntegrationId: string },
    facts: ConnectionFacts,
    routeKey: string,
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
    stamp: EventStamp,
    messageId: string | null,
    body: string | undefined,
    proxyEvent: Record<string, unknown>,
    headers: Record<string, string>,
    query: Record<string, string>,
  ): Promise<IntegrationOutcome> {
    return runIntegration(this.ctx, {
      accountId: facts.accountId,
      region: facts.region,
      apiId: facts.apiId,
      integration,
      responses: (deployed.snapshot.integrationResponses[integration.IntegrationId] ?? {}) as Record<string, never>,
      proxyEvent,
      body,
      context: templateContext(facts, routeKey, eventType, stamp, messageId),
      stageVariables: deployed.stageVariables,
      scope: { headers, querystring: query },
    });
  }

  /**
   * Whether a route's throttling lets one more request through ([D] "Protect your WebSocket API":
   * stage-level DefaultRouteSettings and per-route RouteSettings, ThrottlingBurstLimit and
   * ThrottlingRateLimit, a token bucket as for HTTP APIs).
   */
  private admitted(deployed: Deployed, routeKey: string): boolean {
    const limits = routeLimits(deployed.stage.DefaultRouteSettings, deployed.stage.RouteSettings?.[routeKey]);
    if (limits === undefined) return true;
    const key = `${deployed.doc.body.api.ApiId}\u0000${deployed.stage.StageName}\u0000${routeKey}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined || bucket.rate !== limits.rate || bucket.burst !== limits.burst) {
      bucket = new TokenBucket(limits.rate, limits.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  private stamp(): EventStamp {
    return { requestId: webSocketId(), extendedRequestId: webSocketId(), at: Date.now() };
  }
}

function routeByKey(snapshot: HttpApiSnapshot, key: string): (Route & { RouteId: string }) | undefined {
  for (const route of Object.values(snapshot.routes)) if (route.RouteKey === key) return route;
  return undefined;
}

/** The integration a route targets (`integrations/<id>`). */
function integrationOf(snapshot: HttpApiSnapshot, route: Route): (Integration & { IntegrationId: string }) | undefined {
  const m = /^integrations\/(.+)$/.exec(route.Target ?? '');
  return m ? snapshot.integrations[m[1]] : undefined;
}

/**
 * Whether the integration's answer goes back to the client ([D] "Set up route responses for
 * WebSocket APIs": "API Gateway will not pass the backend response through to the route response,
 * unless you set up a route response"; only the `$default` route response exists on WebSocket
 * APIs): the route has a route response whose key its RouteResponseSelectionExpression selects
 * (`$default` when it has none), or a RouteResponseSelectionExpression (what the console's "Enable
 * two-way communication" sets).
 */
function twoWay(snapshot: HttpApiSnapshot, route: Route & { RouteId: string }): boolean {
  const responses = Object.values(snapshot.routeResponses[route.RouteId] ?? {});
  const expression = route.RouteResponseSelectionExpression;
  if (expression) {
    const selected = evaluateSelectionExpression(expression, {});
    return responses.length === 0 || responses.some((r) => r.RouteResponseKey === (selected.ok ? selected.value : '$default'));
  }
  return responses.some((r) => r.RouteResponseKey === '$default');
}

/** API Gateway's error message to a client (`{"message": "Forbidden", "connectionId":"…", "requestId":"…"}`, spacing as AWS writes it). */
export function errorFrame(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

function lowerCaseHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i].toLowerCase()] = raw[i + 1];
  return out;
}

/** What `ws` checks of a handshake, checked before `$connect` runs (a request it would refuse never reaches an integration). */
function isWebSocketHandshake(request: IncomingMessage): boolean {
  const key = request.headers['sec-websocket-key'];
  const version = Number(request.headers['sec-websocket-version']);
  return (
    request.method === 'GET' &&
    String(request.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof key === 'string' &&
    /^[+/0-9A-Za-z]{22}==$/.test(key) &&
    (version === 8 || version === 13)
  );
}

/** Ends a handshake with an HTTP answer (JSON `{"message"}` for API Gateway's own refusals, the integration's body for its). */
function refuse(socket: Duplex, status: number, body: { message: string } | string | undefined): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = text === '' ? '' : typeof body === 'string' ? '' : 'Content-Type: application/json\r\n';
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
