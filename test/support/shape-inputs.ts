/**
 * Requests generated from the input shapes the services declare: a valid value of a shape, a
 * near-valid one (one or two members pushed just past a limit, of the wrong type, missing when
 * required, or set to an odd string: control characters, `..`, `/`, huge, unicode), and the
 * same value written on each wire protocol the service speaks — AWS JSON, AWS Query (flattened
 * and `member`/`entry` lists and maps), REST-JSON with its URI, query-string and header bindings.
 */
import type { ActionDefinition, ServiceDefinition } from '../../src/protocol/service.js';
import type { ListShape, MapShape, Member, Shape, StringShape, StructureShape } from '../../src/protocol/shapes.js';
import type { Rng } from './rng.js';

/** A string valid requests may carry, and words saying what it is (`queue`, `url`). */
export interface Known {
  value: string;
  tags: string[];
}

/** Strings the generator picks valid values from when a shape's pattern, enum and length allow. */
export interface Pools {
  /** Identifiers of resources that exist (names, URLs, ARNs) and other telling values: valid requests reach real state. */
  known: Known[];
  /** Blobs that are valid as something (a deployment package). */
  blobs: Buffer[];
}

export type Protocol = 'json' | 'query' | 'rest-json';

export interface GeneratedRequest {
  service: string;
  action: string;
  protocol: Protocol;
  /** `valid` or what was done to it. */
  kind: string;
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The plain value the request was written from (for the known-open gates). */
  input: Record<string, unknown>;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const GENERIC = ['a', 'fuzz', 'x-y_z', '1', '10', 'true', '{}', '{"k":1}', '[]', 'default', '$LATEST', 'us-east-1', '000000000000', 'arn:aws:iam::000000000000:role/fuzz'];

/** Odd strings: what careless or hostile callers send. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0001',
  'a\u0001b',
  '\u0000',
  'tab\there',
  'line\nbreak',
  '..',
  '../..',
  '../../etc/passwd',
  '/',
  '//',
  'a/../b',
  '%2e%2e%2f',
  '%00',
  '😀',
  'é',
  '\ud800',
  '\uFFFE',
  '\u2028',
  '<x>&amp;"\'',
  '$LATEST',
  '*',
  'arn:aws:lambda:us-east-1:000000000000:function:..',
  'arn:aws:sqs:us-east-1:000000000000:..',
];

/** A huge string: where it travels in a URL or header it is kept under Node's 16 KB header limit. */
const huge = (inBody: boolean): string => 'h'.repeat(inBody ? 300_000 : 2_500);

interface Generator {
  rng: Rng;
  pools: Pools;
}

function chars(s: string): number {
  return [...s].length;
}

function fitsString(shape: StringShape, value: string): boolean {
  if (shape.enum && !shape.enum.includes(value)) return false;
  if (shape.min !== undefined && chars(value) < shape.min) return false;
  if (shape.max !== undefined && chars(value) > shape.max) return false;
  return !shape.regex || shape.regex.test(value);
}

/** The words of a member name: `logGroupName` → log, group, name; `QueueUrls` → queue, urls, url. */
function words(name: string): string[] {
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return [...parts, ...parts.filter((p) => p.endsWith('s')).map((p) => p.slice(0, -1))];
}

/** The candidates sharing the most words with the member's name (a `QueueUrl` gets the queue's URL first). */
function byName(name: string, candidates: Known[]): Known[] {
  const wanted = new Set(words(name));
  let best: Known[] = [];
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = candidate.tags.filter((tag) => wanted.has(tag)).length;
    if (score > bestScore) [best, bestScore] = [[candidate], score];
    else if (score === bestScore && score > 0) best.push(candidate);
  }
  // A member no known value names gets a plain value: resource identifiers there only fail requests.
  return bestScore > 0 ? best : candidates.filter((c) => c.tags.length === 0);
}

function validString(g: Generator, shape: StringShape, name: string): string {
  if (shape.enum && shape.enum.length > 0) return g.rng.pick(shape.enum);
  const fitting = [...g.pools.known, ...GENERIC.map((value) => ({ value, tags: [] }))].filter((c) => fitsString(shape, c.value));
  const candidates = (g.rng.chance(0.85) ? byName(name, fitting) : fitting).map((c) => c.value);
  if (candidates.length > 0 && g.rng.chance(0.9)) return g.rng.pick(candidates);
  const min = Math.max(shape.min ?? 1, 1);
  const max = Math.min(shape.max ?? 24, Math.max(min, 24));
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = `${g.rng.pick(['fz', 'Fuzz', 'x'])}${g.rng.string(g.rng.between(0, 10), ALNUM)}`.slice(0, max).padEnd(min, 'a');
    if (fitsString(shape, text)) return text;
  }
  return candidates.length > 0 ? g.rng.pick(candidates) : 'a'.repeat(min);
}

/** A valid integer, small where the member would otherwise make the server wait (a long poll). */
function validNumber(g: Generator, shape: Shape & { min?: number; max?: number }, name: string): number {
  const integer = shape.type === 'integer' || shape.type === 'long';
  let min = shape.min ?? 0;
  let max = shape.max ?? (integer ? 100 : 1);
  // Long polls are measured by their own tests; here they would only add wall time.
  if (name === 'WaitTimeSeconds') max = Math.min(max, 1);
  if (max < min) [min, max] = [max, min];
  const value = g.rng.pick([min, max, min + (max - min) / 2, min + g.rng.float() * (max - min)]);
  return integer ? Math.round(value) : value;
}

/** A valid value of a shape. */
export function validValue(g: Generator, shape: Shape, name: string, depth = 0): unknown {
  switch (shape.type) {
    case 'string':
      return validString(g, shape, name);
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return validNumber(g, shape, name);
    case 'boolean':
      return g.rng.chance(0.5);
    case 'timestamp':
      return new Date(Date.now() - g.rng.int(3_600_000));
    case 'blob': {
      const fitting = g.pools.blobs.filter((b) => b.length >= (shape.min ?? 0) && b.length <= (shape.max ?? Infinity));
      if (fitting.length > 0 && g.rng.chance(0.7)) return g.rng.pick(fitting);
      return Buffer.from(g.rng.pick(['{}', '{"fuzz":true}', 'plain']));
    }
    case 'document':
      return g.rng.pick([{}, { source: 'fuzz' }, [1, 'a'], 'text', 3]);
    case 'list': {
      if (depth > 4) return [];
      const n = g.rng.between(shape.min ?? 0, Math.min(shape.max ?? 3, Math.max(shape.min ?? 0, 3)));
      return Array.from({ length: n }, () => validValue(g, shape.member, name, depth + 1));
    }
    case 'map': {
      if (depth > 4) return {};
      const n = g.rng.between(shape.min ?? 0, Math.min(shape.max ?? 3, Math.max(shape.min ?? 0, 3)));
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[validString(g, shape.key, `${name}Key`)] = validValue(g, shape.value, name, depth + 1);
      return out;
    }
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > 6) return out;
      for (const [member, spec] of Object.entries(shape.members)) {
        if (spec.required || g.rng.chance(0.3)) out[member] = validValue(g, spec.shape, member, depth + 1);
      }
      return out;
    }
  }
}

/** Where in a value a mutation lands: the path of members and items, and the shape found there. */
interface Site {
  path: (string | number)[];
  shape: Shape;
  name: string;
  member?: Member;
  parent?: StructureShape;
}

function sites(shape: Shape, value: unknown, name: string, path: (string | number)[] = [], out: Site[] = []): Site[] {
  if (shape.type === 'structure') {
    for (const [member, spec] of Object.entries(shape.members)) {
      out.push({ path: [...path, member], shape: spec.shape, name: member, member: spec, parent: shape });
      const child = (value as Record<string, unknown> | undefined)?.[member];
      if (child !== undefined && typeof child === 'object' && child !== null && !(child instanceof Date) && !Buffer.isBuffer(child)) sites(spec.shape, child, member, [...path, member], out);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ path: [...path, i], shape: shape.member, name });
      if (typeof item === 'object' && item !== null) sites(shape.member, item, name, [...path, i], out);
    });
  } else if (shape.type === 'map' && value && typeof value === 'object') {
    for (const key of Object.keys(value)) out.push({ path: [...path, key], shape: shape.value, name });
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown, remove = false): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    if (typeof next !== 'object' || next === null) {
      const fresh: Record<string, unknown> = typeof path[i + 1] === 'number' ? ([] as unknown as Record<string, unknown>) : {};
      node[path[i]] = fresh;
      node = fresh;
    } else node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
}

/** A value of the wrong type for a shape. */
function wrongType(g: Generator, shape: Shape): unknown {
  switch (shape.type) {
    case 'string':
      return g.rng.pick([7, true, { a: 1 }, ['x'], null]);
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return g.rng.pick(['seven', '1e400', true, { n: 1 }, [1], 1.5, '']);
    case 'boolean':
      return g.rng.pick(['yes', 1, {}, 'TRUE']);
    case 'timestamp':
      return g.rng.pick(['yesterday', 1e300, {}, '2026-13-45T00:00:00Z', -1e20]);
    case 'blob':
      return g.rng.pick(['not base64 !!', 12, { b: 1 }]);
    case 'list':
      return g.rng.pick(['item', 3, { a: 1 }]);
    case 'map':
      return g.rng.pick(['entry', [1, 2], 5]);
    case 'structure':
      return g.rng.pick(['struct', 9, [{}]]);
    case 'document':
      return undefined;
  }
}

/** A value just past a limit of a shape, or an odd string. */
function pastLimit(g: Generator, shape: Shape, inBody: boolean): unknown {
  switch (shape.type) {
    case 'string': {
      const options: (() => string)[] = [() => g.rng.pick(ODD_STRINGS), () => huge(inBody)];
      if (shape.min !== undefined && shape.min > 0) options.push(() => 'a'.repeat(shape.min! - 1));
      if (shape.max !== undefined) options.push(() => 'a'.repeat(Math.min(shape.max! + 1, inBody ? 300_000 : 2_500)));
      if (shape.enum) options.push(() => `${g.rng.pick(shape.enum!)}x`, () => g.rng.pick(shape.enum!).toLowerCase());
      return g.rng.pick(options)();
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const options = [-1, 0, 2 ** 31, 2 ** 53 + 1, -(2 ** 63)];
      if (shape.min !== undefined) options.push(shape.min - 1);
      if (shape.max !== undefined) options.push(shape.max + 1);
      return g.rng.pick(options);
    }
    case 'blob':
      return g.rng.pick([Buffer.alloc(0), g.rng.bytes(g.rng.between(1, 64)), Buffer.alloc(Math.min((shape.max ?? 70_000) + 1, 2_000_000), 1)]);
    case 'list':
    case 'map': {
      const n = g.rng.pick([0, Math.max((shape.min ?? 1) - 1, 0), (shape.max ?? 100) + 1, 1000]);
      const element = shape.type === 'list' ? shape.member : shape.value;
      const items = Array.from({ length: Math.min(n, 1001) }, () => validValue(g, element, 'item', 5));
      if (shape.type === 'list') return items;
      return Object.fromEntries(items.map((v, i) => [`k${i}`, v]));
    }
    case 'timestamp':
      return g.rng.pick([new Date(0), new Date(8.64e15), new Date(-8.64e15)]);
    default:
      return wrongType(g, shape);
  }
}

/** One or two mutations of a valid value: what they were, for the report. */
function mutate(g: Generator, shape: StructureShape, value: Record<string, unknown>, inBody: (site: Site) => boolean): string {
  const done: string[] = [];
  for (let n = g.rng.between(1, 2); n > 0; n--) {
    const all = sites(shape, value, '');
    if (all.length === 0) break;
    const site = g.rng.pick(all);
    const what = g.rng.weighted<string>([
      [site.member?.required ? 3 : 0, 'missing'],
      [4, 'limit'],
      [2, 'type'],
      [2, 'odd'],
    ]);
    const label = site.path.join('.');
    switch (what) {
      case 'missing':
        setAt(value, site.path, undefined, true);
        break;
      case 'limit':
        setAt(value, site.path, pastLimit(g, site.shape, inBody(site)));
        break;
      case 'type':
        setAt(value, site.path, wrongType(g, site.shape));
        break;
      case 'odd':
        setAt(value, site.path, g.rng.chance(0.8) ? g.rng.pick(ODD_STRINGS) : huge(inBody(site)));
        break;
    }
    done.push(`${what}:${label}`);
  }
  return done.join(',') || 'valid';
}

// ---- wire encodings ---------------------------------------------------------------------------------

/** JSON wire values: timestamps as epoch seconds, blobs as base64. */
export function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/** JSON wire values of a shape: as toJson, with members under their JSON names (apigatewayv2's camelCase). */
export function toJsonOf(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value) || value instanceof Date) return toJson(value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const member = shape.members[k];
        out[member?.jsonName ?? k] = member ? toJsonOf(member.shape, v) : toJson(v);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => toJsonOf((shape as ListShape).member, v)) : toJson(value);
    case 'map':
      return value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonOf((shape as MapShape).value, v)]))
        : toJson(value);
    default:
      return toJson(value);
  }
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Percent-encodes text; a lone surrogate becomes its (invalid) UTF-8 bytes, for the server to refuse. */
export function pct(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let out = '';
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      out += ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase() : encodeURIComponent(ch);
    }
    return out;
  }
}

/** AWS Query parameters for a value of a shape, named as the shape names them on the wire. */
function queryParams(shape: Shape, value: unknown, prefix: string, out: [string, string][]): void {
  if (value === undefined || value === null) return;
  switch (shape.type) {
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) return void out.push([prefix, scalarText(value)]);
      for (const [name, member] of Object.entries(shape.members)) {
        const v = (value as Record<string, unknown>)[name];
        const wire = member.wireName ?? name;
        queryParams(member.shape, v, prefix ? `${prefix}.${wire}` : wire, out);
      }
      return;
    case 'list': {
      const list = shape as ListShape;
      if (!Array.isArray(value)) return void out.push([prefix, scalarText(value)]);
      if (value.length === 0) return void out.push([prefix, '']);
      value.forEach((item, i) => queryParams(list.member, item, list.flattened ? `${prefix}.${i + 1}` : `${prefix}.${list.memberName ?? 'member'}.${i + 1}`, out));
      return;
    }
    case 'map': {
      const map = shape as MapShape;
      if (typeof value !== 'object' || Array.isArray(value)) return void out.push([prefix, scalarText(value)]);
      Object.entries(value as Record<string, unknown>).forEach(([k, v], i) => {
        const entry = map.flattened ? `${prefix}.${i + 1}` : `${prefix}.entry.${i + 1}`;
        out.push([`${entry}.${map.keyName ?? 'key'}`, k]);
        queryParams(map.value, v, `${entry}.${map.valueName ?? 'value'}`, out);
      });
      return;
    }
    default:
      out.push([prefix, scalarText(value)]);
  }
}

/**
 * Header values a client can send: anything else is replaced (the client, not the server, would
 * refuse it). Request heads stay within Node's 16 KB limit too: one over it is refused by
 * node:http before any request exists (a plain 400, which the raw-garbage test of fuzz.test.ts
 * covers), so no protocol could be answered in.
 */
const sendable = (text: string): string => (/^[\t\x20-\x7e]*$/.test(text) && text.length < 3_000 ? text : 'odd%01value');
const MAX_QUERY_LENGTH = 6_000;

function restRequest(action: ActionDefinition, value: Record<string, unknown>): { method: string; url: string; headers: Record<string, string>; body: Buffer } {
  const binding = action.http as NonNullable<ActionDefinition['http']>;
  const [pathTemplate, literal] = binding.path.split('?');
  const members = action.input?.members ?? {};
  const query: string[] = literal ? [literal] : [];
  const headers: Record<string, string> = {};
  const bodyMembers: Record<string, unknown> = {};
  let payload: Buffer | undefined;
  for (const [name, member] of Object.entries(members)) {
    const v = value[name];
    if (v === undefined) continue;
    const wire = member.wireName ?? name;
    switch (member.location) {
      case 'uri':
        break;
      case 'querystring':
        for (const item of Array.isArray(v) ? v : [v]) {
          const pair = `${pct(wire)}=${pct(scalarText(item))}`;
          if (query.join('&').length + pair.length < MAX_QUERY_LENGTH) query.push(pair);
        }
        break;
      case 'header':
        headers[wire] = sendable(Array.isArray(v) ? v.map(scalarText).join(',') : scalarText(v));
        break;
      case 'headers':
        if (v && typeof v === 'object') for (const [k, hv] of Object.entries(v)) headers[`${wire}${sendable(k).replace(/[^A-Za-z0-9-]/g, '')}`] = sendable(scalarText(hv));
        break;
      case 'payload':
        payload = Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(toJson(v)));
        break;
      default:
        bodyMembers[member.jsonName ?? name] = toJsonOf(member.shape, v);
    }
  }
  const path = pathTemplate.replace(/\{([^}+]+)(\+)?\}/g, (_, label: string, greedy?: string) => {
    const entry = Object.entries(members).find(([name, m]) => m.location === 'uri' && (m.wireName ?? name) === label);
    const v = entry ? value[entry[0]] : undefined;
    const text = v === undefined ? '' : scalarText(v).slice(0, 3_000);
    return greedy ? text.split('/').map(pct).join('/') : pct(text);
  });
  const body = payload ?? (Object.keys(bodyMembers).length > 0 ? Buffer.from(JSON.stringify(bodyMembers)) : Buffer.alloc(0));
  if (body.length > 0 && !payload) headers['Content-Type'] = 'application/json';
  return { method: binding.method.toUpperCase(), url: `${path}${query.length ? `?${query.join('&')}` : ''}`, headers, body };
}

/** The protocols a service speaks that the generator writes. */
export function protocolsOf(service: ServiceDefinition): Protocol[] {
  const out: Protocol[] = [];
  if (service.json) out.push('json');
  if (service.query) out.push('query');
  if (service.restJson) out.push('rest-json');
  return out;
}

/** One request for an action over a protocol: valid about a third of the time, near-valid otherwise. */
export function generate(rng: Rng, pools: Pools, service: ServiceDefinition, action: ActionDefinition, protocol: Protocol): GeneratedRequest {
  const g: Generator = { rng, pools };
  const shape = action.input ?? { type: 'structure', members: {} };
  const value = validValue(g, shape, action.name) as Record<string, unknown>;
  const isBody = (site: Site): boolean => protocol !== 'rest-json' || !site.member?.location || site.member.location === 'payload' || site.path.length > 1;
  const kind = rng.chance(0.5) ? 'valid' : mutate(g, shape, value, isBody);
  const base = { service: service.signingName, action: action.name, protocol, kind, input: value };
  switch (protocol) {
    case 'json': {
      const json = service.json as NonNullable<ServiceDefinition['json']>;
      return {
        ...base,
        method: 'POST',
        url: '/',
        headers: { 'X-Amz-Target': `${json.targetPrefix}.${action.name}`, 'Content-Type': `application/x-amz-json-${json.version}` },
        body: Buffer.from(JSON.stringify(toJson(value))),
      };
    }
    case 'query': {
      const params: [string, string][] = [['Action', action.name], ['Version', (service.query as NonNullable<ServiceDefinition['query']>).version]];
      queryParams(shape, value, '', params);
      return {
        ...base,
        method: 'POST',
        url: '/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(params.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')),
      };
    }
    case 'rest-json':
      return { ...base, ...restRequest(action, value) };
  }
}
