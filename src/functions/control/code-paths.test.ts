import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { accountSegment, functionFolder, isInside, isNameSegment, isRegionSegment, layerFolder, nameSegment, regionSegment } from './code-paths.js';

const HOSTILE = ['', '.', '..', '...', '/', '../x', 'a/b', '%2e%2e', '%', '%2e', '~', 'layers', '\u0000', 'ü', 'US-EAST-1', ' us-east-1', 'x'.repeat(300), 'x'.repeat(61), 'x'.repeat(60)];

test('values of the form AWS gives them are their own folder names (existing data folders keep their paths)', () => {
  assert.equal(accountSegment('000000000000'), '000000000000');
  assert.equal(accountSegment('123456789012'), '123456789012');
  for (const region of ['us-east-1', 'eu-west-3', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5']) assert.equal(regionSegment(region), region);
  for (const name of ['my-function', 'My_Function-2', 'x'.repeat(64), 'l'.repeat(140)]) assert.equal(nameSegment(name), name);
  assert.equal(functionFolder('/data/functions', '000000000000', 'us-east-1', 'hello'), join('/data/functions', '000000000000', 'us-east-1', 'hello'));
  assert.equal(layerFolder('/data/functions', '000000000000', 'us-east-1', 'lib'), join('/data/functions', 'layers', '000000000000', 'us-east-1', 'lib'));
});

test('anything else is escaped: one short folder name of its own, never a way out, never another value', () => {
  const seen = new Map<string, string>();
  for (const value of [...HOSTILE, 'us-east-1', 'plain']) {
    for (const [kind, escape] of [['account', accountSegment], ['region', regionSegment], ['name', nameSegment]] as const) {
      const segment = escape(value);
      assert.ok(segment.length > 0 && segment.length <= 140, `${kind} ${JSON.stringify(value)} → ${segment}`);
      assert.ok(!segment.includes('/') && !segment.includes(sep) && !segment.includes('\u0000'), segment);
      assert.ok(segment !== '.' && segment !== '..' && !segment.startsWith('.'), segment);
      const key = `${kind}:${segment}`;
      assert.ok(!seen.has(key) || seen.get(key) === value, `${kind} ${JSON.stringify(value)} and ${JSON.stringify(seen.get(key))} share ${segment}`);
      seen.set(key, value);
    }
  }
  // No account is the layers folder.
  for (const value of HOSTILE) assert.notEqual(accountSegment(value), 'layers');
  assert.equal(accountSegment('layers'), '%6c6179657273');
  assert.equal(regionSegment('..'), '%2e2e');
  assert.match(regionSegment('x'.repeat(300)), /^%~[0-9a-f]{64}$/);
  assert.ok(isRegionSegment(regionSegment('..')) && isNameSegment(nameSegment('x'.repeat(300))) && !isNameSegment('..'));
});

test('every folder built from hostile values stays inside its parent', () => {
  const root = '/data/functions';
  for (const a of HOSTILE) {
    for (const r of HOSTILE) {
      assert.ok(isInside(join(root, accountSegment(a)), functionFolder(root, a, r, 'fn')));
      assert.ok(isInside(join(root, 'layers'), layerFolder(root, a, r, 'lib')));
      assert.ok(isInside(join(root, accountSegment('000000000000'), regionSegment(r)), functionFolder(root, '000000000000', r, a)));
      assert.ok(!isInside(join(root, 'layers'), functionFolder(root, a, r, 'layers')));
    }
  }
  assert.ok(!isInside('/a/b', '/a/b'));
  assert.ok(!isInside('/a/b', '/a/b/..'));
  assert.ok(!isInside('/a/b', '/a/bc'));
  assert.ok(isInside('/a/b', '/a/b/c'));
});
