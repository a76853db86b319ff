/**
 * AWS_IAM routes of HTTP APIs on a Stratus that checks signatures (--verify-signatures): a request
 * signed for `execute-api` with a configured key is served and its caller shown in
 * `requestContext.authorizer.iam`; an unsigned one, or one signed with the wrong secret, answers
 * 403 Forbidden. On the `$default` stage the signature covers the path as sent, with no stage.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NodeSha256 } from '../../src/core/sigv4/node-sha256.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { apiWithStage, hostOf, nodeFunction, route, send } from './http-api-support.js';

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`;

let server: TestServer;
let apiId: string;

before(async () => {
  server = await startTestServer({ config: { verifySignatures: true, accessKeys: [{ accessKeyId: 'test', secretAccessKey: 'test' }] } });
  const client = server.client(v2.ApiGatewayV2Client);
  const echoArn = await nodeFunction(server.client(LambdaClient), ECHO);
  apiId = await apiWithStage(client);
  await route(client, apiId, 'GET /iam', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: echoArn }, { AuthorizationType: 'AWS_IAM' });
});
after(() => server.stop());

async function signedHeaders(path: string, secretAccessKey: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey }, sha256: NodeSha256 });
  const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: hostOf(apiId), path, headers: { host: hostOf(apiId) } }));
  return signed.headers as Record<string, string>;
}

test('a signature made with the configured secret is served; a wrong one and none are 403 Forbidden', async () => {
  const ok = await send(server, { host: hostOf(apiId), path: '/iam', headers: await signedHeaders('/iam', 'test') });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json().requestContext.authorizer.iam.accessKey, 'test');
  const wrong = await send(server, { host: hostOf(apiId), path: '/iam', headers: await signedHeaders('/iam', 'not-the-secret') });
  assert.equal(wrong.status, 403);
  assert.deepEqual(wrong.json(), { message: 'Forbidden' });
  const unsigned = await send(server, { host: hostOf(apiId), path: '/iam' });
  assert.equal(unsigned.status, 403);
  assert.deepEqual(unsigned.json(), { message: 'Forbidden' });
});
