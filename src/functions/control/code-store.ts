import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { extractZip } from './zip-extract.js';

/** Where a version's code lives and what AWS reports about it. */
export interface CodeRef {
  /** Base64 SHA-256 of the uploaded .zip (CodeSha256). */
  sha256: string;
  /** Bytes of the .zip (CodeSize). */
  size: number;
  /** The folder the code runs from: the extracted .zip, or a hot-reload folder used in place. */
  dir: string;
  /** The stored .zip, for GetFunction's Code.Location. */
  zipPath?: string;
  /** A Stratus hot-reload folder (`S3Bucket: "hot-reload"`, `S3Key: "/abs/path"`). */
  hotReload?: boolean;
  /** Bytes once extracted (for the 250 MB limit on code and layers together); absent for hot-reload folders and code stored before it was recorded. */
  unzippedSize?: number;
}

export { MAX_UNZIPPED_BYTES } from './zip-extract.js';
/** The bucket name AWS's local tools use for code mounted in place (LocalStack's convention, adopted by SAM/CDK users). */
export const HOT_RELOAD_BUCKET = 'hot-reload';

/**
 * Function code on disk: each uploaded .zip is extracted once to
 * `<dataDir>/functions/<account>/<region>/<name>/<sha256-hex>/` (the digest in hex, since base64
 * has `/`), next to the .zip itself (`<sha256-hex>.zip`); layers under `<dataDir>/functions/layers/`.
 * Folder names come from code-paths.ts, which escapes any value that is not of AWS's form, and
 * every path is checked to be inside its resource's folder before anything is written or removed.
 * An in-memory Stratus keeps them in a temporary folder removed at stop. Code is written before
 * the function row commits, so an acknowledged function always has its code; a crash in between
 * leaves an unreferenced folder.
 */
export class CodeStore {
  readonly root: string;
  private readonly temporary: boolean;

  constructor(options: { dataDir: string; inMemory: boolean }) {
    this.temporary = options.inMemory;
    this.root = options.inMemory ? mkdtempSync(join(tmpdir(), 'stratus-functions-')) : resolve(options.dataDir, 'functions');
    // The folder is made with the first code stored: a Lambda that holds nothing leaves no trace.
  }

  /** Stores and extracts an uploaded .zip, or answers AWS's error for one that is not a .zip. */
  storeZip(accountId: string, region: string, name: string, zip: Buffer): Promise<CodeRef> {
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
   * Removes one stored layer content (its folder and .zip), once nothing refers to it: only when it
   * is a `<sha256-hex>` folder of that layer's own folder (a data folder that was moved, or a row
   * some other version wrote, leaves it alone).
   */
  removeLayerContent(layer: { accountId: string; region: string; name: string }, code: CodeRef): void {
    const folder = layerFolder(this.root, layer.accountId, layer.region, layer.name);
    const dir = resolve(code.dir);
    if (dirname(dir) !== folder || !DIGEST_NAME.test(basename(dir)) || !this.within(folder, dir)) return;
    rmSync(dir, { recursive: true, force: true });
    if (code.zipPath !== undefined && resolve(code.zipPath) === `${dir}.zip`) rmSync(`${dir}.zip`, { force: true });
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
    // Compared by <account>/<region>/<layer>/<sha256-hex>, so a data folder that was moved (stored
    // paths are absolute) never looks unreferenced.
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
            if (this.within(layer, entry)) rmSync(entry, { recursive: true, force: true });
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
    const digest = createHash('sha256').update(zip).digest();
    const sha256 = digest.toString('base64');
    const hex = digest.toString('hex');
    const dir = join(base, hex);
    const zipPath = join(base, `${hex}.zip`);
    mkdirSync(base, { recursive: true });
    if (!this.within(base, dir) || !this.within(base, zipPath)) throw new Error(`refusing to store code outside ${this.root}: ${base}`);
    let unzippedSize: number;
    if (!existsSync(dir)) {
      const staging = mkdtempSync(join(base, STAGING_PREFIX));
      try {
        unzippedSize = await extractZip(zip, staging);
        writeFileSync(zipPath, zip);
        try {
          renameSync(staging, dir);
        } catch (error) {
          // Another upload of the same bytes won the race: its folder is as good as ours.
          if (!existsSync(dir)) throw error;
          rmSync(staging, { recursive: true, force: true });
        }
      } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw error;
      }
    } else {
      unzippedSize = folderSize(dir);
      if (!existsSync(zipPath)) writeFileSync(zipPath, zip);
    }
    return { sha256, size: zip.length, dir, zipPath, unzippedSize };
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

  /** GetFunction's Code.Location: a file URL of the stored .zip (or of the hot-reload folder). */
  location(code: CodeRef): string {
    return pathToFileURL(code.zipPath ?? code.dir).href;
  }

  /**
   * Removes a deleted function's stored code: its own folder, never anything around it (and never a
   * hot-reload folder, which lives elsewhere). Existing data folders hold the same folder names.
   */
  removeFunction(accountId: string, region: string, name: string): void {
    const folder = functionFolder(this.root, accountId, region, name);
    if (this.within(join(this.root, accountSegment(accountId), regionSegment(region)), folder)) rmSync(folder, { recursive: true, force: true });
  }

  /** Removes stored versions of a function (its `<sha256-hex>` folders and .zips), leaving the rest of its folder. */
  removeCode(fn: { accountId: string; region: string; name: string }, codes: CodeRef[]): void {
    const folder = functionFolder(this.root, fn.accountId, fn.region, fn.name);
    for (const code of codes) {
      const dir = resolve(code.dir);
      if (code.hotReload || dirname(dir) !== folder || !DIGEST_NAME.test(basename(dir)) || !this.within(folder, dir)) continue;
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.zip`, { force: true });
    }
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
