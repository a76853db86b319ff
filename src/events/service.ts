import { SerialByKey } from '../core/serial-by-key.js';
import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { busActions } from './api/bus-actions.js';
import { eventActions } from './api/event-actions.js';
import { ruleActions } from './api/rule-actions.js';
import { tagActions } from './api/tag-actions.js';
import { targetActions } from './api/target-actions.js';
import { busInvoker } from './engine/bus-invoker.js';
import { Catalogue } from './engine/catalogue.js';
import { EventRouter } from './engine/event-router.js';
import { Schedules } from './engine/schedules.js';
import { TargetDelivery } from './engine/target-delivery.js';

/** EventBridge's catalogue, router, delivery, schedules and API (src/events/index.ts says what the service is). */
export async function createEvents(runtime: Runtime): Promise<ServiceInstance> {
  const catalogue = new Catalogue(runtime);
  const router = new EventRouter(runtime);
  new TargetDelivery(runtime).register();
  new Schedules(runtime, catalogue, router).register();
  await catalogue.load();
  runtime.invokers.register(busInvoker(runtime, catalogue, router));
  // One chain per bus: every change to a bus, its rules and targets runs in turn.
  const serial = new SerialByKey();
  return {
    definition: {
      signingName: 'events',
      json: { version: '1.1', targetPrefix: 'AWSEvents' },
      actions: [
        ...busActions(catalogue, serial),
        ...ruleActions(catalogue, serial),
        ...targetActions(runtime, catalogue, serial),
        ...eventActions(runtime, catalogue, router),
        ...tagActions(catalogue, serial),
      ],
    },
  };
}
