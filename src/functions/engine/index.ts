/**
 * Lambda's data plane core: execution environments that run function code and speak the Lambda
 * Runtime API. The control plane (CreateFunction, Invoke, …) calls this and nothing below it.
 *
 * ```ts
 * const environments = new ExecutionEnvironments({ runtime, endpointUrl: () => stratusUrl, onLogs });
 * const outcome = await environments.invoke(spec, payload, { requestId }, { concurrency: 1000 });
 * ```
 *
 * Design
 * - An execution environment is a child process: Stratus's Node bootstrap on the host `node`
 *   (nodejs20.x/22.x/24.x), Stratus's Python bootstrap on the host `python3` (python3.x), or the
 *   function's own `bootstrap` executable (provided.al2023/provided.al2). It runs Init once, then
 *   one invocation at a time, pulled from the Runtime API, until it is retired (environment.ts).
 * - The Runtime API (runtime-api.ts) is one HTTP server behind one loopback port per environment,
 *   so `AWS_LAMBDA_RUNTIME_API` is a plain `127.0.0.1:<port>` as every runtime client expects and
 *   the port tells Stratus which environment is calling. `/invocation/next` is held until work arrives.
 * - The pool (environment-pool.ts) keys warm environments by (function ARN, version, code hash),
 *   reuses the most recently used idle one, starts a new one only below the caller's concurrency
 *   limit (counted per unqualified function ARN, across versions; beyond it TooManyRequestsError),
 *   shuts idle ones down after `idleMs` (runtime.clock timers, default 5 minutes) and retires a
 *   function's environments on `flush` (idle ones now, busy ones when their invocation ends).
 * - Failures follow AWS: handler errors are the runtime's error document; init errors
 *   (Runtime.ImportModuleError, Runtime.HandlerNotFound, Runtime.UserCodeSyntaxError) are answered
 *   to the invocation that caused the cold start and the environment is discarded; a timeout kills
 *   the process group and answers Sandbox.Timedout "RequestId: … Error: Task timed out after N.NN
 *   seconds"; a runtime that exits mid-invocation answers Runtime.ExitError. `functionError` is
 *   always `Unhandled`, as current AWS runtimes report.
 * - Logs: each invocation's output plus START / END / REPORT (and INIT_REPORT on a failed init)
 *   goes to `onLogs(spec, streamName, events)` once the invocation ends, output between
 *   invocations shortly after it is written; one stream per environment,
 *   `YYYY/MM/DD/[version]<32 hex>`. The outcome carries the last 4 KB as `logTail`.
 * - The process environment: AWS's defined variables (AWS_LAMBDA_FUNCTION_NAME, _HANDLER,
 *   LAMBDA_TASK_ROOT, AWS_LAMBDA_RUNTIME_API, TZ=:UTC, …), NODE_PATH / PYTHONPATH /
 *   LD_LIBRARY_PATH / PATH with each layer directory standing in for /opt, credentials naming the
 *   function's account (access key = the 12-digit account id), AWS_ENDPOINT_URL pointing back at
 *   Stratus, then the function's variables — reserved names (RESERVED_ENVIRONMENT_VARIABLES) are
 *   ignored, so the API should reject them as AWS does.
 * - Memory: every runtime process is sampled while it runs an invocation and killed past
 *   MemorySize (Runtime.OutOfMemory); Node's heap is also bounded with --max-old-space-size (90% of
 *   MemorySize). "Max Memory Used" is the process's peak RSS (VmHWM).
 *
 * Interface notes for the API: as agreed, plus (1) `limits.reason` (optional) chooses the
 * TooManyRequestsException Reason, default ReservedFunctionConcurrentInvocationLimitExceeded;
 * (2) an unsupported runtime throws UnsupportedRuntimeError (validate at CreateFunction);
 * (3) `spec.functionArn` is sent to the runtime as the invoked function ARN, so pass the ARN that
 * was invoked (qualified by version or alias when it was).
 *
 * Not here yet: asynchronous invocation and its retries/destinations, event source mappings,
 * layer extraction (the caller passes unpacked directories), response streaming, extensions,
 * SnapStart, container images.
 */
export { ExecutionEnvironments, DEFAULT_IDLE_MS, unqualified, type ExecutionEnvironmentsOptions } from './environment-pool.js';
export { RESERVED_ENVIRONMENT_VARIABLES, runtimeFamily } from './runtimes.js';
export { MAX_RESPONSE_BYTES } from './runtime-api.js';
export {
  TooManyRequestsError,
  UnsupportedRuntimeError,
  type FunctionSpec,
  type InvokeLimits,
  type InvokeOutcome,
  type InvokeRequestContext,
  type LogEvent,
  type LogSink,
} from './types.js';
