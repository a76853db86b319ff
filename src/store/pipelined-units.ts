import type { BaseTx, TransactionalConnection } from './group-commit.js';
import type { RunResult, SqlParams, WriteTx } from './store.js';

/**
 * The units of one transaction on a backend whose statements are sent without waiting for the
 * ones before and run in the order sent (PostgreSQL over a pipelined connection), where a failed
 * statement makes every later one fail as skipped until its savepoint is rolled back to.
 *
 * A unit's tx.write() statements are kept as data until the unit either waits for a statement
 * (run/get/all: it is "open") or returns (it was "blind": it only wrote). Then:
 * - an open unit gets a savepoint of its own before anything of it is sent, as every unit once
 *   did, so that it can be undone alone whatever it read and did meanwhile;
 * - blind units in a row share one savepoint: a savepoint and its release cost PostgreSQL about
 *   as much as a one-row statement, and a blind unit can be sent again, being data.
 * A write is not waited for: settle() waits for every answer (before the commit, or when a
 * waited-for statement came back skipped), finds the first unit whose write failed, fails it,
 * rolls back to the savepoint its group shares and sends the group's other units and the later
 * ones again. A unit that throws before it is open has sent nothing, and nothing is undone.
 */
export class PipelinedUnits {
  /** Units that have sent something, in order, whose writes may not all have been answered. */
  private units: PipelinedTx[] = [];
  /** Units failed by a write of theirs, with its error (see settle). */
  readonly failed = new Map<PipelinedTx, unknown>();
  /** Whether the next unit to send must set a savepoint first (at the start, and after an open unit). */
  private needSavepoint = true;
  /** Whether a savepoint has been set in this transaction: the next one releases it first. */
  private savepointSet = false;

  constructor(
    private readonly connection: TransactionalConnection,
    /** False for a batch of one unit: it has no savepoint, and fails with the whole transaction. */
    private readonly savepoints: boolean,
  ) {}

  newTx(base: BaseTx): PipelinedTx {
    return new PipelinedTx(base, this);
  }

  skipped(error: unknown): boolean {
    return this.connection.skipped?.(error) ?? false;
  }

  /** The unit waits for a statement: its savepoint and what it wrote so far go out first. */
  async open(tx: PipelinedTx): Promise<void> {
    tx.opened = true;
    if (this.savepoints) await this.setSavepoint(tx);
    tx.sendWrites();
    this.units.push(tx);
    // The unit after it cannot share its savepoint: undoing that unit would undo this one.
    this.needSavepoint = true;
  }

  /** The unit's function returned: a blind unit's writes go out now, under the savepoint of its group. */
  async returned(tx: PipelinedTx): Promise<void> {
    if (tx.opened || tx.writes.length === 0) return;
    if (this.savepoints && this.needSavepoint) {
      await this.setSavepoint(tx);
      this.needSavepoint = false;
    }
    tx.sendWrites();
    this.units.push(tx);
  }

  /**
   * The unit threw. An open one is rolled back to its savepoint (once the failed writes of units
   * before it are dealt with, since they made its savepoint be skipped); one that never opened
   * sent nothing.
   */
  async threw(tx: PipelinedTx): Promise<void> {
    if (!tx.opened) return;
    await this.settle(tx).catch(() => undefined);
    this.units = this.units.filter((u) => u !== tx);
    await this.connection.rollbackTo();
    this.needSavepoint = true;
  }

  /**
   * Waits until every write sent so far is answered and deals with each that failed (see the class
   * comment). Throws the error of `current`'s own failed write (that unit fails with it), or of a
   * write skipped with no failure before it (the transaction failed some other way). Returns
   * whether it took a failed unit out.
   */
  async settle(current: PipelinedTx | null): Promise<boolean> {
    let found = false;
    for (;;) {
      const sent = this.units.flatMap((u) => u.writes);
      await Promise.all(sent.map((w) => w.settled));
      const index = this.units.findIndex((u) => u.writes.some((w) => this.realFailure(w)));
      if (index < 0) {
        const skipped = sent.find((w) => w.failed);
        if (skipped !== undefined) throw skipped.error;
        return found;
      }
      const failing = this.units[index];
      const error = failing.writes.find((w) => this.realFailure(w))!.error;
      if (failing === current) throw error;
      found = true;
      this.failed.set(failing, error);
      this.units.splice(index, 1);
      // A batch of one unit has no savepoint: the commit rolls back instead.
      if (!this.savepoints) return found;
      // Back to the savepoint of the failing unit's group — the last one set, as every later
      // savepoint was skipped; it stays set, and starts the group again.
      let start = index;
      if (failing.ownSavepoint) {
        // The unit after it, if any, now starts the group.
        if (index < this.units.length) this.units[index].ownSavepoint = true;
      } else {
        do start--;
        while (start > 0 && !this.units[start].ownSavepoint);
      }
      await this.connection.rollbackTo();
      for (let i = start; i < this.units.length; i++) {
        const unit = this.units[i];
        if (unit.ownSavepoint && i !== start) await this.resetSavepoint();
        unit.sendWrites();
      }
    }
  }

  private realFailure(write: SentWrite): boolean {
    return write.failed && !this.skipped(write.error);
  }

  private async setSavepoint(tx: PipelinedTx): Promise<void> {
    if (this.savepointSet) await this.connection.release();
    await this.connection.savepoint();
    this.savepointSet = true;
    tx.ownSavepoint = true;
  }

  private async resetSavepoint(): Promise<void> {
    await this.connection.release();
    await this.connection.savepoint();
  }
}

/** A statement of tx.write(), kept as data so that it can be sent again. */
interface SentWrite {
  sql: string;
  params: SqlParams | undefined;
  /** Resolves once the backend has answered, whatever it answered. */
  settled: Promise<void>;
  failed: boolean;
  error: unknown;
}

/** One unit's view of the transaction (see PipelinedUnits). */
export class PipelinedTx implements WriteTx {
  hooks: (() => void)[] | null = null;
  undoHooks: (() => void)[] | null = null;
  /** What this unit wrote with write(), in order; sent once the unit opens or returns. */
  writes: SentWrite[] = [];
  /** It waited for a statement (see PipelinedUnits.open). */
  opened = false;
  /** A savepoint was set right before its statements: it starts a savepoint group. */
  ownSavepoint = false;
  private sending = false;

  constructor(
    private readonly base: BaseTx,
    private readonly units: PipelinedUnits,
  ) {}

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.waited(() => this.base.get<T>(sql, params));
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.waited(() => this.base.all<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.waited(() => this.base.run(sql, params));
  }

  write(sql: string, params?: SqlParams): void {
    // A copy: the unit may reuse its parameter array, and the write may be sent again.
    const write: SentWrite = { sql, params: params?.slice(), settled: Promise.resolve(), failed: false, error: undefined };
    this.writes.push(write);
    if (this.sending) this.send(write);
  }

  /** Sends every write of the unit (again, after a rollback), and from now on each as it comes. */
  sendWrites(): void {
    this.sending = true;
    for (const write of this.writes) this.send(write);
  }

  private send(write: SentWrite): void {
    write.failed = false;
    write.error = undefined;
    write.settled = this.base.run(write.sql, write.params).then(
      () => undefined,
      (error: unknown) => {
        write.failed = true;
        write.error = error;
      },
    );
  }

  /** A statement the unit waits for; skipped because a write before it failed, it is sent again once that is dealt with. */
  private async waited<T>(statement: () => Promise<T>): Promise<T> {
    if (!this.opened) await this.units.open(this);
    for (;;) {
      try {
        return await statement();
      } catch (error) {
        if (!this.units.skipped(error) || !(await this.units.settle(this))) throw error;
      }
    }
  }

  afterCommit(fn: () => void): void {
    (this.hooks ??= []).push(fn);
  }

  afterRollback(fn: () => void): void {
    (this.undoHooks ??= []).push(fn);
  }
}
