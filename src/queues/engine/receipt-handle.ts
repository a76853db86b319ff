import { randomBytes } from 'node:crypto';

/**
 * Receipt handles name one receive of one message: the queue, the message's place in it, and a
 * nonce that changes with every receive, so that only the latest handle can delete the message
 * or change its visibility (SQS API Reference, DeleteMessage). Opaque base64url to clients,
 * like AWS's.
 */
export interface ReceiptHandle {
  queueId: number;
  seq: number;
  nonce: string;
}

const PREFIX = 'AQEB';
const NONCE_BYTES = 9;
/** Random bytes are drawn 512 nonces at a time: one randomBytes call per receive cost more than the receive's index work. */
const POOL_BYTES = NONCE_BYTES * 512;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** 12 base64url characters from 9 bytes of the CSPRNG. */
export function newNonce(): string {
  if (poolOffset + NONCE_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const nonce = pool.toString('base64url', poolOffset, poolOffset + NONCE_BYTES);
  poolOffset += NONCE_BYTES;
  return nonce;
}

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  return PREFIX + Buffer.from(`${handle.queueId}:${handle.seq}:${handle.nonce}`, 'latin1').toString('base64url');
}

/**
 * Undefined for anything this server did not hand out (ReceiptHandleIsInvalid). The decoded text
 * must be `queueId:seq:nonce`, exactly /^(\d{1,15}):(\d{1,15}):([A-Za-z0-9_-]{12})$/, checked by
 * hand: this runs for every handle of every delete.
 */
export function decodeReceiptHandle(text: string): ReceiptHandle | undefined {
  if (typeof text !== 'string' || !text.startsWith(PREFIX) || text.length > 256) return undefined;
  // latin1 maps each byte to one character: non-ASCII bytes fail the checks below as they would in UTF-8.
  const decoded = Buffer.from(text.slice(PREFIX.length), 'base64url').toString('latin1');
  const first = digitsEnd(decoded, 0);
  if (first < 0 || decoded.charCodeAt(first) !== 58 /* : */) return undefined;
  const second = digitsEnd(decoded, first + 1);
  if (second < 0 || decoded.charCodeAt(second) !== 58 || decoded.length !== second + 13) return undefined;
  for (let i = second + 1; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
    if (!ok) return undefined;
  }
  return { queueId: Number(decoded.slice(0, first)), seq: Number(decoded.slice(first + 1, second)), nonce: decoded.slice(second + 1) };
}

/** Where a run of 1 to 15 ASCII digits starting at `from` ends, or -1. */
function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && i - from < 16) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i === from || i - from > 15 ? -1 : i;
}
