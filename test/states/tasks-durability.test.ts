/**
 * Task tokens and activity tasks survive `kill -9` (DESIGN rule 3; issue 14: tokens durable): a
 * real `stratus start` child process is killed while an execution waits for a task token and
 * while an activity task waits for a worker; a second process on the same data folder takes the
 * SendTaskSuccess for the token, hands the activity task to a worker, and both executions finish
 * once.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';

async function finished(sfn: SFNClient, executionArn: string): Promise<{ status?: string; output?: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) assert.fail(`${executionArn} still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a task token and an activity task outlive kill -9', async () => {
  const data = tempDataDir();
  try {
    const first = await spawnServer({ dataDir: data.dir });
    let sfn = new SFNClient(clientConfigFor(first.url));
    let sqs = new SQSClient(clientConfigFor(first.url));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tokens' }));
    const tokenMachine = await sfn.send(
      new CreateStateMachineCommand({
        name: 'token',
        roleArn: ROLE,
        definition: JSON.stringify({
          StartAt: 'T',
          States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl, MessageBody: { 'TaskToken.$': '$$.Task.Token' } }, End: true } },
        }),
      }),
    );
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'worker' }));
    const activityMachine = await sfn.send(
      new CreateStateMachineCommand({ name: 'activity', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } }) }),
    );
    const tokenRun = await sfn.send(new StartExecutionCommand({ stateMachineArn: tokenMachine.stateMachineArn, input: '{}' }));
    const activityRun = await sfn.send(new StartExecutionCommand({ stateMachineArn: activityMachine.stateMachineArn, input: '{"job":1}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    const token = JSON.parse(received.Messages![0].Body!).TaskToken as string;
    // The activity task is scheduled (its row written) before the kill.
    const deadline = Date.now() + 10_000;
    while (!(await sfn.send(new GetExecutionHistoryCommand({ executionArn: activityRun.executionArn }))).events!.some((e) => e.type === 'ActivityScheduled')) {
      if (Date.now() > deadline) assert.fail('activity never scheduled');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    sfn.destroy();
    sqs.destroy();
    assert.equal(await first.kill('SIGKILL'), 'SIGKILL');

    const second = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(second.url));
    sqs = new SQSClient(clientConfigFor(second.url));
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      const tokenOut = await finished(sfn, tokenRun.executionArn!);
      assert.equal(tokenOut.status, 'SUCCEEDED');
      assert.deepEqual(JSON.parse(tokenOut.output!), { approved: true });

      const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'after-restart' }));
      assert.ok(task.taskToken, 'the activity task is still there');
      assert.deepEqual(JSON.parse(task.input!), { job: 1 });
      await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"done":1}' }));
      const activityOut = await finished(sfn, activityRun.executionArn!);
      assert.equal(activityOut.status, 'SUCCEEDED');
      assert.deepEqual(JSON.parse(activityOut.output!), { done: 1 });
      const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: activityRun.executionArn }))).events!.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'ActivitySucceeded').length, 1, types.join());
      assert.equal(types.filter((t) => t === 'ActivityScheduled').length, 1, types.join());
      // The worker after the restart is named in ActivityStarted; nothing was written while the task waited.
      assert.deepEqual(types, ['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    } finally {
      sfn.destroy();
      sqs.destroy();
      await second.kill('SIGTERM');
    }
  } finally {
    data.cleanup();
  }
});
