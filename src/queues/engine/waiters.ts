import type { Clock } from '../../core/clock.js';
import { SlotSet } from '../../core/slot-set.js';

/**
 * Long polls waiting on one queue. A waiter sleeps until the queue is notified (a send
 * committed, a message came back into view), its own timer fires, or its request is aborted;
 * nothing polls. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 */
export class Waiters {
  /** A SlotSet, not a Set: every long poll joins and leaves it (see slot-set.ts). */
  private readonly waiting = new SlotSet<() => void>();

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves on the next notify, after `ms`, or when `signal` aborts, whichever is first. */
  wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      let timer: { cancel(): void } | null = null;
      let slot = -1;
      const done = (): void => {
        this.waiting.delete(slot, done);
        timer?.cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      slot = this.waiting.add(done);
      if (Number.isFinite(ms)) timer = clock.setTimer(done, Math.max(0, ms));
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Wakes every waiter; each tries to receive again and sleeps anew if it finds nothing. */
  notify(): void {
    // Every send notifies; most find nobody waiting.
    if (this.waiting.size === 0) return;
    for (const wake of this.waiting.values()) wake();
  }
}
