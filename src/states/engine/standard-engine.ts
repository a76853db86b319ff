import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { type Attempt, type DeadLetter, type DeliveryMachine, type Job, type RetryPolicy } from '../../delivery/index.js';
import type { Logger } from '../../server/log.js';
import type { Store, WriteTx } from '../../store/store.js';
import { step } from '../asl/interpreter.js';
import type { HistoryEvent } from '../asl/history.js';
import type { ChildExecutionReport, Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot } from '../asl/snapshot.js';
import { statesErrors } from '../model/errors.js';
import { labeledMachineArn } from '../model/arns.js';
import { ExecutionConflict, executions, type ExecutionMachine, type ExecutionRecord } from '../repository/execution-records.js';
import { executionWaiters, type ExecutionWaiter } from '../repository/execution-waiters.js';
import { openExecutions } from '../repository/open-executions.js';
import type { DefinitionCache } from './definitions.js';
import { envWithActivities } from './activity-lookup.js';
import { KeyedLock } from './keyed-lock.js';
import { machineDeletions } from './machine-deletions.js';
import { endedChildOf, waiterInput, type EndedChild } from './nested-ends.js';
import { outcomeInput, readItems, runTask, terminalError } from './task-dispatch.js';
import type { ReadItemsEffect, TaskAnswer, TaskEffect, TaskOutcome, TaskProgress, TaskRunner } from './task-port.js';

/** Delivery job kinds of Standard executions (declared in src/states/index.ts onDemand.jobKinds). */
export const EXECUTION_JOB = 'states.execution';
export const TASK_JOB = 'states.task';

/** An input for an execution: its start, a fired timer (keyed `<arn>#<effect id>`, cancellable), a task outcome, a stop. */
interface ExecutionJob {
  arn: string;
  input: ExecutionInput;
}

interface TaskJob {
  arn: string;
  effect: TaskEffect | ReadItemsEffect;
}

/**
 * A task whose runner keeps throwing (the integration itself broke, not the service it called) is
 * tried a few times, then fails the Task state with States.TaskFailed: the delivery machine's
 * backoff, not a sleep.
 */
const TASK_POLICY: RetryPolicy = { maxAttempts: 5, maxAgeMs: 60 * 60 * 1000, baseDelayMs: 1000, maxDelayMs: 60_000, multiplier: 2, jitter: 'full' };

export interface StandardEngineDeps {
  store: Store;
  delivery: DeliveryMachine;
  clock: Clock;
  log: Logger;
  definitions: DefinitionCache;
  /** Multiplies every delay the interpreter asks for (Wait, Retry intervals, timeouts); 1 = AWS. */
  timeScale: number;
  /** Open (RUNNING) executions allowed per account and region: a start or redrive past it is ExecutionLimitExceeded. */
  openExecutionsQuota: number;
  runner(): TaskRunner | undefined;
  /** A step changed the execution's status (started, ended): after commit. */
  statusChanged(record: ExecutionRecord): void;
  /** A step's events were committed (execution logs). */
  stepped(record: ExecutionRecord, events: readonly HistoryEvent[]): void;
}

/**
 * The durable engine of Standard executions (issue 14). Every input to an execution (its start, a
 * timer, a task outcome, a stop) is applied by `advance`: under a per-execution lock, the step's
 * new events, changed/removed frames and the execution row commit in one write unit, with the jobs
 * its effects need (timers as due-time jobs, tasks as jobs of their own) — so effects happen only
 * after the commit, a crash loses no committed step, and only a task in flight at the crash may run
 * again. A restarted Stratus resumes every execution through the jobs it left in the store.
 */
export class StandardEngine {
  private readonly lock = new KeyedLock();
  /** Snapshots of running executions as last committed (dropped on any failure: step mutates them). */
  private readonly cache = new Map<string, { record: ExecutionRecord; snapshot: ExecutionSnapshot }>();
  private readonly env: ExecutionEnv;

  constructor(private readonly deps: StandardEngineDeps) {
    this.env = envWithActivities({ now: () => deps.clock.now(), newId: () => randomUUID(), random: Math.random }, () => deps.store);
  }

  register(): void {
    const { delivery } = this.deps;
    delivery.register<ExecutionJob>(EXECUTION_JOB, {
      concurrency: 32,
      handle: async (job, attempt) => {
        await this.advance(job.payload.arn, job.payload.input, attempt);
      },
    });
    delivery.register<TaskJob>(TASK_JOB, {
      concurrency: 64,
      // A task may run long (an activity, a .sync job): the lease only guards against a dead process.
      leaseMs: 15 * 60 * 1000,
      handle: (job, attempt) => this.runTaskJob(job, attempt),
      onDeadLetter: (job, failure, tx) => this.taskDeadLettered(job, failure, tx),
    });
  }

  /**
   * Stores a new execution and the job that starts it, in the caller's write unit, with the
   * `.sync` Task that waits for its end, if any. Past the quota of open executions nothing is
   * stored: ExecutionLimitExceeded.
   */
  async insert(tx: WriteTx, record: ExecutionRecord, snapshot: ExecutionSnapshot, waiter?: ExecutionWaiter): Promise<void> {
    await this.open(tx, record);
    await executions.insert(tx, record, snapshot);
    if (waiter !== undefined) await executionWaiters.add(tx, record.arn, waiter);
    await this.enqueueInput(tx, record.arn, { type: 'start' });
    tx.afterCommit(() => {
      // The first step runs on this very snapshot: the input text as sent stays known to the
      // interpreter (ExecutionStarted and the first state repeat it as it was, spacing included).
      this.remember(record.arn, { record: { ...record }, snapshot });
      this.deps.statusChanged(record);
    });
  }

  /** Stores an input for an execution, to be applied after commit. */
  async enqueueInput(tx: WriteTx, arn: string, input: ExecutionInput, runAt?: number, key?: string): Promise<void> {
    await this.deps.delivery.enqueue(tx, { kind: EXECUTION_JOB, key: key ?? arn, payload: { arn, input } satisfies ExecutionJob, ...(runAt !== undefined && { runAt }) });
  }

  /** Applies an input now (StopExecution answers once the stop is stored). */
  async apply(arn: string, input: ExecutionInput): Promise<ExecutionRecord | undefined> {
    return this.advance(arn, input);
  }

  /**
   * Feeds one input to an execution and commits the step (with `attempt`'s completion, when a job
   * brought the input). An execution that has ended, or an input for an effect no longer
   * outstanding, changes nothing (the interpreter ignores stale effect ids).
   */
  private advance(arn: string, first: ExecutionInput, attempt?: Attempt): Promise<ExecutionRecord | undefined> {
    return this.lock.run(arn, async () => {
      const { store } = this.deps;
      let input = first;
      for (let tries = 1; ; tries++) {
        const state = this.cache.get(arn) ?? (await executions.load(store, arn));
        this.cache.delete(arn);
        const redrive = input.type === 'redrive';
        if (state === undefined || (state.snapshot.status === 'RUNNING') === redrive) {
          if (attempt) await store.write((tx) => attempt.complete(tx));
          return state?.record;
        }
        const { record, snapshot } = state;
        const expectedSeq = record.seq;
        const def = this.deps.definitions.get(record.machine.definition);
        // One transition a step: each is committed before the next one starts (issue 14), and what
        // could run on is a `continue` job stored with it — so a crash between two transitions
        // loses neither, and the delivery machine runs the next at once.
        const result = await step(def, snapshot, input, this.env, { maxTransitions: 1 });
        const ended = snapshot.status !== 'RUNNING';
        const runsOn = !ended && snapshot.ready.length > 0;
        if (redrive) {
          // Not redriven (the interpreter found nothing to go on from): nothing changed.
          if (result.events.length === 0) {
            if (attempt) await store.write((tx) => attempt.complete(tx));
            return record;
          }
          // Redriven (and, it may be, ended again in the same step: the end below then applies).
          record.status = 'RUNNING';
          record.stopDate = undefined;
          record.output = undefined;
          record.error = undefined;
          record.cause = undefined;
          record.redriveCount = Number(snapshot.context.Execution.RedriveCount ?? record.redriveCount + 1);
          // The moment `$$.Execution.RedriveTime` says.
          const redriveTime = Date.parse(String(snapshot.context.Execution.RedriveTime));
          record.redriveDate = Number.isFinite(redriveTime) ? redriveTime : this.deps.clock.now();
        }
        if (ended) {
          record.status = snapshot.status;
          record.stopDate = snapshot.stopTime ?? this.deps.clock.now();
          if (snapshot.status === 'SUCCEEDED') record.output = snapshot.outputText ?? JSON.stringify(snapshot.output ?? null);
          const { error, cause } = terminalError(result.events);
          record.error = error ?? snapshot.error;
          record.cause = cause ?? snapshot.cause;
        }
        // DeleteStateMachine: "On the next state transition, the state machine's executions are
        // terminated" (API Reference) — the transition is not made; the execution fails with
        // States.Runtime instead (AWS re:Post, "Why is my Step Functions state machine stuck in
        // the DELETING status?": ExecutionFailed, States.Runtime, "State machine <name> has been
        // deleted."), applied to the execution as last committed (this step is dropped). A Wait
        // or a task waiting makes no transition: the execution waits on, and the machine with it.
        // Read before the commit, not in it (a read in a write unit costs several times more, on
        // every transition): a deletion committed meanwhile is seen at the transition after.
        if (!redrive && result.transitions > 0 && (await machineDeletions.isDeleting(store, record.machineArn))) {
          input = { type: 'terminate', error: 'States.Runtime', cause: `State machine ${record.machine.name} has been deleted.` };
          continue;
        }
        record.seq = expectedSeq + 1;
        try {
          await store.write(async (tx) => {
            if (redrive) await this.open(tx, record);
            await executions.commitStep(
              tx,
              record,
              expectedSeq,
              snapshot,
              { frames: result.changedFrames, removedFrames: result.removedFrames, values: result.changedValues, removedValues: result.removedValues },
              result.events,
            );
            // Child workflow executions' histories, with the step that wrote them.
            for (const child of result.childEvents) await executions.appendEvents(tx, child.executionArn, child.events);
            await this.schedule(tx, record, result.effects);
            if (runsOn) await this.enqueueInput(tx, arn, { type: 'continue' });
            if (ended) await this.closed(tx, record);
            if (attempt) await attempt.complete(tx);
          });
        } catch (error) {
          if (error instanceof ExecutionConflict && tries < 5) {
            this.deps.log.debug('execution advanced elsewhere; reloading', { executionArn: arn });
            continue;
          }
          throw error;
        }
        if (result.events.length > 0) this.deps.stepped(record, result.events);
        if (ended || redrive) this.deps.statusChanged(record);
        else this.remember(arn, { record, snapshot });
        return record;
      }
    });
  }

  /**
   * Changes a running execution's state outside a step (UpdateMapRun): `change` edits the
   * snapshot and names the frames it changed (null: nothing to change, nothing stored); they
   * commit like a step's, with `alongside` in the same write unit. Answers whether it changed.
   */
  async mutate(arn: string, change: (snapshot: ExecutionSnapshot) => string[] | null, alongside?: (tx: WriteTx) => Promise<void>): Promise<boolean> {
    return this.lock.run(arn, async () => {
      const { store } = this.deps;
      for (let tries = 1; ; tries++) {
        const state = this.cache.get(arn) ?? (await executions.load(store, arn));
        this.cache.delete(arn);
        if (state === undefined || state.snapshot.status !== 'RUNNING') return false;
        const changed = change(state.snapshot);
        if (changed === null) {
          this.remember(arn, state);
          return false;
        }
        const expectedSeq = state.record.seq;
        state.record.seq = expectedSeq + 1;
        try {
          await store.write(async (tx) => {
            await executions.commitStep(tx, state.record, expectedSeq, state.snapshot, { frames: changed, removedFrames: [], values: [], removedValues: [] }, []);
            await alongside?.(tx);
          });
        } catch (error) {
          if (error instanceof ExecutionConflict && tries < 5) continue;
          throw error;
        }
        this.remember(arn, state);
        return true;
      }
    });
  }

  /** Counts the execution open, unless the quota of open executions is reached (ExecutionLimitExceeded). */
  private async open(tx: WriteTx, record: ExecutionRecord): Promise<void> {
    const quota = this.deps.openExecutionsQuota;
    if (!(await openExecutions.open(tx, record.accountId, record.region, quota))) throw statesErrors.executionLimitExceeded(quota);
  }

  /**
   * What an execution's end changes besides itself, in the unit that ends it: it is no longer
   * open; the `.sync` Tasks waiting for it are told (through the store: the parent goes on
   * whichever process runs it); a machine in DELETING whose last execution this was goes.
   */
  private async closed(tx: WriteTx, record: ExecutionRecord): Promise<void> {
    await openExecutions.close(tx, record.accountId, record.region);
    for (const waiter of await executionWaiters.take(tx, record.arn)) await this.tellWaiter(tx, waiter, endedChildOf(record, this.deps.clock.now()));
    await machineDeletions.settle(tx, record.machineArn);
  }

  /**
   * Ends the `.sync` Task of `waiter` with the end of the execution it waits for, in the caller's
   * write unit (a job of the waiting execution), and drops the answer armed for a lost child.
   */
  async tellWaiter(tx: WriteTx, waiter: ExecutionWaiter, child: EndedChild): Promise<void> {
    await this.enqueueInput(tx, waiter.executionArn, waiterInput(child, waiter));
    await this.deps.delivery.cancel(tx, EXECUTION_JOB, lostChildKey(waiter));
  }

  /**
   * Arms the answer `waiter` gets at `at` if the child it waits for never ends (an Express child
   * lives in one process's memory: a crash loses it). Its own end comes first and disarms it.
   */
  async armLostChild(tx: WriteTx, waiter: ExecutionWaiter, lost: EndedChild, at: number): Promise<void> {
    await this.enqueueInput(tx, waiter.executionArn, waiterInput(lost, waiter), at, lostChildKey(waiter));
  }

  private remember(arn: string, state: { record: ExecutionRecord; snapshot: ExecutionSnapshot }): void {
    this.cache.set(arn, state);
    // Bounded: the oldest entry goes (it is read from the store again when needed).
    if (this.cache.size > 2000) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The jobs a step's effects need, in the step's write unit: they run only once it commits. */
  private async schedule(tx: WriteTx, record: ExecutionRecord, effects: Effect[]): Promise<void> {
    const { delivery, clock, timeScale } = this.deps;
    const arn = record.arn;
    for (const effect of effects) {
      if (effect.kind === 'mapRun') {
        await executions.putMapRun(tx, effect.executionArn ?? arn, effect, clock.now());
        continue;
      }
      if (effect.kind === 'childExecution') {
        await this.putChild(tx, record, effect);
        continue;
      }
      const key = `${arn}#${effect.id}`;
      if (effect.kind === 'timer') {
        const now = clock.now();
        const runAt = effect.dueAt <= now ? now : now + (effect.dueAt - now) * timeScale;
        await this.enqueueInput(tx, arn, { type: 'timerFired', effectId: effect.id }, runAt, key);
      } else if (effect.kind === 'cancel') {
        await delivery.cancel(tx, EXECUTION_JOB, key);
        await delivery.cancel(tx, TASK_JOB, key);
      } else {
        await delivery.enqueue(tx, { kind: TASK_JOB, key, payload: { arn, effect } satisfies TaskJob, policy: TASK_POLICY });
      }
    }
  }

  /** A child workflow execution's row: the labeled state machine, and its Map's ItemProcessor as the definition it runs. */
  private async putChild(tx: WriteTx, owner: ExecutionRecord, report: ChildExecutionReport): Promise<void> {
    const machineArn = labeledMachineArn(report.mapRunArn);
    const machine: ExecutionMachine = {
      ...owner.machine,
      name: machineArn.slice(machineArn.indexOf(':stateMachine:') + ':stateMachine:'.length),
      type: report.express ? 'EXPRESS' : 'STANDARD',
      definition: this.deps.definitions.processorText(owner.machine.definition, report.mapStateName),
    };
    await executions.putChild(tx, owner, report, machineArn, machine);
  }

  private async runTaskJob(job: Job<TaskJob>, attempt: Attempt): Promise<void> {
    const { arn, effect } = job.payload;
    const record = this.cache.get(arn)?.record ?? (await executions.get(this.deps.store, arn));
    if (record === undefined || record.status !== 'RUNNING') return;
    const call = { executionArn: arn, account: record.accountId, region: record.region, stateMachineArn: record.machineArn, roleArn: record.machine.roleArn, express: false };
    if (effect.kind === 'readItems') {
      await this.advance(arn, await readItems(this.deps.runner(), { ...call, effect }), attempt);
      return;
    }
    const outcome: TaskOutcome = await runTask(this.deps.runner(), { ...call, effect });
    if (outcome.type === 'pending') {
      // Stored by the runner; its answer comes through taskOutcome. The job is done: a waiting
      // task holds no job slot, however long it waits.
      await this.deps.store.write((tx) => attempt.complete(tx));
      return;
    }
    await this.advance(arn, outcomeInput(effect.id, outcome), attempt);
  }

  private async taskDeadLettered(job: Job<TaskJob>, failure: DeadLetter, tx: WriteTx): Promise<void> {
    const { arn, effect } = job.payload;
    this.deps.log.warn('a task of an execution could not be run; the task fails', { executionArn: arn, resource: effect.resource, error: failure.error });
    const input: ExecutionInput =
      effect.kind === 'readItems'
        ? { type: 'itemsReadFailed', effectId: effect.id, error: 'States.ItemReaderFailed', cause: failure.error.message }
        : { type: 'taskFailed', effectId: effect.id, error: 'States.TaskFailed', cause: failure.error.message };
    await this.enqueueInput(tx, arn, input);
  }

  /** Feeds a task outcome that arrived from outside (SendTaskSuccess, an activity worker): stored before it resolves. */
  async taskOutcome(arn: string, effectId: string, outcome: TaskAnswer | TaskProgress): Promise<void> {
    if (outcome.type === 'started') {
      // Applied now, not queued: ActivityStarted is committed before the worker has the token, so
      // it precedes whatever the worker answers (queued inputs of one execution may run in any order).
      await this.advance(arn, outcomeInput(effectId, outcome));
      return;
    }
    await this.deps.store.write((tx) => this.enqueueInput(tx, arn, outcomeInput(effectId, outcome)));
  }

  /**
   * Whether a running execution still waits for a task effect: its snapshot's waits, from the
   * last committed step in memory or the execution row's snapshot head (no frames read).
   */
  async isTaskOutstanding(arn: string, effectId: string): Promise<boolean> {
    const cached = this.cache.get(arn)?.snapshot;
    const head = cached ?? (await executions.head(this.deps.store, arn));
    if (head === undefined || head.status !== 'RUNNING') return false;
    return head.waits[effectId]?.purpose === 'task';
  }
}


/** The job key of a waiter's lost-child answer (one per waiting Task). */
function lostChildKey(waiter: ExecutionWaiter): string {
  return `${waiter.executionArn}#${waiter.effectId}#lost-child`;
}
