/**
 * Services created on demand (ServiceModule.onDemand): none at start on an empty store, each by
 * the first request, delivery or poll that needs it, and every one that holds data at start, so
 * that its background work runs as before. A probe service counts its creations; the built-in
 * services are run as a user runs them.
 */
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvokeError } from '../src/invoke/index.js';
import type { ServiceDefinition } from '../src/protocol/service.js';
import { required, t } from '../src/protocol/shapes.js';
import type { Runtime, ServiceModule } from '../src/server/runtime.js';
import { Reports, setupMapping } from './functions/sqs-mapping-support.js';
import { clientConfigFor, spawnServer, startTestServer, tempDataDir, type TestServer } from './support/server.js';

/** A stand-in for SQS that stores what it is sent and counts how often it was created. */
function probe() {
  const seen = { created: 0, invoked: [] as unknown[], jobs: [] as unknown[] };
  const module: ServiceModule = {
    name: 'queues',
    migrations: [{ id: 'probe/0001-items', sql: 'CREATE TABLE probe_items (name TEXT PRIMARY KEY)' }],
    onDemand: { signingNames: ['sqs'], jsonTargetPrefix: 'AmazonSQS', invokers: ['sqs'], sources: [], jobKinds: ['probe.job'] },
    create(runtime: Runtime) {
      seen.created++;
      runtime.invokers.register({
        service: 'sqs',
        invoke: async (target, request) => {
          seen.invoked.push(request.payload);
          return { response: target.resource };
        },
      });
      runtime.delivery.register('probe.job', { handle: async (job) => void seen.jobs.push(job.payload) });
      const definition: ServiceDefinition = {
        signingName: 'sqs',
        json: { version: '1.0', targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs', queryCompatible: true },
        query: { version: '2012-11-05', xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
        actions: [
          {
            name: 'GetQueueUrl',
            input: t.struct({ QueueName: required(t.string()) }),
            output: t.struct({ QueueUrl: t.string() }),
            handler: async (input: { QueueName: string }, ctx) => {
              await runtime.store.write((tx) => tx.run('INSERT OR IGNORE INTO probe_items (name) VALUES (?)', [input.QueueName]));
              return { QueueUrl: `${ctx.endpoint}/${ctx.accountId}/${input.QueueName}` };
            },
          },
        ],
      };
      return { definition };
    },
  };
  return { module, seen };
}

test('not created at start on an empty store; the first request naming it creates it, once, and is answered', async () => {
  const { module, seen } = probe();
  const server = await startTestServer({ services: [module] });
  try {
    assert.equal(seen.created, 0);
    assert.equal((await fetch(`${server.url}/_stratus/health`)).status, 200);
    const sqs = server.client(SQSClient);
    const answers = await Promise.all(['a', 'b', 'c'].map((name) => sqs.send(new GetQueueUrlCommand({ QueueName: name }))));
    assert.deepEqual(answers.map((a) => a.QueueUrl), ['a', 'b', 'c'].map((n) => `${server.url}/000000000000/${n}`));
    assert.equal(seen.created, 1);
  } finally {
    await server.stop();
  }
});

test('a request for a created service that names no action of it creates no other service', async () => {
  const { module, seen } = probe();
  let others = 0;
  const other: ServiceModule = {
    name: 'events',
    onDemand: { signingNames: ['events'], jsonTargetPrefix: 'AWSEvents', invokers: [], sources: [], jobKinds: [] },
    create: () => {
      others++;
      return { definition: { signingName: 'events', json: { version: '1.1', targetPrefix: 'AWSEvents' }, actions: [] } };
    },
  };
  const server = await startTestServer({ services: [module, other] });
  try {
    const res = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.NoSuchAction' },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.deepEqual([seen.created, others], [1, 0]);
    // A request nothing created so far can take creates the rest, once.
    // (Here no Lambda is among the services, so the Lambda path is a service Stratus does not serve.)
    const unknown = await fetch(`${server.url}/2015-03-31/functions/`);
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /does not serve AWS Lambda/);
    assert.deepEqual([seen.created, others], [1, 1]);
  } finally {
    await server.stop();
  }
});

test('an unsigned Query request, which names no service, creates it too', async () => {
  const { module, seen } = probe();
  const server = await startTestServer({ services: [module] });
  try {
    const res = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetQueueUrl&Version=2012-11-05&QueueName=q1',
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<QueueUrl>http:\/\/127\.0\.0\.1:\d+\/000000000000\/q1<\/QueueUrl>/);
    assert.equal(seen.created, 1);
  } finally {
    await server.stop();
  }
});

test('/_stratus/info lists the actions and invokers of a service not created yet (it creates it)', async () => {
  const { module, seen } = probe();
  const server = await startTestServer({ services: [module] });
  try {
    const info = (await (await fetch(`${server.url}/_stratus/info`)).json()) as { services: { name: string; actions: string[] }[]; invokers: string[] };
    assert.deepEqual(info.services, [{ name: 'sqs', protocols: ['json-1.0', 'query'], targetPrefix: 'AmazonSQS', actions: ['GetQueueUrl'] }]);
    assert.deepEqual(info.invokers, ['sqs:*']);
    assert.equal(seen.created, 1);
  } finally {
    await server.stop();
  }
});

test('a delivery to one of its ARNs creates it; an ARN nothing serves is still refused', async () => {
  const { module, seen } = probe();
  const server = await startTestServer({ services: [module] });
  try {
    const { invokers } = server.stratus.runtime;
    assert.deepEqual(invokers.kinds(), ['sqs:*']);
    const result = await invokers.invoke({ arn: 'arn:aws:sqs:us-east-1:000000000000:q', payload: { n: 1 } });
    assert.equal(result.response, 'q');
    assert.deepEqual(seen.invoked, [{ n: 1 }]);
    assert.equal(seen.created, 1);
    await assert.rejects(
      invokers.invoke({ arn: 'arn:aws:sns:us-east-1:000000000000:t', payload: {} }),
      (e: unknown) => e instanceof InvokeError && e.code === 'UnsupportedTarget',
    );
  } finally {
    await server.stop();
  }
});

test('created at start when its tables hold a row, or when a job of its kind waits; else left for later', async () => {
  const data = tempDataDir();
  const config = { inMemory: false, dataDir: data.dir };
  try {
    // A row in its table.
    let { module, seen } = probe();
    let server = await startTestServer({ services: [module], config });
    await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'kept' }));
    await server.stop();
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    assert.equal(seen.created, 1, 'a row: created at start');
    await server.stratus.runtime.store.write((tx) => tx.run('DELETE FROM probe_items'));
    // A job of its kind, and nothing else.
    const { delivery, store, clock } = server.stratus.runtime;
    await store.write((tx) => delivery.enqueue(tx, { kind: 'probe.job', payload: { due: true }, runAt: clock.now() + 60_000 }));
    await server.stop();
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    assert.equal(seen.created, 1, 'a job waiting: created at start');
    await server.stop();
    // Nothing: left for later.
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    await server.stratus.runtime.store.write((tx) => tx.run('DELETE FROM delivery_jobs'));
    await server.stop();
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    assert.equal(seen.created, 0, 'no data: not created at start');
    await server.stop();
  } finally {
    data.cleanup();
  }
});

test('a new data directory gets a service\'s tables only when the service is first created', async () => {
  const data = tempDataDir();
  const config = { inMemory: false, dataDir: data.dir };
  const tables = async (server: TestServer): Promise<string[]> =>
    (
      await server.stratus.runtime.store.all<{ name: string }>(
        server.stratus.runtime.store.backend === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
          : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name',
      )
    ).map((r) => r.name);
  try {
    let { module, seen } = probe();
    let server = await startTestServer({ services: [module], config });
    assert.equal(seen.created, 0);
    assert.ok(!(await tables(server)).includes('probe_items'), 'no table of a service never created');
    await server.client(SQSClient).send(new GetQueueUrlCommand({ QueueName: 'first' }));
    assert.equal(seen.created, 1);
    assert.ok((await tables(server)).includes('probe_items'), 'its schema applied as it was created');
    await server.stop();
    // Migrated before and holding a row: created at start, as ever.
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    assert.equal(seen.created, 1);
    await server.stop();
  } finally {
    data.cleanup();
  }
});

test('a due job of a service not created yet runs after a restart without any request', async () => {
  const data = tempDataDir();
  const config = { inMemory: false, dataDir: data.dir };
  try {
    let { module, seen } = probe();
    let server = await startTestServer({ services: [module], config });
    const { delivery, store, clock } = server.stratus.runtime;
    await store.write((tx) => delivery.enqueue(tx, { kind: 'probe.job', payload: { n: 7 }, runAt: clock.now() }));
    await server.stop();
    assert.deepEqual(seen.jobs, [], 'no handler ran it before the restart');
    ({ module, seen } = probe());
    server = await startTestServer({ services: [module], config });
    try {
      const deadline = Date.now() + 5000;
      while (seen.jobs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen.jobs, [{ n: 7 }]);
    } finally {
      await server.stop();
    }
  } finally {
    data.cleanup();
  }
});

test('built-in services: after a restart, an SQS event source mapping runs with no Lambda request', async () => {
  const data = tempDataDir();
  let server = await spawnServer({ dataDir: data.dir });
  try {
    let sqs = new SQSClient(clientConfigFor(server.url));
    const lambda = new LambdaClient(clientConfigFor(server.url));
    const { source } = await setupMapping({ sqs, lambda }, 'after-restart');
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'after-restart', EventSourceArn: source.arn, BatchSize: 1 }));
    const deadline = Date.now() + 10_000;
    while ((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State !== 'Enabled' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    sqs.destroy();
    lambda.destroy();
    await server.kill('SIGKILL');

    server = await spawnServer({ dataDir: data.dir });
    // Only SQS is asked: the function runs because Lambda came up with its mapping at start.
    sqs = new SQSClient(clientConfigFor(server.url));
    const queueUrl = (name: string) => `${server.url}/000000000000/${name}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('after-restart-in'), MessageBody: 'after the restart' }));
    const reports = new Reports(sqs, queueUrl('after-restart-out'));
    const [report] = await reports.wait(1, 15_000);
    assert.deepEqual(report.event.Records.map((r) => r.body), ['after the restart']);
    sqs.destroy();
  } finally {
    await server.kill('SIGKILL');
    data.cleanup();
  }
});
