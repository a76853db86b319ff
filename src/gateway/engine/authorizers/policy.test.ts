import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizerFunctionArn, methodArn } from './method-arn.js';
import { evaluateAuthorizerPolicy, isPolicyDocument } from './policy.js';

const arn = methodArn('us-east-1', '123456789012', 'abc123', 'prod', 'GET', '/pets/7');
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

test('the method ARN', () => {
  assert.equal(arn, 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/7');
  assert.equal(methodArn('us-east-1', '1', 'a', 's', 'POST', '/'), 'arn:aws:execute-api:us-east-1:1:a/s/POST/');
});

test('Allow on the ARN, on wildcards; Deny wins; nothing matching denies', () => {
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }), arn), 'allow');
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/*'] }), arn), 'allow');
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: '*', Resource: '*' }), arn), 'allow');
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/POST/*' }), arn), 'deny');
  assert.equal(
    evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/pets/*' }), arn),
    'explicit-deny',
  );
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), arn), 'deny');
  assert.equal(evaluateAuthorizerPolicy({ Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn } }, arn), 'allow', 'one statement as an object');
  assert.equal(evaluateAuthorizerPolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn.toUpperCase() }), arn), 'deny', 'ARNs match with case');
});

test('what counts as a policy document', () => {
  assert.ok(isPolicyDocument(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn })));
  assert.ok(!isPolicyDocument(undefined));
  assert.ok(!isPolicyDocument('{}'));
  assert.ok(!isPolicyDocument({ Version: '2012-10-17' }));
  assert.ok(!isPolicyDocument(policy({ Effect: 'Maybe', Action: 'execute-api:Invoke', Resource: arn })));
  assert.ok(!isPolicyDocument(policy({ Effect: 'Allow', Resource: arn })));
});

test('the function of an authorizer URI, stage variables put in', () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:auth';
  assert.equal(authorizerFunctionArn(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`, {}), fn);
  assert.equal(
    authorizerFunctionArn('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations', { fn: 'auth' }),
    fn,
  );
  assert.equal(authorizerFunctionArn('http://example.com', {}), undefined);
});
