import { gatewayErrors } from './errors.js';

/**
 * API Gateway's PatchOperation (https://docs.aws.amazon.com/apigateway/latest/api/API_PatchOperation.html):
 * `op` add | remove | replace | move | copy | test, `path` a JSON Pointer (RFC 6901) into the
 * resource (`~1` escapes `/`, `~0` escapes `~`: `/requestTemplates/application~1json`), `value`
 * always a string, `from` for move and copy. Each resource accepts its own paths and ops; these
 * helpers give the shared parsing and AWS's wording of its refusals.
 */
export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

/** The path's segments, unescaped: `/a/b~1c` → `['a', 'b/c']`; `/` → `['']`. */
export function pointerSegments(path: string): string[] {
  if (!path.startsWith('/')) return [unescapePointer(path)];
  return path.slice(1).split('/').map(unescapePointer);
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Splits `/prefix/rest…` into the first segment and the unescaped remainder (which may hold `/`). */
export function splitFirst(path: string): { head: string; rest: string | undefined } {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const at = trimmed.indexOf('/');
  if (at < 0) return { head: unescapePointer(trimmed), rest: undefined };
  return { head: unescapePointer(trimmed.slice(0, at)), rest: unescapePointer(trimmed.slice(at + 1)) };
}

// ---- AWS's refusals, worded as recorded against AWS (test/conformance/apigateway/errors) ----------

/** "Invalid patch path /x" (and "Invalid patch path null" for an operation without a path). */
export const invalidPatchPath = (path: string | undefined) => gatewayErrors.badRequest(`Invalid patch path ${path ?? 'null'}`);

/** "Invalid patch path  '/x' specified for op 'replace'. Must be one of: [/a, /b]" (two spaces: AWS's). */
export const pathNotOneOf = (path: string, op: string, allowed: readonly string[]) =>
  gatewayErrors.badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Must be one of: [${allowed.join(', ')}]`);

/** "Invalid patch path  '/x' specified for op 'add'. Please choose supported operations" */
export const opNotSupported = (path: string, op: string) =>
  gatewayErrors.badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Please choose supported operations`);

/** "Invalid patch operation specified. Must be one of: [replace]" */
export const opNotOneOf = (allowed: readonly string[]) => gatewayErrors.badRequest(`Invalid patch operation specified. Must be one of: [${allowed.join(', ')}]`);

/** The value of an operation that needs one. */
export function requiredValue(op: PatchOperation, what?: string): string {
  if (op.value === undefined || op.value === null) throw gatewayErrors.badRequest(what ?? `Invalid null or empty value in ${op.path ?? 'patch'}`);
  return op.value;
}

/** A boolean patch value: API Gateway reads Java's Boolean.parseBoolean (anything but "true" is false). */
export function patchBoolean(op: PatchOperation): boolean {
  return String(op.value ?? '').toLowerCase() === 'true';
}

/** An integer patch value, refused in AWS's words when it is not one. */
export function patchInteger(op: PatchOperation, name: string): number {
  const text = op.value ?? '';
  if (!/^-?\d+$/.test(text.trim())) throw gatewayErrors.badRequest(`Invalid ${name} specified. Expecting an integer value, but found: ${text}`);
  return Number(text.trim());
}

/** A number (double) patch value. */
export function patchNumber(op: PatchOperation, name: string): number {
  const text = (op.value ?? '').trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw gatewayErrors.badRequest(`Invalid ${name} specified. Expecting a number, but found: ${op.value ?? 'null'}`);
  return n;
}

/**
 * Applies an operation to a string map member (`/variables/name`, `/requestTemplates/type`, …):
 * add and replace set, remove deletes. Answers the map (undefined once empty, as AWS drops empty maps
 * from its output where it omits them) — callers decide whether an empty map stays.
 */
export function patchMap(map: Record<string, string> | undefined, op: string, key: string, value: string | undefined): Record<string, string> {
  const out = { ...(map ?? {}) };
  if (op === 'remove') delete out[key];
  else out[key] = value ?? '';
  return out;
}
