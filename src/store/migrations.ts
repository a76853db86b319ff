import { StartError } from '../core/start-error.js';
import type { Migration, Store } from './store.js';

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS stratus_migrations (
  id TEXT PRIMARY KEY,
  applied_at INTEGER NOT NULL
)`;

/**
 * Applies, in id order, each migration the ledger does not list yet; each one runs in its
 * own transaction together with its ledger row, so a crash mid-way leaves it unapplied.
 * Statements are split on `;` at line ends; migrations keep one statement per line group.
 */
export async function applyMigrations(store: Store, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  await store.write((tx) => tx.run(CREATE_LEDGER));
  const done = new Set((await store.all<{ id: string }>('SELECT id FROM stratus_migrations')).map((r) => r.id));
  // A migration of this component that this build does not know was applied by a newer build:
  // its tables may no longer be what this one reads and writes, so it must not go on.
  const components = new Set(migrations.map((m) => componentOf(m.id)));
  const unknown = [...done].filter((id) => components.has(componentOf(id)) && !ids.has(id)).sort();
  if (unknown.length > 0) {
    throw new StartError(
      `the store was migrated by a newer Stratus: it holds migration ${unknown.join(', ')}, which this version does not know; run that newer version (or this one on another store)`,
    );
  }
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (done.has(migration.id)) continue;
    await store.write(async (tx) => {
      for (const statement of splitStatements(migration.sql)) await tx.run(statement);
      await tx.run('INSERT INTO stratus_migrations (id, applied_at) VALUES (?, ?)', [migration.id, Date.now()]);
    });
    applied.push(migration.id);
  }
  return applied;
}

/** `queues/0002-dedup-in-turns` → `queues`. */
function componentOf(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The tables the migrations leave in place, in id order: every `CREATE TABLE` not dropped by a
 * later one. What tells whether a component holds any data (ServiceModule.onDemand).
 */
export function tablesOf(migrations: readonly Migration[]): string[] {
  const tables = new Set<string>();
  const statement = /\b(CREATE|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?["`]?(\w+)/gi;
  for (const migration of [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const [, verb, table] of migration.sql.matchAll(statement)) {
      if (verb.toUpperCase() === 'CREATE') tables.add(table);
      else tables.delete(table);
    }
  }
  return [...tables];
}
