import { createHash } from 'node:crypto';
import { snsErrors } from './errors.js';

/**
 * What Publish and PublishBatch check of a message before it is taken, with AWS's answers
 * (recorded in test/conformance/sns/errors and recorded/ unless a comment says otherwise). The
 * message attributes and MessageStructure have checks of their own (message-attributes.ts,
 * message-structure.ts).
 */

/** What a message carries that its size counts. */
export interface SizedMessage {
  Message: string;
  MessageAttributes?: Record<string, { DataType?: string | null; StringValue?: string | null; BinaryValue?: Uint8Array | null }>;
}

/**
 * A message's size as SNS counts it against the limit: the message and every attribute's name,
 * data type and value, in bytes ("The total size limit for a single SNS message is 256 KB,
 * which includes the message, subject, and attributes", Developer Guide, "Publishing large
 * messages"; recorded: a message of 262,144 - 12 bytes with a 12-byte attribute is taken, one
 * byte more refused).
 */
export function publishSize(message: SizedMessage): number {
  let size = Buffer.byteLength(message.Message, 'utf8');
  for (const [name, attribute] of Object.entries(message.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.DataType ?? '', 'utf8');
    if (attribute.StringValue !== undefined && attribute.StringValue !== null) size += Buffer.byteLength(attribute.StringValue, 'utf8');
    if (attribute.BinaryValue !== undefined && attribute.BinaryValue !== null) size += attribute.BinaryValue.length;
  }
  return size;
}

/** "Invalid parameter: Empty message" (recorded) and "Invalid parameter: Message too long" (recorded). */
export function checkMessage(message: SizedMessage, maximumSize: number): void {
  if (message.Message === '') throw snsErrors.invalid('Empty message');
  if (publishSize(message) > maximumSize) throw snsErrors.invalid('Message too long');
}

/**
 * Subjects: "ASCII text that begins with a letter, number, or punctuation mark; must not include
 * line breaks or control characters; and must be less than 100 characters long" (API Reference,
 * Publish). Every refusal is "Invalid parameter: Subject" (recorded for the empty subject).
 */
export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if (subject.length === 0 || subject.length >= 100 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) throw snsErrors.invalid('Subject');
}

/**
 * MessageGroupId and MessageDeduplicationId: up to 128 characters, alphanumeric and punctuation
 * (API Reference, Publish). A FIFO topic needs a group, and a deduplication id unless the topic
 * has ContentBasedDeduplication (both recorded); a standard topic refuses a deduplication id
 * (recorded) and takes a group id, which it passes on to SQS (recorded: test_publish_message_group_id).
 */
export function checkFifoParameters(topic: { fifo: boolean; contentBasedDeduplication: boolean }, groupId: string | undefined, dedupId: string | undefined): void {
  for (const [name, value] of [
    ['MessageGroupId', groupId],
    ['MessageDeduplicationId', dedupId],
  ] as const) {
    if (value !== undefined && (value.length === 0 || value.length > 128 || !/^[\x21-\x7e]+$/.test(value))) {
      throw snsErrors.invalidReason(name, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
  }
  if (topic.fifo) {
    if (groupId === undefined) throw snsErrors.invalid('The MessageGroupId parameter is required for FIFO topics');
    if (dedupId === undefined && !topic.contentBasedDeduplication) {
      throw snsErrors.invalid('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
  } else if (dedupId !== undefined) {
    throw snsErrors.invalidReason('MessageDeduplicationId', 'The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  }
}

/**
 * The deduplication id a FIFO message is known by: the one given, or with ContentBasedDeduplication
 * the SHA-256 of the message body, attributes left out (API Reference, SetTopicAttributes:
 * "Amazon SNS uses a SHA-256 hash to generate the MessageDeduplicationId using the body of the
 * message (but not the attributes of the message)"; recorded: the hex digest reaches SQS).
 */
export function deduplicationIdOf(message: string, given: string | undefined): string {
  return given ?? createHash('sha256').update(message, 'utf8').digest('hex');
}

/** At most 10 entries in a PublishBatch (recorded: TooManyEntriesInBatchRequest); ids distinct, 1-80 of letters, digits, - and _. */
export const MAX_BATCH_ENTRIES = 10;

export function checkBatchIds(ids: readonly string[]): void {
  if (ids.length === 0) throw snsErrors.emptyBatch();
  if (ids.length > MAX_BATCH_ENTRIES) throw snsErrors.tooManyEntries();
  for (const id of ids) {
    if (!/^[A-Za-z0-9_-]*$/.test(id) || id === '') throw snsErrors.invalidBatchEntryId(id);
    // Recorded: an 81-character id is "too long"; 80 is taken.
    if (id.length > 80) throw snsErrors.batchEntryIdTooLong(id);
  }
  if (new Set(ids).size !== ids.length) throw snsErrors.batchIdsNotDistinct();
}
