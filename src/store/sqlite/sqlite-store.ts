import type BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { compiledFile } from '../../core/package-root.js';
import { openDatabase } from './driver.js';
import { GroupCommitter, type BaseTx, type TransactionalConnection } from '../group-commit.js';
import { applyMigrations } from '../migrations.js';
import type { Migration, RunResult, SqlParams, Store, WriteUnit } from '../store.js';

const require = createRequire(import.meta.url);

export interface SqliteStoreOptions {
  /** Database file, or ':memory:' for a throwaway store. */
  filename: string;
  /**
   * 'process' (default): WAL with synchronous=NORMAL. A commit survives the process being
   * killed (kill -9), because the WAL write reached the OS before the response was sent.
   * 'power': synchronous=FULL, fsync on every commit; survives power loss too.
   */
  durability?: 'process' | 'power';
}

/** The embedded store: one better-sqlite3 connection in WAL mode, with group commit. */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly committer: GroupCommitter;
  private readonly checkpointer: Checkpointer | null;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = openDatabase(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    const tx = {
      get: async <T>(sql: string, params?: SqlParams) => this.getSync<T>(sql, params),
      all: async <T>(sql: string, params?: SqlParams) => this.allSync<T>(sql, params),
      run: async (sql: string, params?: SqlParams) => this.runSync(sql, params),
    };
    // Transaction control runs several times per request: prepare it once, not per call.
    const control = (sql: string): (() => void) => {
      const statement = this.db.prepare(sql);
      return () => void statement.run();
    };
    const beginStatement = control('BEGIN IMMEDIATE');
    const commitStatement = control('COMMIT');
    const checkpointer = options.filename === ':memory:' ? null : new Checkpointer(options.filename);
    this.checkpointer = checkpointer;
    if (checkpointer) this.db.pragma('wal_autocheckpoint = 0');
    // A transaction begins once a checkpoint that must finish without writers has finished.
    const begin = (): Promise<void> | void => {
      const quiet = checkpointer?.catchUp();
      if (quiet === undefined) return beginStatement();
      return quiet.then(beginStatement);
    };
    const commit = (): void => {
      commitStatement();
      checkpointer?.committed();
    };
    const rollback = control('ROLLBACK');
    const savepoint = control('SAVEPOINT unit');
    const release = control('RELEASE unit');
    const rollbackTo = control('ROLLBACK TO unit');
    const connection: TransactionalConnection = {
      begin,
      commit,
      rollback: () => {
        if (this.db.inTransaction) rollback();
      },
      // Units run one after another, so one savepoint name serves them all.
      savepoint: () => savepoint(),
      release: () => release(),
      rollbackTo: () => rollbackTo(),
      tx: tx as BaseTx,
      // SQLite runs statements at once and undoes a failing one alone: units need no savepoints.
      immediate: {
        get: (sql, params) => this.getSync(sql, params),
        all: (sql, params) => this.allSync(sql, params),
        run: (sql, params) => this.runSync(sql, params),
        inTransaction: () => this.db.inTransaction,
      },
    };
    this.committer = new GroupCommitter(connection);
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.getSync<T>(sql, params);
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.allSync<T>(sql, params);
  }

  get stats(): { transactions: number; units: number } {
    return this.committer.stats;
  }

  write<T>(unit: WriteUnit<T>): Promise<T> {
    return this.committer.submit(unit);
  }

  async migrate(migrations: readonly Migration[]): Promise<string[]> {
    return applyMigrations(this, migrations);
  }

  async close(): Promise<void> {
    await this.committer.close();
    // The worker's connection goes first: the last connection to close folds the WAL in.
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private getSync<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  private allSync<T>(sql: string, params: SqlParams = []): T[] {
    return this.prepare(sql).all(...params) as T[];
  }

  private runSync(sql: string, params: SqlParams = []): RunResult {
    const result = this.prepare(sql).run(...params);
    return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
  }
}

/**
 * Asks the checkpoint worker for a checkpoint every so many commits, one at a time, and sees to
 * it that the WAL starts over from its beginning.
 *
 * SQLite starts the WAL over only at a write that finds every frame already copied into the
 * database (https://www.sqlite.org/wal.html, "Avoiding Excessively Large WAL Files"). A
 * checkpoint running beside a steady stream of commits never finds that: frames committed while
 * it copies are left, so under sustained load the WAL grew without end (243 MB in one 8-second
 * sqs-throughput round) and every commit wrote to new file blocks, which the filesystem must
 * allocate and zero. So when checkpoints keep leaving frames behind, the next transaction waits
 * (without blocking the event loop) while the worker copies the few frames committed during the
 * last one; the write that follows starts the WAL over.
 */
class Checkpointer {
  /** About 1,000 WAL pages (SQLite's own threshold) at a few pages per group commit. */
  private static readonly EVERY_COMMITS = 256;
  /**
   * Checkpoints in a row that may leave frames behind before the writers wait for one: at light
   * load the next checkpoint usually finds no commit beside it and the WAL starts over without a
   * wait; under load the WAL then holds at most about two checkpoints' worth of commits.
   */
  private static readonly BEHIND_AT_MOST = 2;
  /**
   * Started at the first checkpoint, not with the store: a thread costs its own V8 heap (about
   * 10 MB) and tens of milliseconds of start-up, and a store that has made fewer than
   * EVERY_COMMITS commits since it opened never needs one.
   */
  private worker: Worker | null = null;
  private sinceLast = 0;
  private running = false;
  private exited = false;
  /** Commits were made while the running checkpoint copied. */
  private committedMeanwhile = false;
  /** Checkpoints in a row that left frames behind (those committed while they ran). */
  private behind = 0;
  private answered: (() => void) | null = null;

  constructor(private readonly filename: string) {}

  private started(): Worker {
    if (this.worker) return this.worker;
    // worker_threads is loaded with the first checkpoint, not at start (a few ms of every start).
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    // By path, so the compiled tree and the start-up bundle find the same file.
    const worker = new Worker(compiledFile('store/sqlite/checkpoint-worker.js'), { workerData: { filename: this.filename } });
    worker.unref();
    worker.once('exit', () => {
      this.exited = true;
      this.settle();
    });
    worker.on('message', (message: string) => {
      if (message === 'checkpointed') this.settle();
    });
    worker.on('error', (error) => console.error('stratus: checkpoint worker failed', error));
    this.worker = worker;
    return worker;
  }

  committed(): void {
    if (this.running) this.committedMeanwhile = true;
    if (++this.sinceLast < Checkpointer.EVERY_COMMITS || this.running || this.exited) return;
    this.sinceLast = 0;
    // Asked for in the next loop turn, once the answers of this commit are written: the worker
    // shares the machine (often the core) with the event loop, and at light load it then copies
    // pages in the quiet after those answers instead of delaying them.
    this.running = true;
    this.committedMeanwhile = false;
    setImmediate(() => {
      // Frames were left behind if commits came while it copied. (What the checkpoint reports
      // cannot tell: it counts the frames there were when it began.)
      void this.checkpoint().then(() => (this.behind = this.committedMeanwhile && !this.exited ? this.behind + 1 : 0));
    });
  }

  /**
   * Called before a transaction begins: undefined if it may begin now, else a promise that
   * resolves once the worker has copied what the last checkpoint left (no transaction is open
   * meanwhile, so nothing is left this time).
   */
  catchUp(): Promise<void> | undefined {
    if (this.behind < Checkpointer.BEHIND_AT_MOST || this.running) return undefined;
    this.behind = 0;
    this.running = true;
    return this.checkpoint();
  }

  /** One checkpoint by the worker; resolves when it is done (at once if the worker is gone). */
  private checkpoint(): Promise<void> {
    if (this.exited) {
      this.running = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.answered = resolve;
      // Messages posted before the thread is up wait for it.
      this.started().postMessage('checkpoint');
    });
  }

  private settle(): void {
    this.running = false;
    const answered = this.answered;
    this.answered = null;
    answered?.();
  }

  close(): Promise<void> {
    const worker = this.worker;
    if (this.exited || !worker) {
      this.exited = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      worker.once('exit', () => resolve());
      worker.on('message', (message: string) => {
        if (message === 'closed') void worker.terminate();
      });
      worker.postMessage('close');
    });
  }
}
