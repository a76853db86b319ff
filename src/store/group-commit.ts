import type { WriteTx, WriteUnit } from './store.js';

/** What a backend must offer for group commit: a transaction with savepoints. */
export interface TransactionalConnection {
  begin(): Promise<void> | void;
  commit(): Promise<void> | void;
  rollback(): Promise<void> | void;
  /** Units run one at a time, so one savepoint (of a name the backend picks) is live at once. */
  savepoint(): Promise<void> | void;
  release(): Promise<void> | void;
  rollbackTo(): Promise<void> | void;
  tx: Omit<WriteTx, 'afterCommit'>;
}

interface Pending {
  unit: WriteUnit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the write units submitted during one tick and runs them in one transaction.
 * A unit that throws is rolled back to its savepoint and rejected alone; the others
 * commit together. If the commit itself fails, every unit of the batch is rejected.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  /** Committed transactions and the units they carried: units/transactions is the grouping achieved. */
  readonly stats = { transactions: 0, units: 0 };

  private readonly baseTx: Omit<WriteTx, 'afterCommit'>;

  constructor(private readonly connection: TransactionalConnection) {
    this.baseTx = bindTx(connection.tx);
  }

  submit<T>(unit: WriteUnit<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit: unit as WriteUnit<unknown>, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
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
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running) this.startBatch();
    });
  }

  private startBatch(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.running = this.runBatch(batch).finally(() => {
      this.running = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const c = this.connection;
    const outcomes: { ok: boolean; value: unknown; hooks: (() => void)[] }[] = [];
    try {
      await c.begin();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    // A lone unit needs no savepoint: if it fails, the whole transaction is rolled back instead.
    const alone = batch.length === 1;
    for (let i = 0; i < batch.length; i++) {
      const hooks: (() => void)[] = [];
      const tx: WriteTx = { ...this.baseTx, afterCommit: (fn) => void hooks.push(fn) };
      try {
        if (!alone) await c.savepoint();
        const value = await batch[i].unit(tx);
        if (!alone) await c.release();
        outcomes.push({ ok: true, value, hooks });
      } catch (error) {
        try {
          if (alone) await c.rollback();
          else {
            await c.rollbackTo();
            await c.release();
          }
        } catch {
          // The savepoint is gone only if the whole transaction already failed; commit reports it.
        }
        if (alone) {
          batch[i].reject(error);
          return;
        }
        outcomes.push({ ok: false, value: error, hooks: [] });
      }
    }
    try {
      await c.commit();
    } catch (error) {
      try {
        await c.rollback();
      } catch {
        // Nothing more to undo.
      }
      for (const p of batch) p.reject(error);
      return;
    }
    this.stats.transactions++;
    this.stats.units += batch.length;
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) return batch[i].reject(outcome.value);
      for (const hook of outcome.hooks) {
        try {
          hook();
        } catch (error) {
          console.error('stratus: after-commit hook failed', error);
        }
      }
      batch[i].resolve(outcome.value);
    });
  }
}

function bindTx(tx: Omit<WriteTx, 'afterCommit'>): Omit<WriteTx, 'afterCommit'> {
  return { get: tx.get.bind(tx), all: tx.all.bind(tx), run: tx.run.bind(tx) };
}
