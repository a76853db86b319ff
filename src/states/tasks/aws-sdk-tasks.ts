import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.js';
import type { Json } from '../asl/json.js';
import type { TaskCall, TaskOutcome } from '../engine/task-port.js';
import { parametersOf, type TaskDeps } from './deps.js';
import { sdkFailure } from './errors.js';
import { capitalise, SDK_SERVICES, sdkErrorPrefix, toServiceNames, toTaskNames } from './sdk-names.js';
import { notServed } from './unsupported.js';

/**
 * `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]` for the services Stratus
 * serves (sdk-names.ts): the action runs in process (runtime.actions) with the task's PascalCase
 * parameters mapped to the service's member names; the answer comes back with PascalCase names,
 * as the service answers it. A service error is `<Service>.<Error>Exception` with the SDK's
 * message as the cause (errors.ts). An action the service does not have fails the same way AWS
 * fails an unknown SDK action at run time; a service Stratus does not serve fails as an
 * unreachable service (unsupported.ts).
 */
export async function awsSdkTask(deps: TaskDeps, call: TaskCall, service: string, actionName: string, waitForToken: boolean): Promise<TaskOutcome> {
  const prefix = sdkErrorPrefix(service);
  const known = SDK_SERVICES[service];
  const actions = deps.runtime.actions;
  if (!known || !actions || !actions.serves(known.signingName)) return notServed(call, service, prefix);
  const action = capitalise(actionName);
  const found = await actions.find(known.signingName, action);
  if (!found) {
    return { type: 'failed', error: `${prefix}.SdkClientException`, cause: `Stratus's ${service} has no action ${action} (the task's resource is ${call.effect.resource}).` };
  }
  const input = toServiceNames(found.action.input, parametersOf(call)) as Record<string, unknown>;
  let answer: Record<string, unknown>;
  try {
    answer = await actions.call({ signingName: known.signingName, action, input, accountId: call.account, region: call.region });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return sdkFailure(prefix, error.code, error.message, error.status, randomUUID());
  }
  return { type: waitForToken ? 'submitted' : 'succeeded', output: toTaskNames(found.action.output, answer) as Json };
}
