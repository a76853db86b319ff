/**
 * CloudWatch Logs through the AWS CLI (botocore: a second, independent client of the same wire
 * format). `aws logs tail` is an AWS CLI v2 command: with v2 installed it is run with --follow
 * against the server; with v1 that test is skipped, saying so, and the same calls tail makes
 * (FilterLogEvents from a start time, paginated) are made with `aws logs filter-log-events`.
 * Everything is skipped, saying so, where no `aws` executable is installed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, awsCliV2, awsCliVersion, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('CloudWatch Logs with the AWS CLI', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
  let server: TestServer;
  let cli: AwsCli;
  before(async () => {
    server = await startTestServer();
    cli = awsCli(server.url);
  });
  after(async () => {
    await server.stop();
    cli.cleanup();
  });

  const aws = (...args: string[]) => cli.run(...args);
  const ok = async (...args: string[]): Promise<any> => {
    const out = await aws(...args);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim() ? JSON.parse(out.stdout) : undefined;
  };

  test('create, put, get and filter; errors by name', async () => {
    await ok('logs', 'create-log-group', '--log-group-name', '/cli/app', '--tags', 'team=web');
    await ok('logs', 'create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'i-1');
    const now = Date.now();
    const events = [
      { timestamp: now - 2000, message: 'GET /health 200' },
      { timestamp: now - 1000, message: '{"level":"ERROR","msg":"boom"}' },
    ];
    const put = await ok('logs', 'put-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'i-1', '--log-events', JSON.stringify(events));
    assert.equal(put.rejectedLogEventsInfo, undefined);
    const groups = await ok('logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/');
    assert.equal(groups.logGroups[0].arn, 'arn:aws:logs:eu-west-1:123456789012:log-group:/cli/app:*');
    const got = await ok('logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'i-1', '--start-from-head');
    assert.deepEqual(got.events.map((e: { message: string }) => e.message), events.map((e) => e.message));
    const filtered = await ok('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.level = "ERROR" }');
    assert.deepEqual(filtered.events.map((e: { message: string; logStreamName: string }) => [e.logStreamName, e.message]), [['i-1', events[1].message]]);

    const dup = await aws('logs', 'create-log-group', '--log-group-name', '/cli/app');
    assert.match(dup.stderr, /\(ResourceAlreadyExistsException\) when calling the CreateLogGroup operation: The specified log group already exists/);
    const missing = await aws('logs', 'get-log-events', '--log-group-name', '/cli/none', '--log-stream-name', 'x');
    assert.match(missing.stderr, /\(ResourceNotFoundException\) when calling the GetLogEvents operation: The specified log group does not exist\./);
    const badPattern = await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.level = "ERROR"');
    assert.match(badPattern.stderr, /\(InvalidParameterException\).*If a filter pattern starts with '\{' it must end with '\}'/);
  });

  test('the calls `aws logs tail` makes: filter-log-events from a start time, paginated by the CLI', async () => {
    await ok('logs', 'create-log-group', '--log-group-name', '/cli/tail');
    const now = Date.now();
    for (const stream of ['a', 'b']) {
      await ok('logs', 'create-log-stream', '--log-group-name', '/cli/tail', '--log-stream-name', stream);
      const events = Array.from({ length: 5 }, (_, i) => ({ timestamp: now - 10_000 + i * 1000 + (stream === 'b' ? 500 : 0), message: `${stream}${i}` }));
      await ok('logs', 'put-log-events', '--log-group-name', '/cli/tail', '--log-stream-name', stream, '--log-events', JSON.stringify(events));
    }
    // --page-size 3 makes the CLI follow nextToken across four pages.
    const out = await ok('logs', 'filter-log-events', '--log-group-name', '/cli/tail', '--start-time', String(now - 60_000), '--interleaved', '--page-size', '3');
    assert.deepEqual(
      out.events.map((e: { message: string }) => e.message),
      ['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4'],
    );
  });

  test('aws logs tail --follow', { skip: awsCliV2 ? false : `aws logs tail needs AWS CLI v2 (found ${awsCliVersion})` }, async () => {
    await ok('logs', 'create-log-group', '--log-group-name', '/cli/follow');
    await ok('logs', 'create-log-stream', '--log-group-name', '/cli/follow', '--log-stream-name', 's');
    await ok('logs', 'put-log-events', '--log-group-name', '/cli/follow', '--log-stream-name', 's', '--log-events', JSON.stringify([{ timestamp: Date.now(), message: 'first line' }]));
    const tail = spawn('aws', ['--endpoint-url', server.url, 'logs', 'tail', '/cli/follow', '--follow', '--since', '5m', '--format', 'short'], { env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    tail.stdout.on('data', (d: Buffer) => (output += d.toString()));
    tail.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const waitFor = async (text: string): Promise<void> => {
      const until = Date.now() + 20_000;
      while (!output.includes(text)) {
        if (Date.now() > until || tail.exitCode !== null) assert.fail(`aws logs tail did not print ${JSON.stringify(text)}:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor('first line');
      await ok('logs', 'put-log-events', '--log-group-name', '/cli/follow', '--log-stream-name', 's', '--log-events', JSON.stringify([{ timestamp: Date.now(), message: 'second line' }]));
      await waitFor('second line');
      assert.equal(output.split('first line').length, 2, 'each event is printed once');
    } finally {
      tail.kill('SIGTERM');
    }
  });
});
