import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';

/**
 * COGNITO_USER_POOLS authorizers: the token (identitySource, default the Authorization header) is
 * a JWT of one of the authorizer's user pools (`providerARNs`), verified against the pool's JWKS
 * with issuer `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` and its expiry. A method
 * with `authorizationScopes` takes an access token carrying one of them; a method without takes an
 * ID token (API Gateway Developer Guide, "Control access to REST APIs using Amazon Cognito user
 * pools as an authorizer"). Anything else: 401 Unauthorized. The claims become
 * `$context.authorizer.claims`.
 *
 * Where the keys come from: Stratus does not serve Cognito. By default the JWKS is the real pool's
 * (`{issuer}/.well-known/jwks.json`), so tokens of a real pool verify when the machine is online.
 * `STRATUS_COGNITO_JWKS` overrides it: a URL template (`{region}`, `{userPoolId}`, `{issuer}` are
 * filled in), or a JSON object mapping a user pool id or an issuer to a JWKS URL. Tests serve a
 * JWKS on a local port and point the variable at it.
 */
export const JWKS_ENV = 'STRATUS_COGNITO_JWKS';

export interface UserPool {
  region: string;
  userPoolId: string;
  issuer: string;
}

/** The user pool an ARN names (`arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`). */
export function userPoolOf(arn: string): UserPool | undefined {
  const match = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1], userPoolId: match[2], issuer: `https://cognito-idp.${match[1]}.amazonaws.com/${match[2]}` };
}

/** The JWKS URL of a pool: the override's, else the pool's own. */
export function jwksUrlOf(pool: UserPool, override: string | undefined = process.env[JWKS_ENV]): string {
  if (override !== undefined && override.trim() !== '') {
    const text = override.trim();
    if (text.startsWith('{')) {
      try {
        const map = JSON.parse(text) as Record<string, unknown>;
        const url = map[pool.userPoolId] ?? map[pool.issuer];
        if (typeof url === 'string') return url;
      } catch {
        // Not JSON: the default below.
      }
    } else {
      return text.replace(/\{region\}/g, pool.region).replace(/\{userPoolId\}/g, pool.userPoolId).replace(/\{issuer\}/g, encodeURIComponent(pool.issuer));
    }
  }
  return `${pool.issuer}/.well-known/jwks.json`;
}

export type CognitoVerdict = { ok: true; claims: Record<string, string> } | { ok: false };

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
    if (keySets.size > 100) keySets.clear();
    keySets.set(url, set);
  }
  return set;
}

export async function verifyCognitoToken(token: string, providerARNs: string[] | undefined, scopes: string[] | undefined): Promise<CognitoVerdict> {
  const jwt = token.replace(/^Bearer\s+/i, '');
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(jwt);
  } catch {
    return { ok: false };
  }
  const pool = (providerARNs ?? []).map(userPoolOf).find((p) => p !== undefined && p.issuer === unverified.iss);
  if (!pool) return { ok: false };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, keySet(jwksUrlOf(pool)), { issuer: pool.issuer }));
  } catch {
    return { ok: false };
  }
  if (scopes !== undefined && scopes.length > 0) {
    if (payload.token_use !== 'access') return { ok: false };
    const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.some((s) => granted.includes(s))) return { ok: false };
  } else if (payload.token_use !== 'id') return { ok: false };
  return { ok: true, claims: claimsOf(payload) };
}

/** Claims as `$context.authorizer.claims` shows them: every value a string. */
export function claimsOf(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return claims;
}
