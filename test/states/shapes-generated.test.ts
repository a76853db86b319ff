/**
 * src/states/api/shapes.ts is what scripts/generate-shapes.mjs makes of botocore's Step Functions
 * model, unchanged: a hand edit, or a model that moved on, fails here (run the script again).
 * Also checks the generator's output for constraints a handler relies on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { shapes } from '../../src/states/api/shapes.js';
import { botocoreInstalled } from '../support/strict-xml.js';

/** dist/test/states/ → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the committed shapes are what the generator makes of the model', { skip: !botocoreInstalled && 'botocore is not installed' }, () => {
  const run = spawnSync(process.execPath, ['scripts/generate-shapes.mjs', '--service', 'stepfunctions', '--out', 'src/states/api/shapes.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('every operation of the API has its shapes, with the model\'s constraints', () => {
  assert.equal(Object.keys(shapes).length, 37);
  const create = shapes.CreateStateMachine.input.members;
  assert.deepEqual(
    Object.entries(create).filter(([, m]) => m.required).map(([name]) => name),
    ['name', 'definition', 'roleArn'],
  );
  assert.deepEqual(create.name.shape, { type: 'string', min: 1, max: 80, regex: undefined });
  assert.equal(create.definition.shape.type === 'string' && create.definition.shape.sensitive, true);
  const routing = shapes.CreateStateMachineAlias.input.members.routingConfiguration.shape;
  assert.equal(routing.type === 'list' && `${routing.min}-${routing.max}`, '1-2');
  assert.equal(shapes.CreateStateMachine.output.members.creationDate.shape.type, 'timestamp');
});
