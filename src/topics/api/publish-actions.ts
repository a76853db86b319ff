import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue, Topic } from '../engine/catalogue.js';
import { directMessage, type Outbox } from '../engine/outbox.js';
import type { PublishEntry, Publisher } from '../engine/publisher.js';
import { readArn } from '../model/arns.js';
import { isE164 } from '../model/endpoints.js';
import { snsErrors } from '../model/errors.js';
import { validateMessageAttributes, type PublishedAttributes } from '../model/message-attributes.js';
import { messageForProtocol, parseStructuredMessage } from '../model/message-structure.js';
import { checkBatchIds, checkFifoParameters, checkMessage, checkSubject, publishSize } from '../model/publish-checks.js';
import { DEFAULT_MAXIMUM_MESSAGE_SIZE } from '../model/topic-attributes.js';
import { topicFor } from './access.js';
import { action, type SnsContext } from './action.js';

interface PublishFields {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: PublishedAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** The largest message a topic takes: its MaximumMessageSize, else 256 KiB (API Reference, Publish and SetTopicAttributes). */
function maximumSize(topic: Topic | undefined): number {
  const set = topic?.attributes.MaximumMessageSize;
  return set === undefined ? DEFAULT_MAXIMUM_MESSAGE_SIZE : Number(set);
}

/** The X-Ray trace header of the request, passed on to SQS deliveries (Developer Guide, "Active tracing in Amazon SNS"). */
function traceHeaderOf(ctx: SnsContext): string | undefined {
  const header = ctx.headers['x-amzn-trace-id'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/**
 * Checks one message as Publish does, in AWS's order as far as the recordings show it: the
 * subject, the message (empty, too long), its attributes, its structure, then the FIFO
 * parameters against the topic.
 */
function entryOf(fields: PublishFields, topic: Topic, position: number | undefined, traceHeader: string | undefined): PublishEntry {
  checkSubject(fields.Subject);
  validateMessageAttributes(fields.MessageAttributes, position);
  checkMessage(fields, maximumSize(topic));
  const structured = fields.MessageStructure === 'json' ? parseStructuredMessage(fields.Message) : undefined;
  if (fields.MessageStructure !== undefined && fields.MessageStructure !== 'json') throw snsErrors.invalid('MessageStructure');
  checkFifoParameters({ fifo: topic.fifo, contentBasedDeduplication: topic.attributes.ContentBasedDeduplication === 'true' }, fields.MessageGroupId, fields.MessageDeduplicationId);
  const entry: PublishEntry = { message: fields.Message };
  if (structured) entry.structured = structured;
  if (fields.Subject !== undefined) entry.subject = fields.Subject;
  if (fields.MessageAttributes !== undefined && Object.keys(fields.MessageAttributes).length > 0) entry.attributes = fields.MessageAttributes;
  if (fields.MessageGroupId !== undefined) entry.groupId = fields.MessageGroupId;
  if (fields.MessageDeduplicationId !== undefined) entry.dedupId = fields.MessageDeduplicationId;
  if (traceHeader !== undefined) entry.traceHeader = traceHeader;
  return entry;
}

export function publishActions(runtime: Runtime, catalogue: Catalogue, publisher: Publisher, outbox: Outbox): ActionDefinition[] {
  /** A message to a phone or a mobile endpoint: taken as AWS takes it, kept in the outbox in the write that answers it. */
  const keep = async (input: PublishFields, protocol: 'sms' | 'application', endpoint: string, ctx: SnsContext): Promise<{ MessageId: string }> => {
    const structured = input.MessageStructure === 'json' ? parseStructuredMessage(input.Message) : undefined;
    const message = directMessage(structured ? messageForProtocol(structured, protocol) : input.Message, input.Subject, runtime.clock.now());
    await runtime.store.write((tx) => outbox.storeDirect(tx, { protocol, endpoint, message, accountId: ctx.accountId, region: ctx.region }));
    return { MessageId: message.messageId };
  };

  return [
    action('Publish', async (input: PublishFields & { TopicArn?: string; TargetArn?: string; PhoneNumber?: string }, ctx) => {
      const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((t) => t !== undefined);
      // "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter" is how
      // AWS words a Publish naming no target; naming two is refused the same way as one too many.
      if (targets.length === 0) throw snsErrors.invalidReason('TopicArn or TargetArn', 'no value for required parameter');
      if (targets.length > 1) throw snsErrors.invalidReason('TopicArn', 'Only one of TopicArn, TargetArn or PhoneNumber may be specified');
      if (input.PhoneNumber !== undefined) {
        // Recorded: "Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to".
        if (!isE164(input.PhoneNumber)) throw snsErrors.invalidReason('PhoneNumber', `${input.PhoneNumber} is not valid to publish to`);
        checkSubject(input.Subject);
        validateMessageAttributes(input.MessageAttributes);
        checkMessage(input, DEFAULT_MAXIMUM_MESSAGE_SIZE);
        // Stratus sends no text message: the message is taken as AWS takes it and kept in the outbox.
        return keep(input, 'sms', input.PhoneNumber, ctx);
      }
      const arn = (input.TopicArn ?? input.TargetArn) as string;
      const name = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
      if (input.TargetArn !== undefined && readArn('TargetArn', arn).resource.startsWith('endpoint/')) {
        checkEndpointPublish(catalogue, input);
        return keep(input, 'application', arn, ctx);
      }
      const topic = topicFor(runtime, catalogue, ctx, arn, name);
      const [result] = await publisher.publish(topic, [entryOf(input, topic, undefined, traceHeaderOf(ctx))]);
      return topic.fifo ? { MessageId: result.messageId, SequenceNumber: result.sequenceNumber } : { MessageId: result.messageId };
    }),

    action('PublishBatch', async (input: { TopicArn: string; PublishBatchRequestEntries: (PublishFields & { Id: string })[] }, ctx) => {
      const entries = input.PublishBatchRequestEntries;
      // Recorded order: too many entries is refused before the topic is looked up.
      if (entries.length > 10) throw snsErrors.tooManyEntries();
      const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
      checkBatchIds(entries.map((e) => e.Id));
      const traceHeader = traceHeaderOf(ctx);
      const checked = entries.map((e, i) => entryOf(e, topic, i + 1, traceHeader));
      // "The length of all the messages put together is more than the limit." (recorded, BatchRequestTooLong).
      if (entries.reduce((sum, e) => sum + publishSize(e), 0) > maximumSize(topic)) throw snsErrors.batchTooLong();
      const results = await publisher.publish(topic, checked);
      return {
        Successful: results.map((r, i) => (topic.fifo ? { Id: entries[i].Id, MessageId: r.messageId, SequenceNumber: r.sequenceNumber } : { Id: entries[i].Id, MessageId: r.messageId })),
        Failed: [],
      };
    }),
  ];
}

/**
 * A Publish to a mobile endpoint (TargetArn endpoint/…): "No endpoint found for the target arn
 * specified" when it does not exist (recorded), EndpointDisabled when it is disabled (API
 * Reference, Publish). Stratus pushes nothing to a platform; the message is taken as AWS takes it.
 */
function checkEndpointPublish(catalogue: Catalogue, input: PublishFields & { TargetArn?: string }): void {
  const endpoint = catalogue.endpoint(input.TargetArn as string);
  if (!endpoint) throw snsErrors.invalidReason('TargetArn', 'No endpoint found for the target arn specified');
  if (endpoint.attributes.Enabled === 'false') throw snsErrors.endpointDisabled();
  checkSubject(input.Subject);
  validateMessageAttributes(input.MessageAttributes);
  checkMessage(input, DEFAULT_MAXIMUM_MESSAGE_SIZE);
  if (input.MessageStructure === 'json') parseStructuredMessage(input.Message);
}
