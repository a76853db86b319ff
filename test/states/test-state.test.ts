/**
 * TestState through @aws-sdk/client-sfn (AWS JSON 1.0): every state type TestState takes, the
 * inspection data at DEBUG, the four statuses, mocks (Task, Map, Parallel), stateName in a whole
 * definition, retrierRetryCount, a mocked result checked against the model of the API its Task
 * calls (fieldValidationMode), and the errors for a bad state or request. The recorded cases of
 * test/conformance hold no TestState calls: the texts of the mock refusals are those AWS answered
 * in localstack's TestState snapshots (2025-11 to 2026-02); the other values follow the API
 * reference's field descriptions.
 */
import { SFNClient, TestStateCommand, type TestStateCommandInput } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { rejectsWith as rejects } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { testStateActions, type TestStateTaskCall } from '../../src/states/api/test-state-actions.js';
import type { RequestContext } from '../../src/protocol/service.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';

let server: TestServer;
let sfn: SFNClient;

before(async () => {
  server = await startTestServer({ clock: new ManualClock() });
  // TestState's endpoint has the host prefix `sync-` on AWS (the model's hostPrefix): an SDK
  // pointed at 127.0.0.1 needs disableHostPrefix, as for StartSyncExecution.
  sfn = new SFNClient({ ...server.clientConfig(), disableHostPrefix: true });
});
after(() => {
  sfn.destroy();
  return server.stop();
});

const run = (input: Omit<TestStateCommandInput, 'definition'> & { definition: unknown }) =>
  sfn.send(new TestStateCommand({ roleArn: ROLE, ...input, definition: typeof input.definition === 'string' ? input.definition : JSON.stringify(input.definition) }));

describe('TestState: states without a service call', () => {
  test('Pass at DEBUG: output, nextState and each processing step', async () => {
    const r = await run({
      definition: { Type: 'Pass', InputPath: '$.a', Parameters: { 'v.$': '$.b', 'x.$': '$x' }, ResultPath: '$.r', Assign: { y: 1 }, Next: 'After' },
      input: '{"a":{"b":2}}',
      variables: '{"x":"X"}',
      inspectionLevel: 'DEBUG',
    });
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output, '{"a":{"b":2},"r":{"v":2,"x":"X"}}');
    assert.equal(r.nextState, 'After');
    assert.deepEqual(r.inspectionData, {
      input: '{"a":{"b":2}}',
      afterInputPath: '{"b":2}',
      afterParameters: '{"v":2,"x":"X"}',
      result: '{"v":2,"x":"X"}',
      afterResultPath: '{"a":{"b":2},"r":{"v":2,"x":"X"}}',
      variables: '{"x":"X","y":1}',
    });
  });

  test('INFO (the default) gives no inspection data', async () => {
    const r = await run({ definition: { Type: 'Pass', End: true }, input: '{"k":1}' });
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output, '{"k":1}');
    assert.equal(r.inspectionData, undefined);
    assert.equal(r.nextState, undefined);
  });

  test('Choice picks the next state; Wait does not wait; Succeed ends', async () => {
    const choice = await run({ definition: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' }, input: '{"n":5}' });
    assert.equal(choice.nextState, 'Big');
    const wait = await run({ definition: { Type: 'Wait', Seconds: 3600, Next: 'Later' }, input: '{"w":1}' });
    assert.deepEqual([wait.status, wait.output, wait.nextState], ['SUCCEEDED', '{"w":1}', 'Later']);
    const succeed = await run({ definition: { Type: 'Succeed', OutputPath: '$.a' }, input: '{"a":[1]}' });
    assert.deepEqual([succeed.status, succeed.output], ['SUCCEEDED', '[1]']);
  });

  test('Fail answers FAILED with its error and cause', async () => {
    const r = await run({ definition: { Type: 'Fail', Error: 'MyError', Cause: 'because' } });
    assert.deepEqual([r.status, r.error, r.cause, r.output, r.nextState], ['FAILED', 'MyError', 'because', undefined, undefined]);
  });

  test('a JSONata Pass state: Output and Assign', async () => {
    const r = await run({
      definition: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.n * 2 %}', Assign: { seen: '{% $states.input.n %}' }, End: true },
      input: '{"n":21}',
      inspectionLevel: 'DEBUG',
    });
    assert.equal(r.output, '42');
    assert.equal(r.inspectionData?.variables, '{"seen":21}');
  });

  test('stateName picks a state of a whole definition (with its QueryLanguage)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: { First: { Type: 'Pass', Next: 'Second' }, Second: { Type: 'Pass', Output: '{% $states.input.v + 1 %}', End: true } },
    };
    const r = await run({ definition, stateName: 'Second', input: '{"v":1}' });
    assert.deepEqual([r.status, r.output], ['SUCCEEDED', '2']);
    await rejects(run({ definition, stateName: 'Nope' }), 'ValidationException', /Nope/);
  });
});

describe('TestState: Task with a mock', () => {
  const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'p.$': '$' }, ResultSelector: { 'r.$': '$.Payload' }, End: true };

  test('the mocked result goes through ResultSelector and ResultPath', async () => {
    // Lambda's model has Payload as a blob (a string): checked, this JSON payload would be refused.
    const r = await run({ definition: task, input: '{"n":1}', inspectionLevel: 'DEBUG', mock: { result: '{"Payload":{"ok":true}}', fieldValidationMode: 'NONE' } });
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output, '{"r":{"ok":true}}');
    assert.equal(r.inspectionData?.afterParameters, '{"p":{"n":1}}');
    assert.equal(r.inspectionData?.result, '{"Payload":{"ok":true}}');
    assert.equal(r.inspectionData?.afterResultSelector, '{"r":{"ok":true}}');
  });

  test('a mocked error: RETRIABLE while a Retry has attempts left (errorDetails), then CAUGHT_ERROR or FAILED', async () => {
    const { End: _end, ...open } = task;
    const retrying = { ...open, Next: 'N', Retry: [{ ErrorEquals: ['Other'] }, { ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['X'], Next: 'Never' }, { ErrorEquals: ['States.ALL'], Next: 'Handler' }] };
    const mock = { errorOutput: { error: 'Boom', cause: 'c' } };
    const first = await run({ definition: retrying, inspectionLevel: 'DEBUG', mock });
    assert.deepEqual([first.status, first.error, first.cause], ['RETRIABLE', 'Boom', 'c']);
    assert.deepEqual(first.inspectionData?.errorDetails, { retryIndex: 1, retryBackoffIntervalSeconds: 2 });
    const second = await run({ definition: retrying, inspectionLevel: 'DEBUG', mock, stateConfiguration: { retrierRetryCount: 1 } });
    assert.deepEqual(second.inspectionData?.errorDetails, { retryIndex: 1, retryBackoffIntervalSeconds: 6 });
    const exhausted = await run({ definition: retrying, inspectionLevel: 'DEBUG', mock, stateConfiguration: { retrierRetryCount: 2 } });
    assert.deepEqual([exhausted.status, exhausted.nextState, exhausted.output], ['CAUGHT_ERROR', 'Handler', '{"Error":"Boom","Cause":"c"}']);
    assert.deepEqual(exhausted.inspectionData?.errorDetails, { catchIndex: 1 });
    const failed = await run({ definition: task, mock });
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Boom', 'c']);
  });

  test('.waitForTaskToken and activities run with a mock', async () => {
    const r = await run({ definition: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' }, End: true }, mock: { result: '{"done":1}' } });
    assert.deepEqual([r.status, r.output], ['SUCCEEDED', '{"done":1}']);
    await rejects(run({ definition: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:000000000000:activity:a', End: true } }), 'ValidationException', /only with a mock/);
  });

  test('the context object (with a mock)', async () => {
    const r = await run({
      definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'name.$': '$$.Execution.Name' }, End: true },
      inspectionLevel: 'DEBUG',
      mock: { result: '{}' },
      context: '{"Execution":{"Name":"my-run"}}',
    });
    assert.equal(r.inspectionData?.afterParameters, '{"name":"my-run"}');
    await rejects(run({ definition: { Type: 'Pass', End: true }, context: '{}' }), 'ValidationException');
  });

  test('without a mock a Task calls its integration for real: a message sent to a queue; a function that does not exist fails the state', async () => {
    const sqs = new SQSClient(server.clientConfig());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'test-state-target' }));
    const send = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl, 'MessageBody.$': '$.body' }, End: true };
    const sent = await run({ definition: send, input: '{"body":"from TestState"}' });
    assert.equal(sent.status, 'SUCCEEDED', `${sent.error}: ${sent.cause}`);
    assert.match((JSON.parse(sent.output ?? '{}') as { MessageId?: string }).MessageId ?? '', /^[0-9a-f-]{36}$/);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.deepEqual(received.Messages?.map((m) => m.Body), ['from TestState']);
    sqs.destroy();
    const missing = await run({ definition: { ...task, Parameters: { FunctionName: 'no-such-function' } } });
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'Lambda.ResourceNotFoundException');
  });
});

describe('TestState: Map and Parallel with a mock', () => {
  test('a mocked Map result goes through ResultSelector / ResultPath; a failure count past the tolerance fails it', async () => {
    const map = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, ResultPath: '$.out', ToleratedFailureCount: 1, End: true };
    const r = await run({ definition: map, input: '{"items":[1,2]}', inspectionLevel: 'DEBUG', mock: { result: '[10,20]' } });
    assert.deepEqual([r.status, r.output], ['SUCCEEDED', '{"items":[1,2],"out":[10,20]}']);
    assert.equal(r.inspectionData?.afterParameters, undefined);
    // The Map's own input processing still runs: items that are neither array nor object fail it.
    const notArray = await run({ definition: { ...map, ItemsPath: '$.items[0]' }, input: '{"items":[1,2]}', inspectionLevel: 'DEBUG', mock: { result: '[]' } });
    assert.deepEqual([notArray.status, notArray.error], ['FAILED', 'States.Runtime']);
    const within = await run({ definition: map, mock: { result: '[]' }, stateConfiguration: { mapIterationFailureCount: 1 } });
    assert.equal(within.status, 'SUCCEEDED');
    const past = await run({ definition: map, mock: { result: '[]' }, stateConfiguration: { mapIterationFailureCount: 2 } });
    assert.deepEqual([past.status, past.error], ['FAILED', 'States.ExceedToleratedFailureThreshold']);
  });

  test('a mocked Map at DEBUG shows its input processing: ItemsPath, ItemSelector, MaxConcurrency, tolerated failures', async () => {
    const map = {
      Type: 'Map',
      InputPath: '$.in',
      ItemsPath: '$.list',
      ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
      MaxConcurrency: 3,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      ToleratedFailurePercentage: 10,
      End: true,
    };
    const r = await run({ definition: map, input: '{"in":{"list":["a","b"]}}', inspectionLevel: 'DEBUG', mock: { result: '["A","B"]' } });
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output, '["A","B"]');
    assert.equal(r.inspectionData?.afterInputPath, '{"list":["a","b"]}');
    assert.equal(r.inspectionData?.afterItemsPath, '["a","b"]');
    assert.equal(r.inspectionData?.afterItemSelector, '[{"v":"a","i":0},{"v":"b","i":1}]');
    assert.equal(r.inspectionData?.maxConcurrency, 3);
    assert.equal(r.inspectionData?.toleratedFailurePercentage, 10);
    assert.equal(r.inspectionData?.result, '["A","B"]');
  });

  test('a mocked distributed Map reads mapItemReaderData through its ItemReader and ItemBatcher', async () => {
    const map = {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ItemsPointer: '/rows' }, Parameters: { Bucket: 'b', Key: 'k' } },
      ItemBatcher: { MaxItemsPerBatch: 2 },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      End: true,
    };
    const r = await run({ definition: map, inspectionLevel: 'DEBUG', mock: { result: '[]' }, stateConfiguration: { mapItemReaderData: '{"rows":[1,2,3]}' } });
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.inspectionData?.afterItemsPointer, '[1,2,3]');
    assert.equal(r.inspectionData?.afterItemBatcher, '[{"Items":[1,2]},{"Items":[3]}]');
  });

  test('a mocked Parallel error is caught by its Catch', async () => {
    const parallel = { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'H' }], Next: 'N' };
    const r = await run({ definition: parallel, input: '{"a":1}', mock: { errorOutput: { error: 'E', cause: 'C' } } });
    assert.deepEqual([r.status, r.nextState, r.output], ['CAUGHT_ERROR', 'H', '{"a":1,"err":{"Error":"E","Cause":"C"}}']);
  });

  test('Map and Parallel without a mock are refused as AWS refuses them', async () => {
    const unsupported = /^TestState API does not support Map or Parallel states\. Supported state types include: \[Task, Wait, Pass, Succeed, Fail, Choice\]$/;
    await rejects(run({ definition: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], End: true } }), 'InvalidDefinition', unsupported);
    await rejects(run({ definition: { Type: 'Map', ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }, End: true } }), 'InvalidDefinition', unsupported);
  });

  test('a mocked Map result must be an array (an object with a ResultWriter); a Parallel one an array of one result per branch', async () => {
    const processor = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } };
    await rejects(run({ definition: { Type: 'Map', ItemProcessor: processor, End: true }, mock: { result: '{"a":1}' } }), 'ValidationException', /^Mocked result must be an array\.$/);
    const writer = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } };
    const distributed = { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
    await rejects(run({ definition: { Type: 'Map', ItemProcessor: distributed, ResultWriter: writer, End: true }, mock: { result: '[]' } }), 'ValidationException', /^Mocked result must be a JSON object\.$/);
    const parallel = { Type: 'Parallel', Branches: [processor, { StartAt: 'J', States: { J: { Type: 'Pass', End: true } } }], End: true };
    await rejects(run({ definition: parallel, mock: { result: '{}' } }), 'ValidationException', /^Mocked result must be an array\.$/);
    await rejects(run({ definition: parallel, mock: { result: '[1,2,3]' } }), 'ValidationException', /^Mocked result must contain the same number of items as number of Parallel branches\.$/);
    const ok = await run({ definition: parallel, mock: { result: '["a","b"]' } });
    assert.deepEqual([ok.status, ok.output], ['SUCCEEDED', '["a","b"]']);
  });
});

describe('TestState: bad requests', () => {
  test('an invalid state is InvalidDefinition; bad input InvalidExecutionInput; a mock on a Pass ValidationException', async () => {
    await rejects(run({ definition: { Type: 'Pass', End: true, Bogus: 1 } }), 'InvalidDefinition', /Invalid State Machine Definition/);
    await rejects(run({ definition: '{not json' }), 'InvalidDefinition', /INVALID_JSON_DESCRIPTION/);
    await rejects(run({ definition: { Type: 'Pass', End: true }, input: '{oops' }), 'InvalidExecutionInput', /^Invalid State Machine Execution Input: /);
    await rejects(run({ definition: { Type: 'Pass', End: true }, mock: { result: '1' } }), 'ValidationException', /^State type 'Pass' is not supported when a mock is specified$/);
    await rejects(run({ definition: { Type: 'Fail', Error: 'E' }, mock: { errorOutput: { error: 'E' } } }), 'ValidationException', /^State type 'Fail' is not supported when a mock is specified$/);
    await rejects(run({ definition: { Type: 'Pass', End: true }, roleArn: 'not-a-role' }), 'InvalidArn');
  });
});

describe('TestState: a Task without a mock, through a task runner', () => {
  test('the integration is called with the effective parameters; its answer is the result (the engine\'s TaskRunner shape)', async () => {
    const calls: TestStateTaskCall[] = [];
    const runner = {
      run: async (call: TestStateTaskCall) => {
        calls.push(call);
        return (call.effect.input as { fail?: boolean }).fail ? { type: 'failed' as const, error: 'Lambda.Boom', cause: 'no' } : { type: 'succeeded' as const, output: { Payload: 42 } };
      },
    };
    const [action] = testStateActions(new ManualClock(), () => runner);
    const ctx = { accountId: '111122223333', region: 'eu-west-1' } as RequestContext;
    const definition = JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'fail.$': '$.fail' }, OutputPath: '$.Payload', End: true });
    const ok = await action.handler({ definition, input: '{"fail":false}', roleArn: ROLE }, ctx);
    assert.deepEqual([ok.status, ok.output], ['SUCCEEDED', '42']);
    assert.equal(calls[0].effect.resource, 'arn:aws:states:::lambda:invoke');
    assert.deepEqual(calls[0].effect.input, { fail: false });
    assert.deepEqual([calls[0].account, calls[0].region, calls[0].roleArn], ['111122223333', 'eu-west-1', ROLE]);
    const failed = await action.handler({ definition, input: '{"fail":true}' }, ctx);
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Lambda.Boom', 'no']);
  });
});

describe('TestState: a mocked result checked against the service’s model (fieldValidationMode)', () => {
  const putEvents = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { 'Entries.$': '$.Entries' }, End: true };
  const startExecution = { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { 'StateMachineArn.$': '$.arn' }, ResultPath: '$.started', End: true };
  const invoke = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true };
  const schema = (detail: string) => new RegExp(`^Mock result schema validation error: ${detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

  test('STRICT, the default: fields the model lacks pass; a field of the wrong type is refused, nested ones by their own name', async () => {
    for (const result of ['{"random":"json"}', '{}', '{"Entries":[{"EventId":"e-1"}],"FailedEntryCount":0}']) {
      const r = await run({ definition: putEvents, input: '{"Entries":[]}', mock: { result } });
      assert.deepEqual([r.status, r.output], ['SUCCEEDED', result]);
    }
    await rejects(run({ definition: putEvents, mock: { result: '{"Entries":"a list of entries"}' } }), 'ValidationException', schema("Field 'Entries' must be an array"));
    await rejects(run({ definition: putEvents, mock: { result: '{"Entries":[{"EventId":"ok"},{"EventId":["not a string"]}]}' } }), 'ValidationException', schema("Field 'EventId' must be a string"));
    await rejects(run({ definition: invoke, mock: { result: '{"StatusCode":"200"}' } }), 'ValidationException', schema("Field 'StatusCode' must be a number"));
    const invoked = await run({ definition: invoke, mock: { result: '{"Payload":"function output","SdkHttpMetadata":{"HttpStatusCode":200}}' } });
    assert.deepEqual([invoked.status, invoked.output], ['SUCCEEDED', '{"Payload":"function output","SdkHttpMetadata":{"HttpStatusCode":200}}']);
  });

  test('STRICT requires the model’s required fields, in PascalCase; PRESENT does not; NONE checks nothing', async () => {
    await rejects(run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{}' } }), 'ValidationException', schema("Required field 'ExecutionArn' is missing"));
    await rejects(run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"executionArn":"x","startDate":"y"}' } }), 'ValidationException', schema("Required field 'ExecutionArn' is missing"));
    await rejects(run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"ExecutionArn":"x","StartDate":true}' } }), 'ValidationException', schema("Field 'StartDate' must be a string"));
    const started = await run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"ExecutionArn":"x","StartDate":"2025-11-25T00:48:49.000Z"}' } });
    assert.deepEqual([started.status, started.output], ['SUCCEEDED', '{"arn":"a","started":{"ExecutionArn":"x","StartDate":"2025-11-25T00:48:49.000Z"}}']);
    const present = await run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"executionArn":"x"}', fieldValidationMode: 'PRESENT' } });
    assert.deepEqual([present.status, present.output], ['SUCCEEDED', '{"arn":"a","started":{"executionArn":"x"}}']);
    await rejects(run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"ExecutionArn":1}', fieldValidationMode: 'PRESENT' } }), 'ValidationException', schema("Field 'ExecutionArn' must be a string"));
    const none = await run({ definition: startExecution, input: '{"arn":"a"}', mock: { result: '{"ExecutionArn":1}', fieldValidationMode: 'NONE' } });
    assert.equal(none.status, 'SUCCEEDED');
  });

  test('aws-sdk integrations of the served services are checked against the action’s output; enums too', async () => {
    const describe = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution', Parameters: { ExecutionArn: 'x' }, End: true };
    await rejects(run({ definition: describe, mock: { result: '{}' } }), 'ValidationException', schema("Required field 'ExecutionArn' is missing"));
    const described = { ExecutionArn: 'e', StateMachineArn: 'm', Status: 'NOT_A_STATUS', StartDate: '2025-01-01T00:00:00Z' };
    await rejects(run({ definition: describe, mock: { result: JSON.stringify(described) } }), 'ValidationException', schema("Field 'Status' is not an expected value"));
    const ok = await run({ definition: describe, mock: { result: JSON.stringify({ ...described, Status: 'RUNNING' }) } });
    assert.equal(ok.status, 'SUCCEEDED');
    const queueUrl = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:getQueueUrl', Parameters: { QueueName: 'q' }, End: true };
    await rejects(run({ definition: queueUrl, mock: { result: '{"QueueUrl":5}' } }), 'ValidationException', schema("Field 'QueueUrl' must be a string"));
  });

  test('what has no model here is taken as it is: callbacks, function ARNs, services Stratus does not serve, a mocked error', async () => {
    const anything = '{"StatusCode":"not a number","Entries":"x"}';
    const resources = [
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:lambda:us-east-1:000000000000:function:f',
      'arn:aws:states:::dynamodb:putItem',
      'arn:aws:states:::aws-sdk:dynamodb:getItem',
      'arn:aws:states:::aws-sdk:cloudwatchlogs:describeLogGroups',
    ];
    for (const Resource of resources) {
      const r = await run({ definition: { Type: 'Task', Resource, End: true }, mock: { result: anything } });
      assert.deepEqual([r.status, r.output], ['SUCCEEDED', anything], Resource);
    }
    const failed = await run({ definition: putEvents, input: '{"Entries":[]}', mock: { errorOutput: { error: 'EventBridge.Boom', cause: 'c' } } });
    assert.deepEqual([failed.status, failed.error], ['FAILED', 'EventBridge.Boom']);
  });

  test('the mock itself: valid JSON whatever the mode; one of result and errorOutput; no revealSecrets', async () => {
    await rejects(run({ definition: invoke, mock: { result: 'not JSON string', fieldValidationMode: 'NONE' } }), 'ValidationException', /^Mocked result must be valid JSON$/);
    const both = /^A test mock should have only one of the following fields: \[result, errorOutput\]\.$/;
    await rejects(run({ definition: invoke, mock: { result: '{}', errorOutput: { error: 'E' } } }), 'ValidationException', both);
    await rejects(run({ definition: invoke, mock: {} }), 'ValidationException', both);
    await rejects(run({ definition: invoke, mock: { result: '{}' }, revealSecrets: true }), 'ValidationException', /^TestState does not support RevealSecrets when a mock is specified\.$/);
    await rejects(run({ definition: invoke, mock: { result: '{}', fieldValidationMode: 'LOOSE' as 'NONE' } }), 'ValidationException', /fieldValidationMode/);
  });
});
