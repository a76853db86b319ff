/**
 * The recorded AWS executions that call Lambda (test/conformance/stepfunctions/cases.json,
 * `needs` ⊆ {lambda, sqs, events, states} with lambda among them), run through the real API
 * against a real Stratus with real functions. A case whose test changed the template is run when
 * the change only puts the test's function (its ARN or name) or a literal into it
 * (modifiedDefinition); the others are left out and counted.
 *
 * Each function a case names is made from what the recorded history shows it did: a Python
 * function (the recordings used Python handlers) that answers its invocations in the recorded
 * order — the recorded payload, the recorded exception (its errorType and errorMessage), a
 * payload over 256 KiB where AWS recorded States.DataLimitExceeded, or a sleep where the task
 * timed out. A function the recording never created (`no_such_…`) is not made.
 *
 * Compared: status, error and output (recorded placeholders such as `<uuid:1>` match any text),
 * the cause — where it is a Python error document, without its stackTrace and requestId, which
 * name the recording's files — and the sequence of history event types. The rates are printed
 * and held as floors.
 */
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import JSON5 from 'json5';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { makeZip, ROLE as LAMBDA_ROLE } from '../functions/control-plane-support.js';
import { builtinServices } from '../../src/server/builtin-services.js';
import { statesServiceWith } from '../../src/states/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { detailsOf, modifiedDefinition, same, withoutTrace, type CaseResult, runRecorded, type RecordedCase } from './integrations-support.js';

const DATA = fileURLToPath(new URL('../../../test/conformance/stepfunctions/', import.meta.url));
const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const SERVED = new Set(['lambda', 'sqs', 'events', 'states']);
/**
 * Rates measured when this test was written: outcome 69/73, history types 72/73, 5 cases left out
 * (floors, not targets). What differs: test_parallel_state_lambda's recorded output is a
 * placeholder ("executionSucceededEventDetails.output"), not an output; test_invoke_unsupported_param
 * asks for LogType Tail, whose LogResult the Lambda invoker does not give back; the two
 * test_invoke_json_values[0.0] — a function answering 0.0 comes out as 0 (execution data are
 * JavaScript numbers, which keep no trailing ".0"); and test_service_lambda_map_timeout, where AWS
 * timed the four iterations' tasks out together and wrote each TaskStarted after all four
 * TaskScheduled (the interpreter writes them in pairs).
 */
const OUTCOME_FLOOR = 0.94;
const HISTORY_FLOOR = 0.98;


type Answer = { kind: 'return'; text: string } | { kind: 'raise'; type: string; message: string } | { kind: 'big' } | { kind: 'sleep' };

let server: TestServer;
let sfn: SFNClient;
let lambda: LambdaClient;

before(async () => {
  // Task timeouts of seconds take a tenth of the time; the functions that time out sleep past them.
  const services = builtinServices.map((s) => (s.name === 'states' ? statesServiceWith({ timeScale: 0.1 }) : s));
  server = await startTestServer({ services });
  sfn = server.client(SFNClient);
  lambda = server.client(LambdaClient);
});
after(() => server.stop());

const TOKEN = /arn:<partition>:lambda:<region>:\d{12}:function:(<[a-z0-9_-]+>)|no_such_<lambda_function_name>|<lambda[_-]function(?:_\d)?[_-]name>|\blambda_function_name\b|\bfunction_name_branch\d\b/g;

/** The placeholder naming a function in a recorded reference (a name, an ARN). */
function tokenOf(reference: string): string | undefined {
  const m = /no_such_<lambda_function_name>|<lambda[_-]function(?:_\d)?[_-]name>|\blambda_function_name\b|\bfunction_name_branch\d\b/.exec(reference);
  return m?.[0];
}

/** What each function did, in the recorded order. */
function answersOf(c: RecordedCase): Map<string, Answer[]> {
  const scheduled: string[] = [];
  const answers = new Map<string, Answer[]>();
  for (const e of c.history) {
    const d = detailsOf(e);
    if (e.type === 'LambdaFunctionScheduled') scheduled.push(tokenOf(String(d.resource)) ?? '?');
    else if (e.type === 'TaskScheduled' && d.resourceType === 'lambda') scheduled.push(tokenOf(JSON.stringify(d.parameters?.FunctionName ?? '')) ?? '?');
    const bare = /^LambdaFunction(Succeeded|Failed|TimedOut)$/.exec(e.type);
    const service = d.resourceType === 'lambda' ? /^Task(Succeeded|Failed|TimedOut)$/.exec(e.type) : null;
    const end = bare ?? service;
    if (!end) continue;
    const fn = scheduled.shift() ?? '?';
    let answer: Answer | undefined;
    if (end[1] === 'Succeeded') {
      // The returned JSON as text, so 0.0 stays 0.0 (a string output is the recorded JSON text).
      let text = typeof d.output === 'string' ? d.output : JSON.stringify(d.output ?? null);
      if (service) {
        const payload = (JSON.parse(text) as Record<string, unknown> | null)?.Payload;
        text = JSON.stringify(payload ?? null);
      }
      answer = { kind: 'return', text };
    } else if (end[1] === 'TimedOut') answer = { kind: 'sleep' };
    else if (d.error === 'States.DataLimitExceeded') answer = { kind: 'big' };
    else if (d.cause !== null && typeof d.cause === 'object' && typeof d.cause.errorType === 'string') answer = { kind: 'raise', type: d.cause.errorType, message: String(d.cause.errorMessage ?? '') };
    if (!answer) continue;
    if (!answers.has(fn)) answers.set(fn, []);
    answers.get(fn)!.push(answer);
  }
  return answers;
}

const PYTHON = `import json, time

ANSWERS = json.loads(__ANSWERS__)
CALLS = [0]

def handler(event, context):
    i = CALLS[0]
    CALLS[0] += 1
    answer = ANSWERS[min(i, len(ANSWERS) - 1)] if ANSWERS else {"kind": "return", "text": json.dumps(event)}
    kind = answer["kind"]
    if kind == "sleep":
        time.sleep(5)
        return None
    if kind == "big":
        return "a" * (300 * 1024)
    if kind == "raise":
        if answer["type"] == "Exception":
            raise Exception(answer["message"])
        raise type(answer["type"], (Exception,), {})(answer["message"])
    return json.loads(answer["text"])
`;

let made = 0;
async function makeFunction(answers: Answer[]): Promise<{ name: string; arn: string }> {
  const name = `conf-fn-${process.pid}-${++made}`;
  const code = PYTHON.replace('__ANSWERS__', JSON.stringify(JSON.stringify(answers)));
  const out = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'python3.12', Handler: 'handler.handler', Role: LAMBDA_ROLE, Timeout: 30, Code: { ZipFile: await makeZip({ 'handler.py': code }) } }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: name });
  return { name, arn: out.FunctionArn! };
}

/** The recording's account (111111111111) stands for whatever account ran the test. */
function anyAccount(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/111111111111/g, '<account>'));
}

async function runCase(c: RecordedCase, index: number): Promise<CaseResult> {
  c = { ...c, expected: anyAccount(c.expected) as RecordedCase['expected'] };
  const answers = answersOf(c);
  const template = JSON5.parse(readFileSync(join(DATA, 'templates', c.template), 'utf8')) as Record<string, any>;
  let definition = JSON.stringify(template);
  if (c.definitionModifiedByTest) {
    // The test's one function answers every invocation the recording shows, in order.
    const fn = await makeFunction([...answers.values()].flat());
    const modified = modifiedDefinition(c, template, fn);
    if (modified === null) return 'skipped';
    definition = modified;
  }
  let text = typeof c.input === 'string' ? (c.input as string) : JSON.stringify(c.input);
  const made = new Map<string, { name: string; arn: string }>();
  const tokens = new Set<string>();
  for (const m of text.matchAll(TOKEN)) tokens.add(m[1] ?? m[0]);
  for (const token of tokens) if (!token.startsWith('no_such_')) made.set(token, await makeFunction(answers.get(token) ?? answers.get('?') ?? [...answers.values()][0] ?? []));
  text = text.replace(TOKEN, (whole: string, inArn: string | undefined) => {
    if (whole.startsWith('no_such_')) return `no_such_fn_${index}`;
    const fn = made.get(inArn ?? whole);
    return inArn ? fn!.arn : fn!.name;
  });
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `conf-l-${index}`, definition, roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: text }));
  const deadline = Date.now() + 60_000;
  let described;
  for (;;) {
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  const types = history.map((e) => e.type);
  const wantTypes = c.history.map((e) => e.type);
  const loose = c.history.some((e) => typeof e.id !== 'number');
  // Branch events were re-sorted by the recording, which lost ParallelStateSucceeded/Failed doing so.
  const lost = ['ParallelStateSucceeded', 'ParallelStateFailed'].filter((t) => loose && !wantTypes.includes(t));
  const ours = types.filter((t) => !lost.includes(t!));
  const historyOk = loose ? JSON.stringify([...ours].sort()) === JSON.stringify([...wantTypes].sort()) : JSON.stringify(types) === JSON.stringify(wantTypes);
  const problems: string[] = [];
  if (described.status !== c.expected.status) problems.push(`status ${described.status}, expected ${c.expected.status} (${described.error}: ${described.cause})`);
  else {
    const last = history[history.length - 1];
    const terminal = (last ? Object.entries(last).find(([k]) => k.endsWith('EventDetails'))?.[1] : undefined) as Record<string, unknown> | undefined;
    if (c.expected.error !== undefined && !same(c.expected.error, terminal?.error)) problems.push(`error ${String(terminal?.error)}, expected ${c.expected.error}`);
    if (c.expected.cause !== undefined && !same(withoutTrace(c.expected.cause), withoutTrace(terminal?.cause))) problems.push(`cause ${String(terminal?.cause)}, expected ${JSON.stringify(c.expected.cause)}`);
    // A recorded output that is a string is the output's JSON text when that was a scalar (README).
    if (c.expected.output !== undefined && !(typeof c.expected.output === 'string' && c.expected.output === described.output)) {
      // An output the recording kept as text (an array) is compared as JSON, error documents without their traces.
      const recorded = typeof c.expected.output === 'string' && /^[[{]/.test(c.expected.output) ? c.expected.output : JSON.stringify(c.expected.output);
      const want = JSON.parse(recorded, (_k, v) => withoutTrace(v));
      const got = JSON.parse(described.output ?? 'null', (_k, v) => withoutTrace(v));
      if (!same(want, got)) problems.push(`output ${String(described.output).slice(0, 1500)}, expected ${JSON.stringify(c.expected.output).slice(0, 1500)}`);
    }
  }
  const outcome = problems.length === 0;
  if (!historyOk) problems.unshift(`history ${types.join(',')}\n     expected ${wantTypes.join(',')}`);
  return { outcome, history: historyOk, ...(problems.length > 0 && { problem: problems.join('; ') }) };
}

test('recorded executions that call Lambda', { timeout: 600_000 }, async () => {
  const cases = (JSON.parse(readFileSync(join(DATA, 'cases.json'), 'utf8')) as RecordedCase[]).filter(
    (c) => c.needs.includes('lambda') && c.needs.every((n) => SERVED.has(n)),
  );
  assert.ok(cases.length >= 20, `${cases.length} cases`);
  // Three at a time: most of a case is a Python function's cold start.
  await runRecorded('lambda conformance', cases, runCase, { outcome: OUTCOME_FLOOR, history: HISTORY_FLOOR }, 3);
});
