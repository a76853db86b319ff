import { SerialByKey } from '../core/serial-by-key.js';
import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { permissionActions } from './api/permission-actions.js';
import { publishActions } from './api/publish-actions.js';
import { platformActions } from './api/platform-actions.js';
import { smsActions } from './api/sms-actions.js';
import { subscriptionActions } from './api/subscription-actions.js';
import { tagActions } from './api/tag-actions.js';
import { topicActions } from './api/topic-actions.js';
import { Archive } from './engine/archive.js';
import { Catalogue } from './engine/catalogue.js';
import { Deliveries } from './engine/deliveries.js';
import { failedDeliveriesOf } from './engine/failed-deliveries.js';
import { FifoWindow } from './engine/fifo-window.js';
import { Publisher } from './engine/publisher.js';
import { Replays } from './engine/replays.js';
import { topicInvoker } from './engine/topic-invoker.js';
import { snsValidationError } from './model/errors.js';

/** SNS's catalogue, deliveries and API (src/topics/index.ts says what the service is). */
export async function createTopics(runtime: Runtime): Promise<ServiceInstance> {
  const catalogue = new Catalogue(runtime);
  const deliveries = new Deliveries(runtime, catalogue);
  const fifo = new FifoWindow(runtime);
  const archive = new Archive(runtime, catalogue);
  const replays = new Replays(runtime, catalogue, archive, deliveries);
  await catalogue.load();
  await fifo.load();
  await archive.load();
  await replays.load();
  deliveries.register();
  archive.register();
  replays.register();
  const publisher = new Publisher(runtime, deliveries, fifo, archive);
  runtime.invokers.register(topicInvoker(runtime, catalogue, publisher));
  // One chain per topic (or platform application): every change to it runs in turn.
  const serial = new SerialByKey();
  return {
    definition: {
      signingName: 'sns',
      query: { version: '2010-03-31', xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
      actions: [
        ...topicActions(runtime, catalogue, deliveries, fifo, serial, archive, replays),
        ...subscriptionActions(runtime, catalogue, deliveries, serial, archive, replays),
        ...publishActions(runtime, catalogue, publisher, deliveries.outbox),
        ...permissionActions(runtime, catalogue, serial),
        ...tagActions(runtime, catalogue, serial),
        ...smsActions(runtime, catalogue),
        ...platformActions(runtime, catalogue, serial),
      ],
      validationError: snsValidationError,
      inspection: {
        name: 'topics',
        views: {
          // GET /_stratus/topics/outbox?protocol=email&endpoint=…&topicArn=…&subscriptionArn=…
          outbox: async (query) => ({
            messages: await deliveries.outbox.list({
              protocol: query.get('protocol') ?? undefined,
              endpoint: query.get('endpoint') ?? undefined,
              topicArn: query.get('topicArn') ?? undefined,
              subscriptionArn: query.get('subscriptionArn') ?? undefined,
            }),
          }),
          // GET /_stratus/topics/failed-deliveries?subscriptionArn=…: what failed for good, and why.
          'failed-deliveries': async (query) => {
            const subscriptionArn = query.get('subscriptionArn');
            if (!subscriptionArn) throw new Error('subscriptionArn is required.');
            return { failures: await failedDeliveriesOf(runtime, subscriptionArn) };
          },
        },
      },
    },
  };
}
