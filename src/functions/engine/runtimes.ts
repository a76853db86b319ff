import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { compiledFile, packageRoot } from '../../core/package-root.js';
import { linkFunctionSdk } from './function-sdk.js';
import type { FunctionSpec } from './types.js';
import { UnsupportedRuntimeError } from './types.js';

/**
 * How each runtime is started on the host, and the environment it gets.
 *
 * - `nodejs20.x` / `nodejs22.x` / `nodejs24.x`: Stratus's Node bootstrap
 *   (src/functions/runtimes/node/bootstrap.ts, compiled to dist) on the host's `node` — the one
 *   running Stratus, whatever its version. The heap is bounded with `--max-old-space-size` at 90%
 *   of MemorySize (Stratus's choice, leaving room for code, stacks and buffers outside the V8
 *   heap); running out ends the process, which the caller sees as Runtime.ExitError as on AWS. The
 *   AWS SDK the function sees is FUNCTION_SDK_DIR (function-sdk.ts).
 * - `python3.x`: src/functions/runtimes/python/bootstrap.py (standard library only) on the host's
 *   `python3.x` if installed, else `python3`, with the packages that interpreter has (boto3 only if
 *   it is installed there). No rlimit (one on address space breaks CPython's allocator and threads):
 *   the environment's memory watch bounds it (environment.ts).
 * - Where the host lacks the runtime's exact version, `Launch.substitute` says what runs it instead;
 *   the environment writes that once in its log stream, the server once per runtime.
 * - `provided.al2023` / `provided.al2`: the function's own `bootstrap` executable from the code
 *   directory, else from a layer (AWS looks in /var/task then /opt). Bounded by the memory watch.
 */

export type RuntimeFamily = 'node' | 'python' | 'provided';

export function runtimeFamily(runtime: string): RuntimeFamily {
  if (/^nodejs\d+\.x$/.test(runtime)) return 'node';
  if (/^python3\.\d+$/.test(runtime)) return 'python';
  if (runtime === 'provided' || runtime.startsWith('provided.')) return 'provided';
  throw new UnsupportedRuntimeError(runtime);
}

/** The compiled Node bootstrap (found by path: it runs in the function's own process). */
export const NODE_BOOTSTRAP = compiledFile('functions/runtimes/node/bootstrap.js');
/** The AWS SDK of the Node.js runtimes: `<LAMBDA_RUNTIME_DIR>/node_modules`, as /var/runtime/node_modules at AWS. */
export const FUNCTION_SDK_DIR = join(dirname(NODE_BOOTSTRAP), 'node_modules');
export const PYTHON_BOOTSTRAP = join(packageRoot(), 'src', 'functions', 'runtimes', 'python', 'bootstrap.py');

export interface Launch {
  command: string;
  args: string[];
  /** LAMBDA_RUNTIME_DIR. */
  runtimeDir: string;
  /** What runs the function when the host lacks the runtime's exact version: `Node.js 20.20.2`, `Python 3.11.2 (/usr/bin/python3)`. */
  substitute?: string;
}

/** The sentence an environment's log stream and the server log carry when a runtime is substituted. */
export function substitutionNotice(runtime: string, substitute: string): string {
  const wanted = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  const missing = wanted ? `Node.js ${wanted}` : `Python ${/^python(3\.\d+)$/.exec(runtime)?.[1] ?? runtime}`;
  return `Stratus: this host has no ${missing}, so ${runtime} runs on ${substitute}`;
}

let sdkReady = false;

/** A failure to find what to run, reported to the caller as the invocation's error. */
export class LaunchError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export function launchFor(spec: FunctionSpec): Launch {
  switch (runtimeFamily(spec.runtime)) {
    case 'node': {
      if (!sdkReady) {
        linkFunctionSdk(packageRoot(), FUNCTION_SDK_DIR, { replace: false });
        sdkReady = true;
      }
      const heapMb = Math.max(16, Math.floor(spec.memorySize * 0.9));
      const launch: Launch = { command: process.execPath, args: [`--max-old-space-size=${heapMb}`, NODE_BOOTSTRAP], runtimeDir: dirname(NODE_BOOTSTRAP) };
      if (/^nodejs(\d+)\.x$/.exec(spec.runtime)?.[1] !== process.versions.node.split('.')[0]) launch.substitute = `Node.js ${process.versions.node}`;
      return launch;
    }
    case 'python': {
      const python = pythonFor(spec.runtime);
      const launch: Launch = { command: python.path, args: ['-u', PYTHON_BOOTSTRAP], runtimeDir: dirname(PYTHON_BOOTSTRAP) };
      const wanted = /^python(3\.\d+)$/.exec(spec.runtime)?.[1];
      if (python.version.split('.').slice(0, 2).join('.') !== wanted) launch.substitute = `Python ${python.version || 'of unknown version'} (${python.path})`;
      return launch;
    }
    case 'provided': {
      // Layers are merged into /opt in order, a later one over an earlier one: the last layer's bootstrap wins.
      const candidates = [join(spec.codeDir, 'bootstrap'), ...[...spec.layerDirs].reverse().map((d) => join(d, 'bootstrap'))];
      const found = candidates.find(isExecutableFile);
      if (!found) {
        // AWS: Runtime.InvalidEntrypoint, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"
        // (Lambda Developer Guide, "Troubleshoot invocation issues": Couldn't find valid bootstrap).
        throw new LaunchError('Runtime.InvalidEntrypoint', `Couldn't find valid bootstrap(s): [${candidates.join(' ')}]`);
      }
      return { command: found, args: [], runtimeDir: spec.codeDir };
    }
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Python {
  path: string;
  /** `3.11.2`; empty when the interpreter could not be asked. */
  version: string;
}

const pythonCache = new Map<string, Python>();

/**
 * The interpreter for `python3.12`: that version if it runs here, else `python3`; resolved once to
 * the real executable (`sys.executable`) and its version, so a version manager's shim (pyenv) is
 * neither trusted blindly (it can stand on PATH for a version that is not installed) nor paid for
 * at every start.
 */
function pythonFor(runtime: string): Python {
  let found = pythonCache.get(runtime);
  if (!found) {
    const probe = (command: string): Python | undefined => {
      const r = spawnSync(command, ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 10_000 });
      const [path, version] = r.status === 0 ? r.stdout.trim().split('\n') : [];
      return path ? { path, version: version?.trim() ?? '' } : undefined;
    };
    found = probe(runtime) ?? probe('python3') ?? { path: 'python3', version: '' };
    pythonCache.set(runtime, found);
  }
  return found;
}

/**
 * Variables AWS reserves: a function's configuration cannot set them (Lambda Developer Guide,
 * "Working with Lambda environment variables", Defined runtime environment variables). The API
 * should refuse them at CreateFunction / UpdateFunctionConfiguration; the engine ignores them.
 */
export const RESERVED_ENVIRONMENT_VARIABLES: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
];
const RESERVED = new Set(RESERVED_ENVIRONMENT_VARIABLES);

export interface EnvironmentInputs {
  spec: FunctionSpec;
  launch: Launch;
  runtimeApi: string;
  logStreamName: string;
  endpointUrl: string;
}

/** The process environment of an execution environment: AWS's variables, then the function's unreserved ones. */
export function buildEnvironment({ spec, launch, runtimeApi, logStreamName, endpointUrl }: EnvironmentInputs): Record<string, string> {
  const family = runtimeFamily(spec.runtime);
  // "The order in which you add the layers is the order in which Lambda merges the layer content
  // into the execution environment" (Developer Guide, "Adding layers to functions"): a later layer's
  // files win over an earlier one's in the one /opt. Here each layer is its own folder, so search
  // paths list the last layer first.
  const layers = [...spec.layerDirs].reverse();
  const nodeMajor = /^nodejs(\d+)\.x$/.exec(spec.runtime)?.[1];
  const pythonVersion = /^python(3\.\d+)$/.exec(spec.runtime)?.[1];
  const join_ = (parts: string[]) => parts.filter(Boolean).join(delimiter);

  const env: Record<string, string> = {
    // Unreserved defaults a function may override (Lambda Developer Guide, unreserved variables).
    LANG: 'en_US.UTF-8',
    // AWS: /usr/local/bin:/usr/bin/:/bin:/opt/bin. Here the host's PATH (to find node, python3,
    // sh) with the directory of Stratus's own node first and each layer's bin/ as /opt/bin.
    PATH: join_([dirname(process.execPath), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...layers.map((d) => join(d, 'bin'))]),
    // AWS: …:$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib:/opt/lib
    LD_LIBRARY_PATH: join_([process.env.LD_LIBRARY_PATH ?? '', spec.codeDir, join(spec.codeDir, 'lib'), ...layers.map((d) => join(d, 'lib'))]),
  };
  if (family === 'node') {
    // AWS: /opt/nodejs/nodeNN/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:
    // /var/runtime:/var/task (its runtime bootstrap script); the runtime's node_modules holds the
    // AWS SDK for JavaScript v3 (function-sdk.ts). Not the runtime folder itself: here it holds
    // nothing a function should load.
    env.NODE_PATH = join_([
      ...layers.flatMap((d) => [nodeMajor ? join(d, 'nodejs', `node${nodeMajor}`, 'node_modules') : '', join(d, 'nodejs', 'node_modules')]),
      join(launch.runtimeDir, 'node_modules'),
      spec.codeDir,
    ]);
    // The SDK's own switch for its NodeVersionSupportWarning ("versions published after … will
    // require node >=22"), which it emits on Node < 22 at the first client: AWS writes no such line
    // in a function's log, and a nodejs22.x function here may run on the host's Node 20.
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
  if (family === 'python') {
    // AWS: /opt/python/lib/python3.x/site-packages:/opt/python, then the runtime's own dir.
    env.PYTHONPATH = join_([
      ...layers.flatMap((d) => [pythonVersion ? join(d, 'python', 'lib', `python${pythonVersion}`, 'site-packages') : '', join(d, 'python')]),
      launch.runtimeDir,
    ]);
  }
  // Point the SDKs inside the function back at Stratus (AWS SDKs read AWS_ENDPOINT_URL). Not
  // reserved at AWS, so a function may set its own.
  env.AWS_ENDPOINT_URL = endpointUrl;

  for (const [name, value] of Object.entries(spec.environment)) {
    if (!RESERVED.has(name)) env[name] = value;
  }

  Object.assign(env, {
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: launch.runtimeDir,
    TZ: ':UTC',
    // Credentials of the execution role, as test credentials for the function's account: an access
    // key of 12 digits names that account at Stratus (DESIGN, Identity).
    AWS_ACCESS_KEY_ID: spec.accountId,
    AWS_SECRET_ACCESS_KEY: 'stratus-function-secret',
    AWS_SESSION_TOKEN: `stratus-function-session-${spec.functionName}`,
  });
  // AWS sets the runtime identifier for managed runtimes only (AWS_Lambda_nodejs20.x, …).
  if (family !== 'provided') env.AWS_EXECUTION_ENV = `AWS_Lambda_${spec.runtime}`;
  // The folders the layers stand for (/opt), which the Node bootstrap keeps modules from walking
  // out of; it reads this and takes it out of the environment the function sees.
  if (family === 'node') env._STRATUS_LAYER_DIRS = join_(spec.layerDirs);
  return env;
}
