import type { TaskCall, TaskOutcome } from '../engine/task-port.js';

/**
 * A task for a service Stratus does not serve (yet) fails as AWS fails a task whose service cannot
 * be reached: `<Service>.SdkClientException` with "Unable to execute HTTP request: …" (recorded for
 * an SQS queue URL whose host does not resolve: `SQS.SdkClientException`, "Unable to execute HTTP
 * request: no-such-queue-…: Name or service not known"), the message saying that Stratus does not
 * serve the service — so a Catch or Retry on the service's errors or States.ALL sees it, and it
 * is never silent.
 */
export function notServed(call: TaskCall, service: string, errorPrefix: string): TaskOutcome {
  return {
    type: 'failed',
    error: `${errorPrefix}.SdkClientException`,
    cause: `Unable to execute HTTP request: Stratus does not serve ${service} (the task's resource is ${call.effect.resource}).`,
  };
}
