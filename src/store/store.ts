/**
 * The store interface every repository is written against.
 *
 * SQL is written once, in the portable subset SQLite and PostgreSQL share, with `?`
 * placeholders; a backend rewrites placeholders for its driver. The interface is async so a
 * networked backend (PostgreSQL) can implement it; the SQLite backend completes at once.
 *
 * Writes go through `write(unit)`: every unit submitted in the same tick of the event loop
 * is run inside one transaction, and the promise of each unit resolves only after that
 * transaction commits. A failing unit is undone alone: in PostgreSQL by rolling back to a
 * savepoint (pipelined-units.ts), in SQLite (group-commit.ts, `immediate`) by rolling back and
 * running the earlier units' statements again — so a statement must depend on nothing but its
 * parameters and the data (no random(), no 'now'); PostgreSQL sends a unit's tx.write()
 * statements again too, after a failed one.
 * A handler that awaits `write` before answering therefore never acknowledges anything
 * that is not stored (DESIGN.md, rule 3).
 */
export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlParams = readonly SqlValue[];

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

export interface Reader {
  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
}

export interface WriteTx extends Reader {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /**
   * Runs a statement whose result the unit does not read. An error fails the unit as a failing
   * run() would, but may be known only after the unit's function has returned: what the unit must
   * undo in memory then goes in afterRollback, or in the caller's handling of write()'s rejection,
   * not in a catch inside the unit. A unit that only writes this way and returns without awaiting
   * a statement lets a networked store send the statements of many units without waiting for each
   * (PostgreSQL: the units of a transaction in one round trip, not one each).
   */
  write(sql: string, params?: SqlParams): void;
  /** Runs `fn` once the transaction holding this unit has committed (never if it fails). */
  afterCommit(fn: () => void): void;
  /**
   * Runs `fn` if this unit's writes are undone instead: the unit failed, or the transaction
   * holding it did not commit. Exactly one of a unit's afterCommit and afterRollback hooks runs,
   * for what it reserved in memory ahead of the outcome (the delivery machine's claimed jobs).
   */
  afterRollback(fn: () => void): void;
}

export type WriteUnit<T> = (tx: WriteTx) => Promise<T> | T;

export interface Migration {
  /** Unique, ordered within its component: `delivery/0001-jobs`. Applied once, in id order. */
  id: string;
  /** One or more statements, run in one transaction. */
  sql: string;
}

export interface Store extends Reader {
  readonly backend: 'sqlite' | 'postgres';
  write<T>(unit: WriteUnit<T>): Promise<T>;
  /** Applies every migration not yet recorded, in id order. */
  migrate(migrations: readonly Migration[]): Promise<string[]>;
  /** Transactions committed and write units they carried since the store opened. */
  readonly stats: { transactions: number; units: number };
  /** Waits for queued writes to commit, then closes. */
  close(): Promise<void>;
}
