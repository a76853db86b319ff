import type { ServiceModule } from '../server/runtime.js';
import { statesMigrations } from './repository/migrations.js';

/**
 * Step Functions over AWS JSON 1.0 (`X-Amz-Target: AWSStepFunctions.<Action>`, signing name
 * `states`; botocore's stepfunctions 2016-11-23 model metadata). This layer serves the control
 * plane — state machines, versions, aliases, activities, tags and definition validation — stored
 * in SQLite. The actions that run executions (StartExecution, task tokens, activity polling, map
 * runs, TestState) are not declared yet, so the server answers them as it answers any action a
 * service does not serve (UnknownOperationException).
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export const statesService: ServiceModule = {
  name: 'states',
  migrations: statesMigrations,
  create: async (runtime) => (await import('./service.js')).createStates(runtime),
  onDemand: { signingNames: ['states'], jsonTargetPrefix: 'AWSStepFunctions', invokers: [], sources: [], jobKinds: [] },
};
