/**
 * Value-level rules shared by the compiler, the reference matcher and the index: how EventBridge
 * compares numbers, IP addresses, case-insensitive strings and wildcards.
 *
 * Sources: the EventBridge User Guide, "Content filtering in Amazon EventBridge event patterns"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html and
 * eb-event-patterns-content-based-filtering.html), and aws/event-ruler, the engine EventBridge runs
 * (README "Numeric matching", ComparableNumber, CIDR, WildcardParser, MachineComplexityEvaluator).
 */

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/**
 * Numeric matching "works with values that are JSON numbers ... limited to values between -5.0e9
 * and +5.0e9 inclusive, with 15 digits of precision, or six digits to the right of the decimal
 * point" (User Guide, Numeric matching; event-ruler README). Like event-ruler's ComparableNumber we
 * compare numbers as integers of millionths ("micro units"): exact for every number with at most six
 * decimals, so 3, 3.0, 3.000000 and 3e0 are equal and 0.1 + 0.2 problems cannot occur. Digits past
 * the sixth decimal are dropped (truncated toward zero), which is how event-ruler treated them before
 * it moved to BigDecimal. 5e9 × 1e6 = 5e15 < 2^53, so every comparable value is an exact double.
 */
export const MICRO_LIMIT = 5e15;
export const NUMERIC_RANGE_MESSAGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/**
 * Micro units of the JSON number text in [start, end), or NaN when the number is outside
 * [-5e9, 5e9] (or is not a number). No allocation on the common path (no exponent).
 */
export function microUnits(text: string, start = 0, end = text.length): number {
  let pos = start;
  let negative = false;
  if (text.charCodeAt(pos) === 0x2d) {
    negative = true;
    pos++;
  }
  let acc = 0;
  let c = 0;
  let digits = 0;
  while (pos < end) {
    c = text.charCodeAt(pos);
    if (c < 0x30 || c > 0x39) break;
    acc = acc * 10 + (c - 0x30);
    digits++;
    pos++;
  }
  if (digits === 0) return NaN;
  if (acc > 5e9) return NaN;
  let frac = 0;
  if (pos < end && c === 0x2e) {
    pos++;
    while (pos < end) {
      c = text.charCodeAt(pos);
      if (c < 0x30 || c > 0x39) break;
      if (frac < 6) {
        acc = acc * 10 + (c - 0x30);
        frac++;
      }
      pos++;
    }
  }
  if (pos < end && (c === 0x65 || c === 0x45)) return microUnitsWithExponent(text, start, end);
  if (pos !== end) return NaN;
  while (frac < 6) {
    acc *= 10;
    frac++;
  }
  if (acc > MICRO_LIMIT) return NaN;
  return negative ? (acc === 0 ? 0 : -acc) : acc;
}

/** Slow path: numbers with an exponent, done on the digit string so nothing goes through a double. */
function microUnitsWithExponent(text: string, start: number, end: number): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text.slice(start, end));
  if (m === null) return NaN;
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  let digits = (m[2] + frac).replace(/^0+/, '');
  const exponent = Number(m[4]);
  if (digits === '') return 0;
  // value = digits × 10^(exponent − frac.length); micro = value × 10^6.
  const shift = exponent - frac.length + 6;
  if (!Number.isFinite(shift)) return NaN;
  if (shift >= 0) {
    if (digits.length + shift > 16) return NaN;
    digits += '0'.repeat(shift);
  } else {
    const keep = digits.length + shift;
    if (keep <= 0) return 0;
    digits = digits.slice(0, keep);
  }
  if (digits.length > 16) return NaN;
  const acc = Number(digits);
  if (acc > MICRO_LIMIT) return NaN;
  return negative ? (acc === 0 ? 0 : -acc) : acc;
}

// ---------------------------------------------------------------------------------------------
// IP addresses (cidr, and plain pattern strings that are IP literals)
// ---------------------------------------------------------------------------------------------

/**
 * event-ruler's Constants.IPv4_REGEX / IPv6_REGEX: what is even considered an IP literal. Its IPv6
 * shape, `[0-9a-fA-F:]*:[0-9a-fA-F:]*` (hex digits and colons, at least one colon), is written
 * with the first colon pinned: the same strings, matched in linear time where the ambiguous form
 * backtracked quadratically on a long run of colons in an event value.
 */
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F]*:[0-9a-fA-F:]*$/;

export function looksLikeIp(s: string): boolean {
  return IPV4_SHAPE.test(s) || IPV6_SHAPE.test(s);
}

const HEX = '0123456789ABCDEF';

function bytesToHex(bytes: number[]): string {
  let out = '';
  for (const b of bytes) out += HEX[(b >> 4) & 15] + HEX[b & 15];
  return out;
}

/**
 * The address as upper-case hex (8 digits for IPv4, 32 for IPv6), or null if `s` is not an IP
 * literal. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d written in hex) are IPv4 addresses, as Java's
 * InetAddress (used by event-ruler) makes them.
 */
export function ipToHex(s: string): string | null {
  if (IPV4_SHAPE.test(s)) {
    const parts = s.split('.');
    const bytes: number[] = [];
    for (const p of parts) {
      if (p.length > 3) return null;
      const n = Number(p);
      if (n > 255) return null;
      bytes.push(n);
    }
    return bytesToHex(bytes);
  }
  if (!IPV6_SHAPE.test(s)) return null;
  const bytes = parseIpv6(s);
  if (bytes === null) return null;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return bytesToHex(mapped ? bytes.slice(12) : bytes);
}

function parseIpv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.length === 0 || g.length > 4) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]);
  const tail = halves.length === 2 ? group(halves[1]) : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

/** An inclusive range of addresses as hex strings of one family (8 or 32 digits). */
export interface IpRange {
  readonly lo: string;
  readonly hi: string;
}

/**
 * Parses `{"cidr": "..."}`. Messages and checks are event-ruler's CIDR.cidr: the mask is read
 * before the address; IPv4 masks must be < 32 and IPv6 masks < 128; the range starts at the address
 * as written (not masked) and ends at the address with the host bits set.
 * Throws an Error whose message is the reason.
 */
export function parseCidr(cidr: string): IpRange {
  // Java's String.split drops trailing empty strings.
  const slashed = cidr.split('/');
  while (slashed.length > 0 && slashed[slashed.length - 1] === '') slashed.pop();
  if (slashed.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d+$/.test(slashed[1]) || Math.abs(Number(slashed[1])) > 2147483647) {
    throw new Error('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(slashed[1]);
  if (maskBits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const ip = slashed[0];
  if (!looksLikeIp(ip)) throw new Error(`Nonstandard IP address: ${ip}`);
  const hex = ipToHex(ip);
  if (hex === null) throw new Error(`Invalid IP address: ${ip}`);
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  if (bytes.length === 4) {
    if (maskBits > 31) throw new Error('IPv4 mask bits must be < 32');
  } else if (maskBits > 127) {
    throw new Error('IPv6 mask bits must be < 128');
  }
  let hostBits = bytes.length * 8 - maskBits;
  const top = new Array<number>(bytes.length);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (hostBits >= 8) top[i] = 0xff;
    else if (hostBits <= 0) top[i] = bytes[i];
    else top[i] = bytes[i] | ((1 << hostBits) - 1);
    hostBits -= 8;
  }
  return { lo: hex, hi: bytesToHex(top) };
}

// ---------------------------------------------------------------------------------------------
// Case folding
// ---------------------------------------------------------------------------------------------

/**
 * equals-ignore-case and the ignore-case forms of prefix, suffix and anything-but compare strings
 * after lower-casing both sides (Unicode default case mapping). event-ruler matches each pattern
 * character against its lower- and upper-case forms; the two agree except for a few characters
 * whose case mappings are not inverses (e.g. the Kelvin sign).
 */
export function fold(s: string): string {
  return s.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Wildcards
// ---------------------------------------------------------------------------------------------

/**
 * A wildcard pattern split at its unescaped `*`s: `segments[0]` must begin the value, the last
 * segment must end it, and the ones between must appear in order. One segment = no `*` at all.
 */
export interface Wildcard {
  readonly source: string;
  readonly segments: readonly string[];
  /** Sum of the segment lengths: the shortest value that can match. */
  readonly minLength: number;
}

/**
 * Parses a wildcard pattern (User Guide, "Wildcard matching"; event-ruler WildcardParser): `*`
 * matches zero or more characters, `\*` is a literal star, `\\` a literal backslash; a backslash
 * before anything else, and two consecutive `*`, are errors. Positions in the messages count UTF-8
 * bytes from the opening quote of the JSON string, as event-ruler's do (it parses `"value"`).
 * Throws an Error whose message is the reason.
 */
export function parseWildcard(source: string): Wildcard {
  const segments: string[] = [];
  let current = '';
  let bytePos = 1; // the opening quote
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*') {
      if (source[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${bytePos}`);
      segments.push(current);
      current = '';
      bytePos++;
    } else if (c === '\\') {
      const next = source[i + 1];
      if (next === '*' || next === '\\') {
        current += next;
        i++;
        bytePos += 2;
      } else {
        throw new Error(`Invalid escape character at pos ${bytePos}`);
      }
    } else {
      current += c;
      bytePos += utf8Length(source.charCodeAt(i));
    }
  }
  segments.push(current);
  return { source, segments, minLength: segments.reduce((n, s) => n + s.length, 0) };
}

function utf8Length(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) return 4; // a surrogate pair: 4 bytes for the pair, counted on the high half
  if (code >= 0xdc00 && code <= 0xdfff) return 0;
  return 3;
}

/** Does `value` match the wildcard? Greedy leftmost search is exact for `*`-only globs. */
export function wildcardMatches(w: Wildcard, value: string): boolean {
  const segs = w.segments;
  if (value.length < w.minLength) return false;
  const last = segs.length - 1;
  if (last === 0) return value === segs[0];
  const first = segs[0];
  if (!value.startsWith(first)) return false;
  const tail = segs[last];
  const tailStart = value.length - tail.length;
  if (!value.endsWith(tail)) return false;
  let pos = first.length;
  for (let i = 1; i < last; i++) {
    const s = segs[i];
    if (s.length === 0) continue;
    const at = value.indexOf(s, pos);
    if (at < 0 || at + s.length > tailStart) return false;
    pos = at + s.length;
  }
  return pos <= tailStart;
}

/**
 * AWS rejects some wildcard patterns as "Rule is too complex - try using fewer wildcard characters
 * or fewer repeating character sequences after a wildcard character" (recorded for
 * `*:*:*:*:*:event-bus/*`). event-ruler measures complexity as the largest number of wildcard
 * pattern states a single input value can keep alive at once (MachineComplexityEvaluator); its
 * threshold in EventBridge is not published. We measure the same quantity on the pattern's own NFA
 * (subset construction over the characters it names) and reject above WILDCARD_COMPLEXITY_LIMIT,
 * chosen so that the recorded AWS outcomes hold: `*:*:*:*:*:event-bus/*` scores 13 (rejected);
 * `/Users/*\/dir/dir/dir/dir/dir/doc.txt` scores 8 and `arn:aws:events:us-east-1:*:event-bus/*` 5
 * (both accepted); event-ruler's benchmark wildcards (`2*0*1*7`: 7) and `*a*b*c*d*` (10) pass.
 */
export const WILDCARD_COMPLEXITY_LIMIT = 10;
export const TOO_COMPLEX_MESSAGE =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

export function wildcardComplexity(w: Wildcard): number {
  // Tokens: characters, with -1 for a star.
  const tokens: number[] = [];
  w.segments.forEach((seg, i) => {
    if (i > 0) tokens.push(-1);
    for (let j = 0; j < seg.length; j++) tokens.push(seg.charCodeAt(j));
  });
  const n = tokens.length;
  const closure = (set: Set<number>): number[] => {
    const out = new Set<number>();
    for (const p of set) {
      let q = p;
      out.add(q);
      while (q < n && tokens[q] === -1) out.add(++q);
    }
    return [...out].sort((a, b) => a - b);
  };
  const alphabet = [...new Set(tokens.filter((t) => t >= 0)), -2]; // -2: any other character
  const start = closure(new Set([0]));
  const seen = new Set<string>([start.join(',')]);
  const queue: number[][] = [start];
  let max = start.length;
  const LIMIT_STATES = 20_000;
  while (queue.length > 0 && seen.size < LIMIT_STATES) {
    const state = queue.shift() as number[];
    for (const c of alphabet) {
      const next = new Set<number>();
      for (const p of state) {
        if (p >= n) continue;
        const t = tokens[p];
        if (t === -1) next.add(p);
        else if (t === c) next.add(p + 1);
      }
      if (next.size === 0) continue;
      const closed = closure(next);
      const key = closed.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      if (closed.length > max) max = closed.length;
      queue.push(closed);
    }
  }
  return max;
}
