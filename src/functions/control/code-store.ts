import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reader } from '../../store/store.js';
import { lambdaErrors } from '../model/errors.js';
import {
  accountSegment,
  DIGEST_NAME,
  functionFolder,
  isAccountSegment,
  isInside,
  isNameSegment,
  isRegionSegment,
  layerFolder,
  layersRoot,
  regionSegment,
} from './code-paths.js';
import { readZip } from './code-rows.js';
import { extractZip } from './zip-extract.js';

/**
 * Where code comes from, as rows keep it: the digest of its .zip, by which every node finds the
 * .zip in the store and its own folder on disk; or a hot-reload folder, used where it is.
 */
export interface CodeSource {
  /** Base64 SHA-256 of the uploaded .zip (CodeSha256); of the path for a hot-reload folder. */
  sha256?: string;
  /**
   * A hot-reload folder. Rows written before code lived in the store hold here the absolute
   * folder the code was extracted to on the node that wrote them: still used where it is there.
   */
  dir?: string;
  /** A Stratus hot-reload folder (`S3Bucket: "hot-reload"`, `S3Key: "/abs/path"`). */
  hotReload?: boolean;
}

/** A version's code and what AWS reports about it. */
export interface CodeRef extends CodeSource {
  sha256: string;
  /** Bytes of the .zip (CodeSize). */
  size: number;
  /** In rows written before code lived in the store: the absolute path of the .zip. */
  zipPath?: string;
  /** Bytes once extracted (for the 250 MB limit on code and layers together); absent for hot-reload folders and code stored before it was recorded. */
  unzippedSize?: number;
}

/** Whose code it is: a function's, or a layer's (its folders are named after it, code-paths.ts). */
export interface CodeOwner {
  kind: 'function' | 'layer';
  accountId: string;
  region: string;
  name: string;
}

export const functionOwner = (fn: { accountId: string; region: string; name: string }): CodeOwner => ({ kind: 'function', accountId: fn.accountId, region: fn.region, name: fn.name });
export const layerOwner = (layer: { accountId: string; region: string; name: string }): CodeOwner => ({ kind: 'layer', accountId: layer.accountId, region: layer.region, name: layer.name });

/** The digest of the .zip `code` was extracted from, or undefined for a hot-reload folder (nothing is stored). */
export function storedDigest(code: CodeSource): string | undefined {
  if (code.hotReload) return undefined;
  if (code.sha256 !== undefined) return code.sha256;
  // Layer references written before code lived in the store name only the folder, named by the digest in hex.
  const name = code.dir === undefined ? '' : basename(code.dir);
  return DIGEST_NAME.test(name) ? Buffer.from(name, 'hex').toString('base64') : undefined;
}

export { MAX_UNZIPPED_BYTES } from './zip-extract.js';
/** The bucket name AWS's local tools use for code mounted in place (LocalStack's convention, adopted by SAM/CDK users). */
export const HOT_RELOAD_BUCKET = 'hot-reload';

/**
 * Function code and layer content. The uploaded .zip is kept in the store (table `lambda_code`,
 * one row per digest, written in the write unit of the row that refers to it: code-rows.ts), so
 * that any node on the store can run it; the data directory is only this node's cache of it. Each
 * .zip is extracted once to `<dataDir>/functions/<account>/<region>/<name>/<sha256-hex>/` (the
 * digest in hex, since base64 has `/`), next to the .zip itself (`<sha256-hex>.zip`); layers under
 * `<dataDir>/functions/layers/`. Rows hold no path: the folder is found from this node's root when
 * the code is used, and rebuilt from the store when it is missing (another node stored the code,
 * or the folder was wiped).
 * Folder names come from code-paths.ts, which escapes any value that is not of AWS's form, and
 * every path is checked to be inside its resource's folder before anything is written or removed.
 * An in-memory Stratus keeps them in a temporary folder removed at stop.
 */
export class CodeStore {
  readonly root: string;
  private readonly temporary: boolean;
  private readonly store: Reader;
  /** Folders being rebuilt from the store, so that concurrent invocations wait for one extraction. */
  private readonly rebuilding = new Map<string, Promise<boolean>>();
  /**
   * Folders this node found or made, so that a warm invocation makes no file system call (a stat of
   * a path this deep costs more than the rest of preparing it); forgotten as this store removes them.
   */
  private readonly present = new Set<string>();
  /** placeOf, by the object a row was read into (and the owner it was asked for). */
  private readonly places = new WeakMap<object, { key: string; base: string; dir: string; zipPath?: string; digest?: string }>();
  /** Digests a change about to be written refers to, with how many such changes (hold). */
  private readonly holds = new Map<string, number>();

  constructor(options: { dataDir: string; inMemory: boolean; store: Reader }) {
    this.temporary = options.inMemory;
    this.store = options.store;
    this.root = options.inMemory ? mkdtempSync(join(tmpdir(), 'stratus-functions-')) : resolve(options.dataDir, 'functions');
    // The folder is made with the first code stored: a Lambda that holds nothing leaves no trace.
  }

  /**
   * Extracts an uploaded .zip to this node's folder, or answers AWS's error for one that is not a
   * .zip. The bytes reach the store with the row that refers to them (ZipRows.put).
   */
  async storeZip(accountId: string, region: string, name: string, zip: Buffer): Promise<CodeRef> {
    return this.storeUnder(functionFolder(this.root, accountId, region, name), zip);
  }

  /**
   * A layer version's .zip, extracted once to `<root>/layers/<account>/<region>/<layer>/<sha256-hex>/`.
   * Versions with the same bytes share one folder.
   */
  storeLayerZip(accountId: string, region: string, layerName: string, zip: Buffer): Promise<CodeRef> {
    return this.storeUnder(layerFolder(this.root, accountId, region, layerName), zip);
  }

  /**
   * Removes one layer content's folder and .zip on this node, once nothing refers to it: only when
   * it is a `<sha256-hex>` folder of that layer's own folder (a row that named a folder elsewhere
   * leaves it alone).
   */
  removeLayerContent(layer: { accountId: string; region: string; name: string }, code: CodeRef): void {
    const folder = layerFolder(this.root, layer.accountId, layer.region, layer.name);
    const dir = resolve(this.place(folder, code).dir);
    if (dirname(dir) !== folder || !DIGEST_NAME.test(basename(dir)) || !this.within(folder, dir)) return;
    this.forget(dir);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.zip`, { force: true });
  }

  /**
   * Removes layer content nothing refers to any more (`referenced`: the folders of live layer
   * versions and of layers functions use): what a crash between extraction and commit, or a
   * delete while a function still used the version, left behind. Run at start. Only what has the
   * shape this store writes is looked at (folders named as code-paths.ts names them, holding
   * `<sha256-hex>` folders and .zip files and staging folders); anything else is left as it is,
   * such as content an earlier version misplaced, and a folder that cannot be read is skipped.
   */
  sweepLayerContent(referenced: ReadonlySet<string>): void {
    // Compared by <account>/<region>/<layer>/<sha256-hex>, so a data folder that was moved (rows
    // written before code lived in the store hold absolute paths) never looks unreferenced.
    const tail = (dir: string): string => dir.split(sep).slice(-4).join('/');
    const keep = new Set([...referenced].map(tail));
    for (const account of subfolders(layersRoot(this.root), isAccountSegment)) {
      for (const region of subfolders(account, isRegionSegment)) {
        for (const layer of subfolders(region, isNameSegment)) {
          for (const entry of entries(layer)) {
            const name = basename(entry);
            const digest = name.endsWith('.zip') ? name.slice(0, -'.zip'.length) : name;
            if (!DIGEST_NAME.test(digest) && !name.startsWith(STAGING_PREFIX)) continue;
            if (keep.has(tail(join(layer, digest)))) continue;
            if (!this.within(layer, entry)) continue;
            this.forget(entry);
            rmSync(entry, { recursive: true, force: true });
          }
        }
      }
    }
  }

  /**
   * True when `path` is inside `folder` and `folder` inside the store, also once symbolic links on
   * the way are followed (none of this store's folders is one; a link put there by hand is not
   * written or removed through).
   */
  private within(folder: string, path: string): boolean {
    if (!isInside(this.root, folder) || !isInside(folder, path)) return false;
    try {
      return isInside(realpathSync(this.root), realpathSync(folder));
    } catch {
      return !existsSync(folder); // not there yet: nothing on the way to follow
    }
  }

  private async storeUnder(base: string, zip: Buffer): Promise<CodeRef> {
    const sha256 = createHash('sha256').update(zip).digest('base64');
    const unzippedSize = await this.extractUnder(base, zip, sha256);
    return { sha256, size: zip.length, unzippedSize };
  }

  /** Extracts `zip` (of digest `sha256`) to `<base>/<sha256-hex>/` and writes it beside, unless it is there; answers the bytes extracted. */
  private async extractUnder(base: string, zip: Buffer, sha256: string): Promise<number> {
    const hex = Buffer.from(sha256, 'base64').toString('hex');
    const dir = join(base, hex);
    const zipPath = join(base, `${hex}.zip`);
    mkdirSync(base, { recursive: true });
    if (!this.within(base, dir) || !this.within(base, zipPath)) throw new Error(`refusing to store code outside ${this.root}: ${base}`);
    if (existsSync(dir)) {
      if (!existsSync(zipPath)) writeFileSync(zipPath, zip);
      return folderSize(dir);
    }
    const staging = mkdtempSync(join(base, STAGING_PREFIX));
    try {
      const unzippedSize = await extractZip(zip, staging);
      writeFileSync(zipPath, zip);
      try {
        renameSync(staging, dir);
      } catch (error) {
        // Another upload of the same bytes won the race: its folder is as good as ours.
        if (!existsSync(dir)) throw error;
        rmSync(staging, { recursive: true, force: true });
      }
      return unzippedSize;
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** The folder of `owner`'s code on this node (named as code-paths.ts names it). */
  private base(owner: CodeOwner): string {
    return owner.kind === 'function'
      ? functionFolder(this.root, owner.accountId, owner.region, owner.name)
      : layerFolder(this.root, owner.accountId, owner.region, owner.name);
  }

  /**
   * Where `code` is on this node, `base` the folder of its owner: a hot-reload folder where it is;
   * the folder an old row names while it is there; else `<base>/<sha256-hex>`, with the digest to
   * rebuild it from (an old row that names neither keeps its folder).
   */
  private place(base: string, code: CodeSource & { zipPath?: string }): { dir: string; zipPath?: string; digest?: string } {
    if (code.hotReload) return { dir: code.dir ?? base };
    if (code.dir !== undefined && existsSync(code.dir)) return { dir: code.dir, zipPath: code.zipPath ?? `${code.dir}.zip` };
    const digest = storedDigest(code);
    const hex = digest === undefined ? '' : Buffer.from(digest, 'base64').toString('hex');
    if (digest === undefined || !DIGEST_NAME.test(hex)) return { dir: code.dir ?? base, zipPath: code.zipPath };
    return { dir: join(base, hex), zipPath: join(base, `${hex}.zip`), digest };
  }

  /**
   * `place` of `code` for `owner`, remembered for code named by its digest alone (what every row
   * written now holds): working the folder names out again would cost a warm invocation more than
   * all the rest of preparing it.
   */
  private placeOf(owner: CodeOwner, code: CodeSource & { zipPath?: string }): { base: string; dir: string; zipPath?: string; digest?: string } {
    const key = `${owner.kind}\u0000${owner.accountId}\u0000${owner.region}\u0000${owner.name}`;
    const known = this.places.get(code);
    if (known?.key === key) return known;
    const base = this.base(owner);
    const place = { base, ...this.place(base, code) };
    if (code.dir === undefined) this.places.set(code, { key, ...place });
    return place;
  }

  /** The folder `code` of `owner` runs from on this node, whether or not it is there yet. */
  dirOf(owner: CodeOwner, code: CodeSource): string {
    return this.placeOf(owner, code).dir;
  }

  /**
   * The folder `code` of `owner` runs from on this node (and its .zip), extracted first from the
   * .zip in the store when it is missing: once, however many invocations ask for it together.
   */
  async ready(owner: CodeOwner, code: CodeSource & { zipPath?: string }): Promise<{ dir: string; zipPath?: string }> {
    const place = this.placeOf(owner, code);
    const { base, digest } = place;
    if (digest === undefined || this.present.has(place.dir)) return place;
    if (existsSync(place.dir)) {
      this.present.add(place.dir);
      return place;
    }
    let rebuilt = this.rebuilding.get(place.dir);
    if (!rebuilt) {
      rebuilt = this.rebuild(base, digest).finally(() => this.rebuilding.delete(place.dir));
      this.rebuilding.set(place.dir, rebuilt);
    }
    if (await rebuilt) {
      this.present.add(place.dir);
      return place;
    }
    // Code stored before it lived in the store has nothing to rebuild from: it fails to run as it did.
    return code.dir !== undefined ? { dir: code.dir, zipPath: code.zipPath } : place;
  }

  /** Extracts the stored .zip of `digest` under `base`; false when the store has none. */
  private async rebuild(base: string, digest: string): Promise<boolean> {
    const zip = await readZip(this.store, digest);
    if (!zip) return false;
    await this.extractUnder(base, zip, digest);
    return true;
  }

  /**
   * Keeps `digests` referenced (see code-references.ts) from the moment a change that refers to
   * them is decided until `release`, called once the change is written or failed: until then it is
   * in no catalogue, and a delete of another version that used the same bytes, written before it
   * is applied, must not take them from the store.
   */
  hold(digests: Iterable<string | undefined>): () => void {
    const held = [...digests].filter((d): d is string => d !== undefined);
    for (const d of held) this.holds.set(d, (this.holds.get(d) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const d of held) {
        const count = (this.holds.get(d) ?? 1) - 1;
        if (count > 0) this.holds.set(d, count);
        else this.holds.delete(d);
      }
    };
  }

  /** Runs `work` holding the stored .zips of `codes` (hold). */
  async holding<T>(codes: readonly CodeSource[], work: () => Promise<T>): Promise<T> {
    const release = this.hold(codes.map(storedDigest));
    try {
      return await work();
    } finally {
      release();
    }
  }

  held(digest: string): boolean {
    return this.holds.has(digest);
  }

  /**
   * A local folder used in place (Stratus extension for edit-run loops; the convention of AWS's
   * local tooling: `Code: { S3Bucket: "hot-reload", S3Key: "/absolute/path" }`). CodeSha256 is the
   * hash of the path, CodeSize 0: the code changes under Stratus's feet by design.
   */
  hotReload(path: string): CodeRef {
    if (!isAbsolute(path)) throw lambdaErrors.invalidParameter(`The hot-reload code location must be an absolute path: ${path}`);
    let ok = false;
    try {
      ok = statSync(path).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw lambdaErrors.invalidParameter(`The hot-reload code location is not a directory: ${path}`);
    const dir = normalize(path);
    return { sha256: createHash('sha256').update(`hot-reload:${dir}`).digest('base64'), size: 0, dir, hotReload: true };
  }

  /** The bytes of a local `.zip` file given as a code location, or undefined for anything else. */
  localZip(path: string): Buffer | undefined {
    if (!isAbsolute(path) || !path.toLowerCase().endsWith('.zip')) return undefined;
    try {
      return statSync(path).isFile() ? readFileSync(path) : undefined;
    } catch {
      return undefined;
    }
  }

  /** GetFunction's Code.Location: a file URL of the .zip on this node (rebuilt when missing), or of the hot-reload folder. */
  async location(owner: CodeOwner, code: CodeRef): Promise<string> {
    const place = await this.ready(owner, code);
    return pathToFileURL(place.zipPath ?? place.dir).href;
  }

  /**
   * Removes a deleted function's stored code: its own folder, never anything around it (and never a
   * hot-reload folder, which lives elsewhere). Existing data folders hold the same folder names.
   */
  removeFunction(accountId: string, region: string, name: string): void {
    const folder = functionFolder(this.root, accountId, region, name);
    if (!this.within(join(this.root, accountSegment(accountId), regionSegment(region)), folder)) return;
    this.forget(folder);
    rmSync(folder, { recursive: true, force: true });
  }

  /** Removes versions of a function's code on this node (its `<sha256-hex>` folders and .zips), leaving the rest of its folder. */
  removeCode(fn: { accountId: string; region: string; name: string }, codes: CodeRef[]): void {
    const folder = functionFolder(this.root, fn.accountId, fn.region, fn.name);
    for (const code of codes) {
      const dir = resolve(this.place(folder, code).dir);
      if (code.hotReload || dirname(dir) !== folder || !DIGEST_NAME.test(basename(dir)) || !this.within(folder, dir)) continue;
      this.forget(dir);
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.zip`, { force: true });
    }
  }

  /** Forgets that `path`, and any folder inside it, is there: it is about to be removed. */
  private forget(path: string): void {
    for (const dir of this.present) if (dir === path || isInside(path, dir)) this.present.delete(dir);
  }

  close(): void {
    if (this.temporary) rmSync(this.root, { recursive: true, force: true });
  }
}

const STAGING_PREFIX = '.staging-';

/** The folders directly inside `dir` whose names pass `accept` (no links followed; nothing when unreadable). */
function subfolders(dir: string, accept: (name: string) => boolean): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && accept(d.name))
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Bytes of the regular files under `dir` (symbolic links not followed). */
function folderSize(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) total += folderSize(path);
    else if (stat.isFile()) total += stat.size;
  }
  return total;
}
