/**
 * Replays the steps of a recorded SNS test (test/conformance/sns/recorded/) against a real
 * server, as far as they can be replayed faithfully, and compares every snapshot the test took
 * with what AWS answered there.
 *
 * The steps are a description derived from the test's source, not a script; this reads them
 * strictly. It replays AWS calls to SNS and SQS (by their boto3 names), LocalStack's resource
 * fixtures (`sns_create_topic`, `sqs_create_queue`, `sns_create_sqs_subscription` …), `let`
 * bindings (`x['A'][0]`), f-strings over known names, `expectError` blocks and loops the source
 * unrolled. Names the test generated (`topic_name`, `queue_name` …) get fresh values. At the
 * first step it cannot replay as the test ran it (an `if`, a retry helper, another service, an
 * HTTP request, an SQS receive — the delivery set covers messages — or a name it cannot know),
 * the replay stops: the snapshots taken before are compared, the rest are reported as not
 * replayed, with the reason.
 *
 * Answers are brought to boto3's shape before comparing: the output members plus
 * `ResponseMetadata: {HTTPHeaders: {}, HTTPStatusCode}` (the recorder emptied the headers), an error
 * as `{Error: {Code, Message, Type}, ResponseMetadata}`.
 */
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { RecordedMatcher, type MatchOptions } from '../support/recorded-match.js';
import type { RecordedCase } from '../support/sns-recorded.js';

type Json = Record<string, unknown>;

/** Why a replay stopped where it did. */
class CannotReplay extends Error {}

export interface ReplayResult {
  /** Snapshot key → the differences found (empty: it agrees with AWS). */
  compared: Map<string, string[]>;
  /** A call that failed here where the test (which passed against AWS) expected it to succeed. */
  unexpectedError?: string;
  /** The snapshot keys not reached. */
  notReplayed: string[];
  /** Why the replay stopped early, if it did. */
  stoppedBecause?: string;
}

export interface ReplayContext {
  sns: sns.SNSClient;
  sqs: sqs.SQSClient;
  account: string;
  region: string;
  options: MatchOptions;
}

const uid = (): string => randomUUID().slice(0, 8);
/** boto3's snake_case action name → the SDK's command. */
const pascal = (snake: string): string =>
  snake
    .replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase())
    .replace(/Sms/g, 'SMS')
    .replace(/^GetSmsAttributes$/, 'GetSMSAttributes');

/**
 * Names a test makes up with `short_uid()` (`topic_name`, `queue_name`, `permission_id`): any fresh
 * value stands for them. A bare `name` is rather a test's parameter, and is not made up.
 */
const GENERATED_NAME = /^[a-z]+(?:_[a-z]+)*_(?:name|id)$/;

/** What an SDK answer looks like to boto3. */
function botoShape(output: Json): Json {
  const { $metadata, ...members } = output as Json & { $metadata?: { httpStatusCode?: number } };
  return { ...members, ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: $metadata?.httpStatusCode ?? 200 } };
}

function botoError(error: unknown): Json {
  const e = error as Error & { Code?: string; Type?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata === undefined) throw error;
  return {
    Error: { Code: e.Code ?? e.name, Message: e.message, Type: e.Type ?? (e.$fault === 'server' ? 'Receiver' : 'Sender') },
    ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: e.$metadata.httpStatusCode },
  };
}

export class RecordedReplay {
  private readonly vars = new Map<string, unknown>();
  /** Values made up for names the test generated: a FIFO resource's gets `.fifo` where the test's had it. */
  private readonly generated = new Set<unknown>();
  private lastError: Json | undefined;
  private readonly matcher: RecordedMatcher;
  private readonly result: ReplayResult = { compared: new Map(), notReplayed: [] };
  /** Fixtures whose answer the source bound to a conventional name the steps leave out. */
  private readonly implied = new Map<string, number>();

  constructor(
    private readonly c: RecordedCase,
    private readonly ctx: ReplayContext,
  ) {
    this.matcher = new RecordedMatcher(ctx.options);
    this.vars.set('account_id', ctx.account);
    this.vars.set('region_name', ctx.region);
  }

  async run(): Promise<ReplayResult> {
    const snapshots = Object.keys(this.c.recorded);
    try {
      for (const fixture of ['sns_create_topic', 'sqs_create_queue']) {
        // Two such fixtures without a name for their answer: which one a later name means is not known.
        this.implied.set(fixture, countUnnamed(this.c.steps, fixture));
      }
      await this.steps(this.c.steps);
    } catch (error) {
      if (error instanceof CannotReplay) this.result.stoppedBecause = error.message;
      else if ((error as { $metadata?: unknown }).$metadata !== undefined) {
        this.result.unexpectedError = `${(error as Error).name}: ${(error as Error).message}`;
        this.result.stoppedBecause = 'a call failed';
      } else throw error;
    }
    this.result.notReplayed = snapshots.filter((k) => !this.result.compared.has(k));
    return this.result;
  }

  private async steps(steps: unknown[]): Promise<void> {
    for (const step of steps) await this.step(step as Json);
  }

  private async step(step: Json): Promise<void> {
    if ('snapshot' in step) {
      const key = String(step.snapshot);
      const recorded = this.c.recorded[key];
      if (recorded === undefined) return;
      const actual = this.value(step.of);
      this.result.compared.set(key, this.matcher.diff(recorded, actual, key));
      return;
    }
    if ('assert' in step) return;
    if ('let' in step) {
      this.vars.set(String(step.let), this.evaluate(String(step.expr)));
      return;
    }
    if ('expectError' in step) {
      this.lastError = undefined;
      try {
        await this.steps(step.steps as unknown[]);
      } catch (error) {
        if (error instanceof CannotReplay) throw error;
        this.lastError = botoError(error);
        return;
      }
      throw new CannotReplay(`a call the test expected to fail succeeded: ${JSON.stringify(step.steps).slice(0, 200)}`);
    }
    if ('for' in step) {
      if (!Array.isArray(step.iterations)) throw new CannotReplay(`a loop over ${JSON.stringify(step.in).slice(0, 80)}`);
      for (const iteration of step.iterations) await this.steps(iteration as unknown[]);
      return;
    }
    if ('fixture' in step) {
      const answer = await this.fixture(String(step.fixture), (step.params ?? {}) as Json);
      if (step.as !== undefined) this.vars.set(String(step.as), answer);
      return;
    }
    if ('call' in step) {
      const answer = await this.call(String(step.call), (step.params ?? {}) as Json);
      if (step.as !== undefined) this.vars.set(String(step.as), answer);
      return;
    }
    const kind = ['if', 'util', 'http', 'helper', 'with'].find((k) => k in step) ?? Object.keys(step).join(',');
    throw new CannotReplay(`a step the replay does not make: ${kind} ${JSON.stringify(step).slice(0, 120)}`);
  }

  private async call(name: string, given: Json): Promise<unknown> {
    const [service, action] = name.split('.');
    const params = this.params(given);
    this.unquoteNames(params);
    if (name === 'sns.create_topic') params.Name = this.nameFor(params.Name, 'test-topic', (params.Attributes as Json | undefined)?.FifoTopic === 'true');
    if (name === 'sqs.create_queue') params.QueueName = this.nameFor(params.QueueName, 'test-queue', (params.Attributes as Json | undefined)?.FifoQueue === 'true');
    if (service === 'sns') return this.sns(pascal(action), params);
    if (service === 'sqs') {
      if (action === 'receive_message') throw new CannotReplay('an SQS receive (messages are the delivery set’s)');
      return this.sqs(pascal(action), params);
    }
    throw new CannotReplay(`a call to another service: ${name}`);
  }

  private async sns(action: string, input: Json): Promise<Json> {
    const Command = (sns as unknown as Record<string, new (input: unknown) => Parameters<sns.SNSClient['send']>[0]>)[`${action}Command`];
    if (!Command) throw new CannotReplay(`no SNS action ${action}`);
    return botoShape((await this.ctx.sns.send(new Command(input))) as unknown as Json);
  }

  private async sqs(action: string, input: Json): Promise<Json> {
    const Command = (sqs as unknown as Record<string, new (input: unknown) => Parameters<sqs.SQSClient['send']>[0]>)[`${action}Command`];
    if (!Command) throw new CannotReplay(`no SQS action ${action}`);
    return botoShape((await this.ctx.sqs.send(new Command(input))) as unknown as Json);
  }

  /** LocalStack's pytest fixtures, as they make their resources. */
  private async fixture(name: string, given: Json): Promise<unknown> {
    const params = this.params(given);
    const imply = (variable: string, value: unknown): void => {
      if (this.implied.get(name) === 1 && !this.vars.has(variable)) this.vars.set(variable, value);
    };
    switch (name) {
      case 'sns_create_topic': {
        const fifo = ((params.Attributes ?? {}) as Json).FifoTopic === 'true';
        params.Name = this.nameFor(params.Name, 'test-topic', fifo);
        const answer = await this.sns('CreateTopic', params);
        imply('topic_arn', answer.TopicArn);
        return answer;
      }
      case 'sqs_create_queue': {
        params.QueueName = this.nameFor(params.QueueName, 'test-queue', (params.Attributes as Json | undefined)?.FifoQueue === 'true');
        const url = (await this.sqs('CreateQueue', params)).QueueUrl;
        imply('queue_url', url);
        return url;
      }
      case 'sqs_get_queue_arn':
        return this.queueArn(String(params.$0));
      case 'sns_create_sqs_subscription': {
        const { topic_arn: TopicArn, queue_url, ...rest } = params;
        return this.sns('Subscribe', { TopicArn, Protocol: 'sqs', Endpoint: await this.queueArn(String(queue_url)), ReturnSubscriptionArn: true, ...rest });
      }
      case 'sns_create_sqs_subscription_with_filter_policy': {
        const { topic_arn: TopicArn, queue_url, filter_scope, filter_policy } = params;
        const Attributes = { FilterPolicyScope: String(filter_scope), FilterPolicy: JSON.stringify(filter_policy) };
        return this.sns('Subscribe', { TopicArn, Protocol: 'sqs', Endpoint: await this.queueArn(String(queue_url)), Attributes, ReturnSubscriptionArn: true });
      }
      case 'sns_subscription':
        return this.sns('Subscribe', params);
      case 'sns_create_platform_application':
        return this.sns('CreatePlatformApplication', params);
      case 'sns_create_platform_endpoint':
        return this.sns('CreatePlatformEndpoint', params);
      case 'sns_allow_topic_sqs_queue':
        // A queue policy letting the topic send: this Stratus delivers within one account without one.
        return undefined;
    }
    throw new CannotReplay(`the fixture ${name}`);
  }

  /**
   * The steps render `json.dumps({"deadLetterTargetArn": dlq_arn})` with the variable's name in
   * quotes: inside a JSON attribute value, a quoted name of an ARN this replay holds stands for it.
   */
  private unquoteNames(params: Json): void {
    if (typeof params.AttributeValue !== 'string') return;
    params.AttributeValue = params.AttributeValue.replace(/"(\w+)"/g, (whole, variable: string) => {
      const value = this.vars.get(variable);
      return typeof value === 'string' && value.startsWith('arn:') ? JSON.stringify(value) : whole;
    });
  }

  /** A fixture's resource name: as given, else made up; a made-up FIFO name ends in `.fifo`, as the test's did. */
  private nameFor(given: unknown, prefix: string, fifo: boolean): string {
    if (given !== undefined && !this.generated.has(given)) return String(given);
    const name = given === undefined ? `${prefix}-${uid()}` : String(given);
    if (!fifo || name.endsWith('.fifo')) return name;
    // The name the test made was a FIFO one all along: later uses of it see the suffix too.
    for (const [variable, value] of this.vars) if (value === given) this.vars.set(variable, `${name}.fifo`);
    this.generated.add(`${name}.fifo`);
    return `${name}.fifo`;
  }

  private async queueArn(url: string): Promise<string> {
    const { Attributes } = await this.ctx.sqs.send(new sqs.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return Attributes!.QueueArn!;
  }

  /** A step's parameters with every expression evaluated. */
  private params(given: Json): Json {
    const out: Json = {};
    for (const [key, value] of Object.entries(given)) {
      if (key === '**') {
        const spread = this.value(value);
        if (spread === null || typeof spread !== 'object') throw new CannotReplay('a ** spread of no mapping');
        Object.assign(out, spread);
      } else out[key] = this.value(value);
    }
    return out;
  }

  private value(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Json;
    if (typeof record.$expr === 'string') return this.evaluate(record.$expr);
    if (typeof record.$bytes === 'string') return Buffer.from(record.$bytes, 'latin1');
    if ('$large' in record) throw new CannotReplay('a large value the recorder stored by its hash');
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.value(v)]));
  }

  /** The Python expressions the steps hold that can be evaluated faithfully. */
  private evaluate(expr: string): unknown {
    const text = expr.trim();
    // An error caught by `pytest.raises(...) as e`: its response.
    if (/^\w+\.value\.response$/.test(text)) {
      if (!this.lastError) throw new CannotReplay(`${text} without an error`);
      return this.lastError;
    }
    const fString = /^f(["'])(.*)\1$/.exec(text);
    if (fString) return fString[2].replace(/\{([^{}]+)\}/g, (_, inner: string) => String(inner === 'short_uid()' ? uid() : this.evaluate(inner)));
    if (text === 'short_uid()') return uid();
    const list = /^\[(\w+)\]$/.exec(text);
    if (list) return [this.evaluate(list[1])];
    const access = /^(\w+)((?:\[(?:'[^']*'|"[^"]*"|\d+)\])*)$/.exec(text);
    if (!access) throw new CannotReplay(`the expression ${text}`);
    let current = this.variable(access[1]);
    for (const m of access[2].matchAll(/\[(?:'([^']*)'|"([^"]*)"|(\d+))\]/g)) {
      const key = m[1] ?? m[2] ?? Number(m[3]);
      if (current === null || typeof current !== 'object') throw new CannotReplay(`${text}: nothing at ${String(key)}`);
      current = (current as Record<string | number, unknown>)[key];
    }
    return current;
  }

  private variable(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (GENERATED_NAME.test(name)) {
      const made = `${name.replace(/_/g, '-')}-${uid()}`;
      this.vars.set(name, made);
      this.generated.add(made);
      return made;
    }
    throw new CannotReplay(`the name ${name}`);
  }
}

/** How many times a fixture is used without a name for its answer. */
function countUnnamed(steps: unknown, fixture: string): number {
  let count = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const step = node as Json;
      if (step.fixture === fixture && step.as === undefined) count++;
      for (const [key, value] of Object.entries(step)) if (key !== 'params') walk(value);
    }
  };
  walk(steps);
  return count;
}
