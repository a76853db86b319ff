import { PermanentFailure, type DeadLetter, type Job, type RetryPolicy } from '../../delivery/index.js';
import { ServiceError } from '../../protocol/errors.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import type { Catalogue, LambdaFunction } from '../control/catalogue.js';
import type { FunctionRunner } from '../api/runner.js';
import { checkClientContext } from '../model/client-context.js';
import { LATEST } from '../model/names.js';
import { Destinations, invocationRecord, type Condition, type FunctionRef, type InvocationResult } from './destinations.js';
import { chooseVersion, MAX_ASYNC_PAYLOAD, specOf } from './invocation.js';

/** The job kind of one asynchronous invocation (Invoke with InvocationType Event, or the Lambda invoker). */
export const ASYNC_INVOKE_JOB = 'lambda.async';

/**
 * Lambda's asynchronous invocation defaults and limits ([D] Developer Guide, "How Lambda handles
 * errors and retries with asynchronous invocation"; PutFunctionEventInvokeConfig reference:
 * MaximumRetryAttempts 0–2, default 2; MaximumEventAgeInSeconds 60–21600, default 21600):
 * after a function error Lambda waits one minute before the second attempt and two minutes
 * before the third; throttles (429) and system errors (5xx) are retried "for up to 6 hours by
 * default" with an interval growing "exponentially from 1 second after the first attempt to a
 * maximum of 5 minutes".
 */
export const DEFAULT_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;
const FUNCTION_ERROR_FIRST_DELAY_MS = 60_000;
const FUNCTION_ERROR_MAX_DELAY_MS = 120_000;
const THROTTLE_FIRST_DELAY_MS = 1000;
const THROTTLE_MAX_DELAY_MS = 5 * 60_000;
/** While Stratus shuts down, an interrupted invocation is put back this much later (not counted). */
const SHUTDOWN_REQUEUE_MS = 1000;

/** One queued event, frozen when Lambda accepted it. */
export interface AsyncJobPayload {
  accountId: string;
  region: string;
  functionName: string;
  /** As invoked: absent (the unqualified function, i.e. $LATEST), a version or an alias. */
  qualifier?: string;
  requestId: string;
  /** The event, JSON text (or empty). */
  event: string;
  /**
   * Only in jobs stored by earlier Stratus versions, which kept Invoke's ClientContext unchecked.
   * Lambda passes a client context to synchronous invocations only, so it is never run with the
   * event; one AWS would have refused at Invoke fails the event without running it (run()).
   */
  clientContext?: string;
  /** When Lambda accepted the event (ms): MaximumEventAgeInSeconds counts from here. */
  acceptedAt: number;
  /** MaximumRetryAttempts and MaximumEventAgeInSeconds when the event was accepted. */
  retries: number;
  maxAgeSeconds: number;
  /** Runs of the function before this job (a throttled event continues in a new job). */
  runsBefore?: number;
  /** Throttles (or system errors) so far, for the backoff. */
  throttles?: number;
}

/** What the last attempt of a job found, kept for the dead-letter step that follows it at once. */
interface Attempt {
  runs: number;
  result?: InvocationResult;
}

export interface AcceptedEvent {
  fn: LambdaFunction;
  qualifier?: string;
  requestId: string;
  event: Buffer | string;
  traceId?: string;
}

/**
 * Lambda's asynchronous event queue on the delivery machine (DESIGN rule 2). Accepting an event
 * stores one job in the caller's write unit (rule 3: Invoke answers 202 only after). The job runs
 * the function through the same FunctionRunner as a synchronous Invoke and settles it as Lambda does:
 *
 * - success: the OnSuccess destination gets the invocation record;
 * - a function error (FunctionError set: handler errors, crashes, timeouts): retried under the
 *   job's policy, MaximumRetryAttempts times, one then two minutes apart; then the OnFailure
 *   destination gets the record (condition RetriesExhausted) and the DeadLetterConfig target the event;
 * - a throttle (TooManyRequestsException) or a system error (5xx, the runner failing): retried
 *   with backoff until the event's age runs out, without using up retry attempts. The delivery
 *   machine counts attempts per job, so such an event continues in a new job that carries the
 *   runs so far and the rest of the age window;
 * - too old (MaximumEventAgeInSeconds): condition EventAgeExceeded.
 *
 * Every delay goes through the delivery machine and so is shortened by the retry-delay scale
 * (`--fast-retries`), the age window with it. Delivery is at-least-once: a Stratus killed while a
 * function runs runs it again after the restart (AWS also warns of duplicate events).
 */
export class AsyncInvocations {
  /** Set when the functions service begins to stop: interrupted invocations go back to the queue. */
  stopping = false;
  private readonly attempts = new Map<number, Attempt>();
  readonly destinations: Destinations;

  constructor(
    private readonly runtime: Runtime,
    private readonly catalogue: Catalogue,
    private readonly runner: FunctionRunner,
  ) {
    this.destinations = new Destinations(runtime);
  }

  register(): void {
    this.destinations.register();
    this.runtime.delivery.register<AsyncJobPayload>(ASYNC_INVOKE_JOB, {
      // Events run this many at once per Stratus process; each function's own concurrency
      // (reserved, or the account's) still applies inside the runner and throttles the rest.
      concurrency: 64,
      // An attempt may run as long as the longest function timeout (900 s) before another
      // process may take the job over.
      leaseMs: 16 * 60_000,
      handle: (job) => this.run(job),
      onDeadLetter: (job, failure, tx) => this.failed(job, failure, tx),
    });
  }

  private get scale(): number {
    return this.runtime.config.retryDelayScale;
  }

  /** Stores the event in `tx` as a job; the caller answers once `tx` committed. */
  async enqueue(tx: WriteTx, accepted: AcceptedEvent): Promise<void> {
    const { fn } = accepted;
    const config = fn.eventInvokeConfigs.get(accepted.qualifier ?? LATEST);
    const payload: AsyncJobPayload = {
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.name,
      requestId: accepted.requestId,
      event: typeof accepted.event === 'string' ? accepted.event : accepted.event.toString('utf8'),
      acceptedAt: this.runtime.clock.now(),
      retries: config?.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
      maxAgeSeconds: config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
    };
    if (accepted.qualifier !== undefined) payload.qualifier = accepted.qualifier;
    await this.runtime.delivery.enqueue(tx, {
      kind: ASYNC_INVOKE_JOB,
      payload,
      traceId: accepted.traceId ?? accepted.requestId,
      policy: this.policy(payload, 0, payload.acceptedAt),
    });
  }

  /**
   * The delivery policy of a job that starts at `startsAt` after `runsBefore` runs: the retry
   * attempts left, the function-error delays continuing where they were (60 s · 2^runs, at most
   * 2 min), and what is left of the age window (unscaled, as the machine scales it).
   */
  private policy(p: AsyncJobPayload, runsBefore: number, startsAt: number): RetryPolicy {
    return {
      maxAttempts: Math.max(1, p.retries + 1 - runsBefore),
      maxAgeMs: Math.max(0, p.maxAgeSeconds * 1000 - (startsAt - p.acceptedAt) / this.scale),
      baseDelayMs: Math.min(FUNCTION_ERROR_MAX_DELAY_MS, FUNCTION_ERROR_FIRST_DELAY_MS * 2 ** runsBefore),
      maxDelayMs: FUNCTION_ERROR_MAX_DELAY_MS,
      multiplier: 2,
      jitter: 'none',
    };
  }

  private ref(fn: LambdaFunction, p: AsyncJobPayload): FunctionRef {
    return { accountId: fn.accountId, region: fn.region, functionArn: fn.arn(p.qualifier ?? LATEST) };
  }

  private async run(job: Job<AsyncJobPayload>): Promise<void> {
    const p = job.payload;
    this.attempts.delete(job.id);
    const runsBefore = p.runsBefore ?? 0;
    // Runs so far, this attempt included (an attempt that did not reach the function subtracts itself).
    const runs = runsBefore + job.attempts;
    const fn = this.catalogue.get(p.accountId, p.region, p.functionName);
    if (!fn) {
      // Deleted with its event invoke config and DeadLetterConfig: nowhere left to report to.
      this.runtime.log.warn('lambda: an asynchronous event was dropped: its function no longer exists', { requestId: p.requestId, function: p.functionName });
      return;
    }
    const now = this.runtime.clock.now();
    const deadline = p.acceptedAt + p.maxAgeSeconds * 1000 * this.scale;
    if (now > deadline) {
      // Waited too long in the queue (Stratus was down, say): it is not run any more.
      this.attempts.set(job.id, { runs: runs - 1, result: lastResult(job) });
      throw new PermanentFailure(`The event is older than MaximumEventAgeInSeconds (${p.maxAgeSeconds}).`, 'EventAgeExceeded');
    }
    let config;
    try {
      config = chooseVersion(fn, p.qualifier);
    } catch {
      this.runtime.log.warn('lambda: an asynchronous event was dropped: its version or alias no longer exists', { requestId: p.requestId, function: fn.arn(p.qualifier) });
      return;
    }
    try {
      checkClientContext(p.clientContext);
    } catch (error) {
      // A job stored before Invoke checked client contexts, with one AWS refuses
      // (InvalidRequestContentException): the event never runs and goes the dead-letter way.
      const { code, message } = error as ServiceError;
      this.attempts.set(job.id, { runs: runs - 1, result: { statusCode: 400, executedVersion: config.version, errorMessage: message } });
      throw new PermanentFailure(message, code);
    }
    if (fn.reservedConcurrency === 0) {
      // "When you set reserved concurrency to zero for an asynchronously invoked function, Lambda
      // begins sending new events to the configured dead-letter queue or the on-failure event
      // destination, without any retries" ([D] "Capturing records of Lambda asynchronous invocations").
      this.attempts.set(job.id, { runs: runs - 1, result: { statusCode: 429, executedVersion: config.version, errorMessage: 'Rate Exceeded.' } });
      throw new PermanentFailure('Reserved concurrency is 0.', 'TooManyRequestsException');
    }
    let outcome;
    try {
      outcome = await this.runner.invoke(await specOf(this.catalogue.code, fn, config), Buffer.from(p.event, 'utf8'), { requestId: p.requestId, invokedFunctionArn: fn.arn(p.qualifier) }, {
        maxResponseBytes: MAX_ASYNC_PAYLOAD,
        reservedConcurrency: fn.reservedConcurrency,
        invocationType: 'Event',
      });
    } catch (error) {
      return this.notRun(job, error, runs - 1, config.version, deadline);
    }
    const responsePayload = outcome.payload.toString('utf8');
    if (outcome.functionError !== undefined) {
      if (this.stopping) return this.continueLater(job, runs - 1, p.throttles ?? 0, this.runtime.clock.now() + SHUTDOWN_REQUEUE_MS);
      const result: InvocationResult = { statusCode: 200, executedVersion: config.version, functionError: outcome.functionError, responsePayload, errorMessage: errorMessageOf(responsePayload) };
      this.attempts.set(job.id, { runs, result });
      // The machine retries it under the job's policy or dead-letters it (failed() below).
      throw new FunctionErrorFailure(result.errorMessage ?? outcome.functionError, outcome.functionError);
    }
    const destination = fn.eventInvokeConfigs.get(p.qualifier ?? LATEST)?.destinationConfig.OnSuccess.Destination;
    if (destination === undefined) return;
    const record = invocationRecord({
      requestId: p.requestId,
      functionArn: this.ref(fn, p).functionArn,
      condition: 'Success',
      approximateInvokeCount: runs,
      requestPayload: p.event,
      result: { statusCode: 200, executedVersion: config.version, responsePayload },
      timestamp: this.runtime.clock.now(),
    });
    // Its own write unit: the machine completes this job after it, so a crash in between runs the
    // event again (at-least-once), never loses the record.
    await this.runtime.store.write((tx) => this.destinations.enqueueRecord(tx, destination, 'OnSuccess', this.ref(fn, p), p.requestId, record, job.traceId ?? undefined));
  }

  /** The function did not run: throttled, a system error, or Stratus stopping under it. */
  private async notRun(job: Job<AsyncJobPayload>, error: unknown, runs: number, version: string, deadline: number): Promise<void> {
    const p = job.payload;
    const now = this.runtime.clock.now();
    if (this.stopping) return this.continueLater(job, runs, p.throttles ?? 0, now + SHUTDOWN_REQUEUE_MS);
    const status = error instanceof ServiceError ? error.status : 500;
    const code = error instanceof ServiceError ? error.code : 'ServiceException';
    const message = error instanceof Error ? error.message : String(error);
    const result: InvocationResult = { statusCode: status, executedVersion: version, errorMessage: message };
    const retryable = code === 'TooManyRequestsException' || (status >= 500 && code !== 'InvalidRuntimeException');
    if (!retryable) {
      this.attempts.set(job.id, { runs, result });
      throw new PermanentFailure(message, code);
    }
    const throttles = (p.throttles ?? 0) + 1;
    const delay = Math.min(THROTTLE_MAX_DELAY_MS, THROTTLE_FIRST_DELAY_MS * 2 ** (throttles - 1));
    // Equal jitter: throttled events of one burst do not all come back at the same moment.
    const runAt = now + Math.round((delay / 2 + (Math.random() * delay) / 2) * this.scale);
    if (runAt > deadline) {
      this.attempts.set(job.id, { runs, result });
      throw new PermanentFailure(`${message} (retried until MaximumEventAgeInSeconds ran out)`, 'EventAgeExceeded');
    }
    this.runtime.log.debug('lambda: asynchronous invocation throttled; retrying', { requestId: p.requestId, function: p.functionName, error: code, throttles });
    await this.continueLater(job, runs, throttles, runAt);
  }

  /**
   * The event continues in a new job at `runAt`, with its runs and throttles so far: the attempt
   * that did not run the function does not use up a retry. This job then completes. (Two write
   * units: a crash between them leaves both jobs, so the event may run twice, never not at all.)
   */
  private async continueLater(job: Job<AsyncJobPayload>, runs: number, throttles: number, runAt: number): Promise<void> {
    const payload: AsyncJobPayload = { ...job.payload, runsBefore: runs, throttles };
    await this.runtime.store.write((tx) =>
      this.runtime.delivery.enqueue(tx, { kind: ASYNC_INVOKE_JOB, payload, runAt, traceId: job.traceId ?? undefined, policy: this.policy(payload, runs, runAt) }),
    );
  }

  /**
   * The event failed for good (inside the write unit that deletes its job): the OnFailure
   * destination gets the record and the DeadLetterConfig target gets the event. AWS lets both be
   * set ("You can configure destinations in addition to or instead of a dead-letter queue",
   * PutFunctionEventInvokeConfig reference), so both receive it.
   */
  private async failed(job: Job<AsyncJobPayload>, failure: DeadLetter, tx: WriteTx): Promise<void> {
    const p = job.payload;
    const attempt = this.attempts.get(job.id);
    this.attempts.delete(job.id);
    const fn = this.catalogue.get(p.accountId, p.region, p.functionName);
    if (!fn) return;
    const condition: Condition =
      failure.reason === 'MaximumEventAgeInSeconds' || failure.error.code === 'EventAgeExceeded' ? 'EventAgeExceeded' : 'RetriesExhausted';
    const result = attempt?.result ?? lastResult(job);
    const runs = attempt?.runs ?? (p.runsBefore ?? 0) + job.attempts;
    const onFailure = fn.eventInvokeConfigs.get(p.qualifier ?? LATEST)?.destinationConfig.OnFailure.Destination;
    const version = result?.executedVersion !== undefined ? fn.version(result.executedVersion) : undefined;
    const deadLetterArn = (version ?? fn.latest).deadLetterArn;
    const ref = this.ref(fn, p);
    const traceId = job.traceId ?? undefined;
    this.runtime.log.info('lambda: asynchronous invocation failed', {
      requestId: p.requestId, function: ref.functionArn, condition, invokeCount: runs, error: failure.error, onFailure, deadLetter: deadLetterArn,
    });
    if (onFailure !== undefined) {
      const record = invocationRecord({
        requestId: p.requestId,
        functionArn: ref.functionArn,
        condition,
        approximateInvokeCount: runs,
        requestPayload: p.event,
        result,
        timestamp: this.runtime.clock.now(),
      });
      await this.destinations.enqueueRecord(tx, onFailure, 'OnFailure', ref, p.requestId, record, traceId);
    }
    if (deadLetterArn !== undefined) await this.destinations.enqueueDeadLetter(tx, deadLetterArn, ref, p.requestId, p.event, result, traceId);
  }
}

/** A function error: retried by the delivery machine like any failed job. */
class FunctionErrorFailure extends Error {
  override name = 'FunctionError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** What is known of an earlier attempt after a restart: only its stored error. */
function lastResult(job: Job<AsyncJobPayload>): InvocationResult | undefined {
  const error = job.lastError;
  if (!error) return undefined;
  if (error.code === 'Unhandled' || error.code === 'Handled') return { statusCode: 200, functionError: error.code, errorMessage: error.message };
  if (error.code === 'TooManyRequestsException') return { statusCode: 429, errorMessage: error.message };
  return { statusCode: 500, errorMessage: error.message };
}

/** The errorMessage of a runtime's error document ({"errorType","errorMessage",...}). */
function errorMessageOf(payload: string): string | undefined {
  try {
    const doc = JSON.parse(payload) as { errorMessage?: unknown; errorType?: unknown };
    if (typeof doc.errorMessage === 'string' && doc.errorMessage !== '') return doc.errorMessage;
    if (typeof doc.errorType === 'string') return doc.errorType;
  } catch {
    // not JSON: use the text
  }
  return payload.slice(0, 1024) || undefined;
}
