/**
 * Importing and exporting HTTP APIs as OpenAPI through @aws-sdk/client-apigatewayv2: ImportApi
 * (routes, Lambda and HTTP proxy integrations, JWT and Lambda authorizers, CORS, `$default`),
 * ReimportApi (the definition replaced, stages kept), ExportApi (JSON/YAML, with and without
 * extensions) and the export imported again. Bad documents get AWS's errors.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { rejectsWith } from '../support/aws-error.js';
import { hostOf, nodeFunction, send } from './http-api-support.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: v2.ApiGatewayV2Client;

before(async () => {
  server = await startTestServer();
  client = server.client(v2.ApiGatewayV2Client);
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:http-hello';
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`;

/** What SAM writes for an AWS::Serverless::HttpApi with a JWT authorizer, CORS and two functions. */
const samHttp = {
  openapi: '3.0.1',
  info: { title: 'sam-http', version: '2024-01-01' },
  paths: {
    '/hello/{name}': {
      get: {
        security: [{ jwt: ['read'] }],
        'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_URI, payloadFormatVersion: '2.0' },
      },
    },
    '/proxy/{proxy+}': {
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri: 'https://example.com/{proxy}', payloadFormatVersion: '1.0', timeoutInMillis: 5000 },
      },
    },
    '/$default': {
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: FUNCTION_ARN, payloadFormatVersion: '2.0' },
      },
    },
  },
  components: {
    securitySchemes: {
      jwt: {
        type: 'oauth2',
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          identitySource: '$request.header.Authorization',
          jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['client-1'] },
        },
      },
    },
  },
  'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: 300, allowCredentials: true },
};

/** Routes as key → { authorization, integration without ids }. */
async function shapeOf(apiId: string) {
  const routes = (await client.send(new v2.GetRoutesCommand({ ApiId: apiId }))).Items ?? [];
  const integrations = new Map(((await client.send(new v2.GetIntegrationsCommand({ ApiId: apiId }))).Items ?? []).map((i) => [i.IntegrationId, i]));
  const authorizers = new Map(((await client.send(new v2.GetAuthorizersCommand({ ApiId: apiId }))).Items ?? []).map((a) => [a.AuthorizerId, a]));
  const out: Record<string, unknown> = {};
  for (const r of routes) {
    const integration = integrations.get(r.Target?.replace('integrations/', ''));
    const { IntegrationId: _i, ...integrationRest } = integration ?? {};
    void _i;
    const authorizer = r.AuthorizerId === undefined ? undefined : authorizers.get(r.AuthorizerId);
    const { AuthorizerId: _a, ...authorizerRest } = authorizer ?? {};
    void _a;
    out[r.RouteKey!] = {
      AuthorizationType: r.AuthorizationType,
      AuthorizationScopes: r.AuthorizationScopes,
      authorizer: authorizer === undefined ? undefined : authorizerRest,
      integration: integration === undefined ? undefined : integrationRest,
    };
  }
  return out;
}

describe('ImportApi → ExportApi → ImportApi', () => {
  test('a SAM-style HTTP API: routes, integrations, JWT authorizer and CORS; the export imports to the same API', async () => {
    const imported = await client.send(new v2.ImportApiCommand({ Body: JSON.stringify(samHttp), FailOnWarnings: true }));
    assert.equal(imported.$metadata.httpStatusCode, 201);
    assert.equal(imported.Name, 'sam-http');
    assert.equal(imported.ProtocolType, 'HTTP');
    assert.equal(imported.Version, '2024-01-01');
    assert.equal(imported.RouteSelectionExpression, '${request.method} ${request.path}');
    assert.deepEqual(imported.CorsConfiguration, { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 300, AllowCredentials: true });
    assert.equal(imported.Warnings, undefined);
    const apiId = imported.ApiId!;

    const shape = await shapeOf(apiId);
    assert.deepEqual(Object.keys(shape).sort(), ['$default', 'ANY /proxy/{proxy+}', 'GET /hello/{name}']);
    assert.deepEqual(shape['GET /hello/{name}'], {
      AuthorizationType: 'JWT',
      AuthorizationScopes: ['read'],
      authorizer: {
        AuthorizerType: 'JWT',
        Name: 'jwt',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['client-1'] },
      },
      integration: {
        ConnectionType: 'INTERNET',
        IntegrationMethod: 'POST',
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: LAMBDA_URI,
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 30000,
      },
    });
    assert.equal((shape['ANY /proxy/{proxy+}'] as { integration: v2.Integration }).integration.TimeoutInMillis, 5000);

    const exported = await client.send(new v2.ExportApiCommand({ ApiId: apiId, OutputType: 'JSON', Specification: 'OAS30' }));
    const doc = JSON.parse(new TextDecoder().decode(exported.body));
    assert.equal(doc.openapi, '3.0.1');
    assert.deepEqual(doc.info, { title: 'sam-http', version: '2024-01-01' });
    assert.equal(doc['x-amazon-apigateway-importexport-version'], '1.0');
    assert.deepEqual(doc.paths['/hello/{name}'].get.responses, { default: { description: 'Default response for GET /hello/{name}' } });
    assert.deepEqual(doc.paths['/hello/{name}'].get.parameters, [
      { name: 'name', in: 'path', description: 'Generated path parameter for name', required: true, schema: { type: 'string' } },
    ]);
    assert.deepEqual(doc.paths['/hello/{name}'].get.security, [{ jwt: ['read'] }]);
    assert.deepEqual(doc.paths['/hello/{name}'].get['x-amazon-apigateway-integration'], {
      payloadFormatVersion: '2.0',
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: LAMBDA_URI,
      connectionType: 'INTERNET',
    });
    assert.ok(doc.paths['/$default']['x-amazon-apigateway-any-method']);
    assert.deepEqual(doc.components.securitySchemes.jwt['x-amazon-apigateway-authorizer'], {
      identitySource: '$request.header.Authorization',
      jwtConfiguration: { audience: ['client-1'], issuer: 'https://issuer.example.com' },
      type: 'jwt',
    });
    assert.deepEqual(doc['x-amazon-apigateway-cors'], { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAge: 300, allowMethods: ['GET', 'POST'] });

    const again = await client.send(new v2.ImportApiCommand({ Body: new TextDecoder().decode(exported.body), FailOnWarnings: true }));
    assert.notEqual(again.ApiId, apiId);
    assert.deepEqual(again.CorsConfiguration, imported.CorsConfiguration);
    assert.deepEqual(await shapeOf(again.ApiId!), shape);

    // YAML without extensions: routes only.
    const plain = await client.send(new v2.ExportApiCommand({ ApiId: apiId, OutputType: 'YAML', Specification: 'OAS30', IncludeExtensions: false }));
    const plainDoc = parseYaml(new TextDecoder().decode(plain.body));
    assert.equal(plainDoc.paths['/hello/{name}'].get['x-amazon-apigateway-integration'], undefined);
    assert.equal(plainDoc['x-amazon-apigateway-importexport-version'], undefined);
    assert.deepEqual(Object.keys(plainDoc.paths).sort(), ['/$default', '/hello/{name}', '/proxy/{proxy+}']);
  });

  test('ReimportApi replaces routes, integrations and authorizers; the API id, stages and their auto-deploy stay', async () => {
    const api = await client.send(new v2.ImportApiCommand({ Body: toYaml(samHttp) }));
    await client.send(new v2.CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const before = await client.send(new v2.GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    const replacement = {
      openapi: '3.0.1',
      info: { title: 'replaced', version: '2' },
      paths: { '/only': { post: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'POST', uri: 'https://example.com/only' } } } },
    };
    const reimported = await client.send(new v2.ReimportApiCommand({ ApiId: api.ApiId, Body: JSON.stringify(replacement) }));
    assert.equal(reimported.ApiId, api.ApiId);
    assert.equal(reimported.Name, 'replaced');
    assert.equal(reimported.CorsConfiguration, undefined);
    assert.deepEqual(Object.keys(await shapeOf(api.ApiId!)), ['POST /only']);
    assert.deepEqual((await client.send(new v2.GetAuthorizersCommand({ ApiId: api.ApiId }))).Items, []);
    const after = await client.send(new v2.GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.notEqual(after.DeploymentId, before.DeploymentId, 'the auto-deploy stage got the new definition');
    // The stage exports what it serves.
    const staged = JSON.parse(new TextDecoder().decode((await client.send(new v2.ExportApiCommand({ ApiId: api.ApiId, OutputType: 'JSON', Specification: 'OAS30', StageName: '$default' }))).body));
    assert.deepEqual(Object.keys(staged.paths), ['/only']);
    assert.deepEqual(staged.servers[0].variables.basePath.default, '$default');
  });

  test('Basepath on import: ignore, prepend, split', async () => {
    const spec = { openapi: '3.0.1', info: { title: 'based' }, servers: [{ url: 'https://example.com/v1/part' }], paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: 'https://example.com' } } } } };
    for (const [Basepath, key] of [
      ['ignore', 'GET /x'],
      ['prepend', 'GET /v1/part/x'],
      ['split', 'GET /part/x'],
    ] as const) {
      const api = await client.send(new v2.ImportApiCommand({ Body: JSON.stringify(spec), Basepath }));
      assert.deepEqual(Object.keys(await shapeOf(api.ApiId!)), [key]);
    }
  });
});

describe('imported HTTP APIs answer over HTTP', () => {
  test('Lambda proxy (2.0) routes, the $default route and a JWT-protected route; the export imported again answers the same', async () => {
    const lambda = server.client(LambdaClient);
    const arn = await nodeFunction(
      lambda,
      `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ routeKey: event.routeKey, version: event.version, name: (event.pathParameters || {}).name || null }) });`,
    );
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;
    const spec = {
      openapi: '3.0.1',
      info: { title: 'live-http', version: '1' },
      paths: {
        '/hello/{name}': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri, payloadFormatVersion: '2.0' } } },
        '/private': { get: { security: [{ jwt: [] }], 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri, payloadFormatVersion: '2.0' } } },
        '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: arn, payloadFormatVersion: '2.0' } } },
      },
      components: {
        securitySchemes: {
          jwt: { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['a'] } } },
        },
      },
    };
    const check = async (apiId: string) => {
      await client.send(new v2.CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
      const hello = await send(server, { host: hostOf(apiId), path: '/hello/world' });
      assert.equal(hello.status, 200);
      assert.deepEqual(hello.json(), { routeKey: 'GET /hello/{name}', version: '2.0', name: 'world' });
      const fallback = await send(server, { host: hostOf(apiId), path: '/anything/else', method: 'POST' });
      assert.equal(fallback.status, 200);
      assert.deepEqual(fallback.json(), { routeKey: '$default', version: '2.0', name: null });
      const denied = await send(server, { host: hostOf(apiId), path: '/private' });
      assert.equal(denied.status, 401);
    };
    const imported = await client.send(new v2.ImportApiCommand({ Body: JSON.stringify(spec), FailOnWarnings: true }));
    await check(imported.ApiId!);
    const exported = await client.send(new v2.ExportApiCommand({ ApiId: imported.ApiId, OutputType: 'YAML', Specification: 'OAS30', StageName: '$default' }));
    const again = await client.send(new v2.ImportApiCommand({ Body: new TextDecoder().decode(exported.body), FailOnWarnings: true }));
    await check(again.ApiId!);
  });
});

describe('bad documents and requests', () => {
  test('not OpenAPI, unsupported integrations, unknown security, bad export parameters', async () => {
    await rejects(client.send(new v2.ImportApiCommand({ Body: "{'key:value}" })), 'BadRequestException', 'Invalid OpenAPI input.');
    await rejects(client.send(new v2.ImportApiCommand({ Body: 'plain text' })), 'BadRequestException', 'Invalid OpenAPI input.');
    await rejects(
      client.send(new v2.ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } }) })),
      'BadRequestException',
      /^Errors found during import:\n\tUnable to create route 'GET \/x': Unsupported integration type/,
    );
    await rejects(
      client.send(new v2.ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { security: [{ nope: [] }] } } } }) })),
      'BadRequestException',
      /No security scheme found for 'nope'/,
    );
    await rejects(
      client.send(new v2.ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'not-a-function', payloadFormatVersion: '2.0' } } } } }) })),
      'BadRequestException',
      /Unable to create integration for route 'GET \/x': Invalid IntegrationUri not-a-function/,
    );
    await rejects(client.send(new v2.ReimportApiCommand({ ApiId: 'nothere123', Body: JSON.stringify(samHttp) })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nothere123', 404);
    const api = await client.send(new v2.ImportApiCommand({ Body: JSON.stringify(samHttp) }));
    await rejects(client.send(new v2.ExportApiCommand({ ApiId: api.ApiId, OutputType: 'XML', Specification: 'OAS30' })), 'BadRequestException', /outputType/);
    await rejects(client.send(new v2.ExportApiCommand({ ApiId: api.ApiId, OutputType: 'JSON', Specification: 'RAML' })), 'BadRequestException', /specification/);
    await rejects(client.send(new v2.ExportApiCommand({ ApiId: api.ApiId, OutputType: 'JSON', Specification: 'OAS30', StageName: 'nope' })), 'NotFoundException', 'Invalid stage identifier specified', 404);
    const ws = await client.send(new v2.CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    await rejects(client.send(new v2.ReimportApiCommand({ ApiId: ws.ApiId, Body: JSON.stringify(samHttp) })), 'BadRequestException', /only for HTTP APIs/);
  });

  test('warnings are answered, or refuse the import with FailOnWarnings', async () => {
    const spec = JSON.stringify({ openapi: '3.0.1', info: { title: 'warned' }, components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } }, paths: {} });
    const warned = await client.send(new v2.ImportApiCommand({ Body: spec }));
    assert.equal(warned.Warnings!.length, 1);
    await rejects(client.send(new v2.ImportApiCommand({ Body: spec, FailOnWarnings: true })), 'BadRequestException', /^Warnings found during import/);
  });
});
