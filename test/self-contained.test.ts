/**
 * The test suite needs nothing beside the repository: the AWS-recorded data sets it checks live in
 * test/conformance/<set>/ with their README.md (source, attribution) and LICENSE.txt, as data
 * only, and no test reads a folder outside the repository at run time.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/test/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFORMANCE = join(ROOT, 'test', 'conformance');
/** This file names the forms it looks for. */
const SELF = join(ROOT, 'test', 'self-contained.test.ts');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

test('every conformance set in the repository keeps its README and LICENSE, and holds data only', () => {
  assert.ok(existsSync(CONFORMANCE), `${CONFORMANCE} is missing`);
  const sets = readdirSync(CONFORMANCE).filter((name) => statSync(join(CONFORMANCE, name)).isDirectory());
  assert.ok(sets.includes('eventbridge-patterns'), `sets: ${sets.join(', ')}`);
  for (const set of sets) {
    for (const required of ['README.md', 'LICENSE.txt']) assert.ok(existsSync(join(CONFORMANCE, set, required)), `${set}/${required}`);
    const code = filesUnder(join(CONFORMANCE, set)).filter((f) => /\.(?:[cm]?[jt]s|py|sh)$/.test(f));
    assert.deepEqual(code.map((f) => relative(ROOT, f)), [], `${set} holds code`);
  }
});

test('no test or test support reads a folder beside the repository', () => {
  // The forms a path outside the root takes in this code base: `join(ROOT, '..', …)`, and the
  // relative path up to the shared folder beside the repository.
  const outside = /join\(\s*ROOT\s*,\s*'\.\.'|\.\.\/shared\//;
  const sources = [...filesUnder(join(ROOT, 'test')), ...filesUnder(join(ROOT, 'src'))].filter(
    (f) => f.endsWith('.ts') && f !== SELF && (f.endsWith('.test.ts') || f.includes(join('test', 'support'))),
  );
  assert.ok(sources.length > 50, `found ${sources.length} test sources`);
  const offenders = sources.filter((f) => outside.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, []);
});
