/**
 * Python's `json.dumps` with its defaults (`, ` and `: ` separators, non-ASCII as \uXXXX). The
 * recorded conformance sets were produced by Python tests that sent `json.dumps(value)`, and
 * EventBridge quotes the text it was sent in Jackson's parser locations, so tests comparing whole
 * messages send the same text. Numbers print as JavaScript prints them, which agrees for the
 * integers and short decimals of these sets.
 */
export function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}
