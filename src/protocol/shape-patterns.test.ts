/**
 * Every pattern an API shape matches runs as a backtracking RegExp against request values, so
 * each must match in time linear in the value: one ambiguous pattern (`(a+)+`, `\w*\w*x`) would
 * let a single request stall the server. recheck's automaton checker decides it exactly for
 * patterns without lookaround — which is why the two AWS patterns with one (`(?!^[0-9]+$)` in
 * alias names, `(?<!\.)` in bucket names) are matched through an equal rewrite. A pattern it does
 * not prove safe fails here, with the attack string it found.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { checkSync } from 'recheck';
import { silentLogger } from '../server/log.js';
import { startStratus } from '../server/stratus.js';
import { declaredPatterns, rewrittenPatterns } from './shapes.js';

// The services' shapes (and so their patterns) load with the services, which are created on
// demand: a throwaway Stratus creates every one.
before(async () => {
  const stratus = await startStratus({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error' }, { log: silentLogger });
  assert.ok((await stratus.definitions()).length >= 4);
  await stratus.stop();
});

function verdict(source: string, flags: string): string {
  const result = checkSync(source, flags, { checker: 'automaton', timeout: 120_000 });
  if (result.status === 'vulnerable') return `vulnerable (${result.complexity.summary}), attack ${result.attack.pattern}`;
  if (result.status === 'unknown') return `unknown (${result.error.kind})`;
  return result.status;
}

test('the checker finds the ambiguous patterns it guards against', () => {
  assert.match(verdict('^(?:(a+)+b)$', 'u'), /^vulnerable \(exponential/);
  assert.match(verdict('^(?:\\w*\\w*x)$', 'u'), /^vulnerable \(2nd degree polynomial/);
});

test('every shape pattern of every built-in service matches in linear time', () => {
  const patterns = [...declaredPatterns()];
  assert.ok(patterns.length > 30, `only ${patterns.length} patterns declared`);
  const unsafe = patterns.map(([pattern, regex]) => ({ pattern, verdict: verdict(regex.source, regex.flags) })).filter((p) => p.verdict !== 'safe');
  assert.deepEqual(unsafe, []);
});

test('a rewritten pattern accepts exactly what AWS\'s pattern with lookaround accepts', () => {
  const rewrites = [...rewrittenPatterns()];
  assert.ok(rewrites.length >= 2);
  for (const [aws, rewrite] of rewrites) {
    const original = new RegExp(`^(?:${aws})$`, 'u');
    const matched = declaredPatterns().get(rewrite);
    assert.ok(matched, rewrite);
    // Every string up to 4 characters over an alphabet that hits each class and each boundary.
    const alphabet = ['0', '9', 'a', 'Z', '.', '-', '_', '$', ' '];
    const differ: string[] = [];
    const visit = (prefix: string): void => {
      if (original.test(prefix) !== matched.test(prefix)) differ.push(prefix);
      if (prefix.length < 4) for (const c of alphabet) visit(prefix + c);
    };
    visit('');
    assert.deepEqual(differ, [], `${aws} against ${rewrite}`);
  }
});
