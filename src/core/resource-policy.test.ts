import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourcePolicyAllows, resourcePolicyDecision, type PolicyRequest } from './resource-policy.js';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:t';
const ask = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({ action: 'SNS:Publish', resource: TOPIC, accountId: '222222222222', context: {}, ...over });
const allow = (statement: Record<string, unknown>) => ({ Statement: [{ Effect: 'Allow', Resource: TOPIC, ...statement }] });

test('principals: anyone, an account, any IAM ARN of it, a service', () => {
  assert.equal(resourcePolicyAllows(allow({ Principal: '*', Action: 'SNS:Publish' }), ask()), true);
  assert.equal(resourcePolicyAllows(allow({ Principal: { AWS: '222222222222' }, Action: 'SNS:Publish' }), ask()), true);
  assert.equal(resourcePolicyAllows(allow({ Principal: { AWS: ['arn:aws:iam::222222222222:role/x'] }, Action: 'SNS:Publish' }), ask()), true);
  assert.equal(resourcePolicyAllows(allow({ Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 'SNS:Publish' }), ask()), false);
  assert.equal(resourcePolicyAllows(allow({ Principal: { Service: 'events.amazonaws.com' }, Action: 'SNS:Publish' }), ask({ accountId: undefined, service: 'events' })), true);
  assert.equal(resourcePolicyAllows(allow({ Principal: { Service: 'events.amazonaws.com' }, Action: 'SNS:Publish' }), ask()), false);
});

test('actions and resources: wildcards, case of actions, NotAction', () => {
  assert.equal(resourcePolicyAllows(allow({ Principal: '*', Action: 'sns:*' }), ask()), true);
  assert.equal(resourcePolicyAllows(allow({ Principal: '*', Action: 'SNS:Subscribe' }), ask()), false);
  assert.equal(resourcePolicyAllows(allow({ Principal: '*', NotAction: 'SNS:Subscribe' }), ask()), true);
  assert.equal(resourcePolicyAllows({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: 'arn:aws:sns:*:*:other' }] }, ask()), false);
});

test('conditions: operators, negations, IfExists, Null, unknown operators and missing keys', () => {
  const cond = (Condition: Record<string, unknown>, context: Record<string, string | undefined>) =>
    resourcePolicyAllows(allow({ Principal: '*', Action: '*', Condition }), ask({ context }));
  assert.equal(cond({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }, { 'aws:principalorgid': 'o-1' }), true);
  assert.equal(cond({ StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }, {}), false);
  assert.equal(cond({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } }, { 'aws:principalorgid': 'o-2' }), true);
  assert.equal(cond({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:111111111111:rule/*' } }, { 'aws:sourcearn': 'arn:aws:events:us-east-1:111111111111:rule/r' }), true);
  assert.equal(cond({ ArnEquals: { 'aws:SourceArn': TOPIC } }, { 'aws:sourcearn': `${TOPIC}x` }), false);
  assert.equal(cond({ StringEqualsIfExists: { 'aws:SourceAccount': '1' } }, {}), true);
  assert.equal(cond({ StringEqualsIfExists: { 'aws:SourceAccount': '1' } }, { 'aws:sourceaccount': '2' }), false);
  assert.equal(cond({ Null: { 'aws:SourceArn': 'true' } }, {}), true);
  assert.equal(cond({ NumericLessThan: { 'aws:EpochTime': '1' } }, { 'aws:epochtime': '0' }), false);
});

test('an explicit Deny wins; no policy, or no statement matching, refuses', () => {
  const policy = {
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: TOPIC },
      { Effect: 'Deny', Principal: { AWS: '222222222222' }, Action: 'SNS:Publish', Resource: TOPIC },
    ],
  };
  assert.equal(resourcePolicyAllows(policy, ask()), false);
  assert.equal(resourcePolicyAllows(policy, ask({ accountId: '333333333333' })), true);
  assert.equal(resourcePolicyAllows(undefined, ask()), false);
  assert.equal(resourcePolicyAllows('not json', ask()), false);
});

test('IP address conditions: CIDR blocks and addresses, IPv4 and IPv6; the three-way decision', () => {
  const cond = (Condition: Record<string, unknown>, context: Record<string, string | undefined>) =>
    resourcePolicyAllows(allow({ Principal: '*', Action: '*', Condition }), ask({ context }));
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '10.1.2.3' }), true);
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '127.0.0.1'] } }, { 'aws:sourceip': '127.0.0.1' }), true);
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '11.0.0.1' }), false);
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '::ffff:10.0.0.1' }), true, 'IPv4-mapped');
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:sourceip': '2001:db8::1' }), true);
  assert.equal(cond({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '11.0.0.1' }), true);
  assert.equal(cond({ IpAddress: { 'aws:SourceIp': 'garbage/99' } }, { 'aws:sourceip': '10.0.0.1' }), false);
  const policy = { Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] };
  assert.equal(resourcePolicyDecision(policy, ask({ context: { 'aws:sourceip': '10.0.0.1' } })), 'deny');
  assert.equal(resourcePolicyDecision(policy, ask({ context: { 'aws:sourceip': '11.0.0.1' } })), 'none');
});
