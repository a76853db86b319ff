import { organizationOf } from '../../server/config.js';
import type { Runtime } from '../../server/runtime.js';
import { isAllowed, parsePolicy } from '../model/policy.js';
import type { EventBus } from './catalogue.js';

/**
 * Whether `accountId` may put events on the bus: its own account always may; any other needs
 * the bus's resource policy to allow `events:PutEvents` (User Guide, "Sending and receiving
 * events between AWS accounts"), including `aws:PrincipalOrgID` conditions, which Stratus
 * answers from the organizations it was configured with (`--organization`).
 *
 * An organization is a property of the IAM principal that calls: a rule forwarding to another
 * account's bus has one only through the target's RoleArn, so without a role
 * (`asMemberOfOrganization: false`) a grant to the organization does not let it in.
 */
export function mayPutEvents(
  runtime: Runtime,
  bus: EventBus,
  accountId: string,
  options: { sourceArn?: string; asMemberOfOrganization?: boolean } = {},
): boolean {
  if (accountId === bus.accountId) return true;
  const policy = bus.settings.policy !== undefined ? parsePolicy(bus.settings.policy) : undefined;
  return isAllowed(policy, {
    accountId,
    organizationId: options.asMemberOfOrganization === false ? undefined : organizationOf(runtime.config, accountId),
    action: 'events:PutEvents',
    resource: bus.arn,
    sourceArn: options.sourceArn,
  });
}

/**
 * Whether a rule of `accountId` may target the bus only through the account's organization: then
 * the target must name a RoleArn (API Reference, PutPermission: "If you grant permissions using
 * an organization, then accounts in that organization must specify a RoleArn with proper
 * permissions when they use PutTarget to add your account's event bus as a target").
 */
export function grantedOnlyThroughOrganization(runtime: Runtime, bus: EventBus, accountId: string, ruleArn: string): boolean {
  return (
    !mayPutEvents(runtime, bus, accountId, { sourceArn: ruleArn, asMemberOfOrganization: false }) &&
    mayPutEvents(runtime, bus, accountId, { sourceArn: ruleArn, asMemberOfOrganization: true })
  );
}
