/**
 * Garbage never takes the server down.
 *
 * A real Stratus serving the protocol probes (test/support/probe-services.ts) gets a few
 * thousand seeded random requests per wire protocol over keep-alive connections: random bytes,
 * valid bodies cut short, wrong JSON types, huge numbers, deep nesting, invalid UTF-8, broken
 * percent-encoding, thousands of parameters, odd dotted names, random REST paths and headers.
 *
 * Every request carries an oracle, written here from the probes' shapes and the routing rules,
 * that says what the answer must be: a 4xx with a given error code, or, only when the request is
 * in fact valid for its action (a cut-short form can still be a complete CreateTopic, say), a 2xx.
 * No answer may be a 5xx, a dropped connection or a hang. Then raw TCP garbage (not HTTP at
 * all, or HTTP with broken framing) must get a 400 or a closed socket, and the server must
 * still be healthy and answer the real SDKs.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed in the failure>; FUZZ_COUNT changes the
 * number of requests per protocol.
 */
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { probeModules } from './support/probe-services.js';
import { Rng } from './support/rng.js';
import { startTestServer, type TestServer } from './support/server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed5);
const PER_PROTOCOL = Number(process.env.FUZZ_COUNT ?? 2000);
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Requests, answers and what they must be

type Format = 'json' | 'query' | 'rest';

/** The answer a request must get: an exact status and, for errors, the error code. */
interface Expected {
  format: Format;
  status: number;
  code?: string;
}

/** The probe handler itself throws on this input (e.g. QueueName "crash"): generators avoid it. */
const PROBE_CRASH = 'probe-crash' as const;
type Verdict = Expected | typeof PROBE_CRASH;

interface FuzzRequest {
  label: string;
  method: string;
  /** Raw request target: path and query string. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  expected: Expected;
}

interface Answer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: Buffer;
  error?: string;
}

const ok = (format: Format, status = 200): Expected => ({ format, status });
const fail = (format: Format, code: string, status = 400): Expected => ({ format, status, code });

const SNS_ACTIONS = new Set(['CreateTopic', 'ListTopics', 'DeleteTopic']);
const SQS_QUERY_ACTIONS = new Set(['GetQueueUrl', 'ListQueues', 'GetQueueAttributes']);
const QUEUE_NAME = /^[A-Za-z0-9_-]+(\.fifo)?$/;
const MAX_TIME_MS = 8.64e15; // the largest time a JavaScript (and a Java) date holds

/** Characters, not UTF-16 units: a surrogate pair is one, a lone surrogate is one. */
const chars = (s: string): number => [...s].length;

/** Tracks the two kinds of problems a JSON request can have: wrong types (SerializationException) or broken constraints (ValidationException). */
class Problems {
  type = false;
  constraint = false;

  /** A JSON string member (absent or null is fine unless required). */
  jsonString(value: unknown, rules: { required?: boolean; min?: number; max?: number; pattern?: RegExp; oneOf?: string[] } = {}): void {
    if (value === undefined || value === null) {
      if (rules.required) this.constraint = true;
      return;
    }
    if (typeof value !== 'string') {
      this.type = true;
      return;
    }
    this.stringRules(value, rules);
  }

  stringRules(value: string, rules: { min?: number; max?: number; pattern?: RegExp; oneOf?: string[] }): void {
    const n = chars(value);
    if (rules.min !== undefined && n < rules.min) this.constraint = true;
    if (rules.max !== undefined && n > rules.max) this.constraint = true;
    if (rules.pattern && !rules.pattern.test(value)) this.constraint = true;
    if (rules.oneOf && !rules.oneOf.includes(value)) this.constraint = true;
  }

  jsonInteger(value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) {
      this.type = true;
      return;
    }
    if (value < min || value > max) this.constraint = true;
  }

  /** Epoch seconds, or (in JSON) a string of digits or an ISO 8601 date-time. */
  jsonTimestamp(value: unknown): void {
    if (value === undefined || value === null) return;
    let ms = NaN;
    if (typeof value === 'number') ms = value * 1000;
    else if (typeof value === 'string') {
      if (/^-?\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
      else if (/^\d{4}-\d\d-\d\dT/.test(value)) ms = Date.parse(value);
    }
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) this.type = true;
  }

  verdict(format: 'json' | 'rest'): Expected | undefined {
    if (this.type) return fail(format, 'SerializationException');
    if (this.constraint) return fail(format, 'ValidationException');
    return undefined;
  }
}

/** A text-mode integer (Query parameter, query string): decimal digits only, then the range. */
function textIntegerOk(value: string, min: number, max: number): 'ok' | 'type' | 'constraint' {
  const trimmed = value.trim();
  if (trimmed === '' || !/^[+-]?\d+$/.test(trimmed) || !Number.isFinite(Number(value))) return 'type';
  const n = Number(value);
  return n < min || n > max ? 'constraint' : 'ok';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A JSON request body as AWS reads it: empty or `null` is `{}`, anything but an object is refused. */
function readJsonBody(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(body));
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

/** AWS JSON: `X-Amz-Target: Prefix.Action`, the probes' input shapes. */
function expectJson(target: string, body: Buffer): Verdict {
  const dot = target.lastIndexOf('.');
  const prefix = dot > 0 ? target.slice(0, dot) : '';
  const action = target.slice(dot + 1);
  const known = prefix === 'AmazonSQS' ? ['GetQueueUrl', 'ListQueues', 'GetQueueAttributes'] : prefix === 'AWSEvents' ? ['DescribeEventBus', 'PutEvents'] : [];
  if (!known.includes(action)) return fail('json', 'UnknownOperationException');
  const input = readJsonBody(body);
  if (!input) return fail('json', 'SerializationException');
  const p = new Problems();
  switch (target) {
    case 'AmazonSQS.GetQueueUrl': {
      p.jsonString(input.QueueName, { required: true, max: 80, pattern: QUEUE_NAME });
      p.jsonString(input.QueueOwnerAWSAccountId);
      const problem = p.verdict('json');
      if (problem) return problem;
      if (input.QueueName === 'missing') return fail('json', 'QueueDoesNotExist');
      if (input.QueueName === 'crash') return PROBE_CRASH;
      return ok('json');
    }
    case 'AmazonSQS.ListQueues':
      p.jsonString(input.QueueNamePrefix);
      p.jsonInteger(input.MaxResults, 1, 1000);
      p.jsonString(input.NextToken);
      return p.verdict('json') ?? ok('json');
    case 'AWSEvents.PutEvents': {
      const entries = input.Entries;
      if (entries === undefined || entries === null) p.constraint = true;
      else if (!Array.isArray(entries)) p.type = true;
      else {
        if (entries.length < 1 || entries.length > 10) p.constraint = true;
        for (const entry of entries as unknown[]) {
          if (entry === null || entry === undefined) p.constraint = true;
          else if (typeof entry !== 'object' || Array.isArray(entry)) p.type = true;
          else {
            const e = entry as Record<string, unknown>;
            p.jsonTimestamp(e.Time);
            p.jsonString(e.Source);
            p.jsonString(e.DetailType);
            p.jsonString(e.Detail);
            p.jsonString(e.EventBusName, { min: 1, max: 1600 });
            const resources = e.Resources;
            if (resources !== undefined && resources !== null) {
              if (!Array.isArray(resources)) p.type = true;
              else for (const r of resources as unknown[]) r === null || r === undefined ? (p.constraint = true) : p.jsonString(r);
            }
          }
        }
      }
      p.jsonString(input.EndpointId);
      return p.verdict('json') ?? ok('json');
    }
    default:
      throw new Error(`fuzz generator bug: no oracle for target ${target}`);
  }
}

type Tree = { [name: string]: string | Tree };

/** Form parameters as AWS Query reads them, undefined for a MalformedQueryString, or 'repeated' for a name given twice. */
function readForm(text: string): Map<string, string> | undefined | 'repeated' {
  const params = new Map<string, string>();
  const decode = (raw: string): string | undefined => {
    try {
      return decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined || key === '') return undefined;
    if (params.has(key)) return 'repeated';
    params.set(key, value);
    if (params.size > 10_000) return undefined;
  }
  return params;
}

/** Nests dotted names; where a name is both a value and a structure, whichever came first stays. */
function formTree(params: Map<string, string>): Tree {
  const root: Tree = Object.create(null);
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node: Tree | undefined = root;
    for (let i = 0; node && i < parts.length - 1; i++) {
      const next: string | Tree | undefined = node[parts[i]];
      if (next === undefined) node = node[parts[i]] = Object.create(null) as Tree;
      else node = typeof next === 'string' ? undefined : next;
    }
    const leaf = parts[parts.length - 1];
    if (node && typeof node[leaf] !== 'object') node[leaf] = value;
  }
  return root;
}

const indexes = (node: Tree): string[] => Object.keys(node).filter((k) => /^[1-9]\d{0,5}$/.test(k));
const text = (node: string | Tree | undefined): string | undefined => (typeof node === 'string' ? node : undefined);

/** `Name.member.N` (or a flattened `Name.N`) list of strings; `Name=` is an empty list. */
function stringListOk(node: string | Tree | undefined): boolean {
  if (node === undefined) return true;
  if (typeof node === 'string') return node === '';
  return indexes(node).every((i) => typeof node[i] === 'string');
}

/** AWS Query: the probes' SNS and SQS actions. */
function expectQuery(form: string, scope: string | undefined): Verdict {
  const params = readForm(form);
  if (!params) return fail('query', 'MalformedQueryString');
  if (params === 'repeated') return fail('query', 'InvalidQueryParameter');
  const action = params.get('Action');
  if (!action) return fail('query', 'MissingAction');
  const owner = scope === 'sns' || scope === 'sqs' ? scope : SNS_ACTIONS.has(action) ? 'sns' : SQS_QUERY_ACTIONS.has(action) ? 'sqs' : undefined;
  if (!owner || !(owner === 'sns' ? SNS_ACTIONS : SQS_QUERY_ACTIONS).has(action)) return fail('query', 'InvalidAction');
  const tree = formTree(params);
  const invalid = fail('query', 'ValidationError');
  switch (action) {
    case 'ListTopics':
      return ok('query');
    case 'CreateTopic': {
      if (text(tree.Name) === undefined) return invalid;
      const attributes = tree.Attributes;
      if (typeof attributes === 'string') return invalid;
      if (attributes && typeof attributes.entry === 'string' && attributes.entry !== '') return invalid;
      const tags = tree.Tags;
      if (typeof tags === 'string' && tags !== '') return invalid;
      if (tags && typeof tags === 'object') {
        const members = tags.member;
        if (typeof members === 'string' && members !== '') return invalid;
        if (members && typeof members === 'object') {
          for (const i of indexes(members)) {
            const tag = members[i];
            if (typeof tag === 'string') return invalid;
            const key = text(tag.Key);
            const value = text(tag.Value);
            if (key === undefined || value === undefined || chars(key) < 1 || chars(key) > 128 || chars(value) > 256) return invalid;
          }
        }
      }
      return ok('query');
    }
    case 'DeleteTopic': {
      const arn = text(tree.TopicArn);
      if (arn === undefined) return invalid;
      if (!arn.startsWith('arn:')) return fail('query', 'InvalidParameter');
      if (arn.endsWith(':missing')) return fail('query', 'NotFound', 404);
      return ok('query');
    }
    case 'GetQueueUrl': {
      const name = text(tree.QueueName);
      if (name === undefined || name.length > 80 || !QUEUE_NAME.test(name)) return invalid;
      if (name === 'missing') return fail('query', 'AWS.SimpleQueueService.NonExistentQueue');
      if (name === 'crash') return PROBE_CRASH;
      return ok('query');
    }
    case 'ListQueues': {
      const max = text(tree.MaxResults);
      return max === undefined || textIntegerOk(max, 1, 1000) === 'ok' ? ok('query') : invalid;
    }
    case 'GetQueueAttributes':
      return text(tree.QueueUrl) !== undefined && stringListOk(tree.AttributeName) ? ok('query') : invalid;
    default:
      throw new Error(`fuzz generator bug: no oracle for action ${action}`);
  }
}

const safeDecode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** REST-JSON: the Lambda probe's three routes. */
function expectRest(method: string, path: string, query: string, headers: Record<string, string>, body: Buffer): Verdict {
  const noRoute = fail('rest', 'UnknownOperationException', 404);
  const parts = path.split('/').filter((s) => s.length > 0);
  if (parts[0] !== '2015-03-31' || parts[1] !== 'functions') return noRoute;
  const rest = parts.slice(2);
  const params = new URLSearchParams(query);
  const last = (name: string): string | undefined => params.getAll(name).at(-1);
  const p = new Problems();
  if (method === 'GET' && rest.length === 0) {
    const max = last('MaxItems');
    const verdict = max === undefined ? 'ok' : textIntegerOk(max, 1, 10_000);
    if (verdict === 'type') p.type = true;
    if (verdict === 'constraint') p.constraint = true;
    return p.verdict('rest') ?? ok('rest');
  }
  if (method === 'GET' && rest.length === 1) {
    const name = safeDecode(rest[0]);
    if (name === undefined) return noRoute;
    p.stringRules(name, { min: 1, max: 170 });
    const qualifier = last('Qualifier');
    if (qualifier !== undefined) p.stringRules(qualifier, { min: 1, max: 128 });
    const problem = p.verdict('rest');
    if (problem) return problem;
    return name === 'missing' ? fail('rest', 'ResourceNotFoundException', 404) : ok('rest');
  }
  if (method === 'POST' && rest.length === 2 && rest[1] === 'invocations') {
    const name = safeDecode(rest[0]);
    if (name === undefined) return noRoute;
    p.stringRules(name, { min: 1, max: 170 });
    const type = headers['x-amz-invocation-type'];
    if (type !== undefined) p.stringRules(type, { oneOf: ['Event', 'RequestResponse', 'DryRun'] });
    const logType = headers['x-amz-log-type'];
    if (logType !== undefined) p.stringRules(logType, { oneOf: ['None', 'Tail'] });
    const problem = p.verdict('rest');
    if (problem) return problem;
    if (type === 'Event') return ok('rest', 202);
    // The probe parses the payload and echoes it back with JSON.stringify: non-JSON input (which
    // real Lambda refuses with a 400 InvalidRequestContentException) makes it throw, and so does
    // JSON nested too deeply for JSON.stringify's recursion. Generators avoid both.
    if (body.length > 0 && !probeCanEcho(body)) return PROBE_CRASH;
    return ok('rest');
  }
  return noRoute;
}

function probeCanEcho(body: Buffer): boolean {
  try {
    JSON.stringify(JSON.parse(body.toString('utf8')));
    return true;
  } catch {
    return false;
  }
}

const SCOPE = /^AWS4-[^ ]* (?:.*[ ,])?Credential=[^/ ,]+\/[^/ ,]*\/([^/ ,]+)\/([^/ ,]+)\/[^/ ,]*(?:[ ,]|$)/;
/** The probes' services, by signing name: what a credential scope can name here. */
const PROBE_SIGNING_NAMES = new Set(['sqs', 'sns', 'events', 'lambda']);
/** A region name as the edge accepts it: 2–4 letters, then 2–4 groups of letters and digits, the last a number; 32 characters at most. */
function isRegionName(region: string): boolean {
  const [area, ...groups] = region.split('-');
  return (
    region.length <= 32 &&
    /^[a-z]{2,4}$/.test(area) &&
    groups.length >= 2 &&
    groups.length <= 4 &&
    groups.every((g) => /^[a-z0-9]+$/.test(g)) &&
    /^\d+$/.test(groups[groups.length - 1])
  );
}

/** A credential scoped to a region that cannot be one, in each protocol (src/server/edge-errors.ts). */
const badRegion = (format: Format): Expected =>
  format === 'query' ? fail('query', 'SignatureDoesNotMatch', 403) : format === 'rest' ? fail('rest', 'InvalidSignatureException', 403) : fail('json', 'InvalidSignatureException');

/**
 * Routing as the server does it: X-Amz-Target; then a lambda scope, or (when the scope names no
 * service) a Lambda path, is REST whatever the content type; then form bodies (or GET ?Action=),
 * then JSON content types, then REST paths. A region that is not a region name overrides it all.
 */
function expectFor(method: string, url: string, rawHeaders: Record<string, string>, body: Buffer): Verdict {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) headers[name.toLowerCase()] = value.trim();
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (query.includes('X-Amz-Credential')) throw new Error('fuzz generator bug: presigned credentials are not modelled');
  const scoped = SCOPE.exec(headers.authorization ?? '');
  const region = scoped?.[1];
  const scope = scoped?.[2];
  const verdict = (format: Format, judge: () => Verdict): Verdict => (region !== undefined && !isRegionName(region) ? badRegion(format) : judge());
  const target = headers['x-amz-target'];
  if (target) return verdict('json', () => expectJson(target, body));
  if (scope === 'lambda') return verdict('rest', () => expectRest(method, path, query, headers, body));
  const contentType = (headers['content-type'] ?? '').toLowerCase();
  const isForm = contentType.startsWith('application/x-www-form-urlencoded');
  const isQuery = isForm || (method === 'GET' && /(?:^|&)Action=/.test(query));
  const isJson = !isQuery && contentType.startsWith('application/x-amz-json-');
  const lambdaPath = path.split('/')[1] === '2015-03-31';
  if ((isQuery || isJson) && lambdaPath && !PROBE_SIGNING_NAMES.has(scope ?? '')) return verdict('rest', () => expectRest(method, path, query, headers, body));
  if (isQuery) return verdict('query', () => expectQuery(isForm ? body.toString('utf8') : query, scope));
  if (isJson) return verdict('json', () => fail('json', 'UnknownOperationException'));
  return verdict('rest', () => expectRest(method, path, query, headers, body));
}

// ---------------------------------------------------------------------------------------------
// Pools of values, valid and not

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const PATH_SAFE = PRINTABLE.replace(/[ /?#]/g, '');

const AUTHS: readonly (string | undefined)[] = [
  undefined,
  undefined,
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
  'AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/sns/aws4_request, SignedHeaders=host, Signature=00',
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00',
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00',
  'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/bogus/aws4_request, SignedHeaders=host, Signature=00',
  'AWS4-HMAC-SHA256 SignedHeaders=host,Credential=k/20260101/r/sqs/aws4_request,Signature=00',
  // Unreadable credentials: no scope, so defaults.
  'AWS4-HMAC-SHA256 Credential=onlykey',
  'AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f',
  'AWS4-HMAC-SHA256 Credential=a/20260101//sqs/aws4_request',
  'AWS4-HMAC-SHA256',
  'Basic dXNlcjpwYXNz',
  'AWS4-HMAC-SHA256 XCredential=a/b/us-east-1/sns/aws4_request',
  // Regions that are not region names: refused at the edge in every protocol.
  'AWS4-HMAC-SHA256 Credential=test/20260101/../sqs/aws4_request, SignedHeaders=host, Signature=00',
  `AWS4-HMAC-SHA256 Credential=test/20260101/${'r'.repeat(300)}/lambda/aws4_request, SignedHeaders=host, Signature=00`,
  'AWS4-HMAC-SHA256 Credential=test/20260101/aws-global/sns/aws4_request, SignedHeaders=host, Signature=00',
];

const JSON_STRINGS = ['"app"', '""', '"é😀"', '"\\ud800"', '"a\\u0000b"', '"x\\ny"', `"${'s'.repeat(2000)}"`, '"\\"quoted\\""'];
const JSON_WRONG = ['1', '-0', '0.5', 'true', 'false', 'null', '[]', '[1,"a",null]', '{}', '{"a":{"b":[]}}', '"str"'];
const JSON_HUGE = ['1e400', '-1e400', '1e308', '-1e308', '123456789012345678901234567890', '9007199254740993', '1.5e-400', '-0.0', '1E+2'];
const TIMES = [
  '1700000000',
  '1700000000.123',
  '0',
  '-1',
  '8640000000000',
  '8640000000001',
  '1e300',
  '-1e300',
  '"2026-03-04T05:06:07Z"',
  '"2026-03-04T05:06:07.5+02:00"',
  '"2026-13-45T00:00:00Z"',
  '"1700000000"',
  '"99999999999999999999"',
  '"yesterday"',
  'true',
  'null',
  '[]',
  '{}',
];

function queueName(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => rng.string(rng.between(1, 80), `${ALNUM}_-`)],
    [2, () => `${rng.string(rng.between(1, 20), ALNUM)}.fifo`],
    [1, () => rng.string(rng.between(81, 120), ALNUM)],
    [1, () => `${rng.string(3, ALNUM)}${rng.pick([' ', '.', '/', 'é', '😀', '!'])}${rng.string(3, ALNUM)}`],
    [1, () => ''],
    [1, () => 'missing'],
  ])();
}

function randomJson(rng: Rng, depth = 0): string {
  const kind = depth > 3 ? rng.int(3) : rng.int(6);
  switch (kind) {
    case 0:
      return rng.pick(JSON_WRONG);
    case 1:
      return rng.pick(JSON_HUGE);
    case 2:
      return rng.pick(JSON_STRINGS);
    case 3:
      return `[${Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1)).join(',')}]`;
    default: {
      const keys = ['QueueName', 'Entries', 'Time', 'Source', 'Resources', 'Detail', 'MaxResults', 'EventBusName', '__proto__', 'constructor', 'toString', '', 'a'];
      return `{${Array.from({ length: rng.int(4) }, () => `${JSON.stringify(rng.pick(keys))}:${randomJson(rng, depth + 1)}`).join(',')}}`;
    }
  }
}

const deepArrays = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObjects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

function putEventsEntry(rng: Rng): string {
  const members: string[] = [];
  if (rng.chance(0.9)) members.push(`"Source":${rng.chance(0.9) ? '"app"' : rng.pick([...JSON_WRONG, ...JSON_STRINGS])}`);
  if (rng.chance(0.7)) members.push(`"Time":${rng.pick(TIMES)}`);
  if (rng.chance(0.6)) members.push(`"Detail":${rng.chance(0.8) ? '"{\\"k\\":1}"' : rng.pick(JSON_WRONG)}`);
  if (rng.chance(0.6)) members.push(`"DetailType":${rng.chance(0.85) ? '"t"' : rng.pick(JSON_WRONG)}`);
  if (rng.chance(0.3)) members.push(`"Resources":${rng.pick(['[]', '["arn:x"]', '["a",null]', '[1]', '"a"', 'null', '[["a"]]'])}`);
  if (rng.chance(0.3)) members.push(`"EventBusName":${rng.pick(['"default"', '""', `"${'b'.repeat(1601)}"`, `"${'😀'.repeat(1600)}"`, '1'])}`);
  if (rng.chance(0.1)) members.push(`"Unknown":${randomJson(rng)}`);
  return `{${members.join(',')}}`;
}

/** A plausible (often valid) body for a JSON target. */
function validJsonBody(rng: Rng, target: string): string {
  switch (target) {
    case 'AmazonSQS.GetQueueUrl':
      return `{"QueueName":${JSON.stringify(queueName(rng))}${rng.chance(0.3) ? ',"QueueOwnerAWSAccountId":"123456789012"' : ''}}`;
    case 'AmazonSQS.ListQueues':
      return `{"QueueNamePrefix":"b","MaxResults":${rng.pick(['1', '1000', '50', '0', '1001', '1.5', '-1', '"5"', 'null', ...JSON_HUGE])}}`;
    case 'AWSEvents.PutEvents': {
      const n = rng.weighted([
        [8, rng.between(1, 10)],
        [1, 0],
        [1, rng.between(11, 13)],
      ]);
      return `{"Entries":[${Array.from({ length: n }, () => putEventsEntry(rng)).join(',')}]${rng.chance(0.1) ? ',"EndpointId":"abc.xyz"' : ''}}`;
    }
    default:
      return randomJson(rng);
  }
}

const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

function jsonBody(rng: Rng, target: string): { kind: string; body: Buffer } {
  const kind = rng.weighted([
    [3, 'valid'],
    [2, 'random-bytes'],
    [2, 'truncated'],
    [2, 'wrong-types'],
    [1, 'huge-numbers'],
    [1, 'deep-nesting'],
    [1, 'invalid-utf8'],
    [1, 'byte-flips'],
  ] as const);
  const valid = validJsonBody(rng, target);
  switch (kind) {
    case 'valid':
      return { kind, body: Buffer.from(valid) };
    case 'random-bytes':
      return { kind, body: rng.bytes(rng.between(0, 300)) };
    case 'truncated': {
      const bytes = Buffer.from(valid);
      return { kind, body: bytes.subarray(0, rng.int(bytes.length)) };
    }
    case 'wrong-types': {
      const member = rng.pick(['QueueName', 'Entries', 'MaxResults', 'QueueOwnerAWSAccountId', 'EndpointId', 'QueueNamePrefix']);
      const whole = rng.chance(0.3);
      return { kind, body: Buffer.from(whole ? randomJson(rng) : `{${JSON.stringify(member)}:${randomJson(rng)}}`) };
    }
    case 'huge-numbers': {
      const huge = rng.pick(JSON_HUGE);
      const body = rng.pick([
        `{"QueueName":${huge}}`,
        `{"MaxResults":${huge}}`,
        `{"Entries":[{"Source":"a","Time":${huge}}]}`,
        `{"Entries":${huge}}`,
        huge,
      ]);
      return { kind, body: Buffer.from(body) };
    }
    case 'deep-nesting': {
      const n = rng.pick([1000, 10_000, 50_000]);
      const deep = rng.chance(0.7) ? deepArrays(n) : deepObjects(n);
      const body = rng.pick([
        deep,
        `{"QueueName":${deep}}`,
        `{"Entries":${deep}}`,
        `{"Entries":[{"Source":"a","Resources":${deep}}]}`,
        `{"Entries":[{"Source":"a","Detail":${deep}}]}`,
        // Eleven entries, one carrying the deep value: the list-length message renders the list.
        `{"Entries":[{"Source":"a","Extra":${deep}}${',{"Source":"b"}'.repeat(10)}]}`,
        `{"Entries":[${deep}${',{}'.repeat(11)}]}`,
        `{"QueueName":"q","Extra":${deep}}`,
        `{"Entries":${'['.repeat(n)}`, // unterminated
      ]);
      return { kind, body: Buffer.from(body) };
    }
    case 'invalid-utf8': {
      const bytes = Buffer.from(valid);
      // Prefer a spot inside a string value, where a lenient decoder would quietly substitute U+FFFD.
      const quote = bytes.indexOf('"', bytes.indexOf(':'));
      const at = quote > 0 && rng.chance(0.7) ? quote + 1 : rng.int(bytes.length + 1);
      return { kind, body: Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(INVALID_UTF8)), bytes.subarray(at)]) };
    }
    case 'byte-flips': {
      const bytes = Buffer.from(valid);
      for (let i = rng.between(1, 3); i > 0 && bytes.length > 0; i--) bytes[rng.int(bytes.length)] = rng.int(256);
      return { kind, body: bytes };
    }
  }
}

function generateJson(rng: Rng): Omit<FuzzRequest, 'expected'> {
  const target = rng.weighted<() => string>([
    [4, () => 'AmazonSQS.GetQueueUrl'],
    [4, () => 'AWSEvents.PutEvents'],
    [1, () => 'AmazonSQS.ListQueues'],
    [
      2,
      () =>
        rng.pick([
          'AmazonSQS.Nope',
          'AmazonSQS.getqueueurl',
          'AmazonSQS',
          'AmazonSQS.',
          '.GetQueueUrl',
          'AWSEvents.GetQueueUrl',
          'AmazonSNS.Publish',
          'AmazonSQS.GetQueueUrl.',
          'AmazonSQS.__proto__',
          'AmazonSQS.constructor',
          '__proto__.GetQueueUrl',
          'AmazonSQS..GetQueueUrl',
          '',
          rng.string(rng.between(1, 40), PRINTABLE).trim(),
        ]),
    ],
  ])();
  const { kind, body } = jsonBody(rng, target);
  const headers: Record<string, string> = { 'X-Amz-Target': target };
  const contentType = rng.pick(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/x-amz-json-1.1', 'application/json', undefined]);
  if (contentType) headers['Content-Type'] = contentType;
  const auth = rng.pick(AUTHS);
  if (auth) headers.Authorization = auth;
  return { label: `json/${target || '(empty target)'}/${kind}`, method: 'POST', url: '/', headers, body };
}

const QUERY_FORMS = [
  'Action=CreateTopic&Version=2010-03-31&Name=orders&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Orders%20%26%20co&Tags.member.1.Key=team&Tags.member.1.Value=a%3Cb',
  'Action=DeleteTopic&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aorders',
  'Action=ListTopics&Version=2010-03-31&NextToken=abc',
  'Action=GetQueueUrl&Version=2012-11-05&QueueName=orders.fifo&QueueOwnerAWSAccountId=123456789012',
  'Action=ListQueues&Version=2012-11-05&QueueNamePrefix=b&MaxResults=2',
  'Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%2F000000000000%2Fq&AttributeName.1=All&AttributeName.2=Policy',
];

const FORM_TOKENS = [
  'Action', 'Action=', '=', '=', '&', '&', '&', '.', '.', 'member', 'entry', 'key', 'value', 'Name', 'Value', 'Key', 'Tags', 'Attributes',
  'AttributeName', 'QueueName', 'QueueUrl', 'TopicArn', 'MaxResults', 'CreateTopic', 'ListTopics', 'DeleteTopic', 'GetQueueUrl', 'ListQueues',
  'GetQueueAttributes', 'PutEvents', '1', '2', '0', '10', '999999', '1000000', '-1', '%', '%zz', '%2', '%41', '%26', '%3D', '%2E', '%E2%82%AC',
  '%FF', '%C3', '%ED%A0%80', '+', '__proto__', 'constructor', 'prototype', 'é', '😀', 'arn:', ':missing', 'x', 'crash',
] as const;

const WEIRD_NAMES = [
  '.', '..', 'Name.', '.Name', 'Name..x', 'Attributes.entry.0.key', 'Attributes.entry.-1.key', 'Attributes.entry.1e3.key', 'Attributes.entry.01.key',
  'Attributes.entry.1.key.x', 'Attributes.entry', 'Attributes', 'Attributes.', 'Tags.member.999999.Key', 'Tags.member.1000000.Key', 'Tags.member.1',
  'Tags', 'Tags.member', 'Tags.member.1.Key.x', '__proto__', '__proto__.x', 'constructor.prototype.x', 'Name.__proto__', 'toString', 'Action.x',
  'AttributeName', 'AttributeName.1.x', 'MaxResults.x', `${'a.'.repeat(5000)}b`, 'QueueName.x',
];

function generateQueryForm(rng: Rng): { kind: string; form: string } {
  const base = rng.pick(QUERY_FORMS);
  const kind = rng.weighted([
    [3, 'token-soup'],
    [3, 'truncated'],
    [2, 'bad-percent'],
    [2, 'action-missing-or-unknown'],
    [1, 'many-parameters'],
    [2, 'weird-names'],
    [2, 'valid-mutated'],
    [1, 'random-bytes'],
  ] as const);
  switch (kind) {
    case 'token-soup':
      return { kind, form: Array.from({ length: rng.between(1, 40) }, () => rng.pick(FORM_TOKENS)).join('') };
    case 'truncated':
      return { kind, form: base.slice(0, rng.int(base.length)) };
    case 'bad-percent': {
      const at = rng.int(base.length + 1);
      return { kind, form: base.slice(0, at) + rng.pick(['%zz', '%', '%G0', '%E2%82', '%FF', '%ED%A0%80', '%%', '%2']) + base.slice(at) };
    }
    case 'action-missing-or-unknown': {
      const action = rng.pick(['', 'Nope', 'createtopic', 'CreateTopic ', 'PutEvents', 'Invoke', '__proto__', 'constructor', 'toString', 'GetQueueUrl', 'CreateTopic']);
      const withoutAction = base.replace(/^Action=[^&]*&?/, '');
      return { kind, form: rng.chance(0.3) ? withoutAction : `${withoutAction}&Action=${encodeURIComponent(action)}` };
    }
    case 'many-parameters': {
      const n = rng.pick([1000, 5000, 9990, 10_001, 12_000]);
      const style = rng.int(3);
      const params =
        style === 0
          ? Array.from({ length: n }, (_, i) => `p${i}=${i}`)
          : style === 1
            ? Array.from({ length: Math.floor(n / 2) }, (_, i) => `Tags.member.${i + 1}.Key=k${i}&Tags.member.${i + 1}.Value=v`)
            : Array.from({ length: n }, (_, i) => `Attributes.entry.${i + 1}.${i % 2 ? 'value' : 'key'}=${i}`);
      return { kind, form: `Action=${rng.pick(['CreateTopic', 'ListTopics'])}&Name=many&${params.join('&')}` };
    }
    case 'weird-names': {
      const extra = Array.from({ length: rng.between(1, 4) }, () => `${encodeURIComponent(rng.pick(WEIRD_NAMES)).replace(/%2E/g, '.')}=${rng.pick(['', 'v', 'x.y'])}`);
      return { kind, form: rng.chance(0.5) ? `${base}&${extra.join('&')}` : `${extra.join('&')}&${base}` };
    }
    case 'valid-mutated': {
      const mutations: [RegExp, string][] = [
        [/QueueName=[^&]*/, `QueueName=${encodeURIComponent(queueName(rng))}`],
        [/MaxResults=[^&]*/, `MaxResults=${rng.pick(['0', '1', '1000', '1001', 'abc', '', '%201%20', '1.5', '+7', '-1', '99999999999999999999', '1e2'])}`],
        [/TopicArn=[^&]*/, `TopicArn=${rng.pick(['nope', 'arn%3Ax%3Amissing', 'arn%3Aok', '', 'ARN%3Ax'])}`],
        [/Name=orders/, `Name=${rng.pick(['', 'x', '%F0%9F%98%80', 'a+b'])}`],
        [/Tags\.member\.1\.Key=team/, `Tags.member.1.Key=${rng.pick(['', 'k'.repeat(128), 'k'.repeat(129), '%F0%9F%98%80'.repeat(128)])}`],
        [/Tags\.member\.1\.Value=[^&]*/, `Tags.member.1.Value=${rng.pick(['', 'v'.repeat(256), 'v'.repeat(257)])}`],
        [/AttributeName\.2=Policy/, rng.pick(['AttributeName.3=Policy', 'AttributeName.2.x=Policy', 'AttributeName=', 'AttributeName=All'])],
        [/&Version=[^&]*/, ''],
      ];
      let form = base;
      for (const [pattern, replacement] of mutations) if (rng.chance(0.5)) form = form.replace(pattern, replacement);
      return { kind, form };
    }
    case 'random-bytes':
      return { kind, form: rng.bytes(rng.between(0, 200)).toString('latin1') };
  }
}

function generateQuery(rng: Rng): Omit<FuzzRequest, 'expected'> {
  const { kind, form } = generateQueryForm(rng);
  const auth = rng.weighted([
    [3, undefined],
    [2, AUTHS[3]], // sns
    [2, AUTHS[2]], // sqs
    [1, rng.pick(AUTHS)],
  ]);
  const headers: Record<string, string> = {};
  if (auth) headers.Authorization = auth;
  // GET carries the form in the URL: only printable ASCII, and within Node's 16 KB header limit.
  const asGet = rng.chance(0.1) && form.length < 8000 && /^[\x21-\x7e]*$/.test(form) && !form.includes('#');
  if (asGet) return { label: `query/GET/${kind}`, method: 'GET', url: `/?${form}`, headers, body: Buffer.alloc(0) };
  headers['Content-Type'] = rng.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'APPLICATION/X-WWW-FORM-URLENCODED']);
  const body = kind === 'random-bytes' ? Buffer.from(form, 'latin1') : Buffer.from(form, 'utf8');
  return { label: `query/POST/${kind}`, method: 'POST', url: '/', headers, body };
}

function pathSegment(rng: Rng): string {
  return rng.weighted<() => string>([
    [5, () => rng.string(rng.between(1, 30), `${ALNUM}-_`)],
    [1, () => 'missing'],
    [1, () => 'invocations'],
    [1, () => encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:f')],
    [2, () => rng.pick(['%zz', '%', '%E2%82', 'a%FFb', '%ED%A0%80', '%2', '%%41'])],
    [1, () => encodeURIComponent('é😀 /?#')],
    [1, () => rng.string(rng.between(171, 200), ALNUM)],
    [1, () => rng.pick(['.', '..', '%2E%2E', '%00', '%2F'])],
    [2, () => rng.string(rng.between(1, 20), PATH_SAFE)],
  ])();
}

function restPath(rng: Rng): string {
  const base = rng.weighted<string>([
    [8, '/2015-03-31/functions'],
    [1, rng.pick(['/', '/2015-03-31', '/2015-03-31/function', '/2016-01-01/functions', '//2015-03-31//functions', '/2015-03-31/functions/x/invocations/y'])],
  ]);
  const segments = Array.from({ length: rng.weighted([[2, 0], [4, 1], [3, 2], [1, 3]]) }, (_, i) => (i === 1 && rng.chance(0.6) ? 'invocations' : pathSegment(rng)));
  return [base, ...segments].join('/') + (rng.chance(0.1) ? '/' : '');
}

function restQuery(rng: Rng): string {
  if (rng.chance(0.4)) return '';
  const names = ['Qualifier', 'MaxItems', 'Marker', 'qualifier', 'x', '', 'a.b', '%zz', 'MaxItems%00'];
  const values = ['', '1', '7', '0', '10001', 'abc', '%20', '1.5', '+5', '-1', '%zz', '$LATEST', 'v'.repeat(129), '99999999999999999999', 'a+b'];
  const pairs = Array.from({ length: rng.between(1, 5) }, () => (rng.chance(0.1) ? rng.string(rng.between(1, 12), PATH_SAFE.replace(/[A&]/g, '')) : `${rng.pick(names)}=${rng.pick(values)}`));
  return `?${pairs.join('&')}`;
}

function generateRest(rng: Rng): Omit<FuzzRequest, 'expected'> {
  const method = rng.weighted([
    [4, 'GET'],
    [4, 'POST'],
    [1, 'PUT'],
    [1, 'DELETE'],
    [1, rng.pick(['PATCH', 'HEAD', 'OPTIONS'])],
  ]);
  const url = restPath(rng) + restQuery(rng);
  const headers: Record<string, string> = {};
  if (rng.chance(0.5)) headers['X-Amz-Invocation-Type'] = rng.pick(['Event', 'RequestResponse', 'DryRun', 'event', '', 'Sometimes', rng.string(8, PATH_SAFE)]);
  if (rng.chance(0.2)) headers['X-Amz-Log-Type'] = rng.pick(['None', 'Tail', 'tail', '']);
  if (rng.chance(0.1)) headers['X-Amz-Client-Context'] = rng.string(rng.between(0, 40), PRINTABLE).trim();
  const contentType = rng.weighted<string | undefined>([
    [4, undefined],
    [3, 'application/json'],
    [2, 'application/octet-stream'],
    [1, 'text/plain'],
    [1, rng.pick(['application/x-amz-json-1.1', 'application/x-www-form-urlencoded'])],
  ]);
  if (contentType) headers['Content-Type'] = contentType;
  const auth = rng.weighted([
    [3, undefined],
    [2, AUTHS[4]], // lambda
    [1, rng.pick(AUTHS)],
  ]);
  if (auth) headers.Authorization = auth;
  let body: Buffer = Buffer.alloc(0);
  if (method !== 'GET' && method !== 'HEAD' && rng.chance(0.8)) {
    body = rng.weighted<() => Buffer>([
      [3, () => Buffer.from(randomJson(rng))],
      [2, () => rng.bytes(rng.between(1, 300))],
      [1, () => Buffer.from(`{"a":${deepArrays(10_000)}}`)],
      [1, () => Buffer.alloc(rng.between(1, 200_000), 'x')],
      [1, () => Buffer.concat([Buffer.from('{"a":"'), Buffer.from(rng.pick(INVALID_UTF8)), Buffer.from('"}')])],
    ])();
  }
  return { label: `rest/${method}`, method, url, headers, body };
}

/** Draws requests until one the probe handlers do not deliberately crash on, and attaches its oracle. */
function draw(rng: Rng, generate: (rng: Rng) => Omit<FuzzRequest, 'expected'>): FuzzRequest {
  for (let attempt = 0; attempt < 100; attempt++) {
    const request = generate(rng);
    const verdict = expectFor(request.method, request.url, request.headers, request.body);
    if (verdict !== PROBE_CRASH) return { label: request.label, method: request.method, url: request.url, headers: request.headers, body: request.body, expected: verdict };
  }
  throw new Error('fuzz generator bug: 100 draws in a row hit a probe crash input');
}

// ---------------------------------------------------------------------------------------------
// Sending

function send(agent: http.Agent, port: number, request: FuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.url, agent, headers: { ...request.headers, 'Content-Length': String(request.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (error) => resolve({ error: `response error: ${error.message}` }));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
    req.end(request.body);
  });
}

/** The error code an answer names, read the way each protocol's SDK reads it. */
function errorCode(format: Format, answer: Answer): string | undefined {
  const body = answer.body?.toString('utf8') ?? '';
  switch (format) {
    case 'json': {
      try {
        const type = (JSON.parse(body) as { __type?: string }).__type ?? '';
        return type.slice(type.indexOf('#') + 1);
      } catch {
        return undefined;
      }
    }
    case 'query':
      return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
    case 'rest':
      return String(answer.headers?.['x-amzn-errortype'] ?? '') || undefined;
  }
}

/** What is wrong with an answer, or undefined. */
function judge(request: FuzzRequest, answer: Answer): string | undefined {
  if (answer.error !== undefined) return `dropped: ${answer.error}`;
  const status = answer.status ?? 0;
  if (status >= 500) return `server error ${status}`;
  if (status < 200 || (status >= 300 && status < 400)) return `unexpected status ${status}`;
  const { expected } = request;
  if (status !== expected.status) return `status ${status} (${errorCode(expected.format, answer) ?? '-'}), expected ${expected.status} ${expected.code ?? ''}`;
  if (expected.code !== undefined && (request.method !== 'HEAD' || expected.format === 'rest')) {
    // (A HEAD answer has no body: only REST-JSON names its error in a header.)
    const code = errorCode(expected.format, answer);
    if (code !== expected.code) return `error code ${code}, expected ${expected.code}`;
  } else if (request.method !== 'HEAD') {
    const body = answer.body?.toString('utf8') ?? '';
    if (expected.format === 'query' && !/^<\?xml version="1\.0"\?><\w+Response xmlns="[^"]+">/.test(body)) return 'success without a Query XML response';
    if (expected.format === 'json') JSON.parse(body);
  }
  return undefined;
}

function describeRequest(request: FuzzRequest): string {
  const body = request.body.length > 300 ? `${request.body.subarray(0, 300).toString('latin1')}… (${request.body.length} bytes)` : request.body.toString('latin1');
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}… (${request.url.length} chars)` : request.url;
  return `${request.label}: ${request.method} ${url} ${JSON.stringify(request.headers)} body=${JSON.stringify(body)}`;
}

interface Outcome {
  failures: string[];
  statuses: Map<number, number>;
  successes: Map<string, number>;
}

async function fuzz(port: number, requests: FuzzRequest[], seed: number): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const outcome: Outcome = { failures: [], statuses: new Map(), successes: new Map() };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index];
      const answer = await send(agent, port, request);
      if (answer.status !== undefined) outcome.statuses.set(answer.status, (outcome.statuses.get(answer.status) ?? 0) + 1);
      if (answer.status !== undefined && answer.status < 300) outcome.successes.set(request.label, (outcome.successes.get(request.label) ?? 0) + 1);
      let problem: string | undefined;
      try {
        problem = judge(request, answer);
      } catch (error) {
        problem = `unreadable answer: ${(error as Error).message}`;
      }
      if (problem && outcome.failures.length < 25) {
        const got = answer.body ? answer.body.subarray(0, 300).toString('utf8') : '';
        outcome.failures.push(`#${index} (FUZZ_SEED=${seed}) ${problem}\n  ${describeRequest(request)}\n  answer: ${got}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return outcome;
}

function summary(outcome: Outcome): string {
  const statuses = [...outcome.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  const ok2xx = [...outcome.successes].sort().map(([label, n]) => `${label}×${n}`).join(', ');
  return `statuses ${statuses}; 2xx (oracle-valid) by class: ${ok2xx || 'none'}`;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let port: number;
before(async () => {
  server = await startTestServer({ services: probeModules() });
  port = Number(new URL(server.url).port);
});
after(() => server.stop());

describe('fuzzing each wire protocol', () => {
  const protocols: [string, number, (rng: Rng) => Omit<FuzzRequest, 'expected'>][] = [
    ['AWS JSON', 1, generateJson],
    ['AWS Query', 2, generateQuery],
    ['REST-JSON', 3, generateRest],
  ];
  for (const [name, salt, generate] of protocols) {
    test(`${name}: ${PER_PROTOCOL} random requests get the answer their oracle names, never a 5xx or a dropped connection`, async (t) => {
      const seed = (SEED ^ (salt * 0x9e3779b1)) >>> 0;
      const rng = new Rng(seed);
      const requests = Array.from({ length: PER_PROTOCOL }, () => draw(rng, generate));
      const outcome = await fuzz(port, requests, SEED);
      t.diagnostic(summary(outcome));
      assert.deepEqual(outcome.failures, [], `${outcome.failures.length}+ bad answers:\n${outcome.failures.join('\n')}`);
      const refused = [...outcome.statuses].filter(([status]) => status >= 400 && status < 500).reduce((sum, [, n]) => sum + n, 0);
      assert.ok(refused > PER_PROTOCOL / 2, `only ${refused} of ${PER_PROTOCOL} refused: the generators have drifted towards valid requests`);
    });
  }

  test('the oracles themselves: valid examples are valid, garbage is not', () => {
    // Guards against an oracle that passes everything because it expects whatever happens.
    assert.deepEqual(expectFor('POST', '/', { 'X-Amz-Target': 'AmazonSQS.GetQueueUrl' }, Buffer.from('{"QueueName":"q"}')), ok('json'));
    assert.deepEqual(expectFor('POST', '/', { 'X-Amz-Target': 'AmazonSQS.GetQueueUrl' }, Buffer.from('{"QueueName":1}')), fail('json', 'SerializationException'));
    assert.deepEqual(expectFor('POST', '/', { 'X-Amz-Target': 'AWSEvents.PutEvents' }, Buffer.from('{"Entries":[{"Time":1e300}]}')), fail('json', 'SerializationException'));
    assert.deepEqual(expectFor('POST', '/', { 'X-Amz-Target': 'AWSEvents.PutEvents' }, Buffer.from('{"Entries":[]}')), fail('json', 'ValidationException'));
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    assert.deepEqual(expectFor('POST', '/', form, Buffer.from('Action=CreateTopic&Name=x&Attributes.entry.1')), ok('query'));
    assert.deepEqual(expectFor('POST', '/', form, Buffer.from('Action=CreateTopic&Name=x&Attributes')), fail('query', 'ValidationError'));
    assert.deepEqual(expectFor('POST', '/', form, Buffer.from('Action=CreateTopic&Name=x&Tags.member.1.Key=k')), fail('query', 'ValidationError'));
    assert.deepEqual(expectFor('POST', '/', form, Buffer.from('Action=Create%zz')), fail('query', 'MalformedQueryString'));
    assert.deepEqual(expectFor('POST', '/', { ...form, Authorization: AUTHS[3] as string }, Buffer.from('Action=GetQueueUrl&QueueName=q')), fail('query', 'InvalidAction'));
    assert.deepEqual(expectFor('POST', '/2015-03-31/functions/f/invocations', { 'X-Amz-Invocation-Type': 'Event' }, Buffer.from([0xff])), ok('rest', 202));
    assert.equal(expectFor('POST', '/2015-03-31/functions/f/invocations', {}, Buffer.from([0xff])), PROBE_CRASH);
    assert.deepEqual(expectFor('GET', '/2015-03-31/functions/%zz', {}, Buffer.alloc(0)), fail('rest', 'UnknownOperationException', 404));
    assert.deepEqual(expectFor('GET', '/2015-03-31/functions?MaxItems=0', {}, Buffer.alloc(0)), fail('rest', 'ValidationException'));
    assert.deepEqual(expectFor('POST', '/', form, Buffer.from('Action=ListTopics&Action=ListTopics')), fail('query', 'InvalidQueryParameter'));
    assert.deepEqual(expectFor('POST', '/2015-03-31/functions/f', form, Buffer.from('Action=ListTopics')), fail('rest', 'UnknownOperationException', 404));
    assert.deepEqual(expectFor('POST', '/', { ...form, Authorization: AUTHS[4] as string }, Buffer.from('Action=ListTopics')), fail('rest', 'UnknownOperationException', 404));
    assert.deepEqual(expectFor('POST', '/', { ...form, Authorization: AUTHS[14] as string }, Buffer.from('Action=ListTopics')), fail('query', 'SignatureDoesNotMatch', 403));
    assert.deepEqual(expectFor('POST', '/', { 'X-Amz-Target': 'AmazonSQS.GetQueueUrl', Authorization: AUTHS[7] as string }, Buffer.from('{}')), fail('json', 'InvalidSignatureException'));
    assert.deepEqual(expectFor('GET', '/2015-03-31/functions', { Authorization: AUTHS[15] as string }, Buffer.alloc(0)), fail('rest', 'InvalidSignatureException', 403));
  });
});

describe('raw TCP garbage', () => {
  interface Exchange {
    data: string;
    timedOut: boolean;
    error?: string;
  }

  function exchange(payload: Buffer, halfClose: boolean): Promise<Exchange> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let data = '';
      let error: string | undefined;
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ data, timedOut: true, error });
      }, 5000);
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ data, timedOut: false, error });
      });
      socket.write(payload, () => {
        if (halfClose) socket.end();
      });
    });
  }

  const rng = new Rng((SEED ^ 0xbadc0de) >>> 0);
  const tls = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), rng.bytes(160)]);
  const cases: [string, Buffer, boolean][] = [
    ['random bytes', rng.bytes(512), true],
    ['random printable text', Buffer.from(rng.string(300, PRINTABLE)), true],
    ['a TLS ClientHello', tls, false],
    ['an HTTP/2 preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), false],
    ['an unknown method', Buffer.from('HELLO WORLD\r\n\r\n'), false],
    ['a header line without a colon', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nBadHeaderLine\r\n\r\n'), false],
    ['a space in a header name', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'), false],
    ['a bare CR in a header value', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n'), false],
    ['a NUL in the request target', Buffer.from('GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n'), false],
    ['an unknown HTTP version', Buffer.from('GET / HTTP/9.9\r\nHost: x\r\n\r\n'), false],
    ['a non-numeric Content-Length', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'), false],
    ['two different Content-Lengths', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'), false],
    ['Content-Length with Transfer-Encoding', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'), false],
    ['an invalid chunk size', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'), false],
    ['an unknown transfer coding', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc'), false],
    ['an obsolete folded header', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n'), false],
    ['no Host header', Buffer.from('GET / HTTP/1.1\r\n\r\n'), false],
    ['a 100 KB header', Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`), false],
    ['a 100 KB request line', Buffer.from(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`), false],
    ['an unfinished request, then EOF', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-'), true],
    ['a body shorter than its Content-Length, then EOF', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonSQS.GetQueueUrl\r\nContent-Length: 100\r\n\r\n{"Queue'), true],
    ['blank lines only, then EOF', Buffer.from('\r\n\r\n\r\n'), true],
  ];

  for (const [name, payload, halfClose] of cases) {
    test(`${name}: a 400 or a closed socket`, async () => {
      const result = await exchange(payload, halfClose);
      assert.equal(result.timedOut, false, `the server neither answered nor closed (got ${JSON.stringify(result.data.slice(0, 100))})`);
      const statusLines = result.data.match(/HTTP\/1\.1 \d{3}/g) ?? [];
      assert.ok(statusLines.every((line) => line === 'HTTP/1.1 400'), `answered ${JSON.stringify(result.data.slice(0, 200))}`);
    });
  }

  test('a valid request, then garbage on the same connection: the request is answered, then a 400', async () => {
    const payload = Buffer.from('GET /_stratus/health HTTP/1.1\r\nHost: x\r\n\r\n\x00\x01garbage\r\n\r\n');
    const result = await exchange(payload, false);
    assert.equal(result.timedOut, false);
    // (The health answer is written while the request is parsed, so it goes out before the 400.)
    assert.deepEqual(result.data.match(/HTTP\/1\.1 \d{3}/g), ['HTTP/1.1 200', 'HTTP/1.1 400']);
  });
});

describe('after all that', () => {
  test('the server is healthy and the SDKs still work over each protocol', async () => {
    const health = await getJson(`${server.url}/_stratus/health`);
    assert.equal(health.status, 200);
    assert.equal((health.body as { status: string }).status, 'running');
    const queue = await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'after-fuzz' }));
    assert.equal(queue.QueueUrl, `${server.url}/000000000000/after-fuzz`);
    const topic = await server.client(SNSClient).send(new CreateTopicCommand({ Name: 'after-fuzz' }));
    assert.equal(topic.TopicArn, 'arn:aws:sns:us-east-1:000000000000:after-fuzz');
    const fn = await server.client(LambdaClient).send(new GetFunctionCommand({ FunctionName: 'after-fuzz' }));
    assert.equal(fn.Configuration?.FunctionName, 'after-fuzz');
  });
});
