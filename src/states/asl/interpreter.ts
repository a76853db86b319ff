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
import type { CompiledMachine, CompiledState, StateMachineDefinition } from './model.js';
import type { HistoryEvent, HistoryEventType } from './history.js';
import { detailsKey } from './history.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, ExecutionStart, Frame, StepResult, Work } from './snapshot.js';
import { applyResultPath, evaluateIntrinsic, evaluateJsonataValue, evaluatePayloadTemplate, readFieldPath, resolveReference, type PathScope } from './expr.js';
import { evaluateRule, parseTimestamp } from './choice.js';
import { errorMatches, retryDelayMs } from './retry.js';
import { batchItems, parseItems, readerConfig } from './item-reader.js';
import { isoTime, rawTexts, registerText, resetTextCache, text } from './json-text.js';
import { classifyResource } from './resources.js';

/** AWS's payload quota: 256 KiB of UTF-8 for a state's input or output ("Step Functions service quotas"). */
export const MAX_PAYLOAD_BYTES = 262_144;

/** The longest Wait AWS accepts: its delay is a 32-bit count of seconds (recorded case test_timestamp_too_far_in_future_boundary). */
const MAX_WAIT_SECONDS = 2_147_483_647;

/** The most iterations an inline Map runs at once. */
const INLINE_MAP_CONCURRENCY = 40;

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

export async function step(def: StateMachineDefinition, snapshot: ExecutionSnapshot, input: ExecutionInput, env: ExecutionEnv): Promise<StepResult> {
  const run = new Run(def, snapshot, env);
  await run.apply(input);
  await run.drain();
  return run.result();
}

function newFrame(id: string, parent: string | null, machine: CompiledMachine, index: number, hidden: boolean, input: Json, last: number): Frame {
  return {
    id,
    parent,
    machine: machine.id,
    index,
    hidden,
    state: machine.startAt,
    phase: 'enter',
    input,
    inputRef: null,
    entered: 0,
    enteredPrev: 0,
    enteredTime: 0,
    last,
    vars: {},
    attempts: [],
    retryCount: 0,
    taskToken: null,
    work: null,
  };
}

function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/** How a state's processing ended (or paused). */
type Outcome =
  | { kind: 'exit'; output: Json; next: string | null; assigned: JsonObject | null }
  | { kind: 'block' }
  | { kind: 'error'; error: string | null; cause: string | null; evaluation: boolean; failEvent?: HistoryEventType; location?: string }
  | { kind: 'fail'; error: string | null; cause: string | null };

class Run {
  private readonly events: HistoryEvent[] = [];
  private readonly effects: Effect[] = [];
  private readonly changed = new Set<string>();
  private readonly removed: string[] = [];
  private readonly changedValues = new Set<string>();
  private readonly removedValues: string[] = [];
  private transitions = 0;

  constructor(
    private readonly def: StateMachineDefinition,
    private readonly snap: ExecutionSnapshot,
    private readonly env: ExecutionEnv,
  ) {
    // Callers may change values between steps: the text cache starts empty each step.
    resetTextCache();
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
    };
  }

  // ---------------------------------------------------------------- inputs

  async apply(input: ExecutionInput): Promise<void> {
    const snap = this.snap;
    if (snap.status !== 'RUNNING') return;
    switch (input.type) {
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
          this.effects.push({ kind: 'timer', id, dueAt: this.env.now() + this.def.timeoutSeconds * 1000 });
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

  /** Runs ready frames (and the continuations their ends queue) until every frame waits or the execution ends. */
  async drain(): Promise<void> {
    const snap = this.snap;
    await this.flush();
    while (snap.status === 'RUNNING' && snap.ready.length > 0) {
      const id = snap.ready.shift()!;
      const frame = snap.frames[id];
      if (!frame || (frame.phase !== 'enter' && frame.phase !== 'run')) continue;
      await this.runFrame(frame);
      await this.flush();
    }
  }

  // ---------------------------------------------------------------- frames

  private ready(frame: Frame): void {
    this.snap.ready.push(frame.id);
  }

  private touch(frame: Frame): void {
    this.changed.add(frame.id);
  }

  private effectId(): string {
    return `e${this.snap.nextEffect++}`;
  }

  private machineOf(frame: Frame): CompiledMachine {
    return this.def.machines[frame.machine];
  }

  private stateOf(frame: Frame): CompiledState {
    return this.machineOf(frame).states[frame.state];
  }

  private async runFrame(frame: Frame): Promise<void> {
    this.touch(frame);
    while ((frame.phase === 'enter' || frame.phase === 'run') && this.snap.status === 'RUNNING') {
      const state = this.stateOf(frame);
      if (frame.phase === 'enter') this.enter(frame, state);
      frame.phase = 'run';
      let outcome: Outcome;
      try {
        outcome = await this.execute(frame, state);
      } catch (err) {
        outcome = this.errorOutcome(err);
      }
      await this.settle(frame, state, outcome);
    }
  }

  private errorOutcome(err: unknown): Outcome {
    if (err instanceof StatesError) {
      const location = (err as { location?: unknown }).location;
      return { kind: 'error', error: err.error, cause: err.cause, evaluation: true, ...(typeof location === 'string' ? { location } : {}) };
    }
    throw err;
  }

  private enter(frame: Frame, state: CompiledState): void {
    frame.enteredTime = this.env.now();
    frame.enteredPrev = frame.last;
    frame.attempts = [];
    frame.retryCount = 0;
    frame.work = null;
    frame.taskToken = null;
    const id = this.emit(frame, `${state.type}StateEntered` as HistoryEventType, { name: state.name, input: text(this.inputOf(frame)), inputDetails: { truncated: false } }, frame.last);
    frame.entered = id;
    if (!frame.hidden) frame.last = id;
  }

  /** Applies an outcome: exit to the next state, wait, or handle an error. */
  private async settle(frame: Frame, state: CompiledState, outcome: Outcome): Promise<void> {
    switch (outcome.kind) {
      case 'block':
        frame.phase = 'blocked';
        return;
      case 'exit': {
        const outputText = text(outcome.output);
        if (outputText.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(outputText) > MAX_PAYLOAD_BYTES) {
          const cause = `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`;
          await this.handleError(frame, state, { kind: 'error', error: 'States.DataLimitExceeded', cause, evaluation: false });
          return;
        }
        this.exit(frame, state, outcome.output, outcome.next, outcome.assigned);
        return;
      }
      case 'fail':
        this.failFrame(frame, outcome.error, outcome.cause);
        return;
      case 'error':
        await this.handleError(frame, state, outcome);
        return;
    }
  }

  private exit(frame: Frame, state: CompiledState, output: Json, next: string | null, assigned: JsonObject | null): void {
    if (state.type !== 'Fail') {
      const details: JsonObject = { name: state.name, output: text(output), outputDetails: { truncated: false } };
      if (assigned !== null) {
        const shown: JsonObject = {};
        for (const [k, v] of Object.entries(assigned)) shown[k] = text(v);
        details.assignedVariables = shown;
        details.assignedVariablesDetails = { truncated: false };
      }
      const id = this.emit(frame, `${state.type}StateExited` as HistoryEventType, details, frame.last);
      if (!frame.hidden) frame.last = id;
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

  private endFrame(frame: Frame, output: Json): void {
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
    this.removeFrame(frame);
    this.childSucceeded(parent, frame, output);
  }

  private failFrame(frame: Frame, error: string | null, cause: string | null): void {
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
    const parent = this.snap.frames[frame.parent];
    // A Task whose error ends a Parallel branch is written as aborted, after its failure
    // (recorded test_sqs_failure_in_wait_for_task_tok_no_error_field, test_parallel_catch_error).
    if (parent.work?.kind === 'parallel' && this.stateOf(frame).type === 'Task') this.emit(frame, 'TaskStateAborted', null, frame.last);
    this.removeFrame(frame);
    this.childFailed(parent, frame, error, cause);
  }

  /** Drops the values of the Map state a frame was running (it ended, failed or was caught). */
  private clearMapValues(frame: Frame): void {
    if (frame.inputRef !== null) {
      frame.input = this.inputOf(frame);
      this.deleteValue(frame.inputRef);
      this.deleteValue(`effective/${frame.id}`);
      frame.inputRef = null;
    }
    if (frame.work?.kind !== 'map') return;
    for (let i = 0; i < frame.work.count; i++) this.deleteValue(`result/${frame.id}/${i}`);
    this.deleteValue(`items/${frame.id}`);
  }

  private removeFrame(frame: Frame): void {
    this.clearMapValues(frame);
    delete this.snap.frames[frame.id];
    this.removed.push(frame.id);
    this.changed.delete(frame.id);
  }

  /** Ends the execution: every outstanding effect is cancelled. */
  private finish(status: ExecutionSnapshot['status']): void {
    const snap = this.snap;
    snap.status = status;
    snap.stopTime = this.env.now();
    for (const id of Object.keys(snap.waits)) this.effects.push({ kind: 'cancel', id });
    snap.waits = {};
    snap.ready = [];
    for (const id of Object.keys(snap.frames)) {
      if (id !== '0') this.removeFrame(snap.frames[id]);
    }
    const root = snap.frames['0'];
    if (root) {
      root.phase = 'done';
      this.touch(root);
    }
  }

  private emit(frame: Frame | null, type: HistoryEventType, details: JsonObject | null, previous: number): number {
    if (frame?.hidden) return 0;
    const id = ++this.snap.lastEventId;
    const event: HistoryEvent = { timestamp: this.env.now(), type, id, previousEventId: previous };
    const key = detailsKey(type);
    if (key !== null && details !== null) event[key] = details;
    this.events.push(event);
    return id;
  }

  // ---------------------------------------------------------------- scopes

  private context(frame: Frame): JsonObject {
    const ctx: JsonObject = {
      Execution: this.snap.context.Execution,
      StateMachine: this.snap.context.StateMachine,
      State: this.stateContext(frame),
    };
    if (frame.taskToken !== null) ctx.Task = { Token: frame.taskToken };
    return ctx;
  }

  /** `$$.State`: RetryCount only for the states that retry (Task, Parallel, Map), as AWS writes it. */
  private stateContext(frame: Frame): JsonObject {
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
  private variables(frame: Frame): Record<string, Json> {
    if (frame.parent === null) return frame.vars;
    const chain: JsonObject[] = [];
    for (let f: Frame | undefined = frame; f; f = f.parent === null ? undefined : this.snap.frames[f.parent]) {
      chain.push(f.vars);
      if (f.hidden && f.parent !== null && !this.snap.frames[f.parent]?.hidden) break;
    }
    const out: JsonObject = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
    return out;
  }

  private scope(frame: Frame, input: Json, context?: JsonObject): PathScope {
    return { input, context: context ?? this.context(frame), variables: this.variables(frame) };
  }

  private jsonata(frame: Frame, value: Json, field: string, extra?: { result?: Json; errorOutput?: Json; context?: JsonObject; input?: Json }): Promise<Json> {
    const states: { input: Json; context: Json; result?: Json; errorOutput?: Json } = {
      input: extra?.input !== undefined ? extra.input : this.inputOf(frame),
      context: extra?.context ?? this.context(frame),
    };
    if (extra && 'result' in extra) states.result = extra.result;
    if (extra && 'errorOutput' in extra) states.errorOutput = extra.errorOutput;
    return evaluateJsonataValue(value, states, this.variables(frame), field);
  }

  // ---------------------------------------------------------------- JSONPath input/output

  private inputPath(frame: Frame, state: CompiledState): Json {
    return this.selectPath(frame, state.raw, 'InputPath', this.inputOf(frame));
  }

  private outputPath(frame: Frame, state: CompiledState, value: Json): Json {
    return this.selectPath(frame, state.raw, 'OutputPath', value);
  }

  /** InputPath / OutputPath: absent is `$`, null is `{}` ("InputPath, Parameters and ResultSelector"). */
  private selectPath(frame: Frame, raw: JsonObject, field: string, value: Json): Json {
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
  private jsonPathResult(frame: Frame, state: CompiledState, result: Json): { output: Json; selected: Json } {
    const raw = state.raw;
    const selected = 'ResultSelector' in raw ? evaluatePayloadTemplate(raw.ResultSelector, this.scope(frame, result), 'ResultSelector') : result;
    const path = 'ResultPath' in raw ? (raw.ResultPath as string | null) : '$';
    const merged = applyResultPath(path, this.inputOf(frame), selected);
    return { output: this.outputPath(frame, state, merged), selected };
  }

  private assignJsonPath(frame: Frame, raw: JsonObject, value: Json): JsonObject | null {
    if (!isJsonObject(raw.Assign)) return null;
    return evaluatePayloadTemplate(raw.Assign, this.scope(frame, value), 'Assign') as JsonObject;
  }

  private async assignJsonata(frame: Frame, raw: JsonObject, extra: { result?: Json; errorOutput?: Json }): Promise<JsonObject | null> {
    if (!isJsonObject(raw.Assign)) return null;
    return (await this.jsonata(frame, raw.Assign, 'Assign', extra)) as JsonObject;
  }

  // ---------------------------------------------------------------- states

  private async execute(frame: Frame, state: CompiledState): Promise<Outcome> {
    const jsonata = state.queryLanguage === 'JSONata';
    switch (state.type) {
      case 'Pass':
        return jsonata ? this.passJsonata(frame, state) : this.passJsonPath(frame, state);
      case 'Succeed': {
        if (jsonata) {
          const output = 'Output' in state.raw ? await this.jsonata(frame, state.raw.Output, 'Output') : this.inputOf(frame);
          return { kind: 'exit', output, next: null, assigned: null };
        }
        const output = this.outputPath(frame, state, this.inputPath(frame, state));
        return { kind: 'exit', output, next: null, assigned: null };
      }
      case 'Fail':
        return this.fail(frame, state);
      case 'Choice':
        return this.choice(frame, state);
      case 'Wait':
        return this.wait(frame, state);
      case 'Task':
        return this.task(frame, state);
      case 'Parallel':
        return this.parallel(frame, state);
      case 'Map':
        return this.map(frame, state);
    }
  }

  private passJsonPath(frame: Frame, state: CompiledState): Outcome {
    const raw = state.raw;
    const effective = this.inputPath(frame, state);
    let result: Json;
    if ('Parameters' in raw) result = evaluatePayloadTemplate(raw.Parameters, this.scope(frame, effective), 'Parameters');
    else if ('Result' in raw) result = raw.Result;
    else result = effective;
    const assigned = this.assignJsonPath(frame, raw, result);
    const path = 'ResultPath' in raw ? (raw.ResultPath as string | null) : '$';
    const output = this.outputPath(frame, state, applyResultPath(path, this.inputOf(frame), result));
    return { kind: 'exit', output, next: state.next, assigned };
  }

  private async passJsonata(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const assigned = await this.assignJsonata(frame, raw, {});
    const output = 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  private async fail(frame: Frame, state: CompiledState): Promise<Outcome> {
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
  private failPath(frame: Frame, path: string, field: string): Json {
    const scope = this.scope(frame, this.inputOf(frame));
    if (path.startsWith('States.')) return evaluateIntrinsic(path, scope, field);
    return readFieldPath(path, scope, field);
  }

  private async choice(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    if (state.queryLanguage === 'JSONata') {
      for (const rule of state.choices ?? []) {
        const matched = await this.jsonata(frame, rule.rule.Condition, 'Condition');
        if (typeof matched !== 'boolean') {
          throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${jsonataText(rule.rule.Condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${jsonType(matched)}' for value: ${text(matched)}`);
        }
        if (matched) {
          const assigned = rule.assign ? ((await this.jsonata(frame, rule.assign, 'Assign')) as JsonObject) : await this.assignJsonata(frame, raw, {});
          const output = rule.output !== undefined ? await this.jsonata(frame, rule.output, 'Output') : 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
          return { kind: 'exit', output, next: rule.next, assigned };
        }
      }
      if (!state.defaultNext) return noChoice();
      const assigned = await this.assignJsonata(frame, raw, {});
      const output = 'Output' in raw ? await this.jsonata(frame, raw.Output, 'Output') : this.inputOf(frame);
      return { kind: 'exit', output, next: state.defaultNext, assigned };
    }
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

  private async wait(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const now = this.env.now();
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

  private checkDelay(at: number, now: number): number {
    if ((at - now) / 1000 > MAX_WAIT_SECONDS) throw new StatesError('States.Runtime', 'Wait state delay is too long.');
    return at;
  }

  // ---------------------------------------------------------------- Task

  private async task(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const resource = raw.Resource as string;
    const { family, resourceType, resourceName } = classifyResource(resource);
    let effective: Json;
    let parameters: Json;
    let timeoutSeconds: number | null = null;
    let heartbeatSeconds: number | null = null;
    // A task token for callbacks (.waitForTaskToken) and for activity workers (GetActivityTask).
    if (resource.endsWith('.waitForTaskToken') || family === 'activity') frame.taskToken = this.env.newId();
    if (state.queryLanguage === 'JSONata') {
      effective = this.inputOf(frame);
      parameters = 'Arguments' in raw ? await this.jsonata(frame, raw.Arguments, 'Arguments') : family === 'task' ? {} : this.inputOf(frame);
      if ('TimeoutSeconds' in raw) timeoutSeconds = positiveInteger(await this.jsonata(frame, raw.TimeoutSeconds, 'TimeoutSeconds'), 'TimeoutSeconds');
      if ('HeartbeatSeconds' in raw) heartbeatSeconds = positiveInteger(await this.jsonata(frame, raw.HeartbeatSeconds, 'HeartbeatSeconds'), 'HeartbeatSeconds');
    } else {
      effective = this.inputPath(frame, state);
      parameters = 'Parameters' in raw ? evaluatePayloadTemplate(raw.Parameters, this.scope(frame, effective), 'Parameters') : effective;
      if (typeof raw.TimeoutSeconds === 'number') timeoutSeconds = raw.TimeoutSeconds;
      if (typeof raw.HeartbeatSeconds === 'number') heartbeatSeconds = raw.HeartbeatSeconds;
      if (typeof raw.TimeoutSecondsPath === 'string') timeoutSeconds = this.secondsPath(frame, effective, raw.TimeoutSecondsPath, 'TimeoutSecondsPath');
      if (typeof raw.HeartbeatSecondsPath === 'string') heartbeatSeconds = this.secondsPath(frame, effective, raw.HeartbeatSecondsPath, 'HeartbeatSecondsPath');
    }
    // AWS's default task timeout is 60 seconds for a bare Lambda/activity? No: 99999999 s for every
    // task without TimeoutSeconds ("Task workflow state": TimeoutSeconds default). No timer then.
    const credentials = isJsonObject(raw.Credentials) ? (state.queryLanguage === 'JSONPath' ? evaluatePayloadTemplate(raw.Credentials, this.scope(frame, effective), 'Credentials') : await this.jsonata(frame, raw.Credentials, 'Credentials')) : null;
    const id = this.effectId();
    this.snap.waits[id] = { frame: frame.id, purpose: 'task' };
    let timer: string | null = null;
    if (timeoutSeconds !== null) {
      timer = this.effectId();
      this.snap.waits[timer] = { frame: frame.id, purpose: 'taskTimeout' };
    }
    let heartbeat: string | null = null;
    if (heartbeatSeconds !== null) {
      heartbeat = this.effectId();
      this.snap.waits[heartbeat] = { frame: frame.id, purpose: 'heartbeat' };
    }
    frame.work = { kind: 'task', effect: id, timer, heartbeat, resource, family, resourceType, resourceName, effective, heartbeatSeconds };
    // History: TaskScheduled + TaskStarted (LambdaFunction* / Activity* for bare ARNs).
    const inputText = text(parameters);
    if (family === 'lambda') {
      const details: JsonObject = { resource, input: inputText, inputDetails: { truncated: false } };
      if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
      frame.last = this.chain(frame, this.emit(frame, 'LambdaFunctionScheduled', details, frame.last));
      frame.last = this.chain(frame, this.emit(frame, 'LambdaFunctionStarted', null, frame.last));
    } else if (family === 'activity') {
      const details: JsonObject = { resource, input: inputText, inputDetails: { truncated: false } };
      if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== null) details.heartbeatInSeconds = heartbeatSeconds;
      frame.last = this.chain(frame, this.emit(frame, 'ActivityScheduled', details, frame.last));
    } else {
      const details: JsonObject = { resourceType, resource: resourceName, region: this.snap.region, parameters: inputText };
      if (timeoutSeconds !== null) details.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== null) details.heartbeatInSeconds = heartbeatSeconds;
      // AWS writes the Credentials field's members camel-cased in the event (RoleArn → roleArn).
      if (isJsonObject(credentials)) details.taskCredentials = Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v]));
      frame.last = this.chain(frame, this.emit(frame, 'TaskScheduled', details, frame.last));
      frame.last = this.chain(frame, this.emit(frame, 'TaskStarted', { resourceType, resource: resourceName }, frame.last));
    }
    const now = this.env.now();
    this.effects.push({ kind: 'task', id, resource, resourceType: family === 'lambda' ? 'lambda-function' : family === 'activity' ? 'activity' : resourceType, resourceName, input: parameters, stateName: state.name, taskToken: frame.taskToken, timeoutSeconds, heartbeatSeconds, credentials });
    if (timer !== null) this.effects.push({ kind: 'timer', id: timer, dueAt: now + timeoutSeconds! * 1000 });
    if (heartbeat !== null) this.effects.push({ kind: 'timer', id: heartbeat, dueAt: now + heartbeatSeconds! * 1000 });
    return { kind: 'block' };
  }

  private chain(frame: Frame, id: number): number {
    return frame.hidden ? frame.last : id;
  }

  private secondsPath(frame: Frame, effective: Json, path: string, field: string): number {
    const found = resolveReference(path, this.scope(frame, effective));
    if (!found.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : ${(found as { reason?: string }).reason ?? `No results for path: ${path}`}`);
    if (typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value <= 0) {
      throw new StatesError('States.Runtime', `The ${field} parameter references an invalid value: ${path} == ${stringOf(found.value)}`);
    }
    return found.value;
  }

  /** A task's outcome or timer, or a Wait / retry timer, arrives. */
  private async resume(frame: Frame, state: CompiledState, purpose: string, input: ExecutionInput): Promise<Outcome> {
    const work = frame.work;
    if (purpose === 'wait' && work?.kind === 'wait') {
      return { kind: 'exit', output: work.output, next: state.next, assigned: work.assigned };
    }
    if (purpose === 'readItems') {
      if (input.type === 'itemsRead') return this.itemsRead(frame, state, input.content);
      if (input.type === 'itemsReadFailed') return this.mapRunFailed(frame, state, input.error, input.cause);
      return { kind: 'block' };
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
        this.effects.push({ kind: 'timer', id: hb, dueAt: this.env.now() + work.heartbeatSeconds * 1000 });
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
    if (resultText.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(resultText) > MAX_PAYLOAD_BYTES) {
      const cause = `The state/task '${work.resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`;
      frame.last = this.chain(frame, this.emit(frame, `${prefix}Failed` as HistoryEventType, { ...base, error: 'States.DataLimitExceeded', cause }, frame.last));
      return { kind: 'error', error: 'States.DataLimitExceeded', cause, evaluation: false };
    }
    frame.last = this.chain(frame, this.emit(frame, `${prefix}Succeeded` as HistoryEventType, { ...base, output: text(result), outputDetails: { truncated: false } }, frame.last));
    if (state.queryLanguage === 'JSONata') {
      const assigned = await this.assignJsonata(frame, state.raw, { result });
      const output = 'Output' in state.raw ? await this.jsonata(frame, state.raw.Output, 'Output', { result }) : result;
      return { kind: 'exit', output, next: state.next, assigned };
    }
    const { output, selected } = this.jsonPathResult(frame, state, result);
    const assigned = this.assignJsonPath(frame, state.raw, selected);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  // ---------------------------------------------------------------- Parallel

  private async parallel(frame: Frame, state: CompiledState): Promise<Outcome> {
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

  private async parallelDone(frame: Frame, state: CompiledState): Promise<Outcome> {
    const work = frame.work as Extract<Work, { kind: 'parallel' }>;
    frame.last = this.chain(frame, work.lastChildEvent);
    this.emit(frame, 'ParallelStateSucceeded', null, frame.last);
    if (work.results.some((r) => r !== null && typeof r === 'object' && rawTexts.has(r))) registerText(work.results, `[${work.results.map(text).join(',')}]`);
    return this.aggregate(frame, state, work.results);
  }

  /** The result of a Parallel / Map state (an array) through ResultSelector/ResultPath/OutputPath or Output. */
  private async aggregate(frame: Frame, state: CompiledState, result: Json[]): Promise<Outcome> {
    if (state.queryLanguage === 'JSONata') {
      const assigned = await this.assignJsonata(frame, state.raw, { result });
      const output = 'Output' in state.raw ? await this.jsonata(frame, state.raw.Output, 'Output', { result }) : result;
      return { kind: 'exit', output, next: state.next, assigned };
    }
    const { output, selected } = this.jsonPathResult(frame, state, result);
    const assigned = this.assignJsonPath(frame, state.raw, selected);
    return { kind: 'exit', output, next: state.next, assigned };
  }

  // ---------------------------------------------------------------- Map

  private async map(frame: Frame, state: CompiledState): Promise<Outcome> {
    const raw = state.raw;
    const jsonata = state.queryLanguage === 'JSONata';
    let effective: Json;
    let items: Json;
    let maxConcurrency = 0;
    const reader = isJsonObject(raw.ItemReader) ? raw.ItemReader : null;
    if (jsonata) {
      effective = this.inputOf(frame);
      if (reader) items = [];
      else if ('Items' in raw) {
        items = await this.jsonata(frame, raw.Items, 'Items');
        if (!Array.isArray(items)) {
          throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${jsonataText(raw.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(items)}' for value: ${text(items)}`);
        }
      } else {
        items = effective;
        if (!Array.isArray(items)) throw new StatesError('States.QueryEvaluationError', `Map state input must be an array but was: ${text(items)}`);
      }
      if ('MaxConcurrency' in raw) maxConcurrency = this.integerField(await this.jsonata(frame, raw.MaxConcurrency, 'MaxConcurrency'), 'MaxConcurrency', null, true);
    } else {
      effective = this.inputPath(frame, state);
      const path = typeof raw.ItemsPath === 'string' ? raw.ItemsPath : '$';
      if (reader) items = [];
      else if (path === '$') items = effective;
      else {
        const found = resolveReference(path, this.scope(frame, effective));
        if (!found.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : ${(found as { reason?: string }).reason ?? `No results for path: ${path}`}`);
        items = found.value;
      }
      if (!Array.isArray(items)) throw new StatesError('States.Runtime', `Map state input must be an array but was: ${text(items)}`);
      if (typeof raw.MaxConcurrency === 'number') maxConcurrency = raw.MaxConcurrency;
      if (typeof raw.MaxConcurrencyPath === 'string') maxConcurrency = this.pathInteger(frame, effective, raw.MaxConcurrencyPath, 'MaxConcurrencyPath');
    }
    const started = this.emit(frame, 'MapStateStarted', { length: items.length }, frame.last);
    frame.last = this.chain(frame, started);
    // Tolerated failures (distributed Map) are read after the Map has started.
    let toleratedCount: number | null = null;
    let toleratedPercentage: number | null = null;
    if (jsonata) {
      if ('ToleratedFailureCount' in raw) toleratedCount = this.integerField(await this.jsonata(frame, raw.ToleratedFailureCount, 'ToleratedFailureCount'), 'ToleratedFailureCount', null, true);
      if ('ToleratedFailurePercentage' in raw) toleratedPercentage = this.percentage(await this.jsonata(frame, raw.ToleratedFailurePercentage, 'ToleratedFailurePercentage'), null);
    } else {
      if (typeof raw.ToleratedFailureCount === 'number') toleratedCount = raw.ToleratedFailureCount;
      if (typeof raw.ToleratedFailurePercentage === 'number') toleratedPercentage = raw.ToleratedFailurePercentage;
      if (typeof raw.ToleratedFailureCountPath === 'string') toleratedCount = this.pathInteger(frame, effective, raw.ToleratedFailureCountPath, 'ToleratedFailureCountPath');
      if (typeof raw.ToleratedFailurePercentagePath === 'string') {
        const path = raw.ToleratedFailurePercentagePath;
        const found = resolveReference(path, this.scope(frame, effective));
        toleratedPercentage = this.percentage(found.found ? found.value : null, path);
      }
    }
    const distributed = state.mapMode === 'DISTRIBUTED';
    const sameInput = effective === this.inputOf(frame);
    if (!sameInput) this.setValue(`effective/${frame.id}`, effective);
    const work: Extract<Work, { kind: 'map' }> = {
      kind: 'map',
      effective: sameInput ? null : `effective/${frame.id}`,
      count: items.length,
      next: 0,
      running: [],
      failed: 0,
      succeeded: 0,
      maxConcurrency,
      toleratedCount,
      toleratedPercentage,
      distributed,
      runStarted: 0,
      mapRunArn: null,
      lastChildEvent: frame.last,
      selected: false,
    };
    frame.work = work;
    // The items and each iteration's result are values of their own in the snapshot, so that a
    // step of one iteration writes that iteration's result, not the whole list.
    this.setValue(`items/${frame.id}`, items);
    if (frame.inputRef === null) {
      frame.inputRef = `input/${frame.id}`;
      this.setValue(frame.inputRef, frame.input);
      frame.input = null;
    }
    if (distributed) {
      const machineArn = this.snap.context.StateMachine.Id as string;
      const label = typeof raw.Label === 'string' ? raw.Label : state.name;
      const parts = machineArn.split(':');
      const machineName = parts[6] ?? '';
      work.mapRunArn = `${parts.slice(0, 5).join(':')}:mapRun:${machineName}/${label}:${this.env.newId()}`;
      work.runStarted = this.emit(frame, 'MapRunStarted', { mapRunArn: work.mapRunArn }, frame.last);
      frame.last = this.chain(frame, work.runStarted);
      this.reportMapRun(state, work, 'RUNNING');
    }
    if (reader) return this.readItems(frame, state, reader, effective);
    return this.beginIterations(frame, state, items as Json[]);
  }

  /**
   * ItemReader: the engine reads the items' source (an effect); the Map has started with length 0
   * and goes on when they arrive (recorded test_map_item_reader_*: MapStateStarted {length: 0}).
   */
  private async readItems(frame: Frame, state: CompiledState, reader: JsonObject, effective: Json): Promise<Outcome> {
    const resource = String(reader.Resource ?? '');
    let parameters: Json;
    if (state.queryLanguage === 'JSONata') parameters = 'Arguments' in reader ? await this.jsonata(frame, reader.Arguments, 'ItemReader/Arguments') : {};
    else parameters = 'Parameters' in reader ? evaluatePayloadTemplate(reader.Parameters, this.scope(frame, effective), 'Parameters') : {};
    const id = this.effectId();
    this.snap.waits[id] = { frame: frame.id, purpose: 'readItems' };
    this.effects.push({ kind: 'readItems', id, resource, parameters, stateName: state.name });
    return { kind: 'block' };
  }

  /** The items have arrived: parse them, apply MaxItems, and begin. */
  private async itemsRead(frame: Frame, state: CompiledState, content: Json): Promise<Outcome> {
    const reader = state.raw.ItemReader as JsonObject;
    const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
    let maxItems: number | null = null;
    if (state.queryLanguage === 'JSONata') {
      if ('MaxItems' in config) maxItems = this.integerField(await this.jsonata(frame, config.MaxItems, 'ItemReader/ReaderConfig/MaxItems'), 'MaxItems', null, true);
    } else if (typeof config.MaxItems === 'number') maxItems = config.MaxItems;
    else if (typeof config.MaxItemsPath === 'string') {
      const work = frame.work as Extract<Work, { kind: 'map' }>;
      const effective = work.effective === null ? this.inputOf(frame) : (this.snap.values[work.effective] ?? null);
      maxItems = this.pathInteger(frame, effective, config.MaxItemsPath, 'MaxItemsPath');
    }
    let items: Json[];
    try {
      items = parseItems(content, { ...readerConfig(String(reader.Resource ?? ''), config), maxItems });
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      return this.mapRunFailed(frame, state, err.error, err.cause);
    }
    return this.beginIterations(frame, state, items);
  }

  /** A distributed Map's run failed as a whole (ItemReader, tolerated failures exceeded). */
  private mapRunFailed(frame: Frame, state: CompiledState, error: string, cause: string): Outcome {
    const work = frame.work as Extract<Work, { kind: 'map' }>;
    this.reportMapRun(state, work, 'FAILED');
    frame.last = this.chain(frame, this.emit(frame, 'MapRunFailed', { error, cause }, frame.last));
    return { kind: 'error', error, cause, evaluation: false, failEvent: 'MapStateFailed' };
  }

  /** Items known: batch them (ItemBatcher), keep them as a value, start the iterations. */
  private async beginIterations(frame: Frame, state: CompiledState, items: Json[]): Promise<Outcome> {
    const work = frame.work as Extract<Work, { kind: 'map' }>;
    const raw = state.raw;
    if (isJsonObject(raw.ItemBatcher)) items = await this.batch(frame, state, work, raw.ItemBatcher, items);
    work.count = items.length;
    this.setValue(`items/${frame.id}`, items);
    if (items.length === 0) return this.mapDone(frame, state);
    try {
      await this.startIterations(frame, state, frame.last);
    } catch (err) {
      this.abortChildren(work.running, state.name);
      work.running = [];
      throw err;
    }
    return { kind: 'block' };
  }

  /** ItemBatcher: items (through ItemSelector) grouped into `{ BatchInput, Items }` batches. */
  private async batch(frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>, batcher: JsonObject, items: Json[]): Promise<Json[]> {
    const jsonata = state.queryLanguage === 'JSONata';
    const effective = work.effective === null ? this.inputOf(frame) : (this.snap.values[work.effective] ?? null);
    const field = async (name: string): Promise<number | null> => {
      if (jsonata) return name in batcher ? this.integerField(await this.jsonata(frame, batcher[name], `ItemBatcher/${name}`), name, null, true) : null;
      if (typeof batcher[name] === 'number') return batcher[name] as number;
      if (typeof batcher[`${name}Path`] === 'string') return this.pathInteger(frame, effective, batcher[`${name}Path`] as string, `${name}Path`);
      return null;
    };
    const maxItems = await field('MaxItemsPerBatch');
    const maxBytes = await field('MaxInputBytesPerBatch');
    let batchInput: Json | undefined;
    if ('BatchInput' in batcher) batchInput = jsonata ? await this.jsonata(frame, batcher.BatchInput, 'ItemBatcher/BatchInput') : evaluatePayloadTemplate(batcher.BatchInput, this.scope(frame, effective), 'BatchInput');
    const selected: Json[] = [];
    for (let i = 0; i < items.length; i++) selected.push(await this.itemInput(frame, state, work, i, items[i]));
    work.selected = true;
    return batchItems(selected, maxItems, maxBytes, batchInput);
  }

  private reportMapRun(state: CompiledState, work: Extract<Work, { kind: 'map' }>, status: 'RUNNING' | 'SUCCEEDED' | 'FAILED'): void {
    if (work.mapRunArn === null) return;
    const total = work.count;
    this.effects.push({
      kind: 'mapRun',
      mapRunArn: work.mapRunArn,
      stateName: state.name,
      status,
      maxConcurrency: work.maxConcurrency,
      toleratedFailureCount: work.toleratedCount ?? 0,
      toleratedFailurePercentage: work.toleratedPercentage ?? 0,
      itemCounts: { total, succeeded: work.succeeded, failed: work.failed, running: work.running.length, pending: total - work.next },
    });
  }

  /** MaxConcurrencyPath / ToleratedFailureCountPath: an integer (a number or numeric text). */
  private pathInteger(frame: Frame, effective: Json, path: string, field: string): number {
    const found = resolveReference(path, this.scope(frame, effective));
    return this.integerField(found.found ? found.value : null, field, path, false);
  }

  private integerField(value: Json, field: string, path: string | null, jsonata: boolean): number {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n)) {
      const shown = typeof value === 'string' ? value : text(value);
      if (path === null) throw new StatesError(jsonata ? 'States.QueryEvaluationError' : 'States.Runtime', `The ${field} field refers to value "${shown}" which is not a valid integer`);
      throw new StatesError('States.Runtime', `The ${field} field refers to value "${shown}" which is not a valid integer: ${path}`);
    }
    if (n < 0) throw new StatesError(path === null ? 'States.QueryEvaluationError' : 'States.Runtime', `${field.replace(/Path$/, '')} cannot be negative.`);
    return n;
  }

  private percentage(value: Json, path: string | null): number {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : NaN;
    if (Number.isNaN(n)) {
      const shown = typeof value === 'string' ? value : text(value);
      if (path === null) throw new StatesError('States.QueryEvaluationError', `The ToleratedFailurePercentage field refers to value "${shown}" which is not a valid float`);
      throw new StatesError('States.Runtime', `The ToleratedFailurePercentagePath field refers to value "${shown}" which is not a valid float: ${path}`);
    }
    if (n < 0 || n > 100) throw new StatesError(path === null ? 'States.QueryEvaluationError' : 'States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
    return n;
  }

  /** Starts iterations up to MaxConcurrency (0: all). */
  private async startIterations(frame: Frame, state: CompiledState, previous: number): Promise<void> {
    const work = frame.work as Extract<Work, { kind: 'map' }>;
    // MaxConcurrency 0 is "as many as possible": an inline Map runs at most 40 iterations at once
    // (developer guide, "Map state in Inline mode": concurrency); a distributed one is not bounded here.
    const limit = work.maxConcurrency > 0 ? work.maxConcurrency : work.distributed ? Number.POSITIVE_INFINITY : INLINE_MAP_CONCURRENCY;
    const processor = this.def.machines[state.processor!];
    const items = this.snap.values[`items/${frame.id}`] as Json[];
    while (work.next < work.count && work.running.length < limit) {
      const index = work.next++;
      const item = items[index];
      const itemInput = work.selected ? item : await this.itemInput(frame, state, work, index, item);
      const hidden = frame.hidden || work.distributed;
      const child = newFrame(String(this.snap.nextFrame++), frame.id, processor, index, hidden, itemInput, previous);
      if (!hidden) {
        const started = this.emit(frame, 'MapIterationStarted', { index, name: state.name }, previous);
        child.last = started;
      }
      this.snap.frames[child.id] = child;
      work.running.push(child.id);
      this.touch(child);
      this.ready(child);
    }
  }

  /** ItemSelector (or the legacy Parameters) with `$$.Map.Item`; else the item itself. */
  private async itemInput(frame: Frame, state: CompiledState, work: Extract<Work, { kind: 'map' }>, index: number, item: Json): Promise<Json> {
    const raw = state.raw;
    const selector = 'ItemSelector' in raw ? raw.ItemSelector : 'Parameters' in raw && state.queryLanguage === 'JSONPath' ? raw.Parameters : undefined;
    if (selector === undefined) return item;
    const context = this.context(frame);
    context.Map = { Item: { Index: index, Value: item } };
    if (state.queryLanguage === 'JSONata') return this.jsonata(frame, selector, 'ItemSelector', { context });
    const effective = work.effective === null ? this.inputOf(frame) : (this.snap.values[work.effective] ?? null);
    return evaluatePayloadTemplate(selector, this.scope(frame, effective, context), 'ItemSelector');
  }

  private async mapDone(frame: Frame, state: CompiledState): Promise<Outcome> {
    const work = frame.work as Extract<Work, { kind: 'map' }>;
    if (work.distributed) {
      this.reportMapRun(state, work, 'SUCCEEDED');
      frame.last = this.chain(frame, this.emit(frame, 'MapRunSucceeded', null, frame.last));
      this.emit(frame, 'MapStateSucceeded', null, frame.last);
    } else {
      frame.last = this.chain(frame, work.lastChildEvent);
      this.emit(frame, 'MapStateSucceeded', null, frame.last);
    }
    return this.aggregate(frame, state, this.collectResults(frame, work.count));
  }

  /** The Map's results in item order; their values leave the snapshot. */
  private collectResults(frame: Frame, count: number): Json[] {
    const results = new Array<Json>(count);
    for (let i = 0; i < count; i++) {
      const key = `result/${frame.id}/${i}`;
      results[i] = this.snap.values[key] ?? null;
      this.deleteValue(key);
    }
    this.deleteValue(`items/${frame.id}`);
    return results;
  }

  /** The current state's input: in the frame, or (while a Map runs) among the snapshot values. */
  private inputOf(frame: Frame): Json {
    return frame.inputRef !== null ? (this.snap.values[frame.inputRef] ?? null) : frame.input;
  }

  private setValue(key: string, value: Json): void {
    this.snap.values[key] = value;
    this.changedValues.add(key);
  }

  private deleteValue(key: string): void {
    if (!(key in this.snap.values)) return;
    delete this.snap.values[key];
    if (!this.changedValues.delete(key)) this.removedValues.push(key);
  }

  // ---------------------------------------------------------------- children

  private childSucceeded(parent: Frame, child: Frame, output: Json): void {
    this.touch(parent);
    const work = parent.work;
    const state = this.stateOf(parent);
    if (work?.kind === 'parallel') {
      work.results[child.index] = output;
      work.remaining--;
      work.running = work.running.filter((id) => id !== child.id);
      work.lastChildEvent = child.hidden ? work.lastChildEvent : child.last;
      if (work.remaining === 0) this.continueWith(parent, state, this.parallelDone(parent, state));
      return;
    }
    if (work?.kind === 'map') {
      this.setValue(`result/${parent.id}/${child.index}`, output);
      work.succeeded++;
      work.running = work.running.filter((id) => id !== child.id);
      if (!child.hidden) {
        const done = this.emit(parent, 'MapIterationSucceeded', { index: child.index, name: state.name }, child.last);
        // The next iteration follows the last event of this one; the Map's own events follow
        // the last MapIterationSucceeded (recorded Map histories).
        work.lastChildEvent = work.next < work.count ? child.last : done;
      }
      this.continueMap(parent, state, child.hidden ? parent.last : child.last);
    }
  }

  private childFailed(parent: Frame, child: Frame, error: string | null, cause: string | null): void {
    this.touch(parent);
    const work = parent.work;
    const state = this.stateOf(parent);
    if (work?.kind === 'parallel') {
      this.abortChildren(work.running.filter((id) => id !== child.id));
      work.running = [];
      parent.last = this.chain(parent, child.hidden ? parent.last : child.last);
      this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error, cause, evaluation: false, failEvent: 'ParallelStateFailed' }));
      return;
    }
    if (work?.kind === 'map') {
      work.running = work.running.filter((id) => id !== child.id);
      work.failed++;
      if (!child.hidden) this.emit(parent, 'MapIterationFailed', { index: child.index, name: state.name }, child.last);
      if (work.distributed && this.tolerated(work)) {
        this.continueMap(parent, state, parent.last);
        return;
      }
      this.abortChildren(work.running, state.name);
      work.running = [];
      if (work.distributed) {
        this.reportMapRun(state, work, 'FAILED');
        const runFailed = this.emit(parent, 'MapRunFailed', { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }, parent.last);
        parent.last = this.chain(parent, runFailed);
        this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded', evaluation: false, failEvent: 'MapStateFailed' }));
        return;
      }
      parent.last = this.chain(parent, child.last);
      this.continueWith(parent, state, Promise.resolve<Outcome>({ kind: 'error', error, cause, evaluation: false, failEvent: 'MapStateFailed' }));
    }
  }

  /** Distributed Map: is the failure count still within ToleratedFailureCount / Percentage? */
  private tolerated(work: Extract<Work, { kind: 'map' }>): boolean {
    if (work.toleratedCount !== null && work.failed <= work.toleratedCount) return true;
    if (work.toleratedPercentage !== null && (work.failed / work.count) * 100 <= work.toleratedPercentage) return true;
    return false;
  }

  private continueMap(parent: Frame, state: CompiledState, previous: number): void {
    const work = parent.work as Extract<Work, { kind: 'map' }>;
    if (work.next < work.count) {
      // An ItemSelector that fails while starting the next iterations fails the Map state.
      this.pending.push(
        this.startIterations(parent, state, previous).catch((err: unknown) => {
          this.abortChildren(work.running, state.name);
          work.running = [];
          this.continueWith(parent, state, Promise.resolve(this.errorOutcome(err)));
        }),
      );
      return;
    }
    if (work.running.length === 0) this.continueWith(parent, state, this.mapDone(parent, state));
  }

  private readonly pending: Promise<void>[] = [];

  /** Settles a parent whose state finished because of its children, then lets it run on. */
  private continueWith(parent: Frame, state: CompiledState, outcome: Promise<Outcome>): void {
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
  private abortChildren(ids: string[], mapState?: string): void {
    for (const id of ids) {
      const child = this.snap.frames[id];
      if (!child) continue;
      if (child.work?.kind === 'parallel' || child.work?.kind === 'map') this.abortChildren(child.work.running, child.work.kind === 'map' ? child.state : undefined);
      if (child.phase === 'blocked' || child.phase === 'run') {
        const type = this.stateOf(child).type;
        child.last = this.chain(child, this.emit(child, `${type}StateAborted` as HistoryEventType, null, child.last));
      }
      if (mapState !== undefined && !child.hidden) this.emit(child, 'MapIterationAborted', { index: child.index, name: mapState }, child.last);
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

  private async handleError(frame: Frame, state: CompiledState, outcome: Extract<Outcome, { kind: 'error' }>): Promise<void> {
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
        const attempts = frame.attempts[index] ?? 0;
        if (attempts < retrier.maxAttempts) {
          frame.attempts[index] = attempts + 1;
          frame.retryCount++;
          const delay = retryDelayMs(retrier, attempts, this.env.random());
          const id = this.effectId();
          this.snap.waits[id] = { frame: frame.id, purpose: 'retry' };
          this.effects.push({ kind: 'timer', id, dueAt: this.env.now() + delay });
          frame.work = { kind: 'retry', effect: id };
          frame.phase = 'blocked';
          return;
        }
      }
      const catcher = state.catch.find((c) => errorMatches(c.errorEquals, error ?? ''));
      if (catcher) {
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

/** A StatesError that names the field (EvaluationFailed's `location`). */
function fieldError(error: string, cause: string, location: string): StatesError {
  return Object.assign(new StatesError(error, cause), { location });
}

/**
 * No Choice rule matched and there is no Default: States.NoChoiceMatched (ASL spec), "a failure to
 * transition out of the state" (developer guide, Choice workflow state). Not in the recorded cases;
 * the cause follows the words AWS uses for it.
 */
function noChoice(): Outcome {
  return { kind: 'error', error: 'States.NoChoiceMatched', cause: 'Failed to transition out of the state. The state does not point to a next state.', evaluation: true };
}

function waitSeconds(seconds: number): number {
  if (seconds > MAX_WAIT_SECONDS) throw new StatesError('States.Runtime', 'Wait state delay is too long.');
  return seconds;
}

function positiveInteger(value: Json, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new StatesError('States.QueryEvaluationError', `The ${field} field refers to value ${text(value)} which is not a valid positive integer`);
  }
  return value;
}

function stringOf(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The expression inside `{% … %}`, as AWS quotes it in causes. */
function jsonataText(value: Json | undefined): string {
  if (typeof value !== 'string') return text(value ?? null);
  const t = value.trim();
  return t.startsWith('{%') && t.endsWith('%}') ? t.slice(2, -2).trim() : t;
}
