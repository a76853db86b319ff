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
import { variableReferences } from './variable-references.js';

export type { StateMachineDefinition } from './model.js';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export type ParseResult = { ok: true; machine: StateMachineDefinition } | { ok: false; diagnostics: Diagnostic[] };

export interface ParseOptions {
  /** The state machine's type: EXPRESS machines cannot use `.sync` or `.waitForTaskToken` integrations. */
  type?: 'STANDARD' | 'EXPRESS';
}

export function parseDefinition(text: string, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return fail([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: NOT_AN_OBJECT }]);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (err) {
    return fail([jsonDiagnostic(text, err)]);
  }
  if (!isJsonObject(parsed)) {
    return fail([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: NOT_AN_OBJECT }]);
  }
  return compileDefinition(parsed, options);
}

/** Validates and compiles a definition already parsed. */
export function compileDefinition(raw: JsonObject, options: ParseOptions = {}): ParseResult {
  const v: Validation = { diagnostics: [], machines: {}, stateNames: new Map(), express: options.type === 'EXPRESS' };
  const root = validateMachine(raw, '', '/', v, null);
  const errors = v.diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0 || root === null) return fail(v.diagnostics);
  const machines: Record<string, CompiledMachine> = v.machines;
  const machine: StateMachineDefinition = { raw, queryLanguage: root.queryLanguage, machines, variableReferences: variableReferences(machines) };
  if (typeof raw.Comment === 'string') machine.comment = raw.Comment;
  if (typeof raw.TimeoutSeconds === 'number') machine.timeoutSeconds = raw.TimeoutSeconds;
  return { ok: true, machine };
}

const NOT_AN_OBJECT = 'Definition must be a valid JSON object';

/**
 * The message of CreateStateMachine's / UpdateStateMachine's InvalidDefinition error, e.g.
 * `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'`.
 */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const parts = diagnostics
    .filter((d) => d.severity === 'ERROR')
    // A diagnostic without a location reads "at null" (AWS: "MISSING_END_STATE: Workflow has no terminal state at null");
    // a definition that is not a JSON object has no location at all (as the control-plane tests pin it).
    .map((d) => (d.code === 'INVALID_JSON_DESCRIPTION' || d.message === NOT_AN_OBJECT ? `${d.code}: ${d.message}` : `${d.code}: ${d.message} at ${d.location ?? 'null'}`));
  return `Invalid State Machine Definition: '${parts.join(', ')}'`;
}

function fail(diagnostics: Diagnostic[]): ParseResult {
  return { ok: false, diagnostics };
}

/**
 * A JSON syntax error as AWS's parser (Jackson) words it, e.g. for `not a definition`
 * (recorded ValidateStateMachineDefinition answer): "Unrecognized token 'not': was expecting
 * (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source:
 * (String)"not a definition"; line: 1, column: 4]", the part after " at " also as the location.
 */
function jsonDiagnostic(text: string, _err: unknown): Diagnostic {
  const found = locateJsonError(text);
  let line = 1;
  let column = 1;
  for (let i = 0; i < found.offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  const location = `[Source: (String)"${text}"; line: ${line}, column: ${column}]`;
  return { severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: `${found.message}\n at ${location}`, location };
}

/** Finds the first syntax error of a JSON text: Jackson's message and the offset its column counts to. */
function locateJsonError(text: string): { message: string; offset: number } {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const charError = (expecting: string) => {
    if (i >= text.length) return { message: `Unexpected end-of-input: ${expecting}`, offset: i };
    const ch = text[i];
    return { message: `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)})): ${expecting}`, offset: i + 1 };
  };
  type Fail = { message: string; offset: number } | null;
  const value = (): Fail => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return null;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') return charError('was expecting double-quote to start field name');
        const f = string();
        if (f) return f;
        ws();
        if (text[i] !== ':') return charError("was expecting a colon to separate field name and value");
        i++;
        const v = value();
        if (v) return v;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return null;
        }
        return charError("was expecting comma to separate Object entries");
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return null;
      }
      for (;;) {
        const v = value();
        if (v) return v;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return null;
        }
        return charError("was expecting comma to separate Array entries");
      }
    }
    if (ch === '"') return string();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && number[0] !== '' && number[0] !== '-') {
      i += number[0].length;
      return null;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word && (word[0] === 'true' || word[0] === 'false' || word[0] === 'null')) {
      i += word[0].length;
      return null;
    }
    if (word) {
      return { message: `Unrecognized token '${word[0]}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, offset: i + word[0].length };
    }
    return charError('expected a valid value (JSON String, Number, Array, Object or token \'null\', \'true\' or \'false\')');
  };
  const string = (): Fail => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) return { message: 'Unexpected end-of-input: was expecting closing quote for a string value', offset: i };
    i++;
    return null;
  };
  const failure = value();
  if (failure) return failure;
  ws();
  return i < text.length ? charError('expected end-of-input') : { message: 'Unexpected end-of-input', offset: i };
}
