/**
 * Shared pieces of the EventBridge delivery tests: SDK clients per account and region, queues
 * with their ARNs, receiving with deadlines (never long sleeps), waiting for the delivery
 * machine to go idle, and a controllable target service ("probe") whose invoker fails on demand
 * and otherwise forwards to an SQS queue through `invoke/`, as any service would.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { InvokeError } from '../../src/invoke/index.js';
import type { Runtime, ServiceModule } from '../../src/server/runtime.js';
import type { TestServer } from '../support/server.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Account {
  eb: EventBridgeClient;
  sqs: SQSClient;
  accountId: string;
  region: string;
}

/** Clients acting as `accountId` (a 12-digit access key names the account) in `region`. */
export function account(server: TestServer, accountId = '000000000000', region = 'us-east-1'): Account {
  const overrides = { region, credentials: { accessKeyId: accountId, secretAccessKey: 'test' } };
  return { eb: server.client(EventBridgeClient, overrides), sqs: server.client(SQSClient, overrides), accountId, region };
}

export interface QueueRef {
  url: string;
  arn: string;
}

export async function createQueue(sqs: SQSClient, name: string, attributes?: Record<string, string>): Promise<QueueRef> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Receives until `count` messages came or the deadline passed; each is deleted-free (left in flight). */
export async function receive(sqs: SQSClient, queue: QueueRef, count: number, timeoutMs = 5000): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.min(10, count - out.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    out.push(...Messages);
    if (Messages.length === 0) {
      if (Date.now() > deadline) assert.fail(`expected ${count} message(s) on ${queue.arn}, got ${out.length} in ${timeoutMs} ms`);
      await sleep(5);
    }
  }
  return out;
}

export async function receiveOne(sqs: SQSClient, queue: QueueRef, timeoutMs?: number): Promise<Message> {
  return (await receive(sqs, queue, 1, timeoutMs))[0];
}

/** Nothing (more) is on the queue; call after `idle()` so nothing is still on its way. */
export async function assertEmpty(sqs: SQSClient, queue: QueueRef): Promise<void> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
  assert.deepEqual(Messages.map((m) => m.Body), [], `expected no message on ${queue.arn}`);
}

/**
 * Waits until the delivery machine holds no job that is due now or running (a job's effects
 * commit before its row goes), so everything already on its way has arrived.
 */
export async function idle(runtime: Runtime, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await runtime.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_jobs WHERE run_at <= ? OR lease_owner IS NOT NULL', [runtime.clock.now()]);
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) assert.fail(`delivery machine still busy after ${timeoutMs} ms`);
    await sleep(2);
  }
}

export interface FailedDelivery {
  rule_arn: string;
  target_arn: string;
  error_code: string;
  error_message: string;
  condition: string;
  attempts: number;
  dead_letter_arn: string | null;
  event: string;
}

export async function failedDeliveries(runtime: Runtime, ruleArn: string): Promise<FailedDelivery[]> {
  return runtime.store.all<FailedDelivery>('SELECT * FROM events_failed_deliveries WHERE rule_arn = ? ORDER BY id', [ruleArn]);
}

/**
 * A target service for tests. ARN `arn:aws:probe:REGION:ACCOUNT:target/NAME`. Each delivery to
 * NAME fails (retryably, unless `permanent`) while `failuresLeft(NAME) > 0`, then forwards the
 * payload to `forwardTo(NAME)` (an SQS queue ARN) through the invoker registry.
 */
export class ProbeTargets {
  readonly attempts = new Map<string, number>();
  private readonly failures = new Map<string, { left: number; permanent: boolean }>();
  private readonly forwards = new Map<string, string>();
  private runtime: Runtime | undefined;

  arn(name: string, accountId = '000000000000', region = 'us-east-1'): string {
    return `arn:aws:probe:${region}:${accountId}:target/${name}`;
  }

  /** `name` forwards to `queueArn` after failing `failures` times. */
  set(name: string, queueArn: string, failures: number, permanent = false): void {
    this.forwards.set(name, queueArn);
    this.failures.set(name, { left: failures, permanent });
    this.attempts.set(name, 0);
  }

  readonly module: ServiceModule = {
    name: 'probe-targets',
    create: (runtime) => {
      this.runtime = runtime;
      runtime.invokers.register({
        service: 'probe',
        resourceType: 'target',
        invoke: async (target, request) => {
          const name = target.resourceId;
          this.attempts.set(name, (this.attempts.get(name) ?? 0) + 1);
          const failure = this.failures.get(name);
          if (failure && failure.left > 0) {
            failure.left--;
            throw new InvokeError(failure.permanent ? 'ProbeRefused' : 'ProbeUnavailable', `probe target ${name} failed on purpose`, !failure.permanent);
          }
          const queueArn = this.forwards.get(name);
          if (!queueArn) throw new InvokeError('ResourceNotFound', `no probe target ${name}`, false);
          return this.runtime!.invokers.invoke({ ...request, arn: queueArn, parameters: {} });
        },
      });
      return { definition: { signingName: 'stratusprobe', json: { version: '1.1', targetPrefix: 'StratusProbe' }, actions: [] } };
    },
  };
}

/** The message attributes of a received message as name → string value. */
export function attributesOf(m: Message): Record<string, string> {
  return Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']));
}

export const TIME_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
