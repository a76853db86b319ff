/**
 * Acknowledged means stored, for API Gateway: a real `stratus start` child is killed with SIGKILL
 * while clients create API keys, REST resources and HTTP API routes as fast as it answers. After a
 * restart on the same data folder every acknowledged key, resource and route is there, and the
 * REST API and the HTTP API deployed before the kill answer their invoke URLs.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import * as v2 from '@aws-sdk/client-apigatewayv2';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';

async function mockApi(client: apigw.APIGatewayClient): Promise<{ id: string; rootId: string }> {
  const api = await client.send(new apigw.CreateRestApiCommand({ name: 'durable' }));
  const id = api.id!;
  const rootId = api.rootResourceId!;
  const common = { restApiId: id, resourceId: rootId, httpMethod: 'GET' };
  await client.send(new apigw.PutMethodCommand({ ...common, authorizationType: 'NONE' }));
  await client.send(new apigw.PutIntegrationCommand({ ...common, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new apigw.PutMethodResponseCommand({ ...common, statusCode: '200' }));
  await client.send(new apigw.PutIntegrationResponseCommand({ ...common, statusCode: '200', responseTemplates: { 'application/json': '{"alive": true}' } }));
  await client.send(new apigw.CreateDeploymentCommand({ restApiId: id, stageName: 'live' }));
  return { id, rootId };
}

test('every acknowledged API Gateway change survives kill -9, and deployed APIs answer after the restart', async () => {
  const data = tempDataDir();
  try {
    let server = await spawnServer({ dataDir: data.dir });
    let rest = new apigw.APIGatewayClient(clientConfigFor(server.url));
    let http = new v2.ApiGatewayV2Client(clientConfigFor(server.url));
    const api = await mockApi(rest);
    const httpApi = await http.send(new v2.CreateApiCommand({ Name: 'durable-http', ProtocolType: 'HTTP' }));
    await http.send(new v2.CreateStageCommand({ ApiId: httpApi.ApiId!, StageName: '$default', AutoDeploy: true }));

    const keys = new Set<string>();
    const resources = new Set<string>();
    const routes = new Set<string>();
    let stop = false;
    let n = 0;
    const loop = async (step: (i: number) => Promise<void>): Promise<void> => {
      while (!stop) {
        try {
          await step(n++);
        } catch {
          return; // the server died under this call: it was never acknowledged
        }
      }
    };
    const writers = [
      loop(async (i) => {
        const key = await rest.send(new apigw.CreateApiKeyCommand({ name: `key-${i}`, enabled: true }));
        keys.add(key.id!);
      }),
      loop(async (i) => {
        const resource = await rest.send(new apigw.CreateResourceCommand({ restApiId: api.id, parentId: api.rootId, pathPart: `r${i}` }));
        resources.add(resource.id!);
      }),
      loop(async (i) => {
        const route = await http.send(new v2.CreateRouteCommand({ ApiId: httpApi.ApiId!, RouteKey: `GET /r${i}` }));
        routes.add(route.RouteId!);
      }),
    ];
    // Let the writers run until each has had several changes acknowledged.
    while (keys.size < 10 || resources.size < 10 || routes.size < 10) await new Promise((r) => setTimeout(r, 10));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    server = await spawnServer({ dataDir: data.dir });
    rest = new apigw.APIGatewayClient(clientConfigFor(server.url));
    http = new v2.ApiGatewayV2Client(clientConfigFor(server.url));
    for (const id of keys) assert.equal((await rest.send(new apigw.GetApiKeyCommand({ apiKey: id }))).id, id, `acknowledged key ${id}`);
    const stored = new Set((await rest.send(new apigw.GetResourcesCommand({ restApiId: api.id, limit: 500 }))).items!.map((r) => r.id!));
    for (const id of resources) assert.ok(stored.has(id), `acknowledged resource ${id}`);
    const storedRoutes = new Set((await http.send(new v2.GetRoutesCommand({ ApiId: httpApi.ApiId!, MaxResults: '500' }))).Items!.map((r) => r.RouteId!));
    for (const id of routes) assert.ok(storedRoutes.has(id), `acknowledged route ${id}`);

    const answer = await fetch(`${server.url}/restapis/${api.id}/live/_user_request_/`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { alive: true });
    await server.kill('SIGTERM');
  } finally {
    data.cleanup();
  }
});
