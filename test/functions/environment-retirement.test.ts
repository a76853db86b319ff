/**
 * Deleting a function, or one version of it, stops its warm execution environments at once
 * instead of leaving them (128 MB each) to the 5-minute idle reaping; an invocation in flight
 * answers first and its environment stops right after. Updating code or configuration does the
 * same for $LATEST. Checked on the runtime processes themselves, by pid.
 */
import {
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { createNodeFunction } from './async-support.js';
import { makeZip, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;

before(async () => {
  server = await startTestServer();
  lambda = server.client(LambdaClient);
});
after(() => server.stop());

/** Answers its runtime's pid, after `event.sleepMs`. */
const PID_JS = 'exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.sleepMs ?? 0)); return { pid: process.pid }; };';

async function pidOf(name: string, event: Record<string, unknown> = {}, qualifier?: string): Promise<number> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify(event)) }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return (JSON.parse(Buffer.from(out.Payload!).toString()) as { pid: number }).pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function goneWithin(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(pids.filter(alive), [], `still running ${ms} ms later`);
}

describe('execution environments of deleted or changed functions', () => {
  test('DeleteFunction stops every warm environment of the function at once', async () => {
    const name = unique('retire-all');
    await createNodeFunction(lambda, name, PID_JS);
    // Three at once: three environments, all warm afterwards.
    const pids = await Promise.all([1, 2, 3].map(() => pidOf(name, { sleepMs: 300 })));
    assert.equal(new Set(pids).size, 3);
    assert.ok(pids.every(alive));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await goneWithin(pids, 2000);
  });

  test('DeleteFunction of one version stops that version only', async () => {
    const name = unique('retire-version');
    await createNodeFunction(lambda, name, PID_JS);
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const versionPid = await pidOf(name, {}, Version);
    const latestPid = await pidOf(name);
    assert.notEqual(versionPid, latestPid);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: Version }));
    await goneWithin([versionPid], 2000);
    assert.ok(alive(latestPid));
    assert.equal(await pidOf(name), latestPid, '$LATEST stays warm');
  });

  test('an invocation in flight during the delete answers, loading code after it; its environment stops right after', async () => {
    const name = unique('retire-busy');
    // Loads a module only after its wait, by when the function is deleted: its code must still be there.
    const lazy = "exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.sleepMs)); return { pid: process.pid, late: require('./late.js') }; };";
    await createNodeFunction(lambda, name, lazy, { Code: { ZipFile: await makeZip({ 'index.js': lazy, 'late.js': 'module.exports = "loaded";' }) } });
    const running = lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"sleepMs":800}') }));
    await new Promise((r) => setTimeout(r, 300));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    const out = await running;
    const answer = JSON.parse(Buffer.from(out.Payload!).toString()) as { pid: number; late: string };
    assert.equal(out.FunctionError, undefined, JSON.stringify(answer));
    assert.equal(answer.late, 'loaded');
    await goneWithin([answer.pid], 2000);
  });

  test('UpdateFunctionConfiguration stops the environments of the configuration it replaces', async () => {
    const name = unique('retire-update');
    await createNodeFunction(lambda, name, PID_JS);
    const before = await pidOf(name);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    await goneWithin([before], 2000);
    assert.notEqual(await pidOf(name), before);
  });
});
