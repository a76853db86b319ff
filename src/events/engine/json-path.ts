/**
 * The JSONPath subset EventBridge accepts in a target's `InputPath` and in the values of
 * `InputTransformer.InputPathsMap`.
 *
 * The User Guide lists what is supported: dot notation (`$.detail`), dashes, underscores,
 * alphanumeric characters, array indices, wildcards (`*`) and forward slashes
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html, the
 * note at the top). The API reference adds "You must use JSON dot notation, not bracket notation"
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html), so
 * brackets hold only an index or `*`: `$.detail['key']` is refused, `$.detail.list[0]` is not.
 * Every path starts at `$`; a bare `$` is the whole event.
 *
 * Semantics follow JSONPath as EventBridge evaluates it (Jayway): a path without a wildcard is
 * definite and yields one value or nothing; a path with a wildcard yields the list of every value
 * it reaches (possibly empty).
 */

export type PathStep = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wildcard' };

export interface JsonPath {
  readonly text: string;
  readonly steps: readonly PathStep[];
  /** True when the path has a wildcard: it then evaluates to an array. */
  readonly indefinite: boolean;
}

/** Returned by `evaluatePath` for a definite path that reaches nothing. */
export const MISSING: unique symbol = Symbol('missing');
export type PathResult = unknown | typeof MISSING;

// Characters that end a member name: the separators, JSONPath operators we do not support
// (filters, unions, slices, scripts, quoting) and white space.
const NAME_STOP = new Set(['.', '[', ']', "'", '"', '*', '(', ')', '?', ',', ' ', '\t', '\n', '\r', '\\']);

/** Parses a path; returns null when EventBridge would refuse it. */
export function parsePath(text: string): JsonPath | null {
  if (text.length === 0 || text[0] !== '$') return null;
  const steps: PathStep[] = [];
  let indefinite = false;
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (i < text.length && text[i] === '.') return null; // deep scan `..` is not in the subset
      if (i < text.length && text[i] === '*') {
        steps.push({ kind: 'wildcard' });
        indefinite = true;
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && !NAME_STOP.has(text[i])) i++;
      if (i === start) return null; // `$.` or `$.[0]`
      steps.push({ kind: 'name', name: text.slice(start, i) });
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return null;
      const inner = text.slice(i + 1, close);
      if (inner === '*') {
        steps.push({ kind: 'wildcard' });
        indefinite = true;
      } else if (/^-?[0-9]{1,9}$/.test(inner)) {
        steps.push({ kind: 'index', index: Number(inner) });
      } else {
        return null; // quoted names, unions, slices, filters
      }
      i = close + 1;
      continue;
    }
    return null; // `$detail`, `$ .a`, ...
  }
  return { text, steps, indefinite };
}

/** Evaluates a parsed path against a parsed event (plain JSON values). */
export function evaluatePath(path: JsonPath, root: unknown): PathResult {
  if (!path.indefinite) {
    let node: unknown = root;
    for (const step of path.steps) {
      node = child(node, step);
      if (node === MISSING) return MISSING;
    }
    return node;
  }
  let nodes: unknown[] = [root];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (step.kind === 'wildcard') {
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
      } else {
        const value = child(node, step);
        if (value !== MISSING) next.push(value);
      }
    }
    nodes = next;
  }
  return nodes;
}

function child(node: unknown, step: PathStep): PathResult {
  if (step.kind === 'name') {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return MISSING;
    return Object.prototype.hasOwnProperty.call(node, step.name) ? (node as Record<string, unknown>)[step.name] : MISSING;
  }
  if (step.kind === 'index') {
    if (!Array.isArray(node)) return MISSING;
    const i = step.index < 0 ? node.length + step.index : step.index;
    return i >= 0 && i < node.length ? node[i] : MISSING;
  }
  return MISSING;
}
