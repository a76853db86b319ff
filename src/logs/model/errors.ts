import { ServiceError } from '../../protocol/errors.js';
import type { ProtocolKind } from '../../protocol/service.js';
import { validationSummary, type ValidationIssue } from '../../protocol/validate.js';

/**
 * CloudWatch Logs' errors. AWS JSON 1.1 with an unqualified `__type`
 * (`{"__type":"InvalidParameterException","message":"Log event too large: …"}` as recorded from
 * live PutLogEvents in maxbanton/cwh#101). Every one is a 400.
 *
 * Wordings are AWS's where a live answer was found (cited per factory); the others are ours and
 * say so.
 */
function logsError(code: string, message: string): ServiceError {
  return new ServiceError(code, message, { status: 400 });
}

export const logsErrors = {
  /** "The specified log group does not exist." — the live wording (e.g. aws-cli issues). */
  groupNotFound: () => logsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => logsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () => logsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => logsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalidParameter: (message: string) => logsError('InvalidParameterException', message),
  /** Coral's own wording, which CloudWatch Logs sends as InvalidParameterException (below). */
  invalidValue: (value: unknown, path: string, rule: string) =>
    logsError('InvalidParameterException', `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`),
  /** Recorded live: "Upload too large: 1049882 bytes exceeds limit of 1048576" (terraform-aws-opennext#27). */
  uploadTooLarge: (bytes: number, limit: number) => logsError('InvalidParameterException', `Upload too large: ${bytes} bytes exceeds limit of ${limit}`),
  /** Recorded live: "Log event too large: 292824 bytes exceeds limit of 262144" (maxbanton/cwh#101), limit now 1 MiB. */
  eventTooLarge: (bytes: number, limit: number) => logsError('InvalidParameterException', `Log event too large: ${bytes} bytes exceeds limit of ${limit}`),
  /** Recorded live (aws-greengrass-log-manager#59, moby/moby#41529). */
  spanTooLong: () => logsError('InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.'),
  /** Ours: the API reference says only that an invalid token is an InvalidParameterException. */
  invalidToken: () => logsError('InvalidParameterException', 'The specified nextToken is invalid.'),
  /** TagResource over the 50-tag limit (API reference, TooManyTagsException; it names the resource). */
  tooManyTags: (resourceName: string) =>
    new ServiceError('TooManyTagsException', `A resource can have no more than 50 tags.`, { status: 400, fields: { resourceName } }),
  /** Deleting a protected log group (DeleteLogGroup lists ValidationException). Wording ours. */
  deletionProtected: () => logsError('ValidationException', 'Deletion protection is enabled for this log group; disable it before deleting the log group.'),
};

/**
 * The `validationError` hook: input that breaks the model's constraints. CloudWatch Logs answers
 * those with InvalidParameterException carrying Coral's "N validation errors detected: Value 'x' at
 * 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern:
 * [\.\-_/#A-Za-z0-9]+" text (recorded live: awslabs/aws-embedded-metrics-java#65,
 * aws/serverless-application-model#182).
 */
export function logsValidationError(issues: ValidationIssue[], _protocol: ProtocolKind, _action: string): ServiceError {
  return logsError('InvalidParameterException', validationSummary(issues));
}
