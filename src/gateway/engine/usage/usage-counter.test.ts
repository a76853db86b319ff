import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteStore } from '../../../store/sqlite/sqlite-store.js';
import { gatewayMigrations } from '../../repository/migrations.js';
import { UsageCounter } from './usage-counter.js';

const at = (iso: string) => Date.parse(iso);
const quota = { limit: 3, period: 'DAY' as const };
const created = at('2026-01-01T00:00:00Z');

async function storeWithTables(): Promise<SqliteStore> {
  const store = new SqliteStore({ filename: ':memory:', durability: 'process' });
  await store.migrate(gatewayMigrations);
  return store;
}

test('counts up to the quota, refuses past it, starts again the next period', async () => {
  const store = await storeWithTables();
  const counter = new UsageCounter(store);
  const day = at('2026-03-04T10:00:00Z');
  const results = [];
  for (let i = 0; i < 5; i += 1) results.push(await counter.take('p', 'k', quota, created, day));
  assert.deepEqual(results, [true, true, true, false, false]);
  assert.equal(await counter.take('p', 'other', quota, created, day), true, 'each key has its own count');
  assert.equal(await counter.take('p', 'k', quota, created, at('2026-03-05T00:00:01Z')), true);
  await store.close();
});

test('counts reach the store in batches; a new counter (a restart) goes on from them', async () => {
  const store = await storeWithTables();
  const counter = new UsageCounter(store);
  const now = at('2026-03-04T10:00:00Z');
  await counter.take('p', 'k', quota, created, now);
  await counter.take('p', 'k', quota, created, now);
  assert.equal((await store.all('SELECT * FROM gateway_usage')).length, 0, 'not written per request');
  await counter.flush();
  const rows = await store.all<{ used: number }>('SELECT used FROM gateway_usage');
  assert.deepEqual(rows.map((r) => Number(r.used)), [2]);
  const restarted = new UsageCounter(store);
  assert.equal(await restarted.remaining('p', 'k', quota, created, now), 1);
  assert.equal(await restarted.take('p', 'k', quota, created, now), true);
  assert.equal(await restarted.take('p', 'k', quota, created, now), false);
  await store.close();
});

test('the batch is written by itself after a short while', async () => {
  const store = await storeWithTables();
  const counter = new UsageCounter(store);
  await counter.take('p', 'k', quota, created, Date.now());
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal((await store.all('SELECT * FROM gateway_usage')).length, 1);
  await store.close();
});

test('a week sums its days; setRemaining adjusts the period, GetUsage days stay as counted', async () => {
  const store = await storeWithTables();
  const counter = new UsageCounter(store);
  const weekly = { limit: 10, period: 'WEEK' as const };
  await counter.take('p', 'k', weekly, created, at('2026-12-07T10:00:00Z'));
  await counter.take('p', 'k', weekly, created, at('2026-12-08T10:00:00Z'));
  const now = at('2026-12-09T10:00:00Z');
  assert.equal(await counter.remaining('p', 'k', weekly, created, now), 8);
  await counter.setRemaining('p', 'k', weekly, created, now, 1);
  assert.equal(await counter.remaining('p', 'k', weekly, created, now), 1);
  assert.equal(await counter.take('p', 'k', weekly, created, now), true);
  assert.equal(await counter.take('p', 'k', weekly, created, now), false);
  const daily = await counter.daily('p');
  assert.deepEqual([...daily.get('k')!.entries()].sort(), [
    [at('2026-12-07T00:00:00Z'), 1],
    [at('2026-12-08T00:00:00Z'), 1],
    [at('2026-12-09T00:00:00Z'), 1],
  ]);
  const restarted = new UsageCounter(store);
  assert.equal(await restarted.remaining('p', 'k', weekly, created, now), 0, 'the adjustment is stored');
  assert.equal(await restarted.remaining('p', 'k', weekly, created, at('2026-12-13T00:00:00Z')), 10, 'and holds for its period only');
  await store.close();
});
