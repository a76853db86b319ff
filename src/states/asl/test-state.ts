/**
 * TestState (API reference: TestState; developer guide "Using TestState API to test a state"): one
 * state run on its own with an input (and variables), without a state machine. The result is the
 * state's output, or its error and cause, the state it would go to next, a status (SUCCEEDED,
 * FAILED, RETRIABLE when a Retry would run it again, CAUGHT_ERROR when a Catch took the error), and
 * at DEBUG/TRACE the inspection data: the value after each step of the state's processing and, when
 * a Retry or Catch handled an error, which one (errorDetails).
 *
 * The state runs in the interpreter, inside a one-state machine whose transitions lead to stub
 * states; a Task's integration call is the caller's (`task`) unless a mock answers it, a Wait does
 * not wait. A Map or Parallel state runs only with a mock ("TestState only supports the following
 * when a mock is specified: Activity tasks, .sync or .waitForTaskToken service integration
 * patterns, Parallel, or Map states"): the mock is the state's result, which then goes through the
 * state's ResultSelector / ResultPath / OutputPath (or Output), Assign, Retry and Catch.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { compileDefinition, type Diagnostic } from './definition.js';
import { createExecution, step } from './interpreter.js';
import type { Effect, ExecutionEnv, ExecutionInput, StepResult } from './snapshot.js';
import type { HistoryEvent } from './history.js';
import { text } from './json-text.js';
import { classifyResource } from './resources.js';

/** A mocked result of the state under test, or a mocked error (TestState's `mock`). */
export type TestStateMock = { result: Json } | { error: string; cause?: string };

export interface TestStateOptions {
  input: Json;
  /** The variables the state sees. */
  variables?: JsonObject;
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  /** The name the state runs under ($$.State.Name); AWS's default is TestState. */
  stateName?: string;
  /** The top-level QueryLanguage of the state machine the state comes from (stateName with a whole definition). */
  queryLanguage?: 'JSONPath' | 'JSONata';
  /** Performs a Task's integration call; without it (and without a mock) a Task fails with States.TaskFailed. */
  task?: (effect: Extract<Effect, { kind: 'task' }>) => Promise<{ output: Json } | { error: string; cause: string }>;
  /** Answers the state's work instead of running it (Task, Map, Parallel). */
  mock?: TestStateMock;
  /**
   * Checks a Task's mocked result against the model of the API its resource calls (the caller
   * knows the services: TestState's fieldValidationMode); a problem refuses the request.
   */
  checkMockResult?: (resource: string, result: Json) => Promise<string | null>;
  /** The context object's Execution / StateMachine / Task fields (TestState's `context`; only with a mock). */
  context?: JsonObject;
  /** stateConfiguration.retrierRetryCount: retries the matching retrier has made already. */
  retrierRetryCount?: number;
  /** stateConfiguration.mapIterationFailureCount: Map iterations that failed (checked against the tolerated failure thresholds). */
  mapIterationFailureCount?: number;
  /** stateConfiguration.mapItemReaderData: what a distributed Map's ItemReader reads (the object's text, or the listing). */
  mapItemReaderData?: Json;
  env: ExecutionEnv;
}

export interface TestStateErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

/** TestState's inspectionData: JSON texts, the Map's numbers, errorDetails. */
export type TestStateInspection = Record<string, string | number | TestStateErrorDetails>;

export interface TestStateResult {
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: TestStateInspection;
}

/**
 * The state is invalid (diagnostics, or a message: InvalidDefinition) or the request does not fit
 * it (validation: ValidationException).
 */
export type TestStateRefusal = { ok: false; diagnostics: Diagnostic[]; validation?: string; invalidDefinition?: string };

/** States that run only with a mock. */
const MOCK_ONLY_TYPES = new Set(['Map', 'Parallel']);
const MOCKABLE_TYPES = new Set(['Task', 'Map', 'Parallel']);
/** A mocked Map / Parallel runs as a Task whose call the mock answers: these fields keep their meaning. */
const RESULT_FIELDS = ['Comment', 'QueryLanguage', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Retry', 'Catch', 'Next', 'End'];
const MOCK_RESOURCE = 'arn:aws:states:::aws-sdk:states:testState.mock';

export async function testState(definition: JsonObject, options: TestStateOptions): Promise<{ ok: true; result: TestStateResult } | TestStateRefusal> {
  const name = options.stateName ?? 'TestState';
  const checked = compileState(name, definition, options.queryLanguage);
  if (!checked.ok) return checked;
  const refusal = mockRefusal(definition, options);
  if (refusal !== null) return { ok: false, diagnostics: [], ...refusal };
  const mocked = options.mock;
  if (mocked !== undefined && 'result' in mocked && definition.Type === 'Task' && typeof definition.Resource === 'string' && options.checkMockResult) {
    const problem = await options.checkMockResult(definition.Resource, mocked.result);
    if (problem !== null) return { ok: false, diagnostics: [], validation: problem };
  }
  const type = definition.Type as string;
  const substituted = options.mock !== undefined && MOCK_ONLY_TYPES.has(type);
  const parsed = substituted ? compileState(name, asMockedTask(definition), options.queryLanguage) : checked;
  if (!parsed.ok) return parsed;
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
  if (options.context) {
    for (const key of ['Execution', 'StateMachine'] as const) {
      const given = options.context[key];
      if (isJsonObject(given)) snapshot.context[key] = { ...snapshot.context[key], ...given };
    }
  }
  if (options.variables) Object.assign(snapshot.frames['0'].vars, options.variables);
  const inspection: Record<string, Json> = {};
  const events: HistoryEvent[] = [];
  let retriable = false;
  let input: ExecutionInput | null = { type: 'start' };
  const stepOptions = { inspection, ...(options.retrierRetryCount !== undefined ? { retriesMade: options.retrierRetryCount } : {}) };
  while (input !== null && snapshot.status === 'RUNNING') {
    const r: StepResult = await step(def, snapshot, input, options.env, stepOptions);
    events.push(...r.events);
    input = null;
    for (const e of r.effects) {
      if (e.kind === 'task') {
        const answer = await answerTask(e, definition, options);
        input = 'output' in answer ? { type: 'taskSucceeded', effectId: e.id, output: answer.output } : { type: 'taskFailed', effectId: e.id, error: answer.error, ...(answer.cause !== undefined ? { cause: answer.cause } : {}) };
      } else if (e.kind === 'timer') {
        if (snapshot.waits[e.id]?.purpose === 'retry') retriable = true;
        else if (snapshot.waits[e.id]?.purpose === 'wait') input = { type: 'timerFired', effectId: e.id };
      }
    }
    if (retriable) break;
  }
  if (substituted && type === 'Map' && (options.inspectionLevel === 'DEBUG' || options.inspectionLevel === 'TRACE')) {
    const probed = await probeMap(name, definition, options);
    if (probed.failed) return { ok: true, result: { status: 'FAILED', ...(probed.error !== undefined ? { error: probed.error } : {}), ...(probed.cause !== undefined ? { cause: probed.cause } : {}) } };
    for (const [k, v] of Object.entries(probed.inspection)) if (k !== 'afterInputPath' || !(k in inspection)) inspection[k] = v;
  }
  if (substituted) {
    // The mocked Map / Parallel evaluated no Parameters of a task; its own Parameters / Arguments are a Parallel's branch input.
    const keeps = type === 'Parallel';
    if (!(keeps && 'Parameters' in definition)) delete inspection.afterParameters;
    if (!(keeps && 'Arguments' in definition)) delete inspection.afterArguments;
  }
  return { ok: true, result: summarise(name, events, snapshot.status, retriable, options, inspection, snapshot.frames['0']?.vars ?? {}) };
}

/**
 * A mocked Map's input processing, for the inspection data: the Map runs with its iterations
 * replaced by a Pass, so its result is what the iterations would have received (afterItemSelector,
 * or the batches: afterItemBatcher); ItemsPath / ItemsPointer / MaxConcurrency / tolerated failure
 * values are recorded on the way. An ItemReader reads `mapItemReaderData`.
 */
async function probeMap(name: string, definition: JsonObject, options: TestStateOptions): Promise<{ failed: boolean; error?: string; cause?: string; inspection: Record<string, Json> }> {
  const probe: JsonObject = {};
  for (const [k, v] of Object.entries(definition)) {
    if (['ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Retry', 'Catch', 'ResultWriter', 'Next'].includes(k)) continue;
    probe[k] = v;
  }
  probe.End = true;
  const processor = isJsonObject(definition.ItemProcessor) ? definition.ItemProcessor : isJsonObject(definition.Iterator) ? definition.Iterator : {};
  const pass: JsonObject = { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } };
  if (isJsonObject(processor.ProcessorConfig)) pass.ProcessorConfig = processor.ProcessorConfig;
  if ('Iterator' in probe) probe.Iterator = pass;
  else probe.ItemProcessor = pass;
  const compiled = compileState(name, probe, options.queryLanguage);
  if (!compiled.ok) return { failed: false, inspection: {} };
  const def = compiled.machine;
  const snapshot = createExecution(def, { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:TestStateMachine:probe', name: 'probe', stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:TestStateMachine', stateMachineName: 'TestStateMachine', roleArn: 'TestState', input: options.input, startTime: options.env.now() });
  if (options.variables) Object.assign(snapshot.frames['0'].vars, options.variables);
  const inspection: Record<string, Json> = {};
  let input: ExecutionInput | null = { type: 'start' };
  while (input !== null && snapshot.status === 'RUNNING') {
    const r: StepResult = await step(def, snapshot, input, options.env, { inspection });
    input = null;
    for (const e of r.effects) {
      if (e.kind === 'readItems') input = { type: 'itemsRead', effectId: e.id, content: options.mapItemReaderData ?? [] };
    }
  }
  if (snapshot.status !== 'SUCCEEDED') return { failed: true, ...(snapshot.error !== undefined ? { error: snapshot.error } : {}), ...(snapshot.cause !== undefined ? { cause: snapshot.cause } : {}), inspection };
  const out: Record<string, Json> = {};
  for (const key of ['afterInputPath', 'afterItemsPath', 'afterItemsPointer', 'maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage']) if (key in inspection) out[key] = inspection[key];
  if (isJsonObject(definition.ItemBatcher)) {
    if ('afterItemSelector' in inspection) out.afterItemSelector = inspection.afterItemSelector;
    out.afterItemBatcher = snapshot.output ?? null;
  } else out.afterItemSelector = snapshot.output ?? null;
  return { failed: false, inspection: out };
}

function compileState(name: string, definition: JsonObject, queryLanguage: 'JSONPath' | 'JSONata' | undefined): { ok: true; machine: import('./model.js').StateMachineDefinition } | TestStateRefusal {
  const states: JsonObject = { [name]: definition };
  for (const target of targets(definition)) if (target !== name) states[target] = { Type: 'Succeed' };
  const machine: JsonObject = { StartAt: name, States: states };
  if (queryLanguage !== undefined) machine.QueryLanguage = queryLanguage;
  const parsed = compileDefinition(machine);
  return parsed.ok ? parsed : { ok: false, diagnostics: parsed.diagnostics };
}

/**
 * What the request may not ask of this state. The API reference states the rules ("A mock can
 * only be specified for Task, Map, or Parallel states", `context` "may only be specified if a mock
 * is specified", Map / Parallel / Activity / .sync / .waitForTaskToken "only … when a mock is
 * specified"); the texts of a mock on another state type, of Map / Parallel without a mock and of
 * a mocked Map / Parallel result of the wrong form are AWS's, as recorded (localstack's
 * test_state_mock_validation snapshots, 2025-12 and 2026-02); the others are ours.
 */
function mockRefusal(definition: JsonObject, options: TestStateOptions): { validation: string } | { invalidDefinition: string } | null {
  const type = String(definition.Type);
  const mock = options.mock;
  if (mock !== undefined && !MOCKABLE_TYPES.has(type)) return { validation: `State type '${type}' is not supported when a mock is specified` };
  if (options.context !== undefined && mock === undefined) return { validation: 'The context can only be specified together with a mock.' };
  if (mock !== undefined) {
    if (!('result' in mock)) return null;
    const problem = mockedResultForm(definition, mock.result);
    return problem === null ? null : { validation: problem };
  }
  if (MOCK_ONLY_TYPES.has(type)) return { invalidDefinition: 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]' };
  if (type === 'Task' && typeof definition.Resource === 'string') {
    const resource = definition.Resource;
    if (classifyResource(resource).family === 'activity') return { validation: 'TestState runs an Activity task only with a mock.' };
    const pattern = /\.(sync(?::2)?|waitForTaskToken)$/.exec(resource)?.[1];
    if (pattern !== undefined) return { validation: `TestState runs a .${pattern} integration only with a mock.` };
  }
  return null;
}

/**
 * A mocked Map's result is its iterations' results (an array), or with a ResultWriter the
 * writer's answer (an object); a mocked Parallel's is one result per branch.
 */
function mockedResultForm(definition: JsonObject, result: Json): string | null {
  if (definition.Type === 'Map') {
    if (isJsonObject(definition.ResultWriter)) return isJsonObject(result) ? null : 'Mocked result must be a JSON object.';
    return Array.isArray(result) ? null : 'Mocked result must be an array.';
  }
  if (definition.Type === 'Parallel') {
    if (!Array.isArray(result)) return 'Mocked result must be an array.';
    const branches = Array.isArray(definition.Branches) ? definition.Branches.length : 0;
    if (result.length !== branches) return 'Mocked result must contain the same number of items as number of Parallel branches.';
  }
  return null;
}

function asMockedTask(definition: JsonObject): JsonObject {
  const task: JsonObject = { Type: 'Task', Resource: MOCK_RESOURCE };
  for (const field of RESULT_FIELDS) if (field in definition) task[field] = definition[field];
  if (definition.Type === 'Parallel') {
    if ('Parameters' in definition) task.Parameters = definition.Parameters;
    if ('Arguments' in definition) task.Arguments = definition.Arguments;
  }
  return task;
}

async function answerTask(effect: Extract<Effect, { kind: 'task' }>, definition: JsonObject, options: TestStateOptions): Promise<{ output: Json } | { error: string; cause?: string }> {
  const mock = options.mock;
  if (mock !== undefined) {
    const exceeded = exceededTolerance(definition, options.mapIterationFailureCount);
    if (exceeded) return { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' };
    return 'result' in mock ? { output: mock.result } : { error: mock.error, ...(mock.cause !== undefined ? { cause: mock.cause } : {}) };
  }
  if (options.task) return options.task(effect);
  return { error: 'States.TaskFailed', cause: 'The task was not run.' };
}

/** A mocked Map whose failed iterations (mapIterationFailureCount) pass its literal ToleratedFailureCount / Percentage. */
function exceededTolerance(definition: JsonObject, failures: number | undefined): boolean {
  if (definition.Type !== 'Map' || failures === undefined || failures === 0) return false;
  const count = typeof definition.ToleratedFailureCount === 'number' ? definition.ToleratedFailureCount : null;
  const percentage = typeof definition.ToleratedFailurePercentage === 'number' ? definition.ToleratedFailurePercentage : null;
  if (count === null && percentage === null) return false;
  if (count !== null && failures <= count) return false;
  if (percentage !== null && percentage >= 100) return false;
  return true;
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

/** InspectionData members that are numbers, not JSON texts. */
const NUMBERS = new Set(['maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage']);

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
    const data: TestStateInspection = { input: text(options.input) };
    for (const [k, v] of Object.entries(inspection)) {
      if (k === 'errorDetails') data[k] = v as TestStateErrorDetails;
      else if (NUMBERS.has(k) && typeof v === 'number') data[k] = v;
      else data[k] = text(v);
    }
    if (Object.keys(vars).length > 0) data.variables = text(vars);
    result.inspectionData = data;
  }
  return result;
}
