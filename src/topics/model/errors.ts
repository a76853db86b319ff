import { ServiceError } from '../../protocol/errors.js';
import type { ProtocolKind } from '../../protocol/service.js';
import { validationSummary, type ValidationIssue } from '../../protocol/validate.js';

/**
 * SNS's errors as AWS answers them over Query: `<Error><Type>Sender</Type><Code>…`, the HTTP
 * status of each code's `httpError` trait in the SNS model (botocore's sns service-2.json:
 * InvalidParameter 400, NotFound 404, AuthorizationError 403, …), and AWS's wording.
 *
 * Messages are the ones recorded against AWS (test/conformance/sns/errors and recorded/, from
 * localstack's snapshot tests); a factory whose wording rests on something else says so.
 */

/** Most of SNS's refusals: `InvalidParameter`, 400, "Invalid parameter: …". */
export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameter', message, { status: 400 });
}

export const snsErrors = {
  invalidParameter,
  /** "Invalid parameter: <what>" (no reason): unknown attribute names, empty subjects, tokens. */
  invalid: (what: string) => invalidParameter(`Invalid parameter: ${what}`),
  /** "Invalid parameter: <what> Reason: <why>". */
  invalidReason: (what: string, why: string) => invalidParameter(`Invalid parameter: ${what} Reason: ${why}`),
  /** A required parameter left out, as the classic actions word it (recorded: Unsubscribe without SubscriptionArn). */
  missing: (name: string) => invalidParameter(`Invalid parameter: ${name} Reason: no value for required parameter`),
  /** A value of an attribute the service refuses (model: InvalidParameterValue, 400). */
  invalidParameterValue: (message: string) => new ServiceError('ParameterValueInvalid', message, { status: 400 }),
  notFound: (message: string) => new ServiceError('NotFound', message, { status: 404 }),
  topicNotFound: () => new ServiceError('NotFound', 'Topic does not exist', { status: 404 }),
  subscriptionNotFound: () => new ServiceError('NotFound', 'Subscription does not exist', { status: 404 }),
  /** AuthorizationError, 403: a caller the topic policy does not allow (model: AuthorizationErrorException). */
  authorization: (message: string) => new ServiceError('AuthorizationError', message, { status: 403 }),
  /** The Coral validation answer a few actions give (recorded: CreatePlatformApplication without Attributes). */
  validation: (message: string) => new ServiceError('ValidationError', message, { status: 400 }),
  tooManyEntries: () => new ServiceError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.', { status: 400 }),
  emptyBatch: () => new ServiceError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.', { status: 400 }),
  batchIdsNotDistinct: () => new ServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', { status: 400 }),
  batchTooLong: () => new ServiceError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.', { status: 400 }),
  invalidBatchEntryId: (id: string) =>
    new ServiceError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${id}`, { status: 400 }),
  batchEntryIdTooLong: (id: string) => new ServiceError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${id}`, { status: 400 }),
  /** TagPolicy, 400 (model: TagPolicyException). */
  tagPolicy: (message: string) => new ServiceError('TagPolicy', message, { status: 400 }),
  /** TagLimitExceeded, 400 (model: TagLimitExceededException). */
  tagLimitExceeded: () => new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', { status: 400 }),
  /** TopicLimitExceeded, 403 (model: TopicLimitExceededException, "the customer already owns the maximum allowed number of topics"). */
  topicLimitExceeded: () => new ServiceError('TopicLimitExceeded', 'Topic limit exceeded', { status: 403 }),
  /** SubscriptionLimitExceeded, 403 (model: SubscriptionLimitExceededException). */
  subscriptionLimitExceeded: () => new ServiceError('SubscriptionLimitExceeded', 'Subscription limit exceeded', { status: 403 }),
  /** ResourceNotFound, 404 (model: ResourceNotFoundException): the tagging actions' answer for a topic that does not exist. */
  resourceNotFound: () => new ServiceError('ResourceNotFound', 'Resource does not exist', { status: 404 }),
  endpointDisabled: () => new ServiceError('EndpointDisabled', 'Endpoint is disabled', { status: 400 }),
  /** VerificationException, 400: a sandbox one-time password that does not match. */
  verification: (message: string) => new ServiceError('VerificationException', message, { status: 400 }),
  optedOut: () => new ServiceError('OptedOut', 'Phone number is opted out', { status: 400 }),
};

/**
 * Input the shapes refuse. The classic SNS actions name a missing parameter as an
 * InvalidParameter ("Invalid parameter: SubscriptionArn Reason: no value for required
 * parameter", recorded); the actions added later on Coral's validation (platform applications,
 * SMS sandbox) answer ValidationError with Coral's summary ("1 validation error detected: Value
 * null at 'attributes' failed to satisfy constraint: Member must not be null", recorded).
 */
export function snsValidationError(issues: ValidationIssue[], _protocol: ProtocolKind, action: string): ServiceError {
  if (!CORAL_VALIDATED.has(action)) {
    const missing = issues.find((i) => i.kind === 'required' && !i.path.includes('.'));
    if (missing) return snsErrors.missing(missing.member);
  }
  // Coral names a map entry's members under `member`, as lists do: `messageAttributes.attr1.member.dataType` (recorded).
  const summary = validationSummary(issues).replace(/(messageAttributes\.[^']*)\.(dataType|stringValue|binaryValue)'/g, "$1.member.$2'");
  return snsErrors.validation(summary);
}

/** Actions whose input AWS checks with Coral's validation (the recorded ValidationError answers name lower-camel paths). */
const CORAL_VALIDATED = new Set([
  'CreatePlatformApplication',
  'SetPlatformApplicationAttributes',
  'SetEndpointAttributes',
  'CreatePlatformEndpoint',
  'CreateSMSSandboxPhoneNumber',
  'DeleteSMSSandboxPhoneNumber',
  'VerifySMSSandboxPhoneNumber',
  'ListSMSSandboxPhoneNumbers',
  'ListOriginationNumbers',
  'GetSMSSandboxAccountStatus',
]);
