import { resourcePolicyAllows } from '../../core/resource-policy.js';

/** Who sends to a queue through `invoke/`: a service acting for one of its resources, or an account. */
export interface QueueSender {
  /** The account the delivery is made for (a topic's, a rule's, a function's owner). */
  accountId: string;
  /** The AWS service delivering (`sns`, `events`, `lambda`), when one does. */
  service?: string;
  /** The resource it delivers for (a topic, a rule): `aws:SourceArn`. */
  arn?: string;
  /** The sender's organization, when Stratus knows one (`--organization`): `aws:PrincipalOrgID`. */
  organizationId?: string;
}

/**
 * Whether a queue's access policy lets a sender of another account send to it: an SNS topic, an
 * EventBridge rule or a Lambda destination of another account delivers only when the queue's
 * `Policy` grants `sqs:SendMessage` to that service (`{"Service": "sns.amazonaws.com"}`, usually
 * conditioned on `aws:SourceArn`) or to that account (SNS Developer Guide, "Sending Amazon SNS
 * messages to an Amazon SQS queue in a different account"; SQS Developer Guide, "Basic examples of
 * Amazon SQS policies"). The queue's own account needs no policy here: Stratus checks no IAM
 * identity policies.
 */
export function queuePolicyAllowsSend(queue: { arn: string; accountId: string; attributes: Readonly<Record<string, string>> }, sender: QueueSender): boolean {
  if (sender.accountId === queue.accountId) return true;
  const policy = queue.attributes.Policy;
  if (policy === undefined || policy === '') return false;
  const asService = sender.service !== undefined && SERVICE_PRINCIPALS.has(sender.service);
  return resourcePolicyAllows(policy, {
    action: 'sqs:SendMessage',
    resource: queue.arn,
    accountId: asService ? undefined : sender.accountId,
    service: asService ? sender.service : undefined,
    context: {
      'aws:sourcearn': asService ? sender.arn : undefined,
      'aws:sourceaccount': asService ? sender.accountId : undefined,
      'aws:principalorgid': asService ? undefined : sender.organizationId,
      'aws:principalaccount': asService ? undefined : sender.accountId,
    },
  });
}

/**
 * Services that send as themselves, their service principal (SNS, EventBridge: "Principal":
 * {"Service": "sns.amazonaws.com"}). Others send as a role of the resource's account (a Lambda
 * destination goes out with the function's execution role), so the grant is to that account.
 */
const SERVICE_PRINCIPALS: ReadonlySet<string> = new Set(['sns', 'events']);
