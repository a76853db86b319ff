/**
 * The Step Functions control plane survives a restart (DESIGN.md rule 3, "acknowledged means
 * stored"): state machines with their revision, configurations and tags, versions, aliases and
 * activities — read back through @aws-sdk/client-sfn from a second server on the same SQLite
 * data folder, which also keeps numbering versions where the first left off.
 */
import {
  CreateActivityCommand,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeActivityCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, tempDataDir } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:kept';
const definition = (result: number) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

test('machines, revisions, versions, aliases, activities and tags are all there after a restart', async () => {
  const data = tempDataDir();
  const clock = new ManualClock();
  const start = () => startTestServer({ clock, config: { inMemory: false, dataDir: data.dir } });
  try {
    const first = await start();
    const sfn = first.client(SFNClient);
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'kept',
        definition: definition(1),
        roleArn: ROLE,
        type: 'EXPRESS',
        publish: true,
        versionDescription: 'one',
        tracingConfiguration: { enabled: true },
        loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*' } }] },
        tags: [{ key: 'team', value: 'core' }],
      }),
    );
    clock.advance(1000);
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN, definition: definition(2), publish: true }));
    await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', description: 'd', routingConfiguration: [{ stateMachineVersionArn: `${ARN}:1`, weight: 80 }, { stateMachineVersionArn: `${ARN}:2`, weight: 20 }] }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: ARN, definition: definition(3) }));
    const activity = await sfn.send(new CreateActivityCommand({ name: 'worker', tags: [{ key: 'a', value: 'b' }] }));
    const before = {
      machine: await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ARN })),
      v1: await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN}:1` })),
      v2: await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN}:2` })),
      versions: await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN })),
      alias: await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ARN}:live` })),
      activity: await sfn.send(new DescribeActivityCommand({ activityArn: activity.activityArn })),
      tags: await sfn.send(new ListTagsForResourceCommand({ resourceArn: ARN })),
      activityTags: await sfn.send(new ListTagsForResourceCommand({ resourceArn: activity.activityArn })),
      list: await sfn.send(new ListStateMachinesCommand({})),
    };
    assert.equal(before.v2.revisionId, updated.revisionId);
    assert.notEqual(before.machine.revisionId, updated.revisionId);
    await first.stop();

    const second = await start();
    const again = second.client(SFNClient);
    const after = {
      machine: await again.send(new DescribeStateMachineCommand({ stateMachineArn: ARN })),
      v1: await again.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN}:1` })),
      v2: await again.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN}:2` })),
      versions: await again.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN })),
      alias: await again.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${ARN}:live` })),
      activity: await again.send(new DescribeActivityCommand({ activityArn: activity.activityArn })),
      tags: await again.send(new ListTagsForResourceCommand({ resourceArn: ARN })),
      activityTags: await again.send(new ListTagsForResourceCommand({ resourceArn: activity.activityArn })),
      list: await again.send(new ListStateMachinesCommand({})),
    };
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { ...(v as object), $metadata: undefined }]));
    assert.deepEqual(strip(after), strip(before));
    assert.equal(after.machine.definition, definition(3));
    // Publishing continues from where the first server left off.
    const v3 = await again.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN, revisionId: after.machine.revisionId }));
    assert.equal(v3.stateMachineVersionArn, `${ARN}:3`);
    await second.stop();
  } finally {
    data.cleanup();
  }
});
