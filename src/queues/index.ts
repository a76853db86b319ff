import type { ServiceModule } from '../server/runtime.js';
import { queueMigrations } from './repository/migrations.js';

/**
 * SQS: standard and FIFO queues over AWS JSON 1.0 (SDK v3, AWS CLI v2) and AWS Query (XML;
 * older SDKs, AWS CLI v1). In JSON mode SQS is "query compatible": errors also carry their
 * legacy Query code in `x-amzn-query-error`, from which the SDKs name the exception.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const queuesService: ServiceModule = {
  name: 'queues',
  migrations: queueMigrations,
  create: async (runtime) => (await import('./service.js')).createQueues(runtime),
  onDemand: { signingNames: ['sqs'], jsonTargetPrefix: 'AmazonSQS', invokers: ['sqs'], sources: ['sqs'], jobKinds: ['sqs.move-task'] },
};
