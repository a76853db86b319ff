import type { Authorizer, Method } from '../../api/apigateway-shapes.js';
import { resourcePolicyDecision } from '../../../core/resource-policy.js';
import { organizationOf } from '../../../server/config.js';
import type { ApiRequest } from '../../model/http.js';
import type { RestApiDocument, RestApiSnapshot, StoredResource } from '../../model/rest-api.js';
import { evaluateAuthorizerPolicy } from '../authorizers/policy.js';
import { verifyCognitoToken } from '../authorizers/cognito.js';
import { verifyIamRequest } from '../authorizers/iam.js';
import { identityValue, identitySources } from '../authorizers/identity-source.js';
import { LambdaAuthorizers } from '../authorizers/lambda-authorizer.js';
import { methodArn as methodArnOf } from '../authorizers/method-arn.js';
import { headerValue } from '../authorizers/request-view.js';
import type { GatewayContext } from '../context.js';
import { usageState, type ApiKeyDocument, type UsagePlanDocument } from '../usage/documents.js';
import { BucketMap, takeFromAll, type ThrottleLimit, type TokenBucket } from '../usage/token-bucket.js';

/**
 * What stands between a matched method and its integration, in AWS's order: the resource policy,
 * authorization (AWS_IAM, a Lambda authorizer, a Cognito user pool), the API key and its usage
 * plan's throttling and quota, and stage and method throttling. The data plane calls it once per
 * request and renders a refusal as the API's gateway response of that type.
 */
export interface GuardInput {
  apiId: string;
  accountId: string;
  region: string;
  snapshot: RestApiSnapshot;
  stageName: string;
  stageVariables: Record<string, string>;
  resource: StoredResource;
  method: Method;
  /** The HTTP method of the request (the method may be ANY). */
  httpMethod: string;
  pathParameters: Record<string, string>;
  request: ApiRequest;
}

/** API Gateway's gateway response types a guard may refuse with (GatewayResponse.responseType). */
export type RefusalType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'EXPIRED_TOKEN'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED'
  | 'UNAUTHORIZED';

export type GuardResult =
  | {
      ok: true;
      /** `requestContext.authorizer` / `$context.authorizer`: principalId, the authorizer's context, or the Cognito claims. */
      authorizer?: Record<string, unknown>;
      /** `requestContext.identity` members the guard established (apiKey, apiKeyId, cognito…, caller, user, userArn, accountId). */
      identity?: Record<string, string | null>;
      /** The usage plan the request counted against, if any. */
      usagePlanId?: string;
    }
  | {
      ok: false;
      type: RefusalType;
      /** `$context.error.message` when it is not the type's default. */
      message?: string;
      /** `$context.authorizer` values known when refusing (an authorizer's context on a Deny). */
      authorizer?: Record<string, unknown>;
    };

export interface MethodGuard {
  check(input: GuardInput): Promise<GuardResult> | GuardResult;
}

/** AWS's words for a Deny of a Lambda authorizer's policy (API Gateway Developer Guide, gateway response ACCESS_DENIED). */
export const EXPLICIT_DENY_MESSAGE = 'User is not authorized to access this resource with an explicit deny';

/** What the guards of one gateway share: the authorizer cache, the throttles' buckets, the key and plan indexes. */
interface GuardState {
  lambdas: LambdaAuthorizers;
  buckets: BucketMap;
  /** `account\0region\0value` → key id; rebuilt after an API key changes. */
  keysByValue?: Map<string, string>;
  /** `account\0region\0apiId\0stage\0keyId` → plan id; rebuilt after a usage plan changes. */
  plansByStageKey?: Map<string, string>;
}

const states = new WeakMap<GatewayContext, GuardState>();

function stateOf(ctx: GatewayContext): GuardState {
  let state = states.get(ctx);
  if (state) return state;
  const created: GuardState = { lambdas: new LambdaAuthorizers(ctx.runtime.invokers), buckets: new BucketMap() };
  ctx.documents.onChange((change) => {
    if (change.kind === 'apikey') created.keysByValue = undefined;
    else if (change.kind === 'usageplan') created.plansByStageKey = undefined;
    // A redeployed or changed API: its authorizers' cached answers go (AWS flushes the cache on deployment).
    else if (change.kind === 'restapi') created.lambdas.forgetApi(change.id);
  });
  states.set(ctx, created);
  return created;
}

export function createMethodGuard(ctx: GatewayContext): MethodGuard {
  const state = stateOf(ctx);
  return { check: (input) => checkRequest(ctx, state, input) };
}

type Refusal = Extract<GuardResult, { ok: false }>;
const refuse = (type: RefusalType, message?: string, authorizer?: Record<string, unknown>): Refusal => ({ ok: false, type, message, authorizer });

async function checkRequest(ctx: GatewayContext, state: GuardState, input: GuardInput): Promise<GuardResult> {
  const { snapshot, method, request } = input;
  const arn = methodArnOf(input.region, input.accountId, input.apiId, input.stageName, input.httpMethod, request.path);
  const authorizationType = method.authorizationType ?? 'NONE';
  const identity: Record<string, string | null> = {};

  // 1. AWS_IAM: a signed request names its caller (needed by the resource policy).
  let caller: string | undefined;
  if (authorizationType === 'AWS_IAM') {
    const verdict = await verifyIamRequest(ctx.runtime.config, request, input.apiId, input.stageName);
    if (!verdict.ok) return refuse(verdict.type, verdict.message);
    caller = verdict.accountId;
    Object.assign(identity, {
      accessKey: verdict.accessKeyId,
      accountId: verdict.accountId,
      caller: verdict.accessKeyId,
      user: verdict.accessKeyId,
      userArn: `arn:aws:iam::${verdict.accountId}:root`,
    });
  }

  // 2. The resource policy (API Gateway Developer Guide, "How API Gateway resource policies affect
  // authorization workflow"): an explicit deny refuses; an allow lets the caller on to the
  // authorizer; with neither, only an IAM-authenticated caller of the API's own account passes
  // (its IAM policies, which Stratus does not keep, would decide; Stratus trusts its own account).
  const policy = policyOf(snapshot);
  if (policy !== undefined) {
    const decision = resourcePolicyDecision(policy, {
      action: 'execute-api:Invoke',
      resource: arn,
      accountId: caller,
      context: {
        'aws:sourceip': request.sourceIp.replace(/^::ffff:/, ''),
        'aws:sourcevpce': headerValue(request, 'x-amz-vpce-id'),
        'aws:principalaccount': caller,
        'aws:principalorgid': caller === undefined ? undefined : organizationOf(ctx.runtime.config, caller),
      },
    });
    const who = caller === undefined ? 'anonymous' : `arn:aws:iam::${caller}:root`;
    if (decision === 'deny') return refuse('ACCESS_DENIED', `User: ${who} is not authorized to perform: execute-api:Invoke on resource: ${arn} with an explicit deny`);
    if (decision === 'none' && !(authorizationType === 'AWS_IAM' && caller === input.accountId)) {
      return refuse('ACCESS_DENIED', `User: ${who} is not authorized to perform: execute-api:Invoke on resource: ${arn}`);
    }
  } else if (authorizationType === 'AWS_IAM' && caller !== input.accountId) {
    // Another account's caller needs the API's resource policy to let it in.
    return refuse('ACCESS_DENIED', `User: arn:aws:iam::${caller}:root is not authorized to perform: execute-api:Invoke on resource: ${arn}`);
  }

  // 3. Authorizers.
  let authorizerContext: Record<string, unknown> | undefined;
  let usageIdentifierKey: string | undefined;
  if (authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS') {
    const authorizer = method.authorizerId === undefined ? undefined : snapshot.authorizers[method.authorizerId];
    if (!authorizer) return refuse('AUTHORIZER_CONFIGURATION_ERROR');
    const outcome =
      authorizer.type === 'COGNITO_USER_POOLS' ? await cognito(authorizer, input) : await lambda(state, { ...authorizer, id: method.authorizerId! }, input, arn);
    if (!outcome.ok) return outcome;
    authorizerContext = outcome.authorizer;
    usageIdentifierKey = outcome.usageIdentifierKey;
  }

  // 4. The API key and its usage plan.
  let planId: string | undefined;
  if (method.apiKeyRequired === true) {
    const source = snapshot.api.apiKeySource ?? 'HEADER';
    const value = source === 'AUTHORIZER' ? usageIdentifierKey : headerValue(request, 'x-api-key');
    const found = value === undefined || value === '' ? undefined : findKey(ctx, state, input, value);
    if (!found) return refuse('INVALID_API_KEY', undefined, authorizerContext);
    identity.apiKey = found.key.value;
    identity.apiKeyId = found.key.id;
    planId = found.plan.id;

    // 5. Throttling in AWS's order: the plan's per-method limit, the plan's, the stage's method
    // settings, the account's ("Throttle requests to your REST APIs", order of throttling limits).
    const now = Date.now();
    const buckets: TokenBucket[] = [];
    const stage = found.plan.apiStages.find((s) => s.apiId === input.apiId && s.stage === input.stageName);
    const perMethod = stage?.throttle?.[`${input.resource.path}/${input.httpMethod}`] ?? stage?.throttle?.[`${input.resource.path}/${method.httpMethod ?? input.httpMethod}`];
    const methodLimit = limitOf(perMethod);
    if (methodLimit) buckets.push(state.buckets.get(`pm\u0000${planId}\u0000${found.key.id}\u0000${input.apiId}\u0000${input.stageName}\u0000${input.resource.path}\u0000${input.httpMethod}`, methodLimit, now));
    const planLimit = limitOf(found.plan.throttle);
    if (planLimit) buckets.push(state.buckets.get(`p\u0000${planId}\u0000${found.key.id}`, planLimit, now));
    const throttled = throttle(ctx, state, input, buckets, now);
    if (throttled) return throttled;

    // 6. The quota, counted in memory and stored in batches (usage/usage-counter.ts says why).
    const quota = found.plan.quota;
    if (quota?.limit !== undefined && quota.period !== undefined) {
      const counted = await usageState(ctx).counter.take(planId, found.key.id, { limit: quota.limit, offset: quota.offset, period: quota.period }, found.plan.createdAt, now);
      if (!counted) return refuse('QUOTA_EXCEEDED', undefined, authorizerContext);
    }
  } else {
    const throttled = throttle(ctx, state, input, [], Date.now());
    if (throttled) return throttled;
  }

  const result: GuardResult = { ok: true };
  if (authorizerContext) result.authorizer = authorizerContext;
  if (Object.keys(identity).length > 0) result.identity = identity;
  if (planId) result.usagePlanId = planId;
  return result;
}

/** The API's resource policy as an object (AWS keeps it as JSON text, sometimes with its quotes escaped). */
function policyOf(snapshot: RestApiSnapshot): string | Record<string, unknown> | undefined {
  const policy = (snapshot.api as { policy?: unknown }).policy;
  if (typeof policy !== 'string' || policy.trim() === '') return undefined;
  try {
    return JSON.parse(policy) as Record<string, unknown>;
  } catch {
    try {
      return JSON.parse(policy.replace(/\\"/g, '"')) as Record<string, unknown>;
    } catch {
      return policy;
    }
  }
}

/** Stage and account throttles, after the plan's buckets: one token from each, or none. */
function throttle(ctx: GatewayContext, state: GuardState, input: GuardInput, planBuckets: TokenBucket[], now: number): Refusal | undefined {
  const buckets = [...planBuckets];
  const api = ctx.documents.get<RestApiDocument>('restapi', { accountId: input.accountId, region: input.region }, input.apiId);
  const settings = api?.stages[input.stageName]?.methodSettings ?? {};
  const escaped = input.resource.path.replace(/\//g, '~1');
  const setting =
    settings[`${escaped}/${input.httpMethod}`] ??
    settings[`${escaped}/${input.method.httpMethod ?? input.httpMethod}`] ??
    settings[`${input.resource.path.slice(1)}/${input.httpMethod}`] ??
    settings['*/*'];
  const stageLimit = limitOf(setting ? { rateLimit: setting.throttlingRateLimit, burstLimit: setting.throttlingBurstLimit } : undefined);
  if (stageLimit) buckets.push(state.buckets.get(`s\u0000${input.apiId}\u0000${input.stageName}\u0000${input.resource.path}\u0000${input.httpMethod}`, stageLimit, now));
  // The account's throttle (GetAccount throttleSettings; API Gateway quotas: 10,000 requests a second
  // with a burst of 5,000 per account and region unless --apigateway-throttle says otherwise).
  buckets.push(state.buckets.get(`a\u0000${input.accountId}\u0000${input.region}`, ctx.runtime.config.gatewayAccountThrottle, now));
  return takeFromAll(buckets, now) < 0 ? undefined : refuse('THROTTLED');
}

/** A throttle setting as a limit; none when unset or negative (AWS shows -1 for "no limit"). */
function limitOf(settings: { rateLimit?: number; burstLimit?: number } | undefined): ThrottleLimit | undefined {
  if (!settings || settings.rateLimit === undefined || settings.rateLimit < 0) return undefined;
  const burst = settings.burstLimit === undefined || settings.burstLimit < 0 ? Math.max(1, Math.ceil(settings.rateLimit)) : settings.burstLimit;
  return { rateLimit: settings.rateLimit, burstLimit: burst };
}

/** An enabled key of this account and region with this value, in a usage plan of this API stage. */
function findKey(ctx: GatewayContext, state: GuardState, input: GuardInput, value: string): { key: ApiKeyDocument; plan: UsagePlanDocument } | undefined {
  if (!state.keysByValue) {
    state.keysByValue = new Map();
    for (const doc of ctx.documents.all<ApiKeyDocument>('apikey')) state.keysByValue.set(`${doc.accountId}\u0000${doc.region}\u0000${doc.body.value}`, doc.id);
  }
  if (!state.plansByStageKey) {
    state.plansByStageKey = new Map();
    for (const doc of ctx.documents.all<UsagePlanDocument>('usageplan')) {
      for (const stage of doc.body.apiStages) {
        for (const keyId of doc.body.keyIds) state.plansByStageKey.set(`${doc.accountId}\u0000${doc.region}\u0000${stage.apiId}\u0000${stage.stage}\u0000${keyId}`, doc.id);
      }
    }
  }
  const scope = { accountId: input.accountId, region: input.region };
  const keyId = state.keysByValue.get(`${input.accountId}\u0000${input.region}\u0000${value}`);
  const key = keyId === undefined ? undefined : ctx.documents.get<ApiKeyDocument>('apikey', scope, keyId);
  if (!key || !key.enabled) return undefined;
  const planId = state.plansByStageKey.get(`${input.accountId}\u0000${input.region}\u0000${input.apiId}\u0000${input.stageName}\u0000${key.id}`);
  const plan = planId === undefined ? undefined : ctx.documents.get<UsagePlanDocument>('usageplan', scope, planId);
  return plan ? { key, plan } : undefined;
}

type AuthOutcome = { ok: true; authorizer: Record<string, unknown>; usageIdentifierKey?: string } | Refusal;

async function lambda(state: GuardState, authorizer: Authorizer & { id: string }, input: GuardInput, arn: string): Promise<AuthOutcome> {
  const { request } = input;
  const outcome = await state.lambdas.run({
    authorizer,
    identity: {
      request,
      stageVariables: input.stageVariables,
      context: { 'identity.sourceIp': request.sourceIp, stage: input.stageName, httpMethod: input.httpMethod, resourcePath: input.resource.path, requestId: request.requestId },
    },
    event: {
      methodArn: arn,
      resourcePath: input.resource.path,
      resourceId: input.resource.id,
      httpMethod: input.httpMethod,
      apiId: input.apiId,
      accountId: input.accountId,
      stage: input.stageName,
      pathParameters: input.pathParameters,
    },
    request,
    stageVariables: input.stageVariables,
    accountId: input.accountId,
    region: input.region,
    now: Date.now(),
  });
  if (!outcome.ok) return refuse(outcome.type, outcome.message);
  const { output } = outcome;
  const context: Record<string, unknown> = { ...output.context, principalId: output.principalId, integrationLatency: outcome.latencyMs };
  const decision = evaluateAuthorizerPolicy(output.policyDocument, arn);
  if (decision === 'explicit-deny') return refuse('ACCESS_DENIED', EXPLICIT_DENY_MESSAGE, context);
  if (decision === 'deny') return refuse('ACCESS_DENIED', undefined, context);
  return { ok: true, authorizer: context, usageIdentifierKey: output.usageIdentifierKey };
}

async function cognito(authorizer: Authorizer, input: GuardInput): Promise<AuthOutcome> {
  const source = identitySources(authorizer.identitySource ?? 'method.request.header.Authorization')[0] ?? 'method.request.header.Authorization';
  const token = identityValue(source, { request: input.request, stageVariables: input.stageVariables, context: {} });
  if (token === undefined || token === '') return refuse('UNAUTHORIZED');
  const verdict = await verifyCognitoToken(token, authorizer.providerARNs, input.method.authorizationScopes);
  if (!verdict.ok) return refuse('UNAUTHORIZED');
  return { ok: true, authorizer: { claims: verdict.claims } };
}
