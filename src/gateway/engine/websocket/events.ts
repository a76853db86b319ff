/**
 * What WebSocket API integrations receive, built from plain data (the plane gathers it):
 * - the Lambda proxy event of each event type ([D] API Gateway Developer Guide, "Manage connected
 *   users and client apps: $connect and $disconnect routes" and the WebSocket `$context` variables
 *   table; the `requestContext` members are those API Gateway sends: routeKey, messageId,
 *   eventType, extendedRequestId, requestTime, messageDirection, stage, connectedAt,
 *   requestTimeEpoch, identity, requestId, domainName, connectionId, apiId, and
 *   disconnectStatusCode/disconnectReason on `$disconnect`);
 * - the input of a Lambda REQUEST authorizer on `$connect` ([D] "Control access to WebSocket APIs
 *   with AWS Lambda REQUEST authorizers": `type`, `methodArn` ending in `$connect`, headers,
 *   query string, stage variables, requestContext);
 * - `$context` for mapping templates.
 */

/** What a connection is, from its handshake on. */
export interface ConnectionFacts {
  connectionId: string;
  apiId: string;
  accountId: string;
  region: string;
  stage: string;
  /** The Host the client used (see plane.ts for why). */
  domainName: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string | null;
  /** `requestContext.authorizer`: the Lambda authorizer's principalId and context, when one ran. */
  authorizer?: Record<string, unknown>;
}

/** The handshake request, as the client sent it. */
export interface HandshakeRequest {
  /** `[name, value, …]` in the order sent. */
  rawHeaders: readonly string[];
  /** Query string pairs in order. */
  query: readonly (readonly [string, string])[];
}

/** One event's own ids and time. */
export interface EventStamp {
  requestId: string;
  extendedRequestId: string;
  /** Epoch milliseconds. */
  at: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `requestTime` as API Gateway writes it: `13/Dec/2020:10:17:47 +0000` (CLF format, UTC). */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `requestContext.identity`: the REST-style identity object, only the source IP and user agent known (no IAM caller on a WebSocket route). */
export function identityOf(facts: ConnectionFacts): Record<string, string | null> {
  return {
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    principalOrgId: null,
    cognitoAuthenticationType: null,
    userArn: null,
    userAgent: facts.userAgent,
    accountId: null,
    caller: null,
    sourceIp: facts.sourceIp,
    accessKey: null,
    cognitoAuthenticationProvider: null,
    user: null,
  };
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

function requestContext(facts: ConnectionFacts, routeKey: string, eventType: EventType, stamp: EventStamp, messageId: string | null): Record<string, unknown> {
  const context: Record<string, unknown> = {
    routeKey,
    messageId,
    eventType,
    extendedRequestId: stamp.extendedRequestId,
    requestTime: requestTime(stamp.at),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: stamp.at,
    identity: identityOf(facts),
    requestId: stamp.requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
  if (facts.authorizer !== undefined) context.authorizer = facts.authorizer;
  return context;
}

/** Headers as the proxy event carries them: the last value of each name, and every value by name (names as sent). */
export function headerMaps(rawHeaders: readonly string[]): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** The query string as the proxy event carries it: absent when there is none. */
export function queryMaps(query: HandshakeRequest['query']): { queryStringParameters?: Record<string, string>; multiValueQueryStringParameters?: Record<string, string[]> } {
  if (query.length === 0) return {};
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of query) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

function withStageVariables(event: Record<string, unknown>, stageVariables: Record<string, string> | undefined): Record<string, unknown> {
  if (stageVariables && Object.keys(stageVariables).length > 0) event.stageVariables = stageVariables;
  return event;
}

export function connectEvent(facts: ConnectionFacts, handshake: HandshakeRequest, stamp: EventStamp, stageVariables?: Record<string, string>): Record<string, unknown> {
  return withStageVariables(
    {
      ...headerMaps(handshake.rawHeaders),
      ...queryMaps(handshake.query),
      requestContext: requestContext(facts, '$connect', 'CONNECT', stamp, null),
      isBase64Encoded: false,
    },
    stageVariables,
  );
}

export function messageEvent(
  facts: ConnectionFacts,
  routeKey: string,
  body: string,
  messageId: string,
  stamp: EventStamp,
  stageVariables?: Record<string, string>,
): Record<string, unknown> {
  return withStageVariables({ requestContext: requestContext(facts, routeKey, 'MESSAGE', stamp, messageId), body, isBase64Encoded: false }, stageVariables);
}

export function disconnectEvent(
  facts: ConnectionFacts,
  closeCode: number,
  closeReason: string,
  stamp: EventStamp,
  stageVariables?: Record<string, string>,
): Record<string, unknown> {
  // AWS sends a few headers of the handshake's connection on $disconnect, not the handshake's own.
  const headers = { Host: facts.domainName, 'X-Forwarded-For': facts.sourceIp };
  const context = requestContext(facts, '$disconnect', 'DISCONNECT', stamp, null);
  context.disconnectStatusCode = closeCode;
  context.disconnectReason = closeReason;
  return withStageVariables(
    {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      requestContext: context,
      isBase64Encoded: false,
    },
    stageVariables,
  );
}

/** `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<route-key>`: what an authorizer's policy must allow. */
export function routeArn(facts: Pick<ConnectionFacts, 'region' | 'accountId' | 'apiId' | 'stage'>, routeKey: string): string {
  return `arn:aws:execute-api:${facts.region}:${facts.accountId}:${facts.apiId}/${facts.stage}/${routeKey}`;
}

export function authorizerEvent(facts: ConnectionFacts, handshake: HandshakeRequest, stamp: EventStamp, stageVariables?: Record<string, string>): Record<string, unknown> {
  return {
    type: 'REQUEST',
    methodArn: routeArn(facts, '$connect'),
    ...headerMaps(handshake.rawHeaders),
    ...queryMaps(handshake.query),
    stageVariables: stageVariables ?? {},
    requestContext: requestContext({ ...facts, authorizer: undefined }, '$connect', 'CONNECT', stamp, null),
  };
}

/** `$context` of a mapping template on a WebSocket route ([D] "WebSocket API mapping template reference" `$context` variables). */
export function templateContext(
  facts: ConnectionFacts,
  routeKey: string,
  eventType: EventType,
  stamp: EventStamp,
  messageId: string | null,
): Record<string, unknown> {
  return {
    ...requestContext(facts, routeKey, eventType, stamp, messageId),
    identity: { sourceIp: facts.sourceIp, userAgent: facts.userAgent ?? '' },
    authorizer: facts.authorizer ?? {},
  };
}
