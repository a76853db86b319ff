import { lstat, mkdir, open, symlink, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type yauzl from 'yauzl';
import { lambdaErrors } from '../model/errors.js';

/** Loaded with the first .zip, not with the service (and with require: importing a CommonJS package from an ES module makes Node scan it for export names first). */
let zipReader: typeof yauzl | undefined;
const reader = (): typeof yauzl => (zipReader ??= createRequire(import.meta.url)('yauzl') as typeof yauzl);

/** "Deployment package (.zip file archive) … 250 MB (unzipped)" (Lambda quotas). */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/** "Could not unzip uploaded file. Please check your file, then try to upload again." ([R] AWS's text for a ZipFile that is not a .zip). */
export const badZip = () => lambdaErrors.invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Hosts whose external attributes carry a Unix mode (APPNOTE 4.4.2: 3 = UNIX, 19 = OS X). */
const UNIX_HOSTS = new Set([3, 19]);
/** Longest symbolic link target Linux takes (PATH_MAX). */
const MAX_LINK_TARGET = 4095;

type EntryKind = 'directory' | 'symlink' | 'file';

function kindOf(entry: yauzl.Entry): EntryKind {
  if (entry.fileName.endsWith('/')) return 'directory';
  const mode = entry.externalFileAttributes >>> 16;
  if (UNIX_HOSTS.has(entry.versionMadeBy >> 8)) {
    if ((mode & S_IFMT) === S_IFLNK) return 'symlink';
    if ((mode & S_IFMT) === S_IFDIR) return 'directory';
  }
  return 'file';
}

/**
 * Extracts `zip` into the fresh, empty folder `into` and answers the bytes extracted.
 *
 * Symbolic links are kept as links, as Lambda keeps them: a package built with `zip -y` runs with
 * its links, including ones to `/opt/...` that reach a layer (the ES-module layer workaround and
 * Bref's layers ship such links). A link's target is stored as written and never followed here;
 * what the function reads through it at run time is its own business, like any file it opens.
 *
 * Nothing is ever written through a link: every folder on an entry's way is checked to be a real
 * folder (created by this extraction, never a link), and a file replaces whatever link or file was
 * at its own path rather than writing into it. A zip with an entry "through" a link (`lib` a link,
 * then `lib/x.js`) is refused with AWS's "Could not unzip uploaded file" error: writing it where
 * the link points could reach outside the function's folder, and writing it into a real folder
 * would silently undo the link. What it means depends on the order of the entries, and no
 * packaging tool makes such zips (`zip -y` stores the link and not what is under it; without
 * `-y`, the files under it and no link).
 */
export function extractZip(zip: Buffer, into: string): Promise<number> {
  return new Promise<number>((resolvePromise, reject) => {
    reader().fromBuffer(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (openError, zipfile) => {
      if (openError || !zipfile) return reject(badZip());
      let total = 0;
      let failed = false;
      /** Real folders known to be on the way: made here, or checked with lstat. */
      const folders = new Set<string>([resolve(into)]);
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        zipfile.close();
        reject(error);
      };
      zipfile.on('error', () => fail(badZip()));
      zipfile.on('end', () => {
        if (!failed) resolvePromise(total);
      });

      /** Makes `folder` and the folders on its way, refusing the zip where one is a link or a file. */
      const folderAt = async (folder: string): Promise<void> => {
        const parts = relative(resolve(into), folder).split(sep).filter((p) => p !== '');
        let at = resolve(into);
        for (const part of parts) {
          at = join(at, part);
          if (folders.has(at)) continue;
          try {
            if (!(await lstat(at)).isDirectory()) throw badZip(); // a link or a file on the way
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw badZip();
            await mkdir(at);
          }
          folders.add(at);
        }
      };
      /** Clears the way for a file or link at `path`: an earlier file or link there goes, a folder refuses the zip. */
      const clear = async (path: string): Promise<void> => {
        if (folders.has(path)) throw badZip();
        try {
          if ((await lstat(path)).isDirectory()) throw badZip();
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw badZip();
        }
        await unlink(path); // the entry itself, never what a link points at
      };

      zipfile.on('entry', (entry: yauzl.Entry) => {
        const target = resolve(into, entry.fileName);
        const rel = relative(resolve(into), target);
        if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`)) {
          if (rel === '' && entry.fileName.endsWith('/')) return zipfile.readEntry(); // "./"
          return fail(badZip());
        }
        total += entry.uncompressedSize;
        if (total > MAX_UNZIPPED_BYTES) return fail(lambdaErrors.invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`));
        const kind = kindOf(entry);
        if (kind === 'directory') {
          folderAt(target).then(() => zipfile.readEntry(), fail);
          return;
        }
        if (kind === 'symlink' && entry.uncompressedSize > MAX_LINK_TARGET) return fail(badZip());
        zipfile.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(badZip());
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', () => fail(badZip()));
          stream.on('end', () => {
            const content = Buffer.concat(chunks);
            folderAt(dirname(target))
              .then(() => clear(target))
              .then(() => (kind === 'symlink' ? writeLink(content, target) : writeNewFile(content, target, fileMode(entry))))
              .then(() => zipfile.readEntry(), fail);
          });
        });
      });
      zipfile.readEntry();
    });
  });
}

/**
 * Unix permission bits ride in the high half of the external attributes; the execute bits are kept
 * (a provided runtime's `bootstrap` needs them).
 */
function fileMode(entry: yauzl.Entry): number {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0o777;
  return unixMode !== 0 ? unixMode | 0o600 : 0o644;
}

/** Creates the file (never opening one that is there, nor a link: O_EXCL) and sets its mode on the open handle. */
async function writeNewFile(content: Buffer, path: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

async function writeLink(content: Buffer, path: string): Promise<void> {
  const linkTarget = content.toString('utf8');
  if (linkTarget === '' || linkTarget.includes('\u0000')) throw badZip();
  await symlink(linkTarget, path);
}
