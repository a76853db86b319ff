/**
 * The control plane's quotas (Developer Guide, "Step Functions service quotas"): 1,000 published
 * versions per state machine, 100 aliases per state machine, 50 tags per resource. At the limit
 * the next one is refused with ServiceQuotaExceededException / TooManyTags, and nothing is stored.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  SFNClient,
  TagResourceCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:quota';
const definition = (n: number) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: n, End: true } } });

let server: TestServer;
let sfn: SFNClient;
before(async () => {
  server = await startTestServer();
  sfn = server.client(SFNClient);
  await sfn.send(new CreateStateMachineCommand({ name: 'quota', definition: definition(0), roleArn: ROLE, publish: true }));
});
after(() => server.stop());

test('1,000 versions per state machine, then ServiceQuotaExceededException', async () => {
  for (let n = 1; n < 1000; n++) await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN, definition: definition(n), publish: true }));
  await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN, definition: definition(1000) }));
  const refused = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN })).catch((e: Error) => e);
  assert.equal((refused as Error).name, 'ServiceQuotaExceededException');
  const page = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN, maxResults: 1000 }));
  assert.equal(page.stateMachineVersions?.length, 1000);
  assert.equal(page.nextToken, undefined);
  assert.equal(page.stateMachineVersions?.[0].stateMachineVersionArn, `${ARN}:1000`);
});

test('100 aliases per state machine, then ServiceQuotaExceededException', async () => {
  const routing = [{ stateMachineVersionArn: `${ARN}:1`, weight: 100 }];
  for (let i = 0; i < 100; i++) await sfn.send(new CreateStateMachineAliasCommand({ name: `a${i}`, routingConfiguration: routing }));
  const refused = await sfn.send(new CreateStateMachineAliasCommand({ name: 'one-more', routingConfiguration: routing })).catch((e: Error) => e);
  assert.equal((refused as Error).name, 'ServiceQuotaExceededException');
  // The same alias again is still answered: idempotence is checked before the quota.
  await sfn.send(new CreateStateMachineAliasCommand({ name: 'a0', routingConfiguration: routing }));
});

test('50 tags per resource, counting keys already there', async () => {
  const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: 'v' }));
  await sfn.send(new TagResourceCommand({ resourceArn: ARN, tags: tags(0, 40) }));
  await sfn.send(new TagResourceCommand({ resourceArn: ARN, tags: tags(30, 20) }));
  const refused = await sfn.send(new TagResourceCommand({ resourceArn: ARN, tags: tags(50, 1) })).catch((e: Error & { resourceName?: string }) => e);
  assert.equal((refused as Error).name, 'TooManyTags');
  assert.equal((refused as { resourceName?: string }).resourceName, ARN);
});
