import type { Migration } from '../../store/store.js';

/**
 * Step Functions' control plane: state machines with their current revision, published versions,
 * aliases and activities. Structured values (logging, tracing and encryption configurations,
 * tags, routing) are JSON text; times are ms since the epoch. Every row is keyed by account and
 * region through its ARN, which holds both.
 */
export const statesMigrations: Migration[] = [
  {
    id: 'states/0001-control-plane',
    sql: `
CREATE TABLE states_machines (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  logging TEXT NOT NULL,
  tracing TEXT NOT NULL,
  encryption TEXT,
  revision_id TEXT,
  revision BIGINT NOT NULL,
  created_published INTEGER NOT NULL,
  created_version_description TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  next_version BIGINT NOT NULL
);
CREATE INDEX states_machines_by_owner ON states_machines (account_id, region, name);
CREATE TABLE states_versions (
  machine_arn TEXT NOT NULL,
  version BIGINT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  logging TEXT NOT NULL,
  tracing TEXT NOT NULL,
  encryption TEXT,
  revision_id TEXT,
  revision BIGINT NOT NULL,
  description TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (machine_arn, version)
);
CREATE TABLE states_aliases (
  machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  routing TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (machine_arn, name)
);
CREATE TABLE states_activities (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  tags TEXT NOT NULL,
  encryption TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX states_activities_by_owner ON states_activities (account_id, region, name);
`,
  },
];
