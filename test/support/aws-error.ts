import assert from 'node:assert/strict';

/** What an AWS SDK v3 client throws for an AWS error answer. */
export interface AwsError extends Error {
  /** The error code of a Query (XML) answer; JSON answers name it only in `name`. */
  Code?: string;
  $metadata: { httpStatusCode?: number };
  /** A ValidationException's reason (Step Functions). */
  reason?: string;
}

/**
 * Awaits a call that must fail with the AWS error `code` (its `Code`, else its `name`) and, when
 * given, the exact message or a message matching the pattern; answers the error for further checks.
 */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<AwsError> {
  const error = (await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  )) as AwsError;
  assert.equal(error.Code ?? error.name, code, error.message);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}
