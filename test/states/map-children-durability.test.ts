/**
 * A distributed Map's child workflow executions survive kill -9 as their parent does: their rows
 * and histories are written in the commit of the parent's step that starts, advances or ends them.
 * A real `stratus start` child is killed with SIGKILL while some children have ended and others
 * wait in a Wait state; after a restart on the same data folder every item has exactly one child
 * execution, each running one at the kill goes on under its ARN, and every child's history is
 * whole: ids 1…n, one ExecutionStarted, one ExecutionSucceeded at the end.
 */
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';
import { describeOnceEnded } from '../support/states-executions.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ITEMS = 9;

async function children(sfn: SFNClient, mapRunArn: string): Promise<ExecutionListItem[]> {
  return (await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000 }))).executions!;
}

test('children killed mid-run resume after restart: one child per item, each history whole', async () => {
  const data = tempDataDir();
  let server: ChildServer | undefined;
  let sfn: SFNClient | undefined;
  try {
    server = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(server.url));
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 3,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'W',
            States: { W: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', Parameters: { 'item.$': '$' }, End: true } },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'm', definition: JSON.stringify(definition), roleArn: ROLE }));
    const items = Array.from({ length: ITEMS }, (_, i) => i);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(items) }));
    let mapRunArn: string | undefined;
    let atKill: ExecutionListItem[] = [];
    for (let i = 0; ; i++) {
      mapRunArn ??= (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn;
      if (mapRunArn !== undefined) {
        atKill = await children(sfn, mapRunArn);
        if (atKill.some((c) => c.status === 'SUCCEEDED') && atKill.some((c) => c.status === 'RUNNING')) break;
      }
      assert.ok(i < 2000, 'the moment to kill never came');
      await sleep(5);
    }
    await server.kill('SIGKILL');
    sfn.destroy();

    server = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(server.url));
    const described = await describeOnceEnded(sfn, executionArn!);
    assert.equal(described.status, 'SUCCEEDED', `${described.error}: ${described.cause}`);
    assert.deepEqual(JSON.parse(described.output!), items.map((item) => ({ item })));

    const after = await children(sfn, mapRunArn!);
    assert.equal(after.length, ITEMS, 'one child execution per item');
    assert.ok(after.every((c) => c.status === 'SUCCEEDED'));
    // What was listed at the kill was committed: the same children, going on under their ARNs.
    const arns = new Set(after.map((c) => c.executionArn));
    for (const c of atKill) assert.ok(arns.has(c.executionArn), `${c.executionArn} was lost`);
    const inputs: number[] = [];
    for (const c of after) {
      const events: HistoryEvent[] = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: c.executionArn, maxResults: 1000 }))).events!;
      assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
      assert.deepEqual(
        events.map((e) => e.type),
        ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
      );
      inputs.push(JSON.parse(events[0].executionStartedEventDetails!.input!) as number);
    }
    assert.deepEqual(inputs.sort((a, b) => a - b), items);
  } finally {
    sfn?.destroy();
    await server?.kill('SIGKILL');
    data.cleanup();
  }
});
