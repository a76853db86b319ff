import type { ClientCertificate } from '../../model/http.js';

/**
 * An HTTP API request as its integrations, authorizers, mappings and logs read it: plain data
 * made once per request (engine/http/data-plane.ts) from the ApiRequest and the chosen route.
 */
export interface HttpRequestView {
  method: string;
  /**
   * The path payload 2.0 shows (`rawPath`, `requestContext.http.path`): with the stage's name for a
   * named stage on the execute-api endpoint, as AWS sends it; without the API mapping's base path
   * on a custom domain.
   */
  rawPath: string;
  /** The path payload 1.0 shows (`path`): as `rawPath`, but with a custom domain's base path ("Payload format differences"). */
  fullPath: string;
  /** The path after the stage: what routes match and `$request.path` is. */
  routePath: string;
  rawQuery: string;
  /** Header names lower-cased and values, in order; a header sent twice appears twice. */
  headers: [string, string][];
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  context: HttpContextBase;
}

/** What `requestContext` and `$context` know about every request. */
export interface HttpContextBase {
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  requestId: string;
  stage: string;
  sourceIp: string;
  userAgent: string;
  protocol: string;
  /** ms since the epoch. */
  timeEpoch: number;
  clientCert?: ClientCertificate;
}

/**
 * The request's headers as API Gateway passes them on (to Lambda events and HTTP backends): names
 * lower-cased, with `x-forwarded-for` (the client's address appended), `x-forwarded-port`,
 * `x-forwarded-proto` and an `x-amzn-trace-id` added, as the events in AWS's guide show them.
 */
export function gatewayHeaders(rawHeaders: string[], client: { sourceIp: string; port: string; protocol: string; traceId: string }): [string, string][] {
  const out: [string, string][] = [];
  const forwardedFor: string[] = [];
  let trace: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (name === 'x-forwarded-for') forwardedFor.push(value);
    else if (name === 'x-forwarded-port' || name === 'x-forwarded-proto') continue;
    else {
      if (name === 'x-amzn-trace-id') trace = value;
      out.push([name, value]);
    }
  }
  forwardedFor.push(client.sourceIp);
  if (trace === undefined) out.push(['x-amzn-trace-id', client.traceId]);
  out.push(['x-forwarded-for', forwardedFor.join(', ')], ['x-forwarded-port', client.port], ['x-forwarded-proto', client.protocol]);
  return out;
}

/** An X-Ray trace header for a request: `Root=1-<epoch seconds, hex>-<96 random bits, hex>`. */
export function traceHeader(epochMs: number, random: string): string {
  return `Root=1-${Math.floor(epochMs / 1000).toString(16).padStart(8, '0')}-${random}`;
}

/** Every value of a header (lower-case name). */
export function headerValues(view: { headers: [string, string][] }, name: string): string[] {
  const lower = name.toLowerCase();
  return view.headers.filter(([n]) => n === lower).map(([, v]) => v);
}

/** A header's values joined by commas, as HTTP APIs pass repeated headers; undefined when absent. */
export function header(view: { headers: [string, string][] }, name: string): string | undefined {
  const values = headerValues(view, name);
  return values.length === 0 ? undefined : values.join(',');
}

/** The query string's parameters, decoded, each with all its values in order. */
export function queryParameters(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  const out: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([decodeQuery(name), decodeQuery(value)]);
  }
  return out;
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The query's parameters with repeated values joined by commas (payload 2.0, `$request.querystring.x`). */
export function joinedQuery(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of queryParameters(rawQuery)) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

/** `12/Mar/2020:19:03:58 +0000`: how API Gateway writes `requestContext.time` and `$context.requestTime`. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * Whether a body travels to Lambda as text: a text-like content type and valid UTF-8. HTTP APIs
 * base64-encode everything else (`isBase64Encoded: true`), form posts included.
 */
export function isTextBody(contentType: string | undefined, body: Buffer): boolean {
  if (body.length === 0) return true;
  if (!isUtf8(body)) return false;
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/graphql'
  );
}

function isUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}
