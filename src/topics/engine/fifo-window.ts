import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { sql } from '../repository/statements.js';
import type { Topic } from './catalogue.js';

/**
 * FIFO topics' deduplication window and sequence numbers.
 *
 * "Amazon SNS FIFO topics … deduplicate messages within a 5-minute interval" (Developer Guide,
 * "Message deduplication for FIFO topics"): a message published again with a deduplication id
 * seen in the last five minutes is taken — the call succeeds — but not delivered again, and the
 * answer is the first message's MessageId and SequenceNumber (recorded: a PublishBatch repeated
 * answers the same ids). With FifoThroughputScope MessageGroup the window is per message group.
 *
 * The window lives in memory and in `sns_fifo_dedup`, written in the publish's own transaction,
 * so a restart keeps it. A claim is made synchronously, before the publish's write: a second
 * publish of the same id in the meantime waits for the first one's outcome instead of racing it.
 */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** SequenceNumbers are 20-digit decimal strings that only grow (as SQS FIFO's are). */
const SEQUENCE_BASE = 10n ** 19n;

interface WindowEntry {
  messageId: string;
  sequenceNumber: string;
  expiresAt: number;
  /** Settles once the publish that made the entry has committed (or failed, which removes it). */
  committed: Promise<boolean>;
  /** The publish call that made it: a later entry of the same PublishBatch is its duplicate at once. */
  publish: object;
}

/** What a FIFO message publishes as: new, or the answer of the duplicate it is. */
export interface FifoClaim {
  duplicate: boolean;
  messageId: string;
  sequenceNumber: string;
  /** For a new message: the dedup row and sequence to store in the publish's transaction. */
  store?: (tx: WriteTx) => Promise<void>;
  /** For a new message: call with the publish's outcome. */
  settle?: (committed: boolean) => void;
}

export class FifoWindow {
  private readonly windows = new Map<string, Map<string, WindowEntry>>();
  private lastSweep = 0;

  constructor(private readonly runtime: Runtime) {}

  /** Reads the live window back from the store (a restart inside five minutes still deduplicates). */
  async load(): Promise<void> {
    const now = this.runtime.clock.now();
    for (const row of await this.runtime.store.all<{ topic_arn: string; dedup_key: string; message_id: string; sequence_number: string; expires_at: number | string }>(
      sql.selectLiveDedup,
      [now],
    )) {
      this.windowOf(row.topic_arn).set(row.dedup_key, {
        messageId: row.message_id,
        sequenceNumber: row.sequence_number,
        expiresAt: Number(row.expires_at),
        committed: Promise.resolve(true),
        publish: this,
      });
    }
  }

  /**
   * Claims a deduplication id for a message of a FIFO topic. Waits only when the same id is being
   * published right now by another call (`publish` names the call); otherwise answers at once.
   */
  async claim(topic: Topic, groupId: string, dedupId: string, publish: object): Promise<FifoClaim> {
    const key = topic.attributes.FifoThroughputScope === 'MessageGroup' ? `${groupId}\n${dedupId}` : dedupId;
    const window = this.windowOf(topic.arn);
    for (;;) {
      const now = this.runtime.clock.now();
      const seen = window.get(key);
      if (seen === undefined || seen.expiresAt <= now) break;
      if (seen.publish === publish || (await seen.committed)) return { duplicate: true, messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
      // The first publish failed: its claim is gone; look again.
    }
    const now = this.runtime.clock.now();
    topic.sequence += 1n;
    const sequence = topic.sequence;
    const sequenceNumber = (SEQUENCE_BASE + sequence).toString();
    const messageId = randomUUID();
    let settle!: (committed: boolean) => void;
    const committed = new Promise<boolean>((resolve) => (settle = resolve));
    const entry: WindowEntry = { messageId, sequenceNumber, expiresAt: now + DEDUP_WINDOW_MS, committed, publish };
    window.set(key, entry);
    const sweep = now - this.lastSweep > 60_000;
    if (sweep) this.lastSweep = now;
    return {
      duplicate: false,
      messageId,
      sequenceNumber,
      store: async (tx) => {
        await tx.run(sql.insertDedup, [topic.arn, key, messageId, sequenceNumber, entry.expiresAt]);
        await tx.run(sql.raiseTopicSequence, [sequence.toString(), topic.arn, sequence.toString()]);
        // Expired rows go now and then, in a publish's transaction (nothing polls for them).
        if (sweep) await tx.run(sql.deleteExpiredDedup, [now]);
      },
      settle: (ok) => {
        if (!ok && window.get(key) === entry) window.delete(key);
        if (sweep) this.sweepMemory(now);
        settle(ok);
      },
    };
  }

  /** A deleted topic forgets its window. */
  forget(topicArn: string): void {
    this.windows.delete(topicArn);
  }

  private windowOf(topicArn: string): Map<string, WindowEntry> {
    let window = this.windows.get(topicArn);
    if (!window) this.windows.set(topicArn, (window = new Map()));
    return window;
  }

  private sweepMemory(now: number): void {
    for (const [arn, window] of this.windows) {
      for (const [key, entry] of window) if (entry.expiresAt <= now) window.delete(key);
      if (window.size === 0) this.windows.delete(arn);
    }
  }
}
