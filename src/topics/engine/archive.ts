import type { Job } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { beginningArchiveTime, retentionDaysOf, retentionMs, type ReplayWindow } from '../model/archive-replay.js';
import type { StructuredMessage } from '../model/message-structure.js';
import { sql } from '../repository/statements.js';
import type { Catalogue, Topic } from './catalogue.js';
import { storeAttributes, type StoredAttributes } from './messages.js';
import type { PublishEntry } from './publisher.js';

/** Deletes a topic's archived messages once their retention has passed, then waits for the next to. */
export const ARCHIVE_SWEEP_JOB = 'sns.archive-sweep';

/** A message as the archive keeps it: what any subscription would have been sent of it. */
export interface ArchivedMessage {
  messageId: string;
  /** The 20-digit SequenceNumber the message was published with. */
  sequenceNumber: string;
  groupId: string;
  dedupId: string;
  /** The message (MessageStructure json: its default). */
  message: string;
  structured?: StructuredMessage;
  subject?: string;
  attributes?: StoredAttributes;
  /** When SNS took it (ms): a replayed message keeps its Timestamp. */
  timestamp: number;
  traceHeader?: string;
}

/** What the archive keeps of a FIFO message published now. */
export function archivedMessage(entry: PublishEntry, messageId: string, sequenceNumber: string, dedupId: string, timestamp: number): ArchivedMessage {
  const m: ArchivedMessage = { messageId, sequenceNumber, groupId: entry.groupId as string, dedupId, message: entry.structured?.default ?? entry.message, timestamp };
  if (entry.structured) m.structured = entry.structured;
  if (entry.subject !== undefined) m.subject = entry.subject;
  // As published: attributes go with a string message only (Developer Guide, "Amazon SNS message attributes").
  const attributes = entry.structured ? undefined : storeAttributes(entry.attributes);
  if (attributes) m.attributes = attributes;
  if (entry.traceHeader !== undefined) m.traceHeader = entry.traceHeader;
  return m;
}

interface SweepPayload {
  topicArn: string;
}

/**
 * The archives of FIFO topics with an ArchivePolicy (Developer Guide, "Amazon SNS message
 * archiving and replay for FIFO topics"): each message published to such a topic is written to
 * `sns_archive` in the publish's own write unit, so an acknowledged Publish is archived (DESIGN.md
 * rule 3); a sweep job per topic (delivery/, rule 2) deletes messages once the retention period
 * has passed, due when the oldest one expires; `sns_archive_topics` remembers since when each topic
 * archives (BeginningArchiveTime).
 */
export class Archive {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly runtime: Runtime,
    private readonly catalogue: Catalogue,
  ) {}

  async load(): Promise<void> {
    for (const row of await this.runtime.store.all<{ topic_arn: string; since: number | string }>(sql.selectArchiveTopics)) {
      this.since.set(row.topic_arn, Number(row.since));
    }
  }

  register(): void {
    this.runtime.delivery.register<SweepPayload>(ARCHIVE_SWEEP_JOB, {
      concurrency: 2,
      handle: (job, attempt) => this.sweep(job, (tx) => attempt.complete(tx)),
    });
  }

  /** Whether messages published to the topic are archived. */
  archives(topic: Topic): boolean {
    return topic.fifo && this.since.has(topic.arn) && retentionDaysOf(topic.attributes) !== undefined;
  }

  /** BeginningArchiveTime of an archiving topic, ms. */
  beginning(topic: Topic): number | undefined {
    const since = this.since.get(topic.arn);
    const days = retentionDaysOf(topic.attributes);
    return since === undefined || days === undefined ? undefined : beginningArchiveTime(since, days, this.runtime.clock.now());
  }

  /** In a publish's write unit: its messages, archived. */
  async store(tx: WriteTx, topic: Topic, messages: readonly ArchivedMessage[]): Promise<void> {
    for (const m of messages) await tx.run(sql.insertArchived, [topic.arn, m.sequenceNumber, m.messageId, m.timestamp, JSON.stringify(m)]);
  }

  /**
   * In the write that sets a topic's ArchivePolicy (`days`, undefined when it is removed):
   * archiving starts (since now), its sweep is rescheduled for the new retention, or archiving
   * stops and the archive goes (memory follows once the write has committed).
   */
  async policyChanged(tx: WriteTx, topic: Topic, days: number | undefined): Promise<void> {
    await this.runtime.delivery.cancel(tx, ARCHIVE_SWEEP_JOB, topic.arn);
    if (days === undefined) {
      await this.forgetTopic(tx, topic.arn);
      return;
    }
    const since = this.since.get(topic.arn) ?? this.runtime.clock.now();
    await tx.run(sql.upsertArchiveTopic, [topic.arn, since]);
    await this.scheduleSweep(tx, topic.arn, days);
    tx.afterCommit(() => this.since.set(topic.arn, since));
  }

  /** In a topic's deletion (or when it stops archiving): its archive goes (its sweep finds nothing to do and ends). */
  async forgetTopic(tx: WriteTx, topicArn: string): Promise<void> {
    await tx.run(sql.deleteTopicArchive, [topicArn]);
    await tx.run(sql.deleteArchiveTopic, [topicArn]);
    tx.afterCommit(() => this.since.delete(topicArn));
  }

  /** The SequenceNumber of the last message archived for the topic ('' when none is). */
  async lastSequence(tx: WriteTx, topicArn: string): Promise<string> {
    const row = await tx.get<{ last: string | null }>(sql.selectLastArchived, [topicArn]);
    return row?.last ?? '';
  }

  /** The first archived message after `after`, up to `upTo`, published within the window; undefined when none is left. */
  async next(topicArn: string, after: string, upTo: string, window: ReplayWindow): Promise<ArchivedMessage | undefined> {
    const row = await this.runtime.store.get<{ message: string }>(sql.selectNextArchived, [
      topicArn,
      after,
      upTo,
      window.start,
      window.end ?? Number.MAX_SAFE_INTEGER,
    ]);
    return row ? (JSON.parse(row.message) as ArchivedMessage) : undefined;
  }

  /** Deletes what has expired and waits for the next expiry (or, with nothing archived, a retention period). */
  private async sweep(job: Job<SweepPayload>, complete: (tx: WriteTx) => Promise<void>): Promise<void> {
    const topicArn = job.payload.topicArn;
    const topic = this.catalogue.topic(topicArn);
    const days = topic ? retentionDaysOf(topic.attributes) : undefined;
    await this.runtime.store.write(async (tx) => {
      await complete(tx);
      if (topic === undefined || days === undefined || !this.since.has(topicArn)) return;
      await tx.run(sql.deleteExpiredArchived, [topicArn, this.runtime.clock.now() - retentionMs(days)]);
      await this.scheduleSweep(tx, topicArn, days);
    });
  }

  private async scheduleSweep(tx: WriteTx, topicArn: string, days: number): Promise<void> {
    const oldest = await tx.get<{ oldest: number | string | null }>(sql.selectOldestArchived, [topicArn]);
    const from = oldest?.oldest === null || oldest?.oldest === undefined ? this.runtime.clock.now() : Number(oldest.oldest);
    await this.runtime.delivery.enqueue(tx, { kind: ARCHIVE_SWEEP_JOB, payload: { topicArn } satisfies SweepPayload, key: topicArn, runAt: from + retentionMs(days) + 1 });
  }
}
