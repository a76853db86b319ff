/**
 * Test servers: a real Stratus inside the test process on a free port, or a real `stratus start`
 * child process (for kill -9 tests), and SDK v3 clients pointed at either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StratusConfig } from '../../src/server/config.js';
import { silentLogger } from '../../src/server/log.js';
import type { ServiceModule } from '../../src/server/runtime.js';
import { startStratus, type RunningStratus, type StartOptions } from '../../src/server/stratus.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** What every SDK client constructor accepts and tests need set: where, who, and no retries. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

export interface TestServer {
  url: string;
  /** API Gateway's custom-domain HTTPS port, when the server was started with `httpsPort`. */
  httpsPort: number | undefined;
  stratus: RunningStratus;
  /** Builds a configured client: `server.client(SQSClient)`. */
  client<C>(Client: new (config: ClientConfig) => C, overrides?: Partial<ClientConfig>): C;
  clientConfig(overrides?: Partial<ClientConfig>): ClientConfig;
  stop(): Promise<void>;
}

export function clientConfigFor(url: string, overrides: Partial<ClientConfig> = {}): ClientConfig {
  // One attempt: a test must see the first answer, not a retried one.
  return { endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...overrides };
}

/**
 * The PostgreSQL database this run's tests keep their stores in (scripts/run-tests.mjs makes one
 * per run and drops it after), or undefined: the embedded SQLite store.
 */
export const TEST_POSTGRES = process.env.STRATUS_TEST_STORE || undefined;

/** The test store's URL with a schema of its own: what one test server keeps is its own. */
export function postgresStoreFor(schema: string): string {
  const url = new URL(TEST_POSTGRES!);
  url.searchParams.set('schema', schema);
  return url.href;
}

/**
 * Under a PostgreSQL run, a test's store: a fresh schema for a throwaway (in-memory) server, and
 * one named after the data directory otherwise, so that a server started again on the same
 * directory (a restart, a kill -9) finds what the first one stored.
 */
function storeFor(config: Partial<StratusConfig>): Partial<StratusConfig> {
  if (TEST_POSTGRES === undefined || config.store != null) return config;
  const schema = config.inMemory === false && config.dataDir ? schemaOfDataDir(config.dataDir) : `t_${randomBytes(8).toString('hex')}`;
  // inMemory stays as it was: with a store given, it means no data directory (function code in
  // a temporary folder), as the test asked.
  return { ...config, store: postgresStoreFor(schema) };
}

export function schemaOfDataDir(dataDir: string): string {
  return `d_${createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}`;
}

/** Starts Stratus in this process on a free port with an in-memory store (unless told otherwise). */
export async function startTestServer(
  options: {
    config?: Partial<StratusConfig>;
    services?: ServiceModule[];
    /** Serve API Gateway custom domains over HTTPS on this port (0: a free one); see TestServer.httpsPort. */
    httpsPort?: number;
  } & Omit<StartOptions, 'services'> = {},
): Promise<TestServer> {
  const stratus = await startStratus(
    storeFor({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error', ...(options.httpsPort !== undefined ? { httpsPort: options.httpsPort } : {}), ...options.config }),
    { services: options.services, clock: options.clock, log: options.log ?? silentLogger },
  );
  const clients: { destroy?: () => void }[] = [];
  return {
    url: stratus.url,
    httpsPort: stratus.runtime.ports?.get('https'),
    stratus,
    clientConfig: (overrides) => clientConfigFor(stratus.url, overrides),
    client(Client, overrides) {
      const client = new Client(clientConfigFor(stratus.url, overrides));
      clients.push(client as { destroy?: () => void });
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy?.();
      await stratus.stop();
    },
  };
}

/** The command as installed (package.json bin): the start-up bundle of dist/src. */
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  dataDir: string;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code (or the signal) once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/** A throwaway data folder, removed by `cleanup`. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Every child server still running when a test file's tests are done is killed: a test that
// failed before stopping its server would otherwise keep the test process (and the suite) alive.
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs the real `stratus start` as a child process on a free port. */
export async function spawnServer(options: { dataDir: string; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<ChildServer> {
  const args = options.args ?? [];
  // Under a PostgreSQL run the data directory names the store's schema (see storeFor).
  const store = TEST_POSTGRES !== undefined && !args.includes('--store') && !args.includes('--in-memory') ? ['--store', postgresStoreFor(schemaOfDataDir(options.dataDir))] : [];
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--data-dir', options.dataDir, '--log-level', 'warn', ...store, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? 0)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 15 s:\n${output}`)), 15_000);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    dataDir: options.dataDir,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Reads rows from the store a stopped (or killed) server of `dataDir` left: its SQLite file, or,
 * under a PostgreSQL run, the schema named after the directory (or `schema`, for servers that were
 * given a store of their own).
 */
export async function readStoreOf<T = Record<string, unknown>>(dataDir: string, sql: string, schema?: string): Promise<T[]> {
  if (TEST_POSTGRES !== undefined) {
    const { PostgresStore } = await import('../../src/store/postgres/postgres-store.js');
    const store = await PostgresStore.open({ url: postgresStoreFor(schema ?? schemaOfDataDir(dataDir)), readConnections: 1 });
    try {
      return await store.all<T>(sql);
    } finally {
      await store.close();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dataDir, 'stratus.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
