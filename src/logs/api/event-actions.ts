import type { ActionDefinition } from '../../protocol/service.js';
import { cachedFilterPattern, FilterPatternError, type FilterPattern } from '../engine/filter-pattern.js';
import type { EventRow, GroupRow, LogsEngine } from '../engine/log-engine.js';
import { logsErrors } from '../model/errors.js';
import { targetGroup } from '../model/names.js';
import { DAY_MS, type InputLogEvent } from '../model/put-batch.js';
import { AFTER_ALL, BEFORE_ALL, decodePageToken, encodePageToken, eventId, parseStreamToken, streamToken, type EventKey } from '../model/tokens.js';
import { action } from './action.js';

/** A page of events holds at most 1 MB of messages (API Reference, GetLogEvents and FilterLogEvents). */
const MAX_PAGE_BYTES = 1_048_576;
const MAX_EVENTS = 10_000;

/** Events: PutLogEvents, GetLogEvents, FilterLogEvents. */
export function eventActions(engine: LogsEngine): ActionDefinition[] {
  /** The oldest timestamp reads may return: events past the retention are gone to the reader. */
  const retentionCutoff = (group: GroupRow): number => (group.retention_days ? engine.now() - group.retention_days * DAY_MS : 0);

  return [
    action(
      'PutLogEvents',
      async (input: { logGroupName: string; logStreamName: string; logEvents: InputLogEvent[]; sequenceToken?: string }, ctx) => {
        // The sequence token is accepted and ignored, as AWS now does (API Reference, PutLogEvents).
        const result = await engine.putEvents({ accountId: ctx.accountId, region: ctx.region, name: input.logGroupName }, input.logStreamName, input.logEvents);
        return {
          nextSequenceToken: eventId(result.last ?? { ts: engine.now(), seq: 0 }),
          ...(result.rejected ? { rejectedLogEventsInfo: result.rejected } : {}),
        };
      },
    ),

    action(
      'GetLogEvents',
      async (
        input: {
          logGroupName?: string;
          logGroupIdentifier?: string;
          logStreamName: string;
          startTime?: number;
          endTime?: number;
          nextToken?: string;
          limit?: number;
          startFromHead?: boolean;
        },
        ctx,
      ) => {
        const group = await engine.requireGroup(targetGroup(input, ctx));
        const stream = await engine.getStream(group.id, input.logStreamName);
        if (!stream) throw logsErrors.streamNotFound();
        let direction: 'f' | 'b';
        let key: EventKey;
        if (input.nextToken !== undefined) {
          const parsed = parseStreamToken(input.nextToken);
          if (!parsed) throw logsErrors.invalidToken();
          ({ direction, key } = parsed);
        } else {
          // Without a token: the latest events unless startFromHead (default false).
          direction = input.startFromHead ? 'f' : 'b';
          key = input.startFromHead ? BEFORE_ALL : AFTER_ALL;
        }
        // startTime is inclusive, endTime exclusive (API Reference, GetLogEvents).
        const from = Math.max(input.startTime ?? 0, retentionCutoff(group));
        const to = Math.min(input.endTime ?? AFTER_ALL.ts, AFTER_ALL.ts);
        const rows = capBytes(await engine.readStream(group.id, stream.id, direction, key, from, to, input.limit ?? MAX_EVENTS));
        if (direction === 'b') rows.reverse();
        let nextForwardToken: string;
        let nextBackwardToken: string;
        if (rows.length > 0) {
          nextForwardToken = streamToken('f', rows[rows.length - 1]);
          nextBackwardToken = streamToken('b', rows[0]);
        } else if (input.nextToken !== undefined) {
          // The end of the stream in that direction: the same token comes back.
          nextForwardToken = direction === 'f' ? input.nextToken : streamToken('f', key);
          nextBackwardToken = direction === 'b' ? input.nextToken : streamToken('b', key);
        } else {
          nextForwardToken = streamToken('f', BEFORE_ALL);
          nextBackwardToken = streamToken('b', BEFORE_ALL);
        }
        return {
          events: rows.map((r) => ({ timestamp: r.ts, message: r.message, ingestionTime: r.ingestion })),
          nextForwardToken,
          nextBackwardToken,
        };
      },
    ),

    action(
      'FilterLogEvents',
      async (
        input: {
          logGroupName?: string;
          logGroupIdentifier?: string;
          logStreamNames?: string[];
          logStreamNamePrefix?: string;
          startTime?: number;
          endTime?: number;
          filterPattern?: string;
          nextToken?: string;
          limit?: number;
          interleaved?: boolean;
        },
        ctx,
      ) => {
        const group = await engine.requireGroup(targetGroup(input, ctx));
        // Both at once is an InvalidParameterException (API Reference, FilterLogEvents). Wording ours.
        if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
          throw logsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive; specify only one of them.');
        }
        let pattern: FilterPattern;
        try {
          pattern = cachedFilterPattern(input.filterPattern ?? '');
        } catch (error) {
          if (error instanceof FilterPatternError) throw logsErrors.invalidParameter(error.message);
          throw error;
        }
        const token = decodePageToken(input.nextToken, ['number', 'number']);
        if (token === null) throw logsErrors.invalidToken();
        const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
        const prefix = input.logStreamNamePrefix;
        // startTime: earlier events are not returned; endTime: later ones are not (inclusive).
        const { events, next } = await engine.scanGroup(group.id, {
          after: token ? { ts: token[0] as number, seq: token[1] as number } : BEFORE_ALL,
          from: Math.max(input.startTime ?? 0, retentionCutoff(group)),
          to: Math.min(input.endTime ?? AFTER_ALL.ts, AFTER_ALL.ts),
          limit: input.limit ?? MAX_EVENTS,
          pattern,
          ...(names ? { stream: (name: string) => names.has(name) } : prefix !== undefined ? { stream: (name: string) => name.startsWith(prefix) } : {}),
        });
        const page = capBytes(events);
        const resume = page.length < events.length ? page[page.length - 1] : next;
        return {
          events: page.map((e) => ({
            logStreamName: e.stream_name,
            timestamp: e.ts,
            message: e.message,
            ingestionTime: e.ingestion,
            eventId: eventId(e),
          })),
          // Unsupported since 2020 and always empty (API Reference, FilterLogEvents: searchedLogStreams).
          searchedLogStreams: [],
          ...(resume ? { nextToken: encodePageToken([resume.ts, resume.seq]) } : {}),
        };
      },
    ),
  ];
}

/** The leading events whose messages fit in one 1 MB page (always at least one). */
function capBytes<T extends EventRow>(rows: T[]): T[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += Buffer.byteLength(rows[i].message, 'utf8');
    if (bytes > MAX_PAGE_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}
