import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Request ids in UUID form, as AWS's look. A random prefix per process and a counter in the last
 * group: unique within the process and across restarts, and far cheaper than a random UUID per
 * request on the hot path (ids need uniqueness, not unpredictability).
 *
 * The counter's 12 hex digits are kept as a head (upper 9 digits, formatted when it changes, once
 * per 4,096 ids) and a tail (3 digits from a table): an id is one concatenation.
 */
const prefix = randomUUID().slice(0, 24);
const WRAP = 2 ** 48;
const TAIL = 4096;
const tails = Array.from({ length: TAIL }, (_, i) => i.toString(16).padStart(3, '0'));
let counter = randomBytes(6).readUIntBE(0, 6);
let head = '';
let headOf = -1;

export function nextRequestId(): string {
  counter = counter + 1 === WRAP ? 0 : counter + 1;
  const low = counter % TAIL;
  const high = (counter - low) / TAIL;
  if (high !== headOf) {
    headOf = high;
    head = prefix + high.toString(16).padStart(9, '0');
  }
  return head + tails[low];
}
