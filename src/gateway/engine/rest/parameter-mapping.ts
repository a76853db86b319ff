import type { MultiValues } from './request-parts.js';

/**
 * Parameter mapping expressions of REST APIs (integration request parameters, integration and
 * gateway response parameters): `method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.<name>`,
 * `method.request.body[.<JSON path>]`, `integration.response.{header|multivalueheader}.<name>`,
 * `integration.response.body[.<JSON path>]`, `stageVariables.<name>`, `context.<name>`, `'literal'`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 */
export interface MappingSources {
  method?: { path: Record<string, string>; query: MultiValues; headers: MultiValues; body: string };
  integration?: { headers: MultiValues; body: string };
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
}

/** The value of a source expression: a string, several (multi-value sources), or undefined when absent. */
export function resolveSource(expression: string, sources: MappingSources): string | string[] | undefined {
  const expr = expression.trim();
  if (expr.length >= 2 && expr.startsWith("'") && expr.endsWith("'")) return expr.slice(1, -1);
  if (expr.startsWith('stageVariables.')) return sources.stageVariables[expr.slice('stageVariables.'.length)];
  if (expr.startsWith('context.')) {
    const value = dig(sources.context, expr.slice('context.'.length).split('.'));
    return value === undefined || value === null ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const m = sources.method;
  if (expr.startsWith('method.request.') && m) {
    const rest = expr.slice('method.request.'.length);
    if (rest === 'body') return m.body;
    if (rest.startsWith('body.')) return jsonPathOf(m.body, rest.slice(5));
    const [kind, ...nameParts] = rest.split('.');
    const name = nameParts.join('.');
    switch (kind) {
      case 'path':
        return m.path[name];
      case 'querystring':
        return m.query.single[name];
      case 'multivaluequerystring':
        return m.query.multi[name];
      case 'header':
        return byName(m.headers.single, name);
      case 'multivalueheader':
        return byName(m.headers.multi, name);
      default:
        return undefined;
    }
  }
  const i = sources.integration;
  if (expr.startsWith('integration.response.') && i) {
    const rest = expr.slice('integration.response.'.length);
    if (rest === 'body') return i.body;
    if (rest.startsWith('body.')) return jsonPathOf(i.body, rest.slice(5));
    if (rest.startsWith('header.')) return byName(i.headers.single, rest.slice(7));
    if (rest.startsWith('multivalueheader.')) return byName(i.headers.multi, rest.slice(17));
  }
  return undefined;
}

/** A resolved value as one header or parameter value (multi values joined with commas, as AWS sends them). */
export function asSingle(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function byName<T>(map: Record<string, T>, name: string): T | undefined {
  if (name in map) return map[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function dig(value: unknown, path: string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A JSON path of dotted names and indexes (`a.b[0].c`, with or without a leading `$.`) into a JSON body. */
function jsonPathOf(body: string, path: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parts = path
    .replace(/^\$\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '');
  const value = dig(parsed, parts);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
