/**
 * Redrive (developer guide, "Redriving executions" and "Redriving Map Runs"; API reference,
 * RedriveExecution): a FAILED, ABORTED or TIMED_OUT Standard execution goes on from the state
 * that did not succeed, with the same input. Inside a Parallel or an inline Map only the branches
 * and iterations that failed or were aborted run again, each from the state where it stopped; the
 * ones that succeeded keep their results. A distributed Map's map run is redriven the same way
 * (MapRunRedriven, the map run's own redriveCount); a map run that never started starts.
 *
 * The interpreter's part: what a branch or iteration that stopped leaves behind (StoppedFrame, kept
 * in its parent's work), how it is brought back, and whether an execution may be redriven.
 */
import type { Json } from './json.js';
import type { CompiledMachine } from './model.js';
import type { ExecutionSnapshot, Frame, StoppedFrame } from './snapshot.js';
import { newFrame } from './state-support.js';
import type { Run } from './interpreter.js';

/** The first day AWS redrives executions: those started before it are not redrivable (developer guide, redrive eligibility). */
export const REDRIVE_LAUNCH = Date.parse('2023-11-15T00:00:00Z');
/** A stopped execution may be redriven for 14 days after it stopped. */
export const REDRIVE_PERIOD_MS = 14 * 24 * 60 * 60 * 1000;
/** A Standard execution is open at most one year; past that it cannot be redriven. */
export const MAX_EXECUTION_TIME_MS = 365 * 24 * 60 * 60 * 1000;
/**
 * A redrive appends ExecutionRedriven and at least one more event to the history: an execution
 * with 24,999 events or more has no room (developer guide, redrive eligibility; quota 25,000).
 */
export const REDRIVE_HISTORY_LIMIT = 24_999;

export type RedriveStatus = { redrivable: true } | { redrivable: false; reason: string };

export interface RedriveStatusOptions {
  /** The state machine is being deleted. */
  stateMachineDeleting?: boolean;
}

/**
 * Whether a redrive would be accepted, and if not why: the reasons as DescribeExecution's
 * redriveStatusReason words them (API reference, DescribeExecution: redriveStatusReason). The
 * engine answers RedriveExecution with ExecutionNotRedrivable and that reason; an Express
 * execution is the engine's to refuse (RedriveExecution "is not supported by EXPRESS state
 * machines").
 */
export function redriveStatus(snapshot: ExecutionSnapshot, now: number, options: RedriveStatusOptions = {}): RedriveStatus {
  const no = (reason: string): RedriveStatus => ({ redrivable: false, reason });
  if (options.stateMachineDeleting) return no('State machine is in DELETING status.');
  if (snapshot.status === 'RUNNING' || snapshot.status === 'SUCCEEDED') return no(`Execution is ${snapshot.status} and cannot be redriven.`);
  const started = Date.parse(String(snapshot.context.Execution.StartTime ?? ''));
  if (Number.isFinite(started) && started < REDRIVE_LAUNCH) return no('Execution was started before the launch of RedriveExecution.');
  if (snapshot.lastEventId >= REDRIVE_HISTORY_LIMIT) return no('Execution history event limit exceeded.');
  if (Number.isFinite(started) && now - started > MAX_EXECUTION_TIME_MS) return no('Execution has exceeded the max execution time.');
  if (snapshot.stopTime !== undefined && now - snapshot.stopTime > REDRIVE_PERIOD_MS) return no('Execution redrivable period exceeded.');
  return { redrivable: true };
}

/** What a branch / iteration leaves behind when it stops: its state, that state's input, its variables, and any Map / Parallel progress of its own. */
export function stoppedRecord(run: Run, frame: Frame): StoppedFrame {
  const record: StoppedFrame = { state: frame.state, input: run.inputOf(frame), vars: frame.vars, work: null };
  // A child workflow execution keeps its ARN and history for its redrive.
  if (frame.child !== undefined) record.child = frame.child;
  const work = frame.work;
  if (work?.kind !== 'map' && work?.kind !== 'parallel') return record;
  // A copy: the frame's own work is cleared when the frame goes.
  record.work = { ...work };
  const v = run.snap.values;
  const values: Record<string, Json> = {};
  if (work.kind === 'map') {
    if (`items/${frame.id}` in v) values.items = v[`items/${frame.id}`];
    if (work.effective !== null && work.effective in v) values.effective = v[work.effective];
    for (let i = 0; i < work.count; i++) {
      const key = `result/${frame.id}/${i}`;
      if (key in v) values[`result/${i}`] = v[key];
    }
  }
  for (const index of stoppedIndices(run, frame)) values[`stopped/${index}`] = v[`stopped/${frame.id}/${index}`];
  record.values = values;
  return record;
}

/**
 * A branch / iteration stopped (failed or aborted): what a redrive needs is kept as a value of its
 * parent's (`stopped/<parent id>/<index>`), written once, so that a Map with many failed
 * iterations does not grow the frame every step writes.
 */
export function keepStopped(run: Run, frame: Frame): void {
  if (frame.parent === null) return;
  const parent = run.snap.frames[frame.parent];
  const work = parent?.work;
  if (work?.kind !== 'map' && work?.kind !== 'parallel') return;
  const key = `stopped/${parent.id}/${frame.index}`;
  if (!(key in run.snap.values)) work.stoppedKept = (work.stoppedKept ?? 0) + 1;
  run.setValue(key, stoppedRecord(run, frame) as unknown as Json);
  run.touch(parent);
}

/** The indices of a Map's / Parallel's stopped children, in order. */
export function stoppedIndices(run: Run, frame: Frame): number[] {
  const work = frame.work;
  if ((work?.kind !== 'map' && work?.kind !== 'parallel') || !work.stoppedKept) return [];
  const prefix = `stopped/${frame.id}/`;
  const out: number[] = [];
  for (const key of Object.keys(run.snap.values)) if (key.startsWith(prefix)) out.push(Number(key.slice(prefix.length)));
  return out.sort((a, b) => a - b);
}

/** Takes a stopped child's record out of the snapshot (it runs again). */
export function takeStopped(run: Run, frame: Frame, index: number): StoppedFrame | undefined {
  const key = `stopped/${frame.id}/${index}`;
  const record = run.snap.values[key] as unknown as StoppedFrame | undefined;
  if (record === undefined) return undefined;
  run.deleteValue(key);
  const work = frame.work;
  if ((work?.kind === 'map' || work?.kind === 'parallel') && work.stoppedKept) work.stoppedKept--;
  return record;
}

/** The Map / Parallel state is done with (it exited, was caught or runs again): its stopped children go. */
export function dropStopped(run: Run, frame: Frame): void {
  for (const index of stoppedIndices(run, frame)) run.deleteValue(`stopped/${frame.id}/${index}`);
  const work = frame.work;
  if (work?.kind === 'map' || work?.kind === 'parallel') work.stoppedKept = 0;
}

/**
 * The execution ends unsuccessfully while branches / iterations still run (a States.Runtime
 * failure, StopExecution, the execution's timeout): each is kept by its parent, the deepest first.
 */
export function keepRunning(run: Run): void {
  const frames = run.snap.frames;
  const ids = Object.keys(frames).filter((id) => id !== '0').sort((a, b) => Number(b) - Number(a));
  for (const id of ids) {
    const frame = frames[id];
    const parent = frame.parent === null ? undefined : frames[frame.parent];
    const work = parent?.work;
    if ((work?.kind === 'map' || work?.kind === 'parallel') && work.running.includes(id)) keepStopped(run, frame);
  }
}

/** A stopped branch / iteration runs again: a new frame entering the state where it stopped, its Map values restored under the new frame's id. */
export function restoreFrame(run: Run, parent: Frame, machine: CompiledMachine, index: number, hidden: boolean, record: StoppedFrame, previous: number): Frame {
  const child = newFrame(String(run.snap.nextFrame++), parent.id, machine, index, hidden, record.input, previous);
  child.state = record.state;
  child.vars = record.vars;
  if (record.child !== undefined) child.child = record.child;
  const work = record.work;
  const values = record.values ?? {};
  // The record's values under the new frame's id: `items` → `items/<id>`, `result/3` → `result/<id>/3`.
  for (const [key, value] of Object.entries(values)) {
    const slash = key.indexOf('/');
    run.setValue(slash < 0 ? `${key}/${child.id}` : `${key.slice(0, slash)}/${child.id}${key.slice(slash)}`, value);
  }
  if (work?.kind === 'parallel') child.work = { ...work, redrive: true };
  else if (work?.kind === 'map') {
    const restored = { ...work, redrive: true, effective: 'effective' in values ? `effective/${child.id}` : null };
    child.inputRef = `input/${child.id}`;
    run.setValue(child.inputRef, record.input);
    child.input = null;
    child.work = restored;
  }
  run.snap.frames[child.id] = child;
  run.touch(child);
  return child;
}
