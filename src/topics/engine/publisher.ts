import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../server/runtime.js';
import type { PublishedAttributes } from '../model/message-attributes.js';
import { messageForProtocol, type StructuredMessage } from '../model/message-structure.js';
import { deduplicationIdOf } from '../model/publish-checks.js';
import { archivedMessage, type Archive } from './archive.js';
import type { Subscription, Topic } from './catalogue.js';
import type { Deliveries } from './deliveries.js';
import { passesFilter, type FilterMessage } from './filter-policies.js';
import type { FifoClaim, FifoWindow } from './fifo-window.js';
import { storeAttributes, type StoredMessage } from './messages.js';

/** One message to publish, already checked (api/publish-actions.ts). */
export interface PublishEntry {
  message: string;
  /** MessageStructure json: the message per protocol. */
  structured?: StructuredMessage;
  subject?: string;
  attributes?: PublishedAttributes;
  groupId?: string;
  /** As given; a FIFO topic with ContentBasedDeduplication derives one when absent. */
  dedupId?: string;
  traceHeader?: string;
}

export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
}

/**
 * Publishing: a message is matched against every confirmed subscription of its topic (filter
 * policies compiled at subscribe time), and one delivery per match is stored in the same write
 * unit as the message's own state (a FIFO deduplication entry), so an acknowledged Publish has
 * stored every delivery it causes (DESIGN.md rule 3; the issue's `kill -9` guarantee). Entries
 * of one PublishBatch share one write unit.
 */
export class Publisher {
  constructor(
    private readonly runtime: Runtime,
    private readonly deliveries: Deliveries,
    private readonly fifo: FifoWindow,
    /** FIFO topics with an ArchivePolicy keep each message in the publish's write unit. */
    private readonly archive?: Archive,
  ) {}

  async publish(topic: Topic, entries: readonly PublishEntry[]): Promise<PublishResult[]> {
    const now = this.runtime.clock.now();
    const results: PublishResult[] = [];
    const call = {};
    const claims: FifoClaim[] = [];
    const messages: { entry: PublishEntry; messageId: string; sequenceNumber?: string; dedupId?: string }[] = [];
    // Duplicates inside one batch answer as the first of them (the claim is taken synchronously).
    for (const entry of entries) {
      if (topic.fifo) {
        const dedupId = deduplicationIdOf(entry.message, entry.dedupId);
        const claim = await this.fifo.claim(topic, entry.groupId as string, dedupId, call);
        results.push({ messageId: claim.messageId, sequenceNumber: claim.sequenceNumber });
        if (claim.duplicate) continue;
        claims.push(claim);
        messages.push({ entry, messageId: claim.messageId, sequenceNumber: claim.sequenceNumber, dedupId });
      } else {
        const messageId = randomUUID();
        results.push({ messageId });
        messages.push({ entry, messageId });
      }
    }
    if (messages.length === 0) return results;
    const signatureVersion = topic.attributes.SignatureVersion === '2' ? '2' : '1';
    const subscriptions = [...topic.subscriptions.values()].filter((s) => !s.pending && !s.endedByReplay);
    const archived = this.archive?.archives(topic) ? messages.map((m) => archivedMessage(m.entry, m.messageId, m.sequenceNumber!, m.dedupId!, now)) : undefined;
    // What each subscription gets is worked out before the write unit: the unit only stores it.
    const deliveries: [Subscription, StoredMessage][] = [];
    for (const m of messages) {
      const { entry } = m;
      // One FilterMessage per message: the filter engine reads it once for every subscription.
      const filterView: FilterMessage = { body: entry.structured?.default ?? entry.message, attributes: (entry.attributes ?? {}) as FilterMessage['attributes'] };
      // "Message attributes are sent only when the message structure is String, not JSON" (Developer Guide, "Amazon SNS message attributes").
      const attributes = entry.structured ? undefined : storeAttributes(entry.attributes);
      // One StoredMessage per text its subscriptions get (one, unless MessageStructure is json),
      // shared by their deliveries: its envelope is written, and signed, once (Renderings).
      let shared: StoredMessage | undefined;
      let perProtocol: Map<string, StoredMessage> | undefined;
      for (const sub of subscriptions) {
        if (!passesFilter(sub.filter, filterView)) continue;
        let stored: StoredMessage;
        if (entry.structured) {
          perProtocol ??= new Map();
          stored = perProtocol.get(sub.protocol) ?? this.stored(topic, m, entry, messageForProtocol(entry.structured, sub.protocol), attributes, now, signatureVersion);
          perProtocol.set(sub.protocol, stored);
        } else stored = shared ??= this.stored(topic, m, entry, entry.message, attributes, now, signatureVersion);
        deliveries.push([sub, stored]);
      }
    }
    // A standard message no subscription takes leaves nothing to store.
    if (deliveries.length === 0 && claims.length === 0) return results;
    try {
      await this.runtime.store.write(async (tx) => {
        for (const claim of claims) await claim.store!(tx);
        if (archived) await this.archive!.store(tx, topic, archived);
        await this.deliveries.enqueue(tx, deliveries);
      });
    } catch (error) {
      for (const claim of claims) claim.settle!(false);
      throw error;
    }
    for (const claim of claims) claim.settle!(true);
    return results;
  }

  private stored(
    topic: Topic,
    m: { messageId: string; sequenceNumber?: string; dedupId?: string },
    entry: PublishEntry,
    message: string,
    attributes: StoredMessage['attributes'],
    now: number,
    signatureVersion: '1' | '2',
  ): StoredMessage {
    const stored: StoredMessage = { messageId: m.messageId, topicArn: topic.arn, message, timestamp: now, signatureVersion };
    if (entry.subject !== undefined) stored.subject = entry.subject;
    if (attributes) stored.attributes = attributes;
    if (m.sequenceNumber !== undefined) stored.sequenceNumber = m.sequenceNumber;
    if (entry.groupId !== undefined) stored.groupId = entry.groupId;
    if (m.dedupId !== undefined) stored.dedupId = m.dedupId;
    if (entry.traceHeader !== undefined) stored.traceHeader = entry.traceHeader;
    return stored;
  }
}
