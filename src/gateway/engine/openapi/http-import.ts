import type { Cors } from '../../api/apigatewayv2-shapes.js';
import type { HttpApiDocument, StoredAuthorizer, StoredIntegration, StoredRoute } from '../../model/http-api.js';
import { asBoolean, asNumber, asObject, asString, asStringList, asStringMap, isObject, specVersion, SpecError, type SpecObject } from './parse.js';
import { resolveLocal } from './refs.js';
import { basePathPrefix, type BasePathMode } from './rest-import.js';

/**
 * OpenAPI → an HTTP API (apigatewayv2 ImportApi / ReimportApi,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html): paths and
 * methods become routes (`x-amazon-apigateway-any-method` → `ANY`, the path `/$default` → the
 * `$default` route), `x-amazon-apigateway-integration` an integration per route, security schemes
 * with `x-amazon-apigateway-authorizer` JWT or Lambda (REQUEST) authorizers,
 * `x-amazon-apigateway-cors` the API's CORS configuration. Pure: ids come from `newId`.
 */

export type HttpIdKind = 'route' | 'integration' | 'authorizer';

export interface HttpImportOptions {
  basepath: BasePathMode;
  newId: (kind: HttpIdKind) => string;
}

export interface HttpImportResult {
  document: HttpApiDocument;
  warnings: string[];
}

const X = 'x-amazon-apigateway-';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/**
 * Replaces an HTTP API's definition with the document's (ReimportApi "overwrites the API",
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#apis-apiidput):
 * routes, integrations and authorizers are the document's; stages and deployments stay.
 */
export function importHttpApi(existing: HttpApiDocument, spec: SpecObject, options: HttpImportOptions): HttpImportResult {
  const version = specVersion(spec);
  const errors: string[] = [];
  const warnings: string[] = [];
  const doc = structuredClone(existing);
  doc.routes = {};
  doc.routeResponses = {};
  doc.integrations = {};
  doc.integrationResponses = {};
  doc.authorizers = {};

  const info = asObject(spec.info);
  const title = asString(info.title);
  if (title === undefined || title.trim() === '') errors.push('Invalid API name specified. API name must be non-empty.');
  else doc.api.Name = title;
  const description = asString(info.description);
  if (description !== undefined) doc.api.Description = description;
  else delete doc.api.Description;
  const apiVersion = asString(info.version);
  if (apiVersion !== undefined) doc.api.Version = apiVersion;
  else delete doc.api.Version;

  const cors = spec[`${X}cors`];
  if (isObject(cors)) doc.api.CorsConfiguration = importCors(cors);
  else delete doc.api.CorsConfiguration;

  const endpoint = asObject(spec[`${X}endpoint-configuration`]);
  const disable = asBoolean(endpoint.disableExecuteApiEndpoint);
  if (disable !== undefined) doc.api.DisableExecuteApiEndpoint = disable;

  if (Array.isArray(spec.tags)) {
    const tags: Record<string, string> = { ...(doc.api.Tags ?? {}) };
    for (const tag of spec.tags) {
      const name = asString(asObject(tag).name);
      const value = asString(asObject(tag)[`${X}tag-value`]);
      if (name !== undefined && value !== undefined) tags[name] = value;
    }
    if (Object.keys(tags).length > 0) doc.api.Tags = tags;
  }

  // Authorizers.
  const schemes = new Map<string, { kind: 'iam' } | { kind: 'authorizer'; id: string; type: 'JWT' | 'REQUEST' }>();
  const rawSchemes = asObject(version === 'swagger2' ? spec.securityDefinitions : asObject(spec.components).securitySchemes);
  for (const [name, value] of Object.entries(rawSchemes)) {
    const scheme = asObject(resolveLocal(spec, value));
    const ext = scheme[`${X}authorizer`];
    if (isObject(ext)) {
      const type = asString(ext.type)?.toLowerCase();
      const id = options.newId('authorizer');
      if (type === 'jwt') {
        const jwt = asObject(ext.jwtConfiguration);
        const authorizer: StoredAuthorizer = { AuthorizerId: id, Name: name, AuthorizerType: 'JWT' };
        const identitySource = identitySources(ext.identitySource) ?? ['$request.header.Authorization'];
        authorizer.IdentitySource = identitySource;
        const issuer = asString(jwt.issuer);
        const audience = asStringList(jwt.audience);
        if (issuer === undefined) {
          errors.push(`Unable to create authorizer '${name}': JWT issuer must be specified`);
          continue;
        }
        authorizer.JwtConfiguration = { Issuer: issuer, ...(audience !== undefined ? { Audience: audience } : {}) };
        doc.authorizers[id] = authorizer;
        schemes.set(name, { kind: 'authorizer', id, type: 'JWT' });
      } else if (type === 'request') {
        const authorizer: StoredAuthorizer = { AuthorizerId: id, Name: name, AuthorizerType: 'REQUEST' };
        const uri = asString(ext.authorizerUri);
        if (uri === undefined) {
          errors.push(`Unable to create authorizer '${name}': Authorizer URI must be specified for REQUEST authorizer`);
          continue;
        }
        authorizer.AuthorizerUri = uri;
        const sources = identitySources(ext.identitySource);
        if (sources !== undefined) authorizer.IdentitySource = sources;
        const credentials = asString(ext.authorizerCredentials);
        if (credentials !== undefined) authorizer.AuthorizerCredentialsArn = credentials;
        authorizer.AuthorizerPayloadFormatVersion = asString(ext.authorizerPayloadFormatVersion) ?? '1.0';
        const ttl = asNumber(ext.authorizerResultTtlInSeconds);
        authorizer.AuthorizerResultTtlInSeconds = ttl ?? 0;
        const simple = asBoolean(ext.enableSimpleResponses);
        if (simple !== undefined) authorizer.EnableSimpleResponses = simple;
        const validation = asString(ext.identityValidationExpression);
        if (validation !== undefined) authorizer.IdentityValidationExpression = validation;
        doc.authorizers[id] = authorizer;
        schemes.set(name, { kind: 'authorizer', id, type: 'REQUEST' });
      } else errors.push(`Unable to create authorizer '${name}': Invalid authorizer type: ${String(ext.type)}`);
    } else if (asString(scheme[`${X}authtype`])?.toLowerCase() === 'awssigv4') schemes.set(name, { kind: 'iam' });
    else warnings.push(`Ignoring security scheme '${name}': HTTP APIs only support JWT, Lambda (request) and AWS SigV4 security schemes.`);
  }

  const prefix = basePathPrefix(spec, version, options.basepath);
  for (const [rawPath, rawItem] of Object.entries(asObject(spec.paths))) {
    const item = asObject(resolveLocal(spec, rawItem));
    // AWS's examples write the $default route as the path `/$default`; SAM writes `$default`.
    const isDefault = rawPath === '/$default' || rawPath === '$default';
    const path = isDefault ? '/$default' : prefix === '' ? rawPath : rawPath === '/' ? prefix : `${prefix}${rawPath}`;
    if (!path.startsWith('/')) {
      errors.push(`Invalid resource path: ${rawPath}`);
      continue;
    }
    const operations: [string, Record<string, unknown>][] = [];
    for (const m of HTTP_METHODS) if (isObject(item[m])) operations.push([m.toUpperCase(), item[m] as Record<string, unknown>]);
    if (isObject(item[`${X}any-method`])) operations.push(['ANY', item[`${X}any-method`] as Record<string, unknown>]);
    for (const [method, operation] of operations) {
      const routeKey = isDefault ? '$default' : `${method} ${path}`;
      const where = `Unable to create route '${routeKey}'`;
      if (isDefault && method !== 'ANY') {
        errors.push(`${where}: the $default route takes x-amazon-apigateway-any-method only`);
        continue;
      }
      const route: StoredRoute = { RouteId: options.newId('route'), RouteKey: routeKey, ApiKeyRequired: false, AuthorizationType: 'NONE' };
      const operationId = asString(operation.operationId);
      if (operationId !== undefined) route.OperationName = operationId;
      const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(spec.security) ? spec.security : [];
      for (const requirement of requirements) {
        for (const [name, scopes] of Object.entries(asObject(requirement))) {
          const scheme = schemes.get(name);
          if (scheme === undefined) {
            errors.push(`${where}: No security scheme found for '${name}'`);
            continue;
          }
          if (scheme.kind === 'iam') route.AuthorizationType = 'AWS_IAM';
          else {
            route.AuthorizationType = scheme.type === 'JWT' ? 'JWT' : 'CUSTOM';
            route.AuthorizerId = scheme.id;
            const list = asStringList(scopes);
            if (scheme.type === 'JWT' && list !== undefined && list.length > 0) route.AuthorizationScopes = list;
          }
        }
      }
      const rawIntegration = resolveLocal(spec, operation[`${X}integration`]);
      if (isObject(rawIntegration)) {
        const integration = importIntegration(rawIntegration, options.newId('integration'), where, errors);
        if (integration !== undefined) {
          doc.integrations[integration.IntegrationId] = integration;
          route.Target = `integrations/${integration.IntegrationId}`;
        }
      } else if (operation[`${X}integration`] !== undefined) errors.push(`${where}: Invalid integration reference`);
      doc.routes[route.RouteId] = route;
    }
  }
  if (errors.length > 0) throw new SpecError(`Errors found during import:\n\t${errors.join('\n\t')}`);
  doc.api.Warnings = warnings.length > 0 ? warnings : undefined;
  if (doc.api.Warnings === undefined) delete doc.api.Warnings;
  return { document: doc, warnings };
}

function identitySources(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return asStringList(value);
}

function importCors(raw: Record<string, unknown>): Cors {
  const cors: Cors = {};
  const origins = asStringList(raw.allowOrigins);
  if (origins !== undefined) cors.AllowOrigins = origins;
  const methods = asStringList(raw.allowMethods);
  if (methods !== undefined) cors.AllowMethods = methods;
  const headers = asStringList(raw.allowHeaders);
  if (headers !== undefined) cors.AllowHeaders = headers;
  const expose = asStringList(raw.exposeHeaders);
  if (expose !== undefined) cors.ExposeHeaders = expose;
  const credentials = asBoolean(raw.allowCredentials);
  if (credentials !== undefined) cors.AllowCredentials = credentials;
  const maxAge = asNumber(raw.maxAge);
  if (maxAge !== undefined) cors.MaxAge = maxAge;
  return cors;
}

const TYPES: Record<string, StoredIntegration['IntegrationType']> = { aws_proxy: 'AWS_PROXY', http_proxy: 'HTTP_PROXY', aws: 'AWS', http: 'HTTP', mock: 'MOCK' };

function importIntegration(raw: Record<string, unknown>, id: string, where: string, errors: string[]): StoredIntegration | undefined {
  const type = TYPES[asString(raw.type)?.toLowerCase() ?? ''];
  // HTTP APIs proxy only: AWS_PROXY (Lambda, or an AWS service by integrationSubtype) and HTTP_PROXY
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations.html).
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    errors.push(`${where}: Unsupported integration type '${String(raw.type)}' for HTTP APIs; use aws_proxy or http_proxy`);
    return undefined;
  }
  const integration: StoredIntegration = { IntegrationId: id, IntegrationType: type, ConnectionType: 'INTERNET' };
  const subtype = asString(raw.integrationSubtype);
  if (subtype !== undefined) integration.IntegrationSubtype = subtype;
  const uri = asString(raw.uri);
  if (uri === undefined && subtype === undefined) {
    errors.push(`${where}: Integration URI must be specified`);
    return undefined;
  }
  if (uri !== undefined) integration.IntegrationUri = uri;
  const method = asString(raw.httpMethod)?.toUpperCase();
  if (method !== undefined) integration.IntegrationMethod = method;
  else if (type === 'AWS_PROXY' && subtype === undefined) integration.IntegrationMethod = 'POST';
  // Lambda takes 1.0 or 2.0; everything else 1.0 only.
  const payload = asString(raw.payloadFormatVersion) ?? '1.0';
  if (payload !== '1.0' && payload !== '2.0') {
    errors.push(`${where}: Invalid payload format version specified: ${payload}`);
    return undefined;
  }
  if (payload === '2.0' && (type !== 'AWS_PROXY' || subtype !== undefined)) {
    errors.push(`${where}: Payload format version 2.0 is only supported for Lambda proxy integrations`);
    return undefined;
  }
  integration.PayloadFormatVersion = payload;
  const connectionType = asString(raw.connectionType)?.toUpperCase();
  if (connectionType === 'VPC_LINK') integration.ConnectionType = 'VPC_LINK';
  const connectionId = asString(raw.connectionId);
  if (connectionId !== undefined) integration.ConnectionId = connectionId;
  const credentials = asString(raw.credentials);
  if (credentials !== undefined) integration.CredentialsArn = credentials;
  const requestParameters = asStringMap(raw.requestParameters);
  if (requestParameters !== undefined && Object.keys(requestParameters).length > 0) integration.RequestParameters = requestParameters;
  if (isObject(raw.responseParameters)) {
    const out: Record<string, Record<string, string>> = {};
    for (const [code, map] of Object.entries(raw.responseParameters)) {
      const m = asStringMap(map);
      if (m !== undefined) out[code] = m;
    }
    if (Object.keys(out).length > 0) integration.ResponseParameters = out;
  }
  // HTTP APIs: 50 ms to 30 s, default 30 s (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
  const timeout = raw.timeoutInMillis === undefined ? 30000 : asNumber(raw.timeoutInMillis);
  if (timeout === undefined || !Number.isInteger(timeout) || timeout < 50 || timeout > 30000) {
    errors.push(`${where}: Timeout must be between 50 ms and 30000 ms`);
    return undefined;
  }
  integration.TimeoutInMillis = timeout;
  const tls = asObject(raw.tlsConfig);
  const serverName = asString(tls.serverNameToVerify);
  if (serverName !== undefined) integration.TlsConfig = { ServerNameToVerify: serverName };
  return integration;
}
