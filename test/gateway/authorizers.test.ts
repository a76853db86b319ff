/**
 * What authorizes a REST API request, end to end through a real server: Lambda TOKEN and REQUEST
 * authorizers (real functions), their policies, context, errors and result cache; Cognito user
 * pool tokens verified against a JWKS served here (STRATUS_COGNITO_JWKS); AWS_IAM with SigV4; the
 * API's resource policy.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { NodeSha256 } from '../../src/core/sigv4/node-sha256.js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { arnOf, createFunction, makeZip, REGION } from '../functions/control-plane-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildApi, deploy, invoke, method, type Built } from './rest-data-support.js';

let server: TestServer;
let client: apigw.APIGatewayClient;

/** A TOKEN authorizer whose answer the token chooses; `calls` counts its invocations (the cache test reads it). */
const TOKEN_JS = `let calls = 0;
exports.handler = async (event) => {
  calls += 1;
  const token = event.authorizationToken;
  const policy = (effect, resource) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'fail') throw new Error('boom');
  if (token === 'broken') return { hello: 'world' };
  if (token === 'nested') return { principalId: 'p', policyDocument: policy('Allow', event.methodArn), context: { deep: { no: 1 } } };
  if (token === 'deny') return { principalId: 'denied-user', policyDocument: policy('Deny', event.methodArn), context: { why: 'deny' } };
  if (token === 'other-method') return { principalId: 'p', policyDocument: policy('Allow', event.methodArn.replace(/\\/GET\\//, '/POST/')) };
  return { principalId: 'user-' + token, policyDocument: policy('Allow', event.methodArn.split('/').slice(0, 2).join('/') + '/*'), context: { calls, type: event.type, flag: true, arn: event.methodArn } };
};`;

/** A REQUEST authorizer: allows, with what it was given as context. */
const REQUEST_JS = `exports.handler = async (event) => ({
  principalId: 'req-' + event.headers['X-Tenant'],
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
  context: { type: event.type, tenant: event.headers['X-Tenant'], q: event.queryStringParameters.q, resource: event.resource, path: event.path, stage: event.requestContext.stage, id: event.pathParameters.id },
});`;

const authorizerUri = (name: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arnOf(name)}/invocations`;
const MOCK = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } };
const ECHO = {
  statusCode: '200',
  responseTemplates: {
    'application/json':
      '{"principal": "$context.authorizer.principalId", "calls": "$context.authorizer.calls", "type": "$context.authorizer.type", "flag": "$context.authorizer.flag", "tenant": "$context.authorizer.tenant", "q": "$context.authorizer.q", "resource": "$context.authorizer.resource", "path": "$context.authorizer.path", "id": "$context.authorizer.id", "sub": "$context.authorizer.claims.sub", "caller": "$context.identity.accountId"}',
  },
};

before(async () => {
  server = await startTestServer();
  client = server.client(apigw.APIGatewayClient);
  const lambda = server.client(LambdaClient);
  await createFunction(lambda, 'auth-token', { Code: { ZipFile: await makeZip({ 'index.js': TOKEN_JS }) } });
  await createFunction(lambda, 'auth-request', { Code: { ZipFile: await makeZip({ 'index.js': REQUEST_JS }) } });
});
after(() => server.stop());

const json = async (p: Promise<{ status: number; text: string }>) => {
  const r = await p;
  return { status: r.status, body: JSON.parse(r.text) as Record<string, string> };
};

describe('Lambda TOKEN authorizer', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'token-auth', ['/pets', '/nocache']);
    const cached = await client.send(
      new apigw.CreateAuthorizerCommand({ restApiId: built.apiId, name: 'tok', type: 'TOKEN', authorizerUri: authorizerUri('auth-token'), identitySource: 'method.request.header.Authorization', identityValidationExpression: '^[a-z0-9-]+$' }),
    );
    const uncached = await client.send(
      new apigw.CreateAuthorizerCommand({ restApiId: built.apiId, name: 'tok0', type: 'TOKEN', authorizerUri: authorizerUri('auth-token'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }),
    );
    await method(client, built, '/pets', 'GET', MOCK, { method: { authorizationType: 'CUSTOM', authorizerId: cached.id }, responses: [ECHO] });
    await method(client, built, '/pets', 'POST', MOCK, { method: { authorizationType: 'CUSTOM', authorizerId: cached.id }, responses: [ECHO] });
    await method(client, built, '/nocache', 'GET', MOCK, { method: { authorizationType: 'CUSTOM', authorizerId: uncached.id }, responses: [ECHO] });
    await deploy(client, built.apiId, 'dev');
  });
  const call = (token: string | undefined, path = '/pets', httpMethod = 'GET') =>
    json(invoke(server, built.apiId, 'dev', path, { method: httpMethod, headers: token === undefined ? {} : { Authorization: token } }));

  test('Allow: the principal and context reach $context.authorizer (values as strings)', async () => {
    const r = await call('alice');
    assert.equal(r.status, 200);
    assert.equal(r.body.principal, 'user-alice');
    assert.equal(r.body.type, 'TOKEN');
    assert.equal(r.body.flag, 'true');
  });

  test('refusals: no token or one the expression refuses 401, "Unauthorized" 401, Deny 403, errors and malformed answers 500', async () => {
    assert.deepEqual(await call(undefined), { status: 401, body: { message: 'Unauthorized' } });
    assert.deepEqual(await call('NOT VALID!'), { status: 401, body: { message: 'Unauthorized' } });
    assert.deepEqual(await call('unauthorized'), { status: 401, body: { message: 'Unauthorized' } });
    // AWS answers these with "Message" (capital M); the data plane's default template says "message" (noted for gw-rest-data).
    const denied = await call('deny');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.Message ?? denied.body.message, 'User is not authorized to access this resource with an explicit deny');
    const implicit = await call('other-method');
    assert.equal(implicit.status, 403);
    assert.equal(implicit.body.Message ?? implicit.body.message, 'User is not authorized to access this resource');
    assert.equal((await call('fail')).status, 500);
    assert.equal((await call('broken')).status, 500);
    assert.equal((await call('nested')).status, 500);
  });

  test('answers are cached by token for the TTL and their policy evaluated per method; TTL 0 calls every time', async () => {
    const first = await call('cache-me');
    const again = await call('cache-me');
    assert.equal(first.body.calls, again.body.calls, 'the second request used the cached answer');
    const post = await call('cache-me', '/pets', 'POST');
    assert.equal(post.status, 200, 'the cached policy (dev/*) covers POST');
    assert.equal(post.body.calls, first.body.calls);
    const a = await call('fresh', '/nocache');
    const b = await call('fresh', '/nocache');
    assert.notEqual(a.body.calls, b.body.calls);
  });
});

describe('Lambda REQUEST authorizer', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'request-auth', ['/items/{id}']);
    const auth = await client.send(
      new apigw.CreateAuthorizerCommand({
        restApiId: built.apiId,
        name: 'req',
        type: 'REQUEST',
        authorizerUri: authorizerUri('auth-request'),
        identitySource: 'method.request.header.X-Tenant, method.request.querystring.q',
        authorizerResultTtlInSeconds: 0,
      }),
    );
    await method(client, built, '/items/{id}', 'GET', MOCK, { method: { authorizationType: 'CUSTOM', authorizerId: auth.id }, responses: [ECHO] });
    await deploy(client, built.apiId, 'dev');
  });

  test('the event carries headers, query, path, resource, stage; every identity source is required', async () => {
    const ok = await json(invoke(server, built.apiId, 'dev', '/items/42?q=find', { headers: { 'X-Tenant': 'acme' } }));
    assert.equal(ok.status, 200);
    assert.deepEqual(
      { principal: ok.body.principal, type: ok.body.type, tenant: ok.body.tenant, q: ok.body.q, resource: ok.body.resource, path: ok.body.path, id: ok.body.id },
      { principal: 'req-acme', type: 'REQUEST', tenant: 'acme', q: 'find', resource: '/items/{id}', path: '/items/42', id: '42' },
    );
    assert.equal((await invoke(server, built.apiId, 'dev', '/items/42', { headers: { 'X-Tenant': 'acme' } })).status, 401);
    assert.equal((await invoke(server, built.apiId, 'dev', '/items/42?q=x')).status, 401);
  });
});

describe('Cognito user pools', () => {
  const POOL = 'us-east-1_Test1234';
  const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
  let jwks: Server;
  let key: CryptoKey;
  let built: Built;
  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
    jwks = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    process.env.STRATUS_COGNITO_JWKS = JSON.stringify({ [POOL]: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` });
    built = await buildApi(client, 'cognito', ['/me', '/scoped']);
    const auth = await client.send(
      new apigw.CreateAuthorizerCommand({ restApiId: built.apiId, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: [`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL}`], identitySource: 'method.request.header.Authorization' }),
    );
    await method(client, built, '/me', 'GET', MOCK, { method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }, responses: [ECHO] });
    await method(client, built, '/scoped', 'GET', MOCK, { method: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id, authorizationScopes: ['pets/read'] }, responses: [ECHO] });
    await deploy(client, built.apiId, 'dev');
  });
  after(() => {
    delete process.env.STRATUS_COGNITO_JWKS;
    jwks.close();
  });
  const jwt = (claims: Record<string, unknown>, expires = '1h') => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(ISSUER).setIssuedAt().setExpirationTime(expires).sign(key);

  test('an ID token verifies and its claims reach $context.authorizer.claims; bad tokens 401', async () => {
    const ok = await json(invoke(server, built.apiId, 'dev', '/me', { headers: { Authorization: await jwt({ sub: 'sub-1', token_use: 'id' }) } }));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.sub, 'sub-1');
    assert.deepEqual(await json(invoke(server, built.apiId, 'dev', '/me')), { status: 401, body: { message: 'Unauthorized' } });
    assert.equal((await invoke(server, built.apiId, 'dev', '/me', { headers: { Authorization: await jwt({ sub: 's', token_use: 'id' }, '-5m') } })).status, 401);
    assert.equal((await invoke(server, built.apiId, 'dev', '/me', { headers: { Authorization: 'x.y.z' } })).status, 401);
  });

  test('scopes: an access token with one of them', async () => {
    assert.equal((await invoke(server, built.apiId, 'dev', '/scoped', { headers: { Authorization: await jwt({ sub: 's', token_use: 'access', scope: 'pets/read' }) } })).status, 200);
    assert.equal((await invoke(server, built.apiId, 'dev', '/scoped', { headers: { Authorization: await jwt({ sub: 's', token_use: 'access', scope: 'pets/write' }) } })).status, 401);
    assert.equal((await invoke(server, built.apiId, 'dev', '/scoped', { headers: { Authorization: await jwt({ sub: 's', token_use: 'id' }) } })).status, 401);
  });
});

describe('AWS_IAM and resource policies', () => {
  let built: Built;
  before(async () => {
    built = await buildApi(client, 'iam', ['/private', '/open']);
    await method(client, built, '/private', 'GET', MOCK, { method: { authorizationType: 'AWS_IAM' }, responses: [ECHO] });
    await method(client, built, '/open', 'GET', MOCK, { responses: [ECHO] });
    await deploy(client, built.apiId, 'dev');
  });

  const signed = async (path: string, accessKeyId = '000000000000') => {
    const url = new URL(`${server.url}/restapis/${built.apiId}/dev/_user_request_${path}`);
    const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: { accessKeyId, secretAccessKey: 'secret' }, sha256: NodeSha256 });
    const request = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host } }));
    return json(invoke(server, built.apiId, 'dev', path, { headers: request.headers as Record<string, string> }));
  };

  test('unsigned: 403 Missing Authentication Token; signed by the API account: served, identity set', async () => {
    assert.deepEqual(await json(invoke(server, built.apiId, 'dev', '/private')), { status: 403, body: { message: 'Missing Authentication Token' } });
    const ok = await signed('/private');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.caller, '000000000000');
    assert.equal((await signed('/private', '111122223333')).status, 403, 'another account needs the resource policy');
  });

  test('a resource policy: an explicit deny by source IP refuses everyone; an allow lets another account in', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${REGION}:000000000000:${built.apiId}/*/GET/open` },
      ],
    };
    policy.Statement[0].Resource = `arn:aws:execute-api:${REGION}:000000000000:${built.apiId}/*`;
    await client.send(new apigw.UpdateRestApiCommand({ restApiId: built.apiId, patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify(policy) }] }));
    await deploy(client, built.apiId, 'dev');
    assert.equal((await signed('/private', '111122223333')).status, 200);
    assert.equal((await invoke(server, built.apiId, 'dev', '/open')).status, 200);

    const deny = { ...policy, Statement: [...policy.Statement, { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${REGION}:000000000000:${built.apiId}/*`, Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } }] };
    await client.send(new apigw.UpdateRestApiCommand({ restApiId: built.apiId, patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify(deny) }] }));
    await deploy(client, built.apiId, 'dev');
    const refused = await json(invoke(server, built.apiId, 'dev', '/open'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.Message ?? refused.body.message, `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${REGION}:000000000000:${built.apiId}/dev/GET/open with an explicit deny`);
  });
});
