import type {
  Authorizer,
  DocumentationPart,
  GatewayResponse,
  Integration,
  IntegrationResponse,
  Method,
  MethodResponse,
  Model,
  RequestValidator,
} from '../../api/apigateway-shapes.js';
import type { RestApiDocument, StoredResource } from '../../model/rest-api.js';
import { asBoolean, asNumber, asObject, asString, asStringList, asStringMap, isObject, specVersion, SpecError, type SpecObject, type SpecVersion } from './parse.js';
import { modelUrl, refModelName, resolveLocal, rewriteSchemaRefs } from './refs.js';

/**
 * OpenAPI 3.0 / Swagger 2.0 with API Gateway's `x-amazon-apigateway-*` extensions → a REST API
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html).
 * Pure: ids come from `newId`, the API being changed comes in and the changed copy goes out.
 */

export type BasePathMode = 'ignore' | 'prepend' | 'split';
export type ImportMode = 'overwrite' | 'merge';
export type IdKind = 'resource' | 'model' | 'authorizer' | 'validator' | 'documentation';

export interface RestImportOptions {
  mode: ImportMode;
  basepath: BasePathMode;
  newId: (kind: IdKind) => string;
}

export interface RestImportResult {
  document: RestApiDocument;
  warnings: string[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const X = 'x-amazon-apigateway-';

/** One problem found while reading the document, collected so the answer can list them all. */
class Findings {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
}

/**
 * Applies a document to a REST API (`existing`: the API as stored, or a freshly created empty one
 * for ImportRestApi). `overwrite` replaces the definition — resources (the root keeps its id),
 * models, authorizers, validators, gateway responses, documentation; `merge` adds to it, the
 * document winning where both define a method, model, authorizer, validator or response
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html). Throws SpecError with
 * AWS's message when the document cannot be imported.
 */
export function importRestApi(existing: RestApiDocument, spec: SpecObject, options: RestImportOptions): RestImportResult {
  const version = specVersion(spec);
  const findings = new Findings();
  const doc = structuredClone(existing);
  const restApiId = doc.api.id;
  const overwrite = options.mode === 'overwrite';

  applyApiFields(doc, spec, overwrite, findings);

  // Models first: methods name them.
  const schemas = asObject(version === 'swagger2' ? spec.definitions : asObject(spec.components).schemas);
  if (overwrite) doc.models = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!/^[a-zA-Z0-9]+$/.test(name)) {
      findings.errors.push(`Unable to create model for '${name}': Model name must be alphanumeric: ${name}`);
      continue;
    }
    const rewritten = rewriteSchemaRefs(schema, (ref) => modelUrl(restApiId, ref));
    const model: Model = {
      id: doc.models[name]?.id ?? options.newId('model'),
      name,
      schema: JSON.stringify(rewritten),
      contentType: 'application/json',
    };
    const description = asString(asObject(schema).description);
    if (description !== undefined) model.description = description;
    doc.models[name] = model;
  }
  for (const [name, schema] of Object.entries(schemas)) {
    forEachRef(schema, (ref) => {
      if (doc.models[ref] === undefined) findings.errors.push(`Unable to create model for '${name}': Invalid model specified: Unknown model reference '${ref}'`);
    });
  }

  if (overwrite) {
    doc.requestValidators = {};
    doc.authorizers = {};
    doc.gatewayResponses = {};
    doc.documentationParts = {};
  }
  const validators = importValidators(doc, spec, options, findings);
  const security = importSecuritySchemes(doc, spec, version, options, findings);
  importGatewayResponses(doc, spec, findings);
  importDocumentation(doc, spec, options);

  // Resources and methods.
  const root = doc.resources[doc.api.rootResourceId];
  if (overwrite) {
    doc.resources = { [root.id]: { ...root, resourceMethods: undefined } };
    delete doc.resources[root.id].resourceMethods;
  }
  const prefix = basePathPrefix(spec, version, options.basepath);
  const defaultValidator = asString(spec[`${X}request-validator`]);
  const paths = asObject(spec.paths);
  for (const [rawPath, rawItem] of Object.entries(paths)) {
    const item = asObject(resolveLocal(spec, rawItem));
    const path = joinPath(prefix, rawPath);
    if (!path.startsWith('/')) {
      findings.errors.push(`Invalid resource path: ${rawPath}`);
      continue;
    }
    const operations: [string, Record<string, unknown>][] = [];
    for (const m of HTTP_METHODS) if (isObject(item[m])) operations.push([m.toUpperCase(), item[m] as Record<string, unknown>]);
    if (isObject(item[ANY_METHOD])) operations.push(['ANY', item[ANY_METHOD] as Record<string, unknown>]);
    const resource = ensureResource(doc, path, options, findings);
    if (resource === undefined) continue;
    for (const [httpMethod, operation] of operations) {
      const context: OperationContext = { spec, version, path, httpMethod, doc, security, validators, defaultValidator, findings, pathParameters: item.parameters };
      const method = importMethod(operation, resource, context);
      if (method === undefined) continue;
      resource.resourceMethods = { ...(resource.resourceMethods ?? {}), [httpMethod]: method };
    }
  }

  if (findings.errors.length > 0) throw new SpecError(`Errors found during import:\n\t${findings.errors.join('\n\t')}`);
  return { document: doc, warnings: findings.warnings };
}

// ---------------------------------------------------------------------------------------------
// The API itself

function applyApiFields(doc: RestApiDocument, spec: SpecObject, overwrite: boolean, findings: Findings): void {
  const info = asObject(spec.info);
  const title = asString(info.title);
  if (title === undefined || title.trim() === '') {
    // A REST API needs a name; AWS refuses a document whose info has no title.
    findings.errors.push('Invalid API name specified. API name must be non-empty.');
  } else doc.api.name = title;
  const description = asString(info.description);
  if (description !== undefined) doc.api.description = description;
  else if (overwrite) delete doc.api.description;
  const version = asString(info.version);
  if (version !== undefined) doc.api.version = version;
  else if (overwrite) delete doc.api.version;

  const binary = asStringList(spec[`${X}binary-media-types`]);
  if (overwrite) {
    if (binary !== undefined && binary.length > 0) doc.api.binaryMediaTypes = binary;
    else delete doc.api.binaryMediaTypes;
  } else if (binary !== undefined) {
    const merged = [...(doc.api.binaryMediaTypes ?? [])];
    for (const type of binary) if (!merged.includes(type)) merged.push(type);
    doc.api.binaryMediaTypes = merged;
  }

  const compression = spec[`${X}minimum-compression-size`];
  if (compression !== undefined) {
    const size = asNumber(compression);
    if (size === undefined || !Number.isInteger(size) || size < 0 || size > 10485760) findings.errors.push('Invalid minimum compression size, must be between 0 and 10485760');
    else doc.api.minimumCompressionSize = size;
  }

  const keySource = spec[`${X}api-key-source`];
  if (keySource !== undefined) {
    const source = asString(keySource)?.toUpperCase();
    if (source === 'HEADER' || source === 'AUTHORIZER') doc.api.apiKeySource = source;
    else findings.errors.push(`Invalid API key source: ${String(keySource)}`);
  }

  const policy = spec[`${X}policy`];
  if (policy !== undefined) doc.api.policy = typeof policy === 'string' ? policy : JSON.stringify(policy);

  const endpoint = asObject(spec[`${X}endpoint-configuration`]);
  const vpcEndpointIds = asStringList(endpoint.vpcEndpointIds);
  if (vpcEndpointIds !== undefined) doc.api.endpointConfiguration = { ...(doc.api.endpointConfiguration ?? {}), vpcEndpointIds };
  const disable = asBoolean(endpoint.disableExecuteApiEndpoint);
  if (disable !== undefined) doc.api.disableExecuteApiEndpoint = disable;
  const ipAddressType = asString(endpoint.ipAddressType);
  if (ipAddressType === 'ipv4' || ipAddressType === 'dualstack') doc.api.endpointConfiguration = { ...(doc.api.endpointConfiguration ?? {}), ipAddressType };

  // Swagger/OpenAPI `tags` with `x-amazon-apigateway-tag-value` become the API's tags.
  if (Array.isArray(spec.tags)) {
    const tags: Record<string, string> = { ...(doc.api.tags ?? {}) };
    let any = false;
    for (const tag of spec.tags) {
      const name = asString(asObject(tag).name);
      const value = asString(asObject(tag)[`${X}tag-value`]);
      if (name !== undefined && value !== undefined) {
        tags[name] = value;
        any = true;
      }
    }
    if (any) doc.api.tags = tags;
  }
}

// ---------------------------------------------------------------------------------------------
// Validators, authorizers, gateway responses, documentation

function importValidators(doc: RestApiDocument, spec: SpecObject, options: RestImportOptions, findings: Findings): Map<string, string> {
  const byName = new Map<string, string>();
  for (const v of Object.values(doc.requestValidators)) if (v.name !== undefined && v.id !== undefined) byName.set(v.name, v.id);
  for (const [name, raw] of Object.entries(asObject(spec[`${X}request-validators`]))) {
    if (!isObject(raw)) {
      findings.errors.push(`Invalid request validator: ${name}`);
      continue;
    }
    const id = byName.get(name) ?? options.newId('validator');
    const validator: RequestValidator = {
      id,
      name,
      validateRequestBody: asBoolean(raw.validateRequestBody) ?? false,
      validateRequestParameters: asBoolean(raw.validateRequestParameters) ?? false,
    };
    doc.requestValidators[id] = validator;
    byName.set(name, id);
  }
  return byName;
}

/** What a security scheme means to a method. */
type SecurityScheme = { kind: 'apiKey' } | { kind: 'iam' } | { kind: 'authorizer'; id: string; type: NonNullable<Authorizer['type']> };

function importSecuritySchemes(doc: RestApiDocument, spec: SpecObject, version: SpecVersion, options: RestImportOptions, findings: Findings): Map<string, SecurityScheme> {
  const schemes = new Map<string, SecurityScheme>();
  const raw = asObject(version === 'swagger2' ? spec.securityDefinitions : asObject(spec.components).securitySchemes);
  const existingByName = new Map<string, string>();
  for (const a of Object.values(doc.authorizers)) if (a.name !== undefined && a.id !== undefined) existingByName.set(a.name, a.id);
  for (const [name, value] of Object.entries(raw)) {
    const scheme = asObject(resolveLocal(spec, value));
    const authType = asString(scheme[`${X}authtype`]);
    const ext = scheme[`${X}authorizer`];
    if (isObject(ext)) {
      const typeText = (asString(ext.type) ?? 'token').toLowerCase();
      const type = typeText === 'token' ? 'TOKEN' : typeText === 'request' ? 'REQUEST' : typeText === 'cognito_user_pools' ? 'COGNITO_USER_POOLS' : undefined;
      if (type === undefined) {
        findings.errors.push(`Unable to create authorizer '${name}': Invalid authorizer type: ${String(ext.type)}`);
        continue;
      }
      const id = existingByName.get(name) ?? options.newId('authorizer');
      const authorizer: Authorizer = { id, name, type };
      if (authType !== undefined) authorizer.authType = authType;
      else if (type === 'COGNITO_USER_POOLS') authorizer.authType = 'cognito_user_pools';
      const uri = asString(ext.authorizerUri);
      if (uri !== undefined) authorizer.authorizerUri = uri;
      const credentials = asString(ext.authorizerCredentials);
      if (credentials !== undefined) authorizer.authorizerCredentials = credentials;
      const providers = asStringList(ext.providerARNs);
      if (providers !== undefined) authorizer.providerARNs = providers;
      const ttl = asNumber(ext.authorizerResultTtlInSeconds);
      if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
      const validation = asString(ext.identityValidationExpression);
      if (validation !== undefined) authorizer.identityValidationExpression = validation;
      // TOKEN and Cognito authorizers read the header the scheme names when the extension names none.
      const identitySource = asString(ext.identitySource) ?? (type !== 'REQUEST' && scheme.in === 'header' && typeof scheme.name === 'string' ? `method.request.header.${scheme.name}` : undefined);
      if (identitySource !== undefined) authorizer.identitySource = identitySource;
      if (type === 'COGNITO_USER_POOLS' && (providers === undefined || providers.length === 0)) {
        findings.errors.push(`Unable to create authorizer '${name}': ProviderARNs need to be specified for COGNITO_USER_POOLS authorizer`);
        continue;
      }
      if (type !== 'COGNITO_USER_POOLS' && uri === undefined) {
        findings.errors.push(`Unable to create authorizer '${name}': Authorizer URI must be specified for ${type} authorizer`);
        continue;
      }
      doc.authorizers[id] = authorizer;
      schemes.set(name, { kind: 'authorizer', id, type });
    } else if (authType !== undefined && authType.toLowerCase() === 'awssigv4') {
      schemes.set(name, { kind: 'iam' });
    } else if (scheme.type === 'apiKey' && typeof scheme.name === 'string' && scheme.name.toLowerCase() === 'x-api-key' && scheme.in === 'header') {
      schemes.set(name, { kind: 'apiKey' });
    } else {
      findings.warnings.push(`Ignoring security definition '${name}': API Gateway only supports API key (x-api-key header), AWS SigV4 and x-amazon-apigateway-authorizer security definitions.`);
    }
  }
  return schemes;
}

const GATEWAY_RESPONSE_TYPES = new Set([
  'DEFAULT_4XX', 'DEFAULT_5XX', 'RESOURCE_NOT_FOUND', 'UNAUTHORIZED', 'INVALID_API_KEY', 'ACCESS_DENIED', 'AUTHORIZER_FAILURE',
  'AUTHORIZER_CONFIGURATION_ERROR', 'INVALID_SIGNATURE', 'EXPIRED_TOKEN', 'MISSING_AUTHENTICATION_TOKEN', 'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT', 'API_CONFIGURATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST_PARAMETERS', 'BAD_REQUEST_BODY',
  'REQUEST_TOO_LARGE', 'THROTTLED', 'QUOTA_EXCEEDED', 'WAF_FILTERED',
]);

function importGatewayResponses(doc: RestApiDocument, spec: SpecObject, findings: Findings): void {
  for (const [type, raw] of Object.entries(asObject(spec[`${X}gateway-responses`]))) {
    if (!GATEWAY_RESPONSE_TYPES.has(type)) {
      findings.errors.push(`Invalid gateway response type: ${type}`);
      continue;
    }
    const value = asObject(raw);
    const response: GatewayResponse = { responseType: type as GatewayResponse['responseType'], defaultResponse: false };
    const statusCode = asString(value.statusCode);
    if (statusCode !== undefined) response.statusCode = statusCode;
    const parameters = asStringMap(value.responseParameters);
    if (parameters !== undefined) response.responseParameters = parameters;
    const templates = asStringMap(value.responseTemplates);
    if (templates !== undefined) response.responseTemplates = templates;
    doc.gatewayResponses[type] = response;
  }
}

function importDocumentation(doc: RestApiDocument, spec: SpecObject, options: RestImportOptions): void {
  const documentation = asObject(spec[`${X}documentation`]);
  if (!Array.isArray(documentation.documentationParts)) return;
  for (const raw of documentation.documentationParts) {
    const part = asObject(raw);
    const location = asObject(part.location);
    if (typeof location.type !== 'string') continue;
    // A part for a location the API documents already replaces it (merge keeps the others).
    const same = Object.values(doc.documentationParts).find((p) => (['type', 'path', 'method', 'statusCode', 'name'] as const).every((k) => asString(location[k]) === p.location?.[k]));
    const id = same?.id ?? options.newId('documentation');
    const stored: DocumentationPart = {
      id,
      location: { type: location.type as NonNullable<DocumentationPart['location']>['type'] },
      properties: typeof part.properties === 'string' ? part.properties : JSON.stringify(part.properties ?? {}),
    };
    for (const key of ['path', 'method', 'statusCode', 'name'] as const) {
      const v = asString(location[key]);
      if (v !== undefined) stored.location![key] = v;
    }
    doc.documentationParts[id] = stored;
  }
}

// ---------------------------------------------------------------------------------------------
// Paths and resources

/**
 * The path the document's base path puts in front of every path: `ignore` none, `prepend` all of
 * it, `split` all but its first segment (that one is taken as a stage name)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api-basePath.html).
 * Swagger's is `basePath`; OpenAPI 3's the path of the first server's URL, its variables at their
 * defaults.
 */
export function basePathPrefix(spec: SpecObject, version: SpecVersion, mode: BasePathMode): string {
  if (mode === 'ignore') return '';
  let basePath = '';
  if (version === 'swagger2') basePath = asString(spec.basePath) ?? '';
  else {
    const server = Array.isArray(spec.servers) ? asObject(spec.servers[0]) : {};
    let url = asString(server.url) ?? '';
    const variables = asObject(server.variables);
    url = url.replace(/\{([^}]+)\}/g, (_, name: string) => asString(asObject(variables[name]).default) ?? '');
    const withoutScheme = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, '');
    basePath = withoutScheme.split(/[?#]/)[0];
  }
  const segments = basePath.split('/').filter((s) => s.length > 0);
  const kept = mode === 'split' ? segments.slice(1) : segments;
  return kept.length === 0 ? '' : `/${kept.join('/')}`;
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path === '/' ? prefix : `${prefix}${path}`;
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html: a path part is
// literal characters, or one `{name}` / a greedy `{name+}`.
const PATH_PART = /^(?:[a-zA-Z0-9._:@$&'()*,;=~!-]+|\{[a-zA-Z0-9._-]+\+?\})$/;

function ensureResource(doc: RestApiDocument, path: string, options: RestImportOptions, findings: Findings): StoredResource | undefined {
  const byPath = new Map<string, StoredResource>();
  for (const r of Object.values(doc.resources)) byPath.set(r.path, r);
  let parent = doc.resources[doc.api.rootResourceId];
  const parts = path.split('/').filter((s) => s.length > 0);
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    if (!PATH_PART.test(part)) {
      findings.errors.push(
        `Unable to create resource at path '${path}': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`,
      );
      return undefined;
    }
    let resource = byPath.get(current);
    if (resource === undefined) {
      if (part.startsWith('{')) {
        const sibling = Object.values(doc.resources).find((r) => r.parentId === parent.id && r.pathPart?.startsWith('{') && r.pathPart !== part);
        if (sibling) {
          findings.errors.push(`Unable to create resource at path '${path}': A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
          return undefined;
        }
      }
      if (parent.pathPart?.endsWith('+}')) {
        findings.errors.push(`Unable to create resource at path '${path}': Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
        return undefined;
      }
      const id = options.newId('resource');
      resource = { id, parentId: parent.id, pathPart: part, path: current };
      doc.resources[id] = resource;
      byPath.set(current, resource);
    }
    parent = resource;
  }
  return parent;
}

// ---------------------------------------------------------------------------------------------
// Methods

interface OperationContext {
  spec: SpecObject;
  version: SpecVersion;
  path: string;
  httpMethod: string;
  doc: RestApiDocument;
  security: Map<string, SecurityScheme>;
  validators: Map<string, string>;
  defaultValidator: string | undefined;
  findings: Findings;
  pathParameters: unknown;
}

const PARAMETER_LOCATIONS: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };

function importMethod(operation: Record<string, unknown>, resource: StoredResource, ctx: OperationContext): Method | undefined {
  const { spec, version, doc, findings } = ctx;
  const where = `Unable to put method '${ctx.httpMethod}' on resource at path '${ctx.path}'`;
  const method: Method = { httpMethod: ctx.httpMethod, authorizationType: 'NONE', apiKeyRequired: false };
  const operationId = asString(operation.operationId);
  if (operationId !== undefined) method.operationName = operationId;

  // Parameters: the path item's, then the operation's (which win, OpenAPI's rule).
  const parameters = new Map<string, Record<string, unknown>>();
  for (const list of [ctx.pathParameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = asObject(resolveLocal(spec, raw));
      parameters.set(`${String(p.in)}:${String(p.name)}`, p);
    }
  }
  const requestParameters: Record<string, boolean> = {};
  const requestModels: Record<string, string> = {};
  const consumes = asStringList(operation.consumes) ?? asStringList(spec.consumes) ?? ['application/json'];
  for (const p of parameters.values()) {
    const name = asString(p.name);
    const location = typeof p.in === 'string' ? PARAMETER_LOCATIONS[p.in] : undefined;
    if (location !== undefined && name !== undefined) requestParameters[`method.request.${location}.${name}`] = asBoolean(p.required) ?? false;
    else if (p.in === 'body' && version === 'swagger2') {
      const model = schemaModel(p.schema, doc, findings, where);
      if (model !== undefined) for (const type of consumes) requestModels[type] = model;
    }
  }
  if (version === 'openapi3' && operation.requestBody !== undefined) {
    const body = asObject(resolveLocal(spec, operation.requestBody));
    for (const [type, media] of Object.entries(asObject(body.content))) {
      const model = schemaModel(asObject(media).schema, doc, findings, where);
      if (model !== undefined) requestModels[type] = model;
    }
  }
  if (Object.keys(requestParameters).length > 0) method.requestParameters = requestParameters;
  if (Object.keys(requestModels).length > 0) method.requestModels = requestModels;

  // Request validator: the operation's, else the document's default.
  const validatorName = asString(operation[`${X}request-validator`]) ?? ctx.defaultValidator;
  if (validatorName !== undefined) {
    const id = ctx.validators.get(validatorName);
    if (id === undefined) findings.errors.push(`${where}: Invalid request validator specified: ${validatorName}`);
    else method.requestValidatorId = id;
  }

  applySecurity(method, operation, ctx, where);

  // Method responses.
  const produces = asStringList(operation.produces) ?? asStringList(spec.produces) ?? ['application/json'];
  const methodResponses: Record<string, MethodResponse> = {};
  for (const [code, raw] of Object.entries(asObject(operation.responses))) {
    if (!/^[1-5]\d\d$/.test(code)) {
      if (code !== 'default') findings.warnings.push(`${where}: Invalid status code '${code}' in responses: ignored`);
      continue;
    }
    const response = asObject(resolveLocal(spec, raw));
    const methodResponse: MethodResponse = { statusCode: code };
    const headers = Object.keys(asObject(response.headers));
    if (headers.length > 0) methodResponse.responseParameters = Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false]));
    const responseModels: Record<string, string> = {};
    if (version === 'swagger2') {
      const model = response.schema === undefined ? undefined : schemaModel(response.schema, doc, findings, where);
      if (model !== undefined) for (const type of produces) responseModels[type] = model;
    } else {
      for (const [type, media] of Object.entries(asObject(response.content))) {
        const model = schemaModel(asObject(media).schema, doc, findings, where);
        if (model !== undefined) responseModels[type] = model;
      }
    }
    if (Object.keys(responseModels).length > 0) methodResponse.responseModels = responseModels;
    methodResponses[code] = methodResponse;
  }
  if (Object.keys(methodResponses).length > 0) method.methodResponses = methodResponses;

  const integration = operation[`${X}integration`];
  if (integration !== undefined) {
    const built = importIntegration(asObject(integration), resource, where, findings);
    if (built !== undefined) method.methodIntegration = built;
  }
  return method;
}

/** The model a parameter's, body's or response's schema names, when it names one by `$ref`. */
function schemaModel(schema: unknown, doc: RestApiDocument, findings: Findings, where: string): string | undefined {
  if (!isObject(schema) || schema.$ref === undefined) return undefined;
  const name = refModelName(schema.$ref);
  if (name === undefined || doc.models[name] === undefined) {
    findings.errors.push(`${where}: Invalid model identifier specified: ${name ?? String(schema.$ref)}`);
    return undefined;
  }
  return name;
}

function applySecurity(method: Method, operation: Record<string, unknown>, ctx: OperationContext, where: string): void {
  const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(ctx.spec.security) ? ctx.spec.security : [];
  for (const requirement of requirements) {
    for (const [name, scopes] of Object.entries(asObject(requirement))) {
      const scheme = ctx.security.get(name);
      if (scheme === undefined) {
        ctx.findings.errors.push(`${where}: No security definition found for '${name}'`);
        continue;
      }
      if (scheme.kind === 'apiKey') method.apiKeyRequired = true;
      else if (scheme.kind === 'iam') method.authorizationType = 'AWS_IAM';
      else {
        method.authorizationType = scheme.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        method.authorizerId = scheme.id;
        const list = asStringList(scopes);
        if (scheme.type === 'COGNITO_USER_POOLS' && list !== undefined && list.length > 0) method.authorizationScopes = list;
      }
    }
  }
  // `x-amazon-apigateway-auth` sets the authorization type outright (AWS_IAM or NONE).
  const auth = asObject(operation[`${X}auth`]);
  const type = asString(auth.type)?.toUpperCase();
  if (type === 'AWS_IAM' || type === 'NONE') {
    method.authorizationType = type;
    delete method.authorizerId;
    delete method.authorizationScopes;
  } else if (auth.type !== undefined) ctx.findings.errors.push(`${where}: Invalid authorization type: ${String(auth.type)}`);
}

const INTEGRATION_TYPES = new Set(['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY']);
const PASSTHROUGH = new Set(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']);

function importIntegration(raw: Record<string, unknown>, resource: StoredResource, where: string, findings: Findings): Integration | undefined {
  const type = asString(raw.type)?.toUpperCase();
  if (type === undefined || !INTEGRATION_TYPES.has(type)) {
    findings.errors.push(`${where}: Invalid integration type specified: ${String(raw.type)}`);
    return undefined;
  }
  const integration: Integration = { type: type as Integration['type'] };
  const httpMethod = asString(raw.httpMethod)?.toUpperCase();
  const uri = asString(raw.uri);
  if (type !== 'MOCK') {
    if (uri === undefined) {
      findings.errors.push(`${where}: Enumeration value for HttpMethod must be non-empty`);
      return undefined;
    }
    if (httpMethod === undefined) {
      findings.errors.push(`${where}: Enumeration value for HttpMethod must be non-empty`);
      return undefined;
    }
    integration.httpMethod = httpMethod;
    integration.uri = uri;
  } else {
    if (httpMethod !== undefined) integration.httpMethod = httpMethod;
    if (uri !== undefined) integration.uri = uri;
  }
  const connectionType = asString(raw.connectionType)?.toUpperCase();
  if (connectionType === 'VPC_LINK' || connectionType === 'INTERNET') integration.connectionType = connectionType;
  // Recorded (test_apigateway_import.py): HTTP and HTTP_PROXY integrations read back with
  // connectionType INTERNET, AWS and MOCK ones without one.
  else if (type === 'HTTP' || type === 'HTTP_PROXY') integration.connectionType = 'INTERNET';
  const connectionId = asString(raw.connectionId);
  if (connectionId !== undefined) integration.connectionId = connectionId;
  const credentials = asString(raw.credentials);
  if (credentials !== undefined) integration.credentials = credentials;
  const requestParameters = asStringMap(raw.requestParameters);
  if (requestParameters !== undefined && Object.keys(requestParameters).length > 0) integration.requestParameters = requestParameters;
  const requestTemplates = asStringMap(raw.requestTemplates);
  if (requestTemplates !== undefined && Object.keys(requestTemplates).length > 0) integration.requestTemplates = requestTemplates;
  const passthrough = asString(raw.passthroughBehavior)?.toUpperCase() ?? 'WHEN_NO_MATCH';
  if (!PASSTHROUGH.has(passthrough)) {
    findings.errors.push(`${where}: Invalid passthrough behavior specified: ${String(raw.passthroughBehavior)}`);
    return undefined;
  }
  integration.passthroughBehavior = passthrough;
  const contentHandling = asString(raw.contentHandling)?.toUpperCase();
  if (contentHandling === 'CONVERT_TO_BINARY' || contentHandling === 'CONVERT_TO_TEXT') integration.contentHandling = contentHandling;
  else if (raw.contentHandling !== undefined) findings.errors.push(`${where}: Invalid content handling specified: ${String(raw.contentHandling)}`);
  const timeout = raw.timeoutInMillis === undefined ? 29000 : asNumber(raw.timeoutInMillis);
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: 50 ms to 29 s by default.
  if (timeout === undefined || !Number.isInteger(timeout) || timeout < 50) findings.errors.push(`${where}: Timeout should be between 50 ms and 29000 ms`);
  else integration.timeoutInMillis = timeout;
  integration.cacheNamespace = asString(raw.cacheNamespace) ?? resource.id;
  integration.cacheKeyParameters = asStringList(raw.cacheKeyParameters) ?? [];
  const tls = asObject(raw.tlsConfig);
  const skip = asBoolean(tls.insecureSkipVerification);
  if (skip !== undefined) integration.tlsConfig = { insecureSkipVerification: skip };

  if (raw.responses !== undefined) {
    const responses: Record<string, IntegrationResponse> = {};
    for (const [pattern, value] of Object.entries(asObject(raw.responses))) {
      const r = asObject(value);
      const statusCode = asString(r.statusCode);
      if (statusCode === undefined || !/^[1-5]\d\d$/.test(statusCode)) {
        findings.errors.push(`${where}: Invalid integration response status code specified: ${String(r.statusCode)}`);
        continue;
      }
      const response: IntegrationResponse = { statusCode };
      if (pattern !== 'default') response.selectionPattern = pattern;
      const parameters = asStringMap(r.responseParameters);
      if (parameters !== undefined && Object.keys(parameters).length > 0) response.responseParameters = parameters;
      const templates = asStringMap(r.responseTemplates);
      if (templates !== undefined && Object.keys(templates).length > 0) response.responseTemplates = templates;
      const handling = asString(r.contentHandling)?.toUpperCase();
      if (handling === 'CONVERT_TO_BINARY' || handling === 'CONVERT_TO_TEXT') response.contentHandling = handling;
      responses[statusCode] = response;
    }
    if (Object.keys(responses).length > 0) integration.integrationResponses = responses;
  }
  return integration;
}

function forEachRef(schema: unknown, visit: (modelName: string) => void): void {
  if (Array.isArray(schema)) for (const s of schema) forEachRef(s, visit);
  else if (isObject(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref') {
        const name = refModelName(v);
        if (name !== undefined) visit(name);
      } else forEachRef(v, visit);
    }
  }
}
