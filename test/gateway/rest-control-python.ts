/**
 * The little Python the recorded API Gateway sets (test/conformance/apigateway) use in their
 * parameters and steps, evaluated over the values a replay has bound: names, `x.upper()`,
 * `short_uid()`, f-strings, `x['a'][0]['b']`, `PutMode.overwrite`. Anything else is refused, so a
 * replay can say which cases it cannot run.
 */
export type Vars = Record<string, unknown>;

export class UnknownExpression extends Error {}

export const shortUid = (): string => Math.random().toString(16).slice(2, 10);

export function evaluate(expr: string, vars: Vars): unknown {
  const text = expr.trim();
  if (text in vars) return vars[text];
  if (text === 'short_uid()') return shortUid();
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  const quoted = /^(['"])([^'"]*)\1$/.exec(text);
  if (quoted) return quoted[2];
  const upper = /^(\w+)\.upper\(\)$/.exec(text);
  if (upper) return String(evaluate(upper[1], vars)).toUpperCase();
  const fString = /^f(['"])(.*)\1$/s.exec(text);
  if (fString) return fString[2].replace(/\{([^}]+)\}/g, (_m, inner: string) => String(evaluate(inner, vars)));
  const index = /^(.+)\[(?:'([^']*)'|(\d+))\]$/.exec(text);
  if (index) {
    const base = evaluate(index[1], vars) as Record<string, unknown> | unknown[] | undefined;
    if (base === undefined || base === null) throw new UnknownExpression(`${text}: ${index[1]} has no value`);
    return index[2] !== undefined ? (base as Record<string, unknown>)[index[2]] : (base as unknown[])[Number(index[3])];
  }
  const enumValue = /^PutMode\.(\w+)$/.exec(text);
  if (enumValue) return enumValue[1];
  if (text.startsWith('{') || text.startsWith('[')) return new LiteralParser(text, vars).parseAll();
  const attribute = /^([\w.]+)\.(\w+)$/.exec(text);
  if (attribute) {
    const base = evaluate(attribute[1], vars) as Record<string, unknown> | undefined;
    if (base && typeof base === 'object' && attribute[2] in base) return base[attribute[2]];
  }
  throw new UnknownExpression(`no value for expression ${text}`);
}

/** Parameters with `{"$expr": …}` values resolved, `"**"` spread and the positional `$0` (a client) left out. */
export function resolve(value: unknown, vars: Vars): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, vars));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$expr === 'string') return evaluate(o.$expr, vars);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === '$0') continue;
      if (k === '**') Object.assign(out, resolve(v, vars));
      else out[k] = resolve(v, vars);
    }
    return out;
  }
  return value;
}

export const pascal = (snake: string): string => snake.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

/** Python dict and list displays (`{'a': x, 'b': [1, 'c']}`) whose leaves are literals or expressions. */
class LiteralParser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly vars: Vars,
  ) {}

  parseAll(): unknown {
    const value = this.value();
    this.space();
    if (this.at !== this.text.length) throw new UnknownExpression(`cannot read ${this.text}`);
    return value;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at += 1;
  }

  private value(): unknown {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.sequence('}', true);
    if (c === '[') return this.sequence(']', false);
    // A leaf runs to the next comma or closing bracket outside quotes and brackets.
    const start = this.at;
    let depth = 0;
    let quote: string | undefined;
    while (this.at < this.text.length) {
      const ch = this.text[this.at];
      if (quote) {
        if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(' || ch === '[' || ch === '{') depth += 1;
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (depth === 0) break;
        depth -= 1;
      } else if ((ch === ',' || ch === ':') && depth === 0) break;
      this.at += 1;
    }
    const leaf = this.text.slice(start, this.at).trim();
    if (leaf === 'None') return null;
    if (/^-?\d+(\.\d+)?$/.test(leaf)) return Number(leaf);
    return evaluate(leaf, this.vars);
  }

  private sequence(close: string, dict: boolean): unknown {
    this.at += 1;
    const list: unknown[] = [];
    const obj: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.text[this.at] === close) {
        this.at += 1;
        return dict ? obj : list;
      }
      const first = this.value();
      this.space();
      if (dict) {
        if (this.text[this.at] !== ':') throw new UnknownExpression(`cannot read ${this.text}`);
        this.at += 1;
        obj[String(first)] = this.value();
        this.space();
      } else list.push(first);
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== close) throw new UnknownExpression(`cannot read ${this.text}`);
    }
  }
}
