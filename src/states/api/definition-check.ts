/**
 * The definition check CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition
 * share: the interpreter's parser (src/states/asl/definition.ts), which answers AWS's diagnostics
 * (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, …) and the
 * InvalidDefinition message built from them.
 */
import { invalidDefinitionMessage, parseDefinition, type Diagnostic, type ParseResult } from '../asl/definition.js';
import { variableReferences } from '../asl/variable-references.js';

export type { Diagnostic };
export { invalidDefinitionMessage };

export function checkDefinition(text: string): ParseResult {
  return parseDefinition(text);
}

/**
 * DescribeStateMachine's `variableReferences` for a stored definition: per state, the variables it
 * reads (the interpreter's reading of the definition); absent when no state reads any, as AWS
 * leaves it out (recorded, LocalStack's test_sfn_api_variable_references snapshots).
 */
export function variableReferencesOf(definition: string): Record<string, string[]> | undefined {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) return undefined;
  const references = variableReferences(parsed.machine.machines);
  return Object.keys(references).length > 0 ? references : undefined;
}
