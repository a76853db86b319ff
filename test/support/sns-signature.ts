/**
 * What a subscriber does to check an SNS message, written from the Developer Guide ("Verifying
 * the signatures of Amazon SNS messages") and independently of src/topics/signing/: take the
 * members the message type signs, in byte order of their names, each as "Name\nValue\n" (Subject
 * only when present), and verify the base64 Signature against that text with the public key of
 * the certificate at SigningCertURL — SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2.
 */
import { verify, X509Certificate } from 'node:crypto';

const SIGNED: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** `message`: the parsed JSON body (or a Lambda event's `Sns`, with its Url-cased members). */
export function verifySnsSignature(message: Record<string, unknown>, certificatePem: string): boolean {
  const names = SIGNED[String(message.Type)];
  if (!names) throw new Error(`not a signed SNS message type: ${String(message.Type)}`);
  let text = '';
  for (const name of names) {
    const value = message[name];
    if (value === undefined || value === null) continue;
    text += `${name}\n${String(value)}\n`;
  }
  const algorithm = message.SignatureVersion === '2' ? 'sha256' : message.SignatureVersion === '1' ? 'sha1' : undefined;
  if (!algorithm) throw new Error(`unknown SignatureVersion ${String(message.SignatureVersion)}`);
  const publicKey = new X509Certificate(certificatePem).publicKey;
  return verify(algorithm, Buffer.from(text, 'utf8'), publicKey, Buffer.from(String(message.Signature), 'base64'));
}
