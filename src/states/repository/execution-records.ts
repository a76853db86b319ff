import type { HistoryEvent } from '../asl/history.js';
import type { Json } from '../asl/json.js';
import type { ChildExecutionReport, ExecutionSnapshot, Frame, MapRunReport } from '../asl/snapshot.js';
import type { Reader, WriteTx } from '../../store/store.js';

/**
 * Reads and writes of Standard executions (execution-migrations.ts says what each table holds) —
 * the only place their SQL runs.
 */

/** The machine revision an execution runs, as DescribeStateMachineForExecution answers it. */
export interface ExecutionMachine {
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  loggingConfiguration: unknown;
  tracingConfiguration: unknown;
  encryptionConfiguration?: unknown;
  revisionId?: string;
  updateDate: number;
}

export interface ExecutionRecord {
  arn: string;
  accountId: string;
  region: string;
  /** The unqualified state machine ARN. */
  machineArn: string;
  name: string;
  status: ExecutionSnapshot['status'];
  versionArn?: string;
  aliasArn?: string;
  mapRunArn?: string;
  machine: ExecutionMachine;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  traceHeader?: string;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  seq: number;
  /** A child workflow execution of a distributed Map: the execution whose snapshot runs it. */
  ownerArn?: string;
  /** A child workflow execution: how many items it processes (ListExecutions' itemCount). */
  itemCount?: number;
}

interface ExecutionRow {
  arn: string;
  account_id: string;
  region: string;
  machine_arn: string;
  name: string;
  status: string;
  version_arn: string | null;
  alias_arn: string | null;
  map_run_arn: string | null;
  machine: string;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  trace_header: string | null;
  start_date: number | string;
  stop_date: number | string | null;
  redrive_count: number | string;
  redrive_date: number | string | null;
  snapshot?: string;
  seq: number | string;
  owner_arn: string | null;
  item_count: number | string | null;
}

const SUMMARY = `arn, account_id, region, machine_arn, name, status, version_arn, alias_arn, map_run_arn, machine, input, output, error, cause, trace_header,
  start_date, stop_date, redrive_count, redrive_date, seq, owner_arn, item_count`;

const sql = {
  select: `SELECT ${SUMMARY} FROM states_executions WHERE arn = ?`,
  selectWithSnapshot: `SELECT ${SUMMARY}, snapshot FROM states_executions WHERE arn = ?`,
  insert: `INSERT INTO states_executions (arn, account_id, region, machine_arn, name, status, version_arn, alias_arn, map_run_arn, machine, input, output, error,
    cause, trace_header, start_date, stop_date, redrive_count, redrive_date, snapshot, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  update: `UPDATE states_executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?, redrive_count = ?, redrive_date = ?, snapshot = ?, seq = ?
    WHERE arn = ? AND seq = ?`,
  countRunning: `SELECT COUNT(*) AS n FROM states_executions WHERE machine_arn = ? AND status = 'RUNNING'`,
  frames: 'SELECT frame FROM states_execution_frames WHERE execution_arn = ?',
  upsertFrame: `INSERT INTO states_execution_frames (execution_arn, frame_id, frame) VALUES (?, ?, ?)
    ON CONFLICT (execution_arn, frame_id) DO UPDATE SET frame = excluded.frame`,
  deleteFrame: 'DELETE FROM states_execution_frames WHERE execution_arn = ? AND frame_id = ?',
  deleteFrames: 'DELETE FROM states_execution_frames WHERE execution_arn = ?',
  deleteExecution: 'DELETE FROM states_executions WHERE arn = ?',
  /** A child workflow execution as its parent's step reports it: inserted when it starts, its end and redrives written over it. */
  upsertChild: `INSERT INTO states_executions (arn, account_id, region, machine_arn, name, status, version_arn, alias_arn, map_run_arn, machine, input, output, error,
    cause, trace_header, start_date, stop_date, redrive_count, redrive_date, snapshot, seq, owner_arn, item_count)
    VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, '{}', 0, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET status = excluded.status, output = excluded.output, error = excluded.error, cause = excluded.cause,
      stop_date = excluded.stop_date, redrive_count = excluded.redrive_count, redrive_date = excluded.redrive_date`,
  childEvents: 'DELETE FROM states_execution_events WHERE execution_arn IN (SELECT arn FROM states_executions WHERE owner_arn = ?)',
  childMapRuns: 'DELETE FROM states_map_runs WHERE execution_arn IN (SELECT arn FROM states_executions WHERE owner_arn = ?)',
  children: 'DELETE FROM states_executions WHERE owner_arn = ?',
  deleteEvents: 'DELETE FROM states_execution_events WHERE execution_arn = ?',
  deleteMapRuns: 'DELETE FROM states_map_runs WHERE execution_arn = ?',
  lastEventId: 'SELECT MAX(last_id) AS n FROM states_execution_events WHERE execution_arn = ?',
  values: 'SELECT value_key, value FROM states_execution_values WHERE execution_arn = ?',
  upsertValue: `INSERT INTO states_execution_values (execution_arn, value_key, value) VALUES (?, ?, ?)
    ON CONFLICT (execution_arn, value_key) DO UPDATE SET value = excluded.value`,
  deleteValue: 'DELETE FROM states_execution_values WHERE execution_arn = ? AND value_key = ?',
  deleteValues: 'DELETE FROM states_execution_values WHERE execution_arn = ?',
  /** A report with a higher redriveCount than the stored one is a redrive: its date is kept. */
  upsertMapRun: `INSERT INTO states_map_runs (arn, execution_arn, report, start_date, stop_date, redrive_count, redrive_date) VALUES (?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT (arn) DO UPDATE SET report = excluded.report, stop_date = excluded.stop_date,
      redrive_date = CASE WHEN excluded.redrive_count > states_map_runs.redrive_count THEN ? ELSE states_map_runs.redrive_date END,
      redrive_count = excluded.redrive_count`,
  updateMapRunReport: 'UPDATE states_map_runs SET report = ? WHERE arn = ?',
  selectMapRun: 'SELECT arn, execution_arn, report, start_date, stop_date, redrive_date FROM states_map_runs WHERE arn = ?',
  mapRunsOf: 'SELECT arn, execution_arn, report, start_date, stop_date, redrive_date FROM states_map_runs WHERE execution_arn = ? ORDER BY start_date DESC, arn DESC',
  insertEvents: 'INSERT INTO states_execution_events (execution_arn, first_id, last_id, events) VALUES (?, ?, ?, ?)',
  /** Chunks holding ids in [from, to]. */
  events: 'SELECT events FROM states_execution_events WHERE execution_arn = ? AND last_id >= ? AND first_id <= ? ORDER BY first_id',
  eventsDesc: 'SELECT events FROM states_execution_events WHERE execution_arn = ? AND last_id >= ? AND first_id <= ? ORDER BY first_id DESC',
};

/** History events stored per row (a step of a large Map writes thousands). */
const EVENT_CHUNK = 200;

const num = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v));
const str = (v: string | null): string | undefined => (v === null ? undefined : v);

function recordOf(row: ExecutionRow): ExecutionRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    machineArn: row.machine_arn,
    name: row.name,
    status: row.status as ExecutionRecord['status'],
    versionArn: str(row.version_arn),
    aliasArn: str(row.alias_arn),
    mapRunArn: str(row.map_run_arn),
    machine: JSON.parse(row.machine) as ExecutionMachine,
    input: row.input,
    output: str(row.output),
    error: str(row.error),
    cause: str(row.cause),
    traceHeader: str(row.trace_header),
    startDate: Number(row.start_date),
    stopDate: num(row.stop_date),
    redriveCount: Number(row.redrive_count),
    redriveDate: num(row.redrive_date),
    seq: Number(row.seq),
    ...(row.owner_arn !== null && { ownerArn: row.owner_arn }),
    ...(row.item_count !== null && { itemCount: Number(row.item_count) }),
  };
}

/** The snapshot without its frames and values (they are rows of their own). */
function snapshotText(snapshot: ExecutionSnapshot): string {
  const { frames: _frames, values: _values, ...rest } = snapshot;
  return JSON.stringify(rest);
}

/** A distributed Map run as last reported (DescribeMapRun). */
export interface MapRunRecord {
  arn: string;
  executionArn: string;
  report: MapRunReport;
  startDate: number;
  stopDate?: number;
  /** When it was last redriven (a report with a higher redriveCount arrived). */
  redriveDate?: number;
}

interface MapRunRow {
  arn: string;
  execution_arn: string;
  report: string;
  start_date: number | string;
  stop_date: number | string | null;
  redrive_date: number | string | null;
}

const mapRunOf = (row: MapRunRow): MapRunRecord => ({
  arn: row.arn,
  executionArn: row.execution_arn,
  report: JSON.parse(row.report) as MapRunReport,
  startDate: Number(row.start_date),
  ...(row.stop_date !== null && { stopDate: Number(row.stop_date) }),
  ...(row.redrive_date !== null && { redriveDate: Number(row.redrive_date) }),
});

export interface ListFilter {
  machineArn?: string;
  mapRunArn?: string;
  versionArn?: string;
  aliasArn?: string;
  status?: string;
  redriven?: boolean;
}

/** Thrown when a step's commit finds the execution advanced by someone else meanwhile. */
export class ExecutionConflict extends Error {
  override name = 'ExecutionConflict';
}

export const executions = {
  async get(reader: Reader, arn: string): Promise<ExecutionRecord | undefined> {
    const row = await reader.get<ExecutionRow>(sql.select, [arn]);
    return row && recordOf(row);
  },

  /** The snapshot's head (status, waits, context — no frames, no values); undefined if no such execution. */
  async head(reader: Reader, arn: string): Promise<Omit<ExecutionSnapshot, 'frames' | 'values'> | undefined> {
    const row = await reader.get<{ snapshot: string }>('SELECT snapshot FROM states_executions WHERE arn = ?', [arn]);
    return row ? (JSON.parse(row.snapshot) as Omit<ExecutionSnapshot, 'frames' | 'values'>) : undefined;
  },

  /** The record and its whole snapshot. */
  async load(reader: Reader, arn: string): Promise<{ record: ExecutionRecord; snapshot: ExecutionSnapshot } | undefined> {
    const row = await reader.get<ExecutionRow>(sql.selectWithSnapshot, [arn]);
    if (!row) return undefined;
    const snapshot = JSON.parse(row.snapshot!) as ExecutionSnapshot;
    snapshot.frames = {};
    for (const f of await reader.all<{ frame: string }>(sql.frames, [arn])) {
      const frame = JSON.parse(f.frame) as Frame;
      snapshot.frames[frame.id] = frame;
    }
    snapshot.values = {};
    for (const v of await reader.all<{ value_key: string; value: string }>(sql.values, [arn])) snapshot.values[v.value_key] = JSON.parse(v.value) as Json;
    return { record: recordOf(row), snapshot };
  },

  async insert(tx: WriteTx, r: ExecutionRecord, snapshot: ExecutionSnapshot): Promise<void> {
    await tx.run(sql.insert, [
      r.arn, r.accountId, r.region, r.machineArn, r.name, r.status, r.versionArn ?? null, r.aliasArn ?? null, r.mapRunArn ?? null,
      JSON.stringify(r.machine), r.input, r.output ?? null, r.error ?? null, r.cause ?? null, r.traceHeader ?? null,
      r.startDate, r.stopDate ?? null, r.redriveCount, r.redriveDate ?? null, snapshotText(snapshot), r.seq,
    ]);
    for (const frame of Object.values(snapshot.frames)) await tx.run(sql.upsertFrame, [r.arn, frame.id, JSON.stringify(frame)]);
    for (const [key, value] of Object.entries(snapshot.values ?? {})) await tx.run(sql.upsertValue, [r.arn, key, JSON.stringify(value)]);
  },

  /**
   * Commits one step: the record's new fields and seq (only over `expectedSeq`, else
   * ExecutionConflict), the frames it changed or removed, and its events.
   */
  async commitStep(
    tx: WriteTx,
    r: ExecutionRecord,
    expectedSeq: number,
    snapshot: ExecutionSnapshot,
    changes: { frames: readonly string[]; removedFrames: readonly string[]; values: readonly string[]; removedValues: readonly string[] },
    events: readonly HistoryEvent[],
  ): Promise<void> {
    const updated = await tx.run(sql.update, [
      r.status, r.output ?? null, r.error ?? null, r.cause ?? null, r.stopDate ?? null, r.redriveCount, r.redriveDate ?? null,
      snapshotText(snapshot), r.seq, r.arn, expectedSeq,
    ]);
    if (updated.changes !== 1) throw new ExecutionConflict(`execution ${r.arn} was advanced elsewhere`);
    // An ended execution keeps what the interpreter keeps (its top frame, stopped where it
    // stopped): RedriveExecution goes on from there.
    for (const id of changes.removedFrames) await tx.run(sql.deleteFrame, [r.arn, id]);
    for (const id of changes.frames) {
      const frame = snapshot.frames[id];
      if (frame) await tx.run(sql.upsertFrame, [r.arn, id, JSON.stringify(frame)]);
    }
    for (const key of changes.removedValues) await tx.run(sql.deleteValue, [r.arn, key]);
    for (const key of changes.values) {
      const value = snapshot.values[key];
      if (value !== undefined) await tx.run(sql.upsertValue, [r.arn, key, JSON.stringify(value)]);
    }
    await executions.appendEvents(tx, r.arn, events);
  },

  /** Appends history events (ids above the execution's last): at most EVENT_CHUNK a row, so a page of history reads little more than it answers. */
  async appendEvents(tx: WriteTx, arn: string, events: readonly HistoryEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += EVENT_CHUNK) {
      const chunk = events.slice(i, i + EVENT_CHUNK);
      await tx.run(sql.insertEvents, [arn, chunk[0].id, chunk[chunk.length - 1].id, JSON.stringify(chunk)]);
    }
  },

  /**
   * Stores a child workflow execution of a distributed Map as its owner's step reports it (its
   * start, a redrive, its end), in the owner's write unit. `machine` is what
   * DescribeStateMachineForExecution answers for it; `machineArn` its labeled state machine.
   */
  async putChild(tx: WriteTx, owner: ExecutionRecord, report: ChildExecutionReport, machineArn: string, machine: ExecutionMachine): Promise<void> {
    await tx.run(sql.upsertChild, [
      report.executionArn, owner.accountId, owner.region, machineArn, report.name, report.status, report.mapRunArn, JSON.stringify(machine), report.input,
      report.output ?? null, report.error ?? null, report.cause ?? null, report.startTime, report.stopTime ?? null, report.redriveCount, report.redriveTime ?? null,
      owner.arn, report.itemCount,
    ]);
  },

  /** Newest first (start date, then ARN, descending), strictly after the position given. */
  async list(reader: Reader, filter: ListFilter, after: { start: number; arn: string } | undefined, limit: number): Promise<ExecutionRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    add('machine_arn = ?', filter.machineArn);
    add('map_run_arn = ?', filter.mapRunArn);
    add('version_arn = ?', filter.versionArn);
    add('alias_arn = ?', filter.aliasArn);
    add('status = ?', filter.status);
    if (filter.redriven !== undefined) where.push(filter.redriven ? 'redrive_count > 0' : 'redrive_count = 0');
    if (after) {
      where.push('(start_date < ? OR (start_date = ? AND arn < ?))');
      params.push(after.start, after.start, after.arn);
    }
    params.push(limit);
    const query = `SELECT ${SUMMARY} FROM states_executions WHERE ${where.join(' AND ')} ORDER BY start_date DESC, arn DESC LIMIT ?`;
    return (await reader.all<ExecutionRow>(query, params)).map(recordOf);
  },

  /**
   * Whether the execution is running, holding its row for the rest of the write unit (an update
   * that changes nothing: a node whose step ends the execution meanwhile waits, or is waited for).
   */
  async holdIfRunning(tx: WriteTx, arn: string): Promise<boolean> {
    return (await tx.run("UPDATE states_executions SET status = status WHERE arn = ? AND status = 'RUNNING'", [arn])).changes === 1;
  },

  async countRunning(reader: Reader, machineArn: string): Promise<number> {
    return Number((await reader.get<{ n: number | string }>(sql.countRunning, [machineArn]))?.n ?? 0);
  },

  /** Removes an execution and everything stored with it, its map runs' child workflow executions too (a closed execution past AWS's 90-day retention, its name taken again). */
  async delete(tx: WriteTx, arn: string): Promise<void> {
    for (const statement of [sql.childEvents, sql.childMapRuns, sql.children]) await tx.run(statement, [arn]);
    for (const statement of [sql.deleteFrames, sql.deleteValues, sql.deleteEvents, sql.deleteMapRuns, sql.deleteExecution]) await tx.run(statement, [arn]);
  },

  /** Stores a distributed Map run's report (its start or end). */
  async putMapRun(tx: WriteTx, executionArn: string, report: MapRunReport, now: number): Promise<void> {
    const ended = report.status !== 'RUNNING';
    await tx.run(sql.upsertMapRun, [report.mapRunArn, executionArn, JSON.stringify(report), now, ended ? now : null, report.redriveCount ?? 0, now]);
  },

  /** Replaces a map run's report (its settings changed by UpdateMapRun). */
  async setMapRunReport(tx: WriteTx, report: MapRunReport): Promise<void> {
    await tx.run(sql.updateMapRunReport, [JSON.stringify(report), report.mapRunArn]);
  },

  async mapRun(reader: Reader, arn: string): Promise<MapRunRecord | undefined> {
    const row = await reader.get<MapRunRow>(sql.selectMapRun, [arn]);
    return row && mapRunOf(row);
  },

  async mapRunsOf(reader: Reader, executionArn: string): Promise<MapRunRecord[]> {
    return (await reader.all<MapRunRow>(sql.mapRunsOf, [executionArn])).map(mapRunOf);
  },

  /** The id of the execution's last history event (0 before its first step). */
  async lastEventId(reader: Reader, arn: string): Promise<number> {
    return Number((await reader.get<{ n: number | string | null }>(sql.lastEventId, [arn]))?.n ?? 0);
  },

  /** Events with ids in [from, to], in id order (or reverse). */
  async events(reader: Reader, arn: string, from: number, to: number, reverse = false): Promise<HistoryEvent[]> {
    const out: HistoryEvent[] = [];
    for (const row of await reader.all<{ events: string }>(reverse ? sql.eventsDesc : sql.events, [arn, from, to])) {
      const chunk = JSON.parse(row.events) as HistoryEvent[];
      if (reverse) chunk.reverse();
      for (const e of chunk) if (e.id >= from && e.id <= to) out.push(e);
    }
    return out;
  },
};
