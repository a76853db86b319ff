import type { Authorizer } from '../../api/apigateway-shapes.js';
import { compileLinearRegex } from '../../../core/linear-regex.js';
import type { InvokerRegistry } from '../../../invoke/registry.js';
import type { ApiRequest } from '../../model/http.js';
import { requestEvent, tokenEvent, type RequestEventInput } from './authorizer-event.js';
import { parseAuthorizerOutput, type AuthorizerOutput } from './authorizer-output.js';
import { identitySources, identityValues, type IdentityInputs } from './identity-source.js';
import { authorizerFunctionArn } from './method-arn.js';
import { cacheTtl, ResultCache } from './result-cache.js';

/**
 * Runs a Lambda authorizer (TOKEN or REQUEST) for a request: checks its identity sources, answers
 * from the cache when it can, else invokes the function synchronously through `invoke/` and reads
 * its answer. Outcomes (API Gateway Developer Guide, "Use API Gateway Lambda authorizers"): a
 * missing identity, a token the validation expression refuses, or the function failing with the
 * message "Unauthorized" → 401 UNAUTHORIZED; any other function error, an unreachable function or a
 * malformed answer → 500 AUTHORIZER_CONFIGURATION_ERROR; otherwise the answer, whose policy the
 * guard evaluates against the method ARN (a cached answer's policy is evaluated again each time).
 */
export type LambdaOutcome =
  | { ok: true; output: AuthorizerOutput; latencyMs: number }
  | { ok: false; type: 'UNAUTHORIZED' | 'AUTHORIZER_CONFIGURATION_ERROR'; message?: string };

export interface LambdaAuthorizerInput {
  authorizer: Authorizer & { id: string };
  identity: IdentityInputs;
  event: Omit<RequestEventInput, 'request' | 'stageVariables'>;
  request: ApiRequest;
  stageVariables: Record<string, string>;
  accountId: string;
  region: string;
  now: number;
}

export class LambdaAuthorizers {
  private readonly cache = new ResultCache<AuthorizerOutput>();

  constructor(private readonly invokers: InvokerRegistry) {}

  async run(input: LambdaAuthorizerInput): Promise<LambdaOutcome> {
    const { authorizer } = input;
    const sources = identitySources(authorizer.identitySource ?? (authorizer.type === 'TOKEN' ? 'method.request.header.Authorization' : undefined));
    const values = identityValues(sources, input.identity);
    if (authorizer.type === 'TOKEN' && (values === undefined || values.length === 0)) return { ok: false, type: 'UNAUTHORIZED' };
    if (authorizer.type !== 'TOKEN' && sources.length > 0 && values === undefined) return { ok: false, type: 'UNAUTHORIZED' };
    if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression) {
      let valid: boolean;
      try {
        valid = compileLinearRegex(authorizer.identityValidationExpression).test(values![0]);
      } catch {
        valid = false;
      }
      if (!valid) return { ok: false, type: 'UNAUTHORIZED' };
    }
    // Without identity sources (a REQUEST authorizer may have none) nothing can key the cache: off.
    const ttl = sources.length > 0 ? cacheTtl(authorizer.authorizerResultTtlInSeconds) : 0;
    const cacheKey = `${input.event.apiId}/${input.event.stage}/${authorizer.id}\u0000${(values ?? []).join('\u0000')}`;
    const cached = ttl > 0 ? this.cache.get(cacheKey, input.now) : undefined;
    if (cached) return { ok: true, output: cached, latencyMs: 0 };

    const functionArn = authorizerFunctionArn(authorizer.authorizerUri, input.stageVariables);
    if (!functionArn) return { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    const event =
      authorizer.type === 'TOKEN' ? tokenEvent(values![0], input.event.methodArn) : requestEvent({ ...input.event, request: input.request, stageVariables: input.stageVariables });
    const started = Date.now();
    let response: Record<string, unknown>;
    try {
      const result = await this.invokers.invoke({
        arn: functionArn,
        payload: event,
        parameters: { InvocationType: 'RequestResponse' },
        source: { service: 'apigateway', accountId: input.accountId, region: input.region },
      });
      response = (result.response ?? {}) as Record<string, unknown>;
    } catch {
      return { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    }
    const payload = typeof response.Payload === 'string' ? response.Payload : '';
    if (response.FunctionError !== undefined) return { ok: false, type: errorMessageOf(payload) === 'Unauthorized' ? 'UNAUTHORIZED' : 'AUTHORIZER_CONFIGURATION_ERROR' };
    const output = parseAuthorizerOutput(payload);
    if (!output) return { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    if (ttl > 0) this.cache.set(cacheKey, output, ttl, input.now);
    return { ok: true, output, latencyMs: Date.now() - started };
  }

  /** Forgets an API's cached answers (its authorizers changed: a deployment). */
  forgetApi(apiId: string): void {
    this.cache.dropPrefix(`${apiId}/`);
  }
}

function errorMessageOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return undefined;
  }
}
