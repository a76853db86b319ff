/**
 * Real `stratus start` processes (the built CLI, dist/cli/main.js) on a PostgreSQL store, for the
 * cluster benchmark's failover: they must be processes of their own, since the measurement kills
 * one with SIGKILL. Every node started here is killed when the runner exits, however the
 * benchmark ended.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pin } from './children.js';

export interface ClusterNode {
  url: string;
  pid: number;
  dataDir: string;
  /** Everything it wrote to stderr (its log) so far. */
  log(): string;
  /** SIGKILL, now; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookSet = false;

/** The built CLI of the project at `root`. */
export function cliOf(root: string): string {
  return join(root, 'dist', 'cli', 'main.js');
}

/** `stratus start --help`, to see which options this build has. */
export function startHelp(root: string): string {
  return execFileSync(process.execPath, [cliOf(root), 'start', '--help'], { encoding: 'utf8' });
}

export async function startNode(root: string, options: { store: string; dataDir: string; args?: string[]; core?: number }): Promise<ClusterNode> {
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  // info: the log line a node writes when it takes over says how long its preparation took.
  const args = [cliOf(root), 'start', '--port', '0', '--store', options.store, '--data-dir', options.dataDir, '--log-level', 'info', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stratus start did not listen within 30 s:\n${stdout}${stderr}`));
    }, 30_000);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(m[1]);
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`stratus start exited before it listened:\n${stdout}${stderr}`));
    });
  });
  if (options.core !== undefined) pin(child.pid as number, options.core);
  return {
    url,
    pid: child.pid as number,
    dataDir: options.dataDir,
    log: () => stderr,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface NodeHealth {
  status: string;
  node: string;
  role?: 'leader' | 'follower' | 'starting';
  leader?: string | null;
  nodes: string[];
}

export async function health(node: { url: string }): Promise<NodeHealth | undefined> {
  try {
    const answer = await fetch(`${node.url}/_stratus/health`);
    return (await answer.json()) as NodeHealth;
  } catch {
    return undefined;
  }
}

/** Polls `probe` every `everyMs` until it gives a value; throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, everyMs = 20, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
