import { activities } from '../repository/records.js';
import type { TaskCall, TaskOutcome, TaskRunner } from '../engine/task-port.js';
import { awsSdkTask } from './aws-sdk-tasks.js';
import type { TaskDeps } from './deps.js';
import { lambdaFunction, lambdaInvoke } from './lambda-tasks.js';
import { startNestedExecution } from './nested-executions.js';
import { optimizedErrorPrefix } from './sdk-names.js';
import { eventsPutEvents, snsPublish, sqsSendMessage } from './service-tasks.js';
import type { TaskBook } from './task-book.js';
import { notServed } from './unsupported.js';

/**
 * The Task states' integrations (issue 14): the engine hands every task effect to `run`, which
 * reaches the target service only through `invoke/` (Lambda functions) or the served services'
 * actions in process (SQS, SNS, EventBridge, the `aws-sdk:` tasks) — never another service's
 * internals — so a service added later plugs in by registering an invoker or serving its API.
 *
 * Resources (Developer Guide, "Integrating services with Step Functions"):
 * - `arn:aws:lambda:…:function:<name>` and `arn:aws:states:::lambda:invoke[.waitForTaskToken]`;
 * - `arn:aws:states:::sqs:sendMessage[.waitForTaskToken]`, `…:::sns:publish[.waitForTaskToken]`,
 *   `…:::events:putEvents[.waitForTaskToken]`;
 * - `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`;
 * - `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`;
 * - `arn:aws:states:…:activity:<name>` (a worker answers through GetActivityTask / SendTask*).
 * Anything else fails as an unreachable service would (unsupported.ts), never silently.
 *
 * `.waitForTaskToken`: the token is recorded (task-book.ts) before the call goes out, the call's
 * answer is the TaskSubmitted output, and SendTaskSuccess/Failure ends the task later.
 */
/** The optimized integrations' services Stratus serves. */
const SERVED = new Set(['lambda', 'sqs', 'sns', 'events', 'states']);

export class IntegrationRunner implements TaskRunner {
  constructor(
    private readonly deps: TaskDeps,
    private readonly book: TaskBook,
  ) {}

  async run(given: TaskCall): Promise<TaskOutcome> {
    const call = asCredentialsAccount(given);
    const { resourceType, resourceName } = call.effect;
    if (resourceType === 'lambda-function') return lambdaFunction(this.deps, call);
    if (resourceType === 'activity') return this.activity(call);
    const dot = resourceName.indexOf('.');
    const action = dot < 0 ? resourceName : resourceName.slice(0, dot);
    const pattern = dot < 0 ? '' : resourceName.slice(dot + 1);
    const waitForToken = pattern === 'waitForTaskToken';
    if (waitForToken) await this.book.registerToken(call);
    if (resourceType.startsWith('aws-sdk:')) {
      if (pattern !== '' && !waitForToken) return this.unknownIntegration(call, resourceType.slice('aws-sdk:'.length));
      return awsSdkTask(this.deps, call, resourceType.slice('aws-sdk:'.length), action, waitForToken);
    }
    switch (`${resourceType}:${action}`) {
      case 'lambda:invoke':
        if (pattern !== '' && !waitForToken) break;
        return lambdaInvoke(this.deps, call, waitForToken);
      case 'sqs:sendMessage':
        if (pattern !== '' && !waitForToken) break;
        return sqsSendMessage(this.deps, call, waitForToken);
      case 'events:putEvents':
        if (pattern !== '' && !waitForToken) break;
        return eventsPutEvents(this.deps, call, waitForToken);
      case 'sns:publish':
        if (pattern !== '' && !waitForToken) break;
        return snsPublish(this.deps, call, waitForToken);
      case 'states:startExecution': {
        const mode = pattern === '' ? 'request' : pattern === 'sync' ? 'sync' : pattern === 'sync:2' ? 'sync:2' : waitForToken ? 'token' : undefined;
        if (mode === undefined) break;
        return startNestedExecution(this.deps, call, mode);
      }
    }
    return this.unknownIntegration(call, resourceType);
  }

  /** An activity task: the activity must exist (else States.Runtime, as AWS fails it: recorded test_activity_task_on_deleted). */
  private async activity(call: TaskCall): Promise<TaskOutcome> {
    const exists = await activities.get(this.deps.runtime.store, call.effect.resource);
    if (!exists) return { type: 'failed', error: 'States.Runtime', cause: `The activity ${call.effect.resource} does not exist.` };
    return this.book.runActivity(call);
  }

  private unknownIntegration(call: TaskCall, service: string): TaskOutcome {
    const served = SERVED.has(service) || call.effect.resourceType.startsWith('aws-sdk:');
    return notServed(call, served ? `the ${call.effect.resourceType} integration ${call.effect.resourceName}` : service, optimizedErrorPrefix(service));
  }
}

/**
 * A Task's `Credentials` (`RoleArn`) make the call as that role, so in the role's account
 * (Developer Guide, "Accessing resources in other AWS accounts in Step Functions"): a function
 * named without an ARN, a queue URL's checks, an aws-sdk call all then act in that account.
 * The role is not assumed or checked: Stratus checks no IAM.
 */
function asCredentialsAccount(call: TaskCall): TaskCall {
  const credentials = call.effect.credentials;
  if (credentials === null || typeof credentials !== 'object' || Array.isArray(credentials)) return call;
  const roleArn = (credentials as Record<string, unknown>).RoleArn;
  const account = typeof roleArn === 'string' ? /^arn:[\w-]+:iam::(\d{12}):role\//.exec(roleArn)?.[1] : undefined;
  return account === undefined || account === call.account ? call : { ...call, account };
}
