import { randomHex } from '../../../core/random-pool.js';
import { verifyIamRequest } from '../authorizers/iam.js';
import type { StoredDocument } from '../documents.js';
import type { ApiRequest, ApiResponse } from '../../model/http.js';
import {
  deploymentDocumentId,
  type HttpApiDocument,
  type HttpDeploymentDocument,
  type StoredIntegration,
  type StoredRoute,
  type StoredStage,
} from '../../model/http-api.js';
import type { GatewayContext } from '../context.js';
import type { DataPlane } from '../front-door.js';
import type { InvokeTarget } from '../invoke-url.js';
import { contextVariables, formatAccessLog, sendAccessLog, type ContextFacts } from './access-log.js';
import { onAuthorizerCacheReset } from './cache-reset.js';
import { isPreflight, preflightAnswer, withCorsHeaders } from './cors.js';
import { eventV1, eventV2, type AuthorizerIdentity } from './events.js';
import { fillUri, forward, proxiedHeaders } from './http-proxy.js';
import { routeArnOf } from './iam-policy.js';
import { JwtVerifier } from './jwt-authorizer.js';
import { answerV1, answerV2, INTERNAL_ERROR, jsonMessage, type HttpAnswer } from './lambda-answer.js';
import { lambdaArnOf } from './lambda-arn.js';
import { LambdaAuthorizers } from './lambda-authorizer.js';
import { invokeLambda } from './lambda-invoke.js';
import { evaluate, mapRequest, mapResponse, type MappingSources } from './parameter-mapping.js';
import { gatewayHeaders, joinedQuery, queryParameters, traceHeader, type HttpContextBase, type HttpRequestView } from './request-view.js';
import { RouteTable } from './route-select.js';
import { callServiceIntegration } from './service-integration.js';
import { routeLimits, TokenBucket } from './token-bucket.js';

const NOT_FOUND = () => jsonMessage(404, 'Not Found');
const MAX_PAYLOAD = 10 * 1024 * 1024;
const FORBIDDEN = () => jsonMessage(403, 'Forbidden');
const UNAUTHORIZED = () => jsonMessage(401, 'Unauthorized');

interface Served {
  doc: StoredDocument<HttpApiDocument>;
  stage: StoredStage;
  deployment: HttpDeploymentDocument;
  /** The path after the stage. */
  path: string;
  /** What payload 2.0 shows as the path (with the stage's name for a named stage). */
  rawPath: string;
  /** What payload 1.0 shows (a custom domain's base path included). */
  fullPath: string;
}

/**
 * HTTP APIs' data plane ("Working with HTTP APIs"): serves a deployed HTTP API at
 * `<id>.execute-api.<host>/<stage>/…` (`/…` for the `$default` stage), at
 * `/restapis/<id>/<stage>/_user_request_/…`, and through custom domains. In order: the
 * execute-api endpoint switch, the stage and its deployment, CORS preflight, the route, the
 * route's throttling, its authorization (JWT, Lambda, IAM), the integration (Lambda proxy in
 * payload 1.0 or 2.0, HTTP proxy, AWS service) with parameter mapping both ways, CORS headers,
 * the headers AWS adds, and the access log.
 */
export class HttpDataPlane implements DataPlane {
  private readonly jwt: JwtVerifier;
  private readonly lambdaAuthorizers: LambdaAuthorizers;
  /** Route tables by deployment document id (a deployment never changes). */
  private readonly tables = new Map<string, RouteTable<StoredRoute>>();
  /** Token buckets by api/stage/route key and the limits they were made for. */
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly ctx: GatewayContext) {
    const now = () => ctx.runtime.clock.now();
    this.jwt = new JwtVerifier(now);
    this.lambdaAuthorizers = new LambdaAuthorizers(ctx.runtime, now);
    onAuthorizerCacheReset(ctx, (accountId, apiId, stage) => this.lambdaAuthorizers.reset(accountId, apiId, stage));
    ctx.documents.onChange((change) => {
      if (change.kind === 'v2deployment' && change.deleted) this.tables.delete(change.id);
      if (change.kind === 'v2api' && change.deleted) {
        for (const key of [...this.tables.keys()]) if (key.startsWith(`${change.id}/`)) this.tables.delete(key);
        for (const key of [...this.buckets.keys()]) if (key.startsWith(`${change.id}\u0000`)) this.buckets.delete(key);
      }
    });
  }

  serve(target: InvokeTarget, request: ApiRequest): Promise<ApiResponse> | undefined {
    const doc = this.ctx.documents.find<HttpApiDocument>('v2api', target.apiId);
    if (doc === undefined || doc.body.api.ProtocolType !== 'HTTP') return undefined;
    return this.handle(doc, target, request);
  }

  private async handle(doc: StoredDocument<HttpApiDocument>, target: InvokeTarget, request: ApiRequest): Promise<ApiResponse> {
    const started = this.ctx.runtime.clock.now();
    const hostName = request.domain?.domainName ?? request.host.replace(/:\d+$/, '');
    const base: HttpContextBase = {
      accountId: doc.accountId,
      apiId: doc.id,
      domainName: hostName,
      domainPrefix: hostName.split('.')[0],
      requestId: request.requestId,
      stage: target.stage ?? '$default',
      sourceIp: request.sourceIp,
      userAgent: headerOf(request, 'user-agent') ?? '',
      protocol: 'HTTP/1.1',
      timeEpoch: request.receivedAt,
      clientCert: request.clientCert,
    };
    const facts: ContextFacts = { base, method: request.method, rawPath: target.fullPath };
    let served: Served | undefined;
    let answer: HttpAnswer;
    let preflight = false;
    try {
      served = this.stageOf(doc, target, request);
      const cors = served?.deployment.snapshot.api.CorsConfiguration;
      // DisableExecuteApiEndpoint: "clients can invoke your API only by using a custom domain name";
      // like every API setting it takes effect with a deployment ("you must deploy your API").
      const disabled = (served?.deployment.snapshot.api ?? doc.body.api).DisableExecuteApiEndpoint === true && request.domain === undefined;
      if (disabled) {
        served = undefined;
        answer = FORBIDDEN();
      } else if (served === undefined) {
        answer = NOT_FOUND();
      } else if (cors !== undefined && isPreflightRequest(request) && this.answersPreflight(served)) {
        base.stage = served.stage.StageName;
        preflight = true;
        answer = preflightAnswer(cors, headerOf(request, 'origin') ?? '');
      } else {
        base.stage = served.stage.StageName;
        facts.rawPath = served.rawPath;
        answer = await this.run(served, request, base, facts);
      }
    } catch (error) {
      this.ctx.runtime.log.error('HTTP API request failed', { apiId: doc.id, requestId: request.requestId, error: error instanceof Error ? error.stack : String(error) });
      answer = INTERNAL_ERROR();
    }
    const cors = served?.deployment.snapshot.api.CorsConfiguration;
    const origin = headerOf(request, 'origin');
    const headers: [string, string][] = cors !== undefined && !preflight ? withCorsHeaders(cors, origin, answer.headers) : [...answer.headers];
    // What every HTTP API answer carries ("apigw-requestid", "date").
    headers.push(['date', new Date(this.ctx.runtime.clock.now()).toUTCString()]);
    headers.push(['apigw-requestid', request.requestId]);
    facts.status = answer.status;
    facts.responseLength = answer.body.length;
    facts.responseLatency = this.ctx.runtime.clock.now() - started;
    if (served !== undefined) this.accessLog(served, facts);
    return { status: answer.status, headers: headers.flat(), body: answer.body };
  }

  /**
   * Whether API Gateway answers a preflight itself ("Configure CORS for HTTP APIs"): "API Gateway
   * automatically sends a response to preflight OPTIONS requests, even if there isn't an OPTIONS
   * route" — but "the $default route catches requests for all methods and routes that you haven't
   * explicitly defined, including OPTIONS requests", and an `OPTIONS /{proxy+}` route has priority
   * over it. So a preflight goes to an explicit OPTIONS route or to `$default` when one is what
   * matches, and is answered by API Gateway otherwise (no route, or an ANY route).
   */
  private answersPreflight(served: Served): boolean {
    const choice = this.tableOf(served).select('OPTIONS', served.path);
    return choice === undefined || choice.route.RouteKey.startsWith('ANY ');
  }

  /** The stage a request names and the deployment it serves; undefined when there is none (404). */
  private stageOf(doc: StoredDocument<HttpApiDocument>, target: InvokeTarget, request: ApiRequest): Served | undefined {
    const stages = doc.body.stages;
    let stage: StoredStage | undefined;
    let path: string;
    let rawPath: string;
    if (target.stage !== undefined && stages[target.stage] !== undefined) {
      stage = stages[target.stage];
      path = target.path;
      rawPath = request.domain !== undefined || target.stage === '$default' ? target.path : `/${target.stage}${target.path === '/' ? '' : target.path}`;
    } else if (stages.$default !== undefined) {
      stage = stages.$default;
      path = target.fullPath;
      rawPath = request.domain !== undefined ? request.path : target.fullPath;
    } else {
      return undefined;
    }
    if (stage.DeploymentId === undefined) return undefined;
    const deployment = this.ctx.documents.get<HttpDeploymentDocument>('v2deployment', doc, deploymentDocumentId(doc.id, stage.DeploymentId));
    if (deployment === undefined) return undefined;
    const fullPath = request.domain !== undefined ? domainPath(request) : rawPath;
    return { doc, stage, deployment, path: path === '' ? '/' : path, rawPath: rawPath === '' ? '/' : rawPath, fullPath: fullPath === '' ? '/' : fullPath };
  }

  private async run(served: Served, request: ApiRequest, base: HttpContextBase, facts: ContextFacts): Promise<HttpAnswer> {
    const { snapshot } = served.deployment;
    // "Payload size: 10 MB" (Quotas for configuring and running an HTTP API).
    if (request.body.length > MAX_PAYLOAD) return jsonMessage(413, 'Request Entity Too Large');
    const choice = this.tableOf(served).select(request.method, served.path);
    if (choice === undefined) return NOT_FOUND();
    const route = choice.route;
    facts.routeKey = route.RouteKey;

    const limits = routeLimits(served.stage.DefaultRouteSettings, served.stage.RouteSettings?.[route.RouteKey]);
    if (limits !== undefined && !this.bucketOf(served, route.RouteKey, limits).take(this.ctx.runtime.clock.now())) {
      facts.errorType = 'THROTTLED';
      return jsonMessage(429, 'Too Many Requests');
    }

    const view: HttpRequestView = {
      method: request.method,
      rawPath: served.rawPath,
      fullPath: served.fullPath,
      routePath: served.path,
      rawQuery: request.rawQuery,
      headers: gatewayHeaders(request.rawHeaders, {
        sourceIp: request.sourceIp,
        port: /:(\d+)$/.exec(request.host)?.[1] ?? (request.protocol === 'https' ? '443' : '80'),
        protocol: request.protocol,
        traceId: traceHeader(request.receivedAt, randomHex(12)),
      }),
      body: request.body,
      routeKey: route.RouteKey,
      pathParameters: choice.pathParameters,
      stageVariables: served.stage.StageVariables ?? {},
      context: base,
    };
    const region = served.doc.region;
    const routeArn = routeArnOf(region, base.accountId, base.apiId, base.stage, request.method, served.path);
    const sources = (): MappingSources => ({
      request: { headers: view.headers, query: joinedQuery(view.rawQuery), body: view.body, path: view.routePath, pathParameters: view.pathParameters },
      context: contextVariables(facts),
      stageVariables: view.stageVariables,
    });

    const auth = await this.authorize(route, snapshot.authorizers, view, sources(), routeArn, region, facts, request);
    if ('denied' in auth) return auth.denied;
    facts.authorizer = auth.identity;

    const integrationId = route.Target?.replace(/^integrations\//, '');
    const integration = integrationId === undefined ? undefined : snapshot.integrations[integrationId];
    if (integration === undefined) return NOT_FOUND();

    const began = this.ctx.runtime.clock.now();
    const answer = await this.integrate(integration, view, auth.identity, sources(), routeArn, region, request);
    facts.integrationLatency = this.ctx.runtime.clock.now() - began;
    facts.integrationStatus = answer.status;
    const mapped = mapResponse(answer, integration.ResponseParameters, { ...sources(), response: { headers: answer.headers, body: answer.body } });
    return { status: mapped.status, headers: mapped.headers, body: answer.body };
  }

  /** The route's authorization: the caller's identity when the request may go on (none for NONE), else the refusal. */
  private async authorize(
    route: StoredRoute,
    authorizers: HttpApiDocument['authorizers'],
    view: HttpRequestView,
    sources: MappingSources,
    routeArn: string,
    region: string,
    facts: ContextFacts,
    request: ApiRequest,
  ): Promise<{ denied: HttpAnswer } | { identity?: AuthorizerIdentity }> {
    const type = route.AuthorizationType ?? 'NONE';
    if (type === 'NONE') return {};
    if (type === 'AWS_IAM') {
      // IAM authorization: a SigV4-signed request for `execute-api`, its signature verified when
      // Stratus checks signatures (--verify-signatures), as REST APIs' AWS_IAM methods are. An
      // unsigned or wrongly signed request: 403 Forbidden.
      const verdict = await verifyIamRequest(this.ctx.runtime.config, request, view.context.apiId, view.context.stage);
      if (!verdict.ok) return { denied: FORBIDDEN() };
      const { accessKeyId, accountId } = verdict;
      return { identity: { kind: 'iam', iam: { accessKey: accessKeyId, accountId, callerId: accessKeyId, principalOrgId: null, userArn: null, userId: accessKeyId } } };
    }
    const authorizer = route.AuthorizerId === undefined ? undefined : authorizers[route.AuthorizerId];
    if (authorizer === undefined) return { denied: INTERNAL_ERROR() };
    if (type === 'JWT') {
      const source = authorizer.IdentitySource?.[0];
      const token = source === undefined ? undefined : evaluate(source, sources);
      const outcome = await this.jwt.verify(authorizer, token, route.AuthorizationScopes);
      if (!outcome.ok) {
        facts.authorizerError = outcome.description;
        const refusal = outcome.status === 403 ? FORBIDDEN() : UNAUTHORIZED();
        const error = outcome.status === 403 ? 'insufficient_scope' : 'invalid_token';
        refusal.headers.push(['www-authenticate', `Bearer scope="${(route.AuthorizationScopes ?? []).join(' ')}" error="${error}" error_description="${outcome.description}"`]);
        return { denied: refusal };
      }
      return { identity: outcome.identity };
    }
    const outcome = await this.lambdaAuthorizers.authorize({ authorizer, view, sources, routeArn, region, timeoutMs: 10000 });
    if (!outcome.ok) {
      facts.authorizerError = outcome.status === 500 ? 'the authorizer failed' : outcome.status === 401 ? 'identity source missing' : 'denied';
      return { denied: outcome.status === 401 ? UNAUTHORIZED() : outcome.status === 403 ? FORBIDDEN() : INTERNAL_ERROR() };
    }
    return { identity: outcome.identity };
  }

  private async integrate(
    integration: StoredIntegration,
    view: HttpRequestView,
    authorizer: AuthorizerIdentity | undefined,
    sources: MappingSources,
    routeArn: string,
    region: string,
    request: ApiRequest,
  ): Promise<HttpAnswer> {
    const timeoutMs = integration.TimeoutInMillis ?? 30000;
    const mapsQuery = Object.keys(integration.RequestParameters ?? {}).some((k) => k.includes(':querystring.'));
    if (integration.IntegrationType === 'AWS_PROXY' && integration.IntegrationSubtype !== undefined) {
      return callServiceIntegration(this.ctx.runtime, integration, sources, { accountId: view.context.accountId, region });
    }
    const mapped = mapRequest(
      { headers: view.headers, query: queryParameters(view.rawQuery), path: view.routePath },
      integration.IntegrationSubtype === undefined ? (integration.RequestParameters ?? {}) : {},
      sources,
    );
    if (integration.IntegrationType === 'AWS_PROXY') {
      const fn = lambdaArnOf(fillUri(integration.IntegrationUri ?? '', {}, view.stageVariables));
      if (fn === undefined) return INTERNAL_ERROR();
      const mappedView: HttpRequestView = { ...view, headers: mapped.headers.map(([n, v]) => [n.toLowerCase(), v]), rawQuery: mapsQuery ? encodeQuery(mapped.query) : view.rawQuery };
      const v2 = integration.PayloadFormatVersion === '2.0';
      const event = v2 ? eventV2(mappedView, authorizer) : eventV1(mappedView, authorizer);
      const result = await invokeLambda(this.ctx.runtime, fn, event, { accountId: view.context.accountId, region, sourceArn: routeArn, timeoutMs, traceId: request.requestId });
      if (!result.ok) return result.reason === 'timeout' ? jsonMessage(503, 'Service Unavailable') : INTERNAL_ERROR();
      return v2 ? answerV2(result.payload) : answerV1(result.payload);
    }
    if (integration.IntegrationType === 'HTTP_PROXY') {
      let url: URL;
      try {
        url = new URL(fillUri(integration.IntegrationUri ?? '', view.pathParameters, view.stageVariables));
      } catch {
        return INTERNAL_ERROR();
      }
      if (mapped.path !== view.routePath) url.pathname = mapped.path;
      const query = mapsQuery ? encodeQuery(mapped.query) : view.rawQuery;
      if (query !== '') url.search = url.search === '' ? `?${query}` : `${url.search}&${query}`;
      const method = integration.IntegrationMethod === undefined || integration.IntegrationMethod === 'ANY' ? request.method : integration.IntegrationMethod;
      const headers = proxiedHeaders(mapped.headers, { sourceIp: request.sourceIp, protocol: request.protocol, host: view.context.domainName });
      return forward({ method, url, headers, body: request.body, timeoutMs });
    }
    return INTERNAL_ERROR();
  }

  private tableOf(served: Served): RouteTable<StoredRoute> {
    const key = deploymentDocumentId(served.doc.id, served.deployment.id);
    let table = this.tables.get(key);
    if (table === undefined) {
      table = new RouteTable(Object.values(served.deployment.snapshot.routes));
      this.tables.set(key, table);
    }
    return table;
  }

  private bucketOf(served: Served, routeKey: string, limits: { rate: number; burst: number }): TokenBucket {
    const key = `${served.doc.id}\u0000${served.stage.StageName}\u0000${routeKey}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined || bucket.rate !== limits.rate || bucket.burst !== limits.burst) {
      bucket = new TokenBucket(limits.rate, limits.burst, this.ctx.runtime.clock.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private accessLog(served: Served, facts: ContextFacts): void {
    const settings = served.stage.AccessLogSettings;
    if (settings?.DestinationArn === undefined || settings.Format === undefined) return;
    const line = formatAccessLog(settings.Format, contextVariables(facts));
    const { accountId, region, id } = served.doc;
    const source = { accountId, region, arn: `arn:aws:execute-api:${region}:${accountId}:${id}/${served.stage.StageName}` };
    sendAccessLog(this.ctx.runtime, settings.DestinationArn, `${id}_${served.stage.StageName}`, line, facts.base.timeEpoch, source);
  }
}

function headerOf(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function isPreflightRequest(request: ApiRequest): boolean {
  return isPreflight(request.method, { origin: headerOf(request, 'origin'), requestMethod: headerOf(request, 'access-control-request-method') });
}

function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
}

/** The path a custom-domain request was sent to: its base path, then the path after it. */
function domainPath(request: ApiRequest): string {
  const basePath = request.domain?.basePath ?? '';
  if (basePath === '' || basePath === '(none)') return request.path;
  return `/${basePath.replace(/^\/+|\/+$/g, '')}${request.path === '/' ? '' : request.path}`;
}

