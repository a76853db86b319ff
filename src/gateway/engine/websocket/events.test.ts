import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizerEvent, connectEvent, disconnectEvent, headerMaps, messageEvent, queryMaps, requestTime, routeArn, type ConnectionFacts } from './events.js';

const facts: ConnectionFacts = {
  connectionId: 'XfGLwFTktjMFsLg=',
  apiId: 'abc123defg',
  accountId: '000000000000',
  region: 'us-east-1',
  stage: 'prod',
  domainName: 'abc123defg.execute-api.localhost:4566',
  connectedAt: Date.UTC(2020, 11, 13, 10, 17, 47, 185),
  sourceIp: '203.0.113.0',
  userAgent: null,
};
const stamp = { requestId: 'XfGLwFTktjMFsLg=', extendedRequestId: 'XfGLwFTktjMFsLh=', at: Date.UTC(2020, 11, 13, 10, 17, 47, 186) };

test('requestTime is the CLF form API Gateway writes', () => {
  assert.equal(requestTime(stamp.at), '13/Dec/2020:10:17:47 +0000');
  assert.equal(requestTime(Date.UTC(2024, 0, 5, 3, 4, 5)), '05/Jan/2024:03:04:05 +0000');
});

test('the CONNECT event: headers as sent (last value, and every value), query string, requestContext', () => {
  const event = connectEvent(facts, { rawHeaders: ['Host', 'h', 'X-A', '1', 'X-A', '2'], query: [['token', 't'], ['r', '1'], ['r', '2']] }, stamp);
  assert.deepEqual(event.headers, { Host: 'h', 'X-A': '2' });
  assert.deepEqual(event.multiValueHeaders, { Host: ['h'], 'X-A': ['1', '2'] });
  assert.deepEqual(event.queryStringParameters, { token: 't', r: '2' });
  assert.deepEqual(event.multiValueQueryStringParameters, { token: ['t'], r: ['1', '2'] });
  assert.equal(event.isBase64Encoded, false);
  const context = event.requestContext as Record<string, unknown>;
  assert.equal(context.routeKey, '$connect');
  assert.equal(context.eventType, 'CONNECT');
  assert.equal(context.messageId, null);
  assert.equal(context.messageDirection, 'IN');
  assert.equal(context.requestTime, '13/Dec/2020:10:17:47 +0000');
  assert.equal(context.requestTimeEpoch, stamp.at);
  assert.equal(context.connectedAt, facts.connectedAt);
  assert.equal(context.connectionId, facts.connectionId);
  assert.equal(context.domainName, facts.domainName);
  assert.equal(context.apiId, 'abc123defg');
  assert.equal(context.stage, 'prod');
  assert.equal((context.identity as Record<string, unknown>).sourceIp, '203.0.113.0');
  assert.equal('authorizer' in context, false);
  assert.equal('stageVariables' in event, false);
});

test('no query string: no query members', () => {
  assert.deepEqual(queryMaps([]), {});
  assert.deepEqual(headerMaps(['A', '1', 'dangling']), { headers: { A: '1' }, multiValueHeaders: { A: ['1'] } });
});

test('the MESSAGE event carries the body, its message id, the route key, stage variables and the authorizer', () => {
  const event = messageEvent({ ...facts, authorizer: { principalId: 'me', team: 'a' } }, 'sendmessage', '{"action":"sendmessage"}', 'mid', stamp, { v: '1' });
  assert.equal(event.body, '{"action":"sendmessage"}');
  assert.equal(event.isBase64Encoded, false);
  assert.deepEqual(event.stageVariables, { v: '1' });
  const context = event.requestContext as Record<string, unknown>;
  assert.equal(context.eventType, 'MESSAGE');
  assert.equal(context.routeKey, 'sendmessage');
  assert.equal(context.messageId, 'mid');
  assert.deepEqual(context.authorizer, { principalId: 'me', team: 'a' });
  assert.equal('headers' in event, false);
});

test('the DISCONNECT event says how the connection closed', () => {
  const event = disconnectEvent(facts, 1001, 'Going away', stamp);
  const context = event.requestContext as Record<string, unknown>;
  assert.equal(context.eventType, 'DISCONNECT');
  assert.equal(context.routeKey, '$disconnect');
  assert.equal(context.disconnectStatusCode, 1001);
  assert.equal(context.disconnectReason, 'Going away');
  assert.deepEqual(event.headers, { Host: facts.domainName, 'X-Forwarded-For': '203.0.113.0' });
});

test('the REQUEST authorizer input: methodArn ends with $connect', () => {
  assert.equal(routeArn(facts, '$connect'), 'arn:aws:execute-api:us-east-1:000000000000:abc123defg/prod/$connect');
  const event = authorizerEvent({ ...facts, authorizer: { principalId: 'x' } }, { rawHeaders: ['Auth', 'secret'], query: [['q', '1']] }, stamp, { s: 'v' });
  assert.equal(event.type, 'REQUEST');
  assert.equal(event.methodArn, 'arn:aws:execute-api:us-east-1:000000000000:abc123defg/prod/$connect');
  assert.deepEqual(event.headers, { Auth: 'secret' });
  assert.deepEqual(event.queryStringParameters, { q: '1' });
  assert.deepEqual(event.stageVariables, { s: 'v' });
  assert.equal('authorizer' in (event.requestContext as object), false, 'the authorizer has not run yet');
});
