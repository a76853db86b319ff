/**
 * The serialisable state of one execution, and what a step takes and gives back.
 *
 * A snapshot is plain JSON data. It is organised in frames: the top level is frame "0"; every
 * Parallel branch and Map iteration running at the moment is a frame of its own, pointing at its
 * parent. A step mutates only the frames it touches and says which (changedFrames /
 * removedFrames), so a durable engine can store frames as rows and write only those; a Map over
 * 1,000 items keeps its items and results in the Map's frame once and a step of one iteration
 * touches the iteration's frame, the Map's frame (its counters) and that iteration's result value;
 * the items are written once when the Map starts (`values`).
 */
import type { Json, JsonObject } from './json.js';
import type { HistoryEvent } from './history.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What the interpreter needs from the outside world, injected (the core does no I/O). */
export interface ExecutionEnv {
  /** Epoch milliseconds. */
  now(): number;
  /** A fresh unique id (task tokens, map run ids). */
  newId(): string;
  /** In [0, 1): retry jitter. */
  random(): number;
  /**
   * Whether an activity exists (the engines look it up in the store); absent, every activity is
   * taken to exist. A Task on one that does not fails before ActivityScheduled (task-state.ts).
   */
  activityExists?(activityArn: string): Promise<boolean>;
}

export interface ExecutionStart {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  input: Json;
  /** The input as the caller sent it: ExecutionStarted repeats this text as it was (spacing included). */
  inputText?: string;
  /** Epoch milliseconds. */
  startTime: number;
  redriveCount?: number;
  region?: string;
  /** Set for the executions a distributed Map starts, to mirror them; not needed otherwise. */
  stateMachineAliasArn?: string;
  stateMachineVersionArn?: string;
}

/** A state-specific working area, kept while a state waits for something. */
export type Work =
  | { kind: 'task'; effect: string; timer: string | null; heartbeat: string | null; resource: string; family: 'task' | 'lambda' | 'activity'; resourceType: string; resourceName: string; effective: Json; heartbeatSeconds: number | null }
  | { kind: 'wait'; effect: string; output: Json; assigned: JsonObject | null }
  | { kind: 'retry'; effect: string }
  | {
      kind: 'map';
      /** The key of the effective input (after InputPath) in values, or null when it is the state input. */
      effective: string | null;
      /** How many items (they are in values[`items/<frame id>`], results in values[`result/<frame id>/<index>`]). */
      count: number;
      next: number;
      running: string[];
      failed: number;
      succeeded: number;
      maxConcurrency: number;
      toleratedCount: number | null;
      toleratedPercentage: number | null;
      distributed: boolean;
      runStarted: number;
      mapRunArn: string | null;
      lastChildEvent: number;
      /** The items went through ItemSelector already (ItemBatcher batches selected items). */
      selected: boolean;
      /** The items are a JSON object's `{Key, Value}` pairs: `$$.Map.Item` has the Key (map-items.ts). */
      keyed?: boolean;
      /**
       * How many iterations that failed or were aborted are kept (values[`stopped/<frame id>/<index>`],
       * one StoppedFrame each, written once): a redrive runs them again from where they stopped.
       */
      stoppedKept?: number;
      /** A redrive: the stopped iterations' indices, run again before the ones never started. */
      queue?: number[];
      /** Set by a redrive: the Map state goes on with its iterations instead of starting over. */
      redrive?: boolean;
      /** How many times this Map's map run was redriven (MapRunRedriven's redriveCount). */
      runRedrives?: number;
      /** The map run's status as last reported (a run still RUNNING when its execution ends is reported ABORTED). */
      runStatus?: MapRunReport['status'];
      /** Child workflow executions ABORTED: stopped by StopExecution, or because the map run failed. */
      aborted?: number;
      /** Of those, the ones StopExecution stopped: counted in `failed` too (their items have no result). */
      stops?: number;
    }
  | {
      kind: 'parallel';
      results: Json[];
      remaining: number;
      running: string[];
      lastChildEvent: number;
      /** How many branches that failed or were aborted are kept (values[`stopped/<frame id>/<index>`]). */
      stoppedKept?: number;
      /** Set by a redrive: the Parallel state goes on with the branches that did not succeed. */
      redrive?: boolean;
    };

/**
 * A Parallel branch or Map iteration that did not succeed, kept with its parent's work so that a
 * redrive runs it again from the state where it stopped, with that state's input and the
 * branch's variables ("Redriving executions": only the branches and iterations that failed or
 * were aborted run again; the successful ones keep their results).
 */
export interface StoppedFrame {
  state: string;
  input: Json;
  vars: JsonObject;
  /** Its own Map / Parallel progress, when it stopped inside one. */
  work: Work | null;
  /** That Map's / Parallel's values (items, results, effective input, its own stopped children), keyed without the frame id: `items`, `result/3`, `effective`, `stopped/2`. */
  values?: Record<string, Json>;
  /** A child workflow execution that stopped: itself, redriven with its ARN and history (Standard). */
  child?: ChildRun;
}

/**
 * A distributed Map's child workflow execution, kept on its first frame (developer guide,
 * "Distributed mode": each iteration is a child workflow execution with its own ARN; a Standard
 * one has its own execution history, an Express one has none).
 */
export interface ChildRun {
  arn: string;
  name: string;
  express: boolean;
  /** Epoch milliseconds. */
  startTime: number;
  /** The input it started with (`$$.Execution.Input`, DescribeExecution's input). */
  input: Json;
  /** How many items it processes: 1, or the size of its batch (ItemBatcher). ListExecutions' itemCount. */
  itemCount: number;
  /** The id of its history's last event (Standard children). */
  lastEventId: number;
  redriveCount: number;
  /** When it was last redriven (epoch milliseconds). */
  redriveTime?: number;
}

export interface Frame {
  id: string;
  /** The frame that runs the Parallel / Map state this frame is a branch / iteration of. */
  parent: string | null;
  /** Compiled machine id (StateMachineDefinition.machines). */
  machine: string;
  /** Branch index or iteration index (-1 at the top level). */
  index: number;
  /** A frame of a distributed Map's child workflow execution: its events are not in this execution's history. */
  hidden: boolean;
  /** Set on the first frame of a child workflow execution (a distributed Map iteration): that execution. */
  child?: ChildRun;
  state: string;
  phase: 'enter' | 'run' | 'blocked' | 'done';
  /** The current state's input (null while it is kept in values, see inputRef). */
  input: Json;
  /** While a Map state runs, its input is values[inputRef] (written once, not with every frame change). */
  inputRef: string | null;
  entered: number;
  enteredPrev: number;
  enteredTime: number;
  /** The id of the last event of this frame's chain (the next event's previousEventId). */
  last: number;
  /** Variables declared in this frame's scope. */
  vars: JsonObject;
  /** Attempts per retrier of the current state. */
  attempts: number[];
  retryCount: number;
  taskToken: string | null;
  work: Work | null;
}

export interface ExecutionSnapshot {
  v: 1;
  status: ExecutionStatus;
  lastEventId: number;
  context: { Execution: JsonObject; StateMachine: JsonObject };
  /** The input text as sent (for ExecutionStarted). */
  inputText: string;
  region: string;
  frames: Record<string, Frame>;
  /** Frames ready to run, in order. */
  ready: string[];
  nextFrame: number;
  nextEffect: number;
  /** Outstanding effects: effect id → the frame and what it is for. */
  waits: Record<string, { frame: string; purpose: 'task' | 'taskTimeout' | 'heartbeat' | 'wait' | 'retry' | 'executionTimeout' | 'readItems' | 'writeResults' }>;
  /**
   * Large per-state data kept apart from the frames, by key: a Map's items
   * (`items/<frame id>`, written once) and each iteration's result (`result/<frame id>/<index>`).
   */
  values: Record<string, Json>;
  output?: Json;
  /** The output as AWS writes it (DescribeExecution's output). */
  outputText?: string;
  error?: string;
  cause?: string;
  stopTime?: number;
  transitions: number;
}

/** What happened from outside, fed to step(). */
export type ExecutionInput =
  | { type: 'start' }
  | { type: 'timerFired'; effectId: string }
  | { type: 'taskSucceeded'; effectId: string; output: Json }
  /** The task failed; a service error without a name or cause leaves them out. */
  | { type: 'taskFailed'; effectId: string; error?: string; cause?: string }
  /** An activity worker took the task (GetActivityTask). */
  | { type: 'taskStarted'; effectId: string; workerName?: string }
  /** `.waitForTaskToken`: the service call returned (TaskSubmitted); the task now waits for SendTaskSuccess/Failure. */
  | { type: 'taskSubmitted'; effectId: string; output: Json }
  | { type: 'taskHeartbeat'; effectId: string }
  /** A Map's ItemReader source, as read: the object's text (s3:getObject) or the listed objects (s3:listObjectsV2). */
  | { type: 'itemsRead'; effectId: string; content: Json }
  /** Reading the ItemReader source failed (States.ItemReaderFailed or the service's error). */
  | { type: 'itemsReadFailed'; effectId: string; error: string; cause: string }
  | { type: 'stop'; error?: string; cause?: string }
  /**
   * Step Functions ends the execution from outside its definition (ExecutionFailed with this error
   * and cause): a deleted state machine's execution at its next state transition.
   */
  | { type: 'terminate'; error: string; cause: string }
  /** Runs on from where the last step stopped (a step with StepOptions.maxTransitions leaves frames ready). */
  | { type: 'continue' }
  /**
   * RedriveExecution: a FAILED / TIMED_OUT / ABORTED execution goes on from the state where it
   * stopped; in a Map or Parallel only the iterations / branches that did not succeed run again.
   * Check redriveStatus() first: a step ignores a redrive of an execution that cannot be redriven.
   */
  | { type: 'redrive' }
  /** StopExecution of one of its distributed Maps' child workflow executions (ignored once that child has ended). */
  | { type: 'stopChild'; executionArn: string; error?: string; cause?: string };

/** What the engine must do for the execution (mapRun and childExecution effects only report). */
export type Effect =
  | MapRunReport
  | ChildExecutionReport
  /** Read a distributed Map's ItemReader source (s3:getObject / s3:listObjectsV2 with these parameters); answer with itemsRead. */
  | { kind: 'readItems'; id: string; resource: string; parameters: Json; stateName: string }
  | { kind: 'timer'; id: string; dueAt: number }
  | { kind: 'cancel'; id: string }
  | {
      kind: 'task';
      id: string;
      /** The Task state's Resource ARN as written. */
      resource: string;
      /** `lambda` / `sqs` / `aws-sdk:s3` …; `lambda-function` for a bare function ARN, `activity` for an activity ARN. */
      resourceType: string;
      /** `invoke`, `sendMessage.waitForTaskToken`, the function or activity ARN. */
      resourceName: string;
      /** The state's effective parameters (Parameters / Arguments). */
      input: Json;
      stateName: string;
      taskToken: string | null;
      timeoutSeconds: number | null;
      heartbeatSeconds: number | null;
      credentials: Json | null;
    };

/** A distributed Map's run, for DescribeMapRun / ListMapRuns (sent when it starts and when it ends). */
export interface MapRunReport {
  kind: 'mapRun';
  mapRunArn: string;
  stateName: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  itemCounts: { total: number; succeeded: number; failed: number; running: number; pending: number; aborted?: number };
  /** How many times the map run was redriven (absent before the first redrive). */
  redriveCount?: number;
  /** The execution that started the run when it is not this one: a child workflow execution (a distributed Map inside a distributed Map). */
  executionArn?: string;
}

/**
 * A child workflow execution of a distributed Map, for the execution API (DescribeExecution,
 * ListExecutions by map run): sent when it starts, is redriven, and ends. Its history events
 * (Standard children) are the step's childEvents.
 */
export interface ChildExecutionReport {
  kind: 'childExecution';
  executionArn: string;
  name: string;
  mapRunArn: string;
  /** The Distributed Map state that started it (its ItemProcessor is the child's definition). */
  mapStateName: string;
  express: boolean;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startTime: number;
  stopTime?: number;
  /** Its input as JSON text. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  itemCount: number;
  redriveCount: number;
  redriveTime?: number;
}

export interface StepResult {
  events: HistoryEvent[];
  effects: Effect[];
  /** Frames whose content changed (or were created) in this step. */
  changedFrames: string[];
  /** Frames that ended in this step. */
  removedFrames: string[];
  /** Keys of `values` written in this step, and keys removed. */
  changedValues: string[];
  removedValues: string[];
  /** State transitions done in this step. */
  transitions: number;
  /** History events of child workflow executions (Standard children of distributed Maps), by execution ARN, in id order. */
  childEvents: { executionArn: string; events: HistoryEvent[] }[];
}
