import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { iamWildcardMatches } from './iam-wildcard.js';
import { parseJsonObject } from './json-object.js';

/**
 * Resource-based policies (an event bus's, a topic's, a queue's): whether one lets a request
 * through. One evaluator for every service that keeps such a policy, after IAM's evaluation
 * logic for resource-based policies (IAM User Guide, "Policy evaluation logic"): an explicit Deny
 * wins; otherwise an Allow must match the principal, the action, the resource (when the statement
 * names one) and every condition.
 *
 * Principals: `"*"`, `{"AWS": "*"}`, an account id, any IAM ARN of an account, and
 * `{"Service": "<name>.amazonaws.com"}` for an AWS service delivering on a resource's behalf.
 * Stratus knows callers by account only (an access key names an account; there are no IAM users
 * or roles), so a statement naming any principal of an account applies to that account's callers.
 *
 * Conditions: the string and ARN operators, their negations, `…IfExists`, and `Null`, over
 * the condition keys the caller supplies (lower-cased names: `aws:sourcearn`, `aws:sourceaccount`,
 * `aws:principalorgid`, …). A condition on a key the request has no value for fails every positive
 * operator; an operator Stratus does not know never holds — for an Allow, refusing is the safe side.
 */

export interface PolicyRequest {
  /** `SNS:Publish`, `sqs:SendMessage`, `events:PutEvents`: compared without regard to case. */
  action: string;
  /** The resource acted on; statements naming a Resource must match it (undefined: not checked). */
  resource?: string;
  /** The calling account, when an account (one of its principals) calls. */
  accountId?: string;
  /** The calling AWS service's name (`sns`, `events`), when a service delivers on a resource's behalf. */
  service?: string;
  /** Condition key values by lower-case key. */
  context: Readonly<Record<string, string | undefined>>;
}

type Statement = Record<string, unknown>;

/** The statements of a policy given as JSON text or as its parsed object; none when it is not a policy. */
export function policyStatements(policy: string | Record<string, unknown> | undefined): Statement[] {
  const document = typeof policy === 'string' ? parseJsonObject(policy) : policy;
  const statements = document?.Statement;
  if (Array.isArray(statements)) return statements.filter((s): s is Statement => s !== null && typeof s === 'object' && !Array.isArray(s));
  if (statements !== null && typeof statements === 'object') return [statements as Statement];
  return [];
}

/**
 * What the policy says of the request: `deny` when a Deny statement matches it (an explicit deny),
 * else `allow` when an Allow statement does, else `none` — where IAM's other policies may still
 * allow it (API Gateway: a caller of the API's own account authorized by IAM).
 */
export function resourcePolicyDecision(policy: string | Record<string, unknown> | undefined, request: PolicyRequest): 'allow' | 'deny' | 'none' {
  let decision: 'allow' | 'none' = 'none';
  for (const statement of policyStatements(policy)) {
    if (!statementMatches(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') decision = 'allow';
  }
  return decision;
}

/** Whether the policy lets the request through: an Allow statement matches it and no Deny statement does. */
export function resourcePolicyAllows(policy: string | Record<string, unknown> | undefined, request: PolicyRequest): boolean {
  let allowed = false;
  for (const statement of policyStatements(policy)) {
    if (!statementMatches(statement, request)) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

function statementMatches(statement: Statement, request: PolicyRequest): boolean {
  if (statement.Action !== undefined ? !anyMatches(statement.Action, request.action, true) : !noneMatches(statement.NotAction, request.action, true)) return false;
  if (!principalMatches(statement.Principal, request)) return false;
  if (request.resource !== undefined) {
    if (statement.Resource !== undefined && !anyMatches(statement.Resource, request.resource, false)) return false;
    if (statement.NotResource !== undefined && anyMatches(statement.NotResource, request.resource, false)) return false;
  }
  return conditionsHold(statement.Condition, request.context);
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function anyMatches(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  return asList(patterns).some((pattern) => iamWildcardMatches(pattern, value, { ignoreCase }));
}

function noneMatches(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  return patterns !== undefined && !anyMatches(patterns, value, ignoreCase);
}

function principalMatches(principal: unknown, request: PolicyRequest): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  for (const aws of asList(p.AWS)) {
    if (aws === '*') return true;
    if (request.accountId === undefined) continue;
    if (aws === request.accountId) return true;
    const account = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):/.exec(aws)?.[1];
    if (account === request.accountId) return true;
  }
  return request.service !== undefined && asList(p.Service).some((s) => s === `${request.service}.amazonaws.com` || s === '*');
}

function conditionsHold(condition: unknown, context: PolicyRequest['context']): boolean {
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object') return false;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      if (!operatorHolds(operator, asList(expected), context[key.toLowerCase()])) return false;
    }
  }
  return true;
}

function operatorHolds(given: string, expected: string[], actual: string | undefined): boolean {
  // "…IfExists": true when the key is absent, else the operator itself (IAM User Guide, condition operators).
  if (given.endsWith('IfExists')) return actual === undefined || operatorHolds(given.slice(0, -'IfExists'.length), expected, actual);
  switch (given) {
    case 'Null':
      // {"Null": {"key": "true"}}: the key is absent.
      return expected.some((e) => (e === 'true') === (actual === undefined));
    case 'StringEquals':
      return actual !== undefined && expected.includes(actual);
    case 'StringNotEquals':
      return actual === undefined || !expected.includes(actual);
    case 'StringEqualsIgnoreCase':
      return actual !== undefined && expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return actual === undefined || !expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    // The ARN operators take wildcards, ArnEquals as ArnLike does (IAM User Guide, "ARN condition operators").
    case 'StringLike':
    case 'ArnEquals':
    case 'ArnLike':
      return actual !== undefined && expected.some((e) => iamWildcardMatches(e, actual));
    case 'StringNotLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return actual === undefined || !expected.some((e) => iamWildcardMatches(e, actual));
    // IP address operators: CIDR blocks or single addresses, IPv4 and IPv6 (IAM User Guide, "IP address condition operators").
    case 'IpAddress':
      return actual !== undefined && expected.some((e) => ipInBlock(actual, e));
    case 'NotIpAddress':
      return actual === undefined || !expected.some((e) => ipInBlock(actual, e));
    default:
      return false;
  }
}

function ipInBlock(address: string, block: string): boolean {
  const family = (text: string) => (isIPv4(text) ? 'ipv4' : isIPv6(text) ? 'ipv6' : undefined);
  const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  const [network, bits] = block.split('/');
  const fam = family(network);
  if (fam === undefined || family(plain) !== fam) return false;
  const prefix = bits === undefined ? (fam === 'ipv4' ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (fam === 'ipv4' ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix, fam);
  return list.check(plain, fam);
}
