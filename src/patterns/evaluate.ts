/**
 * The reference matcher: one compiled pattern against one event, the plain way. The event is read
 * into a tree (json.ts), flattened into (path, leaf value, array membership) triples as event-ruler
 * flattens it, and each branch of the pattern is checked field by field. PatternIndex answers the
 * same question for many patterns at once without building the tree; the conformance and
 * differential tests hold the two to the same answers.
 *
 * Semantics (User Guide "Creating event patterns", "Arrays in event patterns", "Content filtering";
 * event-ruler README "JSON Array Matching", ACFinder):
 *  - A field path names leaves: values that are strings, numbers, true, false or null. Objects and
 *    arrays are not leaves, so a pattern naming an intermediate node never matches it (and
 *    `exists: false` holds for it).
 *  - Arrays are transparent: every element of an array is a value of the array's path.
 *  - Array consistency: the values chosen for the fields of one branch must not sit in different
 *    elements of the same array. Fields are visited in sorted path order; `exists: false` holds when
 *    no occurrence of its path is consistent with the elements chosen for the fields before it.
 */
import type { Branch, CompiledPattern, FieldCondition, Matcher } from './compile.js';
import { EventSyntaxError } from './errors.js';
import { fromJsValue, JsonSyntaxError, parseJson, type JsonNode } from './json.js';
import { fold, ipToHex, looksLikeIp, microUnits, wildcardMatches } from './values.js';

/** Leaf value kinds. */
export const STRING = 0;
export const NUMBER = 1;
export const LITERAL = 2;
export type LeafType = typeof STRING | typeof NUMBER | typeof LITERAL;

/**
 * Array membership of a leaf: pairs (array id, element index) of every array enclosing it, flattened
 * as [id0, index0, id1, index1, ...]. Array ids are unique within one event.
 */
export type Membership = readonly number[];
export const NO_MEMBERSHIP: Membership = [];

/** Are two memberships free of conflict (no array in common at different indexes)? */
export function consistent(a: Membership, b: Membership): boolean {
  if (a.length === 0 || b.length === 0) return true;
  for (let i = 0; i < a.length; i += 2) {
    const id = a[i];
    for (let j = 0; j < b.length; j += 2) {
      if (b[j] === id && b[j + 1] !== a[i + 1]) return false;
    }
  }
  return true;
}

/** The union of two consistent memberships. */
export function merge(a: Membership, b: Membership): Membership {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = a.slice();
  outer: for (let j = 0; j < b.length; j += 2) {
    for (let i = 0; i < a.length; i += 2) if (a[i] === b[j]) continue outer;
    out.push(b[j], b[j + 1]);
  }
  return out;
}

/** Micro units of a number leaf, or NaN for other leaves and out-of-range numbers. */
function microOf(type: LeafType, text: string): number {
  return type === NUMBER ? microUnits(text) : NaN;
}

function inRange(m: Extract<Matcher, { kind: 'numeric' }>, v: number): boolean {
  if (Number.isNaN(v)) return false;
  if (m.loOpen ? v <= m.lo : v < m.lo) return false;
  if (m.hiOpen ? v >= m.hi : v > m.hi) return false;
  return true;
}

/** Does one leaf value satisfy one matcher? */
export function testMatcher(m: Matcher, type: LeafType, text: string): boolean {
  switch (m.kind) {
    case 'exact':
      return type === STRING && text === m.value;
    case 'literal':
      return type !== STRING && text === m.text;
    case 'numeric':
      return inRange(m, microOf(type, text));
    case 'ip': {
      if (type !== STRING || !looksLikeIp(text)) return false;
      const hex = ipToHex(text);
      return hex !== null && hex.length === m.lo.length && hex >= m.lo && hex <= m.hi;
    }
    case 'prefix':
      return type === STRING && (m.ignoreCase ? fold(text) : text).startsWith(m.value);
    case 'suffix':
      return type === STRING && (m.ignoreCase ? fold(text) : text).endsWith(m.value);
    case 'equals-ignore-case':
      return type === STRING && fold(text) === m.value;
    case 'wildcard':
      return type === STRING && wildcardMatches(m.wildcard, text);
    case 'exists':
      return true;
    case 'anything-but':
      // Typed: the string "123" is not the number 123, and null/true/false are neither.
      if (type === STRING) return !m.strings.has(text);
      if (type === NUMBER && m.numbers.size > 0) return !m.numbers.has(microOf(type, text));
      return true;
    case 'anything-but-prefix':
      return type !== STRING || !m.values.some((p) => text.startsWith(p));
    case 'anything-but-suffix':
      return type !== STRING || !m.values.some((s) => text.endsWith(s));
    case 'anything-but-ignore-case': {
      if (type !== STRING) return true;
      const f = fold(text);
      return !m.values.includes(f);
    }
    case 'anything-but-wildcard':
      return type !== STRING || !m.wildcards.some((w) => wildcardMatches(w, text));
  }
}

export interface Leaf {
  readonly path: string;
  readonly type: LeafType;
  readonly text: string;
  readonly membership: Membership;
}

/** Flattens an event object into its leaves, with dot-joined paths and array memberships. */
export function flatten(root: JsonNode): Leaf[] {
  const leaves: Leaf[] = [];
  let arrays = 0;
  const visit = (node: JsonNode, path: string, membership: Membership): void => {
    switch (node.t) {
      case 'object':
        for (const [key, value] of node.entries) visit(value, `${path}.${key}`, membership);
        return;
      case 'array': {
        const id = ++arrays;
        node.items.forEach((item, index) => visit(item, path, [...membership, id, index]));
        return;
      }
      case 'string':
        leaves.push({ path, type: STRING, text: node.value, membership });
        return;
      case 'number':
        leaves.push({ path, type: NUMBER, text: node.raw, membership });
        return;
      default:
        leaves.push({ path, type: LITERAL, text: node.t, membership });
    }
  };
  // Top-level keys join without a leading dot; nested keys are "parent.key".
  if (root.t === 'object') for (const [key, value] of root.entries) visit(value, key, NO_MEMBERSHIP);
  return leaves;
}

function branchMatches(branch: Branch, byPath: ReadonlyMap<string, readonly Leaf[]>): boolean {
  const fields = branch.fields;
  const search = (i: number, membership: Membership): boolean => {
    if (i === fields.length) return true;
    const field: FieldCondition = fields[i];
    const leaves = byPath.get(field.path) ?? [];
    for (const leaf of leaves) {
      if (!field.matchers.some((m) => testMatcher(m, leaf.type, leaf.text))) continue;
      if (!consistent(membership, leaf.membership)) continue;
      if (search(i + 1, merge(membership, leaf.membership))) return true;
    }
    if (field.absent && !leaves.some((leaf) => consistent(membership, leaf.membership))) {
      return search(i + 1, membership);
    }
    return false;
  };
  return search(0, NO_MEMBERSHIP);
}

/** Parses an event given as JSON text; it must be a JSON object. */
export function parseEvent(event: string): JsonNode {
  let root: JsonNode;
  try {
    root = parseJson(event);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new EventSyntaxError(`Event is not valid JSON: ${error.message}`);
    throw error;
  }
  if (root.t !== 'object') throw new EventSyntaxError('Event is not a JSON object');
  return root;
}

/**
 * Does the event match the pattern? `event` is JSON text or an already-parsed object (numbers in a
 * parsed object are compared as written by JSON.stringify). Throws EventSyntaxError when the event is
 * not a JSON object.
 */
export function matchesPattern(pattern: CompiledPattern, event: string | object): boolean {
  const root = typeof event === 'string' ? parseEvent(event) : fromJsValue(event);
  if (root.t !== 'object') throw new EventSyntaxError('Event is not a JSON object');
  return matchesLeaves(pattern, leavesByPath(root));
}

/** The leaves of an event object grouped by path: read once, matched against any number of patterns. */
export function leavesByPath(root: JsonNode): Map<string, Leaf[]> {
  const byPath = new Map<string, Leaf[]>();
  for (const leaf of flatten(root)) {
    const list = byPath.get(leaf.path);
    if (list === undefined) byPath.set(leaf.path, [leaf]);
    else list.push(leaf);
  }
  return byPath;
}

/** Does an event, given as its leaves by path (leavesByPath), match the pattern? */
export function matchesLeaves(pattern: CompiledPattern, byPath: ReadonlyMap<string, readonly Leaf[]>): boolean {
  return pattern.branches.some((branch) => branchMatches(branch, byPath));
}
