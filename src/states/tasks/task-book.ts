import { randomBytes } from 'node:crypto';
import type { Json } from '../asl/json.js';
import type { TaskAnswer, TaskCall, TaskOutcome } from '../engine/task-port.js';
import type { TaskDeps } from './deps.js';
import { taskErrors } from './errors.js';
import { taskWaits, type TaskWait } from './task-waits.js';

/** What a `.sync` wait keeps to write the nested execution's end as DescribeExecution would. */
export interface SyncDetails {
  mode: 'sync' | 'sync:2';
  input: string;
  startDate: number;
  stateMachineArn: string;
}

/**
 * The book of tasks answered from outside an execution: `.waitForTaskToken` tokens, activity
 * tasks and `.sync` nested executions. Every wait is a row (task-waits.ts) written before the
 * task goes out, so an answer that arrives — even after a restart — finds its execution and
 * effect; in memory it keeps only what wakes waiters (activity pollers) and watches ends.
 *
 * Answers — to tokens, of activity workers, of nested executions — go to the engine through
 * ExecutionControl.taskOutcome (durable there). An activity task holds no task job while it waits
 * (runActivity answers `pending`): a thousand waiting activity tasks cost a thousand rows.
 */
export class TaskBook {
  /** Pollers (GetActivityTask) waiting per activity ARN. */
  private readonly pollers = new Map<string, Set<() => void>>();
  /** Executions whose end is watched (their open waits close then). */
  private readonly watched = new Map<string, () => void>();
  /** Nested executions watched for `.sync`. */
  private readonly children = new Map<string, () => void>();

  constructor(private readonly deps: TaskDeps) {}

  /** Watches again what the store says is outstanding (after a restart); needs the engine's control. */
  async resume(): Promise<void> {
    for (const arn of await taskWaits.openExecutions(this.deps.runtime.store)) this.watchExecution(arn);
    for (const wait of await taskWaits.openSync(this.deps.runtime.store)) this.watchChild(wait);
  }

  /** The service stops: watching ends and pollers answer; waits stay in the store. */
  stop(): Promise<void> {
    for (const off of [...this.watched.values(), ...this.children.values()]) off();
    this.watched.clear();
    this.children.clear();
    for (const wake of [...this.pollers.values()].flatMap((set) => [...set])) wake();
    return Promise.resolve();
  }

  // ------------------------------------------------------------------ .waitForTaskToken

  /** Records the token of a `.waitForTaskToken` task before its call goes out. */
  async registerToken(call: TaskCall): Promise<void> {
    const token = call.effect.taskToken;
    if (token === null) return;
    await this.deps.runtime.store.write((tx) =>
      taskWaits.register(tx, { token, executionArn: call.executionArn, effectId: call.effect.id, kind: 'token', accountId: call.account, region: call.region, createdAt: this.deps.runtime.clock.now() }),
    );
    this.watchExecution(call.executionArn);
  }

  // ------------------------------------------------------------------ activities

  /**
   * An activity task: stored for a worker (GetActivityTask) and answered `pending` — no event, no
   * task job held (Developer Guide, "Learn about Activities in Step Functions": the history is
   * ActivityScheduled, then ActivityStarted once a worker takes the task, then
   * ActivitySucceeded / ActivityFailed / ActivityTimedOut). The worker's GetActivityTask writes
   * ActivityStarted, its SendTask* the end, both through ExecutionControl.taskOutcome;
   * TimeoutSeconds / HeartbeatSeconds stay the execution's timers. A task job run again (after a
   * crash) finds the same row and changes nothing.
   */
  async runActivity(call: TaskCall): Promise<TaskOutcome> {
    const { store, clock } = this.deps.runtime;
    const wait = await store.write((tx) =>
      taskWaits.register(tx, {
        token: newActivityToken(),
        executionArn: call.executionArn,
        effectId: call.effect.id,
        kind: 'activity',
        accountId: call.account,
        region: call.region,
        activityArn: call.effect.resource,
        input: JSON.stringify(call.effect.input),
        createdAt: clock.now(),
      }),
    );
    this.watchExecution(call.executionArn);
    if (wait.startedAt === undefined && wait.closedAt === undefined) this.wake(call.effect.resource);
    return { type: 'pending' };
  }

  /**
   * GetActivityTask: the oldest activity task no worker took, or — after waiting up to `waitMs`
   * for one to be scheduled — none. Woken by new tasks, never by polling.
   */
  async takeActivityTask(activityArn: string, workerName: string | undefined, waitMs: number, signal?: AbortSignal): Promise<TaskWait | undefined> {
    const { store, clock } = this.deps.runtime;
    const deadline = clock.now() + waitMs;
    for (;;) {
      const taken = await store.write((tx) => taskWaits.takeNext(tx, activityArn, workerName ?? null, clock.now()));
      if (taken) {
        const control = this.deps.control();
        // A task its execution no longer waits for (timed out, execution ended) is closed, not given out.
        if (!control || !(await control.isTaskOutstanding(taken.executionArn, taken.effectId))) {
          await store.write((tx) => taskWaits.close(tx, taken.token, null, clock.now()));
          continue;
        }
        // ActivityStarted {workerName}, stored before the worker gets the token. (A crash between
        // the two writes leaves the task taken without ActivityStarted; its timeouts still apply.)
        await control.taskOutcome(taken.executionArn, taken.effectId, { type: 'started', ...(workerName !== undefined && { workerName }) });
        return taken;
      }
      const left = deadline - clock.now();
      if (left <= 0 || signal?.aborted) return undefined;
      await new Promise<void>((resolve) => {
        let set = this.pollers.get(activityArn);
        if (!set) this.pollers.set(activityArn, (set = new Set()));
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0 && this.pollers.get(activityArn) === set) this.pollers.delete(activityArn);
          resolve();
        };
        const timer = setTimeout(done, left);
        timer.unref?.();
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    }
  }

  private wake(activityArn: string): void {
    const set = this.pollers.get(activityArn);
    if (set) for (const wake of [...set]) wake();
  }

  // ------------------------------------------------------------------ answers

  /**
   * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat. InvalidToken for a token never issued;
   * TaskTimedOut for one whose task is closed (answered, timed out, or its execution ended).
   * Answers once the outcome is stored. The outcome may be given as a function, called once the
   * token checked out (it may throw InvalidOutput).
   */
  async answer(token: string, answer: TaskAnswer | { type: 'heartbeat' } | (() => TaskAnswer)): Promise<void> {
    const { store, clock } = this.deps.runtime;
    const wait = await taskWaits.byToken(store, token);
    if (!wait) throw taskErrors.invalidToken();
    if (wait.closedAt !== undefined) throw taskErrors.taskTimedOut();
    // The task may have timed out (TimeoutSeconds, HeartbeatSeconds) or its execution ended
    // while the wait stayed open: its token is closed then, as on AWS.
    const control = this.deps.control();
    if (!control || !(await control.isTaskOutstanding(wait.executionArn, wait.effectId))) {
      await store.write((tx) => taskWaits.close(tx, token, null, clock.now()));
      throw taskErrors.taskTimedOut();
    }
    // The token is checked before the output (recorded: an unknown token with output that is not
    // JSON answers InvalidToken, test_sfn_send_task_outcome_with_no_such_token).
    const outcome = typeof answer === 'function' ? answer() : answer;
    if (outcome.type === 'heartbeat') {
      await control.taskOutcome(wait.executionArn, wait.effectId, outcome);
      return;
    }
    // The engine stores the outcome before it resolves; the row is closed after, so a crash in
    // between leaves the token open and a worker's retry feeds the same outcome again (ignored
    // by the engine once the task is done).
    await control.taskOutcome(wait.executionArn, wait.effectId, outcome);
    await store.write((tx) => taskWaits.close(tx, token, outcome, clock.now()));
  }

  // ------------------------------------------------------------------ .sync

  /** Records a `.sync` wait on a nested execution and watches its end. */
  async registerChild(call: TaskCall, childArn: string, details: SyncDetails): Promise<void> {
    const wait = await this.deps.runtime.store.write((tx) =>
      taskWaits.register(tx, {
        token: newActivityToken(),
        executionArn: call.executionArn,
        effectId: call.effect.id,
        kind: 'sync',
        accountId: call.account,
        region: call.region,
        childArn,
        input: JSON.stringify(details),
        createdAt: this.deps.runtime.clock.now(),
      }),
    );
    this.watchExecution(call.executionArn);
    this.watchChild(wait);
  }

  private watchChild(wait: TaskWait): void {
    const control = this.deps.control();
    if (!control || wait.childArn === undefined || this.children.has(wait.token)) return;
    const childArn = wait.childArn;
    const details = JSON.parse(wait.input ?? '{}') as SyncDetails;
    const off = control.onExecutionEnded(childArn, (ended) => {
      this.children.get(wait.token)?.();
      this.children.delete(wait.token);
      const outcome = syncOutcome(childArn, details, ended, this.deps.runtime.clock.now());
      void (async () => {
        await control.taskOutcome(wait.executionArn, wait.effectId, outcome);
        await this.deps.runtime.store.write((tx) => taskWaits.close(tx, wait.token, outcome, this.deps.runtime.clock.now()));
      })().catch((error: unknown) => this.deps.runtime.log.error('states: could not hand a nested execution’s end to its parent', { executionArn: wait.executionArn, child: childArn, error }));
    });
    this.children.set(wait.token, off);
  }

  // ------------------------------------------------------------------ execution ends

  /** Once an execution ends, its open waits close: their tokens answer TaskTimedOut, pollers no longer get its activity tasks. */
  private watchExecution(executionArn: string): void {
    const control = this.deps.control();
    if (!control || this.watched.has(executionArn)) return;
    let off: (() => void) | undefined;
    let ended = false;
    const listener = (): void => {
      ended = true;
      off?.();
      this.watched.delete(executionArn);
      const { store, clock } = this.deps.runtime;
      void store
        .write((tx) => taskWaits.closeExecution(tx, executionArn, clock.now()))
        .catch((error: unknown) => this.deps.runtime.log.error('states: could not close the tasks of an ended execution', { executionArn, error }));
    };
    off = control.onExecutionEnded(executionArn, listener);
    if (!ended) this.watched.set(executionArn, off);
  }
}

/** An opaque token for activity tasks and `.sync` waits (a `.waitForTaskToken` token is the interpreter's). */
function newActivityToken(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * A nested execution's end as the `.sync` task's outcome: DescribeExecution's answer, with the
 * input and output as JSON text for `.sync` and as JSON for `.sync:2` (Developer Guide, "Start a
 * new AWS Step Functions state machine from a running execution"); an execution that did not
 * succeed fails the task with States.TaskFailed and that answer as the cause.
 */
export function syncOutcome(childArn: string, details: SyncDetails, ended: { status: string; output?: string; error?: string; cause?: string }, now: number): TaskAnswer {
  const asJson = details.mode === 'sync:2';
  const describe: Record<string, Json> = {
    ExecutionArn: childArn,
    Input: asJson ? parseOr(details.input) : details.input,
    InputDetails: { Included: true },
    Name: childArn.slice(childArn.lastIndexOf(':') + 1),
  };
  if (ended.status === 'SUCCEEDED') {
    describe.Output = asJson ? parseOr(ended.output ?? 'null') : (ended.output ?? 'null');
    describe.OutputDetails = { Included: true };
  }
  describe.RedriveCount = 0;
  describe.StartDate = details.startDate;
  describe.StateMachineArn = details.stateMachineArn;
  describe.Status = ended.status;
  describe.StopDate = now;
  if (ended.status === 'SUCCEEDED') return { type: 'succeeded', output: describe };
  if (ended.error !== undefined) describe.Error = ended.error;
  if (ended.cause !== undefined) describe.Cause = ended.cause;
  return { type: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(describe) };
}

function parseOr(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
