import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from './errors.js';
import { renderRestXmlError } from './rest-xml.js';

test("an S3-style <Error>: code, escaped message, request id, and S3's request id header", () => {
  const out = renderRestXmlError(new ServiceError('InvalidRequest', 'a <b> & \u0001', { status: 400, headers: { 'retry-after': '1' } }), 'rid');
  assert.equal(out.status, 400);
  assert.deepEqual(out.headers, { 'content-type': 'application/xml', 'x-amz-request-id': 'rid', 'retry-after': '1' });
  assert.equal(
    out.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest</Code><Message>a &lt;b&gt; &amp; \uFFFD</Message><RequestId>rid</RequestId></Error>',
  );
});
