import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Logger } from '../../server/log.js';
import type { Reader } from '../../store/store.js';
import { createExecution, step, type HistoryKept, type StepOptions } from '../asl/interpreter.js';
import type { HistoryEvent } from '../asl/history.js';
import type { StateMachineDefinition } from '../asl/model.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, ExecutionStart } from '../asl/snapshot.js';
import { envWithActivities } from './activity-lookup.js';
import { outcomeInput, readItems, runTask, terminalError } from './task-dispatch.js';
import type { TaskOutcome, TaskRunner } from './task-port.js';

export interface ExpressResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: string;
  error?: string;
  cause?: string;
  stopDate: number;
}

export interface ExpressStart extends ExecutionStart {
  account: string;
  region: string;
  roleArn: string;
}

export interface ExpressEngineDeps {
  clock: Clock;
  log: Logger;
  timeScale: number;
  runner(): TaskRunner | undefined;
  /** The store activities are looked up in (activity-lookup.ts); absent in tests of the engine alone. */
  store?: Reader;
  /** An execution ended: told synchronously, as it leaves the running set (no moment where it is neither running nor ended). */
  ended?(executionArn: string, result: ExpressResult): void;
}

/** The step options of each history kept, made once. */
const STEP_OPTIONS: Record<HistoryKept, StepOptions> = { full: { history: 'full' }, withoutData: { history: 'withoutData' }, end: { history: 'end' } };

/** One Express execution running in memory. */
interface Run {
  start: ExpressStart;
  def: StateMachineDefinition;
  snapshot: ExecutionSnapshot;
  timers: Map<string, TimerHandle>;
  /** Inputs are applied one at a time, in arrival order. */
  queue: ExecutionInput[];
  busy: boolean;
  ended: { error?: string; cause?: string };
  onEvents?: (events: HistoryEvent[]) => void;
  /** The history the steps build: only what onEvents reads (nothing but the end when there is none). */
  steps: StepOptions;
  resolve(result: ExpressResult): void;
}

/**
 * Express executions (Developer Guide, "Standard vs Express workflows"): at-most-once, kept in
 * memory only and at full speed, no history API — AWS keeps no execution history for them; what
 * they did goes to CloudWatch Logs if the machine's logging says so (the `onEvents` hook).
 * Timers are in-memory timers: an Express execution lasts at most five minutes and is not durable
 * on AWS either (a crash ends it, as a host failure does there).
 */
export class ExpressEngine {
  private readonly running = new Map<string, Run>();
  private readonly env: ExecutionEnv;

  constructor(private readonly deps: ExpressEngineDeps) {
    this.env = envWithActivities({ now: () => deps.clock.now(), newId: () => randomUUID(), random: Math.random }, () => deps.store);
  }

  get size(): number {
    return this.running.size;
  }

  /**
   * Starts an execution; resolves once it has ended. `onEvents` hears its history events, as much
   * of them as `history` says it reads (default: all of them; without `onEvents`, only the end).
   */
  run(def: StateMachineDefinition, start: ExpressStart, onEvents?: (events: HistoryEvent[]) => void, history: HistoryKept = onEvents ? 'full' : 'end'): Promise<ExpressResult> {
    return new Promise<ExpressResult>((resolve) => {
      const snapshot = createExecution(def, start);
      const run: Run = { start, def, snapshot, timers: new Map(), queue: [{ type: 'start' }], busy: false, ended: {}, onEvents, steps: STEP_OPTIONS[history], resolve };
      this.running.set(start.executionArn, run);
      void this.drain(run);
    });
  }

  isRunning(executionArn: string): boolean {
    return this.running.has(executionArn);
  }

  /** Whether a running execution waits for a task effect. */
  isTaskOutstanding(executionArn: string, effectId: string): boolean {
    const run = this.running.get(executionArn);
    return run !== undefined && run.snapshot.status === 'RUNNING' && run.snapshot.waits[effectId]?.purpose === 'task';
  }

  /** Feeds an input from outside (a task token answered). False when the execution is not running here. */
  feed(executionArn: string, input: ExecutionInput): boolean {
    const run = this.running.get(executionArn);
    if (run === undefined) return false;
    run.queue.push(input);
    void this.drain(run);
    return true;
  }

  private async drain(run: Run): Promise<void> {
    if (run.busy) return;
    run.busy = true;
    try {
      while (run.queue.length > 0 && run.snapshot.status === 'RUNNING') {
        const input = run.queue.shift()!;
        const result = await step(run.def, run.snapshot, input, this.env, run.steps);
        if (result.events.length > 0) run.onEvents?.(result.events);
        if (run.snapshot.status !== 'RUNNING') run.ended = terminalError(result.events);
        this.perform(run, result.effects);
      }
    } catch (error) {
      // The interpreter does not throw on a machine's own errors; this is a bug: end the execution visibly.
      this.deps.log.error('an Express execution failed inside Stratus', { executionArn: run.start.executionArn, error: String((error as Error)?.stack ?? error) });
      run.snapshot.status = 'FAILED';
      run.snapshot.error = 'States.Runtime';
      run.snapshot.cause = `Stratus could not run the execution: ${(error as Error)?.message ?? String(error)}`;
    } finally {
      run.busy = false;
    }
    if (run.snapshot.status !== 'RUNNING') this.finish(run);
  }

  private perform(run: Run, effects: Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === 'timer') {
        const delay = Math.max(0, effect.dueAt - this.deps.clock.now()) * this.deps.timeScale;
        run.timers.set(
          effect.id,
          this.deps.clock.setTimer(() => {
            run.timers.delete(effect.id);
            run.queue.push({ type: 'timerFired', effectId: effect.id });
            void this.drain(run);
          }, delay),
        );
      } else if (effect.kind === 'mapRun' || effect.kind === 'childExecution') {
        // Map runs of an Express execution and their child workflow executions are not described
        // (no execution record to hang them on).
      } else if (effect.kind === 'cancel') {
        run.timers.get(effect.id)?.cancel();
        run.timers.delete(effect.id);
      } else {
        const call = {
          executionArn: run.start.executionArn,
          account: run.start.account,
          region: run.start.region,
          stateMachineArn: run.start.stateMachineArn,
          roleArn: run.start.roleArn,
          express: true,
        };
        if (effect.kind === 'readItems') {
          void readItems(this.deps.runner(), { ...call, effect }).then(
            (input) => this.feed(run.start.executionArn, input),
            (error: unknown) =>
              this.feed(run.start.executionArn, { type: 'itemsReadFailed', effectId: effect.id, error: 'States.ItemReaderFailed', cause: (error as Error)?.message ?? String(error) }),
          );
          continue;
        }
        void runTask(this.deps.runner(), { ...call, effect }).then(
          // Pending: the answer comes later through feed (an activity worker).
          (outcome: TaskOutcome) => outcome.type !== 'pending' && this.feed(run.start.executionArn, outcomeInput(effect.id, outcome)),
          // Express is at-most-once: a runner that throws fails the task rather than running it again.
          (error: unknown) =>
            this.feed(run.start.executionArn, { type: 'taskFailed', effectId: effect.id, error: 'States.TaskFailed', cause: (error as Error)?.message ?? String(error) }),
        );
      }
    }
  }

  private finish(run: Run): void {
    if (!this.running.delete(run.start.executionArn)) return;
    for (const timer of run.timers.values()) timer.cancel();
    run.timers.clear();
    const s = run.snapshot;
    const result: ExpressResult = {
      status: s.status as ExpressResult['status'],
      ...(s.status === 'SUCCEEDED' && { output: s.outputText ?? JSON.stringify(s.output ?? null) }),
      ...((run.ended.error ?? s.error) !== undefined && { error: run.ended.error ?? s.error }),
      ...((run.ended.cause ?? s.cause) !== undefined && { cause: run.ended.cause ?? s.cause }),
      stopDate: s.stopTime ?? this.deps.clock.now(),
    };
    try {
      this.deps.ended?.(run.start.executionArn, result);
    } finally {
      run.resolve(result);
    }
  }
}
