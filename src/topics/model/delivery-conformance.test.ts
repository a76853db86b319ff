/**
 * Conformance: every message AWS delivered from SNS to an SQS queue in
 * test/conformance/sns/delivery/ (recorded against AWS), rebuilt with the builders of this folder
 * and the signer. Volatile values were replaced by the recorder (`<uuid:1>`, `date`,
 * `<signature>`, `<cert-domain>`…): the rebuilt message is brought to the same placeholders and
 * then compared whole, member order included; the signature is first verified as a subscriber
 * would. Raw deliveries are compared by their SQS message attributes (and the attribute digest
 * SQS computes over them, where AWS's digest was kept).
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { md5OfMessageAttributes } from '../../queues/model/md5.js';
import { GIVEN_DELIVERY_CASES, loadDeliveryCases, publishedFromEnvelope, publishedFromSqs, pythonRepr, sorted } from '../../../test/support/sns-delivery-conformance.js';
import { verifySnsSignature } from '../../../test/support/sns-signature.js';
import { createSigningMaterial } from '../signing/certificate.js';
import { certificateFileName, type SigningKey } from '../signing/key-store.js';
import { NotificationSigner } from '../signing/signer.js';
import { lambdaEvent } from './lambda-event.js';
import { envelopeAttributes, lambdaAttributes, rawSqsAttributes, validateMessageAttributes, type PublishedAttributes } from './message-attributes.js';
import { documentText, notificationDocument, unsubscribeUrl, type SignatureVersion } from './notification.js';

const CASES = loadDeliveryCases();

type Json = Record<string, unknown>;

const ENDPOINT = 'http://127.0.0.1:4566';
const PUBLISHED_AT = Date.UTC(2025, 0, 2, 3, 4, 5, 67);

let key: SigningKey;
let certificatePem: string;

before(async () => {
  const material = await createSigningMaterial();
  certificatePem = material.certificatePem;
  key = { privateKey: createPrivateKey(material.privateKeyPem), certificatePem, certificateFileName: certificateFileName(certificatePem) };
});

/** Brings a rebuilt envelope's volatile values to the recorder's placeholders. */
function toPlaceholders(envelope: Json, recorded: Json): Json {
  const out: Json = { ...envelope };
  assert.match(String(out.Timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  out.Timestamp = 'date';
  if ('Signature' in out) {
    assert.ok(verifySnsSignature(envelope, certificatePem), 'the signature verifies with the certificate');
    out.Signature = '<signature>';
    assert.equal(out.SigningCertURL, `${ENDPOINT}/${key.certificateFileName}`);
    out.SigningCertURL = recorded.SigningCertURL;
    assert.match(String(recorded.SigningCertURL), /^<cert-domain>\/SimpleNotificationService-<signing-cert-file:\d+>$/);
  }
  assert.ok(String(out.UnsubscribeURL).startsWith(`${ENDPOINT}/`));
  out.UnsubscribeURL = String(out.UnsubscribeURL).replace(ENDPOINT, '<unsubscribe-domain>');
  return out;
}

/** A rebuilt envelope, signed as the recorded one was (FIFO envelopes carry no signature). */
function rebuildEnvelope(recorded: Json, signer: NotificationSigner): Json {
  const subscriptionArn = /SubscriptionArn=(.*)$/.exec(String(recorded.UnsubscribeURL))?.[1];
  assert.ok(subscriptionArn, `no subscription in ${String(recorded.UnsubscribeURL)}`);
  const published = recorded.MessageAttributes ? publishedFromEnvelope(recorded.MessageAttributes as Record<string, { Type: string; Value: string }>) : undefined;
  // AWS accepted them: they must pass Stratus's checks too.
  validateMessageAttributes(published);
  const document = notificationDocument({
    messageId: String(recorded.MessageId),
    topicArn: String(recorded.TopicArn),
    subject: recorded.Subject as string | undefined,
    message: typeof recorded.Message === 'string' ? recorded.Message : JSON.stringify(recorded.Message),
    timestamp: PUBLISHED_AT,
    sequenceNumber: recorded.SequenceNumber as string | undefined,
    unsubscribeUrl: unsubscribeUrl(ENDPOINT, subscriptionArn),
    messageAttributes: envelopeAttributes(published),
  });
  const signed = recorded.SignatureVersion !== undefined ? signer.sign(document, recorded.SignatureVersion as SignatureVersion) : document;
  // What goes on the wire is the text; what a subscriber sees is what it parses to.
  const parsed = JSON.parse(documentText(signed)) as Json;
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(signed)));
  return toPlaceholders(parsed, recorded);
}

/**
 * The Lambda event a dead-letter envelope carries as its Message (a Lambda function's failed
 * asynchronous event, sent on to an SNS topic), rebuilt: its inner Message was itself JSON, which
 * the recorder parsed.
 */
function rebuildLambdaEvent(recordedEvent: Json, signer: NotificationSigner): Json {
  const record = (recordedEvent.Records as Json[])[0];
  const sns = record.Sns as Json;
  const subscriptionArn = String(record.EventSubscriptionArn);
  const input = {
    subscriptionArn,
    messageId: String(sns.MessageId),
    topicArn: String(sns.TopicArn),
    subject: (sns.Subject as string | null) ?? undefined,
    message: typeof sns.Message === 'string' ? sns.Message : JSON.stringify(sns.Message),
    timestamp: PUBLISHED_AT,
    unsubscribeUrl: unsubscribeUrl(ENDPOINT, subscriptionArn),
    messageAttributes: lambdaAttributes(undefined),
  };
  const notification = notificationDocument({ ...input, messageAttributes: undefined });
  const event = lambdaEvent(input, signer.signatureOf(notification, '1')) as unknown as Json;
  const built = (event.Records as Json[])[0].Sns as Json;
  assert.ok(verifySnsSignature(built, certificatePem), 'the Lambda event signature verifies');
  built.Message = sns.Message;
  built.Timestamp = 'date';
  built.Signature = '<signature>';
  built.SigningCertUrl = sns.SigningCertUrl;
  built.UnsubscribeUrl = String(built.UnsubscribeUrl).replace(ENDPOINT, '<unsubscribe-domain>');
  return event;
}

describe('SNS deliveries recorded against AWS (test/conformance/sns/delivery)', () => {
  test('the set holds its recorded cases', () => {
    assert.ok(CASES.length >= GIVEN_DELIVERY_CASES, `${CASES.length} cases`);
  });

  test('every envelope and raw delivery is rebuilt as AWS sent it', () => {
    const signer = new NotificationSigner(key, ENDPOINT);
    const failures: string[] = [];
    let envelopes = 0;
    let raw = 0;
    for (const c of CASES) {
      c.recorded.Messages.forEach((message, index) => {
        const where = `${c.id} message ${index}`;
        try {
          const body = message.Body as Json;
          if (body !== null && typeof body === 'object' && body.Type === 'Notification') {
            envelopes++;
            const rebuilt = rebuildEnvelope(body, signer);
            const membersSorted = JSON.stringify(Object.keys(body)) === JSON.stringify(Object.keys(body).sort());
            if (membersSorted) {
              // One envelope of the set (a Lambda dead-letter message) was stored with every
              // member sorted by name, unlike all the others: compared without order, and the
              // Lambda event it carries is rebuilt too.
              assert.ok(typeof body.Message === 'object', where);
              rebuilt.Message = body.Message;
              assert.deepEqual(sorted(rebuilt), sorted(body));
              assert.deepEqual(sorted(rebuildLambdaEvent(body.Message as Json, signer)), sorted(body.Message));
            } else {
              // Order included: the texts must be equal.
              assert.equal(JSON.stringify(rebuilt), JSON.stringify(body));
            }
          } else {
            raw++;
            const recordedAttributes = message.MessageAttributes;
            if (!recordedAttributes) return;
            const published = publishedFromSqs(recordedAttributes);
            validateMessageAttributes(published);
            const sqs = rawSqsAttributes(published)!;
            const asRecorded = Object.fromEntries(
              Object.entries(sqs).map(([name, a]) => [name, a.BinaryValue !== undefined ? { BinaryValue: pythonRepr(a.BinaryValue), DataType: a.DataType } : { DataType: a.DataType, StringValue: a.StringValue }]),
            );
            assert.deepEqual(asRecorded, recordedAttributes);
            if (message.MD5OfMessageAttributes && !message.MD5OfMessageAttributes.startsWith('<')) {
              assert.equal(md5OfMessageAttributes(sqs), message.MD5OfMessageAttributes, 'the digest SQS computes over them is AWS\'s');
            }
          }
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message}`);
        }
      });
    }
    assert.deepEqual(failures, []);
    // Every message of the set was looked at, of both kinds.
    assert.ok(envelopes >= 30 && raw >= 15, `envelopes ${envelopes}, raw ${raw}`);
  });
});
