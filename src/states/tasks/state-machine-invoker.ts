import { InvokeError, type Invoker } from '../../invoke/index.js';
import { ServiceError } from '../../protocol/errors.js';
import type { ExecutionControl } from '../engine/task-port.js';

/**
 * A state machine as a target of `invoke/` (DESIGN rule 1): an EventBridge rule's target
 * (`arn:aws:states:<region>:<account>:stateMachine:<name>`) starts an execution with the target's
 * input, as StartExecution would (EventBridge User Guide, "Step Functions state machine target":
 * EVENT, the default, calls StartExecution; a Name parameter names the execution, else one is
 * generated). StartExecution's errors are not retryable (no such machine, a bad input) except
 * throttling; the delivery machine dead-letters them.
 */
export function stateMachineInvoker(control: () => ExecutionControl | undefined): Invoker {
  return {
    service: 'states',
    resourceType: 'stateMachine',
    async invoke(target, request) {
      const engine = control();
      if (!engine) throw new InvokeError('UnsupportedTarget', `Stratus runs no Step Functions executions here: cannot start ${request.arn}.`, false);
      const input = typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload ?? {});
      const name = typeof request.parameters?.Name === 'string' ? request.parameters.Name : undefined;
      const traceHeader = typeof request.parameters?.AWSTraceHeader === 'string' ? request.parameters.AWSTraceHeader : undefined;
      try {
        const started = await engine.startExecution({
          stateMachineArn: request.arn,
          input,
          account: target.accountId,
          region: target.region,
          ...(name !== undefined && { name }),
          ...(traceHeader !== undefined && { traceHeader }),
        });
        return { response: { executionArn: started.executionArn, startDate: started.startDate.getTime() } };
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const code = error.code === 'StateMachineDoesNotExist' ? 'ResourceNotFound' : error.code;
        throw new InvokeError(code, error.message, error.code === 'ThrottlingException' || error.status >= 500);
      }
    },
  };
}
