/**
 * Choice rules in JSONPath states (ASL spec "Choice Rules"; developer guide "Choice workflow
 * state"): Boolean combinations (And, Or, Not) of data-test expressions on a `Variable`.
 * A comparison whose operand has the wrong type is false, not an error; a `Variable` (or a `…Path`
 * operand) that does not resolve is a States.Runtime error, except for `IsPresent`.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { StatesError } from './states-error.js';
import { resolveReference, type PathScope } from './expr.js';

export function evaluateRule(rule: JsonObject, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => isJsonObject(r) && evaluateRule(r, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => isJsonObject(r) && evaluateRule(r, scope));
  if (isJsonObject(rule.Not)) return !evaluateRule(rule.Not, scope);
  const variable = rule.Variable as string;
  const found = resolveReference(variable, scope);
  for (const op of Object.keys(rule)) {
    if (op === 'Variable' || op === 'Next' || op === 'Comment' || op === 'Assign' || op === 'Output') continue;
    if (op === 'IsPresent') return (found.found && !(Array.isArray(found.value) && found.value.length === 0 && isIndefinite(variable))) === rule.IsPresent;
    if (!found.found) throw invalidPath(variable);
    const value = found.value;
    let operand = rule[op];
    let base = op;
    if (op.endsWith('Path') && op !== 'Path') {
      base = op.slice(0, -4);
      const other = resolveReference(operand as string, scope);
      if (!other.found) throw invalidPath(operand as string);
      operand = other.value;
    }
    return compare(base, value, operand);
  }
  return false;
}

function isIndefinite(path: string): boolean {
  return /\[\*\]|\.\*|\.\.|\[\?|\[\d*:\d*\]|,/.test(path);
}

function invalidPath(path: string): StatesError {
  return new StatesError('States.Runtime', `Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

function compare(op: string, value: Json, operand: Json | undefined): boolean {
  switch (op) {
    case 'IsNull':
      return (value === null) === operand;
    case 'IsNumeric':
      return (typeof value === 'number') === operand;
    case 'IsString':
      return (typeof value === 'string') === operand;
    case 'IsBoolean':
      return (typeof value === 'boolean') === operand;
    case 'IsTimestamp':
      return (typeof value === 'string' && parseTimestamp(value) !== null) === operand;
    case 'BooleanEquals':
      return typeof value === 'boolean' && value === operand;
    case 'StringMatches':
      return typeof value === 'string' && typeof operand === 'string' && wildcard(operand).test(value);
  }
  if (op.startsWith('String')) {
    if (typeof value !== 'string' || typeof operand !== 'string') return false;
    return ordered(op.slice(6), value < operand ? -1 : value > operand ? 1 : 0);
  }
  if (op.startsWith('Numeric')) {
    if (typeof value !== 'number' || typeof operand !== 'number') return false;
    return ordered(op.slice(7), value < operand ? -1 : value > operand ? 1 : 0);
  }
  if (op.startsWith('Timestamp')) {
    if (typeof value !== 'string' || typeof operand !== 'string') return false;
    const a = parseTimestamp(value);
    const b = parseTimestamp(operand);
    if (a === null || b === null) return false;
    return ordered(op.slice(9), a < b ? -1 : a > b ? 1 : 0);
  }
  return false;
}

function ordered(kind: string, c: number): boolean {
  switch (kind) {
    case 'Equals':
      return c === 0;
    case 'LessThan':
      return c < 0;
    case 'GreaterThan':
      return c > 0;
    case 'LessThanEquals':
      return c <= 0;
    case 'GreaterThanEquals':
      return c >= 0;
    default:
      return false;
  }
}

const wildcards = new Map<string, RegExp>();

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are a literal star and backslash. */
function wildcard(pattern: string): RegExp {
  let re = wildcards.get(pattern);
  if (re) return re;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      out += escape(pattern[++i]);
    } else if (ch === '*') out += '[\\s\\S]*';
    else out += escape(ch);
  }
  re = new RegExp(`^${out}$`);
  wildcards.set(pattern, re);
  return re;
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * An RFC 3339 timestamp (the ASL spec's profile of ISO 8601: `T` separator, an offset or `Z`),
 * in epoch nanoseconds-as-number precision enough to order; null when not one.
 */
export function parseTimestamp(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`);
  if (Number.isNaN(ms)) return null;
  const check = new Date(Date.UTC(Number(y), month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return ms + (frac ? Number(`0${frac}`) * 1000 : 0);
}
