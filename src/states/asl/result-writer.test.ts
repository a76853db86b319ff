import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from './test-driver.js';
import { createExecution, step } from './interpreter.js';
import type { Json } from './json.js';
import type { HistoryEvent } from './history.js';
import type { Effect, ExecutionEnv, ExecutionInput, ExecutionSnapshot } from './snapshot.js';

type Task = Extract<Effect, { kind: 'task' }>;

const def = (writer: unknown) =>
  compile({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
        ResultWriter: writer,
        End: true,
      },
    },
  });

async function run(machine: ReturnType<typeof compile>, answer: (t: Task) => { output: Json } | { error: string; cause: string }, snapshot?: ExecutionSnapshot, first: ExecutionInput = { type: 'start' }) {
  let ids = 0;
  const env: ExecutionEnv = { now: () => Date.parse('2025-01-01T00:00:00Z'), newId: () => `run-${++ids}`, random: () => 0 };
  const snap = snapshot ?? createExecution(machine, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', name: 'e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', stateMachineName: 'm', roleArn: 'r', input: [1, [2, 3]], startTime: 0 });
  const events: HistoryEvent[] = [];
  const calls: Task[] = [];
  const queue: ExecutionInput[] = [first];
  while (queue.length > 0) {
    const r = await step(machine, snap, queue.shift()!, env);
    events.push(...r.events);
    for (const e of r.effects) {
      if (e.kind !== 'task') continue;
      calls.push(e);
      const a = answer(e);
      queue.push('output' in a ? { type: 'taskSucceeded', effectId: e.id, output: a.output } : { type: 'taskFailed', effectId: e.id, ...a });
    }
  }
  return { snap, events, calls };
}

const writer = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'bucket', Prefix: 'out/' } };

test('ResultWriter to S3: the results file, then the manifest, through s3:putObject task effects; the Map answers MapRunArn and the manifest', async () => {
  const { snap, events, calls } = await run(def(writer), () => ({ output: { ETag: '"e"' } }));
  assert.equal(snap.status, 'SUCCEEDED');
  const arn = (events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
  const runId = arn.split(':').at(-1);
  assert.deepEqual(calls.map((c) => [c.resource, (c.input as { Key: string }).Key]), [
    ['arn:aws:states:::s3:putObject', `out/${runId}/SUCCEEDED_0.json`],
    ['arn:aws:states:::s3:putObject', `out/${runId}/manifest.json`],
  ]);
  // Transformation NONE (the default when exporting): each child execution described, its output unchanged.
  const written = JSON.parse((calls[0].input as { Body: string }).Body) as Record<string, unknown>[];
  assert.deepEqual(written.map((w) => [w.Input, w.Output, w.Status, w.StateMachineArn]), [
    ['1', '{"v":1}', 'SUCCEEDED', 'arn:aws:states:us-east-1:123456789012:stateMachine:m/M'],
    ['[2,3]', '{"v":[2,3]}', 'SUCCEEDED', 'arn:aws:states:us-east-1:123456789012:stateMachine:m/M'],
  ]);
  assert.match(String(written[0].ExecutionArn), /^arn:aws:states:us-east-1:123456789012:execution:m\/M:/);
  const manifest = JSON.parse((calls[1].input as { Body: string }).Body);
  assert.deepEqual(manifest.ResultFiles.SUCCEEDED, [{ Key: `out/${runId}/SUCCEEDED_0.json`, Size: (calls[0].input as { Body: string }).Body.length }]);
  assert.deepEqual(snap.output, { MapRunArn: arn, ResultWriterDetails: { Bucket: 'bucket', Key: `out/${runId}/manifest.json` } });
  // The map run succeeds once the results are written.
  assert.deepEqual(events.map((e) => e.type).slice(-4), ['MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
});

test('a write the service refuses fails the map run with States.ResultWriterFailed; a redrive writes again without running the items', async () => {
  const machine = def(writer);
  const first = await run(machine, () => ({ error: 'S3.NoSuchBucket', cause: 'The specified bucket does not exist' }));
  assert.equal(first.snap.status, 'FAILED');
  assert.equal(first.snap.error, 'States.ResultWriterFailed');
  assert.deepEqual(first.events.find((e) => e.type === 'MapRunFailed')!.mapRunFailedEventDetails, { error: 'States.ResultWriterFailed', cause: 'S3.NoSuchBucket: The specified bucket does not exist' });
  const again = await run(machine, () => ({ output: {} }), first.snap, { type: 'redrive' });
  assert.equal(again.snap.status, 'SUCCEEDED');
  assert.equal(again.calls.length, 2);
  assert.deepEqual((JSON.parse((again.calls[0].input as { Body: string }).Body) as { Output: string }[]).map((w) => w.Output), ['{"v":1}', '{"v":[2,3]}']);
});

test('WriterConfig COMPACT writes the outputs alone; JSONL one per line', async () => {
  const { calls } = await run(def({ ...writer, WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSONL' } }), () => ({ output: {} }));
  assert.match((calls[0].input as { Key: string }).Key, /SUCCEEDED_0\.jsonl$/);
  assert.equal((calls[0].input as { Body: string }).Body, '{"v":1}\n{"v":[2,3]}');
});

test('WriterConfig alone transforms the results in the state (FLATTEN) and writes nothing', async () => {
  const machine = compile({
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSON' } }, End: true } },
  });
  const { snap, calls } = await run(machine, () => ({ output: {} }));
  assert.equal(calls.length, 0);
  assert.deepEqual(snap.output, [1, 2, 3]);
});
