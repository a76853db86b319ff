import type { Runtime, ServiceInstance } from '../server/runtime.js';
import { activityActions } from './api/activity-actions.js';
import { aliasActions } from './api/alias-actions.js';
import { machineActions } from './api/machine-actions.js';
import { tagActions } from './api/tag-actions.js';
import { testStateActions } from './api/test-state-actions.js';
import { versionActions } from './api/version-actions.js';
import { STATES_ERROR_NAMESPACE, statesValidationError } from './model/errors.js';

/** The Step Functions control plane (src/states/index.ts says what the service is). */
export function createStates(runtime: Runtime): ServiceInstance {
  const { store, clock } = runtime;
  return {
    definition: {
      signingName: 'states',
      json: { version: '1.0', targetPrefix: 'AWSStepFunctions', errorNamespace: STATES_ERROR_NAMESPACE },
      actions: [...machineActions(store, clock), ...versionActions(store, clock), ...aliasActions(store, clock), ...activityActions(store, clock), ...tagActions(store), ...testStateActions(clock)],
      validationError: statesValidationError,
    },
  };
}
