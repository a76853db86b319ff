import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import type { TargetDefinition } from '../model/types.js';
import type { EventBus, Rule } from './catalogue.js';

/** The job kind of one (event, rule, target) delivery. */
export const TARGET_JOB = 'events.target';

/** Everything a delivery needs, frozen when the event matched: later rule edits do not reach it. */
export interface TargetJobPayload {
  /** The event envelope as JSON text. */
  event: string;
  /** When EventBridge took the event in (ms), for `<aws.events.event.ingestion-time>`. */
  ingestedAt: number;
  ruleArn: string;
  ruleName: string;
  accountId: string;
  region: string;
  target: TargetDefinition;
  /**
   * The event reached this rule's bus from another bus (a bus target): it may not be sent on
   * to a further bus ("EventBridge can't route an event received from a sender event bus to a
   * third event bus", User Guide, "Sending events between event buses in the same account and Region").
   */
  forwarded?: boolean;
  /** The PutEvents entry's X-Ray TraceHeader, passed on to targets that carry one (SQS: AWSTraceHeader). */
  traceHeader?: string;
}

/**
 * Routes events on a bus to the targets of the rules they match: one durable delivery job per
 * (rule, target), stored in the caller's write unit, so PutEvents acknowledges only events
 * whose every delivery is already stored (the reliability rule; DESIGN.md rule 3).
 */
export class EventRouter {
  constructor(private readonly runtime: Runtime) {}

  /** Rules of the bus the event matches, enabled ones only. Throws EventSyntaxError for non-JSON. */
  matchingRules(bus: EventBus, event: string): Rule[] {
    return bus.index.size === 0 ? [] : bus.index.matches(event);
  }

  /** Enqueues the deliveries of one event to the given rules; returns how many. */
  async enqueue(
    tx: WriteTx,
    rules: readonly Rule[],
    event: string,
    ingestedAt: number,
    traceId: string,
    options: { forwarded?: boolean; traceHeader?: string } = {},
  ): Promise<number> {
    let count = 0;
    for (const rule of rules) {
      for (const entry of rule.targets.values()) {
        const payload: TargetJobPayload = {
          event,
          ingestedAt,
          ruleArn: rule.arn,
          ruleName: rule.name,
          accountId: rule.bus.accountId,
          region: rule.bus.region,
          target: entry.definition,
        };
        if (options.forwarded) payload.forwarded = true;
        if (options.traceHeader !== undefined) payload.traceHeader = options.traceHeader;
        await this.runtime.delivery.enqueue(tx, { kind: TARGET_JOB, payload, traceId, policy: retryPolicyOf(entry.definition) });
        count++;
      }
    }
    return count;
  }
}

/**
 * A target's RetryPolicy as a delivery policy: MaximumRetryAttempts (0–185, default 185) retries
 * after the first attempt, within MaximumEventAgeInSeconds (60–86400, default 86400) of the event
 * (User Guide, "Event retry policy and using dead-letter queues"). Backoff and jitter are the
 * machine's, scaled by the Stratus retry-delay setting.
 */
export function retryPolicyOf(target: TargetDefinition): RetryPolicy {
  const retries = target.RetryPolicy?.MaximumRetryAttempts ?? 185;
  const ageSeconds = target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400;
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: retries + 1, maxAgeMs: ageSeconds * 1000 };
}
