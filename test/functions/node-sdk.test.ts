/**
 * The AWS SDK for JavaScript v3 that Node.js functions see, against a real Stratus whose data
 * directory is inside this repository: the clients of every service Stratus serves or will serve
 * and the shared packages they need, from CommonJS and ES modules alike; a call from an ES module
 * handler reaching Stratus; an `@aws-sdk/*` package Stratus does not carry named in the error with
 * what to do; and no NodeVersionSupportWarning from the SDK in the function's log.
 *
 * Facts: [D] Lambda Developer Guide, "Building Lambda functions with Node.js" (the runtimes include
 * the AWS SDK for JavaScript v3) and "Define Lambda function handler in Node.js" (the console's
 * index.mjs importing `@aws-sdk/client-s3`); the SDK's emitWarningIfUnsupportedVersion (in
 * @aws-sdk/core) emits NodeVersionSupportWarning on Node < 22 unless
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is "true".
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unique } from './control-plane-support.js';
import { functionLog, runFunction, startInRepoServer, type InRepoServer } from './node-runtime-support.js';

let env: InRepoServer;
before(async () => {
  env = await startInRepoServer();
});
after(() => env.stop());

/** What the issue asks for at least: a client of every service Stratus serves or will serve, with DynamoDB's lib and S3's presigner. */
const CLIENTS = [
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-eventbridge',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-cloudwatch-logs',
  '@aws-sdk/client-sfn',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-api-gateway',
  '@aws-sdk/client-apigatewayv2',
  '@aws-sdk/client-apigatewaymanagementapi',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/s3-request-presigner',
  '@aws-sdk/client-ssm',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-kinesis',
  '@aws-sdk/client-cloudwatch',
];
/** Shared packages of the SDK that code written for AWS's runtime also imports directly. */
const SHARED = ['@aws-sdk/core', '@aws-sdk/credential-provider-node', '@aws-sdk/util-dynamodb', '@smithy/core', '@smithy/types', 'tslib'];

describe('the bundled SDK', () => {
  test('every client, and the shared packages, from CommonJS require', async () => {
    const names = [...CLIENTS, ...SHARED];
    const out = await runFunction(env.lambda, {
      'index.js': `exports.handler = async () => Object.fromEntries(${JSON.stringify(names)}.map((n) => { try { return [n, Object.keys(require(n)).length > 0]; } catch (e) { return [n, e.code]; } }));`,
    });
    assert.deepEqual(out.payload, Object.fromEntries(names.map((n) => [n, true])));
  });

  test('every client, and the shared packages, from ES module import', async () => {
    const names = [...CLIENTS, ...SHARED];
    const out = await runFunction(env.lambda, {
      'index.mjs': `export const handler = async () => Object.fromEntries(await Promise.all(${JSON.stringify(names)}.map(async (n) => { try { return [n, Object.keys(await import(n)).length > 0]; } catch (e) { return [n, e.code]; } })));`,
    });
    assert.deepEqual(out.payload, Object.fromEntries(names.map((n) => [n, true])));
  });

  test('an index.mjs handler (the console’s template) uses the SDK against Stratus: SQS, the DynamoDB document client, the S3 presigner', async () => {
    const queue = unique('from-esm');
    const out = await runFunction(
      env.lambda,
      {
        'index.mjs': `
          import { SQSClient, CreateQueueCommand } from '@aws-sdk/client-sqs';
          import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
          import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
          import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
          import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
          const sqs = new SQSClient({});
          export const handler = async (event) => {
            const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: event.queue }));
            const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
            const url = await getSignedUrl(new S3Client({}), new GetObjectCommand({ Bucket: 'b', Key: 'k' }), { expiresIn: 60 });
            return { QueueUrl, documents: typeof documents.send, signed: new URL(url).searchParams.has('X-Amz-Signature') };
          };`,
      },
      { event: { queue } },
    );
    assert.equal(out.functionError, undefined, JSON.stringify(out.payload));
    const sqs = env.server.client(SQSClient);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
    assert.deepEqual(out.payload, { QueueUrl, documents: 'function', signed: true });
  });

  test('no NodeVersionSupportWarning from the SDK in the function’s log', async () => {
    const out = await runFunction(env.lambda, {
      'index.js': `
        const { SQSClient, ListQueuesCommand } = require('@aws-sdk/client-sqs');
        exports.handler = async () => { await new SQSClient({}).send(new ListQueuesCommand({})); console.log('listed'); return 'ok'; };`,
    });
    assert.equal(out.payload, 'ok');
    assert.match(out.log, /\tINFO\tlisted/);
    assert.doesNotMatch(out.log, /NodeVersionSupportWarning/);
    // The whole stream, not only the tail: the warning is written at the first client.
    const stream = await functionLog(env.server, out.functionName);
    assert.ok(stream.some((m) => m.includes('\tlisted')));
    assert.deepEqual(stream.filter((m) => m.includes('NodeVersionSupportWarning')), []);
  });
});

describe('an @aws-sdk package Stratus does not carry', () => {
  const advice = (name: string) => new RegExp(`add it to the function's own package \\(npm install ${name.replace('/', '\\/')}\\) or to a layer`);

  test('CommonJS: Runtime.ImportModuleError naming it and saying to add it to the function’s package', async () => {
    const out = await runFunction(env.lambda, { 'index.js': `const { BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime');\nexports.handler = async () => 1;` });
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.payload.errorType, 'Runtime.ImportModuleError');
    assert.match(out.payload.errorMessage, /^Error: Cannot find module '@aws-sdk\/client-bedrock-runtime'\nRequire stack:\n/);
    assert.match(out.payload.errorMessage, advice('@aws-sdk/client-bedrock-runtime'));
  });

  test('ES module: Runtime.ImportModuleError too', async () => {
    const out = await runFunction(env.lambda, { 'index.mjs': `import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nexport const handler = async () => 1;` });
    assert.equal(out.payload.errorType, 'Runtime.ImportModuleError');
    assert.match(out.payload.errorMessage, /^Error: Cannot find package '@aws-sdk\/client-bedrock-runtime' imported from \/\S+\/index\.mjs\n/);
    assert.match(out.payload.errorMessage, advice('@aws-sdk/client-bedrock-runtime'));
  });

  test('required while handling an event: the handler’s error carries the same advice', async () => {
    const out = await runFunction(env.lambda, { 'index.js': `exports.handler = async () => require('@aws-sdk/client-textract');` });
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.payload.errorType, 'Error');
    assert.match(out.payload.errorMessage, /^Cannot find module '@aws-sdk\/client-textract'/);
    assert.match(out.payload.errorMessage, advice('@aws-sdk/client-textract'));
  });
});
