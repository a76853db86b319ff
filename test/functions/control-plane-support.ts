/**
 * Helpers for the Lambda control-plane tests: .zip archives built in memory (yazl), a role ARN,
 * unique names, and an assertion on AWS-shaped errors.
 */
import { CreateFunctionCommand, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import yazl from 'yazl';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;

let counter = 0;
export const unique = (prefix = 'fn'): string => `${prefix}-${process.pid}-${++counter}`;

export const arnOf = (name: string, qualifier?: string): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

/** A .zip holding the given files (name → text), with unix modes when given. */
export function makeZip(files: Record<string, string | { text: string; mode: number }>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(files)) {
      if (typeof content === 'string') zip.addBuffer(Buffer.from(content), name, { mtime: new Date(0) });
      else zip.addBuffer(Buffer.from(content.text), name, { mtime: new Date(0), mode: content.mode });
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export const HANDLER_JS = 'exports.handler = async (event) => ({ echo: event });';

export async function createFunction(lambda: LambdaClient, name: string, overrides: Partial<CreateFunctionCommandInput> = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: await makeZip({ 'index.js': HANDLER_JS }) },
      ...overrides,
    }),
  );
}

/** Awaits a rejection and checks its exception name, HTTP status and (exact or matching) message. */
export async function rejects(promise: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}`);
}
