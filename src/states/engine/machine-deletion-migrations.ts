import type { Migration } from '../../store/store.js';

/** State machines in DELETING (machine-deletions.ts): one row each, with when DeleteStateMachine was asked. */
export const machineDeletionMigrations: Migration[] = [
  {
    id: 'states/0201-machine-deletions',
    sql: `
CREATE TABLE states_machine_deletions (
  machine_arn TEXT PRIMARY KEY,
  since BIGINT NOT NULL
);
`,
  },
];
