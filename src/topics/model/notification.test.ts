import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  documentText,
  documentTextAround,
  notificationDocument,
  snsTimestamp,
  subscribeUrl,
  subscriptionConfirmationDocument,
  unsubscribeConfirmationDocument,
  unsubscribeUrl,
  withSignature,
  type SignatureMembers,
} from './notification.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:MyTopic';
const SUBSCRIPTION = `${TOPIC}:c9135db0-26c4-47ec-8998-413945fb5a96`;
const ENDPOINT = 'http://127.0.0.1:4566';
const AT = Date.UTC(2012, 4, 2, 0, 54, 6, 655);
const SIGNATURE: SignatureMembers = { SignatureVersion: '1', Signature: 'c2ln', SigningCertURL: `${ENDPOINT}/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem` };

describe('Notification', () => {
  test('members in AWS order; Subject, SequenceNumber and MessageAttributes only when there', () => {
    const plain = notificationDocument({ messageId: 'm1', topicArn: TOPIC, message: 'Hello world!', timestamp: AT, unsubscribeUrl: unsubscribeUrl(ENDPOINT, SUBSCRIPTION) });
    assert.deepEqual(Object.keys(plain), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    assert.equal(plain.Timestamp, '2012-05-02T00:54:06.655Z');
    assert.equal(plain.UnsubscribeURL, `${ENDPOINT}/?Action=Unsubscribe&SubscriptionArn=${SUBSCRIPTION}`);

    const full = notificationDocument({
      messageId: 'm2',
      topicArn: `${TOPIC}.fifo`,
      subject: 'My First Message',
      message: 'Hello',
      timestamp: AT,
      sequenceNumber: '10000000000000027000',
      unsubscribeUrl: 'u',
      messageAttributes: { a: { Type: 'String', Value: 'v' } },
    });
    assert.deepEqual(Object.keys(full), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'UnsubscribeURL', 'MessageAttributes']);
    // An empty attribute map is no attributes.
    assert.ok(!('MessageAttributes' in notificationDocument({ messageId: 'm', topicArn: TOPIC, message: 'x', timestamp: AT, unsubscribeUrl: 'u', messageAttributes: {} })));
    // An empty Subject is still a Subject (Publish refuses one; the builder does not judge).
    assert.equal(notificationDocument({ messageId: 'm', topicArn: TOPIC, subject: '', message: 'x', timestamp: AT, unsubscribeUrl: 'u' }).Subject, '');
  });

  test('the signature members go right after Timestamp, once', () => {
    const document = notificationDocument({ messageId: 'm', topicArn: TOPIC, subject: 's', message: 'x', timestamp: AT, unsubscribeUrl: 'u', messageAttributes: { a: { Type: 'Number', Value: '1' } } });
    const signed = withSignature(document, SIGNATURE);
    assert.deepEqual(Object.keys(signed), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.ok(!('Signature' in document), 'the unsigned document is left as it was');
    const again = withSignature(signed, { ...SIGNATURE, SignatureVersion: '2', Signature: 'bmV3' });
    assert.deepEqual(Object.keys(again), Object.keys(signed));
    assert.equal(again.Signature, 'bmV3');
    assert.equal(again.SignatureVersion, '2');
  });

  test('the wire text: one member a line, "Name" : value, attributes compact', () => {
    const document = withSignature(
      notificationDocument({
        messageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
        topicArn: TOPIC,
        subject: 'test',
        message: 'line one\nline "two" ö',
        timestamp: AT,
        unsubscribeUrl: unsubscribeUrl(ENDPOINT, SUBSCRIPTION),
        messageAttributes: { AttributeName: { Type: 'String', Value: 'AttributeValue' }, n: { Type: 'Number', Value: '2' } },
      }),
      SIGNATURE,
    );
    const text = documentText(document);
    assert.equal(
      text,
      [
        '{',
        '  "Type" : "Notification",',
        '  "MessageId" : "da41e39f-ea4d-435a-b922-c6aae3915ebe",',
        `  "TopicArn" : "${TOPIC}",`,
        '  "Subject" : "test",',
        '  "Message" : "line one\\nline \\"two\\" ö",',
        '  "Timestamp" : "2012-05-02T00:54:06.655Z",',
        '  "SignatureVersion" : "1",',
        '  "Signature" : "c2ln",',
        `  "SigningCertURL" : "${SIGNATURE.SigningCertURL}",`,
        `  "UnsubscribeURL" : "${ENDPOINT}/?Action=Unsubscribe&SubscriptionArn=${SUBSCRIPTION}",`,
        '  "MessageAttributes" : {',
        '    "AttributeName" : {"Type":"String","Value":"AttributeValue"},',
        '    "n" : {"Type":"Number","Value":"2"}',
        '  }',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(text), document);
  });

  test('timestamps keep their milliseconds, in UTC', () => {
    assert.equal(snsTimestamp(0), '1970-01-01T00:00:00.000Z');
    assert.equal(snsTimestamp(Date.UTC(2030, 11, 31, 23, 59, 59, 999)), '2030-12-31T23:59:59.999Z');
  });
});

describe('confirmations', () => {
  test('SubscriptionConfirmation: AWS order and wording', () => {
    const document = subscriptionConfirmationDocument({ messageId: 'm', topicArn: TOPIC, token: 'tok', timestamp: AT, subscribeUrl: subscribeUrl(ENDPOINT, TOPIC, 'tok') });
    assert.deepEqual(Object.keys(withSignature(document, SIGNATURE)), [
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    assert.equal(document.Type, 'SubscriptionConfirmation');
    assert.equal(document.Message, `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    assert.equal(document.SubscribeURL, `${ENDPOINT}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=tok`);
  });

  test('UnsubscribeConfirmation names the subscription', () => {
    const document = unsubscribeConfirmationDocument({ messageId: 'm', topicArn: TOPIC, subscriptionArn: SUBSCRIPTION, token: 't2', timestamp: AT, subscribeUrl: subscribeUrl(ENDPOINT, TOPIC, 't2') });
    assert.equal(document.Type, 'UnsubscribeConfirmation');
    assert.equal(
      document.Message,
      `You have chosen to deactivate subscription ${SUBSCRIPTION}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
    assert.deepEqual(Object.keys(document), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp']);
    assert.deepEqual(JSON.parse(documentText(document)), document);
  });
});

describe('documentTextAround', () => {
  const documents = {
    plain: notificationDocument({ messageId: 'm1', topicArn: TOPIC, message: 'Hello world!', timestamp: AT, unsubscribeUrl: unsubscribeUrl(ENDPOINT, SUBSCRIPTION) }),
    'signed, with a subject and attributes': withSignature(
      notificationDocument({
        messageId: 'm2',
        topicArn: TOPIC,
        subject: 's',
        message: 'line one\n"UnsubscribeURL" : "not this"',
        timestamp: AT,
        unsubscribeUrl: unsubscribeUrl(ENDPOINT, SUBSCRIPTION),
        messageAttributes: { a: { Type: 'String', Value: 'x' }, UnsubscribeURL: { Type: 'String', Value: 'nor this' } },
      }),
      SIGNATURE,
    ),
  };
  for (const [name, document] of Object.entries(documents)) {
    test(`${name}: the text around any member's value is the document's text`, () => {
      const text = documentText(document);
      for (const member of Object.keys(document)) {
        const { before, after } = documentTextAround(document, member);
        const value = (document as unknown as Record<string, unknown>)[member];
        if (member === 'MessageAttributes') continue; // written in its own layout, not as JSON.stringify writes it
        assert.equal(before + JSON.stringify(value) + after, text, member);
      }
    });
  }

  test('another UnsubscribeURL in the same place gives that subscription’s text', () => {
    const other = `${TOPIC}:0b5c3a9e-1f2d-4e6a-8b7c-9d0e1f2a3b4c`;
    const { before, after } = documentTextAround(documents['signed, with a subject and attributes'], 'UnsubscribeURL');
    const expected = documentText({ ...documents['signed, with a subject and attributes'], UnsubscribeURL: unsubscribeUrl(ENDPOINT, other) });
    assert.equal(before + JSON.stringify(unsubscribeUrl(ENDPOINT, other)) + after, expected);
  });

  test('a member the document lacks is refused', () => {
    assert.throws(() => documentTextAround(documents.plain, 'Subject'), /no Subject/);
  });
});
