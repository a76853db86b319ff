import type { Migration } from '../../store/store.js';

/**
 * EventBridge's tables: the control plane (buses, rules, targets) that the engine keeps in
 * memory and rebuilds from here at start, and the record of deliveries that failed for good.
 * Pending deliveries are not here: each is a job in `delivery_jobs` (DESIGN.md rule 2).
 * Structured values (tags, a target's full definition) are JSON text. Times are ms since the epoch.
 */
export const eventsMigrations: Migration[] = [
  {
    id: 'events/0001-buses-rules-targets',
    sql: `
CREATE TABLE events_buses (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  policy TEXT,
  kms_key_identifier TEXT,
  dead_letter_arn TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);
CREATE TABLE events_rules (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  bus_name TEXT NOT NULL,
  name TEXT NOT NULL,
  event_pattern TEXT,
  schedule_expression TEXT,
  state TEXT NOT NULL,
  description TEXT,
  role_arn TEXT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, bus_name, name)
);
CREATE TABLE events_targets (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  bus_name TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  target_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (account_id, region, bus_name, rule_name, target_id)
);
CREATE TABLE events_failed_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  failed_at BIGINT NOT NULL,
  trace_id TEXT,
  rule_arn TEXT NOT NULL,
  target_arn TEXT NOT NULL,
  error_code TEXT NOT NULL,
  error_message TEXT NOT NULL,
  condition TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_letter_arn TEXT,
  event TEXT NOT NULL
);
CREATE INDEX events_failed_deliveries_rule ON events_failed_deliveries (rule_arn, failed_at);
`,
  },
];
