import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { CERTIFICATE_PATH } from './certificate-path.js';
import { signingKeysOf, SigningKeys } from './key-store.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-signing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SigningKeys', () => {
  test('made once, kept in the store: the same key after the store is reopened', async () => {
    const filename = join(dir, 'keys.db');
    let store = new SqliteStore({ filename, durability: 'process' });
    const keys = new SigningKeys(store);
    assert.equal(await keys.certificate('SimpleNotificationService-00000000000000000000000000000000.pem'), undefined, 'no key is made by asking for a certificate');
    const [first, second] = await Promise.all([keys.current(), keys.current()]);
    assert.equal(first, second, 'callers at the same time share one key');
    assert.equal(await keys.certificate(first.certificateFileName), first.certificatePem);
    assert.equal(await keys.certificate('SimpleNotificationService-00000000000000000000000000000000.pem'), undefined);
    assert.equal((await store.all('SELECT id FROM sns_signing_keys')).length, 1);
    await store.close();

    store = new SqliteStore({ filename, durability: 'process' });
    const reopened = await new SigningKeys(store).current();
    assert.equal(reopened.certificatePem, first.certificatePem);
    assert.equal(reopened.certificateFileName, first.certificateFileName);
    assert.deepEqual(reopened.privateKey.export({ type: 'pkcs8', format: 'pem' }), first.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await store.close();
  });

  test('two instances on one store (two nodes) end with the key of whichever wrote first', async () => {
    const store = new SqliteStore({ filename: join(dir, 'race.db'), durability: 'process' });
    const [a, b] = await Promise.all([new SigningKeys(store).current(), new SigningKeys(store).current()]);
    assert.equal(a.certificatePem, b.certificatePem);
    await store.close();
  });

  test('one SigningKeys per store', async () => {
    const store = new SqliteStore({ filename: ':memory:', durability: 'process' });
    assert.equal(signingKeysOf(store), signingKeysOf(store));
    const key = await signingKeysOf(store).current();
    assert.match(`/${key.certificateFileName}`, CERTIFICATE_PATH);
    await store.close();
  });
});
