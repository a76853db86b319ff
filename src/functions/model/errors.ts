import { ServiceError } from '../../protocol/errors.js';

/**
 * Lambda's errors. Codes and HTTP statuses are those of the Lambda API Reference (each action's
 * "Errors" section; botocore lambda 2015-03-31 model: ResourceNotFoundException 404,
 * ResourceConflictException 409, InvalidParameterValueException 400, PreconditionFailedException 412,
 * TooManyRequestsException 429, RequestTooLargeException 413, ServiceException 500,
 * InvalidRuntimeException 502, InvalidRequestContentException 400). Messages marked [R] were
 * recorded against AWS (LocalStack's tests/aws/services/lambda_ snapshots and the provider code
 * written against them); [D] the developer guide or API reference; [S] Stratus's own words where
 * AWS's are not known. Every Lambda error body carries `Type: "User"` (or `"Service"` for 5xx),
 * which the REST-JSON renderer adds.
 */
const err = (code: string, status: number) => (message: string) => new ServiceError(code, message, { status });

/**
 * [R] What Lambda says when it cannot read an SQS event source that does not exist: AWS's answer to
 * CreateEventSourceMapping on such a queue, quoted in full in hashicorp/terraform#26654 (SQS's own
 * error code and message inside Lambda's InvalidParameterValueException).
 */
export const SQS_NON_EXISTENT_QUEUE =
  'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.';

export const lambdaErrors = {
  validation: err('ValidationException', 400),
  invalidParameter: err('InvalidParameterValueException', 400),
  notFound: err('ResourceNotFoundException', 404),
  conflict: err('ResourceConflictException', 409),
  accessDenied: err('AccessDeniedException', 403),
  service: err('ServiceException', 500),
  invalidRuntime: err('InvalidRuntimeException', 502),
  invalidRequestContent: err('InvalidRequestContentException', 400),
  /** [R] "Function not found: arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]". */
  functionNotFound: (arn: string) => new ServiceError('ResourceNotFoundException', `Function not found: ${arn}`, { status: 404 }),
  /** [R] */
  functionExists: (name: string) => new ServiceError('ResourceConflictException', `Function already exist: ${name}`, { status: 409 }),
  /** [R] */
  aliasNotFound: (arn: string) => new ServiceError('ResourceNotFoundException', `Cannot find alias arn: ${arn}`, { status: 404 }),
  /** [R] */
  aliasExists: (arn: string) => new ServiceError('ResourceConflictException', `Alias already exists: ${arn}`, { status: 409 }),
  /** [R] the same text for functions, aliases and permissions. */
  revisionMismatch: () =>
    new ServiceError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      { status: 412 },
    ),
  /** [R] */
  resourceNotFound: () => new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { status: 404 }),
  /** [R] */
  regionMismatch: (region: string, current: string) =>
    new ServiceError('ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${current}')`, { status: 404 }),
  /** [R] */
  qualifierMismatch: () =>
    new ServiceError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.', { status: 400 }),
  /**
   * [R] message; the code follows the Invoke reference's RequestTooLargeException (413). Reports
   * from the field show the same text under `RequestEntityTooLargeException`.
   */
  requestTooLarge: (limit: number, operation: 'InvokeFunction' | 'InvokeAsync') =>
    new ServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the ${operation} operation`, { status: 413 }),
  /** [R] see SQS_NON_EXISTENT_QUEUE. */
  nonExistentQueue: () => new ServiceError('InvalidParameterValueException', SQS_NON_EXISTENT_QUEUE, { status: 400 }),
  tooManyRequests: (message: string, reason?: string) =>
    new ServiceError('TooManyRequestsException', message, { status: 429, fields: reason ? { Reason: reason } : undefined }),
};
