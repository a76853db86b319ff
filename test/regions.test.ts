/**
 * The region of a credential scope is checked at the edge, before anything uses it: one that
 * is not a region name (`..`, 300 characters, `aws-global`, `US-EAST-1`) gets the error AWS
 * gives a credential scoped to an invalid region, in each protocol, and reaches no service —
 * no queue URL, no ARN, no folder of the code store is ever built from it.
 */
import { ListFunctionsCommand, LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCommand, UsageError } from '../src/cli/args.js';
import { makeZip } from './functions/control-plane-support.js';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { botocoreInstalled, readXmlWithBotocore } from './support/strict-xml.js';

const auth = (region: string, service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
const message = (region: string): string => `Credential should be scoped to a valid region, not '${region}'. `;
const LONG = 'r'.repeat(300);

/** Every file and folder under `dir`, relative to it. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      out.push(relative(dir, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out.sort();
}

describe('a credential scope whose region is not a region name', () => {
  const outer = tempDataDir();
  const dataDir = join(outer.dir, 'data');
  let server: TestServer;
  before(async () => (server = await startTestServer({ config: { inMemory: false, dataDir } })));
  after(async () => {
    await server.stop();
    outer.cleanup();
  });

  const send = (path: string, headers: Record<string, string>, body?: string, method = 'POST') => fetch(`${server.url}${path}`, { method, headers, body });

  test('JSON: InvalidSignatureException, 400, with AWS text', async () => {
    for (const region of ['..', LONG, 'aws-global', 'US-EAST-1', 'us_east_1', 'local', 'us-east-']) {
      const res = await send('/', { 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0', authorization: auth(region, 'sqs') }, '{"QueueName":"q"}');
      assert.equal(res.status, 400, region);
      const body = (await res.json()) as { __type: string; message: string };
      assert.equal(body.__type, 'com.amazonaws.sqs#InvalidSignatureException');
      assert.equal(body.message, message(region.length > 64 ? `${region.slice(0, 64)}…` : region));
    }
  });

  test('Query: SignatureDoesNotMatch, 403, read by botocore', { skip: !botocoreInstalled && 'botocore is not installed' }, async () => {
    const answers = [];
    for (const region of ['..', LONG]) {
      const res = await send('/', { 'content-type': 'application/x-www-form-urlencoded', authorization: auth(region, 'sqs') }, 'Action=CreateQueue&QueueName=q');
      answers.push({ status: res.status, body: await res.text() });
    }
    // A presigned URL carries its scope in X-Amz-Credential.
    const presigned = await send(`/?Action=ListQueues&X-Amz-Credential=${encodeURIComponent('test/20260101/../sqs/aws4_request')}`, {}, undefined, 'GET');
    answers.push({ status: presigned.status, body: await presigned.text() });
    assert.deepEqual(answers.map((a) => a.status), [403, 403, 403]);
    const verdicts = await readXmlWithBotocore(answers);
    assert.deepEqual(
      verdicts.map((v) => [v.ok, v.code, v.message]),
      [
        [true, 'SignatureDoesNotMatch', message('..')],
        [true, 'SignatureDoesNotMatch', message(`${'r'.repeat(64)}…`)],
        [true, 'SignatureDoesNotMatch', message('..')],
      ],
    );
  });

  test('REST-JSON: InvalidSignatureException, 403, and no layer or function is written anywhere', async () => {
    const before = tree(outer.dir);
    const zip = (await makeZip({ 'nodejs/index.js': 'exports.x = 1;' })).toString('base64');
    for (const region of ['..', LONG]) {
      const layer = await send('/2018-10-31/layers/layers/versions', { 'content-type': 'application/json', authorization: auth(region, 'lambda') }, JSON.stringify({ Content: { ZipFile: zip } }));
      assert.equal(layer.status, 403);
      assert.equal(layer.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
      const fn = await send(
        '/2015-03-31/functions',
        { 'content-type': 'application/json', authorization: auth(region, 'lambda') },
        JSON.stringify({ FunctionName: '000000000000', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', Code: { ZipFile: zip } }),
      );
      assert.equal(fn.status, 403);
      assert.equal(((await fn.json()) as { message: string }).message, message(region.length > 64 ? `${region.slice(0, 64)}…` : region));
    }
    assert.deepEqual(tree(outer.dir), before);
    const lambda = server.client(LambdaClient);
    assert.deepEqual((await lambda.send(new ListLayersCommand({}))).Layers, []);
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
  });

  test('the SDK: a region it lets through but AWS would refuse gets the same answer', async () => {
    for (const region of ['aws-global', 'US-EAST-1', 'local']) {
      await assert.rejects(server.client(SQSClient, { region }).send(new ListQueuesCommand({})), (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(error.name, 'InvalidSignatureException');
        assert.equal(error.message, message(region));
        assert.equal(error.$metadata.httpStatusCode, 400);
        return true;
      });
    }
    // Regions of every partition work.
    for (const region of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'ap-southeast-7', 'eusc-de-east-1']) {
      const out = await server.client(SQSClient, { region }).send(new ListQueuesCommand({}));
      assert.equal(out.$metadata.httpStatusCode, 200, region);
    }
  });
});

describe('with signature checking on', () => {
  const KEY = { accessKeyId: 'AKIDREGIONTEST', secretAccessKey: 'secret' };
  let server: TestServer;
  before(async () => (server = await startTestServer({ config: { verifySignatures: true, accessKeys: [KEY] } })));
  after(() => server.stop());

  test('a request correctly signed for an invalid region is refused all the same', async () => {
    await assert.rejects(server.client(SQSClient, { region: 'aws-global', credentials: KEY }).send(new ListQueuesCommand({})), {
      name: 'InvalidSignatureException',
      message: message('aws-global'),
    });
    const out = await server.client(SQSClient, { region: 'eu-west-3', credentials: KEY }).send(new ListQueuesCommand({}));
    assert.equal(out.$metadata.httpStatusCode, 200);
  });
});

describe('stratus start --region', () => {
  test('a region name is taken, anything else refused', () => {
    assert.equal(parseCommand(['start', '--region', 'eu-central-2'], {}).config.defaultRegion, 'eu-central-2');
    for (const region of ['..', 'US-EAST-1', 'aws-global', 'r'.repeat(300), '']) {
      assert.throws(() => parseCommand(['start', '--region', region], {}), (error: Error) => error instanceof UsageError && /is not a region name/.test(error.message), region);
    }
  });
});
