import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WriteTx } from '../store.js';
import { SqliteStore } from './sqlite-store.js';

const TABLE = [{ id: 'test/0001-items', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)' }];

async function openStore(): Promise<SqliteStore> {
  const store = new SqliteStore({ filename: ':memory:' });
  await store.migrate(TABLE);
  return store;
}

test('writes submitted in one tick commit in one transaction', async () => {
  const store = await openStore();
  const before = store.stats.transactions;
  const names = Array.from({ length: 50 }, (_, i) => `n${i}`);
  await Promise.all(names.map((name) => store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', [name]))));
  assert.equal(store.stats.transactions - before, 1);
  assert.equal((await store.get<{ n: number }>('SELECT count(*) AS n FROM items'))?.n, 50);
  await store.close();
});

test('after a large batch the next waits one more loop turn, so writes of that turn join it; after a small one it does not', async () => {
  const store = await openStore();
  const insert = (name: string) => store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', [name]));
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  // Light load: one write, then one a loop turn later: two transactions.
  await insert('alone');
  let before = store.stats.transactions;
  const light = [insert('light-1'), nextTurn().then(() => insert('light-2'))];
  await Promise.all(light);
  assert.equal(store.stats.transactions - before, 2);
  // Load: a batch of eight, then a write now and one a loop turn later share one transaction.
  await Promise.all(Array.from({ length: 8 }, (_, i) => insert(`load-${i}`)));
  before = store.stats.transactions;
  await Promise.all([insert('loaded-1'), nextTurn().then(() => insert('loaded-2'))]);
  assert.equal(store.stats.transactions - before, 1);
  await store.close();
});

test('a failing unit rolls back alone and its caller alone sees the error', async () => {
  const store = await openStore();
  await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['taken']));
  const results = await Promise.allSettled([
    store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['a'])),
    store.write(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['half-done']);
      await tx.run('INSERT INTO items (name) VALUES (?)', ['taken']); // UNIQUE violation
    }),
    store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['b'])),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  const rows = await store.all<{ name: string }>('SELECT name FROM items ORDER BY name');
  assert.deepEqual(rows.map((r) => r.name), ['a', 'b', 'taken']);
  await store.close();
});

test('a write not waited for (tx.write) that fails fails its unit alone, with what the unit wrote before it', async () => {
  const store = await openStore();
  await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['taken']));
  const results = await Promise.allSettled([
    store.write((tx) => tx.write('INSERT INTO items (name) VALUES (?)', ['a'])),
    store.write((tx) => {
      tx.write('INSERT INTO items (name) VALUES (?)', ['half-done']);
      tx.write('INSERT INTO items (name) VALUES (?)', ['taken']); // UNIQUE violation
    }),
    store.write(async (tx) => {
      tx.write('INSERT INTO items (name) VALUES (?)', ['b']);
      return (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM items'))!.n;
    }),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.equal((results[2] as PromiseFulfilledResult<number>).value, 3);
  const rows = await store.all<{ name: string }>('SELECT name FROM items ORDER BY name');
  assert.deepEqual(rows.map((r) => r.name), ['a', 'b', 'taken']);
  await store.close();
});

test('afterCommit hooks run after the commit, and not for a failed unit', async () => {
  const store = await openStore();
  const seen: string[] = [];
  await Promise.allSettled([
    store.write((tx) => {
      tx.afterCommit(() => seen.push('ok'));
      return tx.run('INSERT INTO items (name) VALUES (?)', ['x']);
    }),
    store.write((tx) => {
      tx.afterCommit(() => seen.push('failed'));
      throw new Error('nope');
    }),
  ]);
  assert.deepEqual(seen, ['ok']);
  await store.close();
});

test('afterRollback hooks run for each unit whose writes are undone, and never with its afterCommit hooks', async () => {
  const store = new SqliteStore({ filename: ':memory:' });
  await store.migrate([...TABLE, { id: 'test/0002-links', sql: 'CREATE TABLE links (item INTEGER REFERENCES items (id) DEFERRABLE INITIALLY DEFERRED)' }]);
  const seen: string[] = [];
  const unit = (name: string, body: (tx: WriteTx) => Promise<unknown>) =>
    store.write(async (tx) => {
      tx.afterCommit(() => seen.push(`${name} committed`));
      tx.afterRollback(() => seen.push(`${name} undone`));
      await body(tx);
    });
  // A unit that fails among others is undone alone.
  const first = await Promise.allSettled([
    unit('a', (tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['a'])),
    unit('b', async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['b']);
      throw new Error('b fails');
    }),
    unit('c', (tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['c'])),
  ]);
  assert.deepEqual(first.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(seen.sort(), ['a committed', 'b undone', 'c committed']);
  seen.length = 0;
  // A commit that fails (a deferred foreign key, checked at COMMIT) undoes every unit of its transaction.
  const second = await Promise.allSettled([
    unit('d', (tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['d'])),
    unit('e', (tx) => tx.run('INSERT INTO links (item) VALUES (?)', [999])),
  ]);
  assert.deepEqual(second.map((r) => r.status), ['rejected', 'rejected']);
  assert.deepEqual(seen.sort(), ['d undone', 'e undone']);
  assert.equal((await store.get<{ n: number }>('SELECT count(*) AS n FROM items WHERE name = ?', ['d']))?.n, 0);
  await store.close();
});

test('a write resolves only once committed: a second connection sees it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-store-'));
  try {
    const file = join(dir, 'db.sqlite');
    const store = new SqliteStore({ filename: file });
    await store.migrate(TABLE);
    await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['visible']));
    const other = new SqliteStore({ filename: file });
    assert.equal((await other.get<{ name: string }>('SELECT name FROM items'))?.name, 'visible');
    await other.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migrations apply once, in id order, and are recorded', async () => {
  const store = new SqliteStore({ filename: ':memory:' });
  const migrations = [
    { id: 'b/0002-add', sql: "INSERT INTO log (what) VALUES ('second');" },
    { id: 'b/0001-create', sql: "CREATE TABLE log (what TEXT);\nINSERT INTO log (what) VALUES ('first');" },
  ];
  assert.deepEqual(await store.migrate(migrations), ['b/0001-create', 'b/0002-add']);
  assert.deepEqual(await store.migrate(migrations), []);
  const rows = await store.all<{ what: string }>('SELECT what FROM log ORDER BY rowid');
  assert.deepEqual(rows.map((r) => r.what), ['first', 'second']);
  await assert.rejects(store.migrate([migrations[0], migrations[0]]), /duplicate migration id/);
  await store.close();
});

test('a failing migration leaves nothing behind and is not recorded', async () => {
  const store = new SqliteStore({ filename: ':memory:' });
  await assert.rejects(store.migrate([{ id: 'c/0001', sql: 'CREATE TABLE t (x INTEGER);\nTHIS IS NOT SQL;' }]));
  assert.equal(await store.get("SELECT name FROM sqlite_master WHERE name = 't'"), undefined);
  assert.deepEqual(await store.all("SELECT id FROM stratus_migrations WHERE id = 'c/0001'"), []);
  await store.close();
});

test('close waits for queued writes, then refuses new ones', async () => {
  const store = await openStore();
  const pending = store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['last']));
  await store.close();
  await pending;
  await assert.rejects(store.write((tx) => tx.run('SELECT 1')), /closed/);
});

test('a unit that fails after writing is undone alone, whatever made it fail', async () => {
  const store = await openStore();
  await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['taken']));
  const before = store.stats.transactions;
  const params = ['reused'];
  const results = await Promise.allSettled([
    // Reuses its parameter array after the statement: the statement must keep what it ran with.
    store.write(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', params);
      params[0] = 'changed-after';
      return (await tx.get<{ id: number }>('SELECT id FROM items WHERE name = ?', ['reused']))!.id;
    }),
    // Throws after writing, without a failing statement.
    store.write(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['thrown-away']);
      throw new Error('changed my mind');
    }),
    // A failing statement it catches does not fail the unit.
    store.write(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['taken']).catch(() => undefined);
      await tx.run('INSERT INTO items (name) VALUES (?)', ['kept']);
    }),
    // Fails on its first statement.
    store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['taken'])),
    // Fails before any statement.
    store.write(() => {
      throw new Error('refused');
    }),
    store.write(async (tx) => (await tx.get<{ id: number }>('INSERT INTO items (name) VALUES (?) RETURNING id', ['last']))!.id),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
  assert.equal(store.stats.transactions - before, 1);
  const rows = await store.all<{ id: number; name: string }>('SELECT id, name FROM items ORDER BY id');
  assert.deepEqual(rows.map((r) => r.name), ['taken', 'reused', 'kept', 'last']);
  // The ids handed out before a replay are the ids stored.
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  assert.equal((results[0] as PromiseFulfilledResult<number>).value, ids.get('reused'));
  assert.equal((results[5] as PromiseFulfilledResult<number>).value, ids.get('last'));
  await store.close();
});

test('a unit that loses the whole transaction fails alone; the units before it are run again', async () => {
  const store = await openStore();
  const hooks: string[] = [];
  const results = await Promise.allSettled([
    store.write(async (tx) => {
      tx.afterCommit(() => hooks.push('first'));
      await tx.run('INSERT INTO items (name) VALUES (?)', ['first']);
    }),
    // As SQLite does by itself on some I/O errors.
    store.write(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['lost']);
      await tx.run('ROLLBACK');
      throw new Error('disk trouble');
    }),
    store.write(async (tx) => {
      tx.afterCommit(() => hooks.push('third'));
      await tx.run('INSERT INTO items (name) VALUES (?)', ['third']);
    }),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual((await store.all<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name), ['first', 'third']);
  assert.deepEqual(hooks, ['first', 'third']);
  await store.close();
});

test('a unit submitted while a batch runs joins it and commits with it', async () => {
  const store = await openStore();
  const before = store.stats.transactions;
  let joined: Promise<unknown> | undefined;
  const order: string[] = [];
  await store.write(async (tx) => {
    await tx.run('INSERT INTO items (name) VALUES (?)', ['first']);
    // As a long poll woken by a send does: its receive is submitted before the send's commit.
    joined = store.write((t) => t.run('INSERT INTO items (name) VALUES (?)', ['joined']));
    void joined.then(() => order.push('joined'));
  });
  order.push('first');
  await joined;
  // Both answer only after the commit, in the order they were submitted.
  assert.deepEqual(order, ['first', 'joined']);
  assert.equal(store.stats.transactions - before, 1);
  assert.deepEqual((await store.all<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name), ['first', 'joined']);
  // A unit submitted after the commit waits for the next batch.
  await store.write((tx) => {
    tx.afterCommit(() => void store.write((t) => t.run('INSERT INTO items (name) VALUES (?)', ['after'])));
    return tx.run('INSERT INTO items (name) VALUES (?)', ['second']);
  });
  await store.write(() => undefined);
  assert.deepEqual((await store.all<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name), ['first', 'joined', 'second', 'after']);
  await store.close();
});

test('under a steady stream of commits the WAL starts over: it does not grow without end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-store-'));
  const store = new SqliteStore({ filename: join(dir, 'stratus.db') });
  try {
    await store.migrate(TABLE);
    // Two writers always have a commit on the way, as under load: no quiet moment comes by itself.
    let next = 0;
    const writer = async (): Promise<void> => {
      for (let i = 0; i < 6_000; i++) {
        const name = `item-${next++}`;
        await store.write(async (tx) => {
          await tx.run('INSERT INTO items (name) VALUES (?)', [name]);
          await tx.run('DELETE FROM items WHERE name = ?', [name]);
        });
      }
    };
    let largest = 0;
    const watch = setInterval(() => (largest = Math.max(largest, statSync(join(dir, 'stratus.db-wal')).size)), 5);
    await Promise.all([writer(), writer()]);
    clearInterval(watch);
    largest = Math.max(largest, statSync(join(dir, 'stratus.db-wal')).size);
    // A checkpoint is asked for every 256 commits, of ~3 WAL frames (4 KB pages) each: starting
    // over, the WAL stays at 5–10 MB here (more while an fsync is slow); without a start-over
    // these 4,000 or more commits leave ~50 MB.
    assert.ok(store.stats.transactions >= 4_000, `${store.stats.transactions} transactions`);
    assert.ok(largest < 30 * 1024 * 1024, `the WAL grew to ${largest} bytes`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
