/**
 * A distributed Map's child workflow executions through @aws-sdk/client-sfn: listed by map run
 * (ListExecutions with mapRunArn, statusFilter, paging), described, their own histories, the
 * machine they run, StopExecution of one, a redrive of their parent, and the bad requests.
 *
 * One in-process server on the real clock, with a TaskRunner answering from a table and a time
 * scale of 0.01 so Waits of seconds take tens of milliseconds.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type ExecutionListItem,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { builtinServices } from '../../src/server/builtin-services.js';
import type { TaskCall, TaskOutcome, TaskRunner } from '../../src/states/engine/task-port.js';
import { statesServiceWith } from '../../src/states/index.js';
import { rejectsWith as rejects } from '../support/aws-error.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;

/** Tasks answered by resource; an item's task answers from `answers` by the item. */
const answers = new Map<string, (call: TaskCall) => TaskOutcome>();
const runner = (): TaskRunner => ({
  async run(call) {
    const answer = answers.get(call.effect.resource);
    if (!answer) throw new Error(`no answer for ${call.effect.resource}`);
    return answer(call);
  },
});

let server: TestServer;
let sfn: SFNClient;

before(async () => {
  const services = builtinServices.map((s) => (s.name === 'states' ? statesServiceWith({ timeScale: 0.01, taskRunner: runner }) : s));
  server = await startTestServer({ services, config: { retryDelayScale: 0.01 } });
  sfn = server.client(SFNClient);
});
after(() => server.stop());

let counter = 0;
async function machine(definition: object): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: `children-${++counter}`, definition: JSON.stringify(definition), roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function finished(executionArn: string) {
  return until(`execution ${executionArn} to end`, async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
}

async function mapRunOf(executionArn: string): Promise<string> {
  return until('its map run', async () => (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn);
}

/** Every child of a map run, through every page. */
async function children(mapRunArn: string, statusFilter?: ExecutionStatus): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter, nextToken }));
    all.push(...page.executions!);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

async function history(executionArn: string) {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

const ITEM_TASK = 'arn:aws:states:::lambda:invoke.children';
const PROCESSOR = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: ITEM_TASK, Parameters: { 'v.$': '$' }, End: true } },
};
/** Five items, the third fails: one tolerated failure. */
const FIVE_ONE_FAILING = {
  StartAt: 'M',
  States: { M: { Type: 'Map', Label: 'Fan', ItemsPath: '$.items', ToleratedFailureCount: 1, ItemProcessor: PROCESSOR, End: true } },
};
let broken = true;
answers.set(ITEM_TASK, (call) => {
  const v = (call.effect.input as { v: number }).v;
  return v === 3 && broken ? { type: 'failed', error: 'Boom', cause: 'item 3' } : { type: 'succeeded', output: v * 10 };
});

describe('the child workflow executions of a map run', () => {
  let machineArn: string;
  let executionArn: string;
  let mapRunArn: string;

  before(async () => {
    machineArn = await machine(FIVE_ONE_FAILING);
    executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ items: [1, 2, 3, 4, 5] }) }))).executionArn!;
    const d = await finished(executionArn);
    assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
    assert.deepEqual(JSON.parse(d.output!), [10, 20, null, 40, 50]);
    mapRunArn = await mapRunOf(executionArn);
  });

  test('ListExecutions by mapRunArn lists each child once, with AWS\'s fields', async () => {
    const listed = await children(mapRunArn);
    assert.equal(listed.length, 5);
    const name = machineArn.split(':').pop();
    for (const c of listed) {
      assert.match(c.executionArn!, new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:execution:${name}/Fan:${c.name}$`));
      assert.equal(c.stateMachineArn, `${machineArn}/Fan`);
      assert.equal(c.mapRunArn, mapRunArn);
      assert.equal(c.itemCount, 1);
      assert.ok(c.startDate instanceof Date && c.stopDate instanceof Date);
      assert.ok(c.stopDate.getTime() >= c.startDate.getTime());
      assert.equal(c.redriveCount, 0);
    }
    assert.equal(new Set(listed.map((c) => c.executionArn)).size, 5);
    assert.deepEqual(listed.map((c) => c.status).sort(), ['FAILED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Newest first, as ListExecutions orders.
    const starts = listed.map((c) => c.startDate!.getTime());
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
  });

  test('statusFilter picks the children of that status', async () => {
    const failed = await children(mapRunArn, 'FAILED');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].status, 'FAILED');
    assert.equal((await children(mapRunArn, 'SUCCEEDED')).length, 4);
    assert.equal((await children(mapRunArn, 'RUNNING')).length, 0);
  });

  test('maxResults pages through them with nextToken, each once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 2, nextToken }));
      sizes.push(page.executions!.length);
      seen.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual([...seen].sort(), (await children(mapRunArn)).map((c) => c.executionArn!).sort());
  });

  test('the children are not executions of the parent\'s state machine; the mapRunArn and itemCount fields are for map run listings only', async () => {
    const listed = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions!;
    assert.deepEqual(listed.map((e) => e.executionArn), [executionArn]);
    assert.equal(listed[0].mapRunArn, undefined);
    assert.equal(listed[0].itemCount, undefined);
  });

  test('DescribeExecution of a child answers its input, output, dates, the labeled machine and the map run', async () => {
    const [ok] = (await children(mapRunArn)).filter((c) => c.status === 'SUCCEEDED');
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }));
    assert.equal(d.executionArn, ok.executionArn);
    assert.equal(d.name, ok.name);
    assert.equal(d.stateMachineArn, `${machineArn}/Fan`);
    assert.equal(d.mapRunArn, mapRunArn);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(JSON.parse(d.output!) as number, Number(d.input) * 10);
    assert.deepEqual(d.inputDetails, { included: true });
    assert.deepEqual(d.outputDetails, { included: true });
    assert.equal(d.startDate?.getTime(), ok.startDate?.getTime());
    assert.equal(d.stopDate?.getTime(), ok.stopDate?.getTime());
    assert.equal(d.redriveCount, 0);
    assert.equal(d.redriveStatus, 'NOT_REDRIVABLE');
    const [failed] = await children(mapRunArn, 'FAILED');
    const f = await sfn.send(new DescribeExecutionCommand({ executionArn: failed.executionArn }));
    assert.deepEqual([f.status, f.error, f.cause, f.input, f.output], ['FAILED', 'Boom', 'item 3', '3', undefined]);
  });

  test('GetExecutionHistory of a Standard child is its own history, numbered from 1', async () => {
    const [ok] = (await children(mapRunArn)).filter((c) => c.status === 'SUCCEEDED');
    const events = await history(ok.executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(events.map((e) => [e.id, e.previousEventId]), [[1, 0], [2, 1], [3, 2], [4, 3], [5, 4], [6, 5], [7, 6]]);
    assert.equal(events[0].executionStartedEventDetails?.roleArn, ROLE);
    const [failed] = await children(mapRunArn, 'FAILED');
    const failedEvents = await history(failed.executionArn!);
    assert.deepEqual(failedEvents.slice(-2).map((e) => e.type), ['TaskFailed', 'ExecutionFailed']);
    assert.deepEqual(failedEvents.at(-1)!.executionFailedEventDetails, { error: 'Boom', cause: 'item 3' });
    // Paged and reversed like any history.
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn, maxResults: 3, reverseOrder: true }));
    assert.deepEqual(page.events!.map((e) => e.id), [7, 6, 5]);
    assert.ok(page.nextToken);
    // The parent's history has none of the children's events.
    const parentTypes = (await history(executionArn)).map((e) => e.type);
    assert.deepEqual(parentTypes, ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });

  test('DescribeStateMachineForExecution of a child: the labeled machine, its label, the map run and the ItemProcessor it runs', async () => {
    const [ok] = await children(mapRunArn, 'SUCCEEDED');
    const m = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: ok.executionArn }));
    assert.equal(m.stateMachineArn, `${machineArn}/Fan`);
    assert.equal(m.label, 'Fan');
    assert.equal(m.mapRunArn, mapRunArn);
    assert.equal(m.roleArn, ROLE);
    const { ProcessorConfig: _config, ...processor } = PROCESSOR;
    assert.deepEqual(JSON.parse(m.definition!), processor);
    // The parent's answer is its own machine, without a label or map run.
    const parent = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    assert.equal(parent.stateMachineArn, machineArn);
    assert.equal(parent.label, undefined);
    assert.equal(parent.mapRunArn, undefined);
  });

  test('DescribeMapRun counts the children as they ended', async () => {
    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual([run.executionCounts?.total, run.executionCounts?.succeeded, run.executionCounts?.failed], [5, 4, 1]);
  });

  test('bad requests: an unknown child, a malformed ARN, an unknown or malformed map run, a redrive of a child', async () => {
    const [ok] = await children(mapRunArn, 'SUCCEEDED');
    const unknown = ok.executionArn!.replace(/:[^:]+$/, ':00000000-0000-0000-0000-000000000000');
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: unknown })), 'ExecutionDoesNotExist', `Execution Does Not Exist: '${unknown}'`);
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: unknown })), 'ExecutionDoesNotExist');
    await rejects(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: unknown })), 'ExecutionDoesNotExist');
    await rejects(sfn.send(new StopExecutionCommand({ executionArn: unknown })), 'ExecutionDoesNotExist');
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })), 'InvalidArn', "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:only-a-machine` })), 'InvalidArn');
    const missingRun = mapRunArn.replace(/:[^:]+$/, ':00000000-0000-0000-0000-000000000000');
    await rejects(sfn.send(new ListExecutionsCommand({ mapRunArn: missingRun })), 'ResourceNotFound', `Map Run Does Not Exist: '${missingRun}'`);
    await rejects(sfn.send(new ListExecutionsCommand({ mapRunArn: 'not-an-arn' })), 'InvalidArn');
    await rejects(sfn.send(new ListExecutionsCommand({ mapRunArn, stateMachineArn: machineArn })), 'ValidationException');
    await rejects(sfn.send(new RedriveExecutionCommand({ executionArn: ok.executionArn })), 'ExecutionNotRedrivable', /redrive its parent execution/);
  });
});

describe('Express child workflow executions', () => {
  test('are listed and described, keep no history, and cannot be stopped', async () => {
    const arn = await machine({
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '[1,2]' }));
    assert.equal((await finished(executionArn!)).status, 'SUCCEEDED');
    const listed = await children(await mapRunOf(executionArn!));
    assert.equal(listed.length, 2);
    for (const c of listed) {
      // The label of a Map without one is its state's name.
      assert.match(c.executionArn!, new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:express:${arn.split(':').pop()}/M:${c.name}:[0-9a-f-]{36}$`));
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: c.executionArn }));
      assert.equal(d.status, 'SUCCEEDED');
      assert.equal(d.output, d.input);
      // "This API action is not supported by EXPRESS state machines" (GetExecutionHistory, StopExecution).
      await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: c.executionArn })), 'InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
      await rejects(sfn.send(new StopExecutionCommand({ executionArn: c.executionArn })), 'ValidationException');
    }
  });
});

describe('StopExecution of a running child', () => {
  test('aborts that child alone; the map run counts it aborted and, within its tolerance, goes on', async () => {
    const WAIT = 'arn:aws:states:::lambda:invoke.children.wait';
    answers.set(WAIT, (call) => ((call.effect.input as { v: number }).v === 1 ? { type: 'pending' } : { type: 'succeeded', output: 'ok' }));
    const arn = await machine({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ToleratedFailureCount: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'T', States: { T: { Type: 'Task', Resource: WAIT, Parameters: { 'v.$': '$' }, End: true } } },
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '[1,2]' }));
    const mapRunArn = await mapRunOf(executionArn!);
    const waiting = await until('the waiting child', async () => {
      const running = await children(mapRunArn, 'RUNNING');
      const done = await children(mapRunArn, 'SUCCEEDED');
      return running.length === 1 && done.length === 1 ? running[0] : undefined;
    });
    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn: waiting.executionArn, error: 'Halt', cause: 'by hand' }));
    // Committed before StopExecution answered.
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    assert.deepEqual([d.status, d.error, d.cause], ['ABORTED', 'Halt', 'by hand']);
    assert.equal(d.stopDate?.getTime(), stopDate?.getTime());
    assert.equal((await history(waiting.executionArn!)).at(-1)!.type, 'ExecutionAborted');
    // Stopping it again answers its stop date and changes nothing.
    assert.equal((await sfn.send(new StopExecutionCommand({ executionArn: waiting.executionArn }))).stopDate?.getTime(), stopDate?.getTime());
    const parent = await finished(executionArn!);
    assert.equal(parent.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(parent.output!), [null, 'ok']);
    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([run.executionCounts?.succeeded, run.executionCounts?.failed, run.executionCounts?.aborted], [1, 0, 1]);
  });
});

describe('a redriven parent redrives its map run\'s failed children', () => {
  test('the failed child runs again under its ARN (ExecutionRedriven); the others keep theirs and are not run again', async () => {
    // One at a time: items 1 and 2 succeed, item 3 fails the run (no child is left running to be aborted).
    const arn = await machine({ StartAt: 'M', States: { M: { Type: 'Map', Label: 'Again', MaxConcurrency: 1, ItemProcessor: PROCESSOR, End: true } } });
    broken = true;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '[1,2,3]' }));
    assert.equal((await finished(executionArn!)).status, 'FAILED');
    const mapRunArn = await mapRunOf(executionArn!);
    const before = await children(mapRunArn);
    assert.deepEqual(before.map((c) => c.status).sort(), ['FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    const failed = before.find((c) => c.status === 'FAILED')!;
    const historyBefore = (await history(failed.executionArn!)).length;
    broken = false;
    try {
      await sfn.send(new RedriveExecutionCommand({ executionArn }));
      const d = await finished(executionArn!);
      assert.equal(d.status, 'SUCCEEDED', `${d.error}: ${d.cause}`);
      assert.deepEqual(JSON.parse(d.output!), [10, 20, 30]);
    } finally {
      broken = true;
    }
    const after = await children(mapRunArn);
    assert.deepEqual(after.map((c) => c.executionArn).sort(), before.map((c) => c.executionArn).sort(), 'the same children, no new ones');
    assert.ok(after.every((c) => c.status === 'SUCCEEDED'));
    for (const c of after) {
      const was = before.find((b) => b.executionArn === c.executionArn)!;
      if (c.executionArn === failed.executionArn) {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn: c.executionArn }));
        assert.equal(d.redriveCount, 1);
        assert.ok(d.redriveDate instanceof Date);
      } else {
        // Not run again: the same dates, no redrive.
        assert.equal(c.stopDate?.getTime(), was.stopDate?.getTime());
        assert.equal(c.redriveCount, 0);
      }
    }
    const events = await history(failed.executionArn!);
    assert.equal(events[historyBefore].type, 'ExecutionRedriven');
    assert.deepEqual(events[historyBefore].executionRedrivenEventDetails, { redriveCount: 1 });
    assert.equal(events.at(-1)!.type, 'ExecutionSucceeded');
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  });
});
