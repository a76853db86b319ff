import type { Migration } from '../../store/store.js';

/**
 * Lambda's control plane: functions, their versions ($LATEST among them), aliases, resource
 * policies (one row per qualifier), event invoke configs and event source mappings. Each row
 * keeps its settings as one JSON document: the engine (control/catalogue.ts) holds everything in
 * memory and rebuilds it from here at start. Times are ms since the epoch.
 */
export const functionsMigrations: Migration[] = [
  {
    id: 'functions/0001-control-plane',
    sql: `
CREATE TABLE lambda_functions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  next_version BIGINT NOT NULL,
  reserved_concurrency BIGINT,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);
CREATE TABLE lambda_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  version TEXT NOT NULL,
  config TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, version)
);
CREATE TABLE lambda_aliases (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  name TEXT NOT NULL,
  config TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, name)
);
CREATE TABLE lambda_policies (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  qualifier TEXT NOT NULL,
  statements TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, qualifier)
);
CREATE TABLE lambda_event_invoke_configs (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  function_name TEXT NOT NULL,
  qualifier TEXT NOT NULL,
  config TEXT NOT NULL,
  PRIMARY KEY (account_id, region, function_name, qualifier)
);
CREATE TABLE lambda_event_source_mappings (
  uuid TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  config TEXT NOT NULL
);
`,
  },
  /**
   * Lambda layers: one row per layer name (its next version number, which never goes back, even
   * after every version is deleted) and one per layer version, its settings, content reference and
   * resource policy as one JSON document (control/layers.ts).
   */
  {
    id: 'functions/0002-layers',
    sql: `
CREATE TABLE lambda_layers (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  next_version BIGINT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);
CREATE TABLE lambda_layer_versions (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  layer_name TEXT NOT NULL,
  version BIGINT NOT NULL,
  config TEXT NOT NULL,
  PRIMARY KEY (account_id, region, layer_name, version)
);
`,
  },
  /**
   * The uploaded .zip of function code and layer content, once per digest (base64 SHA-256, as
   * CodeSha256 gives it), whoever uses it: what a node rebuilds its folders from (control/code-store.ts).
   */
  {
    id: 'functions/0003-code',
    sql: `
CREATE TABLE lambda_code (
  sha256 TEXT NOT NULL PRIMARY KEY,
  zip BLOB NOT NULL
);
`,
  },
];
