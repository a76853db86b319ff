import type { SerialByKey } from '../../core/serial-by-key.js';
import { parseArn } from '../../invoke/index.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Catalogue, EventBus, Rule } from '../engine/catalogue.js';
import { parseRuleArn } from '../model/arns.js';
import { eventsErrors } from '../model/errors.js';
import type { Tag } from '../model/types.js';
import { action, type EventsContext } from './action.js';
import { busKey, checkOwnResource, checkTagCount, tagList, tagMap } from './common.js';

/** Tags on buses and rules, by ARN. */
export function tagActions(catalogue: Catalogue, serial: SerialByKey): ActionDefinition[] {
  /** The bus or rule an ARN names; recorded messages for missing ones (test_events_tags.snapshot.json). */
  const resource = (ctx: EventsContext, arn: string): { bus: EventBus; rule?: Rule } => {
    const parsed = parseArn(arn);
    if (parsed?.service === 'events' && parsed.resourceType === 'event-bus') {
      checkOwnResource(ctx, { accountId: parsed.accountId, region: parsed.region, name: parsed.resourceId }, arn, ctx.action);
      const bus = catalogue.bus({ accountId: parsed.accountId, region: parsed.region, name: parsed.resourceId });
      if (!bus) throw eventsErrors.busNotFound(parsed.resourceId);
      return { bus };
    }
    const ref = parseRuleArn(arn);
    if (ref) {
      checkOwnResource(ctx, ref, arn, ctx.action);
      const bus = catalogue.bus(ref);
      const rule = bus?.rules.get(ref.rule);
      if (!bus || !rule) throw eventsErrors.ruleNotFound(ref.rule, ref.name);
      return { bus, rule };
    }
    throw eventsErrors.validation(`Parameter ResourceARN is not valid. Reason: Provided Arn is not in correct format.`);
  };
  const retag = async (ctx: EventsContext, arn: string, change: (tags: Record<string, string>) => Record<string, string>) => {
    const { bus } = resource(ctx, arn);
    await serial.run(busKey(bus), async () => {
      const { bus: current, rule } = resource(ctx, arn);
      const tags = change({ ...(rule ? rule.tags : current.tags) });
      checkTagCount(tags);
      if (rule) await catalogue.setRuleTags(rule, tags);
      else await catalogue.updateBus(current, current.settings, tags);
    });
    return {};
  };

  return [
    action('TagResource', (input: { ResourceARN: string; Tags: Tag[] }, ctx) => retag(ctx, input.ResourceARN, (tags) => ({ ...tags, ...tagMap(input.Tags) }))),
    action('UntagResource', (input: { ResourceARN: string; TagKeys: string[] }, ctx) =>
      retag(ctx, input.ResourceARN, (tags) => {
        for (const key of input.TagKeys) delete tags[key];
        return tags;
      }),
    ),
    action('ListTagsForResource', (input: { ResourceARN: string }, ctx) => {
      const { bus, rule } = resource(ctx, input.ResourceARN);
      return { Tags: tagList(rule ? rule.tags : bus.tags) };
    }),
  ];
}
