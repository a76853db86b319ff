import { nextRequestId } from '../../../core/request-ids.js';
import type { ServiceError } from '../../../protocol/errors.js';
import type { IncomingCall, OutgoingAnswer } from '../../../server/dispatcher.js';
import { validateStructure } from '../../../protocol/validate.js';
import { gatewayValidationError } from '../../api/action.js';
import { shapes } from '../../api/apigatewaymanagementapi-shapes.js';
import { gatewayErrors } from '../../model/errors.js';
import { apiIdOfHost } from '../invoke-url.js';
import { MESSAGE_PAYLOAD_MAX_BYTES } from './limits.js';

/**
 * The `@connections` management API (botocore apigatewaymanagementapi 2018-11-29, REST-JSON,
 * signed for `execute-api`), as `@aws-sdk/client-apigatewaymanagementapi` calls it:
 * `POST|GET|DELETE /@connections/{connectionId}` after the endpoint's path, which is
 * `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>` on AWS. On Stratus the endpoint
 * may also be the plain Stratus URL, with or without `/<stage>`: connection ids are unique across
 * every API, so the id alone finds its connection.
 *
 * Answers ([D] API Gateway Developer Guide, "Use @connections commands in your backend service";
 * botocore's error shapes):
 * - PostToConnection: 200 once the data is handed to the socket; GoneException 410 for a connection
 *   that is not (or no longer, or not yet — during `$connect`) open; PayloadTooLargeException 413
 *   over 128 KB;
 * - GetConnection: `connectedAt`, `identity {sourceIp, userAgent}`, `lastActiveAt` (ISO-8601, as
 *   the model's timestampFormat says);
 * - DeleteConnection: 204, the connection closes (its `$disconnect` route runs);
 * - an id that is not a connection id at all: BadRequestException `Invalid connectionId: <id>`.
 * AWS answers GoneException with no body (its SDKs report a null message: aws-sdk-java #2200,
 * "GoneException: null"); the error type travels in `x-amzn-ErrorType`, which is what the SDKs read.
 */
export interface ManagedConnection {
  apiId: string;
  stage: string;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | null;
  /** Whether the socket takes messages (false while `$connect` runs and once closing). */
  open(): boolean;
  send(data: Buffer): void;
  /** Closes the connection from the server side (DeleteConnection). */
  disconnect(): void;
}

export interface ConnectionLookup {
  get(connectionId: string): ManagedConnection | undefined;
}

const CONNECTION_ID = /^[A-Za-z0-9_-]{15}=$/;
const PATH = /^(?:\/([^/@][^/]*))?\/@connections\/([^/]*)$/;

function errorAnswer(error: ServiceError, requestId: string, withBody = true): OutgoingAnswer {
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.code, 'x-amzn-RequestId': requestId, 'content-type': 'application/json' };
  return { status: error.status, headers, body: withBody ? JSON.stringify({ message: error.message }) : '' };
}

const gone = (requestId: string): OutgoingAnswer => errorAnswer(gatewayErrors.gone(''), requestId, false);

export function manageConnections(connections: ConnectionLookup, call: IncomingCall, path: string): OutgoingAnswer {
  const requestId = nextRequestId();
  const m = PATH.exec(path);
  const method = call.method.toUpperCase();
  const operation = method === 'POST' ? 'PostToConnection' : method === 'GET' ? 'GetConnection' : method === 'DELETE' ? 'DeleteConnection' : undefined;
  if (!m || operation === undefined) return errorAnswer(gatewayErrors.forbidden('Forbidden'), requestId);
  let connectionId: string;
  try {
    connectionId = decodeURIComponent(m[2]);
  } catch {
    return errorAnswer(gatewayErrors.badRequest(`Invalid connectionId: ${m[2]}`), requestId);
  }
  const input: Record<string, unknown> = connectionId === '' ? {} : { ConnectionId: connectionId };
  // Data travels as the whole body (its `payload` binding); only its presence is checked here.
  if (operation === 'PostToConnection' && call.body.length > 0) input.Data = '';
  const { issues } = validateStructure(shapes[operation].input, input, 'json');
  const missing = issues.filter((i) => i.kind === 'required');
  if (missing.length > 0) return errorAnswer(gatewayValidationError(missing), requestId);
  if (!CONNECTION_ID.test(connectionId)) return errorAnswer(gatewayErrors.badRequest(`Invalid connectionId: ${connectionId}`), requestId);
  if (operation === 'PostToConnection' && call.body.length > MESSAGE_PAYLOAD_MAX_BYTES) {
    return errorAnswer(gatewayErrors.payloadTooLarge('The data has exceeded the maximum size allowed.'), requestId);
  }
  const connection = connections.get(connectionId);
  // An endpoint that names an API (its host) or a stage (on such a host) reaches only that API's
  // and stage's connections, as each endpoint does on AWS.
  const hostApi = apiIdOfHost(String(call.headers.host ?? ''));
  if (connection === undefined || (hostApi !== undefined && (connection.apiId !== hostApi || (m[1] !== undefined && connection.stage !== m[1])))) return gone(requestId);
  if (!connection.open()) return gone(requestId);
  switch (operation) {
    case 'PostToConnection':
      connection.send(call.body);
      return { status: 200, headers: { 'x-amzn-RequestId': requestId, 'content-type': 'application/json' }, body: '{}' };
    case 'GetConnection':
      return {
        status: 200,
        headers: { 'x-amzn-RequestId': requestId, 'content-type': 'application/json' },
        body: JSON.stringify({
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? '' },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        }),
      };
    case 'DeleteConnection':
      connection.disconnect();
      return { status: 204, headers: { 'x-amzn-RequestId': requestId }, body: '' };
  }
}
