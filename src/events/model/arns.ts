import { parseArn } from '../../invoke/index.js';

export const DEFAULT_BUS = 'default';

/** `arn:aws:events:region:account:event-bus/name` (API Reference, EventBus). */
export function busArn(region: string, accountId: string, name: string): string {
  return `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
}

/**
 * Rules on the default bus are `rule/NAME`; rules on any other bus carry the bus name too,
 * `rule/BUS/NAME` (User Guide, "Amazon EventBridge resource ARNs" / IAM service authorization reference).
 */
export function ruleArn(region: string, accountId: string, busName: string, name: string): string {
  return busName === DEFAULT_BUS
    ? `arn:aws:events:${region}:${accountId}:rule/${name}`
    : `arn:aws:events:${region}:${accountId}:rule/${busName}/${name}`;
}

export interface BusReference {
  accountId: string;
  region: string;
  name: string;
}

/**
 * An `EventBusName` member: a name in the caller's account and region, or a bus ARN, which may
 * name another account or region (PutEvents to a bus shared with a resource policy).
 */
export function resolveBusName(nameOrArn: string | undefined, accountId: string, region: string): BusReference | undefined {
  if (nameOrArn === undefined || nameOrArn === '') return { accountId, region, name: DEFAULT_BUS };
  if (!nameOrArn.startsWith('arn:')) return { accountId, region, name: nameOrArn };
  const parsed = parseArn(nameOrArn);
  if (!parsed || parsed.service !== 'events' || parsed.resourceType !== 'event-bus' || !/^\d{12}$/.test(parsed.accountId)) return undefined;
  return { accountId: parsed.accountId, region: parsed.region, name: parsed.resourceId };
}

export interface RuleReference extends BusReference {
  rule: string;
}

/** A rule ARN (TagResource and friends): `rule/NAME` on the default bus or `rule/BUS/NAME`. */
export function parseRuleArn(arn: string): RuleReference | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'events' || parsed.resourceType !== 'rule') return undefined;
  const parts = parsed.resourceId.split('/');
  if (parts.length === 1) return { accountId: parsed.accountId, region: parsed.region, name: DEFAULT_BUS, rule: parts[0] };
  if (parts.length === 2) return { accountId: parsed.accountId, region: parsed.region, name: parts[0], rule: parts[1] };
  return undefined;
}
