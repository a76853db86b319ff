import { ServiceError } from '../../protocol/errors.js';
import type { ProtocolKind } from '../../protocol/service.js';
import { validationSummary, type ValidationIssue } from '../../protocol/validate.js';

/**
 * Step Functions' errors, as AWS JSON 1.0 answers them: `__type` qualified with the service's
 * model namespace (`com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist`, as AWS sends
 * it; the SDKs keep the part after `#`), HTTP 400 unless the API Reference says otherwise.
 *
 * Messages are AWS's where a recording against AWS shows them (cited per factory: "recorded" means
 * the response bodies recorded against AWS in LocalStack's Step Functions snapshot files
 * tests/aws/services/stepfunctions/v2/*.snapshot.json); where none was found the wording is ours
 * and says so.
 */
export const STATES_ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model';

const error = (code: string, message: string, fields?: Record<string, unknown>) => new ServiceError(code, message, { status: 400, fields });

export const statesErrors = {
  /** Recorded: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'"; the reason text varies by case. */
  invalidArn: (reason: string) => error('InvalidArn', `Invalid Arn: '${reason}'`),
  /** "Invalid Arn: 'Resource type not valid in this context: activity'" for an ARN of the wrong kind. */
  wrongResourceType: (type: string) => error('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${type}'`),
  /** Recorded (test_sfn_api: start_exec_of_deleted, test_sfn_api_versioning: invalid_arn_1). */
  stateMachineDoesNotExist: (arn: string) => error('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  /** Recorded (test_sfn_api: test_create_duplicate_sm_name). */
  stateMachineAlreadyExists: (arn: string) => error('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  /** Recorded (test_sfn_api_activities: test_describe_deleted_activity). */
  activityDoesNotExist: (arn: string) => error('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`),
  /**
   * CreateActivity for a name that exists with another encryption configuration (API Reference,
   * ActivityAlreadyExists: "Activity already exists. EncryptionConfiguration may not be
   * updated."). Wording ours, in the form of StateMachineAlreadyExists.
   */
  activityAlreadyExists: (arn: string) => error('ActivityAlreadyExists', `Activity Already Exists: '${arn}'`),
  /** Recorded (test_sfn_api_activities: invalid_name), and for StartExecution names. */
  invalidName: (name: string) => error('InvalidName', `Invalid Name: '${name}'`),
  /** Recorded: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'". */
  invalidDefinition: (message: string) => error('InvalidDefinition', message),
  /** Recorded (test_sfn_api_logs): "Invalid Logging Configuration: Must specify exactly one Log Destination." */
  invalidLoggingConfiguration: (reason: string) => error('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${reason}`),
  /** Ours: the API Reference names the error ("Your tracingConfiguration key does not match, or enabled has not been set to true or false."). */
  invalidTracingConfiguration: (reason: string) => error('InvalidTracingConfiguration', reason),
  /** Recorded: "Version description can only be set when publish is true", and the alias routing texts. */
  validation: (message: string, reason?: string) => error('ValidationException', message, reason ? { reason } : undefined),
  /** Recorded (test_sfn_api_aliasing: test_update_no_such_alias_arn): "Request references a resource that does not exist." */
  resourceNotFound: (message: string, resourceName?: string) => error('ResourceNotFound', message, resourceName ? { resourceName } : undefined),
  /**
   * ConflictException, HTTP 409 (API Reference: "Updating or deleting a resource can cause an
   * inconsistent state"); texts recorded per use (versioning and aliasing snapshots).
   */
  conflict: (message: string) => new ServiceError('ConflictException', message, { status: 409 }),
  /** TooManyTags carries the resource's name (model: message, resourceName). Wording ours. */
  tooManyTags: (arn: string) => error('TooManyTags', `Too many tags on the resource: '${arn}'. A resource can have up to 50 tags.`, { resourceName: arn }),
  /** InvalidToken (model; API Reference: "The provided token is not valid."). Wording ours, after the reference. */
  invalidToken: (token: string) => error('InvalidToken', `Invalid Token: '${token}'`),
  /** ServiceQuotaExceededException: the 1,000-version quota (Developer Guide, "Step Functions service quotas"). Wording ours. */
  versionLimit: (arn: string) =>
    new ServiceError('ServiceQuotaExceededException', `Failed to publish the State Machine version: '${arn}' has reached the limit of 1000 versions.`, { status: 400 }),
  /**
   * StartExecution / RedriveExecution past the quota of open Standard executions per account and
   * region (Developer Guide, "Step Functions service quotas": 1,000,000, ExecutionLimitExceeded;
   * not for Express workflows). Wording ours.
   */
  executionLimitExceeded: (quota: number) =>
    error('ExecutionLimitExceeded', `Execution Limit Exceeded: '${quota} executions are open in this account and Region; an execution must end or be stopped first'`),
  /** Ours, after the reference: 100 aliases per state machine. */
  aliasLimit: (arn: string) => new ServiceError('ServiceQuotaExceededException', `The state machine '${arn}' has reached the limit of 100 aliases.`, { status: 400 }),
};

/**
 * UpdateStateMachine with nothing to change. The API Reference: "Request is missing a required
 * parameter. This error occurs if both definition and roleArn are not specified." Wording ours.
 */
export const missingUpdateParameter = () =>
  new ServiceError(
    'MissingRequiredParameter',
    'Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified',
    { status: 400 },
  );

/**
 * The `validationError` hook: input that breaks the model's constraints is Coral's
 * ValidationException, typed `com.amazon.coral.validate#ValidationException` on the wire (as AWS
 * JSON services that qualify their error types answer it), with the "N validation errors
 * detected: …" text.
 */
export function statesValidationError(issues: ValidationIssue[], _protocol: ProtocolKind, _action: string): ServiceError {
  return new ServiceError('ValidationException', validationSummary(issues), { status: 400, namespace: 'com.amazon.coral.validate' });
}
