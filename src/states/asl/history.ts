/**
 * Execution history events as GetExecutionHistory returns them (API reference: HistoryEvent):
 * `{ timestamp, type, id, previousEventId, <type>EventDetails }`. Inputs and outputs inside
 * details are JSON text, with `inputDetails` / `outputDetails` `{ truncated }`.
 *
 * `timestamp` is epoch milliseconds here; the API layer writes it as AWS's timestamp.
 */
import type { Json, JsonObject } from './json.js';

export type HistoryEventType =
  | 'ExecutionStarted' | 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut' | 'ExecutionRedriven'
  | 'PassStateEntered' | 'PassStateExited' | 'TaskStateEntered' | 'TaskStateExited' | 'TaskStateAborted'
  | 'ChoiceStateEntered' | 'ChoiceStateExited' | 'WaitStateEntered' | 'WaitStateExited' | 'WaitStateAborted'
  | 'SucceedStateEntered' | 'SucceedStateExited' | 'FailStateEntered'
  | 'ParallelStateEntered' | 'ParallelStateExited' | 'ParallelStateStarted' | 'ParallelStateSucceeded' | 'ParallelStateFailed' | 'ParallelStateAborted'
  | 'MapStateEntered' | 'MapStateExited' | 'MapStateStarted' | 'MapStateSucceeded' | 'MapStateFailed' | 'MapStateAborted'
  | 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed' | 'MapIterationAborted'
  | 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed' | 'MapRunAborted' | 'MapRunRedriven'
  | 'TaskScheduled' | 'TaskStarted' | 'TaskSubmitted' | 'TaskSucceeded' | 'TaskFailed' | 'TaskTimedOut' | 'TaskStartFailed' | 'TaskSubmitFailed'
  | 'LambdaFunctionScheduled' | 'LambdaFunctionStarted' | 'LambdaFunctionSucceeded' | 'LambdaFunctionFailed' | 'LambdaFunctionTimedOut'
  | 'LambdaFunctionScheduleFailed' | 'LambdaFunctionStartFailed'
  | 'ActivityScheduled' | 'ActivityStarted' | 'ActivitySucceeded' | 'ActivityFailed' | 'ActivityTimedOut' | 'ActivityScheduleFailed'
  | 'EvaluationFailed';

export interface HistoryEvent {
  timestamp: number;
  type: HistoryEventType;
  id: number;
  previousEventId: number;
  /** The one details member AWS writes for this type (`stateEnteredEventDetails`, …), if any. */
  [details: string]: unknown;
}

const detailsKeys = new Map<HistoryEventType, string | null>();

/** The name of the details member for an event type (API reference: HistoryEvent). */
export function detailsKey(type: HistoryEventType): string | null {
  let key = detailsKeys.get(type);
  if (key === undefined) {
    key = computeDetailsKey(type);
    detailsKeys.set(type, key);
  }
  return key;
}

function computeDetailsKey(type: HistoryEventType): string | null {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  switch (type) {
    case 'MapStateSucceeded':
    case 'MapStateFailed':
    case 'MapStateAborted':
    case 'ParallelStateStarted':
    case 'ParallelStateSucceeded':
    case 'ParallelStateFailed':
    case 'ParallelStateAborted':
    case 'TaskStateAborted':
    case 'WaitStateAborted':
    case 'PassStateAborted' as HistoryEventType:
    case 'ChoiceStateAborted' as HistoryEventType:
    case 'LambdaFunctionStarted':
      return null;
    default:
      return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
  }
}

/** AWS's JSON text of a value in history details (compact, as Jackson writes it). */
export function jsonText(value: Json): string {
  return JSON.stringify(value);
}

/** Input / output details: the text and whether it was truncated (never, below the 256 KiB limit). */
export function payload(value: Json, key: 'input' | 'output'): JsonObject {
  return { [key]: jsonText(value), [`${key}Details`]: { truncated: false } };
}
