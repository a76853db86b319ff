/**
 * Invoke's ClientContext (X-Amz-Client-Context) against a real Stratus with real execution
 * environments: a value that is not base64 of a JSON object, or over 3,583 bytes, answers
 * InvalidRequestContentException (400) for every invocation type and the server keeps serving; a
 * valid one reaches the handler decoded, whatever characters its JSON holds; an Event invocation
 * does not pass it on (Lambda passes it to synchronous invocations only). Before these checks,
 * `ClientContext: 'Cg=='` (a line feed) ended the Stratus process from inside the Runtime API.
 */
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { InvokeError } from '../../src/invoke/index.js';
import { account, createQueue, type Account } from '../events/delivery-support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createNodeFunction, putEventInvokeConfig, record } from './async-support.js';
import { rejects, unique } from './control-plane-support.js';

let server: TestServer;
let lambda: LambdaClient;
let main: Account;

/** Answers the client context its handler was given, and the event. */
const CONTEXT_JS = 'exports.handler = async (event, context) => ({ clientContext: context.clientContext ?? null, event });';

before(async () => {
  server = await startTestServer({ config: { retryDelayScale: 0.001 } });
  lambda = server.client(LambdaClient);
  main = account(server);
});
after(() => server.stop());

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const json = (payload: Uint8Array | undefined): any => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const NOT_BASE64_JSON = 'Client context must be a valid Base64-encoded JSON object.';

function hasBoto3(): boolean {
  return spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
}

async function healthy(): Promise<void> {
  const res = await fetch(`${server.url}/_stratus/health`);
  assert.equal(res.status, 200);
}

describe('Invoke ClientContext', () => {
  test('values that are not base64 of a JSON object are refused for every invocation type; the server keeps running', async () => {
    const name = unique('cc-bad');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    const bad = [
      'Cg==', // "\n": the value that ended the process
      b64('\u0001\u0002'),
      b64('[1,2]'),
      b64('"text"'),
      b64('null'),
      b64('{"a":'),
      'not base64!',
      'e30==', // "{}" with one padding character too many
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64'), // {"\xff":1}: not UTF-8
    ];
    for (const ClientContext of bad) {
      for (const InvocationType of ['RequestResponse', 'Event', 'DryRun'] as const) {
        const input: InvokeCommandInput = { FunctionName: name, InvocationType, ClientContext, Payload: Buffer.from('{}') };
        await rejects(lambda.send(new InvokeCommand(input)), 'InvalidRequestContentException', 400, NOT_BASE64_JSON);
      }
    }
    await healthy();
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"still":"here"}') }));
    assert.deepEqual(json(out.Payload), { clientContext: null, event: { still: 'here' } });
  });

  test('boto3, as the issue reported it: invoke(ClientContext="Cg==") gets InvalidRequestContentException', { skip: !hasBoto3() && 'python3 has no boto3' }, async () => {
    const name = unique('cc-boto3');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    const script = [
      'import boto3, botocore, json, sys',
      `c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=botocore.config.Config(retries={'max_attempts': 0}))`,
      'out = {}',
      "for t in ('RequestResponse', 'Event'):",
      '    try:',
      "        c.invoke(FunctionName=sys.argv[2], InvocationType=t, ClientContext='Cg==')",
      "        out[t] = 'accepted'",
      '    except botocore.exceptions.ClientError as e:',
      "        out[t] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]",
      'print(json.dumps(out))',
    ].join('\n');
    // Asynchronously: the server runs in this process.
    const { stdout } = await promisify(execFile)('python3', ['-c', script, server.url, name], { encoding: 'utf8', timeout: 30_000 });
    const out = JSON.parse(stdout);
    const refused = ['InvalidRequestContentException', NOT_BASE64_JSON, 400];
    assert.deepEqual(out, { RequestResponse: refused, Event: refused });
    await healthy();
  });

  test('other services invoking through the Lambda invoker get the same check', async () => {
    const name = unique('cc-invoker');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    for (const InvocationType of ['RequestResponse', 'Event']) {
      await assert.rejects(
        server.stratus.runtime.invokers.invoke({ arn, payload: {}, parameters: { InvocationType, ClientContext: 'Cg==' } }),
        (error: unknown) => error instanceof InvokeError && error.code === 'InvalidRequestContentException' && !error.retryable && error.message === NOT_BASE64_JSON,
      );
    }
    const ok = await server.stratus.runtime.invokers.invoke({ arn, payload: {}, parameters: { InvocationType: 'RequestResponse', ClientContext: b64('{"custom":{"via":"invoker"}}') } });
    assert.deepEqual(JSON.parse((ok.response as { Payload: string }).Payload).clientContext, { custom: { via: 'invoker' } });
  });

  test('up to 3,583 bytes of base64 are taken; more are refused', async () => {
    const name = unique('cc-size');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    // 2,685 bytes of JSON are 3,580 of base64, the largest multiple of 4 under the limit.
    const fits = { custom: { pad: 'x'.repeat(2685 - '{"custom":{"pad":""}}'.length) } };
    assert.equal(b64(JSON.stringify(fits)).length, 3580);
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, ClientContext: b64(JSON.stringify(fits)) }));
    assert.deepEqual(json(out.Payload).clientContext, fits);
    const over = b64(JSON.stringify({ custom: { pad: 'x'.repeat(2700) } }));
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name, ClientContext: over })),
      'InvalidRequestContentException',
      400,
      'Client context must be at most 3583 bytes of Base64-encoded data.',
    );
  });

  test('JSON with line breaks, control characters and non-Latin text reaches the handler as sent', async () => {
    const name = unique('cc-text');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    const text = '{\n  "client": {"installation_id": "i-1", "app_title": "Grüße 日本 🚀"},\r\n\t"custom": {"note": "tab\\there\\u0001", "del": "\u007f"},\n  "env": {"locale": "ja_JP"}\n}\n';
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, ClientContext: b64(text), Payload: Buffer.from('{}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(json(out.Payload).clientContext, JSON.parse(text));
    await healthy();
  });

  test('an Event invocation checks the client context but does not pass it on (synchronous invocations only)', async () => {
    const name = unique('cc-async');
    await createNodeFunction(lambda, name, CONTEXT_JS);
    const queue = await createQueue(main.sqs, unique('cc-dest'));
    await putEventInvokeConfig(lambda, { FunctionName: name, DestinationConfig: { OnSuccess: { Destination: queue.arn } } });
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', ClientContext: b64('{"custom":{"k":"v"}}'), Payload: Buffer.from('{"n":1}') }));
    assert.equal(out.StatusCode, 202);
    const r = await record(main.sqs, queue);
    assert.deepEqual(r.responsePayload, { clientContext: null, event: { n: 1 } });
  });
});
