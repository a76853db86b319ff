import { iamWildcardMatches } from '../../../core/iam-wildcard.js';

/**
 * The policy a Lambda authorizer returns, evaluated against the method ARN of the request
 * (API Gateway Developer Guide, "Output from an API Gateway Lambda authorizer"): statements with
 * `Action` `execute-api:Invoke` (or a wildcard of it) and `Resource` ARNs with IAM wildcards. An
 * explicit Deny wins; without a matching Allow the request is denied too.
 */
export type PolicyDecision = 'allow' | 'deny' | 'explicit-deny';

type Statement = Record<string, unknown>;

const list = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function evaluateAuthorizerPolicy(policyDocument: unknown, methodArn: string): PolicyDecision {
  const statements = statementsOf(policyDocument);
  let allowed = false;
  for (const statement of statements) {
    if (!matches(statement, methodArn)) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}

/** The statements of a policy document, or undefined when it is not one (a malformed answer). */
export function statementsOf(policyDocument: unknown): Statement[] {
  if (policyDocument === null || typeof policyDocument !== 'object' || Array.isArray(policyDocument)) return [];
  const statement = (policyDocument as Record<string, unknown>).Statement;
  const all = Array.isArray(statement) ? statement : statement !== undefined ? [statement] : [];
  return all.filter((s): s is Statement => s !== null && typeof s === 'object' && !Array.isArray(s));
}

/** Whether a policy document is well formed enough to evaluate (a Statement list of Effect/Action/Resource). */
export function isPolicyDocument(policyDocument: unknown): boolean {
  if (policyDocument === null || typeof policyDocument !== 'object' || Array.isArray(policyDocument)) return false;
  const raw = (policyDocument as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined;
  if (statements === undefined) return false;
  return statements.every(
    (s) =>
      s !== null &&
      typeof s === 'object' &&
      ((s as Statement).Effect === 'Allow' || (s as Statement).Effect === 'Deny') &&
      (list((s as Statement).Action).length > 0 || list((s as Statement).NotAction).length > 0) &&
      (list((s as Statement).Resource).length > 0 || list((s as Statement).NotResource).length > 0),
  );
}

function matches(statement: Statement, methodArn: string): boolean {
  const action = 'execute-api:Invoke';
  const actionOk =
    statement.Action !== undefined
      ? list(statement.Action).some((p) => iamWildcardMatches(p, action, { ignoreCase: true }))
      : !list(statement.NotAction).some((p) => iamWildcardMatches(p, action, { ignoreCase: true }));
  if (!actionOk) return false;
  return statement.Resource !== undefined
    ? list(statement.Resource).some((p) => iamWildcardMatches(p, methodArn))
    : !list(statement.NotResource).some((p) => iamWildcardMatches(p, methodArn));
}
