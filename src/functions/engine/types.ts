/** The contract between the Lambda control plane (API) and the execution-environment engine. */

/** Everything the engine needs to run one version of a function. */
export interface FunctionSpec {
  /** The function's ARN as the API names it (qualified or not; concurrency counts per unqualified ARN). */
  functionArn: string;
  functionName: string;
  /** `$LATEST` or a published version number. */
  version: string;
  accountId: string;
  region: string;
  /** `nodejs20.x`, `nodejs22.x`, `nodejs24.x`, `python3.x`, `provided.al2023`, `provided.al2`. */
  runtime: string;
  handler: string;
  /** The unpacked deployment package (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** Unpacked layers, in the function's layer order (each plays the part of `/opt`). */
  layerDirs: string[];
  /** The function's own environment variables (reserved names are ignored). */
  environment: Record<string, string>;
  /** MB. */
  memorySize: number;
  /** Seconds. */
  timeout: number;
  /** Changes whenever code or configuration changes: a new hash gets fresh environments. */
  codeHash: string;
}

export interface InvokeRequestContext {
  requestId: string;
  /**
   * The ARN the caller invoked (`context.invokedFunctionArn`): unqualified, or with the version or
   * alias it named (Developer Guide, "Lambda context object"). Default: the spec's ARN.
   */
  invokedFunctionArn?: string;
  /** X-Ray trace header value (`Root=1-…;Parent=…;Sampled=0`), passed to the runtime as is. */
  traceId?: string;
  /** The Invoke `ClientContext` (base64 JSON at the API; passed to the runtime decoded, as AWS does). */
  clientContext?: string;
  cognitoIdentity?: string;
}

export interface InvokeOutcome {
  /** The function's answer, or the AWS-shaped error document when `functionError` is set. */
  payload: Buffer;
  /**
   * Set when the invocation failed. Current AWS runtimes only ever yield `Unhandled` (handler
   * errors, init errors, timeouts, crashes); `Handled` stays in the type for completeness.
   */
  functionError?: 'Unhandled' | 'Handled';
  /** The last 4 KB of this invocation's log (plain text; the API base64-encodes it for LogType Tail). */
  logTail: string;
  durationMs: number;
  billedDurationMs: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start. */
  initDurationMs?: number;
}

export interface InvokeLimits {
  /** Most environments of this function (all versions) busy at once; beyond it invoke rejects. */
  concurrency: number;
  /**
   * The TooManyRequestsException `Reason` to give when `concurrency` is exceeded (extension of the
   * agreed interface: only the caller knows whether the limit came from reserved concurrency).
   * Default `ReservedFunctionConcurrentInvocationLimitExceeded`.
   */
  reason?: string;
}

/**
 * No environment is free and the concurrency limit is reached. The API maps it to AWS's
 * `TooManyRequestsException` (HTTP 429, message "Rate Exceeded.") with `Reason` set to `reason`
 * (`ReservedFunctionConcurrentInvocationLimitExceeded` or `ConcurrentInvocationLimitExceeded`;
 * Lambda API Reference, Invoke errors).
 */
export class TooManyRequestsError extends Error {
  constructor(
    readonly reason: string,
    message = 'Rate Exceeded.',
  ) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

/** A runtime the engine cannot run (the API should have refused it at CreateFunction). */
export class UnsupportedRuntimeError extends Error {
  constructor(readonly runtime: string) {
    super(`The runtime ${runtime} is not supported by Stratus.`);
    this.name = 'UnsupportedRuntimeError';
  }
}

export interface LogEvent {
  timestamp: number;
  message: string;
}

export type LogSink = (spec: FunctionSpec, streamName: string, events: LogEvent[]) => void;
