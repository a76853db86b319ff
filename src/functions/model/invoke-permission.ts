import { iamWildcardMatches } from '../../core/iam-wildcard.js';
import type { PolicyStatement } from './policy.js';

/** Who is invoking, as `invoke/` describes the caller (an EventBridge rule, an SNS topic, a function). */
export interface InvokeSource {
  accountId?: string;
  /** The calling service's ARN service name (`events`, `sns`, `lambda`, `states`, `s3`). */
  service?: string;
  /** The calling resource (a rule ARN, a topic ARN). */
  arn?: string;
  /** The caller's AWS Organizations organization, when Stratus was told of one (`--organization`). */
  organizationId?: string;
}

const INVOKE_ACTIONS = new Set(['lambda:InvokeFunction', 'lambda:*', '*']);

/**
 * Whether a statement of a function's resource-based policy (as AddPermission stored it,
 * model/policy.ts) lets `source` invoke the function. Stratus evaluates what AddPermission can
 * express ([D] AddPermission reference; "Using resource-based policies in Lambda"):
 *   Action   lambda:InvokeFunction (or a wildcard);
 *   Principal "*", the caller's account (`arn:aws:iam::<account>:root` or any IAM ARN of that
 *            account), or the calling service's principal (`events.amazonaws.com` for EventBridge,
 *            `sns.amazonaws.com` for SNS ...);
 *   Condition ArnLike AWS:SourceArn (wildcards `*` and `?`), StringEquals AWS:SourceAccount,
 *            StringEquals aws:PrincipalOrgID (the caller's organization, from `--organization`).
 * A condition Stratus cannot evaluate (lambda:EventSourceToken, lambda:FunctionUrlAuthType)
 * makes the statement not apply: refusing is the safe side.
 */
export function statementAllowsInvoke(statement: PolicyStatement, source: InvokeSource): boolean {
  if (statement.Effect !== 'Allow' || !INVOKE_ACTIONS.has(statement.Action)) return false;
  if (!principalMatches(statement.Principal, source)) return false;
  for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(conditions)) {
      const name = key.toLowerCase();
      if (operator === 'ArnLike' && name === 'aws:sourcearn') {
        if (source.arn === undefined || !iamWildcardMatches(expected, source.arn)) return false;
      } else if (operator === 'StringEquals' && name === 'aws:sourceaccount') {
        if (source.accountId !== expected) return false;
      } else if (operator === 'StringEquals' && name === 'aws:principalorgid') {
        if (source.organizationId === undefined || source.organizationId !== expected) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

export function policyAllowsInvoke(statements: readonly PolicyStatement[], source: InvokeSource): boolean {
  return statements.some((s) => statementAllowsInvoke(s, source));
}

function principalMatches(principal: PolicyStatement['Principal'], source: InvokeSource): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'string') return false;
  if ('Service' in principal) return source.service !== undefined && principal.Service === `${source.service}.amazonaws.com`;
  if (principal.AWS === '*') return true;
  const m = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):/.exec(principal.AWS);
  return m !== null && m[1] === source.accountId;
}

/**
 * Whether a function's policies let `source` invoke it through `qualifier`: a statement on the
 * qualifier's own policy, or on the unqualified function's ($LATEST), as AddPermission scopes them.
 */
export function functionAllowsInvoke(policies: ReadonlyMap<string, readonly PolicyStatement[]>, qualifier: string | undefined, source: InvokeSource): boolean {
  const scopes = qualifier !== undefined && qualifier !== '$LATEST' ? [qualifier, '$LATEST'] : ['$LATEST'];
  return scopes.some((scope) => policyAllowsInvoke(policies.get(scope) ?? [], source));
}
