import type { ServiceModule } from '../server/runtime.js';
import { executionMigrations } from './repository/execution-migrations.js';
import { statesMigrations } from './repository/migrations.js';
import { taskMigrations } from './tasks/migrations.js';
import { machineDeletionMigrations } from './engine/machine-deletion-migrations.js';
import type { StatesOptions } from './service.js';

/**
 * Step Functions over AWS JSON 1.0 (`X-Amz-Target: AWSStepFunctions.<Action>`, signing name
 * `states`; botocore's stepfunctions 2016-11-23 model metadata): the control plane — state
 * machines, versions, aliases, activities, tags and definition validation — and executions:
 * Standard ones durable in SQLite (advanced by the delivery machine's `states.execution` and
 * `states.task` jobs), Express ones in memory, with redrive, distributed Map runs, status change
 * events and execution logs; Task states run through src/states/tasks/ (task tokens, activity
 * polling, EventBridge's state machine targets among them). Actions not declared yet (TestState)
 * are answered as any action a service does not serve
 * (UnknownOperationException).
 *
 * Its code (service.ts and all it imports) is loaded when the service is first needed.
 */
export function statesServiceWith(options: StatesOptions = {}): ServiceModule {
  return {
    name: 'states',
    migrations: [...statesMigrations, ...executionMigrations, ...taskMigrations, ...machineDeletionMigrations],
    create: async (runtime) => (await import('./service.js')).createStates(runtime, options),
    onDemand: { signingNames: ['states'], jsonTargetPrefix: 'AWSStepFunctions', invokers: ['states:stateMachine'], sources: [], jobKinds: ['states.execution', 'states.task'] },
  };
}

export const statesService: ServiceModule = statesServiceWith();
