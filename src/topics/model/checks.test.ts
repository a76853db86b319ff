/**
 * The pure checks of topics, subscriptions and publishing: names, endpoints, attributes, sizes,
 * batch ids, FIFO parameters, delivery policies — with the messages AWS answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readArn, readSubscriptionArn } from './arns.js';
import { effectiveDeliveryPolicy, effectiveSubscriptionPolicy, normalizeDeliveryPolicy, normalizeSubscriptionDeliveryPolicy } from './delivery-policy.js';
import { checkEndpoint, checkProtocol, normalizePhoneNumber } from './endpoints.js';
import { checkBatchIds, checkFifoParameters, checkMessage, checkSubject, deduplicationIdOf, publishSize } from './publish-checks.js';
import { atSetAttributes, atSubscribe, checkSubscriptionAttribute, sameSubscriptionAttributes } from './subscription-attributes.js';
import { mergeTags, tagsIncluded } from './tags.js';
import { checkTopicAttribute, checkTopicName, sameTopicAttributes } from './topic-attributes.js';

const fails = (fn: () => unknown, message: string) => assert.throws(fn, (e: Error) => e.message === message, message);

test('ARNs: element counts and subscription ids', () => {
  fails(() => readArn('TopicArn', ''), 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
  fails(() => readArn('TopicArn', 'randomstring:1'), 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2');
  fails(() => readSubscriptionArn('arn:aws:sns:us-east-1:111111111111:random'), 'Invalid parameter: SubscriptionId');
  assert.equal(readSubscriptionArn('arn:aws:sns:us-east-1:1:t:abc').topicArn, 'arn:aws:sns:us-east-1:1:t');
});

test('topic names and attributes', () => {
  checkTopicName('a'.repeat(256), false);
  checkTopicName(`${'a'.repeat(251)}.fifo`, true);
  for (const [name, fifo] of [['', false], ['a'.repeat(257), false], ['x.fifo', false], ['x', true], ['.fifo', true], ['bad name', false]] as const) {
    fails(() => checkTopicName(name, fifo), 'Invalid parameter: Topic Name');
  }
  fails(() => checkTopicAttribute('ContentBasedDeduplication', 'true', { fifo: false }, 'set'), 'Invalid parameter: ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics');
  fails(() => checkTopicAttribute('SignatureVersion', '3', { fifo: false }, 'create'), 'Invalid parameter: Attributes Reason: SignatureVersion: Invalid value [3]. Must be 1 or 2.');
  assert.equal(checkTopicAttribute('ArchivePolicy', '{"MessageRetentionPeriod": 30}', { fifo: true }, 'set'), '{"MessageRetentionPeriod":"30"}');
  assert.equal(sameTopicAttributes({ fifo: false, attributes: { DisplayName: 'a' } }, { DisplayName: 'a', FifoTopic: 'false' }), true);
  assert.equal(sameTopicAttributes({ fifo: false, attributes: {} }, { SignatureVersion: '2' }), false);
  assert.equal(sameTopicAttributes({ fifo: true, attributes: {} }, { ContentBasedDeduplication: 'false' }), true);
});

test('delivery policies are normalized and their effective form computed', () => {
  const policy = normalizeDeliveryPolicy('{"http": {"defaultHealthyRetryPolicy": null, "defaultRequestPolicy": {"headerContentType": "application/json"}}}', () => new Error('x'));
  assert.deepEqual(policy, { http: { disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'application/json' } } });
  assert.deepEqual(effectiveDeliveryPolicy(policy).http, {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'application/json' },
  });
  assert.equal(normalizeDeliveryPolicy('', () => new Error('x')), undefined);
  // A subscription's policy (recorded: test_subscribe_external_http_endpoint_content_type): every section, in AWS's order.
  const retry = { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, backoffFunction: 'linear' };
  const own = normalizeSubscriptionDeliveryPolicy(JSON.stringify({ healthyRetryPolicy: retry, sicklyRetryPolicy: null, throttlePolicy: { maxReceivesPerSecond: 1000 }, guaranteed: false }), (r) => new Error(r));
  assert.equal(
    JSON.stringify(own),
    '{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":0,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":{"maxReceivesPerSecond":1000},"requestPolicy":null,"guaranteed":false}',
  );
  // Its effective form: the topic's content type where it sets none; the topic's retry policy (AWS's default) where it sets none.
  assert.deepEqual(effectiveSubscriptionPolicy(JSON.stringify(own), JSON.stringify(policy)).requestPolicy, { headerContentType: 'application/json' });
  assert.deepEqual(effectiveSubscriptionPolicy('{"requestPolicy":{"headerContentType":"text/csv"}}', undefined), {
    healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    sicklyRetryPolicy: null,
    throttlePolicy: null,
    requestPolicy: { headerContentType: 'text/csv' },
    guaranteed: false,
  });
  // A retry policy given in part is completed with AWS's defaults.
  assert.deepEqual((effectiveSubscriptionPolicy('{"healthyRetryPolicy":{"numRetries":5}}', undefined).healthyRetryPolicy as Record<string, unknown>).numRetries, 5);
  assert.deepEqual((effectiveSubscriptionPolicy('{"healthyRetryPolicy":{"numRetries":5}}', undefined).healthyRetryPolicy as Record<string, unknown>).minDelayTarget, 20);
  assert.throws(() => normalizeDeliveryPolicy('[1]', () => new Error('bad')), { message: 'bad' });
});

test('protocols and endpoints', () => {
  fails(() => checkProtocol('smtp', false), 'Invalid parameter: Amazon SNS does not support this protocol string: smtp');
  fails(() => checkProtocol('email', true), 'Invalid parameter: Invalid protocol type: email');
  assert.equal(checkEndpoint('sqs', 'arn:aws:sqs:us-east-1:1:q.fifo', true), 'arn:aws:sqs:us-east-1:1:q.fifo');
  fails(() => checkEndpoint('sqs', 'arn:aws:sqs:us-east-1:1:q.fifo', false), 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
  fails(() => checkEndpoint('https', 'http://x', false), 'Invalid parameter: Endpoint must match the specified protocol');
  fails(() => checkEndpoint('email', 'nobody', false), 'Invalid parameter: Email address');
  assert.equal(normalizePhoneNumber('+123123123'), '+123123123');
  assert.equal(normalizePhoneNumber('1-555-123-4567'), '+15551234567');
  for (const bad of ['+15--551234567', 'NAA+15551234567', '+15551234567.', '/+15551234567', '+0123']) assert.equal(normalizePhoneNumber(bad), undefined, bad);
});

test('subscription attributes', () => {
  const sqs = { protocol: 'sqs' as const, endpoint: 'arn:aws:sqs:us-east-1:1:q', topicArn: 'arn:aws:sns:us-east-1:1:t', fifoTopic: false };
  assert.equal(checkSubscriptionAttribute('RawMessageDelivery', 'TrUe', sqs, atSubscribe), 'true');
  fails(() => checkSubscriptionAttribute('RawMessageDelivery', 'x', sqs, atSubscribe), 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [x]. Must be true or false.');
  fails(() => checkSubscriptionAttribute('RawMessageDelivery', '', sqs, atSetAttributes), 'Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.');
  fails(() => checkSubscriptionAttribute('RedrivePolicy', '{"deadLetterTargetArn": "fake-arn"}', sqs, atSetAttributes), 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
  // Recorded (test_validate_set_sub_attributes): Jackson's message and its redacted location, as for a FilterPolicy.
  fails(
    () => checkSubscriptionAttribute('RedrivePolicy', '{invalidjson}', sqs, atSetAttributes),
    "Invalid parameter: RedrivePolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]",
  );
  const fifo = { ...sqs, endpoint: 'arn:aws:sqs:us-east-1:1:q.fifo', fifoTopic: true };
  fails(
    () => checkSubscriptionAttribute('RedrivePolicy', '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq"}', fifo, atSetAttributes),
    'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
  );
  fails(() => checkSubscriptionAttribute('DeliveryPolicy', '{"healthyRetryPolicy": {}}', sqs, atSetAttributes), 'Invalid parameter: DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions');
  assert.equal(sameSubscriptionAttributes({ RawMessageDelivery: 'true' }, { RawMessageDelivery: 'true' }), true);
  assert.equal(sameSubscriptionAttributes({}, { RawMessageDelivery: 'false', FilterPolicyScope: 'MessageAttributes' }), true);
  assert.equal(sameSubscriptionAttributes({ RawMessageDelivery: 'true' }, { RawMessageDelivery: 'false' }), false);
});

test('tags', () => {
  assert.deepEqual(mergeTags([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], [{ Key: 'a', Value: '3' }, { Key: 'c', Value: '4' }]), [
    { Key: 'a', Value: '3' },
    { Key: 'b', Value: '2' },
    { Key: 'c', Value: '4' },
  ]);
  assert.equal(tagsIncluded([{ Key: 'a', Value: '1' }], []), true);
  assert.equal(tagsIncluded([{ Key: 'a', Value: '1' }], [{ Key: 'a', Value: '2' }]), false);
  assert.throws(() => mergeTags([], Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' }))), { name: 'TagLimitExceeded' });
});

test('publishing: sizes, subjects, batch ids, FIFO parameters', () => {
  assert.equal(publishSize({ Message: 'é', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' }, b: { DataType: 'Binary', BinaryValue: new Uint8Array(3) } } }), 2 + 12 + 1 + 6 + 3);
  checkMessage({ Message: 'a'.repeat(262_144 - 12), MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }, 262_144);
  fails(() => checkMessage({ Message: 'a'.repeat(262_144 - 11), MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }, 262_144), 'Invalid parameter: Message too long');
  fails(() => checkMessage({ Message: '' }, 262_144), 'Invalid parameter: Empty message');
  for (const bad of ['', ' leading space', 'line\nbreak', 'x'.repeat(100), 'naïve']) fails(() => checkSubject(bad), 'Invalid parameter: Subject');
  checkSubject('Order #42 shipped!');
  fails(() => checkBatchIds(Array.from({ length: 11 }, (_, i) => `i${i}`)), 'The batch request contains more entries than permissible.');
  fails(() => checkBatchIds(['message.id']), 'The Id of a batch entry in the batch request contains an impermissible character: message.id');
  fails(() => checkBatchIds(['a'.repeat(81)]), `The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`);
  fails(() => checkBatchIds(['a', 'a']), 'Two or more batch entries in the request have the same Id.');
  checkBatchIds(['a'.repeat(80), 'valid-message_123']);
  fails(() => checkFifoParameters({ fifo: true, contentBasedDeduplication: false }, undefined, 'd'), 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  fails(
    () => checkFifoParameters({ fifo: true, contentBasedDeduplication: false }, 'g', undefined),
    'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
  );
  fails(
    () => checkFifoParameters({ fifo: false, contentBasedDeduplication: false }, undefined, 'd'),
    'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
  );
  checkFifoParameters({ fifo: false, contentBasedDeduplication: false }, 'group-on-a-standard-topic', undefined);
  // Recorded: the body "Test" reaches SQS with this deduplication id.
  assert.equal(deduplicationIdOf('Test', undefined), '532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25');
  assert.equal(deduplicationIdOf('Test', 'given'), 'given');
});
