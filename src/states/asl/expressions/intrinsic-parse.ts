/**
 * Parses an intrinsic function call (`States.Format('{} {}', $.a, States.UUID())`) once into a
 * tree. "Intrinsic functions for JSONPath states" in the AWS Step Functions developer guide:
 * arguments are string literals in single quotes, numbers, `true`/`false`/`null`, paths (`$…`,
 * `$$…`, `$name…`) and nested intrinsic calls, at most 10 calls deep; inside a string literal the
 * characters `'`, `{`, `}` and `\` are reserved and must be escaped with a backslash.
 */
import { parsePath, type ParsedPath } from './jsonpath-parse.js';

export type IntrinsicArg =
  | { kind: 'literal'; value: string | number | boolean | null; /** for strings: the text with `\{` `\}` still marked (States.Format) */ raw?: string }
  | { kind: 'path'; text: string; path: ParsedPath }
  | IntrinsicCall;

export interface IntrinsicCall {
  kind: 'call';
  name: string;
  args: IntrinsicArg[];
  /** The call as written (for messages). */
  text: string;
}

export class IntrinsicSyntaxError extends Error {}

/** "You can nest up to 10 intrinsic functions within a field" (intrinsic functions page). */
export const MAX_NESTING = 10;

const cache = new Map<string, IntrinsicCall>();

/** True when a `.$` value is an intrinsic call rather than a path. */
export function looksLikeIntrinsic(text: string): boolean {
  return text.startsWith('States.');
}

/** Parses (and caches) a call; throws IntrinsicSyntaxError. */
export function parseIntrinsic(text: string): IntrinsicCall {
  let call = cache.get(text);
  if (call === undefined) {
    const p = new IntrinsicParser(text);
    p.skipSpaces();
    call = p.readCall(1);
    p.skipSpaces();
    if (p.pos !== text.length) p.fail(`Unexpected '${text.slice(p.pos)}'`);
    if (cache.size > 10_000) cache.clear();
    cache.set(text, call);
  }
  return call;
}

class IntrinsicParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new IntrinsicSyntaxError(message);
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  readCall(depth: number): IntrinsicCall {
    if (depth > MAX_NESTING) this.fail(`Intrinsic functions can be nested at most ${MAX_NESTING} deep`);
    const start = this.pos;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (m === null) this.fail('Expected an intrinsic function name');
    this.pos += m[0].length;
    this.skipSpaces();
    if (this.text[this.pos] !== '(') this.fail(`Expected ( after ${m[0]}`);
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { kind: 'call', name: m[0], args, text: this.text.slice(start, this.pos) };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.readArg(depth));
      this.skipSpaces();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { kind: 'call', name: m[0], args, text: this.text.slice(start, this.pos) };
      }
      this.fail(c === undefined ? `Missing ) closing ${m[0]}` : `Unexpected '${c}' in the arguments of ${m[0]}`);
    }
  }

  readArg(depth: number): IntrinsicArg {
    const c = this.text[this.pos];
    if (c === "'") return this.readString();
    if (c === '$') return this.readPathArg();
    if (this.text.startsWith('States.', this.pos)) return this.readCall(depth + 1);
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(this.text.slice(this.pos));
    if (m === null) this.fail(`Invalid argument at '${this.text.slice(this.pos)}'`);
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[1]) as number | boolean | null };
  }

  /** A quoted literal: `\'`, `\{`, `\}`, `\\` are the escapes; any other backslash is an error. */
  readString(): IntrinsicArg {
    this.pos++;
    let value = '';
    let raw = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('Unterminated string literal');
      const c = this.text[this.pos];
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next !== "'" && next !== '{' && next !== '}' && next !== '\\') {
          this.fail(`Invalid escape sequence '\\${next ?? ''}' in a string literal`);
        }
        value += next;
        // Keep escaped braces apart from placeholders for States.Format: \u0001 / \u0002 stand for them.
        raw += next === '{' ? '\u0001' : next === '}' ? '\u0002' : next;
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        this.pos++;
        return { kind: 'literal', value, raw };
      }
      value += c;
      raw += c;
      this.pos++;
    }
  }

  readPathArg(): IntrinsicArg {
    const start = this.pos;
    let depth = 0;
    let quote = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || (c === ')' && depth > 0)) depth--;
      else if (depth === 0 && (c === ',' || c === ')')) break;
      this.pos++;
    }
    const text = this.text.slice(start, this.pos).trimEnd();
    try {
      return { kind: 'path', text, path: parsePath(text) };
    } catch {
      return this.fail(`Invalid path '${text}'`);
    }
  }
}
