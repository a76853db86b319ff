/**
 * API Gateway's throttling: a token bucket per limit ("Throttle API requests for better
 * throughput", API Gateway Developer Guide): the bucket holds at most `burstLimit` tokens and
 * refills at `rateLimit` tokens a second; a request takes one token or is throttled (429). Over t
 * seconds of overload a full bucket lets through burst + rate·t requests.
 *
 * Pure: the caller passes the time (ms), so the arithmetic is tested without waiting.
 */
export interface ThrottleLimit {
  /** Tokens per second (may be fractional). */
  rateLimit: number;
  /** Bucket size. */
  burstLimit: number;
}

export interface TokenBucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  updatedAt: number;
  limit: ThrottleLimit;
}

export function newBucket(limit: ThrottleLimit, now: number): TokenBucket {
  return { tokens: capacity(limit), updatedAt: now, limit };
}

/**
 * The bucket's capacity. A burst of 0 with a positive rate still lets requests through at the rate
 * (AWS documents a usage plan with burst 0 and rate > 0 as usable): one token of room.
 */
function capacity(limit: ThrottleLimit): number {
  if (limit.burstLimit > 0) return limit.burstLimit;
  return limit.rateLimit > 0 ? 1 : 0;
}

/** Refills for the time passed (never beyond capacity). */
export function refill(bucket: TokenBucket, now: number): void {
  const elapsed = now - bucket.updatedAt;
  if (elapsed > 0) {
    bucket.tokens = Math.min(capacity(bucket.limit), bucket.tokens + (elapsed / 1000) * bucket.limit.rateLimit);
    bucket.updatedAt = now;
  }
}

/** Whether a token is there to take now (without taking it). */
export function hasToken(bucket: TokenBucket, now: number): boolean {
  refill(bucket, now);
  return bucket.tokens >= 1;
}

/** Takes one token; false (and nothing taken) when the bucket is empty: the request is throttled. */
export function takeToken(bucket: TokenBucket, now: number): boolean {
  if (!hasToken(bucket, now)) return false;
  bucket.tokens -= 1;
  return true;
}

/**
 * Takes one token from each bucket or from none: a request that one limit throttles must not use
 * up the others' tokens (the usage plan's bucket is not charged for a request the stage refused).
 */
export function takeFromAll(buckets: readonly TokenBucket[], now: number): number {
  for (let i = 0; i < buckets.length; i += 1) if (!hasToken(buckets[i], now)) return i;
  for (const bucket of buckets) bucket.tokens -= 1;
  return -1;
}

/** Whether a limit changed, so a bucket must be made anew (its tokens carried over, capped). */
export function sameLimit(a: ThrottleLimit, b: ThrottleLimit): boolean {
  return a.rateLimit === b.rateLimit && a.burstLimit === b.burstLimit;
}

/**
 * Buckets by key, kept while in use: a bucket that has refilled completely is the same as a new
 * one, so buckets idle longer than that are dropped now and then (a key per API key and method
 * would otherwise grow without bound).
 */
export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep = 0;

  get(key: string, limit: ThrottleLimit, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = newBucket(limit, now);
      this.buckets.set(key, bucket);
    } else if (!sameLimit(bucket.limit, limit)) {
      refill(bucket, now);
      bucket.limit = limit;
      bucket.tokens = Math.min(bucket.tokens, capacity(limit));
    }
    if (now - this.lastSweep > 60_000) this.sweep(now);
    return bucket;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      const full = bucket.limit.rateLimit > 0 ? ((capacity(bucket.limit) - bucket.tokens) / bucket.limit.rateLimit) * 1000 : Infinity;
      if (now - bucket.updatedAt > full) this.buckets.delete(key);
    }
  }
}
