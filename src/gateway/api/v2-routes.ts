import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { conflictingVariable, parseRouteKey, type ParsedRouteKey } from '../engine/http/route-keys.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredRoute, StoredRouteResponse } from '../model/http-api.js';
import type { CreateRouteRequest, CreateRouteResponseRequest, UpdateRouteRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { assignDefined, changeApi, defined, notFoundOf, page, readApi, targetIntegrationId, v2Ids } from './v2-common.js';

const ROUTE_MEMBERS = [
  'ApiKeyRequired',
  'AuthorizationScopes',
  'AuthorizationType',
  'AuthorizerId',
  'ModelSelectionExpression',
  'OperationName',
  'RequestModels',
  'RequestParameters',
  'RouteKey',
  'RouteResponseSelectionExpression',
  'Target',
] as const;

/** Members CreateRoute documents as "Supported only for WebSocket APIs". */
const WEBSOCKET_ONLY = ['ApiKeyRequired', 'ModelSelectionExpression', 'RequestModels', 'RequestParameters', 'RouteResponseSelectionExpression'] as const;

/** A route key the API's protocol accepts, or BadRequestException. */
export function validateRouteKey(key: string, protocol: 'HTTP' | 'WEBSOCKET'): ParsedRouteKey | undefined {
  if (protocol === 'WEBSOCKET') {
    // WebSocket route keys are values of the route selection expression; `$` names the predefined ones.
    if (key.trim() === '') throw gatewayErrors.badRequest('Route key cannot be empty');
    if (key.startsWith('$') && !['$connect', '$disconnect', '$default'].includes(key)) throw gatewayErrors.badRequest(`Invalid route key ${key}: the predefined routes are $connect, $disconnect and $default`);
    return undefined;
  }
  const parsed = parseRouteKey(key);
  if (typeof parsed === 'string') throw gatewayErrors.badRequest(parsed);
  return parsed;
}

function checkRoute(doc: HttpApiDocument, route: StoredRoute, given: Partial<CreateRouteRequest>): void {
  const protocol = doc.api.ProtocolType;
  const parsed = validateRouteKey(route.RouteKey, protocol);
  for (const other of Object.values(doc.routes)) {
    if (other.RouteId === route.RouteId) continue;
    if (other.RouteKey === route.RouteKey) throw gatewayErrors.conflict(`Route with key ${route.RouteKey} already exists for this API`);
    if (parsed !== undefined) {
      const theirs = parseRouteKey(other.RouteKey);
      if (theirs !== undefined && typeof theirs !== 'string' && conflictingVariable(parsed, theirs)) {
        throw gatewayErrors.conflict(`The provided route key "${route.RouteKey}" has a conflicting variable on the same hierarchical level as "${other.RouteKey}"`);
      }
    }
  }
  if (protocol === 'HTTP') {
    for (const m of WEBSOCKET_ONLY) if (given[m] !== undefined && !(m === 'ApiKeyRequired' && given[m] === false)) throw gatewayErrors.badRequest(`${m} is supported only for WebSocket APIs`);
  }
  const integrationId = targetIntegrationId(route.Target);
  if (route.Target !== undefined && integrationId === undefined) throw gatewayErrors.badRequest(`Invalid target ${route.Target}: a route's target is integrations/<integration id>`);
  if (integrationId !== undefined && doc.integrations[integrationId] === undefined) throw notFoundOf('Integration', integrationId);
  const type = route.AuthorizationType ?? 'NONE';
  if (protocol === 'WEBSOCKET' && type === 'JWT') throw gatewayErrors.badRequest('JWT authorization is not supported for WebSocket APIs');
  if (type === 'JWT' || type === 'CUSTOM') {
    if (route.AuthorizerId === undefined) throw gatewayErrors.badRequest(`AuthorizerId is required for authorization type ${type}`);
    const authorizer = doc.authorizers[route.AuthorizerId];
    if (authorizer === undefined) throw notFoundOf('Authorizer', route.AuthorizerId);
    const wanted = type === 'JWT' ? 'JWT' : 'REQUEST';
    if (authorizer.AuthorizerType !== wanted) throw gatewayErrors.badRequest(`Authorization type ${type} requires an authorizer of type ${wanted}; authorizer ${route.AuthorizerId} is of type ${authorizer.AuthorizerType}`);
  } else if (route.AuthorizerId !== undefined) {
    throw gatewayErrors.badRequest(`AuthorizerId can be set only for authorization types JWT and CUSTOM, not ${type}`);
  }
  // CreateRoute: "AuthorizationScopes … Authorization scopes are supported only for JWT authorizers" (HTTP APIs).
  if (route.AuthorizationScopes !== undefined && route.AuthorizationScopes.length > 0 && type !== 'JWT') {
    throw gatewayErrors.badRequest('AuthorizationScopes are supported only for routes with authorization type JWT');
  }
  if (protocol === 'WEBSOCKET') {
    // WebSocket APIs authorize when the client connects ("Controlling access to WebSocket APIs").
    if ((type === 'CUSTOM' || type === 'AWS_IAM') && route.RouteKey !== '$connect') throw gatewayErrors.badRequest(`Authorization type ${type} is supported only on the $connect route`);
    for (const key of Object.keys(route.RequestParameters ?? {})) {
      if (!/^route\.request\.(header|querystring)\.[^.\s]+$/.test(key)) throw gatewayErrors.badRequest(`Invalid request parameter key ${key}: expected route.request.header.<name> or route.request.querystring.<name>`);
    }
  }
}

export function routeActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateRoute', (input: CreateRouteRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const route: StoredRoute = defined({
          ApiKeyRequired: input.ApiKeyRequired ?? false,
          AuthorizationScopes: input.AuthorizationScopes,
          AuthorizationType: input.AuthorizationType ?? 'NONE',
          AuthorizerId: input.AuthorizerId,
          ModelSelectionExpression: input.ModelSelectionExpression,
          OperationName: input.OperationName,
          RequestModels: input.RequestModels,
          RequestParameters: input.RequestParameters,
          RouteId: v2Ids.route(),
          RouteKey: input.RouteKey,
          RouteResponseSelectionExpression: input.RouteResponseSelectionExpression,
          Target: input.Target,
        });
        checkRoute(doc, route, input);
        doc.routes[route.RouteId] = route;
        return { body: doc, result: route };
      }),
    ),

    restAction(shapes, 'GetRoute', (input: { ApiId: string; RouteId: string }, ctx) => routeOf(readApi(gw, ctx, input.ApiId), input.RouteId)),

    restAction(shapes, 'GetRoutes', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const routes = Object.values(readApi(gw, ctx, input.ApiId).routes).sort((a, b) => a.RouteKey.localeCompare(b.RouteKey));
      return page(routes, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateRoute', (input: UpdateRouteRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const route = routeOf(doc, input.RouteId);
        assignDefined(route, input, ROUTE_MEMBERS);
        // Moving a route to NONE or AWS_IAM lets go of its authorizer and scopes.
        if (input.AuthorizationType === 'NONE' || input.AuthorizationType === 'AWS_IAM') {
          if (input.AuthorizerId === undefined) delete route.AuthorizerId;
          if (input.AuthorizationScopes === undefined) delete route.AuthorizationScopes;
        }
        checkRoute(doc, route, input);
        return { body: doc, result: route };
      }),
    ),

    restAction(shapes, 'DeleteRoute', async (input: { ApiId: string; RouteId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        routeOf(doc, input.RouteId);
        delete doc.routes[input.RouteId];
        delete doc.routeResponses[input.RouteId];
        // Route settings of a stage are keyed by route key; they go with the route.
        return { body: doc, result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'DeleteRouteRequestParameter', async (input: { ApiId: string; RouteId: string; RequestParameterKey: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        const route = routeOf(doc, input.RouteId);
        if (route.RequestParameters?.[input.RequestParameterKey] === undefined) throw notFoundOf('RequestParameter', input.RequestParameterKey);
        delete route.RequestParameters[input.RequestParameterKey];
        return { body: doc, result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'CreateRouteResponse', (input: CreateRouteResponseRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        routeOf(doc, input.RouteId);
        webSocketOnly(doc, 'Route responses');
        const responses = (doc.routeResponses[input.RouteId] ??= {});
        checkRouteResponseKey(input.RouteResponseKey, responses);
        const response: StoredRouteResponse = defined({
          ModelSelectionExpression: input.ModelSelectionExpression,
          ResponseModels: input.ResponseModels,
          ResponseParameters: input.ResponseParameters,
          RouteResponseId: v2Ids.routeResponse(),
          RouteResponseKey: input.RouteResponseKey,
        });
        responses[response.RouteResponseId] = response;
        return { body: doc, result: response };
      }),
    ),

    restAction(shapes, 'GetRouteResponse', (input: { ApiId: string; RouteId: string; RouteResponseId: string }, ctx) =>
      routeResponseOf(readApi(gw, ctx, input.ApiId), input.RouteId, input.RouteResponseId),
    ),

    restAction(shapes, 'GetRouteResponses', (input: { ApiId: string; RouteId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const doc = readApi(gw, ctx, input.ApiId);
      routeOf(doc, input.RouteId);
      const items = Object.values(doc.routeResponses[input.RouteId] ?? {}).sort((a, b) => a.RouteResponseKey.localeCompare(b.RouteResponseKey));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateRouteResponse', (input: Partial<CreateRouteResponseRequest> & { ApiId: string; RouteId: string; RouteResponseId: string }, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const response = routeResponseOf(doc, input.RouteId, input.RouteResponseId);
        if (input.RouteResponseKey !== undefined && input.RouteResponseKey !== response.RouteResponseKey) {
          const others = { ...doc.routeResponses[input.RouteId] };
          delete others[response.RouteResponseId];
          checkRouteResponseKey(input.RouteResponseKey, others);
        }
        assignDefined(response, input, ['ModelSelectionExpression', 'ResponseModels', 'ResponseParameters', 'RouteResponseKey']);
        return { body: doc, result: response };
      }),
    ),

    restAction(shapes, 'DeleteRouteResponse', async (input: { ApiId: string; RouteId: string; RouteResponseId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        routeResponseOf(doc, input.RouteId, input.RouteResponseId);
        delete doc.routeResponses[input.RouteId][input.RouteResponseId];
        return { body: doc, result: undefined };
      });
      return {};
    }),
  ];
}

export function webSocketOnly(doc: HttpApiDocument, what: string): void {
  if (doc.api.ProtocolType !== 'WEBSOCKET') throw gatewayErrors.badRequest(`${what} are supported only for WebSocket APIs`);
}

function checkRouteResponseKey(key: string, existing: Record<string, StoredRouteResponse>): void {
  // "Currently, $default is the only supported route response key" (WebSocket APIs, "Setting up a route response").
  if (key !== '$default') throw gatewayErrors.badRequest(`Invalid route response key ${key}: $default is the only supported route response key`);
  if (Object.values(existing).some((r) => r.RouteResponseKey === key)) throw gatewayErrors.conflict(`Route response with key ${key} already exists for this route`);
}

export function routeOf(doc: HttpApiDocument, routeId: string): StoredRoute {
  const route = doc.routes[routeId];
  if (route === undefined) throw notFoundOf('Route', routeId);
  return route;
}

function routeResponseOf(doc: HttpApiDocument, routeId: string, routeResponseId: string): StoredRouteResponse {
  routeOf(doc, routeId);
  const response = doc.routeResponses[routeId]?.[routeResponseId];
  if (response === undefined) throw notFoundOf('RouteResponse', routeResponseId);
  return response;
}
