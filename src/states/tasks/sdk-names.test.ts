import assert from 'node:assert/strict';
import { test } from 'node:test';
import { t } from '../../protocol/shapes.js';
import { optimizedErrorPrefix, sdkErrorPrefix, toServiceNames, toTaskNames } from './sdk-names.js';

test('PascalCase task parameters become the service’s member names, following the shape', () => {
  const shape = t.struct({
    stateMachineArn: t.string(),
    tags: t.list(t.struct({ key: t.string(), value: t.string() })),
    attrs: t.map(t.string(), t.struct({ innerName: t.string() })),
  });
  const input = { StateMachineArn: 'arn', Tags: [{ Key: 'k', Value: 'v' }], Attrs: { KeepMe: { InnerName: 'x' } }, Unknown: 1 };
  assert.deepEqual(toServiceNames(shape, input), { stateMachineArn: 'arn', tags: [{ key: 'k', value: 'v' }], attrs: { KeepMe: { innerName: 'x' } }, Unknown: 1 });
});

test('answers come back with PascalCase member names; map keys and documents stay', () => {
  const shape = t.struct({ executionArn: t.string(), attrs: t.map(t.string(), t.string()), detail: { type: 'document' } as const });
  assert.deepEqual(toTaskNames(shape, { executionArn: 'a', attrs: { lower: 'x' }, detail: { inner: 1 } }), { ExecutionArn: 'a', Attrs: { lower: 'x' }, Detail: { inner: 1 } });
});

test('error prefixes: aws-sdk services in the SDK’s PascalCase, optimized integrations as AWS names them', () => {
  assert.equal(sdkErrorPrefix('sfn'), 'Sfn');
  assert.equal(sdkErrorPrefix('sqs'), 'Sqs');
  assert.equal(sdkErrorPrefix('dynamodb'), 'DynamoDb');
  assert.equal(sdkErrorPrefix('somethingnew'), 'Somethingnew');
  assert.equal(optimizedErrorPrefix('sqs'), 'SQS');
  assert.equal(optimizedErrorPrefix('events'), 'EventBridge');
  assert.equal(optimizedErrorPrefix('states'), 'StepFunctions');
});

test('blobs travel as text: a string is its UTF-8 bytes, another value its JSON text; an answer’s blob comes back as text', () => {
  const shape = t.struct({ FunctionName: t.string(), Payload: t.blob(), Nested: t.struct({ Body: t.blob() }) });
  const wire = toServiceNames(shape, { FunctionName: 'f', Payload: { a: 'é' }, Nested: { Body: 'plain text' } }) as Record<string, any>;
  assert.equal(Buffer.from(wire.Payload, 'base64').toString('utf8'), '{"a":"é"}');
  assert.equal(Buffer.from(wire.Nested.Body, 'base64').toString('utf8'), 'plain text');
  assert.equal(wire.FunctionName, 'f');
  const answer = { StatusCode: 200, Payload: Buffer.from('{"got":1}').toString('base64'), Nested: { Body: Buffer.from('ünï').toString('base64') } };
  assert.deepEqual(toTaskNames(shape, answer), { StatusCode: 200, Payload: '{"got":1}', Nested: { Body: 'ünï' } });
});
