import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProxyEvent, parseProxyAnswer } from './proxy-event.js';

test('empty maps and bodies are null in the event; a binary body travels base64', () => {
  const event = buildProxyEvent({
    resourcePath: '/x',
    path: '/x',
    httpMethod: 'POST',
    headers: { single: {}, multi: {} },
    query: { single: {}, multi: {} },
    pathParameters: {},
    stageVariables: {},
    requestContext: {},
    body: Buffer.alloc(0),
    binary: false,
  });
  for (const key of ['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'body']) assert.equal(event[key], null, key);
  assert.equal(event.isBase64Encoded, false);
  const binary = buildProxyEvent({ ...{ resourcePath: '/x', path: '/x', httpMethod: 'POST', headers: { single: {}, multi: {} }, query: { single: {}, multi: {} }, pathParameters: {}, stageVariables: {}, requestContext: {} }, body: Buffer.from([0, 255]), binary: true });
  assert.equal(binary.body, 'AP8=');
  assert.equal(binary.isBase64Encoded, true);
});

test('a proxy answer: defaults, header values as text, multi-value headers first then single ones', () => {
  assert.deepEqual(parseProxyAnswer('{"headers": {"a": "b"}}'), { statusCode: 200, headers: [['a', 'b']], body: '', isBase64Encoded: false });
  const answer = parseProxyAnswer(JSON.stringify({ statusCode: '201', multiValueHeaders: { 'tesT-Multi': ['one'] }, headers: { 'test-multi': 'two', flag: true, n: 3 }, body: 'x' }));
  assert.deepEqual(answer?.headers, [
    ['tesT-Multi', 'one, two'],
    ['flag', 'true'],
    ['n', '3'],
  ]);
  assert.equal(answer?.statusCode, 201);
  const cookies = parseProxyAnswer(JSON.stringify({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] } }));
  assert.deepEqual(cookies?.headers, [
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ]);
});

test('malformed proxy answers (recorded: 502 Internal server error)', () => {
  for (const bad of ['{}', '"justAString"', 'not json', '[]', '{"statusCode": 200, "wrongValue": "value"}', '{"statusCode": 200, "multiValueHeaders": {"x": "v"}}', '{"statusCode": 200, "body": {"a": 1}}', '{"statusCode": "abc"}', '{"statusCode": 99}', '{"statusCode": 200, "headers": {"x": {"nested": 1}}}', '{"statusCode": 200, "isBase64Encoded": "yes"}']) {
    assert.equal(parseProxyAnswer(bad), undefined, bad);
  }
});
