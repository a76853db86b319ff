import { randomFillSync } from 'node:crypto';

/**
 * Random (version 4) UUIDs for the hot paths (one per message sent). node:crypto's randomUUID
 * builds each id from twenty concatenations, a rope that is copied flat again wherever the id is
 * used (JSON, SQLite); here the 36 characters are written into a buffer and read out as one flat
 * string, from random bytes drawn 256 ids at a time.
 */
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;
const text = Buffer.alloc(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Where each of the 16 bytes goes in the text (the dashes sit at 8, 13, 18 and 23). */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
text[8] = text[13] = text[18] = text[23] = 0x2d;

export function randomUuid(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const from = 16 * next++;
  for (let i = 0; i < 16; i++) {
    let byte = pool[from + i];
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx (RFC 4122)
    text[AT[i]] = HEX[byte >> 4];
    text[AT[i] + 1] = HEX[byte & 0x0f];
  }
  return text.toString('latin1', 0, 36);
}
