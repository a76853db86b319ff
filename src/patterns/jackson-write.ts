/**
 * The JSON text Jackson writes for a tree it has read (ObjectMapper.readTree, then toString): no
 * whitespace, a repeated key once (at its first place, with its last value), integers as integers
 * and every other number as a Java double (`1e2` → `100.0`, `0.00001` → `1.0E-5`), strings with
 * Jackson's escapes.
 *
 * Why: SNS reads a filter policy with Jackson and hands event-ruler that tree written back as
 * text, so the location AWS appends to a policy fault is a column of this text, whatever spacing
 * the caller sent (recorded: `{"key": [["value"]]}` sent, `[Source: (String)"{"key":[["value"]]}";
 * line: 1, column: 10]` answered; test/conformance/sns/filter-policy-validation).
 */
import type { JsonNode } from './json.js';

export function jacksonCompact(node: JsonNode): string {
  switch (node.t) {
    case 'object': {
      const members = new Map<string, JsonNode>();
      for (const [key, value] of node.entries) members.set(key, value);
      let out = '{';
      for (const [key, value] of members) out += `${out.length > 1 ? ',' : ''}${jacksonString(key)}:${jacksonCompact(value)}`;
      return `${out}}`;
    }
    case 'array':
      return `[${node.items.map(jacksonCompact).join(',')}]`;
    case 'string':
      return jacksonString(node.value);
    case 'number':
      return jacksonNumber(node.raw);
    default:
      return node.t;
  }
}

/** An integer stays as written (as a long or BigInteger, so `-0` is `0`); other numbers are doubles. */
function jacksonNumber(raw: string): string {
  if (/^-?\d+$/.test(raw)) return BigInt(raw).toString();
  return javaDoubleToString(Number(raw));
}

/**
 * Java's Double.toString: plain notation with at least one decimal for 1e-3 <= |d| < 1e7, else
 * `d.dddE±n`; the shortest digits that read back as the same double (as JavaScript picks them).
 * A double out of range is written by Jackson as a quoted string.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return '"NaN"';
  if (!Number.isFinite(d)) return d > 0 ? '"Infinity"' : '"-Infinity"';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  const [mantissa, exponentText] = abs.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };

/** Jackson's escapes: quote, backslash, control characters (short forms where JSON has them). */
function jacksonString(value: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += value.slice(from, i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else out += SHORT_ESCAPES[c] ?? `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    from = i + 1;
  }
  return `${out}${value.slice(from)}"`;
}
