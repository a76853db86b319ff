/**
 * The SNS delivery conformance set (test/conformance/sns/delivery/, source and licence in the
 * README.md and LICENSE.txt of test/conformance/sns/): what SQS queues received from SNS on AWS.
 * Every `*.json` list of the folder is read (given.json, and any held-back list added later).
 * Shared by the pure test of the builders (src/topics/model/delivery-conformance.test.ts) and the
 * test through the API (test/topics/delivery-conformance.test.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedAttributes } from '../../src/topics/model/message-attributes.js';
import { SNS_CONFORMANCE_DIR } from './sns-conformance.js';

/** Cases in the given list: every load holds at least these. */
export const GIVEN_DELIVERY_CASES = 49;

export interface DeliveryCase {
  id: string;
  testNodeId: string;
  /** The snapshot key of the recorded ReceiveMessage answer in the recorded/ case of testNodeId. */
  recordKey: string;
  recorded: { Messages: RecordedMessage[] };
}

/** One SQS message as the recorder stored it (JSON bodies parsed, bytes as Python's repr). */
export interface RecordedMessage {
  Body: unknown;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  MD5OfMessageAttributes?: string;
  MD5OfBody?: string;
  MessageId?: string;
}

export function loadDeliveryCases(): DeliveryCase[] {
  const dir = join(SNS_CONFORMANCE_DIR, 'delivery');
  const byId = new Map<string, DeliveryCase>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(readFileSync(join(dir, file), 'utf8')) as DeliveryCase[]) byId.set(c.id, c);
  }
  const cases = [...byId.values()];
  if (cases.length < GIVEN_DELIVERY_CASES) throw new Error(`delivery holds ${cases.length} cases, expected at least ${GIVEN_DELIVERY_CASES}`);
  return cases;
}

/** The attributes as they were published, read back from an envelope's `{Type, Value}`. */
export function publishedFromEnvelope(attributes: Record<string, { Type: string; Value: string }>): PublishedAttributes {
  const out: PublishedAttributes = {};
  for (const [name, { Type, Value }] of Object.entries(attributes)) {
    out[name] = Type.startsWith('Binary') ? { DataType: Type, BinaryValue: Buffer.from(Value, 'base64') } : { DataType: Type, StringValue: Value };
  }
  return out;
}

/** The attributes as they were published, read back from a raw delivery's SQS message attributes. */
export function publishedFromSqs(attributes: NonNullable<RecordedMessage['MessageAttributes']>): PublishedAttributes {
  const out: PublishedAttributes = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: pythonBytes(a.BinaryValue) } : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}

/** The recorder wrote bytes as Python's repr: `b'\x02\x03\x04'`. */
export function pythonBytes(repr: string): Buffer {
  const inner = /^b'(.*)'$/s.exec(repr)?.[1];
  assert.ok(inner !== undefined, `not a bytes repr: ${repr}`);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && inner[i + 1] === 'x') {
      bytes.push(parseInt(inner.slice(i + 2, i + 4), 16));
      i += 3;
    } else bytes.push(inner.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

export function pythonRepr(bytes: Uint8Array): string {
  return `b'${[...bytes].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}'`;
}

/** Key-order-insensitive form, for the values the recorder stored sorted. */
export function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}
