import { InvokeError, type MessageSource, type SourceMessage, type SourceMessageAttribute } from '../invoke/index.js';
import type { QueueEngine, Queue, ReceivedMessage } from './engine/queue-engine.js';
import type { MessageAttributes } from './model/md5.js';

/** ReceiveMessage's limits (API Reference, ReceiveMessage: MaxNumberOfMessages 1–10, WaitTimeSeconds 0–20). */
const MAX_PER_RECEIVE = 10;
const MAX_WAIT_MS = 20_000;

/**
 * SQS queues as a message source (src/invoke/sources.ts): what a Lambda event source mapping
 * polls, on the queue engine's public receive / delete / change-visibility, so a poller's receive
 * counts toward maxReceiveCount and the redrive policy moves a message that keeps failing to the
 * dead-letter queue, exactly as for any consumer.
 */
export function queueSource(engine: QueueEngine): MessageSource {
  const queueOf = (arn: string): Queue => {
    const queue = engine.byArn(arn);
    if (!queue || queue.deleted) throw new InvokeError('ResourceNotFound', `The queue ${arn} does not exist.`, false);
    return queue;
  };
  return {
    service: 'sqs',
    describe(arn) {
      const queue = engine.byArn(arn);
      return queue && !queue.deleted ? { visibilityTimeoutS: queue.config.visibilityTimeout } : undefined;
    },
    async receive(arn, options) {
      const queue = queueOf(arn);
      const received = await engine.receive(queue, {
        max: Math.min(MAX_PER_RECEIVE, Math.max(1, Math.floor(options.max))),
        visibilityTimeout: options.visibilityTimeoutS ?? queue.config.visibilityTimeout,
        waitMs: Math.min(MAX_WAIT_MS, Math.max(0, options.waitMs)),
        lifetime: { signal: options.signal },
      });
      return received.map(toSourceMessage);
    },
    async delete(arn, receiptHandles) {
      if (receiptHandles.length === 0) return;
      // Per-handle outcomes (stale or expired handles) are not the poller's to act on: the
      // message comes back and is delivered again.
      await engine.deleteMessages(queueOf(arn), receiptHandles);
    },
    async changeVisibility(arn, entries) {
      if (entries.length === 0) return;
      await engine.changeVisibility(
        queueOf(arn),
        entries.map((e) => ({ handle: e.receiptHandle, visibilityTimeout: e.visibilityTimeoutS })),
      );
    },
  };
}

// The record's attribute order: the Lambda Developer Guide's example standard and FIFO events
// ("Using Lambda with Amazon SQS") list ApproximateReceiveCount, SentTimestamp, SequenceNumber,
// MessageGroupId, SenderId, MessageDeduplicationId, ApproximateFirstReceiveTimestamp.
const ATTRIBUTE_ORDER = [
  'ApproximateReceiveCount',
  'AWSTraceHeader',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
];

function toSourceMessage(m: ReceivedMessage): SourceMessage {
  const attributes: Record<string, string> = {};
  const system = m.system();
  for (const name of ATTRIBUTE_ORDER) if (system[name] !== undefined) attributes[name] = system[name];
  const out: SourceMessage = {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes: recordAttributes(m.attributes),
    md5OfBody: m.md5OfBody,
  };
  if (m.md5OfMessageAttributes !== undefined) out.md5OfMessageAttributes = m.md5OfMessageAttributes;
  return out;
}

/**
 * Message attributes as the event record spells them: lower camel, binary values base64, and the
 * (reserved) list members always present as arrays (recorded AWS events in localstack's
 * test_lambda_integration_sqs snapshot, test_message_body_and_attributes_passed_correctly).
 */
function recordAttributes(attributes: MessageAttributes | null): Record<string, SourceMessageAttribute> {
  const out: Record<string, SourceMessageAttribute> = {};
  if (!attributes) return out;
  for (const [name, value] of Object.entries(attributes)) {
    const attribute: Partial<SourceMessageAttribute> = {};
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = Buffer.from(value.BinaryValue).toString('base64');
    attribute.stringListValues = value.StringListValues ?? [];
    attribute.binaryListValues = (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64'));
    attribute.dataType = value.DataType;
    out[name] = attribute as SourceMessageAttribute;
  }
  return out;
}
