/** `stratus start` as a user runs it: flags, environment, what it prints, how fast it is up. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { spawnServer, tempDataDir, TEST_POSTGRES } from './support/server.js';

// The command as installed (package.json bin): the start-up bundle.
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test('--help and --version answer and exit 0', () => {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: stratus start/);
  assert.match(help.stdout, /--fast-retries/);
  const version = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('bad flags and values exit 2 with the reason and the usage', () => {
  for (const args of [['start', '--port', 'abc'], ['start', '--no-such-flag'], ['stop'], ['start', '--durability', 'maybe'], ['start', '--verify-signatures']]) {
    const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^stratus: .+\n\nUsage:/, args.join(' '));
  }
});

test('an unknown option or a missing value is told in one line of our own, then the usage', () => {
  const cases: [string[], string][] = [
    [['start', '--bogus'], 'stratus: unknown option --bogus'],
    [['start', '-x'], 'stratus: unknown option -x'],
    [['start', '--port'], 'stratus: option --port needs a value'],
    [['start', '--in-memory=yes'], 'stratus: option --in-memory takes no value'],
    [['start', '--port='], 'stratus: invalid port ""'],
  ];
  for (const [args, line] of cases) {
    const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stderr.split('\n')[0], line, args.join(' '));
    assert.match(run.stderr, /^[^\n]+\n\nUsage: stratus start/, args.join(' '));
  }
});

test('a port in use: one line that says so, no stack, a non-zero exit', async () => {
  const taken = createServer();
  const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
  try {
    const run = spawnSync(process.execPath, [CLI, 'start', '--in-memory', '--port', String(port)], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, `stratus: port ${port} on 127.0.0.1 is in use (another Stratus, or another program): stop it, or choose another port with --port\n`);
    assert.equal(run.stdout, '');
  } finally {
    taken.close();
  }
});

test('start prints the endpoint and the environment to export, and is up quickly', async () => {
  const data = tempDataDir();
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  try {
    const began = Date.now();
    server = await spawnServer({ dataDir: data.dir });
    const upAfter = Date.now() - began;
    assert.match(server.output(), /export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(server.output(), /export AWS_ACCESS_KEY_ID=test\n  export AWS_SECRET_ACCESS_KEY=test\n  export AWS_REGION=us-east-1\n/);
    const startedIn = Number(/started in (\d+) ms/.exec(server.output())?.[1]);
    // Bounds with room for a loaded CI machine; the figure itself is in the README (~200 ms).
    assert.ok(startedIn < 2000, `start-up took ${startedIn} ms inside the process`);
    assert.ok(upAfter < 5000, `listening ${upAfter} ms after spawn`);
    if (!TEST_POSTGRES) assert.ok(existsSync(join(data.dir, 'stratus.db')));
    assert.equal(await server.kill('SIGINT'), 0);
  } finally {
    // A failed assertion must not leave the server running: it would keep the test process alive.
    await server?.kill('SIGKILL');
    data.cleanup();
  }
});

test('STRATUS_PORT picks the port; --in-memory writes nothing to disk', async () => {
  const data = tempDataDir();
  try {
    const port = await freePort();
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
        import { spawn } from 'node:child_process';
        const c = spawn(process.execPath, [${JSON.stringify(CLI)}, 'start', '--in-memory', '--data-dir', ${JSON.stringify(data.dir)}], { env: { ...process.env, STRATUS_PORT: '${port}' } });
        let out = '';
        c.stdout.on('data', async (d) => {
          out += d;
          if (!out.includes('listening on')) return;
          const res = await fetch('http://127.0.0.1:${port}/_stratus/health');
          console.log(res.status, out.split('\\n')[0]);
          c.kill('SIGTERM');
        });
        c.on('exit', (code) => process.exit(code ?? 1));
        setTimeout(() => process.exit(3), 10000);
      `,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, new RegExp(`^200 Stratus \\S+ listening on http://127.0.0.1:${port} \\(store: in memory`));
    assert.deepEqual(readdirSync(data.dir), []);
  } finally {
    data.cleanup();
  }
});

test('npm start runs the built server: no TypeScript compiler runs first', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const built = [join(root, 'dist/cli/main.js'), join(root, 'dist/src/cli/main.js'), join(root, 'dist/src/server/stratus.js')];
  const before = built.map((file) => statSync(file).mtimeMs);
  // Its own process group, so that npm and the server it runs go together.
  const npm = spawn('npm', ['start', '--', '--port', '0', '--in-memory', '--log-level', 'warn'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen in 30 s:\n${output}`)), 30_000);
      npm.stdout.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
    });
    assert.equal((await fetch(`${url}/_stratus/health`)).status, 200);
    // tsc writes every file it emits: a build would have touched these.
    assert.deepEqual(built.map((file) => statSync(file).mtimeMs), before, 'npm start rebuilt dist/');
    assert.doesNotMatch(output, /stratus@\S+ build|tsc -p/);
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});
