import type { SerialByKey } from '../../core/serial-by-key.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Runtime } from '../../server/runtime.js';
import type { Catalogue, Topic } from '../engine/catalogue.js';
import { readArn } from '../model/arns.js';
import { snsErrors } from '../model/errors.js';
import { checkTagList, mergeTags, type Tag } from '../model/tags.js';
import { authorize } from './access.js';
import { action, type SnsContext } from './action.js';

/** Tags on topics, by ARN (API Reference: TagResource, UntagResource, ListTagsForResource). */
export function tagActions(runtime: Runtime, catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  /** The topic a ResourceArn names; ResourceNotFound (404) when there is none (model: ResourceNotFoundException). */
  const topicOf = (ctx: SnsContext, arn: string): Topic => {
    const parsed = readArn('ResourceArn', arn);
    const topic = parsed.service === 'sns' ? catalogue.topic(arn) : undefined;
    if (!topic) throw snsErrors.resourceNotFound();
    if (parsed.accountId !== ctx.accountId) authorize(runtime, topic, ctx.accountId, `SNS:${ctx.action}`);
    return topic;
  };

  return [
    action('TagResource', (input: { ResourceArn: string; Tags: Tag[] }, ctx) => {
      checkTagList(input.Tags);
      topicOf(ctx, input.ResourceArn);
      return serial.run(input.ResourceArn, async () => {
        const topic = topicOf(ctx, input.ResourceArn);
        await catalogue.setTopicTags(topic, mergeTags(topic.tags, input.Tags));
        return {};
      });
    }),

    action('UntagResource', (input: { ResourceArn: string; TagKeys: string[] }, ctx) => {
      topicOf(ctx, input.ResourceArn);
      return serial.run(input.ResourceArn, async () => {
        const topic = topicOf(ctx, input.ResourceArn);
        const removed = new Set(input.TagKeys);
        await catalogue.setTopicTags(topic, topic.tags.filter((t) => !removed.has(t.Key)));
        return {};
      });
    }),

    action('ListTagsForResource', (input: { ResourceArn: string }, ctx) => ({ Tags: topicOf(ctx, input.ResourceArn).tags })),
  ];
}
