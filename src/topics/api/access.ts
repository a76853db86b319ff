import { organizationOf } from '../../server/config.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue, Topic } from '../engine/catalogue.js';
import { readTopicArn } from '../model/arns.js';
import { snsErrors } from '../model/errors.js';
import { defaultTopicPolicy, policyAllows } from '../model/topic-policy.js';
import type { SnsContext } from './action.js';

/**
 * The topic a request names, if the caller may act on it. The topic owner's account always may
 * (Stratus does not model IAM identity policies); another account needs the topic's access
 * policy to allow it the action, as AWS requires for cross-account access (Developer Guide,
 * "Example cases for Amazon SNS access control"): "AuthorizationError" (403) otherwise.
 */
export function topicFor(runtime: Runtime, catalogue: Catalogue, ctx: SnsContext, arn: string | undefined, name = 'TopicArn'): Topic {
  const parsed = readTopicArn(arn, ctx.region, name);
  const topic = catalogue.topic(arn as string);
  if (!topic) throw snsErrors.topicNotFound();
  if (parsed.accountId !== ctx.accountId) authorize(runtime, topic, ctx.accountId, `SNS:${ctx.action}`);
  return topic;
}

/** Throws AuthorizationError unless the topic's policy lets `accountId` perform `action`. */
export function authorize(runtime: Runtime, topic: Topic, accountId: string, action: string): void {
  const policy = topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, topic.owner);
  if (policyAllows(policy, { action, accountId, organizationId: organizationOf(runtime.config, accountId) })) return;
  throw snsErrors.authorization(
    `User: arn:aws:iam::${accountId}:root is not authorized to perform: ${action} on resource: ${topic.arn} because no resource-based policy allows the ${action} action`,
  );
}

