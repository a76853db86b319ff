/**
 * Test scaffolding for the delivery machine: a fresh in-memory store with the jobs table,
 * a ManualClock, and helpers to let the machine settle after time moves. Not used by
 * production code (named so `node --test` does not take it for a test file).
 */
import { ManualClock } from '../core/clock.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { DeliveryMachine, type DeliveryMachineOptions, type JobSpec } from './machine.js';
import { deliveryMigrations } from './migrations.js';

export async function freshStore(): Promise<SqliteStore> {
  const store = new SqliteStore({ filename: ':memory:' });
  await store.migrate(deliveryMigrations('sqlite'));
  return store;
}

export async function setup(options: Partial<DeliveryMachineOptions> = {}): Promise<{ store: Store; clock: ManualClock; machine: DeliveryMachine }> {
  const store = options.store ?? (await freshStore());
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const machine = new DeliveryMachine({ ...options, store, clock });
  return { store, clock, machine };
}

/**
 * Lets queued store writes (which commit after a setImmediate), handler outcomes and
 * dispatch passes run. Bounded, so a test that is wrong fails instead of hanging.
 */
export async function settle(rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the clock (firing due timers synchronously), then lets the machine settle. */
export async function advance(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle();
}

export function enqueue(store: Store, machine: DeliveryMachine, spec: JobSpec): Promise<number> {
  return store.write((tx) => machine.enqueue(tx, spec));
}

/** A promise with its resolve/reject exposed, for handlers the test finishes by hand. */
export function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A store that notes the statements its write units run (SQL and parameters), in order; the
 * transactions they took are the wrapped store's `stats.transactions`.
 */
export function noting(store: Store): { store: Store; statements: { sql: string; params: readonly unknown[] }[] } {
  const statements: { sql: string; params: readonly unknown[] }[] = [];
  const note = (sql: string, params: readonly unknown[] | undefined): void => void statements.push({ sql, params: params ?? [] });
  const wrapped: Store = Object.create(store) as Store;
  wrapped.write = (unit) =>
    store.write((tx) =>
      unit({
        get: (sql, params) => (note(sql, params), tx.get(sql, params)),
        all: (sql, params) => (note(sql, params), tx.all(sql, params)),
        run: (sql, params) => (note(sql, params), tx.run(sql, params)),
        write: (sql, params) => (note(sql, params), tx.write(sql, params)),
        afterCommit: (fn) => tx.afterCommit(fn),
        afterRollback: (fn) => tx.afterRollback(fn),
      }),
    );
  return { store: wrapped, statements };
}

export async function jobCount(store: Store): Promise<number> {
  const row = await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_jobs');
  return Number(row?.n ?? 0);
}
