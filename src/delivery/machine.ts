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
 * Nothing polls, and a look at the table costs only what it must. The machine keeps, per kind,
 * the moment a job of it may next become leasable (`nextAt`, as of its last look at the store,
 * lowered by what this process enqueues or reschedules since), and looks at the store for a kind
 * only when that moment has come and the kind has room: when a job of it is enqueued due now
 * (after commit), when a handler finishes while more jobs may be waiting, or when its single
 * timer, armed for the earliest such moment, fires. A look leases what is due and learns the
 * next moment in the same write unit; the last of a kind's running jobs to finish learns it in
 * the unit that deletes or reschedules it. So at light load an event costs one lease of one kind
 * and no look after it, and with nothing pending no timer is armed.
 *
 * Jobs that other processes add to a shared store are found when a look at their kind happens
 * for another reason (a local enqueue, a due timer, a restart).
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

/** What a handler may do with the attempt it runs. */
export interface Attempt {
  /**
   * Deletes the job inside the caller's write unit (lease-guarded, like every outcome), so that
   * the job's completion commits atomically with what the handler stores there — a message sent
   * to a queue of this store: no transaction of its own after the handler, and no second delivery
   * if the process dies between the two. Once that unit has committed, the handler's success needs
   * nothing more; if it never commits, the attempt ends as it would have without it.
   */
  complete(tx: WriteTx): Promise<void>;
}

export interface JobHandler<P = unknown> {
  /** Resolve: the job is done and deleted. Throw: it is retried or dead-lettered. */
  handle(job: Job<P>, attempt: Attempt): Promise<void>;
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
  /** Jobs claimed by enqueueMany in units not committed yet: room they hold, beside inFlight. */
  claimed: number;
  /** Jobs of inFlight whose outcome has been written (in a transaction committed or under way). */
  settled: number;
  /** Looks at the store for this kind so far (nextAt set from what the store holds). */
  looks: number;
  /**
   * When a job of this kind may next be leasable, as far as this machine knows (null: none
   * pending). At or before now: the store must be looked at once the kind has room — a job is
   * due, or the last look filled every free slot (more may be waiting), or nothing is known yet.
   */
  nextAt: number | null;
}

/** A job enqueueMany stored leased by this machine, to run once its unit commits. */
interface Claim {
  reg: Registration;
  spec: JobSpec;
  at: number;
  leaseUntil: number;
  /** Its row's id, once inserted. */
  id?: number;
}

/** One attempt running here: its outcome is in a transaction (committed or under way); its completion committed with the handler's own write. */
interface AttemptState {
  settled: boolean;
  completed: boolean;
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
  // Dispatch passes never overlap: a kind found due during a pass gets the pass after it.
  private passing = false;
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
    const params: SqlValue[] = [];
    const at = this.jobRow(spec, now, params);
    const row = await tx.get<{ id: number | string }>(sql.INSERT_JOB, params);
    this.inserted(tx, spec.kind, at, now);
    return Number(row!.id);
  }

  /**
   * `enqueue` for many jobs at once, without their ids: the rows go in a few multi-row inserts
   * (sql.insertJobs) instead of a statement each — a publish fanned out to many subscribers stores
   * a hundred jobs in one unit.
   *
   * A job due now, of a kind registered here with room for it, is claimed as it is stored: its row
   * is inserted already leased by this machine for its first attempt, and it runs once the unit
   * commits, with no look at the store. Leasing it afterwards (an UPDATE … RETURNING of the row,
   * then parsing it again) cost a fan-out more than storing it. A claim holds its room from the
   * insert until the unit's outcome (afterCommit / afterRollback), so the kind's concurrency is
   * never exceeded. A claimed job's handler is given the payload and policy objects of its spec,
   * not copies read back: the caller must not change them afterwards. Should the process die, a
   * claimed job is like any leased one: it runs again once its lease ends (at once on a restart
   * that reclaims leases).
   */
  async enqueueMany(tx: WriteTx, specs: readonly JobSpec[]): Promise<void> {
    const now = this.clock.now();
    // Every job is checked before anything is reserved or stored.
    const rows: SqlValue[][] = [];
    const dueAt: number[] = [];
    for (const spec of specs) {
      const row: SqlValue[] = [];
      dueAt.push(this.jobRow(spec, now, row));
      rows.push(row);
    }
    const claims: Claim[] = [];
    const params: SqlValue[] = [];
    const claimedParams: SqlValue[] = [];
    // The earliest unclaimed job of each kind is what the machine needs to hear of (a handful of kinds at most).
    const kinds: string[] = [];
    const earliest: number[] = [];
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const at = dueAt[i];
      const reg = this.kinds.get(spec.kind);
      if (reg !== undefined && at <= now && this.started && !this.stopping && reg.inFlight + reg.claimed < reg.concurrency) {
        reg.claimed++;
        claims.push({ reg, spec, at, leaseUntil: now + reg.leaseMs });
        for (const value of rows[i]) claimedParams.push(value);
        claimedParams.push(this.owner, now + reg.leaseMs);
        continue;
      }
      for (const value of rows[i]) params.push(value);
      const k = kinds.indexOf(spec.kind);
      if (k === -1) {
        kinds.push(spec.kind);
        earliest.push(at);
      } else if (at < earliest[k]) earliest[k] = at;
    }
    if (claims.length > 0) {
      tx.afterRollback(() => {
        for (const claim of claims) claim.reg.claimed--;
      });
      tx.afterCommit(() => this.claimed(claims, now));
      for (let done = 0; done < claims.length; ) {
        const count = sql.insertJobsChunk(claims.length - done);
        const returned = await tx.all<{ id: number | string }>(
          sql.insertClaimedJobs(count),
          claimedParams.slice(done * sql.CLAIMED_JOB_ROW_VALUES, (done + count) * sql.CLAIMED_JOB_ROW_VALUES),
        );
        // RETURNING promises no order; ids ascend in the order the rows were inserted (sql.insertClaimedJobs).
        if (returned.length !== count) throw new Error(`inserting ${count} claimed jobs returned ${returned.length} ids`);
        const ids = returned.map((r) => Number(r.id)).sort((a, b) => a - b);
        for (let i = 0; i < count; i++) claims[done + i].id = ids[i];
        done += count;
      }
    }
    const unclaimed = params.length / sql.JOB_ROW_VALUES;
    for (let done = 0; done < unclaimed; ) {
      const count = sql.insertJobsChunk(unclaimed - done);
      await tx.run(sql.insertJobs(count), params.slice(done * sql.JOB_ROW_VALUES, (done + count) * sql.JOB_ROW_VALUES));
      done += count;
    }
    for (let k = 0; k < kinds.length; k++) this.inserted(tx, kinds[k], earliest[k], now);
  }

  /** Once the unit that stored them has committed: the claimed jobs run, and their kinds' timers cover their leases. */
  private claimed(claims: readonly Claim[], now: number): void {
    for (const claim of claims) claim.reg.claimed--;
    // Stopped meanwhile: they stay leased and run again when their leases end, as after a crash.
    if (!this.started || this.stopping) return;
    for (const { reg, spec, at, id } of claims) {
      this.launch(reg, {
        id: id!,
        kind: spec.kind,
        key: spec.key ?? null,
        payload: spec.payload ?? null,
        traceId: spec.traceId ?? null,
        attempts: 1,
        createdAt: now,
        firstRunAt: Math.max(now, at),
        runAt: at,
        policy: spec.policy ?? DEFAULT_RETRY_POLICY,
        lastError: null,
      });
    }
    // As after a look that leased them: the kind's next moment is no later than their leases' end
    // (the same for the claims of a kind in one unit: told once, not once a job).
    let told: Claim | undefined;
    for (const claim of claims) {
      if (told !== undefined && told.reg === claim.reg && told.leaseUntil === claim.leaseUntil) continue;
      told = claim;
      this.due(claim.reg.kind, claim.leaseUntil);
    }
  }

  /** Checks a job and appends its row's values (sql.INSERT_JOB's order) to `params`; returns when it is due. */
  private jobRow(spec: JobSpec, now: number, params: SqlValue[]): number {
    const runAt = spec.runAt ?? now;
    if (!spec.kind) throw new TypeError('job kind is required');
    if (!Number.isFinite(runAt)) throw new RangeError(`runAt must be a finite ms timestamp, got ${runAt}`);
    params.push(
      spec.kind,
      spec.key ?? null,
      JSON.stringify(spec.payload ?? null),
      spec.traceId ?? null,
      JSON.stringify(spec.policy ?? DEFAULT_RETRY_POLICY),
      now,
      Math.round(Math.max(now, runAt)), // first due: a runAt in the past means now
      Math.round(runAt),
    );
    return Math.round(runAt);
  }

  /** After a job of `kind` due at `at` was inserted in `tx`: the machine hears of it. */
  private inserted(tx: WriteTx, kind: string, at: number, now: number): void {
    const reg = this.kinds.get(kind);
    const looks = reg?.looks;
    // A look at the kind after this insert (in this transaction or a later one) has seen the job.
    tx.afterCommit(() => {
      if (reg === undefined || reg.looks === looks) this.due(kind, at);
    });
    if (reg !== undefined && at <= now) this.leaseSoon(reg);
  }

  /** Deletes the jobs of kind+key not being delivered right now; returns how many. */
  async cancel(tx: WriteTx, kind: string, key: string): Promise<number> {
    const { changes } = await tx.run(sql.CANCEL_BY_KEY, [kind, key, this.clock.now()]);
    // The timer may be armed for a job that is gone now; look again so it is not left dangling.
    if (changes > 0) tx.afterCommit(() => this.due(kind, -Infinity));
    return changes;
  }

  register<P = unknown>(kind: string, handler: JobHandler<P>): void {
    if (this.kinds.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`);
    const concurrency = handler.concurrency ?? 16;
    const leaseMs = handler.leaseMs ?? 60_000;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!(leaseMs > 0)) throw new RangeError(`leaseMs must be > 0, got ${leaseMs}`);
    this.kinds.set(kind, { kind, handler: handler as JobHandler<unknown>, concurrency, leaseMs, inFlight: 0, claimed: 0, settled: 0, looks: 0, nextAt: -Infinity });
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

  /** Looks at the table for every kind now (coalesced with a pass already under way). */
  wake(): void {
    for (const reg of this.kinds.values()) reg.nextAt = -Infinity;
    this.dispatch();
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

  /**
   * A job of `reg`'s kind was just inserted, due now, in a write unit still running: a pass
   * started now has its write unit join that unit's transaction where the store allows it
   * (SQLite's group commit), so the job is leased in the transaction that stores it instead of
   * one more after it. If the unit fails, the pass finds nothing and learns the truth.
   *
   * Only while nothing of the kind runs, as at light load: under load the pass stays after the
   * commit, so that the answers waiting for it (PutEvents') go out before the leasing of many jobs.
   */
  private leaseSoon(reg: Registration): void {
    if (!this.started || this.stopping || this.passing || reg.inFlight > 0) return;
    reg.nextAt = -Infinity;
    this.passing = true;
    this.passDone = this.passes();
  }

  /** A job of `kind` may be leasable from `at` on (-Infinity: look at the store for it now). */
  private due(kind: string, at: number): void {
    const reg = this.kinds.get(kind);
    if (reg === undefined) return;
    if (reg.nextAt === null || at < reg.nextAt) reg.nextAt = at;
    this.dispatch();
  }

  /**
   * Starts a pass if a kind with room is due, else arms the timer for the earliest moment one
   * will be (or none). Kinds at capacity need no timer: a finishing handler dispatches again.
   */
  private dispatch(): void {
    if (!this.started || this.stopping || this.passing) return;
    const next = this.nextDue();
    if (next !== null && next <= this.clock.now()) {
      this.passing = true;
      this.passDone = this.passes();
    } else if (next === null) this.cancelTimer();
    else this.armTimer(next);
  }

  /** The earliest nextAt among kinds with room, or null. */
  private nextDue(): number | null {
    let next: number | null = null;
    for (const reg of this.kinds.values()) {
      if (reg.inFlight + reg.claimed >= reg.concurrency || reg.nextAt === null) continue;
      if (next === null || reg.nextAt < next) next = reg.nextAt;
    }
    return next;
  }

  /** Passes while a kind with room is due (a wake during a pass is seen by the check after it), then the timer. */
  private async passes(): Promise<void> {
    try {
      for (let next = this.nextDue(); next !== null && next <= this.clock.now() && !this.stopping; next = this.nextDue()) await this.pass();
    } catch (error) {
      console.error('stratus: delivery dispatch failed; retrying shortly', error);
      // What the failed look learned did not commit: look at every kind again, a little later.
      for (const reg of this.kinds.values()) reg.nextAt = -Infinity;
      this.passing = false;
      if (!this.stopping) this.armTimer(this.clock.now() + STORE_FAILURE_BACKOFF_MS);
      return;
    }
    this.passing = false;
    this.dispatch();
  }

  /**
   * One look at the table, in one write unit, for each kind that is due and has room: lease its
   * due jobs and learn when its next one becomes leasable (a run_at, or an expiring lease). What
   * it learns is set inside the unit, while the transaction keeps every other commit out, so an
   * enqueue committed after the look lowers it again in its after-commit hook.
   */
  private async pass(): Promise<void> {
    const leased = await this.store.write(async (tx) => {
      const now = this.clock.now();
      const leased: [Registration, sql.JobRow][] = [];
      for (const reg of this.kinds.values()) {
        // In-flight counts only fall while a pass runs, and claims only take the room left, so this limit never overshoots.
        const free = reg.concurrency - reg.inFlight - reg.claimed;
        if (free <= 0 || reg.nextAt === null || reg.nextAt > now) continue;
        const rows = await tx.all<sql.JobRow>(sql.leaseDueJobs(free), [this.owner, now + reg.leaseMs, reg.kind, now, now, now, now]);
        // Started in the order they were due: an UPDATE's RETURNING rows come in the order the
        // rows were changed, which neither database ties to the subquery's ORDER BY (SQLite
        // happens to follow it, PostgreSQL does not), and a FIFO target must get a PutEvents'
        // entries in order. At most a kind's free slots of rows, most often one.
        rows.sort((a, b) => Number(a.run_at) - Number(b.run_at) || Number(a.id) - Number(b.id));
        for (const row of rows) leased.push([reg, row]);
        reg.looks++;
        // Every free slot filled: more may be due; look again once a handler finishes.
        reg.nextAt = rows.length >= free ? -Infinity : await this.nextLeasable(tx, reg.kind);
      }
      return leased;
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
  }

  /** When the next job of `kind` becomes leasable: its earliest unleased run_at or lease expiry. */
  private async nextLeasable(tx: WriteTx, kind: string): Promise<number | null> {
    let next: number | null = null;
    for (const query of [sql.NEXT_UNLEASED_RUN_AT, sql.NEXT_LEASE_EXPIRY]) {
      const at = (await tx.get<{ at: number | string | null }>(query, [kind]))?.at;
      if (at != null && (next === null || Number(at) < next)) next = Number(at);
    }
    return next;
  }

  /**
   * In the write unit that stores a job's outcome: once every job of its kind running here has
   * its outcome in the store (this transaction included), learn the kind's next moment from the
   * store, so that the leases they held — gone now — leave no timer behind. (While others still
   * run, a timer for a lease already gone may fire once; its look then finds the truth.)
   */
  private async settle(tx: WriteTx, reg: Registration, attempt: AttemptState): Promise<void> {
    if (!attempt.settled) {
      attempt.settled = true;
      reg.settled++;
    }
    if (reg.settled !== reg.inFlight) return;
    reg.looks++;
    reg.nextAt = await this.nextLeasable(tx, reg.kind);
  }

  private launch(reg: Registration, job: Job): void {
    reg.inFlight++;
    let slot = -1;
    const attempt: AttemptState = { settled: false, completed: false };
    const run: Promise<void> = this.deliver(reg, job, attempt).finally(() => {
      reg.inFlight--;
      if (attempt.settled) reg.settled--;
      this.running.delete(slot, run);
      this.dispatch();
    });
    slot = this.running.add(run);
  }

  /** Runs one attempt and records its outcome. Never rejects. */
  private async deliver(reg: Registration, job: Job, attempt: AttemptState): Promise<void> {
    let failed = false;
    let thrown: unknown;
    const handle: Attempt = {
      complete: async (tx) => {
        await tx.run(sql.DELETE_LEASED_JOB, leaseGuard(job, this.owner));
        tx.afterCommit(() => (attempt.completed = true));
        await this.settle(tx, reg, attempt);
      },
    };
    try {
      await reg.handler.handle(job, handle);
    } catch (error) {
      failed = true;
      thrown = error;
    }
    try {
      if (failed) await this.fail(reg, job, thrown, attempt);
      else if (!attempt.completed) {
        await this.store.write(async (tx) => {
          await tx.run(sql.DELETE_LEASED_JOB, leaseGuard(job, this.owner));
          await this.settle(tx, reg, attempt);
        });
      }
    } catch (error) {
      // The lease stays; when it expires the job runs again (at-least-once). A look at the kind
      // once this attempt is over arms the timer for that.
      console.error(`stratus: could not record the outcome of job ${job.id} (${job.kind}, trace ${job.traceId})`, error);
      reg.nextAt = -Infinity;
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

  private async fail(reg: Registration, job: Job, thrown: unknown, attempt: AttemptState): Promise<void> {
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
        const { changes } = await tx.run(sql.RESCHEDULE_JOB, [runAt, JSON.stringify(error), ...guard]);
        if (changes === 1) tx.afterCommit(() => this.due(reg.kind, runAt));
      } else {
        const { changes } = await tx.run(sql.DELETE_LEASED_JOB, guard);
        // changes === 0: the lease was taken over; the newer attempt decides the job's fate.
        if (changes === 1) await reg.handler.onDeadLetter?.(job, { error, reason }, tx);
      }
      await this.settle(tx, reg, attempt);
    });
  }

  private armTimer(at: number): void {
    if (this.timer && this.timerAt === at) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.dispatch();
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
