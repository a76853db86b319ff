/**
 * The account's throttle for REST APIs: AWS's quota (10,000 requests a second, burst 5,000) unless
 * the server is started with another (`--apigateway-throttle`); GetAccount reports what applies,
 * and requests past it answer 429 Too Many Requests.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: apigw.APIGatewayClient;
before(async () => {
  server = await startTestServer({ config: { gatewayAccountThrottle: { rateLimit: 1, burstLimit: 3 } } });
  client = server.client(apigw.APIGatewayClient);
});
after(() => server.stop());

test('a server started with a lower account throttle reports it and applies it', async () => {
  assert.deepEqual((await client.send(new apigw.GetAccountCommand({}))).throttleSettings, { rateLimit: 1, burstLimit: 3 });
  const api = await client.send(new apigw.CreateRestApiCommand({ name: 'throttled' }));
  const common = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
  await client.send(new apigw.PutMethodCommand({ ...common, authorizationType: 'NONE' }));
  await client.send(new apigw.PutIntegrationCommand({ ...common, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new apigw.PutMethodResponseCommand({ ...common, statusCode: '200' }));
  await client.send(new apigw.PutIntegrationResponseCommand({ ...common, statusCode: '200' }));
  await client.send(new apigw.CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }));
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/restapis/${api.id}/dev/_user_request_/`)).status);
  assert.deepEqual(statuses.slice(0, 3), [200, 200, 200], 'the burst passes');
  assert.equal(statuses[4], 429, 'then the rate of one a second throttles');
  const refused = await fetch(`${server.url}/restapis/${api.id}/dev/_user_request_/`);
  assert.equal(refused.status, 429);
  assert.deepEqual(await refused.json(), { message: 'Too Many Requests' });
  // UpdateAccount keeps the throttle the server applies.
  const updated = await client.send(new apigw.UpdateAccountCommand({ patchOperations: [{ op: 'add', path: '/features', value: 'UsagePlans' }] }));
  assert.deepEqual(updated.throttleSettings, { rateLimit: 1, burstLimit: 3 });
});
