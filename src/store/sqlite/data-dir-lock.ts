import type BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StartError } from '../../core/start-error.js';
import { openDatabase } from './driver.js';


/** The process that holds a data directory, as it recorded itself on taking it. */
export interface LockHolder {
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  hostname: string;
}

/** A data directory another Stratus holds: starting on it would give two servers one store. */
export class DataDirInUseError extends StartError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `Stratus process ${holder.pid}${holder.hostname !== hostname() ? ` on ${holder.hostname}` : holder.pid === process.pid ? ' (this process)' : ''}, started ${holder.startedAt}`
      : 'another Stratus process';
    super(`data directory ${dataDir} is in use by ${who}; stop it first, or give this one another --data-dir`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * One Stratus per data directory. Two servers on one store would each keep their own in-memory
 * state (queue indexes, catalogues) and silently disagree.
 *
 * The lock is an exclusive transaction on a small SQLite database of its own, `stratus.lock`,
 * held for the process's life: SQLite takes it as a POSIX advisory (fcntl) lock, which the kernel
 * releases when the process ends, however it ends, so a `kill -9` leaves nothing that blocks the
 * next start, and a reused pid cannot look like a holder. SQLite also tracks its locks per file
 * within a process, so a second store opened in the same process (an in-process test server) is
 * refused too. Who holds it is written beside it, in `stratus.lock.json`, only to name the holder
 * in the refusal (a locked database cannot be read).
 */
export class DataDirLock {
  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly holderFile: string,
    private readonly holder: LockHolder,
  ) {}

  /** Takes the lock of `dataDir` (creating the folder), or throws DataDirInUseError at once. */
  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const holderFile = join(dataDir, 'stratus.lock.json');
    const db = openDatabase(join(dataDir, 'stratus.lock'));
    try {
      // No waiting: a held lock is refused at once.
      db.pragma('busy_timeout = 0');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(resolve(dataDir), readHolder(holderFile));
      throw error;
    }
    const holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), hostname: hostname() };
    // Written whole under another name, then renamed: a reader never sees half a record.
    writeFileSync(`${holderFile}.${process.pid}`, `${JSON.stringify(holder)}\n`);
    renameSync(`${holderFile}.${process.pid}`, holderFile);
    return new DataDirLock(db, holderFile, holder);
  }

  release(): void {
    if (!this.db.open) return;
    // The record goes first, while the lock still keeps another holder from writing its own.
    if (readHolder(this.holderFile)?.startedAt === this.holder.startedAt) rmSync(this.holderFile, { force: true });
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.startedAt !== 'string') return undefined;
    // A record left by a holder that died, read before the new holder wrote its own: it names no one.
    if (holder.hostname === hostname() && !isRunning(holder.pid)) return undefined;
    return { pid: holder.pid, startedAt: holder.startedAt, hostname: typeof holder.hostname === 'string' ? holder.hostname : hostname() };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
