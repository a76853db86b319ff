import { parseJsonObject } from '../../core/json-object.js';

/**
 * Message archiving and replay for FIFO topics (Developer Guide, "Amazon SNS message archiving
 * and replay for FIFO topics"): the topic owner's `ArchivePolicy` (`{"MessageRetentionPeriod":
 * "<days>"}`, 1 to 365 days) keeps every message published to the topic for that long; a
 * subscriber's `ReplayPolicy` (`{"PointType": "Timestamp", "StartingPoint": "<ISO 8601>",
 * "EndingPoint": "<ISO 8601>"}`, the ending point optional) redelivers the archived messages
 * published in that window to its endpoint. Pure: the policies and the times they make.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The retention of a topic's ArchivePolicy, in days; undefined when the topic does not archive. */
export function retentionDaysOf(attributes: Readonly<Record<string, string>>): number | undefined {
  const policy = attributes.ArchivePolicy === undefined ? undefined : parseJsonObject(attributes.ArchivePolicy);
  const days = Number(policy?.MessageRetentionPeriod);
  return Number.isInteger(days) && days > 0 ? days : undefined;
}

export function retentionMs(days: number): number {
  return days * DAY_MS;
}

/**
 * BeginningArchiveTime: "the earliest starting point at which a message in the topic's archive can
 * be replayed from … based on the configured message retention period" (API Reference,
 * GetTopicAttributes): the retention period back from now, but never before archiving began.
 */
export function beginningArchiveTime(archivingSince: number, days: number, now: number): number {
  return Math.max(archivingSince, now - retentionMs(days));
}

/** A replay a subscription asks for: archived messages published from `start` (to `end`, when given). */
export interface ReplayWindow {
  start: number;
  end?: number;
}

/**
 * Checks a ReplayPolicy and answers its window. `fail` words a refusal ("ReplayPolicy: <why>", as
 * the other subscription attributes are worded). PointType is Timestamp, the only point type AWS
 * documents; the points are ISO 8601 timestamps; the end, when given, is not before the start.
 */
export function parseReplayPolicy(value: string, fail: (reason: string) => Error): ReplayWindow {
  const policy = parseJsonObject(value);
  if (!policy) throw fail('ReplayPolicy: failed to parse JSON.');
  if (policy.PointType !== 'Timestamp') throw fail('ReplayPolicy: PointType must be Timestamp');
  const point = (name: 'StartingPoint' | 'EndingPoint'): number | undefined => {
    const given = policy[name];
    if (given === undefined || given === null) return undefined;
    const at = typeof given === 'string' ? Date.parse(given) : Number.NaN;
    if (Number.isNaN(at)) throw fail(`ReplayPolicy: ${name} must be a timestamp in ISO 8601 format`);
    return at;
  };
  const start = point('StartingPoint');
  if (start === undefined) throw fail('ReplayPolicy: StartingPoint is required');
  const end = point('EndingPoint');
  if (end !== undefined && end < start) throw fail('ReplayPolicy: EndingPoint must not be before StartingPoint');
  return end === undefined ? { start } : { start, end };
}
