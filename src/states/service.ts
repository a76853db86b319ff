import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { activityActions } from './api/activity-actions.js';
import { aliasActions } from './api/alias-actions.js';
import { executionActions } from './api/execution-actions.js';
import { mapRunActions } from './api/map-run-actions.js';
import { machineActions } from './api/machine-actions.js';
import { activityTaskActions } from './api/activity-task-actions.js';
import { tagActions } from './api/tag-actions.js';
import { taskTokenActions } from './api/task-token-actions.js';
import { testStateActions } from './api/test-state-actions.js';
import { versionActions } from './api/version-actions.js';
import { Executions } from './engine/executions.js';
import type { ExecutionControl, TaskRunner } from './engine/task-port.js';
import { STATES_ERROR_NAMESPACE, statesValidationError } from './model/errors.js';
import { integrationResultShape, IntegrationRunner, stateMachineInvoker, TaskBook, type TaskDeps } from './tasks/index.js';

/** Options of the service, for tests: not AWS behaviour. */
export interface StatesOptions {
  /**
   * Multiplies every delay an execution asks for — Wait states, Retry intervals, task and
   * execution timeouts — so tests of recorded executions that wait seconds do not (1 = AWS).
   */
  timeScale?: number;
  /** A TaskRunner to run tasks with (tests), or one made given the engine's ExecutionControl; the task integrations register theirs themselves. */
  taskRunner?: TaskRunner | ((control: ExecutionControl) => TaskRunner);
}

/** Step Functions: control plane and executions (src/states/index.ts says what the service is). */
export function createStates(runtime: Runtime, options: StatesOptions = {}): ServiceInstance {
  const { store, clock } = runtime;
  const executions = new Executions({
    store,
    delivery: runtime.delivery,
    clock,
    log: runtime.log,
    invokers: runtime.invokers,
    timeScale: options.timeScale ?? 1,
    openExecutionsQuota: runtime.config.openExecutionsQuota,
  });
  // Job kinds states.execution and states.task (src/states/index.ts lists them in onDemand.jobKinds).
  executions.register();
  // Task integrations (src/states/tasks/): they run Task states, and answer later (task tokens,
  // activity workers, .sync) through `executions` as ExecutionControl (engine/task-port.ts).
  // A test may give its own runner instead.
  const taskDeps: TaskDeps = { runtime, control: () => executions };
  const book = new TaskBook(taskDeps);
  const given = options.taskRunner;
  const runner: TaskRunner = given === undefined ? new IntegrationRunner(taskDeps, book) : typeof given === 'function' ? given(executions) : given;
  executions.setTaskRunner(runner);
  // EventBridge rules start state machines through invoke/ (index.ts lists states:stateMachine).
  runtime.invokers.register(stateMachineInvoker(() => executions));
  return {
    definition: {
      signingName: 'states',
      json: { version: '1.0', targetPrefix: 'AWSStepFunctions', errorNamespace: STATES_ERROR_NAMESPACE },
      actions: [
        ...machineActions(store, clock),
        ...versionActions(store, clock),
        ...aliasActions(store, clock),
        ...activityActions(store, clock),
        ...tagActions(store),
        ...executionActions(store, executions, () => clock.now()),
        ...mapRunActions(store, executions),
        ...taskTokenActions(() => book),
        ...activityTaskActions(store, () => book),
        // TestState calls a Task's integration for real through the same runner as executions.
        ...testStateActions(clock, () => runner, (resource) => integrationResultShape(taskDeps, resource)),
      ],
      validationError: statesValidationError,
    },
    // Open task waits are watched again once executions can run (after a restart).
    listening: () => book.resume(),
    stop: () => book.stop(),
  };
}
