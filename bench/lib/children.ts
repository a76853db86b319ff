/**
 * Child processes of a benchmark: servers under test and the load driver each run in their own
 * process, optionally pinned to one core each with taskset(1) so that neither steals the other's
 * CPU (a 2-core machine has exactly one core for each).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec, ServerSpec } from './protocol.js';

const SERVER_ENTRY = fileURLToPath(new URL('./server.js', import.meta.url));
const DRIVER_ENTRY = fileURLToPath(new URL('./driver.js', import.meta.url));

let tasksetAvailable: boolean | undefined;

/** Pins every thread of `pid` to `core`; false when that is not possible here. */
export function pin(pid: number, core: number): boolean {
  tasksetAvailable ??= existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  if (!tasksetAvailable) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (a benchmark's driver) to one core, or back to every core when `core` is undefined. */
export function pinSelf(core: number | undefined): void {
  if (core !== undefined) {
    pin(process.pid, core);
    return;
  }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  } catch {
    // no taskset: nothing was pinned
  }
}

export interface CpuSample {
  /** CPU time, microseconds. */
  cpu: number;
  /** The child's monotonic clock, milliseconds. */
  at: number;
}

export interface ServerChild {
  kind: ServerSpec['kind'];
  pid: number;
  url: string;
  host: string;
  port: number;
  cpu(): Promise<CpuSample>;
  /** Asks the child to shut down and waits for it to exit (and write its CPU profile, if any). */
  stop(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startServer(spec: ServerSpec, options: { execArgv?: string[]; core?: number } = {}): Promise<ServerChild> {
  return startServerProcess(SERVER_ENTRY, spec, options, () => ({}));
}

/** What every server child says: ready (or failed) once, then a CPU reading per request. */
type ServerMessage =
  | { type: 'ready'; url: string; port: number }
  | { type: 'failed'; error: string }
  | { type: 'cpu'; user: number; system: number; at: number };

/**
 * Forks a server entry, sends it `spec`, waits for it to listen, and pins it to `core`.
 * `extra` lifts whatever else a child reports with its CPU readings (the SQS server's store stats).
 */
export async function startServerProcess<Kind extends string, Extra extends object, Message extends ServerMessage | { type: string }>(
  entry: string,
  spec: { kind: Kind },
  options: { execArgv?: string[]; core?: number },
  extra: (message: Extract<Message, { type: 'cpu' }>) => Extra,
): Promise<{ kind: Kind; pid: number; url: string; host: string; port: number; cpu(): Promise<CpuSample & Extra>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(entry, [], { execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'failed') reject(new Error(`${spec.kind} server failed to start: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`${spec.kind} server exited (${code}) before it was ready`)));
    child.once('error', (error) => reject(new Error(`${spec.kind} server: ${describe(error)}`)));
    child.send({ type: 'start', spec });
  });
  if (options.core !== undefined) pin(child.pid as number, options.core);
  const url = new URL(ready.url);
  return {
    kind: spec.kind,
    pid: child.pid as number,
    url: ready.url,
    host: url.hostname,
    port: ready.port,
    cpu: () =>
      new Promise((resolve, reject) => {
        const onMessage = (message: ServerMessage): void => {
          if (message.type !== 'cpu') return;
          child.off('message', onMessage);
          resolve({ cpu: message.user + message.system, at: message.at, ...extra(message as Extract<Message, { type: 'cpu' }>) });
        };
        child.on('message', onMessage);
        if (!child.connected) reject(new Error(`${spec.kind} server is gone`));
        else child.send({ type: 'cpu' });
      }),
    stop: async () => {
      if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface LoadHooks {
  /** Called when the driver starts counting (after its warm-up) and when it stops. */
  onMeasuring?(): void;
  onMeasured?(): void;
}

/** Runs the load driver in its own process against one server. */
export function runLoad(spec: LoadSpec, options: { core?: number } & LoadHooks = {}): Promise<LoadResult> {
  return runDriverProcess<LoadSpec, LoadResult>(DRIVER_ENTRY, 'load driver', spec, options);
}

/** What every driver child says back: phase changes, then one result or a failure. */
export type DriverMessage<Result> =
  | { type: 'measuring' }
  | { type: 'measured' }
  | { type: 'result'; result: Result }
  | { type: 'failed'; error: string };

/** Forks a driver entry (pinned to `core`), sends it `spec`, and resolves with its result. */
export function runDriverProcess<Spec, Result>(entry: string, label: string, spec: Spec, options: { core?: number } & LoadHooks = {}): Promise<Result> {
  const child = fork(entry, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (options.core !== undefined) pin(child.pid as number, options.core);
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: DriverMessage<Result>) => {
      switch (message.type) {
        case 'measuring':
          options.onMeasuring?.();
          break;
        case 'measured':
          options.onMeasured?.();
          break;
        case 'result':
          settled = true;
          resolve(message.result);
          break;
        case 'failed':
          settled = true;
          reject(new Error(`${label} failed: ${message.error}`));
          break;
      }
    });
    child.once('error', (error) => reject(new Error(`${label}: ${describe(error)}`)));
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`${label} exited (${code}) without a result`));
    });
    child.send(spec as object);
  });
}

export function cpuShare(from: CpuSample, to: CpuSample): number {
  const wallMs = to.at - from.at;
  return wallMs > 0 ? (to.cpu - from.cpu) / 1000 / wallMs : 0;
}
