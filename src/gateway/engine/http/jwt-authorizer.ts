import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { StoredAuthorizer } from '../../model/http-api.js';
import type { AuthorizerIdentity } from './events.js';

/**
 * JWT authorizers of HTTP APIs ("Controlling access to HTTP APIs with JWT authorizers"): the
 * token from the identity source (optionally after `Bearer `), signed with an RSA key of the
 * issuer's JWKS (found through `<issuer>/.well-known/openid-configuration` → `jwks_uri`, kept for
 * two hours as API Gateway keeps it), `iss` the issuer, `aud` — or `client_id` when there is no
 * `aud` — one of the audiences, `exp`, `nbf` and `iat` right for now, and when the route names
 * scopes, one of them in `scope` / `scp`. Failing the scopes is 403; failing anything else 401.
 */
export type JwtOutcome = { ok: true; identity: AuthorizerIdentity } | { ok: false; status: 401 | 403; description: string };

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
const KEYS_MAX_AGE_MS = 2 * 60 * 60 * 1000;

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export class JwtVerifier {
  private readonly keySets = new Map<string, { at: number; keys: Promise<KeySet> }>();

  constructor(private readonly now: () => number) {}

  async verify(authorizer: StoredAuthorizer, identityValue: string | undefined, routeScopes: string[] | undefined): Promise<JwtOutcome> {
    if (identityValue === undefined || identityValue.trim() === '') return { ok: false, status: 401, description: 'missing token' };
    const token = identityValue.replace(/^Bearer\s+/i, '').trim();
    const issuer = authorizer.JwtConfiguration?.Issuer ?? '';
    const audiences = authorizer.JwtConfiguration?.Audience ?? [];
    let payload: JWTPayload;
    try {
      const keys = await this.keysOf(issuer);
      const verified = await jwtVerify(token, keys, {
        issuer,
        algorithms: RSA_ALGORITHMS,
        currentDate: new Date(this.now()),
        clockTolerance: 0,
      });
      payload = verified.payload;
    } catch (error) {
      return { ok: false, status: 401, description: describe(error) };
    }
    const audience = payload.aud ?? (payload as { client_id?: unknown }).client_id;
    const given = Array.isArray(audience) ? audience : audience === undefined ? [] : [String(audience)];
    if (!given.some((a) => audiences.includes(a))) return { ok: false, status: 401, description: 'the token does not have a valid audience' };
    if (typeof payload.iat === 'number' && payload.iat * 1000 > this.now()) return { ok: false, status: 401, description: 'the token was issued in the future' };
    const scopes = scopesOf(payload);
    if (routeScopes !== undefined && routeScopes.length > 0 && !routeScopes.some((s) => scopes.includes(s))) {
      return { ok: false, status: 403, description: 'the token does not have the required scopes' };
    }
    return { ok: true, identity: { kind: 'jwt', claims: flattenClaims(payload), scopes: scopes.length > 0 ? scopes : null } };
  }

  /** The issuer's key set: discovery, then jose's remote set over `jwks_uri` (kept two hours; a failed discovery is tried again). */
  private keysOf(issuer: string): Promise<KeySet> {
    const known = this.keySets.get(issuer);
    if (known !== undefined && this.now() - known.at < KEYS_MAX_AGE_MS) return known.keys;
    const keys = discover(issuer).then((jwksUri) => createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: KEYS_MAX_AGE_MS, timeoutDuration: 5000 }));
    const entry = { at: this.now(), keys };
    this.keySets.set(issuer, entry);
    keys.catch(() => {
      if (this.keySets.get(issuer) === entry) this.keySets.delete(issuer);
    });
    return keys;
  }
}

async function discover(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`openid-configuration of ${issuer} answered ${response.status}`);
  const config = (await response.json()) as { jwks_uri?: unknown };
  if (typeof config.jwks_uri !== 'string') throw new Error(`openid-configuration of ${issuer} has no jwks_uri`);
  return config.jwks_uri;
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = (payload as { scope?: unknown }).scope ?? (payload as { scp?: unknown }).scp;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  if (Array.isArray(scope)) return scope.map(String);
  return [];
}

/**
 * Claims as HTTP APIs pass them (`requestContext.authorizer.jwt.claims`): every value a string —
 * numbers and booleans as text, arrays as `[a b c]`, objects as JSON.
 */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out[name] = `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not valid`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the signing method is not supported';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}
