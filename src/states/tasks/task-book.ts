import { randomBytes } from 'node:crypto';
import type { TaskAnswer, TaskCall, TaskOutcome } from '../engine/task-port.js';
import type { TaskDeps } from './deps.js';
import { taskErrors } from './errors.js';
import { taskWaits, type TaskWait } from './task-waits.js';

/**
 * The book of tasks answered from outside an execution: `.waitForTaskToken` tokens and activity
 * tasks. Every wait is a row (task-waits.ts) written before the task goes out, so an answer that
 * arrives — even after a restart — finds its execution and effect; in memory it keeps only the
 * activity pollers it wakes. A wait whose execution no longer waits for it (the task timed out,
 * the execution ended) is closed when it is next looked at: its token then answers TaskTimedOut,
 * and no worker is given its activity task.
 *
 * Answers — to tokens, of activity workers — go to the engine through
 * ExecutionControl.taskOutcome (durable there). An activity task holds no task job while it waits
 * (runActivity answers `pending`): a thousand waiting activity tasks cost a thousand rows.
 * `.sync` nested executions are not here: the waiting Task goes with the nested start
 * (ExecutionControl.startExecution's `waiter`) and is answered in the step that ends the child.
 */
export class TaskBook {
  /** Pollers (GetActivityTask) waiting per activity ARN. */
  private readonly pollers = new Map<string, Set<() => void>>();
  /** Set by stop(): a woken poller answers instead of waiting out its time (it waited 60 s before). */
  private stopped = false;

  constructor(private readonly deps: TaskDeps) {}

  /**
   * `.sync` waits an older Stratus recorded here (it watched nested executions in memory): each
   * goes to its child as a waiter (answered at once if the child ended meanwhile), and is closed.
   */
  async resume(): Promise<void> {
    const control = this.deps.control();
    if (!control) return;
    const { store, clock } = this.deps.runtime;
    for (const wait of await taskWaits.openSync(store)) {
      if (wait.childArn === undefined) continue;
      const details = JSON.parse(wait.input ?? '{}') as { mode?: string; stateMachineArn?: string };
      const mode = details.mode === 'sync:2' ? 'sync:2' : 'sync';
      await control.awaitEnd(wait.childArn, { executionArn: wait.executionArn, effectId: wait.effectId, mode, stateMachineArn: details.stateMachineArn ?? '' });
      await store.write((tx) => taskWaits.close(tx, wait.token, null, clock.now()));
    }
  }

  /** The service stops: pollers answer (and do not wait again); waits stay in the store. */
  stop(): Promise<void> {
    this.stopped = true;
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
      if (left <= 0 || signal?.aborted || this.stopped) return undefined;
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
}

/** An opaque token for activity tasks (a `.waitForTaskToken` token is the interpreter's). */
function newActivityToken(): string {
  return randomBytes(48).toString('base64url');
}
