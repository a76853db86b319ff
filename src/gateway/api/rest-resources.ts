import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { invalidPatchPath, opNotOneOf, opNotSupported, pathNotOneOf, patchBoolean, pointerSegments, splitFirst, type PatchOperation } from '../model/patch.js';
import type { RestApiDocument, StoredResource } from '../model/rest-api.js';
import { shapes, type Method, type MethodResponse, type PutMethodRequest } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { changeApi, clone, defined, findMethod, findResource, readApi, resourceNotFound, scopeOf, statusNotFound } from './rest-common.js';

/** https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html */
export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];

/** A path part: literal characters API Gateway allows, `{name}`, or the greedy `{name+}`. */
const LITERAL_PART = /^[A-Za-z0-9._\-~:@!$&'()*+,;=]+$/;
const VARIABLE_PART = /^\{[A-Za-z0-9._\-]+\+?\}$/;
const isVariable = (part: string | undefined): boolean => part !== undefined && part.startsWith('{') && part.endsWith('}');
const isGreedy = (part: string | undefined): boolean => part !== undefined && part.endsWith('+}');

function checkPathPart(part: string): void {
  if (!LITERAL_PART.test(part) && !VARIABLE_PART.test(part))
    throw gatewayErrors.badRequest(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
}

const childrenOf = (doc: RestApiDocument, parentId: string): StoredResource[] => Object.values(doc.resources).filter((r) => r.parentId === parentId);

/** Refusals of a path part under a parent (CreateResource and UpdateResource share them). */
function checkPlacement(doc: RestApiDocument, parent: StoredResource, pathPart: string, selfId?: string): void {
  if (isGreedy(parent.pathPart)) throw gatewayErrors.badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const siblings = childrenOf(doc, parent.id).filter((r) => r.id !== selfId);
  if (siblings.some((r) => r.pathPart === pathPart)) throw gatewayErrors.conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  const variableSibling = siblings.find((r) => isVariable(r.pathPart));
  if (isVariable(pathPart) && variableSibling)
    throw gatewayErrors.badRequest(`A sibling (${variableSibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
}

const joinPath = (parentPath: string, part: string): string => (parentPath === '/' ? `/${part}` : `${parentPath}/${part}`);

/** Recomputes `path` below a resource whose place changed. */
function repath(doc: RestApiDocument, resource: StoredResource): void {
  for (const child of childrenOf(doc, resource.id)) {
    child.path = joinPath(resource.path, child.pathPart!);
    repath(doc, child);
  }
}

/** A resource as AWS answers it: with its methods in full (`embed=methods`, GetResource) or as empty objects (GetResources). */
export function resourceOutput(resource: StoredResource, embedMethods: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = defined({ id: resource.id, parentId: resource.parentId, pathPart: resource.pathPart, path: resource.path });
  const methods = resource.resourceMethods ?? {};
  if (Object.keys(methods).length > 0)
    out.resourceMethods = Object.fromEntries(Object.entries(methods).map(([m, method]) => [m, embedMethods ? methodOutput(method) : {}]));
  return out;
}

export function methodOutput(method: Method): Method {
  const out = clone(method);
  if (out.methodResponses && Object.keys(out.methodResponses).length === 0) delete out.methodResponses;
  if (out.methodIntegration?.integrationResponses && Object.keys(out.methodIntegration.integrationResponses).length === 0) delete out.methodIntegration.integrationResponses;
  return out;
}

/** A media type as a template or model map key (`application/json`, `text/plain`, `application/vnd.x+json`, `*\/*`). */
const MEDIA_TYPE = /^([A-Za-z0-9!#$&^_.+-]+|\*)\/([A-Za-z0-9!#$&^_.+-]+|\*)(\s*;.*)?$/;

/** "Validation Result: warnings : [], errors : [Invalid content type specified: 123]" (recorded against AWS). */
export function checkContentTypes(map: Record<string, unknown> | undefined): void {
  for (const key of Object.keys(map ?? {}))
    if (!MEDIA_TYPE.test(key)) throw gatewayErrors.badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${key}]`);
}

/** Request parameter names `method.request.{querystring|header|path|multivaluequerystring|multivalueheader}.<name>`. */
const METHOD_REQUEST_PARAM = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.([^\s]+)$/;

export const invalidMapping = (expression: string) =>
  gatewayErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${expression}]`);

function checkMethodRequestParameters(params: Record<string, boolean> | undefined): void {
  if (!params) return;
  const seen = new Map<string, string>();
  for (const key of Object.keys(params)) {
    const m = METHOD_REQUEST_PARAM.exec(key);
    if (!m) throw invalidMapping(key);
    // "Parameter names must be unique across querystring, header and path" (recorded against AWS);
    // header names compare without case.
    const kind = m[1].replace('multivalue', '');
    const name = kind === 'header' ? m[2].toLowerCase() : m[2];
    const other = seen.get(name);
    if (other !== undefined && other !== kind) throw gatewayErrors.badRequest('Parameter names must be unique across querystring, header and path');
    seen.set(name, kind);
  }
}

function checkAuthorization(doc: RestApiDocument, type: string, authorizerId: string | undefined): void {
  if (!AUTHORIZATION_TYPES.includes(type))
    throw gatewayErrors.badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    const authorizer = authorizerId === undefined ? undefined : doc.authorizers[authorizerId];
    const fits = authorizer !== undefined && (type === 'COGNITO_USER_POOLS' ? authorizer.type === 'COGNITO_USER_POOLS' : authorizer.type !== 'COGNITO_USER_POOLS');
    if (!fits)
      throw gatewayErrors.badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  }
}

function checkModels(doc: RestApiDocument, models: Record<string, string> | undefined): void {
  for (const name of Object.values(models ?? {})) if (!doc.models[name]) throw gatewayErrors.badRequest(`Invalid model identifier specified: ${name}`);
}

function checkHttpMethod(httpMethod: string): void {
  if (!HTTP_METHODS.includes(httpMethod)) throw gatewayErrors.badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
}

type MethodKey = { restApiId: string; resourceId: string; httpMethod: string };

export function resourceActions(ctx: GatewayContext): ActionDefinition[] {
  /** The API's document where a missing API reads as a missing resource (AWS's answer for both). */
  const apiForResource = (rc: RequestContext, restApiId: string) => readApi(ctx, rc, restApiId, resourceNotFound);
  const changeForResource = <R>(rc: RequestContext, restApiId: string, fn: (doc: RestApiDocument) => R) => changeApi(ctx, rc, restApiId, fn, resourceNotFound);

  return [
    restAction(shapes, 'CreateResource', (input: { restApiId: string; parentId: string; pathPart: string }, rc) =>
      changeApi(ctx, rc, input.restApiId, (doc) => {
        const parent = doc.resources[input.parentId];
        if (!parent) throw gatewayErrors.notFound('Invalid Resource identifier specified');
        checkPathPart(input.pathPart);
        checkPlacement(doc, parent, input.pathPart);
        const resource: StoredResource = { id: gatewayId(6), parentId: parent.id, pathPart: input.pathPart, path: joinPath(parent.path, input.pathPart) };
        doc.resources[resource.id] = resource;
        return resourceOutput(resource, false);
      }),
    ),
    restAction(shapes, 'GetResource', (input: { restApiId: string; resourceId: string; embed?: string[] }, rc) =>
      resourceOutput(findResource(apiForResource(rc, input.restApiId), input.resourceId), true),
    ),
    restAction(shapes, 'GetResources', (input: { restApiId: string; position?: string; limit?: number; embed?: string[] }, rc) => {
      const doc = readApi(ctx, rc, input.restApiId);
      const embed = (input.embed ?? []).some((e) => e.split(',').map((s) => s.trim()).includes('methods'));
      const all = Object.values(doc.resources).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const size = input.limit ?? 25;
      if (size < 1 || size > 500) throw gatewayErrors.badRequest('Limit must be between 1 and 500');
      let start = 0;
      if (input.position) {
        start = all.findIndex((r) => r.id === input.position);
        if (start < 0) throw gatewayErrors.badRequest('Invalid position parameter');
      }
      const items = all.slice(start, start + size).map((r) => resourceOutput(r, embed));
      return defined({ items, position: all[start + size]?.id });
    }),
    restAction(shapes, 'UpdateResource', (input: { restApiId: string; resourceId: string; patchOperations?: PatchOperation[] }, rc) =>
      changeForResource(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (path !== '/parentId' && path !== '/pathPart') throw pathNotOneOf(path, op.op ?? '', ['/parentId', '/pathPart']);
          if (op.op !== 'replace') throw opNotSupported(path, op.op ?? '');
          if (resource.parentId === undefined) throw gatewayErrors.badRequest(`Root resource cannot update its ${path.slice(1)}.`);
          if (path === '/pathPart') {
            const part = op.value ?? '';
            checkPathPart(part);
            checkPlacement(doc, doc.resources[resource.parentId], part, resource.id);
            resource.pathPart = part;
          } else {
            const parent = doc.resources[op.value ?? ''];
            if (!parent) throw gatewayErrors.notFound('Invalid Resource identifier specified');
            for (let at: StoredResource | undefined = parent; at; at = at.parentId === undefined ? undefined : doc.resources[at.parentId])
              if (at.id === resource.id) throw gatewayErrors.badRequest('Resources cannot be cyclical.');
            checkPlacement(doc, parent, resource.pathPart!, resource.id);
            resource.parentId = parent.id;
          }
          resource.path = joinPath(doc.resources[resource.parentId].path, resource.pathPart!);
          repath(doc, resource);
        }
        return resourceOutput(resource, true);
      }),
    ),
    restAction(shapes, 'DeleteResource', async (input: { restApiId: string; resourceId: string }, rc) => {
      await changeForResource(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        if (resource.parentId === undefined) throw gatewayErrors.badRequest('Cannot delete the root resource.');
        const drop = (id: string) => {
          for (const child of childrenOf(doc, id)) drop(child.id);
          delete doc.resources[id];
        };
        drop(resource.id);
      });
      return {};
    }),

    // ---- methods ------------------------------------------------------------------------------
    restAction(shapes, 'PutMethod', (input: PutMethodRequest, rc) =>
      changeForResource(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        checkHttpMethod(input.httpMethod);
        checkAuthorization(doc, input.authorizationType, input.authorizerId);
        checkMethodRequestParameters(input.requestParameters);
        checkContentTypes(input.requestModels);
        checkModels(doc, input.requestModels);
        if (input.requestValidatorId !== undefined && !doc.requestValidators[input.requestValidatorId])
          throw gatewayErrors.badRequest('Invalid Request Validator identifier specified');
        if (resource.resourceMethods?.[input.httpMethod]) throw gatewayErrors.conflict('Method already exists for this resource');
        const usesAuthorizer = input.authorizationType === 'CUSTOM' || input.authorizationType === 'COGNITO_USER_POOLS';
        const method: Method = defined({
          httpMethod: input.httpMethod,
          authorizationType: input.authorizationType,
          authorizerId: usesAuthorizer ? input.authorizerId : undefined,
          apiKeyRequired: input.apiKeyRequired ?? false,
          requestValidatorId: input.requestValidatorId,
          operationName: input.operationName,
          requestParameters: input.requestParameters,
          requestModels: input.requestModels,
          authorizationScopes: input.authorizationType === 'COGNITO_USER_POOLS' ? input.authorizationScopes : undefined,
        });
        resource.resourceMethods = { ...(resource.resourceMethods ?? {}), [input.httpMethod]: method };
        return methodOutput(method);
      }),
    ),
    restAction(shapes, 'GetMethod', (input: MethodKey, rc) => methodOutput(findMethod(apiForResource(rc, input.restApiId), input.resourceId, input.httpMethod))),
    restAction(shapes, 'DeleteMethod', async (input: MethodKey, rc) => {
      await changeForResource(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        findMethod(doc, input.resourceId, input.httpMethod);
        delete resource.resourceMethods![input.httpMethod];
      });
      return {};
    }),
    restAction(shapes, 'UpdateMethod', (input: MethodKey & { patchOperations?: PatchOperation[] }, rc) =>
      changeForResource(rc, input.restApiId, (doc) => {
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        for (const op of input.patchOperations ?? []) patchMethod(doc, method, op);
        checkAuthorization(doc, method.authorizationType ?? 'NONE', method.authorizerId);
        if (method.authorizationType !== 'CUSTOM' && method.authorizationType !== 'COGNITO_USER_POOLS') delete method.authorizerId;
        return methodOutput(method);
      }),
    ),

    // ---- method responses ---------------------------------------------------------------------
    restAction(
      shapes,
      'PutMethodResponse',
      (input: MethodKey & { statusCode: string; responseParameters?: Record<string, boolean>; responseModels?: Record<string, string> }, rc) =>
        changeForResource(rc, input.restApiId, (doc) => {
          const method = findMethod(doc, input.resourceId, input.httpMethod);
          for (const key of Object.keys(input.responseParameters ?? {})) if (!/^method\.response\.header\.[^\s]+$/.test(key)) throw invalidMapping(key);
          checkContentTypes(input.responseModels);
          checkModels(doc, input.responseModels);
          const response: MethodResponse = defined({ statusCode: input.statusCode, responseParameters: input.responseParameters, responseModels: input.responseModels });
          method.methodResponses = { ...(method.methodResponses ?? {}), [input.statusCode]: response };
          return response;
        }),
    ),
    restAction(shapes, 'GetMethodResponse', (input: MethodKey & { statusCode: string }, rc) => {
      const method = findMethod(apiForResource(rc, input.restApiId), input.resourceId, input.httpMethod);
      const response = method.methodResponses?.[input.statusCode];
      if (!response) throw statusNotFound();
      return response;
    }),
    restAction(shapes, 'DeleteMethodResponse', async (input: MethodKey & { statusCode: string }, rc) => {
      await changeForResource(rc, input.restApiId, (doc) => {
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        if (!method.methodResponses?.[input.statusCode]) throw statusNotFound();
        delete method.methodResponses[input.statusCode];
      });
      return {};
    }),
    restAction(shapes, 'UpdateMethodResponse', (input: MethodKey & { statusCode: string; patchOperations?: PatchOperation[] }, rc) =>
      changeForResource(rc, input.restApiId, (doc) => {
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        const response = method.methodResponses?.[input.statusCode];
        if (!response) throw statusNotFound();
        for (const op of input.patchOperations ?? []) patchMethodResponse(doc, response, op);
        if (response.responseParameters && Object.keys(response.responseParameters).length === 0) delete response.responseParameters;
        if (response.responseModels && Object.keys(response.responseModels).length === 0) delete response.responseModels;
        return response;
      }),
    ),
  ];
}

/**
 * UpdateMethod's paths (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateMethod-Patch):
 * replace of /authorizationType, /authorizerId, /apiKeyRequired, /requestValidatorId, /operationName;
 * add/remove/replace of /requestParameters/{name}, /requestModels/{contentType}; add/remove of /authorizationScopes.
 */
function patchMethod(doc: RestApiDocument, method: Method, op: PatchOperation): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const segs = pointerSegments(path);
  const m = method as Method & Record<string, unknown>;
  switch (segs[0]) {
    case 'authorizationType':
    case 'authorizerId':
    case 'requestValidatorId':
    case 'operationName':
    case 'apiKeyRequired':
      if (segs.length !== 1) throw invalidPatchPath(path);
      if (op.op !== 'replace') throw opNotOneOf(['replace']);
      if (segs[0] === 'apiKeyRequired') m.apiKeyRequired = patchBoolean(op);
      else if (op.value === undefined || op.value === '') delete m[segs[0]];
      else {
        if (segs[0] === 'requestValidatorId' && !doc.requestValidators[op.value]) throw gatewayErrors.badRequest('Invalid Request Validator identifier specified');
        m[segs[0]] = op.value;
      }
      return;
    case 'authorizationScopes': {
      const scopes = new Set(method.authorizationScopes ?? []);
      if (op.op === 'add') scopes.add(op.value ?? '');
      else if (op.op === 'remove') {
        if (op.value === undefined) scopes.clear();
        else scopes.delete(op.value);
      } else throw opNotOneOf(['add', 'remove']);
      method.authorizationScopes = [...scopes];
      if (method.authorizationScopes.length === 0) delete method.authorizationScopes;
      return;
    }
    case 'requestParameters': {
      if (segs.length !== 2 || segs[1] === '') throw invalidPatchPath(path);
      const params = { ...(method.requestParameters ?? {}) };
      if (op.op === 'remove') {
        if (!(segs[1] in params)) throw gatewayErrors.notFound('Invalid parameter name specified');
        delete params[segs[1]];
      } else if (op.op === 'add' || op.op === 'replace') {
        if (op.op === 'replace' && !(segs[1] in params)) throw gatewayErrors.notFound('Invalid parameter name specified');
        params[segs[1]] = patchBoolean(op);
        checkMethodRequestParameters(params);
      } else throw opNotOneOf(['add', 'remove', 'replace']);
      method.requestParameters = params;
      if (Object.keys(params).length === 0) delete method.requestParameters;
      return;
    }
    case 'requestModels': {
      if (segs.length !== 2 || segs[1] === '') throw invalidPatchPath(path);
      const models = { ...(method.requestModels ?? {}) };
      if (op.op === 'remove') {
        if (!(segs[1] in models)) throw gatewayErrors.notFound('Content-Type specified was not found');
        delete models[segs[1]];
      } else if (op.op === 'add' || op.op === 'replace') {
        if (op.op === 'replace' && !(segs[1] in models)) throw gatewayErrors.notFound('Content-Type specified was not found');
        checkModels(doc, { x: op.value ?? '' });
        models[segs[1]] = op.value ?? '';
      } else throw opNotOneOf(['add', 'remove', 'replace']);
      method.requestModels = models;
      if (Object.keys(models).length === 0) delete method.requestModels;
      return;
    }
    default:
      throw invalidPatchPath(path);
  }
}

/** UpdateMethodResponse: /responseParameters/{name} and /responseModels/{contentType}, add/remove/replace. */
function patchMethodResponse(doc: RestApiDocument, response: MethodResponse, op: PatchOperation): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const { head, rest } = splitFirst(path);
  if ((head !== 'responseParameters' && head !== 'responseModels') || rest === undefined || rest === '') throw invalidPatchPath(path);
  if (head === 'responseParameters') {
    const params = { ...(response.responseParameters ?? {}) };
    const exists = rest in params;
    // AWS answers a name it does not hold, or one that is no header mapping, "Invalid parameter name specified".
    if (op.op === 'add') {
      if (!/^method\.response\.header\.[^\s]+$/.test(rest)) throw gatewayErrors.notFound('Invalid parameter name specified');
      params[rest] = patchBoolean(op);
    } else if (op.op === 'replace') {
      if (!exists) throw gatewayErrors.notFound('Invalid parameter name specified');
      params[rest] = patchBoolean(op);
    } else if (op.op === 'remove') {
      if (!exists) throw gatewayErrors.notFound('Invalid parameter name specified');
      delete params[rest];
    } else throw opNotOneOf(['add', 'remove', 'replace']);
    response.responseParameters = params;
  } else {
    const models = { ...(response.responseModels ?? {}) };
    const exists = rest in models;
    if (op.op === 'add') {
      checkModels(doc, { x: op.value ?? '' });
      models[rest] = op.value ?? '';
    } else if (op.op === 'replace') {
      if (!exists) throw gatewayErrors.notFound('Content-Type specified was not found');
      checkModels(doc, { x: op.value ?? '' });
      models[rest] = op.value ?? '';
    } else if (op.op === 'remove') {
      if (!exists) throw gatewayErrors.notFound('Content-Type specified was not found');
      delete models[rest];
    } else throw opNotOneOf(['add', 'remove', 'replace']);
    response.responseModels = models;
  }
}
