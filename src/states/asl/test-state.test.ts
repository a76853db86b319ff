import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testState } from './test-state.js';
import type { ExecutionEnv } from './snapshot.js';
import type { JsonObject } from './json.js';

const env: ExecutionEnv = { now: () => Date.parse('2025-01-01T00:00:00Z'), newId: () => 'token', random: () => 0 };

test('TestState: a Pass state, its output, next state and inspection data', async () => {
  const r = await testState(
    { Type: 'Pass', InputPath: '$.a', Parameters: { 'v.$': '$.b', 'x.$': '$x' }, ResultPath: '$.r', Assign: { y: 1 }, Next: 'After' },
    { input: { a: { b: 2 } }, variables: { x: 'X' }, inspectionLevel: 'DEBUG', env },
  );
  assert.ok(r.ok);
  assert.deepEqual(r.result, {
    status: 'SUCCEEDED',
    output: '{"a":{"b":2},"r":{"v":2,"x":"X"}}',
    nextState: 'After',
    inspectionData: {
      input: '{"a":{"b":2}}',
      afterInputPath: '{"b":2}',
      afterParameters: '{"v":2,"x":"X"}',
      result: '{"v":2,"x":"X"}',
      afterResultPath: '{"a":{"b":2},"r":{"v":2,"x":"X"}}',
      variables: '{"x":"X","y":1}',
    },
  });
});

test('TestState: a Task — the call is the caller\'s; RETRIABLE when a Retry matches, CAUGHT_ERROR when a Catch takes it', async () => {
  const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'p.$': '$' }, ResultSelector: { 'r.$': '$.Payload' }, End: true };
  const ok = await testState(state, { input: { n: 1 }, inspectionLevel: 'DEBUG', env, task: async (e) => ({ output: { Payload: e.input } }) });
  assert.ok(ok.ok);
  assert.equal(ok.result.status, 'SUCCEEDED');
  assert.equal(ok.result.output, '{"r":{"p":{"n":1}}}');
  assert.equal(ok.result.inspectionData?.afterResultSelector, '{"r":{"p":{"n":1}}}');
  const failing = async () => ({ error: 'Boom', cause: 'c' });
  const retry = await testState({ ...state, Retry: [{ ErrorEquals: ['Boom'] }] }, { input: {}, env, task: failing });
  assert.ok(retry.ok);
  assert.deepEqual(retry.result, { status: 'RETRIABLE', error: 'Boom', cause: 'c' });
  const { End: _end, ...open } = state;
  const caught = await testState({ ...open, Next: 'N', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler' }] }, { input: {}, env, task: failing });
  assert.ok(caught.ok);
  assert.deepEqual(caught.result, { status: 'CAUGHT_ERROR', error: 'Boom', cause: 'c', output: '{"Error":"Boom","Cause":"c"}', nextState: 'Handler' });
  const failed = await testState(state, { input: {}, env, task: failing });
  assert.ok(failed.ok);
  assert.deepEqual(failed.result, { status: 'FAILED', error: 'Boom', cause: 'c' });
});

test('TestState: Choice picks the next state; Wait does not wait; a bad state answers diagnostics', async () => {
  const choice = await testState({ Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' }, { input: { n: 5 }, env });
  assert.ok(choice.ok);
  assert.equal(choice.result.nextState, 'Big');
  const wait = await testState({ Type: 'Wait', Seconds: 3600, Next: 'Later' }, { input: { w: 1 }, env });
  assert.ok(wait.ok);
  assert.deepEqual(wait.result, { status: 'SUCCEEDED', output: '{"w":1}', nextState: 'Later' });
  const bad = await testState({ Type: 'Pass', End: true, Bogus: 1 }, { input: {}, env });
  assert.equal(bad.ok, false);
});

test('TestState: which states take a mock, and the form of a mocked Map / Parallel result', async () => {
  const refused = async (definition: JsonObject, options: Partial<Parameters<typeof testState>[1]>) => {
    const r = await testState(definition, { input: {}, env, ...options });
    assert.equal(r.ok, false);
    return r.ok ? undefined : { validation: r.validation, invalidDefinition: r.invalidDefinition };
  };
  assert.deepEqual(await refused({ Type: 'Pass', End: true }, { mock: { result: 1 } }), { validation: "State type 'Pass' is not supported when a mock is specified", invalidDefinition: undefined });
  assert.deepEqual(await refused({ Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'X' }] }, { mock: { error: 'E' } }), { validation: "State type 'Choice' is not supported when a mock is specified", invalidDefinition: undefined });
  const processor = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  assert.deepEqual(await refused({ Type: 'Map', ItemProcessor: processor, End: true }, {}), {
    validation: undefined,
    invalidDefinition: 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
  });
  assert.equal((await refused({ Type: 'Map', ItemProcessor: processor, End: true }, { mock: { result: { a: 1 } } }))?.validation, 'Mocked result must be an array.');
  const writer = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } };
  const distributed = { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
  assert.equal((await refused({ Type: 'Map', ItemProcessor: distributed, ResultWriter: writer, End: true }, { mock: { result: [] } }))?.validation, 'Mocked result must be a JSON object.');
  const parallel = { Type: 'Parallel', Branches: [processor, { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } }], End: true };
  assert.equal((await refused(parallel, { mock: { result: 'x' } }))?.validation, 'Mocked result must be an array.');
  assert.equal((await refused(parallel, { mock: { result: [1] } }))?.validation, 'Mocked result must contain the same number of items as number of Parallel branches.');
  const ok = await testState(parallel, { input: {}, env, mock: { result: [1, 2] } });
  assert.ok(ok.ok);
  assert.equal(ok.result.output, '[1,2]');
});

test('TestState: a Task’s mocked result goes through the caller’s model check, which may refuse it', async () => {
  const seen: unknown[] = [];
  const checkMockResult = async (resource: string, result: unknown) => {
    seen.push([resource, result]);
    return (result as { bad?: boolean }).bad ? 'Mock result schema validation error: no' : null;
  };
  const task = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true };
  const refused = await testState(task, { input: {}, env, mock: { result: { bad: true } }, checkMockResult });
  assert.equal(refused.ok, false);
  assert.equal(refused.ok ? undefined : refused.validation, 'Mock result schema validation error: no');
  const ok = await testState(task, { input: {}, env, mock: { result: { MessageId: 'm' } }, checkMockResult });
  assert.ok(ok.ok);
  assert.equal(ok.result.output, '{"MessageId":"m"}');
  // A mocked error has no result to check.
  await testState(task, { input: {}, env, mock: { error: 'E' }, checkMockResult });
  assert.deepEqual(seen, [
    ['arn:aws:states:::sqs:sendMessage', { bad: true }],
    ['arn:aws:states:::sqs:sendMessage', { MessageId: 'm' }],
  ]);
});
