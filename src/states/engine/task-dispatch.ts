import type { ExecutionInput } from '../asl/snapshot.js';
import type { TaskCall, TaskOutcome, TaskRunner } from './task-port.js';

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

/** The interpreter input for a task outcome. */
export function outcomeInput(effectId: string, outcome: TaskOutcome | { type: 'heartbeat' }): ExecutionInput {
  switch (outcome.type) {
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
