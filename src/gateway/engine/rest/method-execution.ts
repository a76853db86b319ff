import type { Integration, IntegrationResponse } from '../../api/apigateway-shapes.js';
import type { ApiRequest, ApiResponse } from '../../model/http.js';
import type { GatewayContext } from '../context.js';
import { renderTemplate, TemplateError, type TemplateResult } from '../vtl/render.js';
import { acceptsBinary, convertPayload, isBinaryType } from './binary.js';
import { defaultGatewayBody, resolveGatewayResponse, type GatewayFailure } from './gateway-responses.js';
import { extendedRequestId, traceHeader, traceRoot } from './identifiers.js';
import { IntegrationFailure, IntegrationTimeout, timeoutOf, withTimeout, type BackendAnswer } from './integrations/backend.js';
import { callAwsService, parseServiceUri } from './integrations/aws-service.js';
import { callHttp } from './integrations/http.js';
import { functionArnOfUri, invokeFunction } from './integrations/lambda.js';
import { chooseRequestTemplate, chooseResponseTemplate, selectIntegrationResponse } from './mapping.js';
import type { GuardResult, MethodGuard } from './method-guard.js';
import { asSingle, resolveSource, type MappingSources } from './parameter-mapping.js';
import { buildProxyEvent, parseProxyAnswer } from './proxy-event.js';
import { buildRequestContext, domainOf, identityOf } from './request-context.js';
import { headerValue, mediaType, parseQuery, requestHeaders, type MultiValues } from './request-parts.js';
import { validateRequest } from './request-validation.js';
import { eventPath, type RouteMatch } from './router.js';
import type { StageView } from './stage-view.js';

/** One request's state while it runs through its method: what templates, mappings and the access log read. */
export interface Execution {
  view: StageView;
  request: ApiRequest;
  headers: MultiValues;
  query: MultiValues;
  /** `$context`. */
  context: Record<string, unknown>;
  apigwId: string;
  trace: string;
  match?: RouteMatch;
  /** Whether an integration was called (AWS answers X-Amzn-Trace-Id then, not for MOCK or gateway errors). */
  traced: boolean;
  /** What templates set in `$context.requestOverride` / `$context.responseOverride`. */
  overrides: Overrides;
}

export function startExecution(view: StageView, request: ApiRequest): Execution {
  const headers = requestHeaders(request);
  const query = parseQuery(request.rawQuery);
  const apigwId = extendedRequestId();
  const trace = traceHeader(headerValue(headers.single, 'x-amzn-trace-id'), request.receivedAt);
  const { domainName, domainPrefix } = domainOf(request);
  const context: Record<string, unknown> = {
    accountId: view.accountId,
    apiId: view.apiId,
    deploymentId: view.deploymentId,
    domainName,
    domainPrefix,
    extendedRequestId: apigwId,
    httpMethod: request.method,
    identity: identityOf(request, undefined),
    path: `/${view.stageName}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTimeEpoch: request.receivedAt,
    stage: view.stageName,
    xrayTraceId: traceRoot(trace).slice(5),
  };
  return { view, request, headers, query, context, apigwId, trace, traced: false, overrides: { request: { header: {}, querystring: {}, path: {} }, response: { header: {} } } };
}

/** Serves a request on a stage: route, guard, validate, integrate. */
export async function executeMethod(ctx: GatewayContext, guard: MethodGuard, ex: Execution): Promise<ApiResponse> {
  const { view, request } = ex;
  const match = view.router.match(request.method, request.path);
  if (!match) return gatewayResponse(ex, { type: 'MISSING_AUTHENTICATION_TOKEN' });
  ex.match = match;
  const { resource, method } = match;
  ex.context = {
    ...buildRequestContext({
      request,
      accountId: view.accountId,
      apiId: view.apiId,
      stage: view.stageName,
      deploymentId: view.deploymentId,
      httpMethod: request.method,
      resourceId: resource.id,
      resourcePath: resource.path,
      extendedRequestId: ex.apigwId,
      identity: ex.context.identity as Record<string, unknown>,
    }),
    xrayTraceId: ex.context.xrayTraceId,
  };

  let verdict: GuardResult;
  try {
    verdict = await guard.check({
      apiId: view.apiId,
      accountId: view.accountId,
      region: view.region,
      snapshot: view.snapshot,
      stageName: view.stageName,
      stageVariables: view.stageVariables,
      resource,
      method,
      httpMethod: request.method,
      pathParameters: match.pathParameters,
      request,
    });
  } catch {
    verdict = { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }
  if (!verdict.ok) {
    if (verdict.authorizer) ex.context.authorizer = verdict.authorizer;
    return gatewayResponse(ex, { type: verdict.type, message: verdict.message, authorizer: verdict.authorizer });
  }
  if (verdict.identity) ex.context.identity = { ...(ex.context.identity as Record<string, unknown>), ...verdict.identity };
  if (verdict.authorizer) ex.context.authorizer = verdict.authorizer;

  const contentType = mediaType(headerValue(ex.headers.single, 'content-type'));
  const invalid = validateRequest({ snapshot: view.snapshot, method, pathParameters: match.pathParameters, headers: ex.headers, query: ex.query, body: request.body, contentType });
  if (invalid) {
    ex.context.error = { validationErrorString: invalid.validationErrorString };
    return gatewayResponse(ex, { type: invalid.type, message: invalid.message });
  }

  const integration = method.methodIntegration;
  if (!integration?.type) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
  try {
    switch (integration.type) {
      case 'AWS_PROXY':
        return await lambdaProxy(ctx, ex, integration);
      case 'HTTP_PROXY':
        return await httpProxy(ex, integration);
      default:
        return await nonProxy(ctx, ex, integration);
    }
  } catch (error) {
    if (error instanceof IntegrationTimeout) return gatewayResponse(ex, { type: 'INTEGRATION_TIMEOUT' });
    if (error instanceof IntegrationFailure) {
      (ex.context.integration as Record<string, unknown> | undefined) ?? (ex.context.integration = {});
      (ex.context.integration as Record<string, unknown>).error = error.message;
      ex.context.integrationErrorMessage = error.message;
      if (error.status === 500) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
      return gatewayResponse(ex, { type: 'INTEGRATION_FAILURE', status: error.status, message: 'Internal server error' });
    }
    if (error instanceof TemplateError) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
    throw error;
  }
}

// ——— AWS_PROXY ———

async function lambdaProxy(ctx: GatewayContext, ex: Execution, integration: Integration): Promise<ApiResponse> {
  const { view, request, match } = ex;
  const uri = substituteStageVariables(integration.uri ?? '', view.stageVariables);
  const arn = functionArnOfUri(uri);
  if (!arn) throw new IntegrationFailure(`Unsupported AWS_PROXY integration URI ${uri}`, 500);
  const binary = isBinaryType(mediaType(headerValue(ex.headers.single, 'content-type')), view.snapshot.api.binaryMediaTypes);
  const event = buildProxyEvent({
    resourcePath: match!.resource.path,
    path: eventPath(request.path),
    httpMethod: request.method,
    headers: eventHeaders(ex),
    query: ex.query,
    pathParameters: match!.pathParameters,
    stageVariables: view.stageVariables,
    requestContext: proxyRequestContext(ex),
    body: request.body,
    binary,
  });
  ex.traced = true;
  const started = Date.now();
  const answer = await invokeFunction(ctx.runtime.invokers, arn, JSON.stringify(event), timeoutOf(integration.timeoutInMillis), sourceOf(view), ex.trace);
  noteIntegration(ex, started, answer.functionError ? 502 : 200);
  // A function error (an exception, a timeout inside Lambda) is a 502 Internal server error.
  if (answer.functionError) return gatewayResponse(ex, { type: 'INTEGRATION_FAILURE', status: 502, message: 'Internal server error' });
  const proxy = parseProxyAnswer(answer.payload);
  if (!proxy) return gatewayResponse(ex, { type: 'INTEGRATION_FAILURE', status: 502, message: 'Internal server error' });
  let body: Buffer;
  if (proxy.isBase64Encoded && acceptsBinary(headerValue(ex.headers.single, 'accept'), view.snapshot.api.binaryMediaTypes)) body = Buffer.from(proxy.body, 'base64');
  else body = Buffer.from(proxy.body);
  const headers: string[] = [];
  for (const [name, value] of proxy.headers) headers.push(name, value);
  if (!proxy.headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push('Content-Type', 'application/json');
  return finish(ex, proxy.statusCode, headers, body);
}

/**
 * Connection-level headers end at API Gateway's front: the event has no Connection or
 * Content-Length (recorded, lambda-proxy-events: a POST with a body shows neither).
 */
const NOT_IN_EVENT = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'expect']);

/** The proxy event's headers: the client's, with what API Gateway's front adds (X-Forwarded-*, the trace). */
function eventHeaders(ex: Execution): MultiValues {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(ex.headers.multi)) {
    if (NOT_IN_EVENT.has(k.toLowerCase())) continue;
    multi[k] = [...v];
    single[k] = v[v.length - 1];
  }
  const add = (name: string, value: string): void => {
    const existing = Object.keys(single).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) {
      if (name === 'X-Forwarded-For') {
        single[existing] = `${single[existing]}, ${value}`;
        multi[existing] = [single[existing]];
      }
      return;
    }
    single[name] = value;
    multi[name] = [value];
  };
  add('X-Amzn-Trace-Id', traceRoot(ex.trace));
  add('X-Forwarded-For', ex.request.sourceIp);
  const port = /:(\d+)$/.exec(ex.request.host)?.[1] ?? (ex.request.protocol === 'https' ? '443' : '80');
  add('X-Forwarded-Port', port);
  add('X-Forwarded-Proto', ex.request.protocol);
  return { single, multi };
}

function proxyRequestContext(ex: Execution): Record<string, unknown> {
  const { xrayTraceId: _trace, ...rest } = ex.context;
  void _trace;
  return rest;
}

// ——— HTTP_PROXY ———

async function httpProxy(ex: Execution, integration: Integration): Promise<ApiResponse> {
  const { request, view } = ex;
  const sources = mappingSources(ex);
  const mapped = mapRequestParameters(integration, sources);
  const pathParams = { ...ex.match!.pathParameters, ...mapped.path };
  const url = new URL(buildUri(integration.uri ?? '', pathParams, view.stageVariables));
  for (const [name, values] of Object.entries(ex.query.multi)) for (const v of values) url.searchParams.append(name, v);
  // Mapped query parameters join the client's and the URI's (recorded, test_http_proxy_integration_request_data_mappings: `testVar: "foobar,bar"`).
  for (const [name, value] of Object.entries(mapped.querystring)) url.searchParams.append(name, value);
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    if (mapped.header[request.rawHeaders[i].toLowerCase()] === undefined) headers.push([request.rawHeaders[i], request.rawHeaders[i + 1]]);
  }
  for (const [name, value] of Object.entries(mapped.headerSpelled)) headers.push([name, value]);
  headers.push(['X-Amzn-Trace-Id', traceRoot(ex.trace)]);
  const method = !integration.httpMethod || integration.httpMethod === 'ANY' ? request.method : integration.httpMethod;
  ex.traced = true;
  const started = Date.now();
  const answer = await callHttp({ url: url.href, method, headers, body: request.body, timeoutMs: timeoutOf(integration.timeoutInMillis), insecure: integration.tlsConfig?.insecureSkipVerification });
  noteIntegration(ex, started, answer.status);
  const out: string[] = [];
  for (const [name, values] of Object.entries(answer.headers.multi)) {
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding' || lower === 'keep-alive') continue;
    // Headers API Gateway sets itself come back renamed (recorded: x-amzn-remapped-connection,
    // -content-length, -date, -x-amzn-requestid in test_http_proxy_integration_request_data_mappings).
    const remapped = REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : name;
    for (const v of values) out.push(remapped, v);
  }
  return finish(ex, answer.status, out, answer.body);
}

const REMAPPED = new Set(['connection', 'content-length', 'date', 'x-amzn-requestid', 'server', 'authorization', 'www-authenticate']);

// ——— MOCK, HTTP, AWS (non-proxy) ———

async function nonProxy(ctx: GatewayContext, ex: Execution, integration: Integration): Promise<ApiResponse> {
  const { request, view } = ex;
  const api = view.snapshot.api;
  const contentType = mediaType(headerValue(ex.headers.single, 'content-type'));
  const choice = chooseRequestTemplate(integration, contentType);
  if (choice.kind === 'unsupported') return gatewayResponse(ex, { type: 'UNSUPPORTED_MEDIA_TYPE' });
  const requestBinary = isBinaryType(contentType, api.binaryMediaTypes);
  const sources = mappingSources(ex);
  const mapped = mapRequestParameters(integration, sources);

  let body: Buffer;
  if (choice.kind === 'template') {
    // A request without a body reads as `{}` in templates (recorded, test_sqs_aws_integration:
    // `MessageBody=$input.body` sent "{}" for a POST without payload).
    const input = request.body.length === 0 ? '{}' : requestBinary ? request.body.toString('base64') : request.body.toString('utf8');
    const rendered = render(choice.template, ex, input);
    if (!rendered) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
    body = Buffer.from(rendered.output);
  } else {
    const converted = convertPayload(request.body, requestBinary, integration.contentHandling);
    if (converted.failed) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
    body = converted.body;
  }
  // What the request template put in `$context.requestOverride` replaces the mapped parameters.
  const requestOverride = overridesOf(ex).request;
  Object.assign(mapped.path, requestOverride.path);
  Object.assign(mapped.querystring, requestOverride.querystring);
  for (const [k, v] of Object.entries(requestOverride.header)) {
    mapped.header[k.toLowerCase()] = v;
    mapped.headerSpelled[k] = v;
  }

  let backend: BackendAnswer;
  let selector: string | undefined;
  const started = Date.now();
  switch (integration.type) {
    case 'MOCK': {
      const status = mockStatus(choice.kind === 'template' ? body.toString('utf8') : undefined);
      if (status === undefined) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
      backend = { status, headers: { single: {}, multi: {} }, body: Buffer.alloc(0) };
      selector = String(status);
      break;
    }
    case 'HTTP': {
      const url = new URL(buildUri(integration.uri ?? '', mapped.path, view.stageVariables));
      for (const [name, value] of Object.entries(mapped.querystring)) url.searchParams.set(name, value);
      const headers: [string, string][] = Object.entries(mapped.headerSpelled);
      if (!Object.keys(mapped.header).includes('content-type')) headers.push(['Content-Type', choice.kind === 'template' ? choice.contentType : (contentType ?? 'application/json')]);
      // What API Gateway sends an HTTP backend besides the mapped headers (recorded,
      // test_http_integration_with_lambda: accept, user-agent AmazonAPIGateway_<api id>,
      // x-amzn-apigateway-api-id, x-amzn-trace-id, x-forwarded-for/-port/-proto).
      if (!Object.keys(mapped.header).includes('accept')) headers.push(['Accept', 'application/json']);
      if (!Object.keys(mapped.header).includes('user-agent')) headers.push(['User-Agent', `AmazonAPIGateway_${view.apiId}`]);
      headers.push(['x-amzn-apigateway-api-id', view.apiId]);
      headers.push(['X-Amzn-Trace-Id', traceRoot(ex.trace)]);
      headers.push(['X-Forwarded-For', request.sourceIp]);
      headers.push(['X-Forwarded-Port', /:(\d+)$/.exec(request.host)?.[1] ?? (request.protocol === 'https' ? '443' : '80')]);
      headers.push(['X-Forwarded-Proto', request.protocol]);
      const method = !integration.httpMethod || integration.httpMethod === 'ANY' ? request.method : integration.httpMethod;
      ex.traced = true;
      backend = await callHttp({ url: url.href, method, headers, body, timeoutMs: timeoutOf(integration.timeoutInMillis), insecure: integration.tlsConfig?.insecureSkipVerification });
      selector = String(backend.status);
      break;
    }
    case 'AWS': {
      const uri = substituteStageVariables(integration.uri ?? '', view.stageVariables);
      const functionArn = functionArnOfUri(uri);
      ex.traced = true;
      if (functionArn) {
        const payload = body.length === 0 ? '{}' : body.toString('utf8');
        const answer = await invokeFunction(ctx.runtime.invokers, functionArn, payload, timeoutOf(integration.timeoutInMillis), sourceOf(view), ex.trace);
        backend = { status: 200, headers: { single: { 'Content-Type': 'application/json' }, multi: { 'Content-Type': ['application/json'] } }, body: Buffer.from(answer.payload) };
        // Lambda integration responses select on the function's errorMessage, and only when it failed.
        selector = answer.functionError ? errorMessageOf(answer.payload) : undefined;
      } else {
        const target = parseServiceUri(uri);
        if (!target || !ctx.runtime.actions) throw new IntegrationFailure(`Unsupported AWS integration URI ${uri}`, 500);
        const headers: Record<string, string> = { ...mapped.headerSpelled };
        backend = await withTimeout(
          callAwsService({ actions: ctx.runtime.actions, target, body, headers, accountId: view.accountId, apiRegion: view.region }),
          timeoutOf(integration.timeoutInMillis),
        );
        selector = String(backend.status);
      }
      break;
    }
    default:
      return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
  }
  noteIntegration(ex, started, backend.status);
  return integrationResponse(ex, integration, backend, selector);
}


/** The status a MOCK integration answers: the request template's `statusCode` (200 without a template). */
export function mockStatus(output: string | undefined): number | undefined {
  if (output === undefined || output.trim() === '') return 200;
  try {
    const parsed = JSON.parse(output) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const code = (parsed as Record<string, unknown>).statusCode;
      if (code === undefined) return 200;
      const n = Number(code);
      return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
    }
  } catch {
    // AWS reads statusCode out of templates that are not strict JSON too; look for it directly.
    const m = /"statusCode"\s*:\s*"?(\d{3})/.exec(output);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function errorMessageOf(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as Record<string, unknown>).errorMessage === 'string') return (parsed as Record<string, string>).errorMessage;
  } catch {
    // not JSON: the payload itself
  }
  return payload;
}

function integrationResponse(
  ex: Execution,
  integration: Integration,
  backend: BackendAnswer,
  selector: string | undefined,
): ApiResponse {
  const response: IntegrationResponse | undefined = selectIntegrationResponse(integration, selector);
  // No integration response matched and none is the default: "Execution failed due to
  // configuration error: No match for output mapping and no default output mapping configured".
  if (!response) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
  let status = Number(response.statusCode ?? 200);
  const api = ex.view.snapshot.api;
  const backendBinary = isBinaryType(mediaType(headerValue(backend.headers.single, 'content-type')), api.binaryMediaTypes);
  const bodyText = backendBinary ? backend.body.toString('base64') : backend.body.toString('utf8');
  const sources: MappingSources = { ...mappingSources(ex), integration: { headers: backend.headers, body: bodyText } };
  const headers: string[] = [];
  const headerNames = new Set<string>();
  const setHeader = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    if (headerNames.has(lower)) {
      for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === lower) headers[i + 1] = value;
    } else {
      headerNames.add(lower);
      headers.push(name, value);
    }
  };
  for (const [target, source] of Object.entries(response.responseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m) continue;
    const value = asSingle(resolveSource(source, sources));
    if (value !== undefined) setHeader(m[1], value);
  }
  let body: Buffer;
  const chosen = chooseResponseTemplate(response.responseTemplates, headerValue(ex.headers.single, 'accept'));
  let contentType = chosen?.contentType ?? 'application/json';
  if (chosen && chosen.template.trim() !== '') {
    const rendered = render(chosen.template, ex, bodyText, 'response');
    if (!rendered) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
    body = Buffer.from(rendered.output);
  } else if (chosen) {
    body = Buffer.alloc(0);
  } else {
    const converted = convertPayload(backend.body, backendBinary, response.contentHandling);
    if (converted.failed) return gatewayResponse(ex, { type: 'API_CONFIGURATION_ERROR' });
    body = converted.body;
    if (!backendBinary && response.contentHandling === undefined && integration.type !== 'MOCK') contentType = 'application/json';
  }
  // `$context.responseOverride`, from the request template or the response template (recorded:
  // test_integration_mock_with_response_override_in_request_template: a MOCK's request template
  // sets status 444 and a header, and the response has them with or without a response template).
  const responseOverride = overridesOf(ex).response;
  if (responseOverride.status !== undefined) status = responseOverride.status;
  for (const [k, v] of Object.entries(responseOverride.header)) setHeader(k, v);
  if (!headerNames.has('content-type')) headers.push('Content-Type', contentType);
  return finish(ex, status, headers, body);
}

// ——— shared ———

function mappingSources(ex: Execution): MappingSources {
  return {
    method: { path: ex.match?.pathParameters ?? {}, query: ex.query, headers: ex.headers, body: ex.request.body.toString('utf8') },
    stageVariables: ex.view.stageVariables,
    context: ex.context,
  };
}

interface MappedRequest {
  path: Record<string, string>;
  querystring: Record<string, string>;
  /** By lower-case name. */
  header: Record<string, string>;
  headerSpelled: Record<string, string>;
}

/** `integration.request.{path|querystring|header}.<name>` from the integration's requestParameters. */
function mapRequestParameters(integration: Integration, sources: MappingSources): MappedRequest {
  const out: MappedRequest = { path: {}, querystring: {}, header: {}, headerSpelled: {} };
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    const m = /^integration\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(target);
    if (!m) continue;
    const value = asSingle(resolveSource(source, sources));
    if (value === undefined) continue;
    const [, kind, name] = m;
    if (kind === 'path') out.path[name] = value;
    else if (kind === 'querystring' || kind === 'multivaluequerystring') out.querystring[name] = value;
    else {
      out.header[name.toLowerCase()] = value;
      out.headerSpelled[name] = value;
    }
  }
  return out;
}

export function substituteStageVariables(text: string, stageVariables: Record<string, string>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_.:/?#&=,-]+)\}/g, (_, name: string) => stageVariables[name] ?? '');
}

/** The integration URI with stage variables and `{name}` / `{name+}` path parameters filled in (a non-greedy one with its slashes encoded). */
export function buildUri(uri: string, path: Record<string, string>, stageVariables: Record<string, string>): string {
  return substituteStageVariables(uri, stageVariables).replace(/\{([^}+]+)(\+?)\}/g, (whole, name: string, greedy: string) => {
    const value = path[name] ?? (greedy ? path[`${name}+`] : undefined);
    if (value === undefined) return whole;
    // Path parameters arrive still percent-encoded; what is not (a query value, a literal) is encoded here.
    const safe = value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]/g, (c) => encodeURIComponent(c));
    return greedy || name === 'proxy' ? safe : safe.replace(/\//g, '%2F');
  });
}

interface Overrides {
  request: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
  response: { status?: number; header: Record<string, string> };
}

/**
 * `$context.requestOverride` and `$context.responseOverride` live in `$context` for the whole
 * request: what the request template sets, the response template reads (recorded:
 * test_integration_mock_with_request_overrides_in_response_template) and the response has.
 */
function overridesOf(ex: Execution): Overrides {
  return ex.overrides;
}

function render(template: string, ex: Execution, body: string, phase: 'request' | 'response' = 'request'): TemplateResult | undefined {
  const overrides = overridesOf(ex);
  try {
    const result = renderTemplate(template, {
      body,
      params: { path: ex.match?.pathParameters ?? {}, querystring: ex.query.single, header: ex.headers.single },
      context: ex.context,
      stageVariables: ex.view.stageVariables,
    });
    const o = result.overrides;
    if (o.status !== undefined) overrides.response.status = Number(o.status);
    Object.assign(overrides.response.header, o.responseHeader);
    if (phase === 'request') {
      Object.assign(overrides.request.header, o.header);
      Object.assign(overrides.request.querystring, o.querystring);
      Object.assign(overrides.request.path, o.path);
    }
    // What the template wrote into $context is what the next template reads.
    ex.context = result.context;
    return result;
  } catch (error) {
    if (error instanceof TemplateError) {
      ex.context.integrationErrorMessage = error.message;
      return undefined;
    }
    throw error;
  }
}

function sourceOf(view: StageView): { accountId: string; region: string; arn: string } {
  return { accountId: view.accountId, region: view.region, arn: `arn:aws:execute-api:${view.region}:${view.accountId}:${view.apiId}/${view.stageName}` };
}

function noteIntegration(ex: Execution, started: number, status: number): void {
  const latency = Date.now() - started;
  ex.context.integration = { ...((ex.context.integration as Record<string, unknown>) ?? {}), status, latency };
  ex.context.integrationStatus = status;
  ex.context.integrationLatency = latency;
}

/** The answer with the headers API Gateway adds to every response. */
export function finish(ex: Execution, status: number, headers: string[], body: Buffer | string): ApiResponse {
  const out = [...headers, 'x-amzn-RequestId', ex.request.requestId, 'x-amz-apigw-id', ex.apigwId];
  if (ex.traced) out.push('X-Amzn-Trace-Id', traceRoot(ex.trace));
  ex.context.status = status;
  ex.context.responseLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  ex.context.responseLatency = Date.now() - ex.request.receivedAt;
  return { status, headers: out, body };
}

/** A failure rendered as the API's gateway response of its type (customised or default). */
export function gatewayResponse(ex: Execution, failure: GatewayFailure): ApiResponse {
  const resolved = resolveGatewayResponse(failure, ex.view.snapshot.gatewayResponses ?? {});
  const error = (ex.context.error as Record<string, unknown> | undefined) ?? {};
  ex.context.error = {
    ...error,
    message: resolved.message,
    messageString: JSON.stringify(resolved.message),
    responseType: failure.type,
    validationErrorString: error.validationErrorString ?? null,
  };
  const headers: string[] = [];
  const sources = mappingSources(ex);
  for (const [target, source] of Object.entries(resolved.responseParameters)) {
    const m = /^gatewayresponse\.header\.(.+)$/.exec(target);
    if (!m) continue;
    const value = asSingle(resolveSource(source, sources));
    if (value !== undefined) headers.push(m[1], value);
  }
  let body = defaultGatewayBody(resolved.message);
  let contentType = 'application/json';
  let status = resolved.status;
  if (resolved.responseTemplates) {
    const chosen = chooseResponseTemplate(resolved.responseTemplates, headerValue(ex.headers.single, 'accept'));
    if (chosen) {
      contentType = chosen.contentType;
      const rendered = render(chosen.template, ex, '', 'response');
      if (rendered) {
        body = rendered.output;
        const o = overridesOf(ex).response;
        if (o.status !== undefined) status = o.status;
        for (const [k, v] of Object.entries(o.header)) headers.push(k, v);
      }
    }
  }
  if (!headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'content-type')) headers.push('Content-Type', contentType);
  headers.push('x-amzn-ErrorType', resolved.errorType);
  return finish(ex, status, headers, body);
}
