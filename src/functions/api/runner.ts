
/**
 * What Invoke needs from the execution environments (src/functions/engine, built separately):
 * run one invocation of one function version and report what came back. The engine's
 * EnvironmentRunner (src/functions/engine/environment-runner.ts) is the real one; tests may inject
 * fakes (createFunctionsService({ runner })).
 */
export type { FunctionSpec, InvokeOutcome, InvokeRequestContext } from '../engine/types.js';
import type { FunctionSpec, InvokeOutcome, InvokeRequestContext } from '../engine/types.js';

/** What the API knows of an invocation's limits; the runner turns them into the engine's. */
export interface RunLimits {
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
  invoke(spec: FunctionSpec, payload: Buffer, context: InvokeRequestContext, limits: RunLimits): Promise<InvokeOutcome>;
  /**
   * The function (unqualified ARN), or one `version` of it, is gone: whatever runs it stops,
   * idle environments at once, busy ones once their invocation has answered.
   */
  retire?(functionArn: string, version?: string): Promise<void>;
}
