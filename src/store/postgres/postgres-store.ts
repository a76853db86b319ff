import type PgModule from 'pg';
import { createRequire } from 'node:module';
import { StartError } from '../../core/start-error.js';
import { GroupCommitter, type BaseTx, type TransactionalConnection } from '../group-commit.js';
import { applyMigrations } from '../migrations.js';
import type { Migration, RunResult, SqlParams, Store, WriteUnit } from '../store.js';
import { toPostgres } from './dialect.js';
import { describeConnectFailure, parseStoreUrl, type StoreUrl } from './store-url.js';

const require = createRequire(import.meta.url);
/** Loaded only when a PostgreSQL store is opened: the embedded default never pays for it. */
let pgModule: typeof PgModule | null = null;
function pg(): typeof PgModule {
  return (pgModule ??= require('pg') as typeof PgModule);
}

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database[?schema=name]`. */
  url: string;
  /** Connections for reads outside the write transaction (default 8). */
  readConnections?: number;
  /**
   * As `--durability` says for SQLite. 'process' (default): a commit is acknowledged once
   * PostgreSQL has it in memory (`synchronous_commit = off` on the write connection): it survives
   * Stratus being killed, as SQLite's WAL write does, and a PostgreSQL or machine crash may lose
   * the last fraction of a second (up to three times wal_writer_delay). 'power': the server's own
   * setting (on by default: each commit waits for its WAL flush).
   * https://www.postgresql.org/docs/current/wal-async-commit.html
   */
  durability?: 'process' | 'power';
}

/** SQLSTATE of a statement skipped because the transaction had already failed. */
const IN_FAILED_TRANSACTION = '25P02';

/** A write connection that committed within this long is taken to be alive (see begin). */
const IDLE_MS = 1000;

/** Advisory-lock class ids (the first key of the two-key form); the second is the schema's hash. */
const MIGRATIONS_LOCK = 0x5354_0001;

/**
 * The networked store: PostgreSQL through node-postgres. Writes take the same group-commit path
 * as SQLite's (every unit submitted in one loop turn in one transaction, each unit under a
 * savepoint so a failing one is undone alone) on one connection kept for writing; reads use a
 * small pool. Statements are the portable subset, rewritten once each (dialect.ts) and prepared
 * once per connection by name.
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  private readonly committer: GroupCommitter;
  private readonly prepared = new Map<string, { name: string; text: string; ddl: boolean }>();
  private closed = false;

  private constructor(
    readonly location: StoreUrl,
    private readonly pool: PgModule.Pool,
    private writer: PgModule.Client,
    private readonly durability: 'process' | 'power',
  ) {
    this.watchWriter(writer);
    const tx = {
      get: async <T>(sql: string, params?: SqlParams) => (await this.query(this.writer, sql, params)).rows[0] as T | undefined,
      all: async <T>(sql: string, params?: SqlParams) => (await this.query(this.writer, sql, params)).rows as T[],
      run: async (sql: string, params?: SqlParams): Promise<RunResult> => ({ changes: (await this.query(this.writer, sql, params)).rowCount ?? 0, lastInsertRowid: 0 }),
    };
    const control = (text: string) => async (): Promise<void> => {
      await this.writer.query(text);
    };
    const connection: TransactionalConnection = {
      // A batch begins on a live connection: one that failed since (PostgreSQL restarted, a
      // network cut) is replaced here, between transactions, where nothing is lost by it.
      begin: async () => {
        if (this.writerBroken) await this.reconnectWriter();
        // Under load the next transaction begins at once on a connection just used: BEGIN goes out
        // with the first unit's statements, not a round trip before them (should it fail, so do
        // they, and the commit). After a quiet spell it is waited for, so that a connection found
        // dead only now (its end not yet reported) is replaced, once, and nothing fails.
        if (performance.now() - this.writerUsedAt < IDLE_MS) {
          this.writer.query('BEGIN').catch(() => undefined);
          return;
        }
        try {
          await this.writer.query('BEGIN');
        } catch (error) {
          // Found dead only now (its end not yet reported): a new connection, once.
          if (!connectionLost(error)) throw error;
          await this.reconnectWriter();
          await this.writer.query('BEGIN');
        }
      },
      // COMMIT and ROLLBACK end any savepoint still open.
      commit: async () => {
        this.releasePending = false;
        // PostgreSQL answers COMMIT of a transaction that failed (a statement failed outside any
        // savepoint) with ROLLBACK, not an error: nothing was stored, and the batch must fail.
        const done = await this.writer.query('COMMIT');
        this.writerUsedAt = performance.now();
        if (done.command !== 'COMMIT') throw new Error(`the transaction was not committed (PostgreSQL answered ${done.command})`);
      },
      rollback: () => {
        this.releasePending = false;
        return control('ROLLBACK')();
      },
      // Units run one after another, so one savepoint name serves them all. The round trips of a
      // transaction are most of what it costs, so a unit's release goes with the next unit's
      // savepoint (or not at all, before COMMIT), and the savepoint is not waited for: the write
      // connection pipelines, and the unit's first statement goes out right behind it. Should it
      // fail, the transaction is aborted, the unit's statements fail with it, and COMMIT says
      // ROLLBACK (above).
      savepoint: () => {
        const text = this.releasePending ? 'RELEASE SAVEPOINT unit; SAVEPOINT unit' : 'SAVEPOINT unit';
        this.releasePending = false;
        this.writer.query(text).catch(() => undefined);
      },
      release: () => {
        this.releasePending = true;
      },
      rollbackTo: control('ROLLBACK TO SAVEPOINT unit'),
      tx: tx as BaseTx,
      skipped: (error) => (error as { code?: string } | undefined)?.code === IN_FAILED_TRANSACTION,
    };
    this.committer = new GroupCommitter(connection);
  }

  /**
   * Connects (the writing connection first: what a wrong address or password answers is seen
   * here, as a StartError that names it) and makes the schema if it is not there yet.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const location = parseStoreUrl(options.url);
    const config = clientConfig(location);
    const writer = new (pg().Client)({ ...config, pipeline: true } as PgModule.ClientConfig);
    try {
      await writer.connect();
    } catch (error) {
      throw new StartError(describeConnectFailure(location, error), { cause: error });
    }
    const durability = options.durability ?? 'process';
    await writer.query(sessionSettings(durability));
    try {
      // Two nodes may start at once: a schema the other made between the check and the create
      // is no error.
      await writer.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(location.schema)}`).catch((error: { code?: string }) => {
        if (error.code !== '23505' && error.code !== '42P06') throw error;
      });
    } catch (error) {
      await writer.end().catch(() => undefined);
      throw new StartError(`cannot use schema "${location.schema}" in ${location.display}: ${(error as Error).message}`, { cause: error });
    }
    const pool = new (pg().Pool)({ ...config, max: options.readConnections ?? 8 });
    // An idle pooled connection that drops (a server restart) is replaced at the next read.
    pool.on('error', (error) => console.error('stratus: a PostgreSQL read connection failed', error));
    return new PostgresStore(location, pool, writer, durability);
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.query(this.pool, sql, params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.query(this.pool, sql, params)).rows as T[];
  }

  get stats(): { transactions: number; units: number } {
    return this.committer.stats;
  }

  write<T>(unit: WriteUnit<T>): Promise<T> {
    return this.committer.submit(unit);
  }

  /**
   * Applies the migrations under an advisory lock held for the schema, so that nodes starting at
   * the same moment apply each migration once: the second waits, then finds them recorded.
   */
  async migrate(migrations: readonly Migration[]): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [MIGRATIONS_LOCK]);
      try {
        return await applyMigrations(this, migrations);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [MIGRATIONS_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  private writerBroken = false;
  /** When the write connection last committed (performance.now()); see begin. */
  private writerUsedAt = -Infinity;
  /** The last unit's savepoint is to be released (see the connection's savepoint). */
  private releasePending = false;

  private watchWriter(writer: PgModule.Client): void {
    const broken = (error?: Error): void => {
      if (this.writer !== writer || this.closed) return;
      this.writerBroken = true;
      if (error) console.error('stratus: the PostgreSQL write connection failed; the next transaction opens a new one', error.message);
    };
    writer.on('error', broken);
    writer.on('end', () => broken());
  }

  private async reconnectWriter(): Promise<void> {
    const writer = new (pg().Client)({ ...clientConfig(this.location), pipeline: true } as PgModule.ClientConfig);
    await writer.connect();
    await writer.query(sessionSettings(this.durability));
    const old = this.writer;
    this.writer = writer;
    this.writerBroken = false;
    this.watchWriter(writer);
    await old.end().catch(() => undefined);
  }

  /** A connection of its own, outside the pool (a lock held for the life of the process, a LISTEN). */
  async dedicatedConnection(): Promise<PgModule.Client> {
    const client = new (pg().Client)(clientConfig(this.location));
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.close();
    await this.writer.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private query(on: PgModule.Pool | PgModule.Client, sql: string, params: SqlParams = []): Promise<PgModule.QueryResult> {
    let statement = this.prepared.get(sql);
    if (!statement) {
      const text = toPostgres(sql);
      // Only plain statements are prepared: a schema change is run once, unnamed.
      const ddl = !/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text);
      statement = { name: `s${this.prepared.size + 1}`, text, ddl };
      this.prepared.set(sql, statement);
    }
    const values = encodeParams(params);
    const result = statement.ddl ? on.query(statement.text, values) : on.query({ name: statement.name, text: statement.text, values });
    return result.then(decodeRows);
  }
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can, and AWS takes it in many strings: a task
 * token, a bus's KMS key id). A string holding it is stored with NUL as U+FFFF U+0001, and U+FFFF
 * itself (a noncharacter, rare in anything sent) as U+FFFF U+FFFF, so that the mapping is
 * one-to-one: equal strings stay equal, and what is read back is what was written.
 */
const ESCAPE = '\uffff';

function encodeParams(params: SqlParams): unknown[] {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === 'string' && (value.includes('\0') || value.includes(ESCAPE))) {
      return params.map((v) => (typeof v === 'string' ? v.replace(/[\0\uffff]/g, (c) => (c === '\0' ? `${ESCAPE}\u0001` : `${ESCAPE}${ESCAPE}`)) : v));
    }
  }
  return params as unknown[];
}

function decodeRows(result: PgModule.QueryResult): PgModule.QueryResult {
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'string' && value.includes(ESCAPE)) row[key] = value.replace(/\uffff([\u0001\uffff])/g, (_, c: string) => (c === '\u0001' ? '\0' : ESCAPE));
    }
  }
  return result;
}

/** A failure of the connection itself, not of a statement: the socket, or the server ending the session. */
function connectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  // 57P01..57P03: the server is shutting the session down (admin_shutdown, crash_shutdown, cannot_connect_now).
  return (code !== undefined && (/^E[A-Z]+$/.test(code) || /^57P0[1-3]$/.test(code) || code === '08006')) || /Connection terminated|not queryable/i.test(message ?? '');
}

/** What the write connection is set to at its start. */
function sessionSettings(durability: 'process' | 'power'): string {
  return durability === 'process' ? 'SET synchronous_commit = off' : 'SET synchronous_commit = DEFAULT';
}

function clientConfig(location: StoreUrl): PgModule.ClientConfig {
  return {
    connectionString: location.connectionString,
    // Every connection works in the schema; created by open() when missing.
    options: `-c search_path=${quoteIdentifier(location.schema)}`,
    types: { getTypeParser: typeParser as never },
    // A statement is answered within a minute, or the request fails instead of hanging.
    statement_timeout: 60_000,
    connectionTimeoutMillis: 10_000,
    // A peer that vanished without closing (a machine lost) is noticed by TCP keepalive.
    keepAlive: true,
  };
}

/**
 * Rows come back as the SQLite backend gives them, so repositories see one shape: 64-bit
 * integers (counts, ids, ms timestamps) and numerics as numbers, booleans as 1/0, JSON as its
 * text.
 */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case 20: // int8
    case 1700: // numeric
      return Number;
    case 16: // bool
      return (value: string) => (value === 't' ? 1 : 0);
    case 114: // json
    case 3802: // jsonb
      return (value: string) => value;
    default:
      return pg().types.getTypeParser(oid, format as 'text');
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
