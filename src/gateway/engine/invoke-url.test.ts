import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimsRequest, invokeTarget } from './invoke-url.js';

test('an invoke-URL host names the API; the first path segment is the stage', () => {
  assert.deepEqual(invokeTarget('a1b2c3d4e5.execute-api.localhost:4566', '/prod/pets/1'), { apiId: 'a1b2c3d4e5', stage: 'prod', path: '/pets/1', fullPath: '/prod/pets/1' });
  assert.deepEqual(invokeTarget('a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', '/prod'), { apiId: 'a1b2c3d4e5', stage: 'prod', path: '/', fullPath: '/prod' });
  assert.deepEqual(invokeTarget('a1b2c3d4e5.execute-api.localhost', '/'), { apiId: 'a1b2c3d4e5', stage: undefined, path: '/', fullPath: '/' });
});

test('the _user_request_ path names the API and the stage on any host', () => {
  assert.deepEqual(invokeTarget('127.0.0.1:4566', '/restapis/a1b2c3d4e5/dev/_user_request_/pets'), { apiId: 'a1b2c3d4e5', stage: 'dev', path: '/pets', fullPath: '/dev/pets' });
  assert.deepEqual(invokeTarget('127.0.0.1:4566', '/restapis/a1b2c3d4e5/dev/_user_request_'), { apiId: 'a1b2c3d4e5', stage: 'dev', path: '/', fullPath: '/dev' });
  assert.equal(invokeTarget('127.0.0.1:4566', '/restapis/a1b2c3d4e5/stages/dev'), undefined, 'a control-plane path');
});

test('the gateway claims invoke URLs and @connections, and leaves AWS API calls alone', () => {
  assert.ok(claimsRequest('abc.execute-api.localhost:4566', '/'));
  assert.ok(claimsRequest('127.0.0.1:4566', '/restapis/abc/prod/_user_request_/x'));
  assert.ok(claimsRequest('127.0.0.1:4566', '/@connections/Zx1='));
  assert.ok(claimsRequest('127.0.0.1:4566', '/prod/@connections/Zx1='));
  for (const path of ['/', '/000000000000/queue', '/restapis', '/restapis/abc/resources', '/v2/apis', '/2015-03-31/functions/f/invocations', '/a/b/@connections/x']) {
    assert.equal(claimsRequest('127.0.0.1:4566', path), false, path);
  }
  assert.equal(claimsRequest('sqs.us-east-1.amazonaws.com', '/'), false);
});
