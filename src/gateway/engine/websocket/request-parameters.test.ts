import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapRequestParameters, sourceValue } from './request-parameters.js';

const sources = {
  headers: { 'X-Token': 'abc' },
  querystring: { room: 'r1' },
  body: JSON.stringify({ action: 'join', data: { room: 'r2' } }),
  context: { connectionId: 'XfGLwFTktjMFsLg=', identity: { sourceIp: '1.2.3.4' } },
  stageVariables: { backend: 'b' },
};

test('each kind of source', () => {
  assert.equal(sourceValue("'static'", sources), 'static');
  assert.equal(sourceValue('route.request.header.x-token', sources), 'abc');
  assert.equal(sourceValue('route.request.querystring.room', sources), 'r1');
  assert.equal(sourceValue('route.request.body.data.room', sources), 'r2');
  assert.equal(sourceValue('context.connectionId', sources), 'XfGLwFTktjMFsLg=');
  assert.equal(sourceValue('context.identity.sourceIp', sources), '1.2.3.4');
  assert.equal(sourceValue('stageVariables.backend', sources), 'b');
  assert.equal(sourceValue('route.request.body.missing', sources), undefined);
  assert.equal(sourceValue('route.request.body.action', { ...sources, body: 'not json' }), undefined);
  assert.equal(sourceValue('unknown.thing', sources), undefined);
});

test('headers and query string parameters; a source without a value leaves its key out', () => {
  assert.deepEqual(
    mapRequestParameters(
      {
        'integration.request.header.connectionId': 'context.connectionId',
        'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        'integration.request.querystring.room': 'route.request.body.data.room',
        'integration.request.querystring.none': 'route.request.querystring.none',
      },
      sources,
    ),
    { headers: { connectionId: 'XfGLwFTktjMFsLg=', 'Content-Type': 'application/x-www-form-urlencoded' }, querystring: { room: 'r2' } },
  );
  assert.deepEqual(mapRequestParameters(undefined, sources), { headers: {}, querystring: {} });
});
