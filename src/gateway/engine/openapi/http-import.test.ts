import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HttpApiDocument } from '../../model/http-api.js';
import { exportHttpApi } from './http-export.js';
import { importHttpApi, type HttpImportOptions } from './http-import.js';
import { SpecError, type SpecObject } from './parse.js';

function emptyApi(): HttpApiDocument {
  return {
    api: { ApiId: 'api0000001', Name: 'x', ProtocolType: 'HTTP', RouteSelectionExpression: '${request.method} ${request.path}', CreatedDate: '2024-01-01T00:00:00Z', Tags: {} },
    routes: {},
    routeResponses: {},
    integrations: {},
    integrationResponses: {},
    authorizers: {},
    models: {},
    stages: {},
    deployments: {},
  };
}

let n = 0;
const options = (extra: Partial<HttpImportOptions> = {}): HttpImportOptions => ({ basepath: 'ignore', newId: (kind) => `${kind}${++n}`, ...extra });

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

const spec: SpecObject = {
  openapi: '3.0.1',
  info: { title: 'http', version: '3', description: 'd' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'GetItem',
        security: [{ lambda: [] }],
        'x-amazon-apigateway-integration': { type: 'AWS_PROXY', uri: FN, payloadFormatVersion: '2.0', timeoutInMillis: 1000 },
      },
      delete: {
        security: [{ sigv4: [] }],
        'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/backend' },
      },
    },
  },
  components: {
    securitySchemes: {
      lambda: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authorizer': {
          type: 'request',
          authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`,
          identitySource: '$request.header.Authorization, $request.querystring.token',
          authorizerPayloadFormatVersion: '2.0',
          enableSimpleResponses: true,
          authorizerResultTtlInSeconds: 300,
        },
      },
      sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
    },
    'x-amazon-apigateway-integrations': {
      backend: { type: 'http_proxy', httpMethod: 'DELETE', uri: 'https://backend.example.com/items/{id}', requestParameters: { 'overwrite:header.x-from': 'gateway' } },
    },
  },
  tags: [{ name: 'team', 'x-amazon-apigateway-tag-value': 'blue' }],
};

describe('OpenAPI → HTTP API', () => {
  test('routes, Lambda (REQUEST) and IAM authorization, reusable integrations, tags', () => {
    const { document: doc, warnings } = importHttpApi(emptyApi(), spec, options());
    assert.deepEqual(warnings, []);
    assert.equal(doc.api.Name, 'http');
    assert.equal(doc.api.Description, 'd');
    assert.deepEqual(doc.api.Tags, { team: 'blue' });
    const routes = Object.values(doc.routes).sort((a, b) => a.RouteKey.localeCompare(b.RouteKey));
    assert.deepEqual(routes.map((r) => r.RouteKey), ['DELETE /items/{id}', 'GET /items/{id}']);
    const [del, get] = routes;
    assert.equal(get.AuthorizationType, 'CUSTOM');
    assert.equal(get.OperationName, 'GetItem');
    assert.equal(del.AuthorizationType, 'AWS_IAM');
    const authorizer = doc.authorizers[get.AuthorizerId!];
    assert.deepEqual(authorizer.IdentitySource, ['$request.header.Authorization', '$request.querystring.token']);
    assert.equal(authorizer.AuthorizerPayloadFormatVersion, '2.0');
    assert.equal(authorizer.EnableSimpleResponses, true);
    const getIntegration = doc.integrations[get.Target!.slice('integrations/'.length)];
    assert.deepEqual(
      { ...getIntegration, IntegrationId: undefined },
      { IntegrationId: undefined, IntegrationType: 'AWS_PROXY', ConnectionType: 'INTERNET', IntegrationUri: FN, IntegrationMethod: 'POST', PayloadFormatVersion: '2.0', TimeoutInMillis: 1000 },
    );
    const delIntegration = doc.integrations[del.Target!.slice('integrations/'.length)];
    assert.equal(delIntegration.IntegrationType, 'HTTP_PROXY');
    assert.deepEqual(delIntegration.RequestParameters, { 'overwrite:header.x-from': 'gateway' });
  });

  test('export: route keys back to paths, generated path parameters, authorizers and integrations as extensions', () => {
    const { document: doc } = importHttpApi(emptyApi(), spec, options());
    const out = exportHttpApi({ ...doc, host: 'h', stageName: 'prod', exportedAt: 'now', includeExtensions: true }) as any;
    assert.deepEqual(out.servers, [{ url: 'https://h/{basePath}', variables: { basePath: { default: 'prod' } } }]);
    assert.deepEqual(out.info, { title: 'http', description: 'd', version: '3' });
    const get = out.paths['/items/{id}'].get;
    assert.equal(get.operationId, 'GetItem');
    assert.deepEqual(get.security, [{ lambda: [] }]);
    assert.deepEqual(out.paths['/items/{id}'].delete.security, [{ sigv4: [] }]);
    assert.equal(out.components.securitySchemes.lambda['x-amazon-apigateway-authorizer'].identitySource, '$request.header.Authorization, $request.querystring.token');
    assert.deepEqual(get['x-amazon-apigateway-integration'], { payloadFormatVersion: '2.0', type: 'aws_proxy', httpMethod: 'POST', uri: FN, connectionType: 'INTERNET', timeoutInMillis: 1000 });
    // And back: the same routes, integrations and authorizers.
    const again = importHttpApi(emptyApi(), out, options()).document;
    const strip = (d: HttpApiDocument) =>
      Object.values(d.routes)
        .map((r) => ({ key: r.RouteKey, auth: r.AuthorizationType, integration: { ...d.integrations[r.Target!.slice(13)], IntegrationId: '' } }))
        .sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(strip(again), strip(doc));
  });

  test('refusals: $default takes ANY only; unsupported integration types; authorizers without what they need', () => {
    const bad = (paths: SpecObject, components: SpecObject = {}) => () => importHttpApi(emptyApi(), { openapi: '3.0.1', info: { title: 't' }, paths, components }, options());
    assert.throws(bad({ '/$default': { get: {} } }), /\$default route takes x-amazon-apigateway-any-method only/);
    assert.throws(bad({ '/x': { get: { 'x-amazon-apigateway-integration': { type: 'http', uri: 'https://e.com', httpMethod: 'GET' } } } }), /Unsupported integration type 'http'/);
    assert.throws(bad({ '/x': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://e.com', payloadFormatVersion: '2.0' } } } }), /2.0 is only supported for Lambda/);
    assert.throws(bad({}, { securitySchemes: { j: { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', jwtConfiguration: {} } } } }), /JWT issuer must be specified/);
    assert.throws(bad({}, { securitySchemes: { r: { type: 'apiKey', 'x-amazon-apigateway-authorizer': { type: 'request' } } } }), SpecError);
    assert.throws(() => importHttpApi(emptyApi(), { swagger: '1.2' }, options()), /Invalid OpenAPI input/);
  });

  test('the $default path (as SAM writes it, without a slash) is not prefixed by the base path', () => {
    const s: SpecObject = {
      openapi: '3.0.1',
      info: { title: 't' },
      servers: [{ url: '/v1' }],
      paths: { $default: { 'x-amazon-apigateway-any-method': {} }, '/a': { get: {} } },
    };
    const keys = Object.values(importHttpApi(emptyApi(), s, options({ basepath: 'prepend' })).document.routes).map((r) => r.RouteKey).sort();
    assert.deepEqual(keys, ['$default', 'GET /v1/a']);
  });
});
