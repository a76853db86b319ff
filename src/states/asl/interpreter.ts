/**
 * The resumable interpreter of the Amazon States Language.
 *
 *   const snapshot = createExecution(definition, start);
 *   let r = await step(definition, snapshot, { type: 'start' }, env);
 *   // persist snapshot (r.changedFrames / r.removedFrames) + r.events in one transaction,
 *   // perform r.effects (tasks, timers), and feed each outcome back:
 *   r = await step(definition, snapshot, { type: 'timerFired', effectId }, env);
 *
 * step() mutates the snapshot it is given (the caller owns it) and runs every frame that can run
 * until each waits for an effect or the execution ends. It is pure apart from that: time, ids and
 * randomness come from `env`.
 *
 * History follows what AWS writes (the recorded executions in test/conformance/stepfunctions are
 * the spec): event types and details, the `previousEventId` chain, EvaluationFailed before a
 * States.QueryEvaluationError, Map/Parallel/MapRun events.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { StatesError, stateFailureCause } from './states-error.js';
import type { CompiledMachine, CompiledState, StateMachineDefinition, StateType } from './model.js';
import type { HistoryEvent, HistoryEventType } from './history.js';
import { detailsKey } from './history.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, ExecutionStart, Frame, StepResult, Work } from './snapshot.js';
import { applyResultPath, evaluateIntrinsic, evaluateJsonataValue, evaluatePayloadTemplate, readFieldPath, resolveReference, type PathScope } from './expr.js';
import { evaluateRule, parseTimestamp } from './choice.js';
import { errorMatches, retryDelayMs } from './retry.js';
import { continueMap, itemsRead, map, mapDone, mapRunFailed, reportMapRun, startIterations, tolerated } from './map-state.js';
import { resultWritten } from './result-writer.js';
import { task } from './task-state.js';
import { fieldError, jsonataText, jsonType, MAX_WAIT_SECONDS, newFrame, positiveInteger, stringOf, waitSeconds, type Outcome } from './state-support.js';
import { isoTime, rawTexts, registerText, resetTextCache, text, textExceeds } from './json-text.js';
import { classifyResource } from './resources.js';
import { dropStopped, keepRunning, keepStopped, restoreFrame, stoppedIndices, takeStopped } from './redrive.js';
import { abortChild, abortChildrenAtEnd, abortMapRun, childContext, childRootOf, emitInChild, endChild, failChildOnRuntimeError, inParentHistory } from './child-executions.js';

/** AWS's payload quota: 256 KiB of UTF-8 for a state's input or output ("Step Functions service quotas"). */
export const MAX_PAYLOAD_BYTES = 262_144;

/** A JSON text over the payload limit (its UTF-8 bytes counted only when its length could be). */
function textOverLimit(written: string): boolean {
  return written.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(written) > MAX_PAYLOAD_BYTES;
}


/** AWS's quota of events in one execution's history. */
const MAX_HISTORY_EVENTS = 25_000;
const TERMINAL_EVENTS = new Set<HistoryEventType>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

export interface StepOptions {
  /** TestState: filled with the values between the steps of each state's processing (afterInputPath, afterParameters, result, …). */
  inspection?: Record<string, Json>;
  /**
   * TestState's stateConfiguration.retrierRetryCount: the retries the matching retrier has made
   * already (a state entered in this step starts its retriers at this count).
   */
  retriesMade?: number;
  /**
   * The most state transitions this step makes; frames that could run on stay ready in the
   * snapshot (`ready`), for a `continue` input. A durable engine gives 1, so that every transition
   * is committed before the next one starts (issue 14); absent, a step runs until every frame
   * waits (Express, TestState).
   */
  maxTransitions?: number;
  /** What of the history the caller reads (HistoryKept); default 'full'. */
  history?: HistoryKept;
}

/**
 * How much of an execution's history a step builds, for a caller that reads less than all of it
 * (an Express execution, whose history only goes to CloudWatch Logs as its machine says):
 * - 'full': every event with its details;
 * - 'withoutData': every event, the states' entered / exited ones without the input and output
 *   texts (logging with includeExecutionData false leaves them out);
 * - 'end': only the execution's end (ExecutionSucceeded / Failed / Aborted / TimedOut), and no
 *   details built for the others (nothing logged, or FATAL: only failed ends).
 * Event ids advance as ever, so a cause that cites one ("entered at the event id #4") reads the same.
 */
export type HistoryKept = 'full' | 'withoutData' | 'end';

export function createExecution(def: StateMachineDefinition, start: ExecutionStart): ExecutionSnapshot {
  const execution: JsonObject = {
    Id: start.executionArn,
    Input: start.input,
    StartTime: isoTime(start.startTime),
    Name: start.name,
    RoleArn: start.roleArn,
    RedriveCount: start.redriveCount ?? 0,
  };
  const root = def.machines[''];
  const snapshot: ExecutionSnapshot = {
    v: 1,
    status: 'RUNNING',
    lastEventId: 0,
    context: { Execution: execution, StateMachine: { Id: start.stateMachineArn, Name: start.stateMachineName } },
    inputText: start.inputText ?? text(start.input),
    region: start.region ?? regionOf(start.executionArn),
    frames: {},
    ready: [],
    nextFrame: 1,
    nextEffect: 1,
    waits: {},
    values: {},
    transitions: 0,
  };
  if (start.inputText !== undefined) registerText(start.input, start.inputText);
  snapshot.frames['0'] = newFrame('0', null, root, -1, false, start.input, 0);
  return snapshot;
}

export async function step(def: StateMachineDefinition, snapshot: ExecutionSnapshot, input: ExecutionInput, env: ExecutionEnv, options: StepOptions = {}): Promise<StepResult> {
  const run = new Run(def, snapshot, env);
  if (options.inspection) run.inspection = options.inspection;
  if (options.retriesMade !== undefined) run.retriesMade = options.retriesMade;
  if (options.maxTransitions !== undefined) run.maxTransitions = options.maxTransitions;
  if (options.history !== undefined) run.history = options.history;
  await run.apply(input);
  await run.drain();
  return run.result();
}


function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/**
 * The entered / exited event type of each state type, as constants: a type name built per event
 * (`${type}StateEntered`) is a new string each time, which every lookup keyed by it (detailsKey's
 * table) must flatten and hash again — measurable in an Express run of many states.
 */
const STATE_ENTERED = Object.fromEntries(
  (['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const).map((t) => [t, `${t}StateEntered` as HistoryEventType]),
) as Record<StateType, HistoryEventType>;
const STATE_EXITED = Object.fromEntries(
  (['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const).map((t) => [t, `${t}StateExited` as HistoryEventType]),
) as Record<StateType, HistoryEventType>;

export class Run {
  readonly events: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  readonly changed = new Set<string>();
  readonly removed: string[] = [];
  readonly changedValues = new Set<string>();
  readonly removedValues: string[] = [];
  transitions = 0;

  constructor(
    readonly def: StateMachineDefinition,
    readonly snap: ExecutionSnapshot,
    readonly env: ExecutionEnv,
  ) {
    // Callers may change values between steps: the text cache starts empty each step.
    resetTextCache();
  }

  private clock = -1;

  /** StepOptions.maxTransitions: once this many transitions are made, no frame enters another state in this step. */
  maxTransitions = Infinity;

  /** Whether this step has made all the transitions it may. */
  get spent(): boolean {
    return this.transitions >= this.maxTransitions;
  }

  /** TestState: retries a retrier has made before the state runs (StepOptions.retriesMade). */
  retriesMade = 0;

  /** StepOptions.history: how much of the history this step builds. */
  history: HistoryKept = 'full';

  /** TestState's inspection data, when asked for: the values between the steps of a state's processing. */
  inspection: Record<string, Json> | null = null;

  /** Records a value of the first state that produces it (TestState's stub states come after). */
  inspect(key: string, value: Json): void {
    if (this.inspection !== null && !(key in this.inspection)) this.inspection[key] = value;
  }

  /**
   * The step's time, read from the environment once: everything one step does happens at one
   * moment (history timestamps are milliseconds; reading the clock per event costs more than the
   * event).
   */
  now(): number {
    if (this.clock < 0) this.clock = this.env.now();
    return this.clock;
  }

  result(): StepResult {
    const changedFrames = [...this.changed].filter((id) => this.snap.frames[id] !== undefined);
    return {
      events: this.events,
      effects: this.effects,
      changedFrames,
      removedFrames: this.removed,
      changedValues: [...this.changedValues],
      removedValues: this.removedValues,
      transitions: this.transitions,
      childEvents: this.childEvents === null ? [] : [...this.childEvents].map(([executionArn, events]) => ({ executionArn, events })),
    };
  }

  /** Events of child workflow executions written in this step, by ARN (child-executions.ts). */
  private childEvents: Map<string, HistoryEvent[]> | null = null;

  childEventsOf(executionArn: string): HistoryEvent[] {
    this.childEvents ??= new Map();
    let events = this.childEvents.get(executionArn);
    if (events === undefined) this.childEvents.set(executionArn, (events = []));
    return events;
  }

  // ---------------------------------------------------------------- inputs

  async apply(input: ExecutionInput): Promise<void> {
    const snap = this.snap;
    if (input.type === 'redrive') return this.redrive();
    if (snap.status !== 'RUNNING') return;
    switch (input.type) {
      case 'continue':
        return;
      case 'start': {
        // Started once: a repeated start (a redelivered job) changes nothing.
        if (snap.lastEventId > 0) return;
        const root = snap.frames['0'];
        const started: JsonObject = {
          input: snap.inputText,
          inputDetails: { truncated: false },
          roleArn: snap.context.Execution.RoleArn as string,
        };
        this.emit(null, 'ExecutionStarted', started, 0);
        if (this.def.timeoutSeconds !== undefined) {
          const id = this.effectId();
          snap.waits[id] = { frame: '0', purpose: 'executionTimeout' };
          this.effects.push({ kind: 'timer', id, dueAt: this.now() + this.def.timeoutSeconds * 1000 });
        }
        this.ready(root);
        return;
      }
      case 'stop': {
        const details: JsonObject = {};
        if (input.error !== undefined) details.error = input.error;
        if (input.cause !== undefined) details.cause = input.cause;
        this.emit(null, 'ExecutionAborted', details, 0);
        this.finish('ABORTED');
        return;
      }
      case 'terminate': {
        // Written after the last event, as the failure at the history quota is (emit).
        this.emit(null, 'ExecutionFailed', { error: input.error, cause: input.cause }, snap.lastEventId);
        snap.error = input.error;
        snap.cause = input.cause;
        this.finish('FAILED');
        return;
      }
      case 'stopChild':
        return this.stopChild(input.executionArn, { ...(input.error !== undefined && { error: input.error }), ...(input.cause !== undefined && { cause: input.cause }) });
      default:
        break;
    }
    const wait = snap.waits[input.effectId];
    if (!wait) return;
    delete snap.waits[input.effectId];
    if (wait.purpose === 'executionTimeout') {
      this.emit(null, 'ExecutionTimedOut', { error: 'States.Timeout' }, this.snap.lastEventId);
      snap.error = 'States.Timeout';
      this.finish('TIMED_OUT');
      return;
    }
    const frame = snap.frames[wait.frame];
    if (!frame || frame.phase !== 'blocked') return;
    this.touch(frame);
    const state = this.stateOf(frame);
    let outcome: Outcome;
    try {
      outcome = await this.resume(frame, state, wait.purpose, input);
    } catch (err) {
      outcome = this.errorOutcome(err);
    }
    await this.settle(frame, state, outcome);
    const phase: string = frame.phase;
    if (phase === 'enter' || phase === 'run') this.ready(frame);
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution goes on from the state where it
   * stopped (developer guide, "Restarting state machine executions with redrive"): ExecutionRedriven
   * (redriveCount), `$$.Execution.RedriveCount` one more, and that state entered again with the
   * input it had. A Map or Parallel state goes on with only the iterations / branches that did not
   * succeed, each from where it stopped (redrive.ts); the others keep their results.
   */
  private redrive(): void {
    const snap = this.snap;
    if (snap.status !== 'FAILED' && snap.status !== 'TIMED_OUT' && snap.status !== 'ABORTED') return;
    const root = snap.frames['0'];
    if (!root) return;
    const redriveCount = Number(snap.context.Execution.RedriveCount ?? 0) + 1;
    // `$$.Execution.RedriveTime` exists only once an execution has been redriven (Developer Guide,
    // "Accessing execution data from the Context object"): the time of the last redrive.
    snap.context.Execution = { ...snap.context.Execution, RedriveCount: redriveCount, RedriveTime: isoTime(this.now()) };
    snap.status = 'RUNNING';
    delete snap.error;
    delete snap.cause;
    delete snap.stopTime;
    if (root.work?.kind === 'map' || root.work?.kind === 'parallel') root.work.redrive = true;
    else {
      this.clearMapValues(root);
      root.work = null;
    }
    root.phase = 'enter';
    root.last = this.emit(null, 'ExecutionRedriven', { redriveCount }, snap.lastEventId);
    if (this.def.timeoutSeconds !== undefined) {
      const id = this.effectId();
      snap.waits[id] = { frame: '0', purpose: 'executionTimeout' };
      this.effects.push({ kind: 'timer', id, dueAt: this.now() + this.def.timeoutSeconds * 1000 });
    }
    this.touch(root);
    this.ready(root);
  }

  /**
   * StopExecution of one of this execution's running child workflow executions: it is aborted
   * (ExecutionAborted with the error and cause given, ABORTED) and its Map counts the item as one
   * that did not succeed — its tolerated failures decide whether the map run goes on. An ended or
   * unknown child changes nothing.
   */
  private stopChild(executionArn: string, details: { error?: string; cause?: string }): void {
    const root = Object.values(this.snap.frames).find((f) => f.child?.arn === executionArn);
    const parent = root?.parent === null || root === undefined ? undefined : this.snap.frames[root.parent];
    if (root === undefined || parent?.work?.kind !== 'map') return;
    abortChild(this, root, details);
    parent.work.stops = (parent.work.stops ?? 0) + 1;
    this.childFailed(parent, root, null, null);
  }

  /** Runs ready frames (and the continuations their ends queue) until every frame waits or the execution ends. */
  async drain(): Promise<void> {
    const snap = this.snap;
    if (this.pending.length > 0) await this.flush();
    while (snap.status === 'RUNNING' && snap.ready.length > 0 && !this.spent) {
      const id = snap.ready.shift()!;
      const frame = snap.frames[id];
      if (!frame || (frame.phase !== 'enter' && frame.phase !== 'run')) continue;
      await this.runFrame(frame);
      if (this.pending.length > 0) await this.flush();
    }
  }

  // ---------------------------------------------------------------- frames

  ready(frame: Frame): void {
    this.snap.ready.push(frame.id);
  }

  touch(frame: Frame): void {
    this.changed.add(frame.id);
  }

  effectId(): string {
    return `e${this.snap.nextEffect++}`;
  }

  machineOf(frame: Frame): CompiledMachine {
    return this.def.machines[frame.machine];
  }

  stateOf(frame: Frame): CompiledState {
    return this.machineOf(frame).states[frame.state];
  }

  async runFrame(frame: Frame): Promise<void> {
    this.touch(frame);
    while ((frame.phase === 'enter' || frame.phase === 'run') && this.snap.status === 'RUNNING') {
      if (frame.phase === 'enter' && this.spent) {
        // The next transition waits for the next step (after the caller commits this one); the
        // frame goes first, so frames run in the order an unbounded step runs them.
        this.snap.ready.unshift(frame.id);
        return;
      }
      const state = this.stateOf(frame);
      if (frame.phase === 'enter') this.enter(frame, state);
      frame.phase = 'run';
      let outcome: Outcome;
      try {
        const pending = this.execute(frame, state);
        outcome = pending instanceof Promise ? await pending : pending;
      } catch (err) {
        outcome = this.errorOutcome(err);
      }
      const settling = this.settle(frame, state, outcome);
      if (settling) await settling;
    }
  }

  errorOutcome(err: unknown): Outcome {
    if (err instanceof StatesError) {
      const location = (err as { location?: unknown }).location;
      return { kind: 'error', error: err.error, cause: err.cause, evaluation: true, ...(typeof location === 'string' ? { location } : {}) };
    }
    throw err;
  }

  enter(frame: Frame, state: CompiledState): void {
    frame.enteredTime = this.now();
    frame.enteredPrev = frame.last;
    frame.attempts = [];
    frame.retryCount = 0;
    // A redriven Map / Parallel keeps its progress (its iterations' results, the ones to run again).
    if (!((frame.work?.kind === 'map' || frame.work?.kind === 'parallel') && frame.work.redrive)) frame.work = null;
    frame.taskToken = null;
    const kept = this.history;
    const details: JsonObject | null = kept === 'full' ? { name: state.name, input: text(this.inputOf(frame)), inputDetails: { truncated: false } } : kept === 'withoutData' ? { name: state.name } : null;
    const id = this.emit(frame, STATE_ENTERED[state.type], details, frame.last);
    frame.entered = id;
    frame.last = this.chain(frame, id);
  }

  /** Applies an outcome: exit to the next state, wait, or handle an error. */
  /** Applies an outcome; a promise only when handling an error may evaluate expressions. */
  settle(frame: Frame, state: CompiledState, outcome: Outcome): Promise<void> | void {
    switch (outcome.kind) {
      case 'block':
        frame.phase = 'blocked';
        return;
      case 'exit': {
        // The output's text is written for the state's exited event anyway when the history is
        // kept (`text` remembers it); otherwise a bound of its size usually settles the limit.
        if (this.history === 'full' ? textOverLimit(text(outcome.output)) : textExceeds(outcome.output, MAX_PAYLOAD_BYTES)) {
          const cause = `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`;
          return this.handleError(frame, state, { kind: 'error', error: 'States.DataLimitExceeded', cause, evaluation: false });
        }
        this.exit(frame, state, outcome.output, outcome.next, outcome.assigned);
        return;
      }
      case 'fail':
        this.failFrame(frame, outcome.error, outcome.cause);
        return;
      case 'error':
        return this.handleError(frame, state, outcome);
    }
  }

  exit(frame: Frame, state: CompiledState, output: Json, next: string | null, assigned: JsonObject | null): void {
    if (state.type !== 'Fail') {
      const kept = this.history;
      const details: JsonObject | null = kept === 'full' ? { name: state.name, output: text(output), outputDetails: { truncated: false } } : kept === 'withoutData' ? { name: state.name } : null;
      if (details !== null && assigned !== null) {
        const shown: JsonObject = {};
        for (const [k, v] of Object.entries(assigned)) shown[k] = text(v);
        details.assignedVariables = shown;
        details.assignedVariablesDetails = { truncated: false };
      }
      const id = this.emit(frame, STATE_EXITED[state.type], details, frame.last);
      frame.last = this.chain(frame, id);
    }
    if (assigned !== null) Object.assign(frame.vars, assigned);
    this.transitions++;
    this.snap.transitions++;
    this.clearMapValues(frame);
    frame.work = null;
    if (next !== null) {
      frame.state = next;
      frame.input = output;
      frame.phase = 'enter';
    } else this.endFrame(frame, output);
  }

  endFrame(frame: Frame, output: Json): void {
    frame.phase = 'done';
    if (frame.parent === null) {
      const outputText = text(output);
      this.emit(null, 'ExecutionSucceeded', { output: outputText, outputDetails: { truncated: false } }, frame.last);
      this.snap.output = output;
      this.snap.outputText = outputText;
      this.finish('SUCCEEDED');
      return;
    }
    const parent = this.snap.frames[frame.parent];
    if (frame.child !== undefined) endChild(this, frame, 'SUCCEEDED', { output }, frame.last);
    this.removeFrame(frame);
    this.childSucceeded(parent, frame, output);
  }

  failFrame(frame: Frame, error: string | null, cause: string | null): void {
    frame.phase = 'done';
    if (frame.parent === null) {
      const details: JsonObject = {};
      if (error !== null) details.error = error;
      if (cause !== null && cause !== '') details.cause = cause;
      this.emit(null, 'ExecutionFailed', details, frame.last);
      if (error !== null) this.snap.error = error;
      if (cause !== null) this.snap.cause = cause;
      this.finish('FAILED');
      return;
    }
    // States.Runtime is terminal for the whole execution: no <Type>StateFailed / MapIterationFailed
    // on the way up (measured in us-east-1: ParallelStateStarted, PassStateEntered, ExecutionFailed;
    // floci-io/floci#2868).
    if (error === 'States.Runtime') {
      // Inside a child workflow execution it ends that execution, not this one.
      const root = frame.hidden ? childRootOf(this, frame) : undefined;
      if (root !== undefined) return failChildOnRuntimeError(this, root, error, cause, frame.last);
      const details: JsonObject = { error };
      if (cause !== null && cause !== '') details.cause = cause;
      this.emit(null, 'ExecutionFailed', details, frame.hidden ? this.snap.lastEventId : frame.last);
      this.snap.error = error;
      if (cause !== null) this.snap.cause = cause;
      this.finish('FAILED');
      return;
    }
    const parent = this.snap.frames[frame.parent];
    // A Task whose error ends a Parallel branch is written as aborted, after its failure
    // (recorded test_sqs_failure_in_wait_for_task_tok_no_error_field, test_parallel_catch_error).
    if (parent.work?.kind === 'parallel' && this.stateOf(frame).type === 'Task') this.emit(frame, 'TaskStateAborted', null, frame.last);
    if (frame.child !== undefined) endChild(this, frame, 'FAILED', { error, cause }, frame.last);
    keepStopped(this, frame);
    this.removeFrame(frame);
    this.childFailed(parent, frame, error, cause);
  }

  /** Drops the values of the Map state a frame was running (it ended, failed or was caught). */
  clearMapValues(frame: Frame): void {
    if (frame.work?.kind === 'parallel' && frame.work.stoppedKept) dropStopped(this, frame);
    if (frame.inputRef !== null) {
      frame.input = this.inputOf(frame);
      this.deleteValue(frame.inputRef);
      this.deleteValue(`effective/${frame.id}`);
      frame.inputRef = null;
    }
    if (frame.work?.kind !== 'map') return;
    if (frame.work.stoppedKept) dropStopped(this, frame);
    for (let i = 0; i < frame.work.count; i++) this.deleteValue(`result/${frame.id}/${i}`);
    this.deleteValue(`items/${frame.id}`);
  }

  removeFrame(frame: Frame): void {
    this.clearMapValues(frame);
    delete this.snap.frames[frame.id];
    this.removed.push(frame.id);
    this.changed.delete(frame.id);
  }

  /** Ends the execution: every outstanding effect is cancelled. */
  finish(status: ExecutionSnapshot['status']): void {
    const snap = this.snap;
    snap.status = status;
    snap.stopTime = this.now();
    for (const id of Object.keys(snap.waits)) this.effects.push({ kind: 'cancel', id });
    snap.waits = {};
    snap.ready = [];
    // Child workflow executions still running are aborted with it (and their map runs).
    if (status !== 'SUCCEEDED') abortChildrenAtEnd(this);
    // Branches / iterations still running are kept for a redrive by their parents.
    if (status !== 'SUCCEEDED') keepRunning(this);
    for (const id of Object.keys(snap.frames)) {
      if (id !== '0') this.removeFrame(snap.frames[id]);
    }
    const root = snap.frames['0'];
    if (root) {
      // A Map or Parallel the execution stopped in keeps its progress (and a Map its items and
      // results) for a redrive; otherwise nothing is left behind and the state's input goes back
      // to the frame (a redrive enters that state again with it).
      if (status === 'SUCCEEDED' || (root.work?.kind !== 'map' && root.work?.kind !== 'parallel')) this.clearMapValues(root);
      root.phase = 'done';
      this.touch(root);
    }
  }

  emit(frame: Frame | null, type: HistoryEventType, details: JsonObject | null, previous: number): number {
    if (frame?.hidden) return emitInChild(this, frame, type, details, previous);
    if (this.snap.status !== 'RUNNING' && type !== 'ExecutionRedriven') return 0;
    // The 25,000th event of an execution is its failure (Step Functions quotas: history events;
    // measured shape in floci-io/floci#2734: ExecutionFailed id 25000, previousEventId 24999).
    if (this.snap.lastEventId === MAX_HISTORY_EVENTS - 1 && !TERMINAL_EVENTS.has(type)) {
      this.emit(null, 'ExecutionFailed', { error: 'States.Runtime', cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).` }, this.snap.lastEventId);
      this.snap.error = 'States.Runtime';
      this.snap.cause = `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`;
      this.finish('FAILED');
      return 0;
    }
    const id = ++this.snap.lastEventId;
    if (this.history === 'end' && !TERMINAL_EVENTS.has(type)) return id;
    const event: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: previous };
    const key = detailsKey(type);
    if (key !== null && details !== null) event[key] = details;
    this.events.push(event);
    return id;
  }

  // ---------------------------------------------------------------- scopes

  private readonly contexts = new Map<string, { state: string; entered: number; time: number; retries: number; token: string | null; ctx: JsonObject }>();

  /** The context object (`$$`) of a frame's current state; built once per state entry (treat it as read-only). */
  context(frame: Frame): JsonObject {
    const cached = this.contexts.get(frame.id);
    if (cached && cached.state === frame.state && cached.entered === frame.entered && cached.time === frame.enteredTime && cached.retries === frame.retryCount && cached.token === frame.taskToken) return cached.ctx;
    // A child workflow execution's own execution and (labeled) state machine.
    const root = frame.hidden ? childRootOf(this, frame) : undefined;
    const own = root === undefined ? this.snap.context : childContext(this, root);
    const ctx: JsonObject = {
      Execution: own.Execution,
      StateMachine: own.StateMachine,
      State: this.stateContext(frame),
    };
    if (frame.taskToken !== null) ctx.Task = { Token: frame.taskToken };
    this.contexts.set(frame.id, { state: frame.state, entered: frame.entered, time: frame.enteredTime, retries: frame.retryCount, token: frame.taskToken, ctx });
    return ctx;
  }

  /** `$$.State`: RetryCount only for the states that retry (Task, Parallel, Map), as AWS writes it. */
  stateContext(frame: Frame): JsonObject {
    const type = this.stateOf(frame).type;
    const state: JsonObject = { Name: frame.state, EnteredTime: isoTime(frame.enteredTime) };
    if (type === 'Task' || type === 'Parallel' || type === 'Map') state.RetryCount = frame.retryCount;
    return state;
  }

  /**
   * The variables a frame sees: its own over its ancestors' (read-only for it). A distributed
   * Map's iterations are child workflows and do not see the outer scopes ("Passing data between
   * states with variables", variable scope).
   */
  variables(frame: Frame): Record<string, Json> {
    if (frame.parent === null) return frame.vars;
    const chain: JsonObject[] = [];
    for (let f: Frame | undefined = frame; f; f = f.parent === null ? undefined : this.snap.frames[f.parent]) {
      chain.push(f.vars);
      if (f.child !== undefined || (f.hidden && f.parent !== null && !this.snap.frames[f.parent]?.hidden)) break;
    }
    const out: JsonObject = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
    return out;
  }

  scope(frame: Frame, input: Json, context?: JsonObject): PathScope {
    return { input, context: context ?? this.context(frame), variables: this.variables(frame) };
  }

  jsonata(frame: Frame, value: Json, field: string, extra?: { result?: Json; errorOutput?: Json; context?: JsonObject; input?: Json }): Promise<Json> {
    const states: { input: Json; context: Json; result?: Json; errorOutput?: Json } = {
      input: extra?.input !== undefined ? extra.input : this.inputOf(frame),
      context: extra?.context ?? this.context(frame),
    };
    if (extra && 'result' in extra) states.result = extra.result;
    if (extra && 'errorOutput' in extra) states.errorOutput = extra.errorOutput;
    return evaluateJsonataValue(value, states, this.variables(frame), field);
  }

  // ---------------------------------------------------------------- JSONPath input/output

  inputPath(frame: Frame, state: CompiledState): Json {
    const effective = this.selectPath(frame, state.raw, 'InputPath', this.inputOf(frame));
    this.inspect('afterInputPath', effective);
    return effective;
  }

  outputPath(frame: Frame, state: CompiledState, value: Json): Json {
    return this.selectPath(frame, state.raw, 'OutputPath', value);
  }

  /** InputPath / OutputPath: absent is `$`, null is `{}` ("InputPath, Parameters and ResultSelector"). */
  selectPath(frame: Frame, raw: JsonObject, field: string, value: Json): Json {
    if (!(field in raw)) return value;
    const path = raw[field];
    if (path === null) return {};
    if (path === '$') return value;
    const found = resolveReference(path as string, this.scope(frame, value));
    if (found.found) return found.value;
    const reason = (found as { reason?: string }).reason;
    throw new StatesError('States.Runtime', `Invalid path '${path as string}' : ${reason ?? `No results for path: ${path as string}`}`);
  }

  /** ResultSelector, then ResultPath onto the state's input, then OutputPath. */
  jsonPathResult(frame: Frame, state: CompiledState, result: Json): { output: Json; selected: Json } {
    const raw = state.raw;
    this.inspect('result', result);
    const selected = 'ResultSelector' in raw ? evaluatePayloadTemplate(raw.ResultSelector, this.scope(frame, result), 'ResultSelector') : result;
    this.inspect('afterResultSelector', selected);
    const path = 'ResultPath' in raw ? (raw.ResultPath as string | null) : '$';
    const merged = applyResultPath(path, this.inputOf(frame), selected);
    this.inspect('afterResultPath', merged);
    return { output: this.outputPath(frame, state, merged), selected };
  }

  assignJsonPath(frame: Frame, raw: JsonObject, value: Json): JsonObject | null {
    if (!isJsonObject(raw.Assign)) return null;
    return evaluatePayloadTemplate(raw.Assign, this.scope(frame, value), 'Assign') as JsonObject;
  }

  async assignJsonata(frame: Frame, raw: JsonObject, extra: { result?: Json; errorOutput?: Json }): Promise<JsonObject | null> {
    if (!isJsonObject(raw.Assign)) return null;
    return (await this.jsonata(frame, raw.Assign, 'Assign', extra)) as JsonObject;
  }

  // ---------------------------------------------------------------- states

  /** A state's work; synchronous where nothing in it is (JSONPath Pass and Choice), a promise otherwise. */
  execute(frame: Frame, state: CompiledState): Outcome | Promise<Outcome> {
    const jsonata = state.queryLanguage === 'JSONata';
    switch (state.type) {
      case 'Pass':
        return jsonata ? this.passJsonata(frame, state) : this.passJsonPath(frame, state);
      case 'Succeed': {
        if (jsonata) {
          if (!('Output' in state.raw)) return { kind: 'exit', output: this.inputOf(frame), next: null, assigned: null };
          return this.jsonata(frame, state.raw.Output, 'Output').then((output) => ({ kind: 'exit', output, next: null, assigned: null }));
        }
        const output = this.outputPath(frame, state, this.inputPath(frame, state));
        return { kind: 'exit', output, next: null, assigned: null };
      }
      case 'Fail':
        return this.fail(frame, state);
      case 'Choice':
        return jsonata ? this.choiceJsonata(frame, state) : this.choiceJsonPath(frame, state);
      case 'Wait':
        return this.wait(frame, state);
      case 'Task':
        return task(this, frame, state);
      case 'Parallel':
        return this.parallel(frame, state);
      case 'Map':
        return map(this, frame, state);
    }
  }

  passJsonPath(frame: Frame, state: CompiledState): Outcome {
    const raw = state.raw;
    const effective = this.inputPath(frame, state);
    let result: Json;
    if ('Parameters' in raw) {
      result = evaluatePayloadTemplate(raw.Parameters, this.scope(frame, effective), 'Parameters');
      this.inspect('afterParameters', result);
    } else if ('Result' in raw) result = raw.Result;
    else result = effective;
    this.inspect('result', result);
    const assigned = this.assignJsonPath(frame, raw, result);
    const path = 'ResultPath' in raw ? (raw.ResultPath as string | null) : '$';
    const merged = applyResultPath(path, this.inputOf(frame), result);
    this.inspect('afterResultPath', merged);
    const output = this.outputPath(frame, state, merged);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  async passJsonata(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const assigned = await this.assignJsonata(frame, raw, {});
    const output = 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  async fail(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    let error: Json | undefined = raw.Error;
    let cause: Json | undefined = raw.Cause;
    if (state.queryLanguage === 'JSONata') {
      if (error !== undefined) error = await this.jsonata(frame, error, 'Error');
      if (cause !== undefined) cause = await this.jsonata(frame, cause, 'Cause');
    } else {
      if (typeof raw.ErrorPath === 'string') error = this.failPath(frame, raw.ErrorPath, 'ErrorPath');
      if (typeof raw.CausePath === 'string') cause = this.failPath(frame, raw.CausePath, 'CausePath');
    }
    return { kind: 'fail', error: error === undefined || error === null ? null : stringOf(error), cause: cause === undefined || cause === null ? null : stringOf(cause) };
  }

  /** ErrorPath / CausePath: a reference path or an intrinsic function. */
  failPath(frame: Frame, path: string, field: string): Json {
    const scope = this.scope(frame, this.inputOf(frame));
    if (path.startsWith('States.')) return evaluateIntrinsic(path, scope, field);
    return readFieldPath(path, scope, field);
  }

  async choiceJsonata(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    {
      for (const [i, rule] of (state.choices ?? []).entries()) {
        // AWS names the field with the rule's index: "Choices[1]/Condition" (floci-io/floci#2689).
        const matched = await this.jsonata(frame, rule.rule.Condition, `Choices[${i}]/Condition`);
        if (typeof matched !== 'boolean') {
          throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${jsonataText(rule.rule.Condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${jsonType(matched)}' for value: ${text(matched)}`);
        }
        if (matched) {
          const assigned = rule.assign ? ((await this.jsonata(frame, rule.assign, `Choices[${i}]/Assign`)) as JsonObject) : await this.assignJsonata(frame, raw, {});
          const output = rule.output !== undefined ? await this.jsonata(frame, rule.output, `Choices[${i}]/Output`) : 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
          return { kind: 'exit', output, next: rule.next, assigned };
        }
      }
      if (!state.defaultNext) return noChoice();
      const assigned = await this.assignJsonata(frame, raw, {});
      const output = 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
      return { kind: 'exit', output, next: state.defaultNext, assigned };
    }
  }

  choiceJsonPath(frame: Frame, state: CompiledState): Outcome {
    const raw = state.raw;
    const effective = this.inputPath(frame, state);
    const scope = this.scope(frame, effective);
    for (const rule of state.choices ?? []) {
      if (evaluateRule(rule.rule, scope)) {
        const assigned = rule.assign ? (evaluatePayloadTemplate(rule.assign, scope, 'Assign') as JsonObject) : this.assignJsonPath(frame, raw, effective);
        return { kind: 'exit', output: this.outputPath(frame, state, effective), next: rule.next, assigned };
      }
    }
    if (!state.defaultNext) return noChoice();
    const assigned = this.assignJsonPath(frame, raw, effective);
    return { kind: 'exit', output: this.outputPath(frame, state, effective), next: state.defaultNext, assigned };
  }

  async wait(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const now = this.now();
    let dueAt: number;
    let output: Json;
    let assigned: JsonObject | null;
    if (state.queryLanguage === 'JSONata') {
      if ('Seconds' in raw) {
        const seconds = await this.jsonata(frame, raw.Seconds, 'Seconds');
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
          throw fieldError('States.QueryEvaluationError', `The Seconds field refers to value ${text(seconds)} which is not a valid non-negative integer`, 'Seconds');
        }
        dueAt = now + waitSeconds(seconds) * 1000;
      } else {
        const stamp = await this.jsonata(frame, raw.Timestamp, 'Timestamp');
        const at = typeof stamp === 'string' ? parseTimestamp(stamp) : null;
        if (at === null) throw fieldError('States.QueryEvaluationError', `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${stringOf(stamp)}`, 'Timestamp');
        dueAt = this.checkDelay(at, now);
      }
      assigned = await this.assignJsonata(frame, raw, {});
      output = 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
    } else {
      const effective = this.inputPath(frame, state);
      if ('Seconds' in raw) dueAt = now + (raw.Seconds as number) * 1000;
      else if ('Timestamp' in raw) dueAt = this.checkDelay(parseTimestamp(raw.Timestamp as string) ?? now, now);
      else if ('SecondsPath' in raw) {
        const path = raw.SecondsPath as string;
        const found = resolveReference(path, this.scope(frame, effective));
        if (!found.found) throw new StatesError('States.Runtime', `The SecondsPath parameter does not reference an input value: ${path}`);
        const value = found.value;
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new StatesError('States.Runtime', `The SecondsPath parameter cannot be parsed as a long value: ${path} == ${stringOf(value)}`);
        if (value < 0) throw new StatesError('States.Runtime', `The SecondsPath parameter references a negative value: ${path} == ${value}`);
        dueAt = now + waitSeconds(value) * 1000;
      } else {
        const path = raw.TimestampPath as string;
        const found = resolveReference(path, this.scope(frame, effective));
        if (!found.found) throw new StatesError('States.Runtime', `The TimestampPath parameter does not reference an input value: ${path}`);
        const at = typeof found.value === 'string' ? parseTimestamp(found.value) : null;
        if (at === null) {
          throw new StatesError('States.Runtime', `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${stringOf(found.value)}`);
        }
        dueAt = this.checkDelay(at, now);
      }
      assigned = this.assignJsonPath(frame, raw, effective);
      output = this.outputPath(frame, state, effective);
    }
    if (dueAt <= now) return { kind: 'exit', output, next: state.next, assigned };
    const id = this.effectId();
    this.snap.waits[id] = { frame: frame.id, purpose: 'wait' };
    this.effects.push({ kind: 'timer', id, dueAt });
    frame.work = { kind: 'wait', effect: id, output, assigned };
    return { kind: 'block' };
  }

  checkDelay(at: number, now: number): number {
    if ((at - now) / 1000 > MAX_WAIT_SECONDS) throw new StatesError('States.Runtime', 'Wait state delay is too long.');
    return at;
  }

  // ---------------------------------------------------------------- Task

  /** The next `previousEventId` of a frame's chain after an event: that event, unless it went nowhere (0, a frame of an Express child). */
  chain(frame: Frame, id: number): number {
    return frame.hidden && id === 0 ? frame.last : id;
  }

  /** A task's outcome or timer, or a Wait / retry timer, arrives. */
  async resume(frame: Frame, state: CompiledState, purpose: string, input: ExecutionInput): Promise<Outcome> {
    const work = frame.work;
    if (purpose === 'wait' && work?.kind === 'wait') {
      return { kind: 'exit', output: work.output, next: state.next, assigned: work.assigned };
    }
    if (purpose === 'readItems') {
      if (input.type === 'itemsRead') return itemsRead(this, frame, state, input.content);
      if (input.type === 'itemsReadFailed') return mapRunFailed(this, frame, state, input.error, input.cause);
      return { kind: 'block' };
    }
    if (purpose === 'writeResults') {
      // A distributed Map's ResultWriter wrote a file (or could not): result-writer.ts.
      return resultWritten(this, frame, state, input, (output) => mapDone(this, frame, state, output), (error, cause) => mapRunFailed(this, frame, state, error, cause));
    }
    if (purpose === 'retry') {
      frame.phase = 'run';
      frame.work = null;
      return this.execute(frame, state);
    }
    if (work?.kind !== 'task') return { kind: 'block' };
    const family = work.family;
    if (input.type === 'taskStarted') {
      // An activity worker took the task (GetActivityTask): ActivityStarted names the worker.
      if (family === 'activity') frame.last = this.chain(frame, this.emit(frame, 'ActivityStarted', input.workerName !== undefined ? { workerName: input.workerName } : {}, frame.last));
      this.snap.waits[work.effect] = { frame: frame.id, purpose: 'task' };
      return { kind: 'block' };
    }
    if (input.type === 'taskSubmitted') {
      // `.waitForTaskToken`: the service call returned; the task waits for its token.
      frame.last = this.chain(frame, this.emit(frame, 'TaskSubmitted', { ...(family === 'task' ? { resourceType: work.resourceType, resource: work.resourceName } : {}), output: text(input.output), outputDetails: { truncated: false } }, frame.last));
      this.snap.waits[work.effect] = { frame: frame.id, purpose: 'task' };
      return { kind: 'block' };
    }
    if (input.type === 'taskHeartbeat') {
      // Heartbeat: the heartbeat timer starts over.
      if (work.heartbeat !== null && work.heartbeatSeconds !== null) {
        this.effects.push({ kind: 'cancel', id: work.heartbeat });
        const hb = this.effectId();
        this.snap.waits[hb] = { frame: frame.id, purpose: 'heartbeat' };
        delete this.snap.waits[work.heartbeat];
        work.heartbeat = hb;
        this.effects.push({ kind: 'timer', id: hb, dueAt: this.now() + work.heartbeatSeconds * 1000 });
      }
      this.snap.waits[work.effect] = { frame: frame.id, purpose: 'task' };
      return { kind: 'block' };
    }
    // The task ends one way or another: cancel what is left of it.
    for (const id of [work.effect, work.timer, work.heartbeat]) {
      if (id !== null && this.snap.waits[id]) {
        delete this.snap.waits[id];
        this.effects.push({ kind: 'cancel', id });
      }
    }
    const prefix = family === 'lambda' ? 'LambdaFunction' : family === 'activity' ? 'Activity' : 'Task';
    const base: JsonObject = family === 'task' ? { resourceType: work.resourceType, resource: work.resourceName } : {};
    if (purpose === 'taskTimeout' || purpose === 'heartbeat') {
      // A task (or heartbeat) timeout: States.Timeout without a cause (recorded test_heartbeat_timeout).
      const details: JsonObject = { ...base, error: 'States.Timeout' };
      frame.last = this.chain(frame, this.emit(frame, `${prefix}TimedOut` as HistoryEventType, details, frame.last));
      // The error output a Catch sees has an empty Cause (recorded test_invoke_timeout).
      return { kind: 'error', error: 'States.Timeout', cause: '', evaluation: false };
    }
    if (input.type === 'taskFailed') {
      const details: JsonObject = { ...base };
      if (input.error !== undefined) details.error = input.error;
      if (input.cause !== undefined) details.cause = input.cause;
      frame.last = this.chain(frame, this.emit(frame, `${prefix}Failed` as HistoryEventType, details, frame.last));
      return { kind: 'error', error: input.error ?? null, cause: input.cause ?? null, evaluation: false };
    }
    if (input.type !== 'taskSucceeded') return { kind: 'block' };
    const result = input.output;
    // A result over the payload quota fails the task (recorded test_service_task_lambada_data_limit_exceeded…).
    const resultText = text(result);
    if (textOverLimit(resultText)) {
      const cause = `The state/task '${work.resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`;
      frame.last = this.chain(frame, this.emit(frame, `${prefix}Failed` as HistoryEventType, { ...base, error: 'States.DataLimitExceeded', cause }, frame.last));
      return { kind: 'error', error: 'States.DataLimitExceeded', cause, evaluation: false };
    }
    frame.last = this.chain(frame, this.emit(frame, `${prefix}Succeeded` as HistoryEventType, { ...base, output: text(result), outputDetails: { truncated: false } }, frame.last));
    if (state.queryLanguage === 'JSONata') {
      this.inspect('result', result);
      const assigned = await this.assignJsonata(frame, state.raw, { result });
      const output = 'Output' in state.raw ? await this.jsonata(frame, state.raw.Output, 'Output', { result }) : result;
      return { kind: 'exit', output, next: state.next, assigned };
    }
    const { output, selected } = this.jsonPathResult(frame, state, result);
    const assigned = this.assignJsonPath(frame, state.raw, selected);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  // ---------------------------------------------------------------- Parallel

  async parallel(frame: Frame, state: CompiledState): Promise<Outcome> {
    if (frame.work?.kind === 'parallel' && frame.work.redrive) return this.parallelRedriven(frame, state, frame.work);
    const raw = state.raw;
    let branchInput: Json;
    if (state.queryLanguage === 'JSONata') branchInput = 'Arguments' in raw ? await this.jsonata(frame, raw.Arguments, 'Arguments') : this.inputOf(frame);
    else {
      const effective = this.inputPath(frame, state);
      branchInput = 'Parameters' in raw ? evaluatePayloadTemplate(raw.Parameters, this.scope(frame, effective), 'Parameters') : effective;
    }
    const started = this.emit(frame, 'ParallelStateStarted', null, frame.last);
    frame.last = this.chain(frame, started);
    const branches = state.branches ?? [];
    const work: Work = { kind: 'parallel', results: new Array<Json>(branches.length).fill(null), remaining: branches.length, running: [], lastChildEvent: frame.last };
    frame.work = work;
    branches.forEach((machineId, i) => {
      const child = newFrame(String(this.snap.nextFrame++), frame.id, this.def.machines[machineId], i, frame.hidden, branchInput, frame.last);
      this.snap.frames[child.id] = child;
      work.running.push(child.id);
      this.touch(child);
      this.ready(child);
    });
    if (branches.length === 0) return this.parallelDone(frame, state);
    return { kind: 'block' };
  }

  /** A redriven Parallel: the branches that failed or were aborted run again from where they stopped; the others keep their results. */
  parallelRedriven(frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'parallel' }>): Promise<Outcome> | Outcome {
    work.redrive = false;
    frame.last = this.chain(frame, this.emit(frame, 'ParallelStateStarted', null, frame.last));
    work.running = [];
    work.lastChildEvent = frame.last;
    const branches = state.branches ?? [];
    const indices = stoppedIndices(this, frame);
    work.remaining = indices.length;
    for (const i of indices) {
      const child = restoreFrame(this, frame, this.def.machines[branches[i]], i, frame.hidden, takeStopped(this, frame, i)!, frame.last);
      work.running.push(child.id);
      this.ready(child);
    }
    if (indices.length === 0) return this.parallelDone(frame, state);
    return { kind: 'block' };
  }

  async parallelDone(frame: Frame, state: CompiledState): Promise<Outcome> {
    const work = frame.work as Extract<Work, { kind: 'parallel' }>;
    frame.last = this.chain(frame, work.lastChildEvent);
    this.emit(frame, 'ParallelStateSucceeded', null, frame.last);
    if (work.results.some((r) => r !== null && typeof r === 'object' && rawTexts.has(r))) registerText(work.results, `[${work.results.map(text).join(',')}]`);
    return this.aggregate(frame, state, work.results);
  }

  /** The result of a Parallel / Map state (an array) through ResultSelector/ResultPath/OutputPath or Output. */
  async aggregate(frame: Frame, state: CompiledState, result: Json): Promise<Outcome> {
    if (state.queryLanguage === 'JSONata') {
      this.inspect('result', result);
      const assigned = await this.assignJsonata(frame, state.raw, { result });
      const output = 'Output' in state.raw ? await this.jsonata(frame, state.raw.Output, 'Output', { result }) : result;
      return { kind: 'exit', output, next: state.next, assigned };
    }
    const { output, selected } = this.jsonPathResult(frame, state, result);
    const assigned = this.assignJsonPath(frame, state.raw, selected);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  // ---------------------------------------------------------------- Map

  /** The current state's input: in the frame, or (while a Map runs) among the snapshot values. */
  inputOf(frame: Frame): Json {
    return frame.inputRef !== null ? (this.snap.values[frame.inputRef] ?? null) : frame.input;
  }

  setValue(key: string, value: Json): void {
    this.snap.values[key] = value;
    this.changedValues.add(key);
  }

  deleteValue(key: string): void {
    if (!(key in this.snap.values)) return;
    delete this.snap.values[key];
    if (!this.changedValues.delete(key)) this.removedValues.push(key);
  }

  // ---------------------------------------------------------------- children

  childSucceeded(parent: Frame, child: Frame, output: Json): void {
    this.touch(parent);
    const work = parent.work;
    const state = this.stateOf(parent);
    if (work?.kind === 'parallel') {
      work.results[child.index] = output;
      work.remaining--;
      work.running = work.running.filter((id) => id !== child.id);
      work.lastChildEvent = inParentHistory(child, parent) ? child.last : work.lastChildEvent;
      if (work.remaining === 0) this.continueWith(parent, state, this.parallelDone(parent, state));
      return;
    }
    if (work?.kind === 'map') {
      this.setValue(`result/${parent.id}/${child.index}`, output);
      work.succeeded++;
      work.running = work.running.filter((id) => id !== child.id);
      const inHistory = inParentHistory(child, parent);
      if (inHistory) {
        const done = this.emit(parent, 'MapIterationSucceeded', { index: child.index, name: state.name }, child.last);
        // The next iteration follows the last event of this one; the Map's own events follow
        // the last MapIterationSucceeded (recorded Map histories).
        work.lastChildEvent = work.next < work.count ? child.last : done;
      }
      continueMap(this, parent, state, inHistory ? child.last : parent.last);
    }
  }

  childFailed(parent: Frame, child: Frame, error: string | null, cause: string | null): void {
    this.touch(parent);
    const work = parent.work;
    const state = this.stateOf(parent);
    if (work?.kind === 'parallel') {
      this.abortChildren(work.running.filter((id) => id !== child.id));
      work.running = [];
      parent.last = this.chain(parent, inParentHistory(child, parent) ? child.last : parent.last);
      this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error, cause, evaluation: false, failEvent: 'ParallelStateFailed' }));
      return;
    }
    if (work?.kind === 'map') {
      work.running = work.running.filter((id) => id !== child.id);
      work.failed++;
      if (inParentHistory(child, parent)) this.emit(parent, 'MapIterationFailed', { index: child.index, name: state.name }, child.last);
      if (work.distributed && tolerated(this, work)) {
        continueMap(this, parent, state, parent.last);
        return;
      }
      this.abortChildren(work.running, state.name);
      work.running = [];
      if (work.distributed) {
        reportMapRun(this, parent, state, work, 'FAILED');
        const runFailed = this.emit(parent, 'MapRunFailed', { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }, parent.last);
        parent.last = this.chain(parent, runFailed);
        this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded', evaluation: false, failEvent: 'MapStateFailed' }));
        return;
      }
      parent.last = this.chain(parent, child.last);
      this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error, cause, evaluation: false, failEvent: 'MapStateFailed' }));
    }
  }

  readonly pending: Promise<void>[] = [];

  /** Settles a parent whose state finished because of its children, then lets it run on. */
  continueWith(parent: Frame, state: CompiledState, outcome: Promise<Outcome>): void {
    this.pending.push(
      outcome
        .catch((err: unknown) => this.errorOutcome(err))
        .then((o) => this.settle(parent, state, o))
        .then(() => {
          if (parent.phase === 'enter' || parent.phase === 'run') this.ready(parent);
        }),
    );
  }

  /**
   * Stops the branches / iterations still running when a sibling failed: the state each was in
   * ends with <Type>StateAborted (and a Map iteration with MapIterationAborted), as AWS writes it
   * (recorded test_sqs_failure_in_wait_for_task_tok_no_error_field: TaskStateAborted).
   */
  abortChildren(ids: string[], mapState?: string): void {
    for (const id of ids) {
      const child = this.snap.frames[id];
      if (!child) continue;
      // A child workflow execution is aborted as a whole (ExecutionAborted in its own history).
      if (child.child !== undefined) {
        abortChild(this, child);
        continue;
      }
      if (child.work?.kind === 'parallel' || child.work?.kind === 'map') this.abortChildren(child.work.running, child.work.kind === 'map' ? child.state : undefined);
      // A distributed Map aborted with its branch: its map run is aborted too.
      abortMapRun(this, child);
      if (child.phase === 'blocked' || child.phase === 'run') {
        const type = this.stateOf(child).type;
        child.last = this.chain(child, this.emit(child, `${type}StateAborted` as HistoryEventType, null, child.last));
      }
      const parent = child.parent === null ? undefined : this.snap.frames[child.parent];
      if (mapState !== undefined && (parent === undefined || inParentHistory(child, parent))) this.emit(child, 'MapIterationAborted', { index: child.index, name: mapState }, child.last);
      keepStopped(this, child);
      for (const [effect, wait] of Object.entries(this.snap.waits)) {
        if (wait.frame === id) {
          delete this.snap.waits[effect];
          this.effects.push({ kind: 'cancel', id: effect });
        }
      }
      child.phase = 'done';
      this.removeFrame(child);
    }
  }

  // ---------------------------------------------------------------- errors

  async handleError(frame: Frame, state: CompiledState, outcome: Extract<Outcome, { kind: 'error' }>): Promise<void> {
    let cause = outcome.cause;
    if (outcome.evaluation && cause !== null) {
      if (!cause.startsWith('An error occurred while executing the state')) {
        cause = stateFailureCause(state.name, frame.entered, cause);
      }
      if (outcome.error === 'States.QueryEvaluationError') {
        const previous = state.type === 'Wait' ? frame.last : frame.enteredPrev;
        const details: JsonObject = { error: outcome.error, cause, state: state.name };
        // AWS names the field whose expression failed (e.g. "Output/result") as the location.
        const field = outcome.location ?? /specified for the field '([^']+)'/.exec(cause)?.[1];
        if (field !== undefined) details.location = field;
        const id = this.emit(frame, 'EvaluationFailed', details, previous);
        frame.last = this.chain(frame, id);
        // A Map (and, by the same rule, a Parallel) whose expression fails ends with <Type>StateFailed
        // after EvaluationFailed (recorded test_map_state_items_eval_jsonata_fail).
        if (state.type === 'Map' && !outcome.failEvent) outcome = { ...outcome, failEvent: 'MapStateFailed' };
        if (state.type === 'Parallel' && !outcome.failEvent) outcome = { ...outcome, failEvent: 'ParallelStateFailed' };
      }
    }
    const error = outcome.error;
    // Retry (Task, Parallel, Map): the first retrier whose ErrorEquals matches decides.
    if (state.type === 'Task' || state.type === 'Parallel' || state.type === 'Map') {
      const index = state.retry.findIndex((r) => errorMatches(r.errorEquals, error ?? ''));
      if (index >= 0) {
        const retrier = state.retry[index];
        const attempts = frame.attempts[index] ?? this.retriesMade;
        if (attempts < retrier.maxAttempts) {
          frame.attempts[index] = attempts + 1;
          frame.retryCount++;
          // A Map / Parallel runs again whole: what its last attempt left for a redrive goes.
          dropStopped(this, frame);
          const delay = retryDelayMs(retrier, attempts, this.env.random());
          this.inspect('errorDetails', { retryIndex: index, retryBackoffIntervalSeconds: Math.round(delay / 1000) });
          const id = this.effectId();
          this.snap.waits[id] = { frame: frame.id, purpose: 'retry' };
          this.effects.push({ kind: 'timer', id, dueAt: this.now() + delay });
          frame.work = { kind: 'retry', effect: id };
          frame.phase = 'blocked';
          return;
        }
      }
      const catchIndex = state.catch.findIndex((c) => errorMatches(c.errorEquals, error ?? ''));
      const catcher = catchIndex >= 0 ? state.catch[catchIndex] : undefined;
      if (catcher) {
        this.inspect('errorDetails', { catchIndex });
        if (outcome.failEvent) frame.last = this.chain(frame, this.emit(frame, outcome.failEvent, null, frame.last));
        const errorOutput: JsonObject = { Error: error, Cause: cause };
        try {
          let output: Json;
          let assigned: JsonObject | null = null;
          if (state.queryLanguage === 'JSONata') {
            if (catcher.assign) assigned = (await this.jsonata(frame, catcher.assign, 'Assign', { errorOutput })) as JsonObject;
            output = catcher.output !== undefined ? await this.jsonata(frame, catcher.output, 'Output', { errorOutput }) : errorOutput;
          } else {
            if (catcher.assign) assigned = evaluatePayloadTemplate(catcher.assign, this.scope(frame, errorOutput), 'Assign') as JsonObject;
            output = applyResultPath(catcher.resultPath, this.inputOf(frame), errorOutput);
          }
          this.exit(frame, state, output, catcher.next, assigned);
        } catch (err) {
          if (!(err instanceof StatesError)) throw err;
          this.failFrame(frame, err.error, err.cause);
        }
        return;
      }
    }
    if (outcome.failEvent) frame.last = this.chain(frame, this.emit(frame, outcome.failEvent, null, frame.last));
    this.failFrame(frame, error, cause);
  }

  /** Waits for the parent continuations queued by child completions (they may await JSONata). */
  async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      await Promise.all(batch);
    }
  }
}


/**
 * No Choice rule matched and there is no Default: the ASL spec names States.NoChoiceMatched, but AWS
 * fails the execution with States.Runtime (measured in us-east-1, floci-io/floci#3167), "a failure
 * to transition out of the state" (developer guide, Choice workflow state).
 */
function noChoice(): Outcome {
  return { kind: 'error', error: 'States.Runtime', cause: 'Failed to transition out of the state. The state does not point to a next state.', evaluation: true };
}





