import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

type KeyLike = CryptoKey;
import { claimsOf, jwksUrlOf, userPoolOf, verifyCognitoToken } from './cognito.js';

const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123';
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123';
let server: Server;
let privateKey: KeyLike;
let otherKey: KeyLike;

before(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.env.STRATUS_COGNITO_JWKS = `http://127.0.0.1:${port}/{userPoolId}/jwks.json`;
});
after(() => {
  delete process.env.STRATUS_COGNITO_JWKS;
  server.close();
});

const token = (claims: Record<string, unknown>, options: { key?: KeyLike; issuer?: string; expires?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '1h')
    .sign(options.key ?? privateKey);

test('pools and JWKS URLs: the real pool by default, the override as a template or a map', () => {
  const pool = userPoolOf(POOL_ARN)!;
  assert.equal(pool.issuer, ISSUER);
  assert.equal(userPoolOf('arn:aws:lambda:us-east-1:1:function:x'), undefined);
  assert.equal(jwksUrlOf(pool, ''), `${ISSUER}/.well-known/jwks.json`);
  assert.equal(jwksUrlOf(pool, 'http://h/{region}/{userPoolId}'), 'http://h/us-east-1/us-east-1_Abc123');
  assert.equal(jwksUrlOf(pool, JSON.stringify({ 'us-east-1_Abc123': 'http://mapped' })), 'http://mapped');
  assert.equal(jwksUrlOf(pool, JSON.stringify({ [ISSUER]: 'http://by-issuer' })), 'http://by-issuer');
});

test('an ID token of the pool verifies; its claims become strings', async () => {
  const verdict = await verifyCognitoToken(await token({ token_use: 'id', sub: 'u1', 'cognito:groups': ['a', 'b'], email_verified: true }), [POOL_ARN], undefined);
  assert.ok(verdict.ok);
  assert.equal(verdict.claims.sub, 'u1');
  assert.equal(verdict.claims['cognito:groups'], 'a,b');
  assert.equal(verdict.claims.email_verified, 'true');
  assert.equal(verdict.claims.iss, ISSUER);
  assert.ok((await verifyCognitoToken(`Bearer ${await token({ token_use: 'id' })}`, [POOL_ARN], [])).ok, 'a Bearer prefix is taken off');
});

test('refused: another key, another issuer, expired, garbage, the wrong token use, missing scopes', async () => {
  assert.equal((await verifyCognitoToken(await token({ token_use: 'id' }, { key: otherKey }), [POOL_ARN], undefined)).ok, false);
  assert.equal((await verifyCognitoToken(await token({ token_use: 'id' }, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/other' }), [POOL_ARN], undefined)).ok, false);
  assert.equal((await verifyCognitoToken(await token({ token_use: 'id' }, { expires: '-1m' }), [POOL_ARN], undefined)).ok, false);
  assert.equal((await verifyCognitoToken('not-a-jwt', [POOL_ARN], undefined)).ok, false);
  assert.equal((await verifyCognitoToken(await token({ token_use: 'access', scope: 'x' }), [POOL_ARN], undefined)).ok, false, 'no scopes on the method: an ID token');
  assert.equal((await verifyCognitoToken(await token({ token_use: 'id' }), [POOL_ARN], ['pets/read'])).ok, false, 'scopes: an access token');
  assert.equal((await verifyCognitoToken(await token({ token_use: 'access', scope: 'pets/write' }), [POOL_ARN], ['pets/read'])).ok, false);
  assert.ok((await verifyCognitoToken(await token({ token_use: 'access', scope: 'openid pets/read' }), [POOL_ARN], ['pets/read'])).ok);
});

test('claimsOf', () => {
  assert.deepEqual(claimsOf({ a: 1, b: { c: 2 }, d: null }), { a: '1', b: '{"c":2}' });
});
