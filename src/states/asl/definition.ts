/**
 * parseDefinition: the text of a state machine definition → a validated, compiled
 * StateMachineDefinition, or the diagnostics AWS returns (ValidateStateMachineDefinition) and puts
 * in CreateStateMachine's InvalidDefinition message.
 *
 * The diagnostic codes are the ones the API reference lists for
 * ValidateStateMachineDefinitionDiagnostic (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED,
 * MISSING_TRANSITION_TARGET, …); messages and locations follow what AWS answers (for instance
 * "These fields are required: [States, StartAt]" at "/").
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { CompiledMachine, StateMachineDefinition } from './model.js';
import { validateMachine, type Validation } from './validate.js';

export type { StateMachineDefinition } from './model.js';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export type ParseResult = { ok: true; machine: StateMachineDefinition } | { ok: false; diagnostics: Diagnostic[] };

export function parseDefinition(text: string): ParseResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return fail([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' }]);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (err) {
    return fail([jsonDiagnostic(text, err)]);
  }
  if (!isJsonObject(parsed)) {
    return fail([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' }]);
  }
  return compileDefinition(parsed);
}

/** Validates and compiles a definition already parsed. */
export function compileDefinition(raw: JsonObject): ParseResult {
  const v: Validation = { diagnostics: [], machines: {}, stateNames: new Map() };
  const root = validateMachine(raw, '', '/', v, null);
  const errors = v.diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0 || root === null) return fail(v.diagnostics);
  const machines: Record<string, CompiledMachine> = v.machines;
  const machine: StateMachineDefinition = { raw, queryLanguage: root.queryLanguage, machines };
  if (typeof raw.Comment === 'string') machine.comment = raw.Comment;
  if (typeof raw.TimeoutSeconds === 'number') machine.timeoutSeconds = raw.TimeoutSeconds;
  return { ok: true, machine };
}

/**
 * The message of CreateStateMachine's / UpdateStateMachine's InvalidDefinition error, e.g.
 * `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'`.
 */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const parts = diagnostics
    .filter((d) => d.severity === 'ERROR')
    .map((d) => `${d.code}: ${d.message}${d.location !== undefined && d.code !== 'INVALID_JSON_DESCRIPTION' ? ` at ${d.location}` : ''}`);
  return `Invalid State Machine Definition: '${parts.join(', ')}'`;
}

function fail(diagnostics: Diagnostic[]): ParseResult {
  return { ok: false, diagnostics };
}

/** A JSON syntax error as AWS's parser (Jackson) words the common cases. */
function jsonDiagnostic(text: string, err: unknown): Diagnostic {
  const position = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
  const offset = position ? Number(position[1]) : 0;
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  const quoted = text.length > 500 ? `${text.slice(0, 500)}"[truncated ${text.length - 500} chars]` : `${text}"`;
  const location = `[Source: (String)"${quoted}; line: ${line}, column: ${column}]`;
  const token = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(offset));
  const message = token
    ? `Unrecognized token '${token[0]}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`
    : `Unexpected character ('${text[offset] ?? ''}' (code ${text.charCodeAt(offset) || 0}))`;
  return { severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: `${message}\n at ${location}`, location };
}
