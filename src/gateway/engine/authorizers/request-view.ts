import type { ApiRequest } from '../../model/http.js';

/**
 * A request's headers and query string as API Gateway hands them to a REQUEST authorizer (and a
 * Lambda proxy integration): single-value maps keep the last value, multi-value maps every value,
 * header names as the client sent them; null when there are none.
 */
export interface RequestView {
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
}

export function requestView(request: ApiRequest): RequestView {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    const value = request.rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of queryPairs(request.rawQuery)) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const some = (o: object) => Object.keys(o).length > 0;
  return {
    headers: some(headers) ? headers : null,
    multiValueHeaders: some(multiValueHeaders) ? multiValueHeaders : null,
    queryStringParameters: some(query) ? query : null,
    multiValueQueryStringParameters: some(multiQuery) ? multiQuery : null,
  };
}

/** `a=1&b=x%20y&flag` as decoded pairs (a value that does not decode is kept as sent). */
export function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  const out: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    out.push([name, value]);
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A header's value by name without regard to case; repeated headers joined with `,`. */
export function headerValue(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
