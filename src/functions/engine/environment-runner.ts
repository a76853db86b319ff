import { createHash } from 'node:crypto';
import type { Runtime } from '../../server/runtime.js';
import type { FunctionRunner, RunLimits } from '../api/runner.js';
import { clientContextHeader } from '../model/client-context.js';
import { lambdaErrors } from '../model/errors.js';
import { ExecutionEnvironments } from './environment-pool.js';
import type { FunctionSpec, InvokeOutcome, InvokeRequestContext, LogEvent } from './types.js';
import { TooManyRequestsError, UnsupportedRuntimeError } from './types.js';

/** How Invoke reaches the execution environments: limits, logs and errors as Lambda gives them. */
export interface EnvironmentRunnerOptions {
  /**
   * Concurrency left to a function without reserved concurrency: the account's limit minus
   * what other functions reserve (Developer Guide, "Lambda function scaling").
   */
  unreservedConcurrency(accountId: string, region: string): number;
  idleMs?: number;
}

/**
 * Function logs are written in batches, at most this long after they were produced: one store
 * write carries the logs of many invocations instead of one write each (the log write was the
 * largest part of a warm invoke's server time). CloudWatch Logs on AWS shows function output
 * seconds later, so a tenth of a second is well inside what callers expect.
 */
const LOG_FLUSH_MS = 100;

export class EnvironmentRunner implements FunctionRunner {
  readonly environments: ExecutionEnvironments;
  private readonly pendingLogs = new Map<string, { spec: FunctionSpec; streamName: string; events: LogEvent[] }>();
  private logTimer: NodeJS.Timeout | null = null;
  private readonly logWrites = new Set<Promise<unknown>>();
  /** Invocations running now per account and region without reserved concurrency (the shared pool). */
  private readonly unreservedInFlight = new Map<string, number>();

  constructor(
    private readonly runtime: Runtime,
    private readonly options: EnvironmentRunnerOptions,
  ) {
    this.environments = new ExecutionEnvironments({
      runtime,
      endpointUrl: () => runtime.endpoint(),
      idleMs: options.idleMs,
      onLogs: (spec, streamName, events) => this.writeLogs(spec, streamName, events),
    });
  }

  async invoke(spec: FunctionSpec, payload: Buffer, context: InvokeRequestContext, limits: RunLimits): Promise<InvokeOutcome> {
    const reserved = limits.reservedConcurrency;
    const engineLimits =
      reserved !== undefined
        ? { concurrency: reserved, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
        : { concurrency: this.options.unreservedConcurrency(spec.accountId, spec.region), reason: 'ConcurrentInvocationLimitExceeded' };
    // Environments are keyed by this hash: a new configuration (memory, timeout, variables,
    // handler) gets fresh environments, as an UpdateFunctionConfiguration does on AWS.
    const { codeHash, ...settings } = spec;
    const keyed = { ...spec, codeHash: createHash('sha256').update(codeHash).update(JSON.stringify(settings)).digest('hex') };
    // The runtime gets the client context decoded: the Runtime API's Lambda-Runtime-Client-Context
    // header carries the JSON the caller sent base64-encoded in X-Amz-Client-Context (checked
    // again here, so no caller can hand the Runtime API a header it cannot write).
    const clientContext = context.clientContext ? clientContextHeader(context.clientContext) : undefined;
    // Functions without reserved concurrency share what the account's reservations leave, all of
    // them together: the engine counts per function, so the account's pool is counted here.
    const pool = reserved === undefined ? `${spec.accountId}/${spec.region}` : undefined;
    if (pool !== undefined) {
      const running = this.unreservedInFlight.get(pool) ?? 0;
      if (running >= engineLimits.concurrency) throw lambdaErrors.tooManyRequests('Rate Exceeded.', 'ConcurrentInvocationLimitExceeded');
      this.unreservedInFlight.set(pool, running + 1);
    }
    try {
      return await this.environments.invoke(keyed, payload, { ...context, clientContext }, engineLimits);
    } catch (error) {
      if (error instanceof TooManyRequestsError) throw lambdaErrors.tooManyRequests(error.message, error.reason);
      if (error instanceof UnsupportedRuntimeError) throw lambdaErrors.service(`The runtime ${error.runtime} cannot run in this Stratus: ${error.message}`);
      throw error;
    } finally {
      if (pool !== undefined) {
        const left = (this.unreservedInFlight.get(pool) ?? 1) - 1;
        if (left > 0) this.unreservedInFlight.set(pool, left);
        else this.unreservedInFlight.delete(pool);
      }
    }
  }

  /** A function (or one version) was deleted, or changed: its environments retire. */
  retire(functionArn: string, version?: string): Promise<void> {
    return this.environments.flush(functionArn, version);
  }

  async stop(): Promise<void> {
    await this.environments.stop();
    this.flushLogs();
    await Promise.allSettled([...this.logWrites]);
  }

  /**
   * Function logs go to `/aws/lambda/<name>` in the function's account and region, through the
   * logs service's invoker (DESIGN rule 1), which creates the group on first use as Lambda does.
   * A log write that fails is reported, not retried: the invocation's answer does not depend on it.
   */
  private writeLogs(spec: FunctionSpec, streamName: string, events: LogEvent[]): void {
    if (events.length === 0) return;
    const key = `${spec.accountId}/${spec.region}/${spec.functionName}\n${streamName}`;
    const pending = this.pendingLogs.get(key);
    if (pending) pending.events.push(...events);
    else this.pendingLogs.set(key, { spec, streamName, events: [...events] });
    if (!this.logTimer) {
      this.logTimer = setTimeout(() => this.flushLogs(), LOG_FLUSH_MS);
      this.logTimer.unref();
    }
  }

  private flushLogs(): void {
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = null;
    for (const { spec, streamName, events } of this.pendingLogs.values()) {
      const arn = `arn:aws:logs:${spec.region}:${spec.accountId}:log-group:/aws/lambda/${spec.functionName}`;
      const write = this.runtime.invokers
        .invoke({ arn, payload: null, source: { service: 'lambda', arn: spec.functionArn }, parameters: { logStreamName: streamName, logEvents: events, createLogGroup: true } })
        .catch((error: unknown) => this.runtime.log.warn('lambda: could not write function logs', { function: spec.functionArn, error: String(error) }));
      this.logWrites.add(write);
      void write.finally(() => this.logWrites.delete(write));
    }
    this.pendingLogs.clear();
  }
}
