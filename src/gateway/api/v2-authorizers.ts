import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredAuthorizer } from '../model/http-api.js';
import type { CreateAuthorizerRequest, UpdateAuthorizerRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { assignDefined, changeApi, defined, notFoundOf, page, readApi, v2Ids } from './v2-common.js';
import { lambdaArnOf } from '../engine/http/lambda-arn.js';

const AUTHORIZER_MEMBERS = [
  'AuthorizerCredentialsArn',
  'AuthorizerPayloadFormatVersion',
  'AuthorizerResultTtlInSeconds',
  'AuthorizerType',
  'AuthorizerUri',
  'EnableSimpleResponses',
  'IdentitySource',
  'IdentityValidationExpression',
  'JwtConfiguration',
  'Name',
] as const;

/** An HTTP API's identity sources: `$request.header.x`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. */
const HTTP_IDENTITY = /^\$(request\.(header|querystring)|context|stageVariables)\.[^\s,]+$/;
/** A WebSocket API's: `route.request.header.x`, `route.request.querystring.x`, `stageVariables.x`, `context.x`. */
const WEBSOCKET_IDENTITY = /^(route\.request\.(header|querystring)|stageVariables|context)\.[^\s,]+$/;
/** JWT: "Currently only header-based and query parameter-based selections are supported". */
const JWT_IDENTITY = /^\$request\.(header|querystring)\.[^\s,]+$/;

function checkAuthorizer(doc: HttpApiDocument, a: StoredAuthorizer): void {
  const http = doc.api.ProtocolType === 'HTTP';
  const sources = a.IdentitySource ?? [];
  if (a.AuthorizerType === 'JWT') {
    if (!http) throw gatewayErrors.badRequest('JWT authorizers are supported only for HTTP APIs');
    const jwt = a.JwtConfiguration;
    if (jwt?.Issuer === undefined || jwt.Issuer === '') throw gatewayErrors.badRequest('JwtConfiguration with an Issuer is required for JWT authorizers');
    if (!/^https?:\/\/[^\s/]+/i.test(jwt.Issuer)) throw gatewayErrors.badRequest(`Invalid issuer ${jwt.Issuer}: specify the issuer's URL`);
    if (jwt.Audience === undefined || jwt.Audience.length === 0) throw gatewayErrors.badRequest('JwtConfiguration Audience must have at least one entry');
    if (sources.length !== 1 || !JWT_IDENTITY.test(sources[0])) {
      throw gatewayErrors.badRequest('A JWT authorizer takes a single identity source in a header or query string, such as $request.header.Authorization');
    }
    for (const m of ['AuthorizerUri', 'AuthorizerPayloadFormatVersion', 'EnableSimpleResponses', 'AuthorizerCredentialsArn'] as const) {
      if (a[m] !== undefined) throw gatewayErrors.badRequest(`${m} is supported only for REQUEST authorizers`);
    }
    if (a.AuthorizerResultTtlInSeconds !== undefined && a.AuthorizerResultTtlInSeconds !== 0) throw gatewayErrors.badRequest('AuthorizerResultTtlInSeconds is supported only for Lambda authorizers');
    return;
  }
  if (a.JwtConfiguration !== undefined) throw gatewayErrors.badRequest('JwtConfiguration is supported only for JWT authorizers');
  if (a.AuthorizerUri === undefined) throw gatewayErrors.badRequest('AuthorizerUri is required for REQUEST authorizers');
  if (lambdaArnOf(a.AuthorizerUri) === undefined) throw gatewayErrors.badRequest(`Invalid authorizer URI ${a.AuthorizerUri}: specify a Lambda function invocation URI`);
  if (http) {
    // CreateAuthorizer: "AuthorizerPayloadFormatVersion … Supported values are 1.0 and 2.0. Required for HTTP API Lambda authorizers."
    if (a.AuthorizerPayloadFormatVersion !== '1.0' && a.AuthorizerPayloadFormatVersion !== '2.0') {
      throw gatewayErrors.badRequest('AuthorizerPayloadFormatVersion is required for HTTP API Lambda authorizers: 1.0 or 2.0');
    }
    if (a.EnableSimpleResponses === true && a.AuthorizerPayloadFormatVersion !== '2.0') throw gatewayErrors.badRequest('Simple responses are supported only with AuthorizerPayloadFormatVersion 2.0');
    // "If caching is enabled, you must specify at least one identity source" (Working with AWS Lambda authorizers for HTTP APIs).
    if ((a.AuthorizerResultTtlInSeconds ?? 0) > 0 && sources.length === 0) throw gatewayErrors.badRequest('An identity source is required when authorizer caching is enabled');
    for (const s of sources) if (!HTTP_IDENTITY.test(s)) throw gatewayErrors.badRequest(`Invalid identity source ${s}`);
  } else {
    for (const m of ['AuthorizerPayloadFormatVersion', 'EnableSimpleResponses', 'AuthorizerResultTtlInSeconds'] as const) {
      if (a[m] !== undefined) throw gatewayErrors.badRequest(`${m} is supported only for HTTP APIs`);
    }
    for (const s of sources) if (!WEBSOCKET_IDENTITY.test(s)) throw gatewayErrors.badRequest(`Invalid identity source ${s}`);
  }
}

export function authorizerActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateAuthorizer', (input: CreateAuthorizerRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const authorizer: StoredAuthorizer = defined({
          AuthorizerCredentialsArn: input.AuthorizerCredentialsArn,
          AuthorizerId: v2Ids.authorizer(),
          AuthorizerPayloadFormatVersion: input.AuthorizerPayloadFormatVersion,
          AuthorizerResultTtlInSeconds: input.AuthorizerResultTtlInSeconds,
          AuthorizerType: input.AuthorizerType,
          AuthorizerUri: input.AuthorizerUri,
          EnableSimpleResponses: input.EnableSimpleResponses,
          IdentitySource: input.IdentitySource,
          IdentityValidationExpression: input.IdentityValidationExpression,
          JwtConfiguration: input.JwtConfiguration,
          Name: input.Name,
        });
        checkAuthorizer(doc, authorizer);
        // An HTTP API Lambda authorizer without a TTL does not cache; AWS shows 0 then.
        if (authorizer.AuthorizerType === 'REQUEST' && doc.api.ProtocolType === 'HTTP') authorizer.AuthorizerResultTtlInSeconds ??= 0;
        if (authorizer.AuthorizerType === 'REQUEST' && doc.api.ProtocolType === 'HTTP') authorizer.EnableSimpleResponses ??= false;
        // "You can create up to 10 authorizers per API" (API Gateway quotas for HTTP and WebSocket APIs).
        if (Object.keys(doc.authorizers).length >= 10) throw gatewayErrors.badRequest('The maximum number of authorizers for this API has been reached (10)');
        doc.authorizers[authorizer.AuthorizerId] = authorizer;
        return { body: doc, result: authorizer };
      }),
    ),

    restAction(shapes, 'GetAuthorizer', (input: { ApiId: string; AuthorizerId: string }, ctx) => authorizerOf(readApi(gw, ctx, input.ApiId), input.AuthorizerId)),

    restAction(shapes, 'GetAuthorizers', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const items = Object.values(readApi(gw, ctx, input.ApiId).authorizers).sort((a, b) => a.Name.localeCompare(b.Name) || a.AuthorizerId.localeCompare(b.AuthorizerId));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateAuthorizer', (input: UpdateAuthorizerRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const authorizer = authorizerOf(doc, input.AuthorizerId);
        const wasType = authorizer.AuthorizerType;
        assignDefined(authorizer, input as Partial<StoredAuthorizer>, AUTHORIZER_MEMBERS);
        if (wasType !== authorizer.AuthorizerType && Object.values(doc.routes).some((r) => r.AuthorizerId === authorizer.AuthorizerId)) {
          throw gatewayErrors.conflict(`Authorizer ${authorizer.AuthorizerId} is used by routes: its type cannot change`);
        }
        checkAuthorizer(doc, authorizer);
        return { body: doc, result: authorizer };
      }),
    ),

    restAction(shapes, 'DeleteAuthorizer', async (input: { ApiId: string; AuthorizerId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        authorizerOf(doc, input.AuthorizerId);
        const user = Object.values(doc.routes).find((r) => r.AuthorizerId === input.AuthorizerId);
        if (user !== undefined) throw gatewayErrors.conflict(`Authorizer ${input.AuthorizerId} is used by route ${user.RouteKey}; detach it first`);
        delete doc.authorizers[input.AuthorizerId];
        return { body: doc, result: undefined };
      });
      return {};
    }),
  ];
}

function authorizerOf(doc: HttpApiDocument, authorizerId: string): StoredAuthorizer {
  const authorizer = doc.authorizers[authorizerId];
  if (authorizer === undefined) throw notFoundOf('Authorizer', authorizerId);
  return authorizer;
}
