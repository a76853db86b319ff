import type { Reader, Store, WriteTx } from '../../store/store.js';
import { codeSql } from '../repository/statements.js';
import type { CodeRef, CodeStore } from './code-store.js';

/**
 * The uploaded .zip files in the store, one row per digest whoever uses it (functions and layers
 * of any account share bytes that are the same). What refers to a digest is decided in memory
 * (code-references.ts); these only read and write the rows.
 */

/** The .zip rows of one write unit (the writers of catalogue.ts and layers.ts hand it their calls). */
export class ZipRows {
  private readonly releases: (() => void)[] = [];

  constructor(
    private readonly tx: WriteTx,
    private readonly code: CodeStore,
  ) {}

  /**
   * Stores the uploaded .zip of `code` (none for a hot-reload folder) unless it is there: in the
   * write unit of the row that refers to it, so an acknowledged function or layer version always
   * has its code in the store. Asked first, so bytes already stored are not sent again; held until
   * the unit is settled, since a unit after this one in the same transaction still sees a
   * catalogue without it (code-references.ts).
   */
  async put(code: CodeRef, zip: Buffer | undefined): Promise<void> {
    if (zip === undefined || code.hotReload) return;
    this.releases.push(this.code.hold([code.sha256]));
    if (await this.tx.get(codeSql.hasZip, [code.sha256])) return;
    await this.tx.run(codeSql.insertZip, [code.sha256, zip]);
  }

  /** Deletes the .zips of `digests` (what nothing refers to any more). */
  async drop(digests: Iterable<string>): Promise<void> {
    for (const sha256 of digests) await this.tx.run(codeSql.deleteZip, [sha256]);
  }

  /** Once the unit committed (and is applied) or failed. */
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

/** The stored .zip of `sha256`, or undefined when the store has none (code stored before it was kept there). */
/** What a change that stores code writes besides its rows: the .zips, through ZipRows. */
export class CodeWriter {
  constructor(
    protected readonly tx: WriteTx,
    private readonly zips: ZipRows,
  ) {}

  /** The uploaded .zip of `code`, with the rows that refer to it (ZipRows.put). */
  zip(code: CodeRef, zip: Buffer | undefined): Promise<void> {
    return this.zips.put(code, zip);
  }

  /** Stored .zips nothing refers to any more (code-references.ts). */
  dropZips(digests: Iterable<string>): Promise<void> {
    return this.zips.drop(digests);
  }
}

/**
 * Runs `statements` in one write unit, through the writer `writerOf` makes over the unit and its
 * .zip rows; `apply` changes memory after the commit. The rows' holds go once the unit is done.
 */
export async function writeWithCode<W extends CodeWriter>(
  store: Store,
  code: CodeStore,
  writerOf: (tx: WriteTx, zips: ZipRows) => W,
  statements: (writer: W) => Promise<void>,
  apply: () => void,
): Promise<void> {
  let zips: ZipRows | undefined;
  try {
    await store.write(async (tx) => {
      zips = new ZipRows(tx, code);
      await statements(writerOf(tx, zips));
      tx.afterCommit(apply);
    });
  } finally {
    zips?.release();
  }
}

export async function readZip(store: Reader, sha256: string): Promise<Buffer | undefined> {
  const row = await store.get<{ zip: Uint8Array }>(codeSql.selectZip, [sha256]);
  if (!row) return undefined;
  return Buffer.isBuffer(row.zip) ? row.zip : Buffer.from(row.zip.buffer, row.zip.byteOffset, row.zip.byteLength);
}
