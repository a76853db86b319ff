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
