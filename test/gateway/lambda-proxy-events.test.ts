/**
 * The Lambda proxy event (payload 1.0) against the events AWS delivered, recorded in
 * test/conformance/apigateway/lambda-proxy-events/: each case's request is rebuilt from what the
 * function received (method, the path as sent — `requestContext.path` keeps doubled slashes —,
 * query string, the client's own headers, body), sent to an API shaped like the recording test's
 * (`/{proxy+}` ANY and `/hardcoded` GET on stage `stage`; `/{pathVariable}` ANY with request
 * parameter mappings on stage `test`), and the event our function receives is compared with the
 * recorded one: every member present with the same type, placeholders (`<…>`) by shape, the rest
 * exactly. Headers CloudFront adds in front of API Gateway (CloudFront-*, Via, X-Amz-Cf-Id) are
 * not Stratus's to send.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { arnOf, createFunction, makeZip, REGION, ROLE } from '../functions/control-plane-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { compareProxyEvent, EDGE_HEADER, GATEWAY_HEADER, isPlaceholder } from './proxy-event-compare.js';
import { buildApi, deploy, invokeByHost, method } from './rest-data-support.js';

interface Case {
  id: string;
  recordKey: string;
  recorded: Record<string, any>;
}

const casesFile = fileURLToPath(new URL('../../../test/conformance/apigateway/lambda-proxy-events/given.json', import.meta.url));
const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as Case[];

let server: TestServer;
let proxyApi: string;
let mappingApi: string;

const ECHO_JS = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });';

before(async () => {
  server = await startTestServer();
  const client = server.client(apigw.APIGatewayClient);
  const lambda = server.client(LambdaClient);
  await createFunction(lambda, 'proxy-events', { Code: { ZipFile: await makeZip({ 'index.js': ECHO_JS }) } });
  const uri = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf('proxy-events')}/invocations`;
  const a = await buildApi(client, 'proxy-events', ['/{proxy+}', '/hardcoded']);
  await method(client, a, '/{proxy+}', 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri, credentials: ROLE });
  await method(client, a, '/hardcoded', 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri, credentials: ROLE });
  await deploy(client, a.apiId, 'stage');
  proxyApi = a.apiId;
  // test_lambda_aws_proxy_integration_request_data_mapping: mappings do not reach a proxy event.
  const b = await buildApi(client, 'proxy-mapping', ['/{pathVariable}']);
  await method(
    client,
    b,
    '/{pathVariable}',
    'ANY',
    {
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri,
      credentials: ROLE,
      requestParameters: {
        'integration.request.header.headerVar': 'method.request.header.foobar',
        'integration.request.path.qsVar': 'method.request.querystring.testVar',
        'integration.request.path.pathVar': 'method.request.path.pathVariable',
        'integration.request.querystring.queryString': 'method.request.querystring.testQueryString',
        'integration.request.querystring.testQs': 'method.request.querystring.testQueryString',
        'integration.request.querystring.testEmptyQs': 'method.request.header.emptyheader',
      },
    },
    {
      method: {
        requestParameters: {
          'method.request.header.foobar': true,
          'method.request.querystring.testVar': true,
          'method.request.path.pathVariable': true,
          'method.request.querystring.testQueryString': true,
          'method.request.header.emptyheader': true,
        },
      },
    },
  );
  await deploy(client, b.apiId, 'test');
  mappingApi = b.apiId;
});
after(() => server.stop());

function requestOf(event: Record<string, any>): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const stage = event.requestContext.stage as string;
  const sentPath = (event.requestContext.path as string).slice(stage.length + 1);
  const query: string[] = [];
  for (const [name, values] of Object.entries((event.multiValueQueryStringParameters ?? {}) as Record<string, string[]>)) for (const v of values) query.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((event.headers ?? {}) as Record<string, string>)) {
    if (EDGE_HEADER.test(name) || GATEWAY_HEADER.test(name) || isPlaceholder(value)) continue;
    headers[name] = value;
  }
  const body = event.body === null ? undefined : typeof event.body === 'string' ? event.body : JSON.stringify(event.body);
  return { method: event.httpMethod, path: `/${stage}${sentPath}${query.length ? `?${query.join('&')}` : ''}`, headers, body };
}

for (const c of cases) {
  test(c.recordKey, async () => {
    const recorded = (c.recorded.content ?? c.recorded) as Record<string, any>;
    const apiId = recorded.resource === '/{pathVariable}' ? mappingApi : proxyApi;
    const req = requestOf(recorded);
    const res = await invokeByHost(server, apiId, req.path, { method: req.method, headers: req.headers, body: req.body });
    assert.equal(res.status, 200, res.text);
    compareProxyEvent(JSON.parse(res.text) as Record<string, any>, recorded, apiId);
  });
}
