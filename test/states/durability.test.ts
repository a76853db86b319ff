/**
 * Acknowledged means stored, for the Step Functions control plane: a real `stratus start` child
 * is killed with SIGKILL while CreateStateMachine, UpdateStateMachine-with-publish and
 * CreateActivity calls are in flight. After a restart on the same data folder every acknowledged
 * machine, version and activity is there, and every version's definition is the one it was
 * published from.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeActivityCommand,
  DescribeStateMachineCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientConfigFor, spawnServer, tempDataDir } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const machineArn = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;
const definition = (n: number) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: n, End: true } } });

test('every acknowledged machine, version and activity survives kill -9', async () => {
  const data = tempDataDir();
  try {
    let server = await spawnServer({ dataDir: data.dir });
    let sfn = new SFNClient(clientConfigFor(server.url));
    const machines = new Set<string>();
    const versions = new Map<string, number>();
    const activities = new Set<string>();
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          await sfn.send(new CreateStateMachineCommand({ name, definition: definition(0), roleArn: ROLE }));
          machines.add(name);
          const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn(name), definition: definition(i + 1), publish: true }));
          versions.set(updated.stateMachineVersionArn!, i + 1);
          const activity = await sfn.send(new CreateActivityCommand({ name }));
          activities.add(activity.activityArn!);
        } catch {
          return; // the server died under this call: it was never acknowledged
        }
      }
    };
    let writing = 3;
    const writers = [1, 2, 3].map((w) => writer(w).finally(() => writing--));
    // A writer stops at its first error: if all have stopped, or it takes too long, fail, not hang.
    const deadline = Date.now() + 60_000;
    while (activities.size < 60 && writing > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(activities.size >= 60, `only ${activities.size} activities acknowledged before the kill (writers left: ${writing})`);
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    sfn.destroy();

    server = await spawnServer({ dataDir: data.dir });
    sfn = new SFNClient(clientConfigFor(server.url));
    try {
      for (const name of machines) {
        const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }));
        assert.equal(described.name, name);
      }
      for (const [arn, n] of versions) {
        const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
        assert.equal(described.definition, definition(n), arn);
      }
      for (const arn of activities) await sfn.send(new DescribeActivityCommand({ activityArn: arn }));
    } finally {
      sfn.destroy();
      await server.kill('SIGTERM');
    }
  } finally {
    data.cleanup();
  }
});
