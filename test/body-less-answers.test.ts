/**
 * Answers without a body (Lambda's 204s: a DryRun Invoke, the DELETE actions) carry none and
 * declare no length, so that every client reads them: boto3's `Payload.read()` checks the
 * length it was promised against what arrived.
 */
import { CreateAliasCommand, GetAliasCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createFunction, unique } from './functions/control-plane-support.js';
import { startTestServer, type TestServer } from './support/server.js';
import { botocoreInstalled } from './support/strict-xml.js';

const run = promisify(execFile);

/** The raw bytes of one HTTP exchange on a fresh connection, read until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.end(request);
  });
}

describe('answers without a body', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let port: number;
  const fn = unique('dry');
  before(async () => {
    server = await startTestServer();
    port = Number(new URL(server.url).port);
    lambda = server.client(LambdaClient);
    await createFunction(lambda, fn);
  });
  after(() => server.stop());

  test('a DryRun Invoke is a 204 with no body and no Content-Length on the wire', async () => {
    const raw = await rawExchange(
      port,
      `POST /2015-03-31/functions/${fn}/invocations HTTP/1.1\r\nHost: x\r\nX-Amz-Invocation-Type: DryRun\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    const [head, body] = raw.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 204 /);
    assert.doesNotMatch(head, /content-length/i);
    assert.doesNotMatch(head, /content-type/i);
    assert.match(head, /x-amzn-RequestId: [0-9a-f-]{36}/i);
    assert.equal(body, '');
  });

  test('the SDK reads a DryRun Invoke: StatusCode 204, an empty payload', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'DryRun' }));
    assert.equal(out.StatusCode, 204);
    assert.equal(out.Payload?.length ?? 0, 0);
  });

  test('a DELETE action that answers 204 sends no body either', async () => {
    await lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '$LATEST' }));
    const res = await fetch(`${server.url}/2015-03-31/functions/${fn}/aliases/live`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(await res.text(), '');
    await assert.rejects(lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' })), { name: 'ResourceNotFoundException' });
  });

  test("boto3: invoke(InvocationType='DryRun')['Payload'].read() is b''", { skip: botocoreInstalled ? false : 'boto3 is not installed' }, async () => {
    const script = [
      'import boto3, sys',
      "c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')",
      "r = c.invoke(FunctionName=sys.argv[2], InvocationType='DryRun')",
      "print(r['StatusCode'], repr(r['Payload'].read()))",
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, server.url, fn]);
    assert.equal(stdout.trim(), "204 b''");
  });
});
