import { header, headerValues, isTextBody, joinedQuery, queryParameters, requestTime, type HttpRequestView } from './request-view.js';

/** What an authorizer established about the caller, as events and `$context.authorizer` show it. */
export type AuthorizerIdentity =
  | { kind: 'jwt'; claims: Record<string, string>; scopes: string[] | null }
  | { kind: 'lambda'; context: Record<string, unknown>; principalId?: string }
  | { kind: 'iam'; iam: Record<string, unknown> };

function bodyOf(view: HttpRequestView): { body?: string; isBase64Encoded: boolean } {
  if (view.body.length === 0) return { isBase64Encoded: false };
  if (isTextBody(header(view, 'content-type'), view.body)) return { body: view.body.toString('utf8'), isBase64Encoded: false };
  return { body: view.body.toString('base64'), isBase64Encoded: true };
}

/** Payload format 2.0 headers: lower-case names, repeated values joined by commas, cookies apart. */
function headersV2(view: HttpRequestView): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of view.headers) {
    if (name === 'cookie') {
      for (const c of value.split(';')) if (c.trim() !== '') cookies.push(c.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

function authorizerV2(authorizer: AuthorizerIdentity | undefined): Record<string, unknown> | undefined {
  if (authorizer === undefined) return undefined;
  if (authorizer.kind === 'jwt') return { jwt: { claims: authorizer.claims, scopes: authorizer.scopes } };
  if (authorizer.kind === 'lambda') return { lambda: authorizer.context };
  return { iam: authorizer.iam };
}

function clientCertOf(view: HttpRequestView): Record<string, unknown> | undefined {
  const cert = view.context.clientCert;
  return cert === undefined ? undefined : { clientCert: { ...cert, validity: { ...cert.validity } } };
}

/**
 * The Lambda proxy event of payload format version 2.0 ("Working with AWS Lambda proxy
 * integrations for HTTP APIs"): members without a value (cookies, queryStringParameters,
 * pathParameters, stageVariables, body) are left out, as AWS leaves them.
 */
export function eventV2(view: HttpRequestView, authorizer?: AuthorizerIdentity): Record<string, unknown> {
  const { headers, cookies } = headersV2(view);
  const query = joinedQuery(view.rawQuery);
  const { body, isBase64Encoded } = bodyOf(view);
  const c = view.context;
  const requestContext: Record<string, unknown> = {
    accountId: c.accountId,
    apiId: c.apiId,
    ...(clientCertOf(view) !== undefined ? { authentication: clientCertOf(view) } : {}),
    ...(authorizerV2(authorizer) !== undefined ? { authorizer: authorizerV2(authorizer) } : {}),
    domainName: c.domainName,
    domainPrefix: c.domainPrefix,
    http: { method: view.method, path: view.rawPath, protocol: c.protocol, sourceIp: c.sourceIp, userAgent: c.userAgent },
    requestId: c.requestId,
    routeKey: view.routeKey,
    stage: c.stage,
    time: requestTime(c.timeEpoch),
    timeEpoch: c.timeEpoch,
  };
  const event: Record<string, unknown> = { version: '2.0', routeKey: view.routeKey, rawPath: view.rawPath, rawQueryString: view.rawQuery };
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = headers;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  event.requestContext = requestContext;
  if (body !== undefined) event.body = body;
  if (Object.keys(view.pathParameters).length > 0) event.pathParameters = view.pathParameters;
  event.isBase64Encoded = isBase64Encoded;
  if (Object.keys(view.stageVariables).length > 0) event.stageVariables = view.stageVariables;
  return event;
}

/** The route's resource path for payload 1.0 (`/pets/{id}`; `$default` for the default route). */
function resourceOf(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  return space < 0 ? routeKey : routeKey.slice(space + 1);
}

function authorizerV1(authorizer: AuthorizerIdentity | undefined): Record<string, unknown> | undefined {
  if (authorizer === undefined) return undefined;
  if (authorizer.kind === 'jwt') return { claims: authorizer.claims, scopes: authorizer.scopes };
  if (authorizer.kind === 'lambda') return { ...authorizer.context, ...(authorizer.principalId !== undefined ? { principalId: authorizer.principalId } : {}), integrationLatency: 0 };
  return { iam: authorizer.iam };
}

/**
 * The Lambda proxy event of payload format version 1.0 for an HTTP API: REST's shape (`resource`,
 * `path`, `httpMethod`, single- and multi-value headers and query, `requestContext` with
 * `identity`), with `version: "1.0"`; absent maps are null.
 */
export function eventV1(view: HttpRequestView, authorizer?: AuthorizerIdentity): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of view.headers) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of queryParameters(view.rawQuery)) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const { body, isBase64Encoded } = bodyOf(view);
  const c = view.context;
  const resource = resourceOf(view.routeKey);
  const userAgent = headerValues(view, 'user-agent').at(-1) ?? c.userAgent;
  return {
    version: '1.0',
    resource,
    path: view.fullPath,
    httpMethod: view.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    requestContext: {
      accountId: c.accountId,
      apiId: c.apiId,
      ...(authorizerV1(authorizer) !== undefined ? { authorizer: authorizerV1(authorizer) } : {}),
      domainName: c.domainName,
      domainPrefix: c.domainPrefix,
      extendedRequestId: c.requestId,
      httpMethod: view.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAmr: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: c.sourceIp,
        user: null,
        userAgent,
        userArn: null,
        ...(c.clientCert !== undefined ? { clientCert: { ...c.clientCert } } : {}),
      },
      path: view.fullPath,
      protocol: c.protocol,
      requestId: c.requestId,
      requestTime: requestTime(c.timeEpoch),
      requestTimeEpoch: c.timeEpoch,
      resourceId: view.routeKey,
      resourcePath: resource,
      stage: c.stage,
    },
    pathParameters: Object.keys(view.pathParameters).length > 0 ? view.pathParameters : null,
    stageVariables: Object.keys(view.stageVariables).length > 0 ? view.stageVariables : null,
    body: body ?? null,
    isBase64Encoded,
  };
}
