import type { Runtime } from '../../../server/runtime.js';
import type { StoredAuthorizer } from '../../model/http-api.js';
import { eventV1, eventV2, type AuthorizerIdentity } from './events.js';
import { policyAllows } from './iam-policy.js';
import { lambdaArnOf } from './lambda-arn.js';
import { invokeLambda } from './lambda-invoke.js';
import { evaluate, type MappingSources } from './parameter-mapping.js';
import type { HttpRequestView } from './request-view.js';

/**
 * Lambda authorizers of HTTP APIs ("Working with AWS Lambda authorizers for HTTP APIs"): the
 * identity sources must all be present (else 401 without calling the function); the function gets
 * payload 1.0 or 2.0 and answers a simple response (`isAuthorized`, `context`; 2.0 with
 * EnableSimpleResponses) or an IAM policy (`principalId`, `policyDocument`, `context`); a denial is
 * 403, a failing or malformed answer 500. Answers are kept for AuthorizerResultTtlInSeconds, keyed
 * by the identity source values.
 */
export type LambdaAuthOutcome = { ok: true; identity: AuthorizerIdentity } | { ok: false; status: 401 | 403 | 500 };

interface Cached {
  expires: number;
  answer: Record<string, unknown>;
}

export interface LambdaAuthInput {
  authorizer: StoredAuthorizer;
  view: HttpRequestView;
  sources: MappingSources;
  routeArn: string;
  region: string;
  timeoutMs: number;
}

export class LambdaAuthorizers {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly runtime: Runtime,
    private readonly now: () => number,
  ) {}

  /** ResetAuthorizersCache: forget the answers kept for one stage. */
  reset(accountId: string, apiId: string, stage: string): void {
    const prefix = `${accountId}\u0000${apiId}\u0000${stage}\u0000`;
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  async authorize(input: LambdaAuthInput): Promise<LambdaAuthOutcome> {
    const { authorizer, view } = input;
    const identityValues: string[] = [];
    for (const source of authorizer.IdentitySource ?? []) {
      const value = evaluate(source, input.sources);
      if (value === undefined || value === '') return { ok: false, status: 401 };
      identityValues.push(value);
    }
    const ttl = authorizer.AuthorizerResultTtlInSeconds ?? 0;
    const key = [view.context.accountId, view.context.apiId, view.context.stage, authorizer.AuthorizerId, ...identityValues].join('\u0000');
    let answer: Record<string, unknown> | undefined;
    const cached = ttl > 0 ? this.cache.get(key) : undefined;
    if (cached !== undefined && cached.expires > this.now()) answer = cached.answer;
    else {
      const fn = lambdaArnOf(authorizer.AuthorizerUri);
      if (fn === undefined) return { ok: false, status: 500 };
      const event = authorizer.AuthorizerPayloadFormatVersion === '2.0' ? eventV2Authorizer(view, identityValues, input.routeArn) : eventV1Authorizer(view, identityValues, input.routeArn);
      const result = await invokeLambda(this.runtime, fn, event, { accountId: view.context.accountId, region: input.region, sourceArn: input.routeArn, timeoutMs: input.timeoutMs });
      if (!result.ok) return { ok: false, status: 500 };
      let parsed: unknown;
      try {
        parsed = JSON.parse(result.payload);
      } catch {
        return { ok: false, status: 500 };
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, status: 500 };
      answer = parsed as Record<string, unknown>;
      if (ttl > 0) this.cache.set(key, { expires: this.now() + ttl * 1000, answer });
    }
    return decide(authorizer, answer, input.routeArn);
  }
}

function decide(authorizer: StoredAuthorizer, answer: Record<string, unknown>, routeArn: string): LambdaAuthOutcome {
  const context = answer.context;
  if (context !== undefined && context !== null && (typeof context !== 'object' || Array.isArray(context))) return { ok: false, status: 500 };
  const ctx = (context ?? {}) as Record<string, unknown>;
  if (authorizer.EnableSimpleResponses === true) {
    if (typeof answer.isAuthorized !== 'boolean') return { ok: false, status: 500 };
    return answer.isAuthorized ? { ok: true, identity: { kind: 'lambda', context: ctx } } : { ok: false, status: 403 };
  }
  const policy = answer.policyDocument;
  if (policy === undefined || policy === null || typeof policy !== 'object') return { ok: false, status: 500 };
  if (!policyAllows(policy, routeArn)) return { ok: false, status: 403 };
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : undefined;
  return { ok: true, identity: { kind: 'lambda', context: ctx, principalId } };
}

/** Payload 2.0 of a Lambda authorizer: the request as the integration event shows it, plus `type`, `routeArn`, `identitySource`. */
function eventV2Authorizer(view: HttpRequestView, identity: string[], routeArn: string): Record<string, unknown> {
  const event = eventV2(view);
  delete event.body;
  delete event.isBase64Encoded;
  return { version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, ...withoutVersion(event) };
}

/** Payload 1.0: REST's REQUEST authorizer event, `methodArn`, the identity sources joined by commas. */
function eventV1Authorizer(view: HttpRequestView, identity: string[], routeArn: string): Record<string, unknown> {
  const event = eventV1(view);
  delete event.body;
  delete event.isBase64Encoded;
  const joined = identity.join(',');
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: joined, authorizationToken: joined, ...withoutVersion(event) };
}

function withoutVersion(event: Record<string, unknown>): Record<string, unknown> {
  const { version, ...rest } = event;
  void version;
  return rest;
}
