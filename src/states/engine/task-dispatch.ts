import type { ExecutionInput } from '../asl/snapshot.js';
import type { ReadItemsEffect, TaskAnswer, TaskCall, TaskOutcome, TaskProgress, TaskRunner } from './task-port.js';

/**
 * Runs a task through the registered TaskRunner (src/states/tasks/). With none registered the task
 * fails, visibly, rather than pretending: `States.TaskFailed` with a cause naming what is missing
 * (the error a Task state gets when the service it calls answers with a failure; Developer Guide,
 * "Error names").
 */
export async function runTask(runner: TaskRunner | undefined, call: TaskCall): Promise<TaskOutcome> {
  if (runner === undefined) {
    return {
      type: 'failed',
      error: 'States.TaskFailed',
      cause: `Stratus cannot run the task ${call.effect.resource} of state ${call.effect.stateName}: no task integrations are available in this Stratus.`,
    };
  }
  return runner.run(call);
}

/**
 * Reads a distributed Map's ItemReader source through the runner; without one able to, the Map
 * run fails with States.ItemReaderFailed (the error AWS gives a Map whose reader cannot read its
 * source; Developer Guide, "ItemReader (Map)").
 */
export async function readItems(runner: TaskRunner | undefined, call: Omit<TaskCall, 'effect'> & { effect: ReadItemsEffect }): Promise<ExecutionInput> {
  const effectId = call.effect.id;
  if (runner?.readItems === undefined) {
    return { type: 'itemsReadFailed', effectId, error: 'States.ItemReaderFailed', cause: `Stratus cannot read the items of ${call.effect.resource} for state ${call.effect.stateName}: no task integrations are available in this Stratus.` };
  }
  try {
    return { type: 'itemsRead', effectId, content: await runner.readItems(call) };
  } catch (error) {
    const e = error as { error?: unknown; cause?: unknown; message?: unknown };
    if (typeof e?.error === 'string') return { type: 'itemsReadFailed', effectId, error: e.error, cause: typeof e.cause === 'string' ? e.cause : '' };
    throw error;
  }
}

/** The interpreter input for a task outcome. */
export function outcomeInput(effectId: string, outcome: TaskAnswer | TaskProgress): ExecutionInput {
  switch (outcome.type) {
    case 'started':
      return { type: 'taskStarted', effectId, ...(outcome.workerName !== undefined && { workerName: outcome.workerName }) };
    case 'succeeded':
      return { type: 'taskSucceeded', effectId, output: outcome.output };
    case 'submitted':
      return { type: 'taskSubmitted', effectId, output: outcome.output };
    case 'heartbeat':
      return { type: 'taskHeartbeat', effectId };
    case 'failed':
      return { type: 'taskFailed', effectId, ...(outcome.error !== undefined && { error: outcome.error }), ...(outcome.cause !== undefined && { cause: outcome.cause }) };
  }
}

/**
 * The error and cause an execution ended with, as its terminal history event (ExecutionFailed,
 * ExecutionAborted, ExecutionTimedOut) states them — what DescribeExecution answers.
 */
export function terminalError(events: readonly { type: string; [k: string]: unknown }[]): { error?: string; cause?: string } {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'ExecutionFailed' || e.type === 'ExecutionAborted' || e.type === 'ExecutionTimedOut') {
      const d = (e[`${e.type[0].toLowerCase()}${e.type.slice(1)}EventDetails`] ?? {}) as { error?: string; cause?: string };
      return { ...(d.error !== undefined && { error: d.error }), ...(d.cause !== undefined && { cause: d.cause }) };
    }
  }
  return {};
}
