import { sqsErrors, type BatchAction, MAX_BATCH_ENTRIES, MAX_BATCH_PAYLOAD_BYTES } from './errors.js';
import { checkAttributeNumber } from '../../core/attribute-number.js';
import type { MessageAttributes, MessageAttributeValue } from './md5.js';

/**
 * SendMessage / SendMessageBatch input rules as pure checks that throw `sqsErrors.*`.
 * Rules: SendMessage API reference and the Developer Guide's "Message metadata" page;
 * wording: recordings of real SQS responses where they exist (cited per rule).
 */

/** "Each message can have up to 10 attributes." (Developer Guide, Message metadata) */
export const MAX_MESSAGE_ATTRIBUTES = 10;
/** Name and DataType "can be up to 256 characters long" (Developer Guide, Message metadata). */
export const MAX_ATTRIBUTE_NAME_LENGTH = 256;
export const MAX_ATTRIBUTE_TYPE_LENGTH = 256;
/** SendMessage DelaySeconds: "Valid values: 0 to 900." */
export const MAX_DELAY_SECONDS = 900;

const ALLOWED_CHARACTERS = '#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]';

/**
 * The first character outside "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD |
 * #x10000 to #x10FFFF" (SendMessage API reference), as a code point; a lone surrogate counts
 * as its own (invalid) code unit. undefined when every character is allowed.
 */
export function firstInvalidCharacter(text: string): number | undefined {
  // Most text is allowed characters of the BMP only: one regular-expression scan (several times
  // faster than the loop) says so. Anything else — including every surrogate, paired or not —
  // is looked at by the loop.
  if (!OUTSIDE_ALLOWED_BMP.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0xd7ff) continue;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if (c >= 0xe000 && c <= 0xfffd) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a pair: #x10000-#x10FFFF, allowed
        continue;
      }
    }
    return c;
  }
  return undefined;
}

/** Any UTF-16 unit that is not an allowed BMP character (surrogates included: the loop sorts those out). */
const OUTSIDE_ALLOWED_BMP = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd]/;

const hex = (codePoint: number): string => `#x${codePoint.toString(16).toUpperCase()}`;

/** Bytes counted toward MaximumMessageSize: the UTF-8 body plus, per attribute, its name,
 * data type and value ("All components of a message attribute are included in the 1 MiB
 * message size restriction" — Developer Guide, Message metadata). System attributes do not
 * count ("The size of a message system attribute doesn't count towards the total size of a
 * message." — SendMessage API reference). */
export function messageSize(body: string, attrs?: MessageAttributes | null): number {
  let size = Buffer.byteLength(body, 'utf8');
  if (attrs) {
    for (const name of Object.keys(attrs)) {
      const value = attrs[name];
      size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8') + valueBytes(value);
    }
  }
  return size;
}

function valueBytes(value: MessageAttributeValue): number {
  let n = 0;
  if (value.StringValue !== undefined && value.StringValue !== null) n += Buffer.byteLength(value.StringValue, 'utf8');
  if (value.BinaryValue) n += value.BinaryValue.length;
  for (const item of value.StringListValues ?? []) n += Buffer.byteLength(item, 'utf8');
  for (const item of value.BinaryListValues ?? []) n += item.length;
  return n;
}

/**
 * The body: at least one character, at most `maximumMessageSize` bytes together with the
 * attributes, only allowed characters — checked in that order (localstack's order, whose SQS
 * provider is snapshot-tested against AWS).
 *
 * - Empty: MissingParameter "The request must contain the parameter MessageBody." (live SQS,
 *   ballerinax/aws.sqs testSendMessageWithEmptyMessageBody).
 * - Too big: InvalidParameterValue "One or more parameters are invalid. Reason: Message must
 *   be shorter than 262144 bytes." (recorded, localstack test_send_oversized_message; the
 *   number is the queue's MaximumMessageSize — test_send_message_with_updated_maximum_message_size
 *   shows 1024). Exactly the limit is accepted.
 * - Characters: the newest SendMessage reference (@aws-sdk/client-sqs 3.1169, and the
 *   async-aws/aws#1950 diff that replaced the U+FFFD-replacement sentence with it) says "If a
 *   message contains characters outside the allowed set, Amazon SQS rejects the message and
 *   returns an InvalidMessageContents error." The wording is live SQS's: "Invalid binary
 *   character '#x7' was found in the message body, the set of allowed characters is #x9 | #xA
 *   | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]." (asim/nitro-plugins#437,
 *   Particular/NServiceBus.AmazonSQS#2630).
 */
export function validateMessageBody(body: string, maximumMessageSize: number, attributes?: MessageAttributes | null): void {
  if (typeof body !== 'string' || body.length === 0) throw sqsErrors.missingParameter('MessageBody');
  if (messageSize(body, attributes) > maximumMessageSize) {
    throw sqsErrors.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${maximumMessageSize} bytes.`);
  }
  const bad = firstInvalidCharacter(body);
  if (bad !== undefined) {
    throw sqsErrors.invalidMessageContents(`Invalid binary character '${hex(bad)}' was found in the message body, the set of allowed characters is ${ALLOWED_CHARACTERS}.`);
  }
}

/**
 * Message attributes (Developer Guide, "Message attribute components" and "data types").
 * All failures are InvalidParameterValue — the code live SQS uses for the two recorded
 * members of the family (empty String value, bad type prefix) and localstack for the rest.
 * Attributes are checked in name order so a message breaking two rules always reports the
 * same one.
 */
export function validateMessageAttributes(attrs: MessageAttributes | null | undefined): void {
  if (!attrs) return;
  const names = Object.keys(attrs);
  // Live: "Number of message attributes [11] exceeds the allowed maximum [10]." (AWS SDK for
  // Java trace in open-telemetry/opentelemetry-java-instrumentation#13799).
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  for (const name of [...names].sort()) {
    validateAttributeName(name);
    validateAttributeValue(name, attrs[name]);
  }
}

/**
 * Name rules: A-Z a-z 0-9 _ - . only; up to 256 characters; not starting with "AWS." or
 * "Amazon." in any casing; not starting or ending with "."; no ".." (Developer Guide). The
 * three first wordings are localstack's check_attributes (trailing space and "lower score"
 * included); the ".." one is Inqnuam/local-aws-sqs's. No live capture of these was found.
 */
function validateAttributeName(name: string): void {
  if (name.length > MAX_ATTRIBUTE_NAME_LENGTH) throw sqsErrors.invalidParameterValue('Message (user) attribute names must be shorter than 256 Bytes');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw sqsErrors.invalidParameterValue(
      'Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ',
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.') || name.startsWith('.') || name.endsWith('.')) {
    throw sqsErrors.invalidParameterValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
    );
  }
  if (name.includes('..')) throw sqsErrors.invalidParameterValue("Message (user) attribute name must not have successive '.' characters.");
}

type BaseType = 'String' | 'Number' | 'Binary';

/** `String`, `Number` or `Binary`, optionally followed by `.` and a custom label
 * (`Number.float`, `Binary.gif`); case-sensitive. */
export function baseDataType(dataType: string): BaseType | undefined {
  const match = /^(String|Number|Binary)(\..*)?$/s.exec(dataType);
  return match ? (match[1] as BaseType) : undefined;
}

function validateAttributeValue(name: string, value: MessageAttributeValue): void {
  const dataType = value?.DataType;
  // Wording composed on the pattern of the recorded value message below; no capture found.
  if (typeof dataType !== 'string' || dataType === '') {
    throw sqsErrors.invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty attribute type.`);
  }
  const base = baseDataType(dataType);
  // Live: "The type of message (user) attribute 'invalidAttribute' is invalid. You must use
  // only the following supported type prefixes: Binary, Number, String." (ballerinax/aws.sqs).
  if (!base) {
    throw sqsErrors.invalidParameterValue(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (dataType.length > MAX_ATTRIBUTE_TYPE_LENGTH) throw sqsErrors.invalidParameterValue('Message (user) attribute types must be shorter than 256 Bytes');
  // Recorded for String: "Message (user) attribute 'ErrorDetails' must contain a non-empty
  // value of type 'String'." (localstack test_send_message_with_empty_string_attribute, 2023);
  // Number and Binary take the same form with their type (an older live answer for Binary,
  // aws/aws-sdk-java#633 in 2016, read "The message attribute 'x' must contain non-empty
  // message attribute value for message attribute type 'Binary'.").
  const empty = () => sqsErrors.invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
  if (base === 'Binary') {
    if (!value.BinaryValue || value.BinaryValue.length === 0) throw empty();
    return;
  }
  const text = value.StringValue;
  if (typeof text !== 'string' || text === '') throw empty();
  if (base === 'Number') {
    validateNumber(name, text);
    return;
  }
  // "For string data types, the Value attribute has the same restrictions on the content as
  // the message body." (API_MessageAttributeValue). The code follows localstack (which notes
  // AWS answers InvalidParameterValue here, not InvalidMessageContents); the sentence is the
  // body's, naming the attribute — our composition.
  const bad = firstInvalidCharacter(text);
  if (bad !== undefined) {
    throw sqsErrors.invalidParameterValue(
      `Invalid binary character '${hex(bad)}' was found in the value of message (user) attribute '${name}', the set of allowed characters is ${ALLOWED_CHARACTERS}.`,
    );
  }
}

/**
 * Number (range: src/core/attribute-number.ts). Syntax failures are live SQS's "Can't cast the
 * value of message (user) attribute 'Age' to a number." (boto3 against SQS, quoted in substrate's
 * emulator; Inqnuam/local-aws-sqs has the same sentence). The range wording is elasticmq's — no
 * capture.
 */
function validateNumber(name: string, text: string): void {
  const check = checkAttributeNumber(text);
  if (check === 'not-a-number') throw sqsErrors.invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  if (check === 'out-of-range') throw numberOutOfRange(text);
}

const numberOutOfRange = (text: string) => sqsErrors.invalidParameterValue(`Number attribute value ${text} should be in range (-10**128..10**126)`);

/**
 * MessageSystemAttributes: "Currently, the only supported message system attribute is
 * AWSTraceHeader. Its type must be String and its value must be a correctly formatted X-Ray
 * trace header string." (SendMessage API reference). InvalidParameterValue; no live wording
 * was found, so these sentences are composed on the user-attribute pattern.
 */
export function validateSystemAttributes(attrs: MessageAttributes | null | undefined): void {
  if (!attrs) return;
  for (const name of Object.keys(attrs).sort()) {
    if (name !== 'AWSTraceHeader') throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    const value = attrs[name];
    if (value?.DataType !== 'String') throw sqsErrors.invalidParameterValue(`The type of message system attribute '${name}' is invalid. It must be String.`);
    if (typeof value.StringValue !== 'string' || value.StringValue === '') {
      throw sqsErrors.invalidParameterValue(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`);
    }
    const bad = firstInvalidCharacter(value.StringValue);
    if (bad !== undefined) {
      throw sqsErrors.invalidParameterValue(
        `Invalid binary character '${hex(bad)}' was found in the value of message system attribute '${name}', the set of allowed characters is ${ALLOWED_CHARACTERS}.`,
      );
    }
  }
}

export interface MessageInput {
  body: string;
  attributes?: MessageAttributes | null;
  systemAttributes?: MessageAttributes | null;
  maximumMessageSize: number;
}

/** A whole SendMessage payload, in localstack's (AWS-recorded) order: body presence, size,
 * body characters, attributes, system attributes. */
export function validateMessage(input: MessageInput): void {
  validateMessageBody(input.body, input.maximumMessageSize, input.attributes);
  validateMessageAttributes(input.attributes);
  validateSystemAttributes(input.systemAttributes);
}

/**
 * A per-message DelaySeconds. Live: "Value 1000 for parameter DelaySeconds is invalid.
 * Reason: DelaySeconds must be >= 0 and <= 900." (ballerinax/aws.sqs, aws-samples/
 * amazon-sqs-dlq-replay-backoff#8). FIFO queues take no per-message delay ("When you set
 * FifoQueue, you can't set DelaySeconds per message"), but an explicit 0 is accepted
 * (localstack#6612); recorded: "Value 2 for parameter DelaySeconds is invalid. Reason: The
 * request include parameter that is not valid for this queue type."
 */
export function validateMessageDelay(delaySeconds: number | null | undefined, fifo: boolean): void {
  if (delaySeconds === undefined || delaySeconds === null) return;
  if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw sqsErrors.parameterValueInvalid(delaySeconds, 'DelaySeconds', `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`);
  }
  if (fifo && delaySeconds !== 0) {
    throw sqsErrors.parameterValueInvalid(delaySeconds, 'DelaySeconds', 'The request include parameter that is not valid for this queue type.');
  }
}

/**
 * The request-level checks of the three batch actions, in localstack's order: empty, too
 * many, then per entry an invalid Id ("can only contain alphanumeric characters, hyphens and
 * underscores. It can be at most 80 letters long.") or a repeated one. Each fails the whole
 * request (the API reference lists them as action errors, not entry failures).
 */
export function validateBatchEntryIds(action: BatchAction, ids: readonly string[]): void {
  if (ids.length === 0) throw sqsErrors.emptyBatchRequest(action);
  if (ids.length > MAX_BATCH_ENTRIES) throw sqsErrors.tooManyEntriesInBatchRequest(ids.length);
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
}

/** SendMessageBatch's total payload: "the sum of the individual lengths of all of the batched
 * messages" at most 1 MiB (SendMessageBatch API reference); BatchRequestTooLong otherwise. */
export function validateBatchSize(entries: readonly { body: string; attributes?: MessageAttributes | null }[], limit: number = MAX_BATCH_PAYLOAD_BYTES): void {
  let total = 0;
  for (const entry of entries) total += messageSize(entry.body ?? '', entry.attributes);
  if (total > limit) throw sqsErrors.batchRequestTooLong(total, limit);
}
