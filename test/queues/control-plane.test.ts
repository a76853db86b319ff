/**
 * The SQS control plane through @aws-sdk/client-sqs (AWS JSON 1.0, query-compatible errors):
 * CreateQueue (defaults, every attribute and its bounds, names, idempotency, the 60-second name
 * block), GetQueueUrl, ListQueues, Get/SetQueueAttributes (including redrive policies and the
 * Approximate* counts), DeleteQueue, PurgeQueue, tags, ListDeadLetterSourceQueues,
 * Add/RemovePermission, how queue URLs resolve, the query-compatible JSON errors, and concurrent
 * control-plane calls on one queue (no lost update, no InternalFailure).
 *
 * One server on a ManualClock: timestamps are exact and the 60-second windows (QueueDeletedRecently,
 * PurgeQueueInProgress) are crossed by advancing the clock. Every test uses its own queue names.
 *
 * Sources: the SQS API Reference as shipped in @aws-sdk/client-sqs (dist-types/models/models_0.d.ts)
 * for limits and defaults; error wordings as recorded against AWS where noted next to the test
 * (the same recordings src/queues/model cites).
 */
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAddress,
  InvalidAttributeName,
  InvalidAttributeValue,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDeletedRecently,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
  TagQueueCommand,
  UntagQueueCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';

let server: TestServer;
let clock: ManualClock;
let sqs: SQSClient;

before(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
  sqs = server.client(SQSClient);
});
after(() => server.stop());

// ── helpers ──────────────────────────────────────────────────────────────────────────────

const urlOf = (name: string, account = ACCOUNT): string => `${server.url}/${account}/${name}`;
const arnOf = (name: string, account = ACCOUNT, region = 'us-east-1'): string => `arn:aws:sqs:${region}:${account}:${name}`;
const epochSeconds = (): string => String(Math.floor(clock.now() / 1000));

async function create(name: string, attributes?: Record<string, string>, client = sqs): Promise<string> {
  const out = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl!;
}

async function attributesOf(queueUrl: string, names: string[] = ['All'], client = sqs): Promise<Record<string, string> | undefined> {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names as QueueAttributeName[] }));
  return out.Attributes;
}

async function counts(queueUrl: string): Promise<[string, string, string]> {
  const a = (await attributesOf(queueUrl, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']))!;
  return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed];
}

interface Expected {
  name: string;
  status: number;
  message: string;
  /** The SDK's exception class, for the errors the SQS model declares. */
  type?: new (...args: never[]) => SQSServiceException;
}

/** Awaits a call that must fail and checks the exception the SDK raised. */
async function expectError(call: Promise<unknown>, expected: Expected): Promise<SQSServiceException> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof SQSServiceException, `expected ${expected.name}, got ${error === undefined ? 'success' : String(error)}`);
  if (expected.type) assert.ok(error instanceof expected.type, `expected an instance of ${expected.type.name}, got ${error.constructor.name}`);
  assert.equal(error.name, expected.name);
  assert.equal(error.$metadata.httpStatusCode, expected.status);
  assert.equal(error.message, expected.message);
  assert.equal(error.$fault, 'client');
  return error;
}

const invalidAttributeValue = (name: string, reason?: string): Expected => ({
  name: 'InvalidAttributeValue',
  type: InvalidAttributeValue,
  status: 400,
  message: `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
});
const unknownAttribute = (name: string): Expected => ({ name: 'InvalidAttributeName', type: InvalidAttributeName, status: 400, message: `Unknown Attribute ${name}.` });
const invalidParameterValue = (message: string): Expected => ({ name: 'InvalidParameterValue', status: 400, message });
const queueDoesNotExist: Expected = { name: 'QueueDoesNotExist', type: QueueDoesNotExist, status: 400, message: 'The specified queue does not exist.' };

const STANDARD_NAME_RULE = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
const FIFO_NAME_RULE =
  'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.';

// ── CreateQueue ──────────────────────────────────────────────────────────────────────────

describe('CreateQueue', () => {
  test('a standard queue starts with the documented defaults', async () => {
    const queueUrl = await create('defaults');
    assert.equal(queueUrl, urlOf('defaults'));
    // Defaults per the CreateQueue reference: DelaySeconds 0, MaximumMessageSize 1,048,576 (1 MiB,
    // since 2025), MessageRetentionPeriod 345,600, ReceiveMessageWaitTimeSeconds 0,
    // VisibilityTimeout 30; SSE-SQS is on by default (SqsManagedSseEnabled "true").
    assert.deepEqual(await attributesOf(queueUrl), {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      CreatedTimestamp: epochSeconds(),
      DelaySeconds: '0',
      LastModifiedTimestamp: epochSeconds(),
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: arnOf('defaults'),
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
  });

  test('a FIFO queue adds FifoQueue, ContentBasedDeduplication, DeduplicationScope and FifoThroughputLimit', async () => {
    const queueUrl = await create('defaults.fifo', { FifoQueue: 'true' });
    assert.deepEqual(await attributesOf(queueUrl), {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ContentBasedDeduplication: 'false',
      CreatedTimestamp: epochSeconds(),
      DeduplicationScope: 'queue',
      DelaySeconds: '0',
      FifoQueue: 'true',
      FifoThroughputLimit: 'perQueue',
      LastModifiedTimestamp: epochSeconds(),
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: arnOf('defaults.fifo'),
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
  });

  test('every settable attribute is stored as given', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arnOf('settable') }] });
    const queueUrl = await create('settable', {
      DelaySeconds: '900',
      MaximumMessageSize: '1024',
      MessageRetentionPeriod: '60',
      ReceiveMessageWaitTimeSeconds: '20',
      VisibilityTimeout: '43200',
      Policy: policy,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '86400',
      RedriveAllowPolicy: '{"redrivePermission":"denyAll"}',
    });
    assert.deepEqual(await attributesOf(queueUrl), {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      CreatedTimestamp: epochSeconds(),
      DelaySeconds: '900',
      KmsDataKeyReusePeriodSeconds: '86400',
      KmsMasterKeyId: 'alias/aws/sqs',
      LastModifiedTimestamp: epochSeconds(),
      MaximumMessageSize: '1024',
      MessageRetentionPeriod: '60',
      Policy: policy,
      QueueArn: arnOf('settable'),
      ReceiveMessageWaitTimeSeconds: '20',
      RedriveAllowPolicy: '{"redrivePermission":"denyAll"}',
      // A KMS key turns SSE-SQS off: "Only one server-side encryption option is supported per queue".
      SqsManagedSseEnabled: 'false',
      VisibilityTimeout: '43200',
    });
  });

  test('integer attributes: below, at and above each documented bound', async () => {
    // CreateQueue reference: DelaySeconds 0–900, MaximumMessageSize 1,024–1,048,576,
    // MessageRetentionPeriod 60–1,209,600, ReceiveMessageWaitTimeSeconds 0–20,
    // VisibilityTimeout 0–43,200, KmsDataKeyReusePeriodSeconds 60–86,400.
    const bounds: [string, number, number][] = [
      ['DelaySeconds', 0, 900],
      ['MaximumMessageSize', 1024, 1_048_576],
      ['MessageRetentionPeriod', 60, 1_209_600],
      ['ReceiveMessageWaitTimeSeconds', 0, 20],
      ['VisibilityTimeout', 0, 43_200],
      ['KmsDataKeyReusePeriodSeconds', 60, 86_400],
    ];
    for (const [name, min, max] of bounds) {
      const lower = name.toLowerCase();
      // Live SQS answers "Invalid value for the parameter DelaySeconds." for 901 (InvalidAttributeValue).
      await expectError(create(`${lower}-below`, { [name]: String(min - 1) }), invalidAttributeValue(name));
      await expectError(create(`${lower}-above`, { [name]: String(max + 1) }), invalidAttributeValue(name));
      const atMin = await create(`${lower}-min`, { [name]: String(min) });
      assert.deepEqual(await attributesOf(atMin, [name]), { [name]: String(min) }, `${name} at ${min}`);
      const atMax = await create(`${lower}-max`, { [name]: String(max) });
      assert.deepEqual(await attributesOf(atMax, [name]), { [name]: String(max) }, `${name} at ${max}`);
    }
    // Not an integer at all.
    for (const value of ['1.5', 'ten', '', ' 5', '5 ', '0x10', '1e2']) {
      await expectError(create('not-an-integer', { VisibilityTimeout: value }), invalidAttributeValue('VisibilityTimeout'));
    }
    await expectError(create('not-a-boolean', { SqsManagedSseEnabled: 'yes' }), invalidAttributeValue('SqsManagedSseEnabled'));
    await expectError(attributesOf(urlOf('not-an-integer'), ['QueueArn']), queueDoesNotExist);
  });

  test('an unknown or read-only attribute name is InvalidAttributeName', async () => {
    await expectError(create('unknown-attribute', { Colour: 'blue' }), unknownAttribute('Colour'));
    // Computed attributes cannot be set (localstack's INTERNAL_QUEUE_ATTRIBUTES, snapshot-tested).
    await expectError(create('unknown-attribute', { QueueArn: arnOf('unknown-attribute') }), unknownAttribute('QueueArn'));
    await expectError(create('unknown-attribute', { ApproximateNumberOfMessages: '0' }), unknownAttribute('ApproximateNumberOfMessages'));
  });

  test('FIFO-only attributes on a standard queue', async () => {
    // FifoQueue=false is not accepted either: live SQS answered "Unknown Attribute FifoQueue."
    // (InvalidAttributeName) to exactly that (aws/aws-sdk-php#1331).
    await expectError(create('std-fifo-attrs', { FifoQueue: 'false' }), unknownAttribute('FifoQueue'));
    await expectError(create('std-fifo-attrs', { ContentBasedDeduplication: 'true' }), unknownAttribute('ContentBasedDeduplication'));
    for (const name of ['DeduplicationScope', 'FifoThroughputLimit']) {
      await expectError(create('std-fifo-attrs', { [name]: 'queue' }), {
        name: 'InvalidAttributeName',
        type: InvalidAttributeName,
        status: 400,
        message: `You can specify the ${name} only when FifoQueue is set to true.`,
      });
    }
  });

  test('FIFO attributes: values and the high-throughput combination', async () => {
    await expectError(create('fifo-bad.fifo', { FifoQueue: 'true', DeduplicationScope: 'group' }), invalidAttributeValue('DeduplicationScope'));
    await expectError(create('fifo-bad.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perGroup' }), invalidAttributeValue('FifoThroughputLimit'));
    await expectError(create('fifo-bad.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'maybe' }), invalidAttributeValue('ContentBasedDeduplication'));
    // "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup."
    await expectError(create('fifo-bad.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId' }), invalidAttributeValue('FifoThroughputLimit'));
    const high = await create('high-throughput.fifo', {
      FifoQueue: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      ContentBasedDeduplication: 'TRUE',
    });
    assert.deepEqual(await attributesOf(high, ['FifoQueue', 'DeduplicationScope', 'FifoThroughputLimit', 'ContentBasedDeduplication']), {
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      FifoQueue: 'true',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  test('the same name with the same attributes returns the existing queue; a different value is QueueNameExists', async () => {
    const first = await create('idempotent', { DelaySeconds: '5', VisibilityTimeout: '60' });
    assert.equal(await create('idempotent', { DelaySeconds: '5', VisibilityTimeout: '60' }), first);
    // Naming fewer attributes (or none) with the same values is the same queue.
    assert.equal(await create('idempotent', { DelaySeconds: '5' }), first);
    assert.equal(await create('idempotent'), first);
    // Recorded against AWS (localstack test_create_queue_with_different_attributes_raises_exception):
    // the code is QueueAlreadyExists, the JSON type QueueNameExists, no final period.
    const error = await expectError(create('idempotent', { DelaySeconds: '6' }), {
      name: 'QueueNameExists',
      type: QueueNameExists,
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
    assert.equal((error as unknown as { Code?: string }).Code, 'QueueAlreadyExists');
    await expectError(create('idempotent', { DelaySeconds: '5', MaximumMessageSize: '2048' }), {
      name: 'QueueNameExists',
      type: QueueNameExists,
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute MaximumMessageSize',
    });
    // The queue was not changed by the failed calls.
    assert.deepEqual(await attributesOf(first, ['DelaySeconds', 'MaximumMessageSize', 'VisibilityTimeout']), {
      DelaySeconds: '5',
      MaximumMessageSize: '1048576',
      VisibilityTimeout: '60',
    });

    const fifo = await create('idempotent.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    assert.equal(await create('idempotent.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' }), fifo);
    await expectError(create('idempotent.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'false' }), {
      name: 'QueueNameExists',
      type: QueueNameExists,
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    });
  });

  test('queue names: up to 80 characters, alphanumerics, hyphens and underscores; .fifo only for FIFO queues', async () => {
    const eighty = `Name_-${'x'.repeat(74)}`;
    assert.equal(eighty.length, 80);
    assert.equal(await create(eighty), urlOf(eighty));
    await expectError(create(`${eighty}x`), invalidParameterValue(STANDARD_NAME_RULE));
    for (const bad of ['', 'has space', 'dot.name', 'slash/name', 'ünïcode', 'colon:name', 'star*']) {
      await expectError(create(bad), invalidParameterValue(STANDARD_NAME_RULE));
    }
    // A .fifo name without FifoQueue=true is a standard queue name, and so invalid (botocore#3058).
    await expectError(create('plain.fifo'), invalidParameterValue(STANDARD_NAME_RULE));
    // FifoQueue=true needs the suffix; the suffix counts toward the 80 characters.
    await expectError(create('no-suffix', { FifoQueue: 'true' }), invalidParameterValue(FIFO_NAME_RULE));
    const fifoEighty = `${'f'.repeat(75)}.fifo`;
    assert.equal(await create(fifoEighty, { FifoQueue: 'true' }), urlOf(fifoEighty));
    await expectError(create(`f${fifoEighty}`, { FifoQueue: 'true' }), invalidParameterValue(FIFO_NAME_RULE));
    await expectError(create('.fifo', { FifoQueue: 'true' }), invalidParameterValue(FIFO_NAME_RULE));
    // Names are case-sensitive ("Queue URLs and names are case-sensitive").
    const upper = await create('CaseQueue', { DelaySeconds: '1' });
    const lower = await create('casequeue', { DelaySeconds: '2' });
    assert.notEqual(upper, lower);
    assert.deepEqual(await attributesOf(upper, ['DelaySeconds']), { DelaySeconds: '1' });
  });

  test('a missing QueueName is MissingParameter', async () => {
    await expectError(sqs.send(new CreateQueueCommand({} as never)), { name: 'MissingParameter', status: 400, message: 'The request must contain the parameter QueueName.' });
  });

  test('the name of a deleted queue is blocked for 60 seconds (QueueDeletedRecently)', async () => {
    const queueUrl = await create('reborn', { DelaySeconds: '7' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'old', DelaySeconds: 0 }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    const blocked: Expected = {
      name: 'QueueDeletedRecently',
      type: QueueDeletedRecently,
      status: 400,
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    };
    await expectError(create('reborn'), blocked);
    clock.advance(59_999);
    await expectError(create('reborn', { DelaySeconds: '7' }), blocked);
    clock.advance(1);
    assert.equal(await create('reborn'), queueUrl);
    // A new queue: default attributes, no messages from the old one.
    assert.deepEqual(await attributesOf(queueUrl, ['DelaySeconds', 'CreatedTimestamp']), { DelaySeconds: '0', CreatedTimestamp: epochSeconds() });
    assert.deepEqual(await counts(queueUrl), ['0', '0', '0']);
  });

  test('tags given at creation are the queue tags', async () => {
    const out = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged-at-birth', tags: { team: 'orders', env: '' } }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: out.QueueUrl }))).Tags, { team: 'orders', env: '' });
  });
});

// ── GetQueueUrl ──────────────────────────────────────────────────────────────────────────

describe('GetQueueUrl', () => {
  test('answers with a URL on the endpoint the client used', async () => {
    await create('where');
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'where' }))).QueueUrl, urlOf('where'));
    const viaLocalhost = server.client(SQSClient, { endpoint: server.url.replace('127.0.0.1', 'localhost') });
    const { QueueUrl } = await viaLocalhost.send(new GetQueueUrlCommand({ QueueName: 'where' }));
    assert.equal(QueueUrl, `${server.url.replace('127.0.0.1', 'localhost')}/${ACCOUNT}/where`);
  });

  test('an unknown name is QueueDoesNotExist', async () => {
    const error = await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'nowhere' })), queueDoesNotExist);
    assert.equal((error as unknown as { Code?: string }).Code, 'AWS.SimpleQueueService.NonExistentQueue');
  });

  test('queues live per account (12-digit access key) and region; QueueOwnerAWSAccountId reaches another account', async () => {
    const owner = server.client(SQSClient, { credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
    const ownerUrl = await create('shared', { DelaySeconds: '3' }, owner);
    assert.equal(ownerUrl, urlOf('shared', '111122223333'));
    await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'shared' })), queueDoesNotExist);
    const found = await sqs.send(new GetQueueUrlCommand({ QueueName: 'shared', QueueOwnerAWSAccountId: '111122223333' }));
    assert.equal(found.QueueUrl, ownerUrl);
    // The URL names the account: another account's caller reaches the owner's queue through it.
    assert.deepEqual(await attributesOf(ownerUrl, ['QueueArn', 'DelaySeconds']), { QueueArn: arnOf('shared', '111122223333'), DelaySeconds: '3' });
    await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'shared', QueueOwnerAWSAccountId: '444455556666' })), queueDoesNotExist);

    const ireland = server.client(SQSClient, { region: 'eu-west-1' });
    await expectError(ireland.send(new GetQueueUrlCommand({ QueueName: 'where' })), queueDoesNotExist);
  });
});

// ── ListQueues ───────────────────────────────────────────────────────────────────────────

describe('ListQueues', () => {
  // An account of its own, so that other tests' queues do not show up.
  const LIST_ACCOUNT = '222233334444';
  let lister: SQSClient;
  const names = ['list-a1', 'list-a2', 'list-a3', 'list-b1', 'other'];

  before(async () => {
    lister = server.client(SQSClient, { credentials: { accessKeyId: LIST_ACCOUNT, secretAccessKey: 'x' } });
    for (const name of names) await create(name, undefined, lister);
  });

  const list = (input: { QueueNamePrefix?: string; MaxResults?: number; NextToken?: string } = {}) => lister.send(new ListQueuesCommand(input));
  const urls = (...ns: string[]) => ns.map((n) => urlOf(n, LIST_ACCOUNT));

  test('lists every queue of the caller, and by name prefix (case-sensitive)', async () => {
    const all = await list();
    assert.deepEqual([...all.QueueUrls!].sort(), urls(...names));
    // "If you do not set MaxResults, the response includes a maximum of 1,000 results and the
    // NextToken value in the response is null." (Developer Guide, list queue pagination)
    assert.equal(all.NextToken, undefined);
    assert.deepEqual([...(await list({ QueueNamePrefix: 'list-a' })).QueueUrls!].sort(), urls('list-a1', 'list-a2', 'list-a3'));
    assert.deepEqual((await list({ QueueNamePrefix: 'other' })).QueueUrls, urls('other'));
    // No match: AWS leaves QueueUrls out.
    assert.equal((await list({ QueueNamePrefix: 'LIST' })).QueueUrls, undefined);
    // Another region of the same account is empty.
    const elsewhere = server.client(SQSClient, { region: 'ap-south-1', credentials: { accessKeyId: LIST_ACCOUNT, secretAccessKey: 'x' } });
    assert.equal((await elsewhere.send(new ListQueuesCommand({}))).QueueUrls, undefined);
  });

  test('MaxResults pages with NextToken until the last page, which has none', async () => {
    const seen: string[] = [];
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const page = await list({ MaxResults: 2, NextToken: token });
      pages.push(page.QueueUrls?.length ?? 0);
      seen.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(pages, [2, 2, 1]);
    assert.deepEqual([...seen].sort(), urls(...names));
    assert.equal(new Set(seen).size, names.length);

    // With a prefix, and a page size that fits everything: no token.
    const first = await list({ QueueNamePrefix: 'list-a', MaxResults: 2 });
    assert.equal(first.QueueUrls!.length, 2);
    assert.equal(typeof first.NextToken, 'string');
    const second = await list({ QueueNamePrefix: 'list-a', MaxResults: 2, NextToken: first.NextToken });
    assert.equal(second.QueueUrls!.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...first.QueueUrls!, ...second.QueueUrls!].sort(), urls('list-a1', 'list-a2', 'list-a3'));
    const exact = await list({ MaxResults: 5 });
    assert.equal(exact.QueueUrls!.length, 5);
    assert.equal(exact.NextToken, undefined);
  });

  test('MaxResults must be 1 to 1000; a bad NextToken is rejected', async () => {
    // "Maximum number of results to include in the response. Value range is 1 to 1000."
    const outOfRange = (n: number) => invalidParameterValue(`Value ${n} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`);
    await expectError(list({ MaxResults: 0 }), outOfRange(0));
    await expectError(list({ MaxResults: 1001 }), outOfRange(1001));
    await expectError(list({ MaxResults: -1 }), outOfRange(-1));
    const one = await list({ MaxResults: 1 });
    assert.equal(one.QueueUrls!.length, 1);
    assert.equal(typeof one.NextToken, 'string');
    const thousand = await list({ MaxResults: 1000 });
    assert.equal(thousand.QueueUrls!.length, 5);
    assert.equal(thousand.NextToken, undefined);
    await expectError(list({ NextToken: 'not-a-token' }), invalidParameterValue('Value not-a-token for parameter NextToken is invalid. Reason: Invalid or expired next token.'));
  });
});

// ── GetQueueAttributes ───────────────────────────────────────────────────────────────────

describe('GetQueueAttributes', () => {
  test('single names, All, none, and names the queue has no value for', async () => {
    const queueUrl = await create('attrs', { VisibilityTimeout: '45' });
    assert.deepEqual(await attributesOf(queueUrl, ['VisibilityTimeout']), { VisibilityTimeout: '45' });
    assert.deepEqual(await attributesOf(queueUrl, ['QueueArn', 'DelaySeconds', 'SqsManagedSseEnabled']), {
      QueueArn: arnOf('attrs'),
      DelaySeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    // "If you don't specify values for this parameter, the request returns empty results."
    assert.equal(await attributesOf(queueUrl, []), undefined);
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl }))).Attributes, undefined);
    // Policy / RedrivePolicy appear only once set.
    assert.equal(await attributesOf(queueUrl, ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']), undefined);
    // All together with a name is still everything.
    assert.equal(Object.keys((await attributesOf(queueUrl, ['All', 'VisibilityTimeout']))!).length, 12);
  });

  test('an unknown name, or a FIFO-only name on a standard queue, is InvalidAttributeName', async () => {
    const queueUrl = await create('attrs-names');
    await expectError(attributesOf(queueUrl, ['Colour']), unknownAttribute('Colour'));
    await expectError(attributesOf(queueUrl, ['VisibilityTimeout', 'Colour']), unknownAttribute('Colour'));
    // Live SQS: "Unknown Attribute FifoQueue." for a standard queue (ballerinax/aws.sqs tests).
    for (const name of ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']) {
      await expectError(attributesOf(queueUrl, [name]), unknownAttribute(name));
    }
    const fifoUrl = await create('attrs-names.fifo', { FifoQueue: 'true' });
    assert.deepEqual(await attributesOf(fifoUrl, ['FifoQueue', 'DeduplicationScope']), { FifoQueue: 'true', DeduplicationScope: 'queue' });
  });

  test('the Approximate* counts follow sends, receives, delays, visibility timeouts and deletes', async () => {
    const queueUrl = await create('counting');
    assert.deepEqual(await counts(queueUrl), ['0', '0', '0']);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'b' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'later', DelaySeconds: 30 }));
    // [visible, not visible (in flight), delayed]
    assert.deepEqual(await counts(queueUrl), ['2', '0', '1']);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 20 }));
    assert.equal(received.Messages!.length, 1);
    assert.deepEqual(await counts(queueUrl), ['1', '1', '1']);
    clock.advance(20_000); // the visibility timeout ends
    assert.deepEqual(await counts(queueUrl), ['2', '0', '1']);
    clock.advance(10_000); // the delay ends
    assert.deepEqual(await counts(queueUrl), ['3', '0', '0']);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    assert.equal(again.Messages!.length, 3);
    assert.deepEqual(await counts(queueUrl), ['0', '3', '0']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages![0].ReceiptHandle }));
    assert.deepEqual(await counts(queueUrl), ['0', '2', '0']);
    // A queue-level delay counts new messages as delayed.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { DelaySeconds: '5' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'queue delay' }));
    assert.deepEqual(await counts(queueUrl), ['0', '2', '1']);
  });
});

// ── SetQueueAttributes ───────────────────────────────────────────────────────────────────

describe('SetQueueAttributes', () => {
  test('changes are visible at once and move LastModifiedTimestamp, not CreatedTimestamp', async () => {
    const queueUrl = await create('settable-later');
    const created = epochSeconds();
    clock.advance(5_000);
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { VisibilityTimeout: '0', DelaySeconds: '900', MaximumMessageSize: '1048576', ReceiveMessageWaitTimeSeconds: '20', MessageRetentionPeriod: '1209600' },
      }),
    );
    assert.deepEqual(
      await attributesOf(queueUrl, ['VisibilityTimeout', 'DelaySeconds', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds', 'MessageRetentionPeriod', 'CreatedTimestamp', 'LastModifiedTimestamp']),
      {
        VisibilityTimeout: '0',
        DelaySeconds: '900',
        MaximumMessageSize: '1048576',
        ReceiveMessageWaitTimeSeconds: '20',
        MessageRetentionPeriod: '1209600',
        CreatedTimestamp: created,
        LastModifiedTimestamp: epochSeconds(),
      },
    );
    assert.notEqual(created, epochSeconds());
  });

  test('the same validation as CreateQueue; a failed call changes nothing', async () => {
    const queueUrl = await create('set-invalid', { VisibilityTimeout: '10' });
    const set = (Attributes: Record<string, string>) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes }));
    await expectError(set({ VisibilityTimeout: '43201' }), invalidAttributeValue('VisibilityTimeout'));
    await expectError(set({ VisibilityTimeout: '20', DelaySeconds: '-1' }), invalidAttributeValue('DelaySeconds'));
    await expectError(set({ MaximumMessageSize: '1023' }), invalidAttributeValue('MaximumMessageSize'));
    await expectError(set({ Colour: 'blue' }), unknownAttribute('Colour'));
    await expectError(set({ CreatedTimestamp: '0' }), unknownAttribute('CreatedTimestamp'));
    // Recorded (localstack test_set_unsupported_attribute_fifo): FifoQueue on a standard queue.
    await expectError(set({ FifoQueue: 'true' }), unknownAttribute('FifoQueue'));
    assert.deepEqual(await attributesOf(queueUrl, ['VisibilityTimeout', 'DelaySeconds']), { VisibilityTimeout: '10', DelaySeconds: '0' });
    await expectError(sqs.send(new SetQueueAttributesCommand({ QueueUrl: urlOf('set-missing'), Attributes: { DelaySeconds: '1' } })), queueDoesNotExist);
  });

  test('FifoQueue cannot change on a FIFO queue; the FIFO attributes can', async () => {
    const queueUrl = await create('set-fifo.fifo', { FifoQueue: 'true' });
    const set = (Attributes: Record<string, string>) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes }));
    // Recorded (localstack test_set_unsupported_attribute_fifo).
    await expectError(set({ FifoQueue: 'false' }), invalidAttributeValue('FifoQueue', 'Modifying queue type is not supported.'));
    await set({ FifoQueue: 'true' });
    await set({ ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup' });
    await set({ FifoThroughputLimit: 'perMessageGroupId' });
    assert.deepEqual(await attributesOf(queueUrl, ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']), {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    // Back to per-queue deduplication while the limit is still perMessageGroupId: not allowed.
    await expectError(set({ DeduplicationScope: 'queue' }), invalidAttributeValue('FifoThroughputLimit'));
  });

  test('server-side encryption: SSE-KMS and SSE-SQS exclude each other', async () => {
    const queueUrl = await create('set-sse');
    const set = (Attributes: Record<string, string>) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes }));
    // Recorded (localstack test_sse_kms_and_sqs_are_mutually_exclusive).
    await expectError(set({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' }), {
      name: 'InvalidAttributeName',
      type: InvalidAttributeName,
      status: 400,
      message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    });
    // A KMS key: SSE-SQS off, KmsDataKeyReusePeriodSeconds at its default ("Default: 300 (5 minutes)").
    await set({ KmsMasterKeyId: 'alias/aws/sqs' });
    assert.deepEqual(await attributesOf(queueUrl, ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']), {
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
    });
    // Back to SSE-SQS: the KMS attributes go.
    await set({ SqsManagedSseEnabled: 'true' });
    assert.deepEqual(await attributesOf(queueUrl, ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']), { SqsManagedSseEnabled: 'true' });
  });

  test('an empty Policy removes it', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[]}';
    const queueUrl = await create('set-policy', { Policy: policy });
    assert.deepEqual(await attributesOf(queueUrl, ['Policy']), { Policy: policy });
    await expectError(sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: 'not json' } })), invalidAttributeValue('Policy'));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: '' } }));
    assert.equal(await attributesOf(queueUrl, ['Policy']), undefined);
  });

  test('RedrivePolicy: shape, maxReceiveCount 1–1000, an existing target of the same type', async () => {
    await create('redrive-dlq');
    await create('redrive-dlq.fifo', { FifoQueue: 'true' });
    const source = await create('redrive-source');
    const set = (RedrivePolicy: string) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy } }));
    const invalid = (raw: string, reason: string) => invalidParameterValue(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`);

    // Live (via terraform): "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map."
    await expectError(set('[1]'), invalidAttributeValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.'));
    await expectError(set('{'), invalidAttributeValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.'));
    let raw = JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq') });
    await expectError(set(raw), invalid(raw, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'));
    raw = JSON.stringify({ maxReceiveCount: 3 });
    await expectError(set(raw), invalid(raw, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'));
    for (const count of [0, 1001]) {
      raw = JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq'), maxReceiveCount: count });
      await expectError(set(raw), invalid(raw, `Invalid value for maxReceiveCount: ${count}, valid values are from 1 to 1000 both inclusive.`));
    }
    // Recorded (localstack test_invalid_dead_letter_arn_rejected_before_lookup).
    raw = JSON.stringify({ deadLetterTargetArn: 'dummy', maxReceiveCount: 42 });
    await expectError(set(raw), invalid(raw, 'Invalid value for deadLetterTargetArn.'));
    raw = JSON.stringify({ deadLetterTargetArn: arnOf('redrive-missing'), maxReceiveCount: 3 });
    await expectError(set(raw), invalid(raw, 'Dead letter target does not exist.'));
    // "The dead-letter queue of a FIFO queue must also be a FIFO queue. Similarly, the
    // dead-letter queue of a standard queue must also be a standard queue."
    raw = JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq.fifo'), maxReceiveCount: 3 });
    await expectError(set(raw), invalid(raw, 'Dead-letter queue must be same type of queue as the source.'));
    assert.equal(await attributesOf(source, ['RedrivePolicy']), undefined);

    // Bounds accepted; a numeric string count (as in the API reference's own examples) is shown as a number.
    await set(JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq'), maxReceiveCount: 1000 }));
    await set(JSON.stringify({ maxReceiveCount: '1', deadLetterTargetArn: arnOf('redrive-dlq') }));
    assert.deepEqual(await attributesOf(source, ['RedrivePolicy']), { RedrivePolicy: `{"deadLetterTargetArn":"${arnOf('redrive-dlq')}","maxReceiveCount":1}` });
    // At creation too, and a FIFO source to a FIFO target.
    const created = await create('redrive-source2', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq'), maxReceiveCount: 5 }) });
    assert.deepEqual(await attributesOf(created, ['RedrivePolicy']), { RedrivePolicy: `{"deadLetterTargetArn":"${arnOf('redrive-dlq')}","maxReceiveCount":5}` });
    raw = JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq'), maxReceiveCount: 5 });
    await expectError(create('redrive-source3.fifo', { FifoQueue: 'true', RedrivePolicy: raw }), invalid(raw, 'Dead-letter queue must be same type of queue as the source.'));
    await create('redrive-source3.fifo', { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('redrive-dlq.fifo'), maxReceiveCount: 5 }) });
    // '' removes it.
    await set('');
    assert.equal(await attributesOf(source, ['RedrivePolicy']), undefined);
  });

  test('RedriveAllowPolicy: allowAll, denyAll and byQueue decide which sources may name the queue', async () => {
    const dlq = await create('allow-dlq');
    const a = await create('allow-a');
    const b = await create('allow-b');
    const setAllow = (RedriveAllowPolicy: string) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy } }));
    const redrive = JSON.stringify({ deadLetterTargetArn: arnOf('allow-dlq'), maxReceiveCount: 2 });
    const setRedrive = (queueUrl: string) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: redrive } }));
    const refused = invalidParameterValue(`Value ${redrive} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not allow this queue as a source queue.`);

    await setAllow('{"redrivePermission":"denyAll"}');
    assert.deepEqual(await attributesOf(dlq, ['RedriveAllowPolicy']), { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    await expectError(setRedrive(a), refused);

    await setAllow(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arnOf('allow-a')] }));
    await setRedrive(a);
    await expectError(setRedrive(b), refused);

    await setAllow('{"redrivePermission":"allowAll"}');
    await setRedrive(b);

    // Shapes (wording: Inqnuam/local-aws-sqs).
    const cannot = (raw: string, reason: string) =>
      invalidParameterValue(`Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`);
    let raw = '{"redrivePermission":"byQueue"}';
    await expectError(setAllow(raw), cannot(raw, 'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.'));
    raw = JSON.stringify({ redrivePermission: 'allowAll', sourceQueueArns: [arnOf('allow-a')] });
    await expectError(setAllow(raw), cannot(raw, 'To specify one or more source queue ARNs, you must set redrivePermission to byQueue.'));
    // "You can specify up to 10 source queue ARNs."
    const ten = Array.from({ length: 10 }, (_, i) => arnOf(`allow-${i}`));
    await setAllow(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: ten }));
    raw = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [...ten, arnOf('allow-10')] });
    await expectError(setAllow(raw), cannot(raw, 'The maximum number of source queue ARNs you can specify is 10.'));
    const unsupported = invalidAttributeValue('RedriveAllowPolicy', "Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.");
    await expectError(setAllow('{"redrivePermission":"someQueues"}'), unsupported);
    await expectError(setAllow('denyAll'), unsupported);
  });
});

// ── DeleteQueue, PurgeQueue ──────────────────────────────────────────────────────────────

describe('DeleteQueue', () => {
  test('the queue and its messages are gone; every action on it is QueueDoesNotExist', async () => {
    const queueUrl = await create('doomed');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'doomed' })), queueDoesNotExist);
    await expectError(attributesOf(queueUrl), queueDoesNotExist);
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'y' })), queueDoesNotExist);
    await expectError(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })), queueDoesNotExist);
    await expectError(sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })), queueDoesNotExist);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'doomed' }))).QueueUrls, undefined);
  });
});

describe('PurgeQueue', () => {
  test('removes every message, in flight and delayed too; once per 60 seconds (PurgeQueueInProgress, 403)', async () => {
    const queueUrl = await create('purged');
    for (const body of ['1', '2', '3']) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'delayed', DelaySeconds: 60 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }));
    assert.deepEqual(await counts(queueUrl), ['2', '1', '1']);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    assert.deepEqual(await counts(queueUrl), ['0', '0', '0']);
    clock.advance(60_000);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'after' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    // Recorded (localstack test_successive_purge_calls_fail): 403, this wording.
    const inProgress: Expected = {
      name: 'PurgeQueueInProgress',
      type: PurgeQueueInProgress,
      status: 403,
      message: 'Only one PurgeQueue operation on purged is allowed every 60 seconds.',
    };
    await expectError(sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl })), inProgress);
    clock.advance(59_999);
    await expectError(sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl })), inProgress);
    clock.advance(1);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    await expectError(sqs.send(new PurgeQueueCommand({ QueueUrl: urlOf('purge-missing') })), queueDoesNotExist);
  });
});

// ── Tags ─────────────────────────────────────────────────────────────────────────────────

describe('TagQueue, UntagQueue, ListQueueTags', () => {
  test('add, overwrite, remove; no tags is no Tags member', async () => {
    const queueUrl = await create('tags');
    const tags = async () => (await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags;
    assert.equal(await tags(), undefined);
    await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { team: 'a', cost: '1' } }));
    await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { team: 'b', 'cost-center': 'z' } }));
    assert.deepEqual(await tags(), { team: 'b', cost: '1', 'cost-center': 'z' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: queueUrl, TagKeys: ['cost', 'not-there'] }));
    assert.deepEqual(await tags(), { team: 'b', 'cost-center': 'z' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: queueUrl, TagKeys: ['team', 'cost-center'] }));
    assert.equal(await tags(), undefined);
    await expectError(sqs.send(new ListQueueTagsCommand({ QueueUrl: urlOf('tags-missing') })), queueDoesNotExist);
    await expectError(sqs.send(new TagQueueCommand({ QueueUrl: urlOf('tags-missing'), Tags: { a: 'b' } })), queueDoesNotExist);
  });

  test('at most 50 tags, keys of 1–128 and values of up to 256 characters', async () => {
    const queueUrl = await create('tag-limits');
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
    await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: fifty }));
    // Overwriting an existing key does not count as a new tag.
    await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { k0: 'new' } }));
    await expectError(sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { k50: 'v' } })), invalidParameterValue('Too many tags added for queue tag-limits.'));
    assert.equal(Object.keys((await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags!).length, 50);

    const other = await create('tag-sizes');
    await sqs.send(new TagQueueCommand({ QueueUrl: other, Tags: { ['k'.repeat(128)]: 'v'.repeat(256) } }));
    await expectError(
      sqs.send(new TagQueueCommand({ QueueUrl: other, Tags: { ['k'.repeat(129)]: 'v' } })),
      invalidParameterValue('Tag keys must be between 1 and 128 characters in length.'),
    );
    await expectError(
      sqs.send(new TagQueueCommand({ QueueUrl: other, Tags: { k: 'v'.repeat(257) } })),
      invalidParameterValue('Tag values must be less than 256 characters in length.'),
    );
    await expectError(
      sqs.send(new CreateQueueCommand({ QueueName: 'tag-too-many', tags: { ...fifty, extra: 'x' } })),
      invalidParameterValue('Too many tags added for queue tag-too-many.'),
    );
    await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: 'tag-too-many' })), queueDoesNotExist);
  });
});

// ── ListDeadLetterSourceQueues ───────────────────────────────────────────────────────────

describe('ListDeadLetterSourceQueues', () => {
  test('the queues whose RedrivePolicy names this one, paginated', async () => {
    const dlq = await create('sources-dlq');
    const list = (input: { MaxResults?: number; NextToken?: string } = {}) => sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, ...input }));
    assert.deepEqual((await list()).queueUrls, []);
    const redrive = JSON.stringify({ deadLetterTargetArn: arnOf('sources-dlq'), maxReceiveCount: 3 });
    for (const name of ['src-1', 'src-2', 'src-3']) await create(name, { RedrivePolicy: redrive });
    await create('src-unrelated');

    const all = await list();
    assert.deepEqual([...all.queueUrls!].sort(), [urlOf('src-1'), urlOf('src-2'), urlOf('src-3')]);
    assert.equal(all.NextToken, undefined);

    const first = await list({ MaxResults: 2 });
    assert.equal(first.queueUrls!.length, 2);
    assert.equal(typeof first.NextToken, 'string');
    const second = await list({ MaxResults: 2, NextToken: first.NextToken });
    assert.equal(second.queueUrls!.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...first.queueUrls!, ...second.queueUrls!].sort(), [urlOf('src-1'), urlOf('src-2'), urlOf('src-3')]);

    await expectError(list({ MaxResults: 0 }), invalidParameterValue('Value 0 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.'));
    await expectError(list({ MaxResults: 1001 }), invalidParameterValue('Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.'));

    // Removing a source's RedrivePolicy, or deleting the source, takes it off the list.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: urlOf('src-2'), Attributes: { RedrivePolicy: '' } }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: urlOf('src-3') }));
    assert.deepEqual((await list()).queueUrls, [urlOf('src-1')]);
    await expectError(sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: urlOf('sources-missing') })), queueDoesNotExist);
  });
});

// ── AddPermission, RemovePermission ──────────────────────────────────────────────────────

describe('AddPermission and RemovePermission', () => {
  test('statements in the queue Policy, as SQS writes them; duplicate and unknown labels', async () => {
    const queueUrl = await create('permitted');
    const arn = arnOf('permitted');
    const policy = async () => {
      const attributes = await attributesOf(queueUrl, ['Policy']);
      return attributes === undefined ? undefined : (JSON.parse(attributes.Policy) as unknown);
    };
    await sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'one', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
    // Recorded against AWS (localstack test_sqs_permission_lifecycle snapshot): Version 2008-10-17,
    // Id "<arn>/SQSDefaultPolicy", a single principal or action as a string, several as an array.
    const one = { Sid: 'one', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SQS:SendMessage', Resource: arn };
    assert.deepEqual(await policy(), { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [one] });

    await sqs.send(
      new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'two', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['ReceiveMessage', 'DeleteMessage', '*'] }),
    );
    const two = {
      Sid: 'two',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] },
      Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage', 'SQS:*'],
      Resource: arn,
    };
    assert.deepEqual(await policy(), { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [one, two] });

    // Recorded: "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists."
    await expectError(
      sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'one', AWSAccountIds: ['444455556666'], Actions: ['SendMessage'] })),
      invalidParameterValue('Value one for parameter Label is invalid. Reason: Already exists.'),
    );
    await sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: 'one' }));
    assert.deepEqual(await policy(), { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [two] });
    // Recorded: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label."
    await expectError(sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: 'one' })), invalidParameterValue("Value one for parameter Label is invalid. Reason: can't find label."));
    // Removing the last statement removes the Policy attribute.
    await sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: 'two' }));
    assert.equal(await policy(), undefined);
    await expectError(sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: 'two' })), invalidParameterValue("Value two for parameter Label is invalid. Reason: can't find label."));
  });

  test('AddPermission appends to a Policy set by hand; labels, actions and accounts are checked', async () => {
    const own = { Version: '2012-10-17', Id: 'mine', Statement: [{ Sid: 'own', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arnOf('hand-policy') }] };
    const queueUrl = await create('hand-policy', { Policy: JSON.stringify(own) });
    await sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'added', AWSAccountIds: ['111122223333'], Actions: ['GetQueueAttributes'] }));
    const policy = JSON.parse((await attributesOf(queueUrl, ['Policy']))!.Policy) as typeof own;
    assert.deepEqual(policy, {
      ...own,
      Statement: [
        ...own.Statement,
        { Sid: 'added', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SQS:GetQueueAttributes', Resource: arnOf('hand-policy') },
      ],
    });
    await expectError(
      sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'own', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
      invalidParameterValue('Value own for parameter Label is invalid. Reason: Already exists.'),
    );
    // Label: "Maximum 80 characters. Allowed characters include alphanumeric characters, hyphens (-), and underscores (_)."
    await sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: `L-_${'x'.repeat(77)}`, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
    for (const label of ['with space', 'x'.repeat(81), 'dot.label']) {
      await expectError(
        sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: label, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
        invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: ${STANDARD_NAME_RULE}`),
      );
    }
    await expectError(
      sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'bad-action', AWSAccountIds: ['111122223333'], Actions: ['CreateQueue'] })),
      invalidParameterValue('Value CreateQueue for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.'),
    );
    await expectError(
      sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'no-accounts', AWSAccountIds: [], Actions: ['SendMessage'] })),
      { name: 'MissingParameter', status: 400, message: 'The request must contain the parameter AWSAccountIds.' },
    );
    await expectError(
      sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'no-actions', AWSAccountIds: ['111122223333'], Actions: [] })),
      { name: 'MissingParameter', status: 400, message: 'The request must contain the parameter Actions.' },
    );
  });
});

// ── Queue URLs ───────────────────────────────────────────────────────────────────────────

describe('queue URL resolution', () => {
  test('the account and name come from the path; the host may be any name of this endpoint', async () => {
    await create('hosts', { DelaySeconds: '4' });
    const viaLocalhost = `${server.url.replace('127.0.0.1', 'localhost')}/${ACCOUNT}/hosts`;
    assert.deepEqual(await attributesOf(viaLocalhost, ['DelaySeconds']), { DelaySeconds: '4' });
    assert.deepEqual(await attributesOf(`http://stratus.internal:4566/${ACCOUNT}/hosts`, ['DelaySeconds']), { DelaySeconds: '4' });
    // A trailing slash is tolerated.
    assert.deepEqual(await attributesOf(`${urlOf('hosts')}/`, ['DelaySeconds']), { DelaySeconds: '4' });
    // A client on another host name gets URLs on that host name.
    const other = server.client(SQSClient, { endpoint: server.url.replace('127.0.0.1', 'localhost') });
    assert.deepEqual((await other.send(new ListQueuesCommand({ QueueNamePrefix: 'hosts' }))).QueueUrls, [viaLocalhost]);
  });

  test('an AWS-style URL names the region in its host', async () => {
    const ireland = server.client(SQSClient, { region: 'eu-west-1' });
    await create('regional', { DelaySeconds: '11' }, ireland);
    await create('regional', { DelaySeconds: '22' }); // the same name in us-east-1
    // The client is in us-east-1, but the URL's host says eu-west-1: as AWS, the URL wins.
    assert.deepEqual(await attributesOf(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/regional`, ['DelaySeconds', 'QueueArn']), {
      DelaySeconds: '11',
      QueueArn: arnOf('regional', ACCOUNT, 'eu-west-1'),
    });
    // Legacy host form <region>.queue.amazonaws.com.
    assert.deepEqual(await attributesOf(`https://eu-west-1.queue.amazonaws.com/${ACCOUNT}/regional`, ['DelaySeconds']), { DelaySeconds: '11' });
    // A Stratus URL carries no region: the caller's region applies.
    assert.deepEqual(await attributesOf(urlOf('regional'), ['DelaySeconds']), { DelaySeconds: '22' });
    assert.deepEqual(await attributesOf(urlOf('regional'), ['DelaySeconds'], ireland), { DelaySeconds: '11' });
    await expectError(attributesOf(`https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/regional`, ['DelaySeconds']), queueDoesNotExist);
  });

  test('a URL that is not a queue URL is InvalidAddress (404)', async () => {
    // Live: "The address https://queue.amazonaws.com/ is not valid for this endpoint." (InvalidAddress, 404).
    for (const address of ['not a url', `${server.url}/${ACCOUNT}`, `${server.url}/${ACCOUNT}/a/b`, `${server.url}/`, 'https://queue.amazonaws.com/']) {
      await expectError(attributesOf(address, ['DelaySeconds']), {
        name: 'InvalidAddress',
        type: InvalidAddress,
        status: 404,
        message: `The address ${address} is not valid for this endpoint.`,
      });
    }
    await expectError(sqs.send(new GetQueueAttributesCommand({} as never)), { name: 'MissingParameter', status: 400, message: 'The request must contain the parameter QueueUrl.' });
  });
});

// ── Concurrency ──────────────────────────────────────────────────────────────────────────

describe('concurrent control-plane calls', () => {
  // SDK clients often create their queues concurrently at start-up, and tools tag or add
  // permissions in parallel: each acknowledged call must take effect ("Acknowledged means
  // stored"), and a race must never surface as InternalFailure.
  test('CreateQueue of one name: one queue; the same attributes get its URL, different ones QueueNameExists', async () => {
    const same = await Promise.allSettled(Array.from({ length: 10 }, () => create('racing-same', { VisibilityTimeout: '31' })));
    assert.deepEqual(
      same.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      Array.from({ length: 10 }, () => urlOf('racing-same')),
    );
    const mixed = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => create('racing-mixed', { DelaySeconds: String(i % 2) })));
    const delay = (await attributesOf(urlOf('racing-mixed'), ['DelaySeconds']))!.DelaySeconds;
    mixed.forEach((r, i) => {
      if (String(i % 2) === delay) assert.equal(r.status === 'fulfilled' ? r.value : String(r.reason), urlOf('racing-mixed'), `call ${i}`);
      else assert.equal(r.status === 'rejected' ? (r.reason as Error).name : 'success', 'QueueNameExists', `call ${i}: ${r.status === 'rejected' ? String(r.reason) : ''}`);
    });
    assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'racing-' }))).QueueUrls, [urlOf('racing-mixed'), urlOf('racing-same')]);
  });

  test('TagQueue, AddPermission and SetQueueAttributes at once: no update is lost', async () => {
    const queueUrl = await create('racing-writes');
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { [`k${i}`]: `v${i}` } }))),
      ...Array.from({ length: 5 }, (_, i) =>
        sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: `p${i}`, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
      ),
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '77' } })),
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { DelaySeconds: '8' } })),
    ]);
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags, { k0: 'v0', k1: 'v1', k2: 'v2', k3: 'v3', k4: 'v4' });
    const attributes = (await attributesOf(queueUrl, ['VisibilityTimeout', 'DelaySeconds', 'Policy']))!;
    assert.equal(attributes.VisibilityTimeout, '77');
    assert.equal(attributes.DelaySeconds, '8');
    const sids = (JSON.parse(attributes.Policy) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
    assert.deepEqual([...sids].sort(), ['p0', 'p1', 'p2', 'p3', 'p4']);

    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => sqs.send(new UntagQueueCommand({ QueueUrl: queueUrl, TagKeys: [`k${i}`] }))),
      ...Array.from({ length: 5 }, (_, i) => sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: `p${i}` }))),
    ]);
    assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags, undefined);
    assert.equal(await attributesOf(queueUrl, ['Policy']), undefined);

    // The same label twice at once: one statement, one "Already exists."
    const twice = await Promise.allSettled(
      [0, 1].map(() => sqs.send(new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'once', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))),
    );
    assert.deepEqual(twice.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)).sort(), [
      'Value once for parameter Label is invalid. Reason: Already exists.',
      'ok',
    ]);
    assert.equal((JSON.parse((await attributesOf(queueUrl, ['Policy']))!.Policy) as { Statement: unknown[] }).Statement.length, 1);
  });
});

// ── Errors on the wire ───────────────────────────────────────────────────────────────────

describe('JSON errors are query compatible', () => {
  test('__type, message and the x-amzn-query-error header the SDKs name the exception from', async () => {
    const call = async (action: string, body: unknown) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}`, 'x-amzn-query-mode': 'true' },
        body: JSON.stringify(body),
      });
      return { status: response.status, header: response.headers.get('x-amzn-query-error'), body: (await response.json()) as unknown };
    };
    assert.deepEqual(await call('GetQueueUrl', { QueueName: 'wire-missing' }), {
      status: 400,
      header: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
      body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
    });
    await create('wire');
    assert.deepEqual(await call('CreateQueue', { QueueName: 'wire', Attributes: { DelaySeconds: '1' } }), {
      status: 400,
      header: 'QueueAlreadyExists;Sender',
      body: { __type: 'com.amazonaws.sqs#QueueNameExists', message: 'A queue already exists with the same name and a different value for attribute DelaySeconds' },
    });
    assert.deepEqual(await call('CreateQueue', { QueueName: 'wire', Attributes: { DelaySeconds: '1000' } }), {
      status: 400,
      header: 'InvalidAttributeValue;Sender',
      body: { __type: 'com.amazonaws.sqs#InvalidAttributeValue', message: 'Invalid value for the parameter DelaySeconds.' },
    });
  });
});
