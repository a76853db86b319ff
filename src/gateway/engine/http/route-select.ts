import { parseRouteKey, type ParsedRouteKey } from './route-keys.js';

export interface RouteChoice<R> {
  route: R;
  /** Decoded path variables (a greedy one under its name without `+`). */
  pathParameters: Record<string, string>;
}

interface Compiled<R> {
  route: R;
  parsed: ParsedRouteKey;
}

/**
 * Chooses the route of an HTTP API request ("Working with routes for HTTP APIs", "Routing API
 * requests"): the most specific match wins — at the first segment where two matching routes
 * differ, a literal beats a path variable, which beats a greedy variable; then a route of the
 * request's method beats `ANY`; a request no route matches goes to `$default` if there is one.
 * Paths are case-sensitive. A greedy variable takes one segment or more.
 */
export class RouteTable<R extends { RouteKey: string }> {
  private readonly compiled: Compiled<R>[] = [];
  private readonly fallback: R | undefined;

  constructor(routes: Iterable<R>) {
    let fallback: R | undefined;
    for (const route of routes) {
      if (route.RouteKey === '$default') {
        fallback = route;
        continue;
      }
      const parsed = parseRouteKey(route.RouteKey);
      if (parsed !== undefined && typeof parsed !== 'string') this.compiled.push({ route, parsed });
    }
    this.fallback = fallback;
  }

  select(method: string, rawPath: string): RouteChoice<R> | undefined {
    const segments = splitPath(rawPath);
    let best: { choice: RouteChoice<R>; rank: number[]; specific: boolean } | undefined;
    for (const { route, parsed } of this.compiled) {
      const specific = parsed.method !== 'ANY';
      if (specific && parsed.method !== method) continue;
      const matched = match(parsed, segments);
      if (matched === undefined) continue;
      if (best === undefined || better(matched.rank, specific, best.rank, best.specific)) {
        best = { choice: { route, pathParameters: matched.pathParameters }, rank: matched.rank, specific };
      }
    }
    if (best !== undefined) return best.choice;
    return this.fallback === undefined ? undefined : { route: this.fallback, pathParameters: {} };
  }
}

/** Segments of a request path, still encoded; `/` is none and one trailing slash is ignored. */
function splitPath(rawPath: string): string[] {
  let path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path.endsWith('/')) path = path.slice(0, -1);
  return path === '' ? [] : path.split('/');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Rank per segment: 3 literal, 2 variable, 1 greedy. */
function match(parsed: ParsedRouteKey, segments: string[]): { rank: number[]; pathParameters: Record<string, string> } | undefined {
  const rank: number[] = [];
  const pathParameters: Record<string, string> = {};
  const pattern = parsed.segments;
  for (let i = 0; i < pattern.length; i += 1) {
    const p = pattern[i];
    if (p.kind === 'greedy') {
      if (i >= segments.length) return undefined;
      pathParameters[p.name] = segments.slice(i).map(decode).join('/');
      rank.push(1);
      return { rank, pathParameters };
    }
    if (i >= segments.length) return undefined;
    const value = decode(segments[i]);
    if (p.kind === 'literal') {
      if (p.text !== value) return undefined;
      rank.push(3);
    } else {
      if (value === '') return undefined;
      pathParameters[p.name] = value;
      rank.push(2);
    }
  }
  return pattern.length === segments.length ? { rank, pathParameters } : undefined;
}

function better(rank: number[], specific: boolean, than: number[], thanSpecific: boolean): boolean {
  const n = Math.max(rank.length, than.length);
  for (let i = 0; i < n; i += 1) {
    const a = rank[i] ?? 0;
    const b = than[i] ?? 0;
    if (a !== b) return a > b;
  }
  return specific && !thanSpecific;
}
