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
