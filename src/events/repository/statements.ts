/** Every SQL statement of the EventBridge service, one constant each (portable SQLite/PostgreSQL). */
export const sql = {
  selectBuses: 'SELECT * FROM events_buses',
  upsertBus: `INSERT INTO events_buses (account_id, region, name, description, policy, kms_key_identifier, dead_letter_arn, tags, created_at, modified_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, name) DO UPDATE SET description = excluded.description, policy = excluded.policy,
      kms_key_identifier = excluded.kms_key_identifier, dead_letter_arn = excluded.dead_letter_arn, tags = excluded.tags,
      modified_at = excluded.modified_at`,
  deleteBus: 'DELETE FROM events_buses WHERE account_id = ? AND region = ? AND name = ?',
  deleteBusRules: 'DELETE FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ?',
  deleteBusTargets: 'DELETE FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ?',

  selectRules: 'SELECT * FROM events_rules',
  upsertRule: `INSERT INTO events_rules (account_id, region, bus_name, name, event_pattern, schedule_expression, state, description, role_arn, tags, created_at, modified_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, bus_name, name) DO UPDATE SET event_pattern = excluded.event_pattern,
      schedule_expression = excluded.schedule_expression, state = excluded.state, description = excluded.description,
      role_arn = excluded.role_arn, tags = excluded.tags, modified_at = excluded.modified_at`,
  deleteRule: 'DELETE FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ? AND name = ?',

  selectTargets: 'SELECT * FROM events_targets ORDER BY position',
  upsertTarget: `INSERT INTO events_targets (account_id, region, bus_name, rule_name, target_id, position, definition)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, bus_name, rule_name, target_id) DO UPDATE SET definition = excluded.definition`,
  deleteTarget: 'DELETE FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ? AND rule_name = ? AND target_id = ?',

  insertFailedDelivery: `INSERT INTO events_failed_deliveries (failed_at, trace_id, rule_arn, target_arn, error_code, error_message, condition, attempts, dead_letter_arn, event)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  countFailedDeliveries: 'SELECT COUNT(*) AS n FROM events_failed_deliveries WHERE rule_arn = ?',
  selectFailedDeliveries: 'SELECT * FROM events_failed_deliveries WHERE rule_arn = ? ORDER BY id',
};
