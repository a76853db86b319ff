/**
 * The JSON text of values as AWS writes them in history events and outputs, and the context
 * object's timestamps.
 */
import type { Json } from './json.js';

/**
 * AWS keeps a state's input text as it came while no state rewrites it: the execution input as the
 * caller formatted it ("[1, 2, 3]") shows so in the events of states that pass it through, and a
 * Parallel state's output is its branches' output texts in an array (recorded cases
 * test_map_state_nested, test_parallel_state_nested). Values (objects and arrays) whose text is
 * known are registered here; any other value is written compactly. The registry lives with the
 * values in memory: a snapshot restored from storage writes compactly.
 */
export const rawTexts = new WeakMap<object, string>();

export function registerText(value: Json, raw: string): void {
  if (value !== null && typeof value === 'object' && raw !== JSON.stringify(value)) rawTexts.set(value, raw);
}

let lastTextValue: Json | undefined;
let lastText = '';

/** Forgets the last written value (callers may change values between steps). */
export function resetTextCache(): void {
  lastTextValue = undefined;
}

/**
 * The JSON text of a value as AWS writes it in history and outputs. The last object written is
 * remembered: a state's output is usually the next state's input, written twice in a row.
 */
export function text(value: Json): string {
  if (value !== null && typeof value === 'object') {
    if (value === lastTextValue) return lastText;
    const raw = rawTexts.get(value);
    lastText = raw ?? JSON.stringify(value);
    lastTextValue = value;
    return lastText;
  }
  return JSON.stringify(value);
}

/**
 * Whether a value's JSON text (as `text` writes it) is over `limit` bytes, without writing it when
 * a bound shows it is not: the bound counts every string character as 6 bytes (a `\uXXXX`
 * escape, more than any UTF-8 encoding of one UTF-16 unit), every number as 25 and a registered
 * raw text as 3 bytes a character. Only a value whose bound passes the limit is written and
 * measured. For the payload limit's check on every state's output, when nothing else needs the
 * text (no history kept): the walk allocates nothing.
 */
export function textExceeds(value: Json, limit: number): boolean {
  if (boundWithin(value, limit) <= limit) return false;
  return Buffer.byteLength(text(value)) > limit;
}

/** An upper bound of the value's text in bytes, or any number over `budget` once it passes it. */
function boundWithin(value: Json, budget: number): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return 25;
    case 'boolean':
      return 5;
  }
  const raw = rawTexts.get(value as object);
  if (raw !== undefined) return raw.length * 3;
  let size = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      size += boundWithin(item, budget - size) + 1;
      if (size > budget) return size;
    }
    return size;
  }
  for (const key in value) {
    size += key.length * 6 + 4 + boundWithin((value as Record<string, Json>)[key], budget - size);
    if (size > budget) return size;
  }
  return size;
}

let lastIsoMs = NaN;
let lastIso = '';

/** AWS writes context timestamps with milliseconds and Z (e.g. 2024-01-01T00:00:00.000Z). Memoised: states entered in the same millisecond share it. */
export function isoTime(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}
