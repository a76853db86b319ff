/**
 * The rest of the REST API control plane through @aws-sdk/client-api-gateway: authorizers, request
 * validators, models, gateway responses, documentation, the account, tags by ARN, VPC links,
 * cloneFrom, patching methods and integrations, concurrent changes to one API, and what survives a
 * restart. Good input and bad; texts are AWS's where recorded, else the comment says whose.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, tempDataDir, type TestServer } from '../support/server.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

async function newApi(name = 'more'): Promise<{ id: string; root: string }> {
  const api = await client.send(new apigw.CreateRestApiCommand({ name }));
  return { id: api.id!, root: api.rootResourceId! };
}

const LAMBDA_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations';

describe('authorizers', () => {
  test('TOKEN, REQUEST and COGNITO_USER_POOLS: defaults, checks, updates, and a refused delete while a method uses one', async () => {
    const { id, root } = await newApi();
    const token = await client.send(
      new apigw.CreateAuthorizerCommand({ restApiId: id, name: 'tok', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Authorization' }),
    );
    assert.equal(token.$metadata.httpStatusCode, 201);
    assert.equal(token.authorizerResultTtlInSeconds, 300);
    assert.equal(token.authType, 'custom');
    await rejects(
      client.send(new apigw.CreateAuthorizerCommand({ restApiId: id, name: 'bad', type: 'TOKEN', authorizerUri: LAMBDA_URI, identitySource: 'method.request.querystring.x' })),
      'BadRequestException',
      /identity source/,
    );
    await rejects(client.send(new apigw.CreateAuthorizerCommand({ restApiId: id, name: 'cog', type: 'COGNITO_USER_POOLS' })), 'BadRequestException', /ProviderARNs/);
    const request = await client.send(new apigw.CreateAuthorizerCommand({ restApiId: id, name: 'req', type: 'REQUEST', authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 0 }));
    assert.equal(request.identitySource, undefined);
    const cognito = await client.send(
      new apigw.CreateAuthorizerCommand({ restApiId: id, name: 'cog', type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc'] }),
    );
    assert.equal(cognito.authType, 'cognito_user_pools');
    const list = await client.send(new apigw.GetAuthorizersCommand({ restApiId: id }));
    assert.deepEqual(list.items!.map((a) => a.name), ['tok', 'req', 'cog']);
    const updated = await client.send(
      new apigw.UpdateAuthorizerCommand({
        restApiId: id,
        authorizerId: token.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'renamed' },
          { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '60' },
        ],
      }),
    );
    assert.equal(updated.name, 'renamed');
    assert.equal(updated.authorizerResultTtlInSeconds, 60);

    await rejects(
      client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: token.id })),
      'BadRequestException',
      'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    );
    const method = await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: token.id }));
    assert.equal(method.authorizerId, token.id);
    await rejects(client.send(new apigw.DeleteAuthorizerCommand({ restApiId: id, authorizerId: token.id })), 'ConflictException', /referenced/, 409);
    await client.send(new apigw.DeleteAuthorizerCommand({ restApiId: id, authorizerId: request.id }));
    await rejects(client.send(new apigw.GetAuthorizerCommand({ restApiId: id, authorizerId: request.id })), 'NotFoundException', 'Invalid Authorizer identifier specified', 404);
  });
});

describe('request validators and models', () => {
  test('validators: defaults, update, use by a method, delete', async () => {
    const { id, root } = await newApi();
    const v = await client.send(new apigw.CreateRequestValidatorCommand({ restApiId: id, name: 'body' }));
    assert.deepEqual({ ...v, $metadata: undefined }, { $metadata: undefined, id: v.id, name: 'body', validateRequestBody: false, validateRequestParameters: false });
    const u = await client.send(new apigw.UpdateRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id, patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'true' }] }));
    assert.equal(u.validateRequestBody, true);
    await rejects(
      client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: 'nope' })),
      'BadRequestException',
      'Invalid Request Validator identifier specified',
    );
    await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: v.id }));
    await client.send(new apigw.DeleteRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id }));
    const method = await client.send(new apigw.GetMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'POST' }));
    assert.equal(method.requestValidatorId, undefined);
  });

  test('models: the two defaults, create, template, update, delete, and bad schemas', async () => {
    const { id } = await newApi();
    const defaults = await client.send(new apigw.GetModelsCommand({ restApiId: id }));
    assert.deepEqual(defaults.items!.map((m) => [m.name, m.description]), [
      ['Empty', 'This is a default empty schema model'],
      ['Error', 'This is a default error schema model'],
    ]);
    const schema = JSON.stringify({ type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } });
    const m = await client.send(new apigw.CreateModelCommand({ restApiId: id, name: 'Pet', contentType: 'application/json', schema }));
    assert.equal(m.schema, schema);
    const template = await client.send(new apigw.GetModelTemplateCommand({ restApiId: id, modelName: 'Pet' }));
    assert.match(template.value!, /^#set\(\$inputRoot = \$input\.path\('\$'\)\)/);
    assert.match(template.value!, /"name" : "\$inputRoot\.name"/);
    assert.match(template.value!, /"age" : \$inputRoot\.age/);
    assert.match(template.value!, /#foreach\(\$elem\d+ in \$inputRoot\.tags\)/);
    await rejects(client.send(new apigw.CreateModelCommand({ restApiId: id, name: 'Bad', contentType: 'application/json', schema: '{not json' })), 'BadRequestException', /Invalid model/);
    await rejects(client.send(new apigw.CreateModelCommand({ restApiId: id, name: 'bad-name', contentType: 'application/json', schema })), 'BadRequestException', /alphanumeric/);
    const updated = await client.send(new apigw.UpdateModelCommand({ restApiId: id, modelName: 'Pet', patchOperations: [{ op: 'replace', path: '/description', value: 'a pet' }] }));
    assert.equal(updated.description, 'a pet');
    await client.send(new apigw.DeleteModelCommand({ restApiId: id, modelName: 'Pet' }));
    await rejects(client.send(new apigw.GetModelCommand({ restApiId: id, modelName: 'Pet' })), 'NotFoundException', 'Invalid model name specified: Pet', 404);
  });
});

describe('gateway responses', () => {
  test('the defaults AWS lists, a customised one, and back to the default on delete', async () => {
    const { id } = await newApi();
    const all = await client.send(new apigw.GetGatewayResponsesCommand({ restApiId: id }));
    assert.equal(all.items!.length, 21);
    assert.ok(all.items!.every((r) => r.defaultResponse === true));
    const byType = Object.fromEntries(all.items!.map((r) => [r.responseType, r]));
    assert.equal(byType.MISSING_AUTHENTICATION_TOKEN.statusCode, '403');
    assert.equal(byType.THROTTLED.statusCode, '429');
    assert.equal(byType.DEFAULT_4XX.statusCode, undefined);
    assert.deepEqual(byType.ACCESS_DENIED.responseTemplates, { 'application/json': '{"message":$context.error.messageString}' });
    const put = await client.send(
      new apigw.PutGatewayResponseCommand({
        restApiId: id,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.x-a': "'b'" },
        responseTemplates: { 'application/json': '{"m":"$context.error.messageString"}' },
      }),
    );
    assert.equal(put.defaultResponse, false);
    const updated = await client.send(
      new apigw.UpdateGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX', patchOperations: [{ op: 'add', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'*'" }] }),
    );
    assert.equal(updated.defaultResponse, false);
    assert.equal(updated.responseParameters!['gatewayresponse.header.Access-Control-Allow-Origin'], "'*'");
    await client.send(new apigw.DeleteGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    const back = await client.send(new apigw.GetGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal(back.statusCode, '403');
    assert.equal(back.defaultResponse, true);
  });
});

describe('documentation', () => {
  test('parts, versions (with a stage), import', async () => {
    const { id, root } = await newApi();
    const part = await client.send(new apigw.CreateDocumentationPartCommand({ restApiId: id, location: { type: 'METHOD', path: '/', method: 'GET' }, properties: '{"summary":"x"}' }));
    assert.deepEqual(part.location, { type: 'METHOD', path: '/', method: 'GET' });
    await rejects(
      client.send(new apigw.CreateDocumentationPartCommand({ restApiId: id, location: { type: 'METHOD', path: '/', method: 'GET' }, properties: '{}' })),
      'ConflictException',
      /already exists/,
      409,
    );
    const imported = await client.send(
      new apigw.ImportDocumentationPartsCommand({
        restApiId: id,
        mode: 'merge',
        body: new TextEncoder().encode(JSON.stringify({ 'x-amazon-apigateway-documentation': { documentationParts: [{ location: { type: 'API' }, properties: { description: 'd' } }] } })),
      }),
    );
    assert.equal(imported.ids!.length, 1);
    const parts = await client.send(new apigw.GetDocumentationPartsCommand({ restApiId: id }));
    assert.equal(parts.items!.length, 2);
    await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new apigw.PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const version = await client.send(new apigw.CreateDocumentationVersionCommand({ restApiId: id, documentationVersion: 'v1', stageName: 'dev' }));
    assert.equal(version.version, 'v1');
    assert.equal((await client.send(new apigw.GetStageCommand({ restApiId: id, stageName: 'dev' }))).documentationVersion, 'v1');
    const updated = await client.send(new apigw.UpdateDocumentationVersionCommand({ restApiId: id, documentationVersion: 'v1', patchOperations: [{ op: 'replace', path: '/description', value: 'first' }] }));
    assert.equal(updated.description, 'first');
    await client.send(new apigw.DeleteDocumentationVersionCommand({ restApiId: id, documentationVersion: 'v1' }));
    assert.deepEqual((await client.send(new apigw.GetDocumentationVersionsCommand({ restApiId: id }))).items, []);
  });
});

describe('account, tags, VPC links', () => {
  test('GetAccount answers the regional throttle; UpdateAccount keeps a role', async () => {
    const account = await client.send(new apigw.GetAccountCommand({}));
    assert.deepEqual(account.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    const role = 'arn:aws:iam::000000000000:role/apigw-logs';
    const updated = await client.send(new apigw.UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: role }] }));
    assert.equal(updated.cloudwatchRoleArn, role);
    assert.equal((await client.send(new apigw.GetAccountCommand({}))).cloudwatchRoleArn, role);
    await rejects(client.send(new apigw.UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'nope' }] })), 'BadRequestException', /not well formed/);
  });

  test('tags by ARN: an API, a stage, a VPC link; unknown resources and ARNs refused', async () => {
    const { id } = await newApi();
    const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${id}`;
    await client.send(new apigw.TagResourceCommand({ resourceArn: apiArn, tags: { a: '1', b: '2' } }));
    await client.send(new apigw.UntagResourceCommand({ resourceArn: apiArn, tagKeys: ['a'] }));
    assert.deepEqual((await client.send(new apigw.GetTagsCommand({ resourceArn: apiArn }))).tags, { b: '2' });
    assert.deepEqual((await client.send(new apigw.GetRestApiCommand({ restApiId: id }))).tags, { b: '2' });
    const link = await client.send(new apigw.CreateVpcLinkCommand({ name: 'l', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/n/1'] }));
    const linkArn = `arn:aws:apigateway:us-east-1::/vpclinks/${link.id}`;
    await client.send(new apigw.TagResourceCommand({ resourceArn: linkArn, tags: { k: 'v' } }));
    assert.deepEqual((await client.send(new apigw.GetVpcLinkCommand({ vpcLinkId: link.id }))).tags, { k: 'v' });
    await rejects(client.send(new apigw.GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/apikeys/missing' })), 'NotFoundException', /Invalid resource identifier/, 404);
    await rejects(client.send(new apigw.TagResourceCommand({ resourceArn: 'arn:aws:sqs:us-east-1:000000000000:q', tags: { a: 'b' } })), 'BadRequestException', /Invalid ARN/);
    await rejects(client.send(new apigw.TagResourceCommand({ resourceArn: apiArn, tags: { 'aws:x': 'y' } })), 'BadRequestException', /aws:/);
  });

  test('VPC links: create, list, update, delete; bad input', async () => {
    await rejects(client.send(new apigw.CreateVpcLinkCommand({ name: 'x', targetArns: ['invalid-arn'] })), 'BadRequestException', 'Invalid ARN. ARN is not well formed invalid-arn');
    await rejects(client.send(new apigw.CreateVpcLinkCommand({ name: '', targetArns: [] })), 'BadRequestException', 'Name cannot be empty');
    const link = await client.send(new apigw.CreateVpcLinkCommand({ name: 'one', targetArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/n/2'] }));
    assert.equal(link.status, 'AVAILABLE');
    assert.ok((await client.send(new apigw.GetVpcLinksCommand({}))).items!.some((l) => l.id === link.id));
    const renamed = await client.send(new apigw.UpdateVpcLinkCommand({ vpcLinkId: link.id, patchOperations: [{ op: 'replace', path: '/name', value: 'two' }] }));
    assert.equal(renamed.name, 'two');
    await client.send(new apigw.DeleteVpcLinkCommand({ vpcLinkId: link.id }));
    await rejects(client.send(new apigw.GetVpcLinkCommand({ vpcLinkId: link.id })), 'NotFoundException', 'Invalid Vpc Link identifier specified', 404);
  });
});

describe('patching, cloning, concurrency', () => {
  test('UpdateMethod, UpdateIntegration, UpdateIntegrationResponse, UpdateMethodResponse', async () => {
    const { id, root } = await newApi();
    const key = { restApiId: id, resourceId: root, httpMethod: 'GET' };
    await client.send(new apigw.PutMethodCommand({ ...key, authorizationType: 'NONE', requestParameters: { 'method.request.querystring.q': false } }));
    const m = await client.send(
      new apigw.UpdateMethodCommand({
        ...key,
        patchOperations: [
          { op: 'replace', path: '/apiKeyRequired', value: 'true' },
          { op: 'add', path: '/requestParameters/method.request.header.x-id', value: 'true' },
          { op: 'add', path: '/requestModels/application~1json', value: 'Empty' },
          { op: 'replace', path: '/operationName', value: 'ListThings' },
        ],
      }),
    );
    assert.equal(m.apiKeyRequired, true);
    assert.deepEqual(m.requestParameters, { 'method.request.querystring.q': false, 'method.request.header.x-id': true });
    assert.deepEqual(m.requestModels, { 'application/json': 'Empty' });
    assert.equal(m.operationName, 'ListThings');
    await client.send(new apigw.PutIntegrationCommand({ ...key, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://example.com/a', requestParameters: { 'integration.request.querystring.q': 'method.request.querystring.q' } }));
    await rejects(
      client.send(new apigw.PutIntegrationCommand({ ...key, type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://example.com/a', requestParameters: { 'integration.request.querystring.z': 'method.request.querystring.z' } })),
      'BadRequestException',
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.request.querystring.z]',
    );
    const i = await client.send(
      new apigw.UpdateIntegrationCommand({
        ...key,
        patchOperations: [
          { op: 'replace', path: '/uri', value: 'https://example.com/b' },
          { op: 'replace', path: '/timeoutInMillis', value: '5000' },
          { op: 'add', path: '/requestTemplates/application~1json', value: '{}' },
        ],
      }),
    );
    assert.equal(i.uri, 'https://example.com/b');
    assert.equal(i.timeoutInMillis, 5000);
    assert.deepEqual(i.requestTemplates, { 'application/json': '{}' });
    await rejects(client.send(new apigw.UpdateIntegrationCommand({ ...key, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '30000' }] })), 'BadRequestException', /Timeout/);
    await client.send(new apigw.PutIntegrationResponseCommand({ ...key, statusCode: '200', selectionPattern: '' }));
    const ir = await client.send(new apigw.UpdateIntegrationResponseCommand({ ...key, statusCode: '200', patchOperations: [{ op: 'replace', path: '/selectionPattern', value: '2\\d{2}' }] }));
    assert.equal(ir.selectionPattern, '2\\d{2}');
    await client.send(new apigw.PutMethodResponseCommand({ ...key, statusCode: '200', responseParameters: { 'method.response.header.x': false } }));
    const mr = await client.send(new apigw.UpdateMethodResponseCommand({ ...key, statusCode: '200', patchOperations: [{ op: 'replace', path: '/responseParameters/method.response.header.x', value: 'true' }] }));
    assert.deepEqual(mr.responseParameters, { 'method.response.header.x': true });
  });

  test('CreateRestApi cloneFrom copies resources and methods under new ids', async () => {
    const { id, root } = await newApi('source');
    const r = await client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'items' }));
    await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new apigw.PutIntegrationCommand({ restApiId: id, resourceId: r.id, httpMethod: 'GET', type: 'MOCK' }));
    const clone = await client.send(new apigw.CreateRestApiCommand({ name: 'clone', cloneFrom: id }));
    const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: clone.id, embed: ['methods'] }));
    const items = resources.items!.find((x) => x.path === '/items')!;
    assert.notEqual(items.id, r.id);
    assert.equal(items.parentId, clone.rootResourceId);
    assert.equal(items.resourceMethods!.GET.methodIntegration!.type, 'MOCK');
    assert.equal(items.resourceMethods!.GET.methodIntegration!.cacheNamespace, items.id);
  });

  test('changes to one API at the same time are all kept', async () => {
    const { id, root } = await newApi();
    const parts = Array.from({ length: 25 }, (_, i) => `p${i}`);
    await Promise.all(parts.map((pathPart) => client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart }))));
    const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: id, limit: 500 }));
    assert.equal(resources.items!.length, 26);
  });

  test('FlushStageCache and FlushStageAuthorizersCache answer 202 for a stage, 404 without one', async () => {
    const { id, root } = await newApi();
    await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new apigw.PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new apigw.CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    assert.equal((await client.send(new apigw.FlushStageCacheCommand({ restApiId: id, stageName: 'dev' }))).$metadata.httpStatusCode, 202);
    assert.equal((await client.send(new apigw.FlushStageAuthorizersCacheCommand({ restApiId: id, stageName: 'dev' }))).$metadata.httpStatusCode, 202);
    await rejects(client.send(new apigw.FlushStageCacheCommand({ restApiId: id, stageName: 'nope' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
  });
});

describe('durability', () => {
  test('an API, its resources, deployment and stage are there after a restart', async () => {
    const data = tempDataDir();
    try {
      const first = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
      const c1 = first.client(apigw.APIGatewayClient);
      const api = await c1.send(new apigw.CreateRestApiCommand({ name: 'durable' }));
      const r = await c1.send(new apigw.CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'x' }));
      await c1.send(new apigw.PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE' }));
      await c1.send(new apigw.PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'MOCK' }));
      const d = await c1.send(new apigw.CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
      await first.stop();
      const second = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
      try {
        const c2 = second.client(apigw.APIGatewayClient);
        const resources = await c2.send(new apigw.GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
        assert.equal(resources.items!.find((x) => x.id === r.id)!.resourceMethods!.GET.methodIntegration!.type, 'MOCK');
        assert.equal((await c2.send(new apigw.GetStageCommand({ restApiId: api.id, stageName: 'prod' }))).deploymentId, d.id);
        assert.equal((await c2.send(new apigw.GetDeploymentCommand({ restApiId: api.id, deploymentId: d.id }))).id, d.id);
      } finally {
        await second.stop();
      }
    } finally {
      data.cleanup();
    }
  });
});
