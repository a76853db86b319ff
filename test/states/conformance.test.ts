/**
 * Every self-contained recorded execution (`needs: []` in test/conformance/stepfunctions/cases.json)
 * through the real API with @aws-sdk/client-sfn: CreateStateMachine → StartExecution → wait →
 * DescribeExecution + GetExecutionHistory, compared with what AWS recorded by the interpreter
 * helper's loader and comparison (test/states-core/conformance-runner.ts), so the engine, the
 * store and the wire add nothing and lose nothing.
 *
 * One server, executions in parallel; the server runs with a time scale of 0.001
 * (statesServiceWith({ timeScale }), for tests only) so the recorded Waits of seconds take
 * milliseconds. Prints the pass rates; fails below the floors.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent as SdkHistoryEvent,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Json } from '../../src/states/asl/json.js';
import type { HistoryEvent } from '../../src/states/asl/history.js';
import { builtinServices } from '../../src/server/builtin-services.js';
import { statesServiceWith } from '../../src/states/index.js';
import { compareHistory, compareOutcome, current, definitionOf, inputOf, loadCases, SUPERSEDED, type RecordedCase } from '../states-core/conformance-runner.js';
import { testKey } from '../states-core/modifications.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Floors, in percent of the self-contained cases (ratchet up, never down). */
const FLOOR = { outcome: 99.5, history: 98 };
const ROLE = 'arn:aws:iam::111111111111:role/sfn-role';

let server: TestServer;
let sfn: SFNClient;
/** At AWS's timings, for the recorded StopExecution of a waiting execution (the wait must still be on when the stop comes). */
let realTime: TestServer;
let sfnRealTime: SFNClient;

before(async () => {
  const services = builtinServices.map((s) => (s.name === 'states' ? statesServiceWith({ timeScale: 0.001 }) : s));
  server = await startTestServer({ services });
  realTime = await startTestServer();
  // The recordings were made in account 111111111111: an access key of 12 digits names that account.
  const credentials = { accessKeyId: '111111111111', secretAccessKey: 'test' };
  sfn = server.client(SFNClient, { credentials });
  sfnRealTime = realTime.client(SFNClient, { credentials });
});
after(async () => {
  await server.stop();
  await realTime.stop();
});

/**
 * The execution input. The recorded Wait boundary test computed its timestamp as days after the
 * moment it ran; the loader makes it relative to its simulated start, so it is made again here
 * relative to now (the server runs on the real clock).
 */
function inputFor(c: RecordedCase): string {
  if (typeof c.input === 'string') return c.input;
  const { key, param } = testKey(c.id);
  if (key === 'TestSfnWait::test_timestamp_too_far_in_future_boundary') {
    const stamp = `${new Date(Date.now() + Number(param) * 86_400_000).toISOString().slice(0, 19)}Z`;
    const fill = (v: Json): Json =>
      typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? stamp : Array.isArray(v) ? v.map(fill) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v;
    return JSON.stringify(fill(inputOf(c)));
  }
  return JSON.stringify(inputOf(c));
}

const sfnScaled = () => sfn;

interface Result {
  id: string;
  queryLanguage: string;
  outcome: boolean;
  history: boolean;
  problem?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function allHistory(sfn: SFNClient, executionArn: string): Promise<SdkHistoryEvent[]> {
  const events: SdkHistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function runThroughApi(c: RecordedCase, index: number): Promise<Result> {
  const base = { id: c.id, queryLanguage: c.queryLanguage };
  const sfn = c.expected.status === 'ABORTED' ? sfnRealTime : sfnScaled();
  const definition = definitionOf(c);
  if (definition === null) return { ...base, outcome: false, history: false, problem: 'no modification known for this test' };
  let machineArn: string;
  try {
    machineArn = (await sfn.send(new CreateStateMachineCommand({ name: `case-${index}`, definition, roleArn: ROLE }))).stateMachineArn!;
  } catch (error) {
    return { ...base, outcome: false, history: false, problem: `CreateStateMachine: ${(error as Error).message}` };
  }
  const input = inputFor(c);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'exec-name', input }));
  if (c.expected.status === 'ABORTED') {
    // The recorded test stopped the execution while it waited.
    for (let i = 0; i < 500 && (await allHistory(sfn, executionArn!)).length < 2; i++) await sleep(5);
    await sfn.send(new StopExecutionCommand({ executionArn }));
  }
  let described;
  for (let i = 0; ; i++) {
    described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') break;
    if (i > 3000) return { ...base, outcome: false, history: false, problem: 'still RUNNING after 30 s' };
    await sleep(10);
  }
  const actual: Record<string, Json> = { status: described.status! };
  if (described.status === 'SUCCEEDED' && described.output !== undefined) actual.output = described.output;
  if (described.error !== undefined) actual.error = described.error;
  if (described.cause !== undefined) actual.cause = described.cause;
  const events = (await allHistory(sfn, executionArn!)).map((e) => ({ ...e, timestamp: e.timestamp!.getTime() }) as unknown as HistoryEvent);
  const outcomeProblem = compareOutcome(c.expected, actual);
  const historyProblem = compareHistory(c.history, events);
  return { ...base, outcome: outcomeProblem === null, history: historyProblem === null, problem: outcomeProblem ?? historyProblem ?? undefined };
}

test('recorded Step Functions executions through the API: outcome and history', async () => {
  const selfContained = loadCases().filter((c) => c.needs.length === 0);
  assert.equal(selfContained.length, 344);
  const cases = selfContained.filter(current);
  assert.equal(cases.length, 344 - Object.keys(SUPERSEDED).length);
  const results: Result[] = new Array(cases.length);
  let next = 0;
  const started = Date.now();
  // Executions in parallel, 16 at a time.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < cases.length) {
        const i = next++;
        try {
          const t0 = Date.now();
          results[i] = await runThroughApi(cases[i], i);
          if (process.env.SFN_CONFORMANCE_TIMES) console.log(`${Date.now() - t0} ms ${cases[i].id}`);
        } catch (error) {
          results[i] = { id: cases[i].id, queryLanguage: cases[i].queryLanguage, outcome: false, history: false, problem: `threw ${(error as Error).stack}` };
        }
      }
    }),
  );
  const rate = (list: Result[], key: 'outcome' | 'history') => (list.length === 0 ? 100 : (100 * list.filter((r) => r[key]).length) / list.length);
  const lines: string[] = [];
  for (const ql of ['JSONPath', 'JSONata', 'all']) {
    const list = ql === 'all' ? results : results.filter((r) => r.queryLanguage === ql);
    lines.push(`${ql.padEnd(8)} ${String(list.length).padStart(3)} cases through the API: outcome ${rate(list, 'outcome').toFixed(1)}%, history ${rate(list, 'history').toFixed(1)}%`);
  }
  const failing = results.filter((r) => !r.outcome || !r.history);
  if (process.env.SFN_CONFORMANCE_VERBOSE) for (const r of failing) console.log(`✗ ${r.id}\n   ${r.problem}`);
  console.log(lines.join('\n'));
  console.log(`${failing.length} cases differ${failing.length > 0 ? ' (SFN_CONFORMANCE_VERBOSE=1 lists them)' : ''}; ${selfContained.length - cases.length} left out, AWS having changed since (SUPERSEDED); ${Date.now() - started} ms`);
  assert.ok(rate(results, 'outcome') >= FLOOR.outcome, `outcome rate ${rate(results, 'outcome').toFixed(1)}% < ${FLOOR.outcome}%`);
  assert.ok(rate(results, 'history') >= FLOOR.history, `history rate ${rate(results, 'history').toFixed(1)}% < ${FLOOR.history}%`);
});
