/**
 * Step Functions executions through the AWS CLI (botocore, a client independent of the SDK for
 * JavaScript): a Standard execution started, described and its history read; an activity worker
 * driven with get-activity-task / send-task-success; start-sync-execution on an Express machine
 * with the host prefix turned off as docs/states.md says. Skipped, saying so, where no `aws`
 * executable is installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ROLE = 'arn:aws:iam::123456789012:role/sfn';

describe('aws stepfunctions: executions', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
  let server: TestServer;
  let cli: AwsCli;
  before(async () => {
    server = await startTestServer();
    cli = awsCli(server.url);
  });
  after(async () => {
    await server.stop();
    cli.cleanup();
  });

  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await cli.run('stepfunctions', ...args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
  };
  const create = async (name: string, definition: object, type = 'STANDARD'): Promise<string> =>
    (await json<{ stateMachineArn: string }>('create-state-machine', '--name', name, '--role-arn', ROLE, '--type', type, '--definition', JSON.stringify(definition))).stateMachineArn;
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  test('start-execution, describe-execution, get-execution-history', async () => {
    const machine = await create('cli-standard', {
      StartAt: 'Add',
      States: {
        Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.sum', NumericGreaterThan: 2, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'the sum is 2 or less' },
      },
    });
    const started = await json<{ executionArn: string }>('start-execution', '--state-machine-arn', machine, '--name', 'run-1', '--input', '{"a":2,"b":3}');
    assert.equal(started.executionArn, 'arn:aws:states:eu-west-1:123456789012:execution:cli-standard:run-1');
    const described = await until(
      () => json<{ status: string; output?: string }>('describe-execution', '--execution-arn', started.executionArn),
      (d) => d.status !== 'RUNNING',
    );
    assert.equal(described.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(described.output ?? 'null'), { sum: 5 });
    const history = await json<{ events: { id: number; previousEventId: number; type: string }[] }>('get-execution-history', '--execution-arn', started.executionArn);
    assert.deepEqual(
      history.events.map((e) => e.type),
      ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded'],
    );
    assert.deepEqual(history.events.map((e) => e.id), [1, 2, 3, 4, 5, 6, 7, 8]);

    const failed = await json<{ executionArn: string }>('start-execution', '--state-machine-arn', machine, '--input', '{"a":1,"b":1}');
    const failure = await until(
      () => json<{ status: string; error?: string; cause?: string }>('describe-execution', '--execution-arn', failed.executionArn),
      (d) => d.status !== 'RUNNING',
    );
    assert.deepEqual([failure.status, failure.error, failure.cause], ['FAILED', 'TooSmall', 'the sum is 2 or less']);

    const missing = await cli.run('stepfunctions', 'describe-execution', '--execution-arn', 'arn:aws:states:eu-west-1:123456789012:execution:cli-standard:nope');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /\(ExecutionDoesNotExist\) when calling the DescribeExecution operation/);
  });

  test('an activity worker: get-activity-task, then send-task-success', async () => {
    const activity = (await json<{ activityArn: string }>('create-activity', '--name', 'cli-worker')).activityArn;
    const machine = await create('cli-activity', { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activity, TimeoutSeconds: 60, End: true } } });
    const { executionArn } = await json<{ executionArn: string }>('start-execution', '--state-machine-arn', machine, '--input', '{"job":7}');
    const task = await until(
      () => json<{ taskToken?: string; input?: string }>('get-activity-task', '--activity-arn', activity, '--worker-name', 'cli'),
      (t) => typeof t.taskToken === 'string' && t.taskToken !== '',
    );
    assert.deepEqual(JSON.parse(task.input ?? 'null'), { job: 7 });
    // --task-token=…: a token may begin with '-', which the CLI would take for an option.
    await json('send-task-success', `--task-token=${task.taskToken as string}`, '--task-output', '{"done":true}');
    const described = await until(
      () => json<{ status: string; output?: string }>('describe-execution', '--execution-arn', executionArn),
      (d) => d.status !== 'RUNNING',
    );
    assert.equal(described.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(described.output ?? 'null'), { done: true });
    const reused = await cli.run('stepfunctions', 'send-task-success', `--task-token=${task.taskToken as string}`, '--task-output', '{}');
    assert.notEqual(reused.code, 0);
    assert.match(reused.stderr, /\((TaskTimedOut|TaskDoesNotExist|InvalidToken)\)/);
  });

  test('start-sync-execution on an Express machine, with host prefix injection off', async () => {
    const machine = await create('cli-express', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.name)" }, End: true } } }, 'EXPRESS');
    // botocore would send it to sync-127.0.0.1 (the operation's host prefix), which does not resolve.
    cli.env.AWS_DISABLE_HOST_PREFIX_INJECTION = 'true';
    try {
      const sync = await json<{ status: string; output?: string; executionArn: string; billingDetails?: object }>('start-sync-execution', '--state-machine-arn', machine, '--input', '{"name":"cli"}');
      assert.equal(sync.status, 'SUCCEEDED');
      assert.deepEqual(JSON.parse(sync.output ?? 'null'), { greeting: 'hello cli' });
      assert.match(sync.executionArn, /^arn:aws:states:eu-west-1:123456789012:express:cli-express:/);
      assert.ok(sync.billingDetails);
    } finally {
      delete cli.env.AWS_DISABLE_HOST_PREFIX_INJECTION;
    }
  });
});
