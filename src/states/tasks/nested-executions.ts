import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.js';
import type { JsonObject } from '../asl/json.js';
import type { TaskCall, TaskOutcome } from '../engine/task-port.js';
import { asText, parametersOf, type TaskDeps } from './deps.js';
import { optimizedFailure } from './errors.js';
import { jsonHeaders, sdkMetadata } from './sdk-metadata.js';
import { notServed } from './unsupported.js';

export type NestedMode = 'request' | 'sync' | 'sync:2' | 'token';

/**
 * `arn:aws:states:::states:startExecution` with its patterns: request/response answers
 * StartExecution's `{ExecutionArn, StartDate}` with the SDK metadata; `.waitForTaskToken` the same
 * as TaskSubmitted, then waits for the token; `.sync` and `.sync:2` write it as TaskSubmitted and
 * end with the nested execution: the Task is its waiter, stored with its start and answered in
 * the step that ends it (engine/nested-ends.ts). StartExecution's own errors
 * (StateMachineDoesNotExist, ExecutionAlreadyExists, …) fail the task as
 * `StepFunctions.<Error>Exception`. Parameters: StateMachineArn, Input (an object is sent as
 * JSON, none as `{}`), Name.
 */
export async function startNestedExecution(deps: TaskDeps, call: TaskCall, mode: NestedMode): Promise<TaskOutcome> {
  const control = deps.control();
  if (!control) return notServed(call, 'Step Functions executions', 'StepFunctions');
  const p = parametersOf(call);
  const input = p.Input === undefined ? '{}' : asText(p.Input);
  const stateMachineArn = typeof p.StateMachineArn === 'string' ? p.StateMachineArn : '';
  let started: { executionArn: string; startDate: Date };
  try {
    started = await control.startExecution({
      stateMachineArn,
      input,
      ...(typeof p.Name === 'string' && { name: p.Name }),
      account: call.account,
      region: call.region,
      ...((mode === 'sync' || mode === 'sync:2') && { waiter: { executionArn: call.executionArn, effectId: call.effect.id, mode, stateMachineArn } }),
    });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const exception = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
    return optimizedFailure('StepFunctions', 'AWSStepFunctions', exception, error.code, error.message, error.status, randomUUID());
  }
  const requestId = randomUUID();
  const answer: JsonObject = { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
  const length = JSON.stringify({ executionArn: started.executionArn, startDate: started.startDate.getTime() / 1000 }).length;
  const output: JsonObject = { ...answer, ...sdkMetadata(requestId, jsonHeaders(requestId, 'application/x-amz-json-1.0', length, deps.runtime.clock.now())) };
  if (mode === 'request') return { type: 'succeeded', output };
  return { type: 'submitted', output };
}
