/**
 * What a rule's target receives for a matched event: the whole event, a constant `Input`, the part
 * of the event an `InputPath` selects, or the text an `InputTransformer` builds. Pure core
 * (DESIGN.md rule 4): `compileTargetInput` validates a target at PutTargets time, with AWS's
 * messages, and returns a renderer the delivery path calls once per event and target.
 *
 * Sources (facts only; the wording here is ours):
 *  - User Guide, "Amazon EventBridge input transformation"
 *    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 *  - API reference, InputTransformer and Target
 *    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
 *    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
 *  - Behaviour recorded against AWS in localstack's validated snapshots
 *    (tests/aws/services/events/test_events_inputs.snapshot.json): the PutTargets messages for an
 *    undefined placeholder and for more than one input kind, empty text for a path the event lacks,
 *    the shape of `<aws.events.event>`, and that a JSON template whose result is not JSON is not
 *    delivered.
 *  - `JSON syntax error in input for target <id>: [Source: ...]` as AWS printed it in
 *    https://github.com/aws/aws-cli/issues/6711, and `Input for target <id> is not a valid JSON
 *    text.` in https://github.com/awsdocs/aws-cloudformation-user-guide/issues/1010.
 */
import { ServiceError } from '../../protocol/errors.js';
import { jacksonLocation, JsonSyntaxError, parseJson } from '../../patterns/json.js';
import { evaluatePath, MISSING, parsePath, type JsonPath, type PathResult } from './json-path.js';

export interface TargetInputSpec {
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate?: string };
}

/** The target being validated: its `Id` (named in AWS's messages) and its 1-based place in the request. */
export interface TargetRef {
  id: string;
  /** 1-based position in PutTargets' `Targets`, for the `targets.N.member...` of constraint messages. Default 1. */
  index?: number;
}

export interface TargetInputContext {
  ruleArn: string;
  ruleName: string;
  /** ISO 8601 time EventBridge received the event (`<aws.events.event.ingestion-time>`). */
  ingestionTime: string;
}

export type TargetInputKind = 'event' | 'input' | 'input-path' | 'input-transformer';

export interface CompiledTargetInput {
  readonly kind: TargetInputKind;
  /**
   * The payload for one matched event. `event` is the parsed event, `eventText` its JSON text (passed
   * through unchanged when the target takes the whole event). Throws `TargetInputRenderError` when a
   * JSON template renders to text that is not JSON: AWS does not deliver such an event.
   */
  render(event: unknown, eventText: string, context: TargetInputContext): string;
}

/** A JSON template whose rendered text is not valid JSON (values are inserted unescaped, as AWS does). */
export class TargetInputRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetInputRenderError';
  }
}

// Limits from the API reference's shapes (TargetInput, TargetInputPath, TransformerInput,
// TransformerPaths, InputTransformerPathKey).
export const INPUT_MAX_LENGTH = 8192;
export const INPUT_PATH_MAX_LENGTH = 256;
export const INPUT_TEMPLATE_MAX_LENGTH = 8192;
export const INPUT_PATHS_MAP_MAX_ENTRIES = 100;
export const INPUT_PATHS_MAP_KEY_MAX_LENGTH = 256;
const PATH_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;
const PATH_KEY_PATTERN_TEXT = '[A-Za-z0-9\\_\\-]+';

// Predefined variables (User Guide, "Predefined variables"). The three text ones may appear
// anywhere; the two event ones only as a value in a JSON template, because they are inserted as
// JSON and not escaped.
const RULE_ARN = 'aws.events.rule-arn';
const RULE_NAME = 'aws.events.rule-name';
const INGESTION_TIME = 'aws.events.event.ingestion-time';
const EVENT = 'aws.events.event';
const EVENT_JSON = 'aws.events.event.json';
const RESERVED = new Set([RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON]);
const JSON_ONLY = new Set([EVENT, EVENT_JSON]);

// What counts as a placeholder: `<name>` with the characters of an InputPathsMap key, plus the dots
// of the predefined names. Other angle-bracket text (`a < b`, `<a b>`) is literal.
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;
const PLACEHOLDER_AT = /<([A-Za-z0-9_.-]+)>/y;

// ---------------------------------------------------------------------------------------------
// Errors, worded as AWS words them.

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, { status: 400 });
}

/** The request-model ("1 validation error detected") form AWS uses for length and pattern faults. */
function constraint(value: string | null, where: string, rule: string): ServiceError {
  const shown = value === null ? 'null' : `'${value}'`;
  return validation(`1 validation error detected: Value ${shown} at '${where}' failed to satisfy constraint: ${rule}`);
}

/** A Java-style rendering of a map, as the request-model messages print map values. */
function javaMap(map: Record<string, string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

/**
 * Where a syntax error is, as AWS appends it to the Input message: the column after the token
 * Jackson was reading, a whole unrecognized word (`env` in `env:dev` gives column 4) or the single
 * unexpected character (`{'` gives column 3), as AWS printed them.
 */
function inputErrorLocation(text: string, error: JsonSyntaxError): string {
  const afterToken = error.message.startsWith('Unrecognized token') || error.position >= text.length ? error.position : error.position + 1;
  return jacksonLocation(text, afterToken);
}

// ---------------------------------------------------------------------------------------------
// Compilation.

/**
 * Validates a target's input settings (at PutTargets) and returns the renderer. Throws
 * `ServiceError('ValidationException', <AWS message>)`.
 */
export function compileTargetInput(spec: TargetInputSpec, target: TargetRef | string): CompiledTargetInput {
  const ref: TargetRef = typeof target === 'string' ? { id: target } : target;
  const member = `targets.${ref.index ?? 1}.member`;
  const { Input, InputPath, InputTransformer } = spec;

  // Request-model constraints come first: AWS checks them before the operation runs.
  if (Input !== undefined && Input !== null && Input.length > INPUT_MAX_LENGTH) {
    throw constraint(Input, `${member}.input`, `Member must have length less than or equal to ${INPUT_MAX_LENGTH}`);
  }
  if (InputPath !== undefined && InputPath !== null && InputPath.length > INPUT_PATH_MAX_LENGTH) {
    throw constraint(InputPath, `${member}.inputPath`, `Member must have length less than or equal to ${INPUT_PATH_MAX_LENGTH}`);
  }
  if (InputTransformer !== undefined && InputTransformer !== null) {
    checkTransformerConstraints(InputTransformer, `${member}.inputTransformer`);
  }

  const given = [Input, InputPath, InputTransformer].filter((x) => x !== undefined && x !== null).length;
  if (given > 1) {
    throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${ref.id}.`);
  }

  if (Input !== undefined && Input !== null) return compileInput(Input, ref.id);
  if (InputPath !== undefined && InputPath !== null) return compileInputPath(InputPath, ref.id);
  if (InputTransformer !== undefined && InputTransformer !== null) {
    return compileTransformer(InputTransformer.InputPathsMap ?? {}, InputTransformer.InputTemplate as string, ref.id);
  }
  return WHOLE_EVENT;
}

function checkTransformerConstraints(transformer: NonNullable<TargetInputSpec['InputTransformer']>, where: string): void {
  const template = transformer.InputTemplate;
  if (template === undefined || template === null) {
    throw constraint(null, `${where}.inputTemplate`, 'Member must not be null');
  }
  if (template.length < 1) {
    throw constraint(template, `${where}.inputTemplate`, 'Member must have length greater than or equal to 1');
  }
  if (template.length > INPUT_TEMPLATE_MAX_LENGTH) {
    throw constraint(template, `${where}.inputTemplate`, `Member must have length less than or equal to ${INPUT_TEMPLATE_MAX_LENGTH}`);
  }
  const map = transformer.InputPathsMap;
  if (map === undefined || map === null) return;
  const entries = Object.entries(map);
  if (entries.length > INPUT_PATHS_MAP_MAX_ENTRIES) {
    throw constraint(javaMap(map), `${where}.inputPathsMap`, `Member must have length less than or equal to ${INPUT_PATHS_MAP_MAX_ENTRIES}`);
  }
  for (const [key, value] of entries) {
    // The key pattern has no dot, so no key can start with `aws.` and shadow a predefined variable
    // (the API reference's "The keys cannot start with 'AWS.'").
    if (key.length < 1 || key.length > INPUT_PATHS_MAP_KEY_MAX_LENGTH || !PATH_KEY_PATTERN.test(key)) {
      throw constraint(
        javaMap(map),
        `${where}.inputPathsMap`,
        `Map keys must satisfy constraint: [Member must have length less than or equal to ${INPUT_PATHS_MAP_KEY_MAX_LENGTH}, ` +
          `Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${PATH_KEY_PATTERN_TEXT}]`,
      );
    }
    if (typeof value !== 'string' || value.length > INPUT_PATH_MAX_LENGTH) {
      throw constraint(
        javaMap(map),
        `${where}.inputPathsMap`,
        `Map value must satisfy constraint: [Member must have length less than or equal to ${INPUT_PATH_MAX_LENGTH}]`,
      );
    }
  }
}

const WHOLE_EVENT: CompiledTargetInput = {
  kind: 'event',
  render: (_event, eventText) => eventText,
};

function compileInput(input: string, id: string): CompiledTargetInput {
  // `Input` must be valid JSON text; it is passed to the target as given.
  try {
    parseJson(input);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw validation(`JSON syntax error in input for target ${id}: ${inputErrorLocation(input, error)}`);
  }
  return { kind: 'input', render: () => input };
}

function invalidPath(id: string): ServiceError {
  return validation(`InputPath for target ${id} is invalid.`);
}

function compileInputPath(text: string, id: string): CompiledTargetInput {
  const path = parsePath(text);
  if (path === null) throw invalidPath(id);
  if (path.steps.length === 0) return { kind: 'input-path', render: (_event, eventText) => eventText };
  return {
    kind: 'input-path',
    // A path the event lacks gives what the transformer gives a missing value in a JSON position: an
    // empty string (see the note on missing values below).
    render: (event) => jsonText(evaluatePath(path, event)),
  };
}

// ---------------------------------------------------------------------------------------------
// Input transformer.

/** One piece of a compiled template: literal text, or a placeholder in a JSON value or text position. */
type Part = { readonly t: 'lit'; readonly s: string } | { readonly t: 'value'; readonly name: string } | { readonly t: 'text'; readonly name: string };

function compileTransformer(map: Record<string, string>, template: string, id: string): CompiledTargetInput {
  const paths = new Map<string, JsonPath>();
  for (const [key, value] of Object.entries(map)) {
    const path = parsePath(value);
    if (path === null) throw invalidPath(id);
    paths.set(key, path);
  }

  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!paths.has(name) && !RESERVED.has(name)) {
      throw validation(`InputTemplate for target ${id} contains invalid placeholder ${name}.`);
    }
  }

  // A template that is a JSON object is a JSON template; anything else (a quoted string, plain
  // text, even a JSON array) is a string template (API reference: "If InputTemplate is a JSON object
  // (surrounded by curly braces)"; AWS refuses `<aws.events.event.json>` in `[...]` templates).
  const json = /^[ \t\n\r]*\{/.test(template);
  const parts = json ? parseJsonTemplate(template, paths, id) : parseStringTemplate(template, paths);

  for (const part of parts) {
    if (part.t === 'text' && JSON_ONLY.has(part.name)) {
      throw validation(`InputTemplate for target ${id} contains placeholder ${part.name} valid only for JSON template.`);
    }
  }

  const names = [...new Set(parts.filter((p) => p.t !== 'lit').map((p) => (p as { name: string }).name))];
  return {
    kind: 'input-transformer',
    render(event, eventText, context) {
      const values = new Map<string, PathResult>();
      for (const name of names) values.set(name, lookup(name, paths, event, context));
      let out = '';
      let risky = false;
      for (const part of parts) {
        if (part.t === 'lit') {
          out += part.s;
        } else if (part.t === 'value') {
          out += part.name === EVENT_JSON ? eventText : jsonText(values.get(part.name));
        } else {
          const text = plainText(values.get(part.name), json);
          if (json && !risky && UNSAFE_IN_STRING.test(text)) risky = true;
          out += text;
        }
      }
      if (risky && !isJson(out)) {
        throw new TargetInputRenderError(`The input template rendered to text that is not valid JSON: ${out}`);
      }
      return out;
    },
  };
}

function lookup(name: string, paths: Map<string, JsonPath>, event: unknown, context: TargetInputContext): PathResult {
  const path = paths.get(name);
  if (path !== undefined) return evaluatePath(path, event);
  switch (name) {
    case RULE_ARN:
      return context.ruleArn;
    case RULE_NAME:
      return context.ruleName;
    case INGESTION_TIME:
      return context.ingestionTime;
    case EVENT:
      return eventWithoutDetail(event, context);
    default:
      return MISSING; // EVENT_JSON is inserted from the event text
  }
}

/**
 * `<aws.events.event>`: the event's envelope without `detail`, as AWS delivered it in localstack's
 * recorded snapshot: `detail-type` spelled `detailType`, `time` the ingestion time, members in the
 * order id, account, detailType, time, source, region, resources, version.
 */
function eventWithoutDetail(event: unknown, context: TargetInputContext): Record<string, unknown> {
  const e = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  const copy = (from: string, to = from): void => {
    if (e[from] !== undefined) out[to] = e[from];
  };
  copy('id');
  copy('account');
  copy('detail-type', 'detailType');
  out.time = context.ingestionTime;
  copy('source');
  copy('region');
  copy('resources');
  copy('version');
  return out;
}

/**
 * A value in a JSON position: its JSON text (a string gets quotes and escapes). A path the event
 * lacks gives `""`: AWS delivered `"command": ""` for `"command": <command>` with a missing path
 * (localstack snapshot `test_put_events_with_input_transformer_input_template_json`).
 */
function jsonText(value: PathResult | undefined): string {
  if (value === MISSING || value === undefined) return '""';
  return JSON.stringify(value);
}

/**
 * A value pasted into text: a string template, or a string inside a JSON template. Strings go in
 * as they are, unescaped (User Guide, "Common issues": values extracted by input paths are not
 * escaped); a missing value is empty ("that variable isn't created and won't appear in the
 * output"; AWS delivered `"... from detail "` for a missing path, localstack snapshot
 * `test_put_events_with_input_transformer_input_template_string`); numbers, booleans and null as
 * their JSON text. An object or array in a string template loses its quotes (User Guide, "Common
 * issues": a path to an object or array referenced in a string has its internal quotes removed);
 * inside a string of a JSON template it goes in as JSON, quotes and all, which breaks the JSON: AWS
 * then delivers nothing (localstack test `test_input_transformer_nested_keys_replacement_not_valid`,
 * validated against AWS, for `{"payload": "<payload>"}`).
 */
function plainText(value: PathResult | undefined, inJsonTemplate: boolean): string {
  if (value === MISSING || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !inJsonTemplate) return JSON.stringify(value).replace(/"/g, '');
  return JSON.stringify(value);
}

// Characters that can break the JSON string a text value is pasted into.
const UNSAFE_IN_STRING = /["\\\u0000-\u001f]/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseStringTemplate(template: string, paths: Map<string, JsonPath>): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!paths.has(name) && !RESERVED.has(name)) continue;
    const at = match.index ?? 0;
    if (at > last) parts.push({ t: 'lit', s: template.slice(last, at) });
    parts.push({ t: 'text', name });
    last = at + match[0].length;
  }
  if (last < template.length) parts.push({ t: 'lit', s: template.slice(last) });
  return parts;
}

/**
 * Reads a JSON template: JSON in which a placeholder may stand for a value or appear inside a
 * string. The result is minified (User Guide, "Common issues": the JSON passed to the target is
 * minified): white space outside strings is dropped, strings are kept as written.
 */
function parseJsonTemplate(template: string, paths: Map<string, JsonPath>, id: string): Part[] {
  const parser = new TemplateParser(template, paths, () => validation(`Input for target ${id} is not a valid JSON text.`));
  parser.ws();
  parser.value(0);
  parser.ws();
  if (parser.pos < template.length) throw parser.fail();
  return parser.finish();
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

class TemplateParser {
  pos = 0;
  private readonly parts: Part[] = [];
  private lit = '';

  constructor(
    private readonly text: string,
    private readonly paths: Map<string, JsonPath>,
    readonly fail: () => ServiceError,
  ) {}

  finish(): Part[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.lit.length > 0) this.parts.push({ t: 'lit', s: this.lit });
    this.lit = '';
  }

  private hole(t: 'value' | 'text', name: string): void {
    this.flush();
    this.parts.push({ t, name });
  }

  ws(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else break;
    }
  }

  /** A placeholder known to this template at the current position, or null. */
  private placeholder(): string | null {
    PLACEHOLDER_AT.lastIndex = this.pos;
    const m = PLACEHOLDER_AT.exec(this.text);
    if (m === null) return null;
    const name = m[1];
    if (!this.paths.has(name) && !RESERVED.has(name)) return null;
    this.pos += m[0].length;
    return name;
  }

  value(depth: number): void {
    if (depth > 200) throw this.fail();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string(true);
    if (c === '<') {
      const name = this.placeholder();
      if (name === null) throw this.fail();
      return this.hole('value', name);
    }
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.lit += word;
        this.pos += word.length;
        return;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) throw this.fail();
    this.lit += m[0];
    this.pos += m[0].length;
  }

  private object(depth: number): void {
    this.lit += '{';
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.lit += '}';
      this.pos++;
      return;
    }
    for (;;) {
      // A placeholder cannot be an object key (API reference, InputTemplate).
      if (this.text[this.pos] !== '"') throw this.fail();
      this.string(false);
      this.ws();
      if (this.text[this.pos] !== ':') throw this.fail();
      this.lit += ':';
      this.pos++;
      this.ws();
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') {
        this.lit += '}';
        return;
      }
      if (c !== ',') throw this.fail();
      this.lit += ',';
      this.ws();
    }
  }

  private array(depth: number): void {
    this.lit += '[';
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.lit += ']';
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') {
        this.lit += ']';
        return;
      }
      if (c !== ',') throw this.fail();
      this.lit += ',';
      this.ws();
    }
  }

  /** A string literal, copied as written; placeholders inside become text holes (not in keys). */
  private string(placeholders: boolean): void {
    const text = this.text;
    this.lit += '"';
    this.pos++;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === '"') {
        this.lit += '"';
        this.pos++;
        return;
      }
      if (c === '\\') {
        const e = text[this.pos + 1];
        if (e === 'u') {
          if (!HEX4.test(text.slice(this.pos + 2, this.pos + 6))) throw this.fail();
          this.lit += text.slice(this.pos, this.pos + 6);
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw this.fail();
        this.lit += c + e;
        this.pos += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw this.fail(); // a raw control character (a newline) inside a string
      if (c === '<') {
        const name = this.placeholder();
        if (name !== null) {
          if (!placeholders) throw this.fail();
          this.hole('text', name);
          continue;
        }
      }
      this.lit += c;
      this.pos++;
    }
    throw this.fail();
  }
}
