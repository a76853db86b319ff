/**
 * SNS subscription filter policies: compiled once (Subscribe, SetSubscriptionAttributes), matched
 * per publish (filter-policy-match.ts). The grammar is the event pattern grammar in its SNS dialect
 * (dialect.ts); this file adds what SNS does around it, in the order SNS answers:
 *  1. the size limit, 256 KB ("Filter policy constraints");
 *  2. JSON syntax, read by SNS itself: `FilterPolicy: failed to parse JSON. <Jackson's message>` and
 *     a location whose source is redacted (recorded);
 *  3. the grammar, read by event-ruler from the policy as Jackson writes it back (jackson-write.ts),
 *     so its locations are columns of that compact text (recorded);
 *  4. the shape limits (filter-policy-limits.ts): nesting under MessageAttributes, 5 keys, 150
 *     combinations; these carry no location (recorded).
 * An empty FilterPolicy is not a policy: SetSubscriptionAttributes with "" removes it, which is
 * the caller's to handle before compiling.
 */
import { compilePattern, type CompiledPattern } from './compile.js';
import { SNS_DIALECT } from './dialect.js';
import { PatternError } from './errors.js';
import { FilterPolicyError } from './filter-policy-error.js';
import { MAX_FILTER_POLICY_COMBINATIONS, MAX_FILTER_POLICY_KEYS, policyShape } from './filter-policy-limits.js';
import { jacksonCompact } from './jackson-write.js';
import { jacksonLineColumn, JsonSyntaxError, parseJson, type JsonNode } from './json.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export const DEFAULT_FILTER_POLICY_SCOPE: FilterPolicyScope = 'MessageAttributes';

/** "The maximum size of a filter policy is 256 KB" (Filter policy constraints), in UTF-8 bytes. */
export const MAX_FILTER_POLICY_BYTES = 256 * 1024;

export interface CompiledFilterPolicy {
  readonly scope: FilterPolicyScope;
  /** The policy as the caller wrote it. */
  readonly source: string;
  /** Its grammar, compiled (field paths are attribute names under MessageAttributes). */
  readonly pattern: CompiledPattern;
}

/**
 * Compiles a filter policy for a scope. Throws FilterPolicyError with AWS's message (the
 * SetSubscriptionAttributes form; `messageFor('Subscribe')` for Subscribe) when SNS would refuse it.
 */
export function compileFilterPolicy(text: string, scope: FilterPolicyScope): CompiledFilterPolicy {
  if (typeof text !== 'string') throw new FilterPolicyError('FilterPolicy: failed to parse JSON.');
  // Our wording: AWS's answer to an oversized policy is not recorded.
  if (Buffer.byteLength(text, 'utf8') > MAX_FILTER_POLICY_BYTES) throw new FilterPolicyError('FilterPolicy: Filter policy is too large');
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new FilterPolicyError(`FilterPolicy: failed to parse JSON. ${snsJsonSyntaxFault(text, error)}`);
  }
  let pattern: CompiledPattern;
  try {
    pattern = compilePattern(jacksonCompact(root), { dialect: SNS_DIALECT, locations: true, maxLength: Infinity });
  } catch (error) {
    if (error instanceof PatternError) throw new FilterPolicyError(`FilterPolicy: ${error.reason}${error.location}`);
    throw error;
  }
  if (root.t !== 'object') throw new Error('compilePattern accepted a policy that is not an object');
  const shape = policyShape(root);
  if (scope === 'MessageAttributes' && shape.nested) {
    // No `FilterPolicy: ` before this one: worded as LocalStack's and moto's SNS, both checked
    // against AWS, word it (not in our recorded set).
    throw new FilterPolicyError('Filter policy scope MessageAttributes does not support nested filter policy');
  }
  if (shape.leafKeys.size > MAX_FILTER_POLICY_KEYS) throw new FilterPolicyError(`FilterPolicy: Filter policy can not have more than ${MAX_FILTER_POLICY_KEYS} keys`);
  if (shape.combinations > MAX_FILTER_POLICY_COMBINATIONS) throw new FilterPolicyError('FilterPolicy: Filter policy is too complex');
  return { scope, source: text, pattern };
}

/**
 * How SNS words a JSON attribute value it cannot parse, after `<Attribute>: failed to parse JSON. `:
 * Jackson's message and a location whose source is redacted (recorded for FilterPolicy and
 * RedrivePolicy). Undefined when the text is JSON.
 */
export function snsJsonSyntaxFault(text: string, error?: JsonSyntaxError): string | undefined {
  if (!error) {
    try {
      parseJson(text);
      return undefined;
    } catch (thrown) {
      if (!(thrown instanceof JsonSyntaxError)) throw thrown;
      error = thrown;
    }
  }
  const { line, column } = jacksonLineColumn(text, error.position);
  return `${error.message}\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;
}

/**
 * A FilterPolicyScope attribute value: MessageAttributes (the default, when none is given) or
 * MessageBody. Anything else is refused as SNS refuses it (worded as LocalStack's AWS-validated SNS
 * provider words it; test_set_subscription_filter_policy_scope).
 */
export function checkFilterPolicyScope(value: string | undefined): FilterPolicyScope {
  if (value === undefined) return DEFAULT_FILTER_POLICY_SCOPE;
  if (value === 'MessageAttributes' || value === 'MessageBody') return value;
  throw new FilterPolicyError(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
}
