/** What the state implementations share: the outcome of a state's processing, frames, small helpers. */
import type { Json, JsonObject } from './json.js';
import { StatesError } from './states-error.js';
import type { CompiledMachine } from './model.js';
import type { HistoryEventType } from './history.js';
import type { Frame } from './snapshot.js';
import { text } from './json-text.js';

/** The longest Wait AWS accepts: its delay is a 32-bit count of seconds (recorded case test_timestamp_too_far_in_future_boundary). */
export const MAX_WAIT_SECONDS = 2_147_483_647;

/** The most iterations an inline Map runs at once. */
export const INLINE_MAP_CONCURRENCY = 40;

/** How a state's processing ended (or paused). */
export type Outcome =
  | { kind: 'exit'; output: Json; next: string | null; assigned: JsonObject | null }
  | { kind: 'block' }
  | { kind: 'error'; error: string | null; cause: string | null; evaluation: boolean; failEvent?: HistoryEventType; location?: string }
  | { kind: 'fail'; error: string | null; cause: string | null };

export function newFrame(id: string, parent: string | null, machine: CompiledMachine, index: number, hidden: boolean, input: Json, last: number): Frame {
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

/** A StatesError that names the field (EvaluationFailed's `location`). */
export function fieldError(error: string, cause: string, location: string): StatesError {
  return Object.assign(new StatesError(error, cause), { location });
}

export function waitSeconds(seconds: number): number {
  if (seconds > MAX_WAIT_SECONDS) throw new StatesError('States.Runtime', 'Wait state delay is too long.');
  return seconds;
}

export function positiveInteger(value: Json, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new StatesError('States.QueryEvaluationError', `The ${field} field refers to value ${text(value)} which is not a valid positive integer`);
  }
  return value;
}

export function stringOf(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The expression inside `{% … %}`, as AWS quotes it in causes. */
export function jsonataText(value: Json | undefined): string {
  if (typeof value !== 'string') return text(value ?? null);
  const t = value.trim();
  return t.startsWith('{%') && t.endsWith('%}') ? t.slice(2, -2).trim() : t;
}
