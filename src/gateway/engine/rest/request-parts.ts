import type { ApiRequest } from '../../model/http.js';

/** A request's headers and query string as API Gateway hands them on: single values (the last one wins) and every value. */
export interface MultiValues {
  single: Record<string, string>;
  multi: Record<string, string[]>;
}

/** Headers by name as sent (the proxy event keeps the client's spelling: `tEsT-HEADeR`). */
export function requestHeaders(request: ApiRequest): MultiValues {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const spelled = new Map<string, string>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const sent = request.rawHeaders[i];
    const lower = sent.toLowerCase();
    // One name per header whatever case a repeat uses: the first spelling.
    const name = spelled.get(lower) ?? sent;
    spelled.set(lower, name);
    const value = request.rawHeaders[i + 1];
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

/** The query string decoded (`+` is a space), repeated names kept in order. */
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
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
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
