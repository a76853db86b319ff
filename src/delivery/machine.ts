import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { SlotSet } from '../core/slot-set.js';
import type { Migration, SqlValue, Store, WriteTx } from '../store/store.js';
import * as sql from './job-statements.js';
import { deliveryMigrations } from './migrations.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.js';

/**
 * The one durable job machine (DESIGN.md rule 2). Every retry, backoff, dead-letter, delay
 * and timer in Stratus is a row in `delivery_jobs`, run here by a registered handler.
 *
 * A job is leased, not taken: leasing counts the attempt and stamps an owner and an expiry.
 * If the process dies mid-delivery the lease runs out and the job runs again, so delivery
 * is at-least-once. Outcomes (complete, retry, dead-letter) only apply while the lease is
 * still ours for that attempt, so a handler that outlived its lease changes nothing.
 *
 * Nothing polls: the machine re-examines the table when a job is enqueued (after commit),
 * when a handler finishes (capacity freed), or when its single timer, armed for the next
 * due moment, fires. With nothing pending, no timer is armed.
 */

export interface JobError {
  code: string;
  message: string;
}

/** Names follow the EventBridge DLQ message attributes (ERROR_CODE / reason). */
export type DeadLetterReason = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | 'PermanentFailure';

export interface DeadLetter {
  error: JobError;
  reason: DeadLetterReason;
}

export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string | null;
  payload: P;
  /** The ingress id that follows an event everywhere (DESIGN.md rule 8). */
  traceId: string | null;
  /** Attempts so far, including the one now running. */
  attempts: number;
  createdAt: number;
  /** When the job was first due (its runAt at enqueue). The max-age window starts here. */
  firstRunAt: number;
  /** When this attempt was due. */
  runAt: number;
  policy: RetryPolicy;
  /** The error of the previous attempt, if any. */
  lastError: JobError | null;
}

export interface JobSpec {
  kind: string;
  /** Anything JSON can hold; stored as JSON. */
  payload: unknown;
  /** First run, ms since the epoch (default: now). A user's delay or timer: never scaled. */
  runAt?: number;
  policy?: RetryPolicy;
  traceId?: string;
  /** Groups jobs for `cancel` (e.g. the timers of one workflow execution). */
  key?: string;
}

export interface JobHandler<P = unknown> {
  /** Resolve: the job is done and deleted. Throw: it is retried or dead-lettered. */
  handle(job: Job<P>): Promise<void>;
  /**
   * Runs inside the write unit that deletes the dead job, so whatever it stores (a DLQ
   * message, a failure record) commits atomically with the deletion. If it throws, nothing
   * commits and the job is dead-lettered again once its lease expires.
   */
  onDeadLetter?(job: Job<P>, failure: DeadLetter, tx: WriteTx): Promise<void> | void;
  /** Jobs of this kind this machine runs at once (default 16). */
  concurrency?: number;
  /** How long an attempt may run before another may take the job over (default 60 s). */
  leaseMs?: number;
}

/** Thrown by a handler when retrying cannot help: the job is dead-lettered at once. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
  readonly code: string;

  constructor(message: string, code = 'PermanentFailure', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * `error.code ?? error.name`, the way AWS error shapes name a failure. Never throws: a handler may
 * throw anything (an object without a prototype, one whose getters throw), and the failure must
 * still be recorded, or the job would be stuck in its lease forever.
 */
export function toJobError(error: unknown): JobError {
  try {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      return { code: code != null && code !== '' ? describe(code) : describe(error.name) || 'Error', message: describe(error.message) };
    }
    return { code: 'Error', message: describe(error) };
  } catch {
    return { code: 'Error', message: 'The handler threw a value that cannot be described.' };
  }
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export interface DeliveryMachineOptions {
  store: Store;
  clock?: Clock;
  /** Source of jitter, in [0, 1). Inject a deterministic one in tests. */
  random?: () => number;
  /**
   * THE setting for impatient environments: multiplies every retry delay and the max-age
   * window (e.g. 0.001 for `--fast-retries`) so tests and local development do not wait
   * AWS's real minutes. 1 = AWS behaviour. Explicit `runAt` delays are never scaled.
   */
  retryDelayScale?: number;
  /** This process's lease identity; unique per process. */
  owner?: string;
}

export interface DeliveryStats {
  owner: string;
  /** When the machine's single timer fires, or null when none is armed. */
  timerAt: number | null;
  /** Per kind: jobs waiting (not currently leased), leased (by anyone), running here. */
  kinds: Record<string, { waiting: number; leased: number; inFlight: number }>;
}

interface Registration {
  kind: string;
  handler: JobHandler<unknown>;
  concurrency: number;
  leaseMs: number;
  inFlight: number;
}

/** After a store failure during dispatch, try again this much later rather than stall. */
const STORE_FAILURE_BACKOFF_MS = 1000;

export class DeliveryMachine {
  readonly owner: string;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly scale: number;
  private readonly kinds = new Map<string, Registration>();
  /** Attempts running here (a SlotSet, not a Set: one joins and leaves per attempt; see slot-set.ts). */
  private readonly running = new SlotSet<Promise<void>>();
  private started = false;
  private stopping = false;
  // Dispatch passes never overlap: a wake during a pass only marks the state dirty.
  private passing = false;
  private dirty = false;
  private passDone: Promise<void> = Promise.resolve();
  private timer: TimerHandle | null = null;
  private timerAt: number | null = null;

  constructor(options: DeliveryMachineOptions) {
    const scale = options.retryDelayScale ?? 1;
    if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`retryDelayScale must be a positive number, got ${scale}`);
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.scale = scale;
    this.owner = options.owner ?? randomUUID();
  }

  /** The schema this machine needs, in the store's dialect; apply with `store.migrate`. */
  get migrations(): Migration[] {
    return deliveryMigrations(this.store.backend);
  }

  /**
   * Adds a job inside the caller's write unit, so a service stores its own state and the
   * jobs that follow from it atomically. The machine looks at it once the unit commits.
   */
  async enqueue(tx: WriteTx, spec: JobSpec): Promise<number> {
    const now = this.clock.now();
    const runAt = spec.runAt ?? now;
    if (!spec.kind) throw new TypeError('job kind is required');
    if (!Number.isFinite(runAt)) throw new RangeError(`runAt must be a finite ms timestamp, got ${runAt}`);
    const params: SqlValue[] = [
      spec.kind,
      spec.key ?? null,
      JSON.stringify(spec.payload ?? null),
      spec.traceId ?? null,
      JSON.stringify(spec.policy ?? DEFAULT_RETRY_POLICY),
      now,
      Math.round(Math.max(now, runAt)), // first due: a runAt in the past means now
      Math.round(runAt),
    ];
    const row = await tx.get<{ id: number | string }>(sql.INSERT_JOB, params);
    tx.afterCommit(() => this.wake());
    return Number(row!.id);
  }

  /** Deletes the jobs of kind+key not being delivered right now; returns how many. */
  async cancel(tx: WriteTx, kind: string, key: string): Promise<number> {
    const { changes } = await tx.run(sql.CANCEL_BY_KEY, [kind, key, this.clock.now()]);
    // The timer may be armed for a job that is gone now; re-examine so it is not left dangling.
    if (changes > 0) tx.afterCommit(() => this.wake());
    return changes;
  }

  register<P = unknown>(kind: string, handler: JobHandler<P>): void {
    if (this.kinds.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`);
    const concurrency = handler.concurrency ?? 16;
    const leaseMs = handler.leaseMs ?? 60_000;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!(leaseMs > 0)) throw new RangeError(`leaseMs must be > 0, got ${leaseMs}`);
    this.kinds.set(kind, { kind, handler: handler as JobHandler<unknown>, concurrency, leaseMs, inFlight: 0 });
    this.wake();
  }

  /**
   * Begins dispatching. `reclaimLeases` frees every lease held by another owner: valid only
   * when this process is the store's sole user (embedded SQLite), where a restart means the
   * previous holder is dead. The interrupted attempts still count.
   */
  async start(options: { reclaimLeases?: boolean } = {}): Promise<void> {
    if (this.started) return;
    if (options.reclaimLeases) await this.store.write((tx) => tx.run(sql.RECLAIM_OTHER_LEASES, [this.owner]));
    this.started = true;
    this.stopping = false;
    this.wake();
  }

  /** Stops leasing, waits for running handlers to settle and their outcomes to be stored. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelTimer();
    await this.passDone;
    while (this.running.size > 0) await Promise.allSettled(this.running.values());
    this.started = false;
  }

  /** Re-examines the table now (coalesced with a pass already under way). */
  wake(): void {
    if (!this.started || this.stopping) return;
    this.dirty = true;
    if (this.passing) return;
    this.passing = true;
    this.passDone = this.passes();
  }

  /** When the single timer fires, or null if none is armed. */
  get nextWakeAt(): number | null {
    return this.timerAt;
  }

  async stats(): Promise<DeliveryStats> {
    const rows = await this.store.all<{ kind: string; leased: number | string; total: number | string }>(sql.COUNT_BY_KIND, [this.clock.now()]);
    const kinds: DeliveryStats['kinds'] = {};
    for (const r of rows) kinds[r.kind] = { waiting: Number(r.total) - Number(r.leased), leased: Number(r.leased), inFlight: 0 };
    for (const reg of this.kinds.values()) {
      kinds[reg.kind] ??= { waiting: 0, leased: 0, inFlight: 0 };
      kinds[reg.kind].inFlight = reg.inFlight;
    }
    return { owner: this.owner, timerAt: this.timerAt, kinds };
  }

  private async passes(): Promise<void> {
    try {
      while (this.dirty && !this.stopping) {
        this.dirty = false;
        await this.pass();
      }
    } catch (error) {
      console.error('stratus: delivery dispatch failed; retrying shortly', error);
      if (!this.stopping) this.armTimer(this.clock.now() + STORE_FAILURE_BACKOFF_MS);
    } finally {
      this.passing = false;
    }
  }

  /**
   * One look at the table, in one write unit: lease due jobs of every kind with free
   * capacity, and find when the next job of such a kind becomes due (a run_at, or an
   * expiring lease). Kinds at capacity need no timer: a finishing handler wakes us.
   */
  private async pass(): Promise<void> {
    if (![...this.kinds.values()].some((r) => r.inFlight < r.concurrency)) return this.cancelTimer();
    const { leased, next } = await this.store.write(async (tx) => {
      const now = this.clock.now();
      const leased: [Registration, sql.JobRow][] = [];
      let next: number | null = null;
      for (const reg of this.kinds.values()) {
        // In-flight counts only fall while a pass runs, so this limit never overshoots.
        const free = reg.concurrency - reg.inFlight;
        if (free <= 0) continue;
        const rows = await tx.all<sql.JobRow>(sql.LEASE_DUE_JOBS, [this.owner, now + reg.leaseMs, reg.kind, now, now, free, now, now]);
        for (const row of rows) leased.push([reg, row]);
        if (rows.length >= free) continue;
        for (const query of [sql.NEXT_UNLEASED_RUN_AT, sql.NEXT_LEASE_EXPIRY]) {
          const at = (await tx.get<{ at: number | string | null }>(query, [reg.kind]))?.at;
          if (at != null && (next === null || Number(at) < next)) next = Number(at);
        }
      }
      return { leased, next };
    });
    // Leased jobs run even if stop() began meanwhile: their attempt is already counted,
    // and stop() waits for them.
    for (const [reg, row] of leased) {
      let job: Job;
      try {
        job = rowToJob(row);
      } catch (error) {
        this.discardUnreadable(row, error);
        continue;
      }
      this.launch(reg, job);
    }
    if (this.stopping) return;
    if (next === null) this.cancelTimer();
    else if (next <= this.clock.now()) this.dirty = true; // became due while we looked
    else this.armTimer(next);
  }

  private launch(reg: Registration, job: Job): void {
    reg.inFlight++;
    let slot = -1;
    const run: Promise<void> = this.deliver(reg, job).finally(() => {
      reg.inFlight--;
      this.running.delete(slot, run);
      this.wake();
    });
    slot = this.running.add(run);
  }

  /** Runs one attempt and records its outcome. Never rejects. */
  private async deliver(reg: Registration, job: Job): Promise<void> {
    let failed = false;
    let thrown: unknown;
    try {
      await reg.handler.handle(job);
    } catch (error) {
      failed = true;
      thrown = error;
    }
    try {
      if (failed) await this.fail(reg, job, thrown);
      else await this.store.write((tx) => tx.run(sql.DELETE_LEASED_JOB, leaseGuard(job, this.owner)));
    } catch (error) {
      // The lease stays; when it expires the job runs again (at-least-once).
      console.error(`stratus: could not record the outcome of job ${job.id} (${job.kind}, trace ${job.traceId})`, error);
    }
  }

  /**
   * A row no handler can be given (its payload or policy is not the JSON the machine wrote, say
   * after a hand edit): running it can never succeed and leaving it would lease it again after
   * every lease, so it is removed and written to the log in full.
   */
  private discardUnreadable(row: sql.JobRow, error: unknown): void {
    console.error(`stratus: job ${row.id} (${row.kind}, trace ${row.trace_id}) cannot be read and is discarded: ${toJobError(error).message}`, {
      payload: row.payload,
      policy: row.policy,
    });
    let slot = -1;
    const removal: Promise<void> = this.store
      .write((tx) => tx.run(sql.DELETE_LEASED_JOB, [Number(row.id), this.owner, Number(row.attempts)]))
      .then(
        () => undefined,
        (failure: unknown) => console.error(`stratus: could not discard job ${row.id}`, failure),
      )
      .finally(() => this.running.delete(slot, removal));
    // stop() waits for it like for a running attempt.
    slot = this.running.add(removal);
  }

  private async fail(reg: Registration, job: Job, thrown: unknown): Promise<void> {
    const error = toJobError(thrown);
    const guard = leaseGuard(job, this.owner);
    let reason: DeadLetterReason | null = null;
    let runAt = 0;
    if (thrown instanceof PermanentFailure) reason = 'PermanentFailure';
    else if (job.attempts >= job.policy.maxAttempts) reason = 'MaximumRetryAttempts';
    else {
      runAt = this.clock.now() + Math.round(retryDelayMs(job.policy, job.attempts, this.random) * this.scale);
      // The age window starts when the job was first due, not when it was enqueued: for a
      // job delivered at once (EventBridge) the two are equal, and a timer or delayed job
      // must not be "too old" at its first attempt.
      if (runAt > job.firstRunAt + job.policy.maxAgeMs * this.scale) reason = 'MaximumEventAgeInSeconds';
    }
    await this.store.write(async (tx) => {
      if (reason === null) {
        await tx.run(sql.RESCHEDULE_JOB, [runAt, JSON.stringify(error), ...guard]);
        return;
      }
      const { changes } = await tx.run(sql.DELETE_LEASED_JOB, guard);
      // changes === 0: the lease was taken over; the newer attempt decides the job's fate.
      if (changes === 1) await reg.handler.onDeadLetter?.(job, { error, reason }, tx);
    });
  }

  private armTimer(at: number): void {
    if (this.timer && this.timerAt === at) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.wake();
    }, at - this.clock.now());
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
    this.timerAt = null;
  }
}

function leaseGuard(job: Job, owner: string): SqlValue[] {
  return [job.id, owner, job.attempts];
}

function rowToJob(row: sql.JobRow): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    payload: JSON.parse(row.payload) as unknown,
    traceId: row.trace_id,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    firstRunAt: Number(row.first_run_at),
    runAt: Number(row.run_at),
    policy: JSON.parse(row.policy) as RetryPolicy,
    lastError: row.last_error === null ? null : readLastError(row.last_error),
  };
}

/** The stored error of the previous attempt; one that is not the machine's JSON is kept as its text. */
function readLastError(text: string): JobError {
  try {
    const error = JSON.parse(text) as JobError;
    if (error !== null && typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string') return error;
  } catch {
    // kept as text below
  }
  return { code: 'Error', message: text };
}
