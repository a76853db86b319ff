import type { Migration, Store } from '../../store/store.js';

/**
 * The CloudWatch Logs tables. Timestamps are ms since the epoch.
 *
 * `logs_events` is clustered on (group_id, stream_id, ts, seq) (WITHOUT ROWID in SQLite), so
 * GetLogEvents and a stream's deletion are range scans of one B-tree; `logs_events_by_time` on
 * (group_id, ts, seq) makes FilterLogEvents (every stream of a group, interleaved by time) and the
 * retention sweep range scans too. `seq` comes from the group's `next_seq`: unique within the
 * group, it orders events of equal timestamps by ingestion and makes the event id.
 */
export const logsMigrations = (backend: Store['backend']): Migration[] => [
  {
    id: 'logs/0001-groups-streams-events',
    sql: `
CREATE TABLE logs_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retention_days INTEGER,
  kms_key_id TEXT,
  log_group_class TEXT NOT NULL,
  deletion_protection INTEGER NOT NULL,
  tags TEXT NOT NULL,
  stored_bytes BIGINT NOT NULL,
  next_seq BIGINT NOT NULL,
  UNIQUE (account_id, region, name)
);
CREATE TABLE logs_streams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  first_event_ts BIGINT,
  last_event_ts BIGINT,
  last_ingestion BIGINT,
  UNIQUE (group_id, name)
);
CREATE INDEX logs_streams_by_last_event ON logs_streams (group_id, COALESCE(last_event_ts, -1), name);
CREATE TABLE logs_events (
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  ts BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  ingestion BIGINT NOT NULL,
  bytes INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (group_id, stream_id, ts, seq)
)${backend === 'sqlite' ? ' WITHOUT ROWID' : ''};
CREATE INDEX logs_events_by_time ON logs_events (group_id, ts, seq)`,
  },
];
