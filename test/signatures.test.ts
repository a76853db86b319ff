/** `--verify-signatures`: SigV4 checked against configured key pairs, failures answered as AWS does. */
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probeModules } from './support/probe-services.js';
import { startTestServer, type TestServer } from './support/server.js';

const GOOD = { accessKeyId: 'AKIDSTRATUSTEST', secretAccessKey: 'right-secret' };
const WRONG_SECRET = { accessKeyId: 'AKIDSTRATUSTEST', secretAccessKey: 'wrong-secret' };
const UNKNOWN = { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'whatever' };

type AwsError = Error & { $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>): Promise<AwsError> => p.then(() => assert.fail('expected a failure'), (e: AwsError) => e);

describe('signature verification', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      services: probeModules(),
      config: { verifySignatures: true, accessKeys: [{ ...GOOD, accountId: '111122223333' }] },
    });
  });
  after(() => server.stop());

  test("a correctly signed request passes and acts in the key's account", async () => {
    const out = await server.client(SQSClient, { credentials: GOOD }).send(new GetQueueUrlCommand({ QueueName: 'q' }));
    assert.equal(out.QueueUrl, `${server.url}/111122223333/q`);
    await server.client(SNSClient, { credentials: GOOD }).send(new ListTopicsCommand({}));
    await server.client(LambdaClient, { credentials: GOOD }).send(new GetFunctionCommand({ FunctionName: 'f' }));
  });

  test('a wrong secret: InvalidSignatureException (JSON), SignatureDoesNotMatch (Query)', async () => {
    const json = await failure(server.client(SQSClient, { credentials: WRONG_SECRET }).send(new GetQueueUrlCommand({ QueueName: 'q' })));
    assert.equal(json.name, 'InvalidSignatureException');
    assert.match(json.message, /^The request signature we calculated does not match the signature you provided/);
    const query = await failure(server.client(SNSClient, { credentials: WRONG_SECRET }).send(new ListTopicsCommand({})));
    assert.equal(query.name, 'SignatureDoesNotMatch');
    assert.equal(query.$metadata.httpStatusCode, 403);
    const rest = await failure(server.client(LambdaClient, { credentials: WRONG_SECRET }).send(new GetFunctionCommand({ FunctionName: 'f' })));
    assert.equal(rest.name, 'InvalidSignatureException');
    assert.equal(rest.$metadata.httpStatusCode, 403);
  });

  test('an unknown key: UnrecognizedClientException (JSON), InvalidClientTokenId (Query)', async () => {
    const json = await failure(server.client(SQSClient, { credentials: UNKNOWN }).send(new GetQueueUrlCommand({ QueueName: 'q' })));
    assert.equal(json.name, 'UnrecognizedClientException');
    assert.equal(json.message, 'The security token included in the request is invalid.');
    const query = await failure(server.client(SNSClient, { credentials: UNKNOWN }).send(new ListTopicsCommand({})));
    assert.equal(query.name, 'InvalidClientTokenId');
  });

  test('an unsigned request is refused', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { __type: string }).__type, /MissingAuthenticationTokenException$/);
  });

  test('a request signed more than 15 minutes ago is expired', async () => {
    const old = new SQSClient({ ...server.clientConfig({ credentials: GOOD }), systemClockOffset: -20 * 60 * 1000 } as never);
    const error = await failure(old.send(new GetQueueUrlCommand({ QueueName: 'q' })));
    old.destroy();
    assert.equal(error.name, 'InvalidSignatureException');
    assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });
});
