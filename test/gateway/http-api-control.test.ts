/**
 * The apigatewayv2 control plane through @aws-sdk/client-apigatewayv2: HTTP and WebSocket APIs,
 * quick create, routes, integrations, authorizers, models, stages, deployments (auto-deploy),
 * tags, paging — good input and bad, and what survives a restart.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`;

let server: TestServer;
let client: v2.ApiGatewayV2Client;

before(async () => {
  server = await startTestServer();
  client = server.client(v2.ApiGatewayV2Client);
});
after(() => server.stop());

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status: number): Promise<void> {
  const error = await rejectsWith(promise, code, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

const httpApi = async (name = 'http', extra: Partial<v2.CreateApiCommandInput> = {}) =>
  client.send(new v2.CreateApiCommand({ Name: name, ProtocolType: 'HTTP', ...extra }));

describe('APIs', () => {
  test('CreateApi (HTTP) answers AWS defaults and an endpoint on the host the client used', async () => {
    const api = await httpApi('first', { Description: 'd', Tags: { team: 'a' } });
    assert.match(api.ApiId!, /^[a-z0-9]{10}$/);
    assert.equal(api.ProtocolType, 'HTTP');
    assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}');
    assert.equal(api.ApiKeySelectionExpression, '$request.header.x-api-key');
    assert.equal(api.DisableExecuteApiEndpoint, false);
    assert.equal(api.Description, 'd');
    assert.deepEqual(api.Tags, { team: 'a' });
    assert.ok(api.CreatedDate instanceof Date);
    const port = new URL(server.url).port;
    assert.equal(api.ApiEndpoint, `http://${api.ApiId}.execute-api.localhost:${port}`);
    const got = await client.send(new v2.GetApiCommand({ ApiId: api.ApiId }));
    assert.equal(got.Name, 'first');
    assert.equal(got.ApiEndpoint, api.ApiEndpoint);
  });

  test('CreateApi (WEBSOCKET) needs a route selection expression and answers a ws:// endpoint', async () => {
    await rejects(client.send(new v2.CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET' })), 'BadRequestException', /RouteSelectionExpression/, 400);
    const api = await client.send(new v2.CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    assert.equal(api.RouteSelectionExpression, '$request.body.action');
    assert.match(api.ApiEndpoint!, /^ws:\/\/[a-z0-9]{10}\.execute-api\.localhost:\d+$/);
    await rejects(
      client.send(new v2.CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action', CorsConfiguration: { AllowOrigins: ['*'] } })),
      'BadRequestException',
      /CORS/,
      400,
    );
  });

  test('bad input: protocol, name, route selection for HTTP', async () => {
    await rejects(client.send(new v2.CreateApiCommand({ Name: 'x', ProtocolType: 'SOAP' as never })), 'BadRequestException', /protocolType|ProtocolType/, 400);
    await rejects(client.send(new v2.CreateApiCommand({ ProtocolType: 'HTTP' } as never)), 'BadRequestException', /name|Name/, 400);
    await rejects(httpApi('x', { RouteSelectionExpression: '$request.body.action' }), 'BadRequestException', /route selection/, 400);
  });

  test('GetApi, UpdateApi, DeleteApi of an unknown id: NotFoundException with the account', async () => {
    await rejects(client.send(new v2.GetApiCommand({ ApiId: 'nope123456' })), 'NotFoundException', `Invalid API identifier specified ${ACCOUNT}:nope123456`, 404);
    await rejects(client.send(new v2.UpdateApiCommand({ ApiId: 'nope123456', Name: 'n' })), 'NotFoundException', /Invalid API identifier/, 404);
    await rejects(client.send(new v2.DeleteApiCommand({ ApiId: 'nope123456' })), 'NotFoundException', /Invalid API identifier/, 404);
  });

  test('UpdateApi changes what it names; CORS set and deleted', async () => {
    const api = await httpApi('upd');
    const updated = await client.send(
      new v2.UpdateApiCommand({ ApiId: api.ApiId, Name: 'renamed', CorsConfiguration: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'], MaxAge: 300 } }),
    );
    assert.equal(updated.Name, 'renamed');
    assert.deepEqual(updated.CorsConfiguration, { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'], MaxAge: 300 });
    await client.send(new v2.DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    assert.equal((await client.send(new v2.GetApiCommand({ ApiId: api.ApiId }))).CorsConfiguration, undefined);
    await rejects(client.send(new v2.UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: { MaxAge: 90000 } })), 'BadRequestException', /.+/, 400);
  });

  test('quick create makes a managed integration, route and $default stage with auto-deploy', async () => {
    const api = await httpApi('quick', { Target: FN });
    const routes = await client.send(new v2.GetRoutesCommand({ ApiId: api.ApiId }));
    assert.equal(routes.Items!.length, 1);
    const route = routes.Items![0];
    assert.equal(route.RouteKey, '$default');
    assert.equal(route.ApiGatewayManaged, true);
    const integrationId = route.Target!.replace('integrations/', '');
    const integration = await client.send(new v2.GetIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integrationId }));
    assert.equal(integration.IntegrationType, 'AWS_PROXY');
    assert.equal(integration.PayloadFormatVersion, '2.0');
    assert.equal(integration.IntegrationUri, FN);
    assert.equal(integration.ApiGatewayManaged, true);
    const stage = await client.send(new v2.GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.equal(stage.AutoDeploy, true);
    assert.match(stage.DeploymentId!, /^[a-z0-9]{6}$/);
    assert.equal(stage.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`);
    const withKey = await httpApi('quick2', { Target: 'https://example.com', RouteKey: 'GET /x' });
    const r2 = await client.send(new v2.GetRoutesCommand({ ApiId: withKey.ApiId }));
    assert.equal(r2.Items![0].RouteKey, 'GET /x');
    await rejects(httpApi('bad', { Target: 'not a target' }), 'BadRequestException', /target/i, 400);
  });

  test('GetApis pages with MaxResults and NextToken', async () => {
    for (let i = 0; i < 3; i += 1) await httpApi(`page-${i}`);
    const all = (await client.send(new v2.GetApisCommand({}))).Items!;
    const first = await client.send(new v2.GetApisCommand({ MaxResults: '2' }));
    assert.equal(first.Items!.length, 2);
    assert.ok(first.NextToken);
    const seen = [...first.Items!];
    let token: string | undefined = first.NextToken;
    while (token) {
      const next: v2.GetApisCommandOutput = await client.send(new v2.GetApisCommand({ MaxResults: '2', NextToken: token }));
      seen.push(...next.Items!);
      token = next.NextToken;
    }
    assert.deepEqual(
      seen.map((a) => a.ApiId),
      all.map((a) => a.ApiId),
    );
  });
});

describe('routes and integrations', () => {
  test('CreateRoute validates keys, targets, conflicts; defaults as AWS answers', async () => {
    const api = await httpApi('routes');
    const integration = await client.send(new v2.CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0' }));
    assert.match(integration.IntegrationId!, /^[a-z0-9]{7}$/);
    assert.equal(integration.IntegrationMethod, 'POST');
    assert.equal(integration.ConnectionType, 'INTERNET');
    assert.equal(integration.TimeoutInMillis, 30000);
    const route = await client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/{id}', Target: `integrations/${integration.IntegrationId}` }));
    assert.match(route.RouteId!, /^[a-z0-9]{7}$/);
    assert.equal(route.AuthorizationType, 'NONE');
    assert.equal(route.ApiKeyRequired, false);
    await rejects(client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /pets/{id}' })), 'ConflictException', /already exists/, 409);
    await rejects(
      client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'DELETE /pets/{petId}' })),
      'ConflictException',
      'The provided route key "DELETE /pets/{petId}" has a conflicting variable on the same hierarchical level as "GET /pets/{id}"',
      409,
    );
    for (const bad of ['FETCH /x', 'GET x', 'GET /a/{p+}/b', 'GET /a//b', 'nonsense']) {
      await rejects(client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: bad })), 'BadRequestException', /.+/, 400);
    }
    await rejects(client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a', Target: 'integrations/nothere' })), 'NotFoundException', /Integration/, 404);
    await rejects(client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /b', AuthorizationType: 'JWT' })), 'BadRequestException', /AuthorizerId/, 400);
    await rejects(client.send(new v2.GetRouteCommand({ ApiId: api.ApiId, RouteId: 'zzzzzzz' })), 'NotFoundException', 'Invalid Route identifier specified zzzzzzz', 404);
    await rejects(
      client.send(new v2.DeleteIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId })),
      'ConflictException',
      /route/,
      409,
    );
    const updated = await client.send(new v2.UpdateRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteKey: 'ANY /{proxy+}' }));
    assert.equal(updated.RouteKey, 'ANY /{proxy+}');
    await client.send(new v2.DeleteRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }));
    await client.send(new v2.DeleteIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integration.IntegrationId }));
    assert.deepEqual((await client.send(new v2.GetRoutesCommand({ ApiId: api.ApiId }))).Items, []);
  });

  test('CreateIntegration checks types, URIs, payload versions, timeouts, subtypes and mapping keys', async () => {
    const api = await httpApi('integrations');
    const ApiId = api.ApiId!;
    const bad = async (input: Partial<v2.CreateIntegrationCommandInput>, message: RegExp) =>
      rejects(client.send(new v2.CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', ...input } as v2.CreateIntegrationCommandInput)), 'BadRequestException', message, 400);
    await bad({ IntegrationType: 'MOCK' }, /not supported for HTTP APIs/);
    await bad({ IntegrationUri: FN }, /PayloadFormatVersion/);
    await bad({ IntegrationUri: FN, PayloadFormatVersion: '3.0' }, /PayloadFormatVersion/);
    await bad({ IntegrationUri: 'https://x', PayloadFormatVersion: '2.0' }, /Lambda/);
    await bad({ IntegrationUri: FN, PayloadFormatVersion: '2.0', TimeoutInMillis: 30001 }, /timeoutInMillis|TimeoutInMillis/);
    await bad({ IntegrationUri: FN, PayloadFormatVersion: '2.0', TimeoutInMillis: 49 }, /timeoutInMillis|TimeoutInMillis/);
    await bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'ftp://x' }, /http/);
    await bad({ IntegrationSubtype: 'SQS-SendMessage', RequestParameters: { QueueUrl: 'q' } }, /MessageBody/);
    await bad({ IntegrationSubtype: 'SQS-Nothing', RequestParameters: {} }, /subtype/);
    await bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', RequestParameters: { 'set:header.x': 'y' } }, /mapping/);
    await bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', RequestTemplates: { 'application/json': '{}' } }, /WebSocket/);
    const sqs = await client.send(
      new v2.CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationSubtype: 'SQS-SendMessage',
        PayloadFormatVersion: '1.0',
        CredentialsArn: 'arn:aws:iam::000000000000:role/r',
        RequestParameters: { QueueUrl: 'https://q', MessageBody: '$request.body' },
      }),
    );
    assert.equal(sqs.IntegrationSubtype, 'SQS-SendMessage');
    const proxy = await client.send(
      new v2.CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://example.com/{proxy}',
        IntegrationMethod: 'GET',
        RequestParameters: { 'append:header.x-a': '$request.header.y', 'overwrite:path': '/p' },
        ResponseParameters: { '200': { 'overwrite:statuscode': '204' } },
      }),
    );
    assert.equal(proxy.PayloadFormatVersion, '1.0');
    const updated = await client.send(new v2.UpdateIntegrationCommand({ ApiId, IntegrationId: proxy.IntegrationId, TimeoutInMillis: 1000 }));
    assert.equal(updated.TimeoutInMillis, 1000);
    assert.equal(updated.IntegrationMethod, 'GET');
    assert.deepEqual(updated.RequestParameters, { 'append:header.x-a': '$request.header.y', 'overwrite:path': '/p' });
    // An empty value removes a mapping; an empty map a status code's mappings.
    const unmapped = await client.send(
      new v2.UpdateIntegrationCommand({
        ApiId,
        IntegrationId: proxy.IntegrationId,
        RequestParameters: { 'append:header.x-a': '', 'overwrite:header.x-b': 'static' },
        ResponseParameters: { '200': {}, '404': { 'append:header.x-missing': 'yes' } },
      }),
    );
    assert.deepEqual(unmapped.RequestParameters, { 'overwrite:path': '/p', 'overwrite:header.x-b': 'static' });
    assert.deepEqual(unmapped.ResponseParameters, { '404': { 'append:header.x-missing': 'yes' } });
    for (const reserved of ['append:header.Authorization', 'overwrite:header.x-amzn-trace-id', 'remove:header.access-control-allow-origin']) {
      await bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', RequestParameters: { [reserved]: 'x' } }, /reserved/);
    }
    await bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com', ResponseParameters: { '200': { 'overwrite:header.content-length': '1' } } }, /reserved/);
    const list = await client.send(new v2.GetIntegrationsCommand({ ApiId }));
    assert.equal(list.Items!.length, 2);
    await rejects(client.send(new v2.GetIntegrationCommand({ ApiId, IntegrationId: 'nothere' })), 'NotFoundException', 'Invalid Integration identifier specified nothere', 404);
  });

  test('route and integration responses are WebSocket features', async () => {
    const http = await httpApi('http-rr');
    const route = await client.send(new v2.CreateRouteCommand({ ApiId: http.ApiId, RouteKey: 'GET /' }));
    await rejects(client.send(new v2.CreateRouteResponseCommand({ ApiId: http.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' })), 'BadRequestException', /WebSocket/, 400);
    const ws = await client.send(new v2.CreateApiCommand({ Name: 'ws-rr', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const mock = await client.send(
      new v2.CreateIntegrationCommand({ ApiId: ws.ApiId, IntegrationType: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode":200}' }, TemplateSelectionExpression: '\\$default' }),
    );
    assert.equal(mock.TimeoutInMillis, 29000);
    assert.equal(mock.PassthroughBehavior, 'WHEN_NO_MATCH');
    assert.equal(mock.PayloadFormatVersion, '1.0');
    const wsRoute = await client.send(
      new v2.CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: 'echo', Target: `integrations/${mock.IntegrationId}`, RouteResponseSelectionExpression: '$default' }),
    );
    const rr = await client.send(new v2.CreateRouteResponseCommand({ ApiId: ws.ApiId, RouteId: wsRoute.RouteId, RouteResponseKey: '$default' }));
    assert.equal(rr.RouteResponseKey, '$default');
    await rejects(client.send(new v2.CreateRouteResponseCommand({ ApiId: ws.ApiId, RouteId: wsRoute.RouteId, RouteResponseKey: '$default' })), 'ConflictException', /exists/, 409);
    const ir = await client.send(
      new v2.CreateIntegrationResponseCommand({ ApiId: ws.ApiId, IntegrationId: mock.IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"ok":true}' } }),
    );
    assert.equal((await client.send(new v2.GetIntegrationResponsesCommand({ ApiId: ws.ApiId, IntegrationId: mock.IntegrationId }))).Items![0].IntegrationResponseId, ir.IntegrationResponseId);
    await rejects(client.send(new v2.CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: 'x', AuthorizationType: 'JWT', AuthorizerId: 'abc' })), 'BadRequestException', /.+/, 400);
    await rejects(client.send(new v2.CreateApiCommand({ Name: 'q', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action', Target: FN })), 'BadRequestException', /Quick create/, 400);
  });
});

describe('authorizers and models', () => {
  test('JWT and Lambda authorizers; routes refer to them', async () => {
    const api = await httpApi('auth');
    const jwt = await client.send(
      new v2.CreateAuthorizerCommand({
        ApiId: api.ApiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['aud'] },
      }),
    );
    assert.match(jwt.AuthorizerId!, /^[a-z0-9]{6}$/);
    const lambda = await client.send(
      new v2.CreateAuthorizerCommand({
        ApiId: api.ApiId,
        Name: 'lambda',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.x-token'],
        AuthorizerResultTtlInSeconds: 60,
      }),
    );
    await rejects(
      client.send(new v2.CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'x', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] })),
      'BadRequestException',
      /Issuer/,
      400,
    );
    await rejects(
      client.send(new v2.CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'x', AuthorizerType: 'REQUEST', AuthorizerUri: FN, IdentitySource: [] })),
      'BadRequestException',
      /AuthorizerPayloadFormatVersion/,
      400,
    );
    await rejects(
      client.send(new v2.CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'x', AuthorizerType: 'REQUEST', AuthorizerUri: FN, AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true, IdentitySource: [] })),
      'BadRequestException',
      /2\.0/,
      400,
    );
    const route = await client.send(
      new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['read'] }),
    );
    assert.deepEqual(route.AuthorizationScopes, ['read']);
    await rejects(
      client.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', AuthorizationType: 'JWT', AuthorizerId: lambda.AuthorizerId })),
      'BadRequestException',
      /REQUEST|JWT/,
      400,
    );
    await rejects(client.send(new v2.DeleteAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: jwt.AuthorizerId })), 'ConflictException', /GET \/me/, 409);
    const updated = await client.send(new v2.UpdateAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: lambda.AuthorizerId, AuthorizerResultTtlInSeconds: 0 }));
    assert.equal(updated.AuthorizerResultTtlInSeconds, 0);
    assert.equal((await client.send(new v2.GetAuthorizersCommand({ ApiId: api.ApiId }))).Items!.length, 2);
    await rejects(client.send(new v2.GetAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: 'abcdef' })), 'NotFoundException', 'Invalid Authorizer identifier specified abcdef', 404);
  });

  test('models (WebSocket) and their template', async () => {
    const ws = await client.send(new v2.CreateApiCommand({ Name: 'models', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const schema = JSON.stringify({ type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } });
    const model = await client.send(new v2.CreateModelCommand({ ApiId: ws.ApiId, Name: 'Pet', Schema: schema }));
    assert.equal(model.ContentType, 'application/json');
    const template = await client.send(new v2.GetModelTemplateCommand({ ApiId: ws.ApiId, ModelId: model.ModelId }));
    assert.match(template.Value!, /"name" : "\$inputRoot\.name"/);
    assert.match(template.Value!, /"age" : \$inputRoot\.age/);
    await rejects(client.send(new v2.CreateModelCommand({ ApiId: ws.ApiId, Name: 'Pet', Schema: schema })), 'ConflictException', /exists/, 409);
    await rejects(client.send(new v2.CreateModelCommand({ ApiId: ws.ApiId, Name: 'Bad', Schema: '{nope' })), 'BadRequestException', /schema/, 400);
    const http = await httpApi('models-http');
    await rejects(client.send(new v2.CreateModelCommand({ ApiId: http.ApiId, Name: 'Pet', Schema: schema })), 'BadRequestException', /WebSocket/, 400);
  });
});

describe('stages and deployments', () => {
  test('a stage without auto-deploy serves what CreateDeployment froze; auto-deploy deploys on every change', async () => {
    const api = await httpApi('stages');
    const ApiId = api.ApiId!;
    const stage = await client.send(new v2.CreateStageCommand({ ApiId, StageName: 'prod', StageVariables: { a: '1' }, DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 10 } }));
    assert.deepEqual(stage.StageVariables, { a: '1' });
    assert.deepEqual(stage.DefaultRouteSettings, { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 5, ThrottlingRateLimit: 10 });
    assert.deepEqual(stage.RouteSettings, {});
    assert.equal(stage.DeploymentId, undefined);
    await rejects(client.send(new v2.CreateStageCommand({ ApiId, StageName: 'prod' })), 'ConflictException', 'Stage already exists', 409);
    await rejects(client.send(new v2.CreateStageCommand({ ApiId, StageName: 'bad name' })), 'BadRequestException', /Stage name/, 400);
    await rejects(client.send(new v2.CreateStageCommand({ ApiId, StageName: 'v', StageVariables: { 'bad-name': 'x' } })), 'BadRequestException', /Stage variable/, 400);
    await rejects(client.send(new v2.CreateStageCommand({ ApiId, StageName: 'v', DefaultRouteSettings: { LoggingLevel: 'INFO' } })), 'BadRequestException', /Execution logs/, 400);
    await rejects(client.send(new v2.GetStageCommand({ ApiId, StageName: 'nope' })), 'NotFoundException', 'Invalid stage identifier specified', 404);

    const deployment = await client.send(new v2.CreateDeploymentCommand({ ApiId, StageName: 'prod', Description: 'first' }));
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED');
    assert.equal(deployment.AutoDeployed, false);
    assert.equal((await client.send(new v2.GetStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId, deployment.DeploymentId);
    await rejects(client.send(new v2.DeleteDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId })), 'BadRequestException', /Active stages/, 400);

    await client.send(new v2.CreateStageCommand({ ApiId, StageName: 'auto', AutoDeploy: true }));
    const before = (await client.send(new v2.GetStageCommand({ ApiId, StageName: 'auto' }))).DeploymentId;
    assert.ok(before);
    await client.send(new v2.CreateRouteCommand({ ApiId, RouteKey: 'GET /new' }));
    const afterChange = await client.send(new v2.GetStageCommand({ ApiId, StageName: 'auto' }));
    assert.notEqual(afterChange.DeploymentId, before);
    assert.equal((await client.send(new v2.GetStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId, deployment.DeploymentId);
    const deployments = (await client.send(new v2.GetDeploymentsCommand({ ApiId }))).Items!;
    assert.equal(deployments.filter((d) => d.AutoDeployed).length, 2);
    await rejects(client.send(new v2.CreateDeploymentCommand({ ApiId, StageName: 'auto' })), 'BadRequestException', /AutoDeploy/, 400);

    const updated = await client.send(
      new v2.UpdateStageCommand({ ApiId, StageName: 'prod', RouteSettings: { 'GET /new': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } }, StageVariables: { b: '2' } }),
    );
    assert.deepEqual(updated.StageVariables, { a: '1', b: '2' });
    assert.deepEqual(updated.RouteSettings, { 'GET /new': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } });
    await rejects(client.send(new v2.UpdateStageCommand({ ApiId, StageName: 'prod', RouteSettings: { 'GET /none': { ThrottlingBurstLimit: 1 } } })), 'NotFoundException', /GET \/none/, 404);
    await client.send(new v2.DeleteRouteSettingsCommand({ ApiId, StageName: 'prod', RouteKey: 'GET /new' }));
    assert.deepEqual((await client.send(new v2.GetStageCommand({ ApiId, StageName: 'prod' }))).RouteSettings, {});
    await client.send(
      new v2.UpdateStageCommand({ ApiId, StageName: 'prod', AccessLogSettings: { DestinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:access`, Format: '$context.requestId' } }),
    );
    await client.send(new v2.DeleteAccessLogSettingsCommand({ ApiId, StageName: 'prod' }));
    assert.equal((await client.send(new v2.GetStageCommand({ ApiId, StageName: 'prod' }))).AccessLogSettings, undefined);
    await rejects(
      client.send(new v2.UpdateStageCommand({ ApiId, StageName: 'prod', AccessLogSettings: { DestinationArn: 'arn:aws:s3:::bucket', Format: '$context.requestId' } })),
      'BadRequestException',
      /ARN/,
      400,
    );
    await client.send(new v2.ResetAuthorizersCacheCommand({ ApiId, StageName: 'prod' }));
    await client.send(new v2.DeleteStageCommand({ ApiId, StageName: 'prod' }));
    await client.send(new v2.DeleteDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId }));
    await rejects(client.send(new v2.GetDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId })), 'NotFoundException', /Deployment/, 404);
  });

  test('a WebSocket API needs a route before a deployment; no $default stage', async () => {
    const ws = await client.send(new v2.CreateApiCommand({ Name: 'ws-dep', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    await rejects(client.send(new v2.CreateDeploymentCommand({ ApiId: ws.ApiId })), 'BadRequestException', 'At least one route is required before deploying the Api.', 400);
    await rejects(client.send(new v2.CreateStageCommand({ ApiId: ws.ApiId, StageName: '$default' })), 'BadRequestException', /\$default/, 400);
    const stage = await client.send(new v2.CreateStageCommand({ ApiId: ws.ApiId, StageName: 'dev' }));
    assert.deepEqual(stage.DefaultRouteSettings, { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF' });
  });
});

describe('tags', () => {
  test('TagResource, GetTags, UntagResource on APIs and stages', async () => {
    const api = await httpApi('tags', { Tags: { a: '1' } });
    const arn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
    await client.send(new v2.TagResourceCommand({ ResourceArn: arn, Tags: { b: '2' } }));
    assert.deepEqual((await client.send(new v2.GetTagsCommand({ ResourceArn: arn }))).Tags, { a: '1', b: '2' });
    await client.send(new v2.UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await client.send(new v2.GetApiCommand({ ApiId: api.ApiId }))).Tags, { b: '2' });
    await client.send(new v2.CreateStageCommand({ ApiId: api.ApiId, StageName: 's1', Tags: { s: 'x' } }));
    assert.deepEqual((await client.send(new v2.GetTagsCommand({ ResourceArn: `${arn}/stages/s1` }))).Tags, { s: 'x' });
    await rejects(client.send(new v2.TagResourceCommand({ ResourceArn: arn, Tags: { 'aws:x': '1' } })), 'BadRequestException', /aws:/, 400);
    await rejects(client.send(new v2.GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/nothere00' })), 'NotFoundException', /Invalid API identifier/, 404);
    await rejects(client.send(new v2.GetTagsCommand({ ResourceArn: 'not-an-arn' })), 'BadRequestException', /ARN/, 400);
    await rejects(client.send(new v2.GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/domainnames/none.example.com' })), 'NotFoundException', /domain name/, 404);
    await rejects(httpApi('bad-tags', { Tags: { 'aws:reserved': 'x' } }), 'BadRequestException', /aws:/, 400);
  });
});

test('what was acknowledged survives a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-v2-'));
  try {
    const first = await startTestServer({ config: { inMemory: false, dataDir } });
    const c1 = first.client(v2.ApiGatewayV2Client);
    const api = await c1.send(new v2.CreateApiCommand({ Name: 'durable', ProtocolType: 'HTTP', Target: FN }));
    await c1.send(new v2.CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /kept' }));
    await first.stop();
    const second = await startTestServer({ config: { inMemory: false, dataDir } });
    try {
      const c2 = second.client(v2.ApiGatewayV2Client);
      const routes = (await c2.send(new v2.GetRoutesCommand({ ApiId: api.ApiId }))).Items!.map((r) => r.RouteKey).sort();
      assert.deepEqual(routes, ['$default', 'GET /kept']);
      const stage = await c2.send(new v2.GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
      assert.ok((await c2.send(new v2.GetDeploymentCommand({ ApiId: api.ApiId, DeploymentId: stage.DeploymentId }))).DeploymentId);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
