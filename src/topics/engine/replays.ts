import type { Attempt, DeadLetter, Job } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import type { ReplayWindow } from '../model/archive-replay.js';
import { messageForProtocol } from '../model/message-structure.js';
import { MANAGED_ENDPOINT_RETRY_POLICY } from '../model/delivery-policy.js';
import { sql } from '../repository/statements.js';
import type { Archive, ArchivedMessage } from './archive.js';
import type { Catalogue, Subscription } from './catalogue.js';
import type { Deliveries, DeliveryPayload } from './deliveries.js';
import { passesFilter, type FilterMessage } from './filter-policies.js';
import type { StoredMessage } from './messages.js';
import { publishedAttributes } from './messages.js';

/** Redelivers a subscription's archived messages, one after the other. */
export const REPLAY_JOB = 'sns.replay';

/**
 * A replay's state, as ReplayStatus shows it (API Reference, GetSubscriptionAttributes): Pending
 * while it starts, In progress while it redelivers, Completed once it has (and the subscription
 * takes new messages again — unless the policy had an ending point), Failed when it could not.
 */
export type ReplayStatus = 'Pending' | 'In progress' | 'Completed' | 'Failed';

interface ReplayState {
  topicArn: string;
  status: ReplayStatus;
  window: ReplayWindow;
  /** The last SequenceNumber archived when the replay began: it replays up to there. */
  upTo: string;
  /** The last SequenceNumber replayed (or passed over). */
  cursor: string;
}

interface ReplayRow {
  subscription_arn: string;
  topic_arn: string;
  status: ReplayStatus;
  window_start: number | string;
  window_end: number | string | null;
  up_to: string;
  cursor: string;
}

interface ReplayPayload {
  subscriptionArn: string;
}

/** Messages a replay job redelivers before it hands over to a fresh one (its lease covers a bounded amount of work). */
const MESSAGES_PER_ATTEMPT = 100;

/**
 * Message replay for FIFO topic subscribers (Developer Guide, "Amazon SNS message replay for FIFO
 * topic subscribers"): setting a subscription's ReplayPolicy (or subscribing with one) starts a
 * durable job (delivery/, DESIGN.md rule 2) that redelivers, in SequenceNumber order, the archived
 * messages published within the policy's window up to the last one archived when the replay
 * began — each with its MessageId and Timestamp, marked as replayed, through the subscription's
 * filter policy, as any delivery of the subscription goes. Each redelivery commits with the
 * replay's cursor. While it runs, what is published to the topic waits in the subscription's FIFO
 * outbox and follows the replayed messages; a replay with an EndingPoint stops the subscription
 * taking new messages ("If an ending point was specified in the ReplayPolicy then the
 * subscription will no longer receive newly published messages", API Reference). Setting a
 * ReplayPolicy again starts a new replay in place of the old one.
 */
export class Replays {
  private readonly states = new Map<string, ReplayState>();

  constructor(
    private readonly runtime: Runtime,
    private readonly catalogue: Catalogue,
    private readonly archive: Archive,
    private readonly deliveries: Deliveries,
  ) {
    deliveries.holds = (arn) => this.holds(arn);
  }

  async load(): Promise<void> {
    for (const row of await this.runtime.store.all<ReplayRow>(sql.selectReplays)) {
      const window: ReplayWindow = { start: Number(row.window_start) };
      if (row.window_end !== null) window.end = Number(row.window_end);
      this.states.set(row.subscription_arn, { topicArn: row.topic_arn, status: row.status, window, upTo: row.up_to, cursor: row.cursor });
      const sub = this.catalogue.subscription(row.subscription_arn);
      if (sub && window.end !== undefined && row.status !== 'Failed') sub.endedByReplay = true;
    }
  }

  register(): void {
    this.runtime.delivery.register<ReplayPayload>(REPLAY_JOB, {
      concurrency: 8,
      handle: (job, attempt) => this.run(job, attempt),
      onDeadLetter: (job, failure, tx) => this.failed(tx, job, failure),
    });
  }

  /** ReplayStatus of a subscription that asked for a replay. */
  status(subscriptionArn: string): ReplayStatus | undefined {
    return this.states.get(subscriptionArn)?.status;
  }

  /** Whether a subscription's FIFO deliveries wait for its replay. */
  holds(subscriptionArn: string): boolean {
    const status = this.states.get(subscriptionArn)?.status;
    return status === 'Pending' || status === 'In progress';
  }

  /** In the write that sets a subscription's ReplayPolicy: a replay of `window` starts (any earlier one is replaced). */
  async start(tx: WriteTx, sub: Subscription, window: ReplayWindow): Promise<void> {
    const upTo = await this.archive.lastSequence(tx, sub.topic.arn);
    const state: ReplayState = { topicArn: sub.topic.arn, status: 'Pending', window, upTo, cursor: '' };
    // Registered before the job is enqueued, so the state is in memory before the job can run.
    tx.afterCommit(() => {
      this.states.set(sub.arn, state);
      sub.endedByReplay = window.end !== undefined;
    });
    await tx.run(sql.upsertReplay, [sub.arn, sub.topic.arn, state.status, window.start, window.end ?? null, upTo, '', this.runtime.clock.now()]);
    await this.runtime.delivery.cancel(tx, REPLAY_JOB, sub.arn);
    await this.runtime.delivery.enqueue(tx, { kind: REPLAY_JOB, payload: { subscriptionArn: sub.arn } satisfies ReplayPayload, key: sub.arn, traceId: sub.arn, policy: MANAGED_ENDPOINT_RETRY_POLICY });
  }

  /** In the write that removes a subscription's ReplayPolicy (or the subscription): its replay ends where it is. */
  async stop(tx: WriteTx, sub: Subscription): Promise<void> {
    if (!this.states.has(sub.arn)) return;
    await tx.run(sql.deleteReplay, [sub.arn]);
    await this.runtime.delivery.cancel(tx, REPLAY_JOB, sub.arn);
    await this.deliveries.resumeChains(tx, sub.arn);
    tx.afterCommit(() => {
      this.states.delete(sub.arn);
      sub.endedByReplay = false;
    });
  }

  /** In a topic's deletion: its subscriptions' replays go. */
  async forgetTopic(tx: WriteTx, topicArn: string): Promise<void> {
    await tx.run(sql.deleteTopicReplays, [topicArn]);
    tx.afterCommit(() => {
      for (const [arn, state] of this.states) if (state.topicArn === topicArn) this.states.delete(arn);
    });
  }

  private async run(job: Job<ReplayPayload>, attempt: Attempt): Promise<void> {
    const arn = job.payload.subscriptionArn;
    const state = this.states.get(arn);
    const sub = this.catalogue.subscription(arn);
    const store = this.runtime.store;
    if (!state || !sub || (state.status !== 'Pending' && state.status !== 'In progress')) {
      await store.write((tx) => attempt.complete(tx));
      return;
    }
    if (state.status === 'Pending') {
      await store.write((tx) => tx.run(sql.updateReplayStatus, ['In progress', arn]));
      state.status = 'In progress';
    }
    for (let replayed = 0; ; replayed++) {
      if (this.states.get(arn) !== state) return; // Replaced or stopped meanwhile: the new job carries on.
      const next = await this.archive.next(state.topicArn, state.cursor, state.upTo, state.window);
      if (!next) {
        // Done: what waited while it ran goes on; new messages come in again.
        state.status = 'Completed';
        await store.write(async (tx) => {
          await tx.run(sql.updateReplayStatus, ['Completed', arn]);
          await this.deliveries.resumeChains(tx, arn);
          await attempt.complete(tx);
        });
        return;
      }
      if (replayed >= MESSAGES_PER_ATTEMPT) {
        await store.write(async (tx) => {
          await attempt.complete(tx);
          await this.runtime.delivery.enqueue(tx, { kind: REPLAY_JOB, payload: job.payload, key: arn, traceId: arn, policy: MANAGED_ENDPOINT_RETRY_POLICY });
        });
        return;
      }
      let advanced = false;
      const advance = async (tx: WriteTx): Promise<void> => {
        advanced = true;
        await tx.run(sql.updateReplayCursor, [next.sequenceNumber, arn]);
      };
      if (passes(sub, next)) await this.deliveries.deliverReplayed(payloadFor(sub, next), sub, advance, next.messageId);
      if (!advanced) await store.write(advance);
      state.cursor = next.sequenceNumber;
    }
  }

  /** A message the replay could not redeliver, after the retries: the replay fails, and what waited goes on. */
  private async failed(tx: WriteTx, job: Job<ReplayPayload>, failure: DeadLetter): Promise<void> {
    const arn = job.payload.subscriptionArn;
    const state = this.states.get(arn);
    this.runtime.log.warn('sns: a replay could not redeliver a message and failed', { subscription: arn, error: failure.error, reason: failure.reason });
    if (!state) return;
    await tx.run(sql.updateReplayStatus, ['Failed', arn]);
    await this.deliveries.resumeChains(tx, arn);
    tx.afterCommit(() => {
      state.status = 'Failed';
      const sub = this.catalogue.subscription(arn);
      if (sub) sub.endedByReplay = false;
    });
  }
}

/** Whether the subscription's filter policy takes the archived message (as it would have when published). */
function passes(sub: Subscription, m: ArchivedMessage): boolean {
  const view: FilterMessage = { body: m.structured?.default ?? m.message, attributes: (publishedAttributes(m.attributes) ?? {}) as FilterMessage['attributes'] };
  return passesFilter(sub.filter, view);
}

/** The delivery of an archived message to a subscription: what it was sent then, marked as replayed. */
function payloadFor(sub: Subscription, m: ArchivedMessage): DeliveryPayload {
  const message: StoredMessage = {
    messageId: m.messageId,
    topicArn: sub.topic.arn,
    message: m.structured ? messageForProtocol(m.structured, sub.protocol) : m.message,
    timestamp: m.timestamp,
    signatureVersion: sub.topic.attributes.SignatureVersion === '2' ? '2' : '1',
    sequenceNumber: m.sequenceNumber,
    groupId: m.groupId,
    dedupId: m.dedupId,
    replayed: true,
  };
  if (m.subject !== undefined) message.subject = m.subject;
  if (m.attributes !== undefined) message.attributes = m.attributes;
  if (m.traceHeader !== undefined) message.traceHeader = m.traceHeader;
  return { subscriptionArn: sub.arn, protocol: sub.protocol, endpoint: sub.endpoint, fifo: true, message };
}
