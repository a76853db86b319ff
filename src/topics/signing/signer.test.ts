import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { verifySnsSignature } from '../../../test/support/sns-signature.js';
import { lambdaEvent } from '../model/lambda-event.js';
import { lambdaAttributes } from '../model/message-attributes.js';
import {
  documentText,
  notificationDocument,
  subscribeUrl,
  subscriptionConfirmationDocument,
  unsubscribeConfirmationDocument,
  unsubscribeUrl,
  type SignatureVersion,
} from '../model/notification.js';
import { createSigningMaterial } from './certificate.js';
import { certificateFileName, type SigningKey } from './key-store.js';
import { NotificationSigner } from './signer.js';
import { stringToSign } from './string-to-sign.js';

const ENDPOINT = 'http://localhost:4566';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:orders';
const SUBSCRIPTION = `${TOPIC}:8a21d249-4329-4871-acc6-7be709c6ea7f`;

let key: SigningKey;
let signer: NotificationSigner;

before(async () => {
  const material = await createSigningMaterial();
  key = { privateKey: createPrivateKey(material.privateKeyPem), certificatePem: material.certificatePem, certificateFileName: certificateFileName(material.certificatePem) };
  signer = new NotificationSigner(key, ENDPOINT);
});

/** As a subscriber receives it: the wire text, parsed. */
function received(document: object): Record<string, unknown> {
  return JSON.parse(documentText(document as never)) as Record<string, unknown>;
}

const notification = (subject?: string) =>
  notificationDocument({
    messageId: 'd0f7e1a4-2b8c-4f1e-9d3a-5c6b7a8e9f00',
    topicArn: TOPIC,
    subject,
    message: 'Hello ö "world"\nsecond line',
    timestamp: Date.UTC(2025, 5, 1, 10, 0, 0, 123),
    unsubscribeUrl: unsubscribeUrl(ENDPOINT, SUBSCRIPTION),
    messageAttributes: { attr1: { Type: 'Number', Value: '1' } },
  });

describe('string to sign (Developer Guide, "Verifying the signatures of Amazon SNS messages")', () => {
  test('Notification: Message, MessageId, Subject when present, Timestamp, TopicArn, Type', () => {
    const document = notification('Hi');
    assert.equal(
      stringToSign(document),
      `Message\n${document.Message}\nMessageId\n${document.MessageId}\nSubject\nHi\nTimestamp\n${document.Timestamp}\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
    assert.equal(stringToSign(notification()), `Message\n${document.Message}\nMessageId\n${document.MessageId}\nTimestamp\n${document.Timestamp}\nTopicArn\n${TOPIC}\nType\nNotification\n`);
  });

  test('confirmations add SubscribeURL and Token', () => {
    const document = subscriptionConfirmationDocument({ messageId: 'm', topicArn: TOPIC, token: 'tok', timestamp: 0, subscribeUrl: subscribeUrl(ENDPOINT, TOPIC, 'tok') });
    assert.equal(
      stringToSign(document),
      `Message\n${document.Message}\nMessageId\nm\nSubscribeURL\n${document.SubscribeURL}\nTimestamp\n1970-01-01T00:00:00.000Z\nToken\ntok\nTopicArn\n${TOPIC}\nType\nSubscriptionConfirmation\n`,
    );
  });

  test('other types, and messages missing a signed member, are refused', () => {
    assert.throws(() => stringToSign({ Type: 'Other' }), /not "Other"/);
    assert.throws(() => stringToSign({ Type: 'Notification', MessageId: 'm' }), /must have Message/);
  });
});

describe('NotificationSigner', () => {
  for (const version of ['1', '2'] as SignatureVersion[]) {
    test(`SignatureVersion ${version}: a subscriber verifies a Notification with the certificate`, () => {
      for (const subject of [undefined, 'With a subject']) {
        const message = received(signer.sign(notification(subject), version));
        assert.equal(message.SignatureVersion, version);
        assert.equal(message.SigningCertURL, `${ENDPOINT}/${key.certificateFileName}`);
        assert.ok(verifySnsSignature(message, key.certificatePem));
        // Tampering with any signed member breaks it; unsigned members do not count.
        for (const member of ['Message', 'MessageId', 'Timestamp', 'TopicArn']) assert.ok(!verifySnsSignature({ ...message, [member]: `${String(message[member])}x` }, key.certificatePem), member);
        assert.ok(!verifySnsSignature({ ...message, Subject: 'injected' }, key.certificatePem));
        assert.ok(verifySnsSignature({ ...message, MessageAttributes: {} }, key.certificatePem));
      }
    });

    test(`SignatureVersion ${version}: subscription and unsubscribe confirmations verify`, () => {
      const sub = received(signer.sign(subscriptionConfirmationDocument({ messageId: 'm1', topicArn: TOPIC, token: 'abc', timestamp: 1, subscribeUrl: subscribeUrl(ENDPOINT, TOPIC, 'abc') }), version));
      const unsub = received(
        signer.sign(unsubscribeConfirmationDocument({ messageId: 'm2', topicArn: TOPIC, subscriptionArn: SUBSCRIPTION, token: 'def', timestamp: 2, subscribeUrl: subscribeUrl(ENDPOINT, TOPIC, 'def') }), version),
      );
      for (const message of [sub, unsub]) {
        assert.ok(verifySnsSignature(message, key.certificatePem));
        assert.ok(!verifySnsSignature({ ...message, Token: 'other' }, key.certificatePem));
        assert.ok(!verifySnsSignature({ ...message, SubscribeURL: `${String(message.SubscribeURL)}x` }, key.certificatePem));
      }
    });
  }

  test('version 1 is SHA1withRSA and 2 SHA256withRSA: neither verifies as the other', () => {
    const v1 = received(signer.sign(notification(), '1'));
    const v2 = received(signer.sign(notification(), '2'));
    assert.notEqual(v1.Signature, v2.Signature);
    assert.ok(!verifySnsSignature({ ...v1, SignatureVersion: '2' }, key.certificatePem));
    assert.ok(!verifySnsSignature({ ...v2, SignatureVersion: '1' }, key.certificatePem));
  });

  test("a Lambda event carries its Notification's signature, which verifies over the event's own members", () => {
    const document = notification('s');
    const event = lambdaEvent(
      { subscriptionArn: SUBSCRIPTION, messageId: document.MessageId, topicArn: TOPIC, subject: 's', message: document.Message, timestamp: Date.UTC(2025, 5, 1, 10, 0, 0, 123), unsubscribeUrl: document.UnsubscribeURL, messageAttributes: lambdaAttributes(undefined) },
      signer.signatureOf(document, '1'),
    );
    assert.ok(verifySnsSignature(JSON.parse(JSON.stringify(event.Records[0].Sns)) as Record<string, unknown>, key.certificatePem));
  });

  test('the copies of one message to different subscriptions carry one signature, and each verifies', () => {
    const other = `${TOPIC}:0b5c3a9e-1f2d-4e6a-8b7c-9d0e1f2a3b4c`;
    const copy = (subscriptionArn: string) => ({ ...notification('s'), UnsubscribeURL: unsubscribeUrl(ENDPOINT, subscriptionArn) });
    for (const version of ['1', '2'] as SignatureVersion[]) {
      const first = received(signer.sign(copy(SUBSCRIPTION), version));
      const second = received(signer.sign(copy(other), version));
      assert.notEqual(first.UnsubscribeURL, second.UnsubscribeURL);
      assert.equal(first.Signature, second.Signature);
      assert.ok(verifySnsSignature(first, key.certificatePem));
      assert.ok(verifySnsSignature(second, key.certificatePem));
    }
    // Another message of the same topic gets its own signature.
    const next = received(signer.sign({ ...notification('s'), Message: 'another message' }, '1'));
    assert.notEqual(next.Signature, received(signer.sign(copy(SUBSCRIPTION), '1')).Signature);
    assert.ok(verifySnsSignature(next, key.certificatePem));
  });

  test('another key does not verify', async () => {
    const other = await createSigningMaterial();
    assert.ok(!verifySnsSignature(received(signer.sign(notification(), '2')), other.certificatePem));
  });

  test('the certificate is a self-signed X.509 RSA certificate, valid now, named for its contents', () => {
    const certificate = new X509Certificate(key.certificatePem);
    assert.equal(certificate.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.ok(new Date(certificate.validFrom) < new Date() && new Date(certificate.validTo) > new Date(Date.now() + 365 * 24 * 3600_000));
    assert.match(key.certificateFileName, /^SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    assert.equal(certificateFileName(key.certificatePem), key.certificateFileName);
  });
});
