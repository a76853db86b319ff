import {
  checkFilterPolicyScope,
  compileFilterPolicy,
  FilterPolicyError,
  matchesFilterPolicy,
  type CompiledFilterPolicy,
  type FilterMessage,
  type FilterPolicyAction,
} from '../../patterns/index.js';
import { snsErrors } from '../model/errors.js';

/**
 * The one place SNS meets the filter-policy language of src/patterns: a subscription's
 * FilterPolicy compiled under its FilterPolicyScope once (at Subscribe, SetSubscriptionAttributes
 * and load), matched per message at publish.
 */
export type SubscriptionFilter = CompiledFilterPolicy;
export type { FilterMessage };

/**
 * The compiled filter of a subscription's attributes; undefined when it has no FilterPolicy (an
 * empty one is none). Throws the engine's FilterPolicyError for a policy SNS refuses.
 */
export function compileSubscriptionFilter(attributes: Readonly<Record<string, string>>): SubscriptionFilter | undefined {
  const text = attributes.FilterPolicy;
  if (text === undefined || text === '') return undefined;
  return compileFilterPolicy(text, checkFilterPolicyScope(attributes.FilterPolicyScope));
}

/** The same, with a refusal worded for the action that carried the policy (InvalidParameter, 400). */
export function compileFilterFor(attributes: Readonly<Record<string, string>>, action: FilterPolicyAction): SubscriptionFilter | undefined {
  try {
    return compileSubscriptionFilter(attributes);
  } catch (error) {
    if (error instanceof FilterPolicyError) throw snsErrors.invalidParameter(error.messageFor(action));
    throw error;
  }
}

/** A FilterPolicyScope value, checked as SNS checks it. */
export function checkScope(value: string, action: FilterPolicyAction): string {
  try {
    return checkFilterPolicyScope(value);
  } catch (error) {
    if (error instanceof FilterPolicyError) throw snsErrors.invalidParameter(error.messageFor(action));
    throw error;
  }
}

/** Whether a message passes a subscription's filter (none: every message does). */
export function passesFilter(filter: SubscriptionFilter | undefined, message: FilterMessage): boolean {
  return filter === undefined || matchesFilterPolicy(filter, message);
}
