import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceMessage } from '../../invoke/index.js';
import { compileFilters, failedMessageIds, recordsThatFit, sqsRecord, type SqsRecord } from './sqs-batch.js';

const ARN = 'arn:aws:sqs:eu-west-1:123456789012:orders';

function message(id: string, body: string, extra: Partial<SourceMessage> = {}): SourceMessage {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: '123456789012', ApproximateFirstReceiveTimestamp: '2' },
    messageAttributes: {},
    md5OfBody: 'md5',
    ...extra,
  };
}

const records = (...bodies: string[]): SqsRecord[] => bodies.map((b, i) => sqsRecord(message(`m${i}`, b), ARN, 'eu-west-1'));
const answer = (value: unknown, functionError?: string) => ({ payload: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), functionError });

test('an SQS record has AWS members in AWS order, md5OfMessageAttributes null without attributes', () => {
  const r = sqsRecord(message('a', 'hi'), ARN, 'eu-west-1');
  assert.deepEqual(Object.keys(r), [
    'messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion',
  ]);
  assert.equal(r.md5OfMessageAttributes, null);
  assert.equal(r.eventSource, 'aws:sqs');
  assert.equal(r.eventSourceARN, ARN);
  assert.equal(r.awsRegion, 'eu-west-1');
  assert.equal(sqsRecord(message('b', 'x', { md5OfMessageAttributes: 'abc' }), ARN, 'eu-west-1').md5OfMessageAttributes, 'abc');
});

test('filters match the body as JSON when it is a JSON object, else as a plain string; filters are OR-ed', () => {
  const filter = compileFilters({ Filters: [{ Pattern: '{"body":{"kind":["keep"]}}' }, { Pattern: '{"body":["plain"]}' }] })!;
  const [json, other, plain, notJsonish] = records('{"kind":"keep"}', '{"kind":"drop"}', 'plain', '{"kind":');
  assert.equal(filter(json), true);
  assert.equal(filter(other), false);
  assert.equal(filter(plain), true);
  assert.equal(filter(notJsonish), false);
  const byAttribute = compileFilters({ Filters: [{ Pattern: '{"attributes":{"ApproximateReceiveCount":["1"]}}' }] })!;
  assert.equal(byAttribute(json), true);
  assert.equal(compileFilters(undefined), undefined);
  assert.equal(compileFilters({ Filters: [] }), undefined);
});

test('a batch is cut where its payload would pass the limit, keeping at least one record', () => {
  const rs = records('a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000));
  const one = Buffer.byteLength(JSON.stringify({ Records: rs.slice(0, 1) }));
  const two = Buffer.byteLength(JSON.stringify({ Records: rs.slice(0, 2) }));
  assert.equal(recordsThatFit(rs, 10_000_000), 3);
  assert.equal(recordsThatFit(rs, two), 2);
  assert.equal(recordsThatFit(rs, two - 1), 1);
  assert.equal(recordsThatFit(rs, one - 1), 1);
});

test('what fails: function errors fail all; without ReportBatchItemFailures any answer succeeds', () => {
  const rs = records('a', 'b');
  assert.deepEqual([...failedMessageIds(answer({ errorMessage: 'x' }, 'Unhandled'), rs, true)], ['m0', 'm1']);
  assert.deepEqual([...failedMessageIds(answer({ errorMessage: 'x' }, 'Unhandled'), rs, false)], ['m0', 'm1']);
  assert.equal(failedMessageIds(answer({ batchItemFailures: [{ itemIdentifier: 'm0' }] }), rs, false).size, 0);
});

test('partial batch responses: success and failure conditions as Lambda documents them', () => {
  const rs = records('a', 'b', 'c');
  const failed = (value: unknown) => [...failedMessageIds(answer(value), rs, true)].sort();
  assert.deepEqual(failed({ batchItemFailures: [{ itemIdentifier: 'm1' }] }), ['m1']);
  assert.deepEqual(failed({ batchItemFailures: [{ itemIdentifier: 'm0' }, { itemIdentifier: 'm2' }] }), ['m0', 'm2']);
  // Complete success: empty or null list, empty or null answer.
  for (const ok of [{ batchItemFailures: [] }, { batchItemFailures: null }, {}, null, '', '"done"', 'not json']) assert.deepEqual(failed(ok), [], JSON.stringify(ok));
  // Complete failure: empty, null or missing itemIdentifier, an unknown message id.
  for (const bad of [
    { batchItemFailures: [{ itemIdentifier: '' }] },
    { batchItemFailures: [{ itemIdentifier: null }] },
    { batchItemFailures: [{ itemId: 'm1' }] },
    { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'nope' }] },
    { batchItemFailures: 'm1' },
    { batchItemFailures: ['m1'] },
  ]) {
    assert.deepEqual(failed(bad), ['m0', 'm1', 'm2'], JSON.stringify(bad));
  }
});
