import type { Clock } from '../../core/clock.js';
import type { ActionDefinition } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import { activityArn } from '../model/arns.js';
import { DEFAULT_ENCRYPTION } from '../model/configurations.js';
import { statesErrors } from '../model/errors.js';
import { isValidName } from '../model/names.js';
import { activities } from '../repository/records.js';
import { action } from './action.js';
import { checkTagCount, decodeToken, encodeToken, isOwn, pageSize, parseArnOrThrow, toDate, wrongType } from './common.js';
import type * as S from './shapes.js';

export function activityActions(store: Store, clock: Clock): ActionDefinition[] {
  return [
    /**
     * "CreateActivity is an idempotent API. Subsequent requests won't create a duplicate resource
     * if it was already created. CreateActivity's idempotency check is based on the activity name.
     * If a following request has different tags values, Step Functions will ignore these
     * differences" (API Reference; recorded: the same ARN and creationDate twice). A different
     * encryption configuration is ActivityAlreadyExists.
     */
    action('CreateActivity', async (input: S.CreateActivityInput, ctx): Promise<S.CreateActivityOutput> => {
      if (!isValidName(input.name)) throw statesErrors.invalidName(input.name);
      const arn = activityArn(ctx.region, ctx.accountId, input.name);
      const tags = (input.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
      checkTagCount(tags, arn);
      const now = clock.now();
      return store.write(async (tx) => {
        const existing = await activities.get(tx, arn);
        if (existing) {
          const encryption = (e: typeof existing.encryptionConfiguration) => JSON.stringify(e ?? DEFAULT_ENCRYPTION);
          if (encryption(existing.encryptionConfiguration) !== encryption(input.encryptionConfiguration)) throw statesErrors.activityAlreadyExists(arn);
          return { activityArn: arn, creationDate: toDate(existing.creationDate) };
        }
        await activities.insert(tx, { arn, accountId: ctx.accountId, region: ctx.region, name: input.name, tags, encryptionConfiguration: input.encryptionConfiguration, creationDate: now });
        return { activityArn: arn, creationDate: toDate(now) };
      });
    }),

    /** Recorded: "Activity Does Not Exist: '<arn>'" (ActivityDoesNotExist) once deleted. */
    action('DescribeActivity', async (input: S.DescribeActivityInput, ctx): Promise<S.DescribeActivityOutput> => {
      const parsed = parseArnOrThrow(input.activityArn);
      if (parsed.type !== 'activity') wrongType(parsed);
      const activity = isOwn(ctx, parsed) ? await activities.get(store, input.activityArn) : undefined;
      if (!activity) throw statesErrors.activityDoesNotExist(input.activityArn);
      return {
        activityArn: activity.arn,
        name: activity.name,
        creationDate: toDate(activity.creationDate),
        encryptionConfiguration: activity.encryptionConfiguration ?? DEFAULT_ENCRYPTION,
      };
    }),

    /** Deleting twice is no error (recorded, test_create_describe_delete_activity). */
    action('DeleteActivity', async (input: S.DeleteActivityInput, ctx): Promise<S.DeleteActivityOutput> => {
      const parsed = parseArnOrThrow(input.activityArn);
      if (parsed.type !== 'activity') wrongType(parsed);
      if (isOwn(ctx, parsed)) await store.write((tx) => activities.delete(tx, input.activityArn));
      return {};
    }),

    action('ListActivities', async (input: S.ListActivitiesInput, ctx): Promise<S.ListActivitiesOutput> => {
      const size = pageSize(input.maxResults);
      const after = decodeToken<string>(input.nextToken, 'string') ?? '';
      const found = await activities.listOf(store, ctx.accountId, ctx.region, after, size + 1);
      const page = found.slice(0, size);
      return {
        activities: page.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: toDate(a.creationDate) })),
        ...(found.length > size && { nextToken: encodeToken(page[page.length - 1].name) }),
      };
    }),
  ];
}
