/**
 * TestState (API reference: TestState; developer guide "Using TestState API to test a state"): one
 * state run on its own with an input (and variables), without a state machine. The result is the
 * state's output, or its error and cause, the state it would go to next, a status (SUCCEEDED,
 * FAILED, RETRIABLE when a Retry would run it again, CAUGHT_ERROR when a Catch took the error), and
 * at DEBUG/TRACE the inspection data: the value after each step of the state's processing.
 *
 * The state runs in the interpreter, inside a one-state machine whose transitions lead to stub
 * states; a Task's integration call is the caller's (`task`), a Wait does not wait.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { compileDefinition, type Diagnostic } from './definition.js';
import { createExecution, step } from './interpreter.js';
import type { Effect, ExecutionEnv, ExecutionInput, StepResult } from './snapshot.js';
import type { HistoryEvent } from './history.js';
import { text } from './json-text.js';

export interface TestStateOptions {
  input: Json;
  /** The variables the state sees. */
  variables?: JsonObject;
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  /** The name the state runs under ($$.State.Name); AWS's default is TestState. */
  stateName?: string;
  /** Performs a Task's integration call; without it a Task fails with States.TaskFailed. */
  task?: (effect: Extract<Effect, { kind: 'task' }>) => Promise<{ output: Json } | { error: string; cause: string }>;
  env: ExecutionEnv;
}

export interface TestStateResult {
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, string>;
}

export async function testState(definition: JsonObject, options: TestStateOptions): Promise<{ ok: true; result: TestStateResult } | { ok: false; diagnostics: Diagnostic[] }> {
  const name = options.stateName ?? 'TestState';
  const states: JsonObject = { [name]: definition };
  for (const target of targets(definition)) if (target !== name) states[target] = { Type: 'Succeed' };
  const parsed = compileDefinition({ StartAt: name, States: states });
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const def = parsed.machine;
  const snapshot = createExecution(def, {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:TestStateMachine:TestState',
    name: 'TestState',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:TestStateMachine',
    stateMachineName: 'TestStateMachine',
    roleArn: 'TestState',
    input: options.input,
    startTime: options.env.now(),
  });
  if (options.variables) Object.assign(snapshot.frames['0'].vars, options.variables);
  const inspection: Record<string, Json> = {};
  const events: HistoryEvent[] = [];
  let retriable = false;
  let input: ExecutionInput | null = { type: 'start' };
  while (input !== null && snapshot.status === 'RUNNING') {
    const r: StepResult = await step(def, snapshot, input, options.env, { inspection });
    events.push(...r.events);
    input = null;
    for (const e of r.effects) {
      if (e.kind === 'task') {
        const answer = options.task ? await options.task(e) : { error: 'States.TaskFailed', cause: 'The task was not run.' };
        input = 'output' in answer ? { type: 'taskSucceeded', effectId: e.id, output: answer.output } : { type: 'taskFailed', effectId: e.id, error: answer.error, cause: answer.cause };
      } else if (e.kind === 'timer') {
        if (snapshot.waits[e.id]?.purpose === 'retry') retriable = true;
        else if (snapshot.waits[e.id]?.purpose === 'wait') input = { type: 'timerFired', effectId: e.id };
      }
    }
    if (retriable) break;
  }
  return { ok: true, result: summarise(name, events, snapshot.status, retriable, options, inspection, snapshot.frames['0']?.vars ?? {}) };
}

function targets(state: JsonObject): string[] {
  const out: string[] = [];
  if (typeof state.Next === 'string') out.push(state.Next);
  if (typeof state.Default === 'string') out.push(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const x of list) if (isJsonObject(x) && typeof x.Next === 'string') out.push(x.Next);
  }
  return out;
}

const FAILURES = /(?:Failed|TimedOut)$|^EvaluationFailed$/;

function summarise(name: string, events: HistoryEvent[], status: string, retriable: boolean, options: TestStateOptions, inspection: Record<string, Json>, vars: JsonObject): TestStateResult {
  const details = (e: HistoryEvent | undefined) => (e ? (Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] as Record<string, unknown> | undefined) : undefined);
  const failure = events.find((e) => FAILURES.test(e.type) && e.type !== 'ExecutionFailed');
  const failureDetails = details(failure);
  const result: TestStateResult = { status: 'SUCCEEDED' };
  if (retriable || status === 'FAILED') {
    const d = retriable ? failureDetails : details(events.find((e) => e.type === 'ExecutionFailed'));
    result.status = retriable ? 'RETRIABLE' : 'FAILED';
    if (typeof d?.error === 'string') result.error = d.error;
    if (typeof d?.cause === 'string') result.cause = d.cause;
  } else {
    const exited = events.find((e) => e.type.endsWith('StateExited') && (details(e) as { name?: string } | undefined)?.name === name);
    const output = (details(exited) as { output?: string } | undefined)?.output;
    if (output !== undefined) result.output = output;
    const next = events.find((e) => e.type.endsWith('StateEntered') && (details(e) as { name?: string } | undefined)?.name !== name);
    const nextName = (details(next) as { name?: string } | undefined)?.name;
    if (nextName !== undefined) result.nextState = nextName;
    if (failure) {
      result.status = 'CAUGHT_ERROR';
      if (typeof failureDetails?.error === 'string') result.error = failureDetails.error;
      if (typeof failureDetails?.cause === 'string') result.cause = failureDetails.cause;
    }
  }
  if (options.inspectionLevel === 'DEBUG' || options.inspectionLevel === 'TRACE') {
    const data: Record<string, string> = { input: text(options.input) };
    for (const [k, v] of Object.entries(inspection)) data[k] = text(v);
    if (Object.keys(vars).length > 0) data.variables = text(vars);
    result.inspectionData = data;
  }
  return result;
}
