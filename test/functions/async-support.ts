/**
 * Helpers for the asynchronous-invocation tests: functions from inline Node code (waited until
 * Active), event invoke configs, and invocation records read back from SQS destinations.
 */
import {
  CreateFunctionCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  waitUntilFunctionActiveV2,
  type CreateFunctionCommandInput,
  type PutFunctionEventInvokeConfigCommandInput,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { receive, type QueueRef } from '../events/delivery-support.js';
import { makeZip } from './control-plane-support.js';

export interface InvocationRecord {
  version: string;
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion?: string; functionError?: string };
  responsePayload?: any;
}

export const ECHO_JS = 'exports.handler = async (event) => ({ echo: event });';
export const FAIL_JS = "exports.handler = async (event) => { throw new Error('intentional failure: ' + JSON.stringify(event)); };";

export async function createNodeFunction(lambda: LambdaClient, name: string, code: string, overrides: Partial<CreateFunctionCommandInput> = {}): Promise<string> {
  const accountId = (await lambda.config.credentials()).accessKeyId;
  const out = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: `arn:aws:iam::${/^\d{12}$/.test(accountId) ? accountId : '000000000000'}:role/r`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: await makeZip({ 'index.js': code }) },
      ...overrides,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  return out.FunctionArn!;
}

export async function putEventInvokeConfig(lambda: LambdaClient, input: PutFunctionEventInvokeConfigCommandInput): Promise<void> {
  await lambda.send(new PutFunctionEventInvokeConfigCommand(input));
}

/** The invocation records that arrive on `queue` (parsed bodies), waiting up to `timeoutMs`. */
export async function records(sqs: SQSClient, queue: QueueRef, count: number, timeoutMs = 15_000): Promise<InvocationRecord[]> {
  const messages = await receive(sqs, queue, count, timeoutMs);
  return messages.map((m) => JSON.parse(m.Body!) as InvocationRecord);
}

export async function record(sqs: SQSClient, queue: QueueRef, timeoutMs?: number): Promise<InvocationRecord> {
  return (await records(sqs, queue, 1, timeoutMs))[0];
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
