import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncOutcome } from './task-book.js';
import { optimizedFailure, sdkFailure } from './errors.js';
import { functionArn } from './lambda-tasks.js';

const CHILD = 'arn:aws:states:us-east-1:000000000000:execution:child:run-1';
const details = { input: '{"n":1}', startDate: 1000, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:child' };

test('.sync writes the nested execution’s input and output as JSON text, .sync:2 as JSON', () => {
  const sync = syncOutcome(CHILD, { ...details, mode: 'sync' }, { status: 'SUCCEEDED', output: '{"r":2}' }, 2000);
  assert.equal(sync.type, 'succeeded');
  const out = (sync as { output: Record<string, unknown> }).output;
  assert.equal(out.Input, '{"n":1}');
  assert.equal(out.Output, '{"r":2}');
  assert.equal(out.Name, 'run-1');
  assert.equal(out.Status, 'SUCCEEDED');
  assert.equal(out.StopDate, 2000);
  const sync2 = syncOutcome(CHILD, { ...details, mode: 'sync:2' }, { status: 'SUCCEEDED', output: '{"r":2}' }, 2000);
  assert.deepEqual((sync2 as { output: Record<string, unknown> }).output.Output, { r: 2 });
  assert.deepEqual((sync2 as { output: Record<string, unknown> }).output.Input, { n: 1 });
});

test('a nested execution that did not succeed fails the task with States.TaskFailed and its description', () => {
  const failed = syncOutcome(CHILD, { ...details, mode: 'sync' }, { status: 'FAILED', error: 'E', cause: 'C' }, 2000);
  assert.equal(failed.type, 'failed');
  const { error, cause } = failed as { error: string; cause: string };
  assert.equal(error, 'States.TaskFailed');
  const described = JSON.parse(cause) as Record<string, unknown>;
  assert.equal(described.Status, 'FAILED');
  assert.equal(described.Error, 'E');
  assert.equal(described.Cause, 'C');
  assert.equal(described.Output, undefined);
});

test('service errors as the optimized and the aws-sdk integrations write them (recorded forms)', () => {
  assert.deepEqual(optimizedFailure('Lambda', 'AWSLambda', 'ResourceNotFoundException', 'ResourceNotFoundException', 'Function not found: x', 404, 'rid'), {
    type: 'failed',
    error: 'Lambda.ResourceNotFoundException',
    cause: 'Function not found: x (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: rid; Proxy: null)',
  });
  assert.deepEqual(sdkFailure('Sfn', 'InvalidToken', "Invalid Token: 'Invalid token'", 400, 'rid'), {
    type: 'failed',
    error: 'Sfn.InvalidTokenException',
    cause: "Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: rid) (SDK Attempt Count: 1)",
  });
  assert.equal((sdkFailure('Lambda', 'ResourceNotFoundException', 'm', 404, 'r') as { error: string }).error, 'Lambda.ResourceNotFoundException');
});

test('function ARNs from Invoke’s FunctionName: a name, a name with Qualifier, a partial and a full ARN', () => {
  assert.equal(functionArn('f', undefined, 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:123456789012:function:f');
  assert.equal(functionArn('f', 'live', 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:123456789012:function:f:live');
  assert.equal(functionArn('111111111111:function:g', undefined, 'eu-west-1', '123456789012'), 'arn:aws:lambda:eu-west-1:111111111111:function:g');
  assert.equal(functionArn('arn:aws:lambda:us-east-1:1:function:h:2', 'ignored', 'eu-west-1', '123456789012'), 'arn:aws:lambda:us-east-1:1:function:h:2');
});
