import { logsErrors } from './errors.js';

/**
 * The PutLogEvents batch rules, as a pure function of the batch, the clock and the group's
 * retention (API Reference, PutLogEvents,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html):
 *
 * - the batch size is the UTF-8 size of every message plus 26 bytes per event, at most 1,048,576;
 * - one event is at most 1 MB (the same 1,048,576 with its 26 bytes);
 * - at most 10,000 events (the model's list limit, checked by the shapes);
 * - events more than 2 hours in the future, more than 14 days in the past, or older than the
 *   group's retention are rejected, and the rest are stored: the answer names them in
 *   rejectedLogEventsInfo. The reference gives tooOldLogEventEndIndex as "the index of the last
 *   log event that is too old" and says the field is exclusive, so it is that index plus one
 *   (the count of too-old events of a sorted batch); expiredLogEventEndIndex the same way;
 *   tooNewLogEventStartIndex is inclusive;
 * - the valid events of one batch may not span more than 24 hours, or the whole call fails.
 *
 * Chronological order is not required (Stratus accepts any order and stores events sorted; the
 * reference still lists the ordering rule, but sequence-token-free PutLogEvents no longer
 * enforces it, and the issue asks for unordered batches). With an unordered batch the
 * rejected indexes are the extremes of the rejected events' indexes.
 */
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_EVENT_BYTES = 1_048_576;
export const MAX_EVENTS = 10_000;
export const MAX_AGE_MS = 14 * 24 * 3600_000;
export const MAX_FUTURE_MS = 2 * 3600_000;
export const MAX_SPAN_MS = 24 * 3600_000;
export const DAY_MS = 24 * 3600_000;

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface AcceptedEvent {
  index: number;
  timestamp: number;
  message: string;
  /** UTF-8 size of the message. */
  bytes: number;
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface BatchPlan {
  /** The events to store, sorted by timestamp (then by their place in the batch). */
  accepted: AcceptedEvent[];
  rejected?: RejectedLogEventsInfo;
}

/** Throws the InvalidParameterException AWS answers for an oversized or over-long batch. */
export function planBatch(events: readonly InputLogEvent[], now: number, retentionDays?: number | null): BatchPlan {
  let total = 0;
  const sizes = new Array<number>(events.length);
  for (let i = 0; i < events.length; i++) {
    const bytes = Buffer.byteLength(events[i].message, 'utf8');
    sizes[i] = bytes;
    if (bytes + EVENT_OVERHEAD_BYTES > MAX_EVENT_BYTES) throw logsErrors.eventTooLarge(bytes + EVENT_OVERHEAD_BYTES, MAX_EVENT_BYTES);
    total += bytes + EVENT_OVERHEAD_BYTES;
  }
  if (total > MAX_BATCH_BYTES) throw logsErrors.uploadTooLarge(total, MAX_BATCH_BYTES);

  const tooOldBefore = now - MAX_AGE_MS;
  const expiredBefore = retentionDays ? now - retentionDays * DAY_MS : -Infinity;
  const tooNewAfter = now + MAX_FUTURE_MS;
  let tooOldEnd = -1;
  let expiredEnd = -1;
  let tooNewStart = -1;
  const accepted: AcceptedEvent[] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < events.length; i++) {
    const { timestamp, message } = events[i];
    if (timestamp < tooOldBefore) tooOldEnd = i + 1;
    else if (timestamp < expiredBefore) expiredEnd = i + 1;
    else if (timestamp > tooNewAfter) {
      if (tooNewStart < 0) tooNewStart = i;
    } else {
      accepted.push({ index: i, timestamp, message, bytes: sizes[i] });
      if (timestamp < min) min = timestamp;
      if (timestamp > max) max = timestamp;
    }
  }
  if (accepted.length > 1 && max - min > MAX_SPAN_MS) throw logsErrors.spanTooLong();
  accepted.sort((a, b) => a.timestamp - b.timestamp || a.index - b.index);
  const rejected: RejectedLogEventsInfo = {};
  if (tooNewStart >= 0) rejected.tooNewLogEventStartIndex = tooNewStart;
  if (tooOldEnd >= 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd >= 0) rejected.expiredLogEventEndIndex = expiredEnd;
  return Object.keys(rejected).length > 0 ? { accepted, rejected } : { accepted };
}

/** Retention periods PutRetentionPolicy accepts (API Reference, PutRetentionPolicy: retentionInDays). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
