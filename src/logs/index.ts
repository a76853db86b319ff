import type { ServiceModule } from '../server/runtime.js';
import { eventActions } from './api/event-actions.js';
import { groupActions } from './api/group-actions.js';
import { streamActions } from './api/stream-actions.js';
import { logGroupInvoker } from './engine/invoker.js';
import { LogsEngine } from './engine/log-engine.js';
import { logsValidationError } from './model/errors.js';
import { logsMigrations } from './repository/migrations.js';

/**
 * CloudWatch Logs (the subset EventBridge log-group targets, Lambda function logs and
 * `aws logs tail` need): AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Action>`, signing name `logs`
 * (botocore's logs 2014-03-28 model metadata). Errors carry a bare `__type`.
 */
export const logsService: ServiceModule = {
  name: 'logs',
  migrations: logsMigrations,
  create(runtime) {
    const engine = new LogsEngine(runtime);
    runtime.invokers.register(logGroupInvoker(engine));
    return {
      definition: {
        signingName: 'logs',
        json: { version: '1.1', targetPrefix: 'Logs_20140328' },
        actions: [...groupActions(engine), ...streamActions(engine), ...eventActions(engine)],
        validationError: logsValidationError,
      },
      start: () => engine.retention.start(),
      stop: () => engine.retention.stop(),
    };
  },
};
