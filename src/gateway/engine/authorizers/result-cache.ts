/**
 * The authorizer result cache: API Gateway keeps an authorizer's answer for
 * `authorizerResultTtlInSeconds` (default 300, 0 turns caching off, at most 3600), keyed by the
 * identity source values (API Gateway Developer Guide, "Configure a Lambda authorizer"). The whole
 * policy is kept, and evaluated against each later request's method ARN — the reason AWS advises
 * an authorizer that caches to return a policy covering every method the caller may use.
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; value: T }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, ttlSeconds: number, now: number): void {
    if (ttlSeconds <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { expiresAt: now + ttlSeconds * 1000, value });
  }

  /** Drops every entry whose key starts with `prefix` (an authorizer changed or a stage was redeployed). */
  dropPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** The TTL an authorizer's answers are cached for: AWS's default 300 s when not set. */
export function cacheTtl(authorizerResultTtlInSeconds: number | undefined): number {
  return authorizerResultTtlInSeconds ?? 300;
}
