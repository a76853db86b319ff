import { randomUUID } from 'node:crypto';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue, Topic } from '../engine/catalogue.js';
import type { PublishEntry, Publisher } from '../engine/publisher.js';
import { readArn } from '../model/arns.js';
import { isE164 } from '../model/endpoints.js';
import { snsErrors } from '../model/errors.js';
import { validateMessageAttributes, type PublishedAttributes } from '../model/message-attributes.js';
import { parseStructuredMessage } from '../model/message-structure.js';
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

export function publishActions(runtime: Runtime, catalogue: Catalogue, publisher: Publisher): ActionDefinition[] {
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
        // Stratus sends no text message; the message is taken as AWS takes it.
        return { MessageId: randomUUID() };
      }
      const arn = (input.TopicArn ?? input.TargetArn) as string;
      const name = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
      if (input.TargetArn !== undefined && readArn('TargetArn', arn).resource.startsWith('endpoint/')) return publishToEndpoint(catalogue, input);
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
function publishToEndpoint(catalogue: Catalogue, input: PublishFields & { TargetArn?: string }): { MessageId: string } {
  const endpoint = catalogue.endpoint(input.TargetArn as string);
  if (!endpoint) throw snsErrors.invalidReason('TargetArn', 'No endpoint found for the target arn specified');
  if (endpoint.attributes.Enabled === 'false') throw snsErrors.endpointDisabled();
  checkSubject(input.Subject);
  validateMessageAttributes(input.MessageAttributes);
  checkMessage(input, DEFAULT_MAXIMUM_MESSAGE_SIZE);
  if (input.MessageStructure === 'json') parseStructuredMessage(input.Message);
  return { MessageId: randomUUID() };
}
