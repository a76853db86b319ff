import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3, loaded with require, not import: importing a CommonJS package makes Node parse
 * its modules for their export names first, which took longer than loading it (a tenth of
 * `stratus start`).
 */
const Database = require('better-sqlite3') as typeof BetterSqlite3;

let addon: string | undefined | null = null;

/**
 * The driver's compiled addon, named directly: left to itself the driver finds it through the
 * `bindings` package, which tries a dozen candidate paths with file system calls (about 5 ms of
 * every start). Undefined where it is not at its usual place (a debug build, say): the driver's
 * own search then runs.
 */
function nativeBinding(): string | undefined {
  if (addon === null) {
    try {
      addon = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      addon = undefined;
    }
  }
  return addon;
}

/** Opens (or creates) a SQLite database with better-sqlite3. */
export function openDatabase(filename: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const binding = nativeBinding();
  return new Database(filename, binding === undefined ? options : { ...options, nativeBinding: binding });
}
