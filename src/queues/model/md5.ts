import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/**
 * The digests SQS returns with every message (MD5OfMessageBody / MD5OfBody,
 * MD5OfMessageAttributes, MD5OfMessageSystemAttributes). Clients check them: the Java v2,
 * .NET, Kotlin and Ruby SDKs recompute the attribute digest and throw on a mismatch, and
 * @aws-sdk/middleware-sdk-sqs (the JS v3 client, node_modules/@aws-sdk/middleware-sdk-sqs)
 * recomputes the body digest on SendMessage, SendMessageBatch and ReceiveMessage.
 */

/** A message (or message system) attribute as SendMessage carries it (API_MessageAttributeValue). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
  /** "Not implemented. Reserved for future use." (API reference) — still part of the digest. */
  StringListValues?: string[];
  BinaryListValues?: Buffer[];
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

// Transport-type bytes of the digest encoding. SQS Developer Guide, "Calculating the MD5
// message digest for message attributes"; the same constants as the SDKs' checkers
// (aws-sdk-java-v2 MessageMD5ChecksumInterceptor: STRING_TYPE_FIELD_INDEX = 1,
// BINARY_TYPE_FIELD_INDEX = 2, STRING_LIST_TYPE_FIELD_INDEX = 3, BINARY_LIST_TYPE_FIELD_INDEX = 4).
const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;
const STRING_LIST_TRANSPORT = 3;
const BINARY_LIST_TRANSPORT = 4;

/**
 * One-shot digests (`crypto.hash`, Node ≥ 20.12) cost about half of createHash().update().digest()
 * on a short text; older Node 20 releases fall back to the latter.
 */
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (crypto as { hash?: (a: string, d: string, e: 'hex') => string }).hash;

function hexDigest(algorithm: 'md5' | 'sha256', text: string): string {
  return oneShot !== undefined ? oneShot(algorithm, text, 'hex') : createHash(algorithm).update(text, 'utf8').digest('hex');
}

/** Hex MD5 of the UTF-8 body: what MD5OfMessageBody / MD5OfBody carry (RFC 1321). */
export function md5OfMessageBody(body: string): string {
  return hexDigest('md5', body);
}

/** Hex SHA-256 of the UTF-8 text (FIFO content-based deduplication ids). */
export function sha256Hex(text: string): string {
  return hexDigest('sha256', text);
}

/** MD5OfMessageAttributes; undefined when the message has no attributes (SQS then omits the member). */
export function md5OfMessageAttributes(attrs: MessageAttributes | null | undefined): string | undefined {
  return digestAttributes(attrs);
}

/** MD5OfMessageSystemAttributes (AWSTraceHeader): the same encoding over the system attributes. */
export function md5OfMessageSystemAttributes(attrs: MessageAttributes | null | undefined): string | undefined {
  return digestAttributes(attrs);
}

/**
 * The encoding, as the Developer Guide gives it and aws-sdk-java-v2 checks it:
 * attributes sorted by name (String natural order = UTF-16 code units, which is also JS's
 * default sort); for each, 4-byte big-endian length + UTF-8 name, length + UTF-8 data type,
 * one transport byte, then length + value bytes (a list value: each item length-prefixed,
 * no count). The transport byte follows the value field that is set, exactly as the Java
 * checker picks it (StringValue before BinaryValue before the lists), so `Number.float` and
 * `String.x` digest as strings and `Binary.gif` as binary.
 */
function digestAttributes(attrs: MessageAttributes | null | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs);
  if (names.length === 0) return undefined;
  names.sort();
  const hash = createHash('md5');
  for (const name of names) {
    const value = attrs[name];
    lengthAndBytes(hash, Buffer.from(name, 'utf8'));
    lengthAndBytes(hash, Buffer.from(value.DataType ?? '', 'utf8'));
    if (value.StringValue !== undefined && value.StringValue !== null) {
      hash.update(Uint8Array.of(STRING_TRANSPORT));
      lengthAndBytes(hash, Buffer.from(value.StringValue, 'utf8'));
    } else if (value.BinaryValue !== undefined && value.BinaryValue !== null) {
      hash.update(Uint8Array.of(BINARY_TRANSPORT));
      lengthAndBytes(hash, value.BinaryValue);
    } else if (value.StringListValues && value.StringListValues.length > 0) {
      hash.update(Uint8Array.of(STRING_LIST_TRANSPORT));
      for (const item of value.StringListValues) lengthAndBytes(hash, Buffer.from(item, 'utf8'));
    } else if (value.BinaryListValues && value.BinaryListValues.length > 0) {
      hash.update(Uint8Array.of(BINARY_LIST_TRANSPORT));
      for (const item of value.BinaryListValues) lengthAndBytes(hash, item);
    }
  }
  return hash.digest('hex');
}

function lengthAndBytes(hash: ReturnType<typeof createHash>, bytes: Uint8Array): void {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length, 0);
  hash.update(length);
  hash.update(bytes);
}
