import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activityArn, parseStatesArn, resourceTypeName, stateMachineArn } from './arns.js';

const base = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };

test('every Step Functions ARN form', () => {
  assert.equal(stateMachineArn('eu-west-1', '123456789012', 'm'), 'arn:aws:states:eu-west-1:123456789012:stateMachine:m');
  assert.equal(activityArn('eu-west-1', '123456789012', 'a'), 'arn:aws:states:eu-west-1:123456789012:activity:a');
  const arn = (resource: string) => `arn:aws:states:eu-west-1:123456789012:${resource}`;
  assert.deepEqual(parseStatesArn(arn('stateMachine:m')), { ...base, type: 'stateMachine', name: 'm' });
  assert.deepEqual(parseStatesArn(arn('stateMachine:m:12')), { ...base, type: 'version', name: 'm', version: 12, qualifier: '12' });
  assert.deepEqual(parseStatesArn(arn('stateMachine:m:live')), { ...base, type: 'alias', name: 'm', alias: 'live', qualifier: 'live' });
  // A qualifier that is not a version number (leading zero) is an alias name.
  assert.deepEqual(parseStatesArn(arn('stateMachine:m:01')), { ...base, type: 'alias', name: 'm', alias: '01', qualifier: '01' });
  assert.deepEqual(parseStatesArn(arn('stateMachine:m/items')), { ...base, type: 'mapRunLabel', name: 'm', label: 'items' });
  assert.deepEqual(parseStatesArn(arn('activity:a')), { ...base, type: 'activity', name: 'a' });
  assert.deepEqual(parseStatesArn(arn('execution:m:e')), { ...base, type: 'execution', machine: 'm', name: 'e' });
  assert.deepEqual(parseStatesArn(arn('express:m:e:id')), { ...base, type: 'express', machine: 'm', name: 'e', id: 'id' });
  assert.deepEqual(parseStatesArn(arn('mapRun:m/l:id')), { ...base, type: 'other', resourceType: 'mapRun' });
});

test('what InvalidArn says', () => {
  assert.deepEqual(parseStatesArn('not-an-arn'), { invalid: 'Invalid ARN prefix: not-an-arn' });
  assert.deepEqual(parseStatesArn('arn:aws:lambda:eu-west-1:123456789012:function:f'), { invalid: 'Invalid ARN prefix: arn:aws:lambda:eu-west-1:123456789012:function:f' });
  for (const bad of ['arn:aws:states::123456789012:stateMachine:m', 'arn:aws:states:eu-west-1:123:stateMachine:m', 'arn:aws:states:eu-west-1:123456789012:stateMachine:', 'arn:aws:states:eu-west-1:123456789012:stateMachine:m:1:2']) {
    assert.deepEqual(parseStatesArn(bad), { invalid: bad });
  }
  const types = ['stateMachine:m:1', 'activity:a', 'execution:m:e', 'mapRun:m/l:id'].map((r) => {
    const parsed = parseStatesArn(`arn:aws:states:eu-west-1:123456789012:${r}`);
    return 'invalid' in parsed ? parsed.invalid : resourceTypeName(parsed);
  });
  assert.deepEqual(types, ['stateMachine', 'activity', 'execution', 'mapRun']);
});
