/**
 * The event pattern engine: EventBridge event patterns, compiled once and matched many times.
 *
 *   const pattern = compilePattern('{"source": ["aws.ec2"]}');   // throws PatternError
 *   matchesPattern(pattern, eventJson);                          // one pattern, one event
 *   const index = new PatternIndex<string>();                    // all rules of a bus
 *   index.add('rule-a', pattern);
 *   index.matches(eventJson);                                    // → ['rule-a']
 *
 * Callers: EventBridge rules and TestEventPattern, archive filters, Lambda event source mapping
 * filter criteria and EventBridge Pipes filters (all use the same pattern language; pass
 * `{ maxLength: 4096 }` where the API allows 4096 characters).
 *
 * SNS subscription filter policies are the same language in another dialect (dialect.ts):
 *
 *   const policy = compileFilterPolicy('{"store": ["example_corp"]}', 'MessageAttributes'); // throws FilterPolicyError
 *   matchesFilterPolicy(policy, { body, attributes });
 */
export { compilePattern, DEFAULT_MAX_PATTERN_LENGTH } from './compile.js';
export type { Branch, CompiledPattern, CompileOptions, FieldCondition, Matcher } from './compile.js';
export { EventSyntaxError, PatternError } from './errors.js';
export { matchesPattern } from './evaluate.js';
export { PatternIndex } from './pattern-index.js';
export { EVENTBRIDGE_DIALECT, SNS_DIALECT } from './dialect.js';
export type { PatternDialect } from './dialect.js';
export { checkFilterPolicyScope, compileFilterPolicy, DEFAULT_FILTER_POLICY_SCOPE, MAX_FILTER_POLICY_BYTES, snsJsonSyntaxFault } from './filter-policy.js';
export type { CompiledFilterPolicy, FilterPolicyScope } from './filter-policy.js';
export { FilterPolicyError } from './filter-policy-error.js';
export type { FilterPolicyAction } from './filter-policy-error.js';
export { MAX_FILTER_POLICY_COMBINATIONS, MAX_FILTER_POLICY_KEYS } from './filter-policy-limits.js';
export { matchesFilterPolicy } from './filter-policy-match.js';
export type { FilterMessage, FilterMessageAttribute } from './filter-policy-match.js';

import { compilePattern, type CompileOptions } from './compile.js';
import { PatternError } from './errors.js';

/**
 * Validates a pattern without keeping it: null when valid, else AWS's message
 * (`Event pattern is not valid. Reason: ...`).
 */
export function checkPattern(source: string, options?: CompileOptions): string | null {
  try {
    compilePattern(source, options);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}
