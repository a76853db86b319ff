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

/** Encoding scratch: PREFIX is the base64 of three 0x01 bytes, so prefix and text encode as one. */
const scratch = Buffer.alloc(64);
scratch[0] = scratch[1] = scratch[2] = 1;

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  // `AQEB` + base64url("queueId:seq:nonce"), written as one flat string.
  const length = 3 + scratch.write(`${handle.queueId}:${handle.seq}:${handle.nonce}`, 3, 'latin1');
  return scratch.toString('base64url', 0, length);
}

/**
 * Undefined for anything this server did not hand out (ReceiptHandleIsInvalid). The decoded text
 * must be `queueId:seq:nonce`, exactly /^(\d{1,15}):(\d{1,15}):([A-Za-z0-9_-]{12})$/, checked on
 * the bytes: this runs for every handle of every delete.
 */
export function decodeReceiptHandle(text: string): ReceiptHandle | undefined {
  if (typeof text !== 'string' || !text.startsWith(PREFIX) || text.length > 256) return undefined;
  // The prefix decodes to three bytes of its own; a non-ASCII byte fails the checks below as it would in UTF-8.
  const bytes = Buffer.from(text, 'base64url');
  const first = digitsEnd(bytes, 3);
  if (first < 0 || bytes[first] !== 58 /* : */) return undefined;
  const second = digitsEnd(bytes, first + 1);
  if (second < 0 || bytes[second] !== 58 || bytes.length !== second + 13) return undefined;
  for (let i = second + 1; i < bytes.length; i++) {
    const c = bytes[i];
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
    if (!ok) return undefined;
  }
  return { queueId: digitsValue(bytes, 3, first), seq: digitsValue(bytes, first + 1, second), nonce: bytes.toString('latin1', second + 1) };
}

function digitsValue(bytes: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (bytes[i] - 48);
  return value;
}

/** Where a run of 1 to 15 ASCII digits starting at `from` ends, or -1. */
function digitsEnd(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length && i - from < 16) {
    const c = bytes[i];
    if (c < 48 || c > 57) break;
    i++;
  }
  return i === from || i - from > 15 ? -1 : i;
}
