import type { Migration } from '../../store/store.js';

/**
 * API Gateway's tables. The control plane is a set of JSON documents (a REST API with its
 * resources, methods, integrations, models, authorizers and stages; a deployment's snapshot; an
 * API key; a usage plan; a domain name; an HTTP or WebSocket API …) that the engine keeps in
 * memory and rebuilds from here at start: the data plane serves from memory, and a change writes
 * the whole document it touches (control-plane writes are rare and small next to requests).
 * `gateway_usage` counts requests against usage-plan quotas, per plan, key and period.
 */
export const gatewayMigrations: Migration[] = [
  {
    id: 'gateway/0001-documents',
    sql: `
CREATE TABLE gateway_documents (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (account_id, region, kind, id)
);
CREATE TABLE gateway_usage (
  usage_plan_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  used BIGINT NOT NULL,
  PRIMARY KEY (usage_plan_id, key_id, period_start)
);
`,
  },
];
