import type { DeliveredAttributes } from './message-attributes.js';

/**
 * The JSON documents SNS sends: a Notification (the body an SQS queue, an HTTP/S endpoint or an
 * email-json address receives) and the SubscriptionConfirmation / UnsubscribeConfirmation an
 * HTTP/S endpoint receives. Members come in the order AWS writes them (Developer Guide,
 * "HTTP/HTTPS notification JSON format", "HTTP/HTTPS subscription confirmation JSON format",
 * "HTTP/HTTPS unsubscribe confirmation JSON format"; the envelopes SQS received in
 * test/conformance/sns/delivery/): the signature members, when there are any, come right after
 * Timestamp (withSignature, src/topics/signing/ computes them).
 */

export type SignatureVersion = '1' | '2';

/** The three members a signed document carries. */
export interface SignatureMembers {
  SignatureVersion: SignatureVersion;
  /** Base64 of the RSA signature of the document's string to sign. */
  Signature: string;
  SigningCertURL: string;
}

export interface NotificationInput {
  messageId: string;
  topicArn: string;
  /** Present only when the publisher gave one. */
  subject?: string;
  message: string;
  /** When SNS took the message (ms since the epoch). */
  timestamp: number;
  /** FIFO topics: the message's sequence number, written right after MessageId. */
  sequenceNumber?: string;
  /** unsubscribeUrl(endpoint, subscriptionArn). */
  unsubscribeUrl: string;
  /** envelopeAttributes(...): absent or undefined when the message has none (and for MessageStructure json,
   * "Message attributes are sent only when the message structure is String, not JSON": Developer Guide). */
  messageAttributes?: DeliveredAttributes;
  /** Redelivered by a replay from the topic's archive. */
  replayed?: boolean;
}

export interface NotificationDocument {
  Type: 'Notification';
  MessageId: string;
  SequenceNumber?: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion?: SignatureVersion;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL: string;
  MessageAttributes?: DeliveredAttributes;
  Replayed?: boolean;
}

export interface ConfirmationInput {
  messageId: string;
  topicArn: string;
  token: string;
  timestamp: number;
  /** subscribeUrl(endpoint, topicArn, token). */
  subscribeUrl: string;
}

export interface ConfirmationDocument {
  Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  Token: string;
  TopicArn: string;
  Message: string;
  SubscribeURL: string;
  Timestamp: string;
  SignatureVersion?: SignatureVersion;
  Signature?: string;
  SigningCertURL?: string;
}

export type SnsDocument = NotificationDocument | ConfirmationDocument;

/** ISO 8601 in UTC with milliseconds, as every recorded Timestamp: `2012-04-26T20:45:04.751Z`. */
export function snsTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The link an envelope gives for leaving: `<endpoint>/?Action=Unsubscribe&SubscriptionArn=<arn>`,
 * the ARN unescaped as AWS writes it (recorded UnsubscribeURLs). `endpoint` is Stratus's own URL
 * (runtime.endpoint()), standing where AWS has `https://sns.<region>.amazonaws.com`.
 */
export function unsubscribeUrl(endpoint: string, subscriptionArn: string): string {
  return `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/** `<endpoint>/?Action=ConfirmSubscription&TopicArn=<arn>&Token=<token>`, as recorded. */
export function subscribeUrl(endpoint: string, topicArn: string, token: string): string {
  return `${endpoint}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

/** A Notification, unsigned: Subject, SequenceNumber and MessageAttributes only when present. */
export function notificationDocument(input: NotificationInput): NotificationDocument {
  const document: NotificationDocument = { Type: 'Notification', MessageId: input.messageId } as NotificationDocument;
  if (input.sequenceNumber !== undefined) document.SequenceNumber = input.sequenceNumber;
  document.TopicArn = input.topicArn;
  if (input.subject !== undefined) document.Subject = input.subject;
  document.Message = input.message;
  document.Timestamp = snsTimestamp(input.timestamp);
  document.UnsubscribeURL = input.unsubscribeUrl;
  if (input.messageAttributes !== undefined && Object.keys(input.messageAttributes).length > 0) document.MessageAttributes = input.messageAttributes;
  // "The message includes a Replayed attribute to indicate that it is a replayed message" (Developer
  // Guide, "Amazon SNS message replay for FIFO topic subscribers"); the guide shows no replayed
  // envelope, so Stratus writes it as a member of its own, last (replays are of FIFO topics, whose
  // envelopes are not signed).
  if (input.replayed === true) document.Replayed = true;
  return document;
}

/** The SubscriptionConfirmation an HTTP/S endpoint receives on Subscribe, unsigned. */
export function subscriptionConfirmationDocument(input: ConfirmationInput): ConfirmationDocument {
  const message = `You have chosen to subscribe to the topic ${input.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  return confirmation('SubscriptionConfirmation', input, message);
}

/** The UnsubscribeConfirmation an HTTP/S endpoint receives on Unsubscribe, unsigned. */
export function unsubscribeConfirmationDocument(input: ConfirmationInput & { subscriptionArn: string }): ConfirmationDocument {
  const message = `You have chosen to deactivate subscription ${input.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  return confirmation('UnsubscribeConfirmation', input, message);
}

function confirmation(type: ConfirmationDocument['Type'], input: ConfirmationInput, message: string): ConfirmationDocument {
  return {
    Type: type,
    MessageId: input.messageId,
    Token: input.token,
    TopicArn: input.topicArn,
    Message: message,
    SubscribeURL: input.subscribeUrl,
    Timestamp: snsTimestamp(input.timestamp),
  };
}

/** A copy of the document with the signature members placed right after Timestamp. */
export function withSignature<D extends SnsDocument>(document: D, signature: SignatureMembers): D {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === 'SignatureVersion' || key === 'Signature' || key === 'SigningCertURL') continue;
    out[key] = value;
    if (key === 'Timestamp') {
      out.SignatureVersion = signature.SignatureVersion;
      out.Signature = signature.Signature;
      out.SigningCertURL = signature.SigningCertURL;
    }
  }
  return out as D;
}

/**
 * The document as SNS puts it on the wire: one member a line, `"Name" : value`, two spaces of
 * indent, each message attribute compact on its own line — the layout of every body in the
 * Developer Guide's HTTP/HTTPS examples and of the bodies SQS receives from SNS. Values are
 * escaped as JSON.stringify escapes them.
 */
export function documentText(document: SnsDocument): string {
  return `{\n${documentLines(document).join(',\n')}\n}`;
}

/**
 * The wire text of a document around one of its members' value: `before + JSON.stringify(value) +
 * after` is documentText(document). The copies of one Notification sent to many subscriptions
 * differ only in their UnsubscribeURL, so the rest is written once (src/topics/engine/renderings.ts).
 */
export function documentTextAround(document: SnsDocument, member: string): { before: string; after: string } {
  const names = Object.keys(document).filter((key) => (document as unknown as Record<string, unknown>)[key] !== undefined);
  const lines = documentLines(document);
  const at = names.indexOf(member);
  if (at === -1) throw new Error(`the document has no ${member}`);
  const prefix = `  ${JSON.stringify(member)} : `;
  return {
    before: `{\n${[...lines.slice(0, at), ''].join(',\n')}${prefix}`,
    after: `${at + 1 < lines.length ? `,\n${lines.slice(at + 1).join(',\n')}` : ''}\n}`,
  };
}

function documentLines(document: SnsDocument): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (value === undefined) continue;
    if (key === 'MessageAttributes') {
      const attributes = Object.entries(value as DeliveredAttributes).map(
        ([name, attribute]) => `    ${JSON.stringify(name)} : {"Type":${JSON.stringify(attribute.Type)},"Value":${JSON.stringify(attribute.Value)}}`,
      );
      lines.push(`  "MessageAttributes" : {\n${attributes.join(',\n')}\n  }`);
    } else {
      lines.push(`  ${JSON.stringify(key)} : ${JSON.stringify(value)}`);
    }
  }
  return lines;
}
