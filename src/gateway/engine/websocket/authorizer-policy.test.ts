import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeAuthorizerAnswer } from './authorizer-policy.js';
import { identitySourcesPresent } from './authorizer.js';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123defg/prod/$connect';
const answer = (statements: unknown, extra: Record<string, unknown> = {}) => ({ principalId: 'user', policyDocument: { Version: '2012-10-17', Statement: statements }, ...extra });

test('an Allow on the route ARN (exact or by wildcard) lets the connection in, with principalId and context', () => {
  assert.deepEqual(judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }], { context: { team: 'a', n: 1, ok: true } }), ARN), {
    kind: 'allow',
    principalId: 'user',
    context: { team: 'a', n: 1, ok: true },
  });
  assert.equal(judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: 'execute-api:*', Resource: ['arn:aws:execute-api:us-east-1:*:abc123defg/*'] }]), ARN).kind, 'allow');
  assert.equal(judgeAuthorizerAnswer(answer({ Effect: 'Allow', Action: '*', Resource: '*' }), ARN).kind, 'allow', 'a single statement object');
});

test('a Deny wins; no matching Allow is a Deny', () => {
  assert.equal(
    judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN }]), ARN).kind,
    'deny',
  );
  assert.equal(judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:other/*' }]), ARN).kind, 'deny');
  assert.equal(judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]), ARN).kind, 'deny');
  assert.equal(judgeAuthorizerAnswer(answer([]), ARN).kind, 'deny');
});

test('what is not an authorizer output is invalid (API Gateway answers 500)', () => {
  assert.equal(judgeAuthorizerAnswer(null, ARN).kind, 'invalid');
  assert.equal(judgeAuthorizerAnswer('allow', ARN).kind, 'invalid');
  assert.equal(judgeAuthorizerAnswer({ principalId: 'x' }, ARN).kind, 'invalid');
  assert.equal(judgeAuthorizerAnswer({ principalId: 'x', policyDocument: {} }, ARN).kind, 'invalid');
  assert.equal(judgeAuthorizerAnswer(answer([{ Action: '*', Resource: '*' }]), ARN).kind, 'invalid');
  assert.equal(judgeAuthorizerAnswer(answer([{ Effect: 'Allow', Action: '*', Resource: '*' }], { context: { nested: { a: 1 } } }), ARN).kind, 'invalid');
});

test('identity sources: every one must be present and non-empty', () => {
  const input = { headers: { auth: 'x' }, query: { token: 't', empty: '' }, stageVariables: { s: '1' }, context: {} };
  assert.equal(identitySourcesPresent(['route.request.header.Auth', 'route.request.querystring.token', 'stageVariables.s'], input), true);
  assert.equal(identitySourcesPresent(['route.request.header.Other'], input), false);
  assert.equal(identitySourcesPresent(['route.request.querystring.empty'], input), false);
  assert.equal(identitySourcesPresent(undefined, input), true);
});
