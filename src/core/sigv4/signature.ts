/**
 * AWS Signature Version 4 verification, header (`Authorization: AWS4-HMAC-SHA256 ...`) and
 * presigned query-string (`X-Amz-Algorithm=...&X-Amz-Signature=...`) forms.
 *
 * The canonical request, string to sign, key derivation and HMAC are computed by
 * `@smithy/signature-v4` (the signer the AWS SDK for JavaScript itself uses). We do not go
 * through `SignatureV4.sign(request)` because that method rewrites the request before
 * canonicalising it: it deletes `date`/`x-amz-date`/`authorization`, re-adds `x-amz-date` from
 * `signingDate`, adds `x-amz-content-sha256` unless told not to, and skips "unsignable" headers
 * such as `user-agent` (which other SDKs do sign). A verifier must canonicalise exactly the
 * headers the client listed in SignedHeaders, exactly as received, with the client's own
 * `X-Amz-Date`, so we call the signer's building blocks instead (`getCanonicalHeaders`,
 * `createCanonicalRequest`, `createStringToSign`, and `sign(stringToSign)` for the HMAC with the
 * derived key).
 *
 * The order of checks and the message texts follow what AWS answers. Sources:
 *   [dynalite]  architect/dynalite index.js + test/connection.js: DynamoDB responses recorded
 *               from (and tested against) live AWS.
 *   [scratch]   dacut/scratchstack-aws-signature src/auth.rs, src/canonical.rs: a SigV4 validator
 *               written to reproduce AWS's "Auth Error Ordering" and messages.
 *   [common]    AWS API Reference "Common Errors" pages (e.g. RDS, EMR, CloudSearch).
 *   Individual GitHub issues quoting real AWS responses are cited where used.
 *
 * `verifySignature` never throws: every problem becomes `{ ok: false, failure, message }`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { ALGORITHM_IDENTIFIER, SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.js';
import { MESSAGES, type SignatureFailure } from './signature-errors.js';

export * from './signature-errors.js';

// ---------------------------------------------------------------------------------------------
// Public types

export interface VerifiableRequest {
  method: string;
  /** Raw request target as received (`req.url`), may include `?query`. */
  path: string;
  /** Node's `IncomingMessage.headers` (lower-case names). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface VerifyOptions {
  /** The secret access key of an access key id, or undefined if the key is unknown. */
  secretFor(accessKeyId: string): string | undefined | Promise<string | undefined>;
  /** Server time, milliseconds since the epoch (wall-clock time: the SDK signs with real time). */
  now: number;
  /** Allowed clock skew; AWS uses 15 minutes. `Infinity` turns all time checks off (X-Amz-Expires too). */
  clockSkewMs?: number;
  /** If set, the credential scope's service must be (one of) this. */
  service?: string | readonly string[];
}

export type VerificationResult =
  | {
      ok: true;
      accessKeyId: string;
      region: string;
      service: string;
      /** True for presigned query-string authentication. */
      presigned: boolean;
    }
  | {
      ok: false;
      failure: SignatureFailure;
      /** AWS's message text for this failure. */
      message: string;
      /** The access key id, when the request got far enough to name one. */
      accessKeyId?: string;
      /**
       * For a signature mismatch: what AWS used to append to the message
       * ("\n\nThe Canonical String for this request should have been\n'...'\n\nThe String-to-Sign
       * should have been\n'...'\n", e.g. boto/boto#1573 for SQS, boto/boto#1552 for DynamoDB).
       * Handy for debugging clients; append it to `message` if wanted.
       */
      detail?: string;
    };

// ---------------------------------------------------------------------------------------------
// Messages (exact AWS texts) the verifier's checks need beyond signature-errors.ts

const AUTH_REQUIRES = {
  Credential: "Authorization header requires 'Credential' parameter.",
  Signature: "Authorization header requires 'Signature' parameter.",
  SignedHeaders: "Authorization header requires 'SignedHeaders' parameter.",
  date: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
} as const;

const QUERY_REQUIRES = {
  Credential: "AWS query-string parameters must include 'X-Amz-Credential'.",
  Signature: "AWS query-string parameters must include 'X-Amz-Signature'.",
  SignedHeaders: "AWS query-string parameters must include 'X-Amz-SignedHeaders'.",
  Date: "AWS query-string parameters must include 'X-Amz-Date'.",
} as const;

/** Exposes the signer's canonicalisation steps (protected in SignatureV4Base). */
class VerifyingSigner extends SignatureV4 {
  constructor(accessKeyId: string, secretAccessKey: string, region: string, service: string) {
    super({
      credentials: { accessKeyId, secretAccessKey },
      region,
      service,
      sha256: NodeSha256,
      applyChecksum: false,
      // S3 signs the path as sent (no normalisation, single encoding); everything else double-encodes.
      uriEscapePath: service !== 's3',
    });
  }
  canonicalRequestFor(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
  stringToSignFor(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SHA256_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const DEFAULT_SKEW_MS = 15 * 60 * 1000;
/** 7 days: the longest a SigV4 presigned URL can live (S3: "X-Amz-Expires must be less than a week"). */
const MAX_EXPIRES_SECONDS = 604800;

function sha256Hex(body: Buffer): string {
  return body.length === 0 ? SHA256_EMPTY : createHash('sha256').update(body).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers

type Query = Record<string, string | string[]>;

function decodeComponent(value: string, plusAsSpace: boolean): string {
  const v = plusAsSpace ? value.replace(/\+/g, ' ') : value;
  if (v.indexOf('%') < 0) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v; // malformed escape: keep as sent; the signature will not match
  }
}

/**
 * Decoded query parameters, repeated keys as arrays in order of appearance. The signer
 * re-encodes and sorts them (by key, then value) to build the canonical query string.
 */
function parseQuery(raw: string, plusAsSpace: boolean): Query {
  // Null prototype: a parameter named "__proto__" must stay an ordinary key.
  const query = Object.create(null) as Query;
  if (raw === '') return query;
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeComponent(eq < 0 ? piece : piece.slice(0, eq), plusAsSpace);
    const value = eq < 0 ? '' : decodeComponent(piece.slice(eq + 1), plusAsSpace);
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function firstParam(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

function splitTarget(target: string): { path: string; rawQuery: string } {
  let t = target;
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  // Absolute-form request targets (through a proxy): keep only path and query.
  if (t.startsWith('http://') || t.startsWith('https://')) {
    const slash = t.indexOf('/', t.indexOf('//') + 2);
    t = slash < 0 ? '/' : t.slice(slash);
  }
  const q = t.indexOf('?');
  const path = q < 0 ? t : t.slice(0, q);
  return { path: path === '' ? '/' : path, rawQuery: q < 0 ? '' : t.slice(q + 1) };
}

type HeaderMap = Map<string, string>;

function headerMap(headers: VerifiableRequest['headers']): HeaderMap {
  const map: HeaderMap = new Map();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    // Node joins most repeated headers with ", "; SigV4 joins with "," (minor, rare difference).
    map.set(name.toLowerCase(), Array.isArray(value) ? value.join(',') : String(value));
  }
  return map;
}

const BASIC_ISO8601 = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds for `YYYYMMDDTHHMMSSZ`, or undefined. */
function parseBasicIso(value: string): number | undefined {
  const m = BASIC_ISO8601.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return formatBasicIso(ms) === value ? ms : undefined; // rejects 20261340T...
}

function formatBasicIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function badDateMessage(value: string): string {
  // [dynalite] / [scratch] canonical.rs rule 9
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`;
}

function skewMinutes(skewMs: number): string {
  const minutes = skewMs / 60000;
  return Number.isInteger(minutes) ? String(minutes) : minutes.toFixed(2);
}

// ---------------------------------------------------------------------------------------------
// Verification

type Failure = Extract<VerificationResult, { ok: false }>;

function fail(failure: SignatureFailure, message: string, accessKeyId?: string, detail?: string): Failure {
  const result: Failure = { ok: false, failure, message };
  if (accessKeyId !== undefined) result.accessKeyId = accessKeyId;
  if (detail !== undefined) result.detail = detail;
  return result;
}

/** Everything needed to recompute the signature, once the request has passed the cheap checks. */
interface AuthParams {
  presigned: boolean;
  algorithm: string;
  credential: string;
  signature: string;
  signedHeaders: string[];
  /** The request time as ISO-8601 basic format (X-Amz-Date, or the Date header converted). */
  longDate: string;
  dateMs: number;
  /** Seconds, presigned only. */
  expires?: number;
  /** Explicit payload hash (x-amz-content-sha256 header / X-Amz-Content-Sha256 parameter). */
  contentSha256?: string;
}

function timeCheck(params: AuthParams, now: number, skewMs: number): Failure | undefined {
  const { longDate, dateMs } = params;
  if (skewMs === Infinity) return undefined;
  if (dateMs > now + skewMs) {
    // [scratch] auth.rs rule 11; seen from AWS: aws/aws-sdk-js#573 (" + 5 min." variant), serverless/enterprise#11
    return fail(
      'SignatureNotYetCurrent',
      `Signature not yet current: ${longDate} is still later than ${formatBasicIso(now + skewMs)} (${formatBasicIso(now)} + ${skewMinutes(skewMs)} min.)`,
    );
  }
  if (params.expires !== undefined) {
    // Presigned URLs live until X-Amz-Date + X-Amz-Expires (SigV4 query-string auth); S3 answers
    // "Request has expired" (aws/aws-sdk-php#1333). Non-S3 services are said to cap this at
    // 15 minutes (aws/aws-sdk-go#2167); we honour X-Amz-Expires as documented.
    if (now > dateMs + params.expires * 1000) return fail('RequestExpired', MESSAGES.requestExpired);
    return undefined;
  }
  if (dateMs < now - skewMs) {
    // [dynalite]; DynamoDB aws/aws-sdk-js#254, SNS aws/aws-sdk-js#265, STS aws/aws-cli#6676:
    // "Signature expired: 20160609T184512Z is now earlier than 20160610T013008Z (20160610T014508Z - 15 min.)"
    return fail(
      'SignatureExpired',
      `Signature expired: ${longDate} is now earlier than ${formatBasicIso(now - skewMs)} (${formatBasicIso(now)} - ${skewMinutes(skewMs)} min.)`,
    );
  }
  return undefined;
}

/** Header form. Returns the parameters, or the failure AWS reports first. */
function headerAuthParams(auth: string, headers: HeaderMap): AuthParams | Failure {
  const header = auth.trim();
  // DynamoDB answers MissingAuthenticationToken unless the header starts with "AWS4-":
  // 'AWS4' -> MissingAuthenticationTokenException, 'AWS4-' -> IncompleteSignatureException
  // ([dynalite] test/connection.js, verified against live DynamoDB).
  if (!header.startsWith('AWS4-')) return fail('MissingAuthenticationToken', MESSAGES.missingAuthenticationToken);

  const space = header.search(/\s/);
  const algorithm = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space + 1);
  const components = new Map<string, string>();
  // Components are separated by commas and/or whitespace: AWS accepts "a=1,b=2" and "a=1 b=2"
  // (scylladb alternator test_authorization.py mirrors DynamoDB), and reports a stray token as
  // "'/20210706/us-east-2/dynamodb/aws4_request' not a valid key=value pair (missing equal-sign)
  // in Authorization header: '...'." (awslabs/fhir-works-on-aws-deployment#379, aws/aws-sdk-go#289).
  for (const token of rest.split(/[\s,]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      return fail(
        'IncompleteSignature',
        `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      );
    }
    components.set(token.slice(0, eq), token.slice(eq + 1)); // last one wins ([scratch] rule 6c)
  }

  const credential = components.get('Credential') ?? '';
  const signature = components.get('Signature') ?? '';
  const signedHeaders = components.get('SignedHeaders');
  const amzDate = headers.get('x-amz-date');
  const dateHeader = headers.get('date');
  const rawDate = amzDate !== undefined && amzDate !== '' ? amzDate : dateHeader !== undefined && dateHeader !== '' ? dateHeader : undefined;

  // All missing parts in one message, in this order, then the header echoed:
  // "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature'
  // parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires
  // existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-" ([dynalite] test,
  // API Gateway: aws/chalice#828).
  const missing: string[] = [];
  if (credential === '') missing.push(AUTH_REQUIRES.Credential);
  if (signature === '') missing.push(AUTH_REQUIRES.Signature);
  if (signedHeaders === undefined) missing.push(AUTH_REQUIRES.SignedHeaders); // may be empty here ([dynalite])
  if (rawDate === undefined) missing.push(AUTH_REQUIRES.date);
  if (missing.length > 0) return fail('IncompleteSignature', `${missing.join(' ')} Authorization=${header}`);

  let dateMs: number | undefined;
  if (amzDate !== undefined && amzDate !== '') {
    dateMs = parseBasicIso(amzDate.trim());
  } else if (rawDate !== undefined) {
    // The Date header (RFC 7231), converted to ISO-8601 for the string to sign.
    const parsed = parseBasicIso(rawDate.trim()) ?? Date.parse(rawDate);
    dateMs = Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000) * 1000;
  }
  if (dateMs === undefined) return fail('IncompleteSignature', badDateMessage(rawDate ?? ''));

  const params: AuthParams = {
    presigned: false,
    algorithm,
    credential,
    signature,
    signedHeaders: (signedHeaders ?? '').split(';').filter((h) => h !== ''),
    longDate: formatBasicIso(dateMs),
    dateMs,
  };
  const contentSha256 = headers.get('x-amz-content-sha256');
  if (contentSha256 !== undefined) params.contentSha256 = contentSha256.trim();
  return params;
}

/** Presigned form ([scratch] canonical.rs rules 7a-7d). */
function queryAuthParams(query: Query, headers: HeaderMap): AuthParams | Failure {
  const algorithm = firstParam(query, 'X-Amz-Algorithm') ?? '';
  if (algorithm !== ALGORITHM_IDENTIFIER) return fail('MissingAuthenticationToken', MESSAGES.missingAuthenticationToken);

  const credential = firstParam(query, 'X-Amz-Credential');
  const signature = firstParam(query, 'X-Amz-Signature');
  const signedHeaders = firstParam(query, 'X-Amz-SignedHeaders');
  const amzDate = firstParam(query, 'X-Amz-Date');
  const missing: string[] = [];
  if (credential === undefined) missing.push(QUERY_REQUIRES.Credential);
  if (signature === undefined) missing.push(QUERY_REQUIRES.Signature);
  if (signedHeaders === undefined) missing.push(QUERY_REQUIRES.SignedHeaders);
  if (amzDate === undefined) missing.push(QUERY_REQUIRES.Date);
  if (credential === undefined || signature === undefined || signedHeaders === undefined || amzDate === undefined) {
    return fail('IncompleteSignature', `${missing.join(' ')} Re-examine the query-string parameters.`);
  }

  const dateMs = parseBasicIso(amzDate);
  if (dateMs === undefined) return fail('IncompleteSignature', badDateMessage(amzDate));

  const params: AuthParams = {
    presigned: true,
    algorithm,
    credential,
    signature,
    signedHeaders: signedHeaders.split(';').filter((h) => h !== ''),
    longDate: amzDate,
    dateMs,
  };

  const expires = firstParam(query, 'X-Amz-Expires');
  if (expires !== undefined) {
    // S3's texts: minio/minio-js#1312 ("X-Amz-Expires should be a number"), noobaa/noobaa-core#8857.
    if (!/^\d+$/.test(expires)) return fail('IncompleteSignature', 'X-Amz-Expires should be a number');
    const seconds = Number(expires);
    if (seconds > MAX_EXPIRES_SECONDS) {
      return fail('IncompleteSignature', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
    }
    params.expires = seconds;
  }
  const contentSha256 = firstParam(query, 'X-Amz-Content-Sha256') ?? headers.get('x-amz-content-sha256');
  if (contentSha256 !== undefined) params.contentSha256 = contentSha256.trim();
  return params;
}

function isFailure(value: AuthParams | Failure): value is Failure {
  return (value as Failure).ok === false;
}

/** Checks after parsing, in AWS's order ([dynalite] index.js comments, [scratch] auth.rs rules 10-13). */
function scopeCheck(
  params: AuthParams,
  options: VerifyOptions,
): Failure | { accessKeyId: string; date: string; region: string; service: string; scope: string } {
  // Host must be signed ([scratch] rule 8; [dynalite]: "'Host' must be a 'SignedHeader' in the AWS Authorization.").
  if (!params.signedHeaders.some((h) => h.toLowerCase() === 'host' || h === ':authority')) {
    return fail('SignatureDoesNotMatch', MESSAGES.hostNotSigned);
  }
  if (params.algorithm !== ALGORITHM_IDENTIFIER) {
    // [scratch] canonical.rs rule 6a ([dynalite] recorded "... (only AWS4-HMAC-SHA256 for now). ")
    return fail('IncompleteSignature', `Unsupported AWS 'algorithm': '${params.algorithm}'.`);
  }
  // "trailing slashes are ignored" ([dynalite]); stripped by a scan, as /\/+$/ backtracks
  // quadratically on a long run of slashes followed by another character.
  let end = params.credential.length;
  while (end > 0 && params.credential[end - 1] === '/') end--;
  const parts = params.credential.slice(0, end).split('/');
  if (parts.length !== 5) {
    return fail(
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params.credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  // All scope problems in one message ([dynalite]; [scratch] rule 13), e.g. "Credential should be
  // scoped to a valid region, not 'c'. Credential should be scoped to correct service: 'dynamodb'.
  // Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. Date in Credential
  // scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20130609', from
  // '20130609T095204Z'." Any non-empty region is accepted: Stratus serves every region.
  const problems: string[] = [];
  if (region === '') problems.push(`Credential should be scoped to a valid region, not '${region}'.`);
  if (options.service !== undefined) {
    const allowed = typeof options.service === 'string' ? [options.service] : options.service;
    if (!allowed.includes(service)) problems.push(`Credential should be scoped to correct service: '${allowed[0] ?? ''}'.`);
  }
  if (terminator !== 'aws4_request') {
    problems.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  const ymd = params.longDate.slice(0, 8);
  if (date !== ymd) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${ymd}', from '${params.longDate}'.`,
    );
  }
  if (problems.length > 0) return fail('SignatureDoesNotMatch', problems.join(' '), accessKeyId);
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/${terminator}` };
}

async function verify(request: VerifiableRequest, options: VerifyOptions): Promise<VerificationResult> {
  const headers = headerMap(request.headers);
  const { path, rawQuery } = splitTarget(request.path);
  const query = parseQuery(rawQuery, false);

  const authorization = headers.get('authorization');
  const hasAuthHeader = authorization !== undefined && authorization.trim() !== '';
  const hasQueryAuth = query['X-Amz-Algorithm'] !== undefined;
  let parsed: AuthParams | Failure;
  if (hasAuthHeader && hasQueryAuth) {
    // Both forms at once ([scratch] canonical.rs rule 5).
    return fail('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch);
  } else if (hasAuthHeader) {
    parsed = headerAuthParams(authorization, headers);
  } else if (hasQueryAuth) {
    parsed = queryAuthParams(query, headers);
  } else {
    return fail('MissingAuthenticationToken', MESSAGES.missingAuthenticationToken);
  }
  if (isFailure(parsed)) return parsed;

  const late = timeCheck(parsed, options.now, options.clockSkewMs ?? DEFAULT_SKEW_MS);
  if (late !== undefined) return late;

  const scope = scopeCheck(parsed, options);
  if ('ok' in scope) return scope;

  const secret = await options.secretFor(scope.accessKeyId);
  if (secret === undefined) return fail('UnrecognizedClient', MESSAGES.unrecognizedClient, scope.accessKeyId);

  const signer = new VerifyingSigner(scope.accessKeyId, secret, scope.region, scope.service);

  // Exactly the headers the client signed, as received (values trimmed and whitespace folded by
  // the signer). A signed header missing from the request is left out, so the signature fails.
  const signedSet = new Set(parsed.signedHeaders.map((h) => h.toLowerCase()));
  const signedValues: Record<string, string> = {};
  for (const name of signedSet) {
    const value = headers.get(name);
    if (value !== undefined) signedValues[name] = value;
  }
  const canonicalHeaders = getCanonicalHeaders(
    new HttpRequest({ method: request.method, path, headers: signedValues }),
    undefined,
    signedSet,
  ) as Record<string, string>;

  // Payload hash: the client's x-amz-content-sha256 when it is UNSIGNED-PAYLOAD (or an S3
  // STREAMING-* marker); otherwise always the hash of the body we received, so a body that was
  // changed after signing fails even when the client signed its own (now stale) hash header.
  const declared = parsed.contentSha256;
  const payloadCandidates: string[] = [];
  if (declared !== undefined && (declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-'))) {
    payloadCandidates.push(declared);
  } else {
    payloadCandidates.push(sha256Hex(request.body));
    // Presigned URLs made by S3-style presigners sign UNSIGNED-PAYLOAD without saying so.
    if (parsed.presigned && declared === undefined) payloadCandidates.push(UNSIGNED_PAYLOAD);
  }
  // A literal '+' in the query is a '+' to the AWS SDKs (they send spaces as %20) but a space to
  // form encoders: try the SDK reading first, then the other.
  const queries = rawQuery.includes('+') ? [query, parseQuery(rawQuery, true)] : [query];

  const signingDate = new Date(parsed.dateMs);
  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  for (const q of queries) {
    const httpRequest = new HttpRequest({ method: request.method.toUpperCase(), path, query: q, headers: {} });
    for (const payloadHash of payloadCandidates) {
      const canonicalRequest = signer.canonicalRequestFor(httpRequest, canonicalHeaders, payloadHash);
      const stringToSign = await signer.stringToSignFor(parsed.longDate, scope.scope, canonicalRequest);
      const expected = await signer.sign(stringToSign, {
        signingDate,
        signingRegion: scope.region,
        signingService: scope.service,
      });
      if (safeEqual(expected, parsed.signature)) {
        return { ok: true, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, presigned: parsed.presigned };
      }
      first ??= { canonicalRequest, stringToSign };
    }
  }
  const detail = first
    ? `\n\nThe Canonical String for this request should have been\n'${first.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${first.stringToSign}'\n`
    : undefined;
  return fail('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, scope.accessKeyId, detail);
}

/**
 * Verifies a request's SigV4 signature (Authorization header or presigned query string).
 * Never throws.
 */
export async function verifySignature(request: VerifiableRequest, options: VerifyOptions): Promise<VerificationResult> {
  try {
    return await verify(request, options);
  } catch {
    // Only reachable through a bug or a throwing secretFor; still answer like AWS would.
    return fail('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch);
  }
}
