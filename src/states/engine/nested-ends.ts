import type { Json } from '../asl/json.js';
import type { ExecutionInput } from '../asl/snapshot.js';
import type { ExecutionRecord } from '../repository/execution-records.js';
import type { ExecutionWaiter } from '../repository/execution-waiters.js';
import { outcomeInput } from './task-dispatch.js';
import type { TaskAnswer } from './task-port.js';

/** A nested execution as it ended: what its `.sync` waiter's answer describes. */
export interface EndedChild {
  arn: string;
  /** Its input as it was sent. */
  input: string;
  startDate: number;
  stopDate: number;
  status: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
}

/** A stored (Standard) execution that has ended, as its waiter is told of it; `now` stands in for a stop date not yet set. */
export function endedChildOf(record: ExecutionRecord, now: number): EndedChild {
  return {
    arn: record.arn,
    input: record.input,
    startDate: record.startDate,
    stopDate: record.stopDate ?? now,
    status: record.status,
    ...(record.output !== undefined && { output: record.output }),
    ...(record.error !== undefined && { error: record.error }),
    ...(record.cause !== undefined && { cause: record.cause }),
    redriveCount: record.redriveCount,
  };
}

/**
 * A nested execution's end as its `.sync` Task's answer: DescribeExecution's answer, with the
 * input and output as JSON text for `.sync` and as JSON for `.sync:2` (Developer Guide, "Start a
 * new AWS Step Functions state machine from a running execution"); an execution that did not
 * succeed fails the Task with States.TaskFailed and that answer as the cause.
 */
export function nestedOutcome(child: EndedChild, waiter: Pick<ExecutionWaiter, 'mode' | 'stateMachineArn'>): TaskAnswer {
  const asJson = waiter.mode === 'sync:2';
  const describe: Record<string, Json> = {
    ExecutionArn: child.arn,
    Input: asJson ? parseOr(child.input) : child.input,
    InputDetails: { Included: true },
    Name: child.arn.slice(child.arn.lastIndexOf(':') + 1),
  };
  if (child.status === 'SUCCEEDED') {
    describe.Output = asJson ? parseOr(child.output ?? 'null') : (child.output ?? 'null');
    describe.OutputDetails = { Included: true };
  }
  describe.RedriveCount = child.redriveCount ?? 0;
  describe.StartDate = child.startDate;
  describe.StateMachineArn = waiter.stateMachineArn;
  describe.Status = child.status;
  describe.StopDate = child.stopDate;
  if (child.status === 'SUCCEEDED') return { type: 'succeeded', output: describe };
  if (child.error !== undefined) describe.Error = child.error;
  if (child.cause !== undefined) describe.Cause = child.cause;
  return { type: 'failed', error: 'States.TaskFailed', cause: JSON.stringify(describe) };
}

/** The input that ends the waiting Task of `waiter` with the child's end. */
export function waiterInput(child: EndedChild, waiter: ExecutionWaiter): ExecutionInput {
  return outcomeInput(waiter.effectId, nestedOutcome(child, waiter));
}

/**
 * How an Express child that was lost ends for its waiter: Express executions live in the memory
 * of the process that runs them, so one that process took down with it (a crash, a stop) never
 * ends by itself — as on AWS, where a host failure ends an Express execution. Ours.
 */
export function lostExpressChild(arn: string, input: string, startDate: number, stopDate: number): EndedChild {
  return { arn, input, startDate, stopDate, status: 'ABORTED', error: 'States.Runtime', cause: 'The Express execution ended when Stratus stopped; its outcome is unknown.' };
}

function parseOr(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
