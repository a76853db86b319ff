/**
 * A Map state over a JSON object's key-value pairs, through @aws-sdk/client-sfn against a real
 * Stratus (developer guide, "ItemsPath (Map, JSONPath only)": an object's pairs are iterated, each
 * given as `{Key, Value}`): Standard executions (JSONPath, inline and distributed, their history),
 * StartSyncExecution (JSONata `Items`), and the failure when the value is neither array nor object.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
let server: TestServer;
let sfn: SFNClient;
let n = 0;

before(async () => {
  server = await startTestServer();
  sfn = server.client(SFNClient);
  // StartSyncExecution's `sync-` host prefix does not resolve for 127.0.0.1.
  (sfn.config as { disableHostPrefix?: boolean }).disableHostPrefix = true;
});
after(() => server.stop());

async function machine(definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name: `map-objects-${++n}`, definition: JSON.stringify(definition), roleArn: ROLE, type }));
  return out.stateMachineArn!;
}

async function runStandard(definition: object, input: unknown) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: await machine(definition), input: JSON.stringify(input) }));
  for (let i = 0; i < 500; i++) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return { ...out, executionArn: executionArn! };
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('execution still running');
}

const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

test('a Standard execution maps over an object: {Key, Value} per iteration, $$.Map.Item.Key in ItemSelector', async () => {
  const out = await runStandard(
    {
      StartAt: 'Servers',
      States: {
        Servers: { Type: 'Map', ItemsPath: '$.servers', ItemSelector: { 'name.$': '$$.Map.Item.Key', 'server.$': '$$.Map.Item.Value' }, ItemProcessor: pass, ResultPath: '$.seen', Next: 'Raw' },
        Raw: { Type: 'Map', ItemsPath: '$.servers', ItemProcessor: { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } }, ResultPath: '$.raw', End: true },
      },
    },
    { servers: { web: { port: 80 }, db: { port: 5432 } } },
  );
  assert.equal(out.status, 'SUCCEEDED', out.cause);
  const output = JSON.parse(out.output!);
  assert.deepEqual({ seen: output.seen, raw: output.raw }, {
    seen: [
      { name: 'web', server: { port: 80 } },
      { name: 'db', server: { port: 5432 } },
    ],
    raw: [
      { Key: 'web', Value: { port: 80 } },
      { Key: 'db', Value: { port: 5432 } },
    ],
  });
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: out.executionArn }));
  const started = events!.filter((e) => e.type === 'MapStateStarted').map((e) => e.mapStateStartedEventDetails?.length);
  assert.deepEqual(started, [2, 2]);
  const firstIteration = events!.find((e) => e.type === 'PassStateEntered');
  assert.equal(firstIteration?.stateEnteredEventDetails?.input, '{"name":"web","server":{"port":80}}');
});

test('a distributed Map over an object runs a child workflow per pair', async () => {
  const out = await runStandard(
    { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.o', ItemProcessor: { ...pass, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } }, End: true } } },
    { o: { a: 1, b: [2] } },
  );
  assert.equal(out.status, 'SUCCEEDED', out.cause);
  assert.deepEqual(JSON.parse(out.output!), [
    { Key: 'a', Value: 1 },
    { Key: 'b', Value: [2] },
  ]);
});

test('StartSyncExecution: JSONata Items evaluating to an object; a value neither array nor object fails', async () => {
  const arn = await machine(
    { QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', Items: '{% $states.input.tags %}', ItemSelector: '{% $states.context.Map.Item.Key & ":" & $states.context.Map.Item.Value %}', ItemProcessor: pass, End: true } } },
    'EXPRESS',
  );
  const ok = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"tags":{"team":"core","tier":"gold"}}' }));
  assert.equal(ok.status, 'SUCCEEDED', ok.cause);
  assert.equal(ok.output, '["team:core","tier:gold"]');
  const bad = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"tags":"team=core"}' }));
  assert.equal(bad.status, 'FAILED');
  assert.equal(bad.error, 'States.QueryEvaluationError');
  assert.match(bad.cause!, /returned an unexpected result type\. Expected 'array', but was 'string' for value: "team=core"$/);
});

test('JSONPath: an ItemsPath selecting a number fails the execution with States.Runtime', async () => {
  const out = await runStandard({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.count', ItemProcessor: pass, End: true } } }, { count: 3 });
  assert.equal(out.status, 'FAILED');
  assert.equal(out.error, 'States.Runtime');
  assert.match(out.cause!, /Map state input must be an array but was: 3$/);
});
