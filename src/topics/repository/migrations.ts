import type { Migration } from '../../store/store.js';

/**
 * SNS's tables. The control plane (topics, subscriptions, platform applications and endpoints,
 * account SMS settings) is kept in memory by the engine and rebuilt from here at start. Pending
 * deliveries are not here: each is a job in `delivery_jobs` (DESIGN.md rule 2), except the
 * messages of a FIFO subscription, which wait in `sns_fifo_outbox` in publish order, drained in
 * order by one job per (subscription, message group) recorded in `sns_fifo_chains`.
 *
 * Structured values (attributes, tags) are JSON text. Times are ms since the epoch.
 */
export const topicsMigrations: Migration[] = [
  {
    id: 'topics/0001-topics-subscriptions',
    sql: `
CREATE TABLE sns_topics (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  data_protection_policy TEXT,
  subscriptions_deleted BIGINT NOT NULL,
  sequence BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sns_subscriptions (
  arn TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  owner TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  attributes TEXT NOT NULL,
  pending INTEGER NOT NULL,
  token TEXT,
  position BIGINT NOT NULL
);
CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn);
CREATE TABLE sns_platform_applications (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  platform TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sns_platform_endpoints (
  arn TEXT PRIMARY KEY,
  application_arn TEXT NOT NULL,
  token TEXT NOT NULL,
  attributes TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE TABLE sns_account_settings (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  sms_attributes TEXT NOT NULL,
  PRIMARY KEY (account_id, region)
);
CREATE TABLE sns_sandbox_numbers (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  status TEXT NOT NULL,
  one_time_password TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, phone_number)
);
CREATE TABLE sns_fifo_dedup (
  topic_arn TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (topic_arn, dedup_key)
);
CREATE TABLE sns_fifo_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription_arn TEXT NOT NULL,
  group_id TEXT NOT NULL,
  delivery TEXT NOT NULL
);
CREATE INDEX sns_fifo_outbox_group ON sns_fifo_outbox (subscription_arn, group_id, id);
CREATE TABLE sns_fifo_chains (
  subscription_arn TEXT NOT NULL,
  group_id TEXT NOT NULL,
  PRIMARY KEY (subscription_arn, group_id)
);
CREATE TABLE sns_failed_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  failed_at BIGINT NOT NULL,
  trace_id TEXT,
  subscription_arn TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  message_id TEXT NOT NULL,
  error_code TEXT NOT NULL,
  error_message TEXT NOT NULL,
  condition TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_letter_arn TEXT
);
CREATE INDEX sns_failed_deliveries_subscription ON sns_failed_deliveries (subscription_arn, failed_at);
`,
  },
  {
    // When a subscription's confirmation token was issued (tokens are valid for three days), the
    // IAM principal that subscribed (SubscriptionPrincipal), and the tokens an UnsubscribeConfirmation's
    // SubscribeURL carries, each with the subscription it restores (JSON).
    id: 'topics/0002-confirmation-tokens',
    sql: `
ALTER TABLE sns_subscriptions ADD COLUMN token_issued_at BIGINT;
ALTER TABLE sns_subscriptions ADD COLUMN principal TEXT;
CREATE TABLE sns_resubscribe_tokens (
  token TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  subscription TEXT NOT NULL,
  issued_at BIGINT NOT NULL
);
`,
  },
  {
    // What SNS would have sent to e-mail addresses, phones and mobile endpoints (engine/outbox.ts).
    id: 'topics/0003-outbox',
    sql: `
CREATE TABLE sns_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  topic_arn TEXT,
  subscription_arn TEXT,
  message_id TEXT NOT NULL,
  type TEXT NOT NULL,
  sender TEXT,
  subject TEXT,
  body TEXT NOT NULL,
  sent_at BIGINT NOT NULL
);
CREATE INDEX sns_outbox_endpoint ON sns_outbox (protocol, endpoint, id);
`,
  },
  {
    // FIFO topics' message archives and their subscriptions' replays (engine/archive.ts, engine/replays.ts).
    // Sequence numbers are SNS's 20-digit SequenceNumbers, compared as text (all of one length).
    id: 'topics/0004-archive-replay',
    sql: `
CREATE TABLE sns_archive_topics (
  topic_arn TEXT PRIMARY KEY,
  since BIGINT NOT NULL
);
CREATE TABLE sns_archive (
  topic_arn TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  message_id TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (topic_arn, sequence_number)
);
CREATE INDEX sns_archive_published ON sns_archive (topic_arn, published_at);
CREATE TABLE sns_replays (
  subscription_arn TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  status TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  window_end BIGINT,
  up_to TEXT NOT NULL,
  cursor TEXT NOT NULL,
  started_at BIGINT NOT NULL
);
`,
  },
];
