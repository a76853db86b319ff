/**
 * Runs src/patterns/cases.json5: documentation-traced (pattern, event, expected) cases, each event
 * through the reference matcher (text and parsed object) and PatternIndex (text and parsed object),
 * plus one index holding every valid pattern of the file at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';
import { compilePattern, matchesPattern, PatternError, PatternIndex } from './index.js';

interface Group {
  source: string;
  pattern?: unknown;
  patternText?: string;
  match?: unknown[];
  noMatch?: unknown[];
  error?: string;
}

/** The .json5 sits in src/; the compiled test runs from dist/src/patterns/. */
const FILE = fileURLToPath(new URL('../../../src/patterns/cases.json5', import.meta.url));
const groups = JSON5.parse(readFileSync(FILE, 'utf8')) as Group[];
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const patternOf = (g: Group): string => g.patternText ?? JSON.stringify(g.pattern);

test('cases.json5 has at least 300 cases, each with a source', () => {
  let count = 0;
  for (const g of groups) {
    assert.ok(typeof g.source === 'string' && g.source.length > 0, JSON.stringify(g).slice(0, 80));
    count += g.error !== undefined ? 1 : (g.match?.length ?? 0) + (g.noMatch?.length ?? 0);
  }
  assert.ok(count >= 300, `only ${count} cases`);
});

test('every case in cases.json5', () => {
  const failures: string[] = [];
  for (const g of groups) {
    const label = `${g.source} ${patternOf(g)}`;
    if (g.error !== undefined) {
      try {
        compilePattern(patternOf(g));
        failures.push(`${label}: accepted, expected "${g.error}"`);
      } catch (error) {
        if (!(error instanceof PatternError)) throw error;
        if (error.reason !== g.error) failures.push(`${label}: "${error.reason}", expected "${g.error}"`);
        if (error.message !== `Event pattern is not valid. Reason: ${g.error}${error.location}`) failures.push(`${label}: message ${error.message}`);
      }
      continue;
    }
    const compiled = compilePattern(patternOf(g));
    const index = new PatternIndex<number>();
    index.add(1, compiled);
    const check = (events: unknown[] | undefined, want: boolean): void => {
      for (const e of events ?? []) {
        const t = text(e);
        const results = {
          reference: matchesPattern(compiled, t),
          referenceObject: matchesPattern(compiled, JSON.parse(t) as object),
          index: index.matches(t).length === 1,
          indexObject: index.matchesObject(JSON.parse(t) as object).length === 1,
        };
        for (const [how, got] of Object.entries(results)) {
          // A parsed object loses number spelling (3e2 → 300); only the text forms see it.
          if (how.endsWith('Object') && /\d[eE]|\.\d*0[,}\]\s]/.test(t)) continue;
          if (got !== want) failures.push(`${label} on ${t}: ${how} → ${got}`);
        }
      }
    };
    check(g.match, true);
    check(g.noMatch, false);
  }
  assert.deepEqual(failures, []);
});

test('one index with every valid pattern of cases.json5 agrees with the reference matcher', () => {
  const index = new PatternIndex<number>();
  const compiled = groups.map((g) => (g.error === undefined ? compilePattern(patternOf(g)) : null));
  compiled.forEach((c, i) => c && index.add(i, c));
  const failures: string[] = [];
  for (const g of groups) {
    for (const e of [...(g.match ?? []), ...(g.noMatch ?? [])]) {
      const t = text(e);
      const got = new Set(index.matches(t));
      compiled.forEach((c, i) => {
        if (c && matchesPattern(c, t) !== got.has(i)) failures.push(`pattern ${patternOf(groups[i])} on ${t}`);
      });
    }
  }
  assert.deepEqual(failures, []);
});
