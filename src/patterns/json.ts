/**
 * A small JSON reader that keeps what `JSON.parse` throws away and event patterns need:
 *  - object members in document order, duplicates included (JS objects reorder integer-like keys
 *    and keep only the last duplicate; aws/event-ruler reads patterns and events as a token stream
 *    and sees every member in order);
 *  - the source text of numbers (`300`, `3.0e2` and `300.0` are different exact-match literals in
 *    EventBridge, and numeric matching must not go through a double).
 *
 * Used to compile patterns (once, at write time) and by the reference matcher `matchesPattern`.
 * The hot path, PatternIndex, never builds these nodes: it scans the event text in place.
 */

export type JsonNode =
  | { readonly t: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonNode]> }
  | { readonly t: 'array'; readonly items: readonly JsonNode[] }
  | { readonly t: 'string'; readonly value: string }
  | { readonly t: 'number'; readonly raw: string }
  | { readonly t: 'true' }
  | { readonly t: 'false' }
  | { readonly t: 'null' };

/** Where a node's text lies in the source: [start, end) in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const WS = new Uint8Array(128);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

/** Jackson-style description of the character at `pos` (used in syntax error messages). */
function describe(text: string, pos: number): string {
  if (pos >= text.length) return 'end-of-input';
  const c = text.charCodeAt(pos);
  return `character ('${text[pos]}' (code ${c}))`;
}

/**
 * Jackson's token-error wording, which EventBridge passes on (recorded against AWS): a bare word
 * where a value belongs is reported whole, `Unrecognized token 'this'`, with the position just
 * after it. A word is what Java calls identifier characters: letters, digits, `_` and `$`.
 */
const VALUE_EXPECTED = "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

function unrecognizedToken(text: string, start: number): never {
  let end = start;
  while (end < text.length && /[\p{L}\p{N}_$]/u.test(text[end])) end++;
  if (end === start) end = start + 1;
  throw new JsonSyntaxError(`Unrecognized token '${text.slice(start, end)}': ${VALUE_EXPECTED}`, end);
}

/**
 * Where a syntax error lies, as Jackson prints it: `[Source: (String)"<text>"; line: L, column: C]`
 * (1-based column of `position`; Jackson shows at most 500 characters of the source). EventBridge
 * passes it on after pattern and target-input errors (recorded against AWS).
 */
export function jacksonLocation(text: string, position: number): string {
  const { line, column } = jacksonLineColumn(text, position);
  const source = text.length > 500 ? `"${text.slice(0, 500)}"[truncated ${text.length - 500} chars]` : `"${text}"`;
  return `[Source: (String)${source}; line: ${line}, column: ${column}]`;
}

/** Jackson's 1-based line and column of `position` (the index of the next character to read). */
export function jacksonLineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  return { line: before.split('\n').length, column: position - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * Parses one JSON value spanning the whole text (surrounding whitespace allowed). With `spans`, the
 * source range of every node is recorded there (what a compiler needs to say where Jackson's parser
 * stood when it found a fault).
 */
export function parseJson(text: string, spans?: Map<JsonNode, Span>): JsonNode {
  const reader = new Reader(text, spans);
  reader.ws();
  const node = reader.value(0);
  reader.ws();
  if (reader.pos < text.length) {
    throw new JsonSyntaxError(`Unexpected ${describe(text, reader.pos)}: expected end of input`, reader.pos);
  }
  return node;
}

const MAX_DEPTH = 1000;

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly spans?: Map<JsonNode, Span>,
  ) {}

  ws(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c < 128 && WS[c] === 1) pos++;
      else break;
    }
    this.pos = pos;
  }

  fail(expected: string): never {
    const what = this.pos >= this.text.length ? 'end-of-input' : describe(this.text, this.pos);
    throw new JsonSyntaxError(`Unexpected ${what}: ${expected}`, this.pos);
  }

  value(depth: number): JsonNode {
    if (this.spans === undefined) return this.node(depth);
    const start = this.pos;
    const node = this.node(depth);
    this.spans.set(node, { start, end: this.pos });
    return node;
  }

  node(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('Maximum nesting depth exceeded', this.pos);
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.object(depth);
      case 0x5b: // [
        return this.array(depth);
      case 0x22: // "
        return { t: 'string', value: this.string() };
      case 0x74: // t
        return this.literal('true', { t: 'true' });
      case 0x66: // f
        return this.literal('false', { t: 'false' });
      case 0x6e: // n
        return this.literal('null', { t: 'null' });
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return { t: 'number', raw: this.number() };
        if (this.pos < text.length && /[\p{L}_$]/u.test(text[this.pos])) unrecognizedToken(text, this.pos);
        return this.fail("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }
  }

  literal<T extends JsonNode>(word: string, node: T): T {
    // `trueish` is one unrecognized token too, not `true` followed by garbage.
    if (!this.text.startsWith(word, this.pos) || /[\p{L}\p{N}_$]/u.test(this.text[this.pos + word.length] ?? '')) {
      unrecognizedToken(this.text, this.pos);
    }
    this.pos += word.length;
    return node;
  }

  object(depth: number): JsonNode {
    const text = this.text;
    this.pos++;
    const entries: Array<readonly [string, JsonNode]> = [];
    this.ws();
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return { t: 'object', entries };
    }
    for (;;) {
      if (text.charCodeAt(this.pos) !== 0x22) this.fail('was expecting double-quote to start field name');
      const key = this.string();
      this.ws();
      if (text.charCodeAt(this.pos) !== 0x3a) this.fail("was expecting a colon to separate field name and value");
      this.pos++;
      this.ws();
      entries.push([key, this.value(depth + 1)]);
      this.ws();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return { t: 'object', entries };
      }
      this.fail("was expecting comma to separate Object entries");
    }
  }

  array(depth: number): JsonNode {
    const text = this.text;
    this.pos++;
    const items: JsonNode[] = [];
    this.ws();
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return { t: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return { t: 'array', items };
      }
      this.fail('was expecting comma to separate Array entries');
    }
  }

  string(): string {
    const r = readString(this.text, this.pos);
    this.pos = r.end;
    return r.value;
  }

  number(): string {
    const end = numberEnd(this.text, this.pos);
    if (end < 0) this.fail('malformed number');
    const raw = this.text.slice(this.pos, end);
    this.pos = end;
    return raw;
  }
}

/**
 * Reads the JSON string whose opening quote is at `start`; returns its value and the index after
 * the closing quote. Throws JsonSyntaxError on a malformed string.
 */
export function readString(text: string, start: number): { value: string; end: number } {
  let pos = start + 1;
  let chunkStart = pos;
  let out = '';
  for (;;) {
    if (pos >= text.length) throw new JsonSyntaxError('Unexpected end-of-input: was expecting closing quote for a string value', pos);
    const c = text.charCodeAt(pos);
    if (c === 0x22) {
      out += text.slice(chunkStart, pos);
      return { value: out, end: pos + 1 };
    }
    if (c === 0x5c) {
      out += text.slice(chunkStart, pos);
      const e = text.charCodeAt(pos + 1);
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('Unexpected character in Unicode escape sequence', pos);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          throw new JsonSyntaxError(`Unrecognized character escape ${describe(text, pos + 1)}`, pos + 1);
      }
      pos += 2;
      chunkStart = pos;
      continue;
    }
    if (c < 0x20) throw new JsonSyntaxError(`Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`, pos);
    pos++;
  }
}

/** Index after the JSON number starting at `start`, or -1 if it is not a valid JSON number. */
export function numberEnd(text: string, start: number): number {
  let pos = start;
  if (text.charCodeAt(pos) === 0x2d) pos++;
  const intStart = pos;
  while (isDigit(text.charCodeAt(pos))) pos++;
  if (pos === intStart) return -1;
  if (pos - intStart > 1 && text.charCodeAt(intStart) === 0x30) return -1; // leading zero
  if (text.charCodeAt(pos) === 0x2e) {
    pos++;
    const fracStart = pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (pos === fracStart) return -1;
  }
  const e = text.charCodeAt(pos);
  if (e === 0x65 || e === 0x45) {
    pos++;
    const s = text.charCodeAt(pos);
    if (s === 0x2b || s === 0x2d) pos++;
    const expStart = pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (pos === expStart) return -1;
  }
  return pos;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The text of a token as Jackson's `getText()` shows it in error messages. */
export function tokenText(node: JsonNode | undefined): string {
  if (node === undefined) return ']';
  switch (node.t) {
    case 'object': return '{';
    case 'array': return '[';
    case 'string': return node.value;
    case 'number': return node.raw;
    default: return node.t;
  }
}

/** Converts an already-parsed JS value (from JSON.parse) to a JsonNode. */
export function fromJsValue(value: unknown): JsonNode {
  if (value === null) return { t: 'null' };
  switch (typeof value) {
    case 'string': return { t: 'string', value };
    case 'number': return { t: 'number', raw: Number.isFinite(value) ? JSON.stringify(value) : 'null' };
    case 'boolean': return value ? { t: 'true' } : { t: 'false' };
    case 'object':
      if (Array.isArray(value)) return { t: 'array', items: value.map(fromJsValue) };
      return { t: 'object', entries: Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, fromJsValue(v)] as const) };
    default:
      return { t: 'null' };
  }
}
