import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { invalidPatchPath, opNotSupported, pathNotOneOf, patchBoolean, patchInteger, splitFirst, type PatchOperation } from '../model/patch.js';
import type { RestApiDocument } from '../model/rest-api.js';
import {
  shapes,
  type Authorizer,
  type CreateAuthorizerRequest,
  type CreateModelRequest,
  type DocumentationPart,
  type DocumentationPartLocation,
  type GatewayResponse,
  type GetDocumentationPartsRequest,
  type Model,
  type PutGatewayResponseRequest,
  type RequestValidator,
} from './apigateway-shapes.js';
import { restAction } from './action.js';
import { changeApi, clone, defined, nowSeconds, page, readApi } from './rest-common.js';

// ---- authorizers ------------------------------------------------------------------------------------

const authorizerNotFound = () => gatewayErrors.notFound('Invalid Authorizer identifier specified');
/** A TOKEN authorizer reads one header (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html, identitySource). */
const TOKEN_SOURCE = /^method\.request\.header\.[^\s,]+$/;
const REQUEST_SOURCE = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;

function checkAuthorizer(a: Authorizer): void {
  if (!a.name) throw gatewayErrors.badRequest('Authorizer name must be non-empty');
  const ttl = a.authorizerResultTtlInSeconds;
  if (ttl !== undefined && (ttl < 0 || ttl > 3600)) throw gatewayErrors.badRequest('Invalid Authorizer result TTL specified, must be between 0 and 3600 seconds');
  if (a.type === 'COGNITO_USER_POOLS') {
    if (!a.providerARNs || a.providerARNs.length === 0) throw gatewayErrors.badRequest('ProviderARNs need to be specified for authorizer of type COGNITO_USER_POOLS');
    for (const arn of a.providerARNs)
      if (!/^arn:[^:]+:cognito-idp:[^:]+:\d{12}:userpool\/\S+$/.test(arn)) throw gatewayErrors.badRequest(`Invalid ARN specified in the request: ${arn}`);
    if (a.identitySource !== undefined && !TOKEN_SOURCE.test(a.identitySource)) throw gatewayErrors.badRequest(`Invalid identity source specified: ${a.identitySource}`);
    return;
  }
  if (!a.authorizerUri) throw gatewayErrors.badRequest(`Authorizer URI must be specified for authorizer of type ${a.type}`);
  const uri = /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/arn:[^:]+:lambda:[^:]+:\d{12}:function:[^/]+\/invocations$/;
  if (!uri.test(a.authorizerUri)) throw gatewayErrors.badRequest(`Invalid Authorizer URI specified: ${a.authorizerUri}`);
  if (a.type === 'TOKEN') {
    if (!a.identitySource || !TOKEN_SOURCE.test(a.identitySource)) throw gatewayErrors.badRequest(`Invalid identity source specified: ${a.identitySource ?? 'null'}`);
  } else if (a.identitySource !== undefined && a.identitySource !== '') {
    for (const source of a.identitySource.split(',').map((s) => s.trim()))
      if (!REQUEST_SOURCE.test(source)) throw gatewayErrors.badRequest(`Invalid identity source specified: ${source}`);
  } else if ((a.authorizerResultTtlInSeconds ?? 300) > 0) {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html: caching keys on the identity sources.
    throw gatewayErrors.badRequest('Identity sources must be specified when authorizer caching is enabled');
  }
}

const AUTHORIZER_PATHS = ['/name', '/type', '/authType', '/authorizerUri', '/authorizerCredentials', '/identitySource', '/identityValidationExpression', '/authorizerResultTtlInSeconds', '/providerARNs'];

function patchAuthorizer(a: Authorizer, op: PatchOperation): void {
  const path = op.path ?? '';
  const { head, rest } = splitFirst(path);
  const target = a as Authorizer & Record<string, unknown>;
  if (head === 'providerARNs') {
    const arns = new Set(a.providerARNs ?? []);
    const value = rest ?? op.value ?? '';
    if (op.op === 'add') arns.add(value);
    else if (op.op === 'remove') arns.delete(value);
    else if (op.op === 'replace') {
      arns.clear();
      arns.add(value);
    } else throw opNotSupported(path, op.op ?? '');
    a.providerARNs = [...arns];
    return;
  }
  if (!AUTHORIZER_PATHS.includes(path)) throw pathNotOneOf(path, op.op ?? '', AUTHORIZER_PATHS);
  if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
  if (head === 'authorizerResultTtlInSeconds') a.authorizerResultTtlInSeconds = patchInteger(op, 'authorizerResultTtlInSeconds');
  else if (head === 'type') {
    if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(op.value ?? '')) throw gatewayErrors.badRequest(`Invalid authorizer type specified: ${op.value ?? 'null'}`);
    a.type = op.value as Authorizer['type'];
  } else if (op.value === undefined || op.value === '') delete target[head];
  else target[head] = op.value;
}

/** Where a REST API's methods use something: `<resource path>/<HTTP method>` as AWS names them ("//ANY" on the root). */
function methodsWhere(doc: RestApiDocument, uses: (m: NonNullable<RestApiDocument['resources'][string]['resourceMethods']>[string]) => boolean): string[] {
  const out: string[] = [];
  for (const r of Object.values(doc.resources)) for (const [name, m] of Object.entries(r.resourceMethods ?? {})) if (uses(m)) out.push(`${r.path}/${name}`);
  return out;
}

// ---- models -----------------------------------------------------------------------------------------

const modelNotFound = (name: string) => gatewayErrors.notFound(`Invalid model name specified: ${name}`);

function checkSchema(schema: string | undefined): void {
  if (schema === undefined || schema.trim() === '') throw gatewayErrors.badRequest('Model schema must have at least 1 property or array items defined');
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    throw gatewayErrors.badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw gatewayErrors.badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
}

/**
 * GetModelTemplate: a mapping template that builds the model's shape from the input
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings.html), read from its JSON schema.
 */
export function modelTemplate(schemaText: string): string {
  const schema = JSON.parse(schemaText) as Schema;
  const lines: string[] = ["#set($inputRoot = $input.path('$'))"];
  const render = (s: Schema, ref: string, indent: string): string => {
    if (s.type === 'object' && s.properties) {
      const entries = Object.entries(s.properties).map(([name, p]) => `${indent}  "${name}" : ${render(p, `${ref}.${name}`, `${indent}  `)}`);
      return `{\n${entries.join(',\n')}\n${indent}}`;
    }
    if (s.type === 'array') {
      const item = s.items ?? {};
      const elem = `$elem${indent.length / 2}`;
      return `[\n${indent}#foreach(${elem} in ${ref})\n${indent}  ${render(item, elem, `${indent}  `)}#if($foreach.hasNext),#end\n${indent}#end\n${indent}]`;
    }
    if (s.type === 'string') return `"${ref}"`;
    return ref;
  };
  lines.push(render(schema, '$inputRoot', ''));
  return lines.join('\n');
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

// ---- gateway responses ------------------------------------------------------------------------------

/**
 * The response types and the status each answers when not customised
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
 * DEFAULT_4XX and DEFAULT_5XX have none of their own.
 */
export const DEFAULT_GATEWAY_RESPONSE_STATUS: Record<string, string | undefined> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

export function defaultGatewayResponse(type: string): GatewayResponse {
  return defined({
    responseType: type as GatewayResponse['responseType'],
    statusCode: DEFAULT_GATEWAY_RESPONSE_STATUS[type],
    responseParameters: {},
    responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    defaultResponse: true,
  });
}

/** A gateway response as GetGatewayResponse answers it: the API's own, else AWS's default. */
export function gatewayResponseOf(doc: { gatewayResponses: RestApiDocument['gatewayResponses'] }, type: string): GatewayResponse {
  return doc.gatewayResponses[type] ?? defaultGatewayResponse(type);
}

const GATEWAY_PARAM = /^gatewayresponse\.header\.[^\s]+$/;
const GATEWAY_SOURCE = /^('[^']*'|method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.\S+|stageVariables\.\S+|context\.\S+)$/;

function checkGatewayParameters(params: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(params ?? {})) {
    if (!GATEWAY_PARAM.test(k) || !GATEWAY_SOURCE.test(v ?? ''))
      throw gatewayErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${GATEWAY_PARAM.test(k) ? v : k}]`);
  }
}

function patchGatewayResponse(r: GatewayResponse, op: PatchOperation): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const { head, rest } = splitFirst(path);
  if (head === 'statusCode' && rest === undefined) {
    if (op.op !== 'replace' && op.op !== 'add') throw invalidPatchPath(path);
    if (!/^[1-5]\d\d$/.test(op.value ?? '')) throw gatewayErrors.badRequest(`Invalid status code specified: ${op.value ?? 'null'}`);
    r.statusCode = op.value;
    return;
  }
  if ((head === 'responseParameters' || head === 'responseTemplates') && rest) {
    const map = { ...((r[head] as Record<string, string> | undefined) ?? {}) };
    if (op.op === 'remove') {
      if (!(rest in map)) throw gatewayErrors.notFound(head === 'responseParameters' ? 'Invalid parameter name specified' : 'Content-Type specified was not found');
      delete map[rest];
    } else if (op.op === 'add' || op.op === 'replace') {
      if (op.value === undefined || op.value === null || op.value === '') throw gatewayErrors.badRequest(`Invalid null or empty value in ${head}`);
      if (op.op === 'replace' && !(rest in map)) throw gatewayErrors.notFound(head === 'responseParameters' ? 'Invalid parameter name specified' : 'Content-Type specified was not found');
      if (head === 'responseParameters') checkGatewayParameters({ [rest]: op.value });
      map[rest] = op.value;
    } else throw invalidPatchPath(path);
    r[head] = map;
    return;
  }
  throw invalidPatchPath(path);
}

// ---- documentation ----------------------------------------------------------------------------------

const partNotFound = () => gatewayErrors.notFound('Invalid Documentation part identifier specified');
const versionNotFound = () => gatewayErrors.notFound('Invalid Documentation version specified');

/** Location members each type takes (https://docs.aws.amazon.com/apigateway/latest/api/API_DocumentationPartLocation.html). */
const LOCATION_MEMBERS: Record<string, { path: boolean; method: boolean; statusCode: boolean; name: boolean }> = {
  API: { path: false, method: false, statusCode: false, name: false },
  AUTHORIZER: { path: false, method: false, statusCode: false, name: true },
  MODEL: { path: false, method: false, statusCode: false, name: true },
  RESOURCE: { path: true, method: false, statusCode: false, name: false },
  METHOD: { path: true, method: true, statusCode: false, name: false },
  PATH_PARAMETER: { path: true, method: true, statusCode: false, name: true },
  QUERY_PARAMETER: { path: true, method: true, statusCode: false, name: true },
  REQUEST_HEADER: { path: true, method: true, statusCode: false, name: true },
  REQUEST_BODY: { path: true, method: true, statusCode: false, name: false },
  RESPONSE: { path: true, method: true, statusCode: true, name: false },
  RESPONSE_HEADER: { path: true, method: true, statusCode: true, name: true },
  RESPONSE_BODY: { path: true, method: true, statusCode: true, name: false },
};

function normalizeLocation(location: DocumentationPartLocation): DocumentationPartLocation {
  const takes = LOCATION_MEMBERS[location.type];
  if (!takes) throw gatewayErrors.badRequest(`Invalid documentation location type specified: ${location.type}`);
  for (const member of ['path', 'method', 'statusCode', 'name'] as const)
    if (location[member] !== undefined && !takes[member]) throw gatewayErrors.badRequest(`Invalid location specified: ${member} is not applicable for type ${location.type}`);
  if (takes.name && !location.name) throw gatewayErrors.badRequest(`Invalid location specified: name is required for type ${location.type}`);
  return defined({
    type: location.type,
    path: takes.path ? location.path ?? '/' : undefined,
    method: takes.method ? location.method ?? '*' : undefined,
    statusCode: takes.statusCode ? location.statusCode ?? '*' : undefined,
    name: location.name,
  });
}

const sameLocation = (a: DocumentationPartLocation, b: DocumentationPartLocation) =>
  a.type === b.type && a.path === b.path && a.method === b.method && a.statusCode === b.statusCode && a.name === b.name;

function checkProperties(properties: string): void {
  try {
    const parsed = JSON.parse(properties);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw gatewayErrors.badRequest('Invalid Documentation part properties specified. Properties must be a valid JSON object');
  }
}

// ---- actions ----------------------------------------------------------------------------------------

export function extraActions(ctx: GatewayContext): ActionDefinition[] {
  const read = (rc: RequestContext, id: string, missing?: () => Error) => readApi(ctx, rc, id, missing as never);
  const change = <R>(rc: RequestContext, id: string, fn: (doc: RestApiDocument) => R, missing?: () => Error) => changeApi(ctx, rc, id, fn, missing as never);
  type Keyed = { restApiId: string };

  return [
    // authorizers
    restAction(shapes, 'CreateAuthorizer', (input: CreateAuthorizerRequest, rc) =>
      // AWS answers an unknown API here with a ConflictException (recorded against AWS).
      change(rc, input.restApiId, (doc) => {
        const a: Authorizer = defined({
          id: gatewayId(6),
          name: input.name,
          type: input.type,
          providerARNs: input.providerARNs,
          authType: input.authType ?? (input.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
          authorizerUri: input.authorizerUri,
          authorizerCredentials: input.authorizerCredentials,
          identitySource: input.identitySource,
          identityValidationExpression: input.identityValidationExpression,
          authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? 300,
        });
        checkAuthorizer(a);
        doc.authorizers[a.id!] = a;
        return a;
      }, () => gatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.')),
    ),
    restAction(shapes, 'GetAuthorizer', (input: Keyed & { authorizerId: string }, rc) => {
      const a = read(rc, input.restApiId, authorizerNotFound).authorizers[input.authorizerId];
      if (!a) throw authorizerNotFound();
      return a;
    }),
    restAction(shapes, 'GetAuthorizers', (input: Keyed & { position?: string; limit?: number }, rc) => {
      // In the order they were made (the document keeps insertion order).
      const all = Object.values(read(rc, input.restApiId).authorizers);
      return defined(page(all, (a) => a.id!, input.position, input.limit));
    }),
    restAction(shapes, 'UpdateAuthorizer', (input: Keyed & { authorizerId: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const a = doc.authorizers[input.authorizerId];
        if (!a) throw authorizerNotFound();
        for (const op of input.patchOperations ?? []) patchAuthorizer(a, op);
        checkAuthorizer(a);
        return a;
      }, authorizerNotFound),
    ),
    restAction(shapes, 'DeleteAuthorizer', async (input: Keyed & { authorizerId: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        const a = doc.authorizers[input.authorizerId];
        if (!a) throw authorizerNotFound();
        const users = methodsWhere(doc, (m) => m.authorizerId === a.id);
        if (users.length > 0) throw gatewayErrors.conflict(`Cannot delete authorizer '${a.name}', is referenced in method: ${users[0]}`);
        delete doc.authorizers[a.id!];
      }, authorizerNotFound);
      return {};
    }),

    // request validators
    restAction(shapes, 'CreateRequestValidator', (input: Keyed & { name?: string; validateRequestBody?: boolean; validateRequestParameters?: boolean }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const v: RequestValidator = defined({
          id: gatewayId(6),
          name: input.name,
          validateRequestBody: input.validateRequestBody ?? false,
          validateRequestParameters: input.validateRequestParameters ?? false,
        });
        doc.requestValidators[v.id!] = v;
        return v;
      }, () => gatewayErrors.badRequest('Invalid REST API identifier specified')),
    ),
    restAction(shapes, 'GetRequestValidator', (input: Keyed & { requestValidatorId: string }, rc) => {
      const missing = () => gatewayErrors.notFound('Invalid Request Validator identifier specified');
      const v = read(rc, input.restApiId, missing).requestValidators[input.requestValidatorId];
      if (!v) throw missing();
      return v;
    }),
    restAction(shapes, 'GetRequestValidators', (input: Keyed & { position?: string; limit?: number }, rc) => {
      const all = Object.values(read(rc, input.restApiId).requestValidators);
      return defined(page(all, (v) => v.id!, input.position, input.limit));
    }),
    restAction(shapes, 'UpdateRequestValidator', (input: Keyed & { requestValidatorId: string; patchOperations?: PatchOperation[] }, rc) => {
      const missing = () => gatewayErrors.notFound('Invalid Request Validator identifier specified');
      return change(rc, input.restApiId, (doc) => {
        const v = doc.requestValidators[input.requestValidatorId];
        if (!v) throw missing();
        const paths = ['/name', '/validateRequestParameters', '/validateRequestBody'];
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
          if (!paths.includes(path)) throw pathNotOneOf(path, op.op, paths);
          if (path === '/name') {
            if (!op.value) throw gatewayErrors.badRequest('Request Validator name cannot be blank');
            v.name = op.value;
          } else if (path === '/validateRequestBody') v.validateRequestBody = patchBoolean(op);
          else v.validateRequestParameters = patchBoolean(op);
        }
        return v;
      }, missing);
    }),
    restAction(shapes, 'DeleteRequestValidator', async (input: Keyed & { requestValidatorId: string }, rc) => {
      const missing = () => gatewayErrors.notFound('Invalid Request Validator identifier specified');
      await change(rc, input.restApiId, (doc) => {
        if (!doc.requestValidators[input.requestValidatorId]) throw missing();
        delete doc.requestValidators[input.requestValidatorId];
        // Methods that named it validate nothing from now on.
        for (const r of Object.values(doc.resources))
          for (const m of Object.values(r.resourceMethods ?? {})) if (m.requestValidatorId === input.requestValidatorId) delete m.requestValidatorId;
      }, missing);
      return {};
    }),

    // models
    restAction(shapes, 'CreateModel', (input: CreateModelRequest, rc) =>
      change(rc, input.restApiId, (doc) => {
        if (!input.name) throw gatewayErrors.badRequest('Model name must be non-empty');
        if (!/^[A-Za-z0-9]+$/.test(input.name)) throw gatewayErrors.badRequest('Model name must be alphanumeric');
        if (doc.models[input.name]) throw gatewayErrors.conflict('Model name already exists for this REST API');
        checkSchema(input.schema);
        const model: Model = defined({ id: gatewayId(6), name: input.name, description: input.description || undefined, schema: input.schema, contentType: input.contentType });
        doc.models[input.name] = model;
        return model;
      }),
    ),
    restAction(shapes, 'GetModel', (input: Keyed & { modelName: string }, rc) => {
      const model = read(rc, input.restApiId, () => modelNotFound(input.modelName)).models[input.modelName];
      if (!model) throw modelNotFound(input.modelName);
      return model;
    }),
    restAction(shapes, 'GetModels', (input: Keyed & { position?: string; limit?: number }, rc) => {
      const all = Object.values(read(rc, input.restApiId).models).sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
      return defined(page(all, (m) => m.name!, input.position, input.limit));
    }),
    restAction(shapes, 'GetModelTemplate', (input: Keyed & { modelName: string }, rc) => {
      const model = read(rc, input.restApiId, () => modelNotFound(input.modelName)).models[input.modelName];
      if (!model) throw modelNotFound(input.modelName);
      return { value: modelTemplate(model.schema ?? '{}') };
    }),
    restAction(shapes, 'UpdateModel', (input: Keyed & { modelName: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const model = doc.models[input.modelName];
        if (!model) throw modelNotFound(input.modelName);
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (path !== '/description' && path !== '/schema') throw pathNotOneOf(path, op.op ?? '', ['/description', '/schema']);
          if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
          if (path === '/schema') {
            checkSchema(op.value);
            model.schema = op.value;
          } else if (op.value) model.description = op.value;
          else delete model.description;
        }
        return model;
      }, () => modelNotFound(input.modelName)),
    ),
    restAction(shapes, 'DeleteModel', async (input: Keyed & { modelName: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        const model = doc.models[input.modelName];
        if (!model) throw modelNotFound(input.modelName);
        const requests = methodsWhere(doc, (m) => Object.values(m.requestModels ?? {}).includes(input.modelName));
        // With several, AWS names the latest method (recorded: /test/ANY over the root's //ANY).
        if (requests.length > 0) throw gatewayErrors.conflict(`Cannot delete model '${input.modelName}', is referenced in method request: ${requests[requests.length - 1]}`);
        const responses = methodsWhere(doc, (m) => Object.values(m.methodResponses ?? {}).some((r) => Object.values(r.responseModels ?? {}).includes(input.modelName)));
        if (responses.length > 0) throw gatewayErrors.conflict(`Cannot delete model '${input.modelName}', is referenced in method response: ${responses[responses.length - 1]}`);
        delete doc.models[input.modelName];
      }, () => modelNotFound(input.modelName));
      return {};
    }),

    // gateway responses
    restAction(shapes, 'PutGatewayResponse', (input: PutGatewayResponseRequest, rc) =>
      change(rc, input.restApiId, (doc) => {
        checkGatewayParameters(input.responseParameters);
        const r: GatewayResponse = defined({
          responseType: input.responseType,
          statusCode: input.statusCode ?? DEFAULT_GATEWAY_RESPONSE_STATUS[input.responseType],
          responseParameters: input.responseParameters ?? {},
          responseTemplates: input.responseTemplates ?? {},
          defaultResponse: false,
        });
        doc.gatewayResponses[input.responseType] = r;
        return r;
      }),
    ),
    restAction(shapes, 'GetGatewayResponse', (input: Keyed & { responseType: string }, rc) => gatewayResponseOf(read(rc, input.restApiId), input.responseType)),
    restAction(shapes, 'GetGatewayResponses', (input: Keyed & { position?: string; limit?: number }, rc) => {
      const doc = read(rc, input.restApiId);
      const all = Object.keys(DEFAULT_GATEWAY_RESPONSE_STATUS).map((type) => gatewayResponseOf(doc, type));
      return defined(page(all, (r) => r.responseType!, input.position, input.limit ?? 500));
    }),
    restAction(shapes, 'UpdateGatewayResponse', (input: Keyed & { responseType: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const r = clone(gatewayResponseOf(doc, input.responseType));
        for (const op of input.patchOperations ?? []) patchGatewayResponse(r, op);
        r.defaultResponse = false;
        doc.gatewayResponses[input.responseType] = r;
        return r;
      }),
    ),
    restAction(shapes, 'DeleteGatewayResponse', async (input: Keyed & { responseType: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        if (!doc.gatewayResponses[input.responseType]) throw gatewayErrors.notFound('Gateway response type not defined on api');
        delete doc.gatewayResponses[input.responseType];
      });
      return {};
    }),

    // documentation parts
    restAction(shapes, 'CreateDocumentationPart', (input: Keyed & { location: DocumentationPartLocation; properties: string }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const location = normalizeLocation(input.location);
        checkProperties(input.properties);
        if (Object.values(doc.documentationParts).some((p) => sameLocation(p.location!, location)))
          throw gatewayErrors.conflict('Documentation part already exists for this location');
        const part: DocumentationPart = { id: gatewayId(6), location, properties: input.properties };
        doc.documentationParts[part.id!] = part;
        return part;
      }),
    ),
    restAction(shapes, 'GetDocumentationPart', (input: Keyed & { documentationPartId: string }, rc) => {
      const part = read(rc, input.restApiId, partNotFound).documentationParts[input.documentationPartId];
      if (!part) throw partNotFound();
      return part;
    }),
    restAction(shapes, 'GetDocumentationParts', (input: GetDocumentationPartsRequest, rc) => {
      const doc = read(rc, input.restApiId);
      const all = Object.values(doc.documentationParts)
        .filter((p) => (input.type === undefined || p.location!.type === input.type) && (input.path === undefined || p.location!.path === input.path))
        .filter((p) => input.nameQuery === undefined || (p.location!.name ?? '').includes(input.nameQuery));
      return defined(page(all, (p) => p.id!, input.position, input.limit));
    }),
    restAction(shapes, 'UpdateDocumentationPart', (input: Keyed & { documentationPartId: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const part = doc.documentationParts[input.documentationPartId];
        if (!part) throw partNotFound();
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
          if (path !== '/properties') throw pathNotOneOf(path, op.op, ['/properties']);
          checkProperties(op.value ?? '');
          part.properties = op.value;
        }
        return part;
      }, partNotFound),
    ),
    restAction(shapes, 'DeleteDocumentationPart', async (input: Keyed & { documentationPartId: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        if (!doc.documentationParts[input.documentationPartId]) throw partNotFound();
        delete doc.documentationParts[input.documentationPartId];
      });
      return {};
    }),
    withPayload(restAction(shapes, 'ImportDocumentationParts', (input: Keyed & { mode?: string; failOnWarnings?: boolean; body: Uint8Array }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const parts = importedParts(Buffer.from(input.body ?? new Uint8Array()).toString('utf8'));
        if (input.mode === 'overwrite') doc.documentationParts = {};
        const ids: string[] = [];
        for (const p of parts) {
          const location = normalizeLocation(p.location);
          const existing = Object.values(doc.documentationParts).find((q) => sameLocation(q.location!, location));
          const part: DocumentationPart = { id: existing?.id ?? gatewayId(6), location, properties: JSON.stringify(p.properties) };
          doc.documentationParts[part.id!] = part;
          ids.push(part.id!);
        }
        return { ids, warnings: [] };
      }),
    ), 'body'),

    // documentation versions
    restAction(shapes, 'CreateDocumentationVersion', (input: Keyed & { documentationVersion: string; stageName?: string; description?: string }, rc) =>
      change(rc, input.restApiId, (doc) => {
        if (!input.documentationVersion) throw gatewayErrors.badRequest('Documentation version must be non-empty');
        if (doc.documentationVersions[input.documentationVersion]) throw gatewayErrors.conflict('Documentation version already exists');
        if (input.stageName !== undefined) {
          const stage = doc.stages[input.stageName];
          if (!stage) throw gatewayErrors.notFound('Invalid Stage identifier specified');
          stage.documentationVersion = input.documentationVersion;
        }
        const version = defined({ version: input.documentationVersion, createdDate: nowSeconds(), description: input.description });
        doc.documentationVersions[input.documentationVersion] = version;
        return version;
      }),
    ),
    restAction(shapes, 'GetDocumentationVersion', (input: Keyed & { documentationVersion: string }, rc) => {
      const v = read(rc, input.restApiId, versionNotFound).documentationVersions[input.documentationVersion];
      if (!v) throw versionNotFound();
      return v;
    }),
    restAction(shapes, 'GetDocumentationVersions', (input: Keyed & { position?: string; limit?: number }, rc) => {
      const all = Object.values(read(rc, input.restApiId).documentationVersions);
      return defined(page(all, (v) => v.version!, input.position, input.limit));
    }),
    restAction(shapes, 'UpdateDocumentationVersion', (input: Keyed & { documentationVersion: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const v = doc.documentationVersions[input.documentationVersion];
        if (!v) throw versionNotFound();
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
          if (path !== '/description') throw pathNotOneOf(path, op.op, ['/description']);
          if (op.value) v.description = op.value;
          else delete v.description;
        }
        return v;
      }, versionNotFound),
    ),
    restAction(shapes, 'DeleteDocumentationVersion', async (input: Keyed & { documentationVersion: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        if (!doc.documentationVersions[input.documentationVersion]) throw versionNotFound();
        delete doc.documentationVersions[input.documentationVersion];
      }, versionNotFound);
      return {};
    }),
  ];
}

/**
 * botocore binds ImportDocumentationParts' `body` as the HTTP payload (`"payload": "body"`): the raw
 * document. The generated table carries no payload bindings, so it is set here.
 */
function withPayload(action: ActionDefinition, member: string): ActionDefinition {
  const input = action.input!;
  return { ...action, input: { ...input, members: { ...input.members, [member]: { ...input.members[member], location: 'payload' } } } };
}

/** The parts of an OpenAPI document's `x-amazon-apigateway-documentation` (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-documenting-api-quick-start-import-export.html). */
function importedParts(text: string): { location: DocumentationPartLocation; properties: unknown }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw gatewayErrors.badRequest('Unable to build importer with provided input.');
  }
  const docs = (parsed as Record<string, unknown> | null)?.['x-amazon-apigateway-documentation'] as { documentationParts?: unknown } | undefined;
  const parts = docs?.documentationParts;
  if (typeof parsed !== 'object' || parsed === null || (parts !== undefined && !Array.isArray(parts))) throw gatewayErrors.badRequest('Unable to build importer with provided input.');
  return ((parts as { location?: DocumentationPartLocation; properties?: unknown }[] | undefined) ?? []).map((p) => {
    if (!p || typeof p !== 'object' || !p.location || typeof p.location.type !== 'string') throw gatewayErrors.badRequest('Unable to build importer with provided input.');
    return { location: p.location, properties: p.properties ?? {} };
  });
}
