import { lambdaErrors } from '../model/errors.js';

/**
 * What Invoke needs from the execution environments (src/functions/engine, built separately):
 * run one invocation of one function version and report what came back. The engine's
 * `ExecutionEnvironments` satisfies this interface; until it is wired in, the service runs with
 * `unavailableRunner`, and tests inject fakes (createFunctionsService({ runner })).
 */
export interface FunctionSpec {
  /** Qualified ARN of the version that runs (`…:function:name:$LATEST`, `…:name:3`). */
  functionArn: string;
  functionName: string;
  /** `$LATEST` or a version number (aliases are resolved before this point). */
  version: string;
  accountId: string;
  region: string;
  runtime: string;
  handler: string;
  /** The folder the code runs from (the extracted .zip, or a hot-reload folder used in place). */
  codeDir: string;
  /** Extracted layer folders, in the function's order (empty until layers are stored). */
  layerDirs: string[];
  environment: Record<string, string>;
  memorySize: number;
  /** Seconds. */
  timeout: number;
  /** CodeSha256: environments for different code never mix. */
  codeHash: string;
}

export interface InvokeRequestContext {
  requestId: string;
  traceId?: string;
  /** X-Amz-Client-Context as sent (base64 JSON). */
  clientContext?: string;
  cognitoIdentity?: string;
}

export interface InvokeOutcome {
  payload: Buffer;
  functionError?: 'Unhandled' | 'Handled';
  /** The invocation's log lines; Invoke returns the last 4 KB base64 with LogType Tail. */
  logTail: string;
  durationMs: number;
  billedDurationMs: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
}

export interface InvokeLimits {
  /** Largest response payload for this invocation type (6 MB synchronous, 256 KB asynchronous). */
  maxResponseBytes: number;
  /** The function's reserved concurrency, when set (0 throttles every invocation). */
  reservedConcurrency?: number;
  invocationType: 'RequestResponse' | 'Event';
}

export interface FunctionRunner {
  /**
   * Runs one invocation. Errors the caller should see as Lambda errors (TooManyRequestsException,
   * a ServiceException for an environment that failed to start …) are thrown as ServiceError;
   * anything else becomes a ServiceException.
   */
  invoke(spec: FunctionSpec, payload: Buffer, context: InvokeRequestContext, limits: InvokeLimits): Promise<InvokeOutcome>;
}

/** The runner of a Stratus built without execution environments. */
export const unavailableRunner: FunctionRunner = {
  invoke() {
    return Promise.reject(
      lambdaErrors.service('Execution environments are not available in this Stratus build: functions can be stored and configured but not run yet.'),
    );
  },
};
