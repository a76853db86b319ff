import { readPath, stringify } from './selection.js';

/**
 * An integration's RequestParameters on a WebSocket route ([D] API Gateway Developer Guide, "Set
 * up WebSocket API integration requests" and "Mapping WebSocket API request parameters"): keys
 * `integration.request.header.<name>` and `integration.request.querystring.<name>`; values a
 * static `'text'`, `route.request.header.<name>` and `route.request.querystring.<name>` (the
 * handshake's, on `$connect`), `route.request.body.<JSONPath>` (a message's), `context.<name>`
 * (`context.connectionId` is how an HTTP backend learns whom to answer), `stageVariables.<name>`.
 * A source without a value leaves its key out. Pure.
 */
export interface ParameterSources {
  headers: Record<string, string>;
  querystring: Record<string, string>;
  body: string | undefined;
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface MappedParameters {
  headers: Record<string, string>;
  querystring: Record<string, string>;
}

function lookup(map: Record<string, string>, name: string): string | undefined {
  if (map[name] !== undefined) return map[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function sourceValue(expression: string, sources: ParameterSources): string | undefined {
  if (expression.length >= 2 && expression.startsWith("'") && expression.endsWith("'")) return expression.slice(1, -1);
  if (expression.startsWith('route.request.header.')) return lookup(sources.headers, expression.slice('route.request.header.'.length));
  if (expression.startsWith('route.request.querystring.')) return sources.querystring[expression.slice('route.request.querystring.'.length)];
  if (expression.startsWith('route.request.body')) {
    if (sources.body === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(sources.body);
    } catch {
      return undefined;
    }
    const found = readPath(parsed, expression.slice('route.request.body'.length));
    return found === undefined ? undefined : stringify(found);
  }
  if (expression.startsWith('context.')) {
    const found = readPath(sources.context, expression.slice('context'.length));
    return found === undefined || found === null ? undefined : stringify(found);
  }
  if (expression.startsWith('stageVariables.')) return sources.stageVariables[expression.slice('stageVariables.'.length)];
  return undefined;
}

export function mapRequestParameters(mapping: Record<string, string> | undefined, sources: ParameterSources): MappedParameters {
  const out: MappedParameters = { headers: {}, querystring: {} };
  for (const [key, expression] of Object.entries(mapping ?? {})) {
    const value = sourceValue(expression, sources);
    if (value === undefined) continue;
    if (key.startsWith('integration.request.header.')) out.headers[key.slice('integration.request.header.'.length)] = value;
    else if (key.startsWith('integration.request.querystring.')) out.querystring[key.slice('integration.request.querystring.'.length)] = value;
  }
  return out;
}
