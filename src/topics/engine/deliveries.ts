import { randomUUID } from 'node:crypto';
import { parseJsonObject } from '../../core/json-object.js';
import { invokeAsJob, PermanentFailure, type Attempt, type DeadLetter, type Job, type JobSpec, type RetryPolicy } from '../../delivery/index.js';
import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { CUSTOMER_ENDPOINT_RETRY_POLICY, httpRetryPolicy, MANAGED_ENDPOINT_RETRY_POLICY } from '../model/delivery-policy.js';
import type { Protocol } from '../model/endpoints.js';
import { deadLetterTargetOf } from '../model/subscription-attributes.js';
import { sql } from '../repository/statements.js';
import type { Catalogue, Subscription, Topic } from './catalogue.js';
import type { StoredMessage } from './messages.js';
import { postToEndpoint } from './http-endpoint.js';
import { Renderings, UndeliverableMessage } from './renderings.js';

/** One message to one subscription of a standard topic (an SQS queue's: QUEUE_DELIVERY_JOB). */
export const DELIVERY_JOB = 'sns.delivery';
/**
 * One message to one SQS queue of a standard topic: a write to this Stratus's own store, with no
 * endpoint at the other end to spare, so many run at once. A PublishBatch to a topic with ten
 * queues stores a hundred at once; at DELIVERY_JOB's 64 the machine leased a fraction of what
 * each turn stored and fell ever further behind (bench/topics: ~600 deliveries a second made while
 * 27,500 were stored). With room for what a busy turn stores, a publish's deliveries are claimed
 * as they are stored (src/delivery, enqueueMany) and made in the turns right after it: in
 * bench/topics 4,096 kept up with 16 publishers, 1,024 fell behind by a few percent, and 256 by a
 * fifth. The limit bounds the memory of the attempts in flight, a few hundred bytes each (the
 * message itself is shared by its deliveries).
 */
export const QUEUE_DELIVERY_JOB = 'sns.queue-delivery';
/** Drains the messages of one (subscription, message group) of a FIFO topic, in order. */
export const FIFO_DELIVERY_JOB = 'sns.fifo-delivery';
/** Sends an undeliverable message to its subscription's dead-letter queue. */
export const DEAD_LETTER_JOB = 'sns.dead-letter';

/** What a delivery job (and a FIFO outbox row) holds: frozen when the message was published. */
export interface DeliveryPayload {
  subscriptionArn: string;
  protocol: Protocol;
  endpoint: string;
  /** The topic was FIFO (the envelope is unsigned, a FIFO queue gets the deduplication id). */
  fifo?: boolean;
  message: StoredMessage;
  /** A SubscriptionConfirmation or UnsubscribeConfirmation (with its token) rather than a notification. */
  confirmation?: { type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'; token: string };
}

interface ChainPayload {
  subscriptionArn: string;
  groupId: string;
}

interface DeadLetterPayload {
  queueArn: string;
  delivery: DeliveryPayload;
  raw: boolean;
}

/** Messages a FIFO chain job delivers before it hands over to a fresh job (its lease covers a bounded amount of work). */
const MESSAGES_PER_ATTEMPT = 100;

/**
 * A dead-letter queue send is retried briefly: AWS documents no retries of the DLQ itself; the
 * failed delivery is also recorded in sns_failed_deliveries, so it can still be found.
 */
const DEAD_LETTER_POLICY: RetryPolicy = { maxAttempts: 10, maxAgeMs: 60 * 60 * 1000, baseDelayMs: 1000, maxDelayMs: 60_000, multiplier: 2, jitter: 'full' };

/**
 * Deliveries of a topic's messages to its subscriptions: each a job of the delivery machine
 * (DESIGN.md rule 2) stored in the Publish's own transaction (rule 3), reaching its endpoint only
 * through `invoke/` by ARN (rule 1).
 *
 * - Standard topics: one job per (message, subscription), retried under SNS's delivery policy for
 *   the protocol ("Amazon SNS message delivery retries").
 * - FIFO topics: messages wait in `sns_fifo_outbox` in publish order; one job per (subscription,
 *   message group), keyed in `sns_fifo_chains`, delivers them one after the other, so a group
 *   reaches its queue in order. A message that cannot be delivered holds its group back until it
 *   succeeds or is dead-lettered, as FIFO ordering requires.
 * - When retries run out, or the failure cannot be retried (the queue is gone), the message goes
 *   to the subscription's RedrivePolicy queue as the subscription would have received it
 *   (recorded: the envelope, or the raw message with its attributes; a FIFO message with its group
 *   and deduplication id), and is recorded in `sns_failed_deliveries` either way.
 */
export class Deliveries {
  readonly renderings: Renderings;

  constructor(
    private readonly runtime: Runtime,
    private readonly catalogue: Catalogue,
  ) {
    this.renderings = new Renderings(runtime);
  }

  register(): void {
    const delivery = this.runtime.delivery;
    for (const [kind, concurrency] of [
      [DELIVERY_JOB, 64],
      [QUEUE_DELIVERY_JOB, 4096],
    ] as const) {
      delivery.register<DeliveryPayload>(kind, {
        concurrency,
        handle: (job, attempt) => this.deliverOne(job, attempt),
        onDeadLetter: (job, failure, tx) => this.deadLetter(tx, job.payload, failure, job.attempts, job.traceId),
      });
    }
    delivery.register<ChainPayload>(FIFO_DELIVERY_JOB, {
      concurrency: 64,
      handle: (job, attempt) => this.drain(job, attempt),
      onDeadLetter: (job, failure, tx) => this.chainDeadLetter(tx, job, failure),
    });
    delivery.register<DeadLetterPayload>(DEAD_LETTER_JOB, {
      concurrency: 16,
      handle: async (job, attempt) => {
        const p = job.payload;
        const sqs = await this.renderings.sqs(p.delivery.message, { arn: p.delivery.subscriptionArn, endpoint: p.queueArn, raw: p.raw }, p.delivery.fifo === true);
        await invokeAsJob(this.runtime.invokers, {
          arn: p.queueArn,
          payload: sqs.body,
          traceId: job.traceId ?? undefined,
          source: { arn: p.delivery.message.topicArn, service: 'sns' },
          parameters: sqs.parameters,
          alongside: (tx) => attempt.complete(tx),
        });
      },
      onDeadLetter: (job, failure) => {
        this.runtime.log.warn('sns: could not send an undeliverable message to its dead-letter queue', {
          traceId: job.traceId,
          queue: job.payload.queueArn,
          subscription: job.payload.delivery.subscriptionArn,
          error: failure.error,
        });
      },
    });
  }

  /**
   * In a publish's transaction: the delivery of each message to each subscription that takes it.
   * On a standard topic each is a job, stored together (enqueueMany); on a FIFO topic a message
   * joins its group's outbox, in order, and the group's chain job is enqueued if none runs.
   */
  async enqueue(tx: WriteTx, deliveries: readonly (readonly [Subscription, StoredMessage])[]): Promise<void> {
    const jobs: JobSpec[] = [];
    for (const [sub, message] of deliveries) {
      const payload: DeliveryPayload = { subscriptionArn: sub.arn, protocol: sub.protocol, endpoint: sub.endpoint, message };
      if (!sub.topic.fifo) {
        jobs.push({ kind: sub.protocol === 'sqs' ? QUEUE_DELIVERY_JOB : DELIVERY_JOB, payload, traceId: message.messageId, policy: retryPolicyOf(sub) });
        continue;
      }
      payload.fifo = true;
      const groupId = message.groupId as string;
      await tx.run(sql.insertOutbox, [sub.arn, groupId, JSON.stringify(payload)]);
      const started = await tx.get(sql.insertChain, [sub.arn, groupId]);
      if (started) await this.startChain(tx, sub.arn, groupId, message.messageId);
    }
    if (jobs.length > 0) await this.runtime.delivery.enqueueMany(tx, jobs);
  }

  /** In a topic's deletion: what waits for its FIFO subscriptions goes with it. */
  async forgetTopic(tx: WriteTx, topic: Topic): Promise<void> {
    for (const sub of topic.subscriptions.values()) await this.forgetSubscription(tx, sub);
  }

  /** In a subscription's deletion: its FIFO outbox and chains go with it (its standard jobs find it gone and end). */
  async forgetSubscription(tx: WriteTx, sub: Subscription): Promise<void> {
    if (!sub.topic.fifo) return;
    await tx.run(sql.deleteSubscriptionOutbox, [sub.arn]);
    await tx.run(sql.deleteSubscriptionChains, [sub.arn]);
  }

  /**
   * In the transaction that stores it: a pending subscription gets its SubscriptionConfirmation —
   * an HTTP/S endpoint by POST, an SQS queue of another account in the queue, as AWS sends it
   * there for the queue's owner to confirm (Developer Guide, "Sending Amazon SNS messages to an
   * Amazon SQS queue in a different account"). E-mail confirmations are not sent.
   */
  async requestConfirmation(tx: WriteTx, sub: Subscription): Promise<void> {
    if (sub.token === undefined || (sub.protocol !== 'sqs' && sub.protocol !== 'http' && sub.protocol !== 'https')) return;
    await this.enqueueConfirmation(tx, sub, { type: 'SubscriptionConfirmation', token: sub.token });
  }

  /**
   * In an Unsubscribe's transaction: an HTTP/S endpoint is told with an UnsubscribeConfirmation
   * (Developer Guide, "HTTP/HTTPS unsubscribe confirmation JSON format"). Its SubscribeURL names a
   * token of its own; the subscription is gone, so visiting it restores nothing here.
   */
  async confirmUnsubscribe(tx: WriteTx, sub: Subscription, token: string): Promise<void> {
    if (sub.protocol !== 'http' && sub.protocol !== 'https') return;
    await this.enqueueConfirmation(tx, sub, { type: 'UnsubscribeConfirmation', token });
  }

  private async enqueueConfirmation(tx: WriteTx, sub: Subscription, confirmation: NonNullable<DeliveryPayload['confirmation']>): Promise<void> {
    const message: StoredMessage = {
      messageId: randomUUID(),
      topicArn: sub.topic.arn,
      message: '',
      timestamp: this.runtime.clock.now(),
      signatureVersion: sub.topic.attributes.SignatureVersion === '2' ? '2' : '1',
    };
    const payload: DeliveryPayload = { subscriptionArn: sub.arn, protocol: sub.protocol, endpoint: sub.endpoint, message, confirmation };
    await this.runtime.delivery.enqueue(tx, { kind: DELIVERY_JOB, payload, traceId: message.messageId, policy: retryPolicyOf(sub) });
  }

  private async deliverOne(job: Job<DeliveryPayload>, attempt: Attempt): Promise<void> {
    const p = job.payload;
    const sub = this.catalogue.subscription(p.subscriptionArn);
    // Unsubscribed (or its topic deleted) since: nothing more goes to it. A confirmation is sent all the same.
    if (!sub && p.confirmation === undefined) return;
    await this.deliver(p, sub, (tx) => attempt.complete(tx), job.traceId ?? undefined);
  }

  /**
   * Sends one message to its endpoint through `invoke/`. `alongside` runs in the transaction that
   * stores it where the target stores it in this Stratus (an SQS queue); the caller must not
   * count on it otherwise.
   */
  private async deliver(p: DeliveryPayload, sub: Subscription | undefined, alongside: (tx: WriteTx) => Promise<void>, traceId: string | undefined): Promise<void> {
    const source = sourceOf(p.message.topicArn, sub);
    const raw = sub?.raw ?? false;
    const confirmation = p.confirmation
      ? await this.renderings.confirmation({ ...p.confirmation, ...p.message, subscriptionArn: p.subscriptionArn })
      : undefined;
    try {
      switch (p.protocol) {
        case 'sqs': {
          const sqs =
            confirmation !== undefined
              ? { body: confirmation, parameters: {} }
              : await this.renderings.sqs(p.message, { arn: p.subscriptionArn, endpoint: p.endpoint, raw }, p.fifo === true);
          await invokeAsJob(this.runtime.invokers, { arn: p.endpoint, payload: sqs.body, traceId, source, parameters: sqs.parameters, alongside });
          return;
        }
        case 'lambda': {
          // SNS invokes functions asynchronously (Lambda Developer Guide, "Invoking a Lambda function asynchronously").
          const event = await this.renderings.lambda(p.message, p.subscriptionArn);
          await invokeAsJob(this.runtime.invokers, { arn: p.endpoint, payload: event, traceId, source, parameters: { InvocationType: 'Event' }, alongside });
          return;
        }
        case 'http':
        case 'https': {
          const rawBody = confirmation === undefined && raw;
          await postToEndpoint({
            url: p.endpoint,
            body: confirmation ?? (raw ? p.message.message : await this.renderings.notificationText(p.message, p.subscriptionArn, p.fifo === true)),
            messageType: p.confirmation?.type ?? 'Notification',
            messageId: p.message.messageId,
            topicArn: p.message.topicArn,
            subscriptionArn: confirmation === undefined ? p.subscriptionArn : undefined,
            raw: rawBody,
            contentType: sub ? contentTypeOf(sub) : DEFAULT_CONTENT_TYPE,
          });
          return;
        }
        case 'firehose':
          throw new PermanentFailure('Stratus does not serve Amazon Data Firehose: the message cannot be delivered.', 'UnsupportedTarget');
        default:
          // E-mail, SMS and mobile push are not sent by this engine.
          this.runtime.log.debug('sns: delivery to this protocol is not made', { protocol: p.protocol, subscription: p.subscriptionArn, traceId });
      }
    } catch (error) {
      if (error instanceof UndeliverableMessage) throw new PermanentFailure(error.message, error.code);
      throw error;
    }
  }

  private async startChain(tx: WriteTx, subscriptionArn: string, groupId: string, traceId: string): Promise<void> {
    await this.runtime.delivery.enqueue(tx, {
      kind: FIFO_DELIVERY_JOB,
      payload: { subscriptionArn, groupId } satisfies ChainPayload,
      key: `${subscriptionArn}\n${groupId}`,
      traceId,
      policy: MANAGED_ENDPOINT_RETRY_POLICY,
    });
  }

  /** Delivers a FIFO group's waiting messages, oldest first, each committed with its removal from the outbox. */
  private async drain(job: Job<ChainPayload>, attempt: Attempt): Promise<void> {
    const { subscriptionArn, groupId } = job.payload;
    const store = this.runtime.store;
    for (let delivered = 0; ; delivered++) {
      const head = await store.get<{ id: number | string; delivery: string }>(sql.selectOutboxHead, [subscriptionArn, groupId]);
      const sub = this.catalogue.subscription(subscriptionArn);
      if (!head || !sub) {
        // The chain ends, unless a publish added a message since (that unit's row is seen here).
        const ended = await store.write(async (tx) => {
          if (sub && (await tx.get(sql.selectOutboxHead, [subscriptionArn, groupId]))) return false;
          await tx.run(sql.deleteChain, [subscriptionArn, groupId]);
          await attempt.complete(tx);
          return true;
        });
        if (ended) return;
        continue;
      }
      if (delivered >= MESSAGES_PER_ATTEMPT) {
        // Hands over to a fresh job in one transaction: the chain never runs twice at once.
        await store.write(async (tx) => {
          await attempt.complete(tx);
          await this.startChain(tx, subscriptionArn, groupId, job.traceId ?? '');
        });
        return;
      }
      const payload = JSON.parse(head.delivery) as DeliveryPayload;
      let removed = false;
      const remove = async (tx: WriteTx): Promise<void> => {
        removed = true;
        await tx.run(sql.deleteOutboxRow, [Number(head.id)]);
      };
      await this.deliver(payload, sub, remove, payload.message.messageId);
      if (!removed) await store.write(remove);
    }
  }

  /** A FIFO group's head message could not be delivered: it is dead-lettered and the group goes on. */
  private async chainDeadLetter(tx: WriteTx, job: Job<ChainPayload>, failure: DeadLetter): Promise<void> {
    const { subscriptionArn, groupId } = job.payload;
    const head = await tx.get<{ id: number | string; delivery: string }>(sql.selectOutboxHead, [subscriptionArn, groupId]);
    if (head) {
      await this.deadLetter(tx, JSON.parse(head.delivery) as DeliveryPayload, failure, job.attempts, job.traceId);
      await tx.run(sql.deleteOutboxRow, [Number(head.id)]);
    }
    if (await tx.get(sql.selectOutboxHead, [subscriptionArn, groupId])) await this.startChain(tx, subscriptionArn, groupId, job.traceId ?? '');
    else await tx.run(sql.deleteChain, [subscriptionArn, groupId]);
  }

  /** Records a delivery that failed for good and sends it to the subscription's dead-letter queue, if it has one. */
  private async deadLetter(tx: WriteTx, p: DeliveryPayload, failure: DeadLetter, attempts: number, traceId: string | null): Promise<void> {
    const sub = this.catalogue.subscription(p.subscriptionArn);
    const queueArn = sub ? deadLetterTargetOf(sub.attributes) : undefined;
    await tx.run(sql.insertFailedDelivery, [
      this.runtime.clock.now(),
      traceId,
      p.subscriptionArn,
      p.endpoint,
      p.message.messageId,
      failure.error.code,
      failure.error.message,
      failure.reason,
      attempts,
      queueArn ?? null,
    ]);
    this.runtime.log.warn('sns: delivery failed for good', {
      traceId,
      subscription: p.subscriptionArn,
      endpoint: p.endpoint,
      reason: failure.reason,
      attempts,
      error: failure.error,
      deadLetterQueue: queueArn,
    });
    if (!queueArn || p.confirmation !== undefined) return;
    const payload: DeadLetterPayload = { queueArn, delivery: p, raw: sub?.raw ?? false };
    await this.runtime.delivery.enqueue(tx, { kind: DEAD_LETTER_JOB, payload, traceId: traceId ?? undefined, policy: DEAD_LETTER_POLICY });
  }
}

/**
 * The retry policy of a subscription's deliveries ("Amazon SNS message delivery retries"): SQS,
 * Lambda and Firehose are AWS-managed endpoints; email, SMS and mobile push customer-managed; HTTP/S
 * follows the effective delivery policy.
 */
export function retryPolicyOf(sub: Subscription): RetryPolicy {
  switch (sub.protocol) {
    case 'sqs':
    case 'lambda':
    case 'firehose':
      return MANAGED_ENDPOINT_RETRY_POLICY;
    case 'http':
    case 'https': {
      // The subscription's healthyRetryPolicy, else the topic's http.defaultHealthyRetryPolicy.
      const own = parseJsonObject(sub.attributes.DeliveryPolicy ?? '')?.healthyRetryPolicy;
      const topic = (parseJsonObject(sub.topic.attributes.DeliveryPolicy ?? '')?.http as Record<string, unknown> | undefined)?.defaultHealthyRetryPolicy;
      return httpRetryPolicy(((own ?? topic ?? {}) as Parameters<typeof httpRetryPolicy>[0]));
    }
    default:
      return CUSTOMER_ENDPOINT_RETRY_POLICY;
  }
}

/** Who delivers, for invoke/: the topic (its account and region from the subscription's topic when it is still there, else from its ARN). */
function sourceOf(topicArn: string, sub: Subscription | undefined): { arn: string; service: string; accountId: string; region: string } {
  if (sub !== undefined) return { arn: topicArn, service: 'sns', accountId: sub.topic.accountId, region: sub.topic.region };
  const parts = topicArn.split(':');
  return { arn: topicArn, service: 'sns', accountId: parts[4], region: parts[3] };
}

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/**
 * The Content-Type of an HTTP/S delivery: the subscription's requestPolicy.headerContentType, else
 * the topic's http.defaultRequestPolicy.headerContentType, else text/plain; charset=UTF-8
 * (Developer Guide, "Creating an HTTP/S delivery policy"; recorded headers).
 */
function contentTypeOf(sub: Subscription): string {
  const own = (parseJsonObject(sub.attributes.DeliveryPolicy ?? '')?.requestPolicy as { headerContentType?: unknown } | undefined)?.headerContentType;
  const http = parseJsonObject(sub.topic.attributes.DeliveryPolicy ?? '')?.http as { defaultRequestPolicy?: { headerContentType?: unknown } } | undefined;
  const topic = http?.defaultRequestPolicy?.headerContentType;
  return typeof own === 'string' ? own : typeof topic === 'string' ? topic : DEFAULT_CONTENT_TYPE;
}
