import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mockStatusCode } from './mock.js';

test('the MOCK status is the integer statusCode of the rendered request template', () => {
  assert.equal(mockStatusCode('{"statusCode": 200}'), 200);
  assert.equal(mockStatusCode('\n\n{\n  "statusCode": 404, "other": true\n}\n'), 404);
});

test('anything else has no status (the data plane answers 500 Internal server error)', () => {
  for (const body of ['', 'statusCode: 200', '{"statusCode": "200"}', '{"statusCode": 200.5}', '[200]', 'null', '{"code": 200}']) {
    assert.equal(mockStatusCode(body), undefined, body);
  }
});
