import type { Authorizer, Cors, Integration, Route } from '../../api/apigatewayv2-shapes.js';

/**
 * An HTTP API → the OpenAPI 3.0.1 document ExportApi answers
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html): a path per
 * route path, `responses.default` "Default response for <route key>", generated path parameters,
 * and with extensions the integrations, authorizers, CORS and `x-amazon-apigateway-importexport-version`.
 * Pure.
 */

export interface HttpExportInput {
  api: { ApiId: string; Name: string; Description?: string; Version?: string; CorsConfiguration?: Cors; DisableExecuteApiEndpoint?: boolean };
  routes: Record<string, Route & { RouteKey: string }>;
  integrations: Record<string, Integration>;
  authorizers: Record<string, Authorizer & { AuthorizerId: string }>;
  /** `<id>.execute-api.<region>.amazonaws.com`. */
  host: string;
  /** The stage exported ('' when none was named: the server variable's default). */
  stageName: string;
  /** When the API has no version of its own: the time of export (AWS writes a date). */
  exportedAt: string;
  includeExtensions: boolean;
}

const X = 'x-amazon-apigateway-';

export function exportHttpApi(input: HttpExportInput): Record<string, unknown> {
  const info: Record<string, unknown> = { title: input.api.Name };
  if (input.api.Description !== undefined) info.description = input.api.Description;
  info.version = input.api.Version ?? input.exportedAt;
  const doc: Record<string, unknown> = {
    openapi: '3.0.1',
    info,
    servers: [{ url: `https://${input.host}/{basePath}`, variables: { basePath: { default: input.stageName } } }],
  };
  const paths: Record<string, Record<string, unknown>> = {};
  const securitySchemes: Record<string, unknown> = {};
  const routes = Object.values(input.routes).sort((a, b) => (a.RouteKey < b.RouteKey ? -1 : a.RouteKey > b.RouteKey ? 1 : 0));
  for (const route of routes) {
    const [method, path] = route.RouteKey === '$default' ? ['ANY', '/$default'] : splitRouteKey(route.RouteKey);
    const operation: Record<string, unknown> = {};
    if (route.OperationName !== undefined) operation.operationId = route.OperationName;
    operation.responses = { default: { description: `Default response for ${route.RouteKey}` } };
    const pathParameters = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
    if (pathParameters.length > 0) {
      operation.parameters = pathParameters.map((name) => ({ name, in: 'path', description: `Generated path parameter for ${name}`, required: true, schema: { type: 'string' } }));
    }
    const authorizer = route.AuthorizerId === undefined ? undefined : input.authorizers[route.AuthorizerId];
    if (authorizer !== undefined && (route.AuthorizationType === 'JWT' || route.AuthorizationType === 'CUSTOM')) {
      operation.security = [{ [authorizer.Name]: route.AuthorizationScopes ?? [] }];
      if (input.includeExtensions) securitySchemes[authorizer.Name] = exportAuthorizer(authorizer);
    } else if (route.AuthorizationType === 'AWS_IAM') {
      operation.security = [{ sigv4: [] }];
      securitySchemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', [`${X}authtype`]: 'awsSigv4' };
    }
    const integrationId = route.Target?.startsWith('integrations/') ? route.Target.slice('integrations/'.length) : undefined;
    const integration = integrationId === undefined ? undefined : input.integrations[integrationId];
    if (input.includeExtensions && integration !== undefined) operation[`${X}integration`] = exportIntegration(integration);
    const key = method === 'ANY' ? `${X}any-method` : method.toLowerCase();
    paths[path] = { ...(paths[path] ?? {}), [key]: operation };
  }
  doc.paths = paths;
  if (Object.keys(securitySchemes).length > 0) doc.components = { securitySchemes };
  if (input.includeExtensions) {
    if (input.api.CorsConfiguration !== undefined) doc[`${X}cors`] = exportCors(input.api.CorsConfiguration);
    if (input.api.DisableExecuteApiEndpoint === true) doc[`${X}endpoint-configuration`] = { disableExecuteApiEndpoint: true };
    doc[`${X}importexport-version`] = '1.0';
  }
  return doc;
}

function splitRouteKey(routeKey: string): [string, string] {
  const space = routeKey.indexOf(' ');
  return space < 0 ? ['ANY', routeKey] : [routeKey.slice(0, space), routeKey.slice(space + 1)];
}

function exportIntegration(i: Integration): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (i.PayloadFormatVersion !== undefined) out.payloadFormatVersion = i.PayloadFormatVersion;
  out.type = (i.IntegrationType ?? 'HTTP_PROXY').toLowerCase();
  if (i.IntegrationSubtype !== undefined) out.integrationSubtype = i.IntegrationSubtype;
  if (i.CredentialsArn !== undefined) out.credentials = i.CredentialsArn;
  if (i.IntegrationMethod !== undefined) out.httpMethod = i.IntegrationMethod;
  if (i.IntegrationUri !== undefined) out.uri = i.IntegrationUri;
  out.connectionType = i.ConnectionType ?? 'INTERNET';
  if (i.ConnectionId !== undefined) out.connectionId = i.ConnectionId;
  if (i.RequestParameters !== undefined) out.requestParameters = i.RequestParameters;
  if (i.ResponseParameters !== undefined) out.responseParameters = i.ResponseParameters;
  if (i.TimeoutInMillis !== undefined && i.TimeoutInMillis !== 30000) out.timeoutInMillis = i.TimeoutInMillis;
  if (i.TlsConfig?.ServerNameToVerify !== undefined) out.tlsConfig = { serverNameToVerify: i.TlsConfig.ServerNameToVerify };
  return out;
}

function exportAuthorizer(a: Authorizer): Record<string, unknown> {
  const ext: Record<string, unknown> = {};
  if (a.IdentitySource !== undefined) ext.identitySource = a.IdentitySource.join(', ');
  if (a.AuthorizerType === 'JWT') {
    const jwt: Record<string, unknown> = {};
    if (a.JwtConfiguration?.Audience !== undefined) jwt.audience = a.JwtConfiguration.Audience;
    if (a.JwtConfiguration?.Issuer !== undefined) jwt.issuer = a.JwtConfiguration.Issuer;
    ext.jwtConfiguration = jwt;
    ext.type = 'jwt';
    return { type: 'oauth2', flows: {}, [`${X}authorizer`]: ext };
  }
  if (a.AuthorizerUri !== undefined) ext.authorizerUri = a.AuthorizerUri;
  if (a.AuthorizerCredentialsArn !== undefined) ext.authorizerCredentials = a.AuthorizerCredentialsArn;
  if (a.AuthorizerPayloadFormatVersion !== undefined) ext.authorizerPayloadFormatVersion = a.AuthorizerPayloadFormatVersion;
  if (a.AuthorizerResultTtlInSeconds !== undefined) ext.authorizerResultTtlInSeconds = a.AuthorizerResultTtlInSeconds;
  if (a.EnableSimpleResponses !== undefined) ext.enableSimpleResponses = a.EnableSimpleResponses;
  if (a.IdentityValidationExpression !== undefined) ext.identityValidationExpression = a.IdentityValidationExpression;
  ext.type = 'request';
  return { type: 'apiKey', name: 'Unused', in: 'header', [`${X}authorizer`]: ext };
}

function exportCors(c: Cors): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.AllowOrigins !== undefined) out.allowOrigins = c.AllowOrigins;
  if (c.AllowCredentials !== undefined) out.allowCredentials = c.AllowCredentials;
  if (c.ExposeHeaders !== undefined) out.exposeHeaders = c.ExposeHeaders;
  if (c.MaxAge !== undefined) out.maxAge = c.MaxAge;
  if (c.AllowMethods !== undefined) out.allowMethods = c.AllowMethods;
  if (c.AllowHeaders !== undefined) out.allowHeaders = c.AllowHeaders;
  return out;
}
