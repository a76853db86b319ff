/**
 * `$input` and `$util` as the API Gateway developer guide documents them ("Variables for data
 * transformations for API Gateway": https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
 * REST APIs' `$util` has exactly escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode and
 * base64Decode (no `toJson`: that is AppSync's); any other `$util.x()` renders nothing.
 */
import { JavaException, javaToString, type HostObject } from './java-values.js';
import { parseJsonValue, readBody, toJsonText } from './json-values.js';
import { evaluateJsonPath, JsonPathError } from './jsonpath.js';

export interface RequestParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

function textArg(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return javaToString(value);
}

export class InputObject implements HostObject {
  readonly hostName = 'input';
  private parsed: { value: unknown } | undefined;

  constructor(
    private readonly rawBody: string,
    private readonly params: RequestParams,
  ) {}

  /** `$input.body`: the payload as a string; an empty payload reads as `{}` (recorded: `response-raw-body/empty-body`). */
  get body(): string {
    return this.rawBody === '' ? '{}' : this.rawBody;
  }

  private root(): unknown {
    if (!this.parsed) this.parsed = { value: readBody(this.rawBody) };
    return this.parsed.value;
  }

  private evaluate(path: unknown): unknown {
    const text = textArg(path);
    if (text === null) return null;
    try {
      return evaluateJsonPath(this.root(), text);
    } catch (error) {
      if (error instanceof JsonPathError) throw new JavaException(error.message);
      throw error;
    }
  }

  /** `$input.params()`: every parameter; `$input.params(x)`: path, then querystring, then header (names of headers case-insensitive). */
  private param(name: string): string {
    const { path, querystring, header } = this.params;
    if (Object.prototype.hasOwnProperty.call(path, name)) return path[name]!;
    if (Object.prototype.hasOwnProperty.call(querystring, name)) return querystring[name]!;
    if (Object.prototype.hasOwnProperty.call(header, name)) return header[name]!;
    const lower = name.toLowerCase();
    for (const key of Object.keys(header)) if (key.toLowerCase() === lower) return header[key]!;
    // A parameter the request does not carry reads as the empty string.
    return '';
  }

  callMethod(name: string, args: unknown[]): { value: unknown } | undefined {
    switch (`${name}/${args.length}`) {
      case 'getBody/0':
        return { value: this.body };
      case 'json/1': {
        const text = textArg(args[0]);
        if (text === null) return { value: null };
        return { value: toJsonText(this.evaluate(text)) };
      }
      case 'path/1':
        return { value: this.evaluate(args[0]) };
      case 'params/0':
        return {
          value: {
            path: { ...this.params.path },
            querystring: { ...this.params.querystring },
            header: { ...this.params.header },
          },
        };
      case 'params/1': {
        const text = textArg(args[0]);
        return { value: text === null ? null : this.param(text) };
      }
      case 'toString/0':
        return { value: this.hostName };
      default:
        return undefined;
    }
  }

  getProperty(name: string): unknown {
    if (name === 'body') return this.body;
    return undefined;
  }
}

/**
 * `$util.escapeJavaScript`: JavaScript string escaping (Apache Commons Lang 2 `escapeJavaScript`):
 * `'` `"` `\` `/` escaped, control characters as `\b \t \n \f \r` or `\u00XX`, non-ASCII as `\uXXXX`.
 * (AWS notes that the escaped single quote is not valid JSON and suggests `.replaceAll("\\'","'")`.)
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    } else if (code < 32) {
      switch (ch) {
        case '\b':
          out += '\\b';
          break;
        case '\n':
          out += '\\n';
          break;
        case '\t':
          out += '\\t';
          break;
        case '\f':
          out += '\\f';
          break;
        case '\r':
          out += '\\r';
          break;
        default:
          out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
      }
    } else if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') {
      out += '\\' + ch;
    } else {
      out += ch;
    }
  }
  return out;
}

/** `$util.urlEncode`: Java's URLEncoder (UTF-8, application/x-www-form-urlencoded): space is `+`, `.-*_` kept. */
export function urlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** `$util.urlDecode`: Java's URLDecoder: `+` is a space; a malformed `%` escape is an error. */
export function urlDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced)) throw new JavaException('URLDecoder: Illegal hex characters in escape (%) pattern');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Bytes that are not UTF-8 decode to U+FFFD in Java rather than failing.
    return Buffer.from(spaced.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  }
}

export function base64Encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** `$util.base64Decode`: standard (or URL-safe) alphabet, padding optional; anything else is an error. */
export function base64Decode(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new JavaException('IllegalArgumentException: Illegal base64 character');
  }
  return Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

export class UtilObject implements HostObject {
  readonly hostName = 'util';

  callMethod(name: string, args: unknown[]): { value: unknown } | undefined {
    if (args.length !== 1) return undefined;
    const text = textArg(args[0]);
    // A null argument (a missing reference) gives null, which renders as nothing: recorded
    // `$util.urlEncode($input.body.testAccess)` renders empty (`response-url-encode`).
    switch (name) {
      case 'escapeJavaScript':
        return { value: text === null ? null : escapeJavaScript(text) };
      case 'parseJson':
        if (text === null) return { value: null };
        try {
          return { value: parseJsonValue(text) };
        } catch (error) {
          throw new JavaException(`parseJson: ${(error as Error).message}`);
        }
      case 'urlEncode':
        return { value: text === null ? null : urlEncode(text) };
      case 'urlDecode':
        return { value: text === null ? null : urlDecode(text) };
      case 'base64Encode':
        return { value: text === null ? null : base64Encode(text) };
      case 'base64Decode':
        return { value: text === null ? null : base64Decode(text) };
      default:
        return undefined;
    }
  }

  getProperty(): unknown {
    return undefined;
  }
}

