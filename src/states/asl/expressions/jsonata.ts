/**
 * JSONata in Step Functions ("Transforming data with JSONata in Step Functions", AWS Step Functions
 * developer guide): a string that is *wholly* `{% … %}` is an expression (one with spaces around
 * the braces is a plain string: recorded case outputdecl/base_literals), evaluated with JSONata
 * 2.0.6 — the version AWS names — with `$states` (`input`, `context`, `result`, `errorOutput`),
 * the workflow variables as `$name`, and AWS's added functions `$partition`, `$range`, `$hash`,
 * `$random` (optionally seeded), `$uuid`, `$parse`. `$eval` is not available.
 *
 * Every expression text is compiled once and cached (a definition's expressions are compiled when
 * first used and reused for every execution). Failures are States.QueryEvaluationError with AWS's
 * causes (recorded cases assign/base_undefined_*, math_random_seeded_jsonata, map_state_items_*).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../states-error.js';
import { seededNextDouble } from './random.js';

export interface JsonataStates {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

type Expression = ReturnType<typeof jsonata>;

const QUERY_ERROR = 'States.QueryEvaluationError';

/** Is `value` a JSONata expression string: starts with `{%` and ends with `%}`, nothing around? */
export function isJsonataExpression(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** The expression inside `{% … %}`, trimmed (AWS quotes it that way in its causes). */
export function jsonataBody(value: string): string {
  return value.slice(2, -2).trim();
}

// --- compile cache ---------------------------------------------------------------------------------

const compiled = new Map<string, Expression>();
const CACHE_LIMIT = 20_000;

class JsonataSyntaxError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function compile(body: string): Expression {
  let expr = compiled.get(body);
  if (expr !== undefined) return expr;
  try {
    expr = jsonata(body);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new JsonataSyntaxError(e.code, e.message ?? String(err));
  }
  registerAwsFunctions(expr);
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(body, expr);
  return expr;
}

/**
 * Syntax check at definition time: null when `expression` (the whole `{% … %}` string, or the body
 * alone) compiles, else the complaint (JSONata's code and message).
 */
export function checkJsonata(expression: string): string | null {
  const body = isJsonataExpression(expression) ? jsonataBody(expression) : expression.trim();
  if (body === '') return 'The JSONata expression is empty';
  try {
    compile(body);
    return null;
  } catch (err) {
    if (err instanceof JsonataSyntaxError) return err.code !== undefined ? `${err.code}: ${err.message}` : err.message;
    throw err;
  }
}

// --- AWS's functions -------------------------------------------------------------------------------

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const RANGE_MAX_ITEMS = 1000;

/**
 * An error from one of AWS's functions. AWS's codes for them are not recorded, so none is given
 * (a code from JSONata's own table would make JSONata replace the message with its own text).
 */
function jsonataError(_code: string, message: string): Error {
  return new Error(message);
}

/** An array JSONata treats as a sequence (a single item collapses to the item, as AWS's $range does: recorded array_range_jsonata). */
function sequence(items: unknown[]): unknown[] {
  Object.defineProperty(items, 'sequence', { value: true });
  return items;
}

function registerAwsFunctions(expr: Expression): void {
  // $eval is not available in Step Functions: invoking it fails like invoking any non-function
  // (T1006). `false`, not null or undefined: JSONata looks through undefined to its own $eval,
  // and crashes on null.
  expr.assign('eval', false);
  expr.registerFunction(
    'partition',
    (array: unknown, size: unknown) => {
      const items = Array.isArray(array) ? array : array === undefined ? [] : [array];
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw jsonataError('D3001', `The chunk size of $partition must be a positive integer, but was ${JSON.stringify(size)}`);
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out;
    },
    '<an:a>',
  );
  expr.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
        if (!Number.isInteger(v)) throw jsonataError('D3001', `The ${name} of $range must be an integer, but was ${v}`);
      }
      if (step === 0) throw jsonataError('D3001', 'The step of $range must not be 0');
      const count = Math.floor((end - start) / step) + 1;
      if (count > RANGE_MAX_ITEMS) throw jsonataError('D3001', `$range can produce at most ${RANGE_MAX_ITEMS} items, but the range has ${count}`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(start + i * step);
      return sequence(out);
    },
    '<nnn:a>',
  );
  expr.registerFunction(
    'hash',
    (data: unknown, algorithm: unknown) => {
      const node = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
      if (node === undefined) throw jsonataError('D3001', `The hashing algorithm ${JSON.stringify(algorithm)} is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512`);
      return createHash(node).update(String(data), 'utf8').digest('hex');
    },
    '<s-s:s>',
  );
  expr.registerFunction(
    'random',
    (seed?: unknown) => {
      if (seed === undefined) return Math.random();
      if (typeof seed !== 'number' || !Number.isInteger(seed)) throw jsonataError('D3001', `The seed of $random must be an integer, but was ${JSON.stringify(seed)}`);
      return seededNextDouble(seed);
    },
    '<n?:n>',
  );
  expr.registerFunction('uuid', () => randomUUID(), '<:s>');
  expr.registerFunction(
    'parse',
    (text: unknown) => {
      if (typeof text !== 'string') throw jsonataError('D3001', `$parse expects a string, but was given ${JSON.stringify(text)}`);
      try {
        return JSON.parse(text, (_k, v: unknown) => (Object.is(v, -0) ? 0 : v)) as unknown;
      } catch {
        throw jsonataError('D3001', `The string passed to $parse is not valid JSON: ${text}`);
      }
    },
    '<s-:j>',
  );
}

// --- evaluation ------------------------------------------------------------------------------------

/**
 * Walks `value`: every string that is a whole `{% … %}` is evaluated with `$states` and the
 * variables; objects and arrays are walked (`field` grows as `Output/result`, `Output/list/0`);
 * everything else is kept as written. Throws StatesError('States.QueryEvaluationError', AWS's cause).
 */
export async function evaluateJsonataValue(value: Json, states: JsonataStates, variables: Readonly<Record<string, Json>>, field: string): Promise<Json> {
  if (typeof value === 'string') {
    return isJsonataExpression(value) ? evaluateJsonataExpression(value, states, variables, field) : value;
  }
  if (Array.isArray(value)) {
    if (!containsExpression(value)) return value;
    const out: Json[] = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = await evaluateJsonataValue(value[i], states, variables, `${field}/${i}`);
    return out;
  }
  if (isJsonObject(value)) {
    if (!containsExpression(value)) return value;
    const out: JsonObject = {};
    for (const key of Object.keys(value)) out[key] = await evaluateJsonataValue(value[key], states, variables, `${field}/${key}`);
    return out;
  }
  return value;
}

const hasExpression = new WeakMap<object, boolean>();

/** Does a definition subtree hold any `{% %}` string? (Cached per object: definitions are immutable.) */
function containsExpression(value: Json[] | JsonObject): boolean {
  let known = hasExpression.get(value);
  if (known === undefined) {
    const children = Array.isArray(value) ? value : Object.values(value);
    known = children.some((c) => (typeof c === 'string' ? isJsonataExpression(c) : typeof c === 'object' && c !== null && containsExpression(c)));
    hasExpression.set(value, known);
  }
  return known;
}

/** Evaluates one `{% … %}` string (the whole string, braces included). */
export async function evaluateJsonataExpression(text: string, states: JsonataStates, variables: Readonly<Record<string, Json>>, field: string): Promise<Json> {
  const body = jsonataBody(text);
  let expr: Expression;
  try {
    expr = compile(body);
  } catch (err) {
    if (err instanceof JsonataSyntaxError) throw evaluationError(body, field, err.code, err.message);
    throw err;
  }
  const fast = fastPathOf(body);
  if (fast !== null) {
    const hit = readFastPath(fast, states, variables);
    if (hit !== FALL_BACK) {
      if (hit === undefined) throw new StatesError(QUERY_ERROR, `The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`);
      return hit;
    }
  }
  const bindings: Record<string, unknown> = { ...variables, states: statesBinding(states) };
  let result: unknown;
  try {
    result = await expr.evaluate(undefined, bindings);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw evaluationError(body, field, e.code, e.message ?? String(err));
  }
  if (result === undefined) {
    throw new StatesError(QUERY_ERROR, `The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`);
  }
  if (!isPlainJson(result)) {
    throw new StatesError(QUERY_ERROR, `The JSONata expression '${body}' specified for the field '${field}' returned an unsupported result type.`);
  }
  return result;
}

// --- fast path: `$states.input.a.b`, `$var.x` ----------------------------------------------------
// The most common expressions are plain paths into objects. Over objects JSONata returns exactly
// the value found (arrays included, unchanged), so these are read directly; anything else (an
// array or a scalar on the way, a name that is not a variable) goes to JSONata.

interface FastPath {
  root: string;
  steps: string[];
}

const FAST_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const fastPaths = new Map<string, FastPath | null>();
const FALL_BACK = Symbol('fall back to JSONata');

function fastPathOf(body: string): FastPath | null {
  let fast = fastPaths.get(body);
  if (fast === undefined) {
    const m = FAST_PATH.exec(body);
    const steps = m === null ? [] : m[2].split('.').slice(1);
    fast = m === null || steps.some((s) => JSONATA_WORDS.has(s)) ? null : { root: m[1], steps };
    if (fastPaths.size >= CACHE_LIMIT) fastPaths.clear();
    fastPaths.set(body, fast);
  }
  return fast;
}

function readFastPath(fast: FastPath, states: JsonataStates, variables: Readonly<Record<string, Json>>): Json | undefined | typeof FALL_BACK {
  let value: Json | undefined;
  let i = 0;
  if (fast.root === 'states') {
    if (fast.steps.length === 0) return FALL_BACK;
    const name = fast.steps[0];
    value = name === 'input' ? states.input : name === 'context' ? states.context : name === 'result' ? states.result : name === 'errorOutput' ? states.errorOutput : undefined;
    if (value === undefined) return FALL_BACK;
    i = 1;
  } else {
    if (!Object.prototype.hasOwnProperty.call(variables, fast.root)) return FALL_BACK;
    value = variables[fast.root];
  }
  for (; i < fast.steps.length; i++) {
    if (!isJsonObject(value)) return FALL_BACK;
    const name = fast.steps[i];
    if (!Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = value[name];
  }
  return value;
}

function statesBinding(states: JsonataStates): Record<string, Json> {
  const out: Record<string, Json> = { input: states.input, context: states.context };
  if (states.result !== undefined) out.result = states.result;
  if (states.errorOutput !== undefined) out.errorOutput = states.errorOutput;
  return out;
}

function evaluationError(body: string, field: string, code: string | undefined, message: string): StatesError {
  const detail = code !== undefined ? `${code}: ${message}` : message;
  return new StatesError(QUERY_ERROR, `The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${detail}`);
}

/** JSON values only: no functions, no undefined, no non-finite numbers (JSONata sequences are arrays and pass). */
function isPlainJson(value: unknown): value is Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isPlainJson);
      return Object.values(value).every(isPlainJson);
    default:
      return false;
  }
}

/**
 * AWS's cause when a field's expression gives a value of the wrong type (recorded map_state_items_*):
 * `The JSONata expression '1' specified for the field 'Items' returned an unexpected result type.
 * Expected 'array', but was 'number' for value: 1`.
 */
export function unexpectedResultType(expression: string, field: string, expected: string, value: Json): StatesError {
  const body = isJsonataExpression(expression) ? jsonataBody(expression) : expression;
  return new StatesError(
    QUERY_ERROR,
    `The JSONata expression '${body}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`,
  );
}

/** The JSON type name AWS uses in its causes: object, array, string, number, boolean, null. */
export function jsonTypeName(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
