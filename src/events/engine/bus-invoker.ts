import { randomUUID } from 'node:crypto';
import { parseJsonObject } from '../../core/json-object.js';
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
 * account and region, to be matched against the receiving bus's rules
 * (User Guide, "Sending and receiving events between AWS accounts" / "... between Regions").
 * Its id is kept within a region and replaced by a new one across regions (recorded against
 * AWS: localstack test_events_cross_account_region.snapshot.json; facts §10 [R]).
 */
/** Invoke parameter set on deliveries of an event that already came from another bus. */
export const FORWARDED_EVENT = 'EventBridgeForwardedEvent';

export function busInvoker(runtime: Runtime, catalogue: Catalogue, router: EventRouter): Invoker {
  return {
    service: 'events',
    resourceType: 'event-bus',
    async invoke(target, request) {
      const bus = catalogue.bus({ accountId: target.accountId, region: target.region, name: target.resourceId });
      // DLQ codes below are the ones EventBridge documents (User Guide, "Using dead-letter queues").
      if (!bus) throw new InvokeError('NO_RESOURCE', `Event bus ${target.resourceId} does not exist.`, false);
      const sender = request.source?.accountId;
      const senderRegion = request.source?.region;
      let event = typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload);
      const origin = envelopeOrigin(event);
      if (sender !== undefined && origin !== undefined) {
        // "If a receiver account sets up a rule that sends events received from a sender account
        // on to a third account, these events are not sent to the third account" (User Guide,
        // "Sending and receiving events between AWS accounts"); the same holds for Regions
        // ("... between AWS Regions"). This also ends forwarding loops between accounts or Regions.
        if (origin.account !== sender && bus.accountId !== sender) {
          throw new InvokeError('THIRD_ACCOUNT_HOP_DETECTED', `Event ${origin.id} from account ${origin.account} was received by account ${sender} and may not be sent on to account ${bus.accountId}.`, false);
        }
        if (senderRegion !== undefined && origin.region !== senderRegion && bus.region !== senderRegion) {
          throw new InvokeError('THIRD_REGION_HOP_DETECTED', `Event ${origin.id} from Region ${origin.region} was received in Region ${senderRegion} and may not be sent on to Region ${bus.region}.`, false);
        }
      }
      if (request.parameters?.[FORWARDED_EVENT] === true) {
        // "EventBridge can't route an event received from a sender event bus to a third event
        // bus" (User Guide, "Sending events between event buses in the same account and Region").
        // One hop only: this also ends every forwarding loop, a bus targeting itself included.
        const code = sender !== undefined && bus.accountId !== sender ? 'THIRD_ACCOUNT_HOP_DETECTED'
          : senderRegion !== undefined && bus.region !== senderRegion ? 'THIRD_REGION_HOP_DETECTED'
          : 'INVALID_PARAMETER';
        const what = origin ? `Event ${origin.id}` : 'The event';
        throw new InvokeError(code, `${what} was received from another event bus and may not be sent on to event bus ${bus.arn}.`, false);
      }
      const withRole = typeof request.parameters?.RoleArn === 'string';
      if (sender !== undefined && !mayPutEvents(runtime, bus, sender, { sourceArn: request.source?.arn, asMemberOfOrganization: withRole })) {
        throw new InvokeError('NO_PERMISSIONS', `Account ${sender} is not authorized to put events on event bus ${bus.arn}.`, false);
      }
      // Cross-region: the receiving side sees a new id (facts §10 [R]); account, region and
      // everything else stay as sent.
      if (senderRegion !== undefined && bus.region !== senderRegion && origin !== undefined) event = withNewId(event);
      let rules;
      try {
        rules = router.matchingRules(bus, event);
      } catch (error) {
        if (error instanceof EventSyntaxError) throw new InvokeError('INVALID_JSON', `The input delivered to event bus ${bus.arn} is not an event: ${error.message}`, false);
        throw error;
      }
      if (rules.length === 0) return {};
      const now = runtime.clock.now();
      const traceHeader = typeof request.parameters?.AWSTraceHeader === 'string' ? request.parameters.AWSTraceHeader : undefined;
      await runtime.store.write((tx) => router.enqueue(tx, rules, event, now, request.traceId ?? '', { forwarded: true, traceHeader }));
      return {};
    },
  };
}

interface Origin {
  id: string;
  account: string;
  region: string;
}

/** Where an event came from, when the payload is an event envelope (not a transformed input). */
function envelopeOrigin(text: string): Origin | undefined {
  const parsed = parseJsonObject(text);
  if (!parsed) return undefined;
  const { id, account, region } = parsed;
  if (typeof id !== 'string' || typeof account !== 'string' || typeof region !== 'string') return undefined;
  return { id, account, region };
}

/** The event with a new id, every other byte as it was (detail numbers keep all their digits). */
function withNewId(text: string): string {
  const m = /^\{"version":"0","id":"[^"\\]*"/.exec(text);
  if (m) return `{"version":"0","id":${JSON.stringify(randomUUID())}${text.slice(m[0].length)}`;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  parsed.id = randomUUID();
  return JSON.stringify(parsed);
}
