/**
 * Standard executions survive kill -9: a real `stratus start` child is killed with SIGKILL while
 * an execution waits in a Wait state, while a Task waits out its Retry back-off, and while a Map
 * of 1,000 items is half done. After a restart on the same data folder each execution resumes by
 * itself and finishes exactly once: one ExecutionSucceeded, every state event once (no task was in
 * flight at the kill, so none runs twice).
 */
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';
import { describeOnceEnded } from '../support/states-executions.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const count = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type).length;

/**
 * Starts a machine's execution on a child server, kills the server with SIGKILL once `killWhen`
 * says so, restarts it on the same data, and answers the ended execution's description and history.
 */
async function killedAndResumed(definition: object, input: unknown, killWhen: (events: HistoryEvent[]) => boolean) {
  const data = tempDataDir();
  let server: ChildServer | undefined;
  let sfn: SFNClient | undefined;
  try {
    server = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(server.url));
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'm', definition: JSON.stringify(definition), roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    let atKill: HistoryEvent[];
    for (let i = 0; ; i++) {
      const events = await history(sfn, executionArn!);
      if (killWhen(events)) {
        atKill = events;
        break;
      }
      assert.ok(i < 2000 && !events.some((e) => e.type === 'ExecutionSucceeded'), 'the moment to kill never came');
      await sleep(10);
    }
    await server.kill('SIGKILL');
    sfn.destroy();

    server = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(server.url));
    const described = await describeOnceEnded(sfn, executionArn!);
    return { described, events: await history(sfn, executionArn!), atKill };
  } finally {
    sfn?.destroy();
    await server?.kill('SIGKILL');
    data.cleanup();
  }
}

/** Every event id once, in order, each pointing back at an earlier one. */
function wellFormed(events: HistoryEvent[]): void {
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  for (const e of events) assert.ok(e.previousEventId! < e.id!, `event ${e.id} points forward`);
  assert.equal(count(events, 'ExecutionStarted'), 1);
  assert.equal(count(events, 'ExecutionSucceeded'), 1);
  assert.equal(events[events.length - 1].type, 'ExecutionSucceeded');
}

test('an execution killed in a Wait state resumes after restart and finishes once', async () => {
  const { described, events } = await killedAndResumed(
    { StartAt: 'Before', States: { Before: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 2, Next: 'After' }, After: { Type: 'Pass', Result: 'done', End: true } } },
    {},
    (events) => events.some((e) => e.type === 'WaitStateEntered'),
  );
  assert.equal(described.status, 'SUCCEEDED');
  assert.equal(described.output, '"done"');
  wellFormed(events);
  assert.deepEqual(
    events.map((e) => e.type),
    ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
  );
  // The Wait lasted its two seconds across the restart, no less.
  assert.ok(events[4].timestamp!.getTime() - events[3].timestamp!.getTime() >= 2000);
});

test('an execution killed in a Retry back-off resumes after restart and retries as it was told', async () => {
  // No task integration runs in this server: the Task fails with States.TaskFailed each time.
  const { described, events } = await killedAndResumed(
    {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', MessageBody: 'm' },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', Result: 'recovered', End: true },
      },
    },
    {},
    (events) => count(events, 'TaskFailed') === 1,
  );
  assert.equal(described.status, 'SUCCEEDED');
  assert.equal(described.output, '"recovered"');
  wellFormed(events);
  assert.equal(count(events, 'TaskScheduled'), 3);
  assert.equal(count(events, 'TaskFailed'), 3);
  assert.equal(count(events, 'TaskStateEntered'), 1);
  const failures = events.filter((e) => e.type === 'TaskFailed');
  assert.ok(events.find((e) => e.type === 'TaskScheduled' && e.id! > failures[0].id!)!.timestamp!.getTime() - failures[0].timestamp!.getTime() >= 2000);
});

test('a Map of 1,000 items killed half way resumes after restart; every iteration ends once', async () => {
  // An inline Map runs 40 iterations at once (as on AWS): the first 80 items wait a second (two
  // rounds; the kill comes in the second), the rest none.
  const items = Array.from({ length: 1000 }, (_, i) => ({ i, delay: i < 80 ? 1 : 0 }));
  const { described, events, atKill } = await killedAndResumed(
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 0,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'W',
            States: { W: { Type: 'Wait', SecondsPath: '$.delay', Next: 'P' }, P: { Type: 'Pass', OutputPath: '$.i', End: true } },
          },
          End: true,
        },
      },
    },
    { items },
    (events) => count(events, 'MapIterationSucceeded') >= 40,
  );
  // Killed half way: the second round of waits was on.
  assert.ok(count(atKill, 'MapIterationSucceeded') < 80, `${count(atKill, 'MapIterationSucceeded')} iterations had ended at the kill`);
  assert.equal(described.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(described.output!), items.map((x) => x.i));
  wellFormed(events);
  assert.equal(count(events, 'MapIterationStarted'), 1000);
  assert.equal(count(events, 'MapIterationSucceeded'), 1000);
  assert.equal(count(events, 'WaitStateEntered'), 1000);
  assert.equal(count(events, 'WaitStateExited'), 1000);
  assert.equal(count(events, 'MapStateExited'), 1);
  const indexes = events.filter((e) => e.type === 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails!.index);
  assert.equal(new Set(indexes).size, 1000);
});
