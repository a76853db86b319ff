/**
 * The Amazon States Language core: definitions (parse, validate, compile) and the resumable,
 * pure interpreter. No I/O: time, ids and randomness are injected; tasks, timers and child
 * executions are effects the engine performs and feeds back (see interpreter.ts).
 */
export { compileDefinition, invalidDefinitionMessage, parseDefinition, type Diagnostic, type ParseOptions, type ParseResult } from './definition.js';
export type { Catcher, ChoiceRule, CompiledMachine, CompiledState, QueryLanguage, Retrier, StateMachineDefinition, StateType } from './model.js';
export { createExecution, MAX_PAYLOAD_BYTES, step, type HistoryKept, type StepOptions } from './interpreter.js';
export { MAX_EXECUTION_TIME_MS, REDRIVE_HISTORY_LIMIT, REDRIVE_LAUNCH, REDRIVE_PERIOD_MS, redriveStatus, type RedriveStatus, type RedriveStatusOptions } from './redrive.js';
export { testState, type TestStateErrorDetails, type TestStateInspection, type TestStateMock, type TestStateOptions, type TestStateRefusal, type TestStateResult } from './test-state.js';
export { registerText, text as jsonText } from './json-text.js';
export { classifyResource } from './resources.js';
export type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot, ExecutionStart, ExecutionStatus, Frame, MapRunReport, StepResult, StoppedFrame, Work } from './snapshot.js';
export { detailsKey, type HistoryEvent, type HistoryEventType } from './history.js';
export type { Json, JsonObject } from './json.js';
export { StatesError } from './states-error.js';
