/**
 * Every Query XML answer is well-formed XML 1.0, read here by botocore's own parser (strict: a
 * raw control character is "not well-formed (invalid token)"). What AWS refuses at input is
 * refused (SQS tag keys and values outside the characters the SQS Developer Guide allows);
 * what a request echoes back (a malformed queue URL in an error message) has each character
 * XML 1.0 cannot carry written as U+FFFD.
 */
import { ListQueueTagsCommand, SQSClient, TagQueueCommand, CreateQueueCommand } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { botocoreInstalled, readXmlWithBotocore } from './support/strict-xml.js';

describe('Query XML answers are well-formed XML 1.0', { skip: botocoreInstalled ? false : 'botocore is not installed' }, () => {
  let server: TestServer;
  let sqs: SQSClient;
  before(async () => {
    server = await startTestServer();
    sqs = server.client(SQSClient);
  });
  after(() => server.stop());

  const query = async (form: string, path = '/'): Promise<{ status: number; body: Buffer }> => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  test('an error echoing control characters from the request is read by botocore, each one as U+FFFD', async () => {
    const answers = await Promise.all([
      query('Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=%01'),
      query('Action=SendMessage&Version=2012-11-05&QueueUrl=a%00b%1Fc&MessageBody=x'),
      query('Action=Get%01Queue%0BUrl&Version=2012-11-05'),
      query('Action=ListQueueTags&Version=2012-11-05&QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq%EF%BF%BF'),
    ]);
    assert.deepEqual(answers.map((a) => a.status), [404, 404, 400, 400]);
    const verdicts = await readXmlWithBotocore(answers);
    assert.deepEqual(
      verdicts.map((v) => [v.ok, v.code]),
      [
        [true, 'InvalidAddress'],
        [true, 'InvalidAddress'],
        [true, 'InvalidAction'],
        [true, 'AWS.SimpleQueueService.NonExistentQueue'],
      ],
      JSON.stringify(verdicts),
    );
    assert.equal(verdicts[0].message, 'The address \uFFFD is not valid for this endpoint.');
    assert.equal(verdicts[1].message, 'The address a\uFFFDb\uFFFDc is not valid for this endpoint.');
    assert.equal(verdicts[2].message, 'The action Get\uFFFDQueue\uFFFDUrl is not valid for this endpoint.');
  });

  test('a tag key or value with a control character is refused, over JSON and over Query, as the SQS Developer Guide allows only letters, digits, white space and _ . : / = + - @', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged' }));
    const bad: Record<string, string>[] = [{ team: 'a\u0001b' }, { 'a\u0001b': 'v' }, { team: 'a\u007fb' }, { team: 'a&b' }, { team: 'x\u200bz' }];
    for (const Tags of bad) {
      await assert.rejects(sqs.send(new TagQueueCommand({ QueueUrl, Tags })), (error: Error) => {
        // (The SDK names an SQS error by its Query code, which the JSON answer carries in x-amzn-query-error.)
        assert.equal(error.name, 'InvalidParameterValue');
        assert.equal(error.message, 'Tag keys and values can only contain Unicode letters, digits, white space and the characters _ . : / = + - @.');
        return true;
      });
    }
    const refused = await query('Action=CreateQueue&Version=2012-11-05&QueueName=tagged-q&Tag.1.Key=team&Tag.1.Value=a%01b');
    const [verdict] = await readXmlWithBotocore([refused]);
    assert.deepEqual([refused.status, verdict.ok, verdict.code], [400, true, 'InvalidParameterValue']);

    // What the guide allows is kept, and listed over Query as botocore reads it.
    const allowed = { 'cost-center': 'ünïcødé 名前 ٣', 'a:b/c': 'x = y + z @ w_v.u-t' };
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: allowed }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, allowed);
    const listed = await query(`Action=ListQueueTags&Version=2012-11-05&QueueUrl=${encodeURIComponent(QueueUrl as string)}`);
    const [read] = await readXmlWithBotocore([listed]);
    assert.deepEqual([listed.status, read.ok, read.root], [200, true, 'ListQueueTagsResponse']);
    assert.match(listed.body.toString('utf8'), /<Tag><Key>cost-center<\/Key><Value>ünïcødé 名前 ٣<\/Value><\/Tag>/);
  });
});
