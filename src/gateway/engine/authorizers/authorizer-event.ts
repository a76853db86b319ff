import type { ApiRequest } from '../../model/http.js';
import { requestView } from './request-view.js';

/**
 * The events a Lambda authorizer receives (API Gateway Developer Guide, "Input to an API Gateway
 * Lambda authorizer"). TOKEN: `{type, authorizationToken, methodArn}`. REQUEST: the method ARN and
 * the request as a Lambda proxy integration sees it (resource, path, httpMethod, headers and
 * multi-value headers, query string parameters, path parameters, stage variables, requestContext).
 */
export function tokenEvent(token: string, methodArn: string): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

export interface RequestEventInput {
  methodArn: string;
  request: ApiRequest;
  /** The matched resource's path template (`/pets/{id}`). */
  resourcePath: string;
  resourceId: string;
  httpMethod: string;
  apiId: string;
  accountId: string;
  stage: string;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
}

export function requestEvent(input: RequestEventInput): Record<string, unknown> {
  const view = requestView(input.request);
  const some = (o: Record<string, string>) => (Object.keys(o).length > 0 ? o : null);
  return {
    type: 'REQUEST',
    methodArn: input.methodArn,
    resource: input.resourcePath,
    path: requestPath(input.request),
    httpMethod: input.httpMethod,
    headers: view.headers,
    multiValueHeaders: view.multiValueHeaders,
    queryStringParameters: view.queryStringParameters,
    multiValueQueryStringParameters: view.multiValueQueryStringParameters,
    pathParameters: some(input.pathParameters),
    stageVariables: some(input.stageVariables),
    requestContext: requestContext(input),
  };
}

/** The path as the client sent it after the stage, decoded (the proxy event's `path`). */
function requestPath(request: ApiRequest): string {
  try {
    return decodeURIComponent(request.path);
  } catch {
    return request.path;
  }
}

function requestContext(input: RequestEventInput): Record<string, unknown> {
  const { request } = input;
  const header = (name: string): string | null => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(',') : (value ?? null);
  };
  const host = request.host.split(':')[0] ?? request.host;
  const date = new Date(request.receivedAt);
  return {
    resourceId: input.resourceId,
    resourcePath: input.resourcePath,
    httpMethod: input.httpMethod,
    extendedRequestId: request.requestId,
    requestTime: clfTime(date),
    path: request.domain ? request.path : `/${input.stage}${request.path}`,
    accountId: input.accountId,
    protocol: 'HTTP/1.1',
    stage: input.stage,
    domainPrefix: host.split('.')[0] ?? host,
    requestTimeEpoch: request.receivedAt,
    requestId: request.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: request.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: header('user-agent'),
      user: null,
    },
    domainName: host,
    apiId: input.apiId,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `$context.requestTime`: CLF-formatted (`dd/MMM/yyyy:HH:mm:ss +0000`). */
export function clfTime(date: Date): string {
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
