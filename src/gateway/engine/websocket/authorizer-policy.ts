import { iamWildcardMatches } from '../../../core/iam-wildcard.js';

/**
 * What a Lambda REQUEST authorizer's answer says ([D] API Gateway Developer Guide, "Output from an
 * API Gateway Lambda authorizer"): `principalId`, a `policyDocument` whose statements allow or
 * deny `execute-api:Invoke` on route ARNs, and an optional `context` of string, number and
 * boolean values that integrations see as `requestContext.authorizer`. An explicit Deny wins; no
 * Allow is a Deny. Pure.
 */
export type AuthorizerVerdict =
  | { kind: 'allow'; principalId: unknown; context: Record<string, unknown> }
  | { kind: 'deny' }
  /** The answer is not an authorizer output: API Gateway answers 500 (an authorizer configuration error). */
  | { kind: 'invalid'; why: string };

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

function statementApplies(statement: Statement, action: string, resource: string): boolean {
  const actions = list(statement.Action);
  const notActions = list(statement.NotAction);
  if (actions !== undefined) {
    if (!actions.some((a) => iamWildcardMatches(a, action, { ignoreCase: true }))) return false;
  } else if (notActions !== undefined) {
    if (notActions.some((a) => iamWildcardMatches(a, action, { ignoreCase: true }))) return false;
  } else return false;
  const resources = list(statement.Resource);
  const notResources = list(statement.NotResource);
  if (resources !== undefined) return resources.some((r) => iamWildcardMatches(r, resource));
  if (notResources !== undefined) return !notResources.some((r) => iamWildcardMatches(r, resource));
  return false;
}

/** The verdict of an authorizer's answer for one route ARN. */
export function judgeAuthorizerAnswer(answer: unknown, routeArn: string): AuthorizerVerdict {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { kind: 'invalid', why: 'the answer is not a JSON object' };
  const { principalId, policyDocument, context } = answer as Record<string, unknown>;
  if (policyDocument === null || typeof policyDocument !== 'object') return { kind: 'invalid', why: 'the answer has no policyDocument' };
  const statements = (policyDocument as Record<string, unknown>).Statement;
  const all = Array.isArray(statements) ? statements : statements !== null && typeof statements === 'object' ? [statements] : undefined;
  if (all === undefined) return { kind: 'invalid', why: 'the policyDocument has no Statement' };
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) return { kind: 'invalid', why: 'context is not an object' };
    // Only flat values are allowed in context: "You can't set a JSON object or array as a valid value of any key in the context map."
    for (const value of Object.values(context)) {
      if (value !== null && typeof value === 'object') return { kind: 'invalid', why: 'a context value is an object or an array' };
    }
  }
  let allowed = false;
  for (const raw of all) {
    if (raw === null || typeof raw !== 'object') return { kind: 'invalid', why: 'a statement is not an object' };
    const statement = raw as Statement;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return { kind: 'invalid', why: 'a statement has no Effect' };
    if (!statementApplies(statement, 'execute-api:Invoke', routeArn)) continue;
    if (statement.Effect === 'Deny') return { kind: 'deny' };
    allowed = true;
  }
  if (!allowed) return { kind: 'deny' };
  return { kind: 'allow', principalId, context: (context as Record<string, unknown> | undefined) ?? {} };
}
