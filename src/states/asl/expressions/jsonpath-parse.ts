/**
 * The JSONPath dialect Step Functions reads in Paths (InputPath, OutputPath, ItemsPath, `.$` values
 * …) — "Paths in Amazon States Language" in the AWS Step Functions developer guide. AWS evaluates
 * them with Jayway JSONPath semantics (its error texts, recorded in the conformance cases, are
 * Jayway's). This file parses a path once into segments; jsonpath-eval.ts walks a value with them.
 *
 * Accepted: `$`, `$$` (the context object) or `$name` (a variable) as the root; `.name`,
 * `['name']`, `["name"]`, `[0]`, `[-1]`, `[0,2]`, `['a','b']`, `[*]`, `.*`, `[1:3]`, `[::2]`,
 * `..name` / `..[…]` / `..*` (deep scan), `[?(<filter>)]` and a trailing function call such as
 * `.length()`. A path is *definite* (one value) when it has only names and single indexes.
 */

export type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | null; end: number | null; step: number | null }
  | { kind: 'scan'; then: Segment }
  | { kind: 'filter'; filter: FilterExpr };

export type PathFunction = 'length' | 'size' | 'min' | 'max' | 'avg' | 'sum' | 'stddev' | 'keys' | 'first' | 'last';
const FUNCTIONS = new Set<string>(['length', 'size', 'min', 'max', 'avg', 'sum', 'stddev', 'keys', 'first', 'last']);

export interface ParsedPath {
  /** The text as written. */
  readonly text: string;
  /** `$` the input (or the filter's `@` inside filters), `$$` the context object, a variable name otherwise. */
  readonly root: { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string } | { kind: 'current' };
  readonly segments: readonly Segment[];
  readonly fn: PathFunction | null;
  /** Only names and single indexes (and no function): the path names at most one value. */
  readonly definite: boolean;
}

export type FilterOperand =
  | { kind: 'path'; path: ParsedPath }
  | { kind: 'literal'; value: unknown }
  | { kind: 'regex'; regex: RegExp };

export type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | 'in' | 'nin' | 'subsetof' | 'anyof' | 'noneof' | 'size' | 'empty' | 'contains';

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; operand: FilterOperand }
  | { kind: 'compare'; op: FilterOp; left: FilterOperand; right: FilterOperand };

export class PathSyntaxError extends Error {}

/**
 * A variable name as AWS accepts it in a reference (`$name`): "Passing data between states with
 * variables": names start with a letter or underscore and go on with letters, digits and
 * underscores (Unicode letters included), at most 80 characters.
 */
export const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]{0,79}$/u;
const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;

const cache = new Map<string, ParsedPath>();
const CACHE_LIMIT = 10_000;

/** Parses (and caches) a path; throws PathSyntaxError when it is not one. */
export function parsePath(text: string): ParsedPath {
  let parsed = cache.get(text);
  if (parsed === undefined) {
    parsed = new Parser(text).parseWhole();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new PathSyntaxError(`${what} at position ${this.pos} in path ${this.text}`);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  parseWhole(): ParsedPath {
    const path = this.parsePathAt(false);
    if (this.pos !== this.text.length) this.fail('Unexpected character');
    return path;
  }

  /** Reads a root and segments from pos; in a filter (`inFilter`) stops at anything that is not a segment. */
  parsePathAt(inFilter: boolean): ParsedPath {
    const start = this.pos;
    let root: ParsedPath['root'];
    if (this.peek() === '@' && inFilter) {
      this.pos++;
      root = { kind: 'current' };
    } else if (this.peek() !== '$') {
      this.fail('Path must start with $');
    } else if (this.peek(1) === '$') {
      this.pos += 2;
      root = { kind: 'context' };
    } else {
      this.pos++;
      if (NAME_START.test(this.peek())) {
        const nameStart = this.pos;
        while (this.pos < this.text.length && NAME_PART.test(this.peek())) this.pos++;
        const name = this.text.slice(nameStart, this.pos);
        if (!VARIABLE_NAME.test(name)) this.fail('Invalid variable name');
        root = { kind: 'variable', name };
      } else {
        root = { kind: 'input' };
      }
    }
    const segments: Segment[] = [];
    let fn: PathFunction | null = null;
    for (;;) {
      const c = this.peek();
      if (c === '.' && this.peek(1) === '.') {
        this.pos += 2;
        let then: Segment;
        if (this.peek() === '[') then = this.readBracket();
        else if (this.peek() === '*') {
          this.pos++;
          then = { kind: 'wildcard' };
        } else then = { kind: 'name', name: this.readDotName() };
        segments.push({ kind: 'scan', then });
      } else if (c === '.') {
        this.pos++;
        if (this.peek() === '[') {
          // Jayway reads `$.[…]` as `$[…]`.
          segments.push(this.readBracket());
        } else if (this.peek() === '*') {
          this.pos++;
          segments.push({ kind: 'wildcard' });
        } else {
          const name = this.readDotName();
          if (this.peek() === '(' && this.peek(1) === ')' && FUNCTIONS.has(name)) {
            this.pos += 2;
            fn = name as PathFunction;
            if (!inFilter && this.pos !== this.text.length) this.fail('A function must end the path');
            break;
          }
          segments.push({ kind: 'name', name });
        }
      } else if (c === '[') {
        segments.push(this.readBracket());
      } else {
        break;
      }
    }
    const definite = fn === null && segments.every((s) => s.kind === 'name' || s.kind === 'index');
    return { text: this.text.slice(start, this.pos), root, segments, fn, definite };
  }

  readDotName(): string {
    const start = this.pos;
    // Jayway reads a dot name up to the next `.`, `[`, space or `(`; AWS accepts names like `a-b`, `a:b`.
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '.' || c === '[' || c === '(' || c === ')' || c === ' ' || c === ']' || c === ',' || c === '\t') break;
      if (c === '=' || c === '!' || c === '<' || c === '>' || c === '&' || c === '|') break;
      this.pos++;
    }
    if (this.pos === start) this.fail('Expected a property name');
    return this.text.slice(start, this.pos);
  }

  readBracket(): Segment {
    this.pos++; // [
    this.skipSpaces();
    const c = this.peek();
    let seg: Segment;
    if (c === '*') {
      this.pos++;
      seg = { kind: 'wildcard' };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      if (this.peek() !== '(') this.fail('Expected ( after ?');
      this.pos++;
      const filter = this.readFilterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail('Expected ) closing the filter');
      this.pos++;
      seg = { kind: 'filter', filter };
    } else if (c === "'" || c === '"') {
      const names = [this.readQuoted()];
      this.skipSpaces();
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpaces();
        if (this.peek() !== "'" && this.peek() !== '"') this.fail('Expected a quoted name');
        names.push(this.readQuoted());
        this.skipSpaces();
      }
      seg = names.length === 1 ? { kind: 'name', name: names[0] } : { kind: 'names', names };
    } else {
      seg = this.readIndexOrSlice();
    }
    this.skipSpaces();
    if (this.peek() !== ']') this.fail('Expected ]');
    this.pos++;
    return seg;
  }

  readIndexOrSlice(): Segment {
    const first = this.readInt();
    this.skipSpaces();
    if (this.peek() === ':') {
      this.pos++;
      this.skipSpaces();
      const end = this.readInt();
      this.skipSpaces();
      let step: number | null = null;
      if (this.peek() === ':') {
        this.pos++;
        this.skipSpaces();
        step = this.readInt();
        if (step === 0) this.fail('Slice step cannot be 0');
      }
      return { kind: 'slice', start: first, end, step };
    }
    if (first === null) this.fail('Expected an index');
    const indexes = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skipSpaces();
      const next = this.readInt();
      if (next === null) this.fail('Expected an index');
      indexes.push(next);
      this.skipSpaces();
    }
    return indexes.length === 1 ? { kind: 'index', index: first } : { kind: 'indexes', indexes };
  }

  readInt(): number | null {
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (m === null) return null;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /**
   * A quoted name in brackets. AWS keeps a backslash as written except before the closing quote
   * character (recorded case escape_sequences_jsonpath: `$['Test\""Name"']` reads the key `Test\""Name"`).
   */
  readQuoted(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('Unterminated quoted name');
      const c = this.peek();
      if (c === '\\' && this.peek(1) === quote) {
        out += quote;
        this.pos += 2;
        continue;
      }
      if (c === quote) {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  // --- filters: Jayway's predicate syntax -------------------------------------------------------

  readFilterOr(): FilterExpr {
    let left = this.readFilterAnd();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('||', this.pos)) {
        this.pos += 2;
        left = { kind: 'or', left, right: this.readFilterAnd() };
      } else return left;
    }
  }

  readFilterAnd(): FilterExpr {
    let left = this.readFilterUnary();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('&&', this.pos)) {
        this.pos += 2;
        left = { kind: 'and', left, right: this.readFilterUnary() };
      } else return left;
    }
  }

  readFilterUnary(): FilterExpr {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.pos++;
      return { kind: 'not', expr: this.readFilterUnary() };
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.readFilterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail('Expected )');
      this.pos++;
      return inner;
    }
    const left = this.readOperand();
    this.skipSpaces();
    const op = this.readOp();
    if (op === null) {
      if (left.kind !== 'path') this.fail('Expected a comparison');
      return { kind: 'exists', operand: left };
    }
    this.skipSpaces();
    const right = this.readOperand();
    return { kind: 'compare', op, left, right };
  }

  readOp(): FilterOp | null {
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    const m = /^(nin|in|subsetof|anyof|noneof|size|empty|contains)\b/.exec(this.text.slice(this.pos));
    if (m !== null) {
      this.pos += m[0].length;
      return m[1] as FilterOp;
    }
    return null;
  }

  readOperand(): FilterOperand {
    this.skipSpaces();
    const c = this.peek();
    if (c === '@' || c === '$') return { kind: 'path', path: this.parsePathAt(true) };
    if (c === "'" || c === '"') return { kind: 'literal', value: this.readQuoted() };
    if (c === '/') {
      const end = this.text.indexOf('/', this.pos + 1);
      if (end < 0) this.fail('Unterminated regular expression');
      const body = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      const flags = /^[a-z]*/.exec(this.text.slice(this.pos))![0];
      this.pos += flags.length;
      try {
        return { kind: 'regex', regex: new RegExp(body, flags.replace(/[^imsu]/g, '')) };
      } catch {
        this.fail('Invalid regular expression');
      }
    }
    if (c === '[' || c === '{') {
      // A JSON literal list or object (for in / nin / subsetof …).
      const end = this.matchingClose(c === '[' ? '[' : '{', c === '[' ? ']' : '}');
      const raw = this.text.slice(this.pos, end + 1).replace(/'/g, '"');
      this.pos = end + 1;
      try {
        return { kind: 'literal', value: JSON.parse(raw) };
      } catch {
        this.fail('Invalid literal');
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (m === null) this.fail('Expected a value');
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }

  matchingClose(open: string, close: string): number {
    let depth = 0;
    let quote = '';
    for (let i = this.pos; i < this.text.length; i++) {
      const c = this.text[i];
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) return i;
    }
    this.fail('Unterminated literal');
  }
}

/** Jayway's rendering of a segment in messages: `['name']`, `[0]`, `[*]`, `[1:2]`. */
export function segmentText(seg: Segment): string {
  switch (seg.kind) {
    case 'name':
      return `['${seg.name}']`;
    case 'index':
      return `[${seg.index}]`;
    case 'names':
      return `[${seg.names.map((n) => `'${n}'`).join(',')}]`;
    case 'indexes':
      return `[${seg.indexes.join(',')}]`;
    case 'wildcard':
      return '[*]';
    case 'slice':
      return `[${seg.start ?? ''}:${seg.end ?? ''}${seg.step !== null ? `:${seg.step}` : ''}]`;
    case 'scan':
      return `..${segmentText(seg.then)}`;
    case 'filter':
      return '[?]';
  }
}
