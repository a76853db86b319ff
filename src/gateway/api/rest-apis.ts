import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { gatewayId } from '../model/ids.js';
import { invalidPatchPath, opNotOneOf, patchBoolean, pointerSegments, type PatchOperation } from '../model/patch.js';
import type { RestApiDocument, StoredResource } from '../model/rest-api.js';
import { deploymentKey } from '../model/rest-api.js';
import { shapes, type CreateRestApiRequest, type EndpointConfiguration } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { apiNotFound, changeApi, clone, defined, nowSeconds, page, readApi, scopeOf } from './rest-common.js';

const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'];
/** https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html: minimumCompressionSize 0 … 10485760 bytes. */
const MAX_COMPRESSION = 10485760;

/**
 * The two models API Gateway creates with every REST API (GetModels on a new API lists them):
 * texts as AWS answers them.
 */
export function defaultModels(): RestApiDocument['models'] {
  return {
    Empty: {
      id: gatewayId(6),
      name: 'Empty',
      description: 'This is a default empty schema model',
      contentType: 'application/json',
      schema: '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
    },
    Error: {
      id: gatewayId(6),
      name: 'Error',
      description: 'This is a default error schema model',
      contentType: 'application/json',
      schema:
        '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
    },
  };
}

function checkEndpointConfiguration(config: EndpointConfiguration): Required<Pick<EndpointConfiguration, 'types' | 'ipAddressType'>> & EndpointConfiguration {
  const types = config.types ?? ['EDGE'];
  if (types.length === 0) throw gatewayErrors.badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  if (types.length > 1) throw gatewayErrors.badRequest('Cannot create an api with multiple Endpoint Types.');
  const isPrivate = types[0] === 'PRIVATE';
  // Private APIs are reached over IPv6 as well: AWS refuses ipv4 for them.
  if (isPrivate && config.ipAddressType === 'ipv4') throw gatewayErrors.badRequest('Only dualstack ipAddressType is supported for Private APIs.');
  return defined({ ...config, types, ipAddressType: config.ipAddressType ?? (isPrivate ? 'dualstack' : 'ipv4') });
}

/** What GetRestApi answers: the stored API, its empty collections left out. */
export function restApiOutput(doc: RestApiDocument): Record<string, unknown> {
  const api = clone(doc.api) as Record<string, unknown>;
  if (Array.isArray(api.binaryMediaTypes) && api.binaryMediaTypes.length === 0) delete api.binaryMediaTypes;
  if (api.tags && Object.keys(api.tags).length === 0) delete api.tags;
  return api;
}

/** A copy of an API's content with new ids (CreateRestApi's cloneFrom): resources, methods, models, validators, authorizers, responses. */
function cloneContent(source: RestApiDocument, target: RestApiDocument): void {
  const validatorIds = new Map<string, string>();
  for (const [id, v] of Object.entries(source.requestValidators)) {
    const nid = gatewayId(6);
    validatorIds.set(id, nid);
    target.requestValidators[nid] = { ...clone(v), id: nid };
  }
  const authorizerIds = new Map<string, string>();
  for (const [id, a] of Object.entries(source.authorizers)) {
    const nid = gatewayId(6);
    authorizerIds.set(id, nid);
    target.authorizers[nid] = { ...clone(a), id: nid };
  }
  for (const [name, m] of Object.entries(source.models)) target.models[name] = { ...clone(m), id: target.models[name]?.id ?? gatewayId(6) };
  target.gatewayResponses = clone(source.gatewayResponses);
  const resourceIds = new Map<string, string>([[source.api.rootResourceId, target.api.rootResourceId]]);
  for (const id of Object.keys(source.resources)) if (!resourceIds.has(id)) resourceIds.set(id, gatewayId(10));
  for (const [id, r] of Object.entries(source.resources)) {
    const nid = resourceIds.get(id)!;
    const copy: StoredResource = { ...clone(r), id: nid };
    if (r.parentId !== undefined) copy.parentId = resourceIds.get(r.parentId);
    for (const method of Object.values(copy.resourceMethods ?? {})) {
      if (method.authorizerId) method.authorizerId = authorizerIds.get(method.authorizerId);
      if (method.requestValidatorId) method.requestValidatorId = validatorIds.get(method.requestValidatorId);
      if (method.methodIntegration?.cacheNamespace === id) method.methodIntegration.cacheNamespace = nid;
    }
    target.resources[nid] = copy;
  }
}

export function restApiCoreActions(ctx: GatewayContext): ActionDefinition[] {
  const { documents } = ctx;

  const createRestApi = async (input: CreateRestApiRequest, rc: RequestContext) => {
    // Checks in the order AWS answers them (test/conformance/apigateway/errors).
    if (input.description === '') throw gatewayErrors.badRequest('Description cannot be an empty string');
    if (input.minimumCompressionSize !== undefined && (input.minimumCompressionSize < 0 || input.minimumCompressionSize > MAX_COMPRESSION))
      throw gatewayErrors.badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
    const endpointConfiguration = checkEndpointConfiguration(input.endpointConfiguration ?? {});
    if (input.name.trim() === '') throw gatewayErrors.badRequest('The REST API name must not be blank');
    const source = input.cloneFrom === undefined ? undefined : readApi(ctx, rc, input.cloneFrom);
    const id = gatewayId(10);
    const rootResourceId = gatewayId(10);
    const doc: RestApiDocument = {
      api: defined({
        id,
        name: input.name,
        description: input.description,
        createdDate: nowSeconds(),
        version: input.version,
        binaryMediaTypes: input.binaryMediaTypes ?? source?.api.binaryMediaTypes,
        minimumCompressionSize: input.minimumCompressionSize,
        apiKeySource: input.apiKeySource ?? 'HEADER',
        endpointConfiguration,
        policy: input.policy,
        tags: input.tags,
        disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
        rootResourceId,
      }),
      resources: { [rootResourceId]: { id: rootResourceId, path: '/' } },
      models: defaultModels(),
      requestValidators: {},
      authorizers: {},
      gatewayResponses: {},
      stages: {},
      documentationParts: {},
      documentationVersions: {},
      createdMs: Date.now(),
    };
    if (source) cloneContent(source, doc);
    await documents.put('restapi', scopeOf(rc), id, doc);
    return restApiOutput(doc);
  };

  return [
    restAction(shapes, 'CreateRestApi', createRestApi),
    restAction(shapes, 'GetRestApi', (input: { restApiId: string }, rc) => restApiOutput(readApi(ctx, rc, input.restApiId))),
    restAction(shapes, 'GetRestApis', (input: { position?: string; limit?: number }, rc) => {
      const all = documents
        .list<RestApiDocument>('restapi', scopeOf(rc))
        .sort((a, b) => (a.createdMs ?? (a.api.createdDate ?? 0) * 1000) - (b.createdMs ?? (b.api.createdDate ?? 0) * 1000) || a.api.id.localeCompare(b.api.id));
      const p = page(all, (d) => d.api.id, input.position, input.limit);
      return { items: p.items.map(restApiOutput), position: p.position };
    }),
    restAction(shapes, 'DeleteRestApi', async (input: { restApiId: string }, rc) => {
      await documents.change<RestApiDocument>('restapi', scopeOf(rc), input.restApiId, (current, batch) => {
        if (!current) throw apiNotFound(rc, input.restApiId);
        batch.delete('restapi', scopeOf(rc), input.restApiId);
        // Its deployments go with it: nothing can serve them any more.
        for (const d of documents.all<{ restApiId: string }>('deployment'))
          if (d.accountId === rc.accountId && d.region === rc.region && d.body.restApiId === input.restApiId) batch.delete('deployment', d, d.id);
        return { result: undefined };
      });
      return {};
    }),
    restAction(shapes, 'UpdateRestApi', async (input: { restApiId: string; patchOperations?: PatchOperation[] }, rc) =>
      changeApi(ctx, rc, input.restApiId, (doc) => {
        for (const op of input.patchOperations ?? []) patchRestApi(doc, op);
        // UpdateRestApi answers `tags` even when there are none (recorded against AWS: "tags": {}).
        return { ...restApiOutput(doc), tags: doc.api.tags ?? {} };
      }),
    ),
  ];
}

/**
 * UpdateRestApi's paths (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateRestApi-Patch):
 * /name, /description, /version, /policy, /apiKeySource, /minimumCompressionSize, /disableExecuteApiEndpoint
 * (replace); /binaryMediaTypes/{type} (add, remove); /endpointConfiguration/types/0,
 * /endpointConfiguration/ipAddressType, /endpointConfiguration/vpcEndpointIds (replace, add, remove).
 */
function patchRestApi(doc: RestApiDocument, op: PatchOperation): void {
  const api = doc.api as RestApiDocument['api'] & Record<string, unknown>;
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const segs = pointerSegments(path);
  const replaceOnly = () => {
    if (op.op !== 'replace') throw opNotOneOf(['replace']);
  };
  switch (segs[0]) {
    case 'name':
      replaceOnly();
      if (!op.value) throw gatewayErrors.badRequest('The REST API name must not be blank');
      api.name = op.value;
      return;
    case 'description':
    case 'version':
    case 'policy':
      if (segs.length !== 1) throw invalidPatchPath(path);
      // Recorded against AWS: `remove /description` clears it.
      if (op.op === 'remove') {
        delete api[segs[0]];
        return;
      }
      replaceOnly();
      if (op.value === undefined || op.value === '') delete api[segs[0]];
      else api[segs[0]] = op.value;
      return;
    case 'apiKeySource':
      replaceOnly();
      if (op.value !== 'HEADER' && op.value !== 'AUTHORIZER') throw gatewayErrors.badRequest(`Invalid API Key source specified: ${op.value ?? 'null'}. Valid options are HEADER,AUTHORIZER`);
      api.apiKeySource = op.value;
      return;
    case 'minimumCompressionSize': {
      replaceOnly();
      if (op.value === undefined || op.value === '') {
        delete api.minimumCompressionSize;
        return;
      }
      const n = Number(op.value);
      if (!/^-?\d+$/.test(op.value) || n < 0 || n > MAX_COMPRESSION) throw gatewayErrors.badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
      api.minimumCompressionSize = n;
      return;
    }
    case 'disableExecuteApiEndpoint':
      replaceOnly();
      api.disableExecuteApiEndpoint = patchBoolean(op);
      return;
    case 'binaryMediaTypes': {
      if (segs.length < 2 || segs[1] === '') throw invalidPatchPath(path);
      const type = segs.slice(1).join('/');
      const list = new Set(api.binaryMediaTypes ?? []);
      if (op.op === 'add') list.add(type);
      else if (op.op === 'remove') list.delete(type);
      else if (op.op === 'replace') {
        list.delete(type);
        if (op.value) list.add(op.value);
      } else throw opNotOneOf(['add', 'remove', 'replace']);
      api.binaryMediaTypes = [...list];
      return;
    }
    case 'endpointConfiguration': {
      const config = { ...(api.endpointConfiguration ?? {}) };
      if (segs[1] === 'types') {
        if (op.op !== 'replace' && op.op !== 'add') throw gatewayErrors.badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        if (!ENDPOINT_TYPES.includes(op.value ?? '')) throw gatewayErrors.badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
        config.types = [op.value as 'REGIONAL'];
        if (op.value === 'PRIVATE') config.ipAddressType = 'dualstack';
      } else if (segs[1] === 'ipAddressType') {
        if (op.op !== 'replace') throw opNotOneOf(['replace']);
        if (op.value !== 'ipv4' && op.value !== 'dualstack') throw gatewayErrors.badRequest('ipAddressType must be either ipv4 or dualstack.');
        if (op.value === 'ipv4' && config.types?.[0] === 'PRIVATE') throw gatewayErrors.badRequest('Only dualstack ipAddressType is supported for Private APIs.');
        config.ipAddressType = op.value;
      } else if (segs[1] === 'vpcEndpointIds') {
        const ids = new Set(config.vpcEndpointIds ?? []);
        const values = (op.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        if (op.op === 'add') values.forEach((v) => ids.add(v));
        else if (op.op === 'remove') values.forEach((v) => ids.delete(v));
        else if (op.op === 'replace') {
          ids.clear();
          values.forEach((v) => ids.add(v));
        } else throw gatewayErrors.badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        config.vpcEndpointIds = [...ids];
        if (config.vpcEndpointIds.length === 0) delete config.vpcEndpointIds;
      } else throw invalidPatchPath(path);
      api.endpointConfiguration = config;
      return;
    }
    default:
      throw invalidPatchPath(path);
  }
}

export { deploymentKey };
