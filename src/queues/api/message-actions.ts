import { ServiceError } from '../../protocol/errors.js';
import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Queue, QueueEngine, ReceivedMessage, SendEntry } from '../engine/queue-engine.js';
import { sqsErrors } from '../model/errors.js';
import { md5OfMessageAttributes, type MessageAttributes } from '../model/md5.js';
import { validateBatchEntryIds, validateBatchSize, validateMessage, validateMessageDelay } from '../model/message-validation.js';
import { action } from './action.js';
import { resolveQueue } from './queue-url.js';

type QueueUrlInput = { QueueUrl?: string };

export interface SendInput {
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: MessageAttributes;
  MessageSystemAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** The data plane: sending, receiving, deleting and hiding messages. */
export function messageActions(engine: QueueEngine): ActionDefinition[] {
  return [
    action('SendMessage', async (input: QueueUrlInput & SendInput, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const entry = toSendEntry(queue, input);
      const [result] = await engine.send(queue, [entry], senderId(ctx));
      return {
        MessageId: result.messageId,
        MD5OfMessageBody: result.md5OfMessageBody,
        MD5OfMessageAttributes: result.md5OfMessageAttributes,
        MD5OfMessageSystemAttributes: result.md5OfMessageSystemAttributes,
        SequenceNumber: result.sequenceNumber,
      };
    }),

    action('SendMessageBatch', async (input: QueueUrlInput & { Entries: (SendInput & { Id: string })[] }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      validateBatchEntryIds('SendMessageBatch', input.Entries.map((e) => e.Id));
      validateBatchSize(input.Entries.map((e) => ({ body: e.MessageBody, attributes: e.MessageAttributes })));
      const failed: BatchFailure[] = [];
      const accepted: { id: string; entry: SendEntry }[] = [];
      for (const e of input.Entries) {
        try {
          accepted.push({ id: e.Id, entry: toSendEntry(queue, e) });
        } catch (error) {
          failed.push(batchFailure(e.Id, error));
        }
      }
      const results = accepted.length > 0 ? await engine.send(queue, accepted.map((a) => a.entry), senderId(ctx)) : [];
      return {
        Successful: results.map((r, i) => ({
          Id: accepted[i].id,
          MessageId: r.messageId,
          MD5OfMessageBody: r.md5OfMessageBody,
          MD5OfMessageAttributes: r.md5OfMessageAttributes,
          MD5OfMessageSystemAttributes: r.md5OfMessageSystemAttributes,
          SequenceNumber: r.sequenceNumber,
        })),
        Failed: failed,
      };
    }),

    action(
      'ReceiveMessage',
      async (
        input: QueueUrlInput & {
          AttributeNames?: string[];
          MessageSystemAttributeNames?: string[];
          MessageAttributeNames?: string[];
          MaxNumberOfMessages?: number;
          VisibilityTimeout?: number;
          WaitTimeSeconds?: number;
          ReceiveRequestAttemptId?: string;
        },
        ctx,
      ) => {
        const queue = resolveQueue(engine, ctx, input.QueueUrl);
        const max = input.MaxNumberOfMessages ?? 1;
        // Ranges and wording: API Reference, ReceiveMessage.
        if (max < 1 || max > 10) throw sqsErrors.parameterValueInvalid(max, 'MaxNumberOfMessages', 'Must be between 1 and 10, if provided.');
        const visibility = input.VisibilityTimeout ?? queue.config.visibilityTimeout;
        if (visibility < 0 || visibility > 43_200) {
          throw sqsErrors.parameterValueInvalid(visibility, 'VisibilityTimeout', 'Must be >= 0 and <= 43200, if provided.');
        }
        const wait = input.WaitTimeSeconds ?? queue.config.receiveWaitSeconds;
        if (wait < 0 || wait > 20) throw sqsErrors.parameterValueInvalid(wait, 'WaitTimeSeconds', 'Must be >= 0 and <= 20, if provided.');
        const attemptId = queue.config.fifo ? input.ReceiveRequestAttemptId : undefined;
        if (attemptId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(attemptId)) {
          throw sqsErrors.parameterValueInvalid(attemptId, 'ReceiveRequestAttemptId', 'Must be 1 to 128 alphanumeric or punctuation characters.');
        }
        const messages = await engine.receive(queue, { max, visibilityTimeout: visibility, waitMs: wait * 1000, attemptId, lifetime: ctx });
        if (messages.length === 0) return {};
        const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
        return { Messages: messages.map((m) => renderMessage(m, systemNames, input.MessageAttributeNames ?? [])) };
      },
    ),

    action('DeleteMessage', async (input: QueueUrlInput & { ReceiptHandle: string }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      const [outcome] = await engine.deleteMessages(queue, [input.ReceiptHandle]);
      if (outcome) throw outcome;
      return {};
    }),

    action('DeleteMessageBatch', async (input: QueueUrlInput & { Entries: { Id: string; ReceiptHandle: string }[] }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      validateBatchEntryIds('DeleteMessageBatch', input.Entries.map((e) => e.Id));
      const outcomes = await engine.deleteMessages(queue, input.Entries.map((e) => e.ReceiptHandle));
      return splitOutcomes(input.Entries, outcomes);
    }),

    action('ChangeMessageVisibility', async (input: QueueUrlInput & { ReceiptHandle: string; VisibilityTimeout: number }, ctx) => {
      const queue = resolveQueue(engine, ctx, input.QueueUrl);
      checkVisibility(input.VisibilityTimeout);
      const [outcome] = await engine.changeVisibility(queue, [{ handle: input.ReceiptHandle, visibilityTimeout: input.VisibilityTimeout }]);
      if (outcome) throw outcome;
      return {};
    }),

    action(
      'ChangeMessageVisibilityBatch',
      async (input: QueueUrlInput & { Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout?: number }[] }, ctx) => {
        const queue = resolveQueue(engine, ctx, input.QueueUrl);
        validateBatchEntryIds('ChangeMessageVisibilityBatch', input.Entries.map((e) => e.Id));
        const valid: { index: number; handle: string; visibilityTimeout: number }[] = [];
        const outcomes: (Error | null)[] = input.Entries.map(() => null);
        input.Entries.forEach((e, index) => {
          try {
            checkVisibility(e.VisibilityTimeout ?? 0);
            valid.push({ index, handle: e.ReceiptHandle, visibilityTimeout: e.VisibilityTimeout ?? 0 });
          } catch (error) {
            outcomes[index] = error as Error;
          }
        });
        const changed = await engine.changeVisibility(queue, valid);
        valid.forEach((v, i) => (outcomes[v.index] = changed[i]));
        return splitOutcomes(input.Entries, outcomes);
      },
    ),
  ];
}

/** Validates one message for `queue` and turns it into an engine entry (throws AWS's error). */
export function toSendEntry(queue: Queue, input: SendInput): SendEntry {
  validateMessage({
    body: input.MessageBody,
    attributes: input.MessageAttributes,
    systemAttributes: input.MessageSystemAttributes,
    maximumMessageSize: queue.config.maximumMessageSize,
  });
  validateMessageDelay(input.DelaySeconds, queue.config.fifo);
  if (input.MessageGroupId !== undefined) checkFifoToken(input.MessageGroupId, 'MessageGroupId');
  if (queue.config.fifo) {
    // "MessageGroupId is required for FIFO queues" (API Reference, SendMessage).
    if (input.MessageGroupId === undefined) throw sqsErrors.missingParameter('MessageGroupId');
    if (input.MessageDeduplicationId !== undefined) checkFifoToken(input.MessageDeduplicationId, 'MessageDeduplicationId');
    else if (!queue.config.contentBasedDeduplication) {
      throw sqsErrors.invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
  } else if (input.MessageDeduplicationId !== undefined) {
    // Standard queues take MessageGroupId since fair queues (2025) but never a deduplication id.
    throw sqsErrors.parameterValueInvalid(input.MessageDeduplicationId, 'MessageDeduplicationId', 'The request include parameter that is not valid for this queue type.');
  }
  return {
    body: input.MessageBody,
    delaySeconds: input.DelaySeconds,
    attributes: input.MessageAttributes,
    systemAttributes: input.MessageSystemAttributes,
    groupId: input.MessageGroupId,
    deduplicationId: input.MessageDeduplicationId,
  };
}

/** Group and deduplication ids: 1–128 characters, alphanumeric and punctuation (API Reference, SendMessage). */
function checkFifoToken(value: string, parameter: string): void {
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw sqsErrors.parameterValueInvalid(value, parameter, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

function checkVisibility(seconds: number): void {
  if (seconds < 0 || seconds > 43_200) throw sqsErrors.parameterValueInvalid(seconds, 'VisibilityTimeout', 'Must be >= 0 and <= 43200, if provided.');
}

function senderId(ctx: RequestContext): string {
  // AWS reports the caller's IAM identity; Stratus has accounts, not users.
  return ctx.accountId;
}

const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber',
  'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
];

function renderMessage(m: ReceivedMessage, systemNames: string[], attributeNames: string[]) {
  // What most receives ask for: no attributes of either kind (the same members, in the same order, as below).
  if (systemNames.length === 0 && attributeNames.length === 0) return { MessageId: m.messageId, ReceiptHandle: m.receiptHandle, MD5OfBody: m.md5OfBody, Body: m.body };
  const wantsAll = systemNames.includes('All');
  const attributes: Record<string, string> = {};
  const system = m.system();
  for (const name of SYSTEM_ATTRIBUTE_NAMES) {
    if ((wantsAll || systemNames.includes(name)) && system[name] !== undefined) attributes[name] = system[name];
  }
  const selected = selectMessageAttributes(m.attributes, attributeNames);
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    // The digest covers the attributes returned (SDKs that check it hash what they received).
    ...(selected ? { MessageAttributes: base64Values(selected), MD5OfMessageAttributes: md5OfMessageAttributes(selected) } : {}),
  };
}

/** Binary attribute values as the wire carries them (base64), so the answer needs no shape walk. */
function base64Values(attributes: MessageAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(attributes)) {
    out[name] = {
      ...v,
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
      ...(v.BinaryListValues ? { BinaryListValues: v.BinaryListValues.map((b) => Buffer.from(b).toString('base64')) } : {}),
    };
  }
  return out;
}

/** `All`, `.*`, exact names, and `prefix.*` (API Reference, ReceiveMessage, MessageAttributeNames). */
function selectMessageAttributes(attributes: MessageAttributes | null, names: string[]): MessageAttributes | undefined {
  if (!attributes || names.length === 0) return undefined;
  const all = names.includes('All') || names.includes('.*');
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -1));
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (all || names.includes(name) || prefixes.some((p) => name.startsWith(p))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function batchFailure(id: string, error: unknown): BatchFailure {
  if (error instanceof ServiceError) return { Id: id, SenderFault: error.fault === 'Sender', Code: error.queryCode ?? error.code, Message: error.message };
  throw error;
}

function splitOutcomes(entries: { Id: string }[], outcomes: (Error | null)[]): { Successful: { Id: string }[]; Failed: BatchFailure[] } {
  const Successful: { Id: string }[] = [];
  const Failed: BatchFailure[] = [];
  entries.forEach((e, i) => {
    const outcome = outcomes[i];
    if (outcome) Failed.push(batchFailure(e.Id, outcome));
    else Successful.push({ Id: e.Id });
  });
  return { Successful, Failed };
}
