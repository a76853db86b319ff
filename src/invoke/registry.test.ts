import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArn } from './arn.js';
import { InvokeError, InvokerRegistry, type InvokeRequest } from './registry.js';

test('parseArn reads typed, bare and nested resources', () => {
  assert.deepEqual(parseArn('arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod'), {
    partition: 'aws', service: 'lambda', region: 'us-east-1', accountId: '123456789012',
    resource: 'function:my-fn:prod', resourceType: 'function', resourceId: 'my-fn:prod',
  });
  assert.equal(parseArn('arn:aws:events:eu-west-1:123456789012:event-bus/orders')?.resourceType, 'event-bus');
  assert.equal(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/x:*')?.resourceId, '/aws/events/x:*');
  const queue = parseArn('arn:aws:sqs:us-east-1:123456789012:orders.fifo');
  assert.equal(queue?.resourceType, undefined);
  assert.equal(queue?.resourceId, 'orders.fifo');
  assert.equal(parseArn('arn:aws:sns:us-east-1:123456789012:topic:3f1c')?.resourceType, undefined);
  for (const bad of ['', 'arn:aws', 'nope:aws:sqs:r:a:q', 'arn::sqs:r:a:q', 'arn:aws:sqs:r:a:', 42 as unknown as string]) {
    assert.equal(parseArn(bad), undefined, String(bad));
  }
});

test('invokers are found by ARN type, then by service catch-all', async () => {
  const registry = new InvokerRegistry();
  const calls: string[] = [];
  registry.register({ service: 'lambda', resourceType: 'function', invoke: async (t) => (calls.push(`fn:${t.resourceId}`), { response: 'fn' }) });
  registry.register({ service: 'sqs', invoke: async (t, r: InvokeRequest) => (calls.push(`sqs:${t.resourceId}:${String(r.payload)}`), {}) });
  assert.deepEqual(await registry.invoke({ arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', payload: {} }), { response: 'fn' });
  await registry.invoke({ arn: 'arn:aws:sqs:us-east-1:000000000000:q', payload: 'body' });
  assert.deepEqual(calls, ['fn:f', 'sqs:q:body']);
  assert.deepEqual(registry.kinds(), ['lambda:function', 'sqs:*']);
  assert.throws(() => registry.register({ service: 'sqs', invoke: async () => ({}) }), /already registered/);
});

test('unknown ARN types and malformed ARNs fail clearly and are not retryable', async () => {
  const registry = new InvokerRegistry();
  registry.register({ service: 'lambda', resourceType: 'function', invoke: async () => ({}) });
  const unsupported = await registry.invoke({ arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', payload: {} }).catch((e: unknown) => e);
  assert.ok(unsupported instanceof InvokeError);
  assert.equal(unsupported.code, 'UnsupportedTarget');
  assert.equal(unsupported.retryable, false);
  assert.match(unsupported.message, /cannot deliver to kinesis stream targets \(arn:aws:kinesis:us-east-1:000000000000:stream\/s\)/);
  const otherType = await registry.invoke({ arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l', payload: {} }).catch((e: unknown) => e);
  assert.equal((otherType as InvokeError).code, 'UnsupportedTarget');
  const invalid = await registry.invoke({ arn: 'not-an-arn', payload: {} }).catch((e: unknown) => e);
  assert.equal((invalid as InvokeError).code, 'InvalidArn');
});
