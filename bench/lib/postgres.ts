/**
 * PostgreSQL for the benchmarks: a database of one run's own (created at the start, dropped with
 * FORCE at the end, so that nothing a run stored outlives it), and the CPU time the PostgreSQL
 * server's processes spent, read from /proc — a Stratus on PostgreSQL does part of its work in
 * other processes than its own, and a figure of CPU per message that left them out would flatter it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PgModule from 'pg';

const require = createRequire(import.meta.url);

/** Where the run's database is made: a database on the server to connect to first. */
export const BENCH_POSTGRES = process.env.STRATUS_BENCH_POSTGRES || 'postgres://postgres@127.0.0.1:5432/postgres';

/** /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on Linux (as machineBusyMs assumes). */
const TICK_US = 10_000;

export interface PostgresCpuSample {
  /** performance.now() of the sample. */
  at: number;
  /** CPU µs so far of each backend connected to the run's database (Stratus's connections). */
  ours: Map<number, number>;
  /** CPU µs so far of each of the server's shared processes (WAL writer, checkpointer, …). */
  background: Map<number, number>;
  /** CPU µs so far of every process named postgres, ended children included (other databases' work too). */
  all: number;
}

export interface PostgresCpu {
  /** Cores (CPU seconds a second) over the window. */
  ours: number;
  background: number;
  all: number;
}

export interface BenchDatabase {
  name: string;
  /** The run's database as a Stratus `--store` URL, tables in `schema`. */
  storeUrl(schema: string): string;
  /** Server settings that shape what a commit costs, for the record. */
  settings: Record<string, string>;
  cpu(): Promise<PostgresCpuSample>;
  /**
   * Round trips on a connection of its own to the run's database, one after another: `SELECT 1`,
   * and a one-row transaction (BEGIN, INSERT, COMMIT: three round trips and a WAL flush) — the
   * floor under any statement and any commit of the store.
   */
  roundTrips(samples: number): Promise<{ selectMs: number[]; commitMs: number[] }>;
  /** What PostgreSQL counted on the tables of `schema` so far (pg_stat_user_tables, summed). */
  tableStats(schema: string): Promise<TableStats>;
  drop(): Promise<void>;
}

export interface TableStats {
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
  indexRowsFetched: number;
  inserted: number;
  updated: number;
  hotUpdated: number;
  deleted: number;
  deadRows: number;
}

/** Opens an admin connection and creates `stratus_bench_<pid>_<time>`; throws if no PostgreSQL answers. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const pg = require('pg') as typeof PgModule;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `no PostgreSQL answered at ${BENCH_POSTGRES.replace(/:[^:@/]*@/, ':***@')} (${(error as { code?: string }).code ?? (error as Error).message}); ` +
        'start one, or set STRATUS_BENCH_POSTGRES=postgres://user:password@host:port/database (a database per run is made and dropped there)',
    );
  }
  const name = `stratus_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const settings: Record<string, string> = {};
  for (const setting of ['server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers']) {
    const { rows } = await admin.query<Record<string, string>>(`SHOW ${setting}`);
    settings[setting] = Object.values(rows[0] ?? {})[0] ?? '?';
  }
  let dropped = false;
  const connectToBench = async (): Promise<PgModule.Client> => {
    const url = new URL(BENCH_POSTGRES);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    return client;
  };
  return {
    name,
    settings,
    storeUrl(schema) {
      const url = new URL(BENCH_POSTGRES);
      url.pathname = `/${name}`;
      url.searchParams.set('schema', schema);
      return url.href;
    },
    async cpu() {
      const { rows } = await admin.query<{ pid: number; datname: string | null }>('SELECT pid, datname FROM pg_stat_activity WHERE pid <> pg_backend_pid()');
      const at = performance.now();
      const ours = new Map<number, number>();
      const background = new Map<number, number>();
      for (const row of rows) {
        if (row.datname !== name && row.datname !== null) continue;
        const used = processCpuUs(row.pid);
        if (used !== undefined) (row.datname === name ? ours : background).set(row.pid, used.own);
      }
      let all = 0;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const used = processCpuUs(Number(entry), 'postgres');
        // A backend that ended is counted in its parent's (the postmaster's) children's time.
        if (used !== undefined) all += used.own + used.children;
      }
      return { at, ours, background, all };
    },
    async tableStats(schema) {
      // The statistics views show the tables of the database a connection is on.
      const client = await connectToBench();
      try {
        const { rows } = await client.query<Record<string, string | null>>(
          `SELECT sum(seq_scan) AS seq_scans, sum(seq_tup_read) AS seq_rows_read, sum(idx_scan) AS index_scans,
             sum(idx_tup_fetch) AS index_rows_fetched, sum(n_tup_ins) AS inserted, sum(n_tup_upd) AS updated,
             sum(n_tup_hot_upd) AS hot_updated, sum(n_tup_del) AS deleted, sum(n_dead_tup) AS dead_rows
           FROM pg_stat_user_tables WHERE schemaname = $1`,
          [schema],
        );
        const n = (key: string): number => Number(rows[0]?.[key] ?? 0);
        return {
          seqScans: n('seq_scans'),
          seqRowsRead: n('seq_rows_read'),
          indexScans: n('index_scans'),
          indexRowsFetched: n('index_rows_fetched'),
          inserted: n('inserted'),
          updated: n('updated'),
          hotUpdated: n('hot_updated'),
          deleted: n('deleted'),
          deadRows: n('dead_rows'),
        };
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async roundTrips(samples) {
      const client = await connectToBench();
      try {
        await client.query('CREATE TABLE IF NOT EXISTS public.bench_round_trip (n integer)');
        const selectMs: number[] = [];
        const commitMs: number[] = [];
        for (let i = 0; i < samples; i++) {
          let t0 = performance.now();
          await client.query('SELECT 1');
          selectMs.push(performance.now() - t0);
          t0 = performance.now();
          await client.query('BEGIN');
          await client.query('INSERT INTO public.bench_round_trip (n) VALUES ($1)', [i]);
          await client.query('COMMIT');
          commitMs.push(performance.now() - t0);
        }
        return { selectMs, commitMs };
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end().catch(() => undefined);
      }
    },
  };
}

/** Cores each part of PostgreSQL used between two samples. */
export function postgresCpuShare(from: PostgresCpuSample, to: PostgresCpuSample): PostgresCpu {
  const wallUs = (to.at - from.at) * 1000;
  if (!(wallUs > 0)) return { ours: NaN, background: NaN, all: NaN };
  // A process that started within the window counts from zero; one that ended in it is lost
  // (Stratus keeps its connections, so that is rare).
  const delta = (a: Map<number, number>, b: Map<number, number>): number => {
    let sum = 0;
    for (const [pid, used] of b) sum += Math.max(0, used - (a.get(pid) ?? 0));
    return sum;
  };
  return { ours: delta(from.ours, to.ours) / wallUs, background: delta(from.background, to.background) / wallUs, all: Math.max(0, to.all - from.all) / wallUs };
}

/** utime+stime and cutime+cstime of a process, in µs; undefined if it is gone (or not `comm`). */
function processCpuUs(pid: number, comm?: string): { own: number; children: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (comm !== undefined && stat.slice(open + 1, close) !== comm) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // After the name: state(3) … utime(14) stime(15) cutime(16) cstime(17), numbered as in proc(5).
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { own: (utime + stime) * TICK_US, children: (cutime + cstime) * TICK_US };
}
