import { parseJsonObject } from '../../core/json-object.js';
import { policyStatements, resourcePolicyAllows } from '../../core/resource-policy.js';
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

/** The policy's JSON, or a fresh default one when the stored text is not a policy object. */
function readPolicy(text: string | undefined, topicArn: string, owner: string): Record<string, unknown> {
  return parseJsonObject(text ?? '') ?? (JSON.parse(defaultTopicPolicy(topicArn, owner)) as Record<string, unknown>);
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
  const statements = policyStatements(policy);
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
  policy.Statement = policyStatements(policy).filter((s) => s.Sid !== label);
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
 * Whether the topic policy lets the request through (src/core/resource-policy.ts, the evaluator
 * every resource policy of Stratus goes through): an Allow statement matches and no Deny statement
 * does. Topic policies commonly say: Action (SNS:Name, wildcards), Principal ("*", {"AWS": "*"},
 * account ids, any IAM ARN of the account, {"Service": "<svc>.amazonaws.com"}), and the condition
 * keys aws:SourceArn, aws:SourceAccount / AWS:SourceOwner (the account of the resource a service
 * delivers for), aws:PrincipalOrgID and aws:PrincipalAccount.
 */
export function policyAllows(text: string | undefined, request: PolicyRequest): boolean {
  // aws:SourceAccount is a service's key: present when a service acts for a resource (IAM User Guide, global condition keys).
  const sourceAccount = request.sourceAccount ?? (request.service === undefined ? undefined : request.accountId);
  return resourcePolicyAllows(text, {
    action: request.action,
    accountId: request.accountId,
    service: request.service,
    context: {
      'aws:sourcearn': request.sourceArn,
      'aws:sourceaccount': sourceAccount,
      'aws:sourceowner': sourceAccount,
      'aws:principalorgid': request.organizationId,
      'aws:principalaccount': request.accountId,
    },
  });
}
