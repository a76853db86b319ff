/**
 * HTTP APIs' parameter mapping ("Transforming API requests and responses"): values are static
 * text mixed with `$request.header.name`, `$request.querystring.name`, `$request.body.path`
 * (JSONPath-like, `$request.body.a.b[0]`), `$request.path` and `$request.path.name`,
 * `$context.variable`, `$stageVariables.name`, and in responses `$response.header.name` and
 * `$response.body.path` — also in the braced form `${request.header.name}`. The same values fill
 * the parameters of AWS service integrations.
 */
export interface MappingSources {
  request: {
    headers: [string, string][];
    query: Record<string, string>;
    body: Buffer;
    /** The path after the stage. */
    path: string;
    pathParameters: Record<string, string>;
  };
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  response?: { headers: [string, string][]; body: Buffer };
}

const TOKEN = /\$\{([^}]+)\}|\$((?:request|response|context|stageVariables)(?:\.[A-Za-z0-9_\-]+|\[\d+\])*)/g;

/**
 * The value an expression gives, or undefined when it is a single reference to something the
 * request lacks (the mapping is then skipped, as AWS skips it).
 */
export function evaluate(expression: string, sources: MappingSources): string | undefined {
  let missingOnly = true;
  let anyToken = false;
  let literal = false;
  let last = 0;
  let out = '';
  for (const m of expression.matchAll(TOKEN)) {
    anyToken = true;
    if (m.index! > last) literal = true;
    out += expression.slice(last, m.index);
    const value = lookup(m[1] ?? m[2], sources);
    if (value !== undefined) {
      missingOnly = false;
      out += value;
    }
    last = m.index! + m[0].length;
  }
  if (last < expression.length) literal = true;
  out += expression.slice(last);
  if (anyToken && missingOnly && !literal) return undefined;
  return out;
}

function lookup(reference: string, s: MappingSources): string | undefined {
  const [root, kind, ...rest] = splitReference(reference);
  if (root === 'stageVariables') return kind === undefined ? undefined : s.stageVariables[kind];
  if (root === 'context') return kind === undefined ? undefined : stringify(dig(s.context, [kind, ...rest]));
  if (root === 'request') {
    if (kind === 'header') return joinedHeader(s.request.headers, rest.join('.'));
    if (kind === 'querystring') return s.request.query[rest.join('.')];
    if (kind === 'path') return rest.length === 0 ? s.request.path : s.request.pathParameters[rest.join('.')];
    if (kind === 'body') return bodyValue(s.request.body, rest);
    return undefined;
  }
  if (root === 'response' && s.response !== undefined) {
    if (kind === 'header') return joinedHeader(s.response.headers, rest.join('.'));
    if (kind === 'body') return bodyValue(s.response.body, rest);
  }
  return undefined;
}

/** `request.body.a[0].b` → ['request', 'body', 'a', '0', 'b']. */
function splitReference(reference: string): string[] {
  return reference
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((p) => p !== '');
}

function joinedHeader(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(',');
}

function bodyValue(body: Buffer, path: string[]): string | undefined {
  if (path.length === 0) return body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return stringify(dig(parsed, path));
}

function dig(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function stringify(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface OutgoingRequestParts {
  headers: [string, string][];
  query: [string, string][];
  path: string;
}

/**
 * Applies request parameter mappings (`append|overwrite|remove:header.name`,
 * `append|overwrite|remove:querystring.name`, `overwrite:path`) in the order AWS documents:
 * every value is evaluated against the original request first.
 */
export function mapRequest(parts: OutgoingRequestParts, mappings: Record<string, string>, sources: MappingSources): OutgoingRequestParts {
  const values = Object.entries(mappings).map(([key, expression]) => [key, evaluate(expression, sources)] as const);
  let headers = [...parts.headers];
  let query = [...parts.query];
  let path = parts.path;
  for (const [key, value] of values) {
    const m = /^(append|overwrite|remove):(header|querystring)\.(.+)$/.exec(key);
    if (key === 'overwrite:path') {
      if (value !== undefined) path = value.startsWith('/') ? value : `/${value}`;
      continue;
    }
    if (!m) continue;
    const [, op, where, name] = m;
    const same = (n: string) => (where === 'header' ? n.toLowerCase() === name.toLowerCase() : n === name);
    const list = where === 'header' ? headers : query;
    let next = list;
    if (op === 'remove') next = list.filter(([n]) => !same(n));
    else if (value === undefined) continue;
    else if (op === 'overwrite') next = [...list.filter(([n]) => !same(n)), [name, value]];
    else next = [...list, [name, value]];
    if (where === 'header') headers = next;
    else query = next;
  }
  return { headers, query, path };
}

/**
 * Applies the response mappings of the integration's answer status (`ResponseParameters` keyed by
 * status code): header operations and `overwrite:statuscode`.
 */
export function mapResponse(
  answer: { status: number; headers: [string, string][] },
  responseParameters: Record<string, Record<string, string>> | undefined,
  sources: MappingSources,
): { status: number; headers: [string, string][] } {
  const mappings = responseParameters?.[String(answer.status)];
  if (mappings === undefined) return answer;
  const values = Object.entries(mappings).map(([key, expression]) => [key, evaluate(expression, sources)] as const);
  let headers = [...answer.headers];
  let status = answer.status;
  for (const [key, value] of values) {
    if (key === 'overwrite:statuscode') {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 100 && n <= 599) status = n;
      continue;
    }
    const m = /^(append|overwrite|remove):header\.(.+)$/.exec(key);
    if (!m) continue;
    const [, op, name] = m;
    const lower = name.toLowerCase();
    if (op === 'remove') headers = headers.filter(([n]) => n.toLowerCase() !== lower);
    else if (value === undefined) continue;
    else if (op === 'overwrite') headers = [...headers.filter(([n]) => n.toLowerCase() !== lower), [lower, value]];
    else headers = [...headers, [lower, value]];
  }
  return { status, headers };
}
