/**
 * The definition check CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition
 * share: the interpreter's parser (src/states/asl/definition.ts), which answers AWS's diagnostics
 * (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, …) and the
 * InvalidDefinition message built from them.
 */
import { invalidDefinitionMessage, parseDefinition, type Diagnostic, type ParseResult } from '../asl/definition.js';

export type { Diagnostic };
export { invalidDefinitionMessage };

export function checkDefinition(text: string): ParseResult {
  return parseDefinition(text);
}
