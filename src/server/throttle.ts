import type { Clock } from '../core/clock.js';

/**
 * Token buckets per (account, service): `rate` requests per second with a one-second burst.
 * Off (rate 0) by default; on, callers past the rate get the protocol's throttling error.
 */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.rate > 0;
  }

  take(key: string): boolean {
    if (this.rate <= 0) return true;
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rate, at: now };
    bucket.tokens = Math.min(this.rate, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
