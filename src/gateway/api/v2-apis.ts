import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredApi, StoredIntegration, StoredRoute, StoredStage } from '../model/http-api.js';
import type { Api, CreateApiRequest, UpdateApiRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { apiEndpoint } from './v2-endpoint.js';
import { checkTags, changeApi, defined, newDeployment, now, page, pointStageAt, readApi, scopeOf, v2Ids } from './v2-common.js';
import { validateRouteKey } from './v2-routes.js';

/** AWS's route selection expression of every HTTP API (CreateApi: "… For HTTP APIs, this value must be ${request.method} ${request.path}"). */
export const HTTP_ROUTE_SELECTION = '${request.method} ${request.path}';
const DEFAULT_API_KEY_SELECTION = '$request.header.x-api-key';
const API_KEY_SELECTIONS = ['$request.header.x-api-key', '$context.authorizer.usageIdentifierKey'];

/** An API as the control plane answers it. */
export function renderApi(api: StoredApi, ctx: RequestContext): Api {
  return defined({ ...api, ApiEndpoint: apiEndpoint(api.ApiId, api.ProtocolType, ctx.endpoint) }) as unknown as Api;
}

export function apiActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateApi', async (input: CreateApiRequest, ctx) => {
      const created = now();
      const isWebSocket = input.ProtocolType === 'WEBSOCKET';
      checkSelectionExpressions(input, isWebSocket);
      if (isWebSocket) {
        if (input.RouteSelectionExpression === undefined) throw gatewayErrors.badRequest('RouteSelectionExpression is required for WEBSOCKET APIs');
        if (input.CorsConfiguration !== undefined) throw gatewayErrors.badRequest('CORS is not supported for WebSocket APIs');
        if (input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined) {
          throw gatewayErrors.badRequest('Quick create is not supported for WebSocket APIs');
        }
      } else if (input.DisableSchemaValidation !== undefined) {
        throw gatewayErrors.badRequest('DisableSchemaValidation is supported only for WebSocket APIs');
      }
      if (input.CorsConfiguration !== undefined) checkCors(input.CorsConfiguration);
      checkTags(input.Tags ?? {});
      const apiId = v2Ids.api();
      const api: StoredApi = defined({
        ApiId: apiId,
        ApiKeySelectionExpression: input.ApiKeySelectionExpression ?? DEFAULT_API_KEY_SELECTION,
        CorsConfiguration: input.CorsConfiguration,
        CreatedDate: created,
        Description: input.Description,
        DisableSchemaValidation: input.DisableSchemaValidation,
        DisableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false,
        IpAddressType: input.IpAddressType ?? 'ipv4',
        Name: input.Name,
        ProtocolType: input.ProtocolType,
        RouteSelectionExpression: input.RouteSelectionExpression ?? HTTP_ROUTE_SELECTION,
        Tags: input.Tags ?? {},
        Version: input.Version,
      });
      const doc: HttpApiDocument = {
        api,
        routes: {},
        routeResponses: {},
        integrations: {},
        integrationResponses: {},
        authorizers: {},
        models: {},
        stages: {},
        deployments: {},
      };
      const scope = scopeOf(ctx);
      await gw.documents.batch((batch) => {
        if (input.Target !== undefined) quickCreate(doc, input, created, batch, scope);
        else if (input.RouteKey !== undefined || input.CredentialsArn !== undefined) {
          throw gatewayErrors.badRequest('Target is required for quick create');
        }
        batch.put('v2api', scope, apiId, doc);
      });
      return renderApi(doc.api, ctx);
    }),

    restAction(shapes, 'GetApi', (input: { ApiId: string }, ctx) => renderApi(readApi(gw, ctx, input.ApiId).api, ctx)),

    restAction(shapes, 'GetApis', (input: { MaxResults?: string; NextToken?: string }, ctx) => {
      const apis = gw.documents
        .list<HttpApiDocument>('v2api', scopeOf(ctx))
        .map((d) => d.api)
        .sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate) || a.ApiId.localeCompare(b.ApiId));
      const out = page(apis, input.MaxResults, input.NextToken);
      return { ...out, Items: out.Items.map((a) => renderApi(a, ctx)) };
    }),

    restAction(shapes, 'UpdateApi', (input: UpdateApiRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc, batch) => {
        const api = doc.api;
        const isWebSocket = api.ProtocolType === 'WEBSOCKET';
        checkSelectionExpressions({ ...input, ProtocolType: api.ProtocolType, RouteSelectionExpression: input.RouteSelectionExpression }, isWebSocket);
        if (isWebSocket && input.CorsConfiguration !== undefined) throw gatewayErrors.badRequest('CORS is not supported for WebSocket APIs');
        if (isWebSocket && (input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined)) {
          throw gatewayErrors.badRequest('Quick create is not supported for WebSocket APIs');
        }
        if (input.CorsConfiguration !== undefined) {
          checkCors(input.CorsConfiguration);
          api.CorsConfiguration = input.CorsConfiguration;
        }
        for (const m of ['ApiKeySelectionExpression', 'Description', 'DisableSchemaValidation', 'DisableExecuteApiEndpoint', 'IpAddressType', 'Name', 'RouteSelectionExpression', 'Version'] as const) {
          if (input[m] !== undefined) (api as Record<string, unknown>)[m] = input[m];
        }
        if (input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined) updateQuickCreate(doc, input, batch, scopeOf(ctx));
        return { body: doc, result: renderApi(api, ctx) };
      }),
    ),

    restAction(shapes, 'DeleteApi', async (input: { ApiId: string }, ctx) => {
      const scope = scopeOf(ctx);
      await gw.documents.change<HttpApiDocument, void>('v2api', scope, input.ApiId, (current, batch) => {
        if (current === undefined) throw gatewayErrors.notFound(`Invalid API identifier specified ${ctx.accountId}:${input.ApiId}`);
        for (const id of Object.keys(current.deployments)) batch.delete('v2deployment', scope, `${input.ApiId}/${id}`);
        batch.delete('v2api', scope, input.ApiId);
        return { result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'DeleteCorsConfiguration', async (input: { ApiId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        if (doc.api.CorsConfiguration === undefined) return { result: undefined };
        delete doc.api.CorsConfiguration;
        return { body: doc, result: undefined };
      });
      return {};
    }),
  ];
}

function checkSelectionExpressions(input: { ProtocolType: string; RouteSelectionExpression?: string; ApiKeySelectionExpression?: string }, isWebSocket: boolean): void {
  if (isWebSocket) {
    if (input.ProtocolType === 'WEBSOCKET' && input.RouteSelectionExpression === '') throw gatewayErrors.badRequest('RouteSelectionExpression is required for WEBSOCKET APIs');
  } else if (input.RouteSelectionExpression !== undefined && input.RouteSelectionExpression !== HTTP_ROUTE_SELECTION) {
    // CreateApi: "For HTTP APIs, this value must be ${request.method} ${request.path}".
    throw gatewayErrors.badRequest(`Unsupported route selection expression for HTTP protocol: ${input.RouteSelectionExpression}`);
  }
  if (input.ApiKeySelectionExpression !== undefined && !API_KEY_SELECTIONS.includes(input.ApiKeySelectionExpression)) {
    // CreateApi: "Supported only for WebSocket APIs … $request.header.x-api-key, $context.authorizer.usageIdentifierKey".
    throw gatewayErrors.badRequest(`Invalid API key selection expression: ${input.ApiKeySelectionExpression}`);
  }
}

/** CORS (HTTP APIs, "Configuring CORS"): MaxAge -1…86400 (the shape checks), origins are `*` or a scheme://host[:port]. */
function checkCors(cors: NonNullable<CreateApiRequest['CorsConfiguration']>): void {
  for (const origin of cors.AllowOrigins ?? []) {
    if (origin !== '*' && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin) && !/^[a-z][a-z0-9+.-]*:\/\/\*\.[^/\s]+$/i.test(origin)) {
      throw gatewayErrors.badRequest(`Invalid origin ${origin} in CorsConfiguration AllowOrigins`);
    }
  }
  for (const method of cors.AllowMethods ?? []) {
    if (!['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) {
      throw gatewayErrors.badRequest(`Invalid method ${method} in CorsConfiguration AllowMethods`);
    }
  }
  if (cors.AllowCredentials === true && (cors.AllowOrigins ?? []).includes('*')) {
    // AWS: credentials cannot be allowed to every origin (CORS forbids `*` with credentials).
    throw gatewayErrors.badRequest('AllowCredentials cannot be true when AllowOrigins contains *');
  }
}

/** A quick-create target: a Lambda function ARN (AWS_PROXY, payload 2.0) or an HTTP URL (HTTP_PROXY). */
function integrationForTarget(target: string): Pick<StoredIntegration, 'IntegrationType' | 'IntegrationMethod' | 'PayloadFormatVersion' | 'IntegrationUri'> {
  if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(target)) {
    return { IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST', PayloadFormatVersion: '2.0', IntegrationUri: target };
  }
  if (/^https?:\/\/[^\s/]+/i.test(target)) {
    return { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', IntegrationUri: target };
  }
  throw gatewayErrors.badRequest(`Invalid target ${target}: specify a Lambda function ARN or an HTTP URL`);
}

/**
 * Quick create (CreateApi: "Target … RouteKey … CredentialsArn … This property is part of quick
 * create"): an integration to the target, a route (`$default` unless RouteKey says otherwise) and
 * a `$default` stage with automatic deployment, all managed by API Gateway.
 */
function quickCreate(doc: HttpApiDocument, input: CreateApiRequest, created: string, batch: Parameters<typeof newDeployment>[2], scope: Parameters<typeof newDeployment>[1]): void {
  const routeKey = input.RouteKey ?? '$default';
  validateRouteKey(routeKey, 'HTTP');
  const integration: StoredIntegration = defined({
    ApiGatewayManaged: true,
    ConnectionType: 'INTERNET',
    CredentialsArn: input.CredentialsArn,
    IntegrationId: v2Ids.integration(),
    ...integrationForTarget(input.Target!),
    TimeoutInMillis: 30000,
  });
  doc.integrations[integration.IntegrationId] = integration;
  const route: StoredRoute = {
    ApiGatewayManaged: true,
    ApiKeyRequired: false,
    AuthorizationType: 'NONE',
    RouteId: v2Ids.route(),
    RouteKey: routeKey,
    Target: `integrations/${integration.IntegrationId}`,
  };
  doc.routes[route.RouteId] = route;
  const stage: StoredStage = {
    ApiGatewayManaged: true,
    AutoDeploy: true,
    CreatedDate: created,
    DefaultRouteSettings: { DetailedMetricsEnabled: false },
    LastUpdatedDate: created,
    RouteSettings: {},
    StageName: '$default',
    StageVariables: {},
    Tags: {},
  };
  doc.stages.$default = stage;
  pointStageAt(stage, newDeployment(doc, scope, batch, { AutoDeployed: true }));
}

/** UpdateApi's quick-create members change the managed route and integration (or make them when there are none). */
function updateQuickCreate(doc: HttpApiDocument, input: UpdateApiRequest, batch: Parameters<typeof newDeployment>[2], scope: Parameters<typeof newDeployment>[1]): void {
  const route = Object.values(doc.routes).find((r) => r.ApiGatewayManaged === true);
  if (route === undefined) {
    if (input.Target === undefined) throw gatewayErrors.badRequest('Target is required for quick create');
    quickCreate(doc, { ...input, Name: doc.api.Name, ProtocolType: 'HTTP' }, now(), batch, scope);
    return;
  }
  if (input.RouteKey !== undefined && input.RouteKey !== route.RouteKey) {
    validateRouteKey(input.RouteKey, 'HTTP');
    if (Object.values(doc.routes).some((r) => r.RouteKey === input.RouteKey)) throw gatewayErrors.conflict(`Route with key ${input.RouteKey} already exists for this API`);
    route.RouteKey = input.RouteKey;
  }
  const integrationId = route.Target?.replace(/^integrations\//, '');
  const integration = integrationId === undefined ? undefined : doc.integrations[integrationId];
  if (integration !== undefined) {
    if (input.Target !== undefined) Object.assign(integration, integrationForTarget(input.Target));
    if (input.CredentialsArn !== undefined) integration.CredentialsArn = input.CredentialsArn;
  }
}
