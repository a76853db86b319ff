import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaArnOf, proxyAnswer, requestPayload } from './integration.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:chat';

test('a Lambda integration URI names its function, in both of its forms', () => {
  assert.equal(lambdaArnOf(FN), FN);
  assert.equal(lambdaArnOf(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`), FN);
  assert.equal(lambdaArnOf(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}:live/invocations`), `${FN}:live`);
  assert.equal(lambdaArnOf('arn:aws:apigateway:us-east-1:sqs:path/000000000000/q'), undefined);
  assert.equal(lambdaArnOf('http://example.com'), undefined);
  assert.equal(lambdaArnOf(undefined), undefined);
});

test('a Lambda proxy answer: statusCode (200 without one), body, headers, base64 bodies', () => {
  assert.deepEqual(proxyAnswer('{"statusCode":200,"body":"hello"}'), { kind: 'answer', status: 200, body: 'hello', headers: {} });
  assert.deepEqual(proxyAnswer('{"statusCode":401}'), { kind: 'answer', status: 401, body: undefined, headers: {} });
  assert.deepEqual(proxyAnswer('{"body":{"a":1}}'), { kind: 'answer', status: 200, body: '{"a":1}', headers: {} });
  assert.deepEqual(proxyAnswer('{"statusCode":"201","headers":{"Sec-WebSocket-Protocol":"chat","X":1}}'), {
    kind: 'answer',
    status: 201,
    body: undefined,
    headers: { 'Sec-WebSocket-Protocol': 'chat', X: '1' },
  });
  assert.deepEqual(proxyAnswer('{"statusCode":200,"body":"aGk=","isBase64Encoded":true}'), { kind: 'answer', status: 200, body: Buffer.from('hi'), headers: {} });
  assert.deepEqual(proxyAnswer('null'), { kind: 'answer', status: 200, body: undefined, headers: {} });
  assert.deepEqual(proxyAnswer(''), { kind: 'answer', status: 200, body: undefined, headers: {} });
  assert.deepEqual(proxyAnswer('"just text"'), { kind: 'answer', status: 200, body: 'just text', headers: {} });
  assert.deepEqual(proxyAnswer('not json'), { kind: 'answer', status: 200, body: 'not json', headers: {} });
  assert.equal(proxyAnswer('{"statusCode":"abc"}').kind, 'failure');
  assert.equal(proxyAnswer('{"statusCode":99}').kind, 'failure');
});

test('without a request template the message passes through as PassthroughBehavior allows', () => {
  const call = { body: '{"a":1}', context: {}, stageVariables: {}, scope: {} };
  assert.equal(requestPayload({ IntegrationType: 'MOCK' }, call), '{"a":1}');
  assert.equal(requestPayload({ IntegrationType: 'MOCK', PassthroughBehavior: 'NEVER' }, call), undefined);
  assert.equal(requestPayload({ IntegrationType: 'MOCK', PassthroughBehavior: 'WHEN_NO_TEMPLATES' }, call), '{"a":1}');
  assert.equal(
    requestPayload({ IntegrationType: 'MOCK', PassthroughBehavior: 'WHEN_NO_TEMPLATES', TemplateSelectionExpression: 'other', RequestTemplates: { only: 'x' } }, call),
    undefined,
  );
  assert.equal(requestPayload({ IntegrationType: 'MOCK', TemplateSelectionExpression: 'other', RequestTemplates: { only: 'x' } }, call), '{"a":1}');
});
