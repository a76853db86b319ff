/**
 * The token bucket API Gateway throttles with ("Throttle requests to your HTTP API"): it holds
 * up to `burst` tokens, refills at `rate` tokens a second, starts full, and a request takes one
 * token or is refused (429). A burst of 0 refuses everything.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

/** Route settings as a stage holds them: the route's own over the stage's defaults. */
export interface ThrottleSettings {
  ThrottlingBurstLimit?: number;
  ThrottlingRateLimit?: number;
}

/**
 * The limits a route runs under: each of burst and rate from the route's settings, else the
 * stage's defaults; undefined when neither sets either (the account's limits, which Stratus does
 * not impose).
 */
export function routeLimits(defaults: ThrottleSettings | undefined, route: ThrottleSettings | undefined): { rate: number; burst: number } | undefined {
  const rate = route?.ThrottlingRateLimit ?? defaults?.ThrottlingRateLimit;
  const burst = route?.ThrottlingBurstLimit ?? defaults?.ThrottlingBurstLimit;
  if (rate === undefined && burst === undefined) return undefined;
  // One limit set alone: the account's default for the other (10,000 rps, burst 5,000).
  return { rate: rate ?? 10000, burst: burst ?? 5000 };
}
