/**
 * Child-process entry for the SQS benchmarks' load driver: `fork('dist/bench/lib/sqs-driver.js')`,
 * then send a LoopSpec or a LongPollSpec (sqs-children.ts).
 *
 * `loop`: `loops` concurrent closed loops of SendMessageBatch (10 entries) → ReceiveMessage
 * (MaxNumberOfMessages 10) → DeleteMessageBatch (the receipt handles just received), each on its
 * own keep-alive connection with the raw client (sqs-wire.ts), or all through one
 * `@aws-sdk/client-sqs` client. After `warmupMs` it counts for `durationMs` (telling the parent
 * `measuring` and `measured`), lets every loop finish the iteration it is in, then, if asked,
 * receives and deletes whatever is left so the queue ends empty, and reports.
 *
 * `long-poll`: one ReceiveMessage (WaitTimeSeconds 20) waits; `intervalMs` later a SendMessage is
 * written on another connection; the wake-up latency is from just before that write to the
 * waiting receive's answer being complete, both on this process's performance.now(). Halfway
 * through the wait, each cycle also times a GetQueueUrl round trip on an idle connection: the
 * floor for any wake-up, taken after the same idle gap. The SendMessage may go to another node of
 * the cluster (`sendHost`/`sendPort`) than the one the receive waits on.
 */
import {
  latencySummary,
  type DriverSpec,
  type FromSqsDriver,
  type LongPollResult,
  type LongPollSpec,
  type LoopResult,
  type LoopSpec,
} from './sqs-children.js';
import { batchFailures, quoted, RawConnection, receiptHandles, SqsRequests } from './sqs-wire.js';

const send = (message: FromSqsDriver): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const BATCH = 10;
const MAX_ERROR_SAMPLES = 5;

class Tally {
  measuring = false;
  stopped = false;
  iterations = 0;
  sent = 0;
  received = 0;
  deleted = 0;
  shortReceives = 0;
  emptyReceives = 0;
  readonly iterationMs: number[] = [];
  errors = 0;
  readonly errorSamples: string[] = [];
  readonly totals = { sent: 0, received: 0, deleted: 0, drainedReceived: 0 };

  error(what: string): void {
    this.errors++;
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(what.slice(0, 300));
  }
  onSent(n: number): void {
    this.totals.sent += n;
    if (this.measuring) this.sent += n;
  }
  onReceived(n: number): void {
    this.totals.received += n;
    if (!this.measuring) return;
    this.received += n;
    if (n < BATCH) this.shortReceives++;
    if (n === 0) this.emptyReceives++;
  }
  onDeleted(n: number): void {
    this.totals.deleted += n;
    if (this.measuring) this.deleted += n;
  }
  onIteration(ms: number): void {
    if (!this.measuring) return;
    this.iterations++;
    this.iterationMs.push(ms);
  }
}

/** Message bodies: a unique prefix padded to `bytes` with ASCII. */
function bodyText(prefix: string, bytes: number): string {
  return prefix.length >= bytes ? prefix : prefix + 'x'.repeat(bytes - prefix.length);
}

// ---- raw client ----------------------------------------------------------------------------------

async function rawLoop(spec: LoopSpec, loop: number, tally: Tally): Promise<void> {
  const conn = await RawConnection.open(spec.host, spec.port);
  const requests = new SqsRequests(`${spec.host}:${spec.port}`);
  const url = quoted(spec.queueUrl);
  const receive = requests.build('ReceiveMessage', `{"QueueUrl":${url},"MaxNumberOfMessages":${BATCH}}`);
  const pad = 'x'.repeat(spec.bodyBytes);
  const group = spec.fifo ? `,"MessageGroupId":"g${loop}"` : '';
  try {
    for (let iteration = 0; !tally.stopped; iteration++) {
      const started = performance.now();
      let body = `{"QueueUrl":${url},"Entries":[`;
      for (let k = 0; k < BATCH; k++) {
        const id = `${spec.tag}-${loop}-${iteration}-${k}`;
        const text = id.length >= spec.bodyBytes ? id : id + pad.slice(id.length);
        body += `${k === 0 ? '' : ','}{"Id":"${k}","MessageBody":"${text}"${group}${spec.fifo ? `,"MessageDeduplicationId":"${id}"` : ''}}`;
      }
      body += ']}';
      const sent = await conn.request(requests.build('SendMessageBatch', body));
      if (sent.status !== 200) tally.error(`SendMessageBatch ${sent.status}: ${sent.body.toString('utf8')}`);
      else {
        const failed = batchFailures(sent.body);
        if (failed > 0) tally.error(`SendMessageBatch: ${failed} failed: ${sent.body.toString('utf8')}`);
        tally.onSent(BATCH - failed);
      }

      const got = await conn.request(receive);
      let handles: string[] = [];
      if (got.status !== 200) tally.error(`ReceiveMessage ${got.status}: ${got.body.toString('utf8')}`);
      else handles = receiptHandles(got.body);
      tally.onReceived(handles.length);

      if (handles.length > 0) {
        let del = `{"QueueUrl":${url},"Entries":[`;
        for (let k = 0; k < handles.length; k++) del += `${k === 0 ? '' : ','}{"Id":"${k}","ReceiptHandle":${JSON.stringify(handles[k])}}`;
        del += ']}';
        const deleted = await conn.request(requests.build('DeleteMessageBatch', del));
        if (deleted.status !== 200) tally.error(`DeleteMessageBatch ${deleted.status}: ${deleted.body.toString('utf8')}`);
        else {
          const failed = batchFailures(deleted.body);
          if (failed > 0) tally.error(`DeleteMessageBatch: ${failed} failed: ${deleted.body.toString('utf8')}`);
          tally.onDeleted(handles.length - failed);
        }
      }
      tally.onIteration(performance.now() - started);
    }
  } finally {
    conn.close();
  }
}

/** Receives and deletes until the queue answers empty twice in a row. */
async function drain(spec: LoopSpec, tally: Tally): Promise<void> {
  const conn = await RawConnection.open(spec.host, spec.port);
  const requests = new SqsRequests(`${spec.host}:${spec.port}`);
  const url = quoted(spec.queueUrl);
  const receive = requests.build('ReceiveMessage', `{"QueueUrl":${url},"MaxNumberOfMessages":${BATCH}}`);
  try {
    for (let empty = 0; empty < 2; ) {
      const got = await conn.request(receive);
      if (got.status !== 200) {
        tally.error(`drain ReceiveMessage ${got.status}: ${got.body.toString('utf8')}`);
        return;
      }
      const handles = receiptHandles(got.body);
      if (handles.length === 0) {
        empty++;
        continue;
      }
      empty = 0;
      tally.totals.drainedReceived += handles.length;
      const del = `{"QueueUrl":${url},"Entries":[${handles.map((h, k) => `{"Id":"${k}","ReceiptHandle":${JSON.stringify(h)}}`).join(',')}]}`;
      const deleted = await conn.request(requests.build('DeleteMessageBatch', del));
      const failed = deleted.status === 200 ? batchFailures(deleted.body) : handles.length;
      if (failed > 0) tally.error(`drain DeleteMessageBatch ${deleted.status}: ${deleted.body.toString('utf8')}`);
      tally.totals.deleted += handles.length - failed;
    }
  } finally {
    conn.close();
  }
}

// ---- the AWS SDK -------------------------------------------------------------------------------

async function sdkLoops(spec: LoopSpec, tally: Tally): Promise<Promise<void>[]> {
  // The SDK warns once that Node 20 support will end; that is noise in a benchmark report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sqs = await import('@aws-sdk/client-sqs');
  const client = new sqs.SQSClient({
    endpoint: `http://${spec.host}:${spec.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
  const loop = async (i: number): Promise<void> => {
    for (let iteration = 0; !tally.stopped; iteration++) {
      const started = performance.now();
      const entries = Array.from({ length: BATCH }, (_, k) => {
        const id = `${spec.tag}-${i}-${iteration}-${k}`;
        return {
          Id: String(k),
          MessageBody: bodyText(id, spec.bodyBytes),
          ...(spec.fifo ? { MessageGroupId: `g${i}`, MessageDeduplicationId: id } : {}),
        };
      });
      try {
        const sent = await client.send(new sqs.SendMessageBatchCommand({ QueueUrl: spec.queueUrl, Entries: entries }));
        const failed = sent.Failed?.length ?? 0;
        if (failed > 0) tally.error(`SendMessageBatch: ${JSON.stringify(sent.Failed)}`);
        tally.onSent(sent.Successful?.length ?? 0);
        const got = await client.send(new sqs.ReceiveMessageCommand({ QueueUrl: spec.queueUrl, MaxNumberOfMessages: BATCH }));
        const messages = got.Messages ?? [];
        tally.onReceived(messages.length);
        if (messages.length > 0) {
          const deleted = await client.send(
            new sqs.DeleteMessageBatchCommand({ QueueUrl: spec.queueUrl, Entries: messages.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle })) }),
          );
          if ((deleted.Failed?.length ?? 0) > 0) tally.error(`DeleteMessageBatch: ${JSON.stringify(deleted.Failed)}`);
          tally.onDeleted(deleted.Successful?.length ?? 0);
        }
      } catch (error) {
        tally.error(`SDK: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      tally.onIteration(performance.now() - started);
    }
  };
  const loops = Array.from({ length: spec.loops }, (_, i) => loop(i));
  void Promise.allSettled(loops).then(() => client.destroy());
  return loops;
}

async function runLoop(spec: LoopSpec): Promise<LoopResult> {
  const tally = new Tally();
  const loops: Promise<void>[] =
    spec.client === 'sdk'
      ? await sdkLoops(spec, tally)
      : Array.from({ length: spec.loops }, (_, i) =>
          rawLoop(spec, i, tally).catch((error: unknown) => tally.error(`loop ${i}: ${error instanceof Error ? error.message : String(error)}`)),
        );
  await sleep(spec.warmupMs);
  tally.measuring = true;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await send({ type: 'measuring' });
  await sleep(Math.max(0, spec.durationMs - (performance.now() - started)));
  tally.measuring = false;
  const durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  await send({ type: 'measured' });
  tally.stopped = true;
  await Promise.allSettled(loops);
  if (spec.drain) await drain(spec, tally);
  return {
    durationMs,
    iterations: tally.iterations,
    sent: tally.sent,
    received: tally.received,
    deleted: tally.deleted,
    shortReceives: tally.shortReceives,
    emptyReceives: tally.emptyReceives,
    iterationMs: latencySummary(tally.iterationMs),
    driverCpu: (cpu.user + cpu.system) / 1000 / durationMs,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    totals: tally.totals,
  };
}

// ---- long poll ---------------------------------------------------------------------------------

async function runLongPoll(spec: LongPollSpec): Promise<LongPollResult> {
  const sendHost = spec.sendHost ?? spec.host;
  const sendPort = spec.sendPort ?? spec.port;
  const [receiver, deleter, idle, sender] = await Promise.all([
    ...[0, 1, 2].map(() => RawConnection.open(spec.host, spec.port)),
    RawConnection.open(sendHost, sendPort),
  ]);
  const requests = new SqsRequests(`${spec.host}:${spec.port}`);
  const sendRequests = sendHost === spec.host && sendPort === spec.port ? requests : new SqsRequests(`${sendHost}:${sendPort}`);
  const url = quoted(spec.queueUrl);
  const poll = requests.build('ReceiveMessage', `{"QueueUrl":${url},"MaxNumberOfMessages":1,"WaitTimeSeconds":20}`);
  const trivial = requests.build('GetQueueUrl', `{"QueueName":${quoted(spec.queueName)}}`);
  const wakeMs: number[] = [];
  const sendMs: number[] = [];
  const baselineMs: number[] = [];
  let errors = 0;
  const errorSamples: string[] = [];
  const error = (what: string): void => {
    errors++;
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(what.slice(0, 300));
  };
  const started = performance.now();
  const total = spec.warmupSamples + spec.samples;
  for (let i = 0; i < total; i++) {
    const counted = i >= spec.warmupSamples;
    // Park a long poll and give it time to reach the server and wait.
    let woke = 0;
    const polled = receiver.request(poll).then((answer) => {
      woke = performance.now();
      return answer;
    });
    await sleep(spec.intervalMs / 2);
    // The floor: a trivial request's round trip on an idle keep-alive connection, after the
    // same idle gap as the send (a server that has slept a while answers slower than a busy one).
    const b0 = performance.now();
    const b = await idle.request(trivial);
    const b1 = performance.now();
    if (b.status !== 200) error(`GetQueueUrl ${b.status}: ${b.body.toString('utf8')}`);
    else if (counted) baselineMs.push(b1 - b0);
    await sleep(spec.intervalMs / 2);
    const request = sendRequests.build('SendMessage', `{"QueueUrl":${url},"MessageBody":"wake-${i}-${Date.now()}"}`);
    let acked = 0;
    const t0 = performance.now();
    const sent = sender.request(request).then((answer) => {
      acked = performance.now();
      return answer;
    });
    const [got, ack] = await Promise.all([polled, sent]);
    if (ack.status !== 200) error(`SendMessage ${ack.status}: ${ack.body.toString('utf8')}`);
    if (got.status !== 200) {
      error(`ReceiveMessage ${got.status}: ${got.body.toString('utf8')}`);
      continue;
    }
    const handles = receiptHandles(got.body);
    if (handles.length !== 1) {
      error(`ReceiveMessage returned ${handles.length} messages after ${(woke - t0).toFixed(1)} ms`);
      continue;
    }
    if (counted) {
      wakeMs.push(woke - t0);
      sendMs.push(acked - t0);
    }
    const del = await deleter.request(requests.build('DeleteMessage', `{"QueueUrl":${url},"ReceiptHandle":${JSON.stringify(handles[0])}}`));
    if (del.status !== 200) error(`DeleteMessage ${del.status}: ${del.body.toString('utf8')}`);
  }
  const durationMs = performance.now() - started;
  for (const c of [receiver, sender, deleter, idle]) c.close();
  return { wakeMs, sendMs, baselineMs, durationMs, errors, errorSamples };
}

process.once('message', (spec: DriverSpec) => {
  (spec.mode === 'loop' ? runLoop(spec) : runLongPoll(spec)).then(
    async (result) => {
      await send({ type: 'result', result });
      process.exit(0);
    },
    async (error: unknown) => {
      await send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
});
