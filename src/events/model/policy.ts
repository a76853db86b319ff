import { iamWildcardMatches } from '../../core/iam-wildcard.js';
import { parseJsonObject } from '../../core/json-object.js';

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

/** Whether the policy lets the request through. The owner account needs no policy. */
export function isAllowed(policy: PolicyDocument | undefined, request: AccessRequest): boolean {
  if (!policy) return false;
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, request)) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

function statementApplies(statement: PolicyStatement, request: AccessRequest): boolean {
  return (
    principalMatches(statement.Principal, request.accountId) &&
    anyMatches(statement.Action, request.action, true) &&
    anyMatches(statement.Resource, request.resource, false) &&
    conditionsHold(statement.Condition, request)
  );
}

function principalMatches(principal: PolicyStatement['Principal'], accountId: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const values = principal.AWS === undefined ? [] : Array.isArray(principal.AWS) ? principal.AWS : [principal.AWS];
  return values.some((value) => value === '*' || value === accountId || value === `arn:aws:iam::${accountId}:root`);
}

/** IAM action and resource matching: `*` and `?` wildcards; actions compare case-insensitively. */
function anyMatches(patterns: string | string[] | undefined, value: string, ignoreCase: boolean): boolean {
  if (patterns === undefined) return false;
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((pattern) => iamWildcardMatches(pattern, value, { ignoreCase }));
}

function conditionsHold(condition: PolicyStatement['Condition'], request: AccessRequest): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = conditionValue(key, request);
      const values = Array.isArray(expected) ? expected : [expected];
      if (!operatorHolds(operator, actual, values)) return false;
    }
  }
  return true;
}

function conditionValue(key: string, request: AccessRequest): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:principalorgid':
      return request.organizationId;
    case 'aws:principalaccount':
    case 'aws:sourceaccount':
      return request.accountId;
    case 'aws:sourcearn':
      return request.sourceArn;
    default:
      return undefined;
  }
}

/** IAM string and ARN condition operators; a key with no value fails every positive operator. */
function operatorHolds(operator: string, actual: string | undefined, values: string[]): boolean {
  switch (operator) {
    case 'StringEquals':
      return actual !== undefined && values.includes(actual);
    case 'StringNotEquals':
      return actual === undefined || !values.includes(actual);
    case 'StringEqualsIgnoreCase':
      return actual !== undefined && values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
      return actual !== undefined && values.some((v) => iamWildcardMatches(v, actual));
    case 'StringNotLike':
      return actual === undefined || !values.some((v) => iamWildcardMatches(v, actual));
    // ARN operators compare the same way for the ARNs EventBridge passes (IAM condition operators).
    case 'ArnEquals':
    case 'ArnLike':
      return actual !== undefined && values.some((v) => iamWildcardMatches(v, actual));
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return actual === undefined || !values.some((v) => iamWildcardMatches(v, actual));
    default:
      // An operator Stratus does not know can never be shown to hold: deny rather than guess.
      return false;
  }
}
