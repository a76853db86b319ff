import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventV1, eventV2 } from './events.js';
import { answerV1, answerV2 } from './lambda-answer.js';
import { gatewayHeaders, isTextBody, requestTime, type HttpRequestView } from './request-view.js';

const view = (over: Partial<HttpRequestView> = {}): HttpRequestView => ({
  method: 'GET',
  rawPath: '/prod/a/1',
  fullPath: '/prod/a/1',
  routePath: '/a/1',
  rawQuery: 'x=1&x=2&y=%2F',
  headers: [
    ['cookie', 'a=1; b=2'],
    ['x-h', 'one'],
    ['x-h', 'two'],
  ],
  body: Buffer.alloc(0),
  routeKey: 'GET /a/{id}',
  pathParameters: { id: '1' },
  stageVariables: {},
  context: {
    accountId: '123456789012',
    apiId: 'abc',
    domainName: 'abc.execute-api.localhost',
    domainPrefix: 'abc',
    requestId: 'rid',
    stage: 'prod',
    sourceIp: '10.0.0.1',
    userAgent: 'ua',
    protocol: 'HTTP/1.1',
    timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58),
  },
  ...over,
});

test('payload 2.0: cookies apart, headers and query joined by commas, empty members left out', () => {
  const e = eventV2(view());
  assert.deepEqual(e.cookies, ['a=1', 'b=2']);
  assert.deepEqual(e.headers, { 'x-h': 'one,two' });
  assert.deepEqual(e.queryStringParameters, { x: '1,2', y: '/' });
  assert.equal('body' in e, false);
  assert.equal('stageVariables' in e, false);
  assert.equal((e.requestContext as { time: string }).time, '12/Mar/2020:19:03:58 +0000');
  const jwt = eventV2(view(), { kind: 'jwt', claims: { sub: 'u' }, scopes: null });
  assert.deepEqual((jwt.requestContext as { authorizer: unknown }).authorizer, { jwt: { claims: { sub: 'u' }, scopes: null } });
  const lambda = eventV2(view(), { kind: 'lambda', context: { k: 1 } });
  assert.deepEqual((lambda.requestContext as { authorizer: unknown }).authorizer, { lambda: { k: 1 } });
});

test('a verified client certificate: requestContext.authentication (2.0), identity.clientCert (1.0)', () => {
  const clientCert = { clientCertPem: 'PEM', subjectDN: 'CN=c', issuerDN: 'CN=ca', serialNumber: '01', validity: { notBefore: 'a', notAfter: 'b' } };
  const base = view();
  const withCert = view({ context: { ...base.context, clientCert } });
  assert.deepEqual((eventV2(withCert).requestContext as { authentication: unknown }).authentication, { clientCert });
  assert.deepEqual(((eventV1(withCert).requestContext as { identity: { clientCert: unknown } }).identity).clientCert, clientCert);
  assert.equal('authentication' in (eventV2(base).requestContext as object), false);
});

test('payload 1.0: last values in headers and query, every value in the multi-value maps, nulls for absent maps', () => {
  const e = eventV1(view({ rawQuery: '', pathParameters: {} }));
  assert.equal(e.headers && (e.headers as Record<string, string>)['x-h'], 'two');
  assert.deepEqual((e.multiValueHeaders as Record<string, string[]>)['x-h'], ['one', 'two']);
  assert.equal(e.queryStringParameters, null);
  assert.equal(e.multiValueQueryStringParameters, null);
  assert.equal(e.pathParameters, null);
  assert.equal(e.resource, '/a/{id}');
  assert.equal(e.body, null);
});

test('bodies: text types as text, others base64', () => {
  assert.equal(isTextBody('application/json; charset=utf-8', Buffer.from('{}')), true);
  assert.equal(isTextBody('text/plain', Buffer.from([0xff, 0xfe])), false);
  assert.equal(isTextBody('application/octet-stream', Buffer.from('abc')), false);
  assert.equal(isTextBody('application/x-www-form-urlencoded', Buffer.from('a=1')), false);
  const e = eventV2(view({ headers: [['content-type', 'image/png']], body: Buffer.from([1, 2, 3]) }));
  assert.equal(e.isBase64Encoded, true);
  assert.equal(e.body, 'AQID');
});

test('gateway headers: x-forwarded-for appended, port and proto set, a trace id unless sent', () => {
  const h = gatewayHeaders(['X-Forwarded-For', '1.1.1.1', 'X-Forwarded-Proto', 'https', 'Host', 'h'], { sourceIp: '2.2.2.2', port: '80', protocol: 'http', traceId: 'Root=1-x' });
  assert.deepEqual(h, [
    ['host', 'h'],
    ['x-amzn-trace-id', 'Root=1-x'],
    ['x-forwarded-for', '1.1.1.1, 2.2.2.2'],
    ['x-forwarded-port', '80'],
    ['x-forwarded-proto', 'http'],
  ]);
  assert.equal(requestTime(0), '01/Jan/1970:00:00:00 +0000');
});

test('answers, payload 2.0: bare values, full responses, malformed ones', () => {
  assert.deepEqual(answerV2('{"a":1}'), { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from('{"a":1}') });
  assert.equal(answerV2('"text"').body.toString(), 'text');
  assert.equal(answerV2('42').body.toString(), '42');
  assert.equal(answerV2('null').body.toString(), 'null');
  assert.equal(answerV2('not json').status, 500);
  const full = answerV2(JSON.stringify({ statusCode: 302, headers: { Location: '/x', 'Content-Type': 'text/html' }, cookies: ['a=1'], body: 'moved' }));
  assert.equal(full.status, 302);
  assert.deepEqual(full.headers, [
    ['location', '/x'],
    ['content-type', 'text/html'],
    ['set-cookie', 'a=1'],
  ]);
  assert.deepEqual([...answerV2(JSON.stringify({ statusCode: 200, body: 'AAE=', isBase64Encoded: true })).body], [0, 1]);
  assert.equal(answerV2(JSON.stringify({ statusCode: 'abc' })).status, 500);
  assert.equal(answerV2(JSON.stringify({ statusCode: 200, headers: 'x' })).status, 500);
  assert.equal(answerV2(JSON.stringify({ statusCode: 200, body: '***', isBase64Encoded: true })).status, 500);
});

test('answers, payload 1.0: statusCode required; multiValueHeaders kept', () => {
  assert.equal(answerV1('{"a":1}').status, 500);
  const a = answerV1(JSON.stringify({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, headers: { 'set-cookie': 'ignored', x: 'y' }, body: 'ok' }));
  assert.deepEqual(a.headers, [
    ['set-cookie', 'a=1'],
    ['set-cookie', 'b=2'],
    ['x', 'y'],
    ['content-type', 'application/json'],
  ]);
});
