/**
 * A distributed Map's iterations are child workflow executions of their own (developer guide,
 * "Distributed mode"; "Viewing a Distributed Map Run execution"): each has an ARN, a name, start
 * and stop dates, a status, its input and output or error; a Standard child has its own history
 * (ExecutionStarted … ExecutionSucceeded / Failed / Aborted, ids from 1), an Express child none.
 *
 * They still run as frames of the parent's snapshot (one snapshot, one commit a step): the first
 * frame of a child carries its ChildRun; the events of the child's frames go to the child's
 * history (StepResult.childEvents) and its start, redrive and end are `childExecution` effects
 * the engine stores in the same commit as the step.
 *
 * ARNs (API Reference, DescribeExecution / ListExecutions; developer guide, "Viewing a Distributed
 * Map Run execution": the labeled state machine `…:stateMachine:<machine>/<label>`):
 * Standard `arn:aws:states:<region>:<account>:execution:<machine>/<label>:<name>`, Express
 * `…:express:<machine>/<label>:<name>:<id>`.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { CompiledState } from './model.js';
import { detailsKey, type HistoryEvent, type HistoryEventType } from './history.js';
import type { ChildExecutionReport, ChildRun, Frame, Work } from './snapshot.js';
import type { Run } from './interpreter.js';
import { isoTime, text } from './json-text.js';
import { keepStopped } from './redrive.js';
import { reportMapRun } from './map-state.js';

type MapWork = Extract<Work, { kind: 'map' }>;

/** The first frame of the child workflow execution a frame runs in; undefined for a frame of the execution itself. */
export function childRootOf(run: Run, frame: Frame): Frame | undefined {
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent === null ? undefined : run.snap.frames[f.parent]) {
    if (f.child !== undefined) return f;
  }
  return undefined;
}

/** Whether a branch's / iteration's events are in its parent's history (not when it begins a child workflow execution). */
export function inParentHistory(child: Frame, parent: Frame): boolean {
  return child.child === undefined && (parent.hidden || !child.hidden);
}

/**
 * Writes an event of a frame of a child workflow execution to that child's history; its id, or 0
 * when the child keeps none (Express: "Express workflows don't have an execution history",
 * developer guide, "Standard vs Express").
 */
export function emitInChild(run: Run, frame: Frame, type: HistoryEventType, details: JsonObject | null, previous: number): number {
  const root = childRootOf(run, frame);
  const child = root?.child;
  if (child === undefined || child.express) return 0;
  const id = ++child.lastEventId;
  const event: HistoryEvent = { timestamp: run.now(), type, id, previousEventId: previous };
  const key = detailsKey(type);
  if (key !== null && details !== null) event[key] = details;
  run.childEventsOf(child.arn).push(event);
  run.touch(root!);
  return id;
}

/** `…:execution:<machine>/<label>` parts of a map run ARN `…:mapRun:<machine>/<label>:<id>`. */
function labeled(mapRunArn: string): { prefix: string; machine: string } {
  const at = mapRunArn.indexOf(':mapRun:');
  const rest = mapRunArn.slice(at + ':mapRun:'.length);
  return { prefix: mapRunArn.slice(0, at), machine: rest.slice(0, rest.lastIndexOf(':')) };
}

/** How many items a child processes: its batch's (ItemBatcher: `{ BatchInput, Items }`), else one. */
function itemCountOf(state: CompiledState, input: Json): number {
  return isJsonObject(state.raw.ItemBatcher) && isJsonObject(input) && Array.isArray(input.Items) ? input.Items.length : 1;
}

/** A new child workflow execution begins with this frame: its ARN, its ExecutionStarted (Standard), its record. */
export function startChild(run: Run, state: CompiledState, work: MapWork, frame: Frame, express: boolean): void {
  const { prefix, machine } = labeled(work.mapRunArn ?? '');
  const name = run.env.newId();
  const arn = express ? `${prefix}:express:${machine}:${name}:${run.env.newId()}` : `${prefix}:execution:${machine}:${name}`;
  const input = frame.input;
  frame.child = { arn, name, express, startTime: run.now(), input, itemCount: itemCountOf(state, input), lastEventId: 0, redriveCount: 0 };
  const started: JsonObject = { input: text(input), inputDetails: { truncated: false }, roleArn: run.snap.context.Execution.RoleArn as string };
  if (!express) frame.last = emitInChild(run, frame, 'ExecutionStarted', started, 0);
  report(run, state, work, frame.child, 'RUNNING');
}

/**
 * A Standard child that failed or was aborted goes on from where it stopped, with its ARN and
 * history: ExecutionRedriven with its own redriveCount ("Redriving Map Runs": the parent's redrive
 * redrives the unsuccessful child workflow executions).
 */
export function redriveChild(run: Run, state: CompiledState, work: MapWork, frame: Frame): void {
  const child = frame.child!;
  child.redriveCount++;
  child.redriveTime = run.now();
  frame.last = emitInChild(run, frame, 'ExecutionRedriven', { redriveCount: child.redriveCount }, child.lastEventId);
  report(run, state, work, child, 'RUNNING');
}

/** A child workflow execution ends: its last event (ExecutionSucceeded / Failed / Aborted) and its record. */
export function endChild(
  run: Run,
  frame: Frame,
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED',
  end: { output?: Json; error?: string | null; cause?: string | null },
  previous: number,
): void {
  const child = frame.child!;
  const mapFrame = run.snap.frames[frame.parent!];
  const work = mapFrame?.work;
  if (work?.kind !== 'map') return;
  const details: JsonObject = {};
  let outputText: string | undefined;
  if (status === 'SUCCEEDED') {
    outputText = text(end.output ?? null);
    details.output = outputText;
    details.outputDetails = { truncated: false };
  } else {
    if (end.error !== undefined && end.error !== null) details.error = end.error;
    if (end.cause !== undefined && end.cause !== null && end.cause !== '') details.cause = end.cause;
  }
  const type: HistoryEventType = status === 'SUCCEEDED' ? 'ExecutionSucceeded' : status === 'FAILED' ? 'ExecutionFailed' : 'ExecutionAborted';
  emitInChild(run, frame, type, details, previous);
  report(run, run.stateOf(mapFrame), work, child, status, {
    ...(outputText !== undefined && { output: outputText }),
    ...(typeof details.error === 'string' && { error: details.error }),
    ...(typeof details.cause === 'string' && { cause: details.cause }),
  });
}

function report(run: Run, state: CompiledState, work: MapWork, child: ChildRun, status: ChildExecutionReport['status'], end: { output?: string; error?: string; cause?: string } = {}): void {
  run.effects.push({
    kind: 'childExecution',
    executionArn: child.arn,
    name: child.name,
    mapRunArn: work.mapRunArn ?? '',
    mapStateName: state.name,
    express: child.express,
    status,
    startTime: child.startTime,
    ...(status !== 'RUNNING' && { stopTime: run.now() }),
    input: text(child.input),
    ...end,
    itemCount: child.itemCount,
    redriveCount: child.redriveCount,
    ...(child.redriveTime !== undefined && { redriveTime: child.redriveTime }),
  });
}

/**
 * The frames below a child's first frame go: each running one is kept for a redrive where it
 * was (as an execution that stops keeps its branches, redrive.ts), deepest first, and every
 * effect they (and the first frame) wait for is cancelled. Nothing is written to the child's
 * history for them: a stopped execution's history ends with its Execution* event alone.
 */
export function stopChildFrames(run: Run, root: Frame): void {
  const below: Frame[] = [];
  collectBelow(run, root, below);
  for (const frame of below) {
    // A child of a distributed Map inside this child (deeper first: its Map is still there) is aborted as an execution.
    if (frame.child !== undefined) endAborted(run, frame, {});
    abortMapRun(run, frame);
    keepStopped(run, frame);
    cancelWaits(run, frame.id);
    frame.phase = 'done';
    run.removeFrame(frame);
  }
  cancelWaits(run, root.id);
}

/** The running frames below a frame, deepest first (every branch / iteration is in its parent's `running`). */
function collectBelow(run: Run, frame: Frame, out: Frame[]): void {
  const work = frame.work;
  if (work?.kind !== 'map' && work?.kind !== 'parallel') return;
  for (const id of work.running) {
    const f = run.snap.frames[id];
    if (f === undefined) continue;
    collectBelow(run, f, out);
    out.push(f);
  }
}

function cancelWaits(run: Run, frameId: string): void {
  for (const [effect, wait] of Object.entries(run.snap.waits)) {
    if (wait.frame !== frameId) continue;
    delete run.snap.waits[effect];
    run.effects.push({ kind: 'cancel', id: effect });
  }
}

/**
 * A running child workflow execution is aborted — StopExecution, its map run failed, the branch
 * of its Map was aborted: ExecutionAborted, ABORTED, and what a redrive needs kept by its Map.
 * The caller takes it out of the Map's `running`.
 */
export function abortChild(run: Run, root: Frame, details: { error?: string; cause?: string } = {}): void {
  stopChildFrames(run, root);
  abortMapRun(run, root);
  endAborted(run, root, details);
  keepStopped(run, root);
  root.phase = 'done';
  run.removeFrame(root);
}

/** A child ends ABORTED (ExecutionAborted's previousEventId is 0, as an aborted execution's is); its Map counts it. */
function endAborted(run: Run, frame: Frame, details: { error?: string; cause?: string }): void {
  endChild(run, frame, 'ABORTED', details, 0);
  const work = run.snap.frames[frame.parent!]?.work;
  if (work?.kind === 'map') work.aborted = (work.aborted ?? 0) + 1;
}

/**
 * States.Runtime inside a child workflow execution ends that execution (it is one of its own),
 * not its parent: ExecutionFailed in its history, and its Map sees an iteration that failed.
 */
export function failChildOnRuntimeError(run: Run, root: Frame, error: string, cause: string | null, previous: number): void {
  const mapFrame = run.snap.frames[root.parent!];
  stopChildFrames(run, root);
  abortMapRun(run, root);
  endChild(run, root, 'FAILED', { error, cause }, previous);
  keepStopped(run, root);
  root.phase = 'done';
  run.removeFrame(root);
  run.childFailed(mapFrame, root, error, cause);
}

/** The execution ends while child workflow executions run: each is aborted; a map run still running is too. */
export function abortChildrenAtEnd(run: Run): void {
  for (const frame of Object.values(run.snap.frames)) {
    if (frame.child !== undefined && frame.parent !== null) endAborted(run, frame, {});
  }
  for (const frame of Object.values(run.snap.frames)) abortMapRun(run, frame);
}

/** A frame that stops while its distributed Map's run is still running: the run is reported ABORTED. */
export function abortMapRun(run: Run, frame: Frame): void {
  const work = frame.work;
  if (work?.kind === 'map' && work.distributed && work.mapRunArn !== null && work.runStatus === 'RUNNING') reportMapRun(run, frame, run.stateOf(frame), work, 'ABORTED');
}

/** `$$.Execution` and `$$.StateMachine` inside a child workflow execution: the child's own, and the labeled state machine. */
export function childContext(run: Run, root: Frame): { Execution: JsonObject; StateMachine: JsonObject } {
  const child = root.child!;
  const parts = child.arn.split(':');
  const machine = parts[6] ?? '';
  const execution: JsonObject = {
    Id: child.arn,
    Input: child.input,
    StartTime: isoTime(child.startTime),
    Name: child.name,
    RoleArn: run.snap.context.Execution.RoleArn ?? null,
    RedriveCount: child.redriveCount,
  };
  if (child.redriveTime !== undefined) execution.RedriveTime = isoTime(child.redriveTime);
  return { Execution: execution, StateMachine: { Id: `${parts.slice(0, 5).join(':')}:stateMachine:${machine}`, Name: machine } };
}
