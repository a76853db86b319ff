import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addPermission, defaultTopicPolicy, policyAllows, removePermission } from './topic-policy.js';

const TOPIC = { arn: 'arn:aws:sns:us-east-1:111111111111:t', owner: '111111111111' };
const ACTIONS = new Set(['Publish', 'Subscribe', 'GetTopicAttributes']);

test('the default policy lets no other account in', () => {
  const policy = defaultTopicPolicy(TOPIC.arn, TOPIC.owner);
  assert.equal(policyAllows(policy, { action: 'SNS:Publish', accountId: '222222222222' }), false);
  // A service acting for a resource of the owner's account is let in (AWS:SourceOwner).
  assert.equal(policyAllows(policy, { action: 'SNS:Publish', service: 'events', sourceAccount: TOPIC.owner }), true);
  assert.equal(policyAllows(policy, { action: 'SNS:Publish', service: 'events', sourceAccount: '222222222222' }), false);
});

test('AddPermission writes one statement per label, strings for one, lists for several', () => {
  const one = JSON.parse(addPermission(undefined, TOPIC, 'a', ['222222222222'], ['Publish'], ACTIONS));
  assert.deepEqual(one.Statement[1], { Sid: 'a', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'SNS:Publish', Resource: TOPIC.arn });
  const two = JSON.parse(addPermission(JSON.stringify(one), TOPIC, 'b', ['222222222222', '333333333333'], ['Publish', 'Subscribe'], ACTIONS));
  assert.deepEqual(two.Statement[2].Principal.AWS, ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root']);
  assert.deepEqual(two.Statement[2].Action, ['SNS:Publish', 'SNS:Subscribe']);
  assert.throws(() => addPermission(JSON.stringify(two), TOPIC, 'a', ['2'], ['Publish'], ACTIONS), { message: 'Invalid parameter: Statement already exists' });
  assert.throws(() => addPermission(undefined, TOPIC, 'c', ['2'], ['Nope'], ACTIONS), { message: 'Invalid parameter: Policy statement action out of service scope!' });
  assert.equal(JSON.parse(removePermission(JSON.stringify(two), TOPIC, 'a')).Statement.length, 2);
});

test('evaluation: principals, wildcards, conditions, and an explicit deny', () => {
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allowAll = { Effect: 'Allow', Principal: '*', Action: 'sns:*', Resource: TOPIC.arn };
  assert.equal(policyAllows(policy([allowAll]), { action: 'SNS:Publish', accountId: '222222222222' }), true);
  assert.equal(policyAllows(policy([allowAll, { Effect: 'Deny', Principal: { AWS: '222222222222' }, Action: 'SNS:Publish' }]), { action: 'SNS:Publish', accountId: '222222222222' }), false);
  const org = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } };
  assert.equal(policyAllows(policy([org]), { action: 'SNS:Publish', accountId: '2', organizationId: 'o-123' }), true);
  assert.equal(policyAllows(policy([org]), { action: 'SNS:Publish', accountId: '2' }), false);
  const rule = { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:*:rule/*' } } };
  assert.equal(policyAllows(policy([rule]), { action: 'SNS:Publish', service: 'events', sourceArn: 'arn:aws:events:us-east-1:2:rule/r' }), true);
  assert.equal(policyAllows(policy([rule]), { action: 'SNS:Publish', service: 's3', sourceArn: 'arn:aws:events:us-east-1:2:rule/r' }), false);
  // A condition Stratus cannot evaluate keeps the statement out.
  assert.equal(policyAllows(policy([{ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]), { action: 'SNS:Publish', accountId: '2' }), false);
  assert.equal(policyAllows('not json', { action: 'SNS:Publish', accountId: '2' }), false);
});
