/**
 * The recorded executions that call other services (Lambda, SQS, …), replayed at the pure level:
 * each task ends as it ended on AWS (the recorded TaskSucceeded / TaskFailed / LambdaFunction*
 * outcome is fed back), and the outcome and history must match. Only the cases that ran their
 * template unchanged or only put a function ARN in it. This checks Task, Retry and Catch semantics and their events; the service
 * integrations themselves are the engine's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionOf, loadCases, runCase, type CaseResult } from './conformance-runner.js';

const FLOOR = { outcome: 85, history: 85 };

test('recorded executions with tasks, replayed: outcome and history', async () => {
  const cases = loadCases().filter((c) => c.needs.length > 0 && definitionOf(c) !== null);
  const results: CaseResult[] = [];
  for (const c of cases) {
    try {
      results.push(await runCase(c));
    } catch (err) {
      results.push({ id: c.id, queryLanguage: c.queryLanguage, outcome: false, history: false, problem: `threw ${(err as Error).stack}` });
    }
  }
  const rate = (key: 'outcome' | 'history') => (100 * results.filter((r) => r[key]).length) / results.length;
  if (process.env.SFN_CONFORMANCE_VERBOSE) for (const r of results.filter((x) => !x.outcome || !x.history)) console.log(`✗ ${r.id}\n   ${r.problem}`);
  console.log(`replayed ${results.length} cases: outcome ${rate('outcome').toFixed(1)}%, history ${rate('history').toFixed(1)}%`);
  assert.ok(rate('outcome') >= FLOOR.outcome);
  assert.ok(rate('history') >= FLOOR.history);
});
