import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Reader, Store, WriteTx } from '../../store/store.js';
import { statesErrors } from '../model/errors.js';
import { activities, machines } from '../repository/records.js';
import { action } from './action.js';
import { checkTagCount, isOwn, mergeTags, parseArnOrThrow, type TagItem } from './common.js';
import type * as S from './shapes.js';

/**
 * Tags on state machines and activities, by ARN. Versions and aliases carry none (recorded,
 * test_tag_state_machine_version: "Resource not found: '<version ARN>'", ResourceNotFound), and
 * neither does anything that does not exist.
 */
interface Tagged {
  tags: TagItem[];
  save(tx: WriteTx, tags: TagItem[]): Promise<void>;
}

async function taggedResource(reader: Reader, ctx: RequestContext, arn: string): Promise<Tagged> {
  const parsed = parseArnOrThrow(arn);
  const notFound = () => statesErrors.resourceNotFound(`Resource not found: '${arn}'`, arn);
  if (!isOwn(ctx, parsed)) throw notFound();
  if (parsed.type === 'stateMachine') {
    const machine = await machines.get(reader, arn);
    if (machine) return { tags: machine.tags, save: (tx, tags) => machines.setTags(tx, arn, tags) };
  } else if (parsed.type === 'activity') {
    const activity = await activities.get(reader, arn);
    if (activity) return { tags: activity.tags, save: (tx, tags) => activities.setTags(tx, arn, tags) };
  }
  throw notFound();
}

export function tagActions(store: Store): ActionDefinition[] {
  const retag = (ctx: RequestContext, arn: string, change: (tags: TagItem[]) => TagItem[]) =>
    store.write(async (tx) => {
      const resource = await taggedResource(tx, ctx, arn);
      const tags = change(resource.tags);
      checkTagCount(tags, arn);
      await resource.save(tx, tags);
      return {};
    });
  return [
    action('TagResource', (input: S.TagResourceInput, ctx): Promise<S.TagResourceOutput> => retag(ctx, input.resourceArn, (tags) => mergeTags(tags, input.tags))),
    action('UntagResource', (input: S.UntagResourceInput, ctx): Promise<S.UntagResourceOutput> =>
      retag(ctx, input.resourceArn, (tags) => tags.filter((t) => !input.tagKeys.includes(t.key ?? ''))),
    ),
    action('ListTagsForResource', async (input: S.ListTagsForResourceInput, ctx): Promise<S.ListTagsForResourceOutput> => {
      const resource = await taggedResource(store, ctx, input.resourceArn);
      return { tags: resource.tags.map((t) => ({ key: t.key, value: t.value })) };
    }),
  ];
}
