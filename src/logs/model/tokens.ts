/**
 * Pagination tokens and ids.
 *
 * An event's place in a stream or group is its key (timestamp, seq): seq is the group's ingestion
 * counter, so keys are unique and sort the way CloudWatch Logs returns events (by timestamp, then
 * by ingestion).
 *
 * GetLogEvents tokens look like AWS's (`f/37834034757452981478474108017025224064473262006917988352/s`,
 * 56 digits): `f/…` pages forward from after a key, `b/…` backward from before it. A page that
 * finds nothing answers with the very token it was given, which is how clients see the end of the
 * stream (API Reference, GetLogEvents: "If you have reached the end of the stream, it returns the
 * same token you passed in").
 */
export interface EventKey {
  ts: number;
  seq: number;
}

/** Before every event: forward from here is the whole stream. */
export const BEFORE_ALL: EventKey = { ts: -1, seq: 0 };
/** After every event: stored timestamps are at most 2 hours ahead of the clock, far below 8e15 ms. */
export const AFTER_ALL: EventKey = { ts: 8_000_000_000_000_000, seq: 0 };

export function compareKeys(a: EventKey, b: EventKey): number {
  return a.ts - b.ts || a.seq - b.seq;
}

function keyDigits(key: EventKey): string {
  return String(key.ts + 1).padStart(24, '0') + String(key.seq).padStart(32, '0');
}

function parseDigits(digits: string): EventKey {
  return { ts: Number(digits.slice(0, 24)) - 1, seq: Number(digits.slice(24)) };
}

export function streamToken(direction: 'f' | 'b', key: EventKey): string {
  return `${direction}/${keyDigits(key)}/s`;
}

/** Undefined for anything that is not one of our stream tokens. */
export function parseStreamToken(token: string): { direction: 'f' | 'b'; key: EventKey } | undefined {
  const m = /^([fb])\/(\d{56})\/s$/.exec(token);
  if (!m) return undefined;
  return { direction: m[1] as 'f' | 'b', key: parseDigits(m[2]) };
}

/** FilterLogEvents' eventId: a 56-digit decimal like AWS's, unique within the group. */
export function eventId(key: EventKey): string {
  return keyDigits(key);
}

/** Opaque tokens for the describe actions and FilterLogEvents: a small JSON array, base64url. */
export function encodePageToken(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Undefined when absent; null when present but not one of ours with `arity` parts of the given types. */
export function decodePageToken(token: string | undefined, types: readonly ('string' | 'number')[]): (string | number)[] | undefined | null {
  if (token === undefined) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === types.length && parts.every((p, i) => typeof p === types[i])) return parts as (string | number)[];
  } catch {
    // Falls through to null.
  }
  return null;
}
