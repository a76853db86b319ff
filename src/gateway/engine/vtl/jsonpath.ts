/**
 * The JSONPath that `$input.path(x)` and `$input.json(x)` evaluate. AWS documents JSONPath
 * (https://goessner.net/articles/JsonPath/) and runs a Java implementation (Jayway semantics):
 * a *definite* path (names and single indexes only) yields one value, or null when something on the
 * way is missing; any other path (wildcards, deep scan `..`, slices, unions, filters) yields a list
 * of every match (possibly empty). A path that does not start with `$` or `@` is read as `$.` + path.
 *
 * Supported: `$`, `.name`, `['name']`/`["name"]`, `['a','b']`, `[0]`, `[-1]`, `[0,2]`, `[1:3]`,
 * `[::2]`, `*`, `[*]`, `..name`, `..*`, and filters `[?(@.a)]`, `[?(@.a == 'x' && @.b > 2)]`
 * (operators == != < <= > >= =~ /regex/, && || ! and parentheses). Parsed paths are cached.
 */
import { RE2JS } from 're2js';
import { isPlainMap, jsonArray } from './json-values.js';

type Selector =
  | { kind: 'name'; names: string[] }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; test: FilterNode };

interface Step {
  deep: boolean;
  selector: Selector;
}

interface CompiledPath {
  steps: Step[];
  definite: boolean;
}

type FilterNode =
  | { kind: 'path'; root: '@' | '$'; steps: Step[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'regex'; pattern: RE2JS }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'binary'; op: string; left: FilterNode; right: FilterNode };

export class JsonPathError extends Error {}

const cache = new Map<string, CompiledPath>();
const CACHE_LIMIT = 2000;

export function compileJsonPath(path: string): CompiledPath {
  const cached = cache.get(path);
  if (cached) return cached;
  const parser = new PathParser(path);
  const compiled = parser.parseRoot();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

/** Evaluates `path` over `root`: the single value (definite path, null when absent) or the list of matches. */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  const compiled = compileJsonPath(path);
  const matches = runSteps([root], compiled.steps, root);
  if (compiled.definite) return matches.length === 0 ? null : matches[0];
  return jsonArray(matches);
}

function runSteps(nodes: unknown[], steps: Step[], root: unknown): unknown[] {
  let current = nodes;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.deep) {
        for (const descendant of descendantsAndSelf(node)) select(descendant, step.selector, root, next);
      } else {
        select(node, step.selector, root, next);
      }
    }
    current = next;
  }
  return current;
}

function descendantsAndSelf(node: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (value: unknown): void => {
    out.push(value);
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (isPlainMap(value)) for (const key of Object.keys(value)) walk(value[key]);
  };
  walk(node);
  return out;
}

function select(node: unknown, selector: Selector, root: unknown, out: unknown[]): void {
  switch (selector.kind) {
    case 'name':
      if (isPlainMap(node)) {
        for (const name of selector.names) if (Object.prototype.hasOwnProperty.call(node, name)) out.push(node[name]);
      }
      return;
    case 'index':
      if (Array.isArray(node)) {
        for (const index of selector.indexes) {
          const at = index < 0 ? node.length + index : index;
          if (at >= 0 && at < node.length) out.push(node[at]);
        }
      }
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const length = node.length;
      const norm = (value: number | undefined, fallback: number): number => {
        if (value === undefined) return fallback;
        return value < 0 ? Math.max(0, length + value) : Math.min(length, value);
      };
      const start = norm(selector.start, 0);
      const end = norm(selector.end, length);
      for (let i = start; i < end; i += selector.step) out.push(node[i]);
      return;
    }
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isPlainMap(node)) for (const key of Object.keys(node)) out.push(node[key]);
      return;
    case 'filter': {
      const candidates = Array.isArray(node) ? node : isPlainMap(node) ? [node] : [];
      for (const candidate of candidates) if (truthy(evalFilter(selector.test, candidate, root))) out.push(candidate);
      return;
    }
  }
}

const MISSING = Symbol('missing');

function evalFilter(node: FilterNode, current: unknown, root: unknown): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'regex':
      return node.pattern;
    case 'path': {
      const matches = runSteps([node.root === '@' ? current : root], node.steps, root);
      return matches.length === 0 ? MISSING : matches[0];
    }
    case 'not':
      return !truthy(evalFilter(node.operand, current, root));
    case 'binary': {
      if (node.op === '&&') return truthy(evalFilter(node.left, current, root)) && truthy(evalFilter(node.right, current, root));
      if (node.op === '||') return truthy(evalFilter(node.left, current, root)) || truthy(evalFilter(node.right, current, root));
      const left = evalFilter(node.left, current, root);
      const right = evalFilter(node.right, current, root);
      if (left === MISSING || right === MISSING) return node.op === '!=';
      switch (node.op) {
        case '==':
          return looseEquals(left, right);
        case '!=':
          return !looseEquals(left, right);
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(left, right, node.op);
        case '=~':
          return typeof left === 'string' && right instanceof RE2JS && right.matcher(left).matches();
        default:
          return false;
      }
    }
  }
}

function truthy(value: unknown): boolean {
  return value !== MISSING && value !== false && value !== null && value !== undefined;
}

function looseEquals(left: unknown, right: unknown): boolean {
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return left === right;
}

function compare(left: unknown, right: unknown, op: string): boolean {
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothStrings) return false;
  const a = left as number | string;
  const b = right as number | string;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

class PathParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseRoot(): CompiledPath {
    let text = this.text.trim();
    if (!text.startsWith('$') && !text.startsWith('@')) text = '$.' + text;
    this.reset(text);
    this.pos = 1;
    const steps = this.parseSteps(false);
    if (this.pos < this.source.length) this.fail('unexpected character');
    const definite = steps.every(
      (step) =>
        !step.deep &&
        ((step.selector.kind === 'name' && step.selector.names.length === 1) ||
          (step.selector.kind === 'index' && step.selector.indexes.length === 1)),
    );
    return { steps, definite };
  }

  private source = '';

  private reset(text: string): void {
    this.source = text;
    this.pos = 0;
  }

  private fail(message: string): never {
    throw new JsonPathError(`Invalid JSONPath '${this.text}': ${message} at ${this.pos}`);
  }

  /** Steps until the end of the path (or, inside a filter, until an operator or `)`). */
  private parseSteps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    const src = this.source;
    while (this.pos < src.length) {
      const ch = src[this.pos];
      if (ch === '.') {
        const deep = src[this.pos + 1] === '.';
        this.pos += deep ? 2 : 1;
        if (src[this.pos] === '[') {
          steps.push({ deep, selector: this.parseBracket() });
        } else if (src[this.pos] === '*') {
          this.pos++;
          steps.push({ deep, selector: { kind: 'wildcard' } });
        } else {
          const name = this.readName(inFilter);
          if (name === '') this.fail('expected a property name');
          steps.push({ deep, selector: { kind: 'name', names: [name] } });
        }
      } else if (ch === '[') {
        steps.push({ deep: false, selector: this.parseBracket() });
      } else if (inFilter) {
        break;
      } else {
        this.fail('unexpected character');
      }
    }
    return steps;
  }

  private readName(inFilter: boolean): string {
    const src = this.source;
    const start = this.pos;
    const stop = inFilter ? /[.[\s)=!<>&|~]/ : /[.[]/;
    while (this.pos < src.length && !stop.test(src[this.pos]!)) this.pos++;
    return src.slice(start, this.pos);
  }

  private skipSpaces(): void {
    while (this.pos < this.source.length && /\s/.test(this.source[this.pos]!)) this.pos++;
  }

  private parseBracket(): Selector {
    const src = this.source;
    this.pos++; // [
    this.skipSpaces();
    let selector: Selector;
    if (src[this.pos] === '?') {
      this.pos++;
      this.skipSpaces();
      if (src[this.pos] !== '(') this.fail("expected '(' after '?'");
      this.pos++;
      const test = this.parseOr();
      this.skipSpaces();
      if (src[this.pos] !== ')') this.fail("expected ')'");
      this.pos++;
      selector = { kind: 'filter', test };
    } else if (src[this.pos] === '*') {
      this.pos++;
      selector = { kind: 'wildcard' };
    } else if (src[this.pos] === "'" || src[this.pos] === '"') {
      const names: string[] = [this.readQuoted()];
      this.skipSpaces();
      while (src[this.pos] === ',') {
        this.pos++;
        this.skipSpaces();
        names.push(this.readQuoted());
        this.skipSpaces();
      }
      selector = { kind: 'name', names };
    } else {
      const start = this.pos;
      while (this.pos < src.length && src[this.pos] !== ']') this.pos++;
      const body = src.slice(start, this.pos).replace(/\s+/g, '');
      if (body.includes(':')) {
        const parts = body.split(':');
        if (parts.length > 3) this.fail('bad slice');
        const num = (part: string | undefined): number | undefined => {
          if (part === undefined || part === '') return undefined;
          if (!/^-?\d+$/.test(part)) this.fail('bad slice');
          return Number(part);
        };
        const step = num(parts[2]) ?? 1;
        if (step <= 0) this.fail('bad slice step');
        selector = { kind: 'slice', start: num(parts[0]), end: num(parts[1]), step };
      } else {
        const indexes = body.split(',').map((part) => {
          if (!/^-?\d+$/.test(part)) this.fail('bad index');
          return Number(part);
        });
        selector = { kind: 'index', indexes };
      }
    }
    this.skipSpaces();
    if (src[this.pos] !== ']') this.fail("expected ']'");
    this.pos++;
    return selector;
  }

  private readQuoted(): string {
    const src = this.source;
    const quote = src[this.pos];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name');
    this.pos++;
    let out = '';
    while (this.pos < src.length && src[this.pos] !== quote) {
      if (src[this.pos] === '\\' && this.pos + 1 < src.length) this.pos++;
      out += src[this.pos];
      this.pos++;
    }
    if (src[this.pos] !== quote) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    for (;;) {
      this.skipSpaces();
      if (!this.source.startsWith('||', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'binary', op: '||', left, right: this.parseAnd() };
    }
  }

  private parseAnd(): FilterNode {
    let left = this.parseComparison();
    for (;;) {
      this.skipSpaces();
      if (!this.source.startsWith('&&', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'binary', op: '&&', left, right: this.parseComparison() };
    }
  }

  private parseComparison(): FilterNode {
    const left = this.parseOperand();
    this.skipSpaces();
    const op = ['==', '!=', '<=', '>=', '=~', '<', '>'].find((candidate) => this.source.startsWith(candidate, this.pos));
    if (!op) return left;
    this.pos += op.length;
    return { kind: 'binary', op, left, right: this.parseOperand() };
  }

  private parseOperand(): FilterNode {
    this.skipSpaces();
    const src = this.source;
    const ch = src[this.pos];
    if (ch === '!') {
      this.pos++;
      return { kind: 'not', operand: this.parseOperand() };
    }
    if (ch === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpaces();
      if (src[this.pos] !== ')') this.fail("expected ')'");
      this.pos++;
      return inner;
    }
    if (ch === '@' || ch === '$') {
      this.pos++;
      return { kind: 'path', root: ch, steps: this.parseSteps(true) };
    }
    if (ch === "'" || ch === '"') return { kind: 'literal', value: this.readQuoted() };
    if (ch === '/') {
      const end = src.indexOf('/', this.pos + 1);
      if (end < 0) this.fail('unterminated regex');
      const pattern = src.slice(this.pos + 1, end);
      this.pos = end + 1;
      let flags = 0;
      while (/[a-z]/.test(src[this.pos] ?? '')) {
        if (src[this.pos] === 'i') flags |= RE2JS.CASE_INSENSITIVE;
        this.pos++;
      }
      try {
        return { kind: 'regex', pattern: RE2JS.compile(pattern, flags) };
      } catch {
        this.fail('bad regex');
      }
    }
    const match = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(src.slice(this.pos));
    if (!match) this.fail('expected a value');
    this.pos += match[0].length;
    const word = match[0];
    return { kind: 'literal', value: word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word) };
  }
}
