import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RestApiDocument } from '../../model/rest-api.js';
import { INVALID_OPENAPI_INPUT, parseSpecText, SpecError, type SpecObject } from './parse.js';
import { basePathPrefix, importRestApi, type IdKind, type RestImportOptions } from './rest-import.js';

function emptyApi(): RestApiDocument {
  return {
    api: { id: 'api0000001', name: 'x', rootResourceId: 'root000001', createdDate: 1, apiKeySource: 'HEADER', endpointConfiguration: { types: ['EDGE'] } },
    resources: { root000001: { id: 'root000001', path: '/' } },
    models: {},
    requestValidators: {},
    authorizers: {},
    gatewayResponses: {},
    stages: {},
    documentationParts: {},
    documentationVersions: {},
  };
}

let generation = 0;
/** Ids unique across every import of a test run, as AWS's random ones are. */
function ids(): RestImportOptions['newId'] {
  generation += 1;
  const prefix = `g${generation}`;
  const counters = new Map<IdKind, number>();
  return (kind) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${prefix}${kind}${n}`;
  };
}

const options = (extra: Partial<RestImportOptions> = {}): RestImportOptions => ({ mode: 'overwrite', basepath: 'ignore', newId: ids(), ...extra });

const byPath = (doc: RestApiDocument, path: string) => Object.values(doc.resources).find((r) => r.path === path);

const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:hello/invocations';

/** What SAM writes for an API with a Lambda proxy function, a MOCK method and an API key. */
const samStyle: SpecObject = {
  openapi: '3.0.1',
  info: { title: 'sam-app', version: '1.0' },
  paths: {
    '/hello/{name}': {
      get: {
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        security: [{ api_key: [] }],
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: LAMBDA_URI,
          passthroughBehavior: 'when_no_match',
        },
      },
    },
    '/mock': {
      'x-amazon-apigateway-any-method': {
        responses: { '200': { description: 'ok', headers: { 'X-Test': { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } } } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: { statusCode: '200', responseTemplates: { 'application/json': '{"mocked": true}' }, responseParameters: { 'method.response.header.X-Test': "'yes'" } },
            'Error.*': { statusCode: 500 },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Answer: { type: 'object', properties: { mocked: { type: 'boolean' }, inner: { $ref: '#/components/schemas/Inner' } } },
      Inner: { type: 'string', description: 'an inner value' },
    },
    securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
  },
  'x-amazon-apigateway-binary-media-types': ['image/png'],
};

describe('OpenAPI → REST API', () => {
  test('SAM-style document: resources, Lambda proxy and MOCK methods, models, API key', () => {
    const { document: doc, warnings } = importRestApi(emptyApi(), samStyle, options());
    assert.deepEqual(warnings, []);
    assert.equal(doc.api.name, 'sam-app');
    assert.equal(doc.api.version, '1.0');
    assert.deepEqual(doc.api.binaryMediaTypes, ['image/png']);
    assert.deepEqual(
      Object.values(doc.resources).map((r) => r.path).sort(),
      ['/', '/hello', '/hello/{name}', '/mock'],
    );
    const hello = byPath(doc, '/hello/{name}')!;
    assert.equal(hello.parentId, byPath(doc, '/hello')!.id);
    const get = hello.resourceMethods!.GET;
    assert.equal(get.apiKeyRequired, true);
    assert.equal(get.authorizationType, 'NONE');
    assert.deepEqual(get.requestParameters, { 'method.request.path.name': true });
    assert.deepEqual(get.methodIntegration, {
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: LAMBDA_URI,
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: hello.id,
      cacheKeyParameters: [],
    });
    const any = byPath(doc, '/mock')!.resourceMethods!.ANY;
    assert.equal(any.httpMethod, 'ANY');
    assert.deepEqual(any.methodResponses, {
      '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Test': false }, responseModels: { 'application/json': 'Answer' } },
    });
    assert.equal(any.methodIntegration!.type, 'MOCK');
    assert.equal(any.methodIntegration!.connectionType, undefined);
    assert.deepEqual(any.methodIntegration!.integrationResponses, {
      '200': { statusCode: '200', responseTemplates: { 'application/json': '{"mocked": true}' }, responseParameters: { 'method.response.header.X-Test': "'yes'" } },
      '500': { statusCode: '500', selectionPattern: 'Error.*' },
    });
    // $ref inside a model points at the model's URL, as AWS stores it.
    assert.deepEqual(JSON.parse(doc.models.Answer.schema!), {
      type: 'object',
      properties: { mocked: { type: 'boolean' }, inner: { $ref: 'https://apigateway.amazonaws.com/restapis/api0000001/models/Inner' } },
    });
    assert.equal(doc.models.Inner.description, 'an inner value');
    assert.equal(doc.models.Answer.contentType, 'application/json');
  });

  test('Swagger 2: body and response schemas per consumes/produces, authorizers, validators, gateway responses, policy', () => {
    const spec: SpecObject = {
      swagger: '2.0',
      info: { title: 'PetStore', description: 'pets' },
      basePath: '/v1',
      consumes: ['application/json'],
      produces: ['application/json'],
      securityDefinitions: {
        'my-auth': {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'oauth2',
          'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/fn', authorizerResultTtlInSeconds: 60, identityValidationExpression: '^x-[a-z]+' },
        },
        pool: {
          type: 'apiKey',
          name: 'TestHeaderAuth',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_ABC'] },
        },
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
      },
      security: [{ 'my-auth': [] }],
      'x-amazon-apigateway-request-validators': { basic: { validateRequestBody: true, validateRequestParameters: true } },
      'x-amazon-apigateway-request-validator': 'basic',
      'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: { statusCode: 400, responseTemplates: { 'application/json': '{"m": $context.error.messageString}' } } },
      'x-amazon-apigateway-policy': { Version: '2012-10-17', Statement: [] },
      'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
      'x-amazon-apigateway-minimum-compression-size': 1024,
      paths: {
        '/pets': {
          post: {
            operationId: 'CreatePet',
            parameters: [{ in: 'body', name: 'NewPet', required: true, schema: { $ref: '#/definitions/NewPet' } }, { in: 'query', name: 'page', type: 'string' }],
            responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
            'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'POST', uri: 'http://example.com/pets', responses: { default: { statusCode: '200' } } },
          },
          get: {
            security: [{ pool: ['email'] }],
            responses: {},
            'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: 'http://example.com/pets' },
          },
          delete: { security: [{ sigv4: [] }], 'x-amazon-apigateway-request-validator': 'basic', responses: {} },
          options: { 'x-amazon-apigateway-auth': { type: 'none' }, responses: {} },
        },
      },
      definitions: {
        NewPet: { type: 'object', properties: { type: { $ref: '#/definitions/PetType' } } },
        Pet: { type: 'object', properties: { id: { type: 'integer' } } },
        PetType: { type: 'string', enum: ['dog', 'cat'] },
      },
    };
    const { document: doc } = importRestApi(emptyApi(), spec, options());
    assert.equal(doc.api.description, 'pets');
    assert.equal(doc.api.apiKeySource, 'AUTHORIZER');
    assert.equal(doc.api.minimumCompressionSize, 1024);
    assert.deepEqual(JSON.parse(doc.api.policy!), { Version: '2012-10-17', Statement: [] });
    const authorizers = Object.values(doc.authorizers).sort((a, b) => a.name!.localeCompare(b.name!));
    assert.deepEqual(
      authorizers.map(({ id: _id, ...rest }) => rest),
      [
        {
          name: 'my-auth',
          type: 'TOKEN',
          authType: 'oauth2',
          authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/fn',
          authorizerResultTtlInSeconds: 60,
          identityValidationExpression: '^x-[a-z]+',
          identitySource: 'method.request.header.Authorization',
        },
        {
          name: 'pool',
          type: 'COGNITO_USER_POOLS',
          authType: 'cognito_user_pools',
          providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_ABC'],
          identitySource: 'method.request.header.TestHeaderAuth',
        },
      ],
    );
    const pets = byPath(doc, '/pets')!.resourceMethods!;
    const validatorId = Object.values(doc.requestValidators)[0].id;
    assert.equal(pets.POST.authorizationType, 'CUSTOM');
    assert.equal(pets.POST.authorizerId, authorizers[0].id);
    assert.equal(pets.POST.operationName, 'CreatePet');
    assert.equal(pets.POST.requestValidatorId, validatorId);
    assert.deepEqual(pets.POST.requestModels, { 'application/json': 'NewPet' });
    assert.deepEqual(pets.POST.requestParameters, { 'method.request.querystring.page': false });
    assert.deepEqual(pets.POST.methodResponses, { '200': { statusCode: '200', responseModels: { 'application/json': 'Pet' } } });
    assert.equal(pets.POST.methodIntegration!.connectionType, 'INTERNET');
    assert.equal(pets.GET.authorizationType, 'COGNITO_USER_POOLS');
    assert.deepEqual(pets.GET.authorizationScopes, ['email']);
    assert.equal(pets.GET.methodIntegration!.integrationResponses, undefined);
    assert.equal(pets.DELETE.authorizationType, 'AWS_IAM');
    assert.equal(pets.OPTIONS.authorizationType, 'NONE');
    assert.equal(pets.OPTIONS.authorizerId, undefined);
    assert.deepEqual(doc.gatewayResponses.DEFAULT_4XX, {
      responseType: 'DEFAULT_4XX',
      defaultResponse: false,
      statusCode: '400',
      responseTemplates: { 'application/json': '{"m": $context.error.messageString}' },
    });
  });

  test('base path: ignore, prepend, split (Swagger basePath; OpenAPI 3 server URL with variables)', () => {
    const swagger: SpecObject = { swagger: '2.0', info: { title: 't' }, basePath: '/base', paths: { '/test': { get: { responses: {} } } } };
    const paths = (mode: 'ignore' | 'prepend' | 'split', spec: SpecObject) =>
      Object.values(importRestApi(emptyApi(), spec, options({ basepath: mode })).document.resources).map((r) => r.path).sort();
    assert.deepEqual(paths('ignore', swagger), ['/', '/test']);
    assert.deepEqual(paths('prepend', swagger), ['/', '/base', '/base/test']);
    assert.deepEqual(paths('split', swagger), ['/', '/test']);
    const byUrl: SpecObject = { openapi: '3.0.1', info: { title: 't' }, servers: [{ url: 'https://example.com/base-url/part' }], paths: { '/test': { get: {} } } };
    assert.deepEqual(paths('prepend', byUrl), ['/', '/base-url', '/base-url/part', '/base-url/part/test']);
    assert.deepEqual(paths('split', byUrl), ['/', '/part', '/part/test']);
    const byVariable: SpecObject = {
      openapi: '3.0.1',
      info: { title: 't' },
      servers: [{ url: 'https://{domain}/{basePath}', variables: { domain: { default: 'example.com' }, basePath: { default: 'base-var' } } }],
      paths: { '/test': { get: {} } },
    };
    assert.deepEqual(paths('prepend', byVariable), ['/', '/base-var', '/base-var/test']);
    assert.deepEqual(paths('split', byVariable), ['/', '/test']);
    assert.equal(basePathPrefix(byVariable, 'openapi3', 'ignore'), '');
  });

  test('PutRestApi overwrite replaces the definition and keeps the root; merge adds to it', () => {
    const first = importRestApi(emptyApi(), samStyle, options()).document;
    first.api.binaryMediaTypes = ['image/heif'];
    const other: SpecObject = {
      swagger: '2.0',
      info: { title: 'other', version: '2' },
      'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'],
      paths: { '/other': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
    };
    const overwritten = importRestApi(first, other, options({ mode: 'overwrite' })).document;
    assert.equal(overwritten.api.rootResourceId, first.api.rootResourceId);
    assert.deepEqual(Object.values(overwritten.resources).map((r) => r.path).sort(), ['/', '/other']);
    assert.deepEqual(overwritten.models, {});
    assert.deepEqual(overwritten.api.binaryMediaTypes, ['image/png', 'image/jpg']);
    assert.equal(overwritten.api.name, 'other');
    const merged = importRestApi(first, other, options({ mode: 'merge' })).document;
    assert.deepEqual(Object.values(merged.resources).map((r) => r.path).sort(), ['/', '/hello', '/hello/{name}', '/mock', '/other']);
    assert.deepEqual(merged.api.binaryMediaTypes, ['image/heif', 'image/png', 'image/jpg']);
    assert.ok(merged.models.Answer);
    // The input document is not changed.
    assert.equal(first.api.name, 'sam-app');
  });

  test('bad documents: AWS messages', () => {
    assert.throws(() => parseSpecText('{\'key:value}'), (e: unknown) => e instanceof SpecError && e.message === INVALID_OPENAPI_INPUT);
    assert.throws(
      () => parseSpecText('test:\n    value:\n        - "value ... "escaped": $var, "dt": $(var +"%a")}"\n        '),
      (e: unknown) => e instanceof SpecError && e.message === INVALID_OPENAPI_INPUT,
    );
    const deep = `{"openapi":"3.0.1","info":{"title":"t"},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    assert.throws(() => parseSpecText(deep), (e: unknown) => e instanceof SpecError && e.message === INVALID_OPENAPI_INPUT);
    const aliases = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    assert.throws(() => parseSpecText(aliases), SpecError);
    assert.throws(() => importRestApi(emptyApi(), { hello: 'world' }, options()), (e: unknown) => e instanceof SpecError && e.message === INVALID_OPENAPI_INPUT);
    assert.throws(() => importRestApi(emptyApi(), parseSpecText('just text'), options()), SpecError);
    const wrongType: SpecObject = { openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'lambda' } } } } };
    assert.throws(() => importRestApi(emptyApi(), wrongType, options()), (e: unknown) => e instanceof SpecError && e.message.startsWith('Errors found during import:\n\t') && e.message.includes("'GET'"));
    const missingModel: SpecObject = { openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } } };
    assert.throws(() => importRestApi(emptyApi(), missingModel, options()), /Invalid model identifier specified: Nope/);
    const badPart: SpecObject = { openapi: '3.0.1', info: { title: 't' }, paths: { '/a b': { get: {} } } };
    assert.throws(() => importRestApi(emptyApi(), badPart, options()), /path part/);
    const twoVariables: SpecObject = { openapi: '3.0.1', info: { title: 't' }, paths: { '/{a}': { get: {} }, '/{b}/x': { get: {} } } };
    assert.throws(() => importRestApi(emptyApi(), twoVariables, options()), /only one is allowed/);
    const noTitle: SpecObject = { openapi: '3.0.1', info: {}, paths: {} };
    assert.throws(() => importRestApi(emptyApi(), noTitle, options()), /API name must be non-empty/);
    const unknownSecurity: SpecObject = { openapi: '3.0.1', info: { title: 't' }, paths: { '/x': { get: { security: [{ nope: [] }] } } } };
    assert.throws(() => importRestApi(emptyApi(), unknownSecurity, options()), /No security definition found for 'nope'/);
  });

  test('YAML with integer status codes and a template written as an object', () => {
    const spec = parseSpecText(
      [
        'openapi: 3.0.1',
        'info: {title: yaml-api, version: "1.0"}',
        'paths:',
        '  /test:',
        '    get:',
        '      responses:',
        '        200:',
        '          description: ok',
        '      x-amazon-apigateway-integration:',
        '        type: mock',
        '        requestTemplates:',
        '          application/json:',
        '            statusCode: 200',
        '        responses:',
        '          default:',
        '            statusCode: 200',
      ].join('\n'),
    );
    const { document: doc } = importRestApi(emptyApi(), spec, options());
    const get = byPath(doc, '/test')!.resourceMethods!.GET;
    assert.deepEqual(Object.keys(get.methodResponses!), ['200']);
    assert.deepEqual(get.methodIntegration!.requestTemplates, { 'application/json': '{"statusCode":200}' });
    assert.deepEqual(get.methodIntegration!.integrationResponses, { '200': { statusCode: '200' } });
  });

  test('warnings for what API Gateway ignores', () => {
    const spec: SpecObject = {
      openapi: '3.0.1',
      info: { title: 't' },
      components: { securitySchemes: { oauth: { type: 'oauth2', flows: {} } } },
      paths: { '/x': { get: { responses: { default: { description: 'd' }, '2XX': { description: 'x' } } } } },
    };
    const { warnings } = importRestApi(emptyApi(), spec, options());
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /oauth/);
    assert.match(warnings[1], /2XX/);
  });
});
