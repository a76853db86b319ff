/**
 * The AWS CLI (botocore) against each protocol: a second, independent client implementation
 * of the same wire formats. Skipped, saying so, where no `aws` executable is installed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from './support/aws-cli.js';
import { probeModules } from './support/probe-services.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('AWS CLI', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
  let server: TestServer;
  let cli: AwsCli;
  before(async () => {
    server = await startTestServer({ services: probeModules() });
    cli = awsCli(server.url);
  });
  after(async () => {
    await server.stop();
    cli.cleanup();
  });

  const aws = (...args: string[]) => cli.run(...args);

  test('JSON 1.0: sqs get-queue-url, and a named error', async () => {
    const ok = await aws('sqs', 'get-queue-url', '--queue-name', 'orders');
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { QueueUrl: `${server.url}/123456789012/orders` });
    const missing = await aws('sqs', 'get-queue-url', '--queue-name', 'missing');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /\((AWS\.SimpleQueueService\.NonExistentQueue|QueueDoesNotExist)\) when calling the GetQueueUrl operation: The specified queue does not exist\./);
  });

  test('Query: sns create-topic with attributes and tags, list-topics', async () => {
    const created = await aws('sns', 'create-topic', '--name', 'orders', '--attributes', 'DisplayName=Shop', '--tags', 'Key=team,Value=web');
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(JSON.parse(created.stdout), { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders-DisplayName=Shop,team~web' });
    const listed = await aws('sns', 'list-topics');
    assert.equal(JSON.parse(listed.stdout).Topics.length, 2);
  });

  test('REST-JSON: lambda get-function and invoke', async () => {
    const fn = await aws('lambda', 'get-function', '--function-name', 'my-fn');
    assert.equal(fn.code, 0, fn.stderr);
    assert.equal(JSON.parse(fn.stdout).Configuration.FunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:my-fn');
    const outfile = join(cli.home, 'out.json');
    const invoked = await aws('lambda', 'invoke', '--function-name', 'echo', '--payload', '{"x":2}', outfile);
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.equal(JSON.parse(invoked.stdout).StatusCode, 200);
    assert.deepEqual(JSON.parse(readFileSync(outfile, 'utf8')), { echo: { x: 2 }, fn: 'echo' });
    const missing = await aws('lambda', 'get-function', '--function-name', 'missing');
    assert.match(missing.stderr, /\(ResourceNotFoundException\) when calling the GetFunction operation: Function not found/);
  });
});
