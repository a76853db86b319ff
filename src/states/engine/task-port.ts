/**
 * The seam between the execution engine (src/states/engine/) and the task integrations
 * (src/states/tasks/, the tasks helper's): the engine hands a Task state's work to a TaskRunner
 * and offers ExecutionControl to task code that answers later (SendTaskSuccess/Failure/Heartbeat,
 * activity workers, `.sync` waits, nested executions).
 */
import type { Effect } from '../asl/snapshot.js';
import type { Json } from '../asl/json.js';
import type { ExecutionWaiter } from '../repository/execution-waiters.js';

export type { ExecutionWaiter };

export type TaskEffect = Extract<Effect, { kind: 'task' }>;
/** A distributed Map's ItemReader: read the items (s3:getObject / s3:listObjectsV2 with these parameters). */
export type ReadItemsEffect = Extract<Effect, { kind: 'readItems' }>;

export interface TaskCall {
  executionArn: string;
  account: string;
  region: string;
  /** resource, resourceType, resourceName, input, taskToken, timeouts. */
  effect: TaskEffect;
  stateMachineArn: string;
  roleArn: string;
  express: boolean;
}

/** How a task ended, or that its call went out (`submitted`): what ExecutionControl.taskOutcome takes. */
export type TaskAnswer =
  | { type: 'succeeded'; output: Json }
  | { type: 'failed'; error?: string; cause?: string }
  /** `.waitForTaskToken`: the call went out; wait for SendTask*. */
  | { type: 'submitted'; output: Json };

/**
 * What TaskRunner.run answers: an answer, or `pending` — the task is stored and its answer comes
 * later through ExecutionControl.taskOutcome, with no history event now (an activity task: AWS
 * writes nothing between ActivityScheduled and a worker's ActivityStarted). A pending task holds
 * no task job: the job that ran it is done.
 */
export type TaskOutcome = TaskAnswer | { type: 'pending' };

/** News of a task still running: a heartbeat (SendTaskHeartbeat), or an activity worker took it (GetActivityTask: ActivityStarted). */
export type TaskProgress = { type: 'heartbeat' } | { type: 'started'; workerName?: string };

/** Performs a task; implemented by src/states/tasks/ (the tasks helper). Throwing = a failed attempt the delivery machine retries. */
export interface TaskRunner {
  run(call: TaskCall): Promise<TaskOutcome>;
  /**
   * Reads a distributed Map's items (ItemReader): resolves with the content read (the object's
   * text parsed as the reader's format, or the listing); rejects with `{ error, cause }` to fail
   * the Map run. Optional: without it an ItemReader fails the Map with States.ItemReaderFailed.
   */
  readItems?(call: Omit<TaskCall, 'effect'> & { effect: ReadItemsEffect }): Promise<Json>;
}

/** What the engine offers to task code that answers later (SendTaskSuccess/Failure/Heartbeat, activity workers, .sync waits). */
export interface ExecutionControl {
  /** Feed an outcome for an outstanding task effect; durable (stored before it resolves). */
  taskOutcome(executionArn: string, effectId: string, outcome: TaskAnswer | TaskProgress): Promise<void>;
  /**
   * Whether the execution still waits for this task effect (running, and the effect not ended,
   * timed out or cancelled). Reads only the execution's head, never its frames. An execution this
   * Stratus does not know is not waiting.
   */
  isTaskOutstanding(executionArn: string, effectId: string): Promise<boolean>;
  /**
   * Start an execution (nested executions, EventBridge targets); answers AWS's StartExecution
   * output. With a `waiter` (`.sync`), that Task is answered with the execution's end, through
   * the store, whichever process runs it.
   */
  startExecution(request: {
    stateMachineArn: string;
    input: string;
    name?: string;
    account: string;
    region: string;
    traceHeader?: string;
    waiter?: ExecutionWaiter;
  }): Promise<{ executionArn: string; startDate: Date }>;
  /**
   * The waiter is answered with the end of an execution already started: registered while it
   * runs, at once (stored) if it has ended. For waits recorded before the waiter went with the
   * start.
   */
  awaitEnd(executionArn: string, waiter: ExecutionWaiter): Promise<void>;
}
