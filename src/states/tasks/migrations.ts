import type { Migration } from '../../store/store.js';

/**
 * What the task integrations keep between a task going out and its answer coming back
 * (src/states/tasks/task-waits.ts): one row per outstanding task that is answered from outside —
 * a `.waitForTaskToken` token, an activity task waiting for (or held by) a worker, a `.sync`
 * nested execution — keyed by the execution and the interpreter's effect id. Times are ms since
 * the epoch; `outcome` is the stored answer (JSON) once one came, so an answer acknowledged to a
 * worker survives a crash before the execution took it in; `released_at` marks an activity task
 * no longer held by its task job (its answer then goes to the engine directly).
 */
export const taskMigrations: Migration[] = [
  {
    id: 'states/0101-task-waits',
    sql: `
CREATE TABLE states_task_waits (
  token TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  effect_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  activity_arn TEXT,
  child_arn TEXT,
  input TEXT,
  created_at BIGINT NOT NULL,
  worker_name TEXT,
  started_at BIGINT,
  outcome TEXT,
  released_at BIGINT,
  closed_at BIGINT
);
CREATE UNIQUE INDEX states_task_waits_by_effect ON states_task_waits (execution_arn, effect_id);
CREATE INDEX states_task_waits_activity_queue ON states_task_waits (activity_arn, started_at, created_at);
CREATE INDEX states_task_waits_by_child ON states_task_waits (child_arn);
`,
  },
];
