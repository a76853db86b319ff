import type { PublishedAttributes } from '../model/message-attributes.js';

/**
 * A published message as it travels from Publish to its deliveries: plain JSON (it is stored in
 * delivery jobs and FIFO outbox rows), frozen when SNS took it.
 */
export interface StoredMessage {
  messageId: string;
  topicArn: string;
  /** The text this subscription's protocol gets (MessageStructure json resolved per protocol). */
  message: string;
  subject?: string;
  /** Attributes with binary values in base64; absent when none (or the message was structured). */
  attributes?: StoredAttributes;
  /** When SNS took the message, ms since the epoch. */
  timestamp: number;
  /** FIFO topics. */
  sequenceNumber?: string;
  groupId?: string;
  dedupId?: string;
  /** The topic's SignatureVersion when the message was published. */
  signatureVersion: '1' | '2';
  /** The publisher's X-Ray trace header, passed on to SQS as AWSTraceHeader. */
  traceHeader?: string;
  /** Redelivered from the topic's archive by a replay. */
  replayed?: boolean;
}

export type StoredAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/** Attributes as JSON can hold them: binary values in base64. */
export function storeAttributes(attributes: PublishedAttributes | undefined): StoredAttributes | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const out: StoredAttributes = {};
  for (const name of names) {
    const a = attributes[name];
    out[name] =
      a.StringValue !== undefined && a.StringValue !== null
        ? { DataType: a.DataType!, StringValue: a.StringValue }
        : { DataType: a.DataType!, BinaryValue: Buffer.from(a.BinaryValue ?? new Uint8Array()).toString('base64') };
  }
  return out;
}

/** Stored attributes back in Publish's form. */
export function publishedAttributes(attributes: StoredAttributes | undefined): PublishedAttributes | undefined {
  if (!attributes) return undefined;
  const out: PublishedAttributes = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') } : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}

/**
 * Whether two stored messages make the same Notification (whatever differs is per subscription):
 * the same object, or one read back from another job of the same publish — same id and every
 * member a Notification is written from.
 */
export function sameNotification(a: StoredMessage, b: StoredMessage): boolean {
  if (a === b) return true;
  return (
    a.messageId === b.messageId &&
    a.topicArn === b.topicArn &&
    a.message === b.message &&
    a.subject === b.subject &&
    a.timestamp === b.timestamp &&
    a.sequenceNumber === b.sequenceNumber &&
    a.signatureVersion === b.signatureVersion &&
    sameAttributes(a.attributes, b.attributes)
  );
}

function sameAttributes(a: StoredAttributes | undefined, b: StoredAttributes | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    const x = a[name];
    const y = b[name];
    if (y === undefined || x.DataType !== y.DataType || x.StringValue !== y.StringValue || x.BinaryValue !== y.BinaryValue) return false;
  }
  return true;
}
