/**
 * Every SQL statement of the delivery machine, in the SQLite/PostgreSQL common subset
 * (`?` placeholders, RETURNING, no SQLite-only functions).
 */

const JOB_COLUMNS = 'id, kind, key, payload, trace_id, policy, created_at, first_run_at, run_at, attempts, last_error';

/** Params: kind, key, payload, trace_id, policy, created_at, first_run_at, run_at. Returns the id. */
export const INSERT_JOB = `INSERT INTO delivery_jobs (kind, key, payload, trace_id, policy, created_at, first_run_at, run_at, attempts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id`;

/** Values a job row binds, in INSERT_JOB's order. */
export const JOB_ROW_VALUES = 8;

const insertStatements: string[] = [];

/**
 * INSERT_JOB for `rows` jobs in one statement, without their ids (enqueueMany). Params: each
 * row's values in INSERT_JOB's order. Only the row counts insertJobsChunk hands out are used, so
 * at most seven statements are ever prepared.
 */
export function insertJobs(rows: number): string {
  return (insertStatements[rows] ??= `INSERT INTO delivery_jobs (kind, key, payload, trace_id, policy, created_at, first_run_at, run_at, attempts)
VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, 0)').join(', ')}`);
}

/** Values a claimed job row binds: INSERT_JOB's, then lease_owner and lease_until. */
export const CLAIMED_JOB_ROW_VALUES = JOB_ROW_VALUES + 2;

const claimedInsertStatements: string[] = [];

/**
 * `rows` jobs inserted leased for their first attempt (enqueueMany's claims), returning their
 * ids. Params: each row's INSERT_JOB values, then lease_owner, lease_until. RETURNING promises no
 * order, so the caller sorts the ids: they ascend in the order the rows were inserted, which is
 * the order of VALUES — SQLite's AUTOINCREMENT gives each row one more than the largest id so far,
 * and an identity column (PostgreSQL) draws each row's id from its sequence as it is inserted.
 */
export function insertClaimedJobs(rows: number): string {
  return (claimedInsertStatements[rows] ??= `INSERT INTO delivery_jobs (kind, key, payload, trace_id, policy, created_at, first_run_at, run_at, attempts, lease_owner, lease_until)
VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)').join(', ')}
RETURNING id`);
}

/** The rows of the next multi-row insert for `left` jobs: the largest power of two up to 64 (512 bound values at most, far under both backends' limits). */
export function insertJobsChunk(left: number): number {
  if (!(Number.isInteger(left) && left >= 1)) throw new RangeError(`a multi-row insert needs at least one row, got ${left}`);
  let rows = 64;
  while (rows > left) rows >>= 1;
  return rows;
}

const leaseStatements: string[] = [];

/**
 * Leases up to `limit` due jobs of one kind, oldest run_at first, counting the attempt.
 * Params: owner, lease_until, kind, now, now, now, now.
 * The due condition is repeated outside the subquery on purpose: under PostgreSQL's READ
 * COMMITTED, a row another node leased meanwhile is re-checked against the outer WHERE
 * (and skipped), while the subquery's id list would not be re-evaluated.
 *
 * The limit is written into the statement, one statement per limit (at most a kind's
 * concurrency of them), not bound: SQLite compiles a bound LIMIT as a constant and prepares the
 * statement again whenever the value bound there changes (sqlite3ExprIsInteger on a variable
 * marks it so, SQLite 3.53), and the free slots of the kinds a pass looks at differ nearly
 * every time — that re-prepare was 7% of the server's CPU at light load.
 */
export function leaseDueJobs(limit: number): string {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`a lease limit must be a positive integer, got ${limit}`);
  return (leaseStatements[limit] ??= `UPDATE delivery_jobs
SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
WHERE id IN (
  SELECT id FROM delivery_jobs
  WHERE kind = ? AND run_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  ORDER BY run_at, id
  LIMIT ${limit}
) AND run_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
RETURNING ${JOB_COLUMNS}`);
}

/**
 * The lease guard shared by complete, retry and dead-letter: the row is still leased by
 * this owner for this attempt. A handler whose lease expired and was taken over (attempts
 * moved on) changes nothing. Params: id, owner, attempts.
 */
const OUR_LEASE = 'id = ? AND lease_owner = ? AND attempts = ?';

/** Completes or dead-letters a job. Params: id, owner, attempts. */
export const DELETE_LEASED_JOB = `DELETE FROM delivery_jobs WHERE ${OUR_LEASE}`;

/** Schedules the next attempt and frees the lease. Params: run_at, last_error, id, owner, attempts. */
export const RESCHEDULE_JOB = `UPDATE delivery_jobs
SET run_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
WHERE ${OUR_LEASE}`;

/**
 * Cancels the jobs of a kind+key that are not being delivered right now (never leased, or
 * their lease expired). A job whose handler is running is left to finish.
 * Params: kind, key, now.
 */
export const CANCEL_BY_KEY = `DELETE FROM delivery_jobs
WHERE kind = ? AND key = ? AND (lease_until IS NULL OR lease_until <= ?)`;

/** Frees every lease not held by this owner. Params: owner. */
export const RECLAIM_OTHER_LEASES = `UPDATE delivery_jobs
SET lease_owner = NULL, lease_until = NULL
WHERE lease_owner IS NOT NULL AND lease_owner <> ?`;

/** Earliest run_at among unleased jobs of a kind. Params: kind. */
export const NEXT_UNLEASED_RUN_AT = `SELECT MIN(run_at) AS at FROM delivery_jobs WHERE kind = ? AND lease_until IS NULL`;

/** Earliest lease expiry among leased jobs of a kind. Params: kind. */
export const NEXT_LEASE_EXPIRY = `SELECT MIN(lease_until) AS at FROM delivery_jobs WHERE kind = ? AND lease_until IS NOT NULL`;

/** Per-kind counts for introspection. Params: now. */
export const COUNT_BY_KIND = `SELECT kind,
  SUM(CASE WHEN lease_until IS NOT NULL AND lease_until > ? THEN 1 ELSE 0 END) AS leased,
  COUNT(*) AS total
FROM delivery_jobs GROUP BY kind`;

/** The row shape every statement returning jobs produces. */
export interface JobRow {
  id: number | string; // PostgreSQL drivers return BIGINT as a string
  kind: string;
  key: string | null;
  payload: string;
  trace_id: string | null;
  policy: string;
  created_at: number | string;
  first_run_at: number | string;
  run_at: number | string;
  attempts: number | string;
  last_error: string | null;
}
