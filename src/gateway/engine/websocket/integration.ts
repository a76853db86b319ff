import type { Integration, IntegrationResponse } from '../../api/apigatewayv2-shapes.js';
import type { GatewayContext } from '../context.js';
import { callAwsService, parseServiceUri } from '../rest/integrations/aws-service.js';
import { renderTemplate } from '../vtl/render.js';
import { INTEGRATION_TIMEOUT_MS } from './limits.js';
import { mapRequestParameters, type MappedParameters } from './request-parameters.js';
import { evaluateSelectionExpression, selectKey, type SelectionScope } from './selection.js';

/**
 * Runs a WebSocket route's integration ([D] API Gateway Developer Guide, "Set up WebSocket API
 * integration requests" and "Set up WebSocket API integration responses"):
 * - AWS_PROXY: a Lambda function gets the proxy event; its `statusCode` and `body` are the answer;
 * - AWS (a Lambda function's `…/functions/<arn>/invocations` URI, or another AWS service's
 *   `arn:aws:apigateway:<region>:<service>:action/<Action>` or `…:path/…` URI, called in
 *   process as the REST data plane does), HTTP and MOCK: the request
 *   template chosen by the integration's TemplateSelectionExpression renders what is sent (the
 *   message passes through when no template matches and PassthroughBehavior allows it); the
 *   integration response is chosen by its key (`$default`, a status code, a `/pattern/` on the
 *   status or on a Lambda error's message) and its response template renders what the route
 *   response sends back;
 * - HTTP_PROXY: the message is sent to the URL as it is and the backend's body is the answer.
 * RequestParameters add headers and query string parameters to HTTP and AWS service requests
 * (request-parameters.ts).
 * API Gateway does not retry; an integration that fails or times out (TimeoutInMillis, at most 29 s)
 * is a failure the plane turns into a refused handshake or an error message.
 */
export type IntegrationOutcome =
  | { kind: 'answer'; status: number; body: string | Buffer | undefined; headers: Record<string, string> }
  | { kind: 'failure'; reason: string };

export interface IntegrationCall {
  accountId: string;
  region: string;
  apiId: string;
  integration: Integration;
  /** The integration responses of the integration, by id. */
  responses: Record<string, IntegrationResponse>;
  /** The Lambda proxy event (AWS_PROXY). */
  proxyEvent: Record<string, unknown>;
  /** The message (undefined on `$connect` and `$disconnect`). */
  body: string | undefined;
  /** What templates see as `$context`. */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  /** Headers and query string of the handshake (for `$request.header.*` on `$connect`). */
  scope: SelectionScope;
}

/** The function ARN of a Lambda integration URI: the ARN itself, or API Gateway's `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`. */
export function lambdaArnOf(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  if (/^arn:aws[a-z-]*:lambda:/.test(uri)) return uri;
  const m = /^arn:aws[a-z-]*:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(arn:aws[a-z-]*:lambda:[^/]+)\/invocations$/.exec(uri);
  return m ? m[1] : undefined;
}

function timeoutOf(integration: Integration): number {
  const asked = integration.TimeoutInMillis;
  return typeof asked === 'number' && asked >= 50 && asked <= INTEGRATION_TIMEOUT_MS ? asked : INTEGRATION_TIMEOUT_MS;
}

class IntegrationTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout(`the integration did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

interface LambdaAnswer {
  payload: string;
  functionError?: string;
}

async function invokeLambda(ctx: GatewayContext, call: IntegrationCall, arn: string, payload: unknown): Promise<LambdaAnswer> {
  const result = await withTimeout(
    ctx.runtime.invokers.invoke({
      arn,
      payload,
      parameters: { InvocationType: 'RequestResponse' },
      source: { service: 'apigateway', accountId: call.accountId, region: call.region, arn: `arn:aws:execute-api:${call.region}:${call.accountId}:${call.apiId}` },
    }),
    timeoutOf(call.integration),
  );
  const response = (result.response ?? {}) as { Payload?: string; FunctionError?: string };
  return { payload: response.Payload ?? '', functionError: response.FunctionError };
}

export async function runIntegration(ctx: GatewayContext, call: IntegrationCall): Promise<IntegrationOutcome> {
  try {
    switch (call.integration.IntegrationType) {
      case 'AWS_PROXY':
        return await runLambdaProxy(ctx, call);
      case 'HTTP_PROXY':
        return await runHttp(call, call.body ?? '', parametersOf(call));
      case 'AWS':
      case 'HTTP':
      case 'MOCK':
        return await runTemplated(ctx, call);
      default:
        return { kind: 'failure', reason: `integration type ${String(call.integration.IntegrationType)} is not supported on WebSocket routes` };
    }
  } catch (error) {
    return { kind: 'failure', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Lambda proxy: the answer's `statusCode` (200 when it has none) and `body` ([D] "Set up route responses for WebSocket APIs": "The body of your Lambda function should be returned"). */
async function runLambdaProxy(ctx: GatewayContext, call: IntegrationCall): Promise<IntegrationOutcome> {
  const arn = lambdaArnOf(call.integration.IntegrationUri);
  if (arn === undefined) return { kind: 'failure', reason: `the integration URI ${String(call.integration.IntegrationUri)} names no Lambda function` };
  const answer = await invokeLambda(ctx, call, arn, call.proxyEvent);
  if (answer.functionError !== undefined) return { kind: 'failure', reason: `the function failed: ${answer.payload.slice(0, 500)}` };
  return proxyAnswer(answer.payload);
}

/** A Lambda proxy answer read as API Gateway reads it. Pure. */
export function proxyAnswer(payload: string): IntegrationOutcome {
  let parsed: unknown;
  try {
    parsed = payload === '' ? null : JSON.parse(payload);
  } catch {
    return { kind: 'answer', status: 200, body: payload, headers: {} };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'answer', status: 200, body: parsed === null ? undefined : typeof parsed === 'string' ? parsed : payload, headers: {} };
  }
  const answer = parsed as Record<string, unknown>;
  const rawStatus = answer.statusCode;
  const status = rawStatus === undefined || rawStatus === null ? 200 : Number(rawStatus);
  if (!Number.isInteger(status) || status < 100 || status > 599) return { kind: 'failure', reason: `the function answered statusCode ${JSON.stringify(rawStatus)}` };
  const headers: Record<string, string> = {};
  if (answer.headers !== null && typeof answer.headers === 'object') {
    for (const [k, v] of Object.entries(answer.headers as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k] = String(v);
  }
  let body: string | Buffer | undefined;
  if (answer.body !== undefined && answer.body !== null) {
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    body = answer.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  }
  return { kind: 'answer', status, body, headers };
}

function parametersOf(call: IntegrationCall): MappedParameters {
  return mapRequestParameters(call.integration.RequestParameters, {
    headers: call.scope.headers ?? {},
    querystring: call.scope.querystring ?? {},
    body: call.body,
    context: call.context,
    stageVariables: call.stageVariables,
  });
}

async function runHttp(call: IntegrationCall, body: string, parameters: MappedParameters): Promise<IntegrationOutcome> {
  const uri = call.integration.IntegrationUri;
  if (!uri || !/^https?:\/\//i.test(uri)) return { kind: 'failure', reason: `the integration URI ${String(uri)} is not an http(s) URL` };
  const url = new URL(uri);
  for (const [k, v] of Object.entries(parameters.querystring)) url.searchParams.set(k, v);
  const method = (call.integration.IntegrationMethod ?? 'POST').toUpperCase();
  const response = await fetch(url, {
    method,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
    headers: { 'content-type': 'application/json', ...parameters.headers },
    signal: AbortSignal.timeout(timeoutOf(call.integration)),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { kind: 'answer', status: response.status, body: text, headers };
}

/** The request template chosen for a message, or what passes through without one; undefined when PassthroughBehavior refuses. */
export function requestPayload(integration: Integration, call: Pick<IntegrationCall, 'body' | 'context' | 'stageVariables' | 'scope'>): string | undefined {
  const templates = integration.RequestTemplates ?? {};
  const keys = Object.keys(templates);
  let chosen: string | undefined;
  if (keys.length > 0) {
    const expression = integration.TemplateSelectionExpression;
    const value = expression ? evaluateSelectionExpression(expression, { ...call.scope, body: call.body, context: call.context }) : undefined;
    chosen = selectKey(keys, value?.ok ? value.value : undefined);
  }
  if (chosen !== undefined) {
    return renderTemplate(templates[chosen], {
      body: call.body ?? '',
      params: { path: {}, querystring: call.scope.querystring ?? {}, header: call.scope.headers ?? {} },
      context: call.context,
      stageVariables: call.stageVariables,
    }).output;
  }
  const passthrough = integration.PassthroughBehavior ?? 'WHEN_NO_MATCH';
  if (passthrough === 'NEVER' || (passthrough === 'WHEN_NO_TEMPLATES' && keys.length > 0)) return undefined;
  return call.body ?? '';
}

async function runTemplated(ctx: GatewayContext, call: IntegrationCall): Promise<IntegrationOutcome> {
  const integration = call.integration;
  const payload = requestPayload(integration, call);
  if (payload === undefined) return { kind: 'failure', reason: 'no request template matches and PassthroughBehavior does not let the message through' };
  let status: number;
  let output: string;
  /** What integration response keys are matched against. */
  let selector: string;
  if (integration.IntegrationType === 'MOCK') {
    // A MOCK integration answers the status its request template names (`{"statusCode": 200}`).
    status = mockStatus(payload);
    output = '';
    selector = String(status);
  } else if (integration.IntegrationType === 'HTTP') {
    const answer = await runHttp(call, payload, parametersOf(call));
    if (answer.kind === 'failure') return answer;
    status = answer.status;
    output = typeof answer.body === 'string' ? answer.body : (answer.body?.toString('utf8') ?? '');
    selector = String(status);
  } else {
    const arn = lambdaArnOf(integration.IntegrationUri);
    if (arn !== undefined) {
      const answer = await invokeLambda(ctx, call, arn, payload);
      output = answer.payload;
      status = 200;
      // A Lambda error selects the integration response whose key matches its errorMessage; success selects `$default`.
      selector = answer.functionError !== undefined ? errorMessageOf(answer.payload) : '';
    } else {
      const target = integration.IntegrationUri === undefined ? undefined : parseServiceUri(integration.IntegrationUri);
      const actions = ctx.runtime.actions;
      if (target === undefined || actions === undefined) return { kind: 'failure', reason: `the AWS integration URI ${String(integration.IntegrationUri)} names no AWS service action` };
      const answer = await withTimeout(
        callAwsService({ actions, target, body: Buffer.from(payload, 'utf8'), headers: parametersOf(call).headers, accountId: call.accountId, apiRegion: call.region }),
        timeoutOf(integration),
      );
      output = answer.body.toString('utf8');
      status = answer.status;
      selector = String(status);
    }
  }
  const responses = Object.values(call.responses);
  const key = selectKey(
    responses.map((r) => r.IntegrationResponseKey),
    integration.IntegrationResponseSelectionExpression
      ? valueOr(evaluateSelectionExpression(integration.IntegrationResponseSelectionExpression, { integrationStatus: selector, body: output }), selector)
      : selector,
  );
  const response = key === undefined ? undefined : responses.find((r) => r.IntegrationResponseKey === key);
  if (response === undefined) return { kind: 'answer', status, body: output, headers: {} };
  const templates = response.ResponseTemplates ?? {};
  const templateKeys = Object.keys(templates);
  const expression = response.TemplateSelectionExpression;
  const selected = expression ? evaluateSelectionExpression(expression, { body: output, context: call.context, integrationStatus: String(status) }) : undefined;
  const templateKey = templateKeys.length === 0 ? undefined : selectKey(templateKeys, selected?.ok ? selected.value : undefined);
  if (templateKey === undefined) return { kind: 'answer', status, body: output, headers: {} };
  const rendered = renderTemplate(templates[templateKey], { body: output, params: { path: {}, querystring: {}, header: {} }, context: call.context, stageVariables: call.stageVariables });
  return { kind: 'answer', status, body: rendered.output, headers: {} };
}

function valueOr(selected: ReturnType<typeof evaluateSelectionExpression>, fallback: string): string {
  return selected.ok ? selected.value : fallback;
}

function mockStatus(payload: string): number {
  try {
    const parsed = JSON.parse(payload) as { statusCode?: unknown };
    const status = Number(parsed?.statusCode);
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 200;
  } catch {
    return 200;
  }
}

function errorMessageOf(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as { errorMessage?: unknown };
    return typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : payload;
  } catch {
    return payload;
  }
}
