import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { executionMigrations } from './execution-migrations.js';
import { openExecutions } from './open-executions.js';

test('the counter opens up to the limit, one statement each, and closes down to zero', async () => {
  const store = new SqliteStore({ filename: ':memory:' });
  try {
    await store.migrate(executionMigrations);
    const open = () => store.write((tx) => openExecutions.open(tx, 'a', 'r', 2));
    assert.equal(await open(), true);
    assert.equal(await open(), true);
    assert.equal(await open(), false);
    assert.equal(await openExecutions.count(store, 'a', 'r'), 2);
    // Other accounts and regions count apart.
    assert.equal(await store.write((tx) => openExecutions.open(tx, 'a', 'other', 2)), true);
    assert.equal(await store.write((tx) => openExecutions.open(tx, 'b', 'r', 2)), true);
    for (let i = 0; i < 3; i++) await store.write((tx) => openExecutions.close(tx, 'a', 'r'));
    assert.equal(await openExecutions.count(store, 'a', 'r'), 0);
    assert.equal(await openExecutions.count(store, 'a', 'other'), 1);
  } finally {
    await store.close();
  }
});

test('made on a store with executions already running, the counter starts from them', async () => {
  const store = new SqliteStore({ filename: ':memory:' });
  try {
    await store.migrate(executionMigrations.filter((m) => m.id < 'states/0301'));
    const insert = (arn: string, account: string, status: string) =>
      store.write((tx) =>
        tx.run(
          `INSERT INTO states_executions (arn, account_id, region, machine_arn, name, status, machine, input, start_date, redrive_count, snapshot, seq)
            VALUES (?, ?, 'us-east-1', 'm', ?, ?, '{}', '{}', 0, 0, '{}', 0)`,
          [arn, account, arn, status],
        ),
      );
    await insert('e1', 'a', 'RUNNING');
    await insert('e2', 'a', 'RUNNING');
    await insert('e3', 'a', 'SUCCEEDED');
    await insert('e4', 'b', 'RUNNING');
    await store.migrate(executionMigrations);
    assert.equal(await openExecutions.count(store, 'a', 'us-east-1'), 2);
    assert.equal(await openExecutions.count(store, 'b', 'us-east-1'), 1);
    assert.equal(await store.write((tx) => openExecutions.open(tx, 'a', 'us-east-1', 2)), false);
  } finally {
    await store.close();
  }
});
