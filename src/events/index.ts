import type { ServiceModule } from '../server/runtime.js';
import { eventsMigrations } from './repository/migrations.js';

/**
 * EventBridge over AWS JSON 1.1 (`AWSEvents.*`): buses, rules with event patterns or schedules,
 * targets reached through `invoke/` by ARN, and at-least-once delivery with retries and
 * dead-letter queues on the delivery machine.
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const eventsService: ServiceModule = {
  name: 'events',
  migrations: eventsMigrations,
  create: async (runtime) => (await import('./service.js')).createEvents(runtime),
  onDemand: {
    signingNames: ['events'],
    jsonTargetPrefix: 'AWSEvents',
    invokers: ['events:event-bus'],
    sources: [],
    jobKinds: ['events.target', 'events.dead-letter', 'events.schedule'],
  },
};
