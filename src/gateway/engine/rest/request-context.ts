import type { ApiRequest } from '../../model/http.js';

/**
 * `$context` of a REST API request, as mapping templates, gateway responses and access logs read
 * it and as the Lambda proxy event's `requestContext` carries it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 */
export interface RequestContextInput {
  request: ApiRequest;
  accountId: string;
  apiId: string;
  stage: string;
  deploymentId: string;
  httpMethod: string;
  resourceId: string;
  resourcePath: string;
  /** The request's own path after the stage (leading slashes kept: `requestContext.path` shows them). */
  extendedRequestId: string;
  identity: Record<string, unknown>;
  authorizer?: Record<string, unknown>;
}

/** `requestContext.identity`: every member AWS sends, null when unknown (recorded in lambda-proxy-events). */
export function identityOf(request: ApiRequest, established: Record<string, string | null> | undefined): Record<string, unknown> {
  const userAgent = headerOf(request, 'user-agent');
  const identity: Record<string, unknown> = {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: userAgent ?? null,
    userArn: null,
    ...(established ?? {}),
  };
  if (request.clientCert) identity.clientCert = { ...request.clientCert };
  return identity;
}

function headerOf(request: ApiRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** `$context.requestTime`: CLF time, `06/Dec/2026:02:35:01 +0000`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The domain name and its prefix (the first label) the request was sent to. */
export function domainOf(request: ApiRequest): { domainName: string; domainPrefix: string } {
  const domainName = request.domain?.domainName ?? request.host.replace(/:\d+$/, '');
  return { domainName, domainPrefix: domainName.split('.')[0] };
}

/** The proxy event's `requestContext` (and the base of `$context`). */
export function buildRequestContext(input: RequestContextInput): Record<string, unknown> {
  const { request } = input;
  const { domainName, domainPrefix } = domainOf(request);
  const context: Record<string, unknown> = {
    resourceId: input.resourceId,
    resourcePath: input.resourcePath,
    httpMethod: input.httpMethod,
    extendedRequestId: input.extendedRequestId,
    requestTime: clfTime(request.receivedAt),
    path: requestContextPath(request, input.stage),
    accountId: input.accountId,
    protocol: 'HTTP/1.1',
    stage: input.stage,
    domainPrefix,
    requestTimeEpoch: request.receivedAt,
    requestId: request.requestId,
    identity: input.identity,
    domainName,
    deploymentId: input.deploymentId,
    apiId: input.apiId,
  };
  if (input.authorizer !== undefined) context.authorizer = input.authorizer;
  return context;
}

/**
 * `requestContext.path`: the path as the client sent it, stage included (`/stage//proxy-value`:
 * recorded). Through a custom domain it is the domain's path (base path included).
 */
export function requestContextPath(request: ApiRequest, stage: string): string {
  if (request.domain) {
    const base = request.domain.basePath && request.domain.basePath !== '(none)' ? `/${request.domain.basePath}` : '';
    return `${base}${request.path}`;
  }
  return `/${stage}${request.path}`;
}
