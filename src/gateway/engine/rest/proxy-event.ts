import type { MultiValues } from './request-parts.js';

/**
 * The Lambda proxy integration's input, payload format 1.0, as API Gateway builds it for a REST
 * API (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format;
 * every member and its null forms recorded in test/conformance/apigateway/lambda-proxy-events/).
 */
export interface ProxyEventInput {
  resourcePath: string;
  /** The path after the stage, decoded, leading slashes collapsed, trailing slash kept. */
  path: string;
  httpMethod: string;
  headers: MultiValues;
  query: MultiValues;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  requestContext: Record<string, unknown>;
  body: Buffer;
  /** Whether the body travels base64-encoded (its Content-Type is one of the API's binary media types). */
  binary: boolean;
}

const emptyToNull = <T extends object>(value: T): T | null => (Object.keys(value).length === 0 ? null : value);

export function buildProxyEvent(input: ProxyEventInput): Record<string, unknown> {
  return {
    resource: input.resourcePath,
    path: input.path,
    httpMethod: input.httpMethod,
    headers: emptyToNull(input.headers.single),
    multiValueHeaders: emptyToNull(input.headers.multi),
    queryStringParameters: emptyToNull(input.query.single),
    multiValueQueryStringParameters: emptyToNull(input.query.multi),
    pathParameters: emptyToNull(input.pathParameters),
    stageVariables: emptyToNull(input.stageVariables),
    requestContext: input.requestContext,
    body: input.body.length === 0 ? null : input.binary ? input.body.toString('base64') : input.body.toString('utf8'),
    isBase64Encoded: input.binary && input.body.length > 0,
  };
}

/** A Lambda proxy answer once checked: what API Gateway turns into the HTTP response. */
export interface ProxyAnswer {
  statusCode: number;
  /** Names as the function spelled them; a name in both maps gets the multi values first. */
  headers: [string, string][];
  body: string;
  isBase64Encoded: boolean;
}

const PROXY_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Checks a function's answer as API Gateway does: a JSON object with only the proxy members
 * (an unknown member, an empty object, a plain string, multiValueHeaders values that are not
 * lists are a "Malformed Lambda proxy response": 502 — recorded,
 * test_aws_proxy_response_payload_format_validation). Header values that are not strings are
 * shown as JSON scalars (`true`); values of one name from both maps are joined with ", ".
 * Returns undefined for a malformed answer.
 */
export function parseProxyAnswer(payload: string): ProxyAnswer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const answer = parsed as Record<string, unknown>;
  const keys = Object.keys(answer);
  if (keys.length === 0 || keys.some((k) => !PROXY_KEYS.has(k))) return undefined;
  let statusCode = 200;
  if (answer.statusCode !== undefined && answer.statusCode !== null) {
    const n = typeof answer.statusCode === 'number' ? answer.statusCode : typeof answer.statusCode === 'string' && /^\d+$/.test(answer.statusCode) ? Number(answer.statusCode) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) return undefined;
    statusCode = n;
  }
  const merged = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: unknown): boolean => {
    if (value !== null && typeof value === 'object') return false;
    const key = name.toLowerCase();
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { name, values: [] }));
    entry.values.push(value === null || value === undefined ? '' : String(value));
    return true;
  };
  if (answer.multiValueHeaders !== undefined && answer.multiValueHeaders !== null) {
    if (typeof answer.multiValueHeaders !== 'object' || Array.isArray(answer.multiValueHeaders)) return undefined;
    for (const [name, values] of Object.entries(answer.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(values)) return undefined;
      for (const v of values) if (!add(name, v)) return undefined;
    }
  }
  if (answer.headers !== undefined && answer.headers !== null) {
    if (typeof answer.headers !== 'object' || Array.isArray(answer.headers)) return undefined;
    for (const [name, value] of Object.entries(answer.headers as Record<string, unknown>)) if (!add(name, value)) return undefined;
  }
  let body = '';
  if (answer.body !== undefined && answer.body !== null) {
    if (typeof answer.body !== 'string') return undefined;
    body = answer.body;
  }
  if (answer.isBase64Encoded !== undefined && answer.isBase64Encoded !== null && typeof answer.isBase64Encoded !== 'boolean') return undefined;
  const headers: [string, string][] = [];
  for (const { name, values } of merged.values()) {
    // Set-Cookie cannot be folded into one line: each value is a header of its own.
    if (name.toLowerCase() === 'set-cookie') for (const v of values) headers.push([name, v]);
    else headers.push([name, values.join(', ')]);
  }
  return { statusCode, headers, body, isBase64Encoded: answer.isBase64Encoded === true };
}
