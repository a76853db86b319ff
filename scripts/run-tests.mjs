#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's test runner, on the embedded
// SQLite store, then the files that start servers or use a store again on PostgreSQL.
// Node 20's `--test` takes no globs, so the files are listed here. Arguments filter by path.
//
// PostgreSQL: STRATUS_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres) names
// a server and a database to connect to; a database of its own is made for the run there and
// dropped after. STRATUS_TEST_STORES=sqlite or =postgres runs one pass only.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const found = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    // The function SDK folder in dist links to installed packages: not ours to test.
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js')) found.push(relative(root, path));
  }
};
for (const dir of ['dist/src', 'dist/test']) {
  try {
    walk(join(root, dir));
  } catch {
    // Folder not built (no tests there yet).
  }
}
const filters = process.argv.slice(2);
const files = found.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// What runs again on PostgreSQL: everything that starts a server (test/), and the store's own
// unit tests. The other unit tests are pure functions, or run over an in-memory SQLite store of
// their own (the delivery machine's, stepped by a manual clock).
const storeFiles = files.filter((f) => f.startsWith('dist/test/') || f.startsWith('dist/src/store/'));
const stores = process.env.STRATUS_TEST_STORES ?? 'both';

const run = (label, list, env) => {
  console.log(`\n# ${label}: ${list.length} test files\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...list], {
    cwd: root,
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, ...env },
  });
  console.log(`\n# ${label}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return result.status ?? 1;
};

let status = 0;
if (stores !== 'postgres') status = run('SQLite store', files, { STRATUS_TEST_STORE: '' });
if (stores !== 'sqlite' && storeFiles.length > 0) status = (await postgresPass()) || status;
process.exit(status);

async function postgresPass() {
  const require = createRequire(import.meta.url);
  const pg = require('pg');
  const serverUrl = process.env.STRATUS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`\n# PostgreSQL store: SKIPPED — no PostgreSQL answered at ${serverUrl.replace(/:[^:@/]*@/, ':***@')} (${error.code ?? error.message}).`);
    console.log('# To run it: start PostgreSQL, or set STRATUS_TEST_POSTGRES=postgres://user:password@host:port/database (a database per run is made and dropped there).\n');
    return 0;
  }
  const database = `stratus_test_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  try {
    return run('PostgreSQL store', storeFiles, { STRATUS_TEST_STORE: url.href });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error) => console.error(`could not drop ${database}: ${error.message}`));
    await admin.end();
  }
}
