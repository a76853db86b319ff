import { randomBytes } from 'node:crypto';

/**
 * Random bytes for per-request identifiers (trace ids, API Gateway's extended request ids), taken
 * from a pool filled 16 KB at a time: one `randomBytes` call per request costs more than a whole
 * MOCK API request's own work (bench/apis), and these ids need uniqueness, not secrecy beyond what
 * a CSPRNG pool gives anyway.
 */
const POOL_BYTES = 16 * 1024;
let pool = randomBytes(POOL_BYTES);
let at = 0;

function take(n: number): Buffer {
  if (n > POOL_BYTES) return randomBytes(n);
  if (at + n > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    at = 0;
  }
  const bytes = pool.subarray(at, at + n);
  at += n;
  return bytes;
}

/** `n` random bytes as lower-case hex (2n characters). */
export function randomHex(n: number): string {
  return take(n).toString('hex');
}

/** `n` random bytes as base64. */
export function randomBase64(n: number): string {
  return take(n).toString('base64');
}

/** `n` random bytes as base64url. */
export function randomBase64Url(n: number): string {
  return take(n).toString('base64url');
}
