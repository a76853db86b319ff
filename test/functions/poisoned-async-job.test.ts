/**
 * A data directory written by an earlier Stratus that holds an asynchronous invocation with a
 * client context AWS refuses (`ClientContext: 'Cg=='`, accepted unchecked then, and fatal to the
 * process each time the job ran): the server starts, stays healthy, and the event fails the way an
 * event that cannot run does — without retries, to the function's DeadLetterConfig queue and its
 * OnFailure destination. The job row is written straight into the stopped server's SQLite file,
 * exactly as the earlier version stored it.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { attributesOf, createQueue, receiveOne } from '../events/delivery-support.js';
import { clientConfigFor, spawnServer, tempDataDir, TEST_POSTGRES, type ChildServer } from '../support/server.js';
import { createNodeFunction, ECHO_JS, putEventInvokeConfig, type InvocationRecord } from './async-support.js';

test('a stored async job with a client context AWS refuses is dead-lettered at the next start; the server stays up', { timeout: 90_000, skip: TEST_POSTGRES && 'the earlier versions that stored such a job kept it in SQLite only' }, async () => {
  const data = tempDataDir();
  const children: ChildServer[] = [];
  const start = async (): Promise<ChildServer> => {
    const child = await spawnServer({ dataDir: data.dir, args: ['--retry-delay-scale', '0.001'] });
    children.push(child);
    return child;
  };
  try {
    const first = await start();
    let lambda = new LambdaClient(clientConfigFor(first.url));
    let sqs = new SQSClient(clientConfigFor(first.url));
    const dlq = await createQueue(sqs, 'poisoned-dlq');
    const onFailure = await createQueue(sqs, 'poisoned-on-failure');
    await createNodeFunction(lambda, 'poisoned', ECHO_JS, { DeadLetterConfig: { TargetArn: dlq.arn } });
    await putEventInvokeConfig(lambda, { FunctionName: 'poisoned', DestinationConfig: { OnFailure: { Destination: onFailure.arn } } });
    lambda.destroy();
    sqs.destroy();
    assert.equal(await first.kill('SIGTERM'), 0);

    // The row AsyncInvocations.enqueue wrote before Invoke checked client contexts.
    const requestId = randomUUID();
    const now = Date.now();
    const db = new Database(join(data.dir, 'stratus.db'));
    db.prepare(
      `INSERT INTO delivery_jobs (kind, key, payload, trace_id, policy, created_at, first_run_at, run_at, attempts)
       VALUES ('lambda.async', NULL, ?, ?, ?, ?, ?, ?, 0)`,
    ).run(
      JSON.stringify({
        accountId: '000000000000',
        region: 'us-east-1',
        functionName: 'poisoned',
        requestId,
        event: '{"order":42}',
        acceptedAt: now,
        retries: 2,
        maxAgeSeconds: 21600,
        clientContext: 'Cg==',
      }),
      requestId,
      JSON.stringify({ maxAttempts: 3, maxAgeMs: 21_600_000, baseDelayMs: 60_000, maxDelayMs: 120_000, multiplier: 2, jitter: 'none' }),
      now,
      now,
      now,
    );
    db.close();

    const again = await start();
    sqs = new SQSClient(clientConfigFor(again.url));
    lambda = new LambdaClient(clientConfigFor(again.url));
    const dead = await receiveOne(sqs, dlq, 20_000);
    assert.equal(dead.Body, '{"order":42}');
    assert.deepEqual(attributesOf(dead), { RequestID: requestId, ErrorCode: '400', ErrorMessage: 'Client context must be a valid Base64-encoded JSON object.' });
    const r = JSON.parse((await receiveOne(sqs, onFailure, 10_000)).Body!) as InvocationRecord;
    assert.deepEqual(r.requestContext, {
      requestId,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:poisoned:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 0,
    });
    assert.deepEqual(r.responseContext, { statusCode: 400, executedVersion: '$LATEST' });

    const health = await fetch(`${again.url}/_stratus/health`);
    assert.equal(health.status, 200);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'poisoned', Payload: Buffer.from('{"after":true}') }));
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { echo: { after: true } });
    assert.equal(again.process.exitCode, null, again.output());
    lambda.destroy();
    sqs.destroy();
  } finally {
    for (const child of children) await child.kill('SIGKILL');
    data.cleanup();
  }
});
