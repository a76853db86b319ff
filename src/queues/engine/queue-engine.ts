import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../core/clock.js';
import { randomUuid } from '../../core/uuids.js';
import { formatArn, parseArn } from '../../invoke/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { SqlValue, WriteTx } from '../../store/store.js';
import { sqsErrors } from '../model/errors.js';
import { md5OfMessageAttributes, md5OfMessageBody, md5OfMessageSystemAttributes, sha256Hex, type MessageAttributes } from '../model/md5.js';
import { queueConfig, type QueueConfig } from '../model/queue-attributes.js';
import { messagesIn, sql } from '../repository/statements.js';
import { QueueIndex, type ContentBudget, type IndexedMessage, type MessageContent, type NewMessage } from './queue-index.js';
import { DedupWindow, dedupHash } from './dedup-window.js';
import { sequenceNumberFor } from './sequence-number.js';
import { decodeDedupLog, encodeDedupLog, type DedupLogRecord } from './dedup-log.js';
import { decodeReceiptHandle, encodeReceiptHandle, newNonce } from './receipt-handle.js';
import { Waiters } from './waiters.js';

/**
 * The queues' data plane and control plane over the store. Each queue keeps an in-memory
 * index (queue-index.ts) of its messages; every change is written to the store in the same
 * request, and answered only after the commit (DESIGN rule 3).
 */
export interface Queue {
  id: number;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  config: QueueConfig;
  index: QueueIndex;
  nextSeq: number;
  /** The store's next_seq: no seq below it is ever issued again, even after a restart. */
  reservedSeq: number;
  waiters: Waiters;
  retentionTimer: TimerHandle | null;
  /** PurgeQueue may not run again before this moment (PurgeQueueInProgress). */
  purgeBlockedUntil: number;
  deleted: boolean;
  /** FIFO: the deduplication ids taken within the deduplication interval. */
  dedup: DedupWindow;
  /** FIFO ReceiveRequestAttemptId → the answer given, kept for the 5-minute deduplication interval. */
  receiveAttempts: Map<string, { expiresAt: number; seqs: number[]; receipts: string[] }>;
}

export interface SendEntry {
  body: string;
  delaySeconds?: number;
  attributes?: MessageAttributes;
  systemAttributes?: MessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}

export interface SendResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  attributes: MessageAttributes | null;
  systemAttributes: MessageAttributes | null;
  /**
   * System attributes AWS reports as strings (SentTimestamp, ApproximateReceiveCount, …), made
   * when asked for: most receives ask for none.
   */
  system(): Record<string, string>;
}

/**
 * A sent message's immutable payload, kept in the index while the content budget allows: a
 * receive then reads nothing back from the store (its UPDATE still records the receive).
 */
interface KeptContent extends MessageContent {
  messageId: string;
  body: string;
  md5Body: string;
  md5Attributes: string | null;
  /** As a receive reads them back from the store (parseAttributes of the stored JSON). */
  attributes: MessageAttributes | null;
  systemAttributes: MessageAttributes | null;
  senderId: string;
  dedupId: string | null;
  /** FIFO: the scope the deduplication id was taken in ('' for the queue, else the group). */
  dedupScope: string;
}

interface MessageRow {
  seq: number;
  message_id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  md5_system_attributes: string | null;
  sender_id: string;
  sent_at: number;
  receive_count: number;
  first_received_at: number | null;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  dead_letter_source?: string | null;
}

interface QueueRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
  next_seq: number;
}

/** FIFO deduplication interval (SQS Developer Guide, "Exactly-once processing"). */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60 * 1000;
/** A deleted queue's name is blocked this long (API Reference, CreateQueue). */
export const QUEUE_NAME_REUSE_DELAY_MS = 60 * 1000;
/** One PurgeQueue per 60 s (API Reference, PurgeQueue). */
export const PURGE_INTERVAL_MS = 60 * 1000;
/** A message's visibility may not reach past 12 h from its receive (API Reference, ChangeMessageVisibility). */
export const MAX_VISIBILITY_MS = 12 * 60 * 60 * 1000;
/**
 * Message content kept in memory across all queues of one engine; beyond it, receives read the
 * content back from the store.
 */
export const CONTENT_BUDGET_BYTES = 64 * 1024 * 1024;
/**
 * Seqs are reserved in the store this many at a time, so a send writes the queue's next_seq only
 * once per so many messages; a restart goes on from the reserved bound (FIFO sequence numbers keep
 * increasing, merely with a gap).
 */
export const SEQ_RESERVATION = 4096;

export class QueueEngine {
  private readonly queues = new Map<string, Queue>();
  private readonly byId = new Map<number, Queue>();
  /** The deduplication interval this process last wrote records in (see dedupTurn). */
  private dedupInterval: number | undefined;
  private readonly contentBudget: ContentBudget = { used: 0, limit: CONTENT_BUDGET_BYTES };

  constructor(private readonly runtime: Runtime) {}

  private get clock() {
    return this.runtime.clock;
  }

  now(): number {
    return this.runtime.clock.now();
  }

  private get store() {
    return this.runtime.store;
  }

  /** Rebuilds every queue and its index from the store. In-flight messages keep their timeouts. */
  async load(): Promise<void> {
    const now = this.clock.now();
    for (const row of await this.store.all<QueueRow>(sql.selectQueues)) {
      const queue = this.materialize(row);
      const messages = await this.store.all<{
        seq: number;
        sent_at: number;
        visible_at: number;
        receive_count: number;
        received_at: number | null;
        first_received_at: number | null;
        receipt: string | null;
        group_id: string | null;
      }>(sql.selectMessageIndex, [queue.id]);
      for (const m of messages) {
        queue.index.add(
          {
            seq: Number(m.seq),
            sentAt: Number(m.sent_at),
            visibleAt: Number(m.visible_at),
            receiveCount: m.receive_count,
            receipt: m.receipt,
            receivedAt: m.received_at === null ? null : Number(m.received_at),
            firstReceivedAt: m.first_received_at === null ? null : Number(m.first_received_at),
            groupId: m.group_id,
          },
          now,
        );
        queue.nextSeq = Math.max(queue.nextSeq, Number(m.seq) + 1);
      }
      queue.reservedSeq = queue.nextSeq;
      this.armRetention(queue);
    }
    await this.loadDedupLog(now);
  }

  /**
   * Fills the queues' deduplication windows from the dedup log, in seq order (so that of two
   * records of one id, the later wins). Rows of deleted queues are skipped: queue ids are never
   * used again, and the rows go when their table's turn comes.
   */
  private async loadDedupLog(now: number): Promise<void> {
    const rows = await this.store.all<{ queue_id: number; expires_at: number; records: string }>(sql.selectDedupLog, [now, now]);
    for (const row of rows) {
      const queue = this.byId.get(Number(row.queue_id));
      if (queue === undefined) continue;
      let lastSeq = -1;
      for (const [scope, dedupId, , seq] of decodeDedupLog(row.records)) {
        queue.dedup.take(dedupHash(scope, dedupId), seq);
        lastSeq = seq;
      }
      queue.dedup.expireAt(lastSeq, Number(row.expires_at));
    }
  }

  stop(): void {
    for (const queue of this.queues.values()) {
      queue.retentionTimer?.cancel();
      queue.waiters.notify();
    }
  }

  // ---- control plane -------------------------------------------------------------------------

  get(accountId: string, region: string, name: string): Queue | undefined {
    return this.queues.get(key(accountId, region, name));
  }

  byArn(arn: string): Queue | undefined {
    const parsed = parseArn(arn);
    return parsed && parsed.service === 'sqs' ? this.get(parsed.accountId, parsed.region, parsed.resourceId) : undefined;
  }

  list(accountId: string, region: string): Queue[] {
    return [...this.queues.values()].filter((q) => q.accountId === accountId && q.region === region).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Seconds left before a deleted queue's name may be used again, or 0. */
  async deletedRecently(accountId: string, region: string, name: string): Promise<boolean> {
    const row = await this.store.get<{ deleted_at: number }>(sql.selectDeletedQueue, [accountId, region, name]);
    return row !== undefined && Number(row.deleted_at) + QUEUE_NAME_REUSE_DELAY_MS > this.clock.now();
  }

  async create(accountId: string, region: string, name: string, attributes: Record<string, string>, tags: Record<string, string>): Promise<Queue> {
    const now = this.clock.now();
    const id = await this.store.write(async (tx) => {
      await tx.run(sql.deleteDeletedQueue, [accountId, region, name]);
      const row = await tx.get<{ id: number }>(sql.insertQueue, [accountId, region, name, JSON.stringify(attributes), JSON.stringify(tags), now, now]);
      return Number(row!.id);
    });
    const queue = this.materialize({ id, account_id: accountId, region, name, attributes: JSON.stringify(attributes), tags: JSON.stringify(tags), created_at: now, modified_at: now, next_seq: 1 });
    return queue;
  }

  /** Replaces the queue's stored attributes (already validated and merged by the API layer). */
  async setAttributes(queue: Queue, attributes: Record<string, string>): Promise<void> {
    const now = this.clock.now();
    await this.store.write((tx) => tx.run(sql.updateQueueAttributes, [JSON.stringify(attributes), now, queue.id]));
    queue.attributes = attributes;
    queue.modifiedAt = now;
    queue.config = queueConfig(attributes);
    this.armRetention(queue);
    queue.waiters.notify();
  }

  async setTags(queue: Queue, tags: Record<string, string>): Promise<void> {
    await this.store.write((tx) => tx.run(sql.updateQueueTags, [JSON.stringify(tags), queue.id]));
    queue.tags = tags;
  }

  async delete(queue: Queue): Promise<void> {
    const now = this.clock.now();
    await this.store.write(async (tx) => {
      await tx.run(sql.deleteQueueMessages, [queue.id]);
      // Its dedup log rows stay until their table's turn: the log is not keyed by queue.
      await tx.run(sql.deleteQueue, [queue.id]);
      await tx.run(sql.upsertDeletedQueue, [queue.accountId, queue.region, queue.name, now]);
    });
    queue.deleted = true;
    queue.retentionTimer?.cancel();
    this.queues.delete(key(queue.accountId, queue.region, queue.name));
    this.byId.delete(queue.id);
    queue.index.clear();
    queue.dedup.clear();
    queue.waiters.notify();
  }

  async purge(queue: Queue): Promise<void> {
    const now = this.clock.now();
    if (queue.purgeBlockedUntil > now) throw sqsErrors.purgeQueueInProgress(queue.name);
    queue.purgeBlockedUntil = now + PURGE_INTERVAL_MS;
    await this.store.write((tx) => tx.run(sql.deleteQueueMessages, [queue.id]));
    queue.index.clear();
  }

  // ---- data plane ----------------------------------------------------------------------------

  /** `alongside`: a write of the caller's that commits with the messages (a delivery job's completion). */
  async send(queue: Queue, entries: SendEntry[], senderId: string, alongside?: (tx: WriteTx) => Promise<void>): Promise<SendResult[]> {
    const now = this.clock.now();
    // Digests and deduplication ids need no store: worked out before the unit, which only writes.
    const prepared = entries.map((entry) => prepare(queue, entry));
    const state: SendState = { added: [], reserved: 0, early: false, logged: null };
    try {
      const results = await this.store.write((tx) => this.sendUnit(tx, queue, prepared, senderId, now, state, alongside));
      // Long polls this send woke were waiting before it came, and their answers are ready at the
      // same commit: they go out first (a send answers once the microtasks of the commit — those
      // polls' answers among them — have run). On loopback the first answer written after a quiet
      // spell pays for waking the client, ~0.2 ms here.
      if (state.early) await new Promise<void>((resolve) => process.nextTick(resolve));
      return results;
    } catch (error) {
      // Messages handed to a long poll before the commit are taken back (that receive failed with this send).
      if (state.early) for (const m of state.added) queue.index.remove(m.seq);
      // A failed commit: the ids this send took are free again (a failed unit freed them itself).
      forgetDeduplicated(queue, state);
      throw error;
    }
  }

  /** The store work of a send (see send()); what it did goes into `state`. */
  private async sendUnit(
    tx: WriteTx,
    queue: Queue,
    prepared: Prepared[],
    senderId: string,
    now: number,
    state: SendState,
    alongside: ((tx: WriteTx) => Promise<void>) | undefined,
  ): Promise<SendResult[]> {
    try {
      const results = await this.sendMessages(tx, queue, prepared, senderId, now, state);
      if (alongside !== undefined) await alongside(tx);
      return results;
    } catch (error) {
      // Later units of the same batch must not take this unit's messages for the originals.
      forgetDeduplicated(queue, state);
      throw error;
    }
  }

  private async sendMessages(tx: WriteTx, queue: Queue, prepared: Prepared[], senderId: string, now: number, state: SendState): Promise<SendResult[]> {
    const fifo = queue.config.fifo;
    const added = state.added;
    const out: SendResult[] = [];
    const rows: SqlValue[] = [];
    // FIFO: ids are looked up and taken in memory, inside the unit, so that a send later in the
    // same batch sees them; the unit appends them to the dedup log.
    if (fifo) queue.dedup.sweep(now);
    // Messages without attributes of either kind (most) bind 10 values a row, not 20.
    let plain = true;
    for (const p of prepared) if (p.attributes !== null || p.systemAttributes !== null) plain = false;
    for (const p of prepared) {
      const entry = p.entry;
      if (fifo) {
        let original: { seq: number; messageId: string } | undefined;
        for (const seq of queue.dedup.candidates(p.dedupHash)) {
          const messageId = await this.originalMessageId(tx, queue, seq, p, added);
          if (messageId !== undefined) original = { seq, messageId };
        }
        if (original !== undefined) {
          // A duplicate is accepted but not delivered again (SQS Developer Guide, "Exactly-once processing").
          out.push({ messageId: original.messageId, ...p.digests, sequenceNumber: sequenceNumberFor(original.seq) });
          continue;
        }
      }
      const seq = queue.nextSeq++;
      const messageId = randomUuid();
      const delayMs = (entry.delaySeconds ?? queue.config.delaySeconds) * 1000;
      const sequenceNumber = fifo ? sequenceNumberFor(seq) : null;
      const { attributes, systemAttributes } = p;
      const groupId = entry.groupId ?? null;
      const md5Attributes = p.digests.md5OfMessageAttributes ?? null;
      // The sequence number is not stored: it is sequenceNumberFor(seq), worked out again on reading.
      if (plain) rows.push(queue.id, seq, messageId, entry.body, p.digests.md5OfMessageBody, senderId, now, now + delayMs, groupId, p.dedupId);
      else {
        rows.push(
          queue.id, seq, messageId, entry.body, attributes, systemAttributes,
          p.digests.md5OfMessageBody, md5Attributes, p.digests.md5OfMessageSystemAttributes ?? null, senderId, now, now + delayMs, 0, null, null, null,
          groupId, p.dedupId, null, null,
        );
      }
      if (fifo) {
        queue.dedup.take(p.dedupHash, seq);
        // Noted in the state at once: should the unit fail from here on, the id is given back.
        (state.logged ??= []).push([p.scope, p.dedupId!, messageId, seq]);
      }
      const content: KeptContent = {
        bytes: contentBytes(entry.body, attributes, systemAttributes),
        messageId,
        body: entry.body,
        md5Body: p.digests.md5OfMessageBody,
        md5Attributes,
        // Exactly what a receive would read back from the stored JSON.
        attributes: attributes === null ? null : parseAttributes(attributes),
        systemAttributes: systemAttributes === null ? null : parseAttributes(systemAttributes),
        senderId,
        dedupId: p.dedupId,
        dedupScope: p.scope,
      };
      added.push({ seq, sentAt: now, visibleAt: now + delayMs, receiveCount: 0, receipt: null, receivedAt: null, groupId, content });
      // Written out, not spread from p.digests: an object spread per message cost more than the fields.
      out.push({
        messageId,
        md5OfMessageBody: p.digests.md5OfMessageBody,
        md5OfMessageAttributes: p.digests.md5OfMessageAttributes,
        md5OfMessageSystemAttributes: p.digests.md5OfMessageSystemAttributes,
        sequenceNumber: sequenceNumber ?? undefined,
      });
    }
    if (added.length > 0) {
      const insert = plain ? sql.insertPlainMessages(added.length) : sql.insertMessages(added.length);
      // FIFO: a later send of the same batch may take these messages for the originals of its
      // duplicates (above), so whether they were stored must be known before this unit returns.
      if (fifo) await tx.run(insert, rows);
      else tx.write(insert, rows);
      const logged = state.logged;
      if (logged !== null) {
        const expiresAt = now + DEDUPLICATION_INTERVAL_MS;
        queue.dedup.expireAt(logged[logged.length - 1][3], expiresAt);
        await tx.run(sql.insertDedupLog[await this.dedupTurn(tx, now)], [queue.id, logged[0][3], expiresAt, encodeDedupLog(logged)]);
      }
      if (queue.nextSeq > queue.reservedSeq) {
        const reserved = queue.nextSeq + SEQ_RESERVATION;
        tx.write(sql.updateQueueNextSeq, [reserved, queue.id, reserved]);
        state.reserved = reserved;
      }
    }
    // A long poll waiting on the queue is handed the messages now, before the commit: its receive
    // then joins this transaction and answers when this send does — one commit, not two, between
    // a send and the wake-up. Both answers still wait for the commit (DESIGN rule 3); if it
    // fails, both fail and send() takes the messages back.
    const early = added.length > 0 && queue.waiters.size > 0 && !queue.deleted;
    if (early) {
      state.early = true;
      this.admit(queue, added, now);
    }
    tx.afterCommit(() => {
      // Only a committed reservation counts: a unit rolled back took its next_seq with it.
      if (state.reserved > queue.reservedSeq) queue.reservedSeq = state.reserved;
      if (!early) this.admit(queue, added, now);
    });
    return out;
  }

  /**
   * The FIFO dedup log is written to two tables that take turns by deduplication interval
   * (5 minutes, counted from the epoch): interval n writes to table n % 2. When interval n begins,
   * table n % 2 holds records of interval n − 2 or older, all expired: it is emptied whole, in the
   * same transaction as the first records of interval n. Loading reads both tables and skips
   * expired rows, so rows left behind by a restart (this process does not know what it last
   * emptied) only take space until their table's next turn.
   */
  private async dedupTurn(tx: WriteTx, now: number): Promise<0 | 1> {
    const interval = Math.floor(now / DEDUPLICATION_INTERVAL_MS);
    const turn = (interval % 2) as 0 | 1;
    if (this.dedupInterval !== undefined && interval > this.dedupInterval) await tx.run(sql.clearDedupLog[turn]);
    // Noted at once: should this unit fail, its table merely keeps expired records a turn longer.
    if (this.dedupInterval === undefined || interval > this.dedupInterval) this.dedupInterval = interval;
    return turn;
  }

  /**
   * The message id of the message `seq` if it took the deduplication id of `p` (the window knows
   * only a hash of it): from the messages of this send, from the index, or else from the dedup
   * log (the message may be gone). Undefined if it took another id whose hash is the same, or
   * if the log has lost the record, which it should never: the send then goes ahead as new.
   */
  private async originalMessageId(tx: WriteTx, queue: Queue, seq: number, p: Prepared, added: NewMessage[]): Promise<string | undefined> {
    const content = (added.find((m) => m.seq === seq)?.content ?? queue.index.get(seq)?.content ?? null) as KeptContent | null;
    if (content !== null) return content.dedupId === p.dedupId && content.dedupScope === p.scope ? content.messageId : undefined;
    let row: { first_seq: number; records: string } | undefined;
    for (const statement of sql.selectDedupLogRow) {
      const found = await tx.get<{ first_seq: number; records: string }>(statement, [queue.id, seq]);
      if (found !== undefined && (row === undefined || Number(found.first_seq) > Number(row.first_seq))) row = found;
    }
    const record = row === undefined ? undefined : decodeDedupLog(row.records).find((r) => r[3] === seq);
    if (record === undefined) {
      this.runtime.log.warn('FIFO deduplication record missing from the dedup log', { queue: queue.arn, seq });
      return undefined;
    }
    return record[0] === p.scope && record[1] === p.dedupId ? record[2] : undefined;
  }

  /** Puts committed messages into the index and wakes long polls. */
  private admit(queue: Queue, added: NewMessage[], now: number): void {
    if (queue.deleted || added.length === 0) return;
    const oldest = queue.index.oldestSentAt();
    let older = false;
    for (const m of added) {
      queue.index.add(m, now);
      if (oldest === undefined || m.sentAt < oldest) older = true;
    }
    // A message moved into a standard dead-letter queue keeps its enqueue time, so it may be
    // older than everything the retention timer was armed for (or the timer may still be armed
    // for messages deleted since).
    if (queue.retentionTimer === null || older) this.armRetention(queue);
    queue.waiters.notify();
  }

  /**
   * ReceiveMessage: up to `max` messages, long-polling up to `waitMs` for the first one. A
   * message already received maxReceiveCount times moves to the dead-letter queue instead.
   */
  async receive(
    queue: Queue,
    options: { max: number; visibilityTimeout: number; waitMs: number; attemptId?: string; lifetime: { readonly signal: AbortSignal } },
  ): Promise<ReceivedMessage[]> {
    const deadline = this.clock.now() + options.waitMs;
    for (;;) {
      const got = await this.receiveNow(queue, options.max, options.visibilityTimeout, options.attemptId);
      if (got.length > 0) return got;
      const now = this.clock.now();
      // The signal is asked for only here: most receives never wait, and making one costs.
      if (now >= deadline || options.lifetime.signal.aborted || queue.deleted) return [];
      const next = queue.index.nextVisibleAt();
      const until = Math.min(deadline, next ?? Infinity);
      await queue.waiters.wait(this.clock, until - now, options.lifetime.signal);
    }
  }

  private async receiveNow(queue: Queue, max: number, visibilityTimeout: number, attemptId?: string): Promise<ReceivedMessage[]> {
    const now = this.clock.now();
    if (attemptId !== undefined) {
      const replay = await this.replayAttempt(queue, attemptId, visibilityTimeout, now);
      if (replay) return replay;
    }
    const retentionCutoff = now - queue.config.retentionSeconds * 1000;
    const redrive = queue.config.redrive;
    const deadLetter = redrive ? this.byArn(redrive.deadLetterTargetArn) : undefined;
    const expired = new Set<number>();
    const { deliver, removed } = queue.index.take(now, max, (m) => {
      if (m.sentAt <= retentionCutoff) {
        expired.add(m.seq);
        return 'remove';
      }
      return deadLetter && redrive && m.receiveCount >= redrive.maxReceiveCount ? 'remove' : 'deliver';
    });
    if (deliver.length === 0 && removed.length === 0) return [];

    const visibleAt = now + visibilityTimeout * 1000;
    // One nonce serves every message of this receive: a handle also names its message, so it
    // stays unique to one receive of one message.
    const nonce = newNonce();
    const claims = deliver.map((m) => new Claim(m));
    for (const c of claims) {
      queue.index.markReceived(c.m, now, visibleAt, nonce);
      // What this receive reports, whatever later receives do to the message before it answers.
      c.receiveCount = c.m.receiveCount;
      c.firstReceivedAt = c.m.firstReceivedAt;
    }
    const moved: NewMessage[] = [];
    let stored: Map<number, MessageRow> | undefined;
    try {
      stored = await this.store.write(async (tx) => {
        const dropped: number[] = [];
        for (const m of removed) {
          if (expired.has(m.seq) || !deadLetter) dropped.push(m.seq);
          else moved.push(await this.moveMessage(tx, queue, m.seq, deadLetter, now, 'dead-letter'));
        }
        this.deleteRows(tx, queue, dropped);
        if (moved.length > 0) {
          await tx.run(sql.updateQueueNextSeq, [deadLetter!.nextSeq, deadLetter!.id, deadLetter!.nextSeq]);
          tx.afterCommit(() => this.admit(deadLetter!, moved, now));
        }
        if (claims.length === 0) return undefined;
        const seqs = messagesIn(claims.map((c) => c.m.seq));
        tx.write(sql.receiveMessages(claims.length, seqs.near), [visibleAt, now, now, nonce, queue.id, ...seqs.params]);
        // Content not kept in memory (loaded at start, or over budget) is read back.
        let missing: number[] | undefined;
        for (const c of claims) if (c.m.content === null) (missing ??= []).push(c.m.seq);
        if (missing === undefined) return undefined;
        const rows = await tx.all<MessageRow & { seq: number }>(sql.selectMessages(missing.length), [queue.id, ...missing]);
        return new Map(rows.map((row) => [Number(row.seq), row]));
      });
    } catch (error) {
      // A message no longer in the index was taken back by the send it came with (sent and
      // received in one transaction that failed): nothing to undo for it.
      for (const c of claims) if (queue.index.get(c.m.seq) === c.m) queue.index.unmarkReceived(c.m, c.previous, this.clock.now());
      for (const m of removed) if (queue.index.get(m.seq) === undefined) queue.index.add({ ...m }, this.clock.now());
      throw error;
    }
    const received: ReceivedMessage[] = [];
    for (const c of claims) {
      const handle = encodeReceiptHandle({ queueId: queue.id, seq: c.m.seq, nonce });
      const content = c.m.content as KeptContent | null;
      if (content !== null) received.push(fromContent(content, c, queue.config.fifo, handle));
      else {
        // A row gone by now was purged in the same transaction: nothing to hand out.
        const row = stored?.get(c.m.seq);
        if (row !== undefined) received.push(toReceived(row, queue.config.fifo, handle));
      }
    }
    if (attemptId !== undefined && queue.config.fifo) {
      if (queue.receiveAttempts.size >= 1024) {
        for (const [id, a] of queue.receiveAttempts) if (a.expiresAt <= now) queue.receiveAttempts.delete(id);
      }
      queue.receiveAttempts.set(attemptId, { expiresAt: now + DEDUPLICATION_INTERVAL_MS, seqs: claims.map((c) => c.m.seq), receipts: claims.map(() => nonce) });
    }
    return received;
  }

  /**
   * FIFO: a retried ReceiveMessage with the same ReceiveRequestAttemptId gets the same messages
   * and receipt handles while they are still in flight, with their visibility reset
   * (API Reference, ReceiveMessage, ReceiveRequestAttemptId).
   */
  private async replayAttempt(queue: Queue, attemptId: string, visibilityTimeout: number, now: number): Promise<ReceivedMessage[] | undefined> {
    const attempt = queue.receiveAttempts.get(attemptId);
    if (!attempt) return undefined;
    if (attempt.expiresAt <= now) {
      queue.receiveAttempts.delete(attemptId);
      return undefined;
    }
    const messages = attempt.seqs.map((seq) => queue.index.get(seq));
    if (messages.some((m, i) => !m || m.receipt !== attempt.receipts[i] || m.state !== 'in-flight')) return undefined;
    const visibleAt = now + visibilityTimeout * 1000;
    const rows = await this.store.write(async (tx) => {
      const out: MessageRow[] = [];
      for (const seq of attempt.seqs) {
        await tx.run(sql.changeVisibility, [visibleAt, queue.id, seq]);
        out.push((await tx.get<MessageRow>(sql.selectMessage, [queue.id, seq]))!);
      }
      return out;
    });
    messages.forEach((m) => queue.index.setVisibleAt(m!, now, visibleAt));
    return rows.map((row, i) => toReceived(row, queue.config.fifo, encodeReceiptHandle({ queueId: queue.id, seq: attempt.seqs[i], nonce: attempt.receipts[i] })));
  }

  /**
   * Moves one message into another queue, inside `tx`: to its dead-letter queue
   * ('dead-letter') or out of a dead-letter queue by a message move task ('redrive').
   */
  private async moveMessage(tx: WriteTx, from: Queue, seq: number, to: Queue, now: number, mode: 'dead-letter' | 'redrive'): Promise<NewMessage> {
    const row = (await tx.get<MessageRow & { dead_letter_source: string | null }>(sql.selectMessage, [from.id, seq]))!;
    const newSeq = to.nextSeq++;
    const deadLetter = mode === 'dead-letter';
    // Dead-lettering keeps the message: its id, receive count and, for standard queues, its
    // enqueue time ("The expiration of a message is always based on its original enqueue
    // timestamp. When a message is moved to a dead-letter queue, the enqueue timestamp is
    // unchanged" — for FIFO queues the timestamp resets; SQS Developer Guide, dead-letter
    // queue retention). A redrive makes a new message: "The redrive task resets the retention
    // period. All redriven messages are considered new messages and are assigned a new
    // messageID and enqueueTime." (SQS Developer Guide, "Learn how to configure a dead-letter
    // queue redrive") — so it starts with no receives and no dead-letter source, and is not
    // sent straight back to the dead-letter queue by its old receive count.
    const sentAt = deadLetter && !to.config.fifo ? Number(row.sent_at) : now;
    const receiveCount = deadLetter ? row.receive_count : 0;
    // "When a message is moved from a FIFO queue to a FIFO DLQ, the original message's
    // deduplication ID will be replaced with the original message's ID." (same redrive page)
    const dedupId = deadLetter && to.config.fifo && row.dedup_id !== null ? row.message_id : row.dedup_id;
    await tx.run(sql.insertMessage, [
      to.id, newSeq, deadLetter ? row.message_id : randomUUID(), row.body, row.attributes, row.system_attributes, row.md5_body, row.md5_attributes,
      row.md5_system_attributes, row.sender_id, sentAt, now, receiveCount, deadLetter ? row.first_received_at : null, null, null,
      row.group_id, dedupId, null, deadLetter ? from.arn : null,
    ]);
    await tx.run(sql.deleteMessage, [from.id, seq]);
    return { seq: newSeq, sentAt, visibleAt: now, receiveCount, receipt: null, receivedAt: null, groupId: row.group_id };
  }

  /**
   * The message a receipt handle names if that handle is from its latest receive; undefined if
   * the message is gone or was received again since; ReceiptHandleIsInvalid if the handle is
   * not one this queue handed out.
   */
  private receivedBy(queue: Queue, handle: string): IndexedMessage | undefined | Error {
    const decoded = decodeReceiptHandle(handle);
    if (!decoded || decoded.queueId !== queue.id) return sqsErrors.receiptHandleIsInvalid(handle);
    const m = queue.index.get(decoded.seq);
    return m && m.receipt === decoded.nonce ? m : undefined;
  }

  /** DeleteMessage for each receipt handle; per-handle errors are returned, not thrown. */
  async deleteMessages(queue: Queue, handles: string[]): Promise<(Error | null)[]> {
    const now = this.clock.now();
    const outcomes: (Error | null)[] = [];
    const doomed: IndexedMessage[] = [];
    // Bring visibility up to date first: a FIFO handle whose timeout has just ended must be
    // seen as expired, not as still in flight.
    queue.index.refresh(now);
    for (const handle of handles) {
      const m = this.receivedBy(queue, handle);
      if (m instanceof Error) {
        outcomes.push(m);
        continue;
      }
      // Gone already, or received again since this handle was issued: the call succeeds and the
      // message stays (API Reference, DeleteMessage).
      if (!m) {
        outcomes.push(null);
        continue;
      }
      if (queue.config.fifo && m.state !== 'in-flight') {
        outcomes.push(sqsErrors.parameterValueInvalid(handle, 'ReceiptHandle', 'The receipt handle has expired.'));
        continue;
      }
      queue.index.remove(m.seq);
      doomed.push(m);
      outcomes.push(null);
    }
    if (doomed.length > 0) {
      try {
        await this.store.write((tx) => this.deleteRows(tx, queue, doomed.map((m) => m.seq)));
      } catch (error) {
        for (const m of doomed) queue.index.add({ ...m }, this.clock.now());
        throw error;
      }
      // In a FIFO queue deleting an in-flight message releases its group: the group's next
      // message is available now, so long polls must look again.
      if (queue.config.fifo) queue.waiters.notify();
    }
    return outcomes;
  }

  /** ChangeMessageVisibility for each entry; per-entry errors are returned, not thrown. */
  async changeVisibility(queue: Queue, entries: { handle: string; visibilityTimeout: number }[]): Promise<(Error | null)[]> {
    const now = this.clock.now();
    const outcomes: (Error | null)[] = [];
    const changes: { m: IndexedMessage; visibleAt: number; previous: number }[] = [];
    queue.index.refresh(now);
    for (const { handle, visibilityTimeout } of entries) {
      const m = this.receivedBy(queue, handle);
      if (m instanceof Error) {
        outcomes.push(m);
        continue;
      }
      if (!m) {
        outcomes.push(sqsErrors.parameterValueInvalid(handle, 'ReceiptHandle', 'Message does not exist or is not available for visibility timeout change.'));
        continue;
      }
      if (m.state !== 'in-flight') {
        outcomes.push(sqsErrors.messageNotInflight());
        continue;
      }
      const visibleAt = now + visibilityTimeout * 1000;
      if (visibleAt - (m.receivedAt ?? now) > MAX_VISIBILITY_MS) {
        outcomes.push(sqsErrors.parameterValueInvalid(visibilityTimeout, 'VisibilityTimeout', 'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]'));
        continue;
      }
      changes.push({ m, visibleAt, previous: m.visibleAt });
      queue.index.setVisibleAt(m, now, visibleAt);
      outcomes.push(null);
    }
    if (changes.length > 0) {
      try {
        await this.store.write((tx) => {
          for (const c of changes) tx.write(sql.changeVisibility, [c.visibleAt, queue.id, c.m.seq]);
        });
      } catch (error) {
        for (const c of changes) queue.index.setVisibleAt(c.m, this.clock.now(), c.previous);
        throw error;
      }
      if (changes.some((c) => c.visibleAt <= now)) queue.waiters.notify();
    }
    return outcomes;
  }

  /**
   * Moves up to `limit` visible messages out of `from` into `to`, or, with 'source', back into
   * the queue each came from (a dead-letter queue redrive). Messages whose source queue no
   * longer exists stay where they are. Returns how many moved.
   */
  async moveMessages(from: Queue, to: Queue | 'source', limit: number): Promise<number> {
    const now = this.clock.now();
    const { deliver } = from.index.take(now, limit, () => 'deliver');
    if (deliver.length === 0) return 0;
    for (const m of deliver) from.index.remove(m.seq);
    const admitted = new Map<Queue, NewMessage[]>();
    const stayed: IndexedMessage[] = [];
    try {
      await this.store.write(async (tx) => {
        for (const m of deliver) {
          let target: Queue | undefined = to === 'source' ? undefined : to;
          if (to === 'source') {
            const row = await tx.get<{ dead_letter_source: string | null }>(sql.selectMessage, [from.id, m.seq]);
            target = row?.dead_letter_source ? this.byArn(row.dead_letter_source) : undefined;
          }
          if (!target || target === from) {
            stayed.push(m);
            continue;
          }
          const list = admitted.get(target) ?? [];
          list.push(await this.moveMessage(tx, from, m.seq, target, now, 'redrive'));
          admitted.set(target, list);
        }
        for (const target of admitted.keys()) await tx.run(sql.updateQueueNextSeq, [target.nextSeq, target.id, target.nextSeq]);
        tx.afterCommit(() => {
          for (const [target, list] of admitted) this.admit(target, list, now);
        });
      });
    } catch (error) {
      for (const m of deliver) from.index.add({ ...m }, this.clock.now());
      throw error;
    }
    for (const m of stayed) from.index.add({ ...m }, now);
    return deliver.length - stayed.length;
  }

  /** Deletes message rows in statements of up to 500 (far below SQLite's variable limit). */
  private deleteRows(tx: WriteTx, queue: Queue, seqs: number[]): void {
    for (let i = 0; i < seqs.length; i += 500) {
      const chunk = seqs.slice(i, i + 500);
      const where = messagesIn(chunk);
      tx.write(sql.deleteMessages(chunk.length, where.near), [queue.id, ...where.params]);
    }
  }

  // ---- retention -----------------------------------------------------------------------------

  /** One timer per queue, set for when its oldest message outlives the retention period. */
  private armRetention(queue: Queue): void {
    queue.retentionTimer?.cancel();
    queue.retentionTimer = null;
    if (queue.deleted) return;
    const oldest = queue.index.oldestSentAt();
    if (oldest === undefined) return;
    const due = oldest + queue.config.retentionSeconds * 1000;
    queue.retentionTimer = this.clock.setTimer(() => {
      queue.retentionTimer = null;
      this.expire(queue).catch((error: unknown) => this.runtime.log.error('queue retention sweep failed', { queue: queue.arn, error }));
    }, due - this.clock.now());
  }

  /** Deletes every message older than the retention period (API Reference, MessageRetentionPeriod). */
  async expire(queue: Queue): Promise<number> {
    const now = this.clock.now();
    const expired = queue.index.sentBefore(now - queue.config.retentionSeconds * 1000);
    for (const m of expired) queue.index.remove(m.seq);
    // Armed for the next oldest now, from the index, not once the delete commits: a slower store
    // (PostgreSQL) must not push the next expiry back by its commit time.
    this.armRetention(queue);
    if (expired.length > 0) {
      await this.store.write((tx) => this.deleteRows(tx, queue, expired.map((m) => m.seq)));
    }
    return expired.length;
  }

  private materialize(row: QueueRow): Queue {
    const attributes = JSON.parse(row.attributes) as Record<string, string>;
    const config = queueConfig(attributes);
    const queue: Queue = {
      id: Number(row.id),
      accountId: row.account_id,
      region: row.region,
      name: row.name,
      arn: formatArn({ service: 'sqs', region: row.region, accountId: row.account_id, resource: row.name }),
      attributes,
      tags: JSON.parse(row.tags) as Record<string, string>,
      createdAt: Number(row.created_at),
      modifiedAt: Number(row.modified_at),
      config,
      index: new QueueIndex(config.fifo, this.contentBudget),
      nextSeq: Number(row.next_seq),
      reservedSeq: Number(row.next_seq),
      waiters: new Waiters(),
      retentionTimer: null,
      purgeBlockedUntil: 0,
      deleted: false,
      dedup: new DedupWindow(),
      receiveAttempts: new Map(),
    };
    this.queues.set(key(queue.accountId, queue.region, queue.name), queue);
    this.byId.set(queue.id, queue);
    return queue;
  }
}

function key(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

/**
 * What a send's unit did: the messages it added, the seq bound it reserved, whether a long poll
 * got them before the commit, and the FIFO deduplication ids it took.
 */
interface SendState {
  added: NewMessage[];
  reserved: number;
  early: boolean;
  logged: DedupLogRecord[] | null;
}

/** Gives back the deduplication ids a send took, once its unit or its commit has failed. */
function forgetDeduplicated(queue: Queue, state: SendState): void {
  if (state.logged === null) return;
  for (const [scope, dedupId, , seq] of state.logged) queue.dedup.release(dedupHash(scope, dedupId), seq);
  state.logged = null;
}

/** One entry of a send, with what can be worked out before its unit runs. */
interface Prepared {
  entry: SendEntry;
  digests: Pick<SendResult, 'md5OfMessageBody' | 'md5OfMessageAttributes' | 'md5OfMessageSystemAttributes'>;
  /** FIFO: the deduplication id, its scope ('' for the queue, else the group) and both as one key. */
  dedupId: string | null;
  scope: string;
  /** dedupHash of scope and id (0 for standard queues). */
  dedupHash: number;
  /** The attributes as stored (JSON), or null when there are none. */
  attributes: string | null;
  systemAttributes: string | null;
}

function prepare(queue: Queue, entry: SendEntry): Prepared {
  const digests = {
    md5OfMessageBody: md5OfMessageBody(entry.body),
    md5OfMessageAttributes: md5OfMessageAttributes(entry.attributes),
    md5OfMessageSystemAttributes: md5OfMessageSystemAttributes(entry.systemAttributes),
  };
  const attributes = entry.attributes && Object.keys(entry.attributes).length > 0 ? serializeAttributes(entry.attributes) : null;
  const systemAttributes = entry.systemAttributes && Object.keys(entry.systemAttributes).length > 0 ? serializeAttributes(entry.systemAttributes) : null;
  if (!queue.config.fifo) return { entry, digests, dedupId: null, scope: '', dedupHash: 0, attributes, systemAttributes };
  // ContentBasedDeduplication: the SHA-256 of the body (not the attributes) is the id.
  const dedupId = entry.deduplicationId ?? sha256Hex(entry.body);
  const scope = queue.config.deduplicationScope === 'messageGroup' ? (entry.groupId ?? '') : '';
  return { entry, digests, dedupId, scope, dedupHash: dedupHash(scope, dedupId), attributes, systemAttributes };
}

/** Roughly what a kept message costs in memory (strings at up to two bytes a character, attribute objects). */
function contentBytes(body: string, attributes: string | null, systemAttributes: string | null): number {
  return 2 * body.length + 4 * ((attributes?.length ?? 0) + (systemAttributes?.length ?? 0)) + 400;
}

/** A message one receive hands out: what it was before (to undo the receive) and what the receive made it. */
class Claim {
  private readonly receiveCountBefore: number;
  private readonly receiptBefore: string | null;
  private readonly receivedAtBefore: number | null;
  private readonly visibleAtBefore: number;
  private readonly firstReceivedAtBefore: number | null;
  /** As this receive left them (the answer reports these, whatever later receives do before it is sent). */
  receiveCount = 0;
  firstReceivedAt: number | null = null;
  constructor(readonly m: IndexedMessage) {
    this.receiveCountBefore = m.receiveCount;
    this.receiptBefore = m.receipt;
    this.receivedAtBefore = m.receivedAt;
    this.visibleAtBefore = m.visibleAt;
    this.firstReceivedAtBefore = m.firstReceivedAt;
  }

  /** The message as it was before this receive (only needed to undo it). */
  get previous(): Pick<IndexedMessage, 'receiveCount' | 'receipt' | 'receivedAt' | 'visibleAt' | 'firstReceivedAt'> {
    return {
      receiveCount: this.receiveCountBefore,
      receipt: this.receiptBefore,
      receivedAt: this.receivedAtBefore,
      visibleAt: this.visibleAtBefore,
      firstReceivedAt: this.firstReceivedAtBefore,
    };
  }
}

function serializeAttributes(attributes: MessageAttributes): string {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      ...(value.StringListValues ? { StringListValues: value.StringListValues } : {}),
      ...(value.BinaryListValues ? { BinaryListValues: value.BinaryListValues.map((b) => Buffer.from(b).toString('base64')) } : {}),
    };
  }
  return JSON.stringify(out);
}

function parseAttributes(text: string | null): MessageAttributes | null {
  if (!text) return null;
  const raw = JSON.parse(text) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string; StringListValues?: string[]; BinaryListValues?: string[] }>;
  const out: MessageAttributes = {};
  for (const [name, v] of Object.entries(raw)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : {}),
      ...(v.StringListValues ? { StringListValues: v.StringListValues } : {}),
      ...(v.BinaryListValues ? { BinaryListValues: v.BinaryListValues.map((b) => Buffer.from(b, 'base64')) } : {}),
    };
  }
  return out;
}

/** What a receive reports as system attributes, from kept content or from a stored row. */
interface SystemFields {
  senderId: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  groupId: string | null;
  dedupId: string | null;
  sequenceNumber: string | null;
  systemAttributes: MessageAttributes | null;
  deadLetterSource: string | null;
}

/** System attributes as AWS reports them, as strings (SentTimestamp, ApproximateReceiveCount, …). */
function systemStrings(f: SystemFields): Record<string, string> {
  const out: Record<string, string> = {
    SenderId: f.senderId,
    SentTimestamp: String(f.sentAt),
    ApproximateReceiveCount: String(f.receiveCount),
    ApproximateFirstReceiveTimestamp: String(f.firstReceivedAt ?? f.sentAt),
  };
  if (f.groupId !== null) out.MessageGroupId = f.groupId;
  if (f.dedupId !== null) out.MessageDeduplicationId = f.dedupId;
  if (f.sequenceNumber !== null) out.SequenceNumber = f.sequenceNumber;
  const trace = f.systemAttributes?.AWSTraceHeader?.StringValue;
  if (trace !== undefined) out.AWSTraceHeader = trace;
  if (f.deadLetterSource) out.DeadLetterQueueSourceArn = f.deadLetterSource;
  return out;
}

/** A received message from its kept content, as toReceived would make it from the row the receive updated. */
function fromContent(content: KeptContent, claim: Claim, fifo: boolean, receiptHandle: string): ReceivedMessage {
  const m = claim.m;
  // What this receive reports, whatever later receives do to the message before it is asked.
  const { receiveCount, firstReceivedAt } = claim;
  return {
    messageId: content.messageId,
    receiptHandle,
    body: content.body,
    md5OfBody: content.md5Body,
    md5OfMessageAttributes: content.md5Attributes ?? undefined,
    attributes: content.attributes,
    systemAttributes: content.systemAttributes,
    system: () =>
      systemStrings({
        senderId: content.senderId,
        sentAt: m.sentAt,
        receiveCount,
        firstReceivedAt,
        groupId: m.groupId,
        dedupId: content.dedupId,
        sequenceNumber: fifo ? sequenceNumberFor(m.seq) : null,
        systemAttributes: content.systemAttributes,
        // Messages moved in (dead-lettered) are read from the store, never kept.
        deadLetterSource: null,
      }),
  };
}

function toReceived(row: MessageRow, fifo: boolean, receiptHandle: string): ReceivedMessage {
  const systemAttributes = parseAttributes(row.system_attributes);
  return {
    messageId: row.message_id,
    receiptHandle,
    body: row.body,
    md5OfBody: row.md5_body,
    md5OfMessageAttributes: row.md5_attributes ?? undefined,
    attributes: parseAttributes(row.attributes),
    systemAttributes,
    system: () =>
      systemStrings({
        senderId: row.sender_id,
        sentAt: Number(row.sent_at),
        receiveCount: row.receive_count,
        firstReceivedAt: row.first_received_at === null ? null : Number(row.first_received_at),
        groupId: row.group_id,
        dedupId: row.dedup_id,
        // Rows written before sequence numbers were derived from seqs still carry theirs.
        sequenceNumber: row.sequence_number ?? (fifo ? sequenceNumberFor(Number(row.seq)) : null),
        systemAttributes,
        deadLetterSource: row.dead_letter_source ?? null,
      }),
  };
}
