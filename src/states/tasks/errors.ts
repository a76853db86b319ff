import { ServiceError } from '../../protocol/errors.js';
import type { TaskOutcome } from '../engine/task-port.js';

/**
 * The API errors of SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat and GetActivityTask
 * (API Reference: InvalidToken, InvalidOutput, TaskDoesNotExist, TaskTimedOut; HTTP 400).
 * Texts: "Invalid Token: 'Invalid token'" is recorded (a malformed token sent through the
 * aws-sdk:sfn integration, LocalStack snapshot test_sfn_send_task_outcome_with_no_such_token);
 * "Task Timed Out: 'Provided task does not exist anymore'" is what AWS answers for a token whose
 * task is closed (widely quoted from AWS responses). The others are worded after the reference.
 */
const error = (code: string, message: string) => new ServiceError(code, message, { status: 400 });

export const taskErrors = {
  invalidToken: () => error('InvalidToken', "Invalid Token: 'Invalid token'"),
  taskTimedOut: () => error('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  taskDoesNotExist: () => error('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'"),
  invalidOutput: (reason: string) => error('InvalidOutput', `Invalid Output: '${reason}'`),
};

/**
 * A service error as an optimized integration (lambda:invoke, sqs:sendMessage, …) reports it: the
 * AWS SDK for Java v1 exception the integration got. Recorded:
 * `Lambda.ResourceNotFoundException` with "Function not found: <arn>:$LATEST (Service: AWSLambda;
 * Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <id>; Proxy: null)", and
 * `SQS.AmazonSQSException` with "The request must contain the parameter MessageBody. (Service:
 * AmazonSQS; Status Code: 400; Error Code: MissingParameter; …)" for an error SQS's SDK models no
 * exception class for.
 */
export function optimizedFailure(prefix: string, sdkService: string, exception: string, code: string, message: string, status: number, requestId: string): TaskOutcome {
  return {
    type: 'failed',
    error: `${prefix}.${exception}`,
    cause: `${message} (Service: ${sdkService}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
  };
}

/**
 * A service error as an `aws-sdk:` integration reports it: `<Service>.<Error>` in PascalCase, the
 * error name always ending in `Exception` ("Call other AWS services", Developer Guide: "be sure to
 * include the Exception suffix … even if the suffix isn't already part of the error name"), and
 * the AWS SDK for Java v2 message as the cause. Recorded: `Sfn.InvalidTokenException`, "Invalid
 * Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: <id>) (SDK Attempt Count: 1)".
 */
export function sdkFailure(service: string, code: string, message: string, status: number, requestId: string): TaskOutcome {
  const name = code.endsWith('Exception') ? code : `${code}Exception`;
  return { type: 'failed', error: `${service}.${name}`, cause: `${message} (Service: ${service}, Status Code: ${status}, Request ID: ${requestId}) (SDK Attempt Count: 1)` };
}
