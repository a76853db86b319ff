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

export function newNonce(): string {
  return randomBytes(9).toString('base64url');
}

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  return PREFIX + Buffer.from(`${handle.queueId}:${handle.seq}:${handle.nonce}`, 'utf8').toString('base64url');
}

/** Undefined for anything this server did not hand out (ReceiptHandleIsInvalid). */
export function decodeReceiptHandle(text: string): ReceiptHandle | undefined {
  if (typeof text !== 'string' || !text.startsWith(PREFIX) || text.length > 256) return undefined;
  const decoded = Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8');
  const m = /^(\d{1,15}):(\d{1,15}):([A-Za-z0-9_-]{12})$/.exec(decoded);
  if (!m) return undefined;
  return { queueId: Number(m[1]), seq: Number(m[2]), nonce: m[3] };
}
