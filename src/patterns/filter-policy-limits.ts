/**
 * SNS's limits on the shape of a filter policy, checked once the grammar has accepted it (SNS
 * Developer Guide, "Filter policy constraints", subscription-filter-policy-constraints.html, and
 * "AND/OR logic", and-or-logic.html):
 *  - MessageAttributes scope takes no nested object ("Amazon SNS doesn't accept a nested filter
 *    policy for attribute-based filtering");
 *  - at most 5 keys, counting leaf keys only (a key whose value is an object is not a key; `$or`
 *    is not a key). We count each distinct leaf path once across all `$or` alternatives: the
 *    recorded `$or` policies AWS accepted and rejected for complexity all hold exactly five;
 *  - at most 150 combinations: the product over the leaf arrays of (values × nesting depth of the
 *    key), summed over the alternatives of each `$or`. Recorded: {a: {b: {c: [4 values]}}, d: {e:
 *    [3]}, f: [3]} is 3·4 × 2·3 × 1·3 = 216, rejected; source[3] × (metricName[6] + metricType[4] ×
 *    (metricId[4] + spaceId[7])) = 150, accepted; the same with source[4] and spaceId[4] = 152,
 *    rejected.
 */
import { isOrRelationship } from './compile.js';
import type { JsonNode } from './json.js';

export const MAX_FILTER_POLICY_KEYS = 5;
export const MAX_FILTER_POLICY_COMBINATIONS = 150;

export interface PolicyShape {
  /** A key's value is an object (not counting `$or` alternatives). */
  readonly nested: boolean;
  /** Dot-joined paths of the keys whose value is an array. */
  readonly leafKeys: ReadonlySet<string>;
  readonly combinations: number;
}

/** The shape of a policy the grammar accepted (so every value is an object or an array). */
export function policyShape(root: Extract<JsonNode, { t: 'object' }>): PolicyShape {
  const leafKeys = new Set<string>();
  let nested = false;
  const walk = (node: Extract<JsonNode, { t: 'object' }>, path: string, depth: number): number => {
    // Jackson's tree keeps one value per key, the last (jackson-write.ts).
    const members = new Map<string, JsonNode>(node.entries);
    let product = 1;
    for (const [key, value] of members) {
      if (key === '$or' && isOrRelationship(value)) {
        let sum = 0;
        for (const alternative of value.items) if (alternative.t === 'object') sum += walk(alternative, path, depth);
        product *= sum;
        continue;
      }
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (value.t === 'object') {
        nested = true;
        product *= walk(value, keyPath, depth + 1);
      } else if (value.t === 'array') {
        leafKeys.add(keyPath);
        product *= value.items.length * depth;
      }
    }
    return product;
  };
  const combinations = walk(root, '', 1);
  return { nested, leafKeys, combinations };
}
