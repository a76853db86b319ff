import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Migration, Store } from '../../store/store.js';

/**
 * The signing key of one Stratus store, made the first time something is signed and kept in the
 * store, so it survives restarts and every node on a shared store signs with the same key (the
 * certificate a subscriber fetched stays good). The table belongs to signing alone and is made
 * on first use, whether the SNS service or the certificate route asks first.
 */
export const signingMigrations: Migration[] = [
  {
    id: 'topics-signing/0001-signing-keys',
    sql: `
CREATE TABLE IF NOT EXISTS sns_signing_keys (
  id TEXT PRIMARY KEY,
  private_key_pem TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  created_at BIGINT NOT NULL
)`,
  },
];

export interface SigningKey {
  privateKey: KeyObject;
  certificatePem: string;
  /** `SimpleNotificationService-<32 hex>.pem`: where the certificate is served. */
  certificateFileName: string;
}

/** The one key a store holds. */
const KEY_ID = 'default';

interface KeyRow {
  private_key_pem: string;
  certificate_pem: string;
}

export class SigningKeys {
  private migrated: Promise<unknown> | undefined;
  private loaded: Promise<SigningKey> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The key to sign with: the stored one, or a new one stored first (by whichever node wins). */
  current(): Promise<SigningKey> {
    this.loaded ??= this.loadOrCreate().catch((error: unknown) => {
      this.loaded = undefined; // a failure is not remembered: the next message tries again
      throw error;
    });
    return this.loaded;
  }

  /** The certificate PEM served under `fileName`, if this store's key has that name. Makes no key. */
  async certificate(fileName: string): Promise<string | undefined> {
    const row = await this.read();
    if (!row) return undefined;
    return certificateFileName(row.certificate_pem) === fileName ? row.certificate_pem : undefined;
  }

  private async loadOrCreate(): Promise<SigningKey> {
    let row = await this.read();
    if (!row) {
      // Loaded only here: the X.509 writer is needed once per store.
      const { createSigningMaterial } = await import('./certificate.js');
      const material = await createSigningMaterial(this.clock());
      await this.store.write((tx) =>
        tx.run('INSERT INTO sns_signing_keys (id, private_key_pem, certificate_pem, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
          KEY_ID,
          material.privateKeyPem,
          material.certificatePem,
          this.clock(),
        ]),
      );
      row = await this.read();
      if (!row) throw new Error('the SNS signing key was written but cannot be read back');
    }
    return {
      privateKey: createPrivateKey(row.private_key_pem),
      certificatePem: row.certificate_pem,
      certificateFileName: certificateFileName(row.certificate_pem),
    };
  }

  private async read(): Promise<KeyRow | undefined> {
    // Another node (or instance) applying the same migration at the same moment makes this
    // attempt fail on the ledger; the table is then there, and a second look finds it applied.
    this.migrated ??= this.store
      .migrate(signingMigrations)
      .catch(() => this.store.migrate(signingMigrations))
      .catch((error: unknown) => {
        this.migrated = undefined;
        throw error;
      });
    await this.migrated;
    return this.store.get<KeyRow>('SELECT private_key_pem, certificate_pem FROM sns_signing_keys WHERE id = ?', [KEY_ID]);
  }
}

const byStore = new WeakMap<Store, SigningKeys>();

/** The SigningKeys of a store: one per store, shared by the SNS service and the certificate route. */
export function signingKeysOf(store: Store): SigningKeys {
  let keys = byStore.get(store);
  if (!keys) byStore.set(store, (keys = new SigningKeys(store)));
  return keys;
}

/**
 * The file name the certificate is served under, in AWS's form
 * `SimpleNotificationService-<32 hex digits>.pem` (Developer Guide, notification examples): here
 * the MD5 of the certificate's DER encoding.
 */
export function certificateFileName(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw;
  return `SimpleNotificationService-${createHash('md5').update(der).digest('hex')}.pem`;
}
