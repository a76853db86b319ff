import type { ServiceModule } from '../server/runtime.js';
import { logsMigrations } from './repository/migrations.js';

/**
 * CloudWatch Logs (the subset EventBridge log-group targets, Lambda function logs and
 * `aws logs tail` need): AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Action>`, signing name `logs`
 * (botocore's logs 2014-03-28 model metadata). Errors carry a bare `__type`.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const logsService: ServiceModule = {
  name: 'logs',
  migrations: logsMigrations,
  create: async (runtime) => (await import('./service.js')).createLogs(runtime),
  onDemand: { signingNames: ['logs'], jsonTargetPrefix: 'Logs_20140328', invokers: ['logs:log-group'], sources: [], jobKinds: [] },
};
