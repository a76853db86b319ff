/**
 * Three real `stratus start` nodes on one PostgreSQL schema are one Stratus: any request to any
 * node sees the same queues, rules and functions; long polls wake across nodes; FIFO order and
 * concurrency limits hold for the cluster; a schedule fires once a period; and kill -9 of the
 * leader in the middle of mixed load loses nothing any node acknowledged.
 * Runs in the PostgreSQL pass of scripts/run-tests.mjs (skipped on SQLite).
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createQueue, type QueueRef } from '../events/delivery-support.js';
import { createNodeFunction, ECHO_JS, putEventInvokeConfig } from '../functions/async-support.js';
import { clientConfigFor, postgresStoreFor, spawnServer, tempDataDir, TEST_POSTGRES, type ChildServer } from '../support/server.js';

const skip = TEST_POSTGRES === undefined && 'a cluster shares a PostgreSQL store: runs in the PostgreSQL pass';

interface Health {
  status: string;
  node: string;
  role: 'leader' | 'follower';
  leader: string | null;
  nodes: string[];
}

async function health(node: ChildServer): Promise<Health> {
  return (await (await fetch(`${node.url}/_stratus/health`)).json()) as Health;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Receives (and deletes) until `count` messages came, through the given clients in turn. */
/**
 * Receives and deletes until `enough` messages arrived: a count, or, where delivery is at least
 * once and a copy may come twice (work a killed leader had done is done again), a test of what
 * arrived — a count of copies would stop before the last distinct one. Past the deadline a count
 * fails here; a test returns what arrived, for the caller's assertion to name what is missing.
 */
async function drain(clients: SQSClient[], queue: QueueRef, enough: number | ((got: Message[]) => boolean), timeoutMs = 30_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  const done = typeof enough === 'number' ? () => got.length >= enough : () => enough(got);
  for (let i = 0; !done(); i++) {
    if (Date.now() > deadline) {
      if (typeof enough === 'number') assert.fail(`${got.length} of ${enough} messages arrived on ${queue.arn}`);
      return got;
    }
    const sqs = clients[i % clients.length];
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })).catch(() => ({ Messages: [] as Message[] }));
    if (Messages.length === 0) continue;
    got.push(...Messages);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle! })) })).catch(() => undefined);
  }
  return got;
}

describe('three nodes on one PostgreSQL store', { skip, timeout: 240_000 }, () => {
  const schema = `cluster_${randomBytes(6).toString('hex')}`;
  const dirs = [tempDataDir(), tempDataDir(), tempDataDir()];
  const nodes: ChildServer[] = [];
  const start = (i: number) => spawnServer({ dataDir: dirs[i].dir, args: ['--store', postgresStoreFor(schema)] });
  const sqsOf = (node: ChildServer) => new SQSClient(clientConfigFor(node.url));

  before(async () => {
    if (skip) return;
    // The first one up leads; the others follow it.
    nodes.push(await start(0));
    nodes.push(...(await Promise.all([start(1), start(2)])));
  });
  after(async () => {
    for (const node of nodes) await node.kill('SIGKILL');
    for (const dir of dirs) dir.cleanup();
  });

  test('every node sees the three; one leads, and all name the same leader', async () => {
    const views = await until('three nodes to see each other', async () => {
      const all = await Promise.all(nodes.map(health));
      return all.every((h) => h.nodes.length === 3) ? all : undefined;
    });
    assert.deepEqual(views.map((h) => h.role), ['leader', 'follower', 'follower']);
    assert.deepEqual(new Set(views.map((h) => h.leader)), new Set([nodes[0].url]));
    assert.deepEqual(new Set(views.flatMap((h) => h.nodes)), new Set(views.map((h) => h.node)));
  });

  test('a message sent through one node is received through another; a long poll on a third wakes at once', async () => {
    const [a, b, c] = nodes.map(sqsOf);
    const queue = await createQueue(b, 'cross-node');
    await a.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'from a' }));
    const { Messages } = await c.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }));
    assert.deepEqual(Messages?.map((m) => m.Body), ['from a']);
    // AWS's errors come back through a follower as the leader wrote them.
    await assert.rejects(c.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.deepEqual([error.name, error.$metadata.httpStatusCode], ['QueueDoesNotExist', 400]);
      return true;
    });

    const polling = c.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 20 }));
    let returnedAt = 0;
    void polling.then(() => (returnedAt = performance.now()));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(returnedAt, 0, 'the long poll returned before anything was sent');
    const sentAt = performance.now();
    await a.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'wake up' }));
    assert.deepEqual((await polling).Messages?.map((m) => m.Body), ['wake up']);
    assert.ok(returnedAt - sentAt < 500, `the long poll on another node returned ${(returnedAt - sentAt).toFixed(1)} ms after the send`);
  });

  test('FIFO: sent through three nodes, received by consumers on two, each group in order and once', async () => {
    const clients = nodes.map(sqsOf);
    const queue = await createQueue(clients[0], 'cluster-order.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const groups = ['g0', 'g1', 'g2'];
    await Promise.all(
      groups.map(async (group, g) => {
        for (let n = 0; n < 20; n++) {
          await clients[(n + g) % 3].send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `${group}:${n}`, MessageGroupId: group }));
        }
      }),
    );
    // The same body again within five minutes is a duplicate, whichever node it goes through.
    await clients[2].send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'g0:0', MessageGroupId: 'g0' }));
    const received: string[] = [];
    await Promise.all(
      [clients[1], clients[2]].map(async (sqs) => {
        while (received.length < 60) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 3, WaitTimeSeconds: 1 }));
          for (const m of Messages) received.push(m.Body!);
          if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        }
      }),
    );
    for (const group of groups) {
      assert.deepEqual(
        received.filter((b) => b.startsWith(`${group}:`)),
        Array.from({ length: 20 }, (_, n) => `${group}:${n}`),
      );
    }
  });

  test('a rule put through one node routes the events another node accepts', async () => {
    const sqs = sqsOf(nodes[1]);
    const queue = await createQueue(sqs, 'routed');
    const events = nodes.map((n) => new EventBridgeClient(clientConfigFor(n.url)));
    await events[2].send(new PutRuleCommand({ Name: 'cluster-rule', EventPattern: JSON.stringify({ source: ['cluster.test'] }) }));
    await events[2].send(new PutTargetsCommand({ Rule: 'cluster-rule', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    const { FailedEntryCount } = await events[0].send(new PutEventsCommand({ Entries: [{ Source: 'cluster.test', DetailType: 't', Detail: '{"n":1}' }] }));
    assert.equal(FailedEntryCount, 0);
    const [message] = await drain([sqsOf(nodes[1])], queue, 1);
    assert.deepEqual(JSON.parse(message.Body!).detail, { n: 1 });
  });

  test('reserved concurrency holds for the cluster: two invokes through two nodes, one is throttled', async () => {
    const lambdas = nodes.map((n) => new LambdaClient(clientConfigFor(n.url)));
    await createNodeFunction(lambdas[0], 'cluster-slow', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "done"; };');
    await lambdas[0].send(new PutFunctionConcurrencyCommand({ FunctionName: 'cluster-slow', ReservedConcurrentExecutions: 1 }));
    const outcomes = await Promise.allSettled([1, 2].map((i) => lambdas[i].send(new InvokeCommand({ FunctionName: 'cluster-slow' }))));
    const names = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name)).sort();
    assert.deepEqual(names, ['TooManyRequestsException', 'ok']);
  });

  test('a schedule fires once a period for the whole cluster', { timeout: 150_000 }, async () => {
    const sqs = sqsOf(nodes[2]);
    const queue = await createQueue(sqs, 'scheduled');
    const events = new EventBridgeClient(clientConfigFor(nodes[1].url));
    await events.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'cron(* * * * ? *)' }));
    await events.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    // The first firing comes at the next minute; then nothing more until the one after.
    const [first] = await drain([sqs], queue, 1, 70_000);
    const firedAt = Date.parse(JSON.parse(first.Body!).time);
    const nextMinute = Math.floor(firedAt / 60_000) * 60_000 + 60_000;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.max(1, Math.min(20, Math.floor((nextMinute - Date.now() - 2000) / 1000))) }));
    assert.deepEqual(Messages.map((m) => JSON.parse(m.Body!).time), [], 'the same minute fired more than once');
  });

  test('kill -9 of the leader under mixed load: a follower takes over and every acknowledged item arrives; FIFO groups stay in order', async (t) => {
    const control = sqsOf(nodes[1]);
    const plain = await createQueue(control, 'load-plain');
    const fifo = await createQueue(control, 'load-order.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const routed = await createQueue(control, 'load-routed');
    const invoked = await createQueue(control, 'load-invoked');
    const lambda = new LambdaClient(clientConfigFor(nodes[2].url));
    await createNodeFunction(lambda, 'load-echo', ECHO_JS);
    await putEventInvokeConfig(lambda, { FunctionName: 'load-echo', MaximumRetryAttempts: 2, DestinationConfig: { OnSuccess: { Destination: invoked.arn } } });
    const events = new EventBridgeClient(clientConfigFor(nodes[2].url));
    await events.send(new PutRuleCommand({ Name: 'load', EventPattern: JSON.stringify({ source: ['load.test'] }) }));
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:load-echo`;
    await events.send(new PutTargetsCommand({ Rule: 'load', Targets: [{ Id: 'q', Arn: routed.arn }, { Id: 'f', Arn: functionArn }] }));

    // Load through every node, the leader included; what a node answered is acknowledged.
    const acked = { plain: [] as string[], fifo: new Map<string, string[]>(), events: [] as string[], invokes: [] as string[] };
    let stopped = false;
    const loops = nodes.map(async (node, n) => {
      const sqs = sqsOf(node);
      const eb = new EventBridgeClient(clientConfigFor(node.url));
      const fn = new LambdaClient(clientConfigFor(node.url));
      for (let i = 0; !stopped; i++) {
        const id = `n${n}-${i}`;
        const group = `g${n}`;
        const work = [
          sqs.send(new SendMessageCommand({ QueueUrl: plain.url, MessageBody: id })).then(() => acked.plain.push(id)),
          eb.send(new PutEventsCommand({ Entries: [{ Source: 'load.test', DetailType: 'load', Detail: JSON.stringify({ id }) }] })).then((r) => {
            if (r.FailedEntryCount === 0) acked.events.push(id);
          }),
          fn.send(new InvokeCommand({ FunctionName: 'load-echo', InvocationType: 'Event', Payload: JSON.stringify({ invoke: id }) })).then(() => acked.invokes.push(id)),
        ];
        await Promise.allSettled(work);
        // FIFO sends one at a time per group: a group's order is the order its sends were acknowledged.
        await sqs
          .send(new SendMessageCommand({ QueueUrl: fifo.url, MessageBody: id, MessageGroupId: group }))
          .then(() => (acked.fifo.get(group) ?? acked.fifo.set(group, []).get(group)!).push(id))
          .catch(() => undefined);
      }
    });
    await until('load to be acknowledged', async () => (acked.plain.length >= 60 ? true : undefined));
    assert.equal(await nodes[0].kill('SIGKILL'), 'SIGKILL');
    const killedAt = Date.now();
    const leader = await until('a follower to lead', async () => {
      const views = await Promise.all([health(nodes[1]), health(nodes[2])]);
      const lead = views.find((h) => h.role === 'leader');
      return lead && views.every((h) => h.leader === lead.leader) ? lead : undefined;
    });
    const failoverMs = Date.now() - killedAt;
    // Load goes on a moment through the two nodes left, then stops.
    const ackedAtFailover = acked.plain.length;
    await until('load after the failover', async () => (acked.plain.length >= ackedAtFailover + 20 ? true : undefined));
    stopped = true;
    await Promise.all(loops);
    assert.ok(failoverMs < 15_000, `failover took ${failoverMs} ms`);
    t.diagnostic(`a follower led ${failoverMs} ms after the kill; acknowledged: ${acked.plain.length} sends, ${acked.events.length} events, ${acked.invokes.length} invokes`);
    assert.notEqual(leader.leader, nodes[0].url);

    const survivors = [sqsOf(nodes[1]), sqsOf(nodes[2])];
    // Each queue is drained until every acknowledged item is there (or the deadline): copies may come twice.
    const all = (keys: string[], keyOf: (m: Message) => string) => (got: Message[]) => {
      const seen = new Set(got.map(keyOf));
      return keys.every((key) => seen.has(key));
    };
    const body = (m: Message) => m.Body!;
    const plainGot = new Set((await drain(survivors, plain, all(acked.plain, body), 60_000)).map(body));
    assert.deepEqual(acked.plain.filter((id) => !plainGot.has(id)), [], 'acknowledged SendMessage lost');

    const detailId = (m: Message) => JSON.parse(m.Body!).detail.id as string;
    const routedGot = new Set((await drain(survivors, routed, all(acked.events, detailId), 60_000)).map(detailId));
    assert.deepEqual(acked.events.filter((id) => !routedGot.has(id)), [], 'acknowledged PutEvents entry not delivered to SQS');

    // Lambda: the events' async invocations and the direct ones, each recorded by OnSuccess.
    const recordKey = (m: Message) => {
      const payload = JSON.parse(m.Body!).requestPayload as { invoke?: string; detail?: { id: string } };
      return payload.invoke ?? `event:${payload.detail?.id}`;
    };
    const expected = [...acked.invokes, ...acked.events.map((id) => `event:${id}`)];
    const records = (await drain(survivors, invoked, all(expected, recordKey), 90_000)).map(recordKey);
    const invokedIds = new Set(records);
    // More records than invocations: work the killed leader had done, done again (at least once).
    t.diagnostic(`OnSuccess records: ${records.length} for ${invokedIds.size} invocations`);
    assert.deepEqual(acked.invokes.filter((id) => !invokedIds.has(id)), [], 'acknowledged Event invocation never ran');
    assert.deepEqual(acked.events.filter((id) => !invokedIds.has(`event:${id}`)), [], 'acknowledged event never reached its Lambda target');

    const fifoGot = (await drain(survivors, fifo, all([...acked.fifo.values()].flat(), body), 60_000)).map(body);
    for (const [group, ids] of acked.fifo) {
      const n = group.slice(1);
      const arrived = fifoGot.filter((b) => b.startsWith(`n${n}-`));
      // At least once: every acknowledged one arrived, and in the order acknowledged.
      assert.deepEqual(arrived.filter((b) => ids.includes(b)), ids, `group ${group} out of order or incomplete`);
    }
  });
});
