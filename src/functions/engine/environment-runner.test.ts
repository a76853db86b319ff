import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../core/clock.js';
import { ServiceError } from '../../protocol/errors.js';
import { silentLogger } from '../../server/log.js';
import type { Runtime } from '../../server/runtime.js';
import { EnvironmentRunner } from './environment-runner.js';
import type { FunctionSpec, InvokeOutcome } from './types.js';

const runtime = { clock: systemClock, log: silentLogger, endpoint: () => 'http://127.0.0.1:1' } as unknown as Runtime;
const spec = (name: string, accountId = '111111111111'): FunctionSpec => ({
  functionArn: `arn:aws:lambda:us-east-1:${accountId}:function:${name}:$LATEST`,
  functionName: name,
  version: '$LATEST',
  accountId,
  region: 'us-east-1',
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  codeDir: '/nowhere',
  layerDirs: [],
  environment: {},
  memorySize: 128,
  timeout: 3,
  codeHash: 'h',
});
const outcome: InvokeOutcome = { payload: Buffer.from('1'), logTail: '', durationMs: 1, billedDurationMs: 1, maxMemoryUsedMb: 1 };

test('functions without reserved concurrency share the account pool: past it, ConcurrentInvocationLimitExceeded', async () => {
  const runner = new EnvironmentRunner(runtime, { unreservedConcurrency: () => 2 });
  const release: (() => void)[] = [];
  (runner.environments as unknown as { invoke: () => Promise<InvokeOutcome> }).invoke = () =>
    new Promise((resolve) => release.push(() => resolve(outcome)));
  const limits = { maxResponseBytes: 6_291_556, invocationType: 'RequestResponse' as const };
  const running = [runner.invoke(spec('a'), Buffer.alloc(0), { requestId: '1' }, limits), runner.invoke(spec('b'), Buffer.alloc(0), { requestId: '2' }, limits)];
  await assert.rejects(runner.invoke(spec('c'), Buffer.alloc(0), { requestId: '3' }, limits), (error: unknown) => {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'TooManyRequestsException');
    assert.equal(error.fields?.Reason, 'ConcurrentInvocationLimitExceeded');
    return true;
  });
  // Another account has a pool of its own; a function with reserved concurrency is outside it.
  const other = runner.invoke(spec('d', '222222222222'), Buffer.alloc(0), { requestId: '4' }, limits);
  const reserved = runner.invoke(spec('e'), Buffer.alloc(0), { requestId: '5' }, { ...limits, reservedConcurrency: 5 });
  for (const r of release) r();
  await Promise.all([...running, other, reserved]);
  // Once they finished, the pool is free again.
  const again = runner.invoke(spec('c'), Buffer.alloc(0), { requestId: '6' }, limits);
  release.at(-1)!();
  await again;
  await runner.stop();
});
