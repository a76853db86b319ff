import type { ActionDefinition } from '../../protocol/service.js';
import type { GatewayContext } from '../engine/context.js';
import { lambdaArnOf } from '../engine/http/lambda-arn.js';
import { SUBTYPES } from '../engine/http/subtypes.js';
import { gatewayErrors } from '../model/errors.js';
import type { HttpApiDocument, StoredIntegration, StoredIntegrationResponse } from '../model/http-api.js';
import type { CreateIntegrationRequest, CreateIntegrationResponseRequest, UpdateIntegrationRequest } from './apigatewayv2-shapes.js';
import { shapes } from './apigatewayv2-shapes.js';
import { restAction } from './action.js';
import { assignDefined, changeApi, defined, notFoundOf, page, readApi, targetIntegrationId, v2Ids } from './v2-common.js';
import { webSocketOnly } from './v2-routes.js';

const INTEGRATION_MEMBERS = [
  'ConnectionId',
  'ConnectionType',
  'ContentHandlingStrategy',
  'CredentialsArn',
  'Description',
  'IntegrationMethod',
  'IntegrationSubtype',
  'IntegrationType',
  'IntegrationUri',
  'PassthroughBehavior',
  'PayloadFormatVersion',
  'RequestParameters',
  'RequestTemplates',
  'ResponseParameters',
  'TemplateSelectionExpression',
  'TimeoutInMillis',
  'TlsConfig',
] as const;

/** CreateIntegration: "RequestTemplates … TemplateSelectionExpression … PassthroughBehavior … ContentHandlingStrategy … Supported only for WebSocket APIs." */
const WEBSOCKET_ONLY = ['ContentHandlingStrategy', 'PassthroughBehavior', 'RequestTemplates', 'TemplateSelectionExpression'] as const;

/** HTTP APIs' parameter mapping keys ("Transforming API requests and responses"). */
const HTTP_REQUEST_KEY = /^(?:(append|overwrite|remove):(header|querystring)\.[^\s]+|overwrite:path)$/;
const HTTP_RESPONSE_KEY = /^(?:(append|overwrite|remove):header\.[^\s]+|overwrite:statuscode)$/;

function checkIntegration(doc: HttpApiDocument, integration: StoredIntegration, given: Partial<CreateIntegrationRequest>): void {
  const type = integration.IntegrationType;
  const http = doc.api.ProtocolType === 'HTTP';
  const maxTimeout = http ? 30000 : 29000;
  if (integration.TimeoutInMillis !== undefined && (integration.TimeoutInMillis < 50 || integration.TimeoutInMillis > maxTimeout)) {
    // CreateIntegration: "between 50 and 29,000 milliseconds for WebSocket APIs and between 50 and 30,000 milliseconds for HTTP APIs".
    throw gatewayErrors.badRequest(`Invalid TimeoutInMillis ${integration.TimeoutInMillis}: it must be between 50 and ${maxTimeout} milliseconds`);
  }
  if (integration.ConnectionType === 'VPC_LINK' && integration.ConnectionId === undefined) throw gatewayErrors.badRequest('ConnectionId is required for integrations with ConnectionType VPC_LINK');
  if (http) {
    if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') throw gatewayErrors.badRequest(`Integration type ${type} is not supported for HTTP APIs; use AWS_PROXY or HTTP_PROXY`);
    for (const m of WEBSOCKET_ONLY) if (given[m] !== undefined) throw gatewayErrors.badRequest(`${m} is supported only for WebSocket APIs`);
    if (integration.IntegrationSubtype !== undefined) {
      checkServiceIntegration(integration);
    } else if (type === 'AWS_PROXY') {
      if (integration.IntegrationUri === undefined) throw gatewayErrors.badRequest('IntegrationUri is required for AWS_PROXY integrations');
      // A function named by a stage variable (`…:function:${stageVariables.fn}`) is resolved per stage.
      if (lambdaArnOf(integration.IntegrationUri.replace(/\$\{stageVariables\.[A-Za-z0-9_]+\}/g, 'x')) === undefined) {
        throw gatewayErrors.badRequest(`Invalid IntegrationUri ${integration.IntegrationUri}: specify a Lambda function ARN`);
      }
      if (integration.PayloadFormatVersion === undefined) throw gatewayErrors.badRequest('PayloadFormatVersion is required for HTTP API Lambda proxy integrations: 1.0 or 2.0');
      if (integration.PayloadFormatVersion !== '1.0' && integration.PayloadFormatVersion !== '2.0') {
        throw gatewayErrors.badRequest(`Invalid PayloadFormatVersion ${integration.PayloadFormatVersion}: Lambda proxy integrations support 1.0 and 2.0`);
      }
    } else {
      if (integration.IntegrationUri === undefined) throw gatewayErrors.badRequest('IntegrationUri is required for HTTP_PROXY integrations');
      if (integration.ConnectionType !== 'VPC_LINK' && !/^https?:\/\/[^\s/]+/i.test(integration.IntegrationUri)) {
        throw gatewayErrors.badRequest(`Invalid IntegrationUri ${integration.IntegrationUri}: specify an http or https URL`);
      }
      if (integration.PayloadFormatVersion !== '1.0') throw gatewayErrors.badRequest(`Invalid PayloadFormatVersion ${integration.PayloadFormatVersion}: HTTP_PROXY integrations support only 1.0`);
    }
    if (integration.IntegrationSubtype === undefined) {
      for (const key of Object.keys(integration.RequestParameters ?? {})) {
        if (!HTTP_REQUEST_KEY.test(key)) throw gatewayErrors.badRequest(`Invalid mapping expression specified: ${key}`);
        checkMappedHeader(key);
      }
    }
    for (const [status, mappings] of Object.entries(integration.ResponseParameters ?? {})) {
      if (!/^[2-5]\d\d$/.test(status)) throw gatewayErrors.badRequest(`Invalid status code ${status} in ResponseParameters: it must be between 200 and 599`);
      for (const key of Object.keys(mappings)) {
        if (!HTTP_RESPONSE_KEY.test(key)) throw gatewayErrors.badRequest(`Invalid mapping expression specified: ${key}`);
        checkMappedHeader(key);
      }
    }
  } else {
    if (integration.IntegrationSubtype !== undefined) throw gatewayErrors.badRequest('IntegrationSubtype is supported only for HTTP APIs');
    if (integration.ResponseParameters !== undefined) throw gatewayErrors.badRequest('ResponseParameters of integrations are supported only for HTTP APIs');
    if (type !== 'MOCK' && integration.IntegrationUri === undefined) throw gatewayErrors.badRequest(`IntegrationUri is required for ${type} integrations`);
    if (integration.PayloadFormatVersion !== '1.0') throw gatewayErrors.badRequest(`Invalid PayloadFormatVersion ${integration.PayloadFormatVersion}: WebSocket APIs support only 1.0`);
  }
}

/** An HTTP API's AWS service integration: a known subtype with its required parameters ("Integration subtype reference"). */
function checkServiceIntegration(integration: StoredIntegration): void {
  const spec = SUBTYPES[integration.IntegrationSubtype!];
  if (spec === undefined) throw gatewayErrors.badRequest(`Unsupported integration subtype: ${integration.IntegrationSubtype}`);
  if (integration.IntegrationType !== 'AWS_PROXY') throw gatewayErrors.badRequest('IntegrationSubtype requires IntegrationType AWS_PROXY');
  if (integration.IntegrationUri !== undefined) throw gatewayErrors.badRequest('IntegrationUri cannot be set for AWS service integrations with an IntegrationSubtype');
  if (integration.PayloadFormatVersion !== '1.0') throw gatewayErrors.badRequest('AWS service integrations support only PayloadFormatVersion 1.0');
  const params = integration.RequestParameters ?? {};
  for (const name of spec.required) if (params[name] === undefined) throw gatewayErrors.badRequest(`Missing required parameter ${name} for integration subtype ${integration.IntegrationSubtype}`);
  for (const name of Object.keys(params)) {
    if (!spec.required.includes(name) && !spec.optional.includes(name)) throw gatewayErrors.badRequest(`Invalid parameter ${name} for integration subtype ${integration.IntegrationSubtype}`);
  }
}

export function integrationActions(gw: GatewayContext): ActionDefinition[] {
  return [
    restAction(shapes, 'CreateIntegration', (input: CreateIntegrationRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const integration = withDefaults(doc, { ...input, IntegrationId: v2Ids.integration() } as StoredIntegration);
        checkIntegration(doc, integration, input);
        doc.integrations[integration.IntegrationId] = integration;
        return { body: doc, result: integration };
      }),
    ),

    restAction(shapes, 'GetIntegration', (input: { ApiId: string; IntegrationId: string }, ctx) => integrationOf(readApi(gw, ctx, input.ApiId), input.IntegrationId)),

    restAction(shapes, 'GetIntegrations', (input: { ApiId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const items = Object.values(readApi(gw, ctx, input.ApiId).integrations).sort((a, b) => a.IntegrationId.localeCompare(b.IntegrationId));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateIntegration', (input: UpdateIntegrationRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const integration = integrationOf(doc, input.IntegrationId);
        const { RequestParameters, ResponseParameters, ...rest } = input;
        assignDefined(integration, rest as Partial<StoredIntegration>, INTEGRATION_MEMBERS);
        if (RequestParameters !== undefined) integration.RequestParameters = mergeRequestParameters(integration.RequestParameters, RequestParameters, doc.api.ProtocolType === 'HTTP');
        if (ResponseParameters !== undefined) integration.ResponseParameters = mergeResponseParameters(integration.ResponseParameters, ResponseParameters);
        checkIntegration(doc, withDefaults(doc, integration), input);
        return { body: doc, result: integration };
      }),
    ),

    restAction(shapes, 'DeleteIntegration', async (input: { ApiId: string; IntegrationId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        integrationOf(doc, input.IntegrationId);
        const user = Object.values(doc.routes).find((r) => targetIntegrationId(r.Target) === input.IntegrationId);
        if (user !== undefined) throw gatewayErrors.conflict(`Integration ${input.IntegrationId} is the target of route ${user.RouteKey}; change the route's target first`);
        delete doc.integrations[input.IntegrationId];
        delete doc.integrationResponses[input.IntegrationId];
        return { body: doc, result: undefined };
      });
      return {};
    }),

    restAction(shapes, 'CreateIntegrationResponse', (input: CreateIntegrationResponseRequest, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        integrationOf(doc, input.IntegrationId);
        webSocketOnly(doc, 'Integration responses');
        const responses = (doc.integrationResponses[input.IntegrationId] ??= {});
        checkIntegrationResponseKey(input.IntegrationResponseKey, responses);
        const response: StoredIntegrationResponse = defined({
          ContentHandlingStrategy: input.ContentHandlingStrategy,
          IntegrationResponseId: v2Ids.integrationResponse(),
          IntegrationResponseKey: input.IntegrationResponseKey,
          ResponseParameters: input.ResponseParameters,
          ResponseTemplates: input.ResponseTemplates,
          TemplateSelectionExpression: input.TemplateSelectionExpression,
        });
        responses[response.IntegrationResponseId] = response;
        return { body: doc, result: response };
      }),
    ),

    restAction(shapes, 'GetIntegrationResponse', (input: { ApiId: string; IntegrationId: string; IntegrationResponseId: string }, ctx) =>
      integrationResponseOf(readApi(gw, ctx, input.ApiId), input.IntegrationId, input.IntegrationResponseId),
    ),

    restAction(shapes, 'GetIntegrationResponses', (input: { ApiId: string; IntegrationId: string; MaxResults?: string; NextToken?: string }, ctx) => {
      const doc = readApi(gw, ctx, input.ApiId);
      integrationOf(doc, input.IntegrationId);
      const items = Object.values(doc.integrationResponses[input.IntegrationId] ?? {}).sort((a, b) => a.IntegrationResponseKey.localeCompare(b.IntegrationResponseKey));
      return page(items, input.MaxResults, input.NextToken);
    }),

    restAction(shapes, 'UpdateIntegrationResponse', (input: Partial<CreateIntegrationResponseRequest> & { ApiId: string; IntegrationId: string; IntegrationResponseId: string }, ctx) =>
      changeApi(gw, ctx, input.ApiId, (doc) => {
        const response = integrationResponseOf(doc, input.IntegrationId, input.IntegrationResponseId);
        if (input.IntegrationResponseKey !== undefined && input.IntegrationResponseKey !== response.IntegrationResponseKey) {
          const others = { ...doc.integrationResponses[input.IntegrationId] };
          delete others[response.IntegrationResponseId];
          checkIntegrationResponseKey(input.IntegrationResponseKey, others);
        }
        assignDefined(response, input, ['ContentHandlingStrategy', 'IntegrationResponseKey', 'ResponseParameters', 'ResponseTemplates', 'TemplateSelectionExpression']);
        return { body: doc, result: response };
      }),
    ),

    restAction(shapes, 'DeleteIntegrationResponse', async (input: { ApiId: string; IntegrationId: string; IntegrationResponseId: string }, ctx) => {
      await changeApi(gw, ctx, input.ApiId, (doc) => {
        integrationResponseOf(doc, input.IntegrationId, input.IntegrationResponseId);
        delete doc.integrationResponses[input.IntegrationId][input.IntegrationResponseId];
        return { body: doc, result: undefined };
      });
      return {};
    }),
  ];
}

/**
 * UpdateIntegration changes the mappings it names: for HTTP APIs an empty value removes a request
 * mapping, an empty map a status code's response mappings ("Transforming API requests and
 * responses": `--request-parameters {"append:header.header1" : ""}` and `--response-parameters
 * {"200" : {}}` remove what was configured). WebSocket APIs' request parameters are replaced.
 */
function mergeRequestParameters(current: Record<string, string> | undefined, given: Record<string, string>, http: boolean): Record<string, string> | undefined {
  if (!http) return given;
  const merged = { ...current };
  for (const [key, value] of Object.entries(given)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

function mergeResponseParameters(
  current: Record<string, Record<string, string>> | undefined,
  given: Record<string, Record<string, string>>,
): Record<string, Record<string, string>> | undefined {
  const merged = { ...current };
  for (const [status, mappings] of Object.entries(given)) {
    if (Object.keys(mappings).length === 0) {
      delete merged[status];
      continue;
    }
    const next = { ...merged[status] };
    for (const [key, value] of Object.entries(mappings)) {
      if (value === '') delete next[key];
      else next[key] = value;
    }
    merged[status] = next;
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** "The following headers are reserved. You can't configure request or response mappings for these headers." */
const RESERVED_HEADERS = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export function reservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}

function checkMappedHeader(key: string): void {
  const m = /:header\.(.+)$/.exec(key);
  if (m && reservedHeader(m[1])) throw gatewayErrors.badRequest(`Invalid mapping expression specified: ${key}: the header ${m[1]} is reserved`);
}

/**
 * What AWS fills in (CreateIntegration's answers in the API reference examples): ConnectionType
 * INTERNET; IntegrationMethod POST for Lambda; PayloadFormatVersion 1.0 where only 1.0 is allowed;
 * TimeoutInMillis 30000 (HTTP) or 29000 (WebSocket); WebSocket integrations also PassthroughBehavior
 * WHEN_NO_MATCH, and non-proxy ones select their integration response by status code.
 */
function withDefaults(doc: HttpApiDocument, integration: StoredIntegration): StoredIntegration {
  const http = doc.api.ProtocolType === 'HTTP';
  integration.ConnectionType ??= 'INTERNET';
  if (integration.IntegrationType === 'AWS_PROXY' && integration.IntegrationSubtype === undefined) integration.IntegrationMethod ??= 'POST';
  if (http && integration.IntegrationType === 'HTTP_PROXY') integration.IntegrationMethod ??= 'ANY';
  if (!http || integration.IntegrationType !== 'AWS_PROXY' || integration.IntegrationSubtype !== undefined) integration.PayloadFormatVersion ??= '1.0';
  integration.TimeoutInMillis ??= http ? 30000 : 29000;
  if (!http) {
    integration.PassthroughBehavior ??= 'WHEN_NO_MATCH';
    if (integration.IntegrationType === 'AWS' || integration.IntegrationType === 'HTTP' || integration.IntegrationType === 'MOCK') {
      integration.IntegrationResponseSelectionExpression ??= '${integration.response.statuscode}';
    }
  }
  delete (integration as { ApiId?: string }).ApiId;
  return integration;
}

function checkIntegrationResponseKey(key: string, existing: Record<string, StoredIntegrationResponse>): void {
  // WebSocket APIs: "$default" or a regular expression between slashes matched against the status code.
  if (key !== '$default' && !/^\/.+\/$/.test(key)) throw gatewayErrors.badRequest(`Invalid integration response key ${key}: use $default or a /regular expression/`);
  if (Object.values(existing).some((r) => r.IntegrationResponseKey === key)) throw gatewayErrors.conflict(`Integration response with key ${key} already exists for this integration`);
}

export function integrationOf(doc: HttpApiDocument, integrationId: string): StoredIntegration {
  const integration = doc.integrations[integrationId];
  if (integration === undefined) throw notFoundOf('Integration', integrationId);
  return integration;
}

function integrationResponseOf(doc: HttpApiDocument, integrationId: string, responseId: string): StoredIntegrationResponse {
  integrationOf(doc, integrationId);
  const response = doc.integrationResponses[integrationId]?.[responseId];
  if (response === undefined) throw notFoundOf('IntegrationResponse', responseId);
  return response;
}
