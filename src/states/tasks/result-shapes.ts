import type { StructureShape } from '../../protocol/shapes.js';
import { classifyResource } from '../asl/resources.js';
import type { TaskDeps } from './deps.js';
import { capitalise, SDK_SERVICES } from './sdk-names.js';

/** The optimized integrations Stratus serves: the served service (signing name) and API action each calls. */
const OPTIMIZED_ACTIONS: Record<string, { signingName: string; action: string }> = {
  'lambda:invoke': { signingName: 'lambda', action: 'Invoke' },
  'sqs:sendMessage': { signingName: 'sqs', action: 'SendMessage' },
  'sns:publish': { signingName: 'sns', action: 'Publish' },
  'events:putEvents': { signingName: 'events', action: 'PutEvents' },
  'states:startExecution': { signingName: 'states', action: 'StartExecution' },
};

/**
 * The output shape of the API action a Task resource calls — what its result looks like — where
 * Stratus serves the service and its model has the action's output (`src/<service>/api/shapes.ts`,
 * reached through the served actions, not the service's modules); undefined otherwise. TestState
 * checks a mocked result against it (result-check.ts).
 *
 * Request-response calls only: a `.waitForTaskToken` result is what the callback sends and a
 * `.sync` one is assembled from the job's description, neither an API action's output. A Lambda
 * function ARN answers the function's own payload and an activity its worker's output: no shape.
 * Services Stratus does not serve (DynamoDB, S3, …) have no shape here, so their mocks are taken
 * as they are (AWS checks them against those services' models).
 */
export async function integrationResultShape(deps: Pick<TaskDeps, 'runtime'>, resource: string): Promise<StructureShape | undefined> {
  const { family, resourceType, resourceName } = classifyResource(resource);
  if (family !== 'task' || resourceName.includes('.')) return undefined;
  const actions = deps.runtime.actions;
  let target: { signingName: string; action: string } | undefined;
  if (resourceType.startsWith('aws-sdk:')) {
    const service = SDK_SERVICES[resourceType.slice('aws-sdk:'.length)];
    if (service !== undefined) target = { signingName: service.signingName, action: capitalise(resourceName) };
  } else target = OPTIMIZED_ACTIONS[`${resourceType}:${resourceName}`];
  if (target === undefined || !actions || !actions.serves(target.signingName)) return undefined;
  return (await actions.find(target.signingName, target.action))?.action.output;
}
