/**
 * Authorization of HTTP API routes end to end: JWT authorizers against a local OpenID issuer (a
 * node:http server with an openid-configuration and a JWKS made with jose; tokens signed by the
 * test), Lambda authorizers (simple and IAM-policy answers, payload 1.0 and 2.0, identity sources,
 * caching and ResetAuthorizersCache), and AWS_IAM routes.
 */
import * as v2 from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { apiWithStage, hostOf, nodeFunction, route, send } from './http-api-support.js';

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`;

let server: TestServer;
let client: v2.ApiGatewayV2Client;
let lambda: LambdaClient;
let echoArn: string;
let issuerServer: Server;
let issuer: string;
let privateKey: CryptoKey;
let strangerKey: CryptoKey;
let discoveries = 0;

before(async () => {
  server = await startTestServer();
  client = server.client(v2.ApiGatewayV2Client);
  lambda = server.client(LambdaClient);
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      discoveries += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  echoArn = await nodeFunction(lambda, ECHO);
});
after(async () => {
  await new Promise<void>((resolve) => issuerServer.close(() => resolve()));
  await server.stop();
});

interface TokenOptions {
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string | null;
  exp?: number;
  nbf?: number;
  key?: CryptoKey;
  kid?: string;
}

async function token(o: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sub: 'user-1', ...o.claims })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'key-1' })
    .setIssuer(o.iss ?? issuer)
    .setIssuedAt(now - 10)
    .setExpirationTime(o.exp ?? now + 3600);
  if (o.aud !== null) jwt.setAudience(o.aud ?? 'my-app');
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? privateKey);
}

describe('JWT authorizers', () => {
  let apiId: string;
  before(async () => {
    apiId = await apiWithStage(client);
    const authorizer = await client.send(
      new v2.CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: issuer, Audience: ['my-app', 'other-app'] },
      }),
    );
    const jwt = { AuthorizationType: 'JWT' as const, AuthorizerId: authorizer.AuthorizerId };
    await route(client, apiId, 'GET /me', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: echoArn }, jwt);
    await route(client, apiId, 'GET /admin', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: echoArn }, { ...jwt, AuthorizationScopes: ['admin'] });
    await route(client, apiId, 'GET /v1', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0', IntegrationUri: echoArn }, jwt);
  });
  const call = (path: string, authorization?: string) => send(server, { host: hostOf(apiId), path, headers: authorization === undefined ? {} : { authorization } });

  test('a valid token (with or without Bearer) reaches the integration with its claims and scopes', async () => {
    const t = await token({ claims: { scope: 'read write', groups: ['a', 'b'], email_verified: true } });
    for (const value of [`Bearer ${t}`, t]) {
      const reply = await call('/me', value);
      assert.equal(reply.status, 200, reply.text);
      const { jwt } = reply.json().requestContext.authorizer;
      assert.equal(jwt.claims.sub, 'user-1');
      assert.equal(jwt.claims.iss, issuer);
      assert.equal(jwt.claims.aud, 'my-app');
      assert.equal(jwt.claims.groups, '[a b]');
      assert.equal(jwt.claims.email_verified, 'true');
      assert.match(jwt.claims.exp, /^\d+$/);
      assert.deepEqual(jwt.scopes, ['read', 'write']);
    }
    const v1 = await call('/v1', `Bearer ${t}`);
    assert.equal(v1.json().requestContext.authorizer.claims.sub, 'user-1');
    assert.equal(discoveries, 1, 'the issuer is discovered once and its keys kept');
  });

  test('client_id stands in for a missing aud (Cognito access tokens)', async () => {
    const reply = await call('/me', await token({ aud: null, claims: { client_id: 'other-app' } }));
    assert.equal(reply.status, 200);
  });

  test('refusals: 401 Unauthorized for a missing, expired, not-yet-valid, foreign or mis-addressed token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['empty', 'Bearer '],
      ['garbage', 'Bearer not.a.jwt'],
      ['expired', await token({ exp: now - 60 })],
      ['not yet valid', await token({ nbf: now + 600 })],
      ['wrong issuer', await token({ iss: 'https://elsewhere.example' })],
      ['wrong audience', await token({ aud: 'someone-else' })],
      ['signed by another key', await token({ key: strangerKey })],
      ['unknown kid', await token({ kid: 'key-2' })],
      ['HS256', await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience('my-app').setExpirationTime('1h').sign(new TextEncoder().encode('secret-secret-secret-secret-secret'))],
    ];
    for (const [name, value] of cases) {
      const reply = await call('/me', value);
      assert.equal(reply.status, 401, name);
      assert.deepEqual(reply.json(), { message: 'Unauthorized' }, name);
      assert.match(String(reply.headers['www-authenticate']), /^Bearer /, name);
    }
  });

  test('a route that names scopes: 403 Forbidden without one of them', async () => {
    const reader = await call('/admin', await token({ claims: { scope: 'read' } }));
    assert.equal(reader.status, 403);
    assert.deepEqual(reader.json(), { message: 'Forbidden' });
    const admin = await call('/admin', await token({ claims: { scp: ['read', 'admin'] } }));
    assert.equal(admin.status, 200);
  });
});

const SIMPLE_AUTHORIZER = `
let calls = 0;
exports.handler = async (event) => {
  calls += 1;
  const token = event.version === '2.0' ? event.identitySource[0] : event.identitySource;
  if (token === 'boom') throw new Error('authorizer failed');
  if (token === 'weird') return { nonsense: true };
  return { isAuthorized: token.startsWith('allow'), context: { user: 'u-' + token, calls, routeArn: event.routeArn, type: event.type } };
};`;

const POLICY_AUTHORIZER = `
exports.handler = async (event) => {
  const token = event.version === '2.0' ? event.identitySource.join(',') : event.identitySource;
  const arn = event.routeArn || event.methodArn;
  return {
    principalId: 'p-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token.startsWith('allow') ? 'Allow' : 'Deny', Resource: arn.split('/').slice(0, 2).join('/') + '/*' }] },
    context: { version: event.version, methodArn: event.methodArn || null, token },
  };
};`;

describe('Lambda authorizers', () => {
  let apiId: string;
  let simpleId: string;
  before(async () => {
    const simpleArn = await nodeFunction(lambda, SIMPLE_AUTHORIZER);
    const policyArn = await nodeFunction(lambda, POLICY_AUTHORIZER);
    apiId = await apiWithStage(client);
    const uri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;
    const simple = await client.send(
      new v2.CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'simple',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: uri(simpleArn),
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.x-token'],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    simpleId = simple.AuthorizerId!;
    const policy1 = await client.send(
      new v2.CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'policy1',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: uri(policyArn),
        AuthorizerPayloadFormatVersion: '1.0',
        IdentitySource: ['$request.header.x-token', '$request.querystring.t'],
      }),
    );
    const policy2 = await client.send(
      new v2.CreateAuthorizerCommand({ ApiId: apiId, Name: 'policy2', AuthorizerType: 'REQUEST', AuthorizerUri: uri(policyArn), AuthorizerPayloadFormatVersion: '2.0', IdentitySource: ['$request.header.x-token'] }),
    );
    const integration = { IntegrationType: 'AWS_PROXY' as const, PayloadFormatVersion: '2.0', IntegrationUri: echoArn };
    await route(client, apiId, 'GET /simple', integration, { AuthorizationType: 'CUSTOM', AuthorizerId: simple.AuthorizerId });
    await route(client, apiId, 'GET /policy1', integration, { AuthorizationType: 'CUSTOM', AuthorizerId: policy1.AuthorizerId });
    await route(client, apiId, 'GET /policy2', { ...integration, PayloadFormatVersion: '1.0' }, { AuthorizationType: 'CUSTOM', AuthorizerId: policy2.AuthorizerId });
    await route(client, apiId, 'GET /iam', integration, { AuthorizationType: 'AWS_IAM' });
  });
  const call = (path: string, headers: Record<string, string> = {}) => send(server, { host: hostOf(apiId), path, headers });

  test('simple answers: allowed with the context, denied 403, failing 500, no identity 401; answers are kept for the TTL', async () => {
    const allowed = await call('/simple', { 'x-token': 'allow-1' });
    assert.equal(allowed.status, 200, allowed.text);
    const context = allowed.json().requestContext.authorizer.lambda;
    assert.equal(context.user, 'u-allow-1');
    assert.equal(context.type, 'REQUEST');
    assert.equal(context.routeArn, `arn:aws:execute-api:us-east-1:000000000000:${apiId}/$default/GET/simple`);
    const again = await call('/simple', { 'x-token': 'allow-1' });
    assert.equal(again.json().requestContext.authorizer.lambda.calls, context.calls, 'the kept answer, not a new call');
    await client.send(new v2.ResetAuthorizersCacheCommand({ ApiId: apiId, StageName: '$default' }));
    const afterReset = await call('/simple', { 'x-token': 'allow-1' });
    assert.notEqual(afterReset.json().requestContext.authorizer.lambda.calls, context.calls, 'a new call after ResetAuthorizersCache');
    const denied = await call('/simple', { 'x-token': 'deny' });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), { message: 'Forbidden' });
    const failing = await call('/simple', { 'x-token': 'boom' });
    assert.equal(failing.status, 500);
    assert.deepEqual(failing.json(), { message: 'Internal Server Error' });
    const malformed = await call('/simple', { 'x-token': 'weird' });
    assert.equal(malformed.status, 500);
    const missing = await call('/simple');
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), { message: 'Unauthorized' });
    void simpleId;
  });

  test('IAM policy answers, payload 1.0 and 2.0: Allow passes with the context and principal, Deny is 403', async () => {
    const v1 = await send(server, { host: hostOf(apiId), path: '/policy1?t=q', headers: { 'x-token': 'allow' } });
    assert.equal(v1.status, 200, v1.text);
    const ctx1 = v1.json().requestContext.authorizer.lambda;
    assert.equal(ctx1.version, '1.0');
    assert.equal(ctx1.token, 'allow,q', 'payload 1.0 joins the identity sources with commas');
    assert.equal(ctx1.methodArn, `arn:aws:execute-api:us-east-1:000000000000:${apiId}/$default/GET/policy1`);
    assert.equal((await send(server, { host: hostOf(apiId), path: '/policy1', headers: { 'x-token': 'allow' } })).status, 401, 'one identity source missing');
    const v2answer = await call('/policy2', { 'x-token': 'allow-2' });
    assert.equal(v2answer.status, 200);
    const event = v2answer.json();
    assert.equal(event.version, '1.0');
    assert.equal(event.requestContext.authorizer.principalId, 'p-allow-2');
    assert.equal(event.requestContext.authorizer.version, '2.0');
    assert.equal((await call('/policy2', { 'x-token': 'deny' })).status, 403);
  });

  test('AWS_IAM routes need a SigV4 signature', async () => {
    const unsigned = await call('/iam');
    assert.equal(unsigned.status, 403);
    assert.deepEqual(unsigned.json(), { message: 'Forbidden' });
    const signed = await call('/iam', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc' });
    assert.equal(signed.status, 200);
    assert.equal(signed.json().requestContext.authorizer.iam.accessKey, 'AKIDEXAMPLE');
  });
});
