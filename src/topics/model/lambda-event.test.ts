import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lambdaEvent } from './lambda-event.js';
import { lambdaAttributes } from './message-attributes.js';
import { unsubscribeUrl, type SignatureMembers } from './notification.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sns-lambda';
const SUBSCRIPTION = `${TOPIC}:21be56ed-a058-49f5-8c98-aedd2564c486`;
const SIGNATURE: SignatureMembers = { SignatureVersion: '1', Signature: 'c2ln', SigningCertURL: 'http://127.0.0.1:4566/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem' };

describe('Lambda event', () => {
  test('one record, the notification under Sns with Url-cased links, in AWS order', () => {
    const event = lambdaEvent(
      {
        subscriptionArn: SUBSCRIPTION,
        messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        topicArn: TOPIC,
        subject: 'TestInvoke',
        message: 'Hello from SNS!',
        timestamp: Date.UTC(2019, 0, 2, 12, 45, 7),
        unsubscribeUrl: unsubscribeUrl('http://127.0.0.1:4566', SUBSCRIPTION),
        messageAttributes: lambdaAttributes({ Test: { DataType: 'String', StringValue: 'TestString' }, TestBinary: { DataType: 'Binary', BinaryValue: Buffer.from('TestBinary') } }),
      },
      SIGNATURE,
    );
    assert.equal(event.Records.length, 1);
    const [record] = event.Records;
    assert.deepEqual(Object.keys(record), ['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.EventVersion, '1.0');
    assert.equal(record.EventSubscriptionArn, SUBSCRIPTION);
    assert.deepEqual(Object.keys(record.Sns), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
    assert.equal(record.Sns.Timestamp, '2019-01-02T12:45:07.000Z');
    assert.equal(record.Sns.SigningCertUrl, SIGNATURE.SigningCertURL);
    assert.equal(record.Sns.UnsubscribeUrl, `http://127.0.0.1:4566/?Action=Unsubscribe&SubscriptionArn=${SUBSCRIPTION}`);
    assert.deepEqual(record.Sns.MessageAttributes, { Test: { Type: 'String', Value: 'TestString' }, TestBinary: { Type: 'Binary', Value: 'VGVzdEJpbmFyeQ==' } });
  });

  test('no subject is null, no attributes is {}', () => {
    const event = lambdaEvent(
      { subscriptionArn: SUBSCRIPTION, messageId: 'm', topicArn: TOPIC, message: '{"raise_error": 1}', timestamp: 0, unsubscribeUrl: 'u', messageAttributes: lambdaAttributes(undefined) },
      SIGNATURE,
    );
    assert.equal(event.Records[0].Sns.Subject, null);
    assert.deepEqual(event.Records[0].Sns.MessageAttributes, {});
    assert.equal(JSON.parse(JSON.stringify(event)).Records[0].Sns.Subject, null, 'null survives the JSON the function receives');
  });
});
