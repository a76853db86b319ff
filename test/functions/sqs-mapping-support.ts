/**
 * Helpers for SQS event source mapping tests: a Node function that reports every event it gets to
 * an "out" queue (a raw, unsigned AmazonSQS.SendMessage POST to AWS_ENDPOINT_URL) and then
 * behaves as its MODE says, and a reader of that queue.
 */
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { makeZip } from './control-plane-support.js';

export const zip = makeZip;

/**
 * MODE (environment):
 *  - ok: succeed.
 *  - throw: fail the invocation while any record's body has `fail` and was received at most
 *    `failTimes` (default: always) times.
 *  - partial: report as batchItemFailures the records whose body has `fail` (same receive rule).
 *  - bad-partial: answer with an itemIdentifier that names no message.
 *  - slow: wait SLOW_MS, then succeed.
 */
const HANDLER = `
const send = async (body) => {
  const r = await fetch(process.env.AWS_ENDPOINT_URL + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
    body: JSON.stringify({ QueueUrl: process.env.OUT_QUEUE_URL, MessageBody: body }),
  });
  if (!r.ok) throw new Error('report failed: ' + r.status + ' ' + (await r.text()));
};
const parse = (body) => { try { const v = JSON.parse(body); return v && typeof v === 'object' ? v : {}; } catch { return {}; } };
const failing = (r) => { const b = parse(r.body); return b.fail === true && Number(r.attributes.ApproximateReceiveCount) <= (b.failTimes ?? Infinity); };
exports.handler = async (event, context) => {
  const mode = process.env.MODE || 'ok';
  if (mode === 'slow') await new Promise((r) => setTimeout(r, Number(process.env.SLOW_MS || 1000)));
  const failed = mode === 'throw' && event.Records.some(failing);
  await send(JSON.stringify({ at: Date.now(), failed, event }));
  if (failed) throw new Error('failing on purpose');
  if (mode === 'partial') return { batchItemFailures: event.Records.filter(failing).map((r) => ({ itemIdentifier: r.messageId })) };
  if (mode === 'bad-partial') return { batchItemFailures: [{ itemIdentifier: 'no-such-message' }] };
  return 'ok';
};
`;

export interface Reported {
  at: number;
  failed: boolean;
  event: { Records: Record<string, any>[] };
}

export async function createReporter(lambda: LambdaClient, name: string, outQueueUrl: string, env: Record<string, string> = {}, timeout = 10): Promise<string> {
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/r',
      Timeout: timeout,
      Code: { ZipFile: await zip({ 'index.js': HANDLER }) },
      Environment: { Variables: { OUT_QUEUE_URL: outQueueUrl, ...env } },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
  return created.FunctionArn!;
}

export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/**
 * A source queue, an out queue, a reporting function, and a reader of the out queue. AWS refuses
 * a mapping whose queue's visibility timeout is below the function's timeout: a source queue with
 * a short visibility timeout (which keeps a test fast) gets a function as short.
 */
export async function setupMapping(
  clients: { sqs: SQSClient; lambda: LambdaClient },
  name: string,
  options: { env?: Record<string, string>; queueAttributes?: Record<string, string>; queueName?: string } = {},
): Promise<{ source: { url: string; arn: string }; functionArn: string; reports: Reports }> {
  const queueAttributes = options.queueAttributes ?? {};
  const source = await createQueue(clients.sqs, options.queueName ?? `${name}-in`, queueAttributes);
  const out = await createQueue(clients.sqs, `${name}-out`);
  const timeout = queueAttributes.VisibilityTimeout !== undefined ? Number(queueAttributes.VisibilityTimeout) : undefined;
  const functionArn = await createReporter(clients.lambda, name, out.url, options.env, timeout);
  return { source, functionArn, reports: new Reports(clients.sqs, out.url) };
}

/** Reads what the function reported, deleting as it goes. */
export class Reports {
  readonly seen: Reported[] = [];
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
  ) {}

  /** Waits until `count` reports in all arrived (or fails after `timeoutMs`); returns all seen. */
  async wait(count: number, timeoutMs = 10_000): Promise<Reported[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.seen.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} invocations, saw ${this.seen.length}: ${JSON.stringify(this.seen.map(bodies))}`);
      await this.poll(Math.min(left, 1000));
    }
    return this.seen;
  }

  /** Collects for `ms` more (to show nothing else arrives). */
  async quiet(ms: number): Promise<Reported[]> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) await this.poll(deadline - Date.now());
    return this.seen;
  }

  private async poll(waitMs: number): Promise<void> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.url, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.max(0, Math.floor(waitMs / 1000)) }),
    );
    if (Messages.length === 0 && waitMs < 1000) await new Promise((r) => setTimeout(r, Math.max(0, waitMs)));
    for (const m of Messages) this.seen.push(JSON.parse(m.Body!) as Reported);
    if (Messages.length > 0) {
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
}

/** The bodies of each reported invocation. */
export function bodies(r: Reported): string[] {
  return r.event.Records.map((x) => x.body as string);
}

export async function queueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
