import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../server/log.js';
import {
  billedDuration,
  endLine,
  initReportLine,
  LineSplitter,
  logStreamName,
  logTail,
  reportLine,
  startLine,
  type ReportFields,
} from './logs.js';
import { MAX_RESPONSE_BYTES, type NextInvocation, type RuntimeApiClient, type RuntimeApiListener, type RuntimeApiReply, type RuntimeApiServer } from './runtime-api.js';
import { buildEnvironment, launchFor, LaunchError, runtimeFamily, substitutionNotice } from './runtimes.js';
import type { FunctionSpec, InvokeOutcome, InvokeRequestContext, LogEvent } from './types.js';

/**
 * One execution environment: a child process running a runtime that pulls invocations from its
 * own Runtime API port, one at a time (Lambda Developer Guide, "Lambda execution environment
 * lifecycle": Init once, then Invoke repeatedly, Shutdown when Lambda retires it).
 *
 * Failures, as AWS reports them to the caller (FunctionError `Unhandled` in every case):
 * - the handler failed: the runtime's own error document (`{errorType, errorMessage, trace}` from
 *   Node, `{errorMessage, errorType, requestId, stackTrace}` from Python);
 * - init failed (`/init/error`): that error document (Runtime.ImportModuleError, …); the
 *   environment is discarded and the next invoke initializes a new one;
 * - timeout: the process is killed and the answer is
 *   `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}`
 *   (recorded AWS payload in seek-oss/aws-codedeploy-hooks' changelog; same shape in the
 *   localstack/lambda-runtime-init timeout handling), logged as `<ISO time> <id> Task timed out after 3.00 seconds`;
 * - the runtime exited mid-invocation: `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited with error: exit status 1"}`
 *   (recorded in floci-io/floci#3314, theam/aws-lambda-haskell-runtime#113); a signal reads
 *   `signal: killed`, a clean exit `Runtime exited without providing a reason`;
 * - a response over 6 MB: `Function.ResponseSizeTooLarge`.
 * After a timeout or a crash the environment is gone; the pool starts a fresh one on demand.
 *
 * The Init phase may take 10 s (lifecycle page, "Init phase"); AWS then retries init inside the
 * first invoke under the function's timeout, so a cold start here waits at most 10 s + Timeout.
 */

const INIT_LIMIT_MS = 10_000;

/** Runtimes whose substitution the server log has told already: once per runtime per process. */
const substitutionsLogged = new Set<string>();

/**
 * The environment ended before the invocation reached the runtime (a warm environment whose
 * runtime exited right after its previous answer): the code never saw it, so the pool runs it
 * elsewhere. AWS only hands an invocation to a runtime waiting on /next, so it never shows this.
 */
export const UNDELIVERED = Symbol('undelivered');

export interface EnvironmentOptions {
  spec: FunctionSpec;
  api: RuntimeApiServer;
  endpointUrl: string;
  log: Logger;
  /** Log events to store, in order. Called after each invocation and for output between invocations. */
  onLogs: (streamName: string, events: LogEvent[]) => void;
  /** The process is gone (crash, timeout, retirement). */
  onExit: (env: ExecutionEnvironment) => void;
}

interface Invocation {
  ctx: InvokeRequestContext;
  payload: Buffer;
  events: LogEvent[];
  resolve: (outcome: InvokeOutcome | typeof UNDELIVERED) => void;
  assignedAt?: number;
  delivered: boolean;
  timer?: NodeJS.Timeout;
  /** Samples the process's memory while the invocation runs (see watchMemory). */
  memoryWatch?: NodeJS.Timeout;
  coldStart: boolean;
  /** The runtime answered; the outcome waits for the output written before the answer. */
  answered?: { payload: Buffer; functionError?: 'Unhandled'; timer?: NodeJS.Timeout };
  /** End-of-output markers read so far (one per output stream). */
  fences: number;
}

/**
 * Output and answers travel on different channels (pipes vs. HTTP), so a line printed just before
 * the answer can arrive after it. Stratus's own bootstraps write this marker plus the request id
 * to stdout and stderr right before answering; the invocation ends once both markers are read
 * (or after FENCE_WAIT_MS). Other runtimes get one turn of the event loop.
 */
export const LOG_FENCE = '\u0000stratus:end:';
const FENCE_WAIT_MS = 250;

/** How often a running invocation's memory is sampled against MemorySize. */
const MEMORY_SAMPLE_MS = 50;

interface Failure {
  payload: Buffer;
  logLines?: string[];
  status?: ReportFields['status'];
}

export class ExecutionEnvironment implements RuntimeApiClient {
  readonly streamName: string;
  /** Set while an invocation runs; the pool does not hand out a busy environment. */
  busy = false;
  private listener: RuntimeApiListener | undefined;
  private child: ChildProcess | undefined;
  private readonly spawnedAt = performance.now();
  private initDurationMs: number | undefined;
  private initialized = false;
  private initTimer: NodeJS.Timeout | undefined;
  private pendingNext: { deliver: (i: NextInvocation) => void; aborted: () => boolean } | undefined;
  private current: Invocation | undefined;
  private dead = false;
  private retireWhenIdle = false;
  /** Why Stratus killed the process, so its exit is not reported as a crash. */
  private killedBy: 'timeout' | 'memory' | 'stratus' | undefined;
  private exitDescription: string | undefined;
  private stray: LogEvent[] = [];
  /** Lines for the top of the stream, before the first invocation's START (a runtime substitution notice). */
  private initLines: LogEvent[] = [];
  private strayTimer: NodeJS.Timeout | undefined;
  private lastMemoryMb = 0;
  private readonly closed: Promise<void>;
  private markClosed!: () => void;

  private constructor(private readonly options: EnvironmentOptions) {
    this.streamName = logStreamName(options.spec.version, Date.now());
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** Opens the environment's Runtime API port and starts the runtime process (Init begins). */
  static async start(options: EnvironmentOptions): Promise<ExecutionEnvironment> {
    const env = new ExecutionEnvironment(options);
    await env.spawn();
    return env;
  }

  get spec(): FunctionSpec {
    return this.options.spec;
  }

  get alive(): boolean {
    return !this.dead;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Settles once the process is gone (or never started). */
  get ended(): Promise<void> {
    return this.closed;
  }

  /**
   * Runs one invocation; never rejects (every failure is an outcome with `functionError`), but
   * resolves UNDELIVERED when a warm environment died before the runtime took the invocation.
   */
  invoke(payload: Buffer, ctx: InvokeRequestContext): Promise<InvokeOutcome | typeof UNDELIVERED> {
    return new Promise((resolve) => {
      const invocation: Invocation = { ctx, payload, events: this.initLines.splice(0), resolve, delivered: false, coldStart: !this.initialized, fences: 0 };
      if (this.dead) {
        if (invocation.coldStart) {
          this.current = invocation;
          this.fail(invocation, this.exitFailure(invocation));
        } else resolve(UNDELIVERED);
        return;
      }
      this.current = invocation;
      if (this.initialized) this.assign(invocation);
    });
  }

  /** Ends the environment when it is idle (now, if it is). */
  retire(): void {
    if (this.current) this.retireWhenIdle = true;
    else this.kill('stratus');
  }

  /** Kills the process now and waits for it to be gone. */
  async stop(): Promise<void> {
    this.kill('stratus');
    await this.closed;
  }

  // ---- Runtime API -------------------------------------------------------------------------

  next(deliver: (i: NextInvocation) => void, aborted: () => boolean): void {
    if (this.dead) return;
    this.pendingNext = { deliver, aborted };
    if (!this.initialized) {
      this.initialized = true;
      this.initDurationMs = performance.now() - this.spawnedAt;
      clearTimeout(this.initTimer);
      if (this.current) this.assign(this.current);
      return;
    }
    if (this.current?.assignedAt !== undefined && !this.current.delivered) this.deliver(this.current);
  }

  response(requestId: string, body: Buffer): RuntimeApiReply {
    const invocation = this.delivered(requestId);
    if (!invocation) return invalidRequestId(requestId);
    this.complete(invocation, { payload: body });
    return { status: 202 };
  }

  responseTooLarge(requestId: string, size: number): RuntimeApiReply {
    const invocation = this.delivered(requestId);
    if (!invocation) return invalidRequestId(requestId);
    const errorMessage = `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
    this.complete(invocation, { payload: errorDocument('Function.ResponseSizeTooLarge', errorMessage), functionError: 'Unhandled' });
    return { status: 413, errorType: 'Function.ResponseSizeTooLarge', errorMessage };
  }

  error(requestId: string, body: Buffer, errorType: string | undefined): RuntimeApiReply {
    const invocation = this.delivered(requestId);
    if (!invocation) return invalidRequestId(requestId);
    this.complete(invocation, { payload: normalizeError(body, errorType), functionError: 'Unhandled' });
    return { status: 202 };
  }

  initError(body: Buffer, errorType: string | undefined): RuntimeApiReply {
    if (this.initialized && this.current?.delivered) return { status: 403, errorType: 'InvalidStateTransition', errorMessage: 'Init already completed.' };
    const payload = normalizeError(body, errorType);
    const type = errorTypeOf(payload) ?? errorType ?? 'Runtime.Unknown';
    const initMs = performance.now() - this.spawnedAt;
    this.options.log.debug('function init failed', { function: this.spec.functionArn, errorType: type });
    const invocation = this.current;
    if (invocation && !this.initialized) {
      invocation.events.push(event(initReportLine(initMs, type)));
      this.fail(invocation, { payload, status: { status: 'error', errorType: type } });
    }
    this.kill('stratus');
    return { status: 202 };
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  private async spawn(): Promise<void> {
    const { spec } = this.options;
    let launch;
    try {
      launch = launchFor(spec);
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      this.dead = true;
      this.exitDescription = `${error.errorType}\u0000${error.message}`;
      this.markClosed();
      return;
    }
    if (launch.substitute) {
      // Said where the user looks (the function's log, as AWS's INIT_START names the runtime
      // version) and, once per runtime, to whoever runs the server.
      const notice = substitutionNotice(spec.runtime, launch.substitute);
      this.initLines.push(event(notice));
      if (!substitutionsLogged.has(spec.runtime)) {
        substitutionsLogged.add(spec.runtime);
        this.options.log.warn(notice, { runtime: spec.runtime });
      }
    }
    this.listener = await this.options.api.listen(this);
    const env = buildEnvironment({ spec, launch, runtimeApi: this.listener.address, logStreamName: this.streamName, endpointUrl: this.options.endpointUrl });
    const child = spawn(launch.command, launch.args, {
      cwd: spec.codeDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout also kills whatever the runtime started.
      detached: true,
    });
    this.child = child;
    const lines = new LineSplitter((message) => this.onOutput(message));
    const errLines = new LineSplitter((message) => this.onOutput(message));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => errLines.push(chunk));
    child.once('error', (error) => {
      // Not executable, missing interpreter: there will be no 'exit', only 'close'.
      this.exitDescription = `Runtime.InvalidEntrypoint\u0000${error.message}`;
    });
    child.once('exit', (code, signal) => {
      this.exitDescription ??= describeExit(code, signal);
      // Take the rest of the process group down too, which also closes the pipes it holds.
      this.killGroup();
    });
    child.once('close', () => {
      lines.flush();
      errLines.flush();
      this.onClosed();
    });
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_LIMIT_MS + spec.timeout * 1000);
    this.initTimer.unref();
  }

  private assign(invocation: Invocation): void {
    const { spec } = this.options;
    invocation.assignedAt = performance.now();
    invocation.timer = setTimeout(() => this.onTimeout(invocation), spec.timeout * 1000);
    invocation.timer.unref();
    invocation.memoryWatch = setInterval(() => this.watchMemory(invocation), MEMORY_SAMPLE_MS);
    invocation.memoryWatch.unref();
    if (this.pendingNext) this.deliver(invocation);
  }

  private deliver(invocation: Invocation): void {
    const pending = this.pendingNext;
    if (!pending || pending.aborted()) {
      this.pendingNext = undefined;
      return;
    }
    this.pendingNext = undefined;
    invocation.delivered = true;
    invocation.events.push(event(startLine(invocation.ctx.requestId, this.spec.version)));
    const { spec } = this.options;
    pending.deliver({
      requestId: invocation.ctx.requestId,
      deadlineMs: Math.round(Date.now() + Math.max(0, spec.timeout * 1000 - (performance.now() - invocation.assignedAt!))),
      invokedFunctionArn: invocation.ctx.invokedFunctionArn ?? spec.functionArn,
      traceId: invocation.ctx.traceId,
      clientContext: invocation.ctx.clientContext,
      cognitoIdentity: invocation.ctx.cognitoIdentity,
      payload: invocation.payload,
    });
  }

  private delivered(requestId: string): Invocation | undefined {
    const invocation = this.current;
    return invocation && invocation.delivered && !invocation.answered && invocation.ctx.requestId === requestId ? invocation : undefined;
  }

  private onTimeout(invocation: Invocation): void {
    if (this.current !== invocation) return;
    const { spec } = this.options;
    const seconds = spec.timeout.toFixed(2);
    const id = invocation.ctx.requestId;
    this.kill('timeout');
    this.fail(invocation, {
      payload: errorDocument('Sandbox.Timedout', `RequestId: ${id} Error: Task timed out after ${seconds} seconds`),
      logLines: [`${new Date().toISOString()} ${id} Task timed out after ${seconds} seconds`],
      status: { status: 'timeout' },
    });
  }

  /**
   * MemorySize bounds every runtime, not only Node's heap: while an invocation runs, the process's
   * resident memory is sampled, and past MemorySize the process is killed and the invocation fails
   * as AWS reports it, `Runtime.OutOfMemory` "Runtime exited with error: signal: killed"
   * (Developer Guide, "Troubleshoot invocation issues": out-of-memory ends the runtime).
   */
  private watchMemory(invocation: Invocation): void {
    if (this.current !== invocation || this.dead) return;
    const rssMb = this.residentMemoryMb();
    if (rssMb === undefined || rssMb <= this.spec.memorySize) return;
    this.lastMemoryMb = Math.max(this.lastMemoryMb, rssMb);
    const id = invocation.ctx.requestId;
    const message = `RequestId: ${id} Error: Runtime exited with error: signal: killed`;
    this.kill('memory');
    this.fail(invocation, {
      payload: errorDocument('Runtime.OutOfMemory', message),
      logLines: [`${message}\nRuntime.OutOfMemory`],
      status: { status: 'error', errorType: 'Runtime.OutOfMemory' },
    });
  }

  /** Current resident memory of the runtime process, MB (VmRSS; Linux), or undefined. */
  private residentMemoryMb(): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined) return undefined;
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      return match ? Math.ceil(Number(match[1]) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  private onInitTimeout(): void {
    if (this.initialized || this.dead) return;
    const invocation = this.current;
    this.kill('timeout');
    if (invocation) {
      const id = invocation.ctx.requestId;
      const seconds = this.spec.timeout.toFixed(2);
      invocation.events.push(event(initReportLine(performance.now() - this.spawnedAt, 'Runtime.Timeout')));
      this.fail(invocation, {
        payload: errorDocument('Sandbox.Timedout', `RequestId: ${id} Error: Task timed out after ${seconds} seconds`),
        logLines: [`${new Date().toISOString()} ${id} Task timed out after ${seconds} seconds`],
        status: { status: 'timeout' },
      });
    }
  }

  private onClosed(): void {
    this.dead = true;
    clearTimeout(this.initTimer);
    this.listener?.close();
    const invocation = this.current;
    if (invocation?.answered) this.finishAnswered(invocation);
    else if (invocation && !invocation.delivered && !invocation.coldStart) {
      this.current = undefined;
      clearTimeout(invocation.timer);
      invocation.resolve(UNDELIVERED);
    } else if (invocation && this.killedBy !== 'timeout' && this.killedBy !== 'memory') this.fail(invocation, this.exitFailure(invocation));
    this.flushStray();
    this.markClosed();
    this.options.onExit(this);
  }

  private exitFailure(invocation: Invocation): Failure {
    const [launchType, launchMessage] = (this.exitDescription ?? '').split('\u0000');
    const id = invocation.ctx.requestId;
    if (launchMessage !== undefined) {
      return { payload: errorDocument(launchType!, `RequestId: ${id} Error: ${launchMessage}`), status: { status: 'error', errorType: launchType! } };
    }
    const message = `RequestId: ${id} Error: ${this.exitDescription ?? 'Runtime exited without providing a reason'}`;
    return {
      payload: errorDocument('Runtime.ExitError', message),
      logLines: [`${message}\nRuntime.ExitError`],
      status: { status: 'error', errorType: 'Runtime.ExitError' },
    };
  }

  private kill(reason: 'timeout' | 'memory' | 'stratus'): void {
    this.killedBy ??= reason;
    // From now on the pool must not hand this environment out; 'close' finishes the bookkeeping.
    this.dead = true;
    clearTimeout(this.initTimer);
    if (!this.child) {
      this.listener?.close();
      return;
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.killGroup();
  }

  private killGroup(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        this.child!.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  // ---- outcomes ----------------------------------------------------------------------------

  private complete(invocation: Invocation, result: { payload: Buffer; functionError?: 'Unhandled' }): void {
    if (invocation.answered) return;
    clearTimeout(invocation.timer);
    const fenced = runtimeFamily(this.spec.runtime) !== 'provided';
    const answered: NonNullable<Invocation['answered']> = (invocation.answered = { ...result });
    const done = (): void => this.finishAnswered(invocation);
    if (!fenced) setImmediate(done);
    else if (invocation.fences >= 2) done();
    else {
      answered.timer = setTimeout(done, FENCE_WAIT_MS);
      answered.timer.unref();
    }
  }

  private finishAnswered(invocation: Invocation): void {
    const answered = invocation.answered;
    if (!answered) return;
    clearTimeout(answered.timer);
    this.finish(invocation, answered.payload, answered.functionError, [], undefined);
  }

  private fail(invocation: Invocation, failure: Failure): void {
    this.finish(invocation, failure.payload, 'Unhandled', failure.logLines ?? [], failure.status);
  }

  private finish(invocation: Invocation, payload: Buffer, functionError: 'Unhandled' | undefined, logLines: string[], status: ReportFields['status']): void {
    if (this.current !== invocation) return;
    this.current = undefined;
    clearTimeout(invocation.timer);
    clearInterval(invocation.memoryWatch);
    const { spec } = this.options;
    const durationMs = invocation.assignedAt === undefined ? 0 : performance.now() - invocation.assignedAt;
    const initDurationMs = invocation.coldStart ? (this.initDurationMs ?? performance.now() - this.spawnedAt) : undefined;
    const maxMemoryUsedMb = this.measureMemory();
    const billedDurationMs = billedDuration(durationMs, initDurationMs);
    const id = invocation.ctx.requestId;
    if (!invocation.delivered) invocation.events.push(event(startLine(id, spec.version)));
    for (const line of logLines) invocation.events.push(event(line));
    invocation.events.push(event(endLine(id)));
    invocation.events.push(
      event(reportLine({ requestId: id, durationMs, billedDurationMs, memorySizeMb: spec.memorySize, maxMemoryUsedMb, initDurationMs, status })),
    );
    this.flushStray();
    this.emitLogs(invocation.events);
    const outcome: InvokeOutcome = {
      payload,
      logTail: logTail(invocation.events),
      durationMs: round2(durationMs),
      billedDurationMs,
      maxMemoryUsedMb,
    };
    if (functionError) outcome.functionError = functionError;
    if (initDurationMs !== undefined) outcome.initDurationMs = round2(initDurationMs);
    if (this.retireWhenIdle) this.kill('stratus');
    invocation.resolve(outcome);
  }

  private onOutput(message: string): void {
    const at = message.indexOf(LOG_FENCE);
    if (at >= 0) {
      // A partial line written without a newline ends up in front of the marker.
      if (at > 0) this.onOutput(message.slice(0, at));
      message = message.slice(at);
      const invocation = this.current;
      if (invocation && message === LOG_FENCE + invocation.ctx.requestId && ++invocation.fences >= 2 && invocation.answered) {
        this.finishAnswered(invocation);
      }
      return;
    }
    const e = event(message);
    if (this.current) {
      this.current.events.push(e);
      return;
    }
    // Output between invocations (a timer that fires after the response): stored on its own.
    this.stray.push(e);
    if (!this.strayTimer) {
      this.strayTimer = setTimeout(() => this.flushStray(), 20);
      this.strayTimer.unref();
    }
  }

  private flushStray(): void {
    clearTimeout(this.strayTimer);
    this.strayTimer = undefined;
    if (this.stray.length === 0) return;
    const events = this.stray;
    this.stray = [];
    this.emitLogs(events);
  }

  private emitLogs(events: LogEvent[]): void {
    try {
      this.options.onLogs(this.streamName, events);
    } catch (error) {
      this.options.log.warn('function log sink failed', { function: this.spec.functionArn, error });
    }
  }

  /** Peak resident memory of the runtime process, MB (VmHWM; Linux). */
  private measureMemory(): number {
    const pid = this.child?.pid;
    if (pid !== undefined && !this.dead) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'latin1');
        const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
        if (match) this.lastMemoryMb = Math.max(this.lastMemoryMb, Math.ceil(Number(match[1]) / 1024));
      } catch {
        /* not Linux, or the process just went away */
      }
    }
    return this.lastMemoryMb;
  }
}

function event(message: string): LogEvent {
  return { timestamp: Date.now(), message };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function errorDocument(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}

/** The error document as the caller gets it: the runtime's JSON, or one built around its text. */
function normalizeError(body: Buffer, errorType: string | undefined): Buffer {
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return body;
  } catch {
    /* not JSON */
  }
  return errorDocument(errorType ?? 'Unhandled', text);
}

function errorTypeOf(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

function invalidRequestId(requestId: string): RuntimeApiReply {
  return { status: 400, errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId}` };
}

/** As AWS words a runtime's end (Go's exec error text): `exit status 1`, `signal: killed`. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string | undefined {
  if (signal) return `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal.replace(/^SIG/, '').toLowerCase()}`;
  if (code === 0 || code === null) return undefined;
  return `Runtime exited with error: exit status ${code}`;
}

const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
};
