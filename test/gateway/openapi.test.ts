/**
 * Importing and exporting REST APIs as OpenAPI through @aws-sdk/client-api-gateway: ImportRestApi
 * (JSON and YAML, OpenAPI 3 and Swagger 2, base path modes, warnings), PutRestApi (overwrite,
 * merge), GetExport (oas30/swagger, JSON/YAML, extensions), a SAM-style API with a Lambda proxy
 * and a MOCK method deployed and called over HTTP, the export imported again. Bad documents get
 * AWS's errors; texts pinned are AWS's as recorded (test/conformance/apigateway) unless a comment
 * says they are Stratus's own.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { makeZip, ROLE } from '../functions/control-plane-support.js';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
let lambda: LambdaClient;

const FUNCTION = 'openapi-hello';
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}/invocations`;

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  lambda = server.client(LambdaClient);
  const code = await makeZip({
    'index.js': `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'lambda', name: event.pathParameters.name, resource: event.resource }) });`,
  });
  await lambda.send(new CreateFunctionCommand({ FunctionName: FUNCTION, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: code } }));
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

const encode = (text: string) => new TextEncoder().encode(text);

/** What `sam build` writes for an API with a Lambda proxy function and a MOCK method (DefinitionBody), as YAML. */
const samYaml = `
openapi: "3.0.1"
info:
  title: sam-app
  version: "1.0"
paths:
  /hello/{name}:
    get:
      parameters:
        - name: name
          in: path
          required: true
          schema:
            type: string
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${LAMBDA_URI}
        passthroughBehavior: when_no_match
  /mock:
    get:
      responses:
        "200":
          description: "200 response"
          headers:
            X-Mocked:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Answer"
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.X-Mocked: "'yes'"
            responseTemplates:
              application/json: '{"mocked": true, "stage": "$context.stage"}'
components:
  schemas:
    Answer:
      type: object
      properties:
        mocked:
          type: boolean
        inner:
          $ref: "#/components/schemas/Inner"
    Inner:
      type: string
x-amazon-apigateway-binary-media-types:
  - image/png
`;

const invoke = (id: string, stage: string, path: string) => fetch(`${server.url}/restapis/${id}/${stage}/_user_request_${path}`);

/** Resources as path → sorted methods, and each method as GetMethod answers it without ids. */
async function shapeOf(id: string): Promise<Record<string, Record<string, unknown>>> {
  const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of resources.items ?? []) {
    const methods: Record<string, unknown> = {};
    for (const httpMethod of Object.keys(r.resourceMethods ?? {}).sort()) {
      const m = await client.send(new apigw.GetMethodCommand({ restApiId: id, resourceId: r.id, httpMethod }));
      const { $metadata: _m, ...method } = m;
      void _m;
      if (method.methodIntegration !== undefined && method.methodIntegration.cacheNamespace === r.id) delete method.methodIntegration.cacheNamespace;
      methods[httpMethod] = method;
    }
    out[r.path!] = methods;
  }
  return out;
}

describe('ImportRestApi → deploy → invoke → GetExport → import again', () => {
  test('a SAM-style document (YAML): Lambda proxy and MOCK methods answer over HTTP; the export imports to the same API', async () => {
    const imported = await client.send(new apigw.ImportRestApiCommand({ body: encode(samYaml), failOnWarnings: true }));
    assert.equal(imported.$metadata.httpStatusCode, 201);
    assert.equal(imported.name, 'sam-app');
    assert.equal(imported.version, '1.0');
    assert.match(imported.id!, /^[a-z0-9]{10}$/);
    assert.equal(imported.apiKeySource, 'HEADER');
    assert.deepEqual(imported.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.deepEqual(imported.binaryMediaTypes, ['image/png']);
    assert.equal(imported.warnings, undefined);
    const id = imported.id!;

    const shape = await shapeOf(id);
    assert.deepEqual(Object.keys(shape).sort(), ['/', '/hello', '/hello/{name}', '/mock']);
    assert.deepEqual(shape['/hello/{name}'].GET, {
      httpMethod: 'GET',
      authorizationType: 'NONE',
      apiKeyRequired: false,
      requestParameters: { 'method.request.path.name': true },
      methodIntegration: { type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, cacheKeyParameters: [] },
    });
    const mock = shape['/mock'].GET as apigw.Method;
    assert.deepEqual(mock.methodResponses, {
      '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Mocked': false }, responseModels: { 'application/json': 'Answer' } },
    });
    assert.equal(mock.methodIntegration!.type, 'MOCK');

    await client.send(new apigw.CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
    const fromLambda = await invoke(id, 'prod', '/hello/world');
    assert.equal(fromLambda.status, 200);
    assert.deepEqual(await fromLambda.json(), { from: 'lambda', name: 'world', resource: '/hello/{name}' });
    const fromMock = await invoke(id, 'prod', '/mock');
    assert.equal(fromMock.status, 200);
    assert.equal(fromMock.headers.get('x-mocked'), 'yes');
    assert.deepEqual(await fromMock.json(), { mocked: true, stage: 'prod' });

    // The export, as AWS writes it (recorded shapes: test_apigateway_extended.py::test_export_oas30_openapi).
    const exported = await client.send(new apigw.GetExportCommand({ restApiId: id, stageName: 'prod', exportType: 'oas30', parameters: { extensions: 'apigateway' } }));
    assert.equal(exported.contentType, 'application/octet-stream');
    assert.equal(exported.contentDisposition, 'attachment; filename="oas30_1.0.json"');
    const document = JSON.parse(new TextDecoder().decode(exported.body));
    assert.equal(document.openapi, '3.0.1');
    assert.deepEqual(document.info, { title: 'sam-app', version: '1.0' });
    assert.deepEqual(document.servers, [{ url: `https://${id}.execute-api.us-east-1.amazonaws.com/{basePath}`, variables: { basePath: { default: 'prod' } } }]);
    assert.deepEqual(Object.keys(document.paths), ['/hello/{name}', '/mock']);
    assert.deepEqual(document.paths['/hello/{name}'].get['x-amazon-apigateway-integration'], {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: LAMBDA_URI,
      passthroughBehavior: 'when_no_match',
    });
    assert.deepEqual(document.paths['/mock'].get.responses['200'], {
      description: '200 response',
      headers: { 'X-Mocked': { schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } },
    });
    assert.deepEqual(document.components.schemas.Answer, { type: 'object', properties: { mocked: { type: 'boolean' }, inner: { $ref: '#/components/schemas/Inner' } } });
    assert.deepEqual(document['x-amazon-apigateway-binary-media-types'], ['image/png']);

    // Round trip: the export imported again is the same API in everything but ids.
    const again = await client.send(new apigw.ImportRestApiCommand({ body: exported.body!, failOnWarnings: true }));
    assert.notEqual(again.id, id);
    assert.deepEqual(again.binaryMediaTypes, ['image/png']);
    assert.deepEqual(await shapeOf(again.id!), shape);

    // Swagger 2.0 in YAML, without extensions: no integrations, definitions with #/definitions refs.
    const swagger = await client.send(new apigw.GetExportCommand({ restApiId: id, stageName: 'prod', exportType: 'swagger', accepts: 'application/yaml' }));
    assert.equal(swagger.contentDisposition, 'attachment; filename="swagger_1.0.yaml"');
    const swaggerDoc = parseYaml(new TextDecoder().decode(swagger.body));
    assert.equal(swaggerDoc.swagger, '2.0');
    assert.equal(swaggerDoc.host, `${id}.execute-api.us-east-1.amazonaws.com`);
    assert.equal(swaggerDoc.basePath, '/prod');
    assert.deepEqual(swaggerDoc.paths['/mock'].get.produces, ['application/json']);
    assert.deepEqual(swaggerDoc.paths['/mock'].get.responses['200'].schema, { $ref: '#/definitions/Answer' });
    assert.equal(swaggerDoc.paths['/mock'].get['x-amazon-apigateway-integration'], undefined);
    assert.deepEqual(swaggerDoc.paths['/hello/{name}'].get.parameters, [{ name: 'name', in: 'path', required: true, type: 'string' }]);
    assert.deepEqual(swaggerDoc.definitions.Answer.properties.inner, { $ref: '#/definitions/Inner' });

    await rejects(client.send(new apigw.GetExportCommand({ restApiId: id, stageName: 'nope', exportType: 'oas30' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
    await rejects(client.send(new apigw.GetExportCommand({ restApiId: id, stageName: 'prod', exportType: 'raml' })), 'BadRequestException', /export type/);
    await rejects(
      client.send(new apigw.GetExportCommand({ restApiId: 'missing000', stageName: 'prod', exportType: 'oas30' })),
      'NotFoundException',
      'Invalid API identifier specified 000000000000:missing000',
      404,
    );
  });

  test('Swagger 2 (JSON) with authorizers, API keys, validators and gateway responses; the export with extensions keeps them', async () => {
    const spec = {
      swagger: '2.0',
      info: { title: 'secured', version: '2' },
      securityDefinitions: {
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        tokens: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 60 },
        },
      },
      'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true, validateRequestParameters: true } },
      'x-amazon-apigateway-documentation': { version: '1', documentationParts: [{ location: { type: 'METHOD', path: '/items', method: 'POST' }, properties: { summary: 'Adds an item' } }] },
      'x-amazon-apigateway-gateway-responses': { MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, responseTemplates: { 'application/json': '{"message": "no route"}' } } },
      paths: {
        '/items': {
          post: {
            security: [{ api_key: [], tokens: [] }],
            'x-amazon-apigateway-request-validator': 'all',
            parameters: [{ in: 'body', name: 'Item', required: true, schema: { $ref: '#/definitions/Item' } }],
            responses: { 200: { description: 'ok' } },
            'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: 200 } } },
          },
        },
      },
      definitions: { Item: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    };
    const api = await client.send(new apigw.ImportRestApiCommand({ body: encode(JSON.stringify(spec)) }));
    const shape = await shapeOf(api.id!);
    const post = shape['/items'].POST as apigw.Method;
    assert.equal(post.apiKeyRequired, true);
    assert.equal(post.authorizationType, 'CUSTOM');
    assert.match(post.authorizerId!, /^[a-z0-9]+$/);
    assert.match(post.requestValidatorId!, /^[a-z0-9]+$/);
    assert.deepEqual(post.requestModels, { 'application/json': 'Item' });
    const authorizers = await client.send(new apigw.GetAuthorizersCommand({ restApiId: api.id }));
    assert.deepEqual(
      authorizers.items!.map(({ id: _id, ...rest }) => rest),
      [{ name: 'tokens', type: 'TOKEN', authType: 'custom', authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 60, identitySource: 'method.request.header.Authorization' }],
    );
    assert.equal(authorizers.items![0].id, post.authorizerId);
    const validators = await client.send(new apigw.GetRequestValidatorsCommand({ restApiId: api.id }));
    assert.deepEqual(validators.items, [{ id: post.requestValidatorId, name: 'all', validateRequestBody: true, validateRequestParameters: true }]);
    const models = await client.send(new apigw.GetModelsCommand({ restApiId: api.id }));
    assert.deepEqual(
      models.items!.map(({ id: _id, ...rest }) => rest),
      [{ name: 'Item', contentType: 'application/json', schema: JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }) }],
    );
    const parts = await client.send(new apigw.GetDocumentationPartsCommand({ restApiId: api.id }));
    assert.deepEqual(
      parts.items!.map(({ id: _id, ...rest }) => rest),
      [{ location: { type: 'METHOD', path: '/items', method: 'POST' }, properties: JSON.stringify({ summary: 'Adds an item' }) }],
    );
    const response = await client.send(new apigw.GetGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal(response.statusCode, '404');
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: 'v1' }));
    // The TOKEN authorizer runs first: without its header the method answers 401 before the API key is looked at.
    const anonymous = await fetch(`${server.url}/restapis/${api.id}/v1/_user_request_/items`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), { message: 'Unauthorized' });

    const exported = await client.send(new apigw.GetExportCommand({ restApiId: api.id, stageName: 'v1', exportType: 'swagger', parameters: { extensions: 'apigateway' } }));
    const doc = JSON.parse(new TextDecoder().decode(exported.body));
    assert.equal(doc.info.version, '2');
    assert.deepEqual(doc.paths['/items'].post.security, [{ api_key: [], tokens: [] }]);
    assert.equal(doc.paths['/items'].post['x-amazon-apigateway-request-validator'], 'all');
    assert.deepEqual(doc.securityDefinitions.api_key, { type: 'apiKey', name: 'x-api-key', in: 'header' });
    assert.deepEqual(doc.securityDefinitions.tokens['x-amazon-apigateway-authorizer'], { type: 'token', authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 60 });
    assert.deepEqual(doc['x-amazon-apigateway-request-validators'], { all: { validateRequestBody: true, validateRequestParameters: true } });
    assert.deepEqual(doc['x-amazon-apigateway-gateway-responses'], { MISSING_AUTHENTICATION_TOKEN: { statusCode: '404', responseTemplates: { 'application/json': '{"message": "no route"}' } } });
    const again = await client.send(new apigw.ImportRestApiCommand({ body: exported.body!, failOnWarnings: true }));
    const againPost = (await shapeOf(again.id!))['/items'].POST as apigw.Method;
    assert.equal(againPost.apiKeyRequired, true);
    assert.equal(againPost.authorizationType, 'CUSTOM');
    assert.deepEqual(againPost.requestModels, { 'application/json': 'Item' });
  });
});

describe('recorded', () => {
  const conformance = (set: string) => JSON.parse(readFileSync(new URL(`../../../test/conformance/apigateway/${set}/given.json`, import.meta.url), 'utf8'));
  /** Recorded JSON strings come back parsed (the recorder's doing): the wire value is their JSON text. */
  const text = (map: Record<string, unknown> | undefined) =>
    map === undefined ? undefined : Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

  test('circular models with request validation (test_import_with_circular_models_and_request_validation): models as AWS stores them, the validator as AWS applies it', async () => {
    // The document is rebuilt from what AWS read back after importing it (GetModels, GetRequestValidators, GetMethod).
    const c = (conformance('recorded') as Array<{ id: string; recorded: Record<string, any>; steps: Array<Record<string, any>> }>).find((x) =>
      x.id.endsWith('::test_import_with_circular_models_and_request_validation'),
    )!;
    const fromUrl = (schema: unknown) => JSON.parse(JSON.stringify(schema).replace(/<model-base-url>\/restapis\/<rest-id:1>\/models\//g, '#/components/schemas/'));
    const schemas = Object.fromEntries(c.recorded['get-models'].items.map((m: { name: string; schema: unknown }) => [m.name, fromUrl(m.schema)]));
    const validators = Object.fromEntries(
      c.recorded['request-validators'].items.map((v: { name: string; validateRequestBody: boolean; validateRequestParameters: boolean }) => [
        v.name,
        { validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters },
      ]),
    );
    const method = c.recorded['method-person-post'];
    const integration = method.methodIntegration;
    const responses: Record<string, unknown> = {};
    for (const r of Object.values(integration.integrationResponses as Record<string, any>)) responses[r.selectionPattern ?? 'default'] = { statusCode: r.statusCode, responseTemplates: text(r.responseTemplates) };
    const spec = {
      openapi: '3.0.1',
      info: { title: c.recorded['import-api'].name, version: c.recorded['import-api'].version },
      'x-amazon-apigateway-request-validators': validators,
      paths: {
        '/person': {
          post: {
            operationId: method.operationName,
            'x-amazon-apigateway-request-validator': c.recorded['request-validators'].items[0].name,
            requestBody: { content: Object.fromEntries(Object.entries(method.requestModels).map(([type, name]) => [type, { schema: { $ref: `#/components/schemas/${name}` } }])) },
            responses: Object.fromEntries(
              Object.entries(method.methodResponses as Record<string, any>).map(([code, r]) => [
                code,
                { description: `${code} response`, content: Object.fromEntries(Object.entries(r.responseModels ?? {}).map(([type, name]) => [type, { schema: { $ref: `#/components/schemas/${name}` } }])) },
              ]),
            ),
            'x-amazon-apigateway-integration': {
              type: integration.type.toLowerCase(),
              passthroughBehavior: integration.passthroughBehavior.toLowerCase(),
              requestTemplates: text(integration.requestTemplates),
              responses,
            },
          },
        },
      },
      components: { schemas },
    };
    const api = await client.send(new apigw.ImportRestApiCommand({ body: encode(JSON.stringify(spec)), failOnWarnings: true }));
    assert.equal(api.name, c.recorded['import-api'].name);
    const models = await client.send(new apigw.GetModelsCommand({ restApiId: api.id }));
    const toPlaceholder = (schema: string) => JSON.parse(schema.split(`https://apigateway.amazonaws.com/restapis/${api.id}/models/`).join('<model-base-url>/restapis/<rest-id:1>/models/'));
    assert.deepEqual(
      models.items!.map((m) => ({ name: m.name, contentType: m.contentType, description: m.description, schema: toPlaceholder(m.schema!) })).sort((a, b) => a.name!.localeCompare(b.name!)),
      c.recorded['get-models'].items.map((m: any) => ({ name: m.name, contentType: m.contentType, description: m.description, schema: m.schema })),
    );
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    // The recorded requests and what the test asserted of each answer.
    let last: { status: number; body: any } | undefined;
    let checked = 0;
    for (const step of c.steps) {
      if (step.http === 'POST') {
        const answer = await fetch(`${server.url}/restapis/${api.id}/dev/_user_request_/person`, { method: 'POST', body: JSON.stringify(step.params.json), headers: { 'content-type': 'application/json' } });
        last = { status: answer.status, body: await answer.json() };
      } else if (typeof step.assert === 'string' && last !== undefined) {
        checked += 1;
        if (step.assert === 'request.ok') assert.ok(last.status < 400, JSON.stringify(last));
        else if (step.assert === 'request.status_code == 400') assert.equal(last.status, 400);
        else {
          const m = /^request\.json\(\)\.get\('message'\) == '(.*)'$/.exec(step.assert);
          assert.ok(m, step.assert);
          assert.equal(last.body.message, m[1]);
        }
      }
    }
    assert.equal(checked, 5);
  });

  test("PutRestApi (overwrite) with the MOCK echo method AWS imported answers as AWS did (test_api_gateway_mock_integration)", async () => {
    // The method as AWS read it back after importing its document (GetMethod, recorded), written
    // back as the OpenAPI operation it came from; the call and AWS's answer from the invocations set.
    const imported = (conformance('recorded') as Array<{ id: string; recorded: Record<string, any> }>).find((c) => c.id.endsWith('::test_import_with_global_api_key_authorizer'))!;
    const method = imported.recorded['method-echo/{data}-any'];
    const integration = method.methodIntegration;
    const invocation = (conformance('invocations') as Array<{ id: string; setup: Array<{ call?: string; params: Record<string, unknown> }>; requests: Record<string, { method: string; pathFromStageUrl: string }>; recorded: unknown }>).find(
      (c) => c.id.endsWith('::test_api_gateway_mock_integration#mocked-response'),
    )!;
    const put = invocation.setup.find((s) => s.call === 'apigateway.put_rest_api')!;
    const deploy = invocation.setup.find((s) => s.call === 'apigateway.create_deployment')!;
    const request = Object.values(invocation.requests)[0];
    const responses: Record<string, unknown> = {};
    for (const r of Object.values(integration.integrationResponses as Record<string, { statusCode: string; selectionPattern?: string; responseTemplates?: Record<string, unknown> }>)) {
      responses[r.selectionPattern ?? 'default'] = { statusCode: r.statusCode, responseTemplates: text(r.responseTemplates) };
    }
    const spec = {
      swagger: '2.0',
      info: { title: 'echo', version: '1.0' },
      paths: {
        '/echo/{data}': {
          'x-amazon-apigateway-any-method': {
            parameters: Object.keys(method.requestParameters).map((k) => ({ name: k.split('.').pop(), in: 'path', required: method.requestParameters[k], type: 'string' })),
            responses: { '200': { description: '200 response' } },
            'x-amazon-apigateway-integration': {
              type: integration.type.toLowerCase(),
              passthroughBehavior: integration.passthroughBehavior.toLowerCase(),
              requestTemplates: text(integration.requestTemplates),
              responses,
            },
          },
        },
      },
    };
    const api = await client.send(new apigw.CreateRestApiCommand({ name: 'mock-echo' }));
    await client.send(new apigw.PutRestApiCommand({ restApiId: api.id, body: encode(JSON.stringify(spec)), mode: put.params.mode as apigw.PutMode }));
    const got = await client.send(new apigw.GetIntegrationCommand({ restApiId: api.id, resourceId: (await client.send(new apigw.GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/echo/{data}')!.id, httpMethod: 'ANY' }));
    assert.equal(got.type, integration.type);
    assert.equal(got.passthroughBehavior, integration.passthroughBehavior);
    assert.equal(got.timeoutInMillis, integration.timeoutInMillis);
    assert.deepEqual(got.cacheKeyParameters, integration.cacheKeyParameters);
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: deploy.params.stageName as string }));
    const answer = await fetch(`${server.url}/restapis/${api.id}/${deploy.params.stageName}/_user_request_${request.pathFromStageUrl}`, { method: request.method });
    assert.deepEqual(await answer.json(), invocation.recorded);
  });
});

describe('PutRestApi', () => {
  const binarySpec = JSON.stringify({ openapi: '3.0.1', info: { title: 'put-api', version: '1.0.0' }, paths: {}, 'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'] });

  test('overwrite replaces binary media types, merge adds to them (recorded: test_put_rest_api_mode_binary_media_types)', async () => {
    for (const [mode, expected] of [
      ['overwrite', ['image/png', 'image/jpg']],
      ['merge', ['image/heif', 'image/png', 'image/jpg']],
    ] as const) {
      const base = await client.send(new apigw.CreateRestApiCommand({ name: `put-${mode}`, binaryMediaTypes: ['image/heif'] }));
      const put = await client.send(new apigw.PutRestApiCommand({ restApiId: base.id, body: encode(binarySpec), mode }));
      assert.equal(put.$metadata.httpStatusCode, 200);
      assert.deepEqual(put.binaryMediaTypes, expected);
      assert.equal(put.name, 'put-api');
      assert.equal(put.version, '1.0.0');
      assert.equal(put.id, base.id);
      assert.equal(put.rootResourceId, base.rootResourceId);
    }
  });

  test('overwrite drops resources the document lacks, keeping the root; merge keeps them', async () => {
    const base = await client.send(new apigw.ImportRestApiCommand({ body: encode(samYaml) }));
    const other = JSON.stringify({ swagger: '2.0', info: { title: 'other' }, paths: { '/other': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } });
    await client.send(new apigw.PutRestApiCommand({ restApiId: base.id, body: encode(other), mode: 'merge' }));
    assert.deepEqual(Object.keys(await shapeOf(base.id!)).sort(), ['/', '/hello', '/hello/{name}', '/mock', '/other']);
    await client.send(new apigw.PutRestApiCommand({ restApiId: base.id, body: encode(other), mode: 'overwrite' }));
    const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: base.id }));
    assert.deepEqual(resources.items!.map((r) => r.path).sort(), ['/', '/other']);
    assert.equal(resources.items!.find((r) => r.path === '/')!.id, base.rootResourceId);
  });

  test('an unknown API: NotFoundException; a bad body is refused first', async () => {
    await rejects(client.send(new apigw.PutRestApiCommand({ restApiId: 'nothere123', body: encode(binarySpec) })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nothere123', 404);
    await rejects(client.send(new apigw.PutRestApiCommand({ restApiId: 'nothere123', body: encode("{'key:value}") })), 'BadRequestException', 'Invalid OpenAPI input.');
  });
});

describe('bad documents', () => {
  test('the recorded bad-file cases answer as AWS did (errors set: import_apigw / put_rest_api with a literal body)', async () => {
    const cases = (JSON.parse(readFileSync(new URL('../../../test/conformance/apigateway/errors/given.json', import.meta.url), 'utf8')) as Array<{
      id: string;
      call?: string;
      fixture?: string;
      params: { body?: unknown };
      error: { Code: string; Message: string };
      httpStatus: number;
    }>).filter((c) => (c.fixture === 'import_apigw' || c.call === 'apigateway.put_rest_api') && typeof c.params.body === 'string');
    assert.ok(cases.length >= 3, `${cases.length} cases`);
    const target = await client.send(new apigw.CreateRestApiCommand({ name: 'target' }));
    for (const c of cases) {
      const body = encode(c.params.body as string);
      const call = c.fixture === 'import_apigw' ? client.send(new apigw.ImportRestApiCommand({ body })) : client.send(new apigw.PutRestApiCommand({ restApiId: target.id, body }));
      await rejects(call, c.error.Code, c.error.Message, c.httpStatus);
    }
  });

  test('documents that are not OpenAPI, and what API Gateway cannot import', async () => {
    const bad0 = (spec: unknown) => client.send(new apigw.ImportRestApiCommand({ body: encode(JSON.stringify(spec)) }));
    await rejects(
      bad0({ openapi: '3.0.1', info: { title: 't' }, paths: {}, 'x-amazon-apigateway-documentation': { documentationParts: [{ location: { type: 'MODEL' }, properties: {} }] } }),
      'BadRequestException',
      'Errors found during import:\n\tUnable to create documentation part: Invalid location specified: name is required for type MODEL',
    );
    const bad = (spec: unknown) => client.send(new apigw.ImportRestApiCommand({ body: encode(typeof spec === 'string' ? spec : JSON.stringify(spec)) }));
    await rejects(bad('just some text'), 'BadRequestException', 'Invalid OpenAPI input.');
    await rejects(bad({ title: 'no version field' }), 'BadRequestException', 'Invalid OpenAPI input.');
    await rejects(
      bad({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'lambda' } } } } }),
      'BadRequestException',
      /^Errors found during import:\n\tUnable to put method 'GET' on resource at path '\/x': Invalid integration type/,
    );
    await rejects(
      bad({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'GET', uri: 'not a url' } } } } }),
      'BadRequestException',
      "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/x': Invalid HTTP endpoint specified for URI",
    );
    await rejects(
      bad({ openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } } } } }),
      'BadRequestException',
      /Invalid model identifier specified: Missing/,
    );
    // Nothing of a refused import is kept.
    const after = await client.send(new apigw.GetRestApisCommand({ limit: 500 }));
    assert.ok(!after.items!.some((a) => a.name === 't'));
  });

  test('warnings: answered in `warnings`, or the import refused with failonwarnings=true', async () => {
    const spec = encode(JSON.stringify({ openapi: '3.0.1', info: { title: 'warned' }, components: { securitySchemes: { oauth: { type: 'oauth2', flows: {} } } }, paths: {} }));
    const warned = await client.send(new apigw.ImportRestApiCommand({ body: spec }));
    assert.equal(warned.warnings!.length, 1);
    assert.match(warned.warnings![0], /oauth/);
    await rejects(client.send(new apigw.ImportRestApiCommand({ body: spec, failOnWarnings: true })), 'BadRequestException', /^Warnings found during import:\n\t.*oauth/);
  });

  test('basepath and endpointConfigurationTypes parameters', async () => {
    const spec = encode(toYaml({ swagger: '2.0', info: { title: 'based' }, basePath: '/base', paths: { '/test': { get: { responses: {} } } } }));
    for (const [basepath, paths] of [
      ['ignore', ['/', '/test']],
      ['prepend', ['/', '/base', '/base/test']],
      ['split', ['/', '/test']],
    ] as const) {
      const api = await client.send(new apigw.ImportRestApiCommand({ body: spec, parameters: { basepath } }));
      const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: api.id }));
      assert.deepEqual(resources.items!.map((r) => r.path).sort(), paths);
    }
    const regional = await client.send(new apigw.ImportRestApiCommand({ body: spec, parameters: { endpointConfigurationTypes: 'REGIONAL' } }));
    assert.deepEqual(regional.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    await rejects(client.send(new apigw.ImportRestApiCommand({ body: spec, parameters: { basepath: 'sideways' } })), 'BadRequestException', /basepath/);
  });
});
