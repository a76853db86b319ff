/** The columns of one message row, in insert order. */
export const MESSAGE_COLUMNS = 20;

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** Builds a statement's text once per count: they are asked for on every batch. */
function perCount(build: (count: number) => string): (count: number) => string {
  const cache: string[] = [];
  return (count) => (cache[count] ??= build(count));
}

/** Seqs spanning fewer than this are looked up as a range too (see messagesIn). */
const NEAR_SPAN = 1024;

/**
 * The condition for several messages of a queue by seq, and its parameters after the queue id.
 * Seqs close together (a receive's, a DeleteMessageBatch of them: most) are also bounded by the
 * range they span. PostgreSQL (15) then reads that stretch of the index once instead of walking
 * down it for each seq of the IN list, past the dead entries the loop's churn leaves: in the
 * cluster benchmark, rows fetched by index scans went from 23.1 a message to 2.0. A wide spread
 * keeps the IN list alone, which reads only what it names.
 */
export function messagesIn(seqs: readonly number[]): { near: boolean; params: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (const seq of seqs) {
    if (seq < min) min = seq;
    if (seq > max) max = seq;
  }
  const near = max - min < NEAR_SPAN;
  return { near, params: near ? [min, max, ...seqs] : [...seqs] };
}

function seqCondition(count: number, near: boolean): string {
  return `${near ? 'seq BETWEEN ? AND ? AND ' : ''}seq IN (${placeholders(count)})`;
}

/** perCount for a statement over messagesIn's condition: one text per count and kind. */
function perSeqs(build: (condition: string) => string): (count: number, near: boolean) => string {
  const wide = perCount((count) => build(seqCondition(count, false)));
  const close = perCount((count) => build(seqCondition(count, true)));
  return (count, near) => (near ? close(count) : wide(count));
}

const insertMessages = perCount((count) => {
  const row = `(${placeholders(MESSAGE_COLUMNS)})`;
  return `INSERT INTO sqs_messages (queue_id, seq, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
    md5_system_attributes, sender_id, sent_at, visible_at, receive_count, first_received_at, received_at, receipt, group_id, dedup_id,
    sequence_number, dead_letter_source) VALUES ${Array.from({ length: count }, () => row).join(', ')}`;
});

/**
 * The same insert for messages that carry no attributes of either kind (most do not): the columns
 * that are then always NULL or 0 are written as literals, so a row binds 10 values, not 20 —
 * queue_id, seq, message_id, body, md5_body, sender_id, sent_at, visible_at, group_id, dedup_id.
 * (sequence_number is no longer written: a FIFO message's is worked out from its seq.)
 */
const insertPlainMessages = perCount((count) => {
  const row = '(?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?, ?, ?, 0, NULL, NULL, NULL, ?, ?, NULL, NULL)';
  return `INSERT INTO sqs_messages (queue_id, seq, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
    md5_system_attributes, sender_id, sent_at, visible_at, receive_count, first_received_at, received_at, receipt, group_id, dedup_id,
    sequence_number, dead_letter_source) VALUES ${Array.from({ length: count }, () => row).join(', ')}`;
});

/** Every SQL statement of the queues service, one constant each (portable SQLite/PostgreSQL). */
export const sql = {
  selectQueues: 'SELECT * FROM sqs_queues',
  insertQueue: `INSERT INTO sqs_queues (account_id, region, name, attributes, tags, created_at, modified_at, next_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
  updateQueueAttributes: 'UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?',
  updateQueueTags: 'UPDATE sqs_queues SET tags = ? WHERE id = ?',
  updateQueueNextSeq: 'UPDATE sqs_queues SET next_seq = ? WHERE id = ? AND next_seq < ?',
  deleteQueue: 'DELETE FROM sqs_queues WHERE id = ?',
  deleteQueueMessages: 'DELETE FROM sqs_messages WHERE queue_id = ?',
  upsertDeletedQueue: `INSERT INTO sqs_deleted_queues (account_id, region, name, deleted_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id, region, name) DO UPDATE SET deleted_at = excluded.deleted_at`,
  selectDeletedQueue: 'SELECT deleted_at FROM sqs_deleted_queues WHERE account_id = ? AND region = ? AND name = ?',
  deleteDeletedQueue: 'DELETE FROM sqs_deleted_queues WHERE account_id = ? AND region = ? AND name = ?',

  selectMessageIndex: `SELECT seq, sent_at, visible_at, receive_count, received_at, first_received_at, receipt, group_id
    FROM sqs_messages WHERE queue_id = ? ORDER BY seq`,
  insertMessage: insertMessages(1),
  /** Statements over several messages at once take one `?` per message (cached per count by the store). */
  insertMessages,
  insertPlainMessages,
  /**
   * Records one receive of several messages. It returns nothing: the engine keeps recently sent
   * content in memory, and reading rows back (RETURNING) cost several times the update itself.
   */
  receiveMessages: perSeqs((condition) => `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
    first_received_at = COALESCE(first_received_at, ?), received_at = ?, receipt = ?
    WHERE queue_id = ? AND ${condition}`),
  /** The rows of messages whose content the engine does not keep in memory. */
  selectMessages: perCount((count) => `SELECT seq, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
    md5_system_attributes, sender_id, sent_at, receive_count, first_received_at, group_id, dedup_id, sequence_number, dead_letter_source
    FROM sqs_messages WHERE queue_id = ? AND seq IN (${placeholders(count)})`),
  selectMessage: 'SELECT * FROM sqs_messages WHERE queue_id = ? AND seq = ?',
  changeVisibility: 'UPDATE sqs_messages SET visible_at = ? WHERE queue_id = ? AND seq = ?',
  deleteMessage: 'DELETE FROM sqs_messages WHERE queue_id = ? AND seq = ?',
  deleteMessages: perSeqs((condition) => `DELETE FROM sqs_messages WHERE queue_id = ? AND ${condition}`),

  /**
   * One send's FIFO deduplication records, as one row of table `turn` (0 or 1) of the dedup log:
   * `records` is a JSON array of [scope, deduplication id, message id, seq], `first_seq` the
   * first of those seqs. The log is appended to, read at start, and asked for a message id when
   * a duplicate arrives (dedup-window.ts holds the ids).
   */
  insertDedupLog: [0, 1].map((turn) => `INSERT INTO sqs_dedup_log_${turn} (queue_id, first_seq, expires_at, records) VALUES (?, ?, ?, ?)`),
  /** The dedup log rows not expired at a moment (parameters: that moment, twice), in seq order per queue. */
  selectDedupLog: `SELECT queue_id, first_seq, expires_at, records FROM sqs_dedup_log_0 WHERE expires_at > ?
    UNION ALL SELECT queue_id, first_seq, expires_at, records FROM sqs_dedup_log_1 WHERE expires_at > ? ORDER BY queue_id, first_seq`,
  /** Per table of the dedup log: the row holding a seq's record, if any (parameters: queue_id, seq). */
  selectDedupLogRow: [0, 1].map(
    (turn) => `SELECT first_seq, records FROM sqs_dedup_log_${turn} WHERE queue_id = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1`,
  ),
  /** Empties table `turn` of the dedup log: everything in it has expired when its turn comes round again. */
  clearDedupLog: ['DELETE FROM sqs_dedup_log_0', 'DELETE FROM sqs_dedup_log_1'],

  insertMoveTask: `INSERT INTO sqs_move_tasks (task_handle, account_id, region, source_arn, destination_arn, max_per_second, status, moved,
    to_move, failure_reason, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?)`,
  selectMoveTask: 'SELECT * FROM sqs_move_tasks WHERE task_handle = ?',
  selectMoveTasksBySource: 'SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC',
  updateMoveTask: 'UPDATE sqs_move_tasks SET status = ?, moved = ?, failure_reason = ? WHERE task_handle = ?',
};
