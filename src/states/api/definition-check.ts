/**
 * The definition check CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition
 * share. Until the interpreter's parseDefinition (src/states/asl/definition.ts) is merged, only
 * the JSON syntax is checked here: a definition that is not a JSON object is refused as AWS
 * refuses it (`INVALID_JSON_DESCRIPTION`), and anything else is accepted.
 */
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export type DefinitionCheck = { ok: true } | { ok: false; diagnostics: Diagnostic[] };

export function checkDefinition(text: string): DefinitionCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: 'The definition must be a JSON object.' }] };
  }
  return { ok: true };
}

/**
 * InvalidDefinition's message: "Invalid State Machine Definition: '<CODE>: <message> at <location>'"
 * (recorded: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are
 * required: [States] at /'"), the errors joined with ", ".
 */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  const text = errors.map((d) => `${d.code}: ${d.message}${d.location !== undefined ? ` at ${d.location}` : ''}`).join(', ');
  return `Invalid State Machine Definition: '${text}'`;
}
