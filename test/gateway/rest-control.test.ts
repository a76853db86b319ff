/**
 * The REST API (v1) control plane through @aws-sdk/client-api-gateway: the chain an API is built
 * with (API, resources, methods, integrations, responses, deployments, stages), good input and bad.
 * Texts pinned here are AWS's as recorded (test/conformance/apigateway), unless a comment says otherwise.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

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

const send = <T>(command: { middlewareStack: unknown }) => client.send(command as never) as Promise<T>;

async function newApi(name = 'api'): Promise<{ id: string; root: string }> {
  const api = await client.send(new apigw.CreateRestApiCommand({ name }));
  return { id: api.id!, root: api.rootResourceId! };
}

describe('REST APIs', () => {
  test('CreateRestApi answers AWS defaults; GetRestApi and GetRestApis read it back; DeleteRestApi removes it', async () => {
    const created = await client.send(new apigw.CreateRestApiCommand({ name: 'pets', description: 'my api' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{10}$/);
    assert.equal(created.apiKeySource, 'HEADER');
    assert.deepEqual(created.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.equal(created.disableExecuteApiEndpoint, false);
    assert.ok(created.createdDate instanceof Date);
    const got = await client.send(new apigw.GetRestApiCommand({ restApiId: created.id }));
    assert.equal(got.name, 'pets');
    assert.equal(got.rootResourceId, created.rootResourceId);
    const list = await client.send(new apigw.GetRestApisCommand({}));
    assert.ok(list.items!.some((a) => a.id === created.id));
    const resources = await client.send(new apigw.GetResourcesCommand({ restApiId: created.id }));
    assert.deepEqual(resources.items, [{ id: created.rootResourceId, path: '/' }]);
    const models = await client.send(new apigw.GetModelsCommand({ restApiId: created.id })).catch(() => undefined);
    if (models) assert.deepEqual(models.items!.map((m) => m.name).sort(), ['Empty', 'Error']);
    const deleted = await client.send(new apigw.DeleteRestApiCommand({ restApiId: created.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(client.send(new apigw.GetRestApiCommand({ restApiId: created.id })), 'NotFoundException', `Invalid API identifier specified 000000000000:${created.id}`, 404);
  });

  test('CreateRestApi refuses what AWS refuses', async () => {
    await rejects(client.send(new apigw.CreateRestApiCommand({ name: 'x', description: '' })), 'BadRequestException', 'Description cannot be an empty string');
    await rejects(
      client.send(new apigw.CreateRestApiCommand({ name: 'x', minimumCompressionSize: -1 })),
      'BadRequestException',
      'Invalid minimum compression size, must be between 0 and 10485760',
    );
    await rejects(
      client.send(new apigw.CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: [] } })),
      'BadRequestException',
      'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.',
    );
    await rejects(
      client.send(new apigw.CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } })),
      'BadRequestException',
      'Only dualstack ipAddressType is supported for Private APIs.',
    );
  });

  test('GetRestApis pages with position and limit', async () => {
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await newApi(`paged-${i}`)).id);
    const seen: string[] = [];
    let position: string | undefined;
    do {
      const page = await client.send(new apigw.GetRestApisCommand({ limit: 2, position }));
      assert.ok(page.items!.length <= 2);
      seen.push(...page.items!.map((a) => a.id!));
      position = page.position;
    } while (position);
    for (const id of ids) assert.ok(seen.includes(id));
    assert.equal(new Set(seen).size, seen.length);
  });

  test('UpdateRestApi applies patch operations and refuses unknown paths', async () => {
    const { id } = await newApi();
    const updated = await client.send(
      new apigw.UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'renamed' },
          { op: 'add', path: '/binaryMediaTypes/image~1png' },
          { op: 'replace', path: '/minimumCompressionSize', value: '100' },
        ],
      }),
    );
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.binaryMediaTypes, ['image/png']);
    assert.equal(updated.minimumCompressionSize, 100);
    await rejects(
      client.send(new apigw.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'add', path: '/minimumCompressionSize', value: '10' }] })),
      'BadRequestException',
      'Invalid patch operation specified. Must be one of: [replace]',
    );
    await rejects(
      client.send(new apigw.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: 'add', path: '/binaryMediaTypes', value: 'image/gif' }] })),
      'BadRequestException',
      'Invalid patch path /binaryMediaTypes',
    );
  });
});

describe('resources, methods, integrations, deployments, stages', () => {
  test('the whole chain: a MOCK GET on /pets deployed to a stage', async () => {
    const { id, root } = await newApi('chain');
    const pets = await client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' }));
    assert.equal(pets.path, '/pets');
    assert.equal(pets.parentId, root);
    const method = await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: pets.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    assert.equal(method.$metadata.httpStatusCode, 201);
    assert.equal(method.apiKeyRequired, false);
    const mr = await client.send(new apigw.PutMethodResponseCommand({ restApiId: id, resourceId: pets.id, httpMethod: 'GET', statusCode: '200' }));
    assert.equal(mr.statusCode, '200');
    const integration = await client.send(
      new apigw.PutIntegrationCommand({
        restApiId: id,
        resourceId: pets.id,
        httpMethod: 'GET',
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
    assert.equal(integration.timeoutInMillis, 29000);
    assert.equal(integration.cacheNamespace, pets.id);
    assert.deepEqual(integration.cacheKeyParameters, []);
    const ir = await client.send(
      new apigw.PutIntegrationResponseCommand({ restApiId: id, resourceId: pets.id, httpMethod: 'GET', statusCode: '200', selectionPattern: '' }),
    );
    assert.equal(ir.selectionPattern, '');
    const full = await client.send(new apigw.GetMethodCommand({ restApiId: id, resourceId: pets.id, httpMethod: 'GET' }));
    assert.equal(full.methodIntegration!.integrationResponses!['200'].statusCode, '200');
    assert.equal(full.methodResponses!['200'].statusCode, '200');

    const embedded = await client.send(new apigw.GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
    assert.equal(embedded.items!.find((r) => r.id === pets.id)!.resourceMethods!.GET.httpMethod, 'GET');
    const plain = await client.send(new apigw.GetResourcesCommand({ restApiId: id }));
    assert.deepEqual(plain.items!.find((r) => r.id === pets.id)!.resourceMethods, { GET: {} });

    const deployment = await client.send(new apigw.CreateDeploymentCommand({ restApiId: id, stageName: 'dev', variables: { v: 'one' } }));
    assert.match(deployment.id!, /^[a-z0-9]+$/);
    const stage = await client.send(new apigw.GetStageCommand({ restApiId: id, stageName: 'dev' }));
    assert.equal(stage.deploymentId, deployment.id);
    assert.deepEqual(stage.variables, { v: 'one' });
    assert.equal(stage.cacheClusterStatus, 'NOT_AVAILABLE');
    assert.deepEqual(stage.methodSettings, {});

    const second = await client.send(new apigw.CreateDeploymentCommand({ restApiId: id }));
    const prod = await client.send(new apigw.CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: second.id }));
    assert.equal(prod.$metadata.httpStatusCode, 201);
    assert.equal(prod.tracingEnabled, false);
    const updated = await client.send(
      new apigw.UpdateStageCommand({
        restApiId: id,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/variables/color', value: 'blue' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '12.5' },
          { op: 'replace', path: '/~1pets/GET/logging/loglevel', value: 'INFO' },
        ],
      }),
    );
    assert.deepEqual(updated.variables, { color: 'blue' });
    assert.equal(updated.methodSettings!['*/*'].throttlingRateLimit, 12.5);
    assert.equal(updated.methodSettings!['~1pets/GET'].loggingLevel, 'INFO');
    const removed = await client.send(new apigw.UpdateStageCommand({ restApiId: id, stageName: 'prod', patchOperations: [{ op: 'remove', path: '/variables/color' }] }));
    assert.equal(removed.variables, undefined);

    await rejects(
      client.send(new apigw.DeleteDeploymentCommand({ restApiId: id, deploymentId: deployment.id })),
      'BadRequestException',
      'Active stages pointing to this deployment must be moved or deleted',
    );
    const list = await client.send(new apigw.GetDeploymentsCommand({ restApiId: id }));
    assert.deepEqual(list.items!.map((d) => d.id).sort(), [deployment.id, second.id].sort());
    const summary = await client.send(new apigw.GetDeploymentCommand({ restApiId: id, deploymentId: deployment.id, embed: ['apisummary'] }));
    assert.deepEqual(summary.apiSummary, { '/pets': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });
    await client.send(new apigw.DeleteStageCommand({ restApiId: id, stageName: 'dev' }));
    await client.send(new apigw.DeleteDeploymentCommand({ restApiId: id, deploymentId: deployment.id }));
    await rejects(client.send(new apigw.GetDeploymentCommand({ restApiId: id, deploymentId: deployment.id })), 'NotFoundException', 'Invalid Deployment identifier specified', 404);
  });

  test('CreateDeployment refuses an API without methods', async () => {
    const { id } = await newApi();
    await rejects(client.send(new apigw.CreateDeploymentCommand({ restApiId: id })), 'BadRequestException', "The REST API doesn't contain any methods");
  });

  test('resources: duplicate siblings, variable siblings, greedy parents, cascade delete', async () => {
    const { id, root } = await newApi();
    const a = await client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a' }));
    await rejects(client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a' })), 'ConflictException', 'Another resource with the same parent already has this name: a', 409);
    const proxy = await client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{proxy+}' }));
    await rejects(
      client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{dynamic}' })),
      'BadRequestException',
      'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed',
    );
    await rejects(
      client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: proxy.id, pathPart: 'child' })),
      'BadRequestException',
      'Cannot create a child of a resource with a greedy path variable: {proxy+}',
    );
    const b = await client.send(new apigw.CreateResourceCommand({ restApiId: id, parentId: a.id, pathPart: 'b' }));
    assert.equal(b.path, '/a/b');
    const moved = await client.send(new apigw.UpdateResourceCommand({ restApiId: id, resourceId: a.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'c' }] }));
    assert.equal(moved.path, '/c');
    assert.equal((await client.send(new apigw.GetResourceCommand({ restApiId: id, resourceId: b.id }))).path, '/c/b');
    await rejects(
      client.send(new apigw.UpdateResourceCommand({ restApiId: id, resourceId: a.id, patchOperations: [{ op: 'replace', path: '/parentId', value: b.id }] })),
      'BadRequestException',
      'Resources cannot be cyclical.',
    );
    await client.send(new apigw.DeleteResourceCommand({ restApiId: id, resourceId: a.id }));
    await rejects(client.send(new apigw.GetResourceCommand({ restApiId: id, resourceId: b.id })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
  });

  test('PutIntegration checks types, URIs and timeouts', async () => {
    const { id, root } = await newApi();
    await client.send(new apigw.PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    const put = (input: Partial<apigw.PutIntegrationCommandInput>) =>
      client.send(new apigw.PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'HTTP', ...input }));
    await rejects(put({ type: 'HTTP_PROXY', uri: 'http://example.com' }), 'BadRequestException', 'Enumeration value for HttpMethod must be non-empty');
    await rejects(put({ uri: 'non-valid-http', integrationHttpMethod: 'POST' }), 'BadRequestException', 'Invalid HTTP endpoint specified for URI');
    await rejects(put({ type: 'AWS', uri: 'non-valid-arn', integrationHttpMethod: 'POST' }), 'BadRequestException', 'Invalid ARN specified in the request');
    await rejects(
      put({ type: 'AWS', uri: 'arn:aws:iam::000000000000:role/service-role/x', integrationHttpMethod: 'POST' }),
      'BadRequestException',
      'AWS ARN for integration must contain path or action',
    );
    await rejects(
      put({ type: 'AWS_PROXY', uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query', integrationHttpMethod: 'POST' }),
      'BadRequestException',
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    );
    await rejects(put({ uri: 'http://example.com', integrationHttpMethod: 'GET', timeoutInMillis: 10 }), 'BadRequestException', 'Timeout should be between 50 ms and 29000 ms');
    const lambda = await put({
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations',
    });
    assert.equal(lambda.type, 'AWS_PROXY');
    assert.equal(lambda.connectionType, undefined);
    const http = await put({ uri: 'http://example.com/x', integrationHttpMethod: 'GET' });
    assert.equal(http.connectionType, 'INTERNET');
  });
});
