import type { ActionDefinition } from '../../protocol/service.js';
import type { Store } from '../../store/store.js';
import { statesErrors } from '../model/errors.js';
import { activities } from '../repository/records.js';
import type { TaskBook } from '../tasks/task-book.js';
import { action } from './action.js';
import { isOwn, parseArnOrThrow, wrongType } from './common.js';
import type * as S from './shapes.js';

/**
 * "GetActivityTask … Workers should set their client side socket timeout to at least 65 seconds
 * (5 seconds higher than the maximum time the service may hold the poll request)" (API
 * Reference): a long poll of up to 60 s, woken as soon as a task is scheduled. With no task it
 * answers an empty result (no taskToken). An activity that does not exist is ActivityDoesNotExist.
 */
export const ACTIVITY_POLL_MS = 60_000;

export function activityTaskActions(store: Store, book: () => TaskBook, pollMs: () => number = () => ACTIVITY_POLL_MS): ActionDefinition[] {
  return [
    action('GetActivityTask', async (input: S.GetActivityTaskInput, ctx): Promise<S.GetActivityTaskOutput> => {
      const parsed = parseArnOrThrow(input.activityArn);
      if (parsed.type !== 'activity') wrongType(parsed);
      const activity = isOwn(ctx, parsed) ? await activities.get(store, input.activityArn) : undefined;
      if (!activity) throw statesErrors.activityDoesNotExist(input.activityArn);
      const task = await book().takeActivityTask(activity.arn, input.workerName, pollMs(), ctx.signal);
      if (!task) return {};
      return { taskToken: task.token, input: task.input ?? '{}' };
    }),
  ];
}
