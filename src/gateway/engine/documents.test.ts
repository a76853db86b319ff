import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { gatewayMigrations } from '../repository/migrations.js';
import { Documents } from './documents.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const other = { accountId: '111122223333', region: 'eu-west-1' };

async function opened(filename: string): Promise<{ store: SqliteStore; documents: Documents }> {
  const store = new SqliteStore({ filename, durability: 'process' });
  await store.migrate(gatewayMigrations);
  const documents = new Documents(store);
  await documents.load();
  return { store, documents };
}

test('documents are stored before memory changes, and come back after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-documents-'));
  try {
    const filename = join(dir, 'db.sqlite');
    let { store, documents } = await opened(filename);
    await documents.put('restapi', scope, 'abc', { name: 'one' });
    await documents.put('restapi', other, 'def', { name: 'two' });
    await documents.batch((b) => {
      b.put('apikey', scope, 'k1', { value: 'x' });
      b.put('apikey', scope, 'k2', { value: 'y' });
    });
    await documents.delete('apikey', scope, 'k2');
    await store.close();
    ({ store, documents } = await opened(filename));
    assert.deepEqual(documents.get('restapi', scope, 'abc'), { name: 'one' });
    assert.equal(documents.get('restapi', scope, 'def'), undefined, 'another account and region do not see it');
    assert.deepEqual(documents.find('restapi', 'def'), { ...other, kind: 'restapi', id: 'def', body: { name: 'two' } });
    assert.deepEqual(documents.list('apikey', scope), [{ value: 'x' }]);
    assert.equal(documents.all('restapi').length, 2);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('change runs one at a time per document, on a copy, and a throwing change stores nothing', async () => {
  const { store, documents } = await opened(':memory:');
  const seen: string[] = [];
  documents.onChange((c) => seen.push(`${c.kind}/${c.id}${c.deleted ? ' deleted' : ''}`));
  await documents.put('usageplan', scope, 'p', { n: 0 });
  const before = documents.get<{ n: number }>('usageplan', scope, 'p')!;
  await Promise.all(
    Array.from({ length: 20 }, () =>
      documents.change<{ n: number }>('usageplan', scope, 'p', async (current) => {
        await new Promise((r) => setImmediate(r));
        current!.n += 1;
        return { body: current, result: undefined };
      }),
    ),
  );
  assert.equal(documents.get<{ n: number }>('usageplan', scope, 'p')!.n, 20, 'no lost update');
  assert.equal(before.n, 0, 'a document read before a change is never mutated');
  await assert.rejects(
    documents.change<{ n: number }>('usageplan', scope, 'p', (current) => {
      current!.n = 99;
      throw new Error('refused');
    }),
    /refused/,
  );
  assert.equal(documents.get<{ n: number }>('usageplan', scope, 'p')!.n, 20);
  const result = await documents.change('usageplan', scope, 'p', (_current, batch) => {
    batch.delete('usageplan', scope, 'p');
    return { result: 'gone' };
  });
  assert.equal(result, 'gone');
  assert.equal(documents.get('usageplan', scope, 'p'), undefined);
  assert.equal(seen.at(-1), 'usageplan/p deleted');
  await store.close();
});
