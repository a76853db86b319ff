/**
 * Stratus's Node.js runtime (nodejs20.x, nodejs22.x, nodejs24.x): runs inside an execution
 * environment as its own process, loads the function's handler and serves invocations from the
 * Lambda Runtime API at AWS_LAMBDA_RUNTIME_API. Self-contained: imports only Node built-ins and
 * the files beside it (module-loading.ts, module-scope.ts, resolve-hooks.ts).
 *
 * Behaviour follows the Lambda Developer Guide ("Define Lambda function handler in Node.js",
 * "Using the Lambda context object to retrieve Node.js function information", "Log and monitor
 * Node.js Lambda functions", "Using the Lambda runtime API for custom runtimes") and the facts of
 * AWS's runtime interface client (aws/aws-lambda-nodejs-runtime-interface-client):
 * - handler `path/to/module.export.nested`: the module is resolved in LAMBDA_TASK_ROOT as the
 *   extensionless file, then `.js` (CommonJS unless the nearest package.json says
 *   `"type": "module"`, then ES module), `.mjs` (ES module), `.cjs`; else Node resolution from the
 *   task root. `..` in the handler is refused (Runtime.MalformedHandlerName).
 * - init errors go to /runtime/init/error: Runtime.ImportModuleError (module not found; message is
 *   the original error's string), Runtime.UserCodeSyntaxError, Runtime.HandlerNotFound
 *   (`index.handler is undefined or not exported` / `… is not a function`), Runtime.MalformedHandlerName.
 * - handler errors go to /runtime/invocation/{id}/error as `{errorType, errorMessage, trace}` and
 *   are logged as `<time>\t<id>\tERROR\tInvoke Error \t{…}`.
 * - an async handler (or one returning a promise) answers with its result; a 3-argument handler
 *   answers through `callback(err, result)` and, while `context.callbackWaitsForEmptyEventLoop`
 *   is true (the default), only once the event loop is empty. nodejs24.x dropped callback handlers:
 *   a non-async handler declaring 3 parameters fails init with Runtime.CallbackHandlerDeprecated.
 * - console output: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, `undefined` as the request id
 *   during init; a multi-line message is written as one line with `\r` for each newline (one log event).
 * - an uncaught exception or unhandled rejection during an invocation fails it and ends the process.
 * - packages: the code's own node_modules, then the layers' (later layer first), then the runtime's
 *   AWS SDK (NODE_PATH, `<LAMBDA_RUNTIME_DIR>/node_modules`), for require and import alike, and
 *   never a node_modules folder above the code or a layer (module-scope.ts).
 * - a module that cannot be found at init: CommonJS `Runtime.ImportModuleError` with Node's
 *   message (`Error: Cannot find module 'x'\nRequire stack:\n- /var/task/index.js\n-
 *   /var/runtime/index.mjs` at AWS; here the real paths of the code and of this file); an ES
 *   module's `Cannot find package 'x' imported from …` is reported as Node threw it (errorType
 *   `Error`), as AWS's runtime does (it wraps only MODULE_NOT_FOUND). A missing `@aws-sdk/*`
 *   package that AWS's runtime has and Stratus's does not is `Runtime.ImportModuleError` either way,
 *   with a message saying to add it to the function's own package.
 */
import { request as httpRequest, Agent } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { confineModuleLoading, missingSdkAdvice } from './module-loading.js';

type Handler = (event: unknown, context: LambdaContext, callback?: (error?: unknown, result?: unknown) => void) => unknown;

interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: unknown;
  clientContext?: unknown;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}

const env = process.env;
const [apiHost, apiPortText] = (env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001').split(':');
const apiPort = Number(apiPortText);
const agent = new Agent({ keepAlive: true, maxSockets: 2 });
const BASE = '/2018-06-01/runtime';

// ---- logging ---------------------------------------------------------------------------------

let currentRequestId: string | undefined;
const rawWrite = process.stdout.write.bind(process.stdout);

function emit(level: string, args: unknown[]): void {
  const message = format(...args).replace(/\r?\n/g, '\r');
  rawWrite(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
}

console.log = (...args: unknown[]) => emit('INFO', args);
console.info = (...args: unknown[]) => emit('INFO', args);
console.warn = (...args: unknown[]) => emit('WARN', args);
console.error = (...args: unknown[]) => emit('ERROR', args);
console.debug = (...args: unknown[]) => emit('DEBUG', args);
console.trace = (...args: unknown[]) => emit('TRACE', args);

// ---- module resolution -------------------------------------------------------------------------

const taskRoot = env.LAMBDA_TASK_ROOT ?? process.cwd();
// The layers' folders (the parts of /opt), from Stratus; taken out of the environment the function sees.
const layerDirs = (env._STRATUS_LAYER_DIRS ?? '').split(delimiter).filter(Boolean);
delete env._STRATUS_LAYER_DIRS;
const modules = confineModuleLoading({
  taskRoot,
  layerDirs,
  // As Node read it at start (Module._initPaths): the CommonJS loader's global folders.
  nodePath: (env.NODE_PATH ?? '').split(delimiter).filter(Boolean),
  // The runtime's AWS SDK, as /var/runtime/node_modules is beside AWS's /var/runtime/index.mjs.
  runtimeSdk: join(dirname(fileURLToPath(import.meta.url)), 'node_modules'),
});

// ---- errors ----------------------------------------------------------------------------------

class RuntimeError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

interface ErrorDocument {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

function toErrorDocument(error: unknown): ErrorDocument {
  if (error instanceof Error || (error !== null && typeof error === 'object' && 'message' in error && 'name' in error)) {
    const e = error as Error;
    const stack = typeof e.stack === 'string' ? e.stack.split('\n') : [];
    const sdk = modules.missingSdkPackage(error);
    return { errorType: String(e.name), errorMessage: sdk ? `${String(e.message)}\n${missingSdkAdvice(sdk)}` : String(e.message), trace: stack };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function logError(label: string, doc: ErrorDocument): void {
  const { trace, ...rest } = doc;
  emit('ERROR', [`${label} \t${JSON.stringify({ ...rest, stack: trace })}`]);
}

// ---- Runtime API client -----------------------------------------------------------------------

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function call(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: apiHost, port: apiPort, method, path: BASE + path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.setHeader('Content-Length', Buffer.byteLength(body));
    req.end(body);
  });
}

/**
 * Marks the end of an invocation's output on stdout and stderr, just before its answer: the
 * engine reads output and answers on different channels and waits for this (engine/environment.ts).
 */
function fence(requestId: string): void {
  const line = `\u0000stratus:end:${requestId}\n`;
  rawWrite(line);
  process.stderr.write(line);
}

async function postError(path: string, doc: ErrorDocument): Promise<void> {
  await call('POST', path, JSON.stringify(doc), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType });
}

// ---- loading the handler ----------------------------------------------------------------------

async function loadModule(taskRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const base = resolvePath(taskRoot, moduleRoot, moduleName);
  // From this file, as AWS's runtime requires from /var/runtime/index.mjs: the last line of a
  // require stack names a file that exists.
  const requireFrom = createRequire(import.meta.url);
  const esm = modules.typeModuleAbove(dirname(base));
  const attempts: [string, 'cjs' | 'esm'][] = [
    [base, 'cjs'],
    [base + '.js', esm ? 'esm' : 'cjs'],
    [base + '.mjs', 'esm'],
    [base + '.cjs', 'cjs'],
  ];
  for (const [file, kind] of attempts) {
    if (!existsSync(file)) continue;
    if (kind === 'cjs') return requireFrom(file);
    modules.enableEsmHooks();
    return import(pathToFileURL(file).href);
  }
  // Node-style resolution from the task root (a package in node_modules).
  const resolved = requireFrom.resolve(moduleName, { paths: [taskRoot, resolvePath(taskRoot, moduleRoot)] });
  return requireFrom(resolved);
}

async function loadHandler(): Promise<Handler> {
  const full = env._HANDLER ?? '';
  if (full.includes('..')) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const slash = full.lastIndexOf('/');
  const moduleRoot = slash >= 0 ? full.slice(0, slash + 1) : '';
  const moduleAndPath = full.slice(slash + 1);
  const dot = moduleAndPath.indexOf('.');
  if (dot <= 0 || dot === moduleAndPath.length - 1) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = moduleAndPath.slice(0, dot);
  const propertyPath = moduleAndPath.slice(dot + 1);

  let app: unknown;
  try {
    app = await loadModule(taskRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(error), error.stack);
    const sdk = modules.missingSdkPackage(error);
    if (sdk) throw new RuntimeError('Runtime.ImportModuleError', `${String(error)}\n${missingSdkAdvice(sdk)}`);
    if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') throw new RuntimeError('Runtime.ImportModuleError', String(error));
    throw error;
  }
  let handler: unknown = app;
  for (const key of propertyPath.split('.')) handler = handler == null ? undefined : (handler as Record<string, unknown>)[key];
  if (!handler) throw new RuntimeError('Runtime.HandlerNotFound', `${full} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${full} is not a function`);
  const fn = handler as Handler;
  const isAsync = fn.constructor?.name === 'AsyncFunction';
  if (!isAsync && fn.length >= 3 && !/^nodejs(18|20|22)\.x$/.test(env.AWS_EXECUTION_ENV?.replace(/^AWS_Lambda_/, '') ?? '')) {
    throw new RuntimeError(
      'Runtime.CallbackHandlerDeprecated',
      'Callback-based function handlers are not supported from Node.js 24 on; use an async handler (see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).',
    );
  }
  return fn;
}

// ---- invoking ---------------------------------------------------------------------------------

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

let failCurrent: ((error: unknown) => void) | undefined;
/** Set by an uncaught exception: report the invocation's error, then end the process. */
let exitAfterReport = false;

function runHandler(handler: Handler, event: unknown, context: LambdaContext): Promise<Result> {
  return new Promise<Result>((resolve) => {
    let settled = false;
    let onEmptyLoop: (() => void) | undefined;
    const settle = (result: Result): void => {
      if (settled) return;
      settled = true;
      if (onEmptyLoop) process.removeListener('beforeExit', onEmptyLoop);
      failCurrent = undefined;
      resolve(result);
    };
    failCurrent = (error) => settle({ ok: false, error });
    const callback = (error?: unknown, value?: unknown): void => {
      const result: Result = error !== undefined && error !== null ? { ok: false, error } : { ok: true, value };
      if (!context.callbackWaitsForEmptyEventLoop) return settle(result);
      // Answer once nothing else is scheduled: 'beforeExit' fires when the event loop drains.
      if (onEmptyLoop) process.removeListener('beforeExit', onEmptyLoop);
      onEmptyLoop = () => settle(result);
      process.once('beforeExit', onEmptyLoop);
    };
    context.done = callback;
    context.succeed = (value) => callback(null, value);
    context.fail = (error) => callback(error ?? 'handled');
    try {
      const returned = handler(event, context, callback);
      if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(
          (value) => settle({ ok: true, value }),
          (error: unknown) => settle({ ok: false, error }),
        );
      } else if (handler.length < 3) {
        // A synchronous non-callback handler: its return value is the answer.
        settle({ ok: true, value: returned });
      } else if (!onEmptyLoop && !settled) {
        // A callback handler that has not called back: null once the event loop drains.
        onEmptyLoop = () => settle({ ok: true, value: null });
        process.once('beforeExit', onEmptyLoop);
      }
    } catch (error) {
      settle({ ok: false, error });
    }
  });
}

function contextFor(headers: Reply['headers']): LambdaContext {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const deadline = Number(header('lambda-runtime-deadline-ms'));
  const parse = (text: string | undefined): unknown => {
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const context: LambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: header('lambda-runtime-invoked-function-arn') ?? '',
    // A string, as in AWS's runtime.
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: header('lambda-runtime-aws-request-id') ?? '',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    identity: parse(header('lambda-runtime-cognito-identity')),
    clientContext: parse(header('lambda-runtime-client-context')),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    succeed: () => undefined,
    fail: () => undefined,
  };
  return context;
}

async function serve(handler: Handler): Promise<never> {
  for (;;) {
    const next = await call('GET', '/invocation/next');
    if (next.status !== 200) throw new Error(`Runtime API answered ${next.status} to /invocation/next`);
    const context = contextFor(next.headers);
    const requestId = context.awsRequestId;
    currentRequestId = requestId;
    const trace = next.headers['lambda-runtime-trace-id'];
    if (typeof trace === 'string') env._X_AMZN_TRACE_ID = trace;
    else delete env._X_AMZN_TRACE_ID;

    let event: unknown;
    try {
      event = next.body.length > 0 ? JSON.parse(next.body.toString('utf8')) : {};
    } catch {
      event = next.body.toString('utf8');
    }
    const result = await runHandler(handler, event, context);
    if (result.ok) {
      let body: string;
      try {
        body = JSON.stringify(result.value === undefined ? null : result.value) ?? 'null';
      } catch (error) {
        const doc = { errorType: 'Runtime.JSONStringifyError', errorMessage: `Unable to stringify response body: ${String(error)}`, trace: [] };
        logError('Invoke Error', doc);
        fence(requestId);
        await postError(`/invocation/${encodeURIComponent(requestId)}/error`, doc);
        continue;
      }
      fence(requestId);
      await call('POST', `/invocation/${encodeURIComponent(requestId)}/response`, body, { 'Content-Type': 'application/json' });
    } else {
      const doc = toErrorDocument(result.error);
      logError('Invoke Error', doc);
      fence(requestId);
      await postError(`/invocation/${encodeURIComponent(requestId)}/error`, doc);
    }
    if (exitAfterReport) process.exit(129);
  }
}

async function crash(kind: string, error: unknown): Promise<void> {
  const doc = toErrorDocument(error);
  if (kind === 'Runtime.UnhandledPromiseRejection' && !(error instanceof Error)) {
    doc.errorType = kind;
    doc.errorMessage = String(error);
  }
  logError(kind === 'Runtime.UnhandledPromiseRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception', doc);
  // The environment ends, as AWS's does: at once between invocations, else once the invocation's
  // error is reported.
  if (!failCurrent) process.exit(129);
  exitAfterReport = true;
  failCurrent(error);
}

process.on('uncaughtException', (error) => void crash('Runtime.UncaughtException', error));
process.on('unhandledRejection', (reason) => void crash('Runtime.UnhandledPromiseRejection', reason));

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const doc = toErrorDocument(error);
    logError('Uncaught Exception', doc);
    try {
      await postError('/init/error', doc);
    } finally {
      process.exit(129);
    }
  }
  await serve(handler);
}

main().catch((error: unknown) => {
  // The Runtime API went away (Stratus stopped): nothing left to serve.
  rawWrite(`Stratus runtime: ${String(error)}\n`);
  process.exit(1);
});
