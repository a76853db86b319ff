/**
 * DescribeStateMachine's `variableReferences`: for each state that reads workflow variables, the
 * names it reads, sorted (API reference: DescribeStateMachine, variableReferences; the recorded
 * answers list e.g. `{"CheckAnswer": ["answer", "guess"]}` and leave out states that read none).
 *
 * JSONPath states read variables through `$name…` paths (`.$` keys, `*Path` fields, Choice
 * `Variable` and `…Path` operands, intrinsic arguments); JSONata states through `$name` in their
 * `{% %}` expressions (not `$states`, not function calls, not names the expression binds itself).
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { CompiledMachine } from './model.js';

const PATH_FIELDS = [
  'InputPath', 'OutputPath', 'ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath',
  'MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'ErrorPath', 'CausePath',
];

export function variableReferences(machines: Record<string, CompiledMachine>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const machine of Object.values(machines)) {
    for (const state of Object.values(machine.states)) {
      const names = new Set<string>();
      if (state.queryLanguage === 'JSONata') jsonataNames(state.raw, names, true);
      else jsonPathNames(state.raw, names);
      if (names.size > 0) out[state.name] = [...names].sort();
    }
  }
  return out;
}

function jsonPathNames(raw: JsonObject, names: Set<string>): void {
  for (const field of PATH_FIELDS) if (typeof raw[field] === 'string') pathName(raw[field] as string, names);
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials']) templateNames(raw[field], names);
  if (isJsonObject(raw.ItemReader)) {
    templateNames(raw.ItemReader.Parameters, names);
    const config = raw.ItemReader.ReaderConfig;
    if (isJsonObject(config) && typeof config.MaxItemsPath === 'string') pathName(config.MaxItemsPath, names);
  }
  if (isJsonObject(raw.ItemBatcher)) {
    templateNames(raw.ItemBatcher.BatchInput, names);
    for (const f of ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath']) if (typeof raw.ItemBatcher[f] === 'string') pathName(raw.ItemBatcher[f] as string, names);
  }
  if (Array.isArray(raw.Choices)) for (const rule of raw.Choices) if (isJsonObject(rule)) choiceNames(rule, names);
  if (Array.isArray(raw.Catch)) for (const c of raw.Catch) if (isJsonObject(c)) templateNames(c.Assign, names);
}

function choiceNames(rule: JsonObject, names: Set<string>): void {
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'And' || key === 'Or') {
      if (Array.isArray(value)) for (const sub of value) if (isJsonObject(sub)) choiceNames(sub, names);
    } else if (key === 'Not') {
      if (isJsonObject(value)) choiceNames(value, names);
    } else if (key === 'Assign') templateNames(value, names);
    else if ((key === 'Variable' || key.endsWith('Path')) && typeof value === 'string') pathName(value, names);
  }
}

/** `.$` values of a payload template: a path or an intrinsic call. */
function templateNames(value: Json | undefined, names: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => templateNames(v, names));
  else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('.$') && typeof v === 'string') {
        if (v.startsWith('States.')) intrinsicNames(v, names);
        else pathName(v, names);
      } else templateNames(v, names);
    }
  }
}

const NAME = /^\$([A-Za-z_\p{L}][\p{L}\p{N}_]*)/u;

function pathName(path: string, names: Set<string>): void {
  if (path.startsWith('States.')) return intrinsicNames(path, names);
  const m = NAME.exec(path);
  if (m) names.add(m[1]);
}

/** `$name` arguments of an intrinsic call, outside its quoted strings. */
function intrinsicNames(text: string, names: Set<string>): void {
  const unquoted = text.replace(/'(?:\\.|[^'\\])*'/g, "''");
  for (const m of unquoted.matchAll(/(?<![\w$.])\$([A-Za-z_\p{L}][\p{L}\p{N}_]*)/gu)) names.add(m[1]);
}

/** Every `{% %}` string of a JSONata state's fields. */
function jsonataNames(value: Json | undefined, names: Set<string>, top: boolean): void {
  if (typeof value === 'string') {
    const t = value;
    if (t.startsWith('{%') && t.endsWith('%}')) expressionNames(t.slice(2, -2), names);
  } else if (Array.isArray(value)) value.forEach((v) => jsonataNames(v, names, false));
  else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      // Nested machines are states of their own.
      if (top && (key === 'ItemProcessor' || key === 'Iterator' || key === 'Branches')) continue;
      jsonataNames(v, names, false);
    }
  }
}

function expressionNames(expression: string, names: Set<string>): void {
  const code = expression.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '""').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const bound = new Set<string>();
  for (const m of code.matchAll(/\$([A-Za-z_\p{L}][\p{L}\p{N}_]*)\s*:=/gu)) bound.add(m[1]);
  for (const m of code.matchAll(/function\s*\(([^)]*)\)/g)) for (const p of m[1].matchAll(/\$([A-Za-z_\p{L}][\p{L}\p{N}_]*)/gu)) bound.add(p[1]);
  for (const m of code.matchAll(/\$([A-Za-z_\p{L}][\p{L}\p{N}_]*)(\s*\()?/gu)) {
    const name = m[1];
    if (m[2] !== undefined || name === 'states' || bound.has(name)) continue;
    names.add(name);
  }
}
