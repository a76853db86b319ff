import type { ListShape, MapShape, NumberShape, Shape, StringShape, StructureShape } from './shapes.js';

/**
 * Checks a decoded request against its shape and converts it into handler values.
 *
 * `json` mode takes values as JSON.parse produced them (types must already match);
 * `text` mode takes strings (Query parameters, URI labels, headers) and parses them.
 * Problems are collected, not thrown, so one response can name all of them as AWS does.
 */
export type Mode = 'json' | 'text';

export interface ValidationIssue {
  /** `type`: the wire value is not of the member's type (a SerializationException in JSON);
   * `required` / `constraint`: AWS's "failed to satisfy constraint" validation errors. */
  kind: 'type' | 'required' | 'constraint';
  /** Coral-style path: lower-camel member names, 1-based list items (`entries.1.member.source`). */
  path: string;
  /** Wire name of the top-level member (Query errors name parameters as sent). */
  member: string;
  message: string;
}

export interface ValidationResult<T> {
  value: T;
  issues: ValidationIssue[];
}

export function validateStructure<T = Record<string, unknown>>(
  shape: StructureShape,
  input: unknown,
  mode: Mode,
): ValidationResult<T> {
  if (mode === 'json') {
    // Valid input takes the compiled check; anything it refuses is checked again below, where
    // every issue is collected with its path and message.
    const fast = fastCheckFor(shape);
    if (fast !== undefined) {
      const value = fast(input ?? {});
      if (value !== FAIL) return { value: value as T, issues: [] };
    }
  }
  const issues: ValidationIssue[] = [];
  const value = checkStructure(shape, input ?? {}, mode, '', '', issues);
  return { value: (value ?? {}) as T, issues };
}

// ---- the compiled check for JSON input -----------------------------------------------------------

/** What a compiled check returns for input that has any issue. */
const FAIL: unique symbol = Symbol('invalid');
type FastCheck = (input: unknown) => unknown;

/**
 * A shape's compiled check is built on its second use (shapes made for one call, as REST-JSON
 * builds for a payload member, are never compiled): a closure per shape node that checks JSON
 * input as `check` does in 'json' mode and builds the same value, but keeps no paths and writes no
 * messages — it only says FAIL. Per request, the interpreter's member paths and messages were
 * most of the cost of validation.
 */
const compiled = new WeakMap<Shape, FastCheck | number>();

function fastCheckFor(shape: StructureShape): FastCheck | undefined {
  const known = compiled.get(shape);
  if (typeof known === 'function') return known;
  if (known === undefined) {
    compiled.set(shape, 1);
    return undefined;
  }
  const fast = compile(shape, new Map());
  compiled.set(shape, fast);
  return fast;
}

/** `building`: the checks of this compilation so far, so that a shape that contains itself compiles once. */
function compile(shape: Shape, building: Map<Shape, FastCheck>): FastCheck {
  const known = building.get(shape);
  if (known !== undefined) return known;
  let built: FastCheck | undefined;
  // Whoever meets this shape again inside itself calls through to the check being built.
  building.set(shape, (input) => built!(input));
  built = compileNode(shape, building);
  building.set(shape, built);
  return built;
}

function compileNode(shape: Shape, building: Map<Shape, FastCheck>): FastCheck {
  switch (shape.type) {
    case 'string':
      return compileString(shape);
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const integral = shape.type === 'integer' || shape.type === 'long';
      const { min, max } = shape;
      return (input) => {
        if (typeof input !== 'number' || !Number.isFinite(input) || (integral && !Number.isInteger(input))) return FAIL;
        if ((min !== undefined && input < min) || (max !== undefined && input > max)) return FAIL;
        return input;
      };
    }
    case 'boolean':
      return (input) => (typeof input === 'boolean' ? input : FAIL);
    case 'timestamp':
    case 'blob':
      // Rare on hot paths: the interpreter's check, with its issues thrown away.
      return (input) => {
        const scratch: ValidationIssue[] = [];
        const value = check(shape, input, 'json', '', '', scratch);
        return scratch.length > 0 ? FAIL : value;
      };
    case 'document':
      return (input) => input;
    case 'list': {
      const member = compile(shape.member, building);
      const { min, max } = shape;
      return (input) => {
        if (!Array.isArray(input)) return FAIL;
        if ((min !== undefined && input.length < min) || (max !== undefined && input.length > max)) return FAIL;
        const out = new Array<unknown>(input.length);
        for (let i = 0; i < input.length; i++) {
          const item: unknown = input[i];
          if (item === null || item === undefined) return FAIL;
          const value = member(item);
          if (value === FAIL) return FAIL;
          out[i] = value;
        }
        return out;
      };
    }
    case 'map': {
      const key = compileString(shape.key);
      const value = compile(shape.value, building);
      const { min, max } = shape;
      return (input) => {
        if (typeof input !== 'object' || input === null || Array.isArray(input)) return FAIL;
        const entries = Object.entries(input as Record<string, unknown>);
        if ((min !== undefined && entries.length < min) || (max !== undefined && entries.length > max)) return FAIL;
        const out: Record<string, unknown> = {};
        for (const [k, raw] of entries) {
          if (key(k) === FAIL) return FAIL;
          if (raw === null || raw === undefined) continue;
          const v = value(raw);
          if (v === FAIL) return FAIL;
          setEntry(out, k, v);
        }
        return out;
      };
    }
    case 'structure': {
      const names = Object.keys(shape.members);
      const required = names.map((name) => shape.members[name].required === true);
      const checks = names.map((name) => compile(shape.members[name].shape, building));
      // JSON input names a member by its jsonName where it has one (apigatewayv2's camelCase, v1's integrationHttpMethod).
      const wireNames = names.map((name) => shape.members[name].jsonName ?? name);
      const count = names.length;
      return (input) => {
        if (typeof input !== 'object' || input === null || Array.isArray(input)) return FAIL;
        const source = input as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const raw = source[wireNames[i]];
          if (raw === undefined || raw === null) {
            if (required[i]) return FAIL;
            continue;
          }
          const value = checks[i](raw);
          if (value === FAIL) return FAIL;
          if (value !== undefined) out[names[i]] = value;
        }
        return out;
      };
    }
  }
}

function compileString(shape: StringShape): FastCheck {
  const { min, max, regex } = shape;
  const allowed = shape.enum;
  const measured = min !== undefined || max !== undefined;
  return (input) => {
    if (typeof input !== 'string') return FAIL;
    if (measured) {
      const length = codePointLength(input);
      if ((min !== undefined && length < min) || (max !== undefined && length > max)) return FAIL;
    }
    if (regex && !regex.test(input)) return FAIL;
    if (allowed && !allowed.includes(input)) return FAIL;
    return input;
  };
}

/** Checks one standalone value (a URI label, a header) of `shape`. */
export function validateValue(shape: Shape, input: unknown, mode: Mode, path: string, issues: ValidationIssue[]): unknown {
  return check(shape, input, mode, path, path, issues);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function checkStructure(
  shape: StructureShape,
  input: unknown,
  mode: Mode,
  path: string,
  top: string,
  issues: ValidationIssue[],
): Record<string, unknown> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ kind: 'type', path, member: top, message: typeMessage('structure', input) });
    return undefined;
  }
  const source = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name in shape.members) {
    const member = shape.members[name];
    const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
    const memberTop = top || member.wireName || name;
    const raw = member.jsonName !== undefined && mode === 'json' ? source[member.jsonName] : source[name];
    if (raw === undefined || raw === null) {
      if (member.required) {
        issues.push({ kind: 'required', path: memberPath, member: memberTop, message: constraint(null, memberPath, 'Member must not be null') });
      }
      continue;
    }
    const checked = check(member.shape, raw, mode, memberPath, memberTop, issues);
    if (checked !== undefined) out[name] = checked;
  }
  return out;
}

function check(shape: Shape, input: unknown, mode: Mode, path: string, top: string, issues: ValidationIssue[]): unknown {
  switch (shape.type) {
    case 'string':
      return checkString(shape, input, path, top, issues);
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return checkNumber(shape, input, mode, path, top, issues);
    case 'boolean': {
      if (typeof input === 'boolean') return input;
      if (mode === 'text' && (input === 'true' || input === 'false')) return input === 'true';
      issues.push({ kind: 'type', path, member: top, message: typeMessage('boolean', input) });
      return undefined;
    }
    case 'timestamp':
      return checkTimestamp(input, mode, path, top, issues);
    case 'blob': {
      if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
        issues.push({ kind: 'type', path, member: top, message: typeMessage('blob', input) });
        return undefined;
      }
      const bytes = typeof input === 'string' ? Buffer.from(input, 'base64') : Buffer.from(input);
      // AWS shows a blob as the Java buffer it decoded: `Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data'`.
      lengthChecks(bytes.length, shape, bytes, path, top, issues);
      return bytes;
    }
    case 'document':
      return input;
    case 'list':
      return checkList(shape, input, mode, path, top, issues);
    case 'map':
      return checkMap(shape, input, mode, path, top, issues);
    case 'structure':
      return checkStructure(shape, input, mode, path, top, issues);
  }
}

function checkString(shape: StringShape, input: unknown, path: string, top: string, issues: ValidationIssue[]): unknown {
  if (typeof input !== 'string') {
    issues.push({ kind: 'type', path, member: top, message: typeMessage('string', input) });
    return undefined;
  }
  // AWS measures string length in characters (code points), not UTF-16 units.
  const length = shape.min !== undefined || shape.max !== undefined ? codePointLength(input) : 0;
  const shown = shape.sensitive ? REDACTED : input;
  lengthChecks(length, shape, shown, path, top, issues);
  if (shape.regex && !shape.regex.test(input)) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(shown, path, `Member must satisfy regular expression pattern: ${shape.pattern}`) });
  }
  if (shape.enum && !shape.enum.includes(input)) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(shown, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`) });
  }
  return input;
}

function checkNumber(shape: NumberShape, input: unknown, mode: Mode, path: string, top: string, issues: ValidationIssue[]): unknown {
  let value: number | undefined;
  const integral = shape.type === 'integer' || shape.type === 'long';
  if (typeof input === 'number') value = input;
  else if (mode === 'text' && typeof input === 'string' && input.trim() !== '') {
    const parsed = Number(input);
    if (Number.isFinite(parsed) && (!integral || /^[+-]?\d+$/.test(input.trim()))) value = parsed;
  }
  if (value === undefined || !Number.isFinite(value) || (integral && !Number.isInteger(value))) {
    issues.push({ kind: 'type', path, member: top, message: typeMessage(shape.type, input) });
    return undefined;
  }
  if (shape.min !== undefined && value < shape.min) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(value, path, `Member must have value greater than or equal to ${shape.min}`) });
  }
  if (shape.max !== undefined && value > shape.max) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(value, path, `Member must have value less than or equal to ${shape.max}`) });
  }
  return value;
}

const MAX_TIME_MS = 8.64e15;

function checkTimestamp(input: unknown, mode: Mode, path: string, top: string, issues: ValidationIssue[]): unknown {
  // JSON protocols send epoch seconds; Query and REST headers send ISO 8601 (or epoch seconds).
  let ms: number | undefined;
  if (typeof input === 'number') ms = input * 1000;
  else if (typeof input === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(input)) ms = Number(input) * 1000;
    else if (mode === 'text' || /^\d{4}-\d\d-\d\dT/.test(input)) ms = Date.parse(input);
  }
  // Beyond ±8.64e15 ms a Date is Invalid Date (ECMA-262 §21.4.1.1): refuse it here, not in a handler.
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) {
    issues.push({ kind: 'type', path, member: top, message: typeMessage('timestamp', input) });
    return undefined;
  }
  return new Date(ms);
}

function checkList(shape: ListShape, input: unknown, mode: Mode, path: string, top: string, issues: ValidationIssue[]): unknown {
  if (!Array.isArray(input)) {
    issues.push({ kind: 'type', path, member: top, message: typeMessage('list', input) });
    return undefined;
  }
  lengthChecks(input.length, shape, input, path, top, issues);
  const out: unknown[] = [];
  for (let i = 0; i < input.length; i++) {
    const itemPath = `${path}.${i + 1}.member`;
    if (input[i] === null || input[i] === undefined) {
      issues.push({ kind: 'required', path: itemPath, member: top, message: constraint(null, itemPath, 'Member must not be null') });
      continue;
    }
    out.push(check(shape.member, input[i], mode, itemPath, top, issues));
  }
  return out;
}

function checkMap(shape: MapShape, input: unknown, mode: Mode, path: string, top: string, issues: ValidationIssue[]): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ kind: 'type', path, member: top, message: typeMessage('map', input) });
    return undefined;
  }
  const entries = Object.entries(input as Record<string, unknown>);
  lengthChecks(entries.length, shape, input, path, top, issues);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of entries) {
    checkString(shape.key, key, path, top, issues);
    if (raw === null || raw === undefined) continue;
    setEntry(out, key, check(shape.value, raw, mode, `${path}.${key}`, top, issues));
  }
  return out;
}

/** Sets a map entry by any key: `out['__proto__'] = v` would replace the object's prototype instead. */
export function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function lengthChecks(
  length: number,
  shape: { min?: number; max?: number },
  value: unknown,
  path: string,
  top: string,
  issues: ValidationIssue[],
): void {
  if (shape.min !== undefined && length < shape.min) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(value, path, `Member must have length greater than or equal to ${shape.min}`) });
  }
  if (shape.max !== undefined && length > shape.max) {
    issues.push({ kind: 'constraint', path, member: top, message: constraint(value, path, `Member must have length less than or equal to ${shape.max}`) });
  }
}

export function codePointLength(s: string): number {
  // Only a high surrogate followed by a low one is a pair; a lone surrogate is one character.
  let pairs = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return s.length - pairs;
}

/** Nesting rendered in a message; raw JSON input can nest ~any depth and must not overflow the stack. */
const MAX_RENDER_DEPTH = 16;

/** Renders a value the way AWS's (Java) validation messages do. */
function render(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_RENDER_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  if (Array.isArray(value)) return `[${value.map((v) => render(v, depth + 1)).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${render(v, depth + 1)}`).join(', ')}}`;
}

/** Stands for the value of a sensitive member in a message: AWS leaves it out ("Value at 'input' failed …"). */
export const REDACTED: unique symbol = Symbol('redacted');

/** "Value 'x' at 'path' failed to satisfy constraint: …" — the Coral validation wording. */
export function constraint(value: unknown, path: string, rule: string): string {
  if (value === REDACTED) return `Value at '${path}' failed to satisfy constraint: ${rule}`;
  const shown = value === null || value === undefined ? 'null' : `'${render(value)}'`;
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${rule}`;
}

const wireTypeNames: Record<string, string> = {
  string: 'String',
  integer: 'Integer',
  long: 'Long',
  float: 'Float',
  double: 'Double',
  boolean: 'Boolean',
  timestamp: 'Date',
  blob: 'Blob',
  list: 'List',
  map: 'Map',
  structure: 'Structure',
};

/** The SerializationException wording AWS JSON services use for a value of the wrong type. */
function typeMessage(expected: string, input: unknown): string {
  if (Array.isArray(input)) return 'Start of list found where not expected';
  if (typeof input === 'object' && input !== null) return 'Start of structure or map found where not expected.';
  const found = typeof input === 'string' ? 'STRING_VALUE' : typeof input === 'number' ? 'NUMBER_VALUE' : typeof input === 'boolean' ? (input ? 'TRUE_VALUE' : 'FALSE_VALUE') : 'VALUE';
  return `${found} can not be converted to ${/^[AEIOU]/.test(wireTypeNames[expected] ?? '') ? 'an' : 'a'} ${wireTypeNames[expected] ?? expected}`;
}

/** "1 validation error detected: …; …" */
export function validationSummary(issues: readonly ValidationIssue[]): string {
  const n = issues.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${issues.map((i) => i.message).join('; ')}`;
}
