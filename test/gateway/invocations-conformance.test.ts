/**
 * The `invocations/` conformance set (test/conformance/apigateway/invocations/): each case's
 * control-plane calls are replayed through @aws-sdk/client-api-gateway, its HTTP request(s) sent
 * to the deployed stage, and the answer compared with what AWS answered.
 *
 * Each case names its values by the recording test's variables (`{"$expr": "resource_id"}`):
 * they are bound here as the test bound them — the API's id and root resource, a resource id to
 * the resource created last (the tests create a resource, then configure it), a validator or
 * deployment id to the last one created, Lambda integration URIs to a function written for the
 * test (the recording test's function, rewritten for Node.js: which one is chosen by the test's
 * name), echo servers to a local one (httpbin's `/post` shape, or the body as sent). Placeholders
 * in recorded values (`<uuid:1>`) match any value.
 *
 * Cases skip, with the reason, when what they need is not served: S3 (not a service Stratus serves), and setups or requests the
 * case does not record (made by a fixture or helper whose calls the recording left out, an
 * OpenAPI document read from a file, a request path built in code).
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ACCOUNT, REGION, ROLE, arnOf, createFunction, makeZip } from '../functions/control-plane-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { compareProxyEvent, looksLikeProxyEvent } from './proxy-event-compare.js';
import { startBackend } from './rest-data-support.js';

interface Case {
  id: string;
  testNodeId: string;
  recordKey: string;
  fixtures?: string[];
  setup: { call: string; params: Record<string, unknown> }[];
  requests: Record<string, RecordedRequest>;
  recordedFrom: string;
  recorded: unknown;
}

interface RecordedRequest {
  method: string | null | { $expr: string };
  url: string | null;
  pathFromStageUrl?: string;
  json?: unknown;
  data?: string | { $bytes: string } | { $expr: string };
  headers?: Record<string, string> | { $expr: string };
  params?: Record<string, string | string[]>;
  '**'?: unknown;
}

const casesFile = fileURLToPath(new URL('../../../test/conformance/apigateway/invocations/given.json', import.meta.url));
const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as Case[];

let server: TestServer;
let client: apigw.APIGatewayClient;
let httpbin: Awaited<ReturnType<typeof startBackend>>;
let echo: Awaited<ReturnType<typeof startBackend>>;
const QUEUE = 'invocations-queue';

/** The recording tests' functions, rewritten for Node.js, by what the test names. */
const FUNCTIONS: Record<string, string> = {
  'echo-event': 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });',
  'answer-body': 'exports.handler = async (event) => JSON.parse(event.body);',
  echo: 'exports.handler = async (event) => event;',
  'select-pattern': `exports.handler = async (event) => {
  if (event.statusCode === '400') throw new Error('Error: Raising four hundred from within the Lambda function');
  if (event.statusCode === '500') throw new Error('Error: Raising five hundred from within the Lambda function');
  return 'Pass';
};`,
};

function functionFor(testNodeId: string): string {
  if (testNodeId.includes('payload_format_validation')) return 'answer-body';
  if (testNodeId.includes('test_lambda_selection_patterns')) return 'select-pattern';
  if (/test_lambda_aws_integration(\b|_with_request_template)/.test(testNodeId)) return 'echo';
  return 'echo-event';
}

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  const lambda = server.client(LambdaClient);
  for (const [name, code] of Object.entries(FUNCTIONS)) await createFunction(lambda, `inv-${name}`, { Code: { ZipFile: await makeZip({ 'index.js': code }) } });
  await server.client(SQSClient).send(new CreateQueueCommand({ QueueName: QUEUE }));
  // httpbin.org's /post: what the echo_http_server_post fixture stands for.
  httpbin = await startBackend((req) => {
    let json: unknown = null;
    try {
      json = JSON.parse(req.body);
    } catch {
      json = null;
    }
    return { body: JSON.stringify({ args: {}, data: req.body, files: {}, form: {}, headers: req.headers, json, origin: '127.0.0.1', url: `http://localhost${req.url}` }) };
  });
  // The body as sent (echo_endpoint_url).
  echo = await startBackend((req) => ({ body: req.body, headers: { 'Content-Type': String(req.headers['content-type'] ?? 'application/json') } }));
});
after(async () => {
  await httpbin.close();
  await echo.close();
  await server.stop();
});

class Skip extends Error {}

/** Why a case is not this branch's to pass, or undefined. */
function outOfScope(c: Case): string | undefined {
  const calls = c.setup.map((s) => s.call.split('.')[1]);
  const text = JSON.stringify(c.setup);
  if (c.testNodeId.includes('test_apigateway_s3')) return 'an S3 integration: Stratus serves no S3';
  if (!calls.includes('put_method') && !calls.includes('put_integration')) return 'the API was set up by a fixture or helper whose calls the case does not record';
  return undefined;
}

interface Env {
  apiId: string;
  rootId: string;
  lastResource?: string;
  lastResourcePath: string;
  paths: Map<string, string>;
  validatorId?: string;
  deploymentId?: string;
  stage?: string;
  functionName: string;
  setup: Case['setup'];
}

const functionUri = (env: Env): string => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf(`inv-${env.functionName}`)}/invocations`;

function lookup(name: string, env: Env, key: string): unknown {
  switch (name) {
    case 'api_id':
    case 'rest_api_id':
      return env.apiId;
    case 'root':
    case 'root_id':
    case 'root_resource_id':
      return env.rootId;
    case 'role_arn':
      return ROLE;
    case 'lambda_arn':
      return arnOf(`inv-${env.functionName}`);
    case 'target_uri':
      return functionUri(env);
    case 'validator_id':
      return env.validatorId;
    case 'deployment_id':
      return env.deploymentId;
    case 'TEST_STAGE_NAME':
      return 'testing';
    case 'echo_http_server_post':
      return `${httpbin.url}/post`;
    case 'echo_endpoint_url':
      return `${echo.url}/echo`;
    case 'region':
    case 'region_name':
    case 'aws_client.apigateway.meta.region_name':
      return REGION;
    case 'account_id':
      return ACCOUNT;
    case 'queue_name':
      return QUEUE;
  }
  if (/resource/.test(name) && (key === 'resourceId' || key === 'parentId')) {
    // A resource variable: the tests create a resource, then configure it (reusing one name for
    // each new resource, or naming each): the resource created last.
    // A name that says which (`resource_id_proxy`, `proxy_resource_id`) takes the resource of that path part.
    const token = name.replace(/resource|_?ids?_?|_/gi, '').toLowerCase();
    if (token !== '') {
      for (const [id, path] of env.paths) if (path.split('/').pop()!.replace(/[{}+]/g, '').toLowerCase() === token) return id;
    }
    if (!env.lastResource) throw new Skip(`the resource ${name} was created by a helper the case does not record`);
    return env.lastResource;
  }
  throw new Skip(`the case names a value the recording does not hold: ${name}`);
}

/** A Python literal (json.dumps's argument) as JSON: quotes, None/True/False. */
function pythonLiteral(text: string, env: Env): unknown {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    const fString = ch === 'f' && (text[i + 1] === "'" || text[i + 1] === '"') && !/\w/.test(text[i - 1] ?? '');
    if (ch === "'" || ch === '"' || fString) {
      const quote = fString ? text[i + 1] : ch;
      let j = i + (fString ? 2 : 1);
      let value = '';
      while (j < text.length && text[j] !== quote) value += text[j++];
      if (fString) value = value.replace(/\{([\w.]+)\}/g, (_, n: string) => String(lookup(n, env, '')));
      out += JSON.stringify(value);
      i = j;
    } else out += ch;
  }
  return JSON.parse(out.replace(/\bNone\b/g, 'null').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false'));
}

function evaluate(expr: string, env: Env, key: string): unknown {
  const fstring = /^f(['"])(.*)\1$/s.exec(expr);
  if (fstring) return fstring[2].replace(/\{([\w.]+)\}/g, (_, n: string) => String(lookup(n, env, key)));
  const dumps = /^json\.dumps\((.*)\)$/s.exec(expr);
  if (dumps) {
    if (dumps[1].includes('\u2026')) throw new Skip('the case holds a shortened expression');
    return JSON.stringify(pythonLiteral(dumps[1], env));
  }
  const fromKeys = /^dict\.fromkeys\((\w+)\.values\(\), True\)$/.exec(expr);
  if (fromKeys) {
    // The method declares, as required, every method request parameter its integration maps from.
    const mapped = env.setup.map((s) => s.params.requestParameters).find((p) => p && typeof p === 'object' && !('$expr' in (p as object)) && Object.values(p as object).every((v) => typeof v === 'string'));
    if (!mapped) throw new Skip(`the case computes a value in code: ${expr}`);
    return Object.fromEntries(Object.values(mapped as Record<string, string>).filter((v) => v.startsWith('method.request.')).map((v) => [v, true]));
  }
  if (/^[\w.]+$/.test(expr)) return lookup(expr, env, key);
  throw new Skip(`the case computes a value in code: ${expr.slice(0, 60)}`);
}

function resolve(value: unknown, env: Env, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, env, key));
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$expr === 'string') return evaluate(o.$expr, env, key);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = resolve(v, env, k);
    return out;
  }
  return value;
}

const camel = (snake: string): string => snake.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * Resources a test made with a helper (`create_rest_resource`) that the case does not record,
 * rebuilt from the request's path: a segment is a `{name}` parameter where the setup's templates
 * read `$input.params('name')` and the request sends no such query parameter or header.
 */
async function helperResources(c: Case, env: Env): Promise<void> {
  const firstUse = c.setup.findIndex((s) => ['resourceId', 'parentId'].some((k) => {
    const v = s.params[k] as { $expr?: string } | undefined;
    return v?.$expr !== undefined && /resource/.test(v.$expr);
  }));
  const firstCreate = c.setup.findIndex((s) => s.call.endsWith('.create_resource'));
  if (firstUse < 0 || (firstCreate >= 0 && firstCreate < firstUse)) return;
  const request = Object.values(c.requests)[0];
  const path = request?.pathFromStageUrl?.split('?')[0];
  if (!path || path === '/') throw new Skip('the resource was created by a helper and the request path does not name it');
  const text = JSON.stringify(c.setup);
  const sent = new Set([...Object.keys(request.params ?? {}), ...Object.keys(request.headers && !('$expr' in request.headers) ? request.headers : {})]);
  const readParams = [...text.matchAll(/\$input\.params\(\\?'(\w+)\\?'\)/g)].map((m) => m[1]).filter((n) => !sent.has(n));
  const segments = path.split('/').filter((p) => p !== '');
  let parentId = env.rootId;
  for (let i = 0; i < segments.length; i += 1) {
    const part = i === segments.length - 1 && readParams.length > 0 ? `{${readParams[0]}}` : segments[i];
    const out = await client.send(new apigw.CreateResourceCommand({ restApiId: env.apiId, parentId, pathPart: part }));
    parentId = out.id!;
    env.paths.set(out.id!, out.path!);
    env.lastResource = out.id!;
    env.lastResourcePath = out.path!;
  }
}

async function replay(c: Case, env: Env): Promise<void> {
  await helperResources(c, env);
  for (const step of c.setup) {
    const op = step.call.split('.')[1];
    const params = resolve(step.params, env) as Record<string, any>;
    const Command = (apigw as unknown as Record<string, new (input: unknown) => apigw.CreateResourceCommand>)[`${camel(op)}Command`];
    if (!Command) throw new Skip(`no SDK command for ${op}`);
    let out: Record<string, any>;
    try {
      out = (await client.send(new Command(params) as never)) as Record<string, any>;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      if (/UnknownOperation|not (yet )?(implemented|supported)/i.test(`${e.name} ${e.message}`) || e.$metadata?.httpStatusCode === 404 && /Unknown|route/i.test(e.message)) throw new Skip(`${op} is not on this branch yet (${e.name})`);
      throw new Error(`${op} failed: ${e.name}: ${e.message}`);
    }
    if (op === 'create_resource') {
      env.lastResource = out.id;
      env.paths.set(out.id, out.path);
      env.lastResourcePath = out.path;
    }
    if (op === 'create_request_validator') env.validatorId = out.id;
    if (op === 'create_deployment') {
      env.deploymentId = out.id;
      if (params.stageName) env.stage = params.stageName;
    }
    if (op === 'create_stage') env.stage = params.stageName;
  }
}

interface Sent {
  status: number;
  headers: Headers;
  body: Buffer;
}

async function send(recordedRequest: RecordedRequest, env: Env): Promise<Sent> {
  let r = recordedRequest;
  if (r['**'] !== undefined && typeof r['**'] === 'object' && r['**'] !== null) {
    if ('$expr' in (r['**'] as object)) throw new Skip('the request body is passed as **kwargs the case does not record');
    r = { ...r, ...(r['**'] as object) };
  }
  const method = r.method;
  if (method === null || typeof method !== 'string') throw new Skip('the request method is computed in code');
  if (r.pathFromStageUrl === undefined) throw new Skip('the request path is built in code and not recorded');
  if (!env.stage) throw new Skip('no stage');
  let path: string = r.pathFromStageUrl;
  if (path.startsWith('?')) {
    // Only a query string recorded: the invoke URL's path was the API's one resource.
    if (env.paths.size > 1) throw new Skip('the request path is built in code and not recorded');
    path = `${env.lastResourcePath === '/' ? '' : env.lastResourcePath}${path}`;
  }
  if (path === '') path = '/';
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (r.json !== undefined) {
    body = pythonJson(r.json);
    headers['Content-Type'] = 'application/json';
  } else if (typeof r.data === 'string') body = r.data;
  else if (r.data && '$bytes' in r.data) body = r.data.$bytes;
  else if (r.data) throw new Skip('the request body is computed in code');
  if (r.headers && !('$expr' in r.headers)) Object.assign(headers, r.headers);
  if (r.params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(r.params)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
    path += (path.includes('?') ? '&' : '?') + q.toString();
  }
  // Bytes, not a string: fetch would add a Content-Type of its own (python's requests adds none for data=).
  const res = await fetch(`${server.url}/restapis/${env.apiId}/${env.stage}/_user_request_${path}`, { method, headers, body: body === undefined ? undefined : Buffer.from(body) });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** JSON as Python's json.dumps writes it (what `requests` sends for `json=`): `", "` and `": "` separators. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

const isPlaceholder = (v: unknown): boolean => typeof v === 'string' && /^<[^>]+>$/.test(v);

/** Whether a value matches a recorded one: placeholders match any value, the rest exactly. */
function same(label: string, ours: unknown, recorded: unknown): void {
  if (isPlaceholder(recorded)) {
    assert.ok(ours !== undefined && ours !== null, `${label}: missing`);
    return;
  }
  if (Array.isArray(recorded)) {
    assert.ok(Array.isArray(ours), `${label}: not a list (${JSON.stringify(ours)})`);
    assert.equal(ours.length, recorded.length, `${label}: length`);
    recorded.forEach((r, i) => same(`${label}[${i}]`, (ours as unknown[])[i], r));
    return;
  }
  if (recorded !== null && typeof recorded === 'object') {
    assert.ok(ours !== null && typeof ours === 'object' && !Array.isArray(ours), `${label}: not an object (${JSON.stringify(ours)})`);
    assert.deepEqual(Object.keys(ours as object).sort(), Object.keys(recorded).sort(), `${label}: members`);
    for (const [k, v] of Object.entries(recorded)) same(`${label}.${k}`, (ours as Record<string, unknown>)[k], v);
    return;
  }
  assert.deepEqual(ours, recorded, label);
}

/** A Lambda error document: the function's errorMessage (the rest — errorType, stackTrace — is the recording's Python runtime's). */
function sameErrorDocument(label: string, ours: unknown, recorded: Record<string, unknown>): void {
  assert.equal((ours as Record<string, unknown>).errorMessage, recorded.errorMessage, `${label}: errorMessage`);
}

/** CloudFront's headers in front of API Gateway, and values that vary by nature. */
const EDGE = /^(via|x-amz-cf-id|x-amz-cf-pop|x-cache|server)$/i;
const VARYING = /^(content-length|date|connection)$/i;

function sameHeaders(label: string, ours: Headers, recorded: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(recorded)) {
    if (EDGE.test(name)) continue;
    const got = ours.get(name);
    assert.ok(got !== null, `${label}: ${name} missing (have ${[...ours.keys()].join(', ')})`);
    if (isPlaceholder(value) || VARYING.test(name) || typeof value !== 'string') continue;
    assert.equal(got, value, `${label}: ${name}`);
  }
}

function parseJson(body: Buffer, label: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    assert.fail(`${label}: not JSON: ${body.toString('utf8').slice(0, 200)}`);
  }
}

/** Python's repr of bytes (`b'…'`) as text. */
function bytesRepr(text: string): string | undefined {
  const m = /^b(['"])(.*)\1$/s.exec(text);
  if (!m) return undefined;
  return m[2].replace(/\\(x[0-9a-f]{2}|.)/gi, (_, e: string) => (e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === 'n' ? '\n' : e === 't' ? '\t' : e));
}

function compareContent(label: string, sent: Sent, recorded: unknown): void {
  if (typeof recorded === 'string') {
    const bytes = bytesRepr(recorded);
    assert.equal(sent.body.toString('utf8'), bytes ?? recorded, label);
    return;
  }
  same(label, parseJson(sent.body, label), recorded);
}

const apiIdOf = (event: unknown): string => ((event as { requestContext?: { apiId?: string } }).requestContext?.apiId ?? '');

/** Compares an answer with the recorded value, read as the test's `recordedFrom` expression read it. */
function compare(c: Case, answers: Map<string, Sent>): void {
  const from = c.recordedFrom;
  const recorded = c.recorded as Record<string, any>;
  const only = [...answers.values()][0];
  const dict = /^\{(.*)\}$/s.exec(from);
  if (dict) {
    // {'empty-body': empty_body_response.content, …} or {'body': x.json() if … else x.content, 'status_code': x.status_code}
    for (const part of dict[1].split(/,\s*(?=')/)) {
      const m = /^'([^']+)':\s*(\w+)\.(json\(\)|content|text|status_code)/.exec(part.trim());
      if (!m) throw new Skip(`recordedFrom is computed in code: ${from.slice(0, 60)}`);
      const answer = answers.get(m[2]) ?? only;
      const value = recorded[m[1]];
      if (m[3] === 'status_code') assert.equal(answer.status, value, `${m[1]}`);
      else compareContent(m[1], answer, value);
    }
    return;
  }
  const m = /^(\w+)(\.json\(\)|\.text|\.content)?$/.exec(from);
  if (!m) throw new Skip(`recordedFrom is computed in code: ${from.slice(0, 60)}`);
  const answer = answers.get(m[1]) ?? only;
  if (m[2] === '.json()') {
    const ours = parseJson(answer.body, 'body');
    if (looksLikeProxyEvent(recorded)) {
      if (!looksLikeProxyEvent(ours)) assert.fail(`not an event: ${answer.body.toString('utf8').slice(0, 300)}`);
      const request = [...Object.values(c.requests)][0];
      const sentHeaders = request.headers && !('$expr' in request.headers) ? Object.keys(request.headers) : [];
      compareProxyEvent(ours as Record<string, any>, recorded, apiIdOf(ours), sentHeaders);
      return;
    }
    if (recorded && typeof recorded === 'object' && 'errorMessage' in recorded && 'stackTrace' in recorded) sameErrorDocument('body', ours, recorded);
    else same(`body ${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`, ours, recorded);
    return;
  }
  if (m[2] === '.text' || m[2] === '.content') {
    compareContent('body', answer, recorded);
    return;
  }
  // A helper's return value: the headers, {content, headers}, {statusCode, body}, {body, status_code}, or the JSON body.
  if (/headers/.test(m[1])) {
    sameHeaders('headers', answer.headers, recorded);
    return;
  }
  if (recorded && typeof recorded === 'object' && !Array.isArray(recorded) && ('content' in recorded || 'status_code' in recorded || ('statusCode' in recorded && 'body' in recorded))) {
    if ('content' in recorded && looksLikeProxyEvent(recorded.content)) {
      const request = [...Object.values(c.requests)][0];
      const ours = parseJson(answer.body, 'content') as Record<string, any>;
      compareProxyEvent(ours, recorded.content, apiIdOf(ours), request.headers && !('$expr' in request.headers) ? Object.keys(request.headers) : []);
    } else if ('content' in recorded) compareContent('content', answer, recorded.content);
    if ('body' in recorded && !('content' in recorded)) compareContent('body', answer, recorded.body);
    if ('headers' in recorded && recorded.headers && typeof recorded.headers === 'object') sameHeaders('headers', answer.headers, recorded.headers);
    const status = recorded.status_code ?? (('body' in recorded && 'statusCode' in recorded) ? recorded.statusCode : undefined);
    if (typeof status === 'number') assert.equal(answer.status, status, 'status');
    return;
  }
  compareContent('body', answer, recorded);
}

for (const c of cases) {
  const reason = outOfScope(c);
  const name = `${c.testNodeId.split('::').slice(1).join('::')} #${c.recordKey}`;
  if (reason) {
    test(name, { skip: reason }, () => {});
    continue;
  }
  test(name, async (t) => {
    const api = await client.send(new apigw.CreateRestApiCommand({ name: `inv-${c.recordKey}`.slice(0, 60) }));
    const env: Env = { apiId: api.id!, rootId: api.rootResourceId!, lastResourcePath: '/', paths: new Map(), functionName: functionFor(c.testNodeId), setup: c.setup };
    try {
      await replay(c, env);
      // The apigw_redeploy_api fixture deploys the API again once the test has changed it.
      if ((c.fixtures ?? []).includes('apigw_redeploy_api') && env.stage) await client.send(new apigw.CreateDeploymentCommand({ restApiId: env.apiId, stageName: env.stage }));
      const answers = new Map<string, Sent>();
      for (const [key, request] of Object.entries(c.requests)) answers.set(key, await send(request, env));
      compare(c, answers);
    } catch (error) {
      if (error instanceof Skip) {
        t.skip(error.message);
        return;
      }
      throw error;
    }
  });
}
