import type { ActionDefinition } from '../../protocol/service.js';
import type { GroupRow, LogsEngine, StreamRow } from '../engine/log-engine.js';
import { logsErrors } from '../model/errors.js';
import { logStreamArn, targetGroup } from '../model/names.js';
import { decodePageToken, encodePageToken, eventId } from '../model/tokens.js';
import { action } from './action.js';

/** Log streams: create, describe, delete. */
export function streamActions(engine: LogsEngine): ActionDefinition[] {
  return [
    action('CreateLogStream', async (input: { logGroupName: string; logStreamName: string }, ctx) => {
      const created = await engine.createStream({ accountId: ctx.accountId, region: ctx.region, name: input.logGroupName }, input.logStreamName);
      if (!created) throw logsErrors.streamExists();
      return {};
    }),

    action(
      'DescribeLogStreams',
      async (
        input: {
          logGroupName?: string;
          logGroupIdentifier?: string;
          logStreamNamePrefix?: string;
          orderBy?: 'LogStreamName' | 'LastEventTime';
          descending?: boolean;
          nextToken?: string;
          limit?: number;
        },
        ctx,
      ) => {
        const group = await engine.requireGroup(targetGroup(input, ctx));
        const byTime = input.orderBy === 'LastEventTime';
        const prefix = input.logStreamNamePrefix;
        // "If orderBy is LastEventTime, you cannot specify this parameter" (API Reference,
        // DescribeLogStreams: logStreamNamePrefix); the wording is the one moto reproduces.
        if (byTime && prefix !== undefined) throw logsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
        const descending = input.descending ?? false;
        const limit = input.limit ?? 50;
        let rows: StreamRow[];
        if (byTime) {
          const token = decodePageToken(input.nextToken, ['number', 'string']);
          if (token === null) throw logsErrors.invalidToken();
          // Streams without events order as -1 (before every event time).
          const start = descending ? { ts: Number.MAX_SAFE_INTEGER, name: '' } : { ts: -2, name: '' };
          const after = token ? { ts: token[0] as number, name: token[1] as string } : start;
          rows = await engine.streamsByTime(group.id, descending, after, limit + 1);
        } else {
          const token = decodePageToken(input.nextToken, ['string']);
          if (token === null) throw logsErrors.invalidToken();
          rows = await engine.streamsByName(group.id, descending, prefix ?? '', token?.[0] as string | undefined, upperBound(prefix), limit + 1);
          if (prefix !== undefined) rows = rows.filter((r) => r.name.startsWith(prefix));
        }
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        const more = rows.length > limit;
        return {
          logStreams: page.map((row) => describeStream(group, row)),
          ...(more ? { nextToken: encodePageToken(byTime ? [last.last_event_ts ?? -1, last.name] : [last.name]) } : {}),
        };
      },
    ),

    action('DeleteLogStream', async (input: { logGroupName: string; logStreamName: string }, ctx) => {
      await engine.deleteStream({ accountId: ctx.accountId, region: ctx.region, name: input.logGroupName }, input.logStreamName);
      return {};
    }),
  ];
}

/**
 * A LogStream as DescribeLogStreams answers it (API Reference, LogStream data type): the event
 * times only once it has events; storedBytes is always 0 for streams since 2019; the sequence
 * token is ignored by PutLogEvents now but still given, for clients that read it.
 */
function describeStream(group: GroupRow, row: StreamRow): Record<string, unknown> {
  return {
    logStreamName: row.name,
    creationTime: row.created_at,
    ...(row.first_event_ts !== null ? { firstEventTimestamp: row.first_event_ts } : {}),
    ...(row.last_event_ts !== null ? { lastEventTimestamp: row.last_event_ts } : {}),
    ...(row.last_ingestion !== null ? { lastIngestionTime: row.last_ingestion } : {}),
    uploadSequenceToken: eventId({ ts: row.last_ingestion ?? row.created_at, seq: row.id }),
    arn: logStreamArn(group.region, group.account_id, group.name, row.name),
    storedBytes: 0,
  };
}

/** The least string above every string that starts with `prefix` (for a descending scan). */
function upperBound(prefix: string | undefined): string {
  const top = '\u{10FFFF}';
  if (!prefix) return top;
  const last = prefix.charCodeAt(prefix.length - 1);
  // Surrogates and U+FFFF do not step to the next code point by adding one: no bound then.
  if (last >= 0xd800 && last <= 0xdfff) return top;
  if (last === 0xffff) return top;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
