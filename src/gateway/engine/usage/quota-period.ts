/**
 * Usage-plan quota periods. A quota counts requests per DAY, WEEK or MONTH, calendar periods in
 * UTC (API Gateway resets quotas at 00:00 UTC; a week starts on Sunday, which is what the older
 * API reference's "an offset of 0 starts on Sunday" described). `offset` is, per the current API
 * reference (QuotaSettings), "the number of requests subtracted from the given limit in the
 * initial time period": the period in which the plan was made allows `limit - offset`.
 *
 * Usage is recorded per UTC day (GetUsage reports days), so a period's usage is the sum of its
 * days. Times are ms since the epoch.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

const DAY_MS = 86_400_000;

export function dayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** The start of the quota period `now` falls in. */
export function periodStart(period: QuotaPeriod, now: number): number {
  const day = dayStart(now);
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - new Date(day).getUTCDay() * DAY_MS;
  const date = new Date(day);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The start of the next period (the end of the one `now` is in, exclusive). */
export function periodEnd(period: QuotaPeriod, now: number): number {
  const start = periodStart(period, now);
  if (period === 'DAY') return start + DAY_MS;
  if (period === 'WEEK') return start + 7 * DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export interface Quota {
  limit: number;
  offset?: number;
  period: QuotaPeriod;
}

/** How many requests the period holding `now` allows: less the offset in the plan's first period. */
export function periodLimit(quota: Quota, planCreatedAt: number, now: number): number {
  const initial = periodStart(quota.period, planCreatedAt) === periodStart(quota.period, now);
  return initial ? Math.max(0, quota.limit - (quota.offset ?? 0)) : quota.limit;
}

/** The UTC days from `from` to `to` inclusive (day starts), for GetUsage. */
export function daysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let day = dayStart(from); day <= dayStart(to); day += DAY_MS) out.push(day);
  return out;
}

/** `YYYY-MM-DD` (GetUsage's dates) to the day's start, or undefined when it is not such a date. */
export function parseUsageDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms);
  if (back.getUTCFullYear() !== Number(match[1]) || back.getUTCMonth() !== Number(match[2]) - 1 || back.getUTCDate() !== Number(match[3])) return undefined;
  return ms;
}
