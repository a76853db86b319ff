/**
 * Runs the recorded Step Functions executions (test/conformance/stepfunctions/cases.json) through
 * parseDefinition and the interpreter with simulated time, and compares outcome and history with
 * what AWS recorded (placeholders such as `<ExecArn>`, `<uuid:1>`, `timestamp` by shape).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';
import type { Json } from '../../src/states/asl/json.js';
import { parseDefinition, invalidDefinitionMessage } from '../../src/states/asl/definition.js';
import { createExecution, step } from '../../src/states/asl/interpreter.js';
import type { HistoryEvent } from '../../src/states/asl/history.js';
import type { Effect, ExecutionEnv, ExecutionInput } from '../../src/states/asl/snapshot.js';
import { MODIFICATIONS, testKey } from './modifications.js';

/** dist/test/states-core/ → the repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DATA = join(ROOT, 'test', 'conformance', 'stepfunctions');

export interface RecordedCase {
  id: string;
  template: string;
  input: Json;
  expected: { status: string; output?: Json; error?: string; cause?: Json };
  history: Array<Record<string, any>>;
  needs: string[];
  queryLanguage: 'JSONPath' | 'JSONata';
  definitionModifiedByTest: boolean;
  testModifications?: string[];
}

export interface CaseResult {
  id: string;
  queryLanguage: string;
  outcome: boolean;
  history: boolean;
  problem?: string;
  events?: HistoryEvent[];
}

export function loadCases(): RecordedCase[] {
  return JSON.parse(readFileSync(join(DATA, 'cases.json'), 'utf8')) as RecordedCase[];
}

const OBJECT_ITEMS = 'recorded in November 2024, when a Map failed on a JSON object; AWS now iterates its key-value pairs ("ItemsPath (Map, JSONPath only)"), tested in src/states/asl/map-items.test.ts';

/**
 * Recorded cases AWS answers differently since they were recorded, each with why: they are left
 * out of the conformance rates, and what AWS does now is tested where it is implemented.
 */
export const SUPERSEDED: Readonly<Record<string, string>> = {
  'tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_map_state_items_eval_jsonata_fail[object]': OBJECT_ITEMS,
  'tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_map_state_items_input_types[object]': OBJECT_ITEMS,
  'tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_map_state_items_variable_sampling[object]': OBJECT_ITEMS,
};

/** Whether a recorded case still shows what AWS does (it is not SUPERSEDED). */
export function current(c: RecordedCase): boolean {
  return !Object.prototype.hasOwnProperty.call(SUPERSEDED, c.id);
}

/** The definition text the recorded test ran: the template, with the test's modifications applied. */
export function definitionOf(c: RecordedCase): string | null {
  const source = readFileSync(join(DATA, 'templates', c.template), 'utf8');
  const template = JSON5.parse(source) as Record<string, any>;
  if (!c.definitionModifiedByTest) return JSON.stringify(template);
  const { key, param } = testKey(c.id);
  const mod = MODIFICATIONS[key];
  if (!mod) return c.needs.length > 0 ? fillResources(c, template) : null;
  if (mod.kind === 'object') {
    mod.apply(template, param);
    return JSON.stringify(template);
  }
  return mod.apply(JSON.stringify(template), param);
}

const START = Date.parse('2024-06-30T16:12:59.000Z');

/** Modifications that only put the test's Lambda function (or activity) ARN in place of a placeholder. */
const RESOURCE_MODIFICATION = /^(?:template\['States'\]\['[^']+'\]\['Resource'\] = [\w\[\]'.]*(?:arn|Arn)[\w\[\]'.]*|definition\.replace\((?:[A-Z]+\.LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER|'_tbd_'|'__tbd__'), function_arn\))$/;

/**
 * For a replayed case whose test only filled in a function ARN: the placeholders are replaced by the
 * ARN the recorded history names (LambdaFunctionScheduled) or a function ARN of the right shape.
 */
function fillResources(c: RecordedCase, template: Record<string, any>): string | null {
  if (!(c.testModifications ?? []).every((m) => RESOURCE_MODIFICATION.test(m))) return null;
  const scheduled = c.history.find((e) => e.type === 'LambdaFunctionScheduled');
  const arn = (scheduled?.lambdaFunctionScheduledEventDetails?.resource as string | undefined) ?? 'arn:aws:lambda:us-east-1:111111111111:function:fn';
  return JSON.stringify(template).replace(/"(?:__tbd__|_tbd_|__TBD__|_TBD_|__tbc__|%LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER%)"/g, () => JSON.stringify(arn));
}

/** The invalid timestamps of test_wait_timestamp_path / _jsonata (quoted in the recorded causes). */
const WAIT_TIMESTAMP_INPUTS: Record<string, string> = {
  NO_T: '2016-12-05 21:29:29Z',
  NO_Z: '2016-12-05T21:29:29',
  INVALID_DATE: '2016-13-05T21:29:29Z',
  INVALID_TIME: '2016-12-05T25:29:29Z',
};

/**
 * The execution input: recorded as JSON text unless it was an object; the recording replaced the
 * timestamps the Wait tests computed with placeholders, so those are made again from the test's
 * parameter (the suffix of the timestamp, or days in the future) relative to the simulated start.
 */
export function inputOf(c: RecordedCase): Json {
  let input = typeof c.input === 'string' ? (JSON.parse(c.input) as Json) : c.input;
  const { key, param } = testKey(c.id);
  const soon = new Date(START + 2000).toISOString().slice(0, 19);
  let stamp: string | null = null;
  if (key === 'TestSfnWait::test_wait_timestamppath') stamp = `${soon}${param}`;
  else if (key === 'TestSfnWait::test_timestamp_too_far_in_future_boundary') stamp = `${new Date(START + Number(param) * 86_400_000).toISOString().slice(0, 19)}Z`;
  else if (WAIT_TIMESTAMP_INPUTS[param] !== undefined && /test_wait_timestamp_(?:path|jsonata)$/.test(key)) stamp = WAIT_TIMESTAMP_INPUTS[param];
  else stamp = `${soon}Z`;
  const fill = (v: Json): Json => {
    if (typeof v === 'string') return v === 'date' || v === '<timestamp>' || v === 'timestamp' ? stamp : v;
    if (Array.isArray(v)) return v.map(fill);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  input = fill(input);
  return input;
}

/**
 * A recorded task outcome to feed back for a task the interpreter scheduled (replay of the cases
 * that call other services): the next Task/LambdaFunction/Activity end event not yet used.
 */
function recordedTaskOutcomes(c: RecordedCase): Array<ExecutionInput | 'timeout'> {
  const out: Array<ExecutionInput | 'timeout'> = [];
  for (const e of c.history) {
    const m = /^(Task|LambdaFunction|Activity)(Submitted|Succeeded|Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/.exec(e.type as string);
    if (!m) continue;
    const d = e[Object.keys(e).find((k) => k.endsWith('EventDetails')) ?? ''] ?? {};
    const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    if (m[2] === 'Submitted') {
      out.push({ type: 'taskSubmitted', effectId: '', output: (d.output ?? null) as Json });
      continue;
    }
    if (m[2] === 'Succeeded') {
      const raw = d.output;
      let output: Json = null;
      try {
        output = typeof raw === 'string' ? (JSON.parse(raw) as Json) : (raw as Json);
      } catch {
        output = raw as Json;
      }
      out.push({ type: 'taskSucceeded', effectId: '', output });
    } else if (m[2] === 'TimedOut') out.push('timeout');
    else out.push({ type: 'taskFailed', effectId: '', ...(d.error !== undefined ? { error: d.error } : {}), ...(d.cause !== undefined ? { cause: asText(d.cause) } : {}) });
  }
  return out;
}

export async function runCase(c: RecordedCase): Promise<CaseResult> {
  const base = { id: c.id, queryLanguage: c.queryLanguage };
  const text = definitionOf(c);
  if (text === null) return { ...base, outcome: false, history: false, problem: 'no modification known for this test' };
  const parsed = parseDefinition(text);
  if (!parsed.ok) return { ...base, outcome: false, history: false, problem: invalidDefinitionMessage(parsed.diagnostics) };
  const def = parsed.machine;
  let now = START;
  let ids = 0;
  const env: ExecutionEnv = { now: () => now, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`, random: () => 0.5 };
  const snapshot = createExecution(def, {
    executionArn: 'arn:aws:states:us-east-1:111111111111:execution:sm-name:exec-name',
    name: 'exec-name',
    stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:sm-name',
    stateMachineName: 'sm-name',
    roleArn: 'arn:aws:iam::111111111111:role/sfn-role',
    input: inputOf(c),
    ...(typeof c.input === 'string' ? { inputText: c.input } : {}),
    startTime: START,
  });
  const events: HistoryEvent[] = [];
  const timers = new Map<string, number>();
  const outcomes = recordedTaskOutcomes(c);
  const answers: ExecutionInput[] = [];
  const take = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.kind === 'timer') timers.set(e.id, e.dueAt);
      else if (e.kind === 'cancel') timers.delete(e.id);
      else if (e.kind === 'mapRun' || e.kind === 'childExecution' || e.kind === 'readItems') continue;
      else {
        // Replay: the task ends as it ended when AWS ran it.
        for (;;) {
          const next = outcomes.shift();
          if (next === undefined || next === 'timeout') break;
          answers.push({ ...next, effectId: e.id } as ExecutionInput);
          if (next.type !== 'taskSubmitted') break;
        }
      }
    }
  };
  let r = await step(def, snapshot, { type: 'start' }, env);
  events.push(...r.events);
  take(r.effects);
  for (let guard = 0; snapshot.status === 'RUNNING' && guard < 10_000; guard++) {
    let input: ExecutionInput;
    // The recorded test stopped the execution while it waited (StopExecution).
    if (c.expected.status === 'ABORTED') input = { type: 'stop' };
    else if (answers.length > 0) input = answers.shift()!;
    else {
      let first: [string, number] | null = null;
      for (const entry of timers) if (first === null || entry[1] < first[1]) first = entry;
      if (first === null) break;
      timers.delete(first[0]);
      now = Math.max(now, first[1]);
      input = { type: 'timerFired', effectId: first[0] };
    }
    r = await step(def, snapshot, input, env);
    events.push(...r.events);
    take(r.effects);
  }
  const actual: Record<string, Json> = { status: snapshot.status };
  const last = events[events.length - 1];
  const terminal = last ? (last[Object.keys(last).find((k) => k.endsWith('EventDetails')) ?? ''] as Record<string, Json> | undefined) : undefined;
  if (snapshot.status === "SUCCEEDED") actual.output = snapshot.outputText ?? JSON.stringify(snapshot.output ?? null);
  if (terminal?.error !== undefined) actual.error = terminal.error;
  if (terminal?.cause !== undefined) actual.cause = terminal.cause;
  const outcomeProblem = compareOutcome(c.expected, actual);
  const historyProblem = compareHistory(c.history, events);
  return { ...base, outcome: outcomeProblem === null, history: historyProblem === null, problem: outcomeProblem ?? historyProblem ?? undefined, events };
}

export function compareOutcome(expected: RecordedCase['expected'], actual: Record<string, Json>): string | null {
  if (expected.status !== actual.status) return `status ${String(actual.status)}, expected ${expected.status} (${String(actual.error)}: ${String(actual.cause)})`;
  for (const key of ['output', 'error', 'cause'] as const) {
    if (!(key in expected) && !(key in actual)) continue;
    const want = expected[key] as Json | undefined;
    const got = actual[key] as Json | undefined;
    if (want === undefined || got === undefined) return `${key}: ${show(got)}, expected ${show(want)}`;
    // The recorded output is parsed JSON unless it was a JSON string of a scalar ("true", "\"x\"").
    const ours = key === 'output' && typeof want !== 'string' && typeof got === 'string' ? (JSON.parse(got) as Json) : normalise(got);
    if (!same(want, ours)) return `${key}: ${show(got)}, expected ${show(want)}`;
  }
  return null;
}

/** The recording tool parsed every string that starts with `{` as JSON. */
function normalise(value: Json): Json {
  if (typeof value === 'string') {
    if (value.startsWith('{')) {
      try {
        return JSON.parse(value) as Json;
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalise(v);
    return out;
  }
  return value;
}

/** Words the recording put in place of generated values (ids, random numbers, dates, ARNs). */
const PLACEHOLDER_WORDS = /\b(?:timestamp|date|datetime|snf_role_arn|generated-uuid|RandomNumberGenerated|map_run_arn|start-time|entered-time|a_task_token)\b/;

/** Deep equality where a recorded string with placeholders matches by shape. */
function same(want: Json, got: Json): boolean {
  // The recording parsed strings that start with `{`, at any depth.
  if (typeof got === 'string' && got.startsWith('{') && want !== null && typeof want === 'object' && !Array.isArray(want)) {
    try {
      got = JSON.parse(got) as Json;
    } catch {
      return false;
    }
  }
  if (typeof got === 'string' && got.startsWith('[') && Array.isArray(want)) {
    try {
      got = JSON.parse(got) as Json;
    } catch {
      return false;
    }
  }
  if (typeof want === 'string') {
    if (typeof got === 'string' && got === want) return true;
    if (!/<[^<>]+>/.test(want) && !PLACEHOLDER_WORDS.test(want)) return false;
    // Placeholders may nest (`<<task_token>:1>`): fold them from the inside out.
    let folded = want;
    for (let prev = ''; prev !== folded; ) {
      prev = folded;
      folded = folded.replace(/<[^<>]*\u0000[^<>]*>|<[^<>]+>/g, '\u0000');
    }
    const pattern = folded
      .replace(/\u0000/g, '<x>')
      .split(/(<[^<>]+>|\b(?:timestamp|datetime|date|snf_role_arn|generated-uuid|RandomNumberGenerated|map_run_arn|start-time|entered-time|a_task_token)\b)/)
      .map((part, i) => (i % 2 === 1 ? '[\\s\\S]*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const gotText = typeof got === 'string' ? got : JSON.stringify(got);
    return new RegExp(`^${pattern}$`).test(gotText);
  }
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => same(w, got[i]));
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    const wk = Object.keys(want);
    const gk = Object.keys(got);
    if (wk.length !== gk.length) return false;
    return wk.every((k) => k in got && same(want[k], got[k]));
  }
  return want === got;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? "undefined" : s.length > 3000 ? `${s.slice(0, 3000)}…` : s;
}

/** Everything but the timestamp (and roleArn, which the recording replaced). */
function comparable(event: Record<string, any>, withIds: boolean): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(event)) {
    if (k === 'timestamp') continue;
    if (!withIds && (k === 'id' || k === 'previousEventId')) continue;
    out[k] = normalise(v as Json);
  }
  const started = out.executionStartedEventDetails as Record<string, Json> | undefined;
  if (started && typeof started === 'object') {
    out.executionStartedEventDetails = { ...started };
    delete (out.executionStartedEventDetails as Record<string, Json>).roleArn;
  }
  return out;
}

/**
 * Events with an integer id must match ours at that id exactly; the events inside Parallel branches
 * (id `[0]` in the recording: re-sorted, ids masked) must match ours that are not otherwise matched,
 * in any order. The recording dropped ParallelStateSucceeded when it re-sorted the branches.
 */
export function compareHistory(recorded: Array<Record<string, any>>, events: HistoryEvent[]): string | null {
  const byId = new Map(events.map((e) => [e.id, e]));
  const matched = new Set<number>();
  const loose: Array<Record<string, any>> = [];
  for (const want of recorded) {
    if (typeof want.id !== 'number') {
      loose.push(want);
      continue;
    }
    const got = byId.get(want.id);
    if (!got) return `event ${want.id} ${want.type} missing (we wrote ${events.length})`;
    const a = comparable(want, true);
    const b = comparable(got as Record<string, any>, true);
    if (!same(a, b)) return `event ${want.id}: ${show(b)}\n   expected ${show(a)}`;
    matched.add(want.id);
  }
  const rest = events.filter((e) => !matched.has(e.id));
  for (const want of loose) {
    const a = comparable(want, false);
    const index = rest.findIndex((e) => same(a, comparable(e as Record<string, any>, false)));
    if (index < 0) return `branch event ${show(a)} not found`;
    rest.splice(index, 1);
  }
  // Events the re-sorting of branch events lost: only inside the span of the recorded history.
  const ids = recorded.filter((e) => typeof e.id === 'number').map((e) => e.id as number);
  const lost = (e: HistoryEvent) => loose.length > 0 && e.id > Math.min(...ids) && e.id < Math.max(...ids) && !e.type.startsWith('Execution');
  const extra = rest.filter((e) => !lost(e));
  if (extra.length > 0) return `extra events: ${extra.map((e) => `${e.id} ${e.type}`).join(', ')}`;
  return null;
}
