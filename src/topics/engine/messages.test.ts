import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameNotification, type StoredMessage } from './messages.js';

const message: StoredMessage = {
  messageId: 'd0f7e1a4-2b8c-4f1e-9d3a-5c6b7a8e9f00',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
  message: 'hello',
  subject: 'greeting',
  attributes: { n: { DataType: 'Number', StringValue: '7' }, b: { DataType: 'Binary', BinaryValue: 'AgME' } },
  timestamp: Date.UTC(2025, 0, 2),
  signatureVersion: '1',
  traceHeader: 'Root=1-abc',
};

test('a message is the same Notification as itself and as a copy read back from another job', () => {
  assert.ok(sameNotification(message, message));
  assert.ok(sameNotification(message, JSON.parse(JSON.stringify(message)) as StoredMessage));
  // What a Notification is not written from does not count.
  assert.ok(sameNotification(message, { ...message, traceHeader: 'Root=1-other', groupId: 'g', dedupId: 'd' }));
});

test('any member a Notification is written from tells two messages apart', () => {
  const changes: Partial<StoredMessage>[] = [
    { messageId: 'other' },
    { topicArn: 'arn:aws:sns:us-east-1:000000000000:other' },
    { message: 'hello!' },
    { subject: undefined },
    { timestamp: message.timestamp + 1 },
    { sequenceNumber: '10000000000000000001' },
    { signatureVersion: '2' },
    { attributes: undefined },
    { attributes: { n: { DataType: 'Number', StringValue: '8' }, b: message.attributes!.b } },
    { attributes: { n: { DataType: 'String', StringValue: '7' }, b: message.attributes!.b } },
    { attributes: { n: message.attributes!.n } },
    { attributes: { ...message.attributes, extra: { DataType: 'String', StringValue: 'x' } } },
    { attributes: { n: message.attributes!.n, c: message.attributes!.b } },
    { attributes: { n: message.attributes!.n, b: { DataType: 'Binary', BinaryValue: 'AgMF' } } },
  ];
  for (const change of changes) {
    const other = { ...message, ...change };
    assert.ok(!sameNotification(message, other), JSON.stringify(change));
    assert.ok(!sameNotification(other, message), JSON.stringify(change));
  }
});
