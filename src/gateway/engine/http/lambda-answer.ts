/** An HTTP API's answer before headers AWS adds (date, apigw-requestid) and parameter mapping. */
export interface HttpAnswer {
  status: number;
  /** `[name, value]` pairs in order; a header may repeat (set-cookie). */
  headers: [string, string][];
  body: Buffer;
}

export const jsonMessage = (status: number, message: string): HttpAnswer => ({
  status,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify({ message })),
});

export const INTERNAL_ERROR = (): HttpAnswer => jsonMessage(500, 'Internal Server Error');

function headerPairs(headers: unknown, multi: unknown): [string, string][] | undefined {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return undefined;
    for (const [name, values] of Object.entries(multi as Record<string, unknown>)) {
      if (!Array.isArray(values)) return undefined;
      for (const v of values) out.push([name.toLowerCase(), scalar(v)]);
      seen.add(name.toLowerCase());
    }
  }
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) return undefined;
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (seen.has(name.toLowerCase())) continue;
      out.push([name.toLowerCase(), scalar(value)]);
    }
  }
  return out;
}

const scalar = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function withContentType(headers: [string, string][]): [string, string][] {
  return headers.some(([n]) => n === 'content-type') ? headers : [...headers, ['content-type', 'application/json']];
}

function bodyBuffer(body: unknown, base64: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (base64 === true) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, ''))) return undefined;
    return Buffer.from(text, 'base64');
  }
  return Buffer.from(text, 'utf8');
}

function statusOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * A Lambda function's answer in payload format 2.0 ("Lambda function response for format 2.0"):
 * an object with `statusCode` is a response (`headers`, `cookies` as set-cookie headers, `body`,
 * `isBase64Encoded`); any other valid JSON is the body of a 200 `application/json` response — a
 * string as its text, anything else as JSON. Text that is not JSON is a 500.
 */
export function answerV2(payload: string): HttpAnswer {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return INTERNAL_ERROR();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body, 'utf8') };
  }
  const r = value as Record<string, unknown>;
  const status = statusOf(r.statusCode);
  const headers = headerPairs(r.headers, r.multiValueHeaders);
  const body = bodyBuffer(r.body, r.isBase64Encoded);
  if (status === undefined || headers === undefined || body === undefined) return INTERNAL_ERROR();
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return INTERNAL_ERROR();
    for (const cookie of r.cookies) headers.push(['set-cookie', scalar(cookie)]);
  }
  return { status, headers: withContentType(headers), body };
}

/**
 * A Lambda function's answer in payload format 1.0: REST's proxy response — `statusCode`
 * required, `headers` and `multiValueHeaders`, `body`, `isBase64Encoded`; anything else is a 500.
 */
export function answerV1(payload: string): HttpAnswer {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return INTERNAL_ERROR();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return INTERNAL_ERROR();
  const r = value as Record<string, unknown>;
  const status = statusOf(r.statusCode);
  const headers = headerPairs(r.headers, r.multiValueHeaders);
  const body = bodyBuffer(r.body, r.isBase64Encoded);
  if (status === undefined || headers === undefined || body === undefined) return INTERNAL_ERROR();
  return { status, headers: withContentType(headers), body };
}
