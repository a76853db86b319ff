/**
 * Where a Node.js function's packages come from, against a real Stratus whose data directory is
 * inside this repository: the function's own node_modules, then its layers' (nodejs/nodeNN/
 * node_modules before nodejs/node_modules, a later layer before an earlier one), then the runtime's
 * AWS SDK — for CommonJS require, ES module import, and import() from CommonJS alike — and never
 * Stratus's own packages installed above the data directory. Import errors as AWS's runtime words
 * them, with paths that exist.
 *
 * Facts: [D] Lambda Developer Guide, "Working with layers for Node.js Lambda functions" (nodejs/
 * node_modules, nodejs/nodeX/node_modules) and "Adding layers to functions" (merge order); AWS
 * Knowledge Center "lambda-import-module-error-nodejs" (ES module dependencies from layers since
 * nodejs18.x); AWS's runtime bootstrap NODE_PATH (/opt/nodejs/nodeNN/node_modules:/opt/nodejs/
 * node_modules:/var/runtime/node_modules:…). [R] recorded AWS errors: `Runtime.ImportModuleError`
 * "Error: Cannot find module 'aws-sdk'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs"
 * (aws-samples/s3-to-lambda-patterns#40); an ES module's missing package as `Error`
 * "Cannot find package '@aws-sdk/client-lambda' imported from /var/task/XXX.mjs", code
 * ERR_MODULE_NOT_FOUND (aws/aws-lambda-base-images#80).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { publishLayer, REPO_ROOT, runFunction, startInRepoServer, type InRepoServer } from './node-runtime-support.js';

let env: InRepoServer;
before(async () => {
  env = await startInRepoServer();
});
after(() => env.stop());

/** Stratus's own packages (dependencies and devDependencies), all installed in the repository's node_modules. */
const STRATUS_PACKAGES = ['better-sqlite3', 'yauzl', 'typescript', 'autocannon', 'yazl', 'json5'];

describe("Stratus's own packages are invisible to functions", () => {
  test('CommonJS require from the handler, and from a module of a layer', async () => {
    const layer = await publishLayer(env.lambda, {
      'nodejs/node_modules/probe/index.js': `module.exports = (names) => Object.fromEntries(names.map((n) => { try { require(n); return [n, 'found']; } catch (e) { return [n, e.code]; } }));`,
    });
    const out = await runFunction(
      env.lambda,
      {
        'index.js': `
          const names = ${JSON.stringify(STRATUS_PACKAGES)};
          exports.handler = async () => ({
            handler: Object.fromEntries(names.map((n) => { try { require(n); return [n, 'found']; } catch (e) { return [n, e.code]; } })),
            layer: require('probe')(names),
          });`,
      },
      { layers: [layer] },
    );
    assert.equal(out.functionError, undefined, JSON.stringify(out.payload));
    const expected = Object.fromEntries(STRATUS_PACKAGES.map((n) => [n, 'MODULE_NOT_FOUND']));
    assert.deepEqual(out.payload, { handler: expected, layer: expected });
  });

  test('ES module import from an .mjs handler, and import() from a CommonJS handler', async () => {
    const probe = `async (names) => Object.fromEntries(await Promise.all(names.map(async (n) => { try { await import(n); return [n, 'found']; } catch (e) { return [n, e.code]; } })))`;
    const esm = await runFunction(env.lambda, {
      'index.mjs': `const probe = ${probe}; export const handler = async () => probe(${JSON.stringify(STRATUS_PACKAGES)});`,
    });
    const cjs = await runFunction(env.lambda, {
      'index.js': `const probe = ${probe}; exports.handler = async () => probe(${JSON.stringify(STRATUS_PACKAGES)});`,
    });
    const expected = Object.fromEntries(STRATUS_PACKAGES.map((n) => [n, 'ERR_MODULE_NOT_FOUND']));
    assert.deepEqual(esm.payload, expected);
    assert.deepEqual(cjs.payload, expected);
  });

  test('a static import of one fails init as AWS reports a missing ES module package', async () => {
    const out = await runFunction(env.lambda, { 'index.mjs': `import ts from 'typescript';\nexport const handler = async () => typeof ts;` });
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.payload.errorType, 'Error');
    const m = /^Cannot find package 'typescript' imported from (\/\S+\/index\.mjs)$/.exec(out.payload.errorMessage);
    assert.ok(m, out.payload.errorMessage);
    assert.ok(existsSync(m[1]!), `${m[1]} exists`);
    assert.match(out.log, /INIT_REPORT .*Status: error\tError Type: Error/);
  });
});

describe('a package.json above the data directory does not decide the code’s module format', () => {
  test('`.js` files without a package.json of their own are CommonJS — required from CommonJS or imported from an ES module — though the repository says "type": "module"', async () => {
    const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { type?: string };
    assert.equal(repo.type, 'module', 'the premise: the package.json above the data directory says "type": "module"');
    const lib = { 'lib/greet.js': 'module.exports = (n) => `hello ${n} from ${typeof require}`;' };
    const cjs = await runFunction(env.lambda, { ...lib, 'index.js': 'const greet = require("./lib/greet.js");\nexports.handler = async () => greet("cjs");' });
    const esm = await runFunction(env.lambda, { ...lib, 'index.mjs': 'import greet from "./lib/greet.js";\nexport const handler = async () => greet("esm");' });
    assert.equal(cjs.payload, 'hello cjs from function');
    assert.equal(esm.payload, 'hello esm from function');
  });

  test('the code’s own package.json still makes `.js` an ES module', async () => {
    const out = await runFunction(env.lambda, {
      'package.json': JSON.stringify({ type: 'module' }),
      'index.js': 'export const handler = async () => typeof require;',
    });
    assert.equal(out.payload, 'undefined');
  });
});

describe('packages from layers and the function’s own node_modules, in AWS’s order', () => {
  const files = (label: string, names: string[]) => Object.fromEntries(names.map((n) => [`${label}/${n}/index.js`, `module.exports = ${JSON.stringify(label)};`]));

  async function layersAndCode() {
    const first = await publishLayer(env.lambda, {
      ...files('nodejs/node_modules', ['a', 'b', 'c', 'd']),
      'nodejs/node_modules/esm-only/package.json': JSON.stringify({ name: 'esm-only', type: 'module', exports: { import: './index.js' } }),
      'nodejs/node_modules/esm-only/index.js': 'export default "esm from layer 1";',
    });
    const second = await publishLayer(env.lambda, {
      ...files('nodejs/node_modules', ['b', 'c']),
      ...files('nodejs/node20/node_modules', ['c']),
    });
    return { layers: [first, second], own: files('node_modules', ['a']) };
  }
  // a: the code's own; b: the later layer over the earlier; c: nodejs/node20 over nodejs/node_modules; d: only in the first layer.
  const expected = { a: 'node_modules', b: 'nodejs/node_modules', c: 'nodejs/node20/node_modules', d: 'nodejs/node_modules' };

  test('CommonJS require', async () => {
    const { layers, own } = await layersAndCode();
    const out = await runFunction(
      env.lambda,
      { ...own, 'index.js': `exports.handler = async () => Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, require(n)]));` },
      { layers },
    );
    assert.deepEqual(out.payload, expected);
  });

  test('ES module import (an .mjs handler, the AWS console’s template) — static and dynamic, CommonJS and ES module packages', async () => {
    const { layers, own } = await layersAndCode();
    const out = await runFunction(
      env.lambda,
      {
        ...own,
        'index.mjs': `
          import a from 'a';
          import esmOnly from 'esm-only';
          export const handler = async () => ({ a, esmOnly, ...Object.fromEntries(await Promise.all(['b', 'c', 'd'].map(async (n) => [n, (await import(n)).default]))) });`,
      },
      { layers },
    );
    assert.equal(out.functionError, undefined, JSON.stringify(out.payload));
    assert.deepEqual(out.payload, { ...expected, esmOnly: 'esm from layer 1' });
  });

  test('a layer package importing another layer’s package, as the merged /opt allows', async () => {
    const base = await publishLayer(env.lambda, { 'nodejs/node_modules/base-lib/index.js': 'module.exports = "base";' });
    const top = await publishLayer(env.lambda, {
      'nodejs/node_modules/top-lib/package.json': JSON.stringify({ name: 'top-lib', type: 'module', main: 'index.js' }),
      'nodejs/node_modules/top-lib/index.js': 'import base from "base-lib"; export default `top+${base}`;',
    });
    const out = await runFunction(env.lambda, { 'index.mjs': 'import top from "top-lib"; export const handler = async () => top;' }, { layers: [base, top] });
    assert.equal(out.payload, 'top+base');
  });
});

describe('import errors as AWS’s runtime words them', () => {
  test('CommonJS: Runtime.ImportModuleError with a require stack of files that exist, ending at the runtime', async () => {
    const out = await runFunction(env.lambda, { 'index.js': 'require("no-such-package-xyz");\nexports.handler = async () => 1;' });
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.payload.errorType, 'Runtime.ImportModuleError');
    const lines = out.payload.errorMessage.split('\n');
    assert.deepEqual(lines.slice(0, 2), ["Error: Cannot find module 'no-such-package-xyz'", 'Require stack:']);
    const stack = lines.slice(2).map((l: string) => l.replace(/^- /, ''));
    assert.equal(stack.length, 2, out.payload.errorMessage);
    assert.match(stack[0], /\/index\.js$/);
    assert.match(stack[1], /\/functions\/runtimes\/node\/bootstrap\.js$/);
    for (const file of stack) assert.ok(existsSync(file), `${file} exists`);
  });

  test('a handler module that is missing: the require stack names the runtime only', async () => {
    const out = await runFunction(env.lambda, { 'other.js': '' });
    assert.equal(out.payload.errorType, 'Runtime.ImportModuleError');
    const [first, second, runtime, ...rest] = out.payload.errorMessage.split('\n');
    assert.deepEqual([first, second, rest], ["Error: Cannot find module 'index'", 'Require stack:', []]);
    assert.ok(existsSync(runtime.replace(/^- /, '')), runtime);
  });
});
