/**
 * Invoke across accounts through @aws-sdk/client-lambda: refused (AccessDeniedException 403, in
 * IAM's wording) until the function's resource policy allows the caller — by account with
 * AddPermission, or for `*` with an aws:PrincipalOrgID condition, which holds for accounts of the
 * organization Stratus was told of (`organizations` config, `--organization` on the CLI).
 */
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeZip } from './control-plane-support.js';

const OWNER = '111111111111';
const MEMBER = '222222222222';
const OUTSIDER = '333333333333';
const ORG = 'o-abcdefghij';

let server: TestServer;
const as = (account: string) => server.client(LambdaClient, { credentials: { accessKeyId: account, secretAccessKey: 'test' } });
const arn = (name: string) => `arn:aws:lambda:us-east-1:${OWNER}:function:${name}`;

before(async () => {
  server = await startTestServer({ config: { organizations: { [ORG]: [OWNER, MEMBER] } } });
});
after(() => server.stop());

async function create(name: string): Promise<void> {
  const owner = as(OWNER);
  await owner.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: `arn:aws:iam::${OWNER}:role/r`,
      Code: { ZipFile: await makeZip({ 'index.js': 'exports.handler = async (e, c) => c.invokedFunctionArn;' }) },
    }),
  );
  await waitUntilFunctionActiveV2({ client: owner, maxWaitTime: 10 }, { FunctionName: name });
}

async function denied(account: string, name: string): Promise<void> {
  await assert.rejects(as(account).send(new InvokeCommand({ FunctionName: arn(name) })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, 'AccessDeniedException');
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.match(error.message, new RegExp(`User: arn:aws:iam::${account}:root is not authorized to perform: lambda:Invoke`));
    return true;
  });
}

const invoked = async (account: string, name: string) => JSON.parse(Buffer.from((await as(account).send(new InvokeCommand({ FunctionName: arn(name) }))).Payload!).toString());

test('another account may invoke only once AddPermission names it', async () => {
  await create('shared-by-account');
  await denied(MEMBER, 'shared-by-account');
  await as(OWNER).send(new AddPermissionCommand({ FunctionName: 'shared-by-account', StatementId: 'member', Action: 'lambda:InvokeFunction', Principal: MEMBER }));
  assert.equal(await invoked(MEMBER, 'shared-by-account'), arn('shared-by-account'));
  await denied(OUTSIDER, 'shared-by-account');
});

test('`*` with aws:PrincipalOrgID: members of the organization may invoke, others may not', async () => {
  await create('shared-by-org');
  await as(OWNER).send(
    new AddPermissionCommand({ FunctionName: 'shared-by-org', StatementId: 'org', Action: 'lambda:InvokeFunction', Principal: '*', PrincipalOrgID: ORG }),
  );
  assert.equal(await invoked(MEMBER, 'shared-by-org'), arn('shared-by-org'));
  await denied(OUTSIDER, 'shared-by-org');
});
