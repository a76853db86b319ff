import type { Store } from '../../../store/store.js';
import { sql } from '../../repository/statements.js';
import { dayStart, periodEnd, periodLimit, periodStart, type Quota } from './quota-period.js';

/**
 * Requests counted against usage-plan quotas, per plan, API key and UTC day, kept in
 * `gateway_usage`: `period_start` is the day's start (ms). A row with a negative `period_start`
 * (minus the quota period's start) holds an UpdateUsage adjustment for that period: UpdateUsage
 * sets what remains, and the adjustment makes the period's days add up to it without rewriting
 * the days GetUsage reports.
 *
 * Why counts are batched: a request must not wait for a store round trip (on PostgreSQL a commit
 * costs more than the request it would count). The guard counts in memory and answers at once;
 * the counts are written every FLUSH_MS in one unit (upsert-add per row). The trade-off: a process
 * killed between flushes loses at most FLUSH_MS of counts — those requests were served but are
 * not charged, so after a crash a key may get up to that many more requests than its quota allows.
 * Counting before serving the other way round would make every request pay a commit. With several
 * nodes on one PostgreSQL, each flush reads back the plan's totals, so a node sees the requests
 * the others served within about FLUSH_MS (a key can overshoot by what the others served meanwhile).
 */
export const FLUSH_MS = 250;

interface PlanUsage {
  /** Stored rows by key id, then by period_start. */
  stored: Map<string, Map<number, number>>;
  /** Counted, not written yet (and being written: they stay until the read back replaces them). */
  pending: Map<string, Map<number, number>>;
}

export class UsageCounter {
  private readonly plans = new Map<string, PlanUsage>();
  private readonly loading = new Map<string, Promise<PlanUsage>>();
  private queued = new Map<string, { planId: string; keyId: string; day: number; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /**
   * Counts one request of `keyId` against the plan's quota, or answers false (nothing counted)
   * when the period's quota is used up.
   */
  async take(planId: string, keyId: string, quota: Quota, planCreatedAt: number, now: number): Promise<boolean> {
    const plan = this.plans.get(planId) ?? (await this.load(planId));
    const limit = periodLimit(quota, planCreatedAt, now);
    if (this.used(plan, keyId, quota, now) >= limit) return false;
    this.count(plan, planId, keyId, dayStart(now), 1);
    return true;
  }

  /** What is left of the period's quota for a key. */
  async remaining(planId: string, keyId: string, quota: Quota, planCreatedAt: number, now: number): Promise<number> {
    const plan = this.plans.get(planId) ?? (await this.load(planId));
    return periodLimit(quota, planCreatedAt, now) - this.used(plan, keyId, quota, now);
  }

  /** Sets what remains of the current period (UpdateUsage): stored before it answers. */
  async setRemaining(planId: string, keyId: string, quota: Quota, planCreatedAt: number, now: number, remaining: number): Promise<void> {
    await this.flush();
    const plan = this.plans.get(planId) ?? (await this.load(planId));
    const start = periodStart(quota.period, now);
    const adjustmentKey = -start;
    const rows = plan.stored.get(keyId);
    const current = rows?.get(adjustmentKey) ?? 0;
    const usedWithout = this.used(plan, keyId, quota, now) - current;
    const adjustment = periodLimit(quota, planCreatedAt, now) - remaining - usedWithout;
    await this.store.write((tx) => tx.write(sql.setUsage, [planId, keyId, adjustmentKey, adjustment]));
    this.row(plan.stored, keyId).set(adjustmentKey, adjustment);
  }

  /** Used requests per day (day start → used) for GetUsage, after writing what is counted. */
  async daily(planId: string): Promise<Map<string, Map<number, number>>> {
    await this.flush();
    let plan = this.plans.get(planId);
    if (plan) plan.stored = await this.read(planId);
    else plan = await this.load(planId);
    const out = new Map<string, Map<number, number>>();
    for (const [keyId, rows] of plan.stored) {
      const days = new Map<number, number>();
      for (const [day, used] of rows) if (day >= 0) days.set(day, used);
      out.set(keyId, days);
    }
    return out;
  }

  /** Forgets a deleted plan's counts (DeleteUsagePlan removes its rows in the same unit). */
  forget(planId: string): void {
    this.plans.delete(planId);
    for (const [key, row] of this.queued) if (row.planId === planId) this.queued.delete(key);
  }

  /** Writes every count taken so far; resolves once they are stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = [...this.queued.values()];
    this.queued = new Map();
    const previous = this.flushing;
    const run = previous.then(async () => {
      if (batch.length === 0) return;
      await this.store.write((tx) => {
        for (const row of batch) tx.write(sql.addUsage, [row.planId, row.keyId, row.day, row.count]);
      });
      for (const planId of new Set(batch.map((row) => row.planId))) {
        const plan = this.plans.get(planId);
        if (!plan) continue;
        const fresh = await this.read(planId);
        plan.stored = fresh;
        for (const row of batch) if (row.planId === planId) this.subtract(plan.pending, row.keyId, row.day, row.count);
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private used(plan: PlanUsage, keyId: string, quota: Quota, now: number): number {
    const start = periodStart(quota.period, now);
    const end = periodEnd(quota.period, now);
    let used = 0;
    for (const rows of [plan.stored.get(keyId), plan.pending.get(keyId)]) {
      if (!rows) continue;
      for (const [day, count] of rows) if ((day >= start && day < end) || day === -start) used += count;
    }
    return used;
  }

  private count(plan: PlanUsage, planId: string, keyId: string, day: number, count: number): void {
    const rows = this.row(plan.pending, keyId);
    rows.set(day, (rows.get(day) ?? 0) + count);
    const key = `${planId}\u0000${keyId}\u0000${day}`;
    const queued = this.queued.get(key);
    if (queued) queued.count += count;
    else this.queued.set(key, { planId, keyId, day, count });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS);
      this.timer.unref?.();
    }
  }

  private subtract(map: Map<string, Map<number, number>>, keyId: string, day: number, count: number): void {
    const rows = map.get(keyId);
    if (!rows) return;
    const left = (rows.get(day) ?? 0) - count;
    if (left > 0) rows.set(day, left);
    else rows.delete(day);
  }

  private row(map: Map<string, Map<number, number>>, keyId: string): Map<number, number> {
    let rows = map.get(keyId);
    if (!rows) {
      rows = new Map();
      map.set(keyId, rows);
    }
    return rows;
  }

  private load(planId: string): Promise<PlanUsage> {
    let loading = this.loading.get(planId);
    if (!loading) {
      loading = this.read(planId).then((stored) => {
        const plan = this.plans.get(planId) ?? { stored, pending: new Map() };
        plan.stored = stored;
        this.plans.set(planId, plan);
        this.loading.delete(planId);
        return plan;
      });
      loading.catch(() => this.loading.delete(planId));
      this.loading.set(planId, loading);
    }
    return loading;
  }

  private async read(planId: string): Promise<Map<string, Map<number, number>>> {
    const rows = await this.store.all<{ key_id: string; period_start: number | string; used: number | string }>(sql.selectUsage, [planId]);
    const stored = new Map<string, Map<number, number>>();
    for (const row of rows) this.row(stored, row.key_id).set(Number(row.period_start), Number(row.used));
    return stored;
  }
}
