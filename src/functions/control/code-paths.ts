import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Where stored code lives, from request data that no path may trust (the region comes from the
 * caller's SigV4 credential scope; names pass their patterns only at the API edge):
 *
 *   <root>/<account>/<region>/<function>/<sha256-hex>[.zip]          function code
 *   <root>/layers/<account>/<region>/<layer>/<sha256-hex>[.zip]     layer content
 *
 * Every folder name is one `segment`: the value itself when it has the form AWS gives it (12
 * digits for an account; lower-case letters, digits and `-` for a region; letters, digits, `-`
 * and `_` for a name), which is what every existing data directory holds, so their paths stay as
 * they were; anything else is escaped. An escaped segment starts with `%`, which no plain one
 * holds, so two values never share a folder; it has no `.` or `/`, so it never leaves its parent;
 * and it is short, so no value is too long for the file system. The account segment is 12 digits
 * or starts with `%`: never `layers`, so no function folder can be the layers folder.
 */

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Function names are at most 64 characters, layer names 140 (API reference patterns). */
const NAME = /^[A-Za-z0-9_-]{1,140}$/;
/** Escaped values up to this many bytes are spelled out in hex; longer ones are hashed. */
const MAX_SPELLED_BYTES = 60;

/** `value` as one folder name (see above): itself when it matches `plain`, else escaped. */
export function segment(value: string, plain: RegExp): string {
  if (plain.test(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  return bytes.length <= MAX_SPELLED_BYTES ? `%${bytes.toString('hex')}` : `%~${createHash('sha256').update(bytes).digest('hex')}`;
}

export const accountSegment = (accountId: string): string => segment(accountId, ACCOUNT);
export const regionSegment = (region: string): string => segment(region, REGION);
export const nameSegment = (name: string): string => segment(name, NAME);

const ESCAPED = /^%(?:~[0-9a-f]{64}|(?:[0-9a-f]{2})+)$/;
/** Folder names `segment` may have given an account, a region, a name. */
export const isAccountSegment = (name: string): boolean => ACCOUNT.test(name) || ESCAPED.test(name);
export const isRegionSegment = (name: string): boolean => REGION.test(name) || ESCAPED.test(name);
export const isNameSegment = (name: string): boolean => NAME.test(name) || ESCAPED.test(name);

/** A stored version's folder and .zip are named by the hex SHA-256 of the .zip. */
export const DIGEST_NAME = /^[0-9a-f]{64}$/;

export function functionFolder(root: string, accountId: string, region: string, name: string): string {
  return join(root, accountSegment(accountId), regionSegment(region), nameSegment(name));
}

export function layersRoot(root: string): string {
  return join(root, 'layers');
}

export function layerFolder(root: string, accountId: string, region: string, name: string): string {
  return join(layersRoot(root), accountSegment(accountId), regionSegment(region), nameSegment(name));
}

/** True when `path` is strictly inside `folder` (both resolved; no symbolic links are followed). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Throws unless `path` is strictly inside `folder`: the last check before anything is written or removed. */
export function assertInside(folder: string, path: string): void {
  if (!isInside(folder, path)) throw new Error(`refusing to touch ${path}: it is not inside ${folder}`);
}
