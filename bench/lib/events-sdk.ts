/**
 * The SDK side of events-delivery: clients, the rule → queue set-up, senders and consumers of
 * both paths (PutEvents → rule → SQS, and SendMessage straight to SQS), offered load at a fixed
 * rate, and waiting for delivery with a deadline.
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Agent } from 'node:http';

export type Path = 'events' | 'sqs';

export interface Clients {
  eb: EventBridgeClient;
  sqs: SQSClient;
}

export interface Queues {
  events: string;
  sqs: string;
}

/** SDK clients of one server on one keep-alive agent; `close` ends them. */
export function connect(url: string): Clients & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: { httpAgent: agent },
  };
  const clients = { eb: new EventBridgeClient(config), sqs: new SQSClient(config) };
  return {
    ...clients,
    close() {
      clients.eb.destroy();
      clients.sqs.destroy();
      agent.destroy();
    },
  };
}

export async function setUp(clients: Clients): Promise<Queues> {
  const queue = async (name: string) => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const events = await queue('bench-events-target');
  const direct = await queue('bench-events-direct');
  await clients.eb.send(new PutRuleCommand({ Name: 'bench', EventPattern: JSON.stringify({ source: ['bench'], 'detail-type': ['tick'] }) }));
  // Rules that do not match, so the index does real work.
  for (let i = 0; i < 50; i++) {
    await clients.eb.send(new PutRuleCommand({ Name: `other-${i}`, EventPattern: JSON.stringify({ source: [`other-${i}`], detail: { n: [{ numeric: ['>', i] }] } }) }));
  }
  await clients.eb.send(new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'queue', Arn: events.arn }] }));
  return { events: events.url, sqs: direct.url };
}

/** The sequence number an arrived message carries, from either path's body. */
export function seqOf(body: string, path: Path): number {
  const parsed = JSON.parse(body) as { seq?: number; detail?: { seq?: number } };
  return path === 'events' ? parsed.detail!.seq! : parsed.seq!;
}

/** Consumers that receive and delete from one queue until told to stop, calling `arrived` per message. */
export function consume(clients: Pick<Clients, 'sqs'>, queueUrl: string, count: number, arrived: (body: string) => void): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: count }, async () => {
    while (running) {
      const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (!Messages || Messages.length === 0) continue;
      for (const m of Messages) arrived(m.Body!);
      await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * One consumer as an application runs it: a long poll (WaitTimeSeconds 20) that answers as soon
 * as a message arrives, then DeleteMessageBatch of what it got; `received` is called per message
 * as the receive answers, `deleted` once its delete has been answered. Stopping aborts the poll
 * that is waiting.
 */
export function longPollConsumer(
  clients: Clients,
  queueUrl: string,
  deleted: (body: string) => void,
  received?: (body: string) => void,
): { stop(): Promise<void>; failure(): unknown } {
  let running = true;
  let failure: unknown;
  const abort = new AbortController();
  const loop = (async () => {
    while (running) {
      let messages;
      try {
        ({ Messages: messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }), { abortSignal: abort.signal }));
      } catch (error) {
        if (!running) return;
        throw error;
      }
      if (!messages || messages.length === 0) continue;
      if (received !== undefined) for (const m of messages) received(m.Body!);
      const out = await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      if (out.Failed?.length) throw new Error(`DeleteMessageBatch failed ${out.Failed.length} entries`);
      for (const m of messages) deleted(m.Body!);
    }
  })().catch((error: unknown) => void (failure = error));
  return {
    async stop() {
      running = false;
      abort.abort();
      await loop;
      if (failure !== undefined) throw failure;
    },
    failure: () => failure,
  };
}

let nextSeq = 0;

/** A sequence number no event of this run has carried. */
export function nextSequence(): number {
  return nextSeq++;
}

/** Calls `send` `rate` times a second for `seconds`, each with a fresh sequence number; resolves once every call is answered. */
export async function offer(rate: number, seconds: number, send: (seq: number) => Promise<unknown>): Promise<number> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    calls.push(send(nextSeq++));
  }
  await Promise.all(calls);
  return total;
}

let phase = 0;

/** A fresh, empty queue for one throughput phase; the events path's rule is pointed at it. */
export async function retarget(clients: Clients, queues: Queues, path: Path): Promise<string> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-events-${path}-${phase++}` }));
  if (path === 'events') {
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await clients.eb.send(new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
  }
  return QueueUrl!;
}

export async function visible(clients: Pick<Clients, 'sqs'>, queueUrl: string): Promise<number> {
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

export async function send(clients: Clients, queues: Queues, path: Path, seqs: number[]): Promise<void> {
  if (path === 'events') {
    const out = await clients.eb.send(
      new PutEventsCommand({ Entries: seqs.map((seq) => ({ Source: 'bench', DetailType: 'tick', Detail: JSON.stringify({ seq, n: seq % 100 }) })) }),
    );
    if (out.FailedEntryCount) throw new Error(`PutEvents failed ${out.FailedEntryCount} entries`);
  } else if (seqs.length === 1) {
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.sqs, MessageBody: JSON.stringify({ seq: seqs[0] }) }));
  } else {
    const out = await clients.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queues.sqs, Entries: seqs.map((seq, i) => ({ Id: String(i), MessageBody: JSON.stringify({ seq }) })) }),
    );
    if (out.Failed?.length) throw new Error(`SendMessageBatch failed ${out.Failed.length} entries`);
  }
}

export async function drain(done: () => boolean | Promise<boolean>, what: () => string, timeoutS = 60): Promise<void> {
  const deadline = performance.now() + timeoutS * 1000;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`not delivered within ${timeoutS} s: ${what()}`);
    await sleep(20);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
