/**
 * src/states/api/shapes.ts is what scripts/generate-shapes.mjs makes of botocore's Step Functions
 * model, unchanged: a hand edit, or a model that moved on, fails here (run the script again).
 * Also checks the generator's output for constraints a handler relies on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

interface Generator {
  jsPattern(pattern: string): string;
  loadModel(options: { service: string }): { model: { operations: Record<string, unknown>; shapes: Record<string, { type: string }> }; source: string };
  generate(model: unknown, options: { source: string; protocolImport: string }): string;
  recursiveStructures(model: unknown, operations: string[]): Set<string>;
}
const generator = (): Promise<Generator> => import(pathToFileURL(join(ROOT, 'scripts/generate-shapes.mjs')).href) as Promise<Generator>;

test('Java patterns are written in a form JavaScript\'s u mode reads, accepting the same strings', async () => {
  const { jsPattern } = await generator();
  const cases: [string, string, string[], string[]][] = [
    // [AWS's pattern, the JavaScript form, strings it accepts, strings it refuses]
    ['[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}[A-Za-z0-9]', '[A-Za-z0-9][A-Za-z0-9\\-_\\.]{0,126}[A-Za-z0-9]', ['a_b', 'a-.b'], ['_a', 'a b']],
    ['[\\w-_]*', '[\\w\\-_]*', ['a-_b', ''], ['a b', 'a.b']],
    ['\\p{Print}+', '[ -~]+', ['hello world!'], ['tab\there', 'é']],
    ['[\\p{Alnum}_]+', '[a-zA-Z0-9_]+', ['a_1'], ['a-1']],
    ['\\p{ASCII}*', '\\p{ASCII}*', ['x'], ['é']],
    ['^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$', '^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$', ['a1'], ['123']],
  ];
  for (const [java, js, accepted, refused] of cases) {
    assert.equal(jsPattern(java), js, java);
    const regex = new RegExp(`^(?:${js})$`, 'u');
    for (const s of accepted) assert.ok(regex.test(s), `${js} accepts ${s}`);
    for (const s of refused) assert.ok(!regex.test(s), `${js} refuses ${s}`);
  }
});

test('a model whose shapes contain themselves is written with each recursive structure declared first', { skip: !botocoreInstalled && 'botocore is not installed' }, async () => {
  const { loadModel, generate, recursiveStructures } = await generator();
  const { model, source } = loadModel({ service: 'dynamodb' });
  assert.ok(recursiveStructures(model, Object.keys(model.operations)).has('AttributeValue'));
  const text = generate(model, { source, protocolImport: '../../protocol/shapes.js' });
  const declared = text.indexOf('const AttributeValue = t.struct({});');
  const filled = text.indexOf('Object.assign(AttributeValue.members, ');
  assert.ok(declared > 0 && filled > declared, 'declared, then filled');
  assert.ok(text.indexOf('const AttributeMap = ') > declared, 'used only after its declaration');
});
