import { isUtf8 } from 'node:buffer';
import { commonErrors, type ServiceError } from './errors.js';
import { needsTransform, type Shape } from './shapes.js';
import { setEntry } from './validate.js';

/**
 * AWS JSON 1.0 / 1.1 (and the JSON bodies of REST-JSON): request bodies are JSON objects,
 * timestamps travel as epoch seconds and blobs as base64.
 */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    // Invalid UTF-8 is refused, not silently turned into U+FFFD inside a string.
    if (!isUtf8(body)) throw new Error('invalid UTF-8');
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // AWS answers unparseable JSON with a SerializationException and no further detail.
    throw commonErrors.serialization('Unexpected content in the request body: it is not valid JSON.');
  }
  if (parsed === null) return {};
  if (Array.isArray(parsed)) throw commonErrors.serialization('Start of list found where not expected');
  if (typeof parsed !== 'object') throw commonErrors.serialization('Expected a JSON object as the request body.');
  return parsed as Record<string, unknown>;
}

/** Serializes handler output for the wire, converting dates and blobs where the shape has them. */
export function stringifyJsonOutput(shape: Shape | undefined, value: unknown): string {
  if (value === undefined || value === null) return '{}';
  if (!shape || !needsTransform(shape)) return JSON.stringify(value);
  return JSON.stringify(toJsonWire(shape, value));
}

export function toJsonWire(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.type) {
    case 'timestamp':
      if (shape.format === 'iso8601') return (value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value))).toISOString();
      return value instanceof Date ? value.getTime() / 1000 : typeof value === 'number' ? value : Date.parse(String(value)) / 1000;
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    case 'list':
      return needsTransform(shape.member) && Array.isArray(value) ? value.map((v) => toJsonWire(shape.member, v)) : value;
    case 'map': {
      if (!needsTransform(shape.value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) setEntry(out, k, toJsonWire(shape.value, v));
      return out;
    }
    case 'structure': {
      if (!needsTransform(shape)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [name, member] of Object.entries(shape.members)) {
        if (out[name] !== undefined && needsTransform(member.shape)) out[name] = toJsonWire(member.shape, out[name]);
        if (member.jsonName !== undefined && out[name] !== undefined) {
          out[member.jsonName] = out[name];
          delete out[name];
        }
      }
      return out;
    }
    default:
      return value;
  }
}

export interface JsonErrorOptions {
  errorNamespace?: string;
  queryCompatible?: boolean;
}

/** `{"__type": "...", "message": "..."}` plus the legacy Query code header where the service sends it. */
export function renderJsonError(
  error: ServiceError,
  options: JsonErrorOptions,
): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { ...error.headers };
  if (options.queryCompatible && error.queryCode) headers['x-amzn-query-error'] = `${error.queryCode};${error.fault}`;
  const namespace = error.namespace ?? options.errorNamespace;
  const type = namespace ? `${namespace}#${error.code}` : error.code;
  return { status: error.status, headers, body: JSON.stringify({ __type: type, message: error.message, ...error.fields }) };
}
