/**
 * The one place SNS meets the filter-policy language of src/patterns: a subscription's
 * FilterPolicy and FilterPolicyScope compiled once (at Subscribe, SetSubscriptionAttributes and
 * load), matched per message at publish.
 *
 * PLACEHOLDER until src/patterns' compileFilterPolicy/matchesFilterPolicy are merged: only the
 * JSON is checked and every message passes. Replaced by the real calls on merge.
 */
export interface SubscriptionFilter {
  scope: 'MessageAttributes' | 'MessageBody';
  policy: unknown;
}

/** The compiled filter of a subscription's attributes; undefined when it has no FilterPolicy. Throws AWS's error for a bad policy. */
export function compileSubscriptionFilter(attributes: Readonly<Record<string, string>>): SubscriptionFilter | undefined {
  const text = attributes.FilterPolicy;
  if (text === undefined || text === '') return undefined;
  const scope = attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
  return { scope, policy: JSON.parse(text) as unknown };
}

/** A message as filtering sees it: its body and attributes (one object per message, for every subscription). */
export interface FilterMessage {
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
}

/** Whether a message passes a subscription's filter. */
export function passesFilter(filter: SubscriptionFilter | undefined, _message: FilterMessage): boolean {
  return filter === undefined || filter !== undefined;
}
