/**
 * Who is calling, read from the SigV4 credential scope without checking anything.
 *
 * This runs on every request (also when signature checking is off), so it is plain string
 * scanning: no crypto, no regular expressions, no allocation beyond the result. It never throws;
 * anything it cannot read yields `undefined` and the caller falls back to defaults.
 *
 * The scope comes from either
 *   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=..., Signature=...
 * or, for presigned URLs, the `X-Amz-Credential` query parameter (same `AKID/date/region/service/aws4_request` value).
 */

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD as written by the client (not validated here). */
  date: string;
  region: string;
  service: string;
}

/** Node's `IncomingMessage.headers`: lower-case names. */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** A raw query string (with or without the leading `?`), parsed params, or a plain record. */
export type QueryInput = string | URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

export interface Identity {
  accountId: string;
  region: string;
  /** Undefined when the request carried no readable credential. */
  accessKeyId: string | undefined;
}

export interface IdentityOptions {
  defaultRegion?: string;
  defaultAccount?: string;
  /** Configured access keys and the account each belongs to. */
  accounts?: ReadonlyMap<string, string>;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '000000000000';

const CREDENTIAL_PARAM = 'X-Amz-Credential';

function firstValue(value: string | string[] | undefined | null): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return undefined;
}

function isSeparator(code: number): boolean {
  // space, tab, comma (AWS accepts both ", " and "," between Authorization components)
  return code === 32 || code === 9 || code === 44;
}

/** The raw `Credential=` value of a SigV4 Authorization header, or undefined. */
function credentialFromAuthorization(auth: string): string | undefined {
  let start = 0;
  while (start < auth.length && (auth.charCodeAt(start) === 32 || auth.charCodeAt(start) === 9)) start++;
  if (!auth.startsWith('AWS4-', start)) return undefined;
  let from = start;
  for (;;) {
    const at = auth.indexOf('Credential=', from);
    if (at < 0) return undefined;
    // Must be a component of its own, not the tail of some other word.
    if (at > start && isSeparator(auth.charCodeAt(at - 1))) {
      const valueStart = at + 'Credential='.length;
      let end = valueStart;
      while (end < auth.length && !isSeparator(auth.charCodeAt(end))) end++;
      return auth.slice(valueStart, end);
    }
    from = at + 1;
  }
}

function safeDecode(value: string): string {
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function credentialFromRawQuery(raw: string): string | undefined {
  let from = raw.charCodeAt(0) === 63 /* ? */ ? 1 : 0;
  const hash = raw.indexOf('#');
  const end = hash < 0 ? raw.length : hash;
  while (from < end) {
    let amp = raw.indexOf('&', from);
    if (amp < 0 || amp > end) amp = end;
    if (raw.startsWith(CREDENTIAL_PARAM, from) && raw.charCodeAt(from + CREDENTIAL_PARAM.length) === 61 /* = */) {
      return safeDecode(raw.slice(from + CREDENTIAL_PARAM.length + 1, amp));
    }
    from = amp + 1;
  }
  return undefined;
}

function credentialFromQuery(query: QueryInput): string | undefined {
  if (typeof query === 'string') return credentialFromRawQuery(query);
  if (query instanceof URLSearchParams) return query.get(CREDENTIAL_PARAM) ?? undefined;
  return firstValue(query[CREDENTIAL_PARAM]);
}

/**
 * Splits `AKID/date/region/service/aws4_request`. Exactly five parts with a non-empty key,
 * region and service are required; the terminator and date are left to the signature check.
 */
export function parseCredential(credential: string): CredentialScope | undefined {
  const a = credential.indexOf('/');
  if (a <= 0) return undefined;
  const b = credential.indexOf('/', a + 1);
  if (b < 0) return undefined;
  const c = credential.indexOf('/', b + 1);
  if (c < 0 || c === b + 1) return undefined;
  const d = credential.indexOf('/', c + 1);
  if (d < 0 || d === c + 1) return undefined;
  if (credential.indexOf('/', d + 1) >= 0) return undefined;
  return {
    accessKeyId: credential.slice(0, a),
    date: credential.slice(a + 1, b),
    region: credential.slice(b + 1, c),
    service: credential.slice(c + 1, d),
  };
}

/**
 * Reads the credential scope of a request: the Authorization header first, then the presigned
 * `X-Amz-Credential` query parameter. Returns undefined for anything unreadable; never throws.
 */
export function parseCredentialScope(headers: HeaderBag, query?: QueryInput): CredentialScope | undefined {
  try {
    const auth = firstValue(headers.authorization);
    if (auth !== undefined) {
      const credential = credentialFromAuthorization(auth);
      if (credential !== undefined) return parseCredential(credential);
    }
    if (query === undefined) return undefined;
    const credential = credentialFromQuery(query);
    return credential === undefined ? undefined : parseCredential(credential);
  } catch {
    return undefined;
  }
}

function isTwelveDigits(value: string): boolean {
  if (value.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The account and region a request acts in. Region: the scope's, else the default.
 * Account: the configured account of a known key; else a 12-digit access key id names the
 * account itself (as LocalStack does, so `AWS_ACCESS_KEY_ID=111111111111` selects account
 * 111111111111 without configuration); else the default account.
 */
export function identityFor(scope: CredentialScope | undefined, options: IdentityOptions = {}): Identity {
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  const defaultAccount = options.defaultAccount ?? DEFAULT_ACCOUNT;
  if (scope === undefined) return { accountId: defaultAccount, region: defaultRegion, accessKeyId: undefined };
  const { accessKeyId } = scope;
  const configured = options.accounts?.get(accessKeyId);
  const accountId = configured ?? (isTwelveDigits(accessKeyId) ? accessKeyId : defaultAccount);
  return { accountId, region: scope.region || defaultRegion, accessKeyId };
}

/**
 * The longest region name accepted. Today's longest, `ap-southeast-7`, has 14 characters; the
 * cap keeps a region usable inside ARNs, URLs and file names whatever a client puts in its scope.
 */
const MAX_REGION_LENGTH = 32;

const isLowerLetter = (code: number): boolean => code >= 97 && code <= 122;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Whether `region` has the form of an AWS region name: 2–4 lower-case letters, then two to
 * four hyphen-separated groups of lower-case letters and digits, the last a number
 * (`us-east-1`, `ap-southeast-7`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`,
 * `eusc-de-east-1`). That is the union of every partition's `regionRegex` in the SDKs'
 * partitions.json, generalised to areas and partitions that come later; the partitions'
 * `aws-global`-style pseudo-regions are refused, as AWS refuses them in a credential scope
 * ("Credential should be scoped to a valid region, not 'aws-global'", aws/aws-sdk-java-v2#988).
 * Plain scanning, no regular expression: this runs on every signed request.
 */
export function isRegionName(region: string): boolean {
  const n = region.length;
  if (n > MAX_REGION_LENGTH) return false;
  let i = 0;
  while (i < n && isLowerLetter(region.charCodeAt(i))) i++;
  if (i < 2 || i > 4) return false;
  let groups = 0;
  let lastIsNumber = false;
  while (i < n) {
    if (region.charCodeAt(i) !== 45 /* - */) return false;
    const start = ++i;
    let number = true;
    for (; i < n; i++) {
      const code = region.charCodeAt(i);
      if (isDigit(code)) continue;
      if (!isLowerLetter(code)) break;
      number = false;
    }
    if (i === start) return false;
    groups++;
    lastIsNumber = number;
  }
  return groups >= 2 && groups <= 4 && lastIsNumber;
}
