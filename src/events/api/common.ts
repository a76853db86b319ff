import type { RequestContext } from '../../protocol/service.js';
import type { SerialByKey } from '../../core/serial-by-key.js';
import type { Catalogue, EventBus, Rule } from '../engine/catalogue.js';
import { DEFAULT_BUS, resolveBusName, type BusReference } from '../model/arns.js';
import { eventsErrors } from '../model/errors.js';
import type { Tag } from '../model/types.js';

/** The key of one bus for SerialByKey: every change to a bus and its rules runs in turn. */
export function busKey(bus: BusReference): string {
  return `${bus.accountId}/${bus.region}/${bus.name}`;
}

/**
 * The caller's own bus an `EventBusName` member names (a name, or an ARN of a bus in the caller's
 * account and region), or the error AWS answers. Only PutEvents (and a rule's bus target) may
 * reach another account's bus, through its resource policy (User Guide, "Sending and receiving
 * events between AWS accounts"); every control-plane action works on the caller's own buses.
 */
export function callerBus(catalogue: Catalogue, ctx: RequestContext, nameOrArn: string | undefined, action: string): EventBus {
  const ref = ownBusReference(ctx, nameOrArn, action);
  const bus = catalogue.bus(ref);
  if (!bus) throw eventsErrors.busNotFound(ref.name);
  return bus;
}

/** The caller's rule `name` on the bus `busName` names, or ResourceNotFoundException as AWS words it. */
export function callerRule(catalogue: Catalogue, ctx: RequestContext, busName: string | undefined, name: string, action: string): Rule {
  const bus = callerBus(catalogue, ctx, busName, action);
  const rule = bus.rules.get(name);
  if (!rule) throw eventsErrors.ruleNotFound(name, bus.name);
  return rule;
}

/**
 * Runs a read-modify-write of one rule after every earlier change to its bus, looking the rule
 * up again once it is its turn (it may have been deleted meanwhile).
 */
export function changeRule<T>(
  catalogue: Catalogue,
  serial: SerialByKey,
  ctx: RequestContext,
  ref: { busName: string | undefined; name: string; action: string },
  work: (rule: Rule) => Promise<T>,
): Promise<T> {
  const bus = callerBus(catalogue, ctx, ref.busName, ref.action);
  return serial.run(busKey(bus), () => work(callerRule(catalogue, ctx, ref.busName, ref.name, ref.action)));
}

/** The caller's bus reference for a name or ARN (see callerBus); the bus may not exist. */
export function ownBusReference(ctx: RequestContext, nameOrArn: string | undefined, action: string): BusReference {
  const ref = resolveBusName(nameOrArn, ctx.accountId, ctx.region);
  if (!ref) throw eventsErrors.busNotFound(nameOrArn ?? DEFAULT_BUS);
  checkOwnResource(ctx, ref, nameOrArn ?? DEFAULT_BUS, action);
  return ref;
}

/**
 * A resource named by ARN in another account is IAM's AccessDeniedException (the caller holds no
 * permission there; IAM User Guide, "Troubleshooting access denied error messages"); one in
 * another region does not exist at this region's endpoint.
 */
export function checkOwnResource(ctx: RequestContext, ref: BusReference, arn: string, action: string): void {
  if (ref.accountId !== ctx.accountId) {
    throw eventsErrors.accessDenied(`User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: events:${action} on resource: ${arn}`);
  }
  if (ref.region !== ctx.region) throw eventsErrors.busNotFound(ref.name);
}

/**
 * One page of a name-ordered listing. The token is opaque to callers: the last name returned,
 * base64url, so a listing stays consistent while items are added or removed between pages.
 */
export function page<T>(items: readonly T[], nameOf: (item: T) => string, token: string | undefined, limit: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token);
    if (after === undefined) throw eventsErrors.validation('The NextToken provided is invalid.');
    start = items.findIndex((item) => nameOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, nextToken: more ? Buffer.from(JSON.stringify({ after: nameOf(slice[slice.length - 1]) })).toString('base64url') : undefined };
}

function decodeToken(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof parsed.after === 'string' ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

/** "Tags per resource: 50" (Tagging AWS resources, the common limit EventBridge follows). */
export const MAX_TAGS = 50;

/**
 * The tags a resource is to carry, or LimitExceededException past 50: TagResource, and the Tags
 * of CreateEventBus and of a new rule in PutRule, answer alike.
 */
export function checkTagCount(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) throw eventsErrors.limitExceeded();
  return tags;
}

/** Tags as the API lists them ([{Key, Value}], insertion order) to the stored map and back. */
export function tagMap(tags: readonly Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) out[tag.Key] = tag.Value;
  return out;
}

export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Names sort by UTF-16 code units, as AWS lists them (byte order for the ASCII names allowed). */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
