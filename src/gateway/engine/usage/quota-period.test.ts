import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysBetween, parseUsageDate, periodEnd, periodLimit, periodStart } from './quota-period.js';

const at = (iso: string) => Date.parse(iso);

test('periods are UTC calendar days, weeks from Sunday, months', () => {
  const now = at('2026-12-09T15:30:00Z'); // a Wednesday
  assert.equal(periodStart('DAY', now), at('2026-12-09T00:00:00Z'));
  assert.equal(periodEnd('DAY', now), at('2026-12-10T00:00:00Z'));
  assert.equal(periodStart('WEEK', now), at('2026-12-06T00:00:00Z'));
  assert.equal(periodEnd('WEEK', now), at('2026-12-13T00:00:00Z'));
  assert.equal(periodStart('MONTH', now), at('2026-12-01T00:00:00Z'));
  assert.equal(periodEnd('MONTH', now), at('2027-01-01T00:00:00Z'));
  assert.equal(periodStart('WEEK', at('2026-12-06T00:00:00Z')), at('2026-12-06T00:00:00Z'), 'a Sunday starts its own week');
  assert.equal(periodEnd('MONTH', at('2028-02-29T23:59:59Z')), at('2028-03-01T00:00:00Z'));
});

test('the offset is taken off the limit in the first period only', () => {
  const created = at('2026-12-09T10:00:00Z');
  const quota = { limit: 100, offset: 30, period: 'WEEK' as const };
  assert.equal(periodLimit(quota, created, at('2026-12-12T23:00:00Z')), 70);
  assert.equal(periodLimit(quota, created, at('2026-12-13T00:00:00Z')), 100);
  assert.equal(periodLimit({ limit: 5, offset: 9, period: 'DAY' }, created, created), 0);
});

test('GetUsage dates', () => {
  assert.equal(parseUsageDate('2026-12-09'), at('2026-12-09T00:00:00Z'));
  assert.equal(parseUsageDate('2026-02-30'), undefined);
  assert.equal(parseUsageDate('2026-1-09'), undefined);
  assert.deepEqual(daysBetween(at('2026-12-30T00:00:00Z'), at('2027-01-01T10:00:00Z')), [at('2026-12-30T00:00:00Z'), at('2026-12-31T00:00:00Z'), at('2027-01-01T00:00:00Z')]);
  assert.deepEqual(daysBetween(at('2027-01-02T00:00:00Z'), at('2027-01-01T00:00:00Z')), []);
});
