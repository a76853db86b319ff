import type { Authorizer, Integration, Method } from '../../api/apigateway-shapes.js';
import type { RestApiSnapshot, StoredResource } from '../../model/rest-api.js';
import { isObject } from './parse.js';
import { refModelName, rewriteSchemaRefs } from './refs.js';

/**
 * A deployed REST API → the OpenAPI 3.0.1 or Swagger 2.0 document GetExport answers
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html), in
 * the shape AWS writes it (recorded: test_apigateway_extended.py::test_export_*). Pure.
 */

export type ExportType = 'oas30' | 'swagger';
/** `extensions`: which `x-amazon-apigateway-*` parts go in (`apigateway` = all of them). */
export type ExportExtension = 'integrations' | 'apigateway' | 'authorizers' | 'postman';

export interface RestExportInput {
  snapshot: RestApiSnapshot;
  stageName: string;
  /** `<id>.execute-api.<region>.amazonaws.com`: the host AWS names (the stage's invoke URL). */
  host: string;
  /** ISO-8601 time of the stage's deployment, seconds precision: `info.version` when the API has none. */
  deployedAt: string;
  type: ExportType;
  extensions: ReadonlySet<ExportExtension>;
}

const X = 'x-amazon-apigateway-';

export function exportRestApi(input: RestExportInput): Record<string, unknown> {
  const { snapshot, type } = input;
  const all = input.extensions.has('apigateway');
  const withIntegrations = all || input.extensions.has('integrations');
  const withAuthorizers = all || input.extensions.has('authorizers');
  const swagger = type === 'swagger';
  const modelRef = (name: string): string => (swagger ? `#/definitions/${name}` : `#/components/schemas/${name}`);

  const info: Record<string, unknown> = {};
  if (snapshot.api.description !== undefined) info.description = snapshot.api.description;
  info.version = snapshot.api.version ?? input.deployedAt;
  info.title = snapshot.api.name;

  const doc: Record<string, unknown> = swagger
    ? { swagger: '2.0', info, host: input.host, basePath: `/${input.stageName}`, schemes: ['https'] }
    : { openapi: '3.0.1', info, servers: [{ url: `https://${input.host}/{basePath}`, variables: { basePath: { default: input.stageName } } }] };

  // Security schemes the methods use.
  const securitySchemes: Record<string, unknown> = {};
  const authorizerNames = new Map<string, Authorizer>();
  for (const a of Object.values(snapshot.authorizers)) if (a.id !== undefined) authorizerNames.set(a.id, a);

  const paths: Record<string, unknown> = {};
  const resources = Object.values(snapshot.resources).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const resource of resources) {
    const methods = Object.entries(resource.resourceMethods ?? {});
    if (methods.length === 0) continue;
    const item: Record<string, unknown> = {};
    for (const [httpMethod, method] of methods) {
      const key = httpMethod === 'ANY' ? `${X}any-method` : httpMethod.toLowerCase();
      item[key] = exportOperation(resource, method, { swagger, modelRef, withIntegrations, all, withAuthorizers, authorizerNames, securitySchemes, snapshot });
    }
    paths[resource.path] = item;
  }
  doc.paths = paths;

  const schemas: Record<string, unknown> = {};
  for (const model of Object.values(snapshot.models)) {
    if (model.name === undefined) continue;
    let schema: unknown = {};
    try {
      schema = JSON.parse(model.schema ?? '{}');
    } catch {
      schema = {};
    }
    if (isObject(schema)) {
      const { $schema: _ignored, ...rest } = schema;
      void _ignored;
      schema = rest;
    }
    schemas[model.name] = rewriteSchemaRefs(schema, modelRef);
  }

  if (swagger) {
    if (Object.keys(securitySchemes).length > 0) doc.securityDefinitions = securitySchemes;
    if (Object.keys(schemas).length > 0) doc.definitions = schemas;
  } else {
    const components: Record<string, unknown> = {};
    if (Object.keys(schemas).length > 0) components.schemas = schemas;
    if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;
    doc.components = components;
  }

  if (all) {
    const api = snapshot.api;
    if (api.binaryMediaTypes !== undefined && api.binaryMediaTypes.length > 0) doc[`${X}binary-media-types`] = api.binaryMediaTypes;
    if (api.minimumCompressionSize !== undefined) doc[`${X}minimum-compression-size`] = api.minimumCompressionSize;
    if (api.apiKeySource === 'AUTHORIZER') doc[`${X}api-key-source`] = 'AUTHORIZER';
    const endpoint: Record<string, unknown> = {};
    if (api.endpointConfiguration?.vpcEndpointIds !== undefined && api.endpointConfiguration.vpcEndpointIds.length > 0) endpoint.vpcEndpointIds = api.endpointConfiguration.vpcEndpointIds;
    if (api.disableExecuteApiEndpoint === true) endpoint.disableExecuteApiEndpoint = true;
    if (Object.keys(endpoint).length > 0) doc[`${X}endpoint-configuration`] = endpoint;
    if (api.policy !== undefined) {
      try {
        doc[`${X}policy`] = JSON.parse(api.policy);
      } catch {
        doc[`${X}policy`] = api.policy;
      }
    }
    const validators: Record<string, unknown> = {};
    for (const v of Object.values(snapshot.requestValidators)) {
      if (v.name !== undefined) validators[v.name] = { validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false };
    }
    if (Object.keys(validators).length > 0) doc[`${X}request-validators`] = validators;
    const responses: Record<string, unknown> = {};
    for (const [type, r] of Object.entries(snapshot.gatewayResponses)) {
      const out: Record<string, unknown> = {};
      if (r.statusCode !== undefined) out.statusCode = r.statusCode;
      if (r.responseParameters !== undefined) out.responseParameters = r.responseParameters;
      if (r.responseTemplates !== undefined) out.responseTemplates = r.responseTemplates;
      responses[type] = out;
    }
    if (Object.keys(responses).length > 0) doc[`${X}gateway-responses`] = responses;
  }
  return doc;
}

interface OperationExport {
  swagger: boolean;
  modelRef: (name: string) => string;
  withIntegrations: boolean;
  withAuthorizers: boolean;
  all: boolean;
  authorizerNames: Map<string, Authorizer>;
  securitySchemes: Record<string, unknown>;
  snapshot: RestApiSnapshot;
}

function exportOperation(resource: StoredResource, method: Method, o: OperationExport): Record<string, unknown> {
  const op: Record<string, unknown> = {};
  if (method.operationName !== undefined) op.operationId = method.operationName;
  const integration = method.methodIntegration;
  const requestModels = method.requestModels ?? {};

  if (o.swagger) {
    const consumes = unique([...Object.keys(requestModels), ...Object.keys(integration?.requestTemplates ?? {})]);
    if (consumes.length > 0) op.consumes = consumes;
    const produces = unique([
      ...Object.values(method.methodResponses ?? {}).flatMap((r) => Object.keys(r.responseModels ?? {})),
      ...Object.values(integration?.integrationResponses ?? {}).flatMap((r) => Object.keys(r.responseTemplates ?? {})),
    ]);
    if (produces.length > 0) op.produces = produces;
  }

  const parameters: Record<string, unknown>[] = [];
  for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!m) continue;
    const location = m[1] === 'querystring' ? 'query' : m[1];
    const parameter: Record<string, unknown> = { name: m[2], in: location };
    // Recorded: Swagger writes `required: false` for optional parameters, OpenAPI 3 leaves it out.
    const isRequired = location === 'path' || required;
    if (o.swagger || isRequired) parameter.required = isRequired;
    if (o.swagger) parameter.type = 'string';
    else parameter.schema = { type: 'string' };
    parameters.push(parameter);
  }
  const bodyModels = Object.entries(requestModels);
  if (o.swagger && bodyModels.length > 0) {
    const [, name] = bodyModels[0];
    parameters.push({ in: 'body', name, required: true, schema: { $ref: o.modelRef(name) } });
  }
  if (parameters.length > 0) op.parameters = parameters;
  if (!o.swagger && bodyModels.length > 0) {
    const content: Record<string, unknown> = {};
    for (const [type, name] of bodyModels) content[type] = { schema: { $ref: o.modelRef(name) } };
    op.requestBody = { content, required: true };
  }

  const responses: Record<string, unknown> = {};
  for (const [code, response] of Object.entries(method.methodResponses ?? {})) {
    const out: Record<string, unknown> = { description: `${code} response` };
    const models = Object.entries(response.responseModels ?? {});
    const headers: Record<string, unknown> = {};
    for (const key of Object.keys(response.responseParameters ?? {})) {
      const m = /^method\.response\.header\.(.+)$/.exec(key);
      if (m) headers[m[1]] = o.swagger ? { type: 'string' } : { schema: { type: 'string' } };
    }
    if (o.swagger) {
      if (models.length > 0) out.schema = { $ref: o.modelRef(models[0][1]) };
      if (Object.keys(headers).length > 0) out.headers = headers;
    } else {
      if (Object.keys(headers).length > 0) out.headers = headers;
      const content: Record<string, unknown> = {};
      for (const [type, name] of models) content[type] = { schema: { $ref: o.modelRef(name) } };
      out.content = content;
    }
    responses[code] = out;
  }
  op.responses = responses;

  const security = exportSecurity(method, o);
  if (security.length > 0) op.security = security;

  if (o.all && method.requestValidatorId !== undefined) {
    const validator = o.snapshot.requestValidators[method.requestValidatorId];
    if (validator?.name !== undefined) op[`${X}request-validator`] = validator.name;
  }
  if (o.withIntegrations && integration !== undefined) op[`${X}integration`] = exportIntegration(resource, integration);
  if (o.all && method.authorizationType === 'AWS_IAM' && !o.withAuthorizers) op[`${X}auth`] = { type: 'aws_iam' };
  return op;
}

function exportSecurity(method: Method, o: OperationExport): Record<string, string[]>[] {
  const requirement: Record<string, string[]> = {};
  if (method.apiKeyRequired === true) {
    requirement.api_key = [];
    o.securitySchemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }
  if (o.withAuthorizers && method.authorizationType === 'AWS_IAM') {
    requirement.sigv4 = [];
    o.securitySchemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', [`${X}authtype`]: 'awsSigv4' };
  }
  const authorizer = method.authorizerId === undefined ? undefined : o.authorizerNames.get(method.authorizerId);
  if (o.withAuthorizers && authorizer?.name !== undefined && (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS')) {
    requirement[authorizer.name] = method.authorizationScopes ?? [];
    o.securitySchemes[authorizer.name] = exportAuthorizer(authorizer);
  }
  return Object.keys(requirement).length > 0 ? [requirement] : [];
}

function exportAuthorizer(a: Authorizer): Record<string, unknown> {
  const header = /^method\.request\.header\.([^,\s]+)$/.exec(a.identitySource ?? '');
  const scheme: Record<string, unknown> = { type: 'apiKey', name: header ? header[1] : 'Unused', in: 'header' };
  if (a.authType !== undefined) scheme[`${X}authtype`] = a.authType;
  const ext: Record<string, unknown> = { type: (a.type ?? 'TOKEN').toLowerCase() };
  if (a.authorizerUri !== undefined) ext.authorizerUri = a.authorizerUri;
  if (a.authorizerCredentials !== undefined) ext.authorizerCredentials = a.authorizerCredentials;
  if (a.providerARNs !== undefined) ext.providerARNs = a.providerARNs;
  if (a.identitySource !== undefined && (a.type === 'REQUEST' || !header)) ext.identitySource = a.identitySource;
  if (a.identityValidationExpression !== undefined) ext.identityValidationExpression = a.identityValidationExpression;
  if (a.authorizerResultTtlInSeconds !== undefined) ext.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds;
  scheme[`${X}authorizer`] = ext;
  return scheme;
}

function exportIntegration(resource: StoredResource, integration: Integration): Record<string, unknown> {
  const out: Record<string, unknown> = { type: (integration.type ?? 'MOCK').toLowerCase() };
  if (integration.credentials !== undefined) out.credentials = integration.credentials;
  if (integration.httpMethod !== undefined) out.httpMethod = integration.httpMethod;
  if (integration.uri !== undefined) out.uri = integration.uri;
  if (integration.connectionType === 'VPC_LINK') {
    out.connectionType = 'VPC_LINK';
    if (integration.connectionId !== undefined) out.connectionId = integration.connectionId;
  }
  if (integration.integrationResponses !== undefined) {
    const responses: Record<string, unknown> = {};
    for (const r of Object.values(integration.integrationResponses)) {
      const response: Record<string, unknown> = { statusCode: r.statusCode };
      if (r.responseParameters !== undefined) response.responseParameters = r.responseParameters;
      if (r.responseTemplates !== undefined) response.responseTemplates = r.responseTemplates;
      if (r.contentHandling !== undefined) response.contentHandling = r.contentHandling;
      responses[r.selectionPattern ?? 'default'] = response;
    }
    out.responses = responses;
  }
  if (integration.requestParameters !== undefined) out.requestParameters = integration.requestParameters;
  if (integration.requestTemplates !== undefined) out.requestTemplates = integration.requestTemplates;
  if (integration.passthroughBehavior !== undefined) out.passthroughBehavior = integration.passthroughBehavior.toLowerCase();
  if (integration.contentHandling !== undefined) out.contentHandling = integration.contentHandling;
  if (integration.timeoutInMillis !== undefined && integration.timeoutInMillis !== 29000) out.timeoutInMillis = integration.timeoutInMillis;
  if (integration.cacheNamespace !== undefined && integration.cacheNamespace !== resource.id) out.cacheNamespace = integration.cacheNamespace;
  if (integration.cacheKeyParameters !== undefined && integration.cacheKeyParameters.length > 0) out.cacheKeyParameters = integration.cacheKeyParameters;
  if (integration.tlsConfig?.insecureSkipVerification !== undefined) out.tlsConfig = { insecureSkipVerification: integration.tlsConfig.insecureSkipVerification };
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

