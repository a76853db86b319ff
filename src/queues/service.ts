import { organizationOf } from '../server/config.js';
import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { messageActions } from './api/message-actions.js';
import { moveTaskActions } from './api/move-task-actions.js';
import { queueActions } from './api/queue-actions.js';
import { QUEUE_URL_PATH } from './api/queue-url.js';
import { MoveTasks } from './engine/move-tasks.js';
import { QueueEngine } from './engine/queue-engine.js';
import { sqsValidationError } from './model/errors.js';
import { queueInvoker } from './invoker.js';
import { queueSource } from './source.js';

/** SQS's engine, API and invoker (src/queues/index.ts says what the service is). */
export async function createQueues(runtime: Runtime): Promise<ServiceInstance> {
  const engine = new QueueEngine(runtime);
  const tasks = new MoveTasks(runtime, engine);
  await engine.load();
  runtime.invokers.register(queueInvoker(engine, (accountId) => organizationOf(runtime.config, accountId)));
  runtime.sources.register(queueSource(engine));
  return {
    definition: {
      signingName: 'sqs',
      json: { version: '1.0', targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs', queryCompatible: true },
      query: { version: '2012-11-05', xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/', resourcePath: QUEUE_URL_PATH },
      actions: [...queueActions(engine), ...messageActions(engine), ...moveTaskActions(engine, tasks)],
      validationError: sqsValidationError,
    },
    stop: () => engine.stop(),
  };
}
