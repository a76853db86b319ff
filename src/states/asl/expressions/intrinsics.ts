/**
 * The intrinsic functions of JSONPath states ("Intrinsic functions for JSONPath states in Step
 * Functions", AWS Step Functions developer guide), evaluated from a tree parsed once.
 *
 * Behaviour pinned by the recorded AWS executions (test/conformance cases `intrinsicfunctions/…`):
 * - States.MathAdd rounds each argument half up (Java Math.round: 1.5 → 2, -1.5 → -1, -0.5 → 0)
 *   before adding.
 * - States.StringSplit splits on every character of the delimiter and drops empty pieces
 *   (`',,,,'` → `[]`; delimiter `'T\n'` splits on T and on newline).
 * - States.StringToJson of `''` or `' '` is null.
 * - States.Format renders an object argument like a Java Map (`{Id=arn:…, Name=…}`).
 * - States.ArrayRange includes the end when the step lands on it (`0, 9, 3` → `[0,3,6,9]`).
 * AWS records no failing intrinsic call, so the failure causes below are ours, in AWS's wording
 * style; the error name is States.IntrinsicFailure (the error list in "Error handling in Step
 * Functions"), and a path argument that is not there is States.Runtime as for any `.$` path.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../states-error.js';
import { deepEqual } from './json-equal.js';
import { javaText } from './jsonpath-eval.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArg, type IntrinsicCall } from './intrinsic-parse.js';
import { fieldPathNotFound, resolveParsed, type PathScope } from './paths.js';
import { seededNextInt } from './random.js';

export { seededNextInt };

/** Limits from the intrinsic functions page. */
export const ARRAY_RANGE_MAX_ITEMS = 1000;
export const ENCODE_MAX_CHARS = 10_000;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

type Arity = { min: number; max: number };
const ARITY: Record<string, Arity> = {
  'States.Format': { min: 1, max: Infinity },
  'States.StringToJson': { min: 1, max: 1 },
  'States.JsonToString': { min: 1, max: 1 },
  'States.Array': { min: 0, max: Infinity },
  'States.ArrayPartition': { min: 2, max: 2 },
  'States.ArrayContains': { min: 2, max: 2 },
  'States.ArrayRange': { min: 3, max: 3 },
  'States.ArrayGetItem': { min: 2, max: 2 },
  'States.ArrayLength': { min: 1, max: 1 },
  'States.ArrayUnique': { min: 1, max: 1 },
  'States.Base64Encode': { min: 1, max: 1 },
  'States.Base64Decode': { min: 1, max: 1 },
  'States.Hash': { min: 2, max: 2 },
  'States.JsonMerge': { min: 3, max: 3 },
  'States.MathRandom': { min: 2, max: 3 },
  'States.MathAdd': { min: 2, max: 2 },
  'States.StringSplit': { min: 2, max: 2 },
  'States.UUID': { min: 0, max: 0 },
};

/** The names of every intrinsic function AWS provides. */
export const INTRINSIC_NAMES: readonly string[] = Object.keys(ARITY);

/**
 * For definition validation: null when `text` is a well-formed call of a known intrinsic with a
 * fitting number of arguments (literal arguments checked where their type is fixed); else the
 * complaint.
 */
export function checkIntrinsic(text: string): string | null {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(text);
  } catch (err) {
    if (err instanceof IntrinsicSyntaxError) return err.message;
    throw err;
  }
  return checkCall(call);
}

function checkCall(call: IntrinsicCall): string | null {
  const arity = ARITY[call.name];
  if (arity === undefined) return `Unsupported intrinsic function: ${call.name}`;
  if (call.args.length < arity.min || call.args.length > arity.max) return arityMessage(call, arity);
  if (call.name === 'States.Format') {
    const template = call.args[0];
    if (template.kind === 'literal') {
      if (typeof template.value !== 'string') return 'The first argument of States.Format must be a string';
      const placeholders = countPlaceholders(template.raw ?? template.value);
      if (placeholders !== call.args.length - 1) return formatCountMessage(placeholders, call.args.length - 1);
    }
  }
  if (call.name === 'States.JsonMerge') {
    const mode = call.args[2];
    if (mode.kind === 'literal' && mode.value !== false) return 'States.JsonMerge supports only shallow merging: its third argument must be false';
  }
  if (call.name === 'States.Hash') {
    const alg = call.args[1];
    if (alg.kind === 'literal' && (typeof alg.value !== 'string' || HASH_ALGORITHMS[alg.value] === undefined)) return hashAlgorithmMessage(alg.value);
  }
  for (const arg of call.args) {
    if (arg.kind === 'call') {
      const inner = checkCall(arg);
      if (inner !== null) return inner;
    }
  }
  return null;
}

function arityMessage(call: IntrinsicCall, arity: Arity): string {
  const expected = arity.min === arity.max ? `${arity.min}` : arity.max === Infinity ? `at least ${arity.min}` : `${arity.min} to ${arity.max}`;
  return `${call.name} takes ${expected} argument${arity.max === 1 && arity.min === 1 ? '' : 's'}, but ${call.args.length} were given`;
}

function formatCountMessage(placeholders: number, args: number): string {
  return `States.Format has ${placeholders} placeholder${placeholders === 1 ? '' : 's'} ({}) but ${args} argument${args === 1 ? '' : 's'} to put in them`;
}

function hashAlgorithmMessage(alg: unknown): string {
  return `The hashing algorithm ${JSON.stringify(alg)} is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512`;
}

function countPlaceholders(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length - 1; i++) if (raw[i] === '{' && raw[i + 1] === '}') n++;
  return n;
}

/** Parses (cached) and evaluates an intrinsic call; `field` names the `.$` key in messages. */
export function evaluateIntrinsic(text: string, scope: PathScope, field: string): Json {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(text);
  } catch (err) {
    if (err instanceof IntrinsicSyntaxError) throw new StatesError('States.IntrinsicFailure', `The intrinsic function '${text}' specified for the field '${field}' is invalid: ${err.message}`);
    throw err;
  }
  return evaluateCall(call, scope, field);
}

export function evaluateCall(call: IntrinsicCall, scope: PathScope, field: string): Json {
  const arity = ARITY[call.name];
  const fail = (detail: string): never => {
    throw new StatesError('States.IntrinsicFailure', `The intrinsic function '${call.text}' specified for the field '${field}' failed: ${detail}`);
  };
  if (arity === undefined) return fail(`Unsupported intrinsic function: ${call.name}`);
  if (call.args.length < arity.min || call.args.length > arity.max) return fail(arityMessage(call, arity));
  const args = call.args.map((a) => evaluateArg(a, scope, field));
  const arg = (i: number): Json => args[i];
  const str = (i: number, what: string): string => {
    const v = arg(i);
    return typeof v === 'string' ? v : fail(`${what} must be a string, but was ${describe(v)}`);
  };
  const arr = (i: number, what: string): Json[] => {
    const v = arg(i);
    return Array.isArray(v) ? v : fail(`${what} must be an array, but was ${describe(v)}`);
  };
  const int = (i: number, what: string): number => {
    const v = arg(i);
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`${what} must be an integer, but was ${describe(v)}`);
    if (v < INT_MIN || v > INT_MAX) return fail(`${what} must be between ${INT_MIN} and ${INT_MAX}, but was ${v}`);
    return v;
  };

  switch (call.name) {
    case 'States.Format': {
      const template = call.args[0];
      const raw = template.kind === 'literal' && typeof template.value === 'string' ? (template.raw ?? template.value) : str(0, 'The format string');
      const values = args.slice(1);
      const placeholders = countPlaceholders(raw);
      if (placeholders !== values.length) return fail(formatCountMessage(placeholders, values.length));
      let out = '';
      let next = 0;
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === '{' && raw[i + 1] === '}') {
          out += formatValue(values[next++]);
          i++;
        } else out += raw[i] === '\u0001' ? '{' : raw[i] === '\u0002' ? '}' : raw[i];
      }
      return out;
    }
    case 'States.StringToJson': {
      const text = str(0, 'The argument');
      if (text.trim() === '') return null;
      try {
        // -0 reads as 0, as AWS's parser gives it (recorded string_to_json "-0").
        return JSON.parse(text, (_k, v: unknown) => (Object.is(v, -0) ? 0 : v)) as Json;
      } catch {
        return fail(`The argument is not a valid JSON string: ${text}`);
      }
    }
    case 'States.JsonToString':
      return JSON.stringify(arg(0));
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      const items = arr(0, 'The first argument');
      const size = int(1, 'The chunk size');
      if (size <= 0) return fail(`The chunk size must be a positive integer, but was ${size}`);
      const out: Json[] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      const items = arr(0, 'The first argument');
      const wanted = arg(1);
      return items.some((x) => deepEqual(x, wanted));
    }
    case 'States.ArrayRange': {
      const start = int(0, 'The start');
      const end = int(1, 'The end');
      const step = int(2, 'The step');
      if (step === 0) return fail('The step must not be 0');
      const count = Math.floor((end - start) / step) + 1;
      if (count > ARRAY_RANGE_MAX_ITEMS) return fail(`The array can contain at most ${ARRAY_RANGE_MAX_ITEMS} items, but the range has ${count}`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(start + i * step);
      return out;
    }
    case 'States.ArrayGetItem': {
      const items = arr(0, 'The first argument');
      const index = int(1, 'The index');
      if (index < 0 || index >= items.length) return fail(`The index ${index} is out of bounds for an array of ${items.length} item${items.length === 1 ? '' : 's'}`);
      return items[index];
    }
    case 'States.ArrayLength':
      return arr(0, 'The argument').length;
    case 'States.ArrayUnique': {
      const out: Json[] = [];
      for (const item of arr(0, 'The argument')) if (!out.some((x) => deepEqual(x, item))) out.push(item);
      return out;
    }
    case 'States.Base64Encode': {
      const text = str(0, 'The argument');
      if ([...text].length > ENCODE_MAX_CHARS) return fail(`The input string can be at most ${ENCODE_MAX_CHARS} characters long`);
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      const text = str(0, 'The argument');
      if (text.length > ENCODE_MAX_CHARS) return fail(`The input string can be at most ${ENCODE_MAX_CHARS} characters long`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return fail(`The argument is not valid base64: ${text}`);
      return Buffer.from(text, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      const data = arg(0);
      const text = typeof data === 'string' ? data : fail(`The data to hash must be a string, but was ${describe(data)}`);
      if ([...text].length > ENCODE_MAX_CHARS) return fail(`The input string can be at most ${ENCODE_MAX_CHARS} characters long`);
      const alg = arg(1);
      const node = typeof alg === 'string' ? HASH_ALGORITHMS[alg] : undefined;
      if (node === undefined) return fail(hashAlgorithmMessage(alg));
      return createHash(node).update(text, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      const a = arg(0);
      const b = arg(1);
      if (!isJsonObject(a)) return fail(`The first argument must be a JSON object, but was ${describe(a)}`);
      if (!isJsonObject(b)) return fail(`The second argument must be a JSON object, but was ${describe(b)}`);
      if (arg(2) !== false) return fail('States.JsonMerge supports only shallow merging: its third argument must be false');
      const merged: JsonObject = { ...a, ...b };
      return merged;
    }
    case 'States.MathRandom': {
      // AWS accepts non-integer bounds (recorded math_random: 12.5 and 44.51 succeed); they are
      // rounded as States.MathAdd rounds its arguments.
      const start = roundedNumber(arg(0), 'The start', fail);
      const end = roundedNumber(arg(1), 'The end', fail);
      if (end <= start) return fail(`The end (${end}) must be greater than the start (${start})`);
      const span = end - start;
      if (args.length === 3) return start + seededNextInt(int(2, 'The seed'), span);
      return start + Math.floor(Math.random() * span);
    }
    case 'States.MathAdd': {
      const a = roundedNumber(arg(0), 'The first argument', fail);
      const b = roundedNumber(arg(1), 'The second argument', fail);
      const sum = a + b;
      if (sum < INT_MIN || sum > INT_MAX) return fail(`The sum ${sum} is outside ${INT_MIN}..${INT_MAX}`);
      return sum;
    }
    case 'States.StringSplit': {
      const text = str(0, 'The first argument');
      const delimiters = new Set(str(1, 'The delimiter'));
      const out: string[] = [];
      let piece = '';
      for (const c of text) {
        if (delimiters.has(c)) {
          if (piece !== '') out.push(piece);
          piece = '';
        } else piece += c;
      }
      if (piece !== '') out.push(piece);
      return out;
    }
    case 'States.UUID':
      return randomUUID();
  }
  return fail(`Unsupported intrinsic function: ${call.name}`);
}

function evaluateArg(arg: IntrinsicArg, scope: PathScope, field: string): Json {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'call':
      return evaluateCall(arg, scope, field);
    case 'path': {
      const r = resolveParsed(arg.path, scope);
      if (r.found) return r.value;
      throw fieldPathNotFound(arg.text, field, scope.input);
    }
  }
}

/** States.Format renders strings as they are, numbers and booleans as JSON, objects and arrays as Java collections do. */
function formatValue(value: Json): string {
  if (typeof value === 'string') return value;
  return javaText(value);
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value)})`;
  if (typeof value === 'object') return `an object (${JSON.stringify(value)})`;
  return `${typeof value === 'string' ? 'a string' : `a ${typeof value}`} (${JSON.stringify(value)})`;
}

/** Java's Math.round: half up (towards positive infinity). */
function roundedNumber(value: Json, what: string, fail: (d: string) => never): number {
  if (typeof value !== 'number') return fail(`${what} must be a number, but was ${describe(value)}`);
  const rounded = Math.floor(value + 0.5);
  if (rounded < INT_MIN || rounded > INT_MAX) return fail(`${what} must be between ${INT_MIN} and ${INT_MAX}, but was ${value}`);
  return rounded;
}

export { type PathScope };
