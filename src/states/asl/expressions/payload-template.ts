/**
 * Payload templates of JSONPath states (Parameters, ResultSelector, ItemSelector, Assign,
 * Credentials): a key ending in `.$` takes the value its path, context path (`$$…`), variable
 * (`$name…`) or intrinsic call selects, under the key without `.$`; every other value is copied
 * as written, through nested objects and arrays ("Processing input and output" / "Payload
 * templates" in the AWS Step Functions developer guide).
 *
 * A template is compiled once (per template object, cached weakly) into a function of the scope;
 * parts without `.$` keys are shared with the definition, not copied, so results must be treated
 * as immutable.
 */
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../states-error.js';
import { checkIntrinsic, evaluateCall } from './intrinsics.js';
import { IntrinsicSyntaxError, looksLikeIntrinsic, parseIntrinsic } from './intrinsic-parse.js';
import { parsePath } from './jsonpath-parse.js';
import { fieldPathNotFound, isValidPath, resolveParsed, type PathScope } from './paths.js';

type Compiled = (scope: PathScope) => Json;

const compiledTemplates = new WeakMap<object, Compiled>();

/**
 * Evaluates a payload template. Throws StatesError('States.Runtime') when a path selects nothing,
 * with AWS's cause (recorded case invalid_jsonpath_in_string_expr_jsonpath): `The JSONPath '$.x'
 * specified for the field 'value.$' could not be found in the input '{"a":1}'`; intrinsic failures
 * are States.IntrinsicFailure. `field` (Parameters, ResultSelector, …) is used when the template
 * itself is not an object.
 */
export function evaluatePayloadTemplate(template: Json, scope: PathScope, field: string): Json {
  if (typeof template !== 'object' || template === null) return template;
  let compiled = compiledTemplates.get(template);
  if (compiled === undefined) {
    compiled = compile(template, field);
    compiledTemplates.set(template, compiled);
  }
  return compiled(scope);
}

/** Compiles a template ahead of time (the interpreter may call this when it loads a definition). */
export function compilePayloadTemplate(template: Json, field: string): Compiled {
  if (typeof template !== 'object' || template === null) return () => template;
  let compiled = compiledTemplates.get(template);
  if (compiled === undefined) {
    compiled = compile(template, field);
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/** Returns null for a subtree with no `.$` key (it is used as written). */
function compileDynamic(value: Json): Compiled | null {
  if (Array.isArray(value)) {
    const parts = value.map(compileDynamic);
    if (parts.every((p) => p === null)) return null;
    const fns = parts.map((p, i) => p ?? (() => value[i]));
    return (scope) => fns.map((f) => f(scope));
  }
  if (!isJsonObject(value)) return null;
  const entries: { key: string; fn: Compiled }[] = [];
  let dynamic = false;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (key.endsWith('.$')) {
      dynamic = true;
      entries.push({ key: key.slice(0, -2), fn: compileSelector(key, v) });
    } else {
      const dyn = compileDynamic(v);
      if (dyn !== null) dynamic = true;
      entries.push({ key, fn: dyn ?? (() => v) });
    }
  }
  if (!dynamic) return null;
  return (scope) => {
    const out: JsonObject = {};
    for (const e of entries) out[e.key] = e.fn(scope);
    return out;
  };
}

function compile(template: Json, _field: string): Compiled {
  const dyn = compileDynamic(template);
  return dyn ?? (() => template);
}

/** The value of a `.$` key: a path or an intrinsic call (a malformed one fails when evaluated, as a definition check would have refused it). */
function compileSelector(key: string, value: Json): Compiled {
  if (typeof value !== 'string') {
    return () => {
      throw new StatesError('States.Runtime', `The value for the field '${key}' must be a valid JSONPath or intrinsic function`);
    };
  }
  if (looksLikeIntrinsic(value)) {
    try {
      const call = parseIntrinsic(value);
      return (scope) => evaluateCall(call, scope, key);
    } catch (err) {
      if (!(err instanceof IntrinsicSyntaxError)) throw err;
      const message = err.message;
      return () => {
        throw new StatesError('States.IntrinsicFailure', `The intrinsic function '${value}' specified for the field '${key}' is invalid: ${message}`);
      };
    }
  }
  let parsed: ReturnType<typeof parsePath>;
  try {
    parsed = parsePath(value);
  } catch {
    return () => {
      throw new StatesError('States.Runtime', `The value for the field '${key}' must be a valid JSONPath or intrinsic function`);
    };
  }
  return (scope) => {
    const r = resolveParsed(parsed, scope);
    if (r.found) return r.value;
    throw fieldPathNotFound(value, key, scope.input);
  };
}

export interface TemplateIssue {
  /** JSON Pointer of the key inside the template (`/nested/value.$`). */
  pointer: string;
  /** AWS's sentence: `The value for the field 'value.$' must be a valid JSONPath`. */
  message: string;
}

/**
 * Definition-time check of a payload template: every `.$` value must be a string holding a Path or
 * an intrinsic call. The message follows AWS's SCHEMA_VALIDATION_FAILED wording ("The value for the
 * field 'X.$' must be a valid JSONPath"); the caller adds ` at /States/…`.
 */
export function checkPayloadTemplate(template: Json): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const walk = (value: Json, pointer: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${pointer}/${i}`));
      return;
    }
    if (!isJsonObject(value)) return;
    for (const key of Object.keys(value)) {
      const v = value[key];
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!key.endsWith('.$')) {
        walk(v, at);
        continue;
      }
      if (typeof v === 'string' && looksLikeIntrinsic(v)) {
        const complaint = checkIntrinsic(v);
        if (complaint !== null) issues.push({ pointer: at, message: `The value for the field '${key}' must be a valid intrinsic function call (${complaint})` });
      } else if (typeof v !== 'string' || !isValidPath(v)) {
        issues.push({ pointer: at, message: `The value for the field '${key}' must be a valid JSONPath` });
      }
    }
  };
  walk(template, '');
  return issues;
}
