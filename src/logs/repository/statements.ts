/** The columns of one event row, in insert order. */
const EVENT_COLUMNS = 7;

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** Builds a statement's text once per count: the store caches prepared statements by text. */
function perCount(build: (count: number) => string): (count: number) => string {
  const cache: string[] = [];
  return (count) => (cache[count] ??= build(count));
}

/** Rows per multi-row INSERT: 100 × 7 parameters stays far below SQLite's variable limit. */
export const INSERT_CHUNK = 100;

export interface GroupRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  deletion_protection: number;
  tags: string;
  stored_bytes: number;
  next_seq: number;
}

export interface StreamRow {
  id: number;
  group_id: number;
  name: string;
  created_at: number;
  first_event_ts: number | null;
  last_event_ts: number | null;
  last_ingestion: number | null;
}

export interface EventRow {
  stream_id: number;
  ts: number;
  seq: number;
  ingestion: number;
  message: string;
}

/** Every SQL statement of the logs service (the portable SQLite/PostgreSQL subset). */
export const sql = {
  insertGroup: `INSERT INTO logs_groups (account_id, region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection,
    tags, stored_bytes, next_seq) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 0, 1)
    ON CONFLICT (account_id, region, name) DO NOTHING RETURNING id`,
  selectGroup: 'SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?',
  /** Groups after a name and at or after a prefix, in name order (ASCII: names are `[.\-_/#A-Za-z0-9]+`). */
  selectGroupsAfter: 'SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name > ? AND name >= ? ORDER BY name LIMIT ?',
  selectGroupsWithRetention: 'SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL',
  updateRetention: 'UPDATE logs_groups SET retention_days = ? WHERE id = ?',
  updateTags: 'UPDATE logs_groups SET tags = ? WHERE id = ?',
  /** Reserves `count` seqs and counts the bytes: the new next_seq comes back. */
  reserveSeq: 'UPDATE logs_groups SET next_seq = next_seq + ?, stored_bytes = stored_bytes + ? WHERE id = ? RETURNING next_seq',
  subtractBytes: 'UPDATE logs_groups SET stored_bytes = stored_bytes - ? WHERE id = ?',
  deleteGroup: 'DELETE FROM logs_groups WHERE id = ?',
  deleteGroupStreams: 'DELETE FROM logs_streams WHERE group_id = ?',
  deleteGroupEvents: 'DELETE FROM logs_events WHERE group_id = ?',

  insertStream: `INSERT INTO logs_streams (group_id, name, created_at) VALUES (?, ?, ?)
    ON CONFLICT (group_id, name) DO NOTHING RETURNING id`,
  selectStream: 'SELECT * FROM logs_streams WHERE group_id = ? AND name = ?',
  selectStreamNames: 'SELECT id, name FROM logs_streams WHERE group_id = ?',
  /** The group of a PutLogEvents, and its stream if that exists, in one look-up. */
  selectPutTarget: `SELECT g.id AS group_id, g.retention_days AS retention_days, s.id AS stream_id
    FROM logs_groups g LEFT JOIN logs_streams s ON s.group_id = g.id AND s.name = ?
    WHERE g.account_id = ? AND g.region = ? AND g.name = ?`,
  updateStreamAfterPut: `UPDATE logs_streams SET
    first_event_ts = CASE WHEN first_event_ts IS NULL OR first_event_ts > ? THEN ? ELSE first_event_ts END,
    last_event_ts = CASE WHEN last_event_ts IS NULL OR last_event_ts < ? THEN ? ELSE last_event_ts END,
    last_ingestion = ? WHERE id = ?`,
  deleteStream: 'DELETE FROM logs_streams WHERE id = ?',
  /** DescribeLogStreams by name: rows at or after the prefix, after the cursor. */
  streamsByNameAsc: 'SELECT * FROM logs_streams WHERE group_id = ? AND name >= ? AND name > ? ORDER BY name LIMIT ?',
  streamsByNameDesc: 'SELECT * FROM logs_streams WHERE group_id = ? AND name < ? ORDER BY name DESC LIMIT ?',
  /** By last event time; streams without events sort first (as -1). */
  streamsByTimeAsc: `SELECT * FROM logs_streams WHERE group_id = ? AND (COALESCE(last_event_ts, -1), name) > (?, ?)
    ORDER BY COALESCE(last_event_ts, -1), name LIMIT ?`,
  streamsByTimeDesc: `SELECT * FROM logs_streams WHERE group_id = ? AND (COALESCE(last_event_ts, -1), name) < (?, ?)
    ORDER BY COALESCE(last_event_ts, -1) DESC, name DESC LIMIT ?`,

  insertEvents: perCount(
    (count) =>
      `INSERT INTO logs_events (group_id, stream_id, ts, seq, ingestion, bytes, message) VALUES ${Array.from(
        { length: count },
        () => `(${placeholders(EVENT_COLUMNS)})`,
      ).join(', ')}`,
  ),
  /** One stream's events after a key, within [from, to). */
  streamEventsForward: `SELECT stream_id, ts, seq, ingestion, message FROM logs_events
    WHERE group_id = ? AND stream_id = ? AND (ts, seq) > (?, ?) AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?`,
  /** One stream's events before a key, within [from, to), newest first. */
  streamEventsBackward: `SELECT stream_id, ts, seq, ingestion, message FROM logs_events
    WHERE group_id = ? AND stream_id = ? AND (ts, seq) < (?, ?) AND ts >= ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT ?`,
  /** A group's events (every stream, interleaved by time) after a key, within [from, to]. */
  groupEventsForward: `SELECT e.stream_id AS stream_id, s.name AS stream_name, e.ts AS ts, e.seq AS seq, e.ingestion AS ingestion,
    e.message AS message FROM logs_events e JOIN logs_streams s ON s.id = e.stream_id
    WHERE e.group_id = ? AND (e.ts, e.seq) > (?, ?) AND e.ts >= ? AND e.ts <= ? ORDER BY e.ts, e.seq LIMIT ?`,
  streamBytes: 'SELECT COALESCE(SUM(bytes), 0) AS bytes FROM logs_events WHERE group_id = ? AND stream_id = ?',
  deleteStreamEvents: 'DELETE FROM logs_events WHERE group_id = ? AND stream_id = ?',
  oldestEvent: 'SELECT MIN(ts) AS ts FROM logs_events WHERE group_id = ?',
  expiredBytes: 'SELECT COALESCE(SUM(bytes), 0) AS bytes FROM logs_events WHERE group_id = ? AND ts < ?',
  deleteExpired: 'DELETE FROM logs_events WHERE group_id = ? AND ts < ?',
};
