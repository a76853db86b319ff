/**
 * The one error type handlers throw. The protocol layer renders it in each wire format:
 * JSON `{"__type","message"}`, Query `<ErrorResponse><Error><Type><Code><Message>`, and
 * REST-JSON `x-amzn-ErrorType` plus a body, so that the SDKs raise the named exception class.
 */
export interface ServiceErrorOptions {
  /** HTTP status; AWS answers client faults with 400 unless a service documents otherwise. */
  status?: number;
  /** `Sender` (the caller's fault, default for 4xx) or `Receiver` (the service's). */
  fault?: 'Sender' | 'Receiver';
  /**
   * The code a Query-protocol client sees when it differs from the JSON one
   * (SQS: `QueueDoesNotExist` in JSON is `AWS.SimpleQueueService.NonExistentQueue` in Query).
   * JSON responses also carry it in `x-amzn-query-error` for services that opt in.
   */
  queryCode?: string;
  /** Extra members of the error structure (e.g. Lambda's `Type`, EventBridge's nothing). */
  fields?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /**
   * The namespace of the error's `__type` in JSON answers when it is not the service's own:
   * Coral's model validation answers `com.amazon.coral.validate#ValidationException` in every
   * service that qualifies its types.
   */
  namespace?: string;
}

export class ServiceError extends Error {
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
  readonly queryCode?: string;
  readonly fields?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly namespace?: string;

  constructor(
    readonly code: string,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message);
    this.name = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
    this.queryCode = options.queryCode;
    this.fields = options.fields;
    this.headers = options.headers;
    this.namespace = options.namespace;
  }
}

// The errors every AWS service shares, worded as the AWS "Common Errors" reference gives them
// (https://docs.aws.amazon.com/sqs/latest/APIReference/CommonErrors.html and the same page of
// every JSON/Query service).
export const commonErrors = {
  internalFailure: () =>
    new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', {
      status: 500,
    }),
  serviceUnavailable: () =>
    new ServiceError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', { status: 503 }),
  unknownOperation: (protocol: 'json' | 'rest-json') =>
    new ServiceError('UnknownOperationException', protocol === 'json' ? '' : 'Unknown operation', {
      status: protocol === 'json' ? 400 : 404,
    }),
  invalidAction: (action: string) =>
    new ServiceError('InvalidAction', `The action ${action} is not valid for this endpoint.`, { status: 400 }),
  missingAction: () => new ServiceError('MissingAction', 'The request must contain the parameter Action.', { status: 400 }),
  malformedQueryString: (detail: string) => new ServiceError('MalformedQueryString', detail, { status: 400 }),
  /**
   * A Query parameter given more than once (`Action=ListQueues&Action=DeleteQueue`). No AWS
   * reference says what the Query front end answers. The evidence: EC2's Query front end refuses
   * a parameter given twice with "The parameter 'Value' may only be specified once."
   * (flexera-public/right_aws#46), and the Common Errors page of every Query service lists
   * `InvalidQueryParameter`, 400, for a query string that does not follow AWS's rules. Refusing
   * is also the only answer that does not guess which of two actions the caller meant.
   */
  repeatedParameter: (name: string) =>
    new ServiceError('InvalidQueryParameter', `The parameter '${name.length > 128 ? `${name.slice(0, 128)}…` : name}' may only be specified once.`, {
      status: 400,
    }),
  serialization: (message: string) => new ServiceError('SerializationException', message, { status: 400 }),
  throttling: (protocol: 'json' | 'query' | 'rest-json') =>
    protocol === 'query'
      ? new ServiceError('Throttling', 'Rate exceeded', { status: 400 })
      : protocol === 'rest-json'
        ? new ServiceError('TooManyRequestsException', 'Rate exceeded', { status: 429, fields: { Type: 'User' } })
        : new ServiceError('ThrottlingException', 'Rate exceeded', { status: 400 }),
  requestTooLarge: (limit: number) =>
    new ServiceError('RequestEntityTooLarge', `Request must be smaller than ${limit} bytes.`, { status: 413 }),
};
