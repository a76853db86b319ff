/**
 * Every error answer recorded against AWS in test/conformance/sns/errors/given.json, replayed
 * through the real API (@aws-sdk/client-sns over Query) against a real server: the same Code,
 * HTTP status and Message.
 *
 * A case names its call (boto3's name, or one of LocalStack's pytest fixtures) and parameters,
 * some of them Python expressions over what the test had set up (`topic_arn`, `queue_url`,
 * `f"{topic_arn}-fake"`). Each is resolved here against resources made the same way for each case:
 * `Resources` knows the names and makes what a name needs; `SETUPS` holds what a few tests did
 * before their failing call (a topic made and deleted, a subscription with given attributes …).
 *
 * Messages are compared whole. Where the recording lists the message among
 * `skipSnapshotVerifyPaths` (AWS's wording there carries a Jackson parser trailer LocalStack does
 * not reproduce), the first line is compared, as the data set's README advises.
 */
import * as sns from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
/** SNS's message size limit, as the recorded tests name it (`max_size`). */
const MAX_SIZE = 262_144;

interface ErrorCase {
  id: string;
  testNodeId: string;
  recordKey: string;
  call?: string;
  fixture?: string;
  params: Record<string, unknown>;
  error: { Code: string; Message: string; Type: string };
  httpStatus: number;
  skipSnapshotVerifyPaths?: string[];
}

const cases = JSON.parse(readFileSync(join(ROOT, 'test/conformance/sns/errors/given.json'), 'utf8')) as ErrorCase[];

let server: TestServer;
let client: sns.SNSClient;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer();
  client = server.client(sns.SNSClient);
  sqs = server.client(SQSClient);
});
after(() => server.stop());

const uid = (): string => randomUUID().slice(0, 8);

/** Sends one SNS action by its API name. */
async function send(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const Command = (sns as unknown as Record<string, new (input: unknown) => Parameters<sns.SNSClient['send']>[0]>)[`${action}Command`];
  assert.ok(Command, `no command for ${action}`);
  return (await client.send(new Command(input))) as unknown as Record<string, unknown>;
}

async function queue(name: string, fifo = false): Promise<{ url: string; arn: string }> {
  const QueueName = fifo ? `${name}.fifo` : name;
  const created = await sqs.send(new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: 'true' } : undefined }));
  return { url: created.QueueUrl!, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${QueueName}` };
}

/** What the names in a case's expressions stand for, made on first use. */
class Resources {
  private readonly made = new Map<string, Promise<unknown>>();
  constructor(readonly testCase: ErrorCase) {}

  /** What a setup made under a name the case's expressions use. */
  seed(name: string, value: unknown): void {
    this.made.set(name, Promise.resolve(value));
  }

  get<T>(name: string, make: () => Promise<T>): Promise<T> {
    let value = this.made.get(name) as Promise<T> | undefined;
    if (!value) this.made.set(name, (value = make()));
    return value;
  }

  /** A name of the recorded test, evaluated. */
  async value(name: string): Promise<unknown> {
    switch (name) {
      case 'account_id':
        return ACCOUNT;
      case 'region_name':
        return REGION;
      case 'topic_name':
        return this.get('topic_name', async () => `topic-${uid()}`);
      case 'topic_arn':
        return this.get('topic_arn', async () => {
          const made = await send('CreateTopic', { Name: (await this.value('topic_name')) as string });
          return made.TopicArn as string;
        });
      case 'fifo_topic_arn':
        return this.get('fifo_topic_arn', async () => (await send('CreateTopic', { Name: `fifo-${uid()}.fifo`, Attributes: { FifoTopic: 'true' } })).TopicArn);
      case 'wrong_topic_arn':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:missing-${uid()}`;
      case 'queue_url':
        return (await this.get('queue', () => queue(`q-${uid()}`))).url;
      case 'queue_arn':
        return (await this.get('queue', () => queue(`q-${uid()}`))).arn;
      case 'fifo_queue_url':
        return (await this.get('fifo_queue', () => queue(`fq-${uid()}`, true))).url;
      case 'sub_arn':
      case 'subscription_arn':
      case "subscription['SubscriptionArn']":
        return this.get('sub_arn', async () => {
          const fifo = this.testCase.testNodeId.includes('Fifo');
          const topic = (await this.value(fifo ? 'fifo_topic_arn' : 'topic_arn')) as string;
          const endpoint = fifo ? (await this.get('fifo_queue', () => queue(`fq-${uid()}`, true))).arn : ((await this.value('queue_arn')) as string);
          // A nested policy is taken only under the MessageBody scope (test_sub_filter_policy_nested_property_constraints).
          const Attributes = this.testCase.testNodeId.includes('FilterPolicyCrud') ? { FilterPolicyScope: 'MessageBody' } : undefined;
          return (await send('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: endpoint, Attributes, ReturnSubscriptionArn: true })).SubscriptionArn;
        });
      case 'wrong_sub_arn':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:missing-${uid()}:${randomUUID()}`;
      case 'app_arn':
        return this.get('app_arn', async () =>
          (await send('CreatePlatformApplication', { Name: `app-${uid()}`, Platform: 'ADM', Attributes: { PlatformPrincipal: 'dummy', PlatformCredential: 'dummy' } }))
            .PlatformApplicationArn,
        );
      case 'endpoint_arn':
        if (this.testCase.testNodeId.includes('non_existent_endpoint')) return `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/ADM/app-${uid()}/${randomUUID()}`;
        return this.get('endpoint_arn', async () => (await send('CreatePlatformEndpoint', { PlatformApplicationArn: await this.value('app_arn'), Token: 'token_1' })).EndpointArn);
      case 'platform_application_arn % (region_name, account_id)':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:app/ADM/NonExistingApp`;
      case 'name':
        // The name is what the recorded message quotes (too long), else any valid one.
        return /^Invalid parameter: (\S+) Reason/.exec(this.testCase.error.Message)?.[1] ?? `app-${uid()}`;
      case 'attributes':
        return parametrizedAttributes(this.testCase);
      case '{attribute_key_value[0]: attribute_key_value[1]}':
        return smsAttributes(this.testCase);
      case 'short_uid()':
        return uid();
      case '[account_id]':
        return [ACCOUNT];
      case "[{'Id': '1', 'Message': 'a' * (max_size // 2)}, {'Id': '2', 'Message': 'b' * (1 + max_size // 2)}]":
        return [
          { Id: '1', Message: 'a'.repeat(MAX_SIZE / 2) },
          { Id: '2', Message: 'b'.repeat(1 + MAX_SIZE / 2) },
        ];
      case "[{'Id': '1', 'Message': message_with_attrs, 'MessageAttributes': message_attrs}, {'Id': '2', 'Message': 'b'}]": {
        // One attribute (name, type and value count: 5 + 6 + 1 bytes) and a message that fills the rest: one byte more overflows.
        const attributes = { attr1: { DataType: 'Number', StringValue: '1' } };
        return [
          { Id: '1', Message: 'a'.repeat(MAX_SIZE - 12), MessageAttributes: attributes },
          { Id: '2', Message: 'b' },
        ];
      }
    }
    // f-strings and concatenations over the names above.
    const fString = /^f(["'])(.*)\1$/.exec(name);
    if (fString) {
      let text = fString[2];
      for (const [, inner] of fString[2].matchAll(/\{([^}]+)\}/g)) {
        const value = inner === 'short_uid()' ? uid() : inner === 'uuid.uuid4()' ? randomUUID() : String(await this.value(inner));
        text = text.replace(`{${inner}}`, value);
      }
      return text;
    }
    const concat = /^(\w+) \+ "([^"]*)"$/.exec(name);
    if (concat) return `${String(await this.value(concat[1]))}${concat[2]}`;
    throw new Error(`no resolver for ${name} (${this.testCase.id})`);
  }

  /** The case's parameters with every expression resolved. */
  async params(value: unknown): Promise<unknown> {
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.params(v)));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if (typeof record.$expr === 'string') return this.value(record.$expr);
    if (record.$large === 'str') return largeString(record as { length: number; head: string; sha1: string });
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record)) {
      // `**kwargs` spread into the call.
      if (key === '**') Object.assign(out, await this.params(v));
      else out[key] = await this.params(v);
    }
    return out;
  }
}

/** A string the recorder stored by its length, head and SHA-1: the head's period repeated (checked against the hash). */
function largeString(spec: { length: number; head: string; sha1: string }): string {
  for (let period = 1; period <= spec.head.length; period++) {
    const unit = spec.head.slice(0, period);
    const text = unit.repeat(Math.ceil(spec.length / period)).slice(0, spec.length);
    if (text.startsWith(spec.head) && createHash('sha1').update(text).digest('hex') === spec.sha1) return text;
  }
  throw new Error(`cannot rebuild the ${spec.length}-character string starting ${spec.head}`);
}

/** The `attributes` of the parametrized platform tests, by parameter id. */
function parametrizedAttributes(c: ErrorCase): Record<string, string> {
  const parameter = /\[([^\]]+)\]/.exec(c.testNodeId)?.[1];
  switch (parameter) {
    case undefined:
    case 'no-args':
    case 'Empty':
      return {};
    case 'missing-principal':
      return { PlatformCredential: 'dummy' };
    case 'missing-credential':
      return { PlatformPrincipal: 'dummy' };
    case 'dummy-args':
      return { PlatformPrincipal: 'dummy', PlatformCredential: 'dummy' };
    case 'Invalid_Name_Principal':
      return { PlatformPrincipal: 'dummy' };
    case 'Invalid_Name_Credential':
      return { PlatformCredential: 'dummy' };
    case 'Invalid_Name_Generic':
      return { InvalidKey: 'dummy' };
    case 'Data_Too_Long':
      return { CustomUserData: 'x'.repeat(2049) };
  }
  throw new Error(`unknown parameter ${parameter} in ${c.id}`);
}

/** The SMS attribute of test_set_invalid_sms_attributes[...], by parameter id. */
function smsAttributes(c: ErrorCase): Record<string, string> {
  const parameter = /\[([^\]]+)\]/.exec(c.testNodeId)?.[1];
  switch (parameter) {
    case 'InvalidAttributeName':
      return { InvalidAttribute: 'value' };
    case 'TooLongID':
      return { DefaultSendID: 'TooLongSenderID12345' };
    case 'NoLetterID':
      return { DefaultSendID: '12345' };
    case 'InvalidSMSType':
      return { DefaultSMSType: 'Invalid' };
  }
  throw new Error(`unknown parameter ${parameter} in ${c.id}`);
}

/** What a few tests did before their failing call, by test name. */
const SETUPS: Record<string, (r: Resources) => Promise<void>> = {
  // An email subscription answers "pending confirmation" in place of its ARN; the topic is then deleted.
  test_unsubscribe_from_deleted_topic: async (r) => {
    const TopicArn = await r.value('topic_arn');
    const subscribed = await send('Subscribe', { TopicArn, Protocol: 'email', Endpoint: 'someone@example.com' });
    await send('DeleteTopic', { TopicArn });
    r.seed('sub_arn', subscribed.SubscriptionArn);
  },
  // The topic was deleted before the failing GetTopicAttributes.
  test_create_topic_test_arn: async (r) => void (await send('DeleteTopic', { TopicArn: await r.value('topic_arn') })),
  // The topic exists without tags; creating it again with tags fails.
  test_create_duplicate_topic_with_more_tags: async () => void (await send('CreateTopic', { Name: 'test-duplicated-topic-more-tags' })),
  // The topic exists with DisplayName Value1.
  test_create_topic_different_attrs: async (r) => void (await send('CreateTopic', { Name: await r.value('topic_name'), Attributes: { DisplayName: 'Value1' } })),
  // The queue is subscribed already, raw.
  test_subscribe_idempotency: async (r) =>
    void (await send('Subscribe', {
      TopicArn: await r.value('topic_arn'),
      Protocol: 'sqs',
      Endpoint: await r.value('queue_arn'),
      Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody' },
    })),
};

/** A fixture call as the boto3 action it makes, with its parameters. */
async function fixtureCall(c: ErrorCase, params: Record<string, unknown>): Promise<[string, Record<string, unknown>]> {
  switch (c.fixture) {
    case 'sns_create_topic':
      return ['CreateTopic', { Name: `topic-${uid()}`, ...params }];
    case 'sns_subscription':
      return ['Subscribe', params];
    case 'sns_create_sqs_subscription': {
      const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${String(params.queue_url).split('/').pop()}`;
      return ['Subscribe', { TopicArn: params.topic_arn, Protocol: 'sqs', Endpoint: arn }];
    }
    case 'sns_create_platform_endpoint':
      return ['CreatePlatformEndpoint', { PlatformApplicationArn: params.platform_application_arn, Token: params.token, Attributes: params.Attributes, CustomUserData: params.CustomUserData }];
  }
  throw new Error(`unknown fixture ${c.fixture}`);
}

const pascal = (snake: string): string => snake.replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase()).replace(/Sms/g, 'SMS');

/** A JSON value naming `queue_arn` (as the recorded test's f-string did) names a standard queue here. */
async function substituteQueueArn(r: Resources, params: Record<string, unknown>): Promise<void> {
  if (typeof params.AttributeValue === 'string' && params.AttributeValue.includes('"queue_arn"')) {
    const { arn } = await r.get('dlq', () => queue(`dlq-${uid()}`));
    params.AttributeValue = params.AttributeValue.replace('"queue_arn"', JSON.stringify(arn));
  }
}

describe('SNS error answers recorded against AWS', () => {
  test('the data set is the one recorded', () => assert.equal(cases.length, 130));

  for (const c of cases) {
    test(c.id.split('::').slice(1).join('::'), async () => {
      const r = new Resources(c);
      const testName = c.testNodeId.split('::').pop()!.replace(/\[.*$/, '');
      await SETUPS[testName]?.(r);
      const params = (await r.params(c.params)) as Record<string, unknown>;
      await substituteQueueArn(r, params);
      const [action, input] = c.call ? [pascal(c.call.replace(/^sns\./, '')), params] : await fixtureCall(c, params);
      let thrown: (Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) | undefined;
      try {
        await send(action, input);
      } catch (error) {
        thrown = error as typeof thrown;
      }
      assert.ok(thrown, `${action} succeeded; AWS answered ${c.error.Code}: ${c.error.Message}`);
      assert.equal(thrown.Code ?? thrown.name, c.error.Code, thrown.message);
      assert.equal(thrown.$metadata?.httpStatusCode, c.httpStatus);
      const looseMessage = (c.skipSnapshotVerifyPaths ?? []).some((p) => p.endsWith('Error.Message') && (p.startsWith('$..') || p.includes(`.${c.recordKey}.`)));
      if (looseMessage) assert.equal(thrown.message.split('\n')[0], c.error.Message.split('\n')[0]);
      else assert.equal(thrown.message, c.error.Message);
    });
  }
});
