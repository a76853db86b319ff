import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Request ids in UUID form, as AWS's look. A random prefix per process and a counter in the last
 * group: unique within the process and across restarts, and far cheaper than a random UUID per
 * request on the hot path (ids need uniqueness, not unpredictability).
 */
const prefix = randomUUID().slice(0, 24);
let counter = randomBytes(6).readUIntBE(0, 6);
const WRAP = 2 ** 48;

export function nextRequestId(): string {
  counter = (counter + 1) % WRAP;
  return prefix + counter.toString(16).padStart(12, '0');
}
