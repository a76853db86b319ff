/**
 * Helpers for the SQS data-plane tests: an error matcher, an MD5 of message attributes written
 * from the Developer Guide (not from src/queues/model/md5.ts, so the two check each other), and
 * small waiting utilities.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

export interface ExpectedError {
  /** The exception name the SDK gives (the legacy Query code where the model has none). */
  name: string;
  message?: string | RegExp;
  status?: number;
}

/** Awaits `promise`, which must reject with an AWS error of this name (and message, status). */
export async function expectError(promise: Promise<unknown>, expected: ExpectedError): Promise<void> {
  let error: { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string } | undefined;
  try {
    await promise;
  } catch (e) {
    error = e as typeof error;
  }
  assert.ok(error, `expected ${expected.name}, but the call succeeded`);
  assert.equal(error.name, expected.name, `wrong error: ${error.name}: ${error.message}`);
  if (expected.message instanceof RegExp) assert.match(error.message ?? '', expected.message);
  else if (expected.message !== undefined) assert.equal(error.message, expected.message);
  assert.equal(error.$metadata?.httpStatusCode, expected.status ?? 400);
  assert.equal(error.$fault, 'client');
}

/**
 * MD5OfMessageAttributes as the SQS Developer Guide describes it ("Calculating the MD5 message
 * digest for message attributes"): sort the attributes by name; for each, the name, the data
 * type and the value, each as a 4-byte big-endian length followed by its UTF-8 bytes, with one
 * transport-type byte before the value — 1 for String (String and Number, custom suffixes
 * included), 2 for Binary; then MD5 over the whole.
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const field = (bytes: Uint8Array): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    parts.push(length, Buffer.from(bytes));
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType!, 'utf8'));
    if (value.DataType!.startsWith('Binary')) {
      parts.push(Buffer.from([2]));
      field(value.BinaryValue!);
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(value.StringValue!, 'utf8'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Received attributes in a form deepEqual can compare with what was sent (Uint8Array → Buffer). */
export function plainAttributes(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }> | undefined {
  if (!attributes) return undefined;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }> = {};
  for (const [name, v] of Object.entries(attributes)) {
    out[name] = { DataType: v.DataType!, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue) } : {}) };
  }
  return out;
}

let counter = 0;
/** A queue name unique in this process. */
export function uniqueName(prefix: string, fifo = false): string {
  return `${prefix}-${process.pid}-${++counter}${fifo ? '.fifo' : ''}`;
}

export async function createQueue(client: SQSClient, prefix: string, attributes: Record<string, string> = {}): Promise<string> {
  const fifo = attributes.FifoQueue === 'true';
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: uniqueName(prefix, fifo), Attributes: attributes }));
  return QueueUrl!;
}

/** ApproximateNumberOfMessages, …NotVisible and …Delayed, as numbers. */
export async function counts(client: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const names: QueueAttributeName[] = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'];
  const { Attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** One short-poll receive; the messages (empty array when none). */
export async function receive(client: SQSClient, queueUrl: string, options: { max?: number; visibility?: number; wait?: number; all?: boolean } = {}): Promise<Message[]> {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.max ?? 10,
      VisibilityTimeout: options.visibility,
      WaitTimeSeconds: options.wait ?? 0,
      ...(options.all ? { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] } : {}),
    }),
  );
  return Messages;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits (really) until `check` holds, failing after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
