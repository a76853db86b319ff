import { setImmediate } from 'node:timers/promises';
import type { Runtime } from '../../server/runtime.js';
import type { SqlValue, WriteTx } from '../../store/store.js';
import { logsErrors } from '../model/errors.js';
import type { GroupRef } from '../model/names.js';
import { DAY_MS, planBatch, type InputLogEvent, type RejectedLogEventsInfo } from '../model/put-batch.js';
import type { EventKey } from '../model/tokens.js';
import { INSERT_CHUNK, sql, type EventRow, type GroupRow, type StreamRow } from '../repository/statements.js';
import type { FilterPattern } from './filter-pattern.js';
import { RetentionSweeper } from './retention.js';

export type { EventRow, GroupRow, StreamRow };

export interface CreateGroupOptions {
  kmsKeyId?: string;
  logGroupClass?: string;
  deletionProtection?: boolean;
  tags?: Record<string, string>;
}

export interface PutResult {
  streamName: string;
  rejected?: RejectedLogEventsInfo;
  /** The key of the last stored event, when any was stored. */
  last?: EventKey;
}

export interface GroupScan {
  after: EventKey;
  from: number;
  /** Inclusive. */
  to: number;
  limit: number;
  pattern: FilterPattern;
  stream?: (name: string) => boolean;
}

export interface ScannedEvent extends EventRow {
  stream_name: string;
}

/** Rows FilterLogEvents reads per query, and at most per call before it answers with a token. */
const SCAN_CHUNK = 1000;
const SCAN_BUDGET = 50_000;
/**
 * Matching runs on the one thread every request shares: a scan gives the event loop back this
 * often, so a long FilterLogEvents (large events, a costly pattern) delays the others by at most
 * this much at a time instead of by its whole duration.
 */
const SCAN_SLICE_MS = 10;

/**
 * The logs service over the store: every read and write is SQL in repository/statements.ts; every
 * acknowledged change is committed before the handler answers (DESIGN rule 3). Nothing is cached,
 * so several nodes on one database see one state.
 */
export class LogsEngine {
  readonly retention: RetentionSweeper;

  constructor(private readonly runtime: Runtime) {
    this.retention = new RetentionSweeper(runtime);
  }

  now(): number {
    return this.runtime.clock.now();
  }

  get log(): Runtime['log'] {
    return this.runtime.log;
  }

  // ── groups ─────────────────────────────────────────────────────────────────────────────────

  /** False when a group of that name exists already. */
  async createGroup(ref: GroupRef, options: CreateGroupOptions): Promise<boolean> {
    const row = await this.runtime.store.write((tx) =>
      tx.get<{ id: number }>(sql.insertGroup, [
        ref.accountId,
        ref.region,
        ref.name,
        this.now(),
        options.kmsKeyId ?? null,
        options.logGroupClass ?? 'STANDARD',
        options.deletionProtection ? 1 : 0,
        JSON.stringify(options.tags ?? {}),
      ]),
    );
    return row !== undefined;
  }

  getGroup(ref: GroupRef): Promise<GroupRow | undefined> {
    return this.runtime.store.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
  }

  async requireGroup(ref: GroupRef): Promise<GroupRow> {
    const group = await this.getGroup(ref);
    if (!group) throw logsErrors.groupNotFound();
    return group;
  }

  /** Groups of an account and region named after `after` and not before `from`, in name order. */
  listGroups(accountId: string, region: string, after: string, from: string, limit: number): Promise<GroupRow[]> {
    return this.runtime.store.all<GroupRow>(sql.selectGroupsAfter, [accountId, region, after, from, limit]);
  }

  /** Deletes a group with its streams and events, if it still exists. */
  async deleteGroup(ref: GroupRef): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      const group = await tx.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
      if (!group) throw logsErrors.groupNotFound();
      if (group.deletion_protection) throw logsErrors.deletionProtected();
      await tx.run(sql.deleteGroupEvents, [group.id]);
      await tx.run(sql.deleteGroupStreams, [group.id]);
      await tx.run(sql.deleteGroup, [group.id]);
    });
  }

  async setRetention(ref: GroupRef, days: number | null): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      const group = await tx.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
      if (!group) throw logsErrors.groupNotFound();
      await tx.run(sql.updateRetention, [days, group.id]);
    });
    if (days !== null) this.retention.schedule(this.now());
  }

  /** Applies `change` to the group's tags inside one write unit (no lost update between callers). */
  async changeTags(ref: GroupRef, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      const group = await tx.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
      if (!group) throw logsErrors.groupNotFound();
      await tx.run(sql.updateTags, [JSON.stringify(change(JSON.parse(group.tags) as Record<string, string>)), group.id]);
    });
  }

  // ── streams ────────────────────────────────────────────────────────────────────────────────

  /** Throws ResourceNotFound for a missing group; false when the stream exists already. */
  async createStream(ref: GroupRef, name: string): Promise<boolean> {
    return this.runtime.store.write(async (tx) => {
      const group = await tx.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
      if (!group) throw logsErrors.groupNotFound();
      return (await tx.get(sql.insertStream, [group.id, name, this.now()])) !== undefined;
    });
  }

  getStream(groupId: number, name: string): Promise<StreamRow | undefined> {
    return this.runtime.store.get<StreamRow>(sql.selectStream, [groupId, name]);
  }

  async deleteStream(ref: GroupRef, name: string): Promise<void> {
    await this.runtime.store.write(async (tx) => {
      const group = await tx.get<GroupRow>(sql.selectGroup, [ref.accountId, ref.region, ref.name]);
      if (!group) throw logsErrors.groupNotFound();
      const stream = await tx.get<StreamRow>(sql.selectStream, [group.id, name]);
      if (!stream) throw logsErrors.streamNotFound();
      const bytes = (await tx.get<{ bytes: number }>(sql.streamBytes, [group.id, stream.id]))?.bytes ?? 0;
      await tx.run(sql.deleteStreamEvents, [group.id, stream.id]);
      await tx.run(sql.deleteStream, [stream.id]);
      if (bytes > 0) await tx.run(sql.subtractBytes, [bytes, group.id]);
    });
  }

  streamsByName(groupId: number, descending: boolean, prefix: string, after: string | undefined, upper: string, limit: number): Promise<StreamRow[]> {
    return descending
      ? this.runtime.store.all<StreamRow>(sql.streamsByNameDesc, [groupId, after ?? upper, limit])
      : this.runtime.store.all<StreamRow>(sql.streamsByNameAsc, [groupId, prefix, after ?? '', limit]);
  }

  streamsByTime(groupId: number, descending: boolean, after: { ts: number; name: string }, limit: number): Promise<StreamRow[]> {
    return this.runtime.store.all<StreamRow>(descending ? sql.streamsByTimeDesc : sql.streamsByTimeAsc, [groupId, after.ts, after.name, limit]);
  }

  // ── events ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Stores a batch (PutLogEvents, and the log-group invoker with `createStream`). Group and stream
   * are looked up inside the write, so a concurrent delete either wins or loses whole.
   */
  async putEvents(ref: GroupRef, streamName: string, events: readonly InputLogEvent[], options: { createStream?: boolean } = {}): Promise<PutResult> {
    const now = this.now();
    const result = await this.runtime.store.write(async (tx) => {
      const target = await tx.get<{ group_id: number; retention_days: number | null; stream_id: number | null }>(sql.selectPutTarget, [
        streamName,
        ref.accountId,
        ref.region,
        ref.name,
      ]);
      if (!target) throw logsErrors.groupNotFound();
      let streamId = target.stream_id;
      if (streamId === null) {
        if (!options.createStream) throw logsErrors.streamNotFound();
        // Another writer may have created it since the look-up (on a shared database): then use theirs.
        const inserted = await tx.get<{ id: number }>(sql.insertStream, [target.group_id, streamName, now]);
        streamId = inserted?.id ?? (await tx.get<StreamRow>(sql.selectStream, [target.group_id, streamName]))!.id;
      }
      const plan = planBatch(events, now, target.retention_days);
      const stored = await this.insert(tx, target.group_id, streamId, plan.accepted, now);
      if (stored && target.retention_days) {
        const due = plan.accepted[0].timestamp + target.retention_days * DAY_MS;
        tx.afterCommit(() => this.retention.schedule(due));
      }
      return { streamName, ...(plan.rejected ? { rejected: plan.rejected } : {}), ...(stored ? { last: stored } : {}) };
    });
    return result;
  }

  /** Inserts sorted accepted events; returns the last key, or undefined when there were none. */
  private async insert(
    tx: WriteTx,
    groupId: number,
    streamId: number,
    events: readonly { timestamp: number; message: string; bytes: number }[],
    now: number,
  ): Promise<EventKey | undefined> {
    if (events.length === 0) return undefined;
    let bytes = 0;
    for (const e of events) bytes += e.bytes;
    const next = (await tx.get<{ next_seq: number }>(sql.reserveSeq, [events.length, bytes, groupId]))!.next_seq;
    let seq = next - events.length;
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const chunk = events.slice(start, start + INSERT_CHUNK);
      const params: SqlValue[] = [];
      for (const e of chunk) params.push(groupId, streamId, e.timestamp, seq++, now, e.bytes, e.message);
      await tx.run(sql.insertEvents(chunk.length), params);
    }
    const first = events[0].timestamp;
    const last = events[events.length - 1].timestamp;
    await tx.run(sql.updateStreamAfterPut, [first, first, last, last, now, streamId]);
    return { ts: last, seq: seq - 1 };
  }

  /** One stream's events after (forward) or before (backward, newest first) a key, within [from, to). */
  readStream(groupId: number, streamId: number, direction: 'f' | 'b', key: EventKey, from: number, to: number, limit: number): Promise<EventRow[]> {
    return this.runtime.store.all<EventRow>(direction === 'f' ? sql.streamEventsForward : sql.streamEventsBackward, [
      groupId,
      streamId,
      key.ts,
      key.seq,
      from,
      to,
      limit,
    ]);
  }

  /**
   * A group's matching events in time order from after `scan.after`. Reads in chunks and stops at
   * the limit, or after SCAN_BUDGET rows with `next` set so the caller answers a partial page and a
   * token (as FilterLogEvents may: "A returned page might only be partially full, or even empty").
   */
  async scanGroup(groupId: number, scan: GroupScan): Promise<{ events: ScannedEvent[]; next?: EventKey }> {
    const events: ScannedEvent[] = [];
    let after = scan.after;
    let scanned = 0;
    let sliceStart = performance.now();
    for (;;) {
      const rows = await this.runtime.store.all<ScannedEvent>(sql.groupEventsForward, [groupId, after.ts, after.seq, scan.from, scan.to, SCAN_CHUNK]);
      for (const row of rows) {
        if (performance.now() - sliceStart >= SCAN_SLICE_MS) {
          await setImmediate();
          sliceStart = performance.now();
        }
        scanned++;
        after = { ts: row.ts, seq: row.seq };
        if (scan.stream && !scan.stream(row.stream_name)) continue;
        if (!scan.pattern.matches(row.message)) continue;
        events.push(row);
        if (events.length >= scan.limit) return { events, next: after };
      }
      if (rows.length < SCAN_CHUNK) return { events };
      if (scanned >= SCAN_BUDGET) return { events, next: after };
    }
  }
}
