/**
 * Execution environments running Stratus's Node.js runtime: real child processes talking to the
 * Runtime API. Handler styles and module formats, the context object, logs, errors, init
 * failures, timeouts, crashes, warm reuse, concurrency, idle reaping and the process environment.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { TooManyRequestsError } from '../../src/functions/engine/index.js';
import { codeDir, ENDPOINT, harness, json, removeCodeDirs, spec, until } from './support.js';

const h = harness();
after(async () => {
  await h.stop();
  removeCodeDirs();
});

describe('handlers and module formats', () => {
  test('CommonJS async handler gets the event and answers JSON', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async (event) => ({ got: event, ok: true });' });
    const outcome = await h.invoke(spec(dir), { a: 1 });
    assert.equal(outcome.functionError, undefined);
    assert.deepEqual(json(outcome), { got: { a: 1 }, ok: true });
    assert.ok(outcome.initDurationMs !== undefined && outcome.initDurationMs > 0, 'cold start reports its init');
  });

  test('ES module from .mjs', async () => {
    const dir = codeDir({ 'app.mjs': 'export const handler = async () => ({ format: "mjs", meta: typeof import.meta.url });' });
    assert.deepEqual(json(await h.invoke(spec(dir, { handler: 'app.handler' }))), { format: 'mjs', meta: 'string' });
  });

  test('ES module from .js under "type": "module"', async () => {
    const dir = codeDir({
      'package.json': JSON.stringify({ type: 'module' }),
      'index.js': 'export async function handler(event) { return { format: "esm", n: event.n * 2 }; }',
    });
    assert.deepEqual(json(await h.invoke(spec(dir), { n: 21 })), { format: 'esm', n: 42 });
  });

  test('nested handler path and nested export', async () => {
    const dir = codeDir({ 'src/handlers/orders.js': 'exports.api = { create: async () => "created" };' });
    assert.equal(json(await h.invoke(spec(dir, { handler: 'src/handlers/orders.api.create' }))), 'created');
  });

  test('callback handler (3 arguments) answers through the callback after the event loop drains', async () => {
    const dir = codeDir({
      'index.js': `
        exports.handler = (event, context, callback) => {
          let late = false;
          setTimeout(() => { late = true; }, 30);
          callback(null, { sync: true, lateAtCall: late, get late() { return late; } });
        };`,
    });
    const started = Date.now();
    const outcome = await h.invoke(spec(dir));
    assert.deepEqual(json(outcome), { sync: true, lateAtCall: false, late: true });
    assert.ok(Date.now() - started >= 25, 'the answer waited for the pending timer');
  });

  test('callbackWaitsForEmptyEventLoop = false answers at once; context.succeed works', async () => {
    const dir = codeDir({
      'index.js': `
        exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 2000);
          context.succeed({ quick: true });
        };`,
    });
    const started = Date.now();
    assert.deepEqual(json(await h.invoke(spec(dir))), { quick: true });
    assert.ok(Date.now() - started < 1500);
  });

  test('nodejs24.x refuses callback handlers at init', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = (event, context, callback) => callback(null, 1);' });
    const outcome = await h.invoke(spec(dir, { runtime: 'nodejs24.x' }));
    assert.equal(outcome.functionError, 'Unhandled');
    assert.equal(json(outcome).errorType, 'Runtime.CallbackHandlerDeprecated');
  });

  test('an undefined result is null', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async () => {};' });
    assert.equal((await h.invoke(spec(dir))).payload.toString(), 'null');
  });
});

describe('context object', () => {
  test('fields, and getRemainingTimeInMillis counting down from the timeout', async () => {
    const dir = codeDir({
      'index.js': `
        exports.handler = async (event, context) => {
          const first = context.getRemainingTimeInMillis();
          await new Promise((r) => setTimeout(r, 60));
          const second = context.getRemainingTimeInMillis();
          const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
          return { fields, first, second, trace: process.env._X_AMZN_TRACE_ID };
        };`,
    });
    const s = spec(dir, { memorySize: 256, timeout: 5 });
    const outcome = await h.invoke(s, {}, { requestId: 'req-ctx-1', traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0' });
    const { fields, first, second, trace } = json(outcome);
    assert.equal(fields.awsRequestId, 'req-ctx-1');
    assert.equal(fields.functionName, s.functionName);
    assert.equal(fields.functionVersion, '$LATEST');
    assert.equal(fields.invokedFunctionArn, s.functionArn);
    assert.equal(fields.memoryLimitInMB, '256');
    assert.equal(fields.logGroupName, `/aws/lambda/${s.functionName}`);
    assert.match(fields.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(fields.callbackWaitsForEmptyEventLoop, true);
    assert.ok(first <= 5000 && first > 4500, `first ${first}`);
    assert.ok(second <= first - 50, `second ${second} after first ${first}`);
    assert.equal(trace, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0');
  });
});

describe('logs', () => {
  test('console lines as AWS prints them, then END and a REPORT line', async () => {
    const dir = codeDir({
      'index.js': `
        console.log('init line');
        exports.handler = async () => { console.log('hello', { a: 1 }); console.error('multi\\nline'); console.warn('careful'); return 1; };`,
    });
    const outcome = await h.invoke(spec(dir), {}, { requestId: 'req-log-1' });
    const lines = outcome.logTail.slice(0, -1).split('\n');
    assert.match(lines[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\tundefined\tINFO\tinit line$/);
    assert.equal(lines[1], 'START RequestId: req-log-1 Version: $LATEST');
    assert.match(lines[2]!, /^\S+Z\treq-log-1\tINFO\thello \{ a: 1 \}$/);
    assert.match(lines[3]!, /^\S+Z\treq-log-1\tERROR\tmulti$/);
    assert.equal(lines[4], 'line', 'a multi-line message is one event with its newline');
    assert.match(lines[5]!, /\treq-log-1\tWARN\tcareful$/);
    assert.equal(lines[6], 'END RequestId: req-log-1');
    assert.match(
      lines[7]!,
      /^REPORT RequestId: req-log-1\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t$/,
    );
    // The sink got the same events, one per message, on the environment's stream.
    const [stream, events] = [...h.logs.entries()].find(([, ev]) => ev.some((e) => e.message.includes('req-log-1')))!;
    assert.match(stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(events.some((e) => e.message.endsWith('ERROR\tmulti\nline')));
    const report = events.find((e) => e.message.startsWith('REPORT'))!;
    const duration = Number(/Duration: ([\d.]+) ms/.exec(report.message)![1]);
    const billed = Number(/Billed Duration: (\d+) ms/.exec(report.message)![1]);
    const init = Number(/Init Duration: ([\d.]+) ms/.exec(report.message)![1]);
    // In hundredths of a millisecond, as printed: 10.01 + 51.99 in floating point is a hair over 62.
    assert.equal(billed, Math.ceil((Math.round(duration * 100) + Math.round(init * 100)) / 100), 'a cold start bills init and duration, rounded up to 1 ms');
    assert.equal(outcome.billedDurationMs, billed);
    assert.ok(outcome.maxMemoryUsedMb > 10 && outcome.maxMemoryUsedMb < 128, `max memory ${outcome.maxMemoryUsedMb}`);
  });

  test('a warm invoke reports no Init Duration; the tail is capped at 4 KB', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async (e) => { for (let i = 0; i < e.n; i++) console.log("x".repeat(100)); return 1; };' });
    const s = spec(dir);
    await h.invoke(s, { n: 0 });
    const warm = await h.invoke(s, { n: 100 }, { requestId: 'req-warm' });
    assert.equal(warm.initDurationMs, undefined);
    assert.ok(Buffer.byteLength(warm.logTail) <= 4096);
    assert.ok(warm.logTail.endsWith('\n'));
    const report = warm.logTail.slice(0, -1).split('\n').at(-1)!;
    assert.match(report, /^REPORT RequestId: req-warm\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t$/);
  });
});

describe('errors', () => {
  test('a thrown error is Unhandled with errorType, errorMessage and trace, and logged', async () => {
    const dir = codeDir({ 'index.js': 'class ValidationError extends Error { name = "ValidationError"; }\nexports.handler = async () => { throw new ValidationError("bad input"); };' });
    const outcome = await h.invoke(spec(dir));
    assert.equal(outcome.functionError, 'Unhandled');
    const doc = json(outcome);
    assert.equal(doc.errorType, 'ValidationError');
    assert.equal(doc.errorMessage, 'bad input');
    assert.ok(Array.isArray(doc.trace) && doc.trace[0] === 'ValidationError: bad input');
    assert.match(outcome.logTail, /\tERROR\tInvoke Error \t\{"errorType":"ValidationError","errorMessage":"bad input"/);
  });

  test('callback(error) is an error too; the environment stays warm', async () => {
    const dir = codeDir({ 'index.js': 'let n = 0; exports.handler = (e, c, cb) => { n++; if (e.fail) cb(new TypeError("nope")); else cb(null, n); };' });
    const s = spec(dir);
    const failed = await h.invoke(s, { fail: true });
    assert.equal(json(failed).errorType, 'TypeError');
    assert.equal(json(await h.invoke(s, {})), 2);
  });

  test('module not found → Runtime.ImportModuleError at init, the environment is discarded', async () => {
    const dir = codeDir({ 'other.js': '' });
    const outcome = await h.invoke(spec(dir));
    assert.equal(outcome.functionError, 'Unhandled');
    const doc = json(outcome);
    assert.equal(doc.errorType, 'Runtime.ImportModuleError');
    assert.match(doc.errorMessage, /^Error: Cannot find module 'index'/);
    assert.match(outcome.logTail, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError/);
  });

  test('a module requiring a missing package → Runtime.ImportModuleError', async () => {
    const dir = codeDir({ 'index.js': 'require("no-such-package-xyz"); exports.handler = async () => 1;' });
    const doc = json(await h.invoke(spec(dir)));
    assert.equal(doc.errorType, 'Runtime.ImportModuleError');
    assert.match(doc.errorMessage, /no-such-package-xyz/);
  });

  test('missing export → Runtime.HandlerNotFound', async () => {
    const dir = codeDir({ 'index.js': 'exports.other = async () => 1; exports.notFn = 3;' });
    const doc = json(await h.invoke(spec(dir)));
    assert.equal(doc.errorType, 'Runtime.HandlerNotFound');
    assert.equal(doc.errorMessage, 'index.handler is undefined or not exported');
    const notFn = json(await h.invoke(spec(dir, { handler: 'index.notFn' })));
    assert.equal(notFn.errorMessage, 'index.notFn is not a function');
  });

  test('syntax error → Runtime.UserCodeSyntaxError (CommonJS and ESM)', async () => {
    const cjs = json(await h.invoke(spec(codeDir({ 'index.js': 'exports.handler = async () => {{;' }))));
    assert.equal(cjs.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(cjs.errorMessage, /^SyntaxError: /);
    const esm = json(await h.invoke(spec(codeDir({ 'index.mjs': 'export const handler = async () => {{;' }))));
    assert.equal(esm.errorType, 'Runtime.UserCodeSyntaxError');
  });

  test('an error thrown by module code at init is reported as itself', async () => {
    const doc = json(await h.invoke(spec(codeDir({ 'index.js': 'throw new RangeError("config missing");' }))));
    assert.equal(doc.errorType, 'RangeError');
    assert.equal(doc.errorMessage, 'config missing');
  });
});

describe('timeouts, crashes and replacement', () => {
  test('a timeout kills the environment, answers Sandbox.Timedout, and a new one serves the next call', async () => {
    const dir = codeDir({
      'index.js': 'const pid = process.pid; exports.handler = async (e) => { if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return pid; };',
    });
    const s = spec(dir, { timeout: 1 });
    const firstPid = json(await h.invoke(s, {}));
    const started = Date.now();
    const outcome = await h.invoke(s, { hang: true }, { requestId: 'req-timeout' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950 && elapsed < 2000, `timed out after ${elapsed} ms`);
    assert.equal(outcome.functionError, 'Unhandled');
    assert.deepEqual(json(outcome), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: req-timeout Error: Task timed out after 1.00 seconds' });
    assert.match(outcome.logTail, /Z req-timeout Task timed out after 1\.00 seconds\nEND RequestId: req-timeout\nREPORT RequestId: req-timeout\t.*\tStatus: timeout\t\n$/);
    await until(() => !isAlive(firstPid));
    const secondPid = json(await h.invoke(s, {}));
    assert.notEqual(secondPid, firstPid);
  });

  test('process.exit(1) mid-invocation → Runtime.ExitError, then a fresh environment', async () => {
    const dir = codeDir({ 'index.js': 'let n = 0; exports.handler = async (e) => { n++; if (e.exit) { console.log("bye"); process.exit(1); } return n; };' });
    const s = spec(dir);
    assert.equal(json(await h.invoke(s, {})), 1);
    const outcome = await h.invoke(s, { exit: true }, { requestId: 'req-exit' });
    assert.equal(outcome.functionError, 'Unhandled');
    assert.deepEqual(json(outcome), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: req-exit Error: Runtime exited with error: exit status 1' });
    assert.match(outcome.logTail, /\tINFO\tbye\nRequestId: req-exit Error: Runtime exited with error: exit status 1\nRuntime.ExitError\nEND RequestId: req-exit\n/);
    assert.equal(json(await h.invoke(s, {})), 1, 'module state starts over in a new environment');
  });

  test('an unhandled rejection fails the invocation and ends the environment', async () => {
    const dir = codeDir({ 'index.js': 'let n = 0; exports.handler = async (e) => { n++; if (e.reject) { Promise.reject(new Error("lost")); await new Promise((r) => setTimeout(r, 500)); } return n; };' });
    const s = spec(dir);
    const outcome = await h.invoke(s, { reject: true });
    assert.equal(outcome.functionError, 'Unhandled');
    assert.equal(json(outcome).errorMessage, 'lost');
    assert.equal(json(await h.invoke(s, {})), 1);
  });

  test('memory is bounded: exceeding MemorySize ends the environment', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async () => { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); };' });
    const outcome = await h.invoke(spec(dir, { memorySize: 64, timeout: 20 }));
    assert.equal(outcome.functionError, 'Unhandled');
    // The process is killed past MemorySize (Runtime.OutOfMemory), unless V8's heap limit, set
    // just below it, ends it first (Runtime.ExitError): either way the invocation fails.
    assert.ok(['Runtime.OutOfMemory', 'Runtime.ExitError'].includes(json(outcome).errorType as string));
  });
});

describe('pool', () => {
  test('warm reuse keeps module state; a new code hash gets a new environment', async () => {
    const dir = codeDir({ 'index.js': 'let count = 0; exports.handler = async () => ++count;' });
    const s = spec(dir);
    assert.equal(json(await h.invoke(s)), 1);
    assert.equal(json(await h.invoke(s)), 2);
    assert.equal(json(await h.invoke(s)), 3);
    assert.equal(json(await h.invoke({ ...s, codeHash: 'hash-2' })), 1);
  });

  test('concurrency: beyond the limit invoke rejects with TooManyRequestsError', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return process.pid; };' });
    const s = spec(dir);
    const slow = [h.invoke(s, { ms: 300 }, { concurrency: 2 }), h.invoke(s, { ms: 300 }, { concurrency: 2 })];
    await assert.rejects(
      h.invoke(s, { ms: 0 }, { concurrency: 2 }),
      (error: unknown) => error instanceof TooManyRequestsError && error.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
    await assert.rejects(
      h.environments.invoke(s, Buffer.from('{}'), { requestId: 'r' }, { concurrency: 2, reason: 'ConcurrentInvocationLimitExceeded' }),
      (error: unknown) => error instanceof TooManyRequestsError && error.reason === 'ConcurrentInvocationLimitExceeded',
    );
    const pids = (await Promise.all(slow)).map(json);
    assert.notEqual(pids[0], pids[1], 'two environments ran at once');
    // Both are warm now: two more run at once without a new start.
    const again = (await Promise.all([h.invoke(s, { ms: 50 }, { concurrency: 2 }), h.invoke(s, { ms: 50 }, { concurrency: 2 })])).map(json);
    assert.deepEqual(new Set(again), new Set(pids));
  });

  test('flush retires the environments of a function', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async () => process.pid;' });
    const s = spec(dir);
    const pid = json(await h.invoke(s));
    await h.environments.flush(s.functionArn);
    assert.equal(isAlive(pid), false);
    assert.notEqual(json(await h.invoke(s)), pid);
  });

  test('idle environments are reaped after idleMs', async () => {
    const clock = new ManualClock(Date.now());
    const local = harness({ idleMs: 60_000, clock });
    try {
      const dir = codeDir({ 'index.js': 'exports.handler = async () => process.pid;' });
      const s = spec(dir);
      const pid = json(await local.invoke(s));
      assert.deepEqual(local.environments.stats(), { environments: 1, busy: 0 });
      clock.advance(59_000);
      assert.equal(json(await local.invoke(s)), pid, 'still warm before idleMs');
      clock.advance(60_000);
      await until(() => local.environments.stats().environments === 0 && !isAlive(pid));
      assert.notEqual(json(await local.invoke(s)), pid);
    } finally {
      await local.stop();
    }
  });

  test('stats count environments and busy ones', async () => {
    const local = harness();
    try {
      const dir = codeDir({ 'index.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return 1; };' });
      const running = local.invoke(spec(dir));
      await until(() => local.environments.stats().busy === 1);
      assert.deepEqual(local.environments.stats(), { environments: 1, busy: 1 });
      await running;
      assert.deepEqual(local.environments.stats(), { environments: 1, busy: 0 });
    } finally {
      await local.stop();
    }
    assert.deepEqual(local.environments.stats(), { environments: 0, busy: 0 });
  });
});

describe('process environment', () => {
  test('AWS variables are set, reserved ones cannot be overridden, the function’s own are present', async () => {
    const dir = codeDir({ 'index.js': 'exports.handler = async () => process.env;' });
    const layer = codeDir({ 'nodejs/node_modules/layer-lib/index.js': 'module.exports = "from layer";' });
    const s = spec(dir, {
      memorySize: 512,
      layerDirs: [layer],
      environment: { MY_SETTING: 'on', AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'hijack', _HANDLER: 'x.y', TZ: 'Europe/Paris', LANG: 'C.UTF-8' },
    });
    const env = json(await h.invoke(s));
    assert.equal(env.MY_SETTING, 'on');
    assert.equal(env.LANG, 'C.UTF-8', 'unreserved variables may be overridden');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, s.functionName);
    assert.equal(env._HANDLER, 'index.handler');
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '512');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${s.functionName}`);
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(env.LAMBDA_TASK_ROOT, dir);
    assert.ok(env.LAMBDA_RUNTIME_DIR);
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
    assert.equal(env.AWS_ENDPOINT_URL, ENDPOINT);
    assert.equal(env.AWS_ACCESS_KEY_ID, '123456789012');
    assert.ok(env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN);
    assert.ok(env.NODE_PATH.split(':').includes(`${layer}/nodejs/node_modules`));
    assert.ok(env.PATH && env.LD_LIBRARY_PATH);
  });

  test('a layer’s node_modules and the bundled AWS SDK resolve from the handler', async () => {
    const layer = codeDir({ 'nodejs/node_modules/layer-lib/index.js': 'module.exports = "from layer";' });
    const dir = codeDir({
      'index.js': 'exports.handler = async () => ({ lib: require("layer-lib"), sdk: typeof require("@aws-sdk/client-sqs").SQSClient });',
    });
    assert.deepEqual(json(await h.invoke(spec(dir, { layerDirs: [layer] }))), { lib: 'from layer', sdk: 'function' });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
