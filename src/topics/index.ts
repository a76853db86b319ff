import type { ServiceModule } from '../server/runtime.js';
import { topicsMigrations } from './repository/migrations.js';

/**
 * SNS over AWS Query (form-encoded requests, XML answers: what @aws-sdk/client-sns, boto3 and
 * both AWS CLIs send — SNS's model names the Query protocol alone): topics standard and FIFO,
 * subscriptions, publishing with durable fan-out to SQS and Lambda through `invoke/`, platform
 * applications and the SMS actions.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const topicsService: ServiceModule = {
  name: 'topics',
  migrations: topicsMigrations,
  create: async (runtime) => (await import('./service.js')).createTopics(runtime),
  onDemand: { signingNames: ['sns'], invokers: ['sns'], sources: [], jobKinds: ['sns.delivery', 'sns.queue-delivery', 'sns.fifo-delivery', 'sns.dead-letter', 'sns.archive-sweep', 'sns.replay'] },
};
