/**
 * Compares a value recorded by LocalStack's snapshot tests with ours. The recorder replaced
 * volatile values before saving (the conformance READMEs, "Reading the recorded values"):
 *  - `<name:N>` (`<uuid:1>`, `<resource:2>`, `<sequence-number:1>`) stands for one value, the same
 *    everywhere it appears within one test, and different values got different placeholders: the
 *    first match binds it, later ones must agree, and two of them never bind the same text;
 *  - `<name>` (`<signature>`, `<md5-hash>`, `<partition>`) stands for any text, unless `known` gives it;
 *  - a whole value `date`, `datetime` or `timestamp` stands for a time;
 *  - `111111111111` is the recording's account;
 *  - JSON text inside a response (an SQS Body holding an envelope) was parsed: a recorded object or
 *    array is compared with our text parsed.
 * Everything else is compared exactly. Member order is compared where the caller asks for it
 * (text that was JSON on the wire), except in objects whose recorded members are in name order,
 * which the recorder may have sorted.
 */

export interface MatchOptions {
  /** What some placeholders stand for here: `{ '<region>': 'us-east-1' }`. */
  known?: Record<string, string>;
  /** Our account, in place of the recording's 111111111111. */
  account?: string;
}

const RECORDED_ACCOUNT = '111111111111';
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/;
const TIME_WORDS: Record<string, RegExp> = {
  date: ISO_TIME,
  datetime: ISO_TIME,
  // SQS's SentTimestamp and the like: epoch milliseconds.
  timestamp: /^(\d{10,13}|\d{4}-\d\d-\d\dT.*)$/,
};
const PLACEHOLDER = /(<[^<>\s]+>)/;
const INDEXED = /^<[^<>:]+:\d+>$/;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isSortedByName(keys: string[]): boolean {
  return keys.every((k, i) => i === 0 || keys[i - 1] <= k);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export class RecordedMatcher {
  private readonly bound: Map<string, string>;
  /** Which placeholder a value is bound to: two placeholders never stand for one value. */
  private readonly owners: Map<string, string>;

  constructor(
    private readonly options: MatchOptions = {},
    bound?: Map<string, string>,
    owners?: Map<string, string>,
  ) {
    this.bound = new Map(bound);
    this.owners = new Map(owners);
  }

  /** A copy to try a match on; `adopt` keeps what it bound. */
  fork(): RecordedMatcher {
    return new RecordedMatcher(this.options, this.bound, this.owners);
  }

  adopt(other: RecordedMatcher): void {
    for (const [k, v] of other.bound) this.bound.set(k, v);
    for (const [k, v] of other.owners) this.owners.set(k, v);
  }

  /** What an indexed placeholder was bound to so far. */
  valueOf(placeholder: string): string | undefined {
    return this.bound.get(placeholder);
  }

  /** The differences between the recorded value and ours, as "path: why"; none when they agree. */
  diff(recorded: unknown, actual: unknown, path = '$', ordered = false): string[] {
    if (recorded !== null && typeof recorded === 'object' && typeof actual === 'string') {
      try {
        actual = JSON.parse(actual);
      } catch {
        return [`${path}: recorded JSON ${show(recorded)}, got text ${show(actual)}`];
      }
      // What was JSON on the wire keeps its member order.
      ordered = true;
    }
    if (typeof recorded === 'string') {
      if (typeof actual !== 'string') return [`${path}: recorded ${show(recorded)}, got ${show(actual)}`];
      return this.matchText(recorded, actual) ? [] : [`${path}: recorded ${show(recorded)}, got ${show(actual)}`];
    }
    if (Array.isArray(recorded)) {
      if (!Array.isArray(actual)) return [`${path}: recorded an array, got ${show(actual)}`];
      if (actual.length !== recorded.length) return [`${path}: recorded ${recorded.length} items, got ${actual.length}: ${show(actual)}`];
      return recorded.flatMap((r, i) => this.diff(r, actual[i], `${path}[${i}]`, ordered));
    }
    if (recorded !== null && typeof recorded === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: recorded an object, got ${show(actual)}`];
      const want = Object.keys(recorded);
      const got = Object.keys(actual);
      const missing = want.filter((k) => !(k in actual));
      const extra = got.filter((k) => !(k in recorded));
      if (missing.length || extra.length) return [`${path}: members missing ${show(missing)}, unexpected ${show(extra)}`];
      const out: string[] = [];
      if (ordered && !isSortedByName(want) && want.join('\n') !== got.join('\n')) out.push(`${path}: member order ${show(got)}, recorded ${show(want)}`);
      for (const k of want) out.push(...this.diff((recorded as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`, ordered));
      return out;
    }
    return recorded === actual ? [] : [`${path}: recorded ${show(recorded)}, got ${show(actual)}`];
  }

  /** Whether our text matches the recorded text, binding its indexed placeholders. */
  private matchText(want: string, got: string): boolean {
    if (want === got) return true;
    const word = TIME_WORDS[want];
    if (word) return word.test(got);
    const text = this.options.account === undefined ? want : want.split(RECORDED_ACCOUNT).join(this.options.account);
    const parts = text.split(PLACEHOLDER);
    if (parts.length === 1) return text === got;
    const groups = new Map<string, string>();
    let pattern = '';
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        pattern += escape(part);
        return;
      }
      const known = this.bound.get(part) ?? this.options.known?.[part];
      if (known !== undefined) pattern += escape(known);
      else if (!INDEXED.test(part)) pattern += '[\\s\\S]+?';
      else if (groups.has(part)) pattern += `\\k<${groups.get(part)}>`;
      else {
        const group = `g${groups.size}`;
        groups.set(part, group);
        pattern += `(?<${group}>[\\s\\S]+?)`;
      }
    });
    const found = new RegExp(`^${pattern}$`).exec(got);
    if (!found) return false;
    const fresh: [string, string][] = [...groups].map(([placeholder, group]) => [placeholder, found.groups![group]]);
    if (fresh.some(([placeholder, value]) => (this.owners.get(value) ?? placeholder) !== placeholder)) return false;
    if (new Set(fresh.map(([, value]) => value)).size !== fresh.length) return false;
    for (const [placeholder, value] of fresh) {
      this.bound.set(placeholder, value);
      this.owners.set(value, placeholder);
    }
    return true;
  }
}

/**
 * A value to publish from a recorded one: each placeholder given a value of its shape (an
 * indexed one the same value everywhere), so what comes back matches the recording.
 */
export function fillPlaceholders<T>(recorded: T, options: MatchOptions = {}): T {
  const made = new Map<string, string>();
  const fill = (text: string): string => {
    if (TIME_WORDS[text]) return text === 'timestamp' ? '1700000000000' : '2024-01-02T03:04:05.678Z';
    const withAccount = options.account === undefined ? text : text.split(RECORDED_ACCOUNT).join(options.account);
    return withAccount.replace(/<[^<>\s]+>/g, (placeholder) => {
      const known = options.known?.[placeholder];
      if (known !== undefined) return known;
      if (!made.has(placeholder)) {
        const name = placeholder.slice(1, -1).replace(/:/g, '-');
        made.set(placeholder, name.startsWith('uuid') ? crypto.randomUUID() : `${name}-${made.size + 1}`);
      }
      return made.get(placeholder)!;
    });
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return fill(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(recorded) as T;
}
