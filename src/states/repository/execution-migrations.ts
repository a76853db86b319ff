import type { Migration } from '../../store/store.js';

/**
 * Step Functions' executions (Standard; Express executions live in memory only, as AWS keeps no
 * history of them).
 *
 * - `states_executions`: one row per execution: what DescribeExecution answers, the machine
 *   revision it runs (kept here, so a running execution outlives DeleteStateMachine/UpdateStateMachine
 *   as on AWS), and the interpreter's snapshot minus its frames. `seq` counts the committed steps:
 *   a step commits only over the seq it read (several nodes may share one store).
 * - `states_execution_frames`: the snapshot's frames, one row each, so a step writes only the frames
 *   it changed (a Map of 1,000 iterations touches one or two).
 * - `states_execution_values`: the snapshot's values (a Map's items, written once, and each
 *   iteration's result), one row each, so an iteration's step writes only its own result.
 * - `states_map_runs`: distributed Map runs as their last report (DescribeMapRun, ListMapRuns).
 * - `states_execution_events`: the history, one row per step holding that step's events (ids
 *   first_id..last_id), so a step of 40 transitions costs one insert.
 * - Child workflow executions of distributed Maps are `states_executions` rows too (0003): with
 *   their `map_run_arn`, the labeled state machine ARN as `machine_arn`, `item_count`, and as
 *   `owner_arn` the execution whose snapshot runs them (their own snapshot column is empty); a
 *   Standard child's history is in `states_execution_events` under its own ARN. Their indexes are
 *   partial: an execution that is no child (NULLs) costs them nothing when it is inserted.
 * - `states_open_executions`: how many executions are RUNNING per account and region
 *   (open-executions.ts), counted from the executions there when the table is made.
 * - `states_execution_waiters`: the `.sync` Tasks of other executions waiting for an execution's
 *   end (execution-waiters.ts), one row each until that end.
 *
 * Times are ms since the epoch.
 */
export const executionMigrations: Migration[] = [
  {
    id: 'states/0002-executions',
    sql: `
CREATE TABLE states_executions (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  version_arn TEXT,
  alias_arn TEXT,
  map_run_arn TEXT,
  machine TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  cause TEXT,
  trace_header TEXT,
  start_date BIGINT NOT NULL,
  stop_date BIGINT,
  redrive_count INTEGER NOT NULL,
  redrive_date BIGINT,
  snapshot TEXT NOT NULL,
  seq BIGINT NOT NULL
);
CREATE INDEX states_executions_by_machine ON states_executions (machine_arn, start_date);
CREATE TABLE states_execution_frames (
  execution_arn TEXT NOT NULL,
  frame_id TEXT NOT NULL,
  frame TEXT NOT NULL,
  PRIMARY KEY (execution_arn, frame_id)
);
CREATE TABLE states_execution_values (
  execution_arn TEXT NOT NULL,
  value_key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (execution_arn, value_key)
);
CREATE TABLE states_map_runs (
  arn TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  report TEXT NOT NULL,
  start_date BIGINT NOT NULL,
  stop_date BIGINT,
  redrive_count INTEGER NOT NULL,
  redrive_date BIGINT
);
CREATE INDEX states_map_runs_by_execution ON states_map_runs (execution_arn, start_date);
CREATE TABLE states_execution_events (
  execution_arn TEXT NOT NULL,
  first_id BIGINT NOT NULL,
  last_id BIGINT NOT NULL,
  events TEXT NOT NULL,
  PRIMARY KEY (execution_arn, first_id)
);
`,
  },
  {
    id: 'states/0003-child-executions',
    sql: `
ALTER TABLE states_executions ADD COLUMN owner_arn TEXT;
ALTER TABLE states_executions ADD COLUMN item_count INTEGER;
CREATE INDEX states_executions_by_map_run ON states_executions (map_run_arn, start_date) WHERE map_run_arn IS NOT NULL;
CREATE INDEX states_executions_by_owner ON states_executions (owner_arn) WHERE owner_arn IS NOT NULL;
`,
  },
  {
    id: 'states/0301-open-executions',
    sql: `
CREATE TABLE states_open_executions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, region)
);
INSERT INTO states_open_executions (account_id, region, n)
  SELECT account_id, region, COUNT(*) FROM states_executions WHERE status = 'RUNNING' AND owner_arn IS NULL GROUP BY account_id, region;
`,
  },
  {
    id: 'states/0302-execution-waiters',
    sql: `
CREATE TABLE states_execution_waiters (
  execution_arn TEXT NOT NULL,
  waiter_arn TEXT NOT NULL,
  effect_id TEXT NOT NULL,
  mode TEXT NOT NULL,
  state_machine_arn TEXT NOT NULL,
  PRIMARY KEY (execution_arn, waiter_arn, effect_id)
);
`,
  },
];
