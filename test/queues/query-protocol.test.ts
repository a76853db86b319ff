/**
 * SQS over the AWS Query protocol (form-encoded requests, XML answers; what older SDKs and
 * boto with the query protocol speak), end to end with raw HTTP: flattened lists and maps
 * (`Attribute.N.*`, `MessageAttribute.N.Value.*`, `SendMessageBatchRequestEntry.N.*`), requests
 * POSTed to the queue's own URL without a QueueUrl parameter, GET requests, credential scopes,
 * and XML error bodies with the legacy codes ("… does not exist for this wsdl version.").
 * Then the AWS CLI v1 (botocore, which speaks JSON 1.0 to SQS in query-compatible mode) as a
 * second, independent client, when it is installed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ACCOUNT = '000000000000';
const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

// ── helpers ──────────────────────────────────────────────────────────────────────────────

interface Answer {
  status: number;
  contentType: string | null;
  requestId: string;
  xml: string;
}

/** POSTs a form-encoded Query request (to `/` or to a queue URL path). */
async function post(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return answer(response);
}

async function get(path: string, params: Record<string, string>): Promise<Answer> {
  return answer(await fetch(`${server.url}${path}?${new URLSearchParams({ Version: '2012-11-05', ...params }).toString()}`));
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, contentType: response.headers.get('content-type'), requestId: response.headers.get('x-amzn-requestid') ?? '', xml: await response.text() };
}

const unescape = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');

/** The inner texts of every `<name>` element (these answers never nest an element in one of its own name). */
function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}
function one(xml: string, name: string): string | undefined {
  const found = all(xml, name);
  assert.ok(found.length <= 1, `more than one <${name}>`);
  return found[0] === undefined ? undefined : unescape(found[0]);
}
/** `<Attribute><Name>n</Name><Value>v</Value></Attribute>` (and Tag's Key/Value) as a record. */
function pairs(xml: string, element: string, key = 'Name'): Record<string, string> {
  return Object.fromEntries(all(xml, element).map((inner) => [one(inner, key)!, one(inner, 'Value')!]));
}

/** The whole success document, as SQS writes it (`result` undefined: an action without output). */
function success(action: string, result: string | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return `<?xml version="1.0"?><${action}Response xmlns="${NS}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** Checks a whole XML error answer. */
function assertError(got: Answer, status: number, code: string, message: string): void {
  assert.equal(got.status, status, got.xml);
  assert.equal(got.contentType, 'text/xml');
  assert.match(got.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(
    got.xml,
    `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message><Detail/></Error><RequestId>${got.requestId}</RequestId></ErrorResponse>`,
  );
}

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

/** MD5OfMessageAttributes as the SQS Developer Guide describes it: names sorted; each name, data
 * type and value length-prefixed (4 bytes, big-endian), with a transport byte 1 (string) or 2 (binary). */
function md5OfAttributes(attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>): string {
  const parts: Buffer[] = [];
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue) {
      parts.push(Buffer.from([2]));
      field(value.BinaryValue);
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(value.StringValue!, 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

const pathOf = (name: string, account = ACCOUNT) => `/${account}/${name}`;
const urlOf = (name: string, account = ACCOUNT) => `${server.url}${pathOf(name, account)}`;

// ── the Query API ────────────────────────────────────────────────────────────────────────

describe('Query protocol: control plane', () => {
  test('CreateQueue with Attribute.N and Tag.N, then GetQueueUrl, GetQueueAttributes, ListQueueTags, ListQueues', async () => {
    const created = await post('/', {
      Action: 'CreateQueue',
      QueueName: 'xml-orders',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '45',
      'Attribute.2.Name': 'DelaySeconds',
      'Attribute.2.Value': '3',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'a/b = c+d@e',
    });
    assert.equal(created.status, 200, created.xml);
    assert.equal(created.contentType, 'text/xml');
    assert.equal(created.xml, success('CreateQueue', `<QueueUrl>${urlOf('xml-orders')}</QueueUrl>`, created.requestId));

    const found = await post('/', { Action: 'GetQueueUrl', QueueName: 'xml-orders' });
    assert.equal(found.xml, success('GetQueueUrl', `<QueueUrl>${urlOf('xml-orders')}</QueueUrl>`, found.requestId));

    const attributes = await post('/', {
      Action: 'GetQueueAttributes',
      QueueUrl: urlOf('xml-orders'),
      'AttributeName.1': 'VisibilityTimeout',
      'AttributeName.2': 'DelaySeconds',
      'AttributeName.3': 'QueueArn',
    });
    assert.equal(attributes.status, 200, attributes.xml);
    assert.deepEqual(pairs(attributes.xml, 'Attribute'), { VisibilityTimeout: '45', DelaySeconds: '3', QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:xml-orders` });
    assert.match(attributes.xml, new RegExp(`^<\\?xml version="1\\.0"\\?><GetQueueAttributesResponse xmlns="${NS}"><GetQueueAttributesResult><Attribute><Name>`));

    const tags = await post(pathOf('xml-orders'), { Action: 'ListQueueTags' });
    assert.equal(tags.xml, success('ListQueueTags', '<Tag><Key>team</Key><Value>a/b = c+d@e</Value></Tag>', tags.requestId));

    const listed = await post('/', { Action: 'ListQueues', QueueNamePrefix: 'xml-ord' });
    assert.equal(listed.xml, success('ListQueues', `<QueueUrl>${urlOf('xml-orders')}</QueueUrl>`, listed.requestId));
    // Nothing to list: an empty result element.
    const none = await post('/', { Action: 'ListQueues', QueueNamePrefix: 'no-such-prefix' });
    assert.equal(none.xml, success('ListQueues', '', none.requestId));
  });

  test('ListQueues pages with MaxResults and NextToken', async () => {
    for (const name of ['xml-page-1', 'xml-page-2', 'xml-page-3']) assert.equal((await post('/', { Action: 'CreateQueue', QueueName: name })).status, 200);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await post('/', { Action: 'ListQueues', QueueNamePrefix: 'xml-page-', MaxResults: '2', ...(token ? { NextToken: token } : {}) });
      assert.equal(page.status, 200, page.xml);
      seen.push(...all(page.xml, 'QueueUrl'));
      token = one(page.xml, 'NextToken');
      pages++;
    } while (token !== undefined);
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), [urlOf('xml-page-1'), urlOf('xml-page-2'), urlOf('xml-page-3')]);
    assertError(
      await post('/', { Action: 'ListQueues', MaxResults: '1001' }),
      400,
      'InvalidParameterValue',
      'Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.',
    );
  });

  test('SetQueueAttributes, AddPermission with AWSAccountId.N/ActionName.N, TagQueue and UntagQueue on the queue URL path', async () => {
    assert.equal((await post('/', { Action: 'CreateQueue', QueueName: 'xml-settings' })).status, 200);
    const path = pathOf('xml-settings');
    const set = await post(path, { Action: 'SetQueueAttributes', 'Attribute.1.Name': 'MaximumMessageSize', 'Attribute.1.Value': '2048' });
    assert.equal(set.xml, success('SetQueueAttributes', undefined, set.requestId));
    const permission = await post(path, {
      Action: 'AddPermission',
      Label: 'partners',
      'AWSAccountId.1': '111122223333',
      'AWSAccountId.2': '444455556666',
      'ActionName.1': 'SendMessage',
    });
    assert.equal(permission.xml, success('AddPermission', undefined, permission.requestId));
    const tagged = await post(path, { Action: 'TagQueue', 'Tag.1.Key': 'a', 'Tag.1.Value': '1', 'Tag.2.Key': 'b', 'Tag.2.Value': '2' });
    assert.equal(tagged.status, 200, tagged.xml);
    assert.equal((await post(path, { Action: 'UntagQueue', 'TagKey.1': 'a' })).status, 200);

    const attributes = await post(path, { Action: 'GetQueueAttributes', 'AttributeName.1': 'MaximumMessageSize', 'AttributeName.2': 'Policy' });
    const got = pairs(attributes.xml, 'Attribute');
    assert.equal(got.MaximumMessageSize, '2048');
    const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:xml-settings`;
    assert.deepEqual(JSON.parse(got.Policy), {
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        { Sid: 'partners', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] }, Action: 'SQS:SendMessage', Resource: arn },
      ],
    });
    assert.deepEqual(pairs((await post(path, { Action: 'ListQueueTags' })).xml, 'Tag', 'Key'), { b: '2' });
  });

  test('the caller account and region come from the SigV4 credential scope', async () => {
    const scoped = { authorization: 'AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00' };
    const created = await post('/', { Action: 'CreateQueue', QueueName: 'xml-scoped' }, scoped);
    assert.equal(one(created.xml, 'QueueUrl'), urlOf('xml-scoped', '123456789012'));
    const attributes = await post(pathOf('xml-scoped', '123456789012'), { Action: 'GetQueueAttributes', 'AttributeName.1': 'QueueArn' }, scoped);
    assert.deepEqual(pairs(attributes.xml, 'Attribute'), { QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:xml-scoped' });
    // Unsigned, the default region: no such queue there.
    assertError(await post(pathOf('xml-scoped', '123456789012'), { Action: 'GetQueueAttributes' }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
  });

  test('GET requests with the parameters in the query string', async () => {
    assert.equal((await post('/', { Action: 'CreateQueue', QueueName: 'xml-get', 'Attribute.1.Name': 'ReceiveMessageWaitTimeSeconds', 'Attribute.1.Value': '7' })).status, 200);
    const found = await get('/', { Action: 'GetQueueUrl', QueueName: 'xml-get' });
    assert.equal(found.status, 200, found.xml);
    assert.equal(found.xml, success('GetQueueUrl', `<QueueUrl>${urlOf('xml-get')}</QueueUrl>`, found.requestId));
    const attributes = await get(pathOf('xml-get'), { Action: 'GetQueueAttributes', 'AttributeName.1': 'ReceiveMessageWaitTimeSeconds' });
    assert.deepEqual(pairs(attributes.xml, 'Attribute'), { ReceiveMessageWaitTimeSeconds: '7' });
  });
});

describe('Query protocol: messages', () => {
  test('SendMessage and SendMessageBatch to the queue URL path, ReceiveMessage with All, DeleteMessageBatch', async () => {
    assert.equal((await post('/', { Action: 'CreateQueue', QueueName: 'xml-messages' })).status, 200);
    const path = pathOf('xml-messages');

    // SendMessage posted to the queue's own URL, without a QueueUrl parameter (as older SDKs do).
    const body = 'hello & <world> ✓';
    const colour = { colour: { DataType: 'String', StringValue: 'réd' } };
    const sent = await post(path, {
      Action: 'SendMessage',
      MessageBody: body,
      'MessageAttribute.1.Name': 'colour',
      'MessageAttribute.1.Value.StringValue': 'réd',
      'MessageAttribute.1.Value.DataType': 'String',
    });
    assert.equal(sent.status, 200, sent.xml);
    const firstId = one(sent.xml, 'MessageId')!;
    assert.match(firstId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(
      sent.xml,
      success(
        'SendMessage',
        `<MD5OfMessageBody>${md5(body)}</MD5OfMessageBody><MD5OfMessageAttributes>${md5OfAttributes(colour)}</MD5OfMessageAttributes><MessageId>${firstId}</MessageId>`,
        sent.requestId,
      ),
    );

    const blob = Buffer.from([0, 1, 2, 250, 255]);
    const batch = await post('/', {
      Action: 'SendMessageBatch',
      QueueUrl: urlOf('xml-messages'),
      'SendMessageBatchRequestEntry.1.Id': 'first',
      'SendMessageBatchRequestEntry.1.MessageBody': 'batch one',
      'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name': 'count',
      'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue': '42',
      'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType': 'Number',
      'SendMessageBatchRequestEntry.1.MessageAttribute.2.Name': 'raw',
      'SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.BinaryValue': blob.toString('base64'),
      'SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.DataType': 'Binary',
      'SendMessageBatchRequestEntry.2.Id': 'second',
      'SendMessageBatchRequestEntry.2.MessageBody': 'batch two',
    });
    assert.equal(batch.status, 200, batch.xml);
    const entries = all(batch.xml, 'SendMessageBatchResultEntry');
    assert.equal(entries.length, 2);
    assert.equal(all(batch.xml, 'BatchResultErrorEntry').length, 0);
    assert.deepEqual(
      entries.map((e) => [one(e, 'Id'), one(e, 'MD5OfMessageBody'), one(e, 'MD5OfMessageAttributes')]),
      [
        ['first', md5('batch one'), md5OfAttributes({ count: { DataType: 'Number', StringValue: '42' }, raw: { DataType: 'Binary', BinaryValue: blob } })],
        ['second', md5('batch two'), undefined],
      ],
    );
    const ids = new Map([[body, firstId], ...entries.map((e): [string, string] => [one(e, 'Id') === 'first' ? 'batch one' : 'batch two', one(e, 'MessageId')!])]);

    const received = await post(path, { Action: 'ReceiveMessage', 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All', MaxNumberOfMessages: '10', VisibilityTimeout: '60' });
    assert.equal(received.status, 200, received.xml);
    const messages = all(received.xml, 'Message');
    assert.equal(messages.length, 3);
    const handles: string[] = [];
    for (const m of messages) {
      const text = one(m, 'Body')!;
      assert.equal(one(m, 'MessageId'), ids.get(text), text);
      assert.equal(one(m, 'MD5OfBody'), md5(text));
      handles.push(one(m, 'ReceiptHandle')!);
      const system = pairs(m.replace(/<MessageAttribute>[\s\S]*?<\/MessageAttribute>/g, ''), 'Attribute');
      assert.deepEqual(Object.keys(system).sort(), ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
      assert.equal(system.ApproximateReceiveCount, '1');
      assert.match(system.SentTimestamp, /^\d{13}$/);
      assert.match(system.ApproximateFirstReceiveTimestamp, /^\d{13}$/);
      const attributes = Object.fromEntries(
        all(m, 'MessageAttribute').map((a) => {
          const value = all(a, 'Value')[0];
          return [one(a, 'Name'), { DataType: one(value, 'DataType'), StringValue: one(value, 'StringValue'), BinaryValue: one(value, 'BinaryValue') }];
        }),
      );
      if (text === body) {
        assert.deepEqual(attributes, { colour: { DataType: 'String', StringValue: 'réd', BinaryValue: undefined } });
        assert.equal(one(m, 'MD5OfMessageAttributes'), md5OfAttributes(colour));
      } else if (text === 'batch one') {
        assert.deepEqual(attributes, {
          count: { DataType: 'Number', StringValue: '42', BinaryValue: undefined },
          raw: { DataType: 'Binary', StringValue: undefined, BinaryValue: blob.toString('base64') },
        });
      } else {
        assert.deepEqual(attributes, {});
        assert.equal(one(m, 'MD5OfMessageAttributes'), undefined);
      }
    }

    const deleted = await post(path, {
      Action: 'DeleteMessageBatch',
      'DeleteMessageBatchRequestEntry.1.Id': 'd1',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': handles[0],
      'DeleteMessageBatchRequestEntry.2.Id': 'd2',
      'DeleteMessageBatchRequestEntry.2.ReceiptHandle': handles[1],
      'DeleteMessageBatchRequestEntry.3.Id': 'bad',
      'DeleteMessageBatchRequestEntry.3.ReceiptHandle': 'bogus',
    });
    assert.equal(deleted.status, 200, deleted.xml);
    assert.deepEqual(all(deleted.xml, 'DeleteMessageBatchResultEntry').map((e) => one(e, 'Id')), ['d1', 'd2']);
    // Live: 'The input receipt handle "fake" is not a valid receipt handle.' (ReceiptHandleIsInvalid).
    assert.deepEqual(
      all(deleted.xml, 'BatchResultErrorEntry').map((e) => [one(e, 'Id'), one(e, 'SenderFault'), one(e, 'Code'), one(e, 'Message')]),
      [['bad', 'true', 'ReceiptHandleIsInvalid', 'The input receipt handle "bogus" is not a valid receipt handle.']],
    );

    const counts = await post(path, {
      Action: 'GetQueueAttributes',
      'AttributeName.1': 'ApproximateNumberOfMessages',
      'AttributeName.2': 'ApproximateNumberOfMessagesNotVisible',
      'AttributeName.3': 'ApproximateNumberOfMessagesDelayed',
    });
    assert.deepEqual(pairs(counts.xml, 'Attribute'), { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '0' });

    const purged = await post(path, { Action: 'PurgeQueue' });
    assert.equal(purged.xml, success('PurgeQueue', undefined, purged.requestId));
    const empty = await post(path, { Action: 'ReceiveMessage' });
    assert.equal(empty.status, 200, empty.xml);
    assert.equal(all(empty.xml, 'Message').length, 0);
  });
});

describe('Query protocol: XML errors with the legacy codes', () => {
  test('NonExistentQueue, by name and at a queue URL path', async () => {
    // Query wording (localstack test_non_existent_queue snapshot): "... for this wsdl version."
    assertError(await post('/', { Action: 'GetQueueUrl', QueueName: 'xml-missing' }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
    assertError(await post(pathOf('xml-missing'), { Action: 'SendMessage', MessageBody: 'x' }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
    assertError(await post('/', { Action: 'DeleteQueue', QueueUrl: urlOf('xml-missing') }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
  });

  test('QueueAlreadyExists, InvalidAttributeValue, InvalidAttributeName, InvalidParameterValue, MissingParameter', async () => {
    assert.equal((await post('/', { Action: 'CreateQueue', QueueName: 'xml-errors', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '1' })).status, 200);
    assertError(
      await post('/', { Action: 'CreateQueue', QueueName: 'xml-errors', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '2' }),
      400,
      'QueueAlreadyExists',
      'A queue already exists with the same name and a different value for attribute DelaySeconds',
    );
    assertError(
      await post('/', { Action: 'CreateQueue', QueueName: 'xml-errors-2', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '901' }),
      400,
      'InvalidAttributeValue',
      'Invalid value for the parameter DelaySeconds.',
    );
    assertError(await post(pathOf('xml-errors'), { Action: 'GetQueueAttributes', 'AttributeName.1': 'FifoQueue' }), 400, 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    assertError(
      await post('/', { Action: 'CreateQueue', QueueName: 'bad name' }),
      400,
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
    assertError(await post('/', { Action: 'CreateQueue' }), 400, 'MissingParameter', 'The request must contain the parameter QueueName.');
    // Neither a QueueUrl parameter nor a queue URL path.
    assertError(await post('/', { Action: 'GetQueueAttributes' }), 400, 'MissingParameter', 'The request must contain the parameter QueueUrl.');
  });

  test('PurgeQueueInProgress (403), InvalidAddress (404), an unknown action', async () => {
    assert.equal((await post('/', { Action: 'CreateQueue', QueueName: 'xml-purge' })).status, 200);
    assert.equal((await post(pathOf('xml-purge'), { Action: 'PurgeQueue' })).status, 200);
    assertError(await post(pathOf('xml-purge'), { Action: 'PurgeQueue' }), 403, 'AWS.SimpleQueueService.PurgeQueueInProgress', 'Only one PurgeQueue operation on xml-purge is allowed every 60 seconds.');
    assertError(await post('/', { Action: 'GetQueueAttributes', QueueUrl: 'nonsense' }), 404, 'InvalidAddress', 'The address nonsense is not valid for this endpoint.');
    const unknown = await post('/', { Action: 'MakeCoffee' });
    assert.equal(unknown.status, 400);
    assert.equal(one(unknown.xml, 'Code'), 'InvalidAction');
    assert.equal(one(unknown.xml, 'Message'), 'The action MakeCoffee is not valid for this endpoint.');
  });
});

// ── AWS CLI v1 ───────────────────────────────────────────────────────────────────────────

describe('AWS CLI v1 (botocore, JSON in query-compatible mode)', { skip: awsCliInstalled ? false : 'the aws executable is not installed: AWS CLI checks skipped' }, () => {
  let cli: AwsCli;
  before(() => {
    cli = awsCli(server.url);
  });
  after(() => cli.cleanup());

  const aws = (...args: string[]) => cli.run('sqs', ...args);
  const queueUrl = () => urlOf('cli-queue', '123456789012');

  test('create-queue, get-queue-attributes, send-message and receive-message (the MD5s checked here)', async () => {
    const created = await aws('create-queue', '--queue-name', 'cli-queue', '--attributes', 'DelaySeconds=0,VisibilityTimeout=40', '--tags', 'team=cli');
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(JSON.parse(created.stdout), { QueueUrl: queueUrl() });
    const [attributes, sent] = await Promise.all([
      aws('get-queue-attributes', '--queue-url', queueUrl(), '--attribute-names', 'VisibilityTimeout', 'QueueArn'),
      aws('send-message', '--queue-url', queueUrl(), '--message-body', 'from the cli', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}'),
    ]);
    assert.equal(attributes.code, 0, attributes.stderr);
    assert.deepEqual(JSON.parse(attributes.stdout), { Attributes: { VisibilityTimeout: '40', QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:cli-queue' } });
    assert.equal(sent.code, 0, sent.stderr);
    const sentOut = JSON.parse(sent.stdout) as { MD5OfMessageBody: string; MD5OfMessageAttributes: string; MessageId: string };
    assert.equal(sentOut.MD5OfMessageBody, md5('from the cli'));
    assert.equal(sentOut.MD5OfMessageAttributes, md5OfAttributes({ k: { DataType: 'String', StringValue: 'v' } }));
    const received = await aws('receive-message', '--queue-url', queueUrl(), '--message-attribute-names', 'All');
    assert.equal(received.code, 0, received.stderr);
    const message = (JSON.parse(received.stdout) as { Messages: { MessageId: string; Body: string; MessageAttributes: unknown }[] }).Messages[0];
    assert.equal(message.MessageId, sentOut.MessageId);
    assert.equal(message.Body, 'from the cli');
    assert.deepEqual(message.MessageAttributes, { k: { StringValue: 'v', DataType: 'String' } });
  });

  test('errors carry the legacy query codes', async () => {
    const [missing, conflict] = await Promise.all([
      aws('get-queue-url', '--queue-name', 'cli-missing'),
      aws('create-queue', '--queue-name', 'cli-queue', '--attributes', 'VisibilityTimeout=41'),
    ]);
    assert.equal(missing.code, 255);
    assert.equal(missing.stderr.trim(), 'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.');
    assert.equal(conflict.code, 255);
    assert.equal(
      conflict.stderr.trim(),
      'An error occurred (QueueAlreadyExists) when calling the CreateQueue operation: A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    );
  });
});
