import type { Authorizer } from '../../api/apigatewayv2-shapes.js';
import type { GatewayContext } from '../context.js';
import { judgeAuthorizerAnswer } from './authorizer-policy.js';
import { lambdaArnOf } from './integration.js';
import { AUTHORIZER_RESULT_MAX_BYTES, INTEGRATION_TIMEOUT_MS } from './limits.js';

/**
 * A Lambda REQUEST authorizer on `$connect` ([D] API Gateway Developer Guide, "Control access to
 * WebSocket APIs with AWS Lambda REQUEST authorizers"; "Manage connected users and client apps":
 * "If authorization fails on $connect, the connection will not be established, and the client
 * will receive a 401 or 403 response"):
 * - an identity source (`route.request.header.<name>`, `route.request.querystring.<name>`,
 *   `stageVariables.<name>`, `context.<name>`) that is missing or empty: 401, the function is not called;
 * - a policy that does not allow `execute-api:Invoke` on `…/<stage>/$connect`: 403;
 * - a function that fails, or answers something that is not an authorizer output: 500.
 * Results are not cached: each handshake asks (apigatewayv2 Authorizer.AuthorizerResultTtlInSeconds
 * is "Supported only for HTTP API Lambda authorizers").
 */
export type AuthorizerOutcome = { ok: true; authorizer: Record<string, unknown> } | { ok: false; status: 401 | 403 | 500; message: string };

export interface AuthorizerInput {
  accountId: string;
  region: string;
  apiId: string;
  authorizer: Authorizer;
  /** Lower-case header names, the last value of each. */
  headers: Record<string, string>;
  query: Record<string, string>;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
  event: Record<string, unknown>;
  routeArn: string;
}

/** Whether each identity source has a value. Pure. */
export function identitySourcesPresent(sources: readonly string[] | undefined, input: Pick<AuthorizerInput, 'headers' | 'query' | 'stageVariables' | 'context'>): boolean {
  for (const source of sources ?? []) {
    let value: unknown;
    if (source.startsWith('route.request.header.')) value = input.headers[source.slice('route.request.header.'.length).toLowerCase()];
    else if (source.startsWith('route.request.querystring.')) value = input.query[source.slice('route.request.querystring.'.length)];
    else if (source.startsWith('stageVariables.')) value = input.stageVariables[source.slice('stageVariables.'.length)];
    else if (source.startsWith('context.')) value = input.context[source.slice('context.'.length)];
    if (value === undefined || value === null || value === '') return false;
  }
  return true;
}

export async function authorize(ctx: GatewayContext, input: AuthorizerInput): Promise<AuthorizerOutcome> {
  const { authorizer } = input;
  if (authorizer.AuthorizerType !== 'REQUEST') return { ok: false, status: 500, message: 'Internal Server Error' };
  if (!identitySourcesPresent(authorizer.IdentitySource, input)) return { ok: false, status: 401, message: 'Unauthorized' };
  const arn = lambdaArnOf(authorizer.AuthorizerUri);
  if (arn === undefined) return { ok: false, status: 500, message: 'Internal Server Error' };
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      ctx.runtime.invokers.invoke({
        arn,
        payload: input.event,
        parameters: { InvocationType: 'RequestResponse' },
        source: { service: 'apigateway', accountId: input.accountId, region: input.region, arn: `arn:aws:execute-api:${input.region}:${input.accountId}:${input.apiId}` },
      }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('authorizer timed out')), INTEGRATION_TIMEOUT_MS))),
    ]);
    const response = (result.response ?? {}) as { Payload?: string; FunctionError?: string };
    const payload = response.Payload ?? '';
    if (response.FunctionError !== undefined || Buffer.byteLength(payload) > AUTHORIZER_RESULT_MAX_BYTES) return { ok: false, status: 500, message: 'Internal Server Error' };
    let answer: unknown;
    try {
      answer = JSON.parse(payload);
    } catch {
      return { ok: false, status: 500, message: 'Internal Server Error' };
    }
    const verdict = judgeAuthorizerAnswer(answer, input.routeArn);
    if (verdict.kind === 'invalid') return { ok: false, status: 500, message: 'Internal Server Error' };
    if (verdict.kind === 'deny') return { ok: false, status: 403, message: 'Forbidden' };
    return { ok: true, authorizer: { ...verdict.context, principalId: verdict.principalId, integrationLatency: Date.now() - started } };
  } catch {
    return { ok: false, status: 500, message: 'Internal Server Error' };
  } finally {
    clearTimeout(timer);
  }
}
