import type { TimerHandle } from '../../core/clock.js';
import type { Runtime } from '../../server/runtime.js';
import { ExecutionEnvironment, UNDELIVERED } from './environment.js';
import { RuntimeApiServer } from './runtime-api.js';
import { runtimeFamily } from './runtimes.js';
import {
  TooManyRequestsError,
  type FunctionSpec,
  type InvokeLimits,
  type InvokeOutcome,
  type InvokeRequestContext,
  type LogSink,
} from './types.js';

/** How long an idle environment is kept warm before it is shut down. */
export const DEFAULT_IDLE_MS = 5 * 60_000;

export interface ExecutionEnvironmentsOptions {
  runtime: Runtime;
  /** Where the SDKs inside functions should send their calls (AWS_ENDPOINT_URL), read at each cold start. */
  endpointUrl: () => string;
  /** Idle time before an environment is shut down (default 5 minutes). Timed with `runtime.clock`. */
  idleMs?: number;
  onLogs?: LogSink;
}

/** The warm environments of one (function, version, code hash). */
interface Pool {
  key: string;
  /** The unqualified function ARN the pool counts against. */
  functionKey: string;
  version: string;
  idle: ExecutionEnvironment[];
  all: Set<ExecutionEnvironment>;
  /** Environments being started for this pool (not in `all` yet). */
  starting: Set<Promise<ExecutionEnvironment>>;
  idleTimers: Map<ExecutionEnvironment, TimerHandle>;
}

/**
 * Execution environments for every function: starts them on demand, reuses warm ones, bounds
 * concurrency, reaps idle ones and retires them when code or configuration changes.
 */
export class ExecutionEnvironments {
  private readonly api = new RuntimeApiServer();
  private readonly pools = new Map<string, Pool>();
  /** Environments busy or starting, per unqualified function ARN (the concurrency AWS counts). */
  private readonly inFlight = new Map<string, number>();
  /** Every live environment, pooled or retiring. */
  private readonly envs = new Set<ExecutionEnvironment>();
  private readonly idleMs: number;
  private stopped = false;

  constructor(private readonly options: ExecutionEnvironmentsOptions) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  async invoke(spec: FunctionSpec, payload: Buffer, context: InvokeRequestContext, limits: InvokeLimits): Promise<InvokeOutcome> {
    if (this.stopped) throw new Error('The execution environments are stopped.');
    runtimeFamily(spec.runtime); // throws UnsupportedRuntimeError before anything starts
    const pool = this.poolFor(spec);
    for (;;) {
      const outcome = await this.invokeOnce(pool, spec, payload, context, limits);
      if (outcome !== UNDELIVERED) return outcome;
    }
  }

  private async invokeOnce(
    pool: Pool,
    spec: FunctionSpec,
    payload: Buffer,
    context: InvokeRequestContext,
    limits: InvokeLimits,
  ): Promise<InvokeOutcome | typeof UNDELIVERED> {
    const functionKey = pool.functionKey;
    let env = this.takeIdle(pool);
    // No warm environment: a cold start, if the function may run one more at once.
    if (!env && (this.inFlight.get(functionKey) ?? 0) >= limits.concurrency) {
      throw new TooManyRequestsError(limits.reason ?? 'ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    this.inFlight.set(functionKey, (this.inFlight.get(functionKey) ?? 0) + 1);
    try {
      if (!env) {
        const starting = ExecutionEnvironment.start({
          spec,
          api: this.api,
          endpointUrl: this.options.endpointUrl(),
          log: this.options.runtime.log,
          onLogs: (streamName, events) => this.options.onLogs?.(spec, streamName, events),
          onExit: (gone) => this.forget(pool, gone),
        });
        pool.starting.add(starting);
        try {
          env = await starting;
        } finally {
          pool.starting.delete(starting);
        }
        if (this.stopped) {
          await env.stop();
          throw new Error('The execution environments are stopped.');
        }
        pool.all.add(env);
        if (env.alive) this.envs.add(env);
      }
      env.busy = true;
      const outcome = await env.invoke(payload, context);
      env.busy = false;
      this.release(pool, env);
      return outcome;
    } finally {
      const n = (this.inFlight.get(functionKey) ?? 1) - 1;
      if (n > 0) this.inFlight.set(functionKey, n);
      else this.inFlight.delete(functionKey);
    }
  }

  /**
   * The function (or one `version` of it) was deleted, or its code or configuration changed: its
   * environments retire, idle ones now, busy ones (and ones starting) as soon as their invocation
   * has answered (AWS documents nothing about invocations in flight during a delete; they are let
   * finish). Settles once every one of them is gone.
   */
  async flush(functionArn: string, version?: string): Promise<void> {
    const functionKey = unqualified(functionArn);
    const stopping: Promise<void>[] = [];
    for (const pool of [...this.pools.values()]) {
      if (pool.functionKey === functionKey && (version === undefined || pool.version === version)) stopping.push(this.retirePool(pool));
    }
    await Promise.all(stopping);
  }

  private async retirePool(pool: Pool): Promise<void> {
    this.pools.delete(pool.key);
    const ending = pool.idle.map((env) => this.stopIdle(pool, env));
    pool.idle = [];
    for (const env of pool.all) {
      if (!env.busy) continue;
      env.retire();
      ending.push(env.ended);
    }
    // One starting now runs its invocation, and then retires: its pool is no longer the current one.
    for (const starting of pool.starting) ending.push(starting.then((env) => env.ended, () => undefined));
    await Promise.all(ending);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const stopping: Promise<void>[] = [];
    for (const pool of this.pools.values()) {
      for (const timer of pool.idleTimers.values()) timer.cancel();
      pool.idleTimers.clear();
    }
    for (const env of this.envs) stopping.push(env.stop());
    this.pools.clear();
    await Promise.all(stopping);
    this.api.close();
  }

  stats(): { environments: number; busy: number } {
    let environments = 0;
    let busy = 0;
    for (const env of this.envs) {
      if (!env.alive) continue;
      environments++;
      if (env.busy) busy++;
    }
    return { environments, busy };
  }

  private poolFor(spec: FunctionSpec): Pool {
    const key = `${spec.functionArn}\u0000${spec.version}\u0000${spec.codeHash}`;
    let pool = this.pools.get(key);
    if (!pool) {
      // A new code hash for a version that already has environments: its code or configuration
      // changed, and the environments of the old one are not used again.
      for (const other of [...this.pools.values()]) {
        if (other.functionKey === unqualified(spec.functionArn) && other.version === spec.version && other.key !== key) void this.retirePool(other);
      }
      pool = { key, functionKey: unqualified(spec.functionArn), version: spec.version, idle: [], all: new Set(), starting: new Set(), idleTimers: new Map() };
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The most recently used idle environment (the warmest; the others age out). */
  private takeIdle(pool: Pool): ExecutionEnvironment | undefined {
    for (;;) {
      const env = pool.idle.pop();
      if (!env) return undefined;
      pool.idleTimers.get(env)?.cancel();
      pool.idleTimers.delete(env);
      if (env.alive) return env;
    }
  }

  private release(pool: Pool, env: ExecutionEnvironment): void {
    if (!env.alive || this.stopped || this.pools.get(pool.key) !== pool) {
      // Dead (timeout, crash, init error), or its code was replaced meanwhile.
      if (env.alive) env.retire();
      else this.forget(pool, env);
      return;
    }
    pool.idle.push(env);
    const timer = this.options.runtime.clock.setTimer(() => {
      pool.idleTimers.delete(env);
      const at = pool.idle.indexOf(env);
      if (at < 0) return;
      pool.idle.splice(at, 1);
      void this.stopIdle(pool, env);
    }, this.idleMs);
    pool.idleTimers.set(env, timer);
  }

  private stopIdle(pool: Pool, env: ExecutionEnvironment): Promise<void> {
    pool.idleTimers.get(env)?.cancel();
    pool.idleTimers.delete(env);
    return env.stop();
  }

  private forget(pool: Pool, env: ExecutionEnvironment): void {
    this.envs.delete(env);
    pool.all.delete(env);
    const at = pool.idle.indexOf(env);
    if (at >= 0) pool.idle.splice(at, 1);
    pool.idleTimers.get(env)?.cancel();
    pool.idleTimers.delete(env);
  }
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` → without the qualifier. */
export function unqualified(functionArn: string): string {
  const parts = functionArn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : functionArn;
}
