/**
 * JSON as API Gateway's templates see it. AWS evaluates `$input.path`/`$input.json` with a Java
 * JSONPath library over json-smart: a JSON object becomes a Java LinkedHashMap (whose toString is
 * `{key=value, ...}`) and a JSON array becomes a json-smart JSONArray (whose toString is the array's
 * JSON text). The recorded cases show both: `$input.path('$.json')` of `{"foo":"bar"}` renders
 * `{foo=bar}`, of `[{"foo":"bar"}]` renders `[{"foo":"bar"}]` (test/conformance/apigateway/vtl).
 * We keep JSON as plain JS values and remember which arrays came from JSON, so they render as JSON
 * while lists a template builds (`[1, 2]`, `$map.keySet()`) render as Java lists (`[1, 2]`).
 */
const jsonArrays = new WeakSet<unknown[]>();

export function isJsonArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && jsonArrays.has(value);
}

/** Marks every array inside a freshly parsed JSON value as a JSON array (in place). */
export function markJson<T>(value: T): T {
  if (Array.isArray(value)) {
    jsonArrays.add(value);
    for (const item of value) markJson(item);
  } else if (isPlainMap(value)) {
    for (const key of Object.keys(value)) markJson(value[key]);
  }
  return value;
}

export function jsonArray(items: unknown[]): unknown[] {
  jsonArrays.add(items);
  return items;
}

/** A Java Map in the template: a plain object (JSON object, `{}` literal, `$context`, `$input.params()`). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Parses JSON text into template values; throws SyntaxError on bad JSON. */
export function parseJsonValue(text: string): unknown {
  return markJson(JSON.parse(text) as unknown);
}

/**
 * The body as the JSONPath reader sees it. An empty body reads as `{}` (AWS renders `$input.body`
 * of an empty request as `{}`: recorded case `response-raw-body/empty-body`). Text that is not JSON
 * reads as one string value, as json-smart's permissive parser takes unquoted text.
 */
export function readBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return parseJsonValue(body);
  } catch {
    return body;
  }
}

/** JSON text of a template value (compact, as json-smart writes it). */
export function toJsonText(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return '[' + value.map(toJsonText).join(',') + ']';
  if (isPlainMap(value)) {
    return '{' + Object.keys(value).map((key) => JSON.stringify(key) + ':' + toJsonText(value[key])).join(',') + '}';
  }
  return JSON.stringify(String(value));
}
