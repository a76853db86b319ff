/**
 * Validation of a parsed definition as CreateStateMachine / ValidateStateMachineDefinition do it,
 * and its compilation into CompiledMachine records (one per top-level / branch / item processor).
 *
 * Field sets per state type and query language follow the Amazon States Language spec and the
 * developer guide's state pages ("Pass workflow state", "Task", "Choice", "Wait", "Succeed",
 * "Fail", "Parallel", "Map") and "Transforming data with JSONata": `Parameters`, `ResultSelector`,
 * `ResultPath`, `InputPath`, `OutputPath` and the `*Path` fields are JSONPath-only; `Arguments`
 * and `Output` are JSONata-only.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { Diagnostic } from './definition.js';
import type { Catcher, ChoiceRule, CompiledMachine, CompiledState, QueryLanguage, Retrier, StateType } from './model.js';
import { checkIntrinsic, checkJsonata, checkPayloadTemplate, checkPath as checkPathRaw } from './expr.js';
import { topLevelReferences } from './jsonata-check.js';

/** The expressions layer's complaint, worded as AWS does: "The value for the field 'X' must be a valid JSONPath". */
function checkPath(path: string, kind: 'Path' | 'ReferencePath', field?: string): string | null {
  const complaint = checkPathRaw(path, kind);
  if (complaint === null) return null;
  return field === undefined ? complaint : `The value for the field '${field}' ${complaint}`;
}

export interface Validation {
  diagnostics: Diagnostic[];
  machines: Record<string, CompiledMachine>;
  /** Every state name in the whole definition (names are unique across nested machines). */
  stateNames: Map<string, string>;
  /** The top-level QueryLanguage: the default of every state, nested ones included. */
  topLanguage?: QueryLanguage;
  /** An EXPRESS state machine (no .sync / .waitForTaskToken integrations). */
  express?: boolean;
}

const STATE_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/** Fields every state accepts. */
const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const TRANSITION = ['Next', 'End'];

/** Per type: fields in either language, JSONPath-only, JSONata-only. */
const FIELDS: Record<StateType, { any: string[]; jsonPath: string[]; jsonata: string[] }> = {
  Pass: { any: [...TRANSITION, 'Assign'], jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'Result'], jsonata: ['Output'] },
  Task: {
    any: [...TRANSITION, 'Assign', 'Resource', 'TimeoutSeconds', 'HeartbeatSeconds', 'Retry', 'Catch', 'Credentials'],
    jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'ResultSelector', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    jsonata: ['Output', 'Arguments'],
  },
  Choice: { any: ['Choices', 'Default', 'Assign'], jsonPath: ['InputPath', 'OutputPath'], jsonata: ['Output'] },
  Wait: { any: [...TRANSITION, 'Assign', 'Seconds', 'Timestamp'], jsonPath: ['InputPath', 'OutputPath', 'SecondsPath', 'TimestampPath'], jsonata: ['Output'] },
  Succeed: { any: [], jsonPath: ['InputPath', 'OutputPath'], jsonata: ['Output'] },
  Fail: { any: ['Error', 'Cause'], jsonPath: ['ErrorPath', 'CausePath'], jsonata: [] },
  Parallel: {
    any: [...TRANSITION, 'Assign', 'Branches', 'Retry', 'Catch'],
    jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'ResultSelector'],
    jsonata: ['Output', 'Arguments'],
  },
  Map: {
    any: [
      ...TRANSITION, 'Assign', 'ItemProcessor', 'Iterator', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter',
      'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Label', 'Retry', 'Catch',
    ],
    jsonPath: [
      'InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'ResultSelector', 'ItemsPath', 'MaxConcurrencyPath',
      'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath',
    ],
    jsonata: ['Output', 'Items'],
  },
};

/** The top-level fields of a definition (and of a branch / processor, which take fewer). */
const TOP_FIELDS = ['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
const NESTED_FIELDS = ['Comment', 'StartAt', 'States', 'ProcessorConfig'];

/** AWS: state names are at most 80 characters ("States" in the ASL spec, quotas page). */
const MAX_STATE_NAME = 80;

/**
 * Validates one machine (top level when parentLanguage is null) and records it in v.machines.
 * Returns the compiled machine, or null when it is too broken to compile.
 */
export function validateMachine(
  raw: JsonObject,
  id: string,
  location: string,
  v: Validation,
  parentLanguage: QueryLanguage | null,
): CompiledMachine | null {
  const at = (suffix: string) => (location === '/' ? `/${suffix}` : `${location}/${suffix}`);
  const err = (loc: string, message: string, code = 'SCHEMA_VALIDATION_FAILED') =>
    v.diagnostics.push({ severity: 'ERROR', code, message, location: loc });

  const missing: string[] = [];
  if (!('States' in raw)) missing.push('States');
  if (!('StartAt' in raw)) missing.push('StartAt');
  if (missing.length > 0) {
    err(location, `These fields are required: [${missing.join(', ')}]`);
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!(parentLanguage === null ? TOP_FIELDS : NESTED_FIELDS).includes(key)) err(location, `Field '${key}' is not supported`);
  }
  // A state's QueryLanguage applies to that state only: states inside a Map / Parallel default to
  // the top-level language, and only a JSONata top level forbids JSONPath below it (recorded
  // validation cases valid_query_language_pass / invalid_downgrade_query_language).
  let language: QueryLanguage = v.topLanguage ?? 'JSONPath';
  if ('QueryLanguage' in raw && parentLanguage === null) {
    if (raw.QueryLanguage !== 'JSONPath' && raw.QueryLanguage !== 'JSONata') {
      err(at('QueryLanguage'), `Value is not a valid query language: ${JSON.stringify(raw.QueryLanguage)}`);
    }
    // Only the exact string JSONPath is JSONPath (floci #2968, measured against AWS).
    language = raw.QueryLanguage === 'JSONPath' ? 'JSONPath' : 'JSONata';
  }
  if (parentLanguage === null) v.topLanguage = language;
  if (parentLanguage === null && 'TimeoutSeconds' in raw && !isPositiveInteger(raw.TimeoutSeconds, true)) {
    err(at('TimeoutSeconds'), 'The value for the field \'TimeoutSeconds\' must be a NON_NEGATIVE_INTEGER');
  }
  if ('Comment' in raw && typeof raw.Comment !== 'string') err(at('Comment'), "The value for the field 'Comment' must be a STRING");
  if ('Version' in raw && typeof raw.Version !== 'string') err(at('Version'), "The value for the field 'Version' must be a STRING");
  if (typeof raw.StartAt !== 'string') {
    err(at('StartAt'), "The value for the field 'StartAt' must be a STRING");
    return null;
  }
  if (!isJsonObject(raw.States) || Object.keys(raw.States).length === 0) {
    err(at('States'), "The field 'States' should be non-empty");
    return null;
  }
  const startAt = raw.StartAt;
  const statesRaw = raw.States;
  const states: Record<string, CompiledState> = {};
  for (const [name, body] of Object.entries(statesRaw)) {
    const stateLoc = `${at('States')}/${name}`;
    if (name.length === 0 || name.length > MAX_STATE_NAME) {
      err(stateLoc, `State name cannot be longer than ${MAX_STATE_NAME} characters`, 'INVALID_STATE_NAME');
    }
    const seen = v.stateNames.get(name);
    if (seen !== undefined) err(stateLoc, `Duplicate State name: ${name}`, 'DUPLICATE_STATE_NAME');
    else v.stateNames.set(name, stateLoc);
    if (!isJsonObject(body)) {
      err(stateLoc, 'These fields are required: [Type]');
      continue;
    }
    const state = validateState(name, body, id, stateLoc, language, v, err);
    if (state) states[name] = state;
  }

  // Transitions, reachability, terminal states.
  if (!(startAt in statesRaw)) err(at('StartAt'), `Missing 'Next' target: ${startAt}`, 'MISSING_TRANSITION_TARGET');
  let hasTerminal = false;
  for (const state of Object.values(states)) {
    const stateLoc = `${at('States')}/${state.name}`;
    for (const [target, field] of transitions(state)) {
      if (!(target in statesRaw)) err(`${stateLoc}/${field}`, `Missing 'Next' target: ${target}`, 'MISSING_TRANSITION_TARGET');
    }
    if (state.end || state.type === 'Succeed' || state.type === 'Fail') hasTerminal = true;
  }
  if (Object.keys(states).length === Object.keys(statesRaw).length) {
    // AWS (recorded in floci-io/floci#2735): no location; CreateStateMachine writes "at null".
    if (!hasTerminal) v.diagnostics.push({ severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' });
    const reached = new Set<string>();
    const stack = startAt in states ? [startAt] : [];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (reached.has(name)) continue;
      reached.add(name);
      const state = states[name];
      if (!state) continue;
      for (const [target] of transitions(state)) if (!reached.has(target)) stack.push(target);
    }
    for (const name of Object.keys(states)) {
      // AWS words an unreachable state under MISSING_TRANSITION_TARGET (localstack/localstack#11978).
      if (!reached.has(name)) err(`${at('States')}/${name}`, `State "${name}" is not reachable.`, 'MISSING_TRANSITION_TARGET');
    }
  }
  const machine: CompiledMachine = { id, startAt, states, queryLanguage: language };
  v.machines[id] = machine;
  return machine;
}

function transitions(state: CompiledState): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (state.next !== null) out.push([state.next, 'Next']);
  state.choices?.forEach((c, i) => out.push([c.next, `Choices/${i}/Next`]));
  if (state.defaultNext) out.push([state.defaultNext, 'Default']);
  state.catch.forEach((c, i) => out.push([c.next, `Catch/${i}/Next`]));
  return out;
}

type Err = (loc: string, message: string, code?: string) => void;

function validateState(
  name: string,
  raw: JsonObject,
  machineId: string,
  loc: string,
  machineLanguage: QueryLanguage,
  v: Validation,
  err: Err,
): CompiledState | null {
  const type = raw.Type;
  if (type === undefined) {
    err(loc, 'These fields are required: [Type]');
    return null;
  }
  if (typeof type !== 'string' || !STATE_TYPES.has(type)) {
    err(`${loc}/Type`, `Value is not a valid state type: ${JSON.stringify(type)}`);
    return null;
  }
  const stateType = type as StateType;
  let language = machineLanguage;
  if ('QueryLanguage' in raw) {
    if (raw.QueryLanguage !== 'JSONPath' && raw.QueryLanguage !== 'JSONata') {
      err(`${loc}/QueryLanguage`, `Value is not a valid query language: ${JSON.stringify(raw.QueryLanguage)}`);
    }
    if (v.topLanguage === 'JSONata' && raw.QueryLanguage === 'JSONPath') {
      err(loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
    } else language = raw.QueryLanguage === 'JSONPath' ? 'JSONPath' : 'JSONata';
  }
  const fields = FIELDS[stateType];
  const allowed = new Set([...COMMON, ...fields.any, ...(language === 'JSONPath' ? fields.jsonPath : fields.jsonata)]);
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) {
      const other = language === 'JSONPath' ? fields.jsonata : fields.jsonPath;
      if (other.includes(key)) err(loc, `The QueryLanguage is set to '${language}', but field '${key}' is only supported for the '${language === 'JSONPath' ? 'JSONata' : 'JSONPath'}' QueryLanguage`);
      else err(loc, `Field '${key}' is not supported`);
    }
  }

  // Next / End.
  let next: string | null = null;
  let end = false;
  const terminal = stateType === 'Succeed' || stateType === 'Fail' || stateType === 'Choice';
  if (!terminal) {
    if ('Next' in raw && 'End' in raw) err(loc, "There should only be one of the following fields: [Next, End]");
    else if (!('Next' in raw) && !('End' in raw)) err(loc, "One of 'Next' or 'End' is required");
    if ('Next' in raw) {
      if (typeof raw.Next !== 'string') err(`${loc}/Next`, "The value for the field 'Next' must be a STRING");
      else next = raw.Next;
    }
    if ('End' in raw) {
      if (raw.End !== true) err(`${loc}/End`, "The value for the field 'End' must be true");
      else end = true;
    }
  }
  if (typeof raw.Comment !== 'undefined' && typeof raw.Comment !== 'string') err(`${loc}/Comment`, "The value for the field 'Comment' must be a STRING");

  const state: CompiledState = { name, type: stateType, queryLanguage: language, raw, next, end, retry: [], catch: [] };

  if (language === 'JSONPath') checkJsonPathFields(raw, loc, err);
  else checkJsonataFields(raw, loc, err);
  if ('Assign' in raw) checkAssign(raw.Assign, `${loc}/Assign`, language, err);

  switch (stateType) {
    case 'Task':
      if (!('Resource' in raw)) err(loc, 'These fields are required: [Resource]');
      else if (typeof raw.Resource !== 'string' || !/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+/.test(raw.Resource)) {
        err(`${loc}/Resource`, `Resource must be a valid ARN`, 'INVALID_RESOURCE');
      } else if (v.express) {
        // Recorded ValidateStateMachineDefinition answer (ILLEGAL_WFTT), trailing space included.
        const pattern = /\.(waitForTaskToken|sync(?::2)?)$/.exec(raw.Resource);
        if (pattern) err(`${loc}/Resource`, `Express state machine does not support '.${pattern[1]}' service integration `);
      }
      numberField(raw, 'TimeoutSeconds', loc, language, err, 1);
      numberField(raw, 'HeartbeatSeconds', loc, language, err, 1);
      if ('TimeoutSeconds' in raw && 'TimeoutSecondsPath' in raw) err(loc, "There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]");
      if ('HeartbeatSeconds' in raw && 'HeartbeatSecondsPath' in raw) err(loc, "There should only be one of the following fields: [HeartbeatSeconds, HeartbeatSecondsPath]");
      if (typeof raw.TimeoutSeconds === 'number' && typeof raw.HeartbeatSeconds === 'number' && raw.HeartbeatSeconds >= raw.TimeoutSeconds) {
        err(`${loc}/HeartbeatSeconds`, 'HeartbeatSeconds must be smaller than TimeoutSeconds');
      }
      state.retry = retriers(raw, loc, err);
      state.catch = catchers(raw, loc, language, err);
      break;
    case 'Parallel': {
      state.retry = retriers(raw, loc, err);
      state.catch = catchers(raw, loc, language, err);
      if (!Array.isArray(raw.Branches)) {
        err(loc, 'These fields are required: [Branches]');
        break;
      }
      if (raw.Branches.length === 0) err(`${loc}/Branches`, "The field 'Branches' should be non-empty");
      state.branches = [];
      raw.Branches.forEach((branch, i) => {
        const bid = `${machineId}/${name}/${i}`;
        const bloc = `${loc}/Branches[${i}]`;
        if (!isJsonObject(branch)) err(bloc, 'These fields are required: [States, StartAt]');
        else if (validateMachine(branch, bid, bloc, v, language)) state.branches!.push(bid);
      });
      break;
    }
    case 'Map': {
      state.retry = retriers(raw, loc, err);
      state.catch = catchers(raw, loc, language, err);
      const processor = raw.ItemProcessor ?? raw.Iterator;
      if ('ItemProcessor' in raw && 'Iterator' in raw) err(loc, "There should only be one of the following fields: [ItemProcessor, Iterator]");
      if ('ItemSelector' in raw && 'Parameters' in raw) err(loc, "There should only be one of the following fields: [ItemSelector, Parameters]");
      if (!isJsonObject(processor)) {
        err(loc, 'These fields are required: [ItemProcessor]');
        break;
      }
      const config = processor.ProcessorConfig;
      let mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE';
      if (config !== undefined) {
        if (!isJsonObject(config)) err(`${loc}/ItemProcessor/ProcessorConfig`, "The value for the field 'ProcessorConfig' must be an OBJECT");
        else {
          if (config.Mode === 'DISTRIBUTED') mode = 'DISTRIBUTED';
          else if (config.Mode !== undefined && config.Mode !== 'INLINE') err(`${loc}/ItemProcessor/ProcessorConfig/Mode`, `Value is not a valid processor mode: ${JSON.stringify(config.Mode)}`);
          if (mode === 'DISTRIBUTED' && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
            err(`${loc}/ItemProcessor/ProcessorConfig`, 'These fields are required: [ExecutionType]');
          }
        }
      }
      if (mode === 'INLINE') {
        for (const key of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
          if (key in raw) err(`${loc}/${key}`, `The field '${key}' is only supported for Map states in DISTRIBUTED mode`);
        }
      }
      numberField(raw, 'MaxConcurrency', loc, language, err, 0);
      numberField(raw, 'ToleratedFailureCount', loc, language, err, 0);
      if (isJsonObject(raw.ItemReader) && isJsonObject(raw.ItemReader.ReaderConfig)) {
        const config = raw.ItemReader.ReaderConfig;
        numberField(config, 'MaxItems', `${loc}/ItemReader/ReaderConfig`, language, err, 0);
        if (typeof config.MaxItems === 'number' && config.MaxItems > 100_000_000) err(`${loc}/ItemReader/ReaderConfig/MaxItems`, 'Maximum value is 100000000');
        if ('MaxItems' in config && 'MaxItemsPath' in config) err(`${loc}/ItemReader/ReaderConfig`, 'There should only be one of the following fields: [MaxItems, MaxItemsPath]');
      }
      if (isJsonObject(raw.ItemBatcher)) {
        for (const f of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']) {
          numberField(raw.ItemBatcher, f, `${loc}/ItemBatcher`, language, err, 0);
          if (f in raw.ItemBatcher && `${f}Path` in raw.ItemBatcher) err(`${loc}/ItemBatcher`, `There should only be one of the following fields: [${f}, ${f}Path]`);
          if (language === 'JSONata' && `${f}Path` in raw.ItemBatcher) err(`${loc}/ItemBatcher`, `The QueryLanguage is set to 'JSONata', but field '${f}Path' is only supported for the 'JSONPath' QueryLanguage`);
        }
      }
      if ('MaxConcurrency' in raw && 'MaxConcurrencyPath' in raw) err(loc, "There should only be one of the following fields: [MaxConcurrency, MaxConcurrencyPath]");
      if (typeof raw.ToleratedFailurePercentage === 'number' && (raw.ToleratedFailurePercentage < 0 || raw.ToleratedFailurePercentage > 100)) {
        err(`${loc}/ToleratedFailurePercentage`, raw.ToleratedFailurePercentage < 0 ? 'Minimum value is 0.0' : 'Maximum value is 100.0');
      }
      const pid = `${machineId}/${name}`;
      const ploc = `${loc}/${'ItemProcessor' in raw ? 'ItemProcessor' : 'Iterator'}`;
      if (validateMachine(processor, pid, ploc, v, language)) {
        state.processor = pid;
        state.mapMode = mode;
      }
      break;
    }
    case 'Choice': {
      if (!Array.isArray(raw.Choices) || raw.Choices.length === 0) {
        err(loc, Array.isArray(raw.Choices) ? "The field 'Choices' should be non-empty" : 'These fields are required: [Choices]');
        break;
      }
      state.choices = [];
      raw.Choices.forEach((rule, i) => {
        const rloc = `${loc}/Choices/${i}`;
        if (!isJsonObject(rule)) {
          err(rloc, "The value for the field 'Choices' must be an OBJECT");
          return;
        }
        if (typeof rule.Next !== 'string') {
          err(rloc, 'These fields are required: [Next]');
          return;
        }
        checkChoiceRule(rule, rloc, language, true, err);
        const compiled: ChoiceRule = { rule, next: rule.Next };
        if ('Output' in rule) compiled.output = rule.Output;
        if (isJsonObject(rule.Assign)) compiled.assign = rule.Assign;
        if ('Assign' in rule) checkAssign(rule.Assign, `${rloc}/Assign`, language, err);
        state.choices!.push(compiled);
      });
      if ('Default' in raw) {
        if (typeof raw.Default !== 'string') err(`${loc}/Default`, "The value for the field 'Default' must be a STRING");
        else state.defaultNext = raw.Default;
      }
      break;
    }
    case 'Wait': {
      const modes = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => k in raw);
      if (modes.length !== 1) err(loc, "Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set");
      if (language === 'JSONPath' || !isJsonataString(raw.Seconds)) numberField(raw, 'Seconds', loc, language, err, 0);
      if ('Timestamp' in raw && !(language === 'JSONata' && isJsonataString(raw.Timestamp))) {
        if (typeof raw.Timestamp !== 'string' || !isTimestamp(raw.Timestamp)) err(`${loc}/Timestamp`, "The value for the field 'Timestamp' must be a valid ISO-8601 timestamp");
      }
      break;
    }
    case 'Fail': {
      if ('Error' in raw && 'ErrorPath' in raw) err(loc, "There should only be one of the following fields: [Error, ErrorPath]");
      if ('Cause' in raw && 'CausePath' in raw) err(loc, "There should only be one of the following fields: [Cause, CausePath]");
      for (const key of ['Error', 'Cause']) {
        if (key in raw && typeof raw[key] !== 'string') err(`${loc}/${key}`, `The value for the field '${key}' must be a STRING`);
      }
      for (const key of ['ErrorPath', 'CausePath']) {
        if (typeof raw[key] === 'string') {
          const text = raw[key] as string;
          const complaint = text.startsWith('States.') ? checkIntrinsic(text) : checkPath(text, 'ReferencePath', key);
          if (complaint !== null) err(`${loc}/${key}`, complaint);
        }
      }
      break;
    }
    case 'Pass':
    case 'Succeed':
      break;
  }
  return state;
}

function isJsonataString(value: Json | undefined): value is string {
  return typeof value === "string" && /^\{%[\s\S]*%\}$/.test(value);
}

function isPositiveInteger(value: Json | undefined, allowZero: boolean): boolean {
  return typeof value === 'number' && Number.isInteger(value) && (allowZero ? value >= 0 : value > 0);
}

function isTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}

function numberField(raw: JsonObject, key: string, loc: string, language: QueryLanguage, err: Err, min: number): void {
  if (!(key in raw)) return;
  const value = raw[key];
  if (language === 'JSONata' && isJsonataString(value)) {
    checkExpression(jsonataBody(value), `${loc}/${key}`, err);
    return;
  }
  // AWS: "Minimum value is 0" for a number below the field's minimum (floci-io/floci#3733).
  if (typeof value === 'number' && Number.isInteger(value) && value < min) err(`${loc}/${key}`, `Minimum value is ${min}`);
  else if (!isPositiveInteger(value, min === 0)) {
    err(`${loc}/${key}`, `The value for the field '${key}' must be a ${min === 0 ? 'NON_NEGATIVE_INTEGER' : 'POSITIVE_INTEGER'}`);
  }
}

/** A JSONata expression: it must parse (INVALID_JSONATA_EXPRESSION) and read no bare top-level name (UNSUPPORTED_JSONATA_EXPRESSION). */
function checkExpression(body: string, loc: string, err: Err): void {
  const complaint = checkJsonata(body);
  if (complaint !== null) {
    err(loc, complaint, 'INVALID_JSONATA_EXPRESSION');
    return;
  }
  for (const name of topLevelReferences(body)) err(loc, `Reference to '${name}' at the top level is not supported.`, 'UNSUPPORTED_JSONATA_EXPRESSION');
}

function jsonataBody(text: string): string {
  const t = text;
  return t.slice(2, -2);
}

/** Paths (InputPath, OutputPath, ResultPath, *Path) and payload templates in JSONPath states. */
function checkJsonPathFields(raw: JsonObject, loc: string, err: Err): void {
  for (const key of ['InputPath', 'OutputPath']) {
    if (!(key in raw) || raw[key] === null) continue;
    if (typeof raw[key] !== 'string') err(`${loc}/${key}`, `The value for the field '${key}' must be a STRING`);
    else {
      const complaint = checkPath(raw[key] as string, 'Path', key);
      if (complaint !== null) err(`${loc}/${key}`, complaint);
    }
  }
  if ('ResultPath' in raw && raw.ResultPath !== null) {
    if (typeof raw.ResultPath !== 'string') err(`${loc}/ResultPath`, "The value for the field 'ResultPath' must be a STRING");
    else {
      const complaint = checkPath(raw.ResultPath, 'ReferencePath', 'ResultPath');
      if (complaint !== null) err(`${loc}/ResultPath`, complaint);
    }
  }
  for (const key of ['ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']) {
    if (!(key in raw)) continue;
    if (typeof raw[key] !== 'string') err(`${loc}/${key}`, `The value for the field '${key}' must be a STRING`);
    // Only ItemsPath may read the context object (floci-io/floci#3733, measured against AWS).
    else if (key !== 'ItemsPath' && key.endsWith('Path') && (raw[key] as string).startsWith('$$') && /^(MaxConcurrency|ToleratedFailure)/.test(key)) err(`${loc}/${key}`, 'Value is not a Reference Path');
    else {
      const complaint = checkPath(raw[key] as string, 'ReferencePath', key);
      if (complaint !== null) err(`${loc}/${key}`, complaint);
    }
  }
  for (const key of ['Parameters', 'ResultSelector', 'ItemSelector']) {
    if (key in raw) checkTemplate(raw[key], `${loc}/${key}`, err, key !== 'Parameters' || raw.Type !== 'Pass');
  }
}

/** A payload template: objects whose `.$` keys hold a path or an intrinsic. */
function checkTemplate(value: Json | undefined, loc: string, err: Err, mustBeObject: boolean): void {
  if (mustBeObject && !isJsonObject(value)) {
    err(loc, `The value for the field '${loc.split('/').pop()}' must be an OBJECT`);
    return;
  }
  walkTemplate(value, loc, err);
}

/** `.$` keys: a path or an intrinsic call each (the expressions layer's check, AWS's wording). */
function walkTemplate(value: Json | undefined, loc: string, err: Err): void {
  if (value === undefined) return;
  for (const issue of checkPayloadTemplate(value)) err(`${loc}${issue.pointer}`, issue.message);
}

function typeName(value: Json): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  return typeof value === 'object' ? 'OBJECT' : (typeof value).toUpperCase();
}

/** JSONata fields: every `{% %}` string must compile. */
function checkJsonataFields(raw: JsonObject, loc: string, err: Err): void {
  for (const key of ['Arguments', 'Output', 'Items', 'ItemSelector', 'Error', 'Cause', 'Seconds', 'Timestamp', 'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'TimeoutSeconds', 'HeartbeatSeconds']) {
    if (key in raw) walkJsonata(raw[key], `${loc}/${key}`, err);
  }
  if ('Arguments' in raw && raw.Type !== 'Task' && !isJsonObject(raw.Arguments) && !isJsonataString(raw.Arguments)) {
    err(`${loc}/Arguments`, "The value for the field 'Arguments' must be an OBJECT or a JSONata expression");
  }
}

function walkJsonata(value: Json | undefined, loc: string, err: Err): void {
  if (typeof value === 'string') {
    if (isJsonataString(value)) checkExpression(jsonataBody(value), loc, err);
  } else if (Array.isArray(value)) value.forEach((item, i) => walkJsonata(item, `${loc}[${i}]`, err));
  else if (isJsonObject(value)) for (const [key, item] of Object.entries(value)) walkJsonata(item, `${loc}/${key}`, err);
}

/** Variable names: AWS allows letters, digits and underscores, not starting with a digit, not `$`-prefixed. */
function checkAssign(value: Json | undefined, loc: string, language: QueryLanguage, err: Err): void {
  if (!isJsonObject(value)) {
    err(loc, "The value for the field 'Assign' must be an OBJECT");
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const name = language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 80) err(`${loc}/${key}`, `The variable name '${name}' is invalid`);
    if (language === 'JSONPath') {
      if (key.endsWith('.$')) {
        if (typeof item !== 'string') err(`${loc}/${key}`, `The value for the field '${key}' must be a STRING that contains a JSONPath but was ${typeName(item)}`);
        else {
          const complaint = item.startsWith('States.') ? checkIntrinsic(item) : checkPath(item, 'Path', key);
          if (complaint !== null) err(`${loc}/${key}`, complaint);
        }
      } else walkTemplate(item, `${loc}/${key}`, err);
    } else walkJsonata(item, `${loc}/${key}`, err);
  }
}

const COMPARISONS = new Set([
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
  'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp',
]);

/** Choice rules: JSONPath operator trees (one comparison per rule, Variable required) or JSONata `Condition`. */
function checkChoiceRule(rule: JsonObject, loc: string, language: QueryLanguage, top: boolean, err: Err): void {
  const extra = top ? ['Next', 'Comment', 'Assign', 'Output'] : ['Comment'];
  if (language === 'JSONata') {
    if (typeof rule.Condition !== 'string' && typeof rule.Condition !== 'boolean') {
      err(loc, 'These fields are required: [Condition]');
    } else if (typeof rule.Condition === 'string') {
      if (!isJsonataString(rule.Condition)) err(`${loc}/Condition`, "The value for the field 'Condition' must be a JSONata expression");
      else checkExpression(jsonataBody(rule.Condition), `${loc}/Condition`, err);
    }
    for (const key of Object.keys(rule)) if (key !== 'Condition' && !extra.includes(key)) err(loc, `Field '${key}' is not supported`);
    if ('Output' in rule) walkJsonata(rule.Output, `${loc}/Output`, err);
    return;
  }
  if ('Output' in rule && top) err(loc, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage");
  const ops = Object.keys(rule).filter((k) => !extra.includes(k) && k !== 'Variable');
  if ('And' in rule || 'Or' in rule) {
    const key = 'And' in rule ? 'And' : 'Or';
    const list = rule[key];
    if (!Array.isArray(list) || list.length === 0) err(`${loc}/${key}`, `The field '${key}' should be non-empty`);
    else list.forEach((sub, i) => (isJsonObject(sub) ? checkChoiceRule(sub, `${loc}/${key}[${i}]`, language, false, err) : err(`${loc}/${key}[${i}]`, 'must be an OBJECT')));
    if (ops.length !== 1 || 'Variable' in rule) err(loc, 'A choice rule must have exactly one comparison operator');
    return;
  }
  if ('Not' in rule) {
    if (!isJsonObject(rule.Not)) err(`${loc}/Not`, "The value for the field 'Not' must be an OBJECT");
    else checkChoiceRule(rule.Not, `${loc}/Not`, language, false, err);
    if (ops.length !== 1 || 'Variable' in rule) err(loc, 'A choice rule must have exactly one comparison operator');
    return;
  }
  if (!('Variable' in rule)) {
    err(loc, 'These fields are required: [Variable]');
    return;
  }
  if (typeof rule.Variable !== 'string') err(`${loc}/Variable`, "The value for the field 'Variable' must be a STRING");
  else {
    const complaint = checkPath(rule.Variable, 'Path', 'Variable');
    if (complaint !== null) err(`${loc}/Variable`, complaint);
  }
  if (ops.length !== 1) {
    err(loc, ops.length === 0 ? 'A choice rule must have a comparison operator' : 'A choice rule must have exactly one comparison operator');
    return;
  }
  const op = ops[0];
  const base = op.endsWith('Path') && COMPARISONS.has(op.slice(0, -4)) ? op.slice(0, -4) : op;
  if (!COMPARISONS.has(base)) {
    err(loc, `Field '${op}' is not supported`);
    return;
  }
  const value = rule[op];
  if (op !== base) {
    if (typeof value !== 'string') err(`${loc}/${op}`, `The value for the field '${op}' must be a STRING`);
    else {
      const complaint = checkPath(value, 'Path', op);
      if (complaint !== null) err(`${loc}/${op}`, complaint);
    }
    return;
  }
  const want = base.startsWith('String') || base.startsWith('Timestamp') ? 'string' : base.startsWith('Numeric') ? 'number' : 'boolean';
  if (typeof value !== want) err(`${loc}/${op}`, `The value for the field '${op}' must be a ${want.toUpperCase()}`);
  else if (base.startsWith('Timestamp') && !isTimestamp(value as string)) err(`${loc}/${op}`, `The value for the field '${op}' must be a valid ISO-8601 timestamp`);
}

function retriers(raw: JsonObject, loc: string, err: Err): Retrier[] {
  if (!('Retry' in raw)) return [];
  if (!Array.isArray(raw.Retry)) {
    err(`${loc}/Retry`, "The value for the field 'Retry' must be an ARRAY");
    return [];
  }
  const out: Retrier[] = [];
  raw.Retry.forEach((r, i) => {
    const rloc = `${loc}/Retry[${i}]`;
    if (!isJsonObject(r)) return err(rloc, 'must be an OBJECT');
    const known = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'];
    for (const key of Object.keys(r)) if (!known.includes(key)) err(rloc, `Field '${key}' is not supported`);
    const errorEquals = errorList(r, rloc, err);
    if ('IntervalSeconds' in r && !isPositiveInteger(r.IntervalSeconds, false)) err(`${rloc}/IntervalSeconds`, "The value for the field 'IntervalSeconds' must be a POSITIVE_INTEGER");
    if ('MaxAttempts' in r && !isPositiveInteger(r.MaxAttempts, true)) err(`${rloc}/MaxAttempts`, "The value for the field 'MaxAttempts' must be a NON_NEGATIVE_INTEGER");
    if ('BackoffRate' in r && (typeof r.BackoffRate !== 'number' || r.BackoffRate < 1)) err(`${rloc}/BackoffRate`, "The value for the field 'BackoffRate' must be a NUMBER greater than or equal to 1.0");
    if ('MaxDelaySeconds' in r && !isPositiveInteger(r.MaxDelaySeconds, false)) err(`${rloc}/MaxDelaySeconds`, "The value for the field 'MaxDelaySeconds' must be a POSITIVE_INTEGER");
    if ('JitterStrategy' in r && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') err(`${rloc}/JitterStrategy`, "The value for the field 'JitterStrategy' must be one of [FULL, NONE]");
    const retrier: Retrier = {
      errorEquals,
      intervalSeconds: typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1,
      maxAttempts: typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3,
      backoffRate: typeof r.BackoffRate === 'number' ? r.BackoffRate : 2,
      jitter: r.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
    };
    if (typeof r.MaxDelaySeconds === 'number') retrier.maxDelaySeconds = r.MaxDelaySeconds;
    out.push(retrier);
  });
  checkAllLast(out.map((r) => r.errorEquals), `${loc}/Retry`, err);
  return out;
}

function catchers(raw: JsonObject, loc: string, language: QueryLanguage, err: Err): Catcher[] {
  if (!('Catch' in raw)) return [];
  if (!Array.isArray(raw.Catch)) {
    err(`${loc}/Catch`, "The value for the field 'Catch' must be an ARRAY");
    return [];
  }
  const out: Catcher[] = [];
  raw.Catch.forEach((c, i) => {
    const cloc = `${loc}/Catch[${i}]`;
    if (!isJsonObject(c)) return err(cloc, 'must be an OBJECT');
    const known = ['ErrorEquals', 'Next', 'Comment', 'Assign', ...(language === 'JSONPath' ? ['ResultPath'] : ['Output'])];
    for (const key of Object.keys(c)) if (!known.includes(key)) err(cloc, `Field '${key}' is not supported`);
    const errorEquals = errorList(c, cloc, err);
    if (typeof c.Next !== 'string') {
      err(cloc, 'These fields are required: [Next]');
      return;
    }
    if ('ResultPath' in c && c.ResultPath !== null) {
      if (typeof c.ResultPath !== 'string') err(`${cloc}/ResultPath`, "The value for the field 'ResultPath' must be a STRING");
      else {
        const complaint = checkPath(c.ResultPath, 'ReferencePath', 'ResultPath');
        if (complaint !== null) err(`${cloc}/ResultPath`, complaint);
      }
    }
    if ('Assign' in c) checkAssign(c.Assign, `${cloc}/Assign`, language, err);
    if ('Output' in c) walkJsonata(c.Output, `${cloc}/Output`, err);
    const catcher: Catcher = {
      errorEquals,
      next: c.Next,
      resultPath: 'ResultPath' in c ? (typeof c.ResultPath === 'string' ? c.ResultPath : null) : '$',
    };
    if ('Output' in c) catcher.output = c.Output;
    if (isJsonObject(c.Assign)) catcher.assign = c.Assign;
    out.push(catcher);
  });
  checkAllLast(out.map((c) => c.errorEquals), `${loc}/Catch`, err);
  return out;
}

function errorList(r: JsonObject, loc: string, err: Err): string[] {
  if (!Array.isArray(r.ErrorEquals) || r.ErrorEquals.length === 0) {
    err(loc, Array.isArray(r.ErrorEquals) ? "The field 'ErrorEquals' should be non-empty" : 'These fields are required: [ErrorEquals]');
    return [];
  }
  const out: string[] = [];
  for (const e of r.ErrorEquals) {
    if (typeof e !== 'string') err(`${loc}/ErrorEquals`, "The value for the field 'ErrorEquals' must be an ARRAY of STRING");
    else out.push(e);
  }
  return out;
}

/** ASL spec: "States.ALL" must appear alone and in the last retrier / catcher. */
function checkAllLast(lists: string[][], loc: string, err: Err): void {
  lists.forEach((list, i) => {
    if (list.includes('States.ALL') && (list.length > 1 || i !== lists.length - 1)) {
      err(`${loc}[${i}]/ErrorEquals`, 'States.ALL must appear alone in the last ErrorEquals', 'SCHEMA_VALIDATION_FAILED');
    }
  });
}
