/**
 * JSON as API Gateway's templates see it. AWS evaluates `$input.path`/`$input.json` with a Java
 * JSONPath library over json-smart: a JSON object becomes a Java LinkedHashMap (whose toString is
 * `{key=value, ...}`) and a JSON array becomes a json-smart JSONArray (whose toString is the array's
 * JSON text). The recorded cases show both: `$input.path('$.json')` of `{"foo":"bar"}` renders
 * `{foo=bar}`, of `[{"foo":"bar"}]` renders `[{"foo":"bar"}]` (test/conformance/apigateway/vtl).
 * We keep JSON as plain JS values and remember which arrays came from JSON, so they render as JSON
 * while lists a template builds (`[1, 2]`, `$map.keySet()`) render as Java lists (`[1, 2]`).
 */
const jsonArrays = new WeakSet<unknown[]>();

export function isJsonArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && jsonArrays.has(value);
}

/** Marks every array inside a freshly parsed JSON value as a JSON array (in place). */
export function markJson<T>(value: T): T {
  if (Array.isArray(value)) {
    jsonArrays.add(value);
    for (const item of value) markJson(item);
  } else if (isPlainMap(value)) {
    for (const key of Object.keys(value)) markJson(value[key]);
  }
  return value;
}

export function jsonArray(items: unknown[]): unknown[] {
  jsonArrays.add(items);
  return items;
}

/** A Java Map in the template: a plain object (JSON object, `{}` literal, `$context`, `$input.params()`). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A JSON number a JS number would print or keep differently from Java: a whole number written as a
 * decimal (`10.0`, `1e3`: a Java Double, printed `10.0`, `1000.0`) or an integer beyond 2^53 (a
 * Java Long/BigInteger, printed digit for digit — a JS number would change its last digits).
 * `value` is for arithmetic and comparison; `text` is what Java prints.
 */
export class JavaNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** The JS number of a template number (a JavaNumber's value), other values unchanged. */
export function unbox(value: unknown): unknown {
  return value instanceof JavaNumber ? value.value : value;
}

/** Java's Double.toString: `1.5`, `10.0`, `1.0E10`, `1.0E-5`. */
export function javaDoubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa, exponent] = value.toExponential().split('e');
    const m = mantissa!.includes('.') ? mantissa! : mantissa + '.0';
    return `${m}E${Number(exponent)}`;
  }
  const text = String(value);
  return text.includes('.') ? text : text + '.0';
}

// Only bodies holding a whole decimal (`10.0`, `10.00`), an exponent, or 16+ digits in a row can
// have such numbers; the others (most, decimals like 9.95 included) take JSON.parse's fast path.
const NEEDS_EXACT_NUMBERS = /\d\.0+(?![0-9])|\d[eE][-+]?\d|\d{16}/;

/** Parses JSON text into template values; throws SyntaxError on bad JSON. */
export function parseJsonValue(text: string): unknown {
  const value = JSON.parse(text) as unknown; // validates, and is the answer when no number needs care
  if (!NEEDS_EXACT_NUMBERS.test(text)) return markJson(value);
  return markJson(new ExactJsonReader(text).read());
}

const NUMBER_TOKEN = /-?\d+(\.\d+)?([eE][-+]?\d+)?/y;

/** A JSON reader (run on text JSON.parse accepted) that keeps Java's view of numbers. */
class ExactJsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  read(): unknown {
    const value = this.value();
    return value;
  }

  private space(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return;
      this.pos++;
    }
  }

  private value(): unknown {
    this.space();
    const ch = this.text[this.pos];
    if (ch === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      this.space();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      for (;;) {
        this.space();
        const key = this.string();
        this.space();
        this.pos++; // :
        const item = this.value();
        if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
        else out[key] = item;
        this.space();
        if (this.text[this.pos++] === '}') return out;
      }
    }
    if (ch === '[') {
      this.pos++;
      const out: unknown[] = [];
      this.space();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(this.value());
        this.space();
        if (this.text[this.pos++] === ']') return out;
      }
    }
    if (ch === '"') return this.string();
    if (ch === 't') {
      this.pos += 4;
      return true;
    }
    if (ch === 'f') {
      this.pos += 5;
      return false;
    }
    if (ch === 'n') {
      this.pos += 4;
      return null;
    }
    return this.number();
  }

  private string(): string {
    const start = this.pos;
    const close = this.text.indexOf('"', start + 1);
    const escape = this.text.indexOf('\\', start + 1);
    if (escape < 0 || escape > close) {
      this.pos = close + 1;
      return this.text.slice(start + 1, close);
    }
    this.pos++;
    while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): unknown {
    NUMBER_TOKEN.lastIndex = this.pos;
    const match = NUMBER_TOKEN.exec(this.text);
    const token = match![0];
    this.pos += token.length;
    const value = Number(token);
    const decimal = match![1] !== undefined || match![2] !== undefined;
    if (decimal) return Number.isInteger(value) ? new JavaNumber(value, javaDoubleText(value)) : value;
    return Number.isSafeInteger(value) ? value : new JavaNumber(value, token.replace(/^(-?)0+(?=\d)/, '$1'));
  }
}

/**
 * The body as the JSONPath reader sees it. An empty body reads as `{}` (AWS renders `$input.body`
 * of an empty request as `{}`: recorded case `response-raw-body/empty-body`). Text that is not JSON
 * reads as one string value, as json-smart's permissive parser takes unquoted text.
 */
export function readBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return parseJsonValue(body);
  } catch {
    return body;
  }
}

/** JSON text of a template value (compact, as json-smart writes it). */
export function toJsonText(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (value instanceof JavaNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return '[' + value.map(toJsonText).join(',') + ']';
  if (isPlainMap(value)) {
    return '{' + Object.keys(value).map((key) => JSON.stringify(key) + ':' + toJsonText(value[key])).join(',') + '}';
  }
  return JSON.stringify(String(value));
}
