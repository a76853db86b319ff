import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { NodeSha256 } from './node-sha256.js';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  MESSAGES,
  SIGNATURE_ERRORS,
  signatureError,
  signatureErrorFor,
  verifySignature,
  type ProtocolFamily,
  type SignatureFailure,
  type VerifiableRequest,
  type VerificationResult,
  type VerifyOptions,
} from './signature.js';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SECRETS = new Map([
  [AKID, SECRET],
  ['123456789012', 'twelve-digit-secret'],
]);
const NOW = Date.UTC(2026, 0, 1, 0, 25, 0); // 20260101T002500Z
const HOST = 'localhost:4566';

const options = (overrides: Partial<VerifyOptions> = {}): VerifyOptions => ({
  secretFor: (id) => SECRETS.get(id),
  now: NOW,
  ...overrides,
});

function signer(service = 'sqs', secret = SECRET, accessKeyId = AKID, region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({ credentials: { accessKeyId, secretAccessKey: secret }, region, service, sha256: NodeSha256 });
}

/** Raw query string the way the AWS SDKs put it on the wire (RFC 3986, spaces as %20). */
function rawQuery(query: Record<string, string | string[] | null> | undefined): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(v === null ? enc(key) : `${enc(key)}=${enc(v)}`);
  }
  return parts.join('&');
}

/** The request as the server would see it (lower-case header names, raw target). */
function received(req: HttpRequest, target?: string): VerifiableRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const q = rawQuery(req.query as Record<string, string | string[] | null>);
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body as string | Uint8Array);
  return { method: req.method, path: target ?? (q === '' ? req.path : `${req.path}?${q}`), headers, body };
}

function jsonPost(body = '{"QueueName":"orders","Attributes":{"DelaySeconds":"5"}}'): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    port: 4566,
    path: '/',
    headers: {
      host: HOST,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.CreateQueue',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'test-agent/1.0',
    },
    body,
  });
}

async function signedJsonPost(at = NOW, secret = SECRET, accessKeyId = AKID): Promise<VerifiableRequest> {
  return received((await signer('sqs', secret, accessKeyId).sign(jsonPost(), { signingDate: new Date(at) })) as HttpRequest);
}

function withHeaders(req: VerifiableRequest, headers: Record<string, string | undefined>): VerifiableRequest {
  return { ...req, headers: { ...req.headers, ...headers } };
}

function assertFailure(result: VerificationResult, failure: SignatureFailure, message?: string | RegExp): void {
  assert.equal(result.ok, false, `expected ${failure}, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.failure, failure, result.message);
  if (typeof message === 'string') assert.equal(result.message, message);
  else if (message) assert.match(result.message, message);
}

function assertOk(result: VerificationResult, service = 'sqs', region = 'us-east-1', accessKeyId = AKID): void {
  assert.deepEqual(result.ok ? { ...result, presigned: undefined } : result, {
    ok: true,
    accessKeyId,
    region,
    service,
    presigned: undefined,
  });
}

describe('verifySignature: requests signed by @smithy/signature-v4', () => {
  test('a JSON POST with a body verifies', async () => {
    const req = await signedJsonPost();
    assert.ok(req.headers['x-amz-content-sha256'], 'the signer sent x-amz-content-sha256');
    assertOk(await verifySignature(req, options()));
  });

  test('a GET with an unsorted, repeated and escaped query string verifies', async () => {
    const query = {
      Version: '2012-11-05',
      b: ['2', '1', '10'],
      Action: 'ListQueues',
      a: '',
      QueueNamePrefix: 'a b+c/~é*',
    };
    const request = new HttpRequest({ method: 'GET', hostname: 'localhost', port: 4566, path: '/000000000000/my-queue', query, headers: { host: HOST } });
    const signed = (await signer().sign(request, { signingDate: new Date(NOW) })) as HttpRequest;
    const target = `/000000000000/my-queue?Version=2012-11-05&b=2&Action=ListQueues&b=1&a=&QueueNamePrefix=a%20b%2Bc%2F~%C3%A9%2A&b=10`;
    assertOk(await verifySignature(received(signed, target), options()));
    // A bare key is the same as key= to the canonical query.
    assertOk(await verifySignature(received(signed, target.replace('&a=&', '&a&')), options()));
  });

  test("a literal '+' in the query is read as '+' first, then as a form-encoded space", async () => {
    const sign = async (value: string): Promise<HttpRequest> =>
      (await signer().sign(new HttpRequest({ method: 'GET', hostname: 'localhost', path: '/', query: { Marker: value }, headers: { host: HOST } }), {
        signingDate: new Date(NOW),
      })) as HttpRequest;
    assertOk(await verifySignature(received(await sign('a+b'), '/?Marker=a+b'), options()));
    assertOk(await verifySignature(received(await sign('a b'), '/?Marker=a+b'), options()));
    assertFailure(await verifySignature(received(await sign('a-b'), '/?Marker=a+b'), options()), 'SignatureDoesNotMatch');
  });

  test('a path with characters the SDK escapes (Lambda ARN function name) verifies', async () => {
    const path = '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Amy-fn/invocations';
    const request = new HttpRequest({
      method: 'POST',
      hostname: 'localhost',
      path,
      query: { Qualifier: '$LATEST' },
      headers: { host: HOST, 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    });
    const signed = (await signer('lambda').sign(request, { signingDate: new Date(NOW) })) as HttpRequest;
    assertOk(await verifySignature(received(signed), options()), 'lambda');
  });

  test('a presigned URL verifies, and fails once X-Amz-Expires has passed', async () => {
    const request = new HttpRequest({
      method: 'GET',
      hostname: 'localhost',
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: HOST },
    });
    const presigned = (await signer('sts').presign(request, { signingDate: new Date(NOW), expiresIn: 60 })) as HttpRequest;
    assert.equal(presigned.headers.authorization, undefined);
    const req = received(presigned);
    assert.match(req.path, /X-Amz-Signature=[0-9a-f]{64}/);
    const ok = await verifySignature(req, options());
    assert.deepEqual(ok, { ok: true, accessKeyId: AKID, region: 'us-east-1', service: 'sts', presigned: true });
    assertOk(await verifySignature(req, options({ now: NOW + 60_000 })), 'sts');
    assertFailure(await verifySignature(req, options({ now: NOW + 61_000 })), 'RequestExpired', MESSAGES.requestExpired);
    assertOk(await verifySignature(req, options({ now: NOW + 3_600_000, clockSkewMs: Infinity })), 'sts');
  });

  test('a presigned URL whose query was changed fails', async () => {
    const request = new HttpRequest({ method: 'GET', hostname: 'localhost', path: '/', query: { Action: 'ListQueues' }, headers: { host: HOST } });
    const req = received((await signer().presign(request, { signingDate: new Date(NOW), expiresIn: 300 })) as HttpRequest);
    assertFailure(
      await verifySignature({ ...req, path: req.path.replace('Action=ListQueues', 'Action=DeleteQueue') }, options()),
      'SignatureDoesNotMatch',
      MESSAGES.signatureDoesNotMatch,
    );
  });

  test('a presigned URL signed for UNSIGNED-PAYLOAD (S3 style) verifies', async () => {
    const request = new HttpRequest({
      method: 'PUT',
      hostname: 'localhost',
      path: '/bucket/key',
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: 'anything',
    });
    const presigned = (await signer('s3').presign(request, { signingDate: new Date(NOW), expiresIn: 900 })) as HttpRequest;
    assertOk(await verifySignature(received(presigned), options()), 's3');
  });

  test('x-amz-content-sha256: UNSIGNED-PAYLOAD lets any body through', async () => {
    const request = jsonPost();
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const req = received((await signer().sign(request, { signingDate: new Date(NOW) })) as HttpRequest);
    assertOk(await verifySignature({ ...req, body: Buffer.from('something else') }, options()));
  });

  test('without x-amz-content-sha256 the body hash is computed', async () => {
    const s = new SignatureV4({ credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, region: 'us-east-1', service: 'sqs', sha256: NodeSha256, applyChecksum: false });
    const req = received((await s.sign(jsonPost(), { signingDate: new Date(NOW) })) as HttpRequest);
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    assertOk(await verifySignature(req, options()));
    assertFailure(await verifySignature({ ...req, body: Buffer.from('{}') }, options()), 'SignatureDoesNotMatch');
  });

  test('headers that were not signed may change; signed ones may not', async () => {
    const req = await signedJsonPost();
    assertOk(await verifySignature(withHeaders(req, { 'user-agent': 'someone-else', 'x-forwarded-for': '10.0.0.1' }), options()));
    assertFailure(
      await verifySignature(withHeaders(req, { 'x-amz-target': 'AmazonSQS.DeleteQueue' }), options()),
      'SignatureDoesNotMatch',
      MESSAGES.signatureDoesNotMatch,
    );
    // A signed header that disappeared in transit.
    const { 'content-type': _dropped, ...rest } = req.headers;
    assertFailure(await verifySignature({ ...req, headers: rest }, options()), 'SignatureDoesNotMatch');
  });

  test('signed header values are compared after trimming and folding whitespace', async () => {
    const req = await signedJsonPost();
    assertOk(await verifySignature(withHeaders(req, { 'x-amz-target': '  AmazonSQS.CreateQueue  ' }), options()));
  });

  test('the Date header can stand in for X-Amz-Date', async () => {
    // A client that signs with Date (RFC 7231) and no X-Amz-Date: the string to sign uses its
    // ISO-8601 form. Built with the signer's own pieces to get a Date-only canonical request.
    const date = new Date(NOW).toUTCString();
    const body = '{}';
    const canonical = [
      'POST',
      '/',
      '',
      `date:${date}`,
      `host:${HOST}`,
      '',
      'date;host',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', '20260101T002500Z', '20260101/us-east-1/sqs/aws4_request', createHash('sha256').update(canonical).digest('hex')].join('\n');
    const signature = await signer().sign(stringToSign, { signingDate: new Date(NOW) });
    const req: VerifiableRequest = {
      method: 'POST',
      path: '/',
      headers: {
        host: HOST,
        date,
        authorization: `AWS4-HMAC-SHA256 Credential=${AKID}/20260101/us-east-1/sqs/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
      },
      body: Buffer.from(body),
    };
    assertOk(await verifySignature(req, options()));
  });
});

describe('verifySignature: failures', () => {
  test('wrong secret', async () => {
    const result = await verifySignature(await signedJsonPost(NOW, 'not-the-secret'), options());
    assertFailure(result, 'SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch);
    assert.equal(!result.ok && result.accessKeyId, AKID);
    assert.match((!result.ok && result.detail) || '', /^\n\nThe Canonical String for this request should have been\n'POST\n\/\n\n/);
  });

  test('unknown access key', async () => {
    const result = await verifySignature(await signedJsonPost(NOW, SECRET, 'AKIDUNKNOWN'), options());
    assertFailure(result, 'UnrecognizedClient', 'The security token included in the request is invalid.');
  });

  test('tampered body (the signed x-amz-content-sha256 no longer matches it)', async () => {
    const req = await signedJsonPost();
    assertFailure(await verifySignature({ ...req, body: Buffer.from('{"QueueName":"other"}') }, options()), 'SignatureDoesNotMatch');
  });

  test('tampered x-amz-content-sha256 together with the body', async () => {
    const req = await signedJsonPost();
    const body = Buffer.from('{"QueueName":"other"}');
    const hash = createHash('sha256').update(body).digest('hex');
    assertFailure(await verifySignature(withHeaders({ ...req, body }, { 'x-amz-content-sha256': hash }), options()), 'SignatureDoesNotMatch');
  });

  test('tampered signature, method and path', async () => {
    const req = await signedJsonPost();
    const auth = String(req.headers.authorization);
    const flipped = auth.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    assertFailure(await verifySignature(withHeaders(req, { authorization: flipped }), options()), 'SignatureDoesNotMatch');
    assertFailure(await verifySignature(withHeaders(req, { authorization: `${auth}00` }), options()), 'SignatureDoesNotMatch');
    assertFailure(await verifySignature({ ...req, method: 'PUT' }, options()), 'SignatureDoesNotMatch');
    assertFailure(await verifySignature({ ...req, path: '/other' }, options()), 'SignatureDoesNotMatch');
    assertFailure(await verifySignature({ ...req, path: '/?extra=1' }, options()), 'SignatureDoesNotMatch');
  });

  test('missing Authorization components are all named, with the header echoed', async () => {
    const req = await signedJsonPost();
    const auth = String(req.headers.authorization);
    const without = (part: string): string => auth.replace(new RegExp(`,? ?${part}=[^,]*`), '');

    assertFailure(
      await verifySignature(withHeaders(req, { authorization: without('Signature') }), options()),
      'IncompleteSignature',
      `Authorization header requires 'Signature' parameter. Authorization=${without('Signature')}`,
    );
    assertFailure(
      await verifySignature(withHeaders(req, { authorization: without('Credential') }), options()),
      'IncompleteSignature',
      `Authorization header requires 'Credential' parameter. Authorization=${without('Credential')}`,
    );
    assertFailure(
      await verifySignature(withHeaders(req, { authorization: without('SignedHeaders') }), options()),
      'IncompleteSignature',
      `Authorization header requires 'SignedHeaders' parameter. Authorization=${without('SignedHeaders')}`,
    );
    // Exactly DynamoDB's answer to "Authorization: AWS4-" (dynalite test/connection.js).
    assertFailure(
      await verifySignature({ method: 'POST', path: '/', headers: { host: HOST, authorization: 'AWS4-' }, body: Buffer.alloc(0) }, options()),
      'IncompleteSignature',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
        "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-",
    );
  });

  test('missing date', async () => {
    const req = await signedJsonPost();
    assertFailure(
      await verifySignature(withHeaders(req, { 'x-amz-date': undefined }), options()),
      'IncompleteSignature',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${String(req.headers.authorization)}`,
    );
  });

  test('malformed date', async () => {
    const req = await signedJsonPost();
    assertFailure(
      await verifySignature(withHeaders(req, { 'x-amz-date': '2026-01-01T00:25:00Z' }), options()),
      'IncompleteSignature',
      "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:25:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
    assertFailure(await verifySignature(withHeaders(req, { 'x-amz-date': '20261340T000000Z' }), options()), 'IncompleteSignature', /^Date must be/);
  });

  test('signed more than 15 minutes ago: Signature expired, with AWS\'s exact message', async () => {
    const signedAt = Date.UTC(2026, 0, 1, 0, 0, 0);
    const req = await signedJsonPost(signedAt);
    assertFailure(
      await verifySignature(req, options()),
      'SignatureExpired',
      'Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z (20260101T002500Z - 15 min.)',
    );
    // Exactly 15 minutes is still fine.
    assertOk(await verifySignature(req, options({ now: signedAt + 15 * 60_000 })));
    assertFailure(await verifySignature(req, options({ now: signedAt + 15 * 60_000 + 1 })), 'SignatureExpired');
    // Time checks can be turned off.
    assertOk(await verifySignature(req, options({ now: signedAt + 86_400_000, clockSkewMs: Infinity })));
  });

  test('signed more than 15 minutes in the future: Signature not yet current', async () => {
    const req = await signedJsonPost(Date.UTC(2026, 0, 1, 0, 41, 0));
    assertFailure(
      await verifySignature(req, options()),
      'SignatureNotYetCurrent',
      'Signature not yet current: 20260101T004100Z is still later than 20260101T004000Z (20260101T002500Z + 15 min.)',
    );
  });

  test('Host must be signed', async () => {
    const s = signer();
    const signed = (await s.sign(jsonPost(), { signingDate: new Date(NOW), unsignableHeaders: new Set(['host']) })) as HttpRequest;
    assertFailure(await verifySignature(received(signed), options()), 'SignatureDoesNotMatch', MESSAGES.hostNotSigned);
  });

  test('credential scope problems are reported together', async () => {
    const req = await signedJsonPost();
    const auth = String(req.headers.authorization);
    assertFailure(
      await verifySignature(withHeaders(req, { authorization: auth.replace('/20260101/us-east-1/sqs/aws4_request', '/20251231/us-east-1/sqs/aws5_request') }), options()),
      'SignatureDoesNotMatch',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T002500Z'.",
    );
    assertFailure(
      await verifySignature(withHeaders(req, { authorization: auth.replace('/us-east-1/sqs/aws4_request', '/us-east-1/sqs') }), options()),
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${AKID}/20260101/us-east-1/sqs'`,
    );
    assertFailure(
      await verifySignature(req, options({ service: 'sns' })),
      'SignatureDoesNotMatch',
      "Credential should be scoped to correct service: 'sns'.",
    );
    assertOk(await verifySignature(req, options({ service: ['sns', 'sqs'] })));
  });

  test('unsupported algorithm', async () => {
    const req = await signedJsonPost();
    const auth = String(req.headers.authorization).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512');
    assertFailure(await verifySignature(withHeaders(req, { authorization: auth }), options()), 'IncompleteSignature', "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.");
  });

  test('no authentication at all', async () => {
    const plain: VerifiableRequest = { method: 'POST', path: '/', headers: { host: HOST }, body: Buffer.from('{}') };
    assertFailure(await verifySignature(plain, options()), 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  });

  test('garbage Authorization headers never throw', async () => {
    const base = await signedJsonPost();
    const garbage = [
      '',
      ' ',
      'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x',
      'Basic dXNlcjpwYXNz',
      'AWS4',
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA256 ',
      'AWS4-HMAC-SHA256 Credential',
      'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=',
      'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz',
      'AWS4-HMAC-SHA256 Credential=////, SignedHeaders=;;;, Signature=00',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sqs/aws4_request,,,SignedHeaders=host;;x-amz-date,,Signature=',
      'AWS4-HMAC-SHA256 Credential=%zz/%%/é/\u0000/aws4_request, SignedHeaders=__proto__;constructor;host, Signature=00',
      'AWS4-HMAC-SHA256 ===, =, Credential==, SignedHeaders==, Signature==',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00',
      `AWS4-HMAC-SHA256 ${'Credential=x, '.repeat(1000)}`,
      'AWS4-\u{1F600}',
    ];
    for (const authorization of garbage) {
      const result = await verifySignature(withHeaders(base, { authorization }), options());
      assert.equal(result.ok, false, `accepted ${JSON.stringify(authorization)}`);
    }
    assertFailure(await verifySignature(withHeaders(base, { authorization: 'Bearer xyz' }), options()), 'MissingAuthenticationToken');
    assertFailure(await verifySignature(withHeaders(base, { authorization: 'AWS4' }), options()), 'MissingAuthenticationToken');
    assertFailure(
      await verifySignature(withHeaders(base, { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00' }), options()),
      'IncompleteSignature',
      "'/20260101/us-east-1/sqs/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: " +
        "'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00'.",
    );
  });

  test('garbage requests never throw', async () => {
    const base = await signedJsonPost();
    // The same target spelled differently: still fine.
    for (const path of ['', '?', 'http://localhost:4566', 'http://localhost:4566/?#frag']) {
      assertOk(await verifySignature({ ...base, path }, options()));
    }
    const odd: VerifiableRequest[] = [
      { ...base, path: '/%zz?%zz=%zz&&&=&__proto__=1&constructor=2' },
      { ...base, headers: { ...base.headers, authorization: [String(base.headers.authorization), 'x'] } },
      { ...base, headers: { ...base.headers, 'x-amz-date': ['a', 'b'] } },
      { method: 'GET', path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256', headers: {}, body: Buffer.alloc(0) },
      { method: 'GET', path: '/?X-Amz-Algorithm=nope&X-Amz-Credential=a', headers: {}, body: Buffer.alloc(0) },
      { method: 'GET', path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=0', headers: {}, body: Buffer.alloc(0) },
      { method: 'GET', path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Date=20260101T002500Z&X-Amz-SignedHeaders=host&X-Amz-Signature=0&X-Amz-Expires=-1', headers: {}, body: Buffer.alloc(0) },
    ];
    for (const req of odd) assert.equal((await verifySignature(req, options())).ok, false);
    const throwing = await verifySignature(base, {
      now: NOW,
      secretFor: () => {
        throw new Error('boom');
      },
    });
    assertFailure(throwing, 'SignatureDoesNotMatch');
  });

  test('a credential ending in a long run of slashes is answered in time linear in it', async () => {
    // Stripping trailing slashes with /\/+$/ took time quadratic in the run: 64,000 slashes
    // before a last character cost seconds of one thread.
    const req = await signedJsonPost();
    const auth = String(req.headers.authorization).replace('/aws4_request', `/aws4_request${'/'.repeat(64_000)}x`);
    const started = performance.now();
    assertFailure(await verifySignature(withHeaders(req, { authorization: auth }), options()), 'IncompleteSignature');
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `${ms} ms`);
    // Trailing slashes alone are still ignored.
    const trailing = String(req.headers.authorization).replace('/aws4_request', '/aws4_request///');
    assertOk(await verifySignature(withHeaders(req, { authorization: trailing }), options()));
  });

  test('presigned URL parameter problems', async () => {
    const get = (q: string): VerifiableRequest => ({ method: 'GET', path: `/?${q}`, headers: { host: HOST }, body: Buffer.alloc(0) });
    assertFailure(
      await verifySignature(get('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T002500Z&X-Amz-SignedHeaders=host'), options()),
      'IncompleteSignature',
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
    );
    assertFailure(await verifySignature(get('X-Amz-Algorithm=HMAC&X-Amz-Credential=x'), options()), 'MissingAuthenticationToken');
    const full = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=20260101T002500Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
    assertFailure(await verifySignature(get(`${full}&X-Amz-Expires=soon`), options()), 'IncompleteSignature', 'X-Amz-Expires should be a number');
    assertFailure(await verifySignature(get(`${full}&X-Amz-Expires=604801`), options()), 'IncompleteSignature', /less than a week/);
    assertFailure(await verifySignature(get(full), options()), 'SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch);
  });
});

describe('verifySignature: requests from the real AWS SDK v3 clients over HTTP', () => {
  let server: Server;
  let endpoint: string;
  const seen: { req: VerifiableRequest; result: VerificationResult }[] = [];
  const credentials = { accessKeyId: '123456789012', secretAccessKey: 'twelve-digit-secret' };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  before(async () => {
    server = createServer((req, res) => {
      void readBody(req).then(async (body) => {
        const request: VerifiableRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
        seen.push({ req: request, result: await verifySignature(request, options({ now: Date.now() })) });
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end('{"__type":"InternalFailure","message":"captured"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function capture(send: () => Promise<unknown>): Promise<{ req: VerifiableRequest; result: VerificationResult }> {
    const before = seen.length;
    await send().catch(() => undefined);
    assert.equal(seen.length, before + 1, 'the client made exactly one request');
    return seen[before]!;
  }
  const config = () => ({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });

  test('SQS (AWS JSON 1.0) SendMessage', async () => {
    const sqs = new SQSClient(config());
    const { req, result } = await capture(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/123456789012/orders`, MessageBody: 'héllo wörld & more', DelaySeconds: 1 })),
    );
    assert.equal(req.headers['x-amz-target'], 'AmazonSQS.SendMessage');
    assertOk(result, 'sqs', 'eu-west-1', '123456789012');
    // Replayed with another body: rejected.
    assertFailure(await verifySignature({ ...req, body: Buffer.from('{"MessageBody":"evil"}') }, options({ now: Date.now() })), 'SignatureDoesNotMatch');
  });

  test('SQS ListQueues with awkward characters', async () => {
    const sqs = new SQSClient(config());
    const { result } = await capture(() => sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a b+c/é~*', MaxResults: 5 })));
    assertOk(result, 'sqs', 'eu-west-1', '123456789012');
  });

  test('SNS (AWS Query) Publish', async () => {
    const sns = new SNSClient(config());
    const { req, result } = await capture(() =>
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'a=b&c=d +%20', Subject: 'hi there' })),
    );
    assert.match(String(req.headers['content-type']), /x-www-form-urlencoded/);
    assertOk(result, 'sns', 'eu-west-1', '123456789012');
  });

  test('Lambda (REST-JSON) Invoke by ARN with a qualifier, and a GET with query parameters', async () => {
    const lambda = new LambdaClient(config());
    const invoke = await capture(() =>
      lambda.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:my-fn',
          Qualifier: '$LATEST',
          Payload: Buffer.from('{"a":[1,2,3]}'),
        }),
      ),
    );
    assert.match(invoke.req.path, /^\/2015-03-31\/functions\/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Amy-fn\/invocations\?Qualifier=/);
    assertOk(invoke.result, 'lambda', 'eu-west-1', '123456789012');

    const list = await capture(() => lambda.send(new ListFunctionsCommand({ MaxItems: 5, Marker: 'next page+1/2 ü', FunctionVersion: 'ALL' })));
    assert.equal(list.req.method, 'GET');
    assert.match(list.req.path, /\?.*Marker=/);
    assertOk(list.result, 'lambda', 'eu-west-1', '123456789012');
  });

  test('a client with the wrong secret is told SignatureDoesNotMatch', async () => {
    const sqs = new SQSClient({ ...config(), credentials: { ...credentials, secretAccessKey: 'wrong' } });
    const { result } = await capture(() => sqs.send(new ListQueuesCommand({})));
    assertFailure(result, 'SignatureDoesNotMatch');
  });
});

describe('signatureError', () => {
  const cases: [SignatureFailure, ProtocolFamily, string, number][] = [
    ['MissingAuthenticationToken', 'json', 'MissingAuthenticationTokenException', 400],
    ['MissingAuthenticationToken', 'query', 'MissingAuthenticationToken', 403],
    ['MissingAuthenticationToken', 'rest-json', 'MissingAuthenticationTokenException', 403],
    ['IncompleteSignature', 'json', 'IncompleteSignatureException', 400],
    ['IncompleteSignature', 'query', 'IncompleteSignature', 400],
    ['IncompleteSignature', 'rest-json', 'IncompleteSignatureException', 403],
    ['UnrecognizedClient', 'json', 'UnrecognizedClientException', 400],
    ['UnrecognizedClient', 'query', 'InvalidClientTokenId', 403],
    ['UnrecognizedClient', 'rest-json', 'UnrecognizedClientException', 403],
    ['SignatureDoesNotMatch', 'json', 'InvalidSignatureException', 400],
    ['SignatureDoesNotMatch', 'query', 'SignatureDoesNotMatch', 403],
    ['SignatureDoesNotMatch', 'rest-json', 'InvalidSignatureException', 403],
    ['SignatureExpired', 'json', 'InvalidSignatureException', 400],
    ['SignatureExpired', 'query', 'SignatureDoesNotMatch', 403],
    ['SignatureNotYetCurrent', 'rest-json', 'InvalidSignatureException', 403],
  ];
  for (const [failure, protocol, code, status] of cases) {
    test(`${failure} over ${protocol} is ${code} ${status}`, () => {
      const shape = signatureError(failure, protocol);
      assert.equal(shape.code, code);
      assert.equal(shape.status, status);
    });
  }

  test('every failure has an entry for every protocol', () => {
    for (const byProtocol of Object.values(SIGNATURE_ERRORS)) {
      for (const protocol of ['json', 'query', 'rest-json'] as const) assert.ok(byProtocol[protocol].code);
    }
  });

  test('REST-JSON says "Missing Authentication Token"; other messages pass through', () => {
    assert.deepEqual(signatureErrorFor({ failure: 'MissingAuthenticationToken', message: MESSAGES.missingAuthenticationToken }, 'rest-json'), {
      code: 'MissingAuthenticationTokenException',
      status: 403,
      message: 'Missing Authentication Token',
    });
    assert.deepEqual(signatureErrorFor({ failure: 'MissingAuthenticationToken', message: MESSAGES.missingAuthenticationToken }, 'json'), {
      code: 'MissingAuthenticationTokenException',
      status: 400,
      message: 'Request is missing Authentication Token',
    });
    assert.equal(signatureErrorFor({ failure: 'SignatureExpired', message: 'Signature expired: x' }, 'query').message, 'Signature expired: x');
  });
});
