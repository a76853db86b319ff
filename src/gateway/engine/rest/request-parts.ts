import type { ApiRequest } from '../../model/http.js';

/** A request's headers and query string as API Gateway hands them on: single values (the last one wins) and every value. */
export interface MultiValues {
  single: Record<string, string>;
  multi: Record<string, string[]>;
}

/**
 * Standard header names arrive in their canonical spelling whatever the client sent (recorded,
 * lambda-proxy-events: `authorization` and `aUThorization` became `Authorization`, `user-Agent`
 * `User-Agent`); other names keep the client's spelling (`tEsT-HEADeR`).
 */
const CANONICAL = new Map(
  [
    'Accept', 'Accept-Charset', 'Accept-Encoding', 'Accept-Language', 'Authorization', 'Cache-Control', 'Content-Encoding', 'Content-Language',
    'Content-Length', 'Content-MD5', 'Content-Type', 'Cookie', 'Date', 'Expect', 'From', 'Host', 'If-Match', 'If-Modified-Since', 'If-None-Match',
    'If-Range', 'If-Unmodified-Since', 'Max-Forwards', 'Origin', 'Pragma', 'Proxy-Authorization', 'Range', 'Referer', 'User-Agent', 'Via', 'Warning',
    'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Amzn-Trace-Id',
  ].map((name) => [name.toLowerCase(), name]),
);

/** Headers by name as API Gateway hands them on. */
export function requestHeaders(request: ApiRequest): MultiValues {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const spelled = new Map<string, string>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const lower = request.rawHeaders[i].toLowerCase();
    const sent = CANONICAL.get(lower) ?? request.rawHeaders[i];
    // One name per header whatever case a repeat uses: the first spelling.
    const name = spelled.get(lower) ?? sent;
    spelled.set(lower, name);
    const value = request.rawHeaders[i + 1];
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

/**
 * The query string, each name and value percent-decoded as RFC 3986 says (a `+` stays a plus:
 * API Gateway does not read query strings as HTML forms), repeated names kept in order.
 */
export function parseQuery(rawQuery: string): MultiValues {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  if (rawQuery === '') return { single, multi };
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function decodeQueryPart(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** A header's value by case-insensitive name. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The media type of a Content-Type or Accept value without parameters, lower-cased. */
export function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = value.split(';')[0].trim().toLowerCase();
  return t === '' ? undefined : t;
}
