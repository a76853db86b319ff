/**
 * SNS through the AWS CLI (botocore: a second, independent client of the Query protocol): a
 * topic created with attributes and tags, an SQS queue subscribed raw, publish and publish-batch
 * read back with `aws sqs receive-message`, the lists, and named errors. Skipped, saying so,
 * where no `aws` executable is installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { awsCli, awsCliInstalled, type AwsCli } from '../support/aws-cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('aws sns', { skip: awsCliInstalled ? false : 'the aws executable is not installed' }, () => {
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

  const aws = async (...args: string[]): Promise<any> => {
    const out = await cli.run(...args);
    assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
    return out.stdout.trim() === '' ? {} : JSON.parse(out.stdout);
  };
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:orders';
  const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:orders-q';

  test('create-topic, subscribe, publish, publish-batch, read back from SQS', async () => {
    const created = await aws('sns', 'create-topic', '--name', 'orders', '--attributes', 'DisplayName=Shop', '--tags', 'Key=team,Value=web');
    assert.deepEqual(created, { TopicArn: topicArn });
    const attributes = (await aws('sns', 'get-topic-attributes', '--topic-arn', topicArn)).Attributes;
    assert.equal(attributes.DisplayName, 'Shop');
    assert.equal(attributes.Owner, '123456789012');
    assert.deepEqual((await aws('sns', 'list-tags-for-resource', '--resource-arn', topicArn)).Tags, [{ Key: 'team', Value: 'web' }]);

    const queue = await aws('sqs', 'create-queue', '--queue-name', 'orders-q');
    const subscribed = await aws('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'sqs', '--notification-endpoint', queueArn, '--attributes', 'RawMessageDelivery=true', '--return-subscription-arn');
    assert.match(subscribed.SubscriptionArn, new RegExp(`^${topicArn}:`));
    const listed = (await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn)).Subscriptions;
    assert.deepEqual(listed.map((s: { Endpoint: string; Protocol: string }) => [s.Protocol, s.Endpoint]), [['sqs', queueArn]]);

    const published = await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'one', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"order"}}');
    assert.match(published.MessageId, /^[0-9a-f-]{36}$/);
    const batch = await aws('sns', 'publish-batch', '--topic-arn', topicArn, '--publish-batch-request-entries', 'Id=a,Message=two', 'Id=b,Message=three');
    assert.deepEqual(batch.Successful.map((s: { Id: string }) => s.Id), ['a', 'b']);
    assert.deepEqual(batch.Failed ?? [], []);

    const bodies: string[] = [];
    for (let i = 0; i < 10 && bodies.length < 3; i++) {
      const received = await aws('sqs', 'receive-message', '--queue-url', queue.QueueUrl, '--max-number-of-messages', '10', '--wait-time-seconds', '1', '--message-attribute-names', 'All');
      for (const m of received.Messages ?? []) {
        bodies.push(m.Body);
        if (m.Body === 'one') assert.deepEqual(m.MessageAttributes, { kind: { DataType: 'String', StringValue: 'order' } });
        await aws('sqs', 'delete-message', '--queue-url', queue.QueueUrl, '--receipt-handle', m.ReceiptHandle);
      }
    }
    assert.deepEqual(bodies.sort(), ['one', 'three', 'two']);
    assert.ok((await aws('sns', 'list-topics')).Topics.some((t: { TopicArn: string }) => t.TopicArn === topicArn));
  });

  test('errors carry SNS codes', async () => {
    const missing = await cli.run('sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:eu-west-1:123456789012:missing');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /\(NotFound\) when calling the GetTopicAttributes operation: Topic does not exist/);
    const bad = await cli.run('sns', 'publish', '--topic-arn', 'nope', '--message', 'x');
    assert.match(bad.stderr, /\(InvalidParameter\) when calling the Publish operation: Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1/);
  });
});
