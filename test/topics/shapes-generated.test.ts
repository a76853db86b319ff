/**
 * src/topics/api/shapes.ts is what scripts/generate-shapes.mjs makes of botocore's SNS model,
 * unchanged: a hand edit, or a model that moved on, fails here (run the script again). Also checks
 * the Query wire names and constraints the handlers rely on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { shapes } from '../../src/topics/api/shapes.js';
import { botocoreInstalled } from '../support/strict-xml.js';

/** dist/test/topics/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the committed shapes are what the generator makes of the model', { skip: !botocoreInstalled && 'botocore is not installed' }, () => {
  const run = spawnSync(process.execPath, ['scripts/generate-shapes.mjs', '--service', 'sns', '--out', 'src/topics/api/shapes.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('every operation of the API has its shapes, with the model\'s constraints and Query names', () => {
  assert.equal(Object.keys(shapes).length, 42);
  const publish = shapes.Publish.input.members;
  assert.deepEqual(
    Object.entries(publish).filter(([, m]) => m.required).map(([name]) => name),
    ['Message'],
  );
  const attributes = publish.MessageAttributes.shape;
  assert.ok(attributes.type === 'map' && attributes.keyName === 'Name' && attributes.valueName === 'Value');
  const tags = shapes.TagResource.input.members.Tags.shape;
  assert.ok(tags.type === 'list' && tags.member.type === 'structure');
  assert.deepEqual(tags.member.type === 'structure' && tags.member.members.Key.shape, { type: 'string', min: 1, max: 128, regex: undefined });
  assert.equal(shapes.GetSMSSandboxAccountStatus.output.members.IsInSandbox.required, true);
});
