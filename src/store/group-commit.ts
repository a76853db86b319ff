import { PipelinedTx, PipelinedUnits } from './pipelined-units.js';
import type { RunResult, SqlParams, WriteTx, WriteUnit } from './store.js';

/** Statements run at once, as SQLite runs them. */
export interface ImmediateStatements {
  get(sql: string, params?: SqlParams): unknown;
  all(sql: string, params?: SqlParams): unknown[];
  run(sql: string, params?: SqlParams): RunResult;
  /** False once the backend has given up the transaction (SQLite does on some I/O errors). */
  inTransaction(): boolean;
}

/** The statements a backend runs in its open transaction. */
export type BaseTx = Omit<WriteTx, 'afterCommit' | 'afterRollback' | 'write'>;

/** What a backend must offer for group commit: a transaction with savepoints. */
export interface TransactionalConnection {
  begin(): Promise<void> | void;
  commit(): Promise<void> | void;
  rollback(): Promise<void> | void;
  /**
   * Sets the savepoint (of a name the backend picks) a unit or a group of units may be rolled back
   * to; units run one at a time, so one is live at once: release() before setting the next.
   */
  savepoint(): Promise<void> | void;
  release(): Promise<void> | void;
  rollbackTo(): Promise<void> | void;
  tx: BaseTx;
  /**
   * True for the error of a statement the backend did not run because an earlier one in the
   * transaction had failed (PostgreSQL: 25P02). Offered by a backend that sends statements without
   * waiting for the ones before (a pipelined connection): a unit's tx.write() is not waited for,
   * and the statements sent after a failed one are skipped, not failed on their own account.
   */
  skipped?(error: unknown): boolean;
  /**
   * Offered by a backend whose statements run synchronously and, when one fails, undo just that
   * statement and leave the transaction usable (SQLite). Units then run without savepoints (a
   * savepoint and its release cost more than a one-row statement): the statements of each unit
   * are noted, and when a unit that had run statements fails, the transaction is rolled back and
   * the statements of the units before it run again, which leaves the store as if the failed unit
   * had never run.
   */
  immediate?: ImmediateStatements;
}

/** Batches run one after another in the same turn before the committer yields to the event loop. */
const MAX_FOLLOW_UPS = 4;
/**
 * A batch of at least this many units means writes are arriving faster than one loop turn
 * gathers them: the next batch then waits one more turn, so that more units share its commit.
 * A commit costs as much as 15–30 one-row statements (measured under that load: 70–165 µs
 * against ~5 µs; it writes a WAL frame, in two writes, for every page the batch dirtied), and in
 * the sqs-throughput loop this took batches from ~10 units to ~14 and server CPU per message down
 * about a tenth (one A/B run, not a kept benchmark). Light load (batches of one or two) never waits.
 */
const LOADED_BATCH = 4;

interface Pending {
  unit: WriteUnit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown; hooks: (() => void)[] | null } | { ok: false; error: unknown };

/**
 * Collects the write units submitted during one tick and runs them in one transaction.
 * A unit that throws is undone and rejected alone; the others commit together. If the commit
 * itself fails, every unit of the batch is rejected.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Batches started in a row without going back to the event loop (see startBatch). */
  private followUps = 0;
  /** Units in the last batch run (see LOADED_BATCH). */
  private lastBatchSize = 0;
  /** The batch whose units are running, while new units may still join it (immediate backends). */
  private joining: Pending[] | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Committed transactions and the units they carried: units/transactions is the grouping achieved. */
  readonly stats = { transactions: 0, units: 0 };

  private readonly baseTx: BaseTx;

  constructor(private readonly connection: TransactionalConnection) {
    this.baseTx = bindTx(connection.tx);
  }

  submit<T>(unit: WriteUnit<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      const pending = { unit: unit as WriteUnit<unknown>, resolve: resolve as (v: unknown) => void, reject };
      // Submitted by what a unit of the running batch set off (a long poll woken by a send in it):
      // it joins that batch and commits with it.
      if (this.joining !== null) this.joining.push(pending);
      else {
        this.queue.push(pending);
        this.schedule();
      }
    });
  }

  /** Resolves once everything submitted so far has committed or failed. */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.startBatch();
      await this.running;
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this loop turn: every request whose body
    // arrived in the same turn joins the same transaction.
    const start = (): void => {
      this.scheduled = false;
      this.followUps = 0;
      if (!this.running) this.startBatch();
    };
    if (this.lastBatchSize >= LOADED_BATCH) setImmediate(() => setImmediate(start));
    else setImmediate(start);
  }

  /**
   * Units submitted while a batch ran were submitted by what its commit set off (a long poll woken
   * by a send receives at once): they commit in the same turn, right after the work already
   * queued, not a loop turn later. A few such batches in a row at most, then the event loop gets
   * its turn.
   */
  private followUp(): void {
    if (this.scheduled) return;
    if (this.followUps >= MAX_FOLLOW_UPS) {
      this.schedule();
      return;
    }
    this.followUps++;
    this.scheduled = true;
    process.nextTick(() => {
      this.scheduled = false;
      if (!this.running) this.startBatch();
    });
  }

  private startBatch(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.lastBatchSize = batch.length;
    this.running = this.runBatch(batch).finally(() => {
      this.running = null;
      if (this.queue.length > 0) this.followUp();
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const c = this.connection;
    const outcomes: Outcome[] = [];
    try {
      const begun = c.begin();
      if (begun) await begun;
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const immediate = c.immediate;
    // Without immediate statements, units but a lone one run under savepoints (pipelined-units.ts);
    // a lone unit that fails takes the whole transaction with it instead.
    const alone = immediate === undefined && batch.length === 1;
    const savepoints = immediate === undefined && !alone;
    // Statements of the units that succeeded so far, in order: what a replay runs again.
    const done: Statement[] = [];
    // Each unit's view, once it has run: a unit whose writes are undone runs its afterRollback hooks.
    const txs: (PipelinedTx | NotingTx)[] = [];
    const fail = (i: number, error: unknown): void => {
      runHooks(txs[i]?.undoHooks ?? null, 'after-rollback');
      batch[i].reject(error);
    };
    // Units of a backend without immediate statements (see pipelined-units.ts).
    const pipelined = immediate === undefined ? new PipelinedUnits(c, savepoints) : null;
    if (immediate !== undefined) this.joining = batch;
    try {
      for (let i = 0; i < batch.length; i++) {
        const tx = immediate ? new NotingTx(immediate) : pipelined!.newTx(this.baseTx);
        txs.push(tx);
        try {
          let value = batch[i].unit(tx);
          if (isThenable(value)) value = await value;
          if (tx instanceof PipelinedTx) await pipelined!.returned(tx);
          outcomes.push({ ok: true, value, hooks: tx.hooks });
          if (tx instanceof NotingTx) for (const s of tx.noted) done.push(s);
        } catch (error) {
          if (alone) {
            await rollbackQuietly(c);
            fail(i, error);
            return;
          }
          if (tx instanceof PipelinedTx) {
            try {
              await pipelined!.threw(tx);
            } catch {
              // The savepoint is gone only if the whole transaction already failed; commit reports it.
            }
          } else if (!(await this.undo(immediate!, tx, done, batch.length, fail, i, error))) return;
          outcomes.push({ ok: false, error });
        }
      }
    } finally {
      // Whatever is submitted from here on waits for the next batch.
      this.joining = null;
    }
    try {
      if (pipelined !== null) {
        // Every write is known to have run, or its unit has failed, before the commit.
        await pipelined.settle(null);
        for (const [tx, error] of pipelined.failed) {
          const i = txs.indexOf(tx);
          if (alone) {
            await rollbackQuietly(c);
            fail(i, error);
            return;
          }
          outcomes[i] = { ok: false, error };
        }
      }
      // The next batch waits for this COMMIT's answer, though a pipelined backend could send it
      // behind: its units must see what this batch's afterCommit hooks put in memory.
      const committed = c.commit();
      if (committed) await committed;
    } catch (error) {
      await rollbackQuietly(c);
      for (let i = 0; i < batch.length; i++) fail(i, error);
      return;
    }
    this.stats.transactions++;
    this.stats.units += batch.length;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        fail(i, outcome.error);
        continue;
      }
      runHooks(outcome.hooks, 'after-commit');
      batch[i].resolve(outcome.value);
    }
  }

  /**
   * Takes back what unit `failed` (run without a savepoint) wrote. Nothing to do if it threw
   * before running any statement; else roll back and run the statements of the units before it
   * again. False when the transaction could not be kept: then every unit of
   * the batch has been failed (the failed one with its own error).
   */
  private async undo(
    immediate: ImmediateStatements,
    tx: NotingTx,
    done: Statement[],
    units: number,
    fail: (i: number, error: unknown) => void,
    failed: number,
    error: unknown,
  ): Promise<boolean> {
    const c = this.connection;
    try {
      // SQLite gives up the whole transaction on some errors (I/O, full disk): start it again too.
      const lost = !immediate.inTransaction();
      // A failed statement undid itself (unless it was an OR FAIL one): start over anyway, to be sure.
      if (tx.noted.length === 0 && !tx.failed && !lost) return true;
      if (!lost) await c.rollback();
      await c.begin();
      for (const s of done) {
        if (s.kind === 'run') immediate.run(s.sql, s.params);
        else if (s.kind === 'get') immediate.get(s.sql, s.params);
        else immediate.all(s.sql, s.params);
      }
      return true;
    } catch (failure) {
      try {
        if (immediate.inTransaction()) await c.rollback();
      } catch {
        // Nothing more to undo.
      }
      // The units that had succeeded lose their writes with the transaction: they fail too.
      for (let j = 0; j < units; j++) fail(j, j === failed ? error : failure);
      return false;
    }
  }
}

/** Rolls the transaction back; one that cannot be has nothing more to undo. */
async function rollbackQuietly(c: TransactionalConnection): Promise<void> {
  try {
    await c.rollback();
  } catch {
    // Nothing more to undo.
  }
}

/** Runs a unit's hooks; one that throws is logged and does not stop the others. */
function runHooks(hooks: (() => void)[] | null, what: string): void {
  if (hooks === null) return;
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      console.error(`stratus: ${what} hook failed`, error);
    }
  }
}

/** A unit's result may be a promise (or any thenable) or the value itself. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

interface Statement {
  kind: 'run' | 'get' | 'all';
  sql: string;
  params: SqlParams | undefined;
}

/**
 * One unit's view of the transaction over immediate statements: notes each statement that
 * succeeded (with a copy of its parameters, which the unit may reuse), and whether one failed.
 */
class NotingTx implements WriteTx {
  hooks: (() => void)[] | null = null;
  undoHooks: (() => void)[] | null = null;
  readonly noted: Statement[] = [];
  failed = false;
  constructor(private readonly immediate: ImmediateStatements) {}

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    try {
      const row = this.immediate.get(sql, params) as T | undefined;
      this.noted.push({ kind: 'get', sql, params: params?.slice() });
      return Promise.resolve(row);
    } catch (error) {
      this.failed = true;
      return Promise.reject(error);
    }
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    try {
      const rows = this.immediate.all(sql, params) as T[];
      this.noted.push({ kind: 'all', sql, params: params?.slice() });
      return Promise.resolve(rows);
    } catch (error) {
      this.failed = true;
      return Promise.reject(error);
    }
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    try {
      return Promise.resolve(this.runNow(sql, params));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs at once, as run() does; a failure throws from here and fails the unit. */
  write(sql: string, params?: SqlParams): void {
    this.runNow(sql, params);
  }

  private runNow(sql: string, params: SqlParams | undefined): RunResult {
    try {
      const result = this.immediate.run(sql, params);
      this.noted.push({ kind: 'run', sql, params: params?.slice() });
      return result;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  afterCommit(fn: () => void): void {
    (this.hooks ??= []).push(fn);
  }

  afterRollback(fn: () => void): void {
    (this.undoHooks ??= []).push(fn);
  }
}

function bindTx(tx: BaseTx): BaseTx {
  return { get: tx.get.bind(tx), all: tx.all.bind(tx), run: tx.run.bind(tx) };
}
