import type { Reader, WriteTx } from '../../store/store.js';
import type { TaskAnswer } from '../engine/task-port.js';

/** How an outstanding task is answered: SendTask* with its token, an activity worker, a nested execution ending (`sync`: written by older Stratus versions only). */
export type WaitKind = 'token' | 'activity' | 'sync';

/** One outstanding task answered from outside (migrations.ts describes the table). */
export interface TaskWait {
  token: string;
  executionArn: string;
  effectId: string;
  kind: WaitKind;
  accountId: string;
  region: string;
  /** Activity tasks: the activity, and the input a worker gets. */
  activityArn?: string;
  input?: string;
  /** `.sync` tasks: the nested execution, and how its end is written (`sync` or `sync:2`). */
  childArn?: string;
  createdAt: number;
  /** Activity tasks: the worker that took it (GetActivityTask), and when. */
  workerName?: string;
  startedAt?: number;
  /** The answer, once one came (stored before it is acknowledged). */
  outcome?: TaskAnswer;
  /** Activity tasks of an older Stratus: when the task job let go of it (no longer written). */
  releasedAt?: number;
  closedAt?: number;
}

interface Row {
  token: string;
  execution_arn: string;
  effect_id: string;
  kind: string;
  account_id: string;
  region: string;
  activity_arn: string | null;
  child_arn: string | null;
  input: string | null;
  created_at: number | bigint;
  worker_name: string | null;
  started_at: number | bigint | null;
  outcome: string | null;
  released_at: number | bigint | null;
  closed_at: number | bigint | null;
}

const COLUMNS = 'token, execution_arn, effect_id, kind, account_id, region, activity_arn, child_arn, input, created_at, worker_name, started_at, outcome, released_at, closed_at';

function fromRow(row: Row): TaskWait {
  const wait: TaskWait = {
    token: row.token,
    executionArn: row.execution_arn,
    effectId: row.effect_id,
    kind: row.kind as WaitKind,
    accountId: row.account_id,
    region: row.region,
    createdAt: Number(row.created_at),
  };
  if (row.activity_arn !== null) wait.activityArn = row.activity_arn;
  if (row.child_arn !== null) wait.childArn = row.child_arn;
  if (row.input !== null) wait.input = row.input;
  if (row.worker_name !== null) wait.workerName = row.worker_name;
  if (row.started_at !== null) wait.startedAt = Number(row.started_at);
  if (row.outcome !== null) wait.outcome = JSON.parse(row.outcome) as TaskAnswer;
  if (row.released_at !== null) wait.releasedAt = Number(row.released_at);
  if (row.closed_at !== null) wait.closedAt = Number(row.closed_at);
  return wait;
}

/** The table's statements; every read and write of states_task_waits goes through here. */
export const taskWaits = {
  /**
   * Records a wait, unless the same effect of the same execution already has one (a task job run
   * again after a crash): answers the row that holds, new or old.
   */
  async register(tx: WriteTx, wait: TaskWait): Promise<TaskWait> {
    await tx.run(
      `INSERT INTO states_task_waits (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL) ON CONFLICT DO NOTHING`,
      [wait.token, wait.executionArn, wait.effectId, wait.kind, wait.accountId, wait.region, wait.activityArn ?? null, wait.childArn ?? null, wait.input ?? null, wait.createdAt],
    );
    return (await taskWaits.byEffect(tx, wait.executionArn, wait.effectId)) ?? wait;
  },

  async byToken(reader: Reader, token: string): Promise<TaskWait | undefined> {
    const row = await reader.get<Row>(`SELECT ${COLUMNS} FROM states_task_waits WHERE token = ?`, [token]);
    return row ? fromRow(row) : undefined;
  },

  async byEffect(reader: Reader, executionArn: string, effectId: string): Promise<TaskWait | undefined> {
    const row = await reader.get<Row>(`SELECT ${COLUMNS} FROM states_task_waits WHERE execution_arn = ? AND effect_id = ?`, [executionArn, effectId]);
    return row ? fromRow(row) : undefined;
  },

  /** The oldest activity task no worker has taken, marked taken by `workerName`; undefined if none. */
  async takeNext(tx: WriteTx, activityArn: string, workerName: string | null, now: number): Promise<TaskWait | undefined> {
    for (;;) {
      const row = await tx.get<Row>(
        `SELECT ${COLUMNS} FROM states_task_waits WHERE activity_arn = ? AND started_at IS NULL AND closed_at IS NULL ORDER BY created_at, token LIMIT 1`,
        [activityArn],
      );
      if (!row) return undefined;
      const taken = await tx.run('UPDATE states_task_waits SET started_at = ?, worker_name = ? WHERE token = ? AND started_at IS NULL', [now, workerName, row.token]);
      if (taken.changes === 1) return { ...fromRow(row), startedAt: now, ...(workerName !== null && { workerName }) };
    }
  },

  /** Stores the answer and closes the wait; false if it was closed already. */
  async close(tx: WriteTx, token: string, outcome: TaskAnswer | null, now: number): Promise<boolean> {
    const done = await tx.run('UPDATE states_task_waits SET outcome = ?, closed_at = ? WHERE token = ? AND closed_at IS NULL', [outcome === null ? null : JSON.stringify(outcome), now, token]);
    return done.changes === 1;
  },

  /** Open `.sync` waits: only an older Stratus wrote them (TaskBook.resume hands them to their children). */
  async openSync(reader: Reader): Promise<TaskWait[]> {
    const rows = await reader.all<Row>(`SELECT ${COLUMNS} FROM states_task_waits WHERE kind = 'sync' AND closed_at IS NULL`);
    return rows.map(fromRow);
  },
};
