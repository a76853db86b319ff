import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { gatewayErrors } from '../model/errors.js';
import { invalidPatchPath, opNotOneOf, patchInteger, pointerSegments, splitFirst, type PatchOperation } from '../model/patch.js';
import type { RestApiDocument } from '../model/rest-api.js';
import { shapes, type Integration, type IntegrationResponse, type Method, type PutIntegrationRequest, type PutIntegrationResponseRequest } from './apigateway-shapes.js';
import { restAction } from './action.js';
import { changeApi, defined, findMethod, findResource, integrationNotFound, readApi, resourceNotFound, statusNotFound } from './rest-common.js';
import { checkContentTypes, HTTP_METHODS } from './rest-resources.js';

/** https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html: 50 ms … 29 s (the default). */
const MIN_TIMEOUT = 50;
const MAX_TIMEOUT = 29000;
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];

const mappingError = (detail: string) => gatewayErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${detail}]`);

/**
 * An AWS integration's URI: `arn:aws:apigateway:{region}:{subdomain.}{service}:{path|action}/{…}`
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html, `uri`), checked in the
 * order AWS refuses them.
 */
export function parseAwsIntegrationUri(uri: string): { region: string; service: string; kind: 'path' | 'action'; rest: string } {
  const parts = uri.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '' || parts[2] === '') throw gatewayErrors.badRequest('Invalid ARN specified in the request');
  const tail = parts.slice(5).join(':');
  const slash = tail.indexOf('/');
  const kind = slash < 0 ? tail : tail.slice(0, slash);
  if (parts[2] !== 'apigateway' || (kind !== 'path' && kind !== 'action') || slash < 0) throw gatewayErrors.badRequest('AWS ARN for integration must contain path or action');
  return { region: parts[3], service: parts[4], kind, rest: tail.slice(slash + 1) };
}

/** Lambda's invoke path: `/2015-03-31/functions/<function ARN>/invocations`. */
const LAMBDA_INVOKE = /^\/?2015-03-31\/functions\/arn:[^:]+:lambda:[^:]+:\d{12}:function:[^/]+\/invocations$/;

export function checkTarget(type: string, uri: string | undefined, connectionType: string | undefined): void {
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    let ok = false;
    try {
      const url = new URL(uri ?? '');
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      // Stage variables in the host (`http://${stageVariables.host}/x`) are resolved per request.
      ok = /^https?:\/\/\S+$/.test(uri ?? '') && (uri ?? '').includes('${stageVariables.');
    }
    if (!ok && connectionType !== 'VPC_LINK') throw gatewayErrors.badRequest('Invalid HTTP endpoint specified for URI');
  } else if (type === 'AWS' || type === 'AWS_PROXY') {
    if (uri === undefined) throw gatewayErrors.badRequest('Invalid ARN specified in the request');
    const arn = parseAwsIntegrationUri(uri);
    if (type === 'AWS_PROXY') {
      const lambda = arn.service === 'lambda' && arn.kind === 'path' && LAMBDA_INVOKE.test(arn.rest);
      const firehose = arn.service === 'firehose' && arn.kind === 'action';
      if (!lambda && !firehose)
        throw gatewayErrors.badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
    }
  }
}

/** What an integration's request parameter may be read from (https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html). */
function checkSource(source: string, method: Method, resourcePath: string): void {
  if (/^'[^']*'$/.test(source)) return;
  if (/^stageVariables\.[A-Za-z0-9_]+$/.test(source)) return;
  if (/^context\.[A-Za-z0-9_.]+$/.test(source)) return;
  if (source === 'method.request.body' || /^method\.request\.body\.\S+$/.test(source)) return;
  const m = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(\S+)$/.exec(source);
  if (!m) throw mappingError(`Invalid mapping expression specified: ${source}`);
  const declared = method.requestParameters && source in method.requestParameters;
  const inPath = m[1] === 'path' && (resourcePath.includes(`{${m[2]}}`) || resourcePath.includes(`{${m[2]}+}`));
  if (!declared && !inPath) throw mappingError(`Invalid mapping expression parameter specified: ${source}`);
}

function checkIntegrationParameters(params: Record<string, string> | undefined, method: Method, resourcePath: string): void {
  for (const [target, source] of Object.entries(params ?? {})) {
    if (!/^integration\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.\S+$/.test(target)) throw mappingError(`Invalid mapping expression specified: ${target}`);
    checkSource(source, method, resourcePath);
  }
}

export function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && (timeout < MIN_TIMEOUT || timeout > MAX_TIMEOUT))
    throw gatewayErrors.badRequest(`Timeout should be between ${MIN_TIMEOUT} ms and ${MAX_TIMEOUT} ms`);
}

function checkPassthrough(value: string | undefined): void {
  if (value !== undefined && !PASSTHROUGH.includes(value))
    throw gatewayErrors.badRequest(`Invalid passthrough behavior specified: ${value}. Valid options are ${PASSTHROUGH.join(',')}`);
}

type MethodKey = { restApiId: string; resourceId: string; httpMethod: string };

export function integrationOutput(integration: Integration): Integration {
  const out = structuredClone(integration);
  if (out.integrationResponses && Object.keys(out.integrationResponses).length === 0) delete out.integrationResponses;
  return out;
}

export function integrationActions(ctx: GatewayContext): ActionDefinition[] {
  const apiForResource = (rc: RequestContext, restApiId: string) => readApi(ctx, rc, restApiId, resourceNotFound);
  const change = <R>(rc: RequestContext, restApiId: string, fn: (doc: RestApiDocument) => R) => changeApi(ctx, rc, restApiId, fn, resourceNotFound);
  const findIntegration = (doc: RestApiDocument | undefined, key: MethodKey): Integration => {
    findResource(doc, key.resourceId);
    const method = doc!.resources[key.resourceId].resourceMethods?.[key.httpMethod];
    // AWS answers a missing method of an integration call as a missing integration.
    if (!method?.methodIntegration) throw integrationNotFound();
    return method.methodIntegration;
  };

  return [
    restAction(shapes, 'PutIntegration', (input: PutIntegrationRequest, rc) =>
      change(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        const type = input.type;
        if (type !== 'MOCK' && (input.integrationHttpMethod === undefined || input.integrationHttpMethod === ''))
          throw gatewayErrors.badRequest('Enumeration value for HttpMethod must be non-empty');
        if (type !== 'MOCK' && !HTTP_METHODS.includes(input.integrationHttpMethod!))
          throw gatewayErrors.badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
        checkTarget(type, input.uri, input.connectionType);
        if (input.connectionType === 'VPC_LINK' && !input.connectionId) throw gatewayErrors.badRequest('ConnectionId must be set for vpc link integrations');
        checkTimeout(input.timeoutInMillis);
        checkPassthrough(input.passthroughBehavior);
        checkIntegrationParameters(input.requestParameters, method, resource.path);
        checkContentTypes(input.requestTemplates);
        const http = type === 'HTTP' || type === 'HTTP_PROXY';
        const integration: Integration = defined({
          type,
          httpMethod: type === 'MOCK' ? input.integrationHttpMethod || undefined : input.integrationHttpMethod,
          uri: input.uri,
          connectionType: input.connectionType ?? (http ? 'INTERNET' : undefined),
          connectionId: input.connectionId,
          credentials: input.credentials,
          requestParameters: input.requestParameters,
          requestTemplates: input.requestTemplates,
          passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
          contentHandling: input.contentHandling,
          timeoutInMillis: input.timeoutInMillis ?? MAX_TIMEOUT,
          // AWS names the cache namespace after the resource unless told otherwise.
          cacheNamespace: input.cacheNamespace ?? resource.id,
          cacheKeyParameters: input.cacheKeyParameters ?? [],
          tlsConfig: input.tlsConfig,
        });
        method.methodIntegration = integration;
        return integrationOutput(integration);
      }),
    ),
    restAction(shapes, 'GetIntegration', (input: MethodKey, rc) => {
      const doc = apiForResource(rc, input.restApiId);
      const method = findMethod(doc, input.resourceId, input.httpMethod);
      if (!method.methodIntegration) throw integrationNotFound();
      return integrationOutput(method.methodIntegration);
    }),
    restAction(shapes, 'DeleteIntegration', async (input: MethodKey, rc) => {
      await change(rc, input.restApiId, (doc) => {
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        if (!method.methodIntegration) throw integrationNotFound();
        delete method.methodIntegration;
      });
      return {};
    }),
    restAction(shapes, 'UpdateIntegration', (input: MethodKey & { patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const resource = findResource(doc, input.resourceId);
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        const integration = method.methodIntegration;
        if (!integration) throw integrationNotFound();
        for (const op of input.patchOperations ?? []) patchIntegration(integration, op);
        checkTarget(integration.type!, integration.uri, integration.connectionType);
        checkTimeout(integration.timeoutInMillis);
        checkPassthrough(integration.passthroughBehavior);
        checkIntegrationParameters(integration.requestParameters, method, resource.path);
        return integrationOutput(integration);
      }),
    ),

    // ---- integration responses ----------------------------------------------------------------
    restAction(shapes, 'PutIntegrationResponse', (input: PutIntegrationResponseRequest, rc) =>
      change(rc, input.restApiId, (doc) => {
        const method = findMethod(doc, input.resourceId, input.httpMethod);
        const integration = method.methodIntegration;
        if (!integration) throw integrationNotFound();
        for (const [target, source] of Object.entries(input.responseParameters ?? {})) {
          if (!/^method\.response\.header\.\S+$/.test(target)) throw mappingError(`Invalid mapping expression specified: ${target}`);
          if (!/^'[^']*'$/.test(source) && !/^(integration\.response\.(header|multivalueheader)\.\S+|integration\.response\.body(\.\S+)?|stageVariables\.\S+|context\.\S+)$/.test(source))
            throw mappingError(`Invalid mapping expression specified: ${source}`);
        }
        checkContentTypes(input.responseTemplates);
        const response: IntegrationResponse = defined({
          statusCode: input.statusCode,
          selectionPattern: input.selectionPattern,
          responseParameters: input.responseParameters,
          responseTemplates: input.responseTemplates === undefined ? undefined : emptyTemplatesAsNull(input.responseTemplates),
          contentHandling: input.contentHandling,
        });
        integration.integrationResponses = { ...(integration.integrationResponses ?? {}), [input.statusCode]: response };
        return response;
      }),
    ),
    restAction(shapes, 'GetIntegrationResponse', (input: MethodKey & { statusCode: string }, rc) => {
      const doc = apiForResource(rc, input.restApiId);
      const method = findMethod(doc, input.resourceId, input.httpMethod);
      if (!method.methodIntegration) throw integrationNotFound();
      const response = method.methodIntegration.integrationResponses?.[input.statusCode];
      if (!response) throw statusNotFound();
      return response;
    }),
    restAction(shapes, 'DeleteIntegrationResponse', async (input: MethodKey & { statusCode: string }, rc) => {
      await change(rc, input.restApiId, (doc) => {
        const integration = findIntegration(doc, input);
        if (!integration.integrationResponses?.[input.statusCode]) throw statusNotFound();
        delete integration.integrationResponses[input.statusCode];
      });
      return {};
    }),
    restAction(shapes, 'UpdateIntegrationResponse', (input: MethodKey & { statusCode: string; patchOperations?: PatchOperation[] }, rc) =>
      change(rc, input.restApiId, (doc) => {
        const integration = findIntegration(doc, input);
        const response = integration.integrationResponses?.[input.statusCode];
        if (!response) throw statusNotFound();
        for (const op of input.patchOperations ?? []) patchIntegrationResponse(response, op);
        return response;
      }),
    ),
  ];
}

/** AWS stores an empty template as null ("put-integration-response-template-empty" recorded `{"application/json": null}`). */
function emptyTemplatesAsNull(templates: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(templates)) out[k] = v === '' ? (null as unknown as string) : v;
  return out;
}

function patchStringMap(target: Record<string, unknown>, member: string, key: string, op: PatchOperation): void {
  const map = { ...((target[member] as Record<string, string> | undefined) ?? {}) };
  if (op.op === 'remove') delete map[key];
  else if (op.op === 'add' || op.op === 'replace') map[key] = op.value ?? (null as unknown as string);
  else throw opNotOneOf(['add', 'remove', 'replace']);
  target[member] = map;
}

/**
 * UpdateIntegration (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateIntegration-Patch):
 * replace of /type, /httpMethod, /uri, /credentials, /passthroughBehavior, /contentHandling,
 * /timeoutInMillis, /connectionType, /connectionId, /cacheNamespace, /tlsConfig/insecureSkipVerification;
 * add/remove/replace of /requestParameters/{name}, /requestTemplates/{type}; add/remove of /cacheKeyParameters/{name}.
 */
function patchIntegration(integration: Integration, op: PatchOperation): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const { head, rest } = splitFirst(path);
  const target = integration as Integration & Record<string, unknown>;
  switch (head) {
    case 'type':
    case 'httpMethod':
    case 'uri':
    case 'credentials':
    case 'passthroughBehavior':
    case 'contentHandling':
    case 'connectionType':
    case 'connectionId':
    case 'cacheNamespace':
    case 'timeoutInMillis':
      if (rest !== undefined) throw invalidPatchPath(path);
      if (op.op !== 'replace') throw opNotOneOf(['replace']);
      if (head === 'timeoutInMillis') target.timeoutInMillis = patchInteger(op, 'timeoutInMillis');
      else if (op.value === undefined || op.value === '') delete target[head];
      else (target as Record<string, unknown>)[head] = op.value;
      return;
    case 'tlsConfig':
      if (rest !== 'insecureSkipVerification') throw invalidPatchPath(path);
      integration.tlsConfig = { insecureSkipVerification: (op.value ?? '').toLowerCase() === 'true' };
      return;
    case 'requestParameters':
    case 'requestTemplates':
      if (rest === undefined || rest === '') throw invalidPatchPath(path);
      patchStringMap(target, head, rest, op);
      return;
    case 'cacheKeyParameters': {
      const list = new Set(integration.cacheKeyParameters ?? []);
      const name = rest ?? op.value ?? '';
      if (op.op === 'add') list.add(name);
      else if (op.op === 'remove') list.delete(name);
      else throw opNotOneOf(['add', 'remove']);
      integration.cacheKeyParameters = [...list];
      return;
    }
    default:
      throw invalidPatchPath(path);
  }
}

/** UpdateIntegrationResponse: replace /selectionPattern, /contentHandling; add/remove/replace /responseParameters/{name}, /responseTemplates/{type}. */
function patchIntegrationResponse(response: IntegrationResponse, op: PatchOperation): void {
  const path = op.path;
  if (path === undefined) throw invalidPatchPath(undefined);
  const segs = pointerSegments(path);
  const { head, rest } = splitFirst(path);
  const target = response as IntegrationResponse & Record<string, unknown>;
  if ((head === 'selectionPattern' || head === 'contentHandling') && segs.length === 1) {
    if (op.op !== 'replace') throw opNotOneOf(['replace']);
    if (op.value === undefined || (op.value === '' && head === 'contentHandling')) delete target[head];
    else (target as Record<string, unknown>)[head] = op.value;
    return;
  }
  if ((head === 'responseParameters' || head === 'responseTemplates') && rest !== undefined && rest !== '') {
    patchStringMap(target, head, rest, op);
    return;
  }
  throw invalidPatchPath(path);
}
