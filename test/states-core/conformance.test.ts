/**
 * Every self-contained recorded execution (`needs: []` in test/conformance/stepfunctions/cases.json)
 * through parseDefinition and the interpreter with simulated time: outcome (status, output, error,
 * cause) and the whole history must be what AWS recorded. Prints the pass rates (JSONPath and
 * JSONata apart) and fails when they fall below the floors (raised as the interpreter improves).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { current, loadCases, runCase, SUPERSEDED, type CaseResult } from './conformance-runner.js';

/** Floors, in percent of the self-contained cases (ratchet up, never down). */
const FLOOR = { outcome: 99.5, history: 98 };

test('recorded Step Functions executions: outcome and history', async () => {
  const selfContained = loadCases().filter((c) => c.needs.length === 0);
  assert.equal(selfContained.length, 344);
  const cases = selfContained.filter(current);
  assert.equal(cases.length, 344 - Object.keys(SUPERSEDED).length);
  const results: CaseResult[] = [];
  for (const c of cases) {
    try {
      results.push(await runCase(c));
    } catch (err) {
      results.push({ id: c.id, queryLanguage: c.queryLanguage, outcome: false, history: false, problem: `threw ${(err as Error).stack}` });
    }
  }
  const rate = (list: CaseResult[], key: 'outcome' | 'history') => (list.length === 0 ? 100 : (100 * list.filter((r) => r[key]).length) / list.length);
  const lines: string[] = [];
  for (const ql of ['JSONPath', 'JSONata', 'all']) {
    const list = ql === 'all' ? results : results.filter((r) => r.queryLanguage === ql);
    lines.push(`${ql.padEnd(8)} ${String(list.length).padStart(3)} cases: outcome ${rate(list, 'outcome').toFixed(1)}%, history ${rate(list, 'history').toFixed(1)}%`);
  }
  const failing = results.filter((r) => !r.outcome || !r.history);
  if (process.env.SFN_CONFORMANCE_VERBOSE) for (const r of failing) console.log(`✗ ${r.id}\n   ${r.problem}`);
  console.log(lines.join('\n'));
  console.log(`${failing.length} cases differ${failing.length > 0 ? ` (SFN_CONFORMANCE_VERBOSE=1 lists them)` : ''}; ${selfContained.length - cases.length} left out, AWS having changed since (SUPERSEDED)`);
  assert.ok(rate(results, 'outcome') >= FLOOR.outcome, `outcome rate ${rate(results, 'outcome').toFixed(1)}% < ${FLOOR.outcome}%`);
  assert.ok(rate(results, 'history') >= FLOOR.history, `history rate ${rate(results, 'history').toFixed(1)}% < ${FLOOR.history}%`);
});
