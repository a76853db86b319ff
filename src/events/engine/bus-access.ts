import { organizationOf } from '../../server/config.js';
import type { Runtime } from '../../server/runtime.js';
import { isAllowed, parsePolicy } from '../model/policy.js';
import type { EventBus } from './catalogue.js';

/**
 * Whether `accountId` may put events on the bus: its own account always may; any other needs
 * the bus's resource policy to allow `events:PutEvents` (User Guide, "Sending and receiving
 * events between AWS accounts"), including `aws:PrincipalOrgID` conditions, which Stratus
 * answers from the organizations it was configured with (`--organization`).
 */
export function mayPutEvents(runtime: Runtime, bus: EventBus, accountId: string, sourceArn?: string): boolean {
  if (accountId === bus.accountId) return true;
  const policy = bus.settings.policy !== undefined ? parsePolicy(bus.settings.policy) : undefined;
  return isAllowed(policy, {
    accountId,
    organizationId: organizationOf(runtime.config, accountId),
    action: 'events:PutEvents',
    resource: bus.arn,
    sourceArn,
  });
}
