/**
 * HTTP API route keys ("Working with routes for HTTP APIs"): `$default`, or a method and a path —
 * `GET /pets`, `ANY /pets/{id}`, `POST /{proxy+}`. Methods are GET, POST, PUT, PATCH, DELETE,
 * HEAD, OPTIONS and ANY; a path variable fills a whole segment, and a greedy one (`{name+}`) only
 * the last.
 */
export const ROUTE_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export type PathSegment = { kind: 'literal'; text: string } | { kind: 'variable'; name: string } | { kind: 'greedy'; name: string };

export interface ParsedRouteKey {
  method: string;
  /** `/` is no segments. */
  segments: PathSegment[];
}

const VARIABLE = /^\{([A-Za-z0-9._-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9._-]+)\+\}$/;

/** The route key's method and path, or a reason it is not one (undefined for `$default`). */
export function parseRouteKey(key: string): ParsedRouteKey | string | undefined {
  if (key === '$default') return undefined;
  const space = key.indexOf(' ');
  if (space < 0) return `Route key must be $default or an HTTP method and a path: ${key}`;
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) return `Invalid HTTP method ${method} in route key ${key}`;
  if (!path.startsWith('/')) return `The path of a route key must start with /: ${key}`;
  if (path === '/') return { method, segments: [] };
  const parts = path.slice(1).split('/');
  const segments: PathSegment[] = [];
  const names = new Set<string>();
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i];
    if (part === '') return `A route key's path cannot have empty segments: ${key}`;
    const variable = VARIABLE.exec(part);
    const greedy = GREEDY.exec(part);
    if (greedy) {
      if (i !== parts.length - 1) return `A greedy path variable must be the last segment of the path: ${key}`;
      segments.push({ kind: 'greedy', name: greedy[1] });
      continue;
    }
    if (variable) {
      if (names.has(variable[1])) return `A path variable can appear only once in a route key: ${key}`;
      names.add(variable[1]);
      segments.push({ kind: 'variable', name: variable[1] });
      continue;
    }
    if (/[{}\s]/.test(part)) return `Invalid path segment ${part} in route key ${key}`;
    segments.push({ kind: 'literal', text: part });
  }
  return { method, segments };
}

/**
 * Two paths whose variables sit at the same level under the same parents but have different
 * names (AWS answers ConflictException: `The provided route key "GET /a/{x}" has a conflicting
 * variable on the same hierarchical level as "GET /a/{y}"`): a path level has one variable name.
 */
export function conflictingVariable(a: ParsedRouteKey, b: ParsedRouteKey): boolean {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x.kind === 'literal' || y.kind === 'literal') {
      if (x.kind === 'literal' && y.kind === 'literal' && x.text === y.text) continue;
      return false;
    }
    if (x.kind !== y.kind) return false;
    if (x.name !== y.name) return true;
  }
  return false;
}
