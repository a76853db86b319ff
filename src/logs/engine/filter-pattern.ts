/**
 * CloudWatch Logs filter patterns, compiled once into a matcher over one event message.
 *
 * The language is the one the CloudWatch Logs User Guide defines in "Filter pattern syntax for
 * metric filters, subscription filters, filter log events, and Live Tail"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 *
 * - an empty pattern matches every event;
 * - unstructured terms: bare words (letters, digits, `_`) or double-quoted phrases, all of which
 *   must occur in the message (case-sensitive substring match); `-term` excludes events holding
 *   the term; `?term` starts an alternative, so `?ERROR ?WARN` is ERROR or WARN. Terms that follow a
 *   `?term` without a `?` of their own belong to its alternative — this is how the AWS CDK writes
 *   its `anyTermGroup` (`?"ERROR" "MainThread" ?"WARN" "Deadlock"`, aws-logs/lib/pattern.ts);
 * - JSON patterns in braces: `{ $.a.b[0] = "value" }`, `!=`, numeric `< <= > >= = !=`, `IS NULL`,
 *   `NOT EXISTS`, `IS TRUE`, `IS FALSE`, joined by `&&` and `||` (&& binds tighter), parentheses.
 *   A selector must reach a value (string, number, boolean): one that reaches an object or an
 *   array matches neither `=` nor `!=`; a message that is not JSON matches no JSON pattern;
 * - space-delimited patterns in brackets: `[ip, user, ..., status_code = 4*, bytes > 1000]`, one
 *   comma-separated slot per field of the message (a field is a run of non-spaces, or the text
 *   between `"…"` or `[…]`), `...` standing for any number of fields, and per-slot conditions
 *   joined by `&&` / `||` (`[w1=ERROR || w1=WARN, w2]`). Without `...` the field count must
 *   equal the slot count; a trailing comma is one more, unnamed slot (the guide's
 *   `[..., request=*.html*, status_code=4*,]` example extracts seven fields from seven);
 * - values: `*` at the start and/or end of a string is a wildcard (`*Event`, `Event*`); one in the
 *   middle is literal (`Ev*ent` matches only "Ev*ent"); `%regex%` is a regular expression limited
 *   to the characters the guide lists (no parentheses), at most two in a JSON or delimited pattern.
 *
 * Matching takes time linear in the message whatever the pattern: `%regex%` runs on RE2
 * (src/core/linear-regex.ts), where a backtracking RegExp took over a minute on `%a*a*…a*b%`
 * against 30 characters, and space-delimited patterns with several `...` are matched slot by slot.
 *
 * Invalid patterns throw FilterPatternError; the API answers InvalidParameterException with its
 * message. Recorded AWS wordings: "Invalid filter pattern" (aws-toolkit-jetbrains#3219),
 * "Invalid character(s) in term '…'" (serverless-plugin-log-subscription#47, DefangLabs/defang#1008),
 * "If a filter pattern starts with '{' it must end with '}'" (jorgebastida/awslogs#210).
 */

import { compileLinearRegex, LinearRegexSyntaxError, type LinearRegex } from '../../core/linear-regex.js';

export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

export interface FilterPattern {
  readonly source: string;
  readonly kind: 'all' | 'terms' | 'json' | 'delimited';
  matches(message: string): boolean;
}

const INVALID = 'Invalid filter pattern';

export function compileFilterPattern(source: string): FilterPattern {
  const text = source.trim();
  if (text === '') return { source, kind: 'all', matches: () => true };
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw new FilterPatternError("If a filter pattern starts with '{' it must end with '}'");
    const test = new JsonParser(text.slice(1, -1)).parse();
    return { source, kind: 'json', matches: (message) => matchJson(test, message) };
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new FilterPatternError("If a filter pattern starts with '[' it must end with ']'");
    const slots = parseDelimited(text.slice(1, -1));
    return { source, kind: 'delimited', matches: (message) => matchDelimited(slots, splitFields(message)) };
  }
  const alternatives = parseTerms(text);
  if (alternatives === 'all') return { source, kind: 'all', matches: () => true };
  return { source, kind: 'terms', matches: (message) => alternatives.some((alt) => matchAlternative(alt, message)) };
}

/** Compiled patterns by text: FilterLogEvents polls (`aws logs tail --follow`) repeat theirs. */
const cache = new Map<string, FilterPattern>();
const CACHE_LIMIT = 256;

export function cachedFilterPattern(source: string): FilterPattern {
  let pattern = cache.get(source);
  if (pattern) return pattern;
  pattern = compileFilterPattern(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, pattern);
  return pattern;
}

// ── values shared by JSON and delimited patterns ─────────────────────────────────────────────

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

type Literal =
  | { kind: 'string'; text: string; test: (s: string) => boolean }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'regex'; regex: LinearRegex };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `*` at either end is a wildcard; anywhere else it is an asterisk. */
function wildcard(value: string): (s: string) => boolean {
  if (value === '*') return () => true;
  const lead = value.length > 1 && value.startsWith('*');
  const trail = value.length > 1 && value.endsWith('*');
  const core = value.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (lead && trail) return (s) => s.includes(core);
  if (lead) return (s) => s.endsWith(core);
  if (trail) return (s) => s.startsWith(core);
  return (s) => s === value;
}

// The characters a `%regex%` may hold (guide, "Supported regular expressions (regex) syntax"):
// alphanumerics, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \ * + . —
// no parentheses, no multi-byte characters. AWS answers a regex holding another character with
// InvalidParameterException "Invalid character(s) in term" (recorded for parentheses in a metric
// filter's regex, ministryofjustice/modernisation-platform-environments#5137).
const REGEX_BODY = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/;

function compileRegex(body: string): LinearRegex {
  if (!REGEX_BODY.test(body)) throw new FilterPatternError(`Invalid character(s) in term '%${body}%'`);
  try {
    return compileLinearRegex(body);
  } catch (error) {
    if (error instanceof LinearRegexSyntaxError) throw new FilterPatternError(`${INVALID}: invalid regular expression %${body}%`);
    throw error;
  }
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return undefined;
}

/** Compares one extracted value (a JSON value node or a delimited field) with a literal. */
function compare(op: Op, literal: Literal, value: string | number | boolean): boolean {
  if (literal.kind === 'regex') {
    const hit = literal.regex.test(String(value));
    return op === '=' ? hit : !hit;
  }
  if (literal.kind === 'number') {
    const n = typeof value === 'boolean' ? undefined : asNumber(value);
    if (n === undefined) {
      // `= 400` against a non-numeric field compares the text; order comparisons need a number.
      if (op === '=') return String(value) === literal.text;
      if (op === '!=') return String(value) !== literal.text;
      return false;
    }
    switch (op) {
      case '=':
        return n === literal.value;
      case '!=':
        return n !== literal.value;
      case '<':
        return n < literal.value;
      case '<=':
        return n <= literal.value;
      case '>':
        return n > literal.value;
      case '>=':
        return n >= literal.value;
    }
  }
  const hit = literal.test(String(value));
  return op === '=' ? hit : !hit;
}

// ── a small tokenizer shared by the JSON and delimited grammars ──────────────────────────────

class Cursor {
  pos = 0;
  regexCount = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  peek(s: string): boolean {
    this.skipSpace();
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }
  fail(what: string): never {
    throw new FilterPatternError(`${INVALID}: ${what} at position ${this.pos + 1}`);
  }

  operator(): Op | undefined {
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) if (this.eat(op)) return op;
    return undefined;
  }

  /** A quoted string (`\"` and `\\` escape), `%regex%`, or a bare value up to a delimiter. */
  literal(stops: string): Literal {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"') {
      const value = this.quoted();
      return { kind: 'string', text: value, test: wildcard(value) };
    }
    if (c === '%') {
      const end = this.text.indexOf('%', this.pos + 1);
      if (end < 0) this.fail('unterminated regular expression');
      const body = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      if (++this.regexCount > 2) throw new FilterPatternError(`${INVALID}: a filter pattern may hold at most 2 regular expressions`);
      return { kind: 'regex', regex: compileRegex(body) };
    }
    const start = this.pos;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (/\s/.test(ch) || stops.includes(ch) || this.text.startsWith('&&', this.pos) || this.text.startsWith('||', this.pos)) break;
      this.pos++;
    }
    const value = this.text.slice(start, this.pos);
    if (value === '') this.fail('expected a value');
    if (NUMBER.test(value)) return { kind: 'number', text: value, value: Number(value) };
    // Values with characters other than these must be quoted (guide: "Strings that have unicode
    // and other characters such as '@', '$', '\' … must be enclosed in double quotes").
    if (!/^[A-Za-z0-9_.\-*:/+]+$/.test(value)) throw new FilterPatternError(`Invalid character(s) in term '${value}'`);
    return { kind: 'string', text: value, test: wildcard(value) };
  }

  quoted(): string {
    let out = '';
    let i = this.pos + 1;
    for (; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === '\\' && i + 1 < this.text.length && (this.text[i + 1] === '"' || this.text[i + 1] === '\\')) {
        out += this.text[++i];
      } else if (ch === '"') {
        this.pos = i + 1;
        return out;
      } else {
        out += ch;
      }
    }
    return this.fail('unterminated quoted string');
  }
}

// ── JSON patterns ────────────────────────────────────────────────────────────────────────────

type PathStep = string | number;

type JsonTest =
  | { kind: 'and' | 'or'; parts: JsonTest[] }
  | { kind: 'compare'; path: PathStep[]; op: Op; literal: Literal }
  | { kind: 'postfix'; path: PathStep[]; test: 'null' | 'true' | 'false' | 'not-exists' };

class JsonParser {
  private readonly c: Cursor;
  constructor(text: string) {
    this.c = new Cursor(text);
  }

  parse(): JsonTest {
    if (this.c.atEnd()) this.c.fail('empty JSON pattern');
    const test = this.or();
    if (!this.c.atEnd()) this.c.fail('unexpected text');
    return test;
  }

  private or(): JsonTest {
    const parts = [this.and()];
    while (this.c.eat('||')) parts.push(this.and());
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  }

  private and(): JsonTest {
    const parts = [this.primary()];
    while (this.c.eat('&&')) parts.push(this.primary());
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  }

  private primary(): JsonTest {
    if (this.c.eat('(')) {
      const inner = this.or();
      if (!this.c.eat(')')) this.c.fail("expected ')'");
      return inner;
    }
    const path = this.selector();
    const op = this.c.operator();
    if (op) {
      const literal = this.c.literal(')}');
      if (op !== '=' && op !== '!=' && literal.kind !== 'number') this.c.fail(`'${op}' needs a number`);
      return { kind: 'compare', path, op, literal };
    }
    const word = (): string => {
      this.c.skipSpace();
      const m = /^[A-Za-z]+/.exec(this.c.text.slice(this.c.pos));
      if (!m) return '';
      this.c.pos += m[0].length;
      return m[0].toUpperCase();
    };
    const first = word();
    const second = first === 'IS' || first === 'NOT' ? word() : '';
    if (first === 'IS' && second === 'NULL') return { kind: 'postfix', path, test: 'null' };
    if (first === 'IS' && second === 'TRUE') return { kind: 'postfix', path, test: 'true' };
    if (first === 'IS' && second === 'FALSE') return { kind: 'postfix', path, test: 'false' };
    if (first === 'NOT' && second === 'EXISTS') return { kind: 'postfix', path, test: 'not-exists' };
    return this.c.fail('expected an operator, IS NULL, IS TRUE, IS FALSE or NOT EXISTS');
  }

  /** `$.name`, `$.a.b`, `$.list[0]`, `$.grid[0][1]`: names of letters, digits, `-` and `_`. */
  private selector(): PathStep[] {
    if (!this.c.eat('$')) this.c.fail("expected a selector starting with '$'");
    const steps: PathStep[] = [];
    const text = this.c.text;
    for (;;) {
      if (text[this.c.pos] === '.') {
        const m = /^[A-Za-z0-9_-]+/.exec(text.slice(this.c.pos + 1));
        if (!m) this.c.fail('expected a property name');
        steps.push(m[0]);
        this.c.pos += 1 + m[0].length;
      } else if (text[this.c.pos] === '[') {
        const m = /^\[(\d+)\]/.exec(text.slice(this.c.pos));
        if (!m) this.c.fail('expected an array index');
        if (steps.length === 0) this.c.fail('an array index must follow a property');
        steps.push(Number(m[1]));
        this.c.pos += m[0].length;
      } else break;
    }
    if (steps.length === 0) this.c.fail('expected a property after $');
    return steps;
  }
}

const MISSING = Symbol('missing');

function resolve(root: unknown, path: readonly PathStep[]): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return MISSING;
      node = node[step];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) return MISSING;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}

function evalJson(test: JsonTest, root: unknown): boolean {
  switch (test.kind) {
    case 'and':
      return test.parts.every((p) => evalJson(p, root));
    case 'or':
      return test.parts.some((p) => evalJson(p, root));
    case 'postfix': {
      const value = resolve(root, test.path);
      if (test.test === 'not-exists') return value === MISSING;
      if (test.test === 'null') return value === null;
      return value === (test.test === 'true');
    }
    case 'compare': {
      const value = resolve(root, test.path);
      // Only value nodes compare; objects, arrays, null and absent fields match neither = nor !=.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
      return compare(test.op, test.literal, value);
    }
  }
}

function matchJson(test: JsonTest, message: string): boolean {
  const first = message.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  let root: unknown;
  try {
    root = JSON.parse(message);
  } catch {
    return false;
  }
  return evalJson(test, root);
}

// ── space-delimited patterns ─────────────────────────────────────────────────────────────────

type SlotTest = { kind: 'and' | 'or'; parts: SlotTest[] } | { kind: 'compare'; op: Op; literal: Literal };

interface Slot {
  ellipsis: boolean;
  name?: string;
  test?: SlotTest;
}

function parseDelimited(body: string): Slot[] {
  const c = new Cursor(body);
  const slots: Slot[] = [];
  for (;;) {
    slots.push(parseSlot(c));
    if (c.atEnd()) break;
    if (!c.eat(',')) c.fail("expected ','");
  }
  if (slots.length === 1 && !slots[0].ellipsis && slots[0].name === undefined) c.fail('empty delimited pattern');
  return slots;
}

function parseSlot(c: Cursor): Slot {
  if (c.eat('...')) return { ellipsis: true };
  if (c.peek(',') || c.atEnd()) return { ellipsis: false };
  let name: string | undefined;
  let hasCondition = false;
  const condition = (): SlotTest | undefined => {
    c.skipSpace();
    const m = /^[A-Za-z0-9_-]+/.exec(c.text.slice(c.pos));
    if (!m) c.fail('expected a field name');
    c.pos += m[0].length;
    // Conditions of a slot name that slot: `[w1=ERROR || w1=WARN, w2]`.
    if (name === undefined) name = m[0];
    else if (name !== m[0]) c.fail(`condition on '${m[0]}' inside the slot of '${name}'`);
    const op = c.operator();
    if (!op) return undefined;
    hasCondition = true;
    const literal = c.literal(',');
    if (op !== '=' && op !== '!=' && literal.kind !== 'number') c.fail(`'${op}' needs a number`);
    return { kind: 'compare', op, literal };
  };
  const and = (): SlotTest | undefined => {
    const parts = [condition()];
    while (c.eat('&&')) parts.push(condition());
    const defined = parts.filter((p): p is SlotTest => p !== undefined);
    if (defined.length !== parts.length && parts.length > 1) c.fail('a bare field name cannot be combined with && or ||');
    return defined.length === 0 ? undefined : defined.length === 1 ? defined[0] : { kind: 'and', parts: defined };
  };
  const parts = [and()];
  while (c.eat('||')) parts.push(and());
  if (parts.length > 1 && parts.some((p) => p === undefined)) c.fail('a bare field name cannot be combined with && or ||');
  const test = parts.length === 1 ? parts[0] : { kind: 'or' as const, parts: parts as SlotTest[] };
  return { ellipsis: false, name, test: hasCondition ? test : undefined };
}

/** The fields of a space-delimited message: `"…"` and `[…]` hold spaces and lose their delimiters. */
export function splitFields(message: string): string[] {
  const fields: string[] = [];
  const n = message.length;
  let i = 0;
  while (i < n) {
    while (i < n && (message[i] === ' ' || message[i] === '\t')) i++;
    if (i >= n) break;
    const open = message[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : '';
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        fields.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && message[j] !== ' ' && message[j] !== '\t') j++;
    fields.push(message.slice(i, j));
    i = j;
  }
  return fields;
}

function evalSlot(test: SlotTest, field: string): boolean {
  if (test.kind === 'compare') return compare(test.op, test.literal, field);
  return test.kind === 'and' ? test.parts.every((p) => evalSlot(p, field)) : test.parts.some((p) => evalSlot(p, field));
}

function matchDelimited(slots: readonly Slot[], fields: readonly string[]): boolean {
  const n = fields.length;
  if (!slots.some((slot) => slot.ellipsis)) {
    return n === slots.length && slots.every((slot, f) => !slot.test || evalSlot(slot.test, fields[f]));
  }
  // Slots after `s` matching fields after `f`, slot by slot from the last: each `...` takes any
  // number of fields, so trying each split in turn would cost fields^ellipses; this costs
  // slots × fields, and tests a field only where the slots after it can still match.
  let next = new Uint8Array(n + 1);
  next[n] = 1;
  for (let s = slots.length - 1; s >= 0; s--) {
    const slot = slots[s];
    const here = new Uint8Array(n + 1);
    if (slot.ellipsis) {
      here[n] = next[n];
      for (let f = n - 1; f >= 0; f--) here[f] = next[f] | here[f + 1];
    } else {
      for (let f = 0; f < n; f++) if (next[f + 1] === 1 && (!slot.test || evalSlot(slot.test, fields[f]))) here[f] = 1;
    }
    next = here;
  }
  return next[0] === 1;
}

// ── unstructured terms ───────────────────────────────────────────────────────────────────────

interface Term {
  test: (message: string) => boolean;
}

interface Alternative {
  include: Term[];
  exclude: Term[];
}

function parseTerms(text: string): Alternative[] | 'all' {
  const alternatives: Alternative[] = [];
  let current: Alternative | undefined;
  let onlyBlankPhrases = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    let prefix = '';
    if (text[i] === '?' || text[i] === '-') prefix = text[i++];
    let term: Term;
    if (text[i] === '"') {
      const c = new Cursor(text);
      c.pos = i;
      const phrase = c.quoted();
      i = c.pos;
      if (phrase === '') throw new FilterPatternError(`Invalid character(s) in term '""'`);
      // A phrase of blanks alone (`" "`) matches every event.
      if (phrase.trim() !== '') onlyBlankPhrases = false;
      term = { test: phrase.trim() === '' ? () => true : (m) => m.includes(phrase) };
    } else if (text[i] === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError(`${INVALID}: unterminated regular expression`);
      const regex = compileRegex(text.slice(i + 1, end));
      i = end + 1;
      onlyBlankPhrases = false;
      term = { test: (m) => regex.test(m) };
    } else {
      let j = i;
      while (j < n && !/\s/.test(text[j])) j++;
      const word = text.slice(i, j);
      i = j;
      if (word === '') throw new FilterPatternError(`Invalid character(s) in term '${prefix}'`);
      // Terms of characters other than letters, digits and `_` must be quoted (guide).
      if (!/^[\p{L}\p{N}_]+$/u.test(word)) throw new FilterPatternError(`Invalid character(s) in term '${word}'`);
      onlyBlankPhrases = false;
      term = { test: (m) => m.includes(word) };
    }
    if (prefix === '?' || !current) {
      current = { include: [], exclude: [] };
      alternatives.push(current);
    }
    (prefix === '-' ? current.exclude : current.include).push(term);
  }
  if (alternatives.length === 0 || onlyBlankPhrases) return 'all';
  return alternatives;
}

function matchAlternative(alt: Alternative, message: string): boolean {
  for (const t of alt.include) if (!t.test(message)) return false;
  for (const t of alt.exclude) if (t.test(message)) return false;
  return true;
}
