import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invocationRecord } from '../engine/destinations.js';
import { policyAllowsInvoke, statementAllowsInvoke } from './invoke-permission.js';
import { buildStatement } from './policy.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const RULE = 'arn:aws:events:us-east-1:111111111111:rule/r';
const events = { accountId: '111111111111', service: 'events', arn: RULE };

test('principals: anyone, the caller account, an IAM ARN of it, the calling service', () => {
  const allow = (principal: string, source = events) =>
    statementAllowsInvoke(buildStatement({ StatementId: 's', Action: 'lambda:InvokeFunction', Principal: principal }, FN), source);
  assert.equal(allow('*'), true);
  assert.equal(allow('111111111111'), true);
  assert.equal(allow('222222222222'), false);
  assert.equal(allow('arn:aws:iam::111111111111:role/x'), true);
  assert.equal(allow('events.amazonaws.com'), true);
  assert.equal(allow('sns.amazonaws.com'), false);
});

test('conditions: SourceArn with wildcards, SourceAccount; unknown ones refuse', () => {
  const allow = (extra: Record<string, string>) =>
    statementAllowsInvoke(buildStatement({ StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', ...extra }, FN), events);
  assert.equal(allow({ SourceArn: RULE }), true);
  assert.equal(allow({ SourceArn: 'arn:aws:events:us-east-1:111111111111:rule/*' }), true);
  assert.equal(allow({ SourceArn: 'arn:aws:events:us-east-1:111111111111:rule/?' }), true);
  assert.equal(allow({ SourceArn: 'arn:aws:events:us-east-1:111111111111:rule/other' }), false);
  assert.equal(allow({ SourceAccount: '111111111111' }), true);
  assert.equal(allow({ SourceAccount: '333333333333' }), false);
  // aws:PrincipalOrgID holds only for a caller in that organization (Stratus's --organization).
  assert.equal(allow({ PrincipalOrgID: 'o-abc' }), false);
  const inOrg = (organizationId?: string) =>
    statementAllowsInvoke(
      buildStatement({ StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*', PrincipalOrgID: 'o-abcdefghij' }, FN),
      { ...events, organizationId },
    );
  assert.equal(inOrg('o-abcdefghij'), true);
  assert.equal(inOrg('o-zzzzzzzzzz'), false);
  assert.equal(inOrg(undefined), false);
});

test('only invoke actions count', () => {
  const s = buildStatement({ StatementId: 's', Action: 'lambda:GetFunction', Principal: '*' }, FN);
  assert.equal(policyAllowsInvoke([s], events), false);
  assert.equal(policyAllowsInvoke([{ ...s, Action: 'lambda:*' }], events), true);
  assert.equal(policyAllowsInvoke([], events), false);
});

test('the invocation record: AWS member order, payloads spliced in as sent', () => {
  const text = invocationRecord({
    requestId: 'r-1',
    functionArn: `${FN}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
    requestPayload: '{"n":12345678901234567890}',
    result: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', responsePayload: '{"errorMessage":"x"}' },
    timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
  });
  assert.equal(
    text,
    '{"version":"1.0","timestamp":"2024-01-02T03:04:05.678Z","requestContext":{"requestId":"r-1","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":3},' +
      '"requestPayload":{"n":12345678901234567890},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorMessage":"x"}}',
  );
  // A response that is not JSON is a JSON string; an empty event is {}.
  const plain = JSON.parse(invocationRecord({ requestId: 'r', functionArn: FN, condition: 'Success', approximateInvokeCount: 1, requestPayload: '', result: { statusCode: 200, responsePayload: 'hello' }, timestamp: 0 }));
  assert.deepEqual(plain.requestPayload, {});
  assert.equal(plain.responsePayload, 'hello');
});

test('a SourceArn wildcard matches in time linear in the ARN', () => {
  // AddPermission's SourceArn comes from a request; backtracking took minutes on this (issue 13).
  const source = { accountId: '111111111111', service: 'events', arn: `arn:aws:events:us-east-1:111111111111:rule/${'a'.repeat(40)}` };
  const statement = buildStatement(
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: `arn:aws:events:us-east-1:111111111111:rule/${'a*'.repeat(12)}b` },
    FN,
  );
  const started = performance.now();
  assert.equal(statementAllowsInvoke(statement, source), false);
  const ms = performance.now() - started;
  assert.ok(ms < 2000, `${ms} ms`);
  assert.equal(statementAllowsInvoke(statement, { ...source, arn: `${source.arn}b` }), true);
});
