import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAllowed, parsePolicy, permissionStatement, type PolicyDocument } from './policy.js';

const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/orders';
const put = (accountId: string, organizationId?: string) => ({ accountId, organizationId, action: 'events:PutEvents', resource: BUS });
const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });

describe('permissionStatement', () => {
  test('an account principal becomes its root ARN (recorded against AWS)', () => {
    assert.deepEqual(permissionStatement({ statementId: 's1', action: 'events:PutEvents', principal: '222222222222', busArn: BUS }), {
      Sid: 's1',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'events:PutEvents',
      Resource: BUS,
    });
  });
  test('"*" stays a bare string; an organization condition becomes StringEquals aws:PrincipalOrgID', () => {
    const s = permissionStatement({
      statementId: 'org',
      action: 'events:PutEvents',
      principal: '*',
      busArn: BUS,
      condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-abcdefghij' },
    });
    assert.equal(s.Principal, '*');
    assert.deepEqual(s.Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } });
  });
  test('the statement key order is Sid, Effect, Principal, Action, Resource (as AWS returns it)', () => {
    assert.deepEqual(Object.keys(permissionStatement({ statementId: 'a', action: 'events:PutEvents', principal: '*', busArn: BUS })), [
      'Sid', 'Effect', 'Principal', 'Action', 'Resource',
    ]);
  });
});

describe('isAllowed', () => {
  const grantB = permissionStatement({ statementId: 'b', action: 'events:PutEvents', principal: '222222222222', busArn: BUS });
  const grantOrg = permissionStatement({
    statementId: 'org',
    action: 'events:PutEvents',
    principal: '*',
    busArn: BUS,
    condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-abcdefghij' },
  });

  test('no policy allows nobody', () => assert.equal(isAllowed(undefined, put('222222222222')), false));
  test('a granted account may put events; another may not', () => {
    assert.equal(isAllowed(doc(grantB), put('222222222222')), true);
    assert.equal(isAllowed(doc(grantB), put('333333333333')), false);
  });
  test('a plain account id as principal counts like its root ARN', () => {
    assert.equal(isAllowed(doc({ ...grantB, Principal: { AWS: '222222222222' } }), put('222222222222')), true);
  });
  test('an organization grant needs the caller to be in that organization', () => {
    assert.equal(isAllowed(doc(grantOrg), put('222222222222', 'o-abcdefghij')), true);
    assert.equal(isAllowed(doc(grantOrg), put('222222222222', 'o-zzzzzzzzzz')), false);
    assert.equal(isAllowed(doc(grantOrg), put('222222222222')), false);
  });
  test('"*" without a condition allows every account', () => {
    assert.equal(isAllowed(doc({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: BUS }), put('999999999999')), true);
  });
  test('an explicit Deny wins over an Allow', () => {
    const deny = { Effect: 'Deny' as const, Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'events:*', Resource: '*' };
    assert.equal(isAllowed(doc(grantB, deny), put('222222222222')), false);
  });
  test('actions match case-insensitively and with wildcards; resources with wildcards', () => {
    assert.equal(isAllowed(doc({ ...grantB, Action: 'EVENTS:put*' }), put('222222222222')), true);
    assert.equal(isAllowed(doc({ ...grantB, Action: 'events:ListRules' }), put('222222222222')), false);
    assert.equal(isAllowed(doc({ ...grantB, Resource: 'arn:aws:events:us-east-1:111111111111:event-bus/*' }), put('222222222222')), true);
    assert.equal(isAllowed(doc({ ...grantB, Resource: 'arn:aws:events:us-east-1:111111111111:event-bus/other' }), put('222222222222')), false);
    assert.equal(isAllowed(doc({ ...grantB, Action: ['events:ListRules', 'events:PutEvents'] }), put('222222222222')), true);
  });
  test('a Service principal is not an account', () => {
    assert.equal(isAllowed(doc({ ...grantB, Principal: { AWS: [] } }), put('222222222222')), false);
  });
  test('an unknown condition operator never holds', () => {
    assert.equal(isAllowed(doc({ ...grantB, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } } }), put('222222222222')), false);
  });
  test('aws:SourceArn with ArnEquals/ArnLike lets only the named rules forward', () => {
    const fromRule = { Effect: 'Allow' as const, Principal: '*' as const, Action: 'events:PutEvents', Resource: BUS };
    const rule = 'arn:aws:events:us-east-1:222222222222:rule/forward';
    const policy = doc({ ...fromRule, Condition: { ArnEquals: { 'aws:SourceArn': rule } } });
    assert.equal(isAllowed(policy, { ...put('222222222222'), sourceArn: rule }), true);
    assert.equal(isAllowed(policy, { ...put('222222222222'), sourceArn: `${rule}-other` }), false);
    assert.equal(isAllowed(policy, put('222222222222')), false);
    const like = doc({ ...fromRule, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:222222222222:rule/*' } } });
    assert.equal(isAllowed(like, { ...put('222222222222'), sourceArn: rule }), true);
  });
  test('StringNotEquals and StringLike on aws:PrincipalAccount', () => {
    const star = { Effect: 'Allow' as const, Principal: '*' as const, Action: 'events:PutEvents', Resource: BUS };
    assert.equal(isAllowed(doc({ ...star, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } } }), put('222222222222')), false);
    assert.equal(isAllowed(doc({ ...star, Condition: { StringLike: { 'aws:PrincipalAccount': '2222*' } } }), put('222222222222')), true);
  });
});

describe('parsePolicy', () => {
  test('a document with one statement object or a list', () => {
    assert.equal(parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"*"}}')?.Statement.length, 1);
    assert.equal(parsePolicy(JSON.stringify(doc()))?.Statement.length, 0);
  });
  test('not JSON, not an object, or a statement without Allow/Deny is no policy', () => {
    assert.equal(parsePolicy('nope'), undefined);
    assert.equal(parsePolicy('[1]'), undefined);
    assert.equal(parsePolicy('{"Statement":[{"Effect":"Maybe"}]}'), undefined);
  });
});

describe('wildcards match in time linear in the value', () => {
  // A policy's patterns come from PutPermission; backtracking took minutes on these (issue 13).
  const BOUND_MS = 2000;
  const longBus = `arn:aws:events:us-east-1:111111111111:event-bus/${'a'.repeat(40)}`;
  const evil = `arn:aws:events:us-east-1:111111111111:event-bus/${'a*'.repeat(12)}b`;
  const timed = (policy: PolicyDocument, request: Parameters<typeof isAllowed>[1]): { allowed: boolean; ms: number } => {
    const started = performance.now();
    const allowed = isAllowed(policy, request);
    return { allowed, ms: performance.now() - started };
  };

  test('in Resource', () => {
    const { allowed, ms } = timed(doc({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: evil }), { ...put('222222222222'), resource: longBus });
    assert.equal(allowed, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    assert.equal(isAllowed(doc({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: evil }), { ...put('222222222222'), resource: `${longBus}b` }), true);
  });

  test('in a StringLike / ArnLike condition', () => {
    const rule = `arn:aws:events:us-east-1:222222222222:rule/${'a'.repeat(40)}`;
    for (const operator of ['StringLike', 'ArnLike']) {
      const policy = doc({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: BUS, Condition: { [operator]: { 'aws:SourceArn': `arn:aws:events:us-east-1:222222222222:rule/${'a*'.repeat(12)}b` } } });
      const { allowed, ms } = timed(policy, { ...put('222222222222'), sourceArn: rule });
      assert.equal(allowed, false, operator);
      assert.ok(ms < BOUND_MS, `${operator}: ${ms} ms`);
    }
  });

  test('in Action, compared without regard to case', () => {
    const { allowed, ms } = timed(doc({ Effect: 'Allow', Principal: '*', Action: `events:${'p*'.repeat(12)}x`, Resource: BUS }), { ...put('222222222222'), action: `events:${'P'.repeat(40)}` });
    assert.equal(allowed, false);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    assert.equal(isAllowed(doc({ Effect: 'Allow', Principal: '*', Action: 'EVENTS:put*', Resource: BUS }), put('222222222222')), true);
  });

  test('the other characters stay literal', () => {
    const policy = (Resource: string) => doc({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource });
    assert.equal(isAllowed(policy('arn:aws:events:us-east-1:111111111111:event-bus/ord.rs'), put('222222222222')), false);
    assert.equal(isAllowed(policy('arn:aws:events:us-east-1:111111111111:event-bus/ord?rs'), put('222222222222')), true);
    assert.equal(isAllowed(policy('arn:aws:events:us-east-1:111111111111:event-bus/(orders|x)'), put('222222222222')), false);
  });
});
