import { compileLinearRegex } from '../../../core/linear-regex.js';

/**
 * WebSocket selection expressions ([D] API Gateway Developer Guide, "WebSocket selection
 * expressions" and "Create routes for WebSocket APIs", section "Route selection expressions"):
 * - a variable starts with `$`; braces mark its end where text follows (`${request.body.version}-beta`);
 * - several variables may appear, with static text between them (`${request.body.service}/${request.body.action}`),
 *   and are evaluated once (no recursion);
 * - `\$` is a literal dollar sign (`\$default` names the `$default` key);
 * - `$request.body.<JSONPath>` reads the message (which must then be JSON); a path that finds
 *   nothing evaluates to the empty string (`${request.body.action}-${request.body.invalidPath}` is `join-`);
 *   the result is stringified, an array as `[item1, item2]`.
 * Pure: the plane gives the message and the context.
 */

/** What an expression may read. */
export interface SelectionScope {
  /** The message as text (undefined: no message, as on `$connect`). */
  body?: string;
  /** `$request.header.<name>` (names in any case) and `$request.querystring.<name>`: on `$connect`. */
  headers?: Record<string, string>;
  querystring?: Record<string, string>;
  /** `$context.<name>`. */
  context?: Record<string, unknown>;
  /** `$integration.response.statuscode` (integration response selection). */
  integrationStatus?: string;
}

/** The result of evaluating an expression: its text, or `notJson` when it reads the body of a message that is not JSON. */
export type Selected = { ok: true; value: string } | { ok: false; reason: 'notJson' };

type Part = { text: string } | { variable: string };

const VARIABLE_CHAR = /[A-Za-z0-9_.\-[\]'"]/;

/** Splits an expression into static text and variables. */
export function parseSelectionExpression(expression: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '\\' && expression[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      text += c;
      i += 1;
      continue;
    }
    if (expression[i + 1] === '{') {
      const end = expression.indexOf('}', i + 2);
      if (end < 0) {
        text += expression.slice(i);
        break;
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ variable: expression.slice(i + 2, end) });
      i = end + 1;
      continue;
    }
    let j = i + 1;
    // An unbraced variable runs over name characters, `-` included (header names): text that
    // follows a variable needs braces, as AWS's own example `${request.body.version}-beta` has.
    while (j < expression.length && VARIABLE_CHAR.test(expression[j])) j += 1;
    if (j === i + 1) {
      text += '$';
      i += 1;
      continue;
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable: expression.slice(i + 1, j) });
    i = j;
  }
  if (text) parts.push({ text });
  return parts;
}

const NOT_JSON = Symbol('not json');

/** Evaluates an expression. A variable that reads the body of a non-JSON message makes the whole expression fail (`$default` is then chosen). */
export function evaluateSelectionExpression(expression: string, scope: SelectionScope): Selected {
  let parsedBody: unknown = undefined;
  let bodyParsed = false;
  const body = (): unknown => {
    if (!bodyParsed) {
      bodyParsed = true;
      if (scope.body === undefined) parsedBody = NOT_JSON;
      else {
        try {
          parsedBody = JSON.parse(scope.body);
        } catch {
          parsedBody = NOT_JSON;
        }
      }
    }
    return parsedBody;
  };
  let out = '';
  for (const part of parseSelectionExpression(expression)) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const v = part.variable;
    if (v === 'request.body' || v.startsWith('request.body.') || v.startsWith('request.body[')) {
      const root = body();
      if (root === NOT_JSON) return { ok: false, reason: 'notJson' };
      const found = readPath(root, v.slice('request.body'.length));
      out += found === undefined ? '' : stringify(found);
    } else if (v.startsWith('request.header.')) {
      out += lookupIgnoringCase(scope.headers, v.slice('request.header.'.length)) ?? '';
    } else if (v.startsWith('request.querystring.')) {
      out += scope.querystring?.[v.slice('request.querystring.'.length)] ?? '';
    } else if (v.startsWith('context.')) {
      const found = readPath(scope.context ?? {}, v.slice('context'.length));
      out += found === undefined ? '' : stringify(found);
    } else if (v.toLowerCase() === 'integration.response.statuscode') {
      out += scope.integrationStatus ?? '';
    } else if (v === 'default') {
      // `$default` unescaped: AWS's consoles write `$default` for the route response selection
      // expression, and it means the `$default` key.
      out += '$default';
    }
  }
  return { ok: true, value: out };
}

function lookupIgnoringCase(map: Record<string, string> | undefined, name: string): string | undefined {
  if (!map) return undefined;
  if (map[name] !== undefined) return map[name];
  const lower = name.toLowerCase();
  for (const [k, value] of Object.entries(map)) if (k.toLowerCase() === lower) return value;
  return undefined;
}

const SEGMENT = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** A JSONPath-like path (`.a.b`, `[0]`, `['a b']`) into a JSON value; undefined when it finds nothing. */
export function readPath(root: unknown, path: string): unknown {
  let value = root;
  SEGMENT.lastIndex = 0;
  let at = 0;
  while (at < path.length) {
    SEGMENT.lastIndex = at;
    const m = SEGMENT.exec(path);
    if (!m) return undefined;
    at = SEGMENT.lastIndex;
    const key = m[1] ?? m[3] ?? m[4];
    if (value === null || typeof value !== 'object') return undefined;
    if (m[2] !== undefined) {
      if (!Array.isArray(value)) return undefined;
      value = value[Number(m[2])];
    } else {
      if (Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, key!)) return undefined;
      value = (value as Record<string, unknown>)[key!];
    }
  }
  return value;
}

/** AWS's stringification of a selected value: text as it is, an array as `[item1, item2]`, an object as JSON. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(stringify).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The route a message takes: the route whose key is the expression's value, else `$default`
 * (a message that is not JSON, a key no route has); undefined when there is no `$default`
 * either ([D] "Create routes for WebSocket APIs": "If there is no match, and a route with the
 * `$default` route key exists, that route is selected. If no routes match the evaluated value and
 * there is no `$default` route, the service returns an error").
 */
export function selectRouteKey(routeKeys: ReadonlySet<string>, expression: string | undefined, message: string): string | undefined {
  if (expression) {
    const selected = evaluateSelectionExpression(expression, { body: message });
    // The reserved keys are never chosen by a message's content.
    if (selected.ok && selected.value !== '$connect' && selected.value !== '$disconnect' && routeKeys.has(selected.value)) return selected.value;
  }
  return routeKeys.has('$default') ? '$default' : undefined;
}

/**
 * The key chosen among a template map, an integration response set …: an exact key, a pattern
 * key between slashes (`/2\d\d/`, for integration responses) matched against the whole value, then `$default`.
 */
export function selectKey(keys: readonly string[], value: string | undefined): string | undefined {
  if (value !== undefined) {
    if (keys.includes(value)) return value;
    for (const key of keys) {
      if (key.length > 2 && key.startsWith('/') && key.endsWith('/')) {
        try {
          // The pattern comes from the API's author: it runs on the linear engine (core/linear-regex.ts).
          if (compileLinearRegex(`^(?:${key.slice(1, -1)})$`, { dotAll: true }).test(value)) return key;
        } catch {
          // A pattern that does not compile matches nothing.
        }
      }
    }
  }
  return keys.includes('$default') ? '$default' : undefined;
}
