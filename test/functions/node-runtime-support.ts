/**
 * Helpers for the tests of what a Node.js function sees: a real Stratus whose data directory is
 * INSIDE this repository (the default `./.stratus` puts function code under the project, so Node's
 * walk up the folders from the code reaches Stratus's own node_modules), and functions and layers
 * made through @aws-sdk/client-lambda from .zip files built with yazl.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PublishLayerVersionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeZip, ROLE, unique } from './control-plane-support.js';

/** The repository: three folders up from dist/test/functions. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface InRepoServer {
  server: TestServer;
  lambda: LambdaClient;
  dataDir: string;
  stop(): Promise<void>;
}

/** A Stratus storing everything (function code included) under `<repo>/.stratus/<unique>/`. */
export async function startInRepoServer(): Promise<InRepoServer> {
  const dataDir = join(REPO_ROOT, '.stratus', `test-${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(dataDir, { recursive: true });
  // The premise: Stratus's own packages are installed above the data directory.
  assert.ok(existsSync(join(REPO_ROOT, 'node_modules', 'typescript', 'package.json')), 'typescript installed above the data directory');
  const server = await startTestServer({ config: { inMemory: false, dataDir } });
  const lambda = server.client(LambdaClient);
  return {
    server,
    lambda,
    dataDir,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Invoked {
  functionName: string;
  functionError?: string;
  payload: any;
  log: string;
}

export async function publishLayer(lambda: LambdaClient, files: Record<string, string>): Promise<string> {
  const out = await lambda.send(new PublishLayerVersionCommand({ LayerName: unique('layer'), Content: { ZipFile: await makeZip(files) } }));
  return out.LayerVersionArn!;
}

/** Creates a function from `files`, waits for it to be Active, invokes it once with LogType Tail. */
export async function runFunction(
  lambda: LambdaClient,
  files: Record<string, string>,
  options: { runtime?: string; handler?: string; layers?: string[]; event?: unknown } = {},
): Promise<Invoked> {
  const name = unique('node-fn');
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (options.runtime ?? 'nodejs20.x') as never,
      Handler: options.handler ?? 'index.handler',
      Role: ROLE,
      Timeout: 30,
      Code: { ZipFile: await makeZip(files) },
      Layers: options.layers,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: name });
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(options.event ?? {})) }));
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return { functionName: name, functionError: out.FunctionError, payload: text ? JSON.parse(text) : undefined, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
}

/** Every message of the function's log group, once its first REPORT line is stored (logs are stored after the answer). */
export async function functionLog(server: TestServer, functionName: string): Promise<string[]> {
  const logs = server.client(CloudWatchLogsClient);
  const deadline = Date.now() + 5000;
  for (;;) {
    const { events = [] } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}` })).catch(() => ({ events: [] }));
    const messages = events.map((e) => e.message ?? '');
    if (messages.some((m) => m.startsWith('REPORT RequestId:'))) return messages;
    if (Date.now() > deadline) assert.fail(`no REPORT line in /aws/lambda/${functionName}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
