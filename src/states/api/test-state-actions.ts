/**
 * TestState (API reference: TestState): one state run on its own through the interpreter's
 * testState (src/states/asl/test-state.ts) — a state's definition, or with `stateName` a whole
 * state machine definition and the state in it to test; input, variables, inspectionLevel, a mock
 * of the state's result or error, the context object (with a mock), stateConfiguration
 * (retrierRetryCount, mapIterationFailureCount).
 *
 * A Task without a mock calls the real integration through a task runner (the engine's
 * TaskRunner shape, src/states/tasks/). When none is wired, such a Task is refused with a
 * ValidationException that says so; a mocked Task, and every other state type, runs anyway. A
 * Task's mocked result is checked against the output of the API its resource calls, where Stratus
 * has that service's model (mock.fieldValidationMode; tasks/result-check.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { Json, JsonObject } from '../asl/json.js';
import { isJsonObject } from '../asl/json.js';
import { parseDefinition, invalidDefinitionMessage } from '../asl/definition.js';
import type { Effect } from '../asl/snapshot.js';
import { testState, type TestStateMock, type TestStateOptions } from '../asl/test-state.js';
import { statesErrors } from '../model/errors.js';
import { ServiceError } from '../../protocol/errors.js';
import type { StructureShape } from '../../protocol/shapes.js';
import { resultProblem, type FieldValidationMode } from '../tasks/result-check.js';
import { action } from './action.js';
import { checkRoleArn } from './common.js';
import type * as S from './shapes.js';

/** A task call as the engine's TaskRunner takes it (src/states/engine/task-port.ts: TaskCall). */
export interface TestStateTaskCall {
  executionArn: string;
  account: string;
  region: string;
  effect: Extract<Effect, { kind: 'task' }>;
  stateMachineArn: string;
  roleArn: string;
  express: boolean;
}

/** What runs a Task's integration for TestState: the engine's TaskRunner fits. */
export interface TestStateTaskRunner {
  run(call: TestStateTaskCall): Promise<{ type: 'succeeded'; output: Json } | { type: 'failed'; error?: string; cause?: string } | { type: 'submitted'; output: Json } | { type: 'pending' }>;
}

/** "Invalid State Machine Execution Input: '<reason>'", as StartExecution answers a bad input. */
const invalidInput = (reason: string) => new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`, { status: 400 });

function parseJson(textValue: string, field: string, invalid: (reason: string) => Error): Json {
  try {
    return JSON.parse(textValue) as Json;
  } catch (err) {
    throw invalid(`${field}: ${(err as Error).message}`);
  }
}

/** The state `name` in a whole definition (its top-level States, then those of its Parallel branches and Map processors). */
function findState(states: Json, name: string): JsonObject | null {
  if (!isJsonObject(states)) return null;
  const found = states[name];
  if (isJsonObject(found)) return found;
  for (const state of Object.values(states)) {
    if (!isJsonObject(state)) continue;
    const inner: Json[] = [];
    if (Array.isArray(state.Branches)) inner.push(...state.Branches);
    if (isJsonObject(state.ItemProcessor)) inner.push(state.ItemProcessor);
    if (isJsonObject(state.Iterator)) inner.push(state.Iterator);
    for (const machine of inner) {
      const hit = isJsonObject(machine) ? findState(machine.States ?? null, name) : null;
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * @param runner the task runner a Task without a mock calls; absent, such a Task is refused.
 * @param resultShape the output shape of the API a Task resource calls, where Stratus has it
 *   (tasks/result-shapes.ts): a mocked result is checked against it per fieldValidationMode.
 */
export function testStateActions(clock: Clock, runner?: () => TestStateTaskRunner | undefined, resultShape?: (resource: string) => Promise<StructureShape | undefined>): ActionDefinition[] {
  return [
    action<S.TestStateInput, S.TestStateOutput>('TestState', async (input: S.TestStateInput, ctx: RequestContext) => {
      if (input.roleArn !== undefined) checkRoleArn(input.roleArn);
      let stateDefinition: JsonObject;
      let queryLanguage: 'JSONPath' | 'JSONata' | undefined;
      if (input.stateName !== undefined) {
        // "If this field is specified, the definition must contain a fully-formed state machine definition."
        const parsed = parseDefinition(input.definition);
        if (!parsed.ok) throw statesErrors.invalidDefinition(invalidDefinitionMessage(parsed.diagnostics));
        const whole = JSON.parse(input.definition) as JsonObject;
        const found = findState(whole.States ?? null, input.stateName);
        // Wording ours: AWS's text for a stateName the definition lacks is not recorded.
        if (found === null) throw statesErrors.validation(`The state '${input.stateName}' does not exist in the definition.`);
        stateDefinition = found;
        if (whole.QueryLanguage === 'JSONata' || whole.QueryLanguage === 'JSONPath') queryLanguage = whole.QueryLanguage;
      } else {
        let parsedState: Json;
        try {
          parsedState = JSON.parse(input.definition) as Json;
        } catch {
          // Not JSON: the definition parser's INVALID_JSON_DESCRIPTION, as CreateStateMachine answers it.
          const parsed = parseDefinition(input.definition);
          throw statesErrors.invalidDefinition(parsed.ok ? 'Invalid State Machine Definition' : invalidDefinitionMessage(parsed.diagnostics));
        }
        if (!isJsonObject(parsedState)) throw statesErrors.invalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The state definition must be a JSON object'");
        stateDefinition = parsedState;
      }
      const stateInput = parseJson(input.input ?? '{}', 'input', invalidInput);
      let variables: JsonObject | undefined;
      if (input.variables !== undefined) {
        const v = parseJson(input.variables, 'variables', (reason) => statesErrors.validation(`Invalid variables: ${reason}`));
        if (!isJsonObject(v)) throw statesErrors.validation('Invalid variables: a JSON object of variable names and values is expected.');
        variables = v;
      }
      let mock: TestStateMock | undefined;
      if (input.mock !== undefined) {
        const { result, errorOutput } = input.mock;
        // AWS's texts, recorded (localstack's test_state_mock_validation and
        // test_test_state_mock_scenarios snapshots); the one for neither field is the same.
        if ((result === undefined) === (errorOutput === undefined)) throw statesErrors.validation('A test mock should have only one of the following fields: [result, errorOutput].');
        if (input.revealSecrets === true) throw statesErrors.validation('TestState does not support RevealSecrets when a mock is specified.');
        if (result !== undefined) mock = { result: parseJson(result, 'mock.result', () => statesErrors.validation('Mocked result must be valid JSON')) };
        else {
          // "This field is required if mock.errorOutput is specified."
          if (errorOutput!.error === undefined) throw statesErrors.validation('mock.errorOutput.error is required when mock.errorOutput is specified.');
          mock = { error: errorOutput!.error, ...(errorOutput!.cause !== undefined ? { cause: errorOutput!.cause } : {}) };
        }
      }
      let context: JsonObject | undefined;
      if (input.context !== undefined) {
        const c = parseJson(input.context, 'context', (reason) => statesErrors.validation(`Invalid context: ${reason}`));
        if (!isJsonObject(c)) throw statesErrors.validation('Invalid context: a JSON object is expected.');
        context = c;
      }
      const tasks = runner?.();
      const region = ctx.region;
      const account = ctx.accountId;
      const options: TestStateOptions = {
        input: stateInput,
        env: { now: () => clock.now(), newId: () => randomUUID(), random: () => Math.random() },
        ...(input.inspectionLevel !== undefined && { inspectionLevel: input.inspectionLevel }),
        ...(input.stateName !== undefined && { stateName: input.stateName }),
        ...(queryLanguage !== undefined && { queryLanguage }),
        ...(variables !== undefined && { variables }),
        ...(mock !== undefined && { mock }),
        ...(context !== undefined && { context }),
        ...(input.stateConfiguration?.retrierRetryCount !== undefined && { retrierRetryCount: input.stateConfiguration.retrierRetryCount }),
        ...(input.stateConfiguration?.mapIterationFailureCount !== undefined && { mapIterationFailureCount: input.stateConfiguration.mapIterationFailureCount }),
        ...(input.stateConfiguration?.mapItemReaderData !== undefined && { mapItemReaderData: input.stateConfiguration.mapItemReaderData }),
      };
      if (tasks === undefined) {
        // Reached only for a valid Task state without a mock (the state is checked first).
        options.task = async () => {
          throw statesErrors.validation('This Stratus has no task integrations wired for TestState: give the Task state a mock (mock.result or mock.errorOutput) to test it.');
        };
      } else {
        options.task = async (effect) => {
          const outcome = await tasks.run({
            executionArn: `arn:aws:states:${region}:${account}:execution:TestStateMachine:${randomUUID()}`,
            account,
            region,
            effect,
            stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:TestStateMachine`,
            roleArn: input.roleArn ?? '',
            express: true,
          });
          if (outcome.type === 'failed') return { error: outcome.error ?? 'States.TaskFailed', cause: outcome.cause ?? '' };
          // An answer that comes later (an activity's worker) is never awaited here: TestState
          // takes activities and callbacks only with a mock, so this is not reached.
          if (outcome.type === 'pending') return { error: 'States.Runtime', cause: 'TestState does not wait for a worker or a callback: give the state a mock.' };
          return { output: outcome.output };
        };
      }
      // "If no value is specified, the default value is STRICT" (API reference, MockInput).
      const mode: FieldValidationMode = input.mock?.fieldValidationMode ?? 'STRICT';
      if (resultShape !== undefined && mode !== 'NONE') {
        options.checkMockResult = async (resource, result) => {
          const shape = await resultShape(resource);
          const problem = shape === undefined ? null : resultProblem(shape, result, mode);
          return problem === null ? null : `Mock result schema validation error: ${problem}`;
        };
      }
      const tested = await testState(stateDefinition, options);
      if (!tested.ok) {
        if (tested.invalidDefinition !== undefined) throw statesErrors.invalidDefinition(tested.invalidDefinition);
        if (tested.validation !== undefined) throw statesErrors.validation(tested.validation);
        throw statesErrors.invalidDefinition(invalidDefinitionMessage(tested.diagnostics));
      }
      const r = tested.result;
      const out: S.TestStateOutput = { status: r.status };
      if (r.output !== undefined) out.output = r.output;
      if (r.error !== undefined) out.error = r.error;
      if (r.cause !== undefined) out.cause = r.cause;
      if (r.nextState !== undefined) out.nextState = r.nextState;
      if (r.inspectionData !== undefined) out.inspectionData = r.inspectionData as S.InspectionData;
      return out;
    }),
  ];
}
