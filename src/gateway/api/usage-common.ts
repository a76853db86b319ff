import { randomBytes } from 'node:crypto';
import type { PatchOperation } from './apigateway-shapes.js';
import { gatewayErrors } from '../model/errors.js';
import type { Scope } from '../engine/documents.js';
import type { RequestContext } from '../../protocol/service.js';

export const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An API key value as API Gateway makes them: 40 letters and digits. */
export function generateKeyValue(): string {
  const bytes = randomBytes(40);
  let out = '';
  for (const byte of bytes) out += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return out;
}

/**
 * A page of a list in AWS's way: `limit` items (default 25, at most 500; a limit below 1 is the
 * default) from `position`, an opaque token naming the first item of the page — here that item's
 * id, so a page stays right when items before it are deleted.
 */
export function page<T>(items: T[], idOf: (item: T) => string, limit: number | undefined, position: string | undefined): { items: T[]; position?: string } {
  const size = limit === undefined || limit < 1 ? 25 : Math.min(limit, 500);
  let start = 0;
  if (position !== undefined && position !== '') {
    const id = Buffer.from(position, 'base64url').toString('utf8');
    start = items.findIndex((item) => idOf(item) === id);
    if (start < 0) throw gatewayErrors.badRequest('Invalid position parameter');
  }
  const slice = items.slice(start, start + size);
  const next = items[start + size];
  return next === undefined ? { items: slice } : { items: slice, position: Buffer.from(idOf(next), 'utf8').toString('base64url') };
}

/** The patch operations of an Update… call, each with an op and a path (AWS refuses others). */
export function patchOps(ops: PatchOperation[] | undefined): { op: string; path: string; value?: string; from?: string }[] {
  return (ops ?? []).map((op) => {
    if (op.op === undefined) throw gatewayErrors.badRequest('Invalid patch operation specified. Must be one of: [add, remove, move, test, replace, copy]');
    if (op.path === undefined) throw gatewayErrors.badRequest(`Invalid patch path null specified for op '${op.op}'.`);
    return { op: op.op, path: op.path, value: op.value, from: op.from };
  });
}

/** AWS's words for a patch path an operation does not take. */
export function invalidPatchPath(op: string, path: string, allowed: string[]): Error {
  return gatewayErrors.badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Must be one of: [${allowed.join(', ')}]`);
}

export function parseBoolean(value: string | undefined, what: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw gatewayErrors.badRequest(`Invalid boolean value specified for ${what}: ${String(value)}`);
}

export function parseWhole(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n)) throw gatewayErrors.badRequest(`Invalid ${what} specified: ${String(value)}`);
  return n;
}

export function parseNumber(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n)) throw gatewayErrors.badRequest(`Invalid ${what} specified: ${String(value)}`);
  return n;
}

let lastStamp = 0;
/** A creation time in ms that no other item made by this process shares: lists sort newest first by it. */
export function creationStamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}
