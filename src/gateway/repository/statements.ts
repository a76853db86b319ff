/** Every SQL statement of the API Gateway service, one constant each (portable SQLite/PostgreSQL). */
export const sql = {
  selectDocuments: 'SELECT account_id, region, kind, id, body FROM gateway_documents',
  upsertDocument: `INSERT INTO gateway_documents (account_id, region, kind, id, body) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, kind, id) DO UPDATE SET body = excluded.body`,
  deleteDocument: 'DELETE FROM gateway_documents WHERE account_id = ? AND region = ? AND kind = ? AND id = ?',

  selectUsage: 'SELECT usage_plan_id, key_id, period_start, used FROM gateway_usage WHERE usage_plan_id = ?',
  addUsage: `INSERT INTO gateway_usage (usage_plan_id, key_id, period_start, used) VALUES (?, ?, ?, ?)
    ON CONFLICT (usage_plan_id, key_id, period_start) DO UPDATE SET used = gateway_usage.used + excluded.used`,
  setUsage: `INSERT INTO gateway_usage (usage_plan_id, key_id, period_start, used) VALUES (?, ?, ?, ?)
    ON CONFLICT (usage_plan_id, key_id, period_start) DO UPDATE SET used = excluded.used`,
  deletePlanUsage: 'DELETE FROM gateway_usage WHERE usage_plan_id = ?',
};
