/**
 * Walks a JSON value with a parsed path, the way AWS Step Functions reads Paths: a *definite* path
 * (names and single indexes only) returns the one value or says why it is not there, in the words
 * AWS writes (`No results for path: $['x']`, `Missing property in path $['a']`, recorded in the
 * cases invalid_jsonpath_in_inputpath and catch_states_runtime); an *indefinite* path (wildcards,
 * slices, unions, `..`, filters) always answers, with the array of what it matched (possibly empty:
 * recorded case json_path_array_access, `$.items[*]` on `{}` gives `[]`).
 */
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { deepEqual } from './json-equal.js';
import type { FilterExpr, FilterOperand, ParsedPath, PathFunction, Segment } from './jsonpath-parse.js';
import { segmentText } from './jsonpath-parse.js';

export type PathResult = { found: true; value: Json } | { found: false; reason: string };

/** Evaluates `path` against `start` (the value its root names); `input` is what a `$` inside a filter reads. */
export function evaluateParsed(path: ParsedPath, start: Json, input: Json = start): PathResult {
  if (path.definite) return evaluateDefinite(path, start);
  const results: Json[] = [];
  collect(path.segments, 0, start, input, results);
  if (path.fn !== null) {
    const base: Json = path.segments.every((s) => s.kind === 'name' || s.kind === 'index') ? definiteOrNull(path, start) : results;
    return applyFunction(path.fn, base, path);
  }
  return { found: true, value: results };
}

function definiteOrNull(path: ParsedPath, start: Json): Json {
  const r = evaluateDefinite(path, start);
  return r.found ? r.value : null;
}

function evaluateDefinite(path: ParsedPath, start: Json): PathResult {
  let value: Json = start;
  let rendered = '$';
  const segs = path.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const leaf = i === segs.length - 1;
    if (seg.kind === 'name') {
      if (!isJsonObject(value)) {
        return { found: false, reason: notAnObject(seg.name, rendered, value) };
      }
      rendered += segmentText(seg);
      if (!Object.prototype.hasOwnProperty.call(value, seg.name)) {
        return { found: false, reason: leaf ? `No results for path: ${fullText(path)}` : `Missing property in path ${rendered}` };
      }
      value = value[seg.name];
    } else if (seg.kind === 'index') {
      if (!Array.isArray(value)) {
        return { found: false, reason: `Filter: [${seg.index}] can only be applied to arrays. Current context is: ${javaText(value)}` };
      }
      rendered += segmentText(seg);
      const at = seg.index < 0 ? value.length + seg.index : seg.index;
      if (at < 0 || at >= value.length) return { found: false, reason: `No results for path: ${fullText(path)}` };
      value = value[at];
    }
  }
  return { found: true, value };
}

function fullText(path: ParsedPath): string {
  return '$' + path.segments.map(segmentText).join('');
}

/** Jayway's complaint when a name is read from something that is not an object. */
function notAnObject(name: string, at: string, value: Json): string {
  return `Expected to find an object with property ['${name}'] in path ${at} but found '${javaClass(value)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.`;
}

function javaClass(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? (Math.abs(value) <= 2147483647 ? 'java.lang.Integer' : 'java.lang.Long') : 'java.lang.Double';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return 'java.util.LinkedHashMap';
}

/** A value as a Java Map/List toString renders it (how AWS shows values in some messages). */
export function javaText(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaText(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function collect(segs: readonly Segment[], i: number, value: Json, input: Json, out: Json[]): void {
  if (i === segs.length) {
    out.push(value);
    return;
  }
  const seg = segs[i];
  switch (seg.kind) {
    case 'name':
      if (isJsonObject(value) && Object.prototype.hasOwnProperty.call(value, seg.name)) collect(segs, i + 1, value[seg.name], input, out);
      return;
    case 'names':
      if (isJsonObject(value)) {
        for (const name of seg.names) if (Object.prototype.hasOwnProperty.call(value, name)) collect(segs, i + 1, value[name], input, out);
      }
      return;
    case 'index':
    case 'indexes':
      if (Array.isArray(value)) {
        for (const index of seg.kind === 'index' ? [seg.index] : seg.indexes) {
          const at = index < 0 ? value.length + index : index;
          if (at >= 0 && at < value.length) collect(segs, i + 1, value[at], input, out);
        }
      }
      return;
    case 'wildcard':
      if (Array.isArray(value)) for (const item of value) collect(segs, i + 1, item, input, out);
      else if (isJsonObject(value)) for (const key of Object.keys(value)) collect(segs, i + 1, value[key], input, out);
      return;
    case 'slice':
      if (Array.isArray(value)) for (const at of sliceIndexes(seg, value.length)) collect(segs, i + 1, value[at], input, out);
      return;
    case 'filter':
      if (Array.isArray(value)) {
        for (const item of value) if (test(seg.filter, item, input)) collect(segs, i + 1, item, input, out);
      } else if (isJsonObject(value)) {
        if (test(seg.filter, value, input)) collect(segs, i + 1, value, input, out);
      }
      return;
    case 'scan':
      scan(seg.then, value, (hit) => collect(segs, i + 1, hit, input, out), input);
      return;
  }
}

/** Deep scan: applies `then` at `value` and at every node below it, in document order. */
function scan(then: Segment, value: Json, emit: (hit: Json) => void, input: Json): void {
  const here: Json[] = [];
  collect([then], 0, value, input, here);
  for (const hit of here) emit(hit);
  if (Array.isArray(value)) for (const item of value) scan(then, item, emit, input);
  else if (isJsonObject(value)) for (const key of Object.keys(value)) scan(then, value[key], emit, input);
}

function sliceIndexes(seg: { start: number | null; end: number | null; step: number | null }, length: number): number[] {
  const step = seg.step ?? 1;
  const norm = (n: number): number => (n < 0 ? Math.max(0, length + n) : Math.min(n, length));
  const out: number[] = [];
  if (step > 0) {
    const from = seg.start === null ? 0 : norm(seg.start);
    const to = seg.end === null ? length : norm(seg.end);
    for (let at = from; at < to; at += step) out.push(at);
  } else {
    const from = seg.start === null ? length - 1 : Math.min(norm(seg.start), length - 1);
    const to = seg.end === null ? -1 : norm(seg.end);
    for (let at = from; at > to; at += step) out.push(at);
  }
  return out;
}

function applyFunction(fn: PathFunction, base: Json, path: ParsedPath): PathResult {
  const numbers = (): number[] | null => (Array.isArray(base) && base.every((n) => typeof n === 'number') ? (base as number[]) : null);
  switch (fn) {
    case 'length':
    case 'size':
      if (Array.isArray(base)) return { found: true, value: base.length };
      if (typeof base === 'string') return { found: true, value: base.length };
      if (isJsonObject(base)) return { found: true, value: Object.keys(base).length };
      break;
    case 'keys':
      if (isJsonObject(base)) return { found: true, value: Object.keys(base) };
      break;
    case 'first':
      if (Array.isArray(base) && base.length > 0) return { found: true, value: base[0] };
      break;
    case 'last':
      if (Array.isArray(base) && base.length > 0) return { found: true, value: base[base.length - 1] };
      break;
    default: {
      const ns = numbers();
      if (ns === null || ns.length === 0) break;
      const sum = ns.reduce((a, b) => a + b, 0);
      const avg = sum / ns.length;
      const value =
        fn === 'min' ? Math.min(...ns) : fn === 'max' ? Math.max(...ns) : fn === 'sum' ? sum : fn === 'avg' ? avg : Math.sqrt(ns.reduce((a, n) => a + (n - avg) ** 2, 0) / ns.length);
      return { found: true, value };
    }
  }
  return { found: false, reason: `Function ${fn}() could not be applied: ${path.text}` };
}

// --- filters --------------------------------------------------------------------------------------

type Operand = { defined: true; value: Json } | { defined: false } | { regex: RegExp };

function test(expr: FilterExpr, current: Json, input: Json): boolean {
  switch (expr.kind) {
    case 'and':
      return test(expr.left, current, input) && test(expr.right, current, input);
    case 'or':
      return test(expr.left, current, input) || test(expr.right, current, input);
    case 'not':
      return !test(expr.expr, current, input);
    case 'exists': {
      const v = operand(expr.operand, current, input);
      return 'defined' in v && v.defined;
    }
    case 'compare':
      return compare(expr.op, operand(expr.left, current, input), operand(expr.right, current, input));
  }
}

function operand(op: FilterOperand, current: Json, input: Json): Operand {
  if (op.kind === 'literal') return { defined: true, value: op.value as Json };
  if (op.kind === 'regex') return { regex: op.regex };
  const start = op.path.root.kind === 'current' ? current : input;
  const r = evaluateParsed(op.path, start, input);
  return r.found ? { defined: true, value: r.value } : { defined: false };
}

function compare(op: string, left: Operand, right: Operand): boolean {
  if (op === '=~') {
    if (!('defined' in left) || !left.defined || typeof left.value !== 'string' || !('regex' in right)) return false;
    right.regex.lastIndex = 0;
    return right.regex.test(left.value);
  }
  if (!('defined' in left) || !('defined' in right)) return false;
  if (!left.defined || !right.defined) return op === '!=' ? left.defined !== right.defined : false;
  const a = left.value;
  const b = right.value;
  switch (op) {
    case '==':
      return looseEqual(a, b);
    case '!=':
      return !looseEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      let c: number;
      if (typeof a === 'number' && typeof b === 'number') c = a - b;
      else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
      else return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case 'in':
      return Array.isArray(b) && b.some((x) => looseEqual(a, x));
    case 'nin':
      return Array.isArray(b) && !b.some((x) => looseEqual(a, x));
    case 'subsetof':
      return Array.isArray(a) && Array.isArray(b) && a.every((x) => b.some((y) => looseEqual(x, y)));
    case 'anyof':
      return Array.isArray(a) && Array.isArray(b) && a.some((x) => b.some((y) => looseEqual(x, y)));
    case 'noneof':
      return Array.isArray(a) && Array.isArray(b) && !a.some((x) => b.some((y) => looseEqual(x, y)));
    case 'size':
      return (Array.isArray(a) || typeof a === 'string') && a.length === b;
    case 'empty':
      return (Array.isArray(a) || typeof a === 'string') && (a.length === 0) === b;
    case 'contains':
      return typeof a === 'string' ? typeof b === 'string' && a.includes(b) : Array.isArray(a) && a.some((x) => looseEqual(x, b));
  }
  return false;
}

/** Jayway compares a number with a numeric string by value; everything else by JSON equality. */
function looseEqual(a: Json, b: Json): boolean {
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return deepEqual(a, b);
}

export type { JsonObject };
