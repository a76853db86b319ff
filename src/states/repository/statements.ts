/** Every SQL statement of the Step Functions control plane, one constant each (portable SQLite/PostgreSQL). */
export const sql = {
  selectMachine: 'SELECT * FROM states_machines WHERE arn = ?',
  selectMachinesOf: 'SELECT * FROM states_machines WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
  insertMachine: `INSERT INTO states_machines (arn, account_id, region, name, type, definition, role_arn, logging, tracing, encryption, revision_id,
      revision, created_published, created_version_description, tags, created_at, updated_at, next_version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateMachineRevision: `UPDATE states_machines SET definition = ?, role_arn = ?, logging = ?, tracing = ?, encryption = ?, revision_id = ?, revision = ?, updated_at = ?
    WHERE arn = ?`,
  updateMachineTags: 'UPDATE states_machines SET tags = ? WHERE arn = ?',
  updateMachineNextVersion: 'UPDATE states_machines SET next_version = ? WHERE arn = ?',
  deleteMachine: 'DELETE FROM states_machines WHERE arn = ?',

  selectVersion: 'SELECT * FROM states_versions WHERE machine_arn = ? AND version = ?',
  selectLatestVersion: 'SELECT * FROM states_versions WHERE machine_arn = ? ORDER BY version DESC LIMIT 1',
  selectVersionsOf: 'SELECT * FROM states_versions WHERE machine_arn = ? AND version < ? ORDER BY version DESC LIMIT ?',
  countVersions: 'SELECT COUNT(*) AS n FROM states_versions WHERE machine_arn = ?',
  insertVersion: `INSERT INTO states_versions (machine_arn, version, definition, role_arn, logging, tracing, encryption, revision_id, revision, description, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  deleteVersion: 'DELETE FROM states_versions WHERE machine_arn = ? AND version = ?',
  deleteVersionsOf: 'DELETE FROM states_versions WHERE machine_arn = ?',

  selectAlias: 'SELECT * FROM states_aliases WHERE machine_arn = ? AND name = ?',
  selectAliasesOf: 'SELECT * FROM states_aliases WHERE machine_arn = ? AND name > ? ORDER BY name LIMIT ?',
  selectAllAliasesOf: 'SELECT * FROM states_aliases WHERE machine_arn = ? ORDER BY name',
  countAliases: 'SELECT COUNT(*) AS n FROM states_aliases WHERE machine_arn = ?',
  insertAlias: 'INSERT INTO states_aliases (machine_arn, name, description, routing, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  updateAlias: 'UPDATE states_aliases SET description = ?, routing = ?, updated_at = ? WHERE machine_arn = ? AND name = ?',
  deleteAlias: 'DELETE FROM states_aliases WHERE machine_arn = ? AND name = ?',
  deleteAliasesOf: 'DELETE FROM states_aliases WHERE machine_arn = ?',

  selectActivity: 'SELECT * FROM states_activities WHERE arn = ?',
  selectActivitiesOf: 'SELECT * FROM states_activities WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
  insertActivity: 'INSERT INTO states_activities (arn, account_id, region, name, tags, encryption, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  updateActivityTags: 'UPDATE states_activities SET tags = ? WHERE arn = ?',
  deleteActivity: 'DELETE FROM states_activities WHERE arn = ?',
};
