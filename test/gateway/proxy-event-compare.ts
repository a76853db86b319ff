/**
 * Comparing a Lambda proxy event (payload 1.0) with one AWS delivered (recorded): every member
 * present with the same type, placeholders (`<…>`) by shape, the rest exactly. Headers CloudFront
 * adds in front of API Gateway (CloudFront-*, Via, X-Amz-Cf-Id) are not Stratus's to send; with
 * `onlyHeaders`, only the headers the test itself sent are compared (a client adds its own).
 */
import assert from 'node:assert/strict';

export const isPlaceholder = (v: unknown): boolean => typeof v === 'string' && /^<[^>]+>$/.test(v);
/** What CloudFront adds in front of API Gateway. */
export const EDGE_HEADER = /^(cloudfront-|via$|x-amz-cf-id$)/i;
/** Headers API Gateway adds to the event (present, values by shape). */
export const GATEWAY_HEADER = /^(host|x-amzn-trace-id|x-forwarded-for|x-forwarded-port|x-forwarded-proto)$/i;

function compareHeaders(label: string, ours: Record<string, unknown> | null, recorded: Record<string, unknown> | null, only: Set<string> | undefined): void {
  assert.equal(ours === null, recorded === null, `${label}: null`);
  if (!ours || !recorded) return;
  for (const [name, value] of Object.entries(recorded)) {
    if (EDGE_HEADER.test(name)) continue;
    if (only && !only.has(name.toLowerCase()) && !GATEWAY_HEADER.test(name)) continue;
    assert.ok(name in ours, `${label}: ${name} missing (have ${Object.keys(ours).join(', ')})`);
    if (GATEWAY_HEADER.test(name) || isPlaceholder(value) || (Array.isArray(value) && value.some(isPlaceholder))) continue;
    assert.deepEqual(ours[name], value, `${label}: ${name}`);
  }
  if (!only) for (const name of Object.keys(ours)) assert.ok(name in recorded, `${label}: ${name} is not in AWS's event`);
}

export function compareShapes(label: string, ours: unknown, recorded: unknown): void {
  if (isPlaceholder(recorded)) {
    assert.notEqual(ours, undefined, `${label}: missing`);
    assert.notEqual(ours, null, `${label}: null`);
    return;
  }
  if (recorded !== null && typeof recorded === 'object' && !Array.isArray(recorded)) {
    assert.ok(ours !== null && typeof ours === 'object', `${label}: not an object`);
    const o = ours as Record<string, unknown>;
    const r = recorded as Record<string, unknown>;
    assert.deepEqual(Object.keys(o).sort(), Object.keys(r).sort(), `${label}: members`);
    for (const key of Object.keys(r)) compareShapes(`${label}.${key}`, o[key], r[key]);
    return;
  }
  assert.deepEqual(ours, recorded, label);
}

export function looksLikeProxyEvent(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && 'requestContext' in value && 'httpMethod' in value && 'multiValueHeaders' in value;
}

export function compareProxyEvent(event: Record<string, any>, recorded: Record<string, any>, apiId: string, onlyHeaders?: Iterable<string>): void {
  const only = onlyHeaders ? new Set([...onlyHeaders].map((h) => h.toLowerCase())) : undefined;
  assert.deepEqual(Object.keys(event).sort(), Object.keys(recorded).sort(), 'members');
  for (const key of ['resource', 'path', 'httpMethod', 'isBase64Encoded', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables']) {
    assert.deepEqual(event[key], recorded[key], key);
  }
  if (recorded.body !== null && typeof recorded.body === 'object') assert.deepEqual(JSON.parse(event.body), recorded.body, 'body');
  else assert.equal(event.body, recorded.body, 'body');
  compareHeaders('headers', event.headers, recorded.headers, only);
  compareHeaders('multiValueHeaders', event.multiValueHeaders, recorded.multiValueHeaders, only);
  // The recording's account is a placeholder (111111111111); ours is the caller's.
  const rc = { ...recorded.requestContext, accountId: '<account>' };
  compareShapes('requestContext', event.requestContext, rc);
  assert.equal(event.requestContext.domainName, event.headers.Host.replace(/:\d+$/, ''));
  if (String(event.headers.Host).startsWith(`${apiId}.`)) assert.equal(event.requestContext.domainPrefix, apiId);
  assert.equal(event.requestContext.apiId, apiId);
}
