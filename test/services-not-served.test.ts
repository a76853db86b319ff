/**
 * A request for an AWS service Stratus does not serve gets that service's own error shape (SNS:
 * Query XML, DynamoDB: JSON 1.0, S3: REST-XML, CloudWatch: RPC v2 CBOR, ...) with a message
 * naming the service and pointing at /_stratus/info: a 4xx no SDK retries. The service is known
 * by its credential scope, its X-Amz-Target prefix or its path; whether it is served comes from
 * the running server's services alone, so one that lands is served at once.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { cbor } from '@smithy/core/cbor';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { t } from '../src/protocol/shapes.js';
import { AWS_SERVICES } from '../src/server/aws-services.js';
import { builtinServices } from '../src/server/builtin-services.js';
import type { ServiceModule } from '../src/server/runtime.js';
import { awsCli, awsCliInstalled, type AwsCli } from './support/aws-cli.js';
import { probeModules } from './support/probe-services.js';
import { startTestServer, type TestServer } from './support/server.js';
import { botocoreInstalled, readXmlWithBotocore } from './support/strict-xml.js';

const SCOPE = (service: string): string => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
const notServed = (url: string, name: string, operation: string): string =>
  `Stratus does not serve ${name} yet, so it cannot answer ${operation}. The services it serves are listed at ${url}/_stratus/info.`;

type AwsError = Error & { $metadata: { httpStatusCode?: number; attempts?: number } };

describe('services Stratus does not serve', () => {
  let server: TestServer;
  // Every built-in service but SNS: SNS stands for a Query service not served (the built-in
  // services include it now; the answer to one left out is the same for any of them).
  before(async () => (server = await startTestServer({ services: builtinServices.filter((s) => s.name !== 'topics') })));
  after(() => server.stop());

  describe('with the AWS CLI v1', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
    let cli: AwsCli;
    before(() => (cli = awsCli(server.url)));
    after(() => cli.cleanup());

    const cases: [string[], string, string, string][] = [
      [['sns', 'list-topics'], 'InvalidAction', 'ListTopics', 'Amazon Simple Notification Service (SNS)'],
      [['dynamodb', 'list-tables'], 'UnknownOperationException', 'ListTables', 'Amazon DynamoDB'],
      [['s3', 'ls'], 'InvalidRequest', 'ListBuckets', 'Amazon Simple Storage Service (S3)'],
      [['cloudwatch', 'list-metrics'], 'UnknownOperationException', 'ListMetrics', 'Amazon CloudWatch'],
      [['kinesis', 'list-streams'], 'UnknownOperationException', 'ListStreams', 'Amazon Kinesis'],
      [['scheduler', 'list-schedules'], 'UnknownOperationException', 'ListSchedules', 'Amazon EventBridge Scheduler'],
      [['sts', 'get-caller-identity'], 'InvalidAction', 'GetCallerIdentity', 'AWS Security Token Service (STS)'],
    ];
    test('each command fails at once, saying which service is not served and where to look', async () => {
      // Run side by side: each CLI start costs a second or two.
      const outs = await Promise.all(cases.map(([args]) => cli.run(...args)));
      cases.forEach(([args, code, operation, name], i) => {
        const out = outs[i];
        assert.notEqual(out.code, 0, args.join(' '));
        const said = /An error occurred \((\w+)\) when calling the (\w+) operation: (.*)/.exec(out.stderr);
        assert.ok(said, out.stderr);
        assert.equal(said[1], code, args.join(' '));
        assert.equal(said[2], operation);
        assert.match(said[3], new RegExp(`^Stratus does not serve ${name.replace(/[()]/g, '\\$&')} yet, so it cannot answer \\S+( /\\S*)?\\. The services it serves are listed at ${server.url}/_stratus/info\\.$`));
      });
    });
  });

  test('the SDK: SNS (Query) and DynamoDB (JSON 1.0) name the service, once: a client error, not retried', async () => {
    const sns = (await server.client(SNSClient, { maxAttempts: 3 }).send(new ListTopicsCommand({})).catch((e: AwsError) => e)) as AwsError;
    assert.equal(sns.name, 'InvalidAction');
    assert.equal(sns.message, notServed(server.url, 'Amazon Simple Notification Service (SNS)', 'ListTopics'));
    assert.deepEqual([sns.$metadata.httpStatusCode, sns.$metadata.attempts], [400, 1]);
    const ddb = (await server.client(DynamoDBClient, { maxAttempts: 3 }).send(new ListTablesCommand({})).catch((e: AwsError) => e)) as AwsError;
    assert.equal(ddb.name, 'UnknownOperationException');
    assert.equal(ddb.message, notServed(server.url, 'Amazon DynamoDB', 'ListTables'));
    assert.deepEqual([ddb.$metadata.httpStatusCode, ddb.$metadata.attempts], [400, 1]);
  });

  test('JSON answers carry the service version: DynamoDB is JSON 1.0, Kinesis 1.1', async () => {
    for (const [target, version] of [['DynamoDB_20120810.ListTables', '1.0'], ['Kinesis_20131202.ListStreams', '1.1']]) {
      const res = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${version}` }, body: '{}' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), `application/x-amz-json-${version}`);
      const body = (await res.json()) as { __type: string; message: string };
      assert.equal(body.__type, 'UnknownOperationException');
      assert.match(body.message, /^Stratus does not serve Amazon (DynamoDB|Kinesis) yet, so it cannot answer List(Tables|Streams)\./);
    }
  });

  test('S3 answers in REST-XML, read by botocore', { skip: !botocoreInstalled && 'botocore is not installed' }, async () => {
    const res = await fetch(`${server.url}/my-bucket/key.txt`, { method: 'PUT', headers: { authorization: SCOPE('s3') }, body: 'data' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/xml');
    assert.match(res.headers.get('x-amz-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const [read] = await readXmlWithBotocore([{ status: res.status, body: await res.text(), protocol: 'rest-xml' }]);
    assert.deepEqual([read.ok, read.code, read.message], [true, 'InvalidRequest', notServed(server.url, 'Amazon Simple Storage Service (S3)', 'PUT /my-bucket/key.txt')]);
  });

  test('CloudWatch over RPC v2 CBOR: a CBOR error the SDK decodes', async () => {
    const res = await fetch(`${server.url}/service/GraniteServiceVersion20100801/operation/ListMetrics`, {
      method: 'POST',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor', authorization: SCOPE('monitoring') },
      body: new Uint8Array(cbor.serialize({})),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('smithy-protocol'), 'rpc-v2-cbor');
    assert.equal(res.headers.get('content-type'), 'application/cbor');
    assert.deepEqual(cbor.deserialize(new Uint8Array(await res.arrayBuffer())), {
      __type: 'UnknownOperationException',
      message: notServed(server.url, 'Amazon CloudWatch', 'ListMetrics'),
    });
  });

  test('unsigned, a REST service is known by its path', async () => {
    for (const [path, name] of [['/v1/apis', 'AWS AppSync'], ['/v1/pipes/abc', 'Amazon EventBridge Pipes'], ['/schedules', 'Amazon EventBridge Scheduler']]) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
      assert.equal(((await res.json()) as { message: string }).message, notServed(server.url, name, `GET ${path}`));
    }
    // A path no service owns is still the plain unknown operation.
    const nowhere = await fetch(`${server.url}/no/such/thing`);
    assert.equal(nowhere.status, 404);
    assert.equal(nowhere.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });

  test('the table agrees with the services Stratus serves (signing names, target prefixes, protocols)', async () => {
    const info = (await (await fetch(`${server.url}/_stratus/info`)).json()) as { services: { name: string; protocols: string[]; targetPrefix?: string }[] };
    assert.ok(info.services.length >= 4);
    for (const served of info.services) {
      const entry = AWS_SERVICES.find((s) => s.signingName === served.name && (served.targetPrefix === undefined || s.targetPrefix === served.targetPrefix));
      assert.ok(entry, served.name);
      assert.deepEqual(
        served.protocols.map((p) => p.replace(/^json-.*/, 'json')).sort(),
        [...entry.protocols].sort(),
        served.name,
      );
      for (const p of served.protocols.filter((p) => p.startsWith('json-'))) assert.equal(p, `json-${entry.jsonVersion}`);
    }
  });

  test('a service Stratus serves is never answered as not served', async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.NoSuchAction', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    assert.equal(((await res.json()) as { __type: string }).__type, 'com.amazonaws.sqs#UnknownOperationException');
  });
});

describe('a service that lands is served at once', () => {
  // A DynamoDB of one action, as the service that lands next would define it.
  const dynamodb: ServiceModule = {
    name: 'dynamodb',
    create: () => ({
      definition: {
        signingName: 'dynamodb',
        json: { version: '1.0', targetPrefix: 'DynamoDB_20120810' },
        actions: [{ name: 'ListTables', input: t.struct({}), output: t.struct({ TableNames: t.list(t.string()) }), handler: () => ({ TableNames: ['landed'] }) }],
      },
    }),
  };
  let server: TestServer;
  before(async () => (server = await startTestServer({ services: [...probeModules(), dynamodb] })));
  after(() => server.stop());

  test('SNS (a probe here) and DynamoDB answer; DynamoDB Streams, sharing its signing name, is still not served', async () => {
    const topics = await server.client(SNSClient).send(new ListTopicsCommand({}));
    assert.equal(topics.$metadata.httpStatusCode, 200);
    const tables = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0', authorization: SCOPE('dynamodb') }, body: '{}' });
    assert.deepEqual(await tables.json(), { TableNames: ['landed'] });
    const streams = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'DynamoDBStreams_20120810.ListStreams', 'content-type': 'application/x-amz-json-1.0', authorization: SCOPE('dynamodb') }, body: '{}' });
    assert.match(((await streams.json()) as { message: string }).message, /^Stratus does not serve Amazon DynamoDB Streams yet/);
  });
});
