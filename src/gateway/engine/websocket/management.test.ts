import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncomingCall } from '../../../server/dispatcher.js';
import { manageConnections, type ManagedConnection } from './management.js';

const ID = 'XfGLwFTktjMFsLg=';
const sent: Buffer[] = [];
let open = true;
const connection: ManagedConnection = {
  apiId: 'abc123defg',
  stage: 'prod',
  connectedAt: Date.UTC(2024, 0, 1),
  lastActiveAt: Date.UTC(2024, 0, 1, 0, 5),
  sourceIp: '127.0.0.1',
  userAgent: null,
  open: () => open,
  send: (data) => void sent.push(data),
  disconnect: () => void (open = false),
};
const lookup = { get: (id: string) => (id === ID ? connection : undefined) };
const call = (method: string, host = '127.0.0.1:4566', body = ''): IncomingCall =>
  ({ method, url: '', headers: { host }, body: Buffer.from(body), lifetime: { signal: new AbortController().signal }, endpoint: '' }) as IncomingCall;
const path = (id: string, stage = ''): string => `${stage ? `/${stage}` : ''}/@connections/${encodeURIComponent(id)}`;

test('GetConnection: ISO-8601 times and the identity', () => {
  const answer = manageConnections(lookup, call('GET'), path(ID));
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(String(answer.body)), {
    connectedAt: '2024-01-01T00:00:00.000Z',
    identity: { sourceIp: '127.0.0.1', userAgent: '' },
    lastActiveAt: '2024-01-01T00:05:00.000Z',
  });
});

test('PostToConnection sends the body as it is; the endpoint may name the stage, on any host or on the API’s', () => {
  sent.length = 0;
  assert.equal(manageConnections(lookup, call('POST', undefined, 'hi'), path(ID, 'prod')).status, 200);
  assert.equal(manageConnections(lookup, call('POST', 'abc123defg.execute-api.localhost:4566', 'there'), path(ID, 'prod')).status, 200);
  assert.deepEqual(sent.map(String), ['hi', 'there']);
});

test('another API’s or stage’s endpoint, an unknown id: Gone, with no body and the error type in x-amzn-ErrorType', () => {
  for (const [host, stage, id] of [
    ['zzzzzzzzzz.execute-api.localhost:4566', 'prod', ID],
    ['abc123defg.execute-api.localhost:4566', 'dev', ID],
    ['127.0.0.1:4566', '', 'AAAAAAAAAAAAAAA='],
  ]) {
    const answer = manageConnections(lookup, call('GET', host), path(id, stage));
    assert.equal(answer.status, 410);
    assert.equal((answer.headers as Record<string, string>)['x-amzn-ErrorType'], 'GoneException');
    assert.equal(answer.body, '');
  }
});

test('bad input: no id, an id of another form, no data, data over 128 KB, a method the API has not', () => {
  const error = (a: ReturnType<typeof manageConnections>) => [a.status, (a.headers as Record<string, string>)['x-amzn-ErrorType'], JSON.parse(String(a.body)).message];
  assert.deepEqual(error(manageConnections(lookup, call('GET'), '/@connections/')).slice(0, 2), [400, 'BadRequestException']);
  assert.deepEqual(error(manageConnections(lookup, call('GET'), path('abc'))), [400, 'BadRequestException', 'Invalid connectionId: abc']);
  assert.deepEqual(error(manageConnections(lookup, call('GET'), '/@connections/%E0%A4%A')), [400, 'BadRequestException', 'Invalid connectionId: %E0%A4%A']);
  assert.deepEqual(error(manageConnections(lookup, call('POST'), path(ID))).slice(0, 2), [400, 'BadRequestException']);
  assert.deepEqual(error(manageConnections(lookup, call('POST', undefined, 'x'.repeat(128 * 1024 + 1)), path(ID))), [
    413,
    'PayloadTooLargeException',
    'The data has exceeded the maximum size allowed.',
  ]);
  assert.deepEqual(error(manageConnections(lookup, call('PUT'), path(ID))), [403, 'ForbiddenException', 'Forbidden']);
  assert.deepEqual(error(manageConnections(lookup, call('GET'), `${path(ID)}/more`)), [403, 'ForbiddenException', 'Forbidden']);
});

test('DeleteConnection: 204, and the connection is Gone after', () => {
  open = true;
  assert.equal(manageConnections(lookup, call('DELETE'), path(ID)).status, 204);
  assert.equal(manageConnections(lookup, call('POST', undefined, 'x'), path(ID)).status, 410);
});
