import { checkAttributeNumber } from '../../core/attribute-number.js';
import { ServiceError } from '../../protocol/errors.js';
import { javaHashMapOrder } from './java-hash-order.js';

/**
 * SNS message attributes: what Publish / PublishBatch accept, and the three shapes SNS delivers
 * them in — `{Type, Value}` in the JSON envelope (SQS, HTTP/S, email-json), `{Type, Value}` in a
 * Lambda event, and SQS's own `{DataType, StringValue | BinaryValue}` under raw message delivery.
 * Sources: SNS Developer Guide, "Amazon SNS message attributes"; API reference,
 * MessageAttributeValue; the AWS-recorded envelopes in test/conformance/sns/delivery/.
 */

/** One attribute as Publish carries it (API_MessageAttributeValue). */
export interface PublishedAttribute {
  /** Required by the API model; absent when a caller left it out. */
  DataType?: string | null;
  StringValue?: string | null;
  BinaryValue?: Uint8Array | null;
}

export type PublishedAttributes = Record<string, PublishedAttribute>;

/** An attribute as SNS writes it into a notification (JSON envelope and Lambda event). */
export interface DeliveredAttribute {
  Type: string;
  /** The string value, or the binary value in base64. */
  Value: string;
}

export type DeliveredAttributes = Record<string, DeliveredAttribute>;

/** An attribute as SQS's SendMessage takes it (the queue invoker's `MessageAttributes` parameter). */
export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/**
 * "For SQS subscriptions, a maximum of 10 message attributes can be sent when Raw Message
 * Delivery is enabled … Messages with more than 10 message attributes directed towards Raw
 * Message Delivery enabled Amazon SQS subscriptions will be discarded as client side errors."
 * (Developer Guide, "Amazon SNS message attributes"). Publish itself takes more.
 */
export const RAW_SQS_MAX_ATTRIBUTES = 10;

const MAX_NAME_BYTES = 256;

/**
 * Checks every attribute, in the order given, as SNS does, and throws the first failure with
 * AWS's words (recorded against AWS: test/conformance/sns, `test_empty_or_wrong_message_attributes`
 * and `test_message_attributes_prefixes`). `batchPosition` is the entry's 1-based position in
 * a PublishBatch, which the missing-DataType message names.
 *
 * Names beginning with "AWS." or "Amazon." are reserved for AWS's own attributes, and callers set
 * those on purpose (AWS.SNS.SMS.SMSType, AWS.SNS.MOBILE.APNS.TTL: Developer Guide, "SMS message
 * attributes" and "mobile push message attributes"), so Publish does not refuse them.
 */
export function validateMessageAttributes(attributes: PublishedAttributes | null | undefined, batchPosition?: number): void {
  if (!attributes) return;
  for (const [name, attribute] of Object.entries(attributes)) {
    validateName(name);
    validateValue(name, attribute ?? {}, batchPosition);
  }
}

function validateName(name: string): void {
  // No capture of AWS's answer to an empty name was found; the sentence is composed.
  if (name === '') throw parameterValueInvalid('The message attribute name can not be empty.');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw parameterValueInvalid('Length of message attribute name must be less than 256 bytes.');
  if (/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/.test(name)) return;
  if (name.startsWith('.')) throw parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
  for (let i = 0; i < name.length; i++) {
    const char = name.codePointAt(i)!;
    if (!isNameCharacter(char)) {
      // '#x5E' for '^': the code point in upper-case hex, as recorded.
      throw parameterValueInvalid(
        `Invalid non-alphanumeric character '#x${char.toString(16).toUpperCase()}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    }
    if (char === 0x2e && name.charCodeAt(i - 1) === 0x2e) throw parameterValueInvalid("Message attribute name can not have successive '.' character.");
  }
}

function isNameCharacter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e;
}

/** `String`, `Number` or `Binary`, alone or followed by `.` and a label of at least one character
 * (`String.Array`, `Number.float`; recorded: "String." and "Stringprefixed" are refused,
 * "String.prefixed" and "String.  prefixed." accepted). */
const DATA_TYPE = /^(String|Number|Binary)(?:\..+)?$/s;

function validateValue(name: string, attribute: PublishedAttribute, batchPosition: number | undefined): void {
  const dataType = attribute.DataType;
  if (dataType === undefined || dataType === null) {
    // The API model marks DataType required; SNS answers as its request validation does.
    const at = batchPosition !== undefined ? `publishBatchRequestEntries.${batchPosition}.member.messageAttributes.${name}.member.dataType` : `messageAttributes.${name}.member.dataType`;
    throw new ServiceError('ValidationError', `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`);
  }
  const base = DATA_TYPE.exec(dataType)?.[1];
  if (!base) {
    throw parameterValueInvalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
  }
  const empty = () => parameterValueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
  const hasString = attribute.StringValue !== undefined && attribute.StringValue !== null;
  const hasBinary = attribute.BinaryValue !== undefined && attribute.BinaryValue !== null;
  if (!hasString && !hasBinary) throw empty();
  const field = base === 'Binary' ? 'Binary' : 'String';
  if (field === 'Binary' ? !hasBinary : !hasString) {
    throw parameterValueInvalid(`The message attribute '${name}' with type '${dataType}' must use field '${field}'.`);
  }
  if (field === 'Binary' ? attribute.BinaryValue!.length === 0 : attribute.StringValue === '') throw empty();
  if (base === 'Number' && checkAttributeNumber(attribute.StringValue!) !== 'number') {
    // moto's wording (getmoto/moto, sns/responses.py); no capture of AWS's answer was found, for
    // a malformed number or one out of the documented range.
    throw parameterValueInvalid(`Could not cast message attribute '${name}' value to number.`);
  }
}

function parameterValueInvalid(message: string): ServiceError {
  return new ServiceError('ParameterValueInvalid', message);
}

/** The value as text: the string, or the binary value in base64 (the envelopes' `"AgME"` for bytes 2, 3, 4). */
function valueText(attribute: PublishedAttribute): string {
  if (attribute.StringValue !== undefined && attribute.StringValue !== null) return attribute.StringValue;
  return Buffer.from(attribute.BinaryValue ?? new Uint8Array()).toString('base64');
}

/**
 * The `MessageAttributes` of a JSON envelope, in the order AWS writes them (a Java HashMap's:
 * java-hash-order.ts); undefined when there are none (the envelope then has no
 * `MessageAttributes` member at all, as recorded).
 */
export function envelopeAttributes(attributes: PublishedAttributes | null | undefined): DeliveredAttributes | undefined {
  if (!attributes) return undefined;
  const names = javaHashMapOrder(Object.keys(attributes));
  if (names.length === 0) return undefined;
  const out: DeliveredAttributes = {};
  for (const name of names) out[name] = { Type: attributes[name].DataType!, Value: valueText(attributes[name]) };
  return out;
}

/**
 * The `Sns.MessageAttributes` of a Lambda event: `{}` when there are none. String.Array "isn't
 * supported for AWS Lambda subscriptions … it's passed as the String data type in the JSON
 * payload that Amazon SNS delivers to Lambda" (Developer Guide, "Message attribute data types and
 * validation").
 */
export function lambdaAttributes(attributes: PublishedAttributes | null | undefined): DeliveredAttributes {
  const out: DeliveredAttributes = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    out[name] = { Type: attribute.DataType === 'String.Array' ? 'String' : attribute.DataType!, Value: valueText(attribute) };
  }
  return out;
}

/**
 * The SQS message attributes of a raw delivery: each attribute keeps its data type (SQS takes a
 * custom label after String, Number or Binary, so String.Array is a valid SQS type) and its value
 * in the matching field (recorded: `{"DataType": "Binary", "BinaryValue": <bytes>}`).
 */
export function rawSqsAttributes(attributes: PublishedAttributes | null | undefined): Record<string, SqsMessageAttribute> | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const out: Record<string, SqsMessageAttribute> = {};
  for (const name of names) {
    const attribute = attributes[name];
    out[name] =
      attribute.StringValue !== undefined && attribute.StringValue !== null
        ? { DataType: attribute.DataType!, StringValue: attribute.StringValue }
        : { DataType: attribute.DataType!, BinaryValue: Buffer.from(attribute.BinaryValue ?? new Uint8Array()) };
  }
  return out;
}

/**
 * The values of a String.Array attribute: "An array, formatted as a string, that can contain
 * multiple values. The values can be strings, numbers, or the keywords true, false, and null"
 * (Developer Guide, data types). Undefined when the text is not such an array: Publish takes it
 * all the same as far as is known (no recorded refusal; the type matters to filter policies,
 * which then see no values).
 */
export function stringArrayValues(text: string): (string | number | boolean | null)[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)) ? (parsed as (string | number | boolean | null)[]) : undefined;
}
