import type { SerialByKey } from '../../core/serial-by-key.js';
import { parseJsonObject } from '../../core/json-object.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue } from '../engine/catalogue.js';
import type { Archive } from '../engine/archive.js';
import type { Deliveries } from '../engine/deliveries.js';
import type { Replays } from '../engine/replays.js';
import { retentionDaysOf } from '../model/archive-replay.js';
import type { FifoWindow } from '../engine/fifo-window.js';
import { readTopicArn, topicArn } from '../model/arns.js';
import { snsErrors } from '../model/errors.js';
import { checkTagList, MAX_TAGS, tagsIncluded, type Tag } from '../model/tags.js';
import {
  asksForFifo,
  checkTopicAttribute,
  checkTopicName,
  CREATE_TOPIC_ATTRIBUTES,
  sameTopicAttributes,
  SETTABLE_TOPIC_ATTRIBUTES,
  topicAttributesView,
} from '../model/topic-attributes.js';
import { defaultTopicPolicy } from '../model/topic-policy.js';
import { topicFor } from './access.js';
import { action, page } from './action.js';

/**
 * Topics per account and Region: 100,000 standard, 1,000 FIFO (Amazon SNS endpoints and quotas,
 * AWS General Reference, "Topics").
 */
const MAX_STANDARD_TOPICS = 100_000;
const MAX_FIFO_TOPICS = 1_000;

export function topicActions(
  runtime: Runtime,
  catalogue: Catalogue,
  deliveries: Deliveries,
  fifo: FifoWindow,
  serial: SerialByKey,
  archive: Archive,
  replays: Replays,
): ActionDefinition[] {
  return [
    action('CreateTopic', (input: { Name: string; Attributes?: Record<string, string>; Tags?: Tag[]; DataProtectionPolicy?: string }, ctx) => {
      const given = input.Attributes ?? {};
      for (const name of Object.keys(given)) if (!CREATE_TOPIC_ATTRIBUTES.has(name)) throw snsErrors.invalid('AttributeName');
      const fifo = asksForFifo(given);
      checkTopicName(input.Name, fifo);
      const tags = input.Tags ?? [];
      checkTagList(tags);
      if (tags.length > MAX_TAGS) throw snsErrors.tagLimitExceeded();
      const attributes: Record<string, string> = {};
      for (const [name, value] of Object.entries(given)) {
        const stored = checkTopicAttribute(name, value, { fifo }, 'create');
        if (name !== 'FifoTopic' && stored !== '') attributes[name] = stored;
      }
      if (input.DataProtectionPolicy !== undefined && !parseJsonObject(input.DataProtectionPolicy)) throw snsErrors.invalidReason('DataProtectionPolicy', 'failed to parse JSON.');
      const arn = topicArn(ctx.region, ctx.accountId, input.Name);
      return serial.run(arn, async () => {
        const existing = catalogue.topic(arn);
        if (existing) {
          // Idempotent for what the topic already is (recorded: test_create_topic_different_attrs, test_create_duplicate_topic_check_idempotency).
          const compared = { ...attributes };
          if (given.FifoTopic !== undefined) compared.FifoTopic = given.FifoTopic;
          if (!sameTopicAttributes(existing, compared)) throw snsErrors.invalidReason('Attributes', 'Topic already exists with different attributes');
          if (!tagsIncluded(existing.tags, tags)) throw snsErrors.invalidReason('Tags', 'Topic already exists with different tags');
          return { TopicArn: arn };
        }
        const owned = catalogue.topicsOf(ctx.accountId, ctx.region).filter((t) => t.fifo === fifo).length;
        if (owned >= (fifo ? MAX_FIFO_TOPICS : MAX_STANDARD_TOPICS)) throw snsErrors.topicLimitExceeded();
        const days = fifo ? retentionDaysOf(attributes) : undefined;
        await catalogue.createTopic(ctx.accountId, ctx.region, input.Name, fifo, attributes, tags.map((t) => ({ Key: t.Key, Value: t.Value })), input.DataProtectionPolicy, (tx, topic) =>
          days === undefined ? Promise.resolve() : archive.policyChanged(tx, topic, days),
        );
        return { TopicArn: arn };
      });
    }),

    action('DeleteTopic', (input: { TopicArn: string }, ctx) => {
      readTopicArn(input.TopicArn, ctx.region);
      // Deleting a topic that does not exist succeeds (recorded: test_delete_non_existent_topic, test_delete_topic_idempotency).
      if (!catalogue.topic(input.TopicArn)) return {};
      return serial.run(input.TopicArn, async () => {
        const topic = catalogue.topic(input.TopicArn);
        if (!topic) return {};
        topicFor(runtime, catalogue, ctx, input.TopicArn);
        await catalogue.deleteTopic(topic, async (tx) => {
          await deliveries.forgetTopic(tx, topic);
          await archive.forgetTopic(tx, topic.arn);
          await replays.forgetTopic(tx, topic.arn);
        });
        fifo.forget(topic.arn);
        return {};
      });
    }),

    action('GetTopicAttributes', (input: { TopicArn: string }, ctx) => {
      const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
      let confirmed = 0;
      let pending = 0;
      for (const sub of topic.subscriptions.values()) {
        if (sub.pending) pending++;
        else confirmed++;
      }
      // BeginningArchiveTime: shown for a topic that archives (API Reference, GetTopicAttributes).
      const beginning = archive.beginning(topic);
      const extra = beginning === undefined ? undefined : { BeginningArchiveTime: new Date(beginning).toISOString() };
      return { Attributes: topicAttributesView(topic, { confirmed, pending, deleted: topic.subscriptionsDeleted }, () => defaultTopicPolicy(topic.arn, topic.owner), extra) };
    }),

    action('SetTopicAttributes', (input: { TopicArn: string; AttributeName: string; AttributeValue?: string }, ctx) => {
      topicFor(runtime, catalogue, ctx, input.TopicArn);
      return serial.run(input.TopicArn, async () => {
        const topic = topicFor(runtime, catalogue, ctx, input.TopicArn);
        const name = input.AttributeName;
        if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw snsErrors.invalid('AttributeName');
        const stored = checkTopicAttribute(name, input.AttributeValue ?? '', topic, 'set');
        const attributes = { ...topic.attributes };
        if (stored === '' && name !== 'DisplayName') delete attributes[name];
        else attributes[name] = stored;
        const archiving = name === 'ArchivePolicy' ? retentionDaysOf(attributes) : undefined;
        await catalogue.setTopicAttributes(topic, attributes, (tx) => (name === 'ArchivePolicy' ? archive.policyChanged(tx, topic, archiving) : Promise.resolve()));
        return {};
      });
    }),

    action('ListTopics', (input: { NextToken?: string }, ctx) => {
      const listed = page(catalogue.topicsOf(ctx.accountId, ctx.region), (t) => t.arn, input.NextToken);
      return { Topics: listed.items.map((t) => ({ TopicArn: t.arn })), NextToken: listed.nextToken };
    }),
  ];
}
