import type { ExecutionEnv } from '../asl/snapshot.js';
import type { Reader } from '../../store/store.js';
import { activities } from '../repository/records.js';

/**
 * What the engines offer the interpreter beyond ExecutionEnv: whether an activity exists, so a
 * Task on an activity that does not exist fails the execution before ActivityScheduled, as AWS
 * fails it (recorded test_activity_task_on_deleted: ExecutionFailed right after
 * TaskStateEntered, States.Runtime, "An error occurred while executing the state 'ActivityTask'
 * (entered at the event id #2). The activity <arn> does not exist."): the interpreter
 * (src/states/asl/task-state.ts) asks `env.activityExists` before it writes ActivityScheduled.
 */
export interface ActivityLookup {
  activityExists(activityArn: string): Promise<boolean>;
}

export function envWithActivities(base: ExecutionEnv, reader: () => Reader | undefined): ExecutionEnv & ActivityLookup {
  return {
    ...base,
    activityExists: async (activityArn) => {
      const store = reader();
      // Without a store (none here), the task integrations decide.
      return store === undefined ? true : (await activities.get(store, activityArn)) !== undefined;
    },
  };
}
