import { parseJsonObject } from '../../core/json-object.js';
import { resourcePolicyAllows } from '../../core/resource-policy.js';

/**
 * Event bus resource policies: the statements PutPermission writes and the check that decides
 * whether another account may put events on a bus (PutEvents with a bus ARN, or a rule of
 * another account whose target is this bus).
 *
 * Evaluation follows IAM's resource-policy logic for what EventBridge policies can say:
 * an explicit Deny wins, else an Allow must match principal, action, resource and condition
 * (IAM User Guide, "Policy evaluation logic"). The only condition key EventBridge documents for
 * bus policies granted through PutPermission is `aws:PrincipalOrgID` (API Reference, Condition);
 * `aws:PrincipalAccount`, `aws:SourceAccount` and `aws:SourceArn` (a policy that takes events only
 * from named rules, User Guide "Permissions for event buses") are evaluated too, as IAM defines them.
 */


export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[] };
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface AccessRequest {
  /** The calling account. */
  accountId: string;
  /** Its organization, if Stratus was told of one. */
  organizationId?: string;
  action: string;
  resource: string;
  /** The rule a forwarded event comes from (`aws:SourceArn`); absent for a direct PutEvents. */
  sourceArn?: string;
}

/** Parses a stored or given policy; undefined when it is not a policy document. */
export function parsePolicy(text: string): PolicyDocument | undefined {
  const doc = parseJsonObject(text);
  if (!doc) return undefined;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement !== undefined ? [doc.Statement] : undefined;
  if (!statements || statements.some((s) => s === null || typeof s !== 'object' || ((s as PolicyStatement).Effect !== 'Allow' && (s as PolicyStatement).Effect !== 'Deny'))) {
    return undefined;
  }
  return { Version: typeof doc.Version === 'string' ? doc.Version : '2012-10-17', Statement: statements as PolicyStatement[] };
}

/**
 * The statement PutPermission adds for (StatementId, Action, Principal, Condition): the
 * principal as the account's root ARN, or `*` (API Reference, PutPermission).
 */
export function permissionStatement(input: {
  statementId: string;
  action: string;
  principal: string;
  busArn: string;
  condition?: { Type: string; Key: string; Value: string };
}): PolicyStatement {
  const statement: PolicyStatement = {
    Sid: input.statementId,
    Effect: 'Allow',
    Principal: input.principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.principal}:root` },
    Action: input.action,
    Resource: input.busArn,
  };
  if (input.condition) statement.Condition = { [input.condition.Type]: { [input.condition.Key]: input.condition.Value } };
  return statement;
}

/**
 * Whether the policy lets the request through (src/core/resource-policy.ts, the evaluator every
 * resource policy of Stratus goes through). The owner account needs no policy.
 */
export function isAllowed(policy: PolicyDocument | undefined, request: AccessRequest): boolean {
  if (!policy) return false;
  return resourcePolicyAllows(policy as unknown as Record<string, unknown>, {
    action: request.action,
    resource: request.resource,
    accountId: request.accountId,
    context: {
      'aws:principalorgid': request.organizationId,
      'aws:principalaccount': request.accountId,
      'aws:sourceaccount': request.accountId,
      'aws:sourcearn': request.sourceArn,
    },
  });
}
