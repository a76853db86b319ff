import type { Migration, Store } from '../../store/store.js';

/**
 * The queues' tables. `sqs_messages` is the durable log of every message a queue holds; the
 * engine's in-memory index is rebuilt from it at start. Timestamps are ms since the epoch.
 * In SQLite it is a WITHOUT ROWID table: clustered on (queue_id, seq), each insert, receive and
 * delete touches one B-tree instead of a table and its primary-key index.
 */
export const queueMigrations = (backend: Store['backend']): Migration[] => [
  {
    id: 'queues/0001-queues-and-messages',
    sql: `
CREATE TABLE sqs_queues (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  next_seq BIGINT NOT NULL,
  UNIQUE (account_id, region, name)
);
CREATE TABLE sqs_deleted_queues (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  deleted_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);
CREATE TABLE sqs_messages (
  queue_id INTEGER NOT NULL,
  seq BIGINT NOT NULL,
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT,
  system_attributes TEXT,
  md5_body TEXT NOT NULL,
  md5_attributes TEXT,
  md5_system_attributes TEXT,
  sender_id TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  visible_at BIGINT NOT NULL,
  receive_count INTEGER NOT NULL,
  first_received_at BIGINT,
  received_at BIGINT,
  receipt TEXT,
  group_id TEXT,
  dedup_id TEXT,
  sequence_number TEXT,
  dead_letter_source TEXT,
  PRIMARY KEY (queue_id, seq)
)${backend === 'sqlite' ? ' WITHOUT ROWID' : ''};
CREATE TABLE sqs_dedup (
  queue_id INTEGER NOT NULL,
  scope TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (queue_id, scope, dedup_id)
);
CREATE TABLE sqs_move_tasks (
  task_handle TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  source_arn TEXT NOT NULL,
  destination_arn TEXT,
  max_per_second INTEGER,
  status TEXT NOT NULL,
  moved BIGINT NOT NULL,
  to_move BIGINT NOT NULL,
  failure_reason TEXT,
  started_at BIGINT NOT NULL
)`,
  },
  {
    // FIFO deduplication records in two tables that take turns by 5-minute interval (the
    // deduplication interval): a record lives in the table of the interval it was written in, and
    // a table is emptied whole when its turn comes round again — all it holds has expired by then.
    // Deleting expired records one by one cost as much as writing them (queue-engine.ts, dedup).
    id: 'queues/0002-dedup-in-turns',
    sql: `
CREATE TABLE sqs_dedup_0 (
  queue_id INTEGER NOT NULL,
  scope TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (queue_id, scope, dedup_id)
)${backend === 'sqlite' ? ' WITHOUT ROWID' : ''};
CREATE TABLE sqs_dedup_1 (
  queue_id INTEGER NOT NULL,
  scope TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (queue_id, scope, dedup_id)
)${backend === 'sqlite' ? ' WITHOUT ROWID' : ''};
INSERT INTO sqs_dedup_0 (queue_id, scope, dedup_id, message_id, sequence_number, expires_at)
  SELECT queue_id, scope, dedup_id, message_id, sequence_number, expires_at FROM sqs_dedup;
INSERT INTO sqs_dedup_1 (queue_id, scope, dedup_id, message_id, sequence_number, expires_at)
  SELECT queue_id, scope, dedup_id, message_id, sequence_number, expires_at FROM sqs_dedup;
DROP TABLE sqs_dedup`,
  },
  {
    // FIFO deduplication records as an append-only log: one row per send, holding all of its
    // records, in two tables that take turns as before. The ids moved to memory
    // (dedup-window.ts); the keyed tables cost a B-tree insert at a random place per message,
    // where a send now appends one row. A rowid table: appending is its cheap case (clustered on
    // the key, its ~700-byte rows split leaves three ways, which cost more); the key index, read
    // only for a duplicate's message id, takes a small entry at its end.
    // Rows of the old tables carry their seq in the sequence number: '1' and 19 digits of seq × 1024.
    id: 'queues/0003-dedup-log',
    sql: `
${[0, 1]
  .map(
    (turn) => `CREATE TABLE sqs_dedup_log_${turn} (
  queue_id INTEGER NOT NULL,
  first_seq BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  records TEXT NOT NULL,
  PRIMARY KEY (queue_id, first_seq)
);
INSERT INTO sqs_dedup_log_${turn} (queue_id, first_seq, expires_at, records)
  SELECT queue_id, CAST(substr(sequence_number, 2) AS BIGINT) / 1024, expires_at,
    ${backend === 'sqlite' ? 'json_array(json_array(scope, dedup_id, message_id, CAST(substr(sequence_number, 2) AS INTEGER) / 1024))' : 'json_build_array(json_build_array(scope, dedup_id, message_id, CAST(substr(sequence_number, 2) AS BIGINT) / 1024))::text'}
  FROM sqs_dedup_${turn} WHERE sequence_number IS NOT NULL;
DROP TABLE sqs_dedup_${turn};`,
  )
  .join('\n')}`,
  },
  {
    // PostgreSQL only (SQLite rewrites a row in place): a message row is updated at every receive
    // and deleted soon after, so pages keep room for the new version on the same page (a HOT
    // update, no new index entry), and autovacuum clears dead versions after 2% of the table
    // changed instead of 20% — under sustained load the dead versions otherwise pile up in the
    // indexes every receive and delete walks.
    // https://www.postgresql.org/docs/current/storage-hot.html, sql-createtable.html (fillfactor)
    id: 'queues/0004-postgres-churn',
    sql:
      backend === 'postgres'
        ? `ALTER TABLE sqs_messages SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0)`
        : '',
  },
];
