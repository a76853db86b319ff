/**
 * The EventBridge control plane survives a restart (DESIGN.md rule 3, "acknowledged means
 * stored"): buses with their settings, policy and tags, the default bus's tags and policy, rules
 * with every field, state and tags, and targets as given in their order — all read back through
 * @aws-sdk/client-eventbridge from a second server on the same SQLite data folder.
 *
 * Sources: the same facts as control-plane.test.ts (/work/notes/eventbridge-facts.md).
 */
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TagResourceCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { busArnOf, queueArnOf, ruleArnOf } from '../support/eventbridge.js';
import { startTestServer, tempDataDir } from '../support/server.js';

test('buses, policies, tags, rules and targets are all there after a restart', async () => {
  const data = tempDataDir();
  const clock = new ManualClock();
  const start = () => startTestServer({ clock, config: { inMemory: false, dataDir: data.dir } });
  const targets: Target[] = [
    { Id: 'b', Arn: queueArnOf('q1'), Input: '{"k": 1}' },
    { Id: 'a', Arn: queueArnOf('q2'), InputTransformer: { InputPathsMap: { t: '$.detail-type' }, InputTemplate: '"<t>"' }, RetryPolicy: { MaximumRetryAttempts: 3 } },
  ];
  try {
    const first = await start();
    const eb = first.client(EventBridgeClient);
    await eb.send(new CreateEventBusCommand({ Name: 'kept', Description: 'orders', Tags: [{ Key: 'k', Value: 'v' }] }));
    await eb.send(new PutPermissionCommand({ EventBusName: 'kept', Action: 'events:PutEvents', Principal: '111111111111', StatementId: 's1' }));
    await eb.send(new TagResourceCommand({ ResourceARN: busArnOf('default'), Tags: [{ Key: 'on-default', Value: '1' }] }));
    await eb.send(new PutRuleCommand({ Name: 'r', EventBusName: 'kept', EventPattern: '{"source": ["a"]}', Description: 'd', Tags: [{ Key: 'rk', Value: 'rv' }] }));
    await eb.send(new DisableRuleCommand({ Name: 'r', EventBusName: 'kept' }));
    await eb.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'kept', Targets: targets }));
    await eb.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)' }));
    const before = {
      bus: await eb.send(new DescribeEventBusCommand({ Name: 'kept' })),
      rule: await eb.send(new DescribeRuleCommand({ Name: 'r', EventBusName: 'kept' })),
      nightly: await eb.send(new DescribeRuleCommand({ Name: 'nightly' })),
    };
    await first.stop();

    const second = await start();
    try {
      const again = second.client(EventBridgeClient);
      const bus = await again.send(new DescribeEventBusCommand({ Name: 'kept' }));
      assert.deepEqual({ ...bus, $metadata: undefined }, { ...before.bus, $metadata: undefined });
      assert.equal(JSON.parse(bus.Policy!).Statement[0].Sid, 's1');
      const tags = async (arn: string) => (await again.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;
      assert.deepEqual(await tags(busArnOf('kept')), [{ Key: 'k', Value: 'v' }]);
      assert.deepEqual(await tags(busArnOf('default')), [{ Key: 'on-default', Value: '1' }]);
      assert.deepEqual(await tags(ruleArnOf('r', 'kept')), [{ Key: 'rk', Value: 'rv' }]);
      const rule = await again.send(new DescribeRuleCommand({ Name: 'r', EventBusName: 'kept' }));
      assert.deepEqual({ ...rule, $metadata: undefined }, { ...before.rule, $metadata: undefined });
      assert.equal(rule.State, 'DISABLED');
      const nightly = await again.send(new DescribeRuleCommand({ Name: 'nightly' }));
      assert.deepEqual({ ...nightly, $metadata: undefined }, { ...before.nightly, $metadata: undefined });
      assert.deepEqual((await again.send(new ListTargetsByRuleCommand({ Rule: 'r', EventBusName: 'kept' }))).Targets, targets);
      assert.deepEqual((await again.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name), ['default', 'kept']);
      assert.deepEqual((await again.send(new ListRulesCommand({}))).Rules!.map((r) => r.Name), ['nightly']);
      // New targets after the restart go after the old ones.
      await again.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'kept', Targets: [{ Id: 'c', Arn: queueArnOf('q3') }] }));
      assert.deepEqual((await again.send(new ListTargetsByRuleCommand({ Rule: 'r', EventBusName: 'kept' }))).Targets!.map((t) => t.Id), ['b', 'a', 'c']);
    } finally {
      await second.stop();
    }
  } finally {
    data.cleanup();
  }
});
