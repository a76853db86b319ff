/**
 * Paths in JSONPath mode: reading a reference (`$…` the state input, `$$…` the context object,
 * `$name…` a variable), ResultPath, and the definition-time check of a Path / ReferencePath.
 *
 * AWS: "Paths in Amazon States Language" and "Passing data between states with variables" (a
 * variable is read as `$name`, `$name.field`, `$name[0]`) in the Step Functions developer guide;
 * the messages are the ones AWS wrote in the recorded executions (see jsonpath-eval.ts).
 */
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../states-error.js';
import { evaluateParsed } from './jsonpath-eval.js';
import { parsePath, PathSyntaxError, type ParsedPath } from './jsonpath-parse.js';

export interface PathScope {
  input: Json;
  context: Json;
  variables: Readonly<Record<string, Json>>;
}

export type ReferenceResult = { found: true; value: Json } | { found: false; reason?: string };

/**
 * `$.a.b`, `$$.Execution.Id`, `$var.x`: found or not; never throws for a well-formed path.
 * A definite path gives its value; an indefinite one (wildcard, slice, filter, `..`) an array.
 * When not found, `reason` is Jayway's text (`No results for path: $['x']`, …).
 */
export function resolveReference(path: string, scope: PathScope): ReferenceResult {
  let parsed: ParsedPath;
  try {
    parsed = parsePath(path);
  } catch (err) {
    if (err instanceof PathSyntaxError) return { found: false, reason: err.message };
    throw err;
  }
  return resolveParsed(parsed, scope);
}

export function resolveParsed(parsed: ParsedPath, scope: PathScope): ReferenceResult {
  let start: Json;
  switch (parsed.root.kind) {
    case 'context':
      start = scope.context;
      break;
    case 'variable': {
      const { name } = parsed.root;
      if (!Object.prototype.hasOwnProperty.call(scope.variables, name)) return { found: false, reason: `Variable $${name} is not defined` };
      start = scope.variables[name];
      break;
    }
    default:
      start = scope.input;
  }
  return evaluateParsed(parsed, start, scope.input);
}

/**
 * InputPath, OutputPath, ItemsPath, TimeoutSecondsPath…: the value, or States.Runtime with AWS's
 * cause `Invalid path '$.x' : No results for path: $['x']` (recorded case invalid_jsonpath_in_inputpath).
 * The interpreter prefixes it with "An error occurred while executing the state …".
 */
export function readPath(path: string, scope: PathScope): Json {
  const r = resolveReference(path, scope);
  if (r.found) return r.value;
  throw new StatesError('States.Runtime', `Invalid path '${path}' : ${r.reason ?? 'No results for path'}`);
}

/**
 * A path named by a field whose failure AWS words with the field (`.$` keys of payload templates,
 * ErrorPath, CausePath, intrinsic arguments): the value, or States.Runtime with the cause
 * `The JSONPath '$.x' specified for the field 'CausePath' could not be found in the input '{"a":1}'`
 * (recorded cases invalid_jsonpath_in_causepath, invalid_jsonpath_in_string_expr_*).
 */
export function readFieldPath(path: string, scope: PathScope, field: string): Json {
  const r = resolveReference(path, scope);
  if (r.found) return r.value;
  throw fieldPathNotFound(path, field, scope.input);
}

export function fieldPathNotFound(path: string, field: string, input: Json): StatesError {
  return new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`);
}

/**
 * ResultPath semantics: `null` discards the result (the input passes through), `$` replaces the
 * input, `$.a.b` puts the result at that place in a copy of the input (creating missing objects on
 * the way). Only the objects on the path are copied; the rest is shared with `input`.
 * When the input cannot take the result (it, or something on the way, is not an object) throws
 * States.ResultPathMatchFailure ("Error names" in the Step Functions developer guide).
 */
export function applyResultPath(path: string | null, input: Json, result: Json): Json {
  if (path === null) return input;
  let parsed: ParsedPath;
  try {
    parsed = parsePath(path);
  } catch {
    throw new StatesError('States.ResultPathMatchFailure', matchFailure(path, input));
  }
  if (parsed.root.kind !== 'input' || !parsed.definite) throw new StatesError('States.ResultPathMatchFailure', matchFailure(path, input));
  if (parsed.segments.length === 0) return result;
  const fail = (): never => {
    throw new StatesError('States.ResultPathMatchFailure', matchFailure(path, input));
  };
  const place = (value: Json, i: number): Json => {
    const seg = parsed.segments[i];
    const last = i === parsed.segments.length - 1;
    if (seg.kind === 'name') {
      if (!isJsonObject(value)) return fail();
      const copy: JsonObject = { ...value };
      if (last) copy[seg.name] = result;
      else {
        const next = Object.prototype.hasOwnProperty.call(value, seg.name) ? value[seg.name] : {};
        copy[seg.name] = place(next, i + 1);
      }
      return copy;
    }
    if (seg.kind === 'index' && Array.isArray(value)) {
      const at = seg.index < 0 ? value.length + seg.index : seg.index;
      if (at < 0 || at >= value.length) return fail();
      const copy = value.slice();
      copy[at] = last ? result : place(value[at], i + 1);
      return copy;
    }
    return fail();
  };
  return place(input, 0);
}

function matchFailure(path: string, input: Json): string {
  return `Unable to apply ReferencePath ${path} to input ${JSON.stringify(JSON.stringify(input))}`;
}

/**
 * For definition validation: null when `path` is a valid Path (any JSONPath AWS reads, with `$`,
 * `$$` or a variable as the root) or ReferencePath (a definite path: names and single indexes only,
 * "Reference Paths" in the developer guide); else the complaint, to be completed by the caller as
 * `The value for the field 'X' <complaint>`.
 */
export function checkPath(path: string, kind: 'Path' | 'ReferencePath'): string | null {
  let parsed: ParsedPath;
  try {
    parsed = parsePath(path);
  } catch {
    return kind === 'Path' ? 'must be a valid JSONPath' : 'must be a valid ReferencePath';
  }
  if (kind === 'ReferencePath' && !parsed.definite) return 'must be a valid ReferencePath';
  return null;
}

/** Is the path parseable (any root)? Cached. */
export function isValidPath(path: string): boolean {
  try {
    parsePath(path);
    return true;
  } catch {
    return false;
  }
}
