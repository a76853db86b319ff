/**
 * The definition check CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition
 * share: the interpreter's parser (src/states/asl/definition.ts), which answers AWS's diagnostics
 * (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, …) and the
 * InvalidDefinition message built from them.
 */
import { invalidDefinitionMessage, parseDefinition, type Diagnostic, type ParseResult } from '../asl/definition.js';

export type { Diagnostic };
export { invalidDefinitionMessage };

/** The type matters: an EXPRESS machine may not use `.sync` or `.waitForTaskToken` integrations. */
export function checkDefinition(text: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): ParseResult {
  return parseDefinition(text, { type });
}

/**
 * DescribeStateMachine's `variableReferences` for a stored definition: per state, the variables it
 * reads (the interpreter's reading of the definition); absent when no state reads any, as AWS
 * leaves it out (recorded, LocalStack's test_sfn_api_variable_references snapshots).
 */
export function variableReferencesOf(definition: string): Record<string, string[]> | undefined {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) return undefined;
  const references = parsed.machine.variableReferences;
  return references && Object.keys(references).length > 0 ? references : undefined;
}
