/**
 * The PostgreSQL store against a real server (the PostgreSQL pass of scripts/run-tests.mjs sets
 * STRATUS_TEST_STORE; skipped otherwise): group commit with a failing unit undone alone, the
 * hooks, writes not waited for (tx.write) failing alone too, values read back as SQLite gives them, text with NUL, and migrations applied once when
 * two stores start at the same moment.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { PostgresStore } from './postgres-store.js';

const base = process.env.STRATUS_TEST_STORE || undefined;

function urlWithSchema(schema: string): string {
  const url = new URL(base!);
  url.searchParams.set('schema', schema);
  return url.href;
}

describe('PostgresStore', { skip: base === undefined && 'runs in the PostgreSQL pass (scripts/run-tests.mjs)' }, () => {
  const schema = `unit_${randomBytes(6).toString('hex')}`;
  let store: PostgresStore;

  before(async () => {
    store = await PostgresStore.open({ url: urlWithSchema(schema) });
    await store.migrate([{ id: 'unit/0001', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, n INTEGER, data BLOB)' }]);
  });
  after(async () => {
    await store?.write((tx) => tx.run(`DROP SCHEMA "${schema}" CASCADE`)).catch(() => undefined);
    await store?.close();
  });

  test('units of one turn share a transaction; a failing one is undone alone, with its hooks', async () => {
    const before = store.stats.transactions;
    const hooks: string[] = [];
    const results = await Promise.allSettled([
      store.write(async (tx) => {
        await tx.run('INSERT INTO items (name, n) VALUES (?, ?)', ['a', 1]);
        tx.afterCommit(() => hooks.push('a committed'));
      }),
      store.write(async (tx) => {
        tx.afterRollback(() => hooks.push('b undone'));
        await tx.run('INSERT INTO items (name, n) VALUES (?, ?)', ['b', 2]);
        await tx.run('INSERT INTO items (name, n) VALUES (?, ?)', ['a', 3]); // unique: fails
      }),
      store.write((tx) => tx.run('INSERT INTO items (name, n) VALUES (?, ?)', ['c', 4])),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(store.stats.transactions - before, 1);
    assert.deepEqual(hooks.sort(), ['a committed', 'b undone']);
    assert.deepEqual(await store.all('SELECT name, n FROM items ORDER BY name'), [
      { name: 'a', n: 1 },
      { name: 'c', n: 4 },
    ]);
  });

  describe('writes not waited for (tx.write)', () => {
    const names = async (): Promise<string[]> => (await store.all<{ name: string }>('SELECT name FROM sent ORDER BY name')).map((r) => r.name);
    const insert = 'INSERT INTO sent (name) VALUES (?)';
    before(() => store.write((tx) => tx.run('CREATE TABLE sent (name TEXT PRIMARY KEY)')));
    test.beforeEach(async () => {
      await store.write((tx) => tx.run('DELETE FROM sent'));
      await store.write((tx) => tx.run(insert, ['taken']));
    });

    test('a unit whose write fails fails alone; the units around it commit, and one that reads after it sees the others', async () => {
      const before = store.stats.transactions;
      const hooks: string[] = [];
      const results = await Promise.allSettled([
        store.write((tx) => tx.write(insert, ['x1'])),
        store.write((tx) => {
          tx.afterRollback(() => hooks.push('x2 undone'));
          tx.afterCommit(() => hooks.push('x2 committed'));
          tx.write(insert, ['x2']);
          tx.write(insert, ['taken']); // primary key: fails after the unit has returned
        }),
        store.write((tx) => tx.write(insert, ['x3'])),
        // Sent behind the failed write, so skipped at first: sent again once it is dealt with.
        store.write(async (tx) => {
          const row = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM sent WHERE name LIKE 'x%'");
          tx.write(insert, ['x4']);
          return row!.n;
        }),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.equal((results[1] as PromiseRejectedResult).reason.code, '23505');
      assert.equal((results[3] as PromiseFulfilledResult<number>).value, 2);
      assert.equal(store.stats.transactions - before, 1);
      assert.deepEqual(hooks, ['x2 undone']);
      assert.deepEqual(await names(), ['taken', 'x1', 'x3', 'x4']);
    });

    test('two failing units of one group, and a failing one right after an open unit, each fail alone', async () => {
      const results = await Promise.allSettled([
        store.write((tx) => tx.write(insert, ['taken'])),
        store.write((tx) => tx.write(insert, ['y1'])),
        store.write((tx) => tx.write(insert, ['taken'])),
        store.write(async (tx) => {
          await tx.run(insert, ['y2']);
          tx.write(insert, ['taken']); // its own write, after what it waited for
        }),
        store.write((tx) => tx.write(insert, ['taken'])),
        store.write((tx) => tx.write(insert, ['y3'])),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      assert.deepEqual(await names(), ['taken', 'y1', 'y3']);
    });

    test("a unit whose own write fails before it waits for a statement fails with that write's error", async () => {
      const results = await Promise.allSettled([
        store.write(async (tx) => {
          tx.write(insert, ['taken']);
          await tx.get('SELECT 1 AS one');
        }),
        store.write((tx) => tx.write(insert, ['z1'])),
      ]);
      assert.equal(results[0].status, 'rejected');
      assert.equal((results[0] as PromiseRejectedResult).reason.code, '23505');
      assert.equal(results[1].status, 'fulfilled');
      assert.deepEqual(await names(), ['taken', 'z1']);
    });

    test('a unit that throws before waiting for anything sent nothing; an open one that throws is undone alone', async () => {
      const results = await Promise.allSettled([
        store.write((tx) => tx.write(insert, ['w1'])),
        store.write((tx) => {
          tx.write(insert, ['never']);
          throw new Error('refused before sending');
        }),
        store.write(async (tx) => {
          await tx.run(insert, ['undone']);
          throw new Error('refused after a statement');
        }),
        store.write((tx) => tx.write(insert, ['w2'])),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      assert.deepEqual(await names(), ['taken', 'w1', 'w2']);
    });

    test('a lone unit whose second write fails keeps nothing of the first', async () => {
      await assert.rejects(
        store.write((tx) => {
          tx.write(insert, ['v1']);
          tx.write(insert, ['taken']);
        }),
        { code: '23505' },
      );
      assert.deepEqual(await names(), ['taken']);
    });
  });

  test('values come back as SQLite gives them: 64-bit integers as numbers, counts, booleans as 1/0, bytes', async () => {
    const big = 1_733_400_000_000; // a ms timestamp: past 32 bits
    const bytes = Uint8Array.from([0, 1, 254, 255]);
    await store.write((tx) => tx.run('INSERT INTO items (name, n, data) VALUES (?, ?, ?)', ['big', big, bytes]));
    const row = await store.get<{ id: number; n: number; data: Uint8Array; several: number; yes: number }>(
      "SELECT id, n, data, (SELECT COUNT(*) FROM items) AS several, n > 0 AS yes FROM items WHERE name = 'big'",
    );
    assert.equal(typeof row!.id, 'number');
    assert.equal(row!.n, big);
    assert.deepEqual(Uint8Array.from(row!.data), bytes);
    assert.equal(row!.several, 3);
    assert.equal(row!.yes, 1);
  });

  test('text holding U+0000 and U+FFFF is stored and found as written', async () => {
    const names = ['nul\u0000inside', 'ffff\uffffinside', '\uffff\u0001 looks like an escape'];
    await store.write(async (tx) => {
      for (const name of names) await tx.run('INSERT INTO items (name) VALUES (?)', [name]);
    });
    for (const name of names) assert.deepEqual(await store.get('SELECT name FROM items WHERE name = ?', [name]), { name });
    assert.equal((await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM items WHERE name = ?', ['nul']))!.n, 0);
  });

  test('an optional filter (? IS NULL OR …) prepares and filters', async () => {
    const q = 'SELECT name FROM items WHERE (? IS NULL OR name = ?) AND n IS NOT NULL ORDER BY name';
    assert.deepEqual((await store.all<{ name: string }>(q, [null, null])).map((r) => r.name), ['a', 'big', 'c']);
    assert.deepEqual((await store.all<{ name: string }>(q, ['c', 'c'])).map((r) => r.name), ['c']);
  });

  test('a write connection PostgreSQL ended is replaced before the next transaction', async () => {
    const { pid } = (await store.write((tx) => tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid')))!;
    await store.get('SELECT pg_terminate_backend(?)', [pid]);
    // The first write may meet the dead connection (it fails, acknowledging nothing); the next one commits.
    await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['after-1'])).catch(() => undefined);
    await store.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['after-2']));
    assert.deepEqual(await store.get('SELECT name FROM items WHERE name = ?', ['after-2']), { name: 'after-2' });
    const now = (await store.write((tx) => tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid')))!;
    assert.notEqual(now.pid, pid);
  });

  test('two stores migrating the same schema at once apply each migration once', async () => {
    const other = `unit_${randomBytes(6).toString('hex')}`;
    const [a, b] = await Promise.all([PostgresStore.open({ url: urlWithSchema(other) }), PostgresStore.open({ url: urlWithSchema(other) })]);
    try {
      const migrations = [
        { id: 'race/0001', sql: 'CREATE TABLE raced (id INTEGER PRIMARY KEY)' },
        { id: 'race/0002', sql: 'ALTER TABLE raced ADD COLUMN note TEXT' },
      ];
      const [first, second] = await Promise.all([a.migrate(migrations), b.migrate(migrations)]);
      assert.deepEqual([...first, ...second].sort(), ['race/0001', 'race/0002']);
    } finally {
      await a.write((tx) => tx.run(`DROP SCHEMA "${other}" CASCADE`)).catch(() => undefined);
      await a.close();
      await b.close();
    }
  });
});
