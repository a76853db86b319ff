/**
 * Mapping-template conformance: the cases of test/conformance/apigateway/vtl/given.json (templates,
 * requests and what AWS answered) rendered through the pure renderer.
 *
 * Each case runs as API Gateway runs a non-proxy integration: the request template (chosen by the
 * request's Content-Type, application/json by default) renders over the method request; then the
 * integration answers — MOCK: the status code is the `statusCode` of the rendered request template
 * and the body is empty; HTTP to an echo server: the httpbin-style `/post` echo (`{"json": …,
 * "data": …}`) or the raw echo the case names; an AWS Lambda integration that echoes its event;
 * SQS's JSON answer to SendMessage — and the response template renders over that answer with the
 * `$context` the request template left. The output is compared to `recorded` (placeholders such as
 * `<uuid:1>` match any string).
 *
 * The same cases run again end to end: an API built through @aws-sdk/client-api-gateway as the
 * case's test built it, deployed and invoked over HTTP, with a local echo server standing in for
 * httpbin, a real Lambda function that returns its event, and a real SQS queue.
 *
 * Cases whose recorded value is not produced by templates are skipped, by id, with the reason.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ACCOUNT, REGION, ROLE, arnOf, createFunction, makeZip } from '../functions/control-plane-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method, startBackend } from './rest-data-support.js';
import { mockStatusCode } from '../../src/gateway/engine/vtl/mock.js';
import { renderTemplate, type TemplateInput } from '../../src/gateway/engine/vtl/render.js';

/** dist/test/gateway/ → the repository root. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SET = join(ROOT, 'test', 'conformance', 'apigateway', 'vtl', 'given.json');

interface VtlCase {
  id: string;
  route: string | null;
  recordKey: string;
  integrationType: 'MOCK' | 'HTTP' | 'AWS';
  integrationUri?: { $expr: string } | string;
  requestTemplates?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  requestParameters?: Record<string, string>;
  request: {
    method: string;
    pathFromStageUrl: string;
    json?: unknown;
    data?: string | { $bytes: string };
    headers?: Record<string, string> | { $expr: string };
  };
  recordedFrom: string;
  recorded: unknown;
}

/** Cases whose recorded value comes from something other than the templates, with why. */
const NOT_TEMPLATE_OUTPUT: Record<string, string> = {
  'tests/aws/services/apigateway/test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id#normal-req-headers-MOCK':
    'records the response headers (x-amzn-requestid, via, x-cache…): the data plane, not the templates',
  'tests/aws/services/apigateway/test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator_with_ref_models#failed-validation':
    'the 400 "Invalid request body" comes from the request validator before any template runs',
  'tests/aws/services/apigateway/test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator_with_ref_one_ofmodels#failed-validation-no-data':
    'the 400 "Invalid request body" comes from the request validator before any template runs',
  'tests/aws/services/apigateway/test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator_with_ref_one_ofmodels#failed-validation-bad-data':
    'the 400 "Invalid request body" comes from the request validator before any template runs',
  'tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_selection_patterns#lambda-selection-pattern-200':
    'the answer is the Lambda function\'s own output ("Pass") picked by a selection pattern: needs the function and the data plane',
  'tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_selection_patterns#lambda-selection-pattern-400':
    'the answer is the Lambda function\'s error (errorMessage, stackTrace) picked by a selection pattern: needs the function and the data plane',
  'tests/aws/services/apigateway/test_apigateway_lambda.py::test_lambda_selection_patterns#lambda-selection-pattern-500':
    'the answer is the Lambda function\'s error (errorMessage, stackTrace) picked by a selection pattern: needs the function and the data plane',
};

/** Python's `json.dumps` (what `requests` sends for `json=`): `, ` and `: ` separators, ASCII only. */
function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
  if (Array.isArray(value)) return '[' + value.map(pythonJson).join(', ') + ']';
  return '{' + Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ') + '}';
}

/** A Python bytes repr (`b'...'`) back to its text. */
function fromBytesRepr(repr: string): string {
  const match = /^b(['"])([\s\S]*)\1$/.exec(repr);
  assert.ok(match, `not a bytes repr: ${repr}`);
  return match[2]!.replace(/\\(x[0-9a-f]{2}|.)/g, (_m, esc: string) => {
    if (esc.startsWith('x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[esc] ?? esc;
  });
}

/** Recorded values with LocalStack's placeholders (`<uuid:1>`) match any string there. */
function matchesRecorded(actual: unknown, recorded: unknown, path = '$'): void {
  if (typeof recorded === 'string' && /^<[a-z-]+:\d+>$/.test(recorded)) {
    assert.equal(typeof actual, 'string', `${path}: expected a string for ${recorded}`);
    return;
  }
  if (recorded !== null && typeof recorded === 'object') {
    assert.equal(typeof actual, 'object', `${path}: expected an object`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(recorded).sort(), `${path}: keys`);
    for (const [key, value] of Object.entries(recorded)) matchesRecorded((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.deepEqual(actual, recorded, path);
}

function requestBody(c: VtlCase): { body: string; contentType: string | undefined } {
  const headers = c.request.headers && !('$expr' in c.request.headers) ? c.request.headers : {};
  const headerType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (c.request.json !== undefined) return { body: pythonJson(c.request.json), contentType: headerType ?? 'application/json' };
  if (typeof c.request.data === 'string') return { body: c.request.data, contentType: headerType };
  if (c.request.data) return { body: c.request.data.$bytes, contentType: headerType };
  return { body: '', contentType: headerType };
}

function querystring(pathFromStageUrl: string): Record<string, string> {
  const query = pathFromStageUrl.includes('?') ? pathFromStageUrl.slice(pathFromStageUrl.indexOf('?') + 1) : '';
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) out[key] = value;
  return out;
}

/** API Gateway picks the template by Content-Type, and application/json when the request has none. */
function pickTemplate(templates: Record<string, string> | undefined, contentType: string | undefined): string | undefined {
  if (!templates) return undefined;
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  return templates[type] ?? (contentType === undefined ? Object.values(templates)[0] : undefined);
}

function baseContext(c: VtlCase): Record<string, unknown> {
  return {
    requestId: '5f0f7a2c-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
    httpMethod: c.request.method,
    stage: 'dev',
    resourcePath: '/' + (c.request.pathFromStageUrl.replace(/^\//, '').split('?')[0] ?? ''),
    identity: { sourceIp: '127.0.0.1', userAgent: 'python-requests/2.32' },
  };
}

interface Outcome {
  status: number;
  body: string;
}

/** What the integration answers, from the rendered integration request. */
function integrate(c: VtlCase, integrationBody: string, rendered: boolean): Outcome {
  const uri = typeof c.integrationUri === 'string' ? c.integrationUri : c.integrationUri?.$expr ?? '';
  if (c.integrationType === 'MOCK') {
    // MOCK: the rendered request template's `statusCode` picks the integration response; no body.
    const status = mockStatusCode(integrationBody);
    assert.ok(status !== undefined, `MOCK request template gave no statusCode: ${integrationBody}`);
    return { status, body: '' };
  }
  if (c.integrationType === 'HTTP' && uri === 'echo_http_server_post') {
    // httpbin.org /post: the posted body as `data`, and parsed as `json` when it is JSON (else null).
    let json: unknown = null;
    try {
      json = JSON.parse(integrationBody);
    } catch {
      json = null;
    }
    return { status: 200, body: JSON.stringify({ args: {}, data: integrationBody, json, url: 'http://echo/post' }) };
  }
  if (c.integrationType === 'HTTP' && uri === 'echo_endpoint_url') return { status: 200, body: integrationBody };
  if (c.integrationType === 'AWS' && uri === 'target_uri') {
    // The test's Lambda function returns the event it received: the rendered template.
    void rendered;
    return { status: 200, body: integrationBody };
  }
  if (c.integrationType === 'AWS' && uri.includes(':sqs:path/')) {
    // SQS answers SendMessage (query protocol, Accept: application/json) with this JSON envelope.
    return {
      status: 200,
      body: JSON.stringify({
        SendMessageResponse: {
          ResponseMetadata: { RequestId: 'c2a8a3f1-6a1e-5d4b-9f0e-1a2b3c4d5e6f' },
          SendMessageResult: { MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e', MessageId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
        },
      }),
    };
  }
  throw new Error(`no stand-in for the ${c.integrationType} integration ${uri}`);
}

function run(c: VtlCase): Outcome & { headers: Record<string, string> } {
  const { body, contentType } = requestBody(c);
  const headers = c.request.headers && !('$expr' in c.request.headers) ? { ...c.request.headers } : {};
  const input: TemplateInput = {
    body,
    params: { path: {}, querystring: querystring(c.request.pathFromStageUrl), header: headers },
    context: baseContext(c),
    stageVariables: {},
  };
  const requestTemplate = pickTemplate(c.requestTemplates, contentType);
  let integrationBody = body;
  let context = input.context;
  if (requestTemplate !== undefined) {
    const result = renderTemplate(requestTemplate, input);
    integrationBody = result.output;
    context = result.context;
  }
  const answer = integrate(c, integrationBody, requestTemplate !== undefined);
  // The integration response's template is chosen by the method's Accept/Content-Type: application/json here.
  const responseTemplate = pickTemplate(c.responseTemplates, 'application/json');
  if (responseTemplate === undefined) return { ...answer, headers: {} };
  const result = renderTemplate(responseTemplate, {
    body: answer.body,
    params: input.params,
    context,
    stageVariables: {},
  });
  return { status: result.overrides.status ?? answer.status, body: result.output, headers: result.overrides.responseHeader };
}

function compare(c: VtlCase, outcome: Outcome): void {
  const from = c.recordedFrom;
  if (from.endsWith("['status_code']")) {
    assert.equal(outcome.status, c.recorded);
    return;
  }
  if (typeof c.recorded === 'string' && /^b['"]/.test(c.recorded)) {
    assert.equal(outcome.body, fromBytesRepr(c.recorded));
    return;
  }
  if (from === 'response.text') {
    assert.equal(outcome.body, c.recorded);
    return;
  }
  // response.json(), response, response_data, response_data.json(): the body parsed as JSON.
  matchesRecorded(JSON.parse(outcome.body), c.recorded);
}

const cases = JSON.parse(readFileSync(SET, 'utf8')) as VtlCase[];

describe('API Gateway mapping templates: recorded conformance cases', () => {
  test('the set holds the 39 given cases', () => {
    assert.equal(cases.length, 39);
  });

  for (const c of cases) {
    const skip = NOT_TEMPLATE_OUTPUT[c.id];
    test(c.id.replace(/^tests\/aws\/services\/apigateway\//, ''), skip ? { skip } : {}, () => {
      compare(c, run(c));
    });
  }
});

/** httpbin.org `/post`'s answer shape: the body as `data`, parsed as `json` when it is JSON. */
function httpbinAnswer(body: string, url: string): string {
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  return JSON.stringify({ args: {}, data: body, files: {}, form: {}, json, url });
}

describe('API Gateway mapping templates: recorded conformance cases end to end', () => {
  let server: TestServer;
  let client: apigw.APIGatewayClient;
  let httpbin: Awaited<ReturnType<typeof startBackend>>;
  let rawEcho: Awaited<ReturnType<typeof startBackend>>;

  before(async () => {
    server = await startTestServer();
    client = server.client(apigw.APIGatewayClient);
    httpbin = await startBackend((req) => ({ body: httpbinAnswer(req.body, req.url) }));
    rawEcho = await startBackend((req) => ({ body: req.body }));
    // test_lambda_aws_integration_with_request_template's function answers with the event it got.
    await createFunction(server.client(LambdaClient), 'vtl-echo', { Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async (event) => event;' }) } });
    await server.client(SQSClient).send(new CreateQueueCommand({ QueueName: 'vtl-queue' }));
  });
  after(async () => {
    await httpbin?.close();
    await rawEcho?.close();
    await server?.stop();
  });

  function integrationFor(c: VtlCase): Omit<apigw.PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'> {
    const uri = typeof c.integrationUri === 'string' ? c.integrationUri : c.integrationUri?.$expr ?? '';
    const common = { requestTemplates: c.requestTemplates, requestParameters: c.requestParameters };
    if (c.integrationType === 'MOCK') return { type: 'MOCK', ...common };
    if (uri === 'echo_http_server_post') return { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${httpbin.url}/post`, ...common };
    if (uri === 'echo_endpoint_url') return { type: 'HTTP', integrationHttpMethod: 'POST', uri: `${rawEcho.url}/echo`, ...common };
    if (uri === 'target_uri') {
      const lambdaUri = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf('vtl-echo')}/invocations`;
      return { type: 'AWS', integrationHttpMethod: 'POST', uri: lambdaUri, credentials: ROLE, ...common };
    }
    if (uri.includes(':sqs:path/')) {
      return { type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/vtl-queue`, credentials: ROLE, passthroughBehavior: 'NEVER', ...common };
    }
    throw new Error(`no stand-in for ${uri}`);
  }

  let counter = 0;
  for (const c of cases) {
    const skip = NOT_TEMPLATE_OUTPUT[c.id];
    test(c.id.replace(/^tests\/aws\/services\/apigateway\//, ''), skip ? { skip } : {}, async () => {
      const route = c.route ? `/${c.route}` : '/';
      const built = await buildApi(client, `vtl-${++counter}`, route === '/' ? [] : [route]);
      await method(client, built, route, c.request.method, integrationFor(c), {
        responses: [{ statusCode: '200', selectionPattern: '', responseTemplates: c.responseTemplates }],
      });
      await deploy(client, built.apiId, 'dev');
      const { body, contentType } = requestBody(c);
      const headers: Record<string, string> = c.request.headers && !('$expr' in c.request.headers) ? { ...c.request.headers } : {};
      if (c.request.json !== undefined) headers['Content-Type'] = contentType!;
      const path = c.request.pathFromStageUrl.startsWith('/') ? c.request.pathFromStageUrl : `/${c.request.pathFromStageUrl}`;
      const answer = await invoke(server, built.apiId, 'dev', path, {
        method: c.request.method,
        headers,
        // Bytes, so fetch adds no Content-Type of its own (python-requests sends none for `data=`).
        body: c.request.method === 'GET' || c.request.method === 'HEAD' ? undefined : new Uint8Array(Buffer.from(body)),
      });
      compare(c, { status: answer.status, body: answer.text });
    });
  }

  test('a template that fails — to parse, or while rendering, in the request or the response template — is 500 Internal server error', async () => {
    const built = await buildApi(client, 'vtl-failures', ['/parse', '/request', '/response', '/index']);
    const ok = { 'application/json': '{"statusCode": 200}' };
    await method(client, built, '/parse', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '#if($x {"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await method(client, built, '/request', 'GET', { type: 'MOCK', requestTemplates: { 'application/json': '$util.parseJson("{not json"){"statusCode": 200}' } }, { responses: [{ statusCode: '200' }] });
    await method(client, built, '/response', 'GET', { type: 'MOCK', requestTemplates: ok }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '$util.base64Decode("***")' } }] });
    await method(client, built, '/index', 'GET', { type: 'MOCK', requestTemplates: ok }, { responses: [{ statusCode: '200', responseTemplates: { 'application/json': '#set($l = [1])$l.get(3)' } }] });
    await deploy(client, built.apiId, 'dev');
    for (const path of ['/parse', '/request', '/response', '/index']) {
      const answer = await invoke(server, built.apiId, 'dev', path);
      assert.equal(answer.status, 500, `${path}: ${answer.text}`);
      assert.deepEqual(answer.json(), { message: 'Internal server error' }, path);
    }
  });
});
