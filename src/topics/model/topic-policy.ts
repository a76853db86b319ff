import { parseJsonObject } from '../../core/json-object.js';
import { iamWildcardMatches } from '../../core/iam-wildcard.js';
import { snsErrors } from './errors.js';

/**
 * Topic access policies: the default one every topic starts with, AddPermission and
 * RemovePermission editing it, and the evaluation that decides whether a caller from another
 * account (or an AWS service) may act on a topic.
 */

/** What a new topic's Policy attribute holds, in AWS's member order (recorded: every GetTopicAttributes). */
export function defaultTopicPolicy(topicArn: string, owner: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': owner } },
      },
    ],
  });
}

type Statement = Record<string, unknown>;

/** The policy's JSON, or a fresh default one when the stored text is not a policy object. */
function readPolicy(text: string | undefined, topicArn: string, owner: string): Record<string, unknown> {
  return parseJsonObject(text ?? '') ?? (JSON.parse(defaultTopicPolicy(topicArn, owner)) as Record<string, unknown>);
}

function statementsOf(policy: Record<string, unknown>): Statement[] {
  const statements = policy.Statement;
  if (Array.isArray(statements)) return statements.filter((s): s is Statement => s !== null && typeof s === 'object');
  if (statements !== null && typeof statements === 'object') return [statements as Statement];
  return [];
}

/**
 * AddPermission: a statement labelled `label` allowing the accounts the actions, appended to the
 * topic's policy. A label already used is refused ("Invalid parameter: Statement already exists",
 * recorded); an action that is not an SNS action too ("Invalid parameter: Policy statement action
 * out of service scope!", recorded). One account or action is written as a string, several as a
 * list; accounts become `arn:aws:iam::<account>:root` principals (recorded policy after AddPermission).
 */
export function addPermission(
  text: string | undefined,
  topic: { arn: string; owner: string },
  label: string,
  accounts: readonly string[],
  actions: readonly string[],
  knownActions: ReadonlySet<string>,
): string {
  for (const action of actions) if (!knownActions.has(action)) throw snsErrors.invalid('Policy statement action out of service scope!');
  const policy = readPolicy(text, topic.arn, topic.owner);
  const statements = statementsOf(policy);
  if (statements.some((s) => s.Sid === label)) throw snsErrors.invalid('Statement already exists');
  const principals = accounts.map((account) => (/^\d{12}$/.test(account) ? `arn:aws:iam::${account}:root` : account));
  const named = actions.map((a) => `SNS:${a}`);
  statements.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: named.length === 1 ? named[0] : named,
    Resource: topic.arn,
  });
  policy.Statement = statements;
  return JSON.stringify(policy);
}

/** RemovePermission: the statement labelled `label` leaves the policy (none with that label: nothing changes). */
export function removePermission(text: string | undefined, topic: { arn: string; owner: string }, label: string): string {
  const policy = readPolicy(text, topic.arn, topic.owner);
  policy.Statement = statementsOf(policy).filter((s) => s.Sid !== label);
  return JSON.stringify(policy);
}

/** Who asks, as the policy's principal and condition keys see them. */
export interface PolicyRequest {
  /** `SNS:Publish`, `SNS:Subscribe`, … */
  action: string;
  /** The calling account (an IAM principal of it), when an account calls. */
  accountId?: string;
  /** The calling AWS service's ARN service name (`events`, `s3`), when a service delivers. */
  service?: string;
  /** The resource on whose behalf a service calls (a rule ARN): `aws:SourceArn`. */
  sourceArn?: string;
  /** The account owning that resource: `aws:SourceAccount` / `AWS:SourceOwner`. */
  sourceAccount?: string;
  /** The caller's organization, when Stratus knows one (`--organization`): `aws:PrincipalOrgID`. */
  organizationId?: string;
}

/**
 * Whether the topic policy lets the request through: an Allow statement matches and no Deny
 * statement does (IAM policy evaluation logic for resource-based policies). Stratus evaluates what
 * topic policies commonly say: Action (SNS:Name, wildcards), Principal ("*", {"AWS": "*"}, account
 * ids, any IAM ARN of the account, {"Service": "<svc>.amazonaws.com"}), and the condition keys
 * aws:SourceArn (ArnLike/ArnEquals/StringLike/StringEquals), aws:SourceAccount and AWS:SourceOwner
 * (StringEquals/StringLike), aws:PrincipalOrgID and aws:PrincipalAccount (StringEquals). A
 * condition it cannot evaluate makes the statement not match: for an Allow, refusing is the safe side.
 */
export function policyAllows(text: string | undefined, request: PolicyRequest): boolean {
  const policy = parseJsonObject(text ?? '');
  if (!policy) return false;
  let allowed = false;
  for (const statement of statementsOf(policy)) {
    if (!statementMatches(statement, request)) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

function statementMatches(statement: Statement, request: PolicyRequest): boolean {
  if (!actionMatches(statement.Action, request.action)) return false;
  if (!principalMatches(statement.Principal, request)) return false;
  return conditionsHold(statement.Condition, request);
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function actionMatches(action: unknown, wanted: string): boolean {
  return asList(action).some((pattern) => iamWildcardMatches(pattern, wanted, { ignoreCase: true }));
}

function principalMatches(principal: unknown, request: PolicyRequest): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  for (const aws of asList(p.AWS)) {
    if (aws === '*') return true;
    if (request.accountId === undefined) continue;
    if (aws === request.accountId) return true;
    const m = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):/.exec(aws);
    if (m !== null && m[1] === request.accountId) return true;
  }
  return request.service !== undefined && asList(p.Service).includes(`${request.service}.amazonaws.com`);
}

function conditionsHold(condition: unknown, request: PolicyRequest): boolean {
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object') return false;
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const actual = conditionValue(key.toLowerCase(), request);
      if (actual === undefined || !operatorHolds(operator, asList(expected), actual)) return false;
    }
  }
  return true;
}

function conditionValue(key: string, request: PolicyRequest): string | undefined {
  switch (key) {
    case 'aws:sourcearn':
      return request.sourceArn;
    case 'aws:sourceaccount':
    case 'aws:sourceowner':
      return request.sourceAccount ?? (request.service === undefined ? undefined : request.accountId);
    case 'aws:principalorgid':
      return request.organizationId;
    case 'aws:principalaccount':
      return request.accountId;
    default:
      return undefined;
  }
}

function operatorHolds(operator: string, expected: string[], actual: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => iamWildcardMatches(e, actual));
    default:
      return false;
  }
}
