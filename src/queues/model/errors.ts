import { ServiceError } from '../../protocol/errors.js';
import type { ProtocolKind } from '../../protocol/service.js';
import type { ValidationIssue } from '../../protocol/validate.js';

/**
 * SQS's errors, each as AWS sends it in both of its wire protocols.
 *
 * `code` is the JSON `__type` name (what AWS JSON 1.0 sends and what the SDK v3 error
 * registry is keyed by); `queryCode` is the legacy Query code, which AWS also sends in JSON
 * mode in the `x-amzn-query-error: <code>;Sender` header — the SDKs (awsQueryCompatible)
 * take the exception's `Code`/name from that header when present. The pairs and statuses
 * are the `awsQueryError`/`httpError` traits of the SQS model
 * (node_modules/@aws-sdk/client-sqs/dist-es/schemas/schemas_0.js). Errors the model does
 * not declare (InvalidParameterValue, MissingParameter) carry the Coral names AWS sends:
 * localstack's snapshot tests recorded against AWS show `Code: InvalidParameterValue,
 * QueryErrorCode: InvalidParameterValueException` and `Code: MissingParameter,
 * QueryErrorCode: MissingRequiredParameterException` (boto puts the header code in `Code`
 * and the `__type` in `QueryErrorCode`; localstack tests/aws/services/sqs/test_sqs.snapshot.json).
 *
 * Messages are AWS's words where a recording of a real response exists (cited per factory);
 * where none was found the source says what the wording rests on.
 */

/** The batch request size limit: 1 MiB since 2025 (SendMessageBatch API reference: "The
 * maximum allowed individual message size and the maximum total payload size (the sum of the
 * individual lengths of all of the batched messages) are both 1 MiB (1,048,576 bytes)"). */
export const MAX_BATCH_PAYLOAD_BYTES = 1_048_576;
/** At most 10 entries per batch (TooManyEntriesInBatchRequest in the API reference). */
export const MAX_BATCH_ENTRIES = 10;

/** The entry shape each batch action's EmptyBatchRequest message names. */
export const BATCH_ENTRY_SHAPES = {
  SendMessageBatch: 'SendMessageBatchRequestEntry',
  DeleteMessageBatch: 'DeleteMessageBatchRequestEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchRequestEntry',
} as const;
export type BatchAction = keyof typeof BATCH_ENTRY_SHAPES;

const QUERY_PREFIX = 'AWS.SimpleQueueService.';

function sqsError(code: string, queryCode: string, status: number, message: string): ServiceError {
  return new ServiceError(code, message, { status, queryCode });
}

export const sqsErrors = {
  /**
   * JSON and Query word it differently: recorded in localstack's test_non_existent_queue
   * snapshot — JSON "The specified queue does not exist.", Query "The specified queue does
   * not exist for this wsdl version.". Also seen verbatim from live SQS in ballerinax/aws.sqs
   * tests (JSON wording, code AWS.SimpleQueueService.NonExistentQueue, 400).
   */
  queueDoesNotExist: (protocol: ProtocolKind = 'json') =>
    sqsError(
      'QueueDoesNotExist',
      `${QUERY_PREFIX}NonExistentQueue`,
      400,
      protocol === 'query' ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.',
    ),

  /**
   * CreateQueue with an existing name and a different attribute value. Recorded (localstack
   * test_create_queue_with_different_attributes_raises_exception and
   * test_create_fifo_queue_with_different_attributes_raises_error): Code QueueAlreadyExists,
   * __type QueueNameExists, "A queue already exists with the same name and a different value
   * for attribute DelaySeconds" (no final period).
   */
  queueNameExists: (attributeName: string) =>
    sqsError('QueueNameExists', 'QueueAlreadyExists', 400, `A queue already exists with the same name and a different value for attribute ${attributeName}`),

  /** "You must wait 60 seconds after deleting a queue before you can create another with the
   * same name." — localstack provider and Inqnuam/local-aws-sqs agree; no live capture found. */
  queueDeletedRecently: () =>
    sqsError(
      'QueueDeletedRecently',
      `${QUERY_PREFIX}QueueDeletedRecently`,
      400,
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    ),

  /** Recorded (localstack test_successive_purge_calls_fail): 403, "Only one PurgeQueue
   * operation on <queue-name> is allowed every 60 seconds." */
  purgeQueueInProgress: (queueName: string) =>
    sqsError('PurgeQueueInProgress', `${QUERY_PREFIX}PurgeQueueInProgress`, 403, `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`),

  /** InvalidAttributeName with a given message (e.g. the SSE conflict wording). */
  invalidAttributeName: (message: string) => sqsError('InvalidAttributeName', 'InvalidAttributeName', 400, message),

  /** Recorded (localstack test_set_unsupported_attribute_fifo): "Unknown Attribute FifoQueue." */
  unknownAttribute: (name: string) => sqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),

  /** InvalidAttributeValue with a given message. */
  invalidAttributeValue: (message: string) => sqsError('InvalidAttributeValue', 'InvalidAttributeValue', 400, message),

  /**
   * "Invalid value for the parameter DelaySeconds." (ballerinax/aws.sqs tests against live
   * SQS, CreateQueue and SetQueueAttributes with DelaySeconds 901) and, with a reason,
   * "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not
   * supported." (localstack snapshot test_set_unsupported_attribute_fifo).
   */
  invalidAttributeValueFor: (name: string, reason?: string) =>
    sqsError('InvalidAttributeValue', 'InvalidAttributeValue', 400, `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`),

  /** InvalidParameterValue with a given message (the many SQS business-rule failures). */
  invalidParameterValue: (message: string) => sqsError('InvalidParameterValueException', 'InvalidParameterValue', 400, message),

  /**
   * The "Value X for parameter Y is invalid. Reason: Z" form, e.g. "Value 11 for parameter
   * MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided." and
   * "Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and
   * <= 900." (localstack snapshot; ballerinax/aws.sqs live tests).
   */
  parameterValueInvalid: (value: string | number, parameter: string, reason: string) =>
    sqsError('InvalidParameterValueException', 'InvalidParameterValue', 400, `Value ${value} for parameter ${parameter} is invalid. Reason: ${reason}`),

  /** Recorded: "The request must contain the parameter MessageBody." / "...MessageGroupId."
   * (localstack test_posting_to_fifo_requires_deduplicationid_group_id; ballerinax live test). */
  missingParameter: (parameter: string) =>
    sqsError('MissingRequiredParameterException', 'MissingParameter', 400, `The request must contain the parameter ${parameter}.`),

  /** InvalidMessageContents with a given message (see message-validation for the wording). */
  invalidMessageContents: (message: string) => sqsError('InvalidMessageContents', 'InvalidMessageContents', 400, message),

  /** The model's MessageNotInflight has no message member; the text is the API reference's
   * description of the error ("The specified message isn't in flight."). */
  messageNotInflight: () => sqsError('MessageNotInflight', `${QUERY_PREFIX}MessageNotInflight`, 400, "The specified message isn't in flight."),

  /**
   * 404 per the model (and ballerinax live test: 404 ReceiptHandleIsInvalid). Message from a
   * live `aws sqs delete-message --receipt-handle fake` (softwaremill/elasticmq#324):
   * 'The input receipt handle "fake" is not a valid receipt handle.'
   */
  receiptHandleIsInvalid: (receiptHandle: string) =>
    sqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`),

  /** A well-formed handle of another queue; live wording from a DeleteMessageBatch entry
   * (aws/aws-sdk-java-v2#3101): 'The receipt handle "…" is not valid for this queue.' */
  receiptHandleNotForQueue: (receiptHandle: string) =>
    sqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, `The receipt handle "${receiptHandle}" is not valid for this queue.`),

  /** Recorded: "Maximum number of entries per request are 10. You have sent 20." */
  tooManyEntriesInBatchRequest: (sent: number, max: number = MAX_BATCH_ENTRIES) =>
    sqsError(
      'TooManyEntriesInBatchRequest',
      `${QUERY_PREFIX}TooManyEntriesInBatchRequest`,
      400,
      `Maximum number of entries per request are ${max}. You have sent ${sent}.`,
    ),

  /** Live (ballerinax): "There should be at least one SendMessageBatchRequestEntry in the request." */
  emptyBatchRequest: (action: BatchAction) =>
    sqsError('EmptyBatchRequest', `${QUERY_PREFIX}EmptyBatchRequest`, 400, `There should be at least one ${BATCH_ENTRY_SHAPES[action]} in the request.`),

  /** Live (ballerinax): "Id idA repeated." */
  batchEntryIdsNotDistinct: (id: string) => sqsError('BatchEntryIdsNotDistinct', `${QUERY_PREFIX}BatchEntryIdsNotDistinct`, 400, `Id ${id} repeated.`),

  /** Recorded: "Batch requests cannot be longer than 262144 bytes. You have sent 262145 bytes."
   * — the limit is now 1,048,576. */
  batchRequestTooLong: (sentBytes: number, limit: number = MAX_BATCH_PAYLOAD_BYTES) =>
    sqsError(
      'BatchRequestTooLong',
      `${QUERY_PREFIX}BatchRequestTooLong`,
      400,
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${sentBytes} bytes.`,
    ),

  /** Recorded (localstack test_invalid_batch_id and friends). */
  invalidBatchEntryId: () =>
    sqsError(
      'InvalidBatchEntryId',
      `${QUERY_PREFIX}InvalidBatchEntryId`,
      400,
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),

  unsupportedOperation: (message: string) => sqsError('UnsupportedOperation', `${QUERY_PREFIX}UnsupportedOperation`, 400, message),

  /** 403. Default text from a live ReceiveMessage over the in-flight limit
   * (Cbsoftware/pressureNET-server#74), line break included. */
  overLimit: (
    message = 'Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.',
  ) => sqsError('OverLimit', 'OverLimit', 403, message),

  /** 404 (move tasks). localstack's wording: "The resource that you specified for the
   * SourceArn parameter doesn't exist." */
  resourceNotFound: (message: string) => sqsError('ResourceNotFoundException', 'ResourceNotFoundException', 404, message),
  resourceNotFoundFor: (parameter: 'SourceArn' | 'DestinationArn') =>
    sqsError('ResourceNotFoundException', 'ResourceNotFoundException', 404, `The resource that you specified for the ${parameter} parameter doesn't exist.`),

  /** 404. Live: "The address https://queue.amazonaws.com/ is not valid for this endpoint."
   * (jegesh/python-sqs-listener#30, aws/aws-sdk-net#437). */
  invalidAddress: (address: string) => sqsError('InvalidAddress', 'InvalidAddress', 404, `The address ${address} is not valid for this endpoint.`),

  /** 403. No live wording found; the text is the model's description of the error. */
  invalidSecurity: (message = 'The request was not made over HTTPS or did not use SigV4 for signing.') =>
    sqsError('InvalidSecurity', 'InvalidSecurity', 403, message),

  /** 403. No live wording found; the text is the model's description of the error. */
  requestThrottled: (message = 'The request was denied due to request throttling.') =>
    sqsError('RequestThrottled', 'RequestThrottled', 403, message),
};

/**
 * The ServiceDefinition `validationError` hook: what SQS answers when the request does not
 * fit its shapes. (JSON values of the wrong type never get here: the dispatcher answers them
 * with SerializationException, as AWS does — async-aws/aws#1667 shows live SQS answering
 * "STRING_VALUE can not be converted to an Integer".)
 *
 * SQS reports one problem, never Coral's "N validation errors detected" list:
 * - a missing required member is MissingParameter "The request must contain the parameter
 *   X." (the wording live SQS uses for MessageBody and MessageGroupId, see missingParameter);
 * - anything else is InvalidParameterValue in SQS's "Value v for parameter X is invalid.
 *   Reason: r" form. SQS's own model carries almost no length/range constraints (its range
 *   checks are business rules with their own messages), so this path is rare; the reason text
 *   is the shape rule, which is our composition, not a recorded AWS sentence.
 */
export function sqsValidationError(issues: ValidationIssue[], _protocol: ProtocolKind, _action: string): ServiceError {
  const issue = issues.find((i) => i.kind === 'required') ?? issues[0];
  if (!issue) return sqsErrors.invalidParameterValue('The request is invalid.');
  const parameter = parameterName(issue);
  if (issue.kind === 'required') return sqsErrors.missingParameter(parameter);
  const parsed = /^Value (?:null|'([\s\S]*)') at '[^']*' failed to satisfy constraint: ([\s\S]*)$/.exec(issue.message);
  if (parsed) {
    const rule = parsed[2].endsWith('.') ? parsed[2] : `${parsed[2]}.`;
    return sqsErrors.invalidParameterValue(`Value ${parsed[1] ?? ''} for parameter ${parameter} is invalid. Reason: ${rule}`);
  }
  // A Query value that is not of the member's type ("abc" for an Integer).
  const reason = issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
  return sqsErrors.invalidParameterValue(`Value for parameter ${parameter} is invalid. Reason: ${reason}`);
}

/** The parameter a problem is about: the wire name at top level, else the innermost member
 * named in the path (`entries.1.member.id` → `Id`, `messageAttributes.a.dataType` → `DataType`). */
function parameterName(issue: ValidationIssue): string {
  const segments = issue.path.split('.').filter((s) => s !== '' && s !== 'member' && !/^\d+$/.test(s));
  if (segments.length <= 1) return issue.member;
  const last = segments[segments.length - 1];
  return last.charAt(0).toUpperCase() + last.slice(1);
}
