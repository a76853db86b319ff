/**
 * A target service for crash tests in a child `stratus start` (loaded with `--service-module`):
 * ARN `arn:aws:probe:REGION:ACCOUNT:target/QUEUE`. While the file named by the environment
 * variable STRATUS_TEST_FAIL_FLAG exists, every delivery fails retryably; otherwise the payload
 * is forwarded to the SQS queue QUEUE of the same account and region, through `invoke/`.
 */
import { existsSync } from 'node:fs';
import { InvokeError } from '../../src/invoke/index.js';
import type { ServiceModule } from '../../src/server/runtime.js';

const failingTargets: ServiceModule = {
  name: 'probe-failing-targets',
  create: (runtime) => {
    runtime.invokers.register({
      service: 'probe',
      resourceType: 'target',
      invoke: async (target, request) => {
        const flag = process.env.STRATUS_TEST_FAIL_FLAG;
        if (flag && existsSync(flag)) throw new InvokeError('ProbeUnavailable', 'probe target is failing on purpose', true);
        return runtime.invokers.invoke({ ...request, arn: `arn:aws:sqs:${target.region}:${target.accountId}:${target.resourceId}`, parameters: {} });
      },
    });
    return { definition: { signingName: 'stratusprobe', json: { version: '1.1', targetPrefix: 'StratusProbe' }, actions: [] } };
  },
};

export default [failingTargets];
