import { randomUUID } from 'node:crypto';
import { InvokeError, parseArn, type SourceMessage } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import type { Runtime } from '../../server/runtime.js';
import { resolveQualifier } from '../api/common.js';
import { MAX_SYNC_PAYLOAD, specOf } from '../api/invoke-actions.js';
import type { FunctionRunner } from '../api/runner.js';
import type { Catalogue, EventSourceMapping, LambdaFunction, VersionConfig } from '../control/catalogue.js';
import { SQS_NON_EXISTENT_QUEUE } from '../model/errors.js';
import { compileFilters, failedMessageIds, recordsThatFit, sqsRecord, type RecordFilter, type SqsRecord } from './sqs-batch.js';

/**
 * SQS event source mappings, running: for every enabled mapping, pollers long-poll the queue
 * through the message-source registry (runtime.sources; never the queue service itself, DESIGN
 * rule 1), gather a batch, filter it, invoke the function synchronously through the
 * FunctionRunner and delete what succeeded. Facts from the Lambda Developer Guide:
 *  - "Using Lambda with Amazon SQS": Lambda long-polls; a batch is sent when BatchSize messages
 *    are gathered, MaximumBatchingWindowInSeconds passes, or the payload reaches 6 MB; window 0
 *    invokes as soon as messages are there. On success the batch is deleted; on a function error
 *    the messages stay and return after the queue's visibility timeout, and the queue's redrive
 *    policy moves them to its dead-letter queue after maxReceiveCount receives.
 *  - FIFO queues: messages of one group arrive in order and a group is never in two batches at
 *    once: the queue does not hand out a group's next messages while earlier ones are in flight,
 *    so a failed batch holds its groups until its messages return.
 *  - Scaling: pollers grow while batches come full (AWS: five to start, up to 300 more a minute,
 *    at most 1,000/1,250 concurrent invocations) up to ScalingConfig.MaximumConcurrency (2–1000),
 *    and back off on function errors and throttles. Stratus starts one poller per mapping (so a
 *    batching window gathers into one batch), adds at most one every GROWTH_INTERVAL_MS, and
 *    without a ScalingConfig stops at DEFAULT_MAX_CONCURRENCY: every concurrent batch is a
 *    process on this machine. Reserved concurrency bounds it too (0: no polling at all).
 *  - "Handling errors for an SQS event source": with ReportBatchItemFailures only the listed
 *    messages stay; Lambda does not back off on failures then.
 *  - "Lambda event filtering": SQS messages that match no filter are deleted.
 */

/** ReceiveMessage's longest wait and largest batch (SQS API Reference, ReceiveMessage). */
const LONG_POLL_MS = 20_000;
const MAX_PER_RECEIVE = 10;
/** Stratus's bound on concurrent batches of one mapping without a ScalingConfig (see above). */
export const DEFAULT_MAX_CONCURRENCY = 20;
/** "Up to 300 more instances per minute": one more poller at most every 200 ms. */
const GROWTH_INTERVAL_MS = 200;
/** How soon a mapping whose function is missing or throttled to 0 looks again. */
const RECHECK_MS = 1_000;
/** Backoff after a failed receive (queue missing) or a throttled invoke: doubling, capped. */
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 10_000;

export interface SqsPollersOptions {
  runtime: Runtime;
  catalogue: Catalogue;
  runner: FunctionRunner;
  /** Concurrency left to a function without reserved concurrency (as the EnvironmentRunner has it). */
  unreservedConcurrency(accountId: string, region: string): number;
}

/** Every SQS mapping's pollers; follows the catalogue's mappings as they change. */
export class SqsPollers {
  private readonly pollers = new Map<string, MappingPoller>();
  private readonly retiring = new Set<Promise<void>>();
  private running = false;
  private readonly unwatch: () => void;

  constructor(private readonly options: SqsPollersOptions) {
    this.unwatch = options.catalogue.watchMappings(() => this.reconcile());
  }

  /** Starts polling every enabled mapping (once the port is open: functions reach Stratus back). */
  start(): void {
    this.running = true;
    this.reconcile();
  }

  /** Brings pollers in line with the stored mappings: new and enabled ones start, others stop. */
  reconcile(): void {
    if (!this.running) return;
    const { catalogue } = this.options;
    for (const mapping of catalogue.mappings.values()) {
      if (parseArn(mapping.eventSourceArn)?.service !== 'sqs') continue;
      const poller = this.pollers.get(mapping.uuid);
      if (mapping.enabled) {
        if (poller) poller.update(mapping);
        else this.pollers.set(mapping.uuid, new MappingPoller(this.options, mapping));
      } else if (poller) {
        this.retire(mapping.uuid, poller);
      }
    }
    for (const [uuid, poller] of this.pollers) if (!catalogue.mappings.has(uuid)) this.retire(uuid, poller);
  }

  /** How many batches each mapping has in hand or being gathered (tests, the console). */
  concurrency(uuid: string): number {
    return this.pollers.get(uuid)?.workerCount ?? 0;
  }

  private retire(uuid: string, poller: MappingPoller): void {
    this.pollers.delete(uuid);
    const { windingDown } = this.options.catalogue;
    windingDown.add(uuid);
    const done: Promise<void> = poller.stop().finally(() => {
      this.retiring.delete(done);
      if (!this.pollers.has(uuid)) windingDown.delete(uuid);
    });
    this.retiring.add(done);
  }

  /** Ends every long poll at once; batches being gathered go back to their queues. */
  abort(): void {
    this.running = false;
    this.unwatch();
    for (const [uuid, poller] of this.pollers) this.retire(uuid, poller);
  }

  /** Aborts, then waits for every poller to finish (an invocation in progress ends with the runner). */
  async stop(): Promise<void> {
    this.abort();
    while (this.retiring.size > 0) await Promise.all([...this.retiring]);
  }
}

type BatchResult = 'ok' | 'failed' | 'throttled';

/** The pollers of one mapping: 1..cap workers, each gathering and running one batch at a time. */
class MappingPoller {
  private mapping!: EventSourceMapping;
  private filter: RecordFilter | undefined;
  private filterSource: EventSourceMapping['filterCriteria'];
  private readonly controller = new AbortController();
  private workers = 0;
  private readonly finished = new Set<Promise<void>>();
  private lastGrowth = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly options: SqsPollersOptions,
    mapping: EventSourceMapping,
  ) {
    this.update(mapping);
    this.spawn();
  }

  get workerCount(): number {
    return this.workers;
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private get runtime(): Runtime {
    return this.options.runtime;
  }

  /** A changed mapping (batch size, window, filters, function, concurrency): the next batch uses it. */
  update(mapping: EventSourceMapping): void {
    this.mapping = mapping;
    if (mapping.filterCriteria !== this.filterSource || this.filter === undefined) {
      this.filterSource = mapping.filterCriteria;
      try {
        this.filter = compileFilters(mapping.filterCriteria);
      } catch (error) {
        // Validated at the API; a pattern that no longer compiles matches nothing rather than everything.
        this.runtime.log.warn('lambda: event source mapping filter does not compile', { mapping: mapping.uuid, error: String(error) });
        this.filter = () => false;
      }
    }
    this.wake();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.wake();
    while (this.finished.size > 0) await Promise.all([...this.finished]);
    this.options.catalogue.sourceProblems.delete(this.mapping.uuid);
  }

  private spawn(): void {
    this.workers++;
    const run: Promise<void> = this.work()
      .catch((error: unknown) => this.runtime.log.error('lambda: event source mapping poller failed', { mapping: this.mapping.uuid, error }))
      .finally(() => {
        this.workers--;
        this.finished.delete(run);
      });
    this.finished.add(run);
  }

  private async work(): Promise<void> {
    let backoff = 0;
    while (!this.signal.aborted) {
      const cap = this.cap();
      if (cap === 0) {
        // The function is gone, or reserved concurrency 0 throttles it: nothing is taken from the queue.
        if (this.workers > 1) return;
        await this.sleep(RECHECK_MS);
        continue;
      }
      if (this.workers > cap) return;
      let batch: SourceMessage[];
      try {
        batch = await this.gather();
        backoff = 0;
        this.problem(undefined);
      } catch (error) {
        backoff = Math.min(BACKOFF_MAX_MS, backoff === 0 ? BACKOFF_FIRST_MS : backoff * 2);
        this.problem(error);
        this.runtime.log.debug('lambda: event source mapping cannot receive', { mapping: this.mapping.uuid, error: String(error), retryInMs: backoff });
        await this.sleep(backoff);
        continue;
      }
      if (this.signal.aborted) {
        await this.release(batch);
        return;
      }
      if (batch.length === 0) {
        // An empty long poll: the queue is idle, so extra pollers retire.
        if (this.workers > 1) return;
        continue;
      }
      if (batch.length >= this.mapping.batchSize) this.grow(cap);
      const result = await this.run(batch);
      const reportsFailures = this.mapping.functionResponseTypes.includes('ReportBatchItemFailures');
      if (result === 'throttled' || (result === 'failed' && !reportsFailures)) {
        // Back off: one poller fewer; the last one waits before polling again on a throttle.
        if (this.workers > 1) return;
        if (result === 'throttled') {
          backoff = Math.min(BACKOFF_MAX_MS, backoff === 0 ? BACKOFF_FIRST_MS : backoff * 2);
          await this.sleep(backoff);
        }
      }
    }
  }

  /**
   * Records why the queue cannot be read (or that it can again) on the mapping, where
   * GetEventSourceMapping reports it as LastProcessingResult, and in the log once per change. The
   * mapping stays Enabled and keeps trying with backoff, so a queue created again is polled again.
   */
  private problem(error: unknown): void {
    const { sourceProblems } = this.options.catalogue;
    const uuid = this.mapping.uuid;
    const before = sourceProblems.get(uuid);
    if (error === undefined) {
      if (before === undefined) return;
      sourceProblems.delete(uuid);
      this.runtime.log.info('lambda: event source mapping reads its queue again', { mapping: uuid, eventSourceArn: this.mapping.eventSourceArn });
      return;
    }
    const problem = error instanceof InvokeError && error.code === 'ResourceNotFound' ? SQS_NON_EXISTENT_QUEUE : error instanceof Error ? error.message : String(error);
    if (problem === before) return;
    sourceProblems.set(uuid, problem);
    this.runtime.log.warn('lambda: event source mapping cannot read its queue', { mapping: uuid, eventSourceArn: this.mapping.eventSourceArn, function: this.mapping.functionArn, problem });
  }

  /** Concurrent batches allowed now: MaximumConcurrency, bounded by the function's concurrency. */
  private cap(): number {
    const target = this.target();
    if (!target) return 0;
    const fnLimit = target.fn.reservedConcurrency ?? this.options.unreservedConcurrency(target.fn.accountId, target.fn.region);
    return Math.max(0, Math.min(this.mapping.maximumConcurrency ?? DEFAULT_MAX_CONCURRENCY, fnLimit));
  }

  private grow(cap: number): void {
    const now = this.runtime.clock.now();
    if (this.workers >= cap || this.signal.aborted || now - this.lastGrowth < GROWTH_INTERVAL_MS) return;
    this.lastGrowth = now;
    this.spawn();
  }

  /**
   * One batch: a long poll for the first messages, then, with a batching window, more receives
   * until the batch is full, the window (counted from the first message) has passed, or the
   * payload would pass 6 MB. Window 0 sends what the first receive brought.
   */
  private async gather(): Promise<SourceMessage[]> {
    const { sources, clock } = this.runtime;
    const mapping = this.mapping;
    const arn = mapping.eventSourceArn;
    const batch = await sources.receive(arn, { max: Math.min(MAX_PER_RECEIVE, mapping.batchSize), waitMs: LONG_POLL_MS, signal: this.signal });
    const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;
    if (batch.length === 0 || windowMs === 0) return batch;
    const deadline = clock.now() + windowMs;
    let bytes = batch.reduce((sum, m) => sum + approximateBytes(m), 0);
    while (batch.length < mapping.batchSize && bytes < MAX_SYNC_PAYLOAD && !this.signal.aborted) {
      const left = deadline - clock.now();
      if (left <= 0) break;
      let more: SourceMessage[];
      try {
        more = await sources.receive(arn, { max: Math.min(MAX_PER_RECEIVE, mapping.batchSize - batch.length), waitMs: left, signal: this.signal });
      } catch {
        break; // the queue went away mid-window: run what was gathered
      }
      for (const m of more) {
        // A window longer than the queue's visibility timeout sees a message come back into it:
        // it is one record, with the newest receipt handle (the older one no longer deletes it).
        const earlier = batch.findIndex((b) => b.messageId === m.messageId);
        if (earlier >= 0) {
          batch[earlier] = m;
          continue;
        }
        batch.push(m);
        bytes += approximateBytes(m);
      }
    }
    return batch;
  }

  /** Filters, invokes and settles one batch. */
  private async run(messages: SourceMessage[]): Promise<BatchResult> {
    const { sources, log } = this.runtime;
    const mapping = this.mapping;
    const arn = mapping.eventSourceArn;
    const region = parseArn(arn)?.region ?? mapping.region;
    let records = messages.map((m) => sqsRecord(m, arn, region));

    if (this.filter) {
      const keep: SqsRecord[] = [];
      const drop: string[] = [];
      for (const r of records) {
        if (this.filter(r)) keep.push(r);
        else drop.push(r.receiptHandle);
      }
      // Filtered-out SQS messages are deleted at once ("Lambda event filtering").
      await this.settle(() => sources.delete(arn, drop));
      records = keep;
      if (records.length === 0) return 'ok';
    }

    const fit = recordsThatFit(records, MAX_SYNC_PAYLOAD);
    if (fit < records.length) {
      await this.release(records.slice(fit));
      records = records.slice(0, fit);
    }

    const target = this.target();
    if (!target) return 'failed'; // the messages return after their visibility timeout
    const payload = Buffer.from(JSON.stringify({ Records: records }), 'utf8');
    const traceId = records[0].attributes.AWSTraceHeader;
    let outcome;
    try {
      outcome = await this.options.runner.invoke(await specOf(this.options.catalogue.code, target.fn, target.config), payload, { requestId: randomUUID(), traceId, invokedFunctionArn: this.mapping.functionArn }, {
        maxResponseBytes: MAX_SYNC_PAYLOAD,
        reservedConcurrency: target.fn.reservedConcurrency,
        invocationType: 'RequestResponse',
      });
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'TooManyRequestsException') return 'throttled';
      if (!this.signal.aborted) log.warn('lambda: event source mapping invocation failed', { mapping: mapping.uuid, function: mapping.functionArn, error: String(error) });
      return 'failed';
    }
    const failed = failedMessageIds(outcome, records, mapping.functionResponseTypes.includes('ReportBatchItemFailures'));
    const done = records.filter((r) => !failed.has(r.messageId)).map((r) => r.receiptHandle);
    await this.settle(() => sources.delete(arn, done));
    return failed.size === 0 ? 'ok' : 'failed';
  }

  /** The function version the mapping invokes, or undefined when it no longer exists. */
  private target(): { fn: LambdaFunction; config: VersionConfig } | undefined {
    const parsed = parseArn(this.mapping.functionArn);
    if (!parsed) return undefined;
    const [name, qualifier] = parsed.resourceId.split(':');
    const fn = this.options.catalogue.get(parsed.accountId, parsed.region, name);
    if (!fn) return undefined;
    try {
      return { fn, config: resolveQualifier(fn, qualifier).config };
    } catch {
      return undefined;
    }
  }

  /** Makes messages visible again at once (a batch cut short, or gathered when stopping). */
  private async release(messages: { receiptHandle: string }[]): Promise<void> {
    if (messages.length === 0) return;
    const entries = messages.map((m) => ({ receiptHandle: m.receiptHandle, visibilityTimeoutS: 0 }));
    await this.settle(() => this.runtime.sources.changeVisibility(this.mapping.eventSourceArn, entries));
  }

  /** Runs a delete or visibility change; a failure only means the messages come back later. */
  private async settle(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.runtime.log.debug('lambda: event source mapping could not settle messages', { mapping: this.mapping.uuid, error: String(error) });
    }
  }

  /** Waits `ms`, or less when the mapping changes or polling stops. Never a busy loop. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.signal.aborted) return resolve();
      const done = (): void => {
        timer.cancel();
        this.sleepers.delete(done);
        resolve();
      };
      const timer = this.runtime.clock.setTimer(done, ms);
      this.sleepers.add(done);
    });
  }

  private wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

function approximateBytes(m: SourceMessage): number {
  return m.body.length + m.receiptHandle.length + 400;
}
