import type { Clock } from '../../core/clock.js';

/**
 * Long polls waiting on one queue. A waiter sleeps until the queue is notified (a send
 * committed, a message came back into view), its own timer fires, or its request is aborted;
 * nothing polls. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 */
export class Waiters {
  private readonly waiting = new Set<() => void>();

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves on the next notify, after `ms`, or when `signal` aborts, whichever is first. */
  wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      let timer: { cancel(): void } | null = null;
      const done = (): void => {
        this.waiting.delete(done);
        timer?.cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiting.add(done);
      if (Number.isFinite(ms)) timer = clock.setTimer(done, Math.max(0, ms));
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Wakes every waiter; each tries to receive again and sleeps anew if it finds nothing. */
  notify(): void {
    // Every send notifies; most find nobody waiting.
    if (this.waiting.size === 0) return;
    for (const wake of [...this.waiting]) wake();
  }
}
