import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { eventActions } from './api/event-actions.js';
import { groupActions } from './api/group-actions.js';
import { streamActions } from './api/stream-actions.js';
import { logGroupInvoker } from './engine/invoker.js';
import { LogsEngine } from './engine/log-engine.js';
import { logsValidationError } from './model/errors.js';

/** The CloudWatch Logs engine, API and log-group invoker (src/logs/index.ts says what the service is). */
export function createLogs(runtime: Runtime): ServiceInstance {
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
}
