import { parseJsonBody, toJsonWire } from './json.js';
import { commonErrors, type ServiceError } from './errors.js';
import { statusHasNoBody } from './http-status.js';
import type { ActionDefinition, ServiceDefinition } from './service.js';
import { needsTransform, type Member, type StructureShape } from './shapes.js';
import { validateStructure, type ValidationIssue } from './validate.js';

/**
 * REST-JSON (Lambda, API Gateway management): the operation is chosen by method and path
 * template; members bind to URI labels, query parameters, headers or the body.
 */
type Segment = { literal: string } | { label: string; greedy: boolean };

export interface RestRoute {
  service: ServiceDefinition;
  action: ActionDefinition;
  method: string;
  segments: Segment[];
  /** `?mode=import` style literals the query string must carry. */
  queryLiterals: [string, string | undefined][];
  /** Input members split by where they travel, computed once. */
  bound: StructureShape;
  body: StructureShape;
  payload?: [string, Member];
}

export interface RouteMatch {
  route: RestRoute;
  labels: Record<string, string>;
}

export function compileRoute(service: ServiceDefinition, action: ActionDefinition): RestRoute {
  if (!action.http) throw new Error(`${service.signingName}.${action.name} has no http binding`);
  const [pathPart, queryPart] = action.http.path.split('?');
  const segments: Segment[] = pathPart
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
    });
  const queryLiterals: [string, string | undefined][] = queryPart
    ? queryPart.split('&').map((p) => {
        const [k, v] = p.split('=');
        return [k, v];
      })
    : [];
  const bound: Record<string, Member> = {};
  const body: Record<string, Member> = {};
  let payload: [string, Member] | undefined;
  for (const [name, member] of Object.entries(action.input?.members ?? {})) {
    if (member.location === 'payload') payload = [name, member];
    else if (member.location) bound[name] = member;
    else body[name] = member;
  }
  return {
    service,
    action,
    method: action.http.method.toUpperCase(),
    segments,
    queryLiterals,
    bound: { type: 'structure', members: bound },
    body: { type: 'structure', members: body },
    payload,
  };
}

/** Routes ordered so that literal segments win over labels (`/functions/{name}/policy` before `/functions/{name}/{x}`). */
export class RestRouter {
  private readonly routes: RestRoute[] = [];
  /** The literal first path segments of the routes (`2015-03-31`): what names a REST service in a path. */
  private readonly firstSegments = new Set<string>();

  add(route: RestRoute): void {
    this.routes.push(route);
    this.routes.sort((a, b) => specificity(b) - specificity(a));
    const first = route.segments[0];
    if (first !== undefined && 'literal' in first) this.firstSegments.add(first.literal);
  }

  /** True when the path's first segment is one some route begins with (`/2015-03-31/…` is Lambda's, whatever the request's content type). */
  namesService(pathname: string): boolean {
    if (this.firstSegments.size === 0 || pathname.charCodeAt(0) !== 47 /* / */) return false;
    const end = pathname.indexOf('/', 1);
    return this.firstSegments.has(end < 0 ? pathname.slice(1) : pathname.slice(1, end));
  }

  get size(): number {
    return this.routes.length;
  }

  match(method: string, pathname: string, query: URLSearchParams, services?: Set<ServiceDefinition>): RouteMatch | undefined {
    const parts = pathname.split('/').filter((s) => s.length > 0);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      if (services && !services.has(route.service)) continue;
      const labels = matchSegments(route.segments, parts);
      if (!labels) continue;
      if (!route.queryLiterals.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v))) continue;
      return { route, labels };
    }
    return undefined;
  }

  /** True when some route has this path but not this method (for 405-style answers). */
  hasPath(pathname: string): boolean {
    const parts = pathname.split('/').filter((s) => s.length > 0);
    return this.routes.some((r) => matchSegments(r.segments, parts) !== undefined);
  }
}

function specificity(route: RestRoute): number {
  const literals = route.segments.filter((s) => 'literal' in s).length;
  const greedy = route.segments.some((s) => 'greedy' in s && s.greedy) ? 0 : 1;
  return literals * 100 + route.segments.length * 2 + greedy + route.queryLiterals.length;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if ('literal' in segment) {
      if (parts[i] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      if (i >= parts.length) return undefined;
      const rest = parts.slice(i).map(decodeLabel);
      if (rest.includes(undefined as unknown as string)) return undefined;
      labels[segment.label] = rest.join('/');
      return labels;
    }
    if (i >= parts.length) return undefined;
    const decoded = decodeLabel(parts[i]);
    if (decoded === undefined) return undefined;
    labels[segment.label] = decoded;
  }
  return parts.length === segments.length ? labels : undefined;
}

function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined as unknown as string;
  }
}

/** Gathers a REST request's input from labels, query, headers and body, and validates it. */
export function decodeRestInput(
  match: RouteMatch,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): { value: Record<string, unknown>; issues: ValidationIssue[] } {
  const { route, labels } = match;
  const raw: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(route.bound.members)) {
    const wire = member.wireName ?? name;
    switch (member.location) {
      case 'uri':
        if (labels[wire] !== undefined) raw[name] = labels[wire];
        break;
      case 'querystring': {
        if (member.shape.type === 'map') {
          // A map bound to the query string takes every parameter no other member or route
          // literal names (API Gateway's ImportRestApi `parameters`: `?basepath=prepend&…`).
          const named = new Set(route.queryLiterals.map(([k]) => k));
          for (const other of Object.entries(route.bound.members)) if (other[1].location === 'querystring' && other[1] !== member) named.add(other[1].wireName ?? other[0]);
          const map: Record<string, string> = {};
          for (const [k, v] of query) if (!named.has(k)) map[k] = v;
          if (Object.keys(map).length > 0) raw[name] = map;
          break;
        }
        const values = query.getAll(wire);
        if (values.length > 0) raw[name] = member.shape.type === 'list' ? values : values[values.length - 1];
        break;
      }
      case 'header': {
        const value = headers[wire.toLowerCase()];
        if (value !== undefined) {
          const text = Array.isArray(value) ? value.join(',') : value;
          raw[name] = member.shape.type === 'list' ? text.split(',').map((s) => s.trim()) : text;
        }
        break;
      }
      case 'headers': {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [h, v] of Object.entries(headers)) {
          if (h.startsWith(prefix) && v !== undefined) map[h.slice(prefix.length)] = Array.isArray(v) ? v.join(',') : v;
        }
        if (Object.keys(map).length > 0) raw[name] = map;
        break;
      }
    }
  }
  const bound = validateStructure(route.bound, raw, 'text');
  let bodyValue: Record<string, unknown> = {};
  const issues = bound.issues;
  if (route.payload) {
    const [name, member] = route.payload;
    if (body.length > 0) {
      if (member.shape.type === 'blob') bodyValue = { [name]: body };
      else if (member.shape.type === 'string') bodyValue = { [name]: body.toString('utf8') };
      else {
        const parsed = validateStructure({ type: 'structure', members: { [name]: member } }, { [name]: parseJsonBody(body) }, 'json');
        bodyValue = parsed.value;
        issues.push(...parsed.issues);
      }
    } else if (member.required) {
      const checked = validateStructure({ type: 'structure', members: { [name]: member } }, {}, 'json');
      issues.push(...checked.issues);
    }
  } else if (Object.keys(route.body.members).length > 0) {
    const parsed = validateStructure(route.body, parseJsonBody(body), 'json');
    bodyValue = parsed.value;
    issues.push(...parsed.issues);
  }
  return { value: { ...bound.value, ...bodyValue }, issues };
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Spreads handler output over status, headers and body as the output shape binds it. */
export function renderRestOutput(action: ActionDefinition, output: unknown): RestResponse {
  const status = action.http?.successCode ?? 200;
  const headers: Record<string, string> = {};
  const shape = action.output;
  const value = (output ?? {}) as Record<string, unknown>;
  if (!shape) return statusHasNoBody(status) ? { status, headers, body: '' } : { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
  const bodyMembers: Record<string, unknown> = {};
  let result: RestResponse | undefined;
  let code = status;
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const wire = member.wireName ?? name;
    switch (member.location) {
      case 'header':
        headers[wire] = v instanceof Date ? v.toUTCString() : String(v);
        break;
      case 'headers':
        for (const [k, hv] of Object.entries(v as Record<string, unknown>)) headers[`${wire}${k}`] = String(hv);
        break;
      case 'statusCode':
        code = Number(v);
        break;
      case 'payload':
        if (v instanceof Uint8Array) result = { status, headers: {}, body: Buffer.from(v) };
        else if (typeof v === 'string') result = { status, headers: {}, body: v };
        else result = { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(toJsonWire(member.shape, v)) };
        break;
      default:
        bodyMembers[member.jsonName ?? name] = needsTransform(member.shape) ? toJsonWire(member.shape, v) : v;
    }
  }
  // A 204 has no body (RFC 9110, 15.3.5): whatever the output holds besides its headers is dropped
  // (Lambda's DryRun Invoke and the DELETE actions answer 204 with nothing after the headers).
  if (statusHasNoBody(code)) return { status: code, headers, body: '' };
  if (result) return { status: code, headers: { ...result.headers, ...headers }, body: result.body };
  return { status: code, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(bodyMembers) };
}

/** `x-amzn-ErrorType` names the error; the body carries `Type` and the message (Lambda's shape). */
export function renderRestError(error: ServiceError): RestResponse {
  return {
    status: error.status,
    headers: { 'x-amzn-ErrorType': error.code, 'content-type': 'application/json', ...error.headers },
    body: JSON.stringify({ Type: error.fault === 'Sender' ? 'User' : 'Service', message: error.message, Message: error.message, ...error.fields }),
  };
}

export const restErrors = {
  noRoute: () => commonErrors.unknownOperation('rest-json'),
};
