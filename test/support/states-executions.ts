import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import assert from 'node:assert/strict';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * DescribeExecution once the execution is no longer RUNNING, asking every 10 ms up to 30 s (a
 * restarted server must resume it by then).
 */
export async function describeOnceEnded(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; ; i++) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    assert.ok(i < 3000, 'the execution did not resume after the restart');
    await sleep(10);
  }
}
