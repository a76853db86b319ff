import type { TimerHandle } from '../../core/clock.js';
import type { Runtime } from '../../server/runtime.js';
import { DAY_MS } from '../model/put-batch.js';
import { sql } from '../repository/statements.js';

/** The sweep never runs sooner than this after it is asked for: no loop faster than once a minute. */
export const MIN_SWEEP_INTERVAL_MS = 60_000;

/**
 * Deletes events that outlived their group's retention. Reads already hide them (the actions
 * filter on the cutoff), so the sweep only reclaims space and may lag: AWS itself deletes
 * "typically up to 72 hours" after events reach their retention (API Reference,
 * PutRetentionPolicy).
 *
 * One timer, armed through the runtime clock for the earliest moment an event expires (oldest
 * event of a group + its retention) and at least a minute ahead. Each sweep deletes by range on
 * (group_id, ts) and re-arms for the next expiry; with no group under retention nothing is armed.
 */
export class RetentionSweeper {
  private timer: TimerHandle | null = null;
  private dueAt = Infinity;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly runtime: Runtime) {}

  /** Arms a sweep (for what expired while the server was down) when any group has a retention. */
  async start(): Promise<void> {
    const groups = await this.runtime.store.all(sql.selectGroupsWithRetention);
    if (groups.length > 0) this.schedule(this.runtime.clock.now());
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  /**
   * Makes sure a sweep runs no later than `at` (and no sooner than a minute after `from`: now, or
   * when the sweep that asks began — its own queries may have taken a while, on a networked store).
   */
  schedule(at: number, from = this.runtime.clock.now()): void {
    if (this.stopped) return;
    const now = this.runtime.clock.now();
    const due = Math.max(at, from + MIN_SWEEP_INTERVAL_MS);
    if (due >= this.dueAt) return;
    this.timer?.cancel();
    this.dueAt = due;
    this.timer = this.runtime.clock.setTimer(() => {
      this.timer = null;
      this.dueAt = Infinity;
      this.running = this.sweep()
        .catch((error: unknown) => this.runtime.log.error('log retention sweep failed', { error }))
        .finally(() => (this.running = null));
    }, due - now);
  }

  /** One pass over every group with a retention policy. */
  async sweep(): Promise<void> {
    const { store, clock } = this.runtime;
    const began = clock.now();
    const groups = await store.all<{ id: number; retention_days: number }>(sql.selectGroupsWithRetention);
    let next = Infinity;
    for (const group of groups) {
      if (this.stopped) return;
      const cutoff = clock.now() - group.retention_days * DAY_MS;
      await store.write(async (tx) => {
        const bytes = (await tx.get<{ bytes: number }>(sql.expiredBytes, [group.id, cutoff]))?.bytes ?? 0;
        const deleted = await tx.run(sql.deleteExpired, [group.id, cutoff]);
        if (deleted.changes > 0 && bytes > 0) await tx.run(sql.subtractBytes, [bytes, group.id]);
      });
      const oldest = await store.get<{ ts: number | null }>(sql.oldestEvent, [group.id]);
      if (oldest?.ts !== null && oldest?.ts !== undefined) next = Math.min(next, oldest.ts + group.retention_days * DAY_MS);
    }
    if (next < Infinity) this.schedule(next, began);
  }
}
