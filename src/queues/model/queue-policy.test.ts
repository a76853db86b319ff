import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queuePolicyAllowsSend } from './queue-policy.js';

const QUEUE = 'arn:aws:sqs:us-east-1:222222222222:q';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:t';
const queue = (Policy?: string) => ({ arn: QUEUE, accountId: '222222222222', attributes: (Policy === undefined ? {} : { Policy }) as Record<string, string> });
const snsGrant = JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } } }],
});

test('the queue\'s own account needs no policy; another account needs one', () => {
  assert.equal(queuePolicyAllowsSend(queue(), { accountId: '222222222222', service: 'sns', arn: `arn:aws:sns:us-east-1:222222222222:t` }), true);
  assert.equal(queuePolicyAllowsSend(queue(), { accountId: '111111111111', service: 'sns', arn: TOPIC }), false);
});

test('SNS sends as its service principal, for the topic the condition names', () => {
  assert.equal(queuePolicyAllowsSend(queue(snsGrant), { accountId: '111111111111', service: 'sns', arn: TOPIC }), true);
  assert.equal(queuePolicyAllowsSend(queue(snsGrant), { accountId: '111111111111', service: 'sns', arn: `${TOPIC}2` }), false);
  // A grant to SNS is not a grant to EventBridge.
  assert.equal(queuePolicyAllowsSend(queue(snsGrant), { accountId: '111111111111', service: 'events', arn: TOPIC }), false);
});

test('a Lambda destination sends as its account (the function\'s role), so a grant to the account applies', () => {
  const accountGrant = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'SQS:*', Resource: QUEUE }] });
  assert.equal(queuePolicyAllowsSend(queue(accountGrant), { accountId: '111111111111', service: 'lambda', arn: 'arn:aws:lambda:us-east-1:111111111111:function:f' }), true);
  assert.equal(queuePolicyAllowsSend(queue(snsGrant), { accountId: '111111111111', service: 'lambda' }), false);
});
