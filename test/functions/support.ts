/**
 * Helpers for execution-environment tests: function code written into temp folders, a spec for
 * it, and an ExecutionEnvironments whose logs are kept for assertions.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/server/log.js';
import type { Runtime } from '../../src/server/runtime.js';
import { ExecutionEnvironments, type FunctionSpec, type InvokeOutcome, type LogEvent } from '../../src/functions/engine/index.js';

const dirs: string[] = [];

/** Writes `files` (path → content; a leading `!` marks an executable) into a new temp folder. */
export function codeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-fn-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const executable = name.startsWith('!');
    const path = join(dir, executable ? name.slice(1) : name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (executable) chmodSync(path, 0o755);
  }
  return dir;
}

export function removeCodeDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function spec(dir: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const name = overrides.functionName ?? `fn-${randomUUID().slice(0, 8)}`;
  return {
    functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    functionName: name,
    version: '$LATEST',
    accountId: '123456789012',
    region: 'us-east-1',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir: dir,
    layerDirs: [],
    environment: {},
    memorySize: 128,
    timeout: 3,
    codeHash: 'hash-1',
    ...overrides,
  };
}

export interface Harness {
  environments: ExecutionEnvironments;
  /** Every log event delivered, per stream name. */
  logs: Map<string, LogEvent[]>;
  invoke(s: FunctionSpec, event?: unknown, options?: { requestId?: string; concurrency?: number; traceId?: string }): Promise<InvokeOutcome>;
  stop(): Promise<void>;
}

export const ENDPOINT = 'http://127.0.0.1:4599';

export function harness(options: { idleMs?: number; clock?: Clock } = {}): Harness {
  const logs = new Map<string, LogEvent[]>();
  const runtime = { clock: options.clock ?? systemClock, log: silentLogger } as unknown as Runtime;
  const environments = new ExecutionEnvironments({
    runtime,
    endpointUrl: () => ENDPOINT,
    idleMs: options.idleMs,
    onLogs: (_spec, stream, events) => {
      const list = logs.get(stream) ?? [];
      list.push(...events);
      logs.set(stream, list);
    },
  });
  return {
    environments,
    logs,
    invoke: (s, event = {}, o = {}) =>
      environments.invoke(s, Buffer.from(JSON.stringify(event)), { requestId: o.requestId ?? randomUUID(), traceId: o.traceId }, { concurrency: o.concurrency ?? 10 }),
    stop: () => environments.stop(),
  };
}

export function json(outcome: InvokeOutcome): any {
  return JSON.parse(outcome.payload.toString('utf8'));
}

export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
