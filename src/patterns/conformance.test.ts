/**
 * Conformance: every case in test/conformance/eventbridge-patterns/ (outcomes recorded against
 * AWS EventBridge TestEventPattern) through the reference matcher, a one-rule PatternIndex, and one
 * PatternIndex holding every valid case's pattern at once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFORMANCE_CASE_COUNT, loadConformanceCases } from '../../test/support/pattern-conformance.js';
import { compilePattern, matchesPattern, PatternError, PatternIndex, type CompiledPattern } from './index.js';

describe('EventBridge pattern conformance', () => {
  const cases = loadConformanceCases();

  test(`the conformance folder holds the ${CONFORMANCE_CASE_COUNT} recorded cases`, () => {
    assert.equal(cases.length, CONFORMANCE_CASE_COUNT);
    const errorCases = cases.filter((c) => c.expected === 'error');
    assert.ok(errorCases.length > 0);
  });

  test('every conformance case: reference matcher and one-rule index', () => {
    const failures: string[] = [];
    for (const c of cases) {
      let compiled: CompiledPattern;
      try {
        compiled = compilePattern(c.pattern);
      } catch (error) {
        if (!(error instanceof PatternError)) throw error;
        if (c.expected !== 'error') failures.push(`${c.name}: rejected: ${error.message}`);
        else if (c.message !== undefined && error.message !== c.message) failures.push(`${c.name}: message ${JSON.stringify(error.message)}, AWS ${JSON.stringify(c.message)}`);
        continue;
      }
      if (c.expected === 'error') {
        failures.push(`${c.name}: accepted, AWS rejects it${c.message ? ` (${c.message})` : ''}`);
        continue;
      }
      const want = c.expected === 'match';
      const reference = matchesPattern(compiled, c.event);
      if (reference !== want) failures.push(`${c.name}: matchesPattern → ${reference}`);
      const fromObject = matchesPattern(compiled, JSON.parse(c.event) as object);
      if (fromObject !== want) failures.push(`${c.name}: matchesPattern(object) → ${fromObject}`);
      const index = new PatternIndex<string>();
      index.add(c.name, compiled);
      const indexed = index.matches(c.event).includes(c.name);
      if (indexed !== want) failures.push(`${c.name}: PatternIndex.matches → ${indexed}`);
      const indexedObject = index.matchesObject(JSON.parse(c.event) as object).includes(c.name);
      if (indexedObject !== want) failures.push(`${c.name}: PatternIndex.matchesObject → ${indexedObject}`);
    }
    assert.deepEqual(failures, []);
  });

  test('every conformance case through one index holding all the valid patterns', () => {
    const index = new PatternIndex<string>();
    const valid = cases.filter((c) => c.expected !== 'error');
    for (const c of valid) index.add(c.name, compilePattern(c.pattern));
    assert.equal(index.size, valid.length);
    const failures: string[] = [];
    for (const c of valid) {
      const matched = index.matches(c.event);
      if (matched.includes(c.name) !== (c.expected === 'match')) failures.push(c.name);
      // Every other rule reported must agree with the reference matcher.
      for (const other of valid) {
        const want = matchesPattern(compilePattern(other.pattern), c.event);
        if (matched.includes(other.name) !== want) failures.push(`${other.name} on ${c.name}'s event: index ${!want}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('rules removed from the index stop matching; the others keep matching', () => {
    const index = new PatternIndex<string>();
    const valid = cases.filter((c) => c.expected === 'match');
    for (const c of valid) index.add(c.name, compilePattern(c.pattern));
    valid.forEach((c, i) => {
      if (i % 2 === 0) assert.equal(index.remove(c.name), true);
    });
    for (const [i, c] of valid.entries()) {
      assert.equal(index.matches(c.event).includes(c.name), i % 2 === 1, c.name);
    }
    for (const c of valid) index.remove(c.name);
    assert.equal(index.size, 0);
    for (const c of valid) assert.deepEqual(index.matches(c.event), []);
  });
});
