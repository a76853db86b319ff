/** Every SQL statement of the Lambda service, one constant each (portable SQLite/PostgreSQL). */
const fn = 'account_id = ? AND region = ? AND function_name = ?';

export const sql = {
  selectFunctions: 'SELECT * FROM lambda_functions',
  upsertFunction: `INSERT INTO lambda_functions (account_id, region, name, next_version, reserved_concurrency, tags, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, name) DO UPDATE SET next_version = excluded.next_version,
      reserved_concurrency = excluded.reserved_concurrency, tags = excluded.tags`,
  deleteFunction: 'DELETE FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?',

  selectVersions: 'SELECT * FROM lambda_versions',
  upsertVersion: `INSERT INTO lambda_versions (account_id, region, function_name, version, config) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, function_name, version) DO UPDATE SET config = excluded.config`,
  deleteVersion: `DELETE FROM lambda_versions WHERE ${fn} AND version = ?`,
  deleteVersions: `DELETE FROM lambda_versions WHERE ${fn}`,

  selectAliases: 'SELECT * FROM lambda_aliases',
  upsertAlias: `INSERT INTO lambda_aliases (account_id, region, function_name, name, config) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, function_name, name) DO UPDATE SET config = excluded.config`,
  deleteAlias: `DELETE FROM lambda_aliases WHERE ${fn} AND name = ?`,
  deleteAliases: `DELETE FROM lambda_aliases WHERE ${fn}`,

  selectPolicies: 'SELECT * FROM lambda_policies',
  upsertPolicy: `INSERT INTO lambda_policies (account_id, region, function_name, qualifier, statements) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, function_name, qualifier) DO UPDATE SET statements = excluded.statements`,
  deletePolicy: `DELETE FROM lambda_policies WHERE ${fn} AND qualifier = ?`,
  deletePolicies: `DELETE FROM lambda_policies WHERE ${fn}`,

  selectEventInvokeConfigs: 'SELECT * FROM lambda_event_invoke_configs',
  upsertEventInvokeConfig: `INSERT INTO lambda_event_invoke_configs (account_id, region, function_name, qualifier, config) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, function_name, qualifier) DO UPDATE SET config = excluded.config`,
  deleteEventInvokeConfig: `DELETE FROM lambda_event_invoke_configs WHERE ${fn} AND qualifier = ?`,
  deleteEventInvokeConfigs: `DELETE FROM lambda_event_invoke_configs WHERE ${fn}`,

  selectMappings: 'SELECT * FROM lambda_event_source_mappings',
  upsertMapping: `INSERT INTO lambda_event_source_mappings (uuid, account_id, region, config) VALUES (?, ?, ?, ?)
    ON CONFLICT (uuid) DO UPDATE SET config = excluded.config`,
  deleteMapping: 'DELETE FROM lambda_event_source_mappings WHERE uuid = ?',
};

/** Lambda layers (control/layers.ts). */
export const layerSql = {
  selectLayers: 'SELECT * FROM lambda_layers',
  upsertLayer: `INSERT INTO lambda_layers (account_id, region, name, next_version) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id, region, name) DO UPDATE SET next_version = excluded.next_version`,
  selectLayerVersions: 'SELECT * FROM lambda_layer_versions',
  upsertLayerVersion: `INSERT INTO lambda_layer_versions (account_id, region, layer_name, version, config) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, region, layer_name, version) DO UPDATE SET config = excluded.config`,
  deleteLayerVersion: 'DELETE FROM lambda_layer_versions WHERE account_id = ? AND region = ? AND layer_name = ? AND version = ?',
};

/** Uploaded .zip files by digest (control/code-rows.ts). */
export const codeSql = {
  selectZip: 'SELECT zip FROM lambda_code WHERE sha256 = ?',
  hasZip: 'SELECT 1 AS present FROM lambda_code WHERE sha256 = ?',
  insertZip: 'INSERT INTO lambda_code (sha256, zip) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING',
  deleteZip: 'DELETE FROM lambda_code WHERE sha256 = ?',
};
