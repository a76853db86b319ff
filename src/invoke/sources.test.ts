import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvokeError } from './registry.js';
import { SourceRegistry, type MessageSource } from './sources.js';

test('message sources are found by ARN service; unknown services and bad ARNs fail clearly', async () => {
  const registry = new SourceRegistry();
  const calls: string[] = [];
  const source: MessageSource = {
    service: 'sqs',
    receive: async (arn, o) => (calls.push(`receive ${arn} ${o.max}`), []),
    delete: async (arn, handles) => void calls.push(`delete ${arn} ${handles.join(',')}`),
    changeVisibility: async (arn, entries) => void calls.push(`visibility ${arn} ${entries.map((e) => `${e.receiptHandle}=${e.visibilityTimeoutS}`).join(',')}`),
    describe: (arn) => (arn.endsWith(':q') ? { visibilityTimeoutS: 30 } : undefined),
  };
  registry.register(source);
  assert.throws(() => registry.register(source), /already registered/);
  const q = 'arn:aws:sqs:us-east-1:000000000000:q';
  await registry.receive(q, { max: 10, waitMs: 0, signal: new AbortController().signal });
  await registry.delete(q, []);
  await registry.delete(q, ['h1', 'h2']);
  await registry.changeVisibility(q, [{ receiptHandle: 'h3', visibilityTimeoutS: 0 }]);
  assert.deepEqual(calls, [`receive ${q} 10`, `delete ${q} h1,h2`, `visibility ${q} h3=0`]);
  assert.deepEqual(registry.kinds(), ['sqs']);
  assert.deepEqual(registry.describe(q), { visibilityTimeoutS: 30 });
  assert.equal(registry.describe('arn:aws:sqs:us-east-1:000000000000:gone'), undefined);
  const unsupported = (() => { try { registry.resolve('arn:aws:kinesis:us-east-1:000000000000:stream/s'); } catch (e) { return e; } })();
  assert.ok(unsupported instanceof InvokeError);
  assert.equal(unsupported.code, 'UnsupportedTarget');
  assert.throws(() => registry.resolve('nope'), (e: unknown) => e instanceof InvokeError && e.code === 'InvalidArn');
});
