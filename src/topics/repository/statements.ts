/** Every SQL statement of the SNS service, one constant each (portable SQLite/PostgreSQL). */
export const sql = {
  selectTopics: 'SELECT * FROM sns_topics',
  insertTopic: `INSERT INTO sns_topics (arn, account_id, region, name, attributes, tags, data_protection_policy, subscriptions_deleted, sequence, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`,
  updateTopicAttributes: 'UPDATE sns_topics SET attributes = ? WHERE arn = ?',
  updateTopicTags: 'UPDATE sns_topics SET tags = ? WHERE arn = ?',
  updateTopicDataProtection: 'UPDATE sns_topics SET data_protection_policy = ? WHERE arn = ?',
  updateTopicDeletedCount: 'UPDATE sns_topics SET subscriptions_deleted = ? WHERE arn = ?',
  /** The FIFO sequence only ever grows: concurrent publishes may commit out of order. */
  raiseTopicSequence: 'UPDATE sns_topics SET sequence = ? WHERE arn = ? AND sequence < ?',
  deleteTopic: 'DELETE FROM sns_topics WHERE arn = ?',

  selectSubscriptions: 'SELECT * FROM sns_subscriptions ORDER BY position',
  insertSubscription: `INSERT INTO sns_subscriptions (arn, topic_arn, owner, protocol, endpoint, attributes, pending, token, position, token_issued_at, principal)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateSubscriptionAttributes: 'UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?',
  confirmSubscription: 'UPDATE sns_subscriptions SET pending = 0 WHERE arn = ?',
  deleteSubscription: 'DELETE FROM sns_subscriptions WHERE arn = ?',
  deleteTopicSubscriptions: 'DELETE FROM sns_subscriptions WHERE topic_arn = ?',

  insertResubscribeToken: 'INSERT INTO sns_resubscribe_tokens (token, topic_arn, subscription, issued_at) VALUES (?, ?, ?, ?)',
  selectResubscribeToken: 'SELECT * FROM sns_resubscribe_tokens WHERE token = ?',
  deleteResubscribeToken: 'DELETE FROM sns_resubscribe_tokens WHERE token = ?',
  deleteTopicResubscribeTokens: 'DELETE FROM sns_resubscribe_tokens WHERE topic_arn = ?',

  selectApplications: 'SELECT * FROM sns_platform_applications ORDER BY created_at, arn',
  upsertApplication: `INSERT INTO sns_platform_applications (arn, account_id, region, name, platform, attributes, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes`,
  deleteApplication: 'DELETE FROM sns_platform_applications WHERE arn = ?',

  selectEndpoints: 'SELECT * FROM sns_platform_endpoints ORDER BY position',
  upsertEndpoint: `INSERT INTO sns_platform_endpoints (arn, application_arn, token, attributes, position) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET token = excluded.token, attributes = excluded.attributes`,
  deleteEndpoint: 'DELETE FROM sns_platform_endpoints WHERE arn = ?',
  deleteApplicationEndpoints: 'DELETE FROM sns_platform_endpoints WHERE application_arn = ?',

  selectAccountSettings: 'SELECT * FROM sns_account_settings',
  upsertSmsAttributes: `INSERT INTO sns_account_settings (account_id, region, sms_attributes) VALUES (?, ?, ?)
    ON CONFLICT (account_id, region) DO UPDATE SET sms_attributes = excluded.sms_attributes`,

  selectSandboxNumbers: 'SELECT * FROM sns_sandbox_numbers ORDER BY created_at, phone_number',
  upsertSandboxNumber: `INSERT INTO sns_sandbox_numbers (account_id, region, phone_number, status, one_time_password, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, phone_number) DO UPDATE SET status = excluded.status, one_time_password = excluded.one_time_password`,
  deleteSandboxNumber: 'DELETE FROM sns_sandbox_numbers WHERE account_id = ? AND region = ? AND phone_number = ?',

  /** The deduplication window of FIFO topics: what a publish inside it answers instead of publishing again. */
  selectLiveDedup: 'SELECT * FROM sns_fifo_dedup WHERE expires_at > ?',
  insertDedup: `INSERT INTO sns_fifo_dedup (topic_arn, dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (topic_arn, dedup_key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number,
      expires_at = excluded.expires_at`,
  deleteExpiredDedup: 'DELETE FROM sns_fifo_dedup WHERE expires_at <= ?',
  deleteTopicDedup: 'DELETE FROM sns_fifo_dedup WHERE topic_arn = ?',

  insertOutbox: 'INSERT INTO sns_fifo_outbox (subscription_arn, group_id, delivery) VALUES (?, ?, ?)',
  /** The next message of one (subscription, group). Params: subscription, group. */
  selectOutboxHead: 'SELECT id, delivery FROM sns_fifo_outbox WHERE subscription_arn = ? AND group_id = ? ORDER BY id LIMIT 1',
  deleteOutboxRow: 'DELETE FROM sns_fifo_outbox WHERE id = ?',
  deleteSubscriptionOutbox: 'DELETE FROM sns_fifo_outbox WHERE subscription_arn = ?',
  /** Returns a row only when the chain is new: the caller then enqueues the job that drains it. */
  insertChain: `INSERT INTO sns_fifo_chains (subscription_arn, group_id) VALUES (?, ?) ON CONFLICT (subscription_arn, group_id) DO NOTHING
    RETURNING subscription_arn`,
  deleteChain: 'DELETE FROM sns_fifo_chains WHERE subscription_arn = ? AND group_id = ?',
  deleteSubscriptionChains: 'DELETE FROM sns_fifo_chains WHERE subscription_arn = ?',

  insertFailedDelivery: `INSERT INTO sns_failed_deliveries (failed_at, trace_id, subscription_arn, endpoint, message_id, error_code, error_message, condition,
    attempts, dead_letter_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  selectFailedDeliveries: 'SELECT * FROM sns_failed_deliveries WHERE subscription_arn = ? ORDER BY id',

  insertOutboxMessage: `INSERT INTO sns_outbox (account_id, region, protocol, endpoint, topic_arn, subscription_arn, message_id, type, sender, subject, body, sent_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  /** Params: each filter twice (null: any), then the limit. */
  selectOutboxMessages: `SELECT * FROM sns_outbox WHERE (? IS NULL OR protocol = ?) AND (? IS NULL OR endpoint = ?) AND (? IS NULL OR topic_arn = ?)
    AND (? IS NULL OR subscription_arn = ?) ORDER BY id LIMIT ?`,

  selectArchiveTopics: 'SELECT * FROM sns_archive_topics',
  upsertArchiveTopic: 'INSERT INTO sns_archive_topics (topic_arn, since) VALUES (?, ?) ON CONFLICT (topic_arn) DO NOTHING',
  deleteArchiveTopic: 'DELETE FROM sns_archive_topics WHERE topic_arn = ?',
  insertArchived: 'INSERT INTO sns_archive (topic_arn, sequence_number, message_id, published_at, message) VALUES (?, ?, ?, ?, ?)',
  deleteTopicArchive: 'DELETE FROM sns_archive WHERE topic_arn = ?',
  /** Params: topic, the oldest publish time kept. */
  deleteExpiredArchived: 'DELETE FROM sns_archive WHERE topic_arn = ? AND published_at < ?',
  selectOldestArchived: 'SELECT MIN(published_at) AS oldest FROM sns_archive WHERE topic_arn = ?',
  selectLastArchived: 'SELECT MAX(sequence_number) AS last FROM sns_archive WHERE topic_arn = ?',
  /** Params: topic, after (exclusive), up to (inclusive), published from, published until. */
  selectNextArchived: `SELECT message FROM sns_archive WHERE topic_arn = ? AND sequence_number > ? AND sequence_number <= ? AND published_at >= ? AND published_at <= ?
    ORDER BY sequence_number LIMIT 1`,

  selectReplays: 'SELECT * FROM sns_replays',
  upsertReplay: `INSERT INTO sns_replays (subscription_arn, topic_arn, status, window_start, window_end, up_to, cursor, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (subscription_arn) DO UPDATE SET status = excluded.status, window_start = excluded.window_start, window_end = excluded.window_end,
      up_to = excluded.up_to, cursor = excluded.cursor, started_at = excluded.started_at`,
  updateReplayStatus: 'UPDATE sns_replays SET status = ? WHERE subscription_arn = ?',
  updateReplayCursor: 'UPDATE sns_replays SET cursor = ? WHERE subscription_arn = ?',
  deleteReplay: 'DELETE FROM sns_replays WHERE subscription_arn = ?',
  deleteTopicReplays: 'DELETE FROM sns_replays WHERE topic_arn = ?',
  /** The message groups a subscription has messages waiting in (its FIFO outbox). */
  selectOutboxGroups: 'SELECT DISTINCT group_id FROM sns_fifo_outbox WHERE subscription_arn = ?',
};
