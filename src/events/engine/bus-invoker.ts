import { InvokeError, type Invoker } from '../../invoke/index.js';
import { EventSyntaxError } from '../../patterns/index.js';
import type { Runtime } from '../../server/runtime.js';
import { mayPutEvents } from './bus-access.js';
import type { Catalogue } from './catalogue.js';
import type { EventRouter } from './event-router.js';

/**
 * An event bus as a target: a rule on one bus forwards its events to another bus, of the same
 * or another account or region of this Stratus. The receiving bus's policy must let the
 * sending account put events (cross-account), and the event arrives unchanged, keeping its
 * id, account and region, to be matched against the receiving bus's rules
 * (User Guide, "Sending and receiving events between AWS accounts" / "... between Regions").
 */
export function busInvoker(runtime: Runtime, catalogue: Catalogue, router: EventRouter): Invoker {
  return {
    service: 'events',
    resourceType: 'event-bus',
    async invoke(target, request) {
      const bus = catalogue.bus({ accountId: target.accountId, region: target.region, name: target.resourceId });
      if (!bus) throw new InvokeError('ResourceNotFound', `Event bus ${target.resourceId} does not exist.`, false);
      const sender = request.source?.accountId;
      if (sender !== undefined && !mayPutEvents(runtime, bus, sender)) {
        throw new InvokeError('AccessDenied', `Account ${sender} is not authorized to put events on event bus ${bus.arn}.`, false);
      }
      const event = typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload);
      let rules;
      try {
        rules = router.matchingRules(bus, event);
      } catch (error) {
        if (error instanceof EventSyntaxError) throw new InvokeError('InvalidEvent', `The input delivered to event bus ${bus.arn} is not an event: ${error.message}`, false);
        throw error;
      }
      if (rules.length === 0) return {};
      const now = runtime.clock.now();
      await runtime.store.write((tx) => router.enqueue(tx, rules, event, now, request.traceId ?? ''));
      return {};
    },
  };
}
