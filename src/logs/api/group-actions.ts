import type { ActionDefinition, RequestContext } from '../../protocol/service.js';
import type { GroupRow, LogsEngine } from '../engine/log-engine.js';
import { logsErrors } from '../model/errors.js';
import { checkCreatableGroupName, logGroupArn, parseLogGroupArn, type GroupRef } from '../model/names.js';
import { RETENTION_DAYS } from '../model/put-batch.js';
import { decodePageToken, encodePageToken } from '../model/tokens.js';
import { action } from './action.js';

/** Log groups: create, describe, delete, retention and tags. */
export function groupActions(engine: LogsEngine): ActionDefinition[] {
  const refOf = (ctx: RequestContext, name: string): GroupRef => ({ accountId: ctx.accountId, region: ctx.region, name });

  return [
    action(
      'CreateLogGroup',
      async (
        input: { logGroupName: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: string; deletionProtectionEnabled?: boolean },
        ctx,
      ) => {
        checkCreatableGroupName(input.logGroupName);
        const created = await engine.createGroup(refOf(ctx, input.logGroupName), {
          kmsKeyId: input.kmsKeyId,
          logGroupClass: input.logGroupClass,
          deletionProtection: input.deletionProtectionEnabled,
          tags: input.tags,
        });
        if (!created) throw logsErrors.groupExists();
        return {};
      },
    ),

    action(
      'DescribeLogGroups',
      async (
        input: {
          logGroupNamePrefix?: string;
          logGroupNamePattern?: string;
          nextToken?: string;
          limit?: number;
          logGroupClass?: string;
          logGroupIdentifiers?: string[];
        },
        ctx,
      ) => {
        const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern, logGroupIdentifiers: identifiers } = input;
        // "logGroupNamePrefix and logGroupNamePattern are mutually exclusive" (API Reference,
        // DescribeLogGroups); logGroupIdentifiers admits neither. Wording ours.
        if (prefix !== undefined && pattern !== undefined) {
          throw logsErrors.invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
        }
        if (identifiers !== undefined && (prefix !== undefined || pattern !== undefined)) {
          throw logsErrors.invalidParameter('LogGroupIdentifiers cannot be combined with LogGroupNamePrefix or LogGroupNamePattern.');
        }
        const token = decodePageToken(input.nextToken, ['string']);
        if (token === null) throw logsErrors.invalidToken();
        const names = identifiers ? new Set(identifiers.map((id) => identifierName(id, ctx)).filter((n): n is string => n !== undefined)) : undefined;
        const limit = input.limit ?? 50;
        // Only the prefix filter keeps the matches contiguous in name order: the others read on.
        const contiguous = pattern === undefined && names === undefined && input.logGroupClass === undefined;
        const rows = await engine.listGroups(ctx.accountId, ctx.region, (token?.[0] as string | undefined) ?? '', prefix ?? '', contiguous ? limit + 1 : 1_000_000_000);
        const page: GroupRow[] = [];
        let more = false;
        for (const row of rows) {
          if (prefix !== undefined && !row.name.startsWith(prefix)) {
            if (row.name > prefix) break;
            continue;
          }
          // A case-sensitive substring match (API Reference, DescribeLogGroups: logGroupNamePattern).
          if (pattern !== undefined && !row.name.includes(pattern)) continue;
          if (names && !names.has(row.name)) continue;
          if (input.logGroupClass !== undefined && row.log_group_class !== input.logGroupClass) continue;
          if (page.length === limit) {
            more = true;
            break;
          }
          page.push(row);
        }
        return {
          logGroups: page.map((row) => describeGroup(row, pattern !== undefined)),
          ...(more ? { nextToken: encodePageToken([page[page.length - 1].name]) } : {}),
        };
      },
    ),

    action('DeleteLogGroup', async (input: { logGroupName: string }, ctx) => {
      await engine.deleteGroup(refOf(ctx, input.logGroupName));
      return {};
    }),

    action('PutRetentionPolicy', async (input: { logGroupName: string; retentionInDays: number }, ctx) => {
      if (!(RETENTION_DAYS as readonly number[]).includes(input.retentionInDays)) {
        throw logsErrors.invalidValue(input.retentionInDays, 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      await engine.setRetention(refOf(ctx, input.logGroupName), input.retentionInDays);
      return {};
    }),

    action('DeleteRetentionPolicy', async (input: { logGroupName: string }, ctx) => {
      await engine.setRetention(refOf(ctx, input.logGroupName), null);
      return {};
    }),

    // ── tags: the resource ARN is the log group's without `:*` (API Reference, TagResource; the
    // model's AmazonResourceName pattern has no `*`).
    action('TagResource', async (input: { resourceArn: string; tags: Record<string, string> }) => {
      await addTags(engine, arnGroup(input.resourceArn), input.tags, input.resourceArn);
      return {};
    }),
    action('UntagResource', async (input: { resourceArn: string; tagKeys: string[] }) => {
      await removeTags(engine, arnGroup(input.resourceArn), input.tagKeys);
      return {};
    }),
    action('ListTagsForResource', async (input: { resourceArn: string }) => {
      const group = await engine.requireGroup(arnGroup(input.resourceArn));
      return { tags: JSON.parse(group.tags) as Record<string, string> };
    }),
    action('TagLogGroup', async (input: { logGroupName: string; tags: Record<string, string> }, ctx) => {
      await addTags(engine, refOf(ctx, input.logGroupName), input.tags, input.logGroupName);
      return {};
    }),
    action('UntagLogGroup', async (input: { logGroupName: string; tags: string[] }, ctx) => {
      await removeTags(engine, refOf(ctx, input.logGroupName), input.tags);
      return {};
    }),
    action('ListTagsLogGroup', async (input: { logGroupName: string }, ctx) => {
      const group = await engine.requireGroup(refOf(ctx, input.logGroupName));
      return { tags: JSON.parse(group.tags) as Record<string, string> };
    }),
  ];
}

/**
 * A LogGroup as DescribeLogGroups answers it (API Reference, LogGroup data type). With a
 * logGroupNamePattern only arn, creationTime and logGroupName are given (DescribeLogGroups).
 */
function describeGroup(row: GroupRow, patternOnly: boolean): Record<string, unknown> {
  const arn = logGroupArn(row.region, row.account_id, row.name);
  if (patternOnly) return { logGroupName: row.name, creationTime: row.created_at, arn: `${arn}:*` };
  return {
    logGroupName: row.name,
    creationTime: row.created_at,
    ...(row.retention_days !== null ? { retentionInDays: row.retention_days } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: Math.max(0, row.stored_bytes),
    ...(row.kms_key_id !== null ? { kmsKeyId: row.kms_key_id } : {}),
    logGroupClass: row.log_group_class,
    logGroupArn: arn,
    deletionProtectionEnabled: row.deletion_protection === 1,
  };
}

/** A logGroupIdentifiers entry as a group name of the caller's account and region. */
function identifierName(identifier: string, ctx: RequestContext): string | undefined {
  if (!identifier.startsWith('arn:')) return identifier;
  const parsed = parseLogGroupArn(identifier);
  if (!parsed || parsed.accountId !== ctx.accountId || parsed.region !== ctx.region || parsed.stream !== undefined) return undefined;
  return parsed.name;
}

function arnGroup(resourceArn: string): GroupRef {
  const parsed = parseLogGroupArn(resourceArn);
  if (!parsed || parsed.stream !== undefined) throw logsErrors.invalidParameter(`The specified resource ARN is not a log group ARN: ${resourceArn}`);
  return parsed;
}

const MAX_TAGS = 50;

async function addTags(engine: LogsEngine, ref: GroupRef, tags: Record<string, string>, resourceName: string): Promise<void> {
  await engine.changeTags(ref, (current) => {
    const next = { ...current, ...tags };
    if (Object.keys(next).length > MAX_TAGS) throw logsErrors.tooManyTags(resourceName);
    return next;
  });
}

async function removeTags(engine: LogsEngine, ref: GroupRef, keys: readonly string[]): Promise<void> {
  await engine.changeTags(ref, (current) => {
    const next = { ...current };
    for (const key of keys) delete next[key];
    return next;
  });
}
